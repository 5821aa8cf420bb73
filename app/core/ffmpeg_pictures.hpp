#pragma once
// Every picture buffer blurcam hands to FFmpeg, allocated in one place that follows FFmpeg's own
// rules. swscale and the codecs read and write whole SIMD vectors: a row is processed in blocks of
// 8, 16 or 32 pixels, so the last block of a row and of the last row runs past the last pixel. A
// tightly packed cv::Mat (stride = width * bytes per pixel) gives no room for that: converting a
// 360-pixel-wide 4:2:0 picture to BGR wrote past the end of the Mat ("malloc(): corrupted top
// size"), for every width that is 8, 10 or 12 modulo 16. av_frame_get_buffer() knows the
// alignment every FFmpeg routine may assume (line sizes rounded up, chroma planes of odd sizes,
// padding after the last plane), so buffers come from it and nowhere else; cv::Mat only ever
// views them.

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include <opencv2/core.hpp>

#include <memory>

namespace blurcam::app {

struct AvFrameFreer {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using AvFramePtr = std::unique_ptr<AVFrame, AvFrameFreer>;

/// A picture of width x height in format with every plane allocated by av_frame_get_buffer
/// (FFmpeg's alignment and padding). Null when the size or format is invalid or memory ran out.
[[nodiscard]] AvFramePtr allocatePicture(int width, int height, AVPixelFormat format);

/// A cv::Mat header over plane 0 of a packed picture (no copy; valid while the picture lives).
/// type is the matching OpenCV type, e.g. CV_8UC4 for AV_PIX_FMT_RGBA.
[[nodiscard]] cv::Mat viewOfPackedPicture(const AVFrame& picture, int type);

} // namespace blurcam::app
