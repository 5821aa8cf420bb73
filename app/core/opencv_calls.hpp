#pragma once
// The one door from app/ into OpenCV and the libraries behind it (FFmpeg, libjpeg, libpng).
//
// Every call app/ makes into OpenCV goes through here: opening and reading captures, decoding and
// encoding images, writing videos, colour conversion and resizing. Each function catches
// cv::Exception (OpenCV's asserts fire on hostile files: a decoder whose frame size changes
// mid-stream makes cv::VideoCapture::read throw "_step >= minstep") and any std::exception, and
// answers with one sentence in blurcam's words that names the file and, for video, the frame.
// No library text ever reaches the user: what the libraries print on their own is captured here
// and summarised as a warning sentence instead.

#include <opencv2/core.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cv {
class VideoCapture;
class VideoWriter;
} // namespace cv

namespace blurcam::app {

/// Stops OpenCV's logger and takes over FFmpeg's log (kept for the summaries below, never
/// printed). Both executables call it first thing; every open below calls it too, so a caller
/// that forgets still gets a silent library. Idempotent and thread-safe. The user can still see
/// the libraries' own logs by setting OPENCV_LOG_LEVEL, OPENCV_FFMPEG_LOGLEVEL or
/// OPENCV_FFMPEG_DEBUG.
void silenceLibraryLogging();

/// The outcome of one call into the libraries.
struct CallResult {
    bool ok = false;
    std::string error;   ///< when !ok: one sentence naming the file (and the frame for video)
    std::string warning; ///< when ok: what the library complained about, in blurcam's words; or ""
};

// ---- Still images -------------------------------------------------------------------------

/// cv::imdecode(IMREAD_UNCHANGED) of a file's bytes. path only names the file in sentences.
/// libjpeg and libpng write their complaints straight to stderr; those are captured, so a JPEG
/// that is damaged but still decodes comes back with a warning, and a failure says what failed.
[[nodiscard]] CallResult decodeImage(const std::vector<std::uint8_t>& bytes, const std::string& path, cv::Mat& decoded);

/// cv::imencode by extension (".png", ".jpg", ".bmp") into bytes. path only names the file.
/// pixels are what the encoder takes: BGR or BGRA, 8 bit.
[[nodiscard]] CallResult encodeImage(const cv::Mat& pixels, const std::string& extension, const std::string& path,
                                     std::vector<std::uint8_t>& bytes);

/// cv::haveImageReader: whether one of OpenCV's image decoders claims the file by its signature.
[[nodiscard]] bool openCvHasImageReaderFor(const std::string& path);

// ---- Video input --------------------------------------------------------------------------

/// What one read of a capture gave.
enum class FrameReadKind {
    Picture, ///< a decoded frame is in the output Mat (BGR, as OpenCV delivers it)
    Nothing, ///< no frame: the end of the stream, or the decoder failed on a packet (see complained)
    Broken,  ///< the library failed while delivering this frame (threw); error says which frame
};

struct FrameRead {
    FrameReadKind kind = FrameReadKind::Nothing;
    std::string error;       ///< Broken: one sentence naming the frame and the file
    bool complained = false; ///< FFmpeg reported an error during this read (a damaged packet)
};

/// A cv::VideoCapture that never throws and never prints.
class VideoInput {
  public:
    VideoInput();
    ~VideoInput();
    VideoInput(const VideoInput&) = delete;
    VideoInput& operator=(const VideoInput&) = delete;

    /// Opens a file with FFmpeg only (CAP_ANY would also try GStreamer and the image-sequence
    /// reader, which accept some garbage and print to stderr). A warning when FFmpeg reported
    /// errors while probing the file (it opened, but has damaged data).
    [[nodiscard]] CallResult openFile(const std::string& path);
    /// Opens /dev/videoN through V4L2. May block for seconds on a wedged driver.
    [[nodiscard]] CallResult openCamera(int index);

    /// grab + retrieve of frame frameNumber (1-based, only for the sentences).
    [[nodiscard]] FrameRead read(cv::Mat& bgr, long long frameNumber);

    /// cv::VideoCapture::get; 0 when the property is unknown or the call failed.
    [[nodiscard]] double property(int propertyId) const;
    /// Seeks to the first frame (a looping file source starts again). False when it cannot.
    [[nodiscard]] bool rewind();

  private:
    std::unique_ptr<cv::VideoCapture> m_capture;
    std::string m_name; ///< "'clip.mp4'" or "camera 0", for sentences
};

// ---- Video output (for the video writer) ----------------------------------------------------

/// A cv::VideoWriter that never throws and never prints; every failure is one sentence naming
/// the file.
class VideoOutput {
  public:
    VideoOutput();
    ~VideoOutput();
    VideoOutput(const VideoOutput&) = delete;
    VideoOutput& operator=(const VideoOutput&) = delete;

    /// Opens file (written as is) with FFmpeg; name is what sentences call it (the final name,
    /// when file is a temporary one).
    [[nodiscard]] CallResult open(const std::string& file, const std::string& name, int fourcc, double fps,
                                  cv::Size size);
    /// Encodes one BGR frame of the size given to open.
    [[nodiscard]] CallResult write(const cv::Mat& bgr);
    /// Finishes the file (trailer, index). Safe to call when not open.
    [[nodiscard]] CallResult release();
    [[nodiscard]] bool isOpened() const;

  private:
    std::unique_ptr<cv::VideoWriter> m_writer;
    std::string m_name;
    long long m_framesWritten = 0;
};

// ---- Pixels ----------------------------------------------------------------------------------

/// cv::cvtColor. what names the frame in the sentence ("frame 12 of 'clip.mp4'", "the frame").
[[nodiscard]] CallResult convertColour(const cv::Mat& source, cv::Mat& destination, int code,
                                       const std::string& what = "the frame");
/// cv::Mat::convertTo.
[[nodiscard]] CallResult convertDepth(const cv::Mat& source, cv::Mat& destination, int depth, double scale,
                                      const std::string& what = "the frame");
/// cv::resize.
[[nodiscard]] CallResult resizeFrame(const cv::Mat& source, cv::Mat& destination, cv::Size size, int interpolation,
                                     const std::string& what = "the frame");

} // namespace blurcam::app
