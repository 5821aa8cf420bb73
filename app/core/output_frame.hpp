#pragma once
// What a live output (a virtual camera, a recording) sends: the engine's small blurred frame
// scaled up to a normal camera size, mirrored if asked, in the pixel format the consumer took.
// Done once per processed frame; repeats between processed frames reuse the result.

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace blurcam::app {

enum class OutputPixelFormat {
    Yuy2, ///< packed 4:2:2, Y0 U Y1 V; BT.601 limited range (what V4L2 and most callers assume)
    Rgbx, ///< bytes R G B x
    Bgrx, ///< bytes B G R x
    Rgba, ///< bytes R G B A
    Bgra, ///< bytes B G R A
};

[[nodiscard]] std::string_view toString(OutputPixelFormat format);

/// Bytes per row without padding: 2*width for YUY2, 4*width otherwise.
[[nodiscard]] std::size_t packedRowBytes(OutputPixelFormat format, int width);

/// rgba (CV_8UC4) resized to size (bilinear; INTER_AREA when shrinking) and flipped left-right
/// when mirror is set. Always a new continuous Mat.
[[nodiscard]] cv::Mat scaleForOutput(const cv::Mat& rgba, cv::Size size, bool mirror);

/// Writes a CV_8UC4 RGBA frame into dst, rows stride bytes apart, in format. YUY2 needs an even
/// width (the last column is repeated when it is odd).
void convertRgba(const cv::Mat& rgba, OutputPixelFormat format, std::uint8_t* dst, std::size_t stride);

/// The whole step, once per processed frame: the engine's frame (CV_8UC4 RGBA, any size) at
/// size, mirrored if asked, written into dst in format. RGB formats are scaleForOutput() then
/// convertRgba(), byte for byte. YUY2 converts at the small size first and scales the Y, U and
/// V planes (bilinear interpolation commutes with the linear colour matrix, up to rounding):
/// about three times less work than converting the full-size frame at 1280x720.
void renderOutput(const cv::Mat& rgba, cv::Size size, bool mirror, OutputPixelFormat format, std::uint8_t* dst,
                  std::size_t stride);

} // namespace blurcam::app
