#include "pipewire_sink_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace blurcam::app::detail {
namespace {

std::optional<OutputPixelFormat> fromSpa(std::uint32_t format) {
    switch (format) {
    case SPA_VIDEO_FORMAT_YUY2: return OutputPixelFormat::Yuy2;
    case SPA_VIDEO_FORMAT_RGBx: return OutputPixelFormat::Rgbx;
    case SPA_VIDEO_FORMAT_BGRx: return OutputPixelFormat::Bgrx;
    case SPA_VIDEO_FORMAT_RGBA: return OutputPixelFormat::Rgba;
    case SPA_VIDEO_FORMAT_BGRA: return OutputPixelFormat::Bgra;
    default: return std::nullopt;
    }
}

} // namespace

spa_fraction pipeWireFrameRate(double fps) {
    const auto hundredths = static_cast<std::uint32_t>(std::lround(std::clamp(fps, 1.0, 240.0) * 100.0));
    const std::uint32_t divisor = std::gcd(hundredths, 100U);
    return spa_fraction{hundredths / divisor, 100U / divisor};
}

const spa_pod* buildEnumFormat(spa_pod_builder& builder, cv::Size size, spa_fraction rate) {
    // YUY2 first: it is what browsers and conferencing programs take; RGB for OBS and anything else.
    const spa_rectangle rectangle =
        SPA_RECTANGLE(static_cast<std::uint32_t>(size.width), static_cast<std::uint32_t>(size.height));
    return static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &builder, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video),
        SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), SPA_FORMAT_VIDEO_format,
        SPA_POD_CHOICE_ENUM_Id(6, SPA_VIDEO_FORMAT_YUY2, SPA_VIDEO_FORMAT_YUY2, SPA_VIDEO_FORMAT_RGBx,
                               SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_RGBA, SPA_VIDEO_FORMAT_BGRA),
        SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle(&rectangle), SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction(&rate)));
}

std::optional<OutputPixelFormat> parseAgreedFormat(const spa_pod* format) {
    spa_video_info_raw info{};
    if (spa_format_video_raw_parse(format, &info) < 0) {
        return std::nullopt;
    }
    return fromSpa(info.format);
}

void buildBufferParams(spa_pod_builder& builder, std::size_t bytes, std::size_t stride, const spa_pod* (&params)[2]) {
    // A few buffers: enough that a consumer holding one for a frame does not starve us, few
    // enough that a stalled one is noticed (and counted) at once.
    params[0] = static_cast<const spa_pod*>(
        spa_pod_builder_add_object(&builder, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers, SPA_PARAM_BUFFERS_buffers,
                                   SPA_POD_CHOICE_RANGE_Int(4, 2, 8), SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(1),
                                   SPA_PARAM_BUFFERS_size, SPA_POD_Int(static_cast<std::int32_t>(bytes)),
                                   SPA_PARAM_BUFFERS_stride, SPA_POD_Int(static_cast<std::int32_t>(stride))));
    params[1] = static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &builder, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
        SPA_PARAM_META_size, SPA_POD_Int(static_cast<std::int32_t>(sizeof(spa_meta_header)))));
}

std::string describeFormat(OutputPixelFormat format, cv::Size size, spa_fraction rate) {
    char fps[32];
    std::snprintf(fps, sizeof fps, "%g", static_cast<double>(rate.num) / rate.denom);
    return std::string(toString(format)) + " " + std::to_string(size.width) + "x" + std::to_string(size.height) +
           " @ " + fps + " fps";
}

std::size_t renderForStream(const cv::Mat& rgba, cv::Size size, bool mirror, OutputPixelFormat format,
                            std::vector<std::uint8_t>& out) {
    const std::size_t stride = (packedRowBytes(format, size.width) + 3) & ~std::size_t{3};
    out.assign(stride * static_cast<std::size_t>(size.height), 0);
    if (rgba.empty()) {
        // Nothing processed yet: black, in the format's own terms.
        if (format == OutputPixelFormat::Yuy2) {
            for (std::size_t i = 0; i < out.size(); i += 2) {
                out[i] = 16;
                out[i + 1] = 128;
            }
        }
        return stride;
    }
    renderOutput(rgba, size, mirror, format, out.data(), stride);
    return stride;
}

} // namespace blurcam::app::detail
