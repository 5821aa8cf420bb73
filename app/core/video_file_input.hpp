#pragma once
// Video files, decoded by FFmpeg directly: the half of the library boundary that is not OpenCV.
//
// OpenCV 4.6's FFmpeg capture sizes each output Mat by the frame size the stream declared when it
// was probed, but converts into a buffer the size of the decoder's current picture. A stream whose
// frame size changes (the reader fuzzer's H.264 that grows from 16x16 to 48x32) then makes
// cv::VideoCapture::read assert ("_step >= minstep") or, when only the height differs, read past
// the end of its buffer; no call of OpenCV's can check for that first. Here every picture is
// converted at its own size, a frame counts as failed exactly when the decoder rejects it, and the
// end of the file is the demuxer's end, not a frame count (which for a variable-frame-rate file is
// the duration times a nominal rate, far more frames than there are).
//
// Pictures come out as RGBA with the file's own alpha (PNG in MOV, QuickTime Animation, VP8/VP9
// with alpha, GIF transparency), 255 where it has none. A file whose frame size changes part way
// (concatenated segments) is scaled to its first size, and warning() says so once.

#include "input_stream.hpp"
#include "opencv_calls.hpp"

#include <opencv2/core.hpp>

#include <memory>

struct AVFrame;
#include <string>

namespace blurcam::app {

class VideoFileInput {
  public:
    VideoFileInput();
    ~VideoFileInput();
    VideoFileInput(const VideoFileInput&) = delete;
    VideoFileInput& operator=(const VideoFileInput&) = delete;

    /// Opens a file (only as a file: names like "concat:..." or "http://..." mean nothing else)
    /// and its best video stream. Errors name the file.
    [[nodiscard]] CallResult open(const std::string& path);
    /// Reads a video from a pipe (see input_stream.hpp), from its first byte; it cannot rewind.
    [[nodiscard]] CallResult open(std::unique_ptr<InputStream> stream);
    /// The next frame as RGBA (CV_8UC4), rotated upright when the file says so. frameNumber
    /// (1-based) only names the frame in sentences. Nothing at the end of the file.
    [[nodiscard]] FrameRead read(cv::Mat& rgba, long long frameNumber);
    /// Starts again at the first frame (a looping source); the file is opened anew, which works
    /// for files that cannot seek too. A pipe cannot start again: that is an error.
    [[nodiscard]] CallResult rewind();
    /// One sentence about what was changed to keep every frame usable (a frame size that changed
    /// part way through); "" when nothing was.
    [[nodiscard]] std::string warning() const;

    [[nodiscard]] cv::Size declaredFrameSize() const; ///< as the stream declares it, before rotation
    [[nodiscard]] double framesPerSecond() const;     ///< the stream's average rate; 0 if unknown
    [[nodiscard]] bool isPipe() const { return m_path.empty(); }

  private:
    struct Decoder;
    [[nodiscard]] CallResult openDecoder(std::unique_ptr<Decoder> decoder, const std::string& name,
                                         long long errorsBefore);
    static void setColourMatrix(Decoder& decoder, const AVFrame& picture, bool newScaler);

    std::unique_ptr<Decoder> m_decoder; ///< null until open succeeds
    std::string m_path;                 ///< "" for a pipe
    std::string m_name;                 ///< for sentences: the quoted path, or the pipe's name
    cv::Size m_firstSize;               ///< of the first picture; later pictures are scaled to it
    long long m_resizedFrames = 0;
    long long m_firstResizedFrame = 0;
    cv::Size m_firstOtherSize;
};

} // namespace blurcam::app
