#include "v4l2_devices.hpp"

#include "quoted.hpp"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

namespace blurcam::app {
namespace {

int ioctlRetry(int fd, unsigned long request, void* argument) {
    int result = 0;
    do {
        result = ::ioctl(fd, request, argument);
    } while (result < 0 && errno == EINTR);
    return result;
}

std::string fourccText(std::uint32_t code) {
    std::string text;
    for (int shift = 0; shift < 32; shift += 8) {
        const auto c = static_cast<char>((code >> shift) & 0xFF);
        if (c != ' ' && c != '\0') {
            text += c;
        }
    }
    return text;
}

std::string fixedText(const std::uint8_t* bytes, std::size_t size) {
    const auto* chars = reinterpret_cast<const char*>(bytes);
    return {chars, strnlen(chars, size)};
}

/// The best rate the driver offers for one format and size.
double bestRate(int fd, std::uint32_t format, std::uint32_t width, std::uint32_t height) {
    double best = 0.0;
    v4l2_frmivalenum interval{};
    interval.pixel_format = format;
    interval.width = width;
    interval.height = height;
    for (interval.index = 0; ioctlRetry(fd, VIDIOC_ENUM_FRAMEINTERVALS, &interval) == 0; ++interval.index) {
        const v4l2_fract fraction =
            interval.type == V4L2_FRMIVAL_TYPE_DISCRETE ? interval.discrete : interval.stepwise.min;
        if (fraction.numerator > 0) {
            best = std::max(best, static_cast<double>(fraction.denominator) / fraction.numerator);
        }
        if (interval.type != V4L2_FRMIVAL_TYPE_DISCRETE) {
            break;
        }
    }
    return best;
}

std::vector<CameraMode> enumerateModes(int fd) {
    std::vector<CameraMode> modes;
    v4l2_fmtdesc format{};
    format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    for (format.index = 0; ioctlRetry(fd, VIDIOC_ENUM_FMT, &format) == 0; ++format.index) {
        v4l2_frmsizeenum size{};
        size.pixel_format = format.pixelformat;
        for (size.index = 0; ioctlRetry(fd, VIDIOC_ENUM_FRAMESIZES, &size) == 0; ++size.index) {
            if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
                modes.push_back({fourccText(format.pixelformat), static_cast<int>(size.discrete.width),
                                 static_cast<int>(size.discrete.height),
                                 bestRate(fd, format.pixelformat, size.discrete.width, size.discrete.height)});
            } else {
                // Stepwise or continuous: the common camera sizes inside the range.
                for (const auto& [w, h] : {std::pair{640U, 480U}, std::pair{1280U, 720U}, std::pair{1920U, 1080U}}) {
                    if (w >= size.stepwise.min_width && w <= size.stepwise.max_width && h >= size.stepwise.min_height &&
                        h <= size.stepwise.max_height) {
                        modes.push_back({fourccText(format.pixelformat), static_cast<int>(w), static_cast<int>(h),
                                         bestRate(fd, format.pixelformat, w, h)});
                    }
                }
                break;
            }
        }
    }
    std::sort(modes.begin(), modes.end(), [](const CameraMode& a, const CameraMode& b) {
        return std::tuple(a.width * a.height, a.fps, a.format) > std::tuple(b.width * b.height, b.fps, b.format);
    });
    return modes;
}

} // namespace

std::string toString(const CameraMode& mode) {
    char text[96];
    std::snprintf(text, sizeof text, "%dx%d %g fps %s", mode.width, mode.height, mode.fps, mode.format.c_str());
    return text;
}

std::vector<VideoDevice> listVideoDevices() {
    std::vector<VideoDevice> devices;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/dev", error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("video", 0) != 0 || name.size() == 5 ||
            !std::all_of(name.begin() + 5, name.end(), [](unsigned char c) { return std::isdigit(c); })) {
            continue;
        }
        const int fd = ::open(entry.path().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        v4l2_capability caps{};
        if (ioctlRetry(fd, VIDIOC_QUERYCAP, &caps) == 0) {
            VideoDevice device;
            device.path = entry.path().string();
            device.index = std::stoi(name.substr(5));
            device.card = fixedText(caps.card, sizeof caps.card);
            device.driver = fixedText(caps.driver, sizeof caps.driver);
            const std::uint32_t capabilities =
                (caps.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities;
            device.capture = (capabilities & V4L2_CAP_VIDEO_CAPTURE) != 0;
            device.loopbackOutput = device.driver == "v4l2 loopback" && (capabilities & V4L2_CAP_VIDEO_OUTPUT) != 0;
            if (device.capture) {
                device.modes = enumerateModes(fd);
            }
            devices.push_back(std::move(device));
        }
        ::close(fd);
    }
    std::sort(devices.begin(), devices.end(),
              [](const VideoDevice& a, const VideoDevice& b) { return a.index < b.index; });
    return devices;
}

std::optional<CameraMode> defaultCameraMode(const std::vector<CameraMode>& modes) {
    constexpr double kTarget = 29.5; // 30 fps, allowing the 29.97 some drivers report
    const auto fits = [](const CameraMode& mode) { return mode.width <= 1280 && mode.height <= 720; };
    const CameraMode* bestSize = nullptr;
    for (const CameraMode& mode : modes) {
        if (fits(mode) && mode.fps >= kTarget &&
            (bestSize == nullptr || mode.width * mode.height > bestSize->width * bestSize->height)) {
            bestSize = &mode;
        }
    }
    if (bestSize == nullptr) {
        for (const CameraMode& mode : modes) {
            if (fits(mode) &&
                (bestSize == nullptr || std::tuple(mode.width * mode.height, mode.fps) >
                                            std::tuple(bestSize->width * bestSize->height, bestSize->fps))) {
                bestSize = &mode;
            }
        }
        return bestSize != nullptr ? std::optional(*bestSize) : std::nullopt;
    }
    // At that size: YUYV if it keeps up (no decoding), else MJPEG, else whatever reaches 30 fps.
    std::optional<CameraMode> chosen;
    for (const char* format : {"YUYV", "MJPG"}) {
        for (const CameraMode& mode : modes) {
            if (!chosen && mode.format == format && mode.width == bestSize->width && mode.height == bestSize->height &&
                mode.fps >= kTarget) {
                chosen = mode;
            }
        }
    }
    return chosen ? chosen : std::optional(*bestSize);
}

std::optional<CameraMode> parseCameraMode(const std::string& text) {
    CameraMode mode;
    const char* end = text.data() + text.size();
    std::from_chars_result read = std::from_chars(text.data(), end, mode.width);
    if (read.ec != std::errc() || read.ptr == end || *read.ptr != 'x') {
        return std::nullopt;
    }
    read = std::from_chars(read.ptr + 1, end, mode.height);
    if (read.ec != std::errc() || mode.width < 1 || mode.height < 1) {
        return std::nullopt;
    }
    if (read.ptr != end && *read.ptr == '@') {
        read = std::from_chars(read.ptr + 1, end, mode.fps);
        if (read.ec != std::errc() || mode.fps <= 0.0) {
            return std::nullopt;
        }
    }
    if (read.ptr != end && *read.ptr == ':') {
        mode.format.assign(read.ptr + 1, end);
        std::transform(mode.format.begin(), mode.format.end(), mode.format.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (mode.format != "YUYV" && mode.format != "MJPG") {
            return std::nullopt;
        }
        return mode;
    }
    return read.ptr == end ? std::optional(mode) : std::nullopt;
}

CameraModeChoice chooseCameraMode(int index, const std::string& requested) {
    std::vector<CameraMode> modes;
    for (const VideoDevice& device : listVideoDevices()) {
        if (device.index == index) {
            modes = device.modes;
        }
    }
    std::optional<CameraMode> chosen;
    if (requested.empty()) {
        chosen = defaultCameraMode(modes);
        if (!chosen) {
            return {}; // the driver lists nothing: leave the camera as it opened
        }
    } else {
        const std::optional<CameraMode> wanted = parseCameraMode(requested);
        if (!wanted) {
            return {std::nullopt,
                    "invalid camera mode " + app::quoted(requested) + ": expected WxH, WxH@FPS or WxH@FPS:YUYV|MJPG"};
        }
        std::vector<CameraMode> matching;
        for (const CameraMode& mode : modes) {
            if (mode.width == wanted->width && mode.height == wanted->height &&
                (wanted->format.empty() || mode.format == wanted->format) &&
                (wanted->fps <= 0.0 || mode.fps + 0.5 >= wanted->fps)) {
                matching.push_back(mode);
            }
        }
        chosen = defaultCameraMode(matching);
        if (!chosen) {
            std::string known;
            for (const CameraMode& mode : modes) {
                known += (known.empty() ? "" : ", ") + toString(mode);
            }
            return {std::nullopt, "camera " + std::to_string(index) + " has no mode " + requested + " (it offers: " +
                                      (known.empty() ? std::string("nothing it will list") : known) + ")"};
        }
        if (wanted->fps > 0.0) {
            chosen->fps = wanted->fps;
        }
    }
    return {chosen, {}};
}

} // namespace blurcam::app
