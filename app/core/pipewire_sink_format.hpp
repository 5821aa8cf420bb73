#pragma once
// The PipeWire output's video format: what it offers consumers (one size and rate, a choice of
// pixel formats), what it accepts of their answer, the buffers it asks for, and the frame
// written in the format agreed. Private to app/core; the stream itself is pipewire_sink.cpp.

#include "output_frame.hpp"

#include "pipewire_headers.hpp"

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blurcam::app::detail {

/// fps (clamped to 1..240) as the reduced fraction PipeWire wants: 30 -> 30/1, 29.97 -> 2997/100.
[[nodiscard]] spa_fraction pipeWireFrameRate(double fps);

/// The one EnumFormat the output offers: raw video at size and rate in any of the pixel formats
/// it writes, YUY2 first. Built in builder's buffer, which must outlive the result.
[[nodiscard]] const spa_pod* buildEnumFormat(spa_pod_builder& builder, cv::Size size, spa_fraction rate);

/// The pixel format a consumer settled on (a SPA_PARAM_Format), or nullopt when it is not one
/// the output writes.
[[nodiscard]] std::optional<OutputPixelFormat> parseAgreedFormat(const spa_pod* format);

/// The Buffers and Meta params for frames of `bytes`, rows `stride` apart, built in builder's
/// buffer; params receives both.
void buildBufferParams(spa_pod_builder& builder, std::size_t bytes, std::size_t stride, const spa_pod* (&params)[2]);

/// "YUY2 1280x720 @ 30 fps": what the output's status reports once a format is agreed.
[[nodiscard]] std::string describeFormat(OutputPixelFormat format, cv::Size size, spa_fraction rate);

/// rgba (the engine's RGBA frame, any size) written into out at size, in format, mirrored if
/// asked, rows padded to 4 bytes; black before the first frame (rgba empty). Returns the row
/// stride. Done once per new frame; the stream copies the result into every buffer it sends.
std::size_t renderForStream(const cv::Mat& rgba, cv::Size size, bool mirror, OutputPixelFormat format,
                            std::vector<std::uint8_t>& out);

} // namespace blurcam::app::detail
