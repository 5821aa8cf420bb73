#pragma once
// Qt aborts inside QApplication's constructor when it finds no display; the app checks first
// so a user who started it over ssh gets one clear sentence instead of a core dump.

#include <functional>
#include <string>

namespace blurcam::gui {

/// Empty when a Qt window can probably open; otherwise the sentence to print. getenv is
/// injected for tests; platformArgument is the value of a "-platform" command-line option.
[[nodiscard]] std::string missingDisplayMessage(const std::function<const char*(const char*)>& getenv,
                                                const std::string& platformArgument = {});

} // namespace blurcam::gui
