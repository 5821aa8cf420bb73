#include "display_check.hpp"

namespace blurcam::gui {

namespace {
bool isSet(const char* value) { return value != nullptr && *value != '\0'; }
} // namespace

std::string missingDisplayMessage(const std::function<const char*(const char*)>& getenv, const std::string& platformArgument) {
    std::string platform = platformArgument;
    if (platform.empty() && isSet(getenv("QT_QPA_PLATFORM"))) {
        platform = getenv("QT_QPA_PLATFORM");
    }
    const bool x11 = isSet(getenv("DISPLAY"));
    const bool wayland = isSet(getenv("WAYLAND_DISPLAY"));
    // QT_QPA_PLATFORM may list fallbacks ("wayland;xcb"); the first one decides what is needed.
    const std::string first = platform.substr(0, platform.find(';'));
    const bool needsX11 = first.rfind("xcb", 0) == 0;
    const bool needsWayland = first.rfind("wayland", 0) == 0;
    if (!first.empty() && !needsX11 && !needsWayland) {
        return {}; // offscreen, minimal, vnc, eglfs, linuxfb...: no display server needed
    }
    if ((needsX11 && x11) || (needsWayland && wayland) || (first.empty() && (x11 || wayland))) {
        return {};
    }
    return "blurcam: no display found (DISPLAY and WAYLAND_DISPLAY are not set); "
           "use blurcam-cli to blur video without a window, or set QT_QPA_PLATFORM=offscreen.";
}

} // namespace blurcam::gui
