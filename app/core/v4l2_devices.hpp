#pragma once
// What the kernel says about /dev/video*: capture cameras with every mode the driver offers
// (VIDIOC_ENUM_FMT, VIDIOC_ENUM_FRAMESIZES, VIDIOC_ENUM_FRAMEINTERVALS), and v4l2loopback
// outputs. The list the CLI's `devices` prints and the mode a camera opens in.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blurcam::app {

struct CameraMode {
    std::string format; ///< fourcc as text: "YUYV", "MJPG"
    int width = 0;
    int height = 0;
    double fps = 0.0; ///< the highest rate the driver offers at this size and format
};

/// "1280x720 30 fps MJPG".
[[nodiscard]] std::string toString(const CameraMode& mode);

struct VideoDevice {
    std::string path;   ///< /dev/videoN
    int index = -1;     ///< N
    std::string card;   ///< the driver's name for the device
    std::string driver; ///< "uvcvideo", "v4l2 loopback"
    bool capture = false;
    bool loopbackOutput = false;
    std::vector<CameraMode> modes; ///< capture devices only, largest first
};

/// Every /dev/videoN that answers VIDIOC_QUERYCAP, by N.
[[nodiscard]] std::vector<VideoDevice> listVideoDevices();

/// The mode a camera opens in unless the user picks one: the largest size up to 1280x720 that
/// reaches 30 fps, in YUYV when YUYV reaches 30 fps there, else MJPEG (or whatever reaches it).
/// When nothing reaches 30 fps: the largest size up to 1280x720 at its best rate.
[[nodiscard]] std::optional<CameraMode> defaultCameraMode(const std::vector<CameraMode>& modes);

/// "WxH", "WxH@FPS", "WxH@FPS:FOURCC" (FOURCC "YUYV" or "MJPG"); nullopt when malformed.
[[nodiscard]] std::optional<CameraMode> parseCameraMode(const std::string& text);

struct CameraModeChoice {
    std::optional<CameraMode> mode; ///< none: leave the camera as it opened (the driver lists nothing)
    std::string error;              ///< one sentence naming the camera and the modes it has
};

/// The mode /dev/video<index> should be put in: requested ("WxH[@FPS][:FORMAT]"), or
/// defaultCameraMode() when requested is "".
[[nodiscard]] CameraModeChoice chooseCameraMode(int index, const std::string& requested);

} // namespace blurcam::app
