#pragma once
// Live outputs: a camera that other programs open. Beside the frame writers (files), a sink
// takes frames as they are processed and hands them to consumers at a steady rate of its own:
// between processed frames it repeats the last one, and it never blocks the caller.
//
//   pipewire[:NAME]   a PipeWire Video/Source node (media.role Camera), NAME default "blurcam"
//   v4l2:/dev/videoN  a v4l2loopback device, written as YUYV
//
// The CLI's --output and the GUI both open sinks through openFrameSink().

#include "constants.hpp"

#include <opencv2/core.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace blurcam::app {

enum class SinkKind {
    PipeWire, ///< a PipeWire video source node, published with pw_stream
    V4l2,     ///< a v4l2loopback output device
};

struct SinkSpec {
    SinkKind kind = SinkKind::PipeWire;
    std::string target; ///< node name (PipeWire) or device path (V4L2)
};

/// "pipewire", "pipewire:NAME" or "v4l2:/dev/videoN"; nullopt for anything else (a file name).
[[nodiscard]] std::optional<SinkSpec> parseSinkSpec(const std::string& spec);

/// "" when spec can be opened as far as its text goes, else one sentence naming it: "v4l2:" names
/// no device, and a PipeWire node name is letters, digits and "._-:" (see isPlainNodeName).
[[nodiscard]] std::string sinkSpecProblem(const SinkSpec& spec);

/// "pipewire:blurcam", "v4l2:/dev/video10".
[[nodiscard]] std::string toString(const SinkSpec& spec);

/// What the sink is doing, in the words the CLI prints and the GUI shows.
struct SinkStatus {
    bool connected = false;      ///< the daemon or device is there and the stream is published
    int consumers = 0;           ///< programs reading the stream now (PipeWire: links to the node)
    std::string error;           ///< "" or one sentence: why the output cannot work right now
    long long framesSent = 0;    ///< buffers handed to consumers, repeats included
    long long framesDropped = 0; ///< ticks at which no consumer buffer was free (slow consumer)
    /// A consumer has held every buffer since it connected or last changed: frames are being
    /// dropped. onStatus hears it once per set of consumers, so a person learns why.
    bool stalled = false;
    long long framesSubmitted = 0;
    double latencyMedianMs = 0.0; ///< submit time of a frame's capture to its first send
    double latencyP99Ms = 0.0;
    long long latencySamples = 0;
    std::string format; ///< negotiated pixel format and size, "YUY2 640x480 @ 30 fps"
};

/// "2 programs watching", "no one watching", or the error.
[[nodiscard]] std::string describeWatchers(const SinkStatus& status);

struct SinkOptions {
    cv::Size size{0, 0};                  ///< output size; 0x0: the size of the first source frame
    double fps = kDefaultFramesPerSecond; ///< output rate: the source's rate
    bool mirror = false;                  ///< flip left-right (the stream only; the preview has its own setting)
    /// Called from the sink's own thread whenever connected, consumers or error change. Must be
    /// quick and thread-safe.
    std::function<void(const SinkStatus&)> onStatus;
};

class FrameSink {
  public:
    virtual ~FrameSink() = default;
    /// Takes a processed CV_8UC4 RGBA frame (any size: it is scaled to the output size) and returns
    /// at once; only the newest frame is kept. sourceSize is the camera frame's size, which is the
    /// default output size; captured is when the source frame was read (for the latency figure).
    virtual void submit(const cv::Mat& rgba, cv::Size sourceSize, std::chrono::steady_clock::time_point captured) = 0;
    [[nodiscard]] virtual SinkStatus status() const = 0;
    [[nodiscard]] virtual std::string description() const = 0; ///< "pipewire:blurcam"
};

struct OpenedSink {
    std::unique_ptr<FrameSink> sink; ///< null when the output cannot work at all
    std::string error;               ///< one sentence naming the node or device
    /// The failure is a conflict in what was asked (a recording would replace the input or a file
    /// without --overwrite), not a failure of the device or the disk.
    bool conflict = false;
};

/// Opens the sink. A PipeWire sink opens even without a daemon: it reports the problem in its
/// status and connects when the daemon appears. A V4L2 sink fails here when the device is
/// missing or is not a v4l2loopback output, with the command that creates one.
[[nodiscard]] OpenedSink openFrameSink(const SinkSpec& spec, const SinkOptions& options);

} // namespace blurcam::app
