#include "display_check.hpp"

#include <dlfcn.h>

namespace blurcam::gui {

namespace {
bool isSet(const char* value) {
    return value != nullptr && *value != '\0';
}

/// The platform Qt will try first: -platform, else QT_QPA_PLATFORM (which may list fallbacks,
/// "wayland;xcb"), "" when neither is given.
std::string firstPlatform(const EnvironmentReader& getenv, const std::string& platformArgument) {
    std::string platform = platformArgument;
    if (platform.empty() && isSet(getenv("QT_QPA_PLATFORM"))) {
        platform = getenv("QT_QPA_PLATFORM");
    }
    return platform.substr(0, platform.find(';'));
}
} // namespace

std::string unreachableDisplayMessage(const EnvironmentReader& getenv, const std::string& platformArgument,
                                      const X11Probe& probe) {
    const std::string first = firstPlatform(getenv, platformArgument);
    // With no platform named Qt starts xcb, unless a Wayland session may win: then an absent X
    // server is not this check's business (a wrong "cannot connect" would lock out a working app).
    const bool usesX11 = first.empty() ? !isSet(getenv("WAYLAND_DISPLAY")) : first.rfind("xcb", 0) == 0;
    if (!usesX11 || !isSet(getenv("DISPLAY"))) {
        return {};
    }
    const std::string display = getenv("DISPLAY");
    if (probe(display)) {
        return {};
    }
    return "blurcam: cannot connect to the X server at DISPLAY=" + display +
           "; use blurcam-cli to blur video without a window, or set QT_QPA_PLATFORM=offscreen.";
}

bool x11ServerAnswers(const std::string& display) {
    void* library = ::dlopen("libxcb.so.1", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        return true;
    }
    // xcb_connection_t is opaque; these are xcb_connect, xcb_connection_has_error, xcb_disconnect.
    using Connect = void* (*)(const char*, int*);
    using HasError = int (*)(void*);
    using Disconnect = void (*)(void*);
    const auto connect = reinterpret_cast<Connect>(::dlsym(library, "xcb_connect"));
    const auto hasError = reinterpret_cast<HasError>(::dlsym(library, "xcb_connection_has_error"));
    const auto disconnect = reinterpret_cast<Disconnect>(::dlsym(library, "xcb_disconnect"));
    bool answers = true;
    if (connect != nullptr && hasError != nullptr && disconnect != nullptr) {
        // xcb_connect never returns null: a failed connection is an error object to free too.
        void* connection = connect(display.c_str(), nullptr);
        answers = hasError(connection) == 0;
        disconnect(connection);
    }
    ::dlclose(library);
    return answers;
}

std::string missingDisplayMessage(const EnvironmentReader& getenv, const std::string& platformArgument) {
    const bool x11 = isSet(getenv("DISPLAY"));
    const bool wayland = isSet(getenv("WAYLAND_DISPLAY"));
    const std::string first = firstPlatform(getenv, platformArgument);
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
