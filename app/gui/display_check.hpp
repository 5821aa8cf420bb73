#pragma once
// Qt aborts inside QApplication's constructor when it finds no display, or when the X server
// named by DISPLAY cannot be reached; the app checks first so a user who started it over ssh
// (or after the X session ended) gets one clear sentence instead of a core dump.

#include <functional>
#include <string>

namespace blurcam::gui {

using EnvironmentReader = std::function<const char*(const char*)>;
/// True when an X server answers at this DISPLAY value.
using X11Probe = std::function<bool(const std::string& display)>;

/// Empty when a Qt window can probably open; otherwise the sentence to print. getenv is
/// injected for tests; platformArgument is the value of a "-platform" command-line option.
[[nodiscard]] std::string missingDisplayMessage(const EnvironmentReader& getenv,
                                                const std::string& platformArgument = {});

/// Empty unless Qt would use X11 (QT_QPA_PLATFORM / -platform unset or xcb) with DISPLAY set
/// and `probe` finds no X server there; then the sentence to print.
[[nodiscard]] std::string unreachableDisplayMessage(const EnvironmentReader& getenv,
                                                    const std::string& platformArgument, const X11Probe& probe);

/// Connects to the X server as Qt's xcb plugin would (libxcb, loaded at run time so the app
/// does not link X11 for this) and disconnects. True also when libxcb cannot be loaded: then
/// there is nothing to check with, and Qt gives its own message.
[[nodiscard]] bool x11ServerAnswers(const std::string& display);

} // namespace blurcam::gui
