#pragma once
// Where frames come from: a camera, a video or image file, or the built-in test pattern. Shared
// by blurcam-cli and the GUI; everything here is OpenCV, nothing is Qt.

#include "constants.hpp"
#include "source_spec.hpp"
#include "test_pattern.hpp"

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace blurcam::app {

enum class ReadStatus {
    Frame,       ///< a new frame is in the output Mat (CV_8UC4, RGBA)
    EndOfStream, ///< a file ran out (a looping source never says this)
    Error,       ///< the source failed; error() says why in one sentence
    BadFrame,    ///< one frame of a file could not be decoded (error() says which); read on
};

class FrameSource {
  public:
    virtual ~FrameSource() = default;
    /// Blocks until the next frame. Output is CV_8UC4 in RGBA order (alpha 255 when the
    /// source has none). The pattern is not paced: it returns at once, pace it with
    /// framesPerSecond() where real time matters.
    virtual ReadStatus read(cv::Mat& rgba) = 0;
    [[nodiscard]] virtual std::string description() const = 0; ///< "camera 0", "pattern", a file name
    [[nodiscard]] virtual std::string error() const = 0;
    /// One sentence about damage the decoders reported but got past (a JPEG with corrupt data
    /// that still decodes; video frames the decoder concealed errors in); "" when there is none.
    /// The libraries' own text is never shown: this is blurcam's summary of it.
    [[nodiscard]] virtual std::string warning() const { return {}; }
    [[nodiscard]] virtual double framesPerSecond() const = 0; ///< nominal rate, 0 if unknown
};

struct OpenedSource {
    std::unique_ptr<FrameSource> source; ///< null on failure
    std::string error;                   ///< one sentence naming the file or device
};

struct SourceOptions {
    bool loopFiles = false; ///< the GUI loops videos; the CLI reads them once
    int cameraOpenTimeoutMs = 5000;
    int pipeWaitMs = kPipeFirstByteWaitMs; ///< for a pipe's or FIFO's first byte
    cv::Size patternSize{640, 480};
    std::string cameraMode; ///< "WxH[@FPS][:YUYV|MJPG]"; "" = largest up to 1280x720 at 30 fps
};

/// Opens the pattern, a camera of either kind, or an image (PNG, JPEG, BMP) or video file; a file
/// may also be a pipe ("-" for standard input, or a FIFO). Never hangs: a camera that does not
/// answer within cameraOpenTimeoutMs, or a pipe silent for pipeWaitMs, is an error.
[[nodiscard]] OpenedSource openFrameSource(const SourceSpec& spec, const SourceOptions& options = {});
/// The same for a name still to be parsed (see parseSourceSpec); a bad name is the error.
[[nodiscard]] OpenedSource openFrameSource(std::string_view spec, const SourceOptions& options = {});

} // namespace blurcam::app
