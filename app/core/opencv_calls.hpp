#pragma once
// The one door from app/ into OpenCV and the libraries behind it (FFmpeg, libjpeg, libpng).
//
// Every call app/ makes into OpenCV goes through here: opening and reading cameras, decoding and
// encoding images, writing videos, colour conversion, resizing and rotation. Each function catches
// cv::Exception (OpenCV asserts on hostile input) and any other exception, and answers with one
// sentence in blurcam's words that names the file and, for video, the frame. No library text ever
// reaches the user: what the libraries print on their own is captured here and summarised as a
// warning sentence instead. Video files are decoded by FFmpeg directly (video_file_input.hpp),
// which is the other half of this boundary.

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

// ---- Video input ----------------------------------------------------------------------------

/// What one read of a video gave.
enum class FrameReadKind {
    Picture, ///< a decoded frame is in the output Mat (BGR from a camera, RGBA from a video file)
    Nothing, ///< no frame: the end of a file, or a camera that stopped
    Broken,  ///< the decoder (or the library around it) failed on this frame; error says which
};

struct FrameRead {
    FrameReadKind kind = FrameReadKind::Nothing;
    std::string error;       ///< Broken: one sentence naming the frame and the file or camera
    bool complained = false; ///< Picture: FFmpeg reported errors while decoding it (it concealed them)
};

/// How many errors FFmpeg has logged in this process so far (their text is never shown). A reader
/// compares two readings to learn that the decoder struggled with what it just decoded.
[[nodiscard]] long long ffmpegErrorsSoFar();

/// A camera through OpenCV's V4L2 capture, which never throws and never prints. (Video files do
/// not go through OpenCV: see video_file_input.hpp.)
class CameraInput {
  public:
    CameraInput();
    ~CameraInput();
    CameraInput(const CameraInput&) = delete;
    CameraInput& operator=(const CameraInput&) = delete;

    /// Opens /dev/videoN. May block for seconds on a wedged driver.
    [[nodiscard]] CallResult open(int index);
    /// grab + retrieve; frameNumber (1-based) only names the frame in sentences.
    [[nodiscard]] FrameRead read(cv::Mat& bgr, long long frameNumber);
    /// cv::VideoCapture::get; 0 when the property is unknown or the call failed.
    [[nodiscard]] double property(int propertyId) const;
    /// Asks the driver for a mode: pixel format (a V4L2 fourcc such as "YUYV", or "" to keep it),
    /// size and rate. The driver may settle on something close; read the properties to see what.
    void requestMode(const std::string& fourcc, int width, int height, double fps);

  private:
    std::unique_ptr<cv::VideoCapture> m_capture;
    std::string m_name; ///< "camera 0", for sentences
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

    /// Opens file (a path, written as is: FFmpeg gets it as a "file:" URL, so a name with a colon
    /// such as "12:30.avi" is never taken for a protocol) with FFmpeg; name is what sentences call
    /// it (the final name, when file is a temporary one).
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
/// cv::rotate by a multiple of 90 degrees clockwise (0 copies nothing: destination = source).
[[nodiscard]] CallResult rotateFrame(const cv::Mat& source, cv::Mat& destination, int clockwiseDegrees,
                                     const std::string& what = "the frame");

/// Turns and flips a still image upright by its EXIF Orientation tag (1..8; 1 copies nothing:
/// destination = source), the way cv::imread does for images it reads without alpha.
[[nodiscard]] CallResult orientUpright(const cv::Mat& source, cv::Mat& destination, int exifOrientation,
                                       const std::string& what = "the image");

} // namespace blurcam::app
