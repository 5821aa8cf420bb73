#include "frame_convert.hpp"

#include "area_resize.hpp"
#include "opencv_calls.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace blurcam::app {
namespace {

void requireRgba(const cv::Mat& mat) {
    if (mat.type() != CV_8UC4 || mat.empty()) {
        throw std::invalid_argument("frame must be a non-empty CV_8UC4 (RGBA) Mat, got type " +
                                    std::to_string(mat.type()) + " of " + std::to_string(mat.cols) + "x" +
                                    std::to_string(mat.rows));
    }
}

/// Throws the boundary's sentence: a conversion of a valid RGBA frame fails only when memory runs
/// out, and callers report exceptions as one line.
void require(const CallResult& result) {
    if (!result.ok) {
        throw std::runtime_error(result.error);
    }
}

} // namespace

ImageView toImageView(const cv::Mat& rgba) {
    requireRgba(rgba);
    return {rgba.ptr<std::uint8_t>(), rgba.cols, rgba.rows, rgba.step[0]};
}

MutableImageView toMutableImageView(cv::Mat& rgba) {
    requireRgba(rgba);
    return {rgba.ptr<std::uint8_t>(), rgba.cols, rgba.rows, rgba.step[0]};
}

cv::Mat toMat(const ImageView& view) {
    // cv::Mat takes a non-const pointer but the wrapper lives only for the copy.
    const cv::Mat wrapped(view.height, view.width, CV_8UC4, const_cast<std::uint8_t*>(view.data), view.strideBytes);
    return wrapped.clone();
}

cv::Mat decodedToRgba(const cv::Mat& decoded) {
    if (decoded.empty() || decoded.dims != 2) {
        return {};
    }
    cv::Mat eightBit;
    bool converted = true;
    switch (decoded.depth()) {
    case CV_8U: eightBit = decoded; break;
    // 65535 / 257 = 255 exactly, so white stays white and the mapping rounds.
    case CV_16U: converted = convertDepth(decoded, eightBit, CV_8U, 1.0 / 257.0).ok; break;
    case CV_32F:
    case CV_64F: converted = convertDepth(decoded, eightBit, CV_8U, 255.0).ok; break;
    default: return {};
    }
    if (!converted) {
        return {};
    }
    int code = 0;
    switch (eightBit.channels()) {
    case 1: code = cv::COLOR_GRAY2RGBA; break;
    case 3: code = cv::COLOR_BGR2RGBA; break;
    case 4: code = cv::COLOR_BGRA2RGBA; break;
    default: return {};
    }
    cv::Mat rgba;
    if (!convertColour(eightBit, rgba, code).ok) {
        return {};
    }
    return rgba;
}

cv::Mat rgbaToBgra(const cv::Mat& rgba) {
    requireRgba(rgba);
    cv::Mat bgra;
    require(convertColour(rgba, bgra, cv::COLOR_RGBA2BGRA));
    return bgra;
}

cv::Mat rgbaToBgr(const cv::Mat& rgba) {
    requireRgba(rgba);
    cv::Mat bgr;
    require(convertColour(rgba, bgr, cv::COLOR_RGBA2BGR));
    return bgr;
}

cv::Rect centredCropRect(cv::Size frameSize, cv::Size target) {
    if (frameSize.width <= 0 || frameSize.height <= 0 || target.width <= 0 || target.height <= 0) {
        return {0, 0, std::max(0, frameSize.width), std::max(0, frameSize.height)};
    }
    // Compare frame.w / frame.h with target.w / target.h in integers to avoid rounding surprises.
    const long long frameCross = static_cast<long long>(frameSize.width) * target.height;
    const long long targetCross = static_cast<long long>(target.width) * frameSize.height;
    int width = frameSize.width;
    int height = frameSize.height;
    if (frameCross > targetCross) { // frame is wider: keep the height, trim the sides
        width = static_cast<int>((static_cast<long long>(frameSize.height) * target.width + target.height / 2) /
                                 target.height);
    } else if (frameCross < targetCross) { // frame is taller: keep the width, trim top and bottom
        height = static_cast<int>((static_cast<long long>(frameSize.width) * target.height + target.width / 2) /
                                  target.width);
    }
    width = std::clamp(width, 1, frameSize.width);
    height = std::clamp(height, 1, frameSize.height);
    return {(frameSize.width - width) / 2, (frameSize.height - height) / 2, width, height};
}

cv::Mat prepareFrame(const cv::Mat& rgba, FrameShape shape, cv::Size target) {
    requireRgba(rgba);
    if (shape == FrameShape::Native || target.width <= 0 || target.height <= 0 || rgba.size() == target) {
        return rgba;
    }
    const cv::Mat source = shape == FrameShape::CropToAspect ? rgba(centredCropRect(rgba.size(), target)) : rgba;
    cv::Mat resized;
    // Area averaging when shrinking (no aliasing). OpenCV's generic INTER_AREA path costs 1.8 ms
    // for 480x480 -> 256x256; AreaResizer gives the same result within one level in a fraction of
    // that. Its tables are kept per thread (each pipeline thread sees one size pair). At integer
    // ratios OpenCV's own fast path is exact and quicker, so it keeps those.
    const bool integerRatios = source.cols % target.width == 0 && source.rows % target.height == 0;
    if (!integerRatios && AreaResizer::handles({source.cols, source.rows}, {target.width, target.height})) {
        thread_local AreaResizer resizer;
        resized.create(target, CV_8UC4);
        resizer.resize(toImageView(source), toMutableImageView(resized));
        return resized;
    }
    // INTER_AREA falls back to bilinear when growing.
    require(resizeFrame(source, resized, target, cv::INTER_AREA));
    return resized;
}

} // namespace blurcam::app
