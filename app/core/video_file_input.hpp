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

#include "opencv_calls.hpp"

#include <opencv2/core.hpp>

#include <memory>
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
    /// The next frame as BGR, rotated upright when the file says so. frameNumber (1-based) only
    /// names the frame in sentences. Nothing at the end of the file.
    [[nodiscard]] FrameRead read(cv::Mat& bgr, long long frameNumber);
    /// Starts again at the first frame (a looping source); the file is opened anew, which works
    /// for streams that cannot seek too.
    [[nodiscard]] CallResult rewind();

    [[nodiscard]] cv::Size declaredFrameSize() const; ///< as the stream declares it, before rotation
    [[nodiscard]] double framesPerSecond() const;     ///< the stream's average rate; 0 if unknown

  private:
    struct Decoder;
    std::unique_ptr<Decoder> m_decoder; ///< null until open succeeds
    std::string m_path;
};

} // namespace blurcam::app
