#pragma once
// The one place where cv::Mat meets the engine's views. The CLI and the GUI both go through
// here, so "RGBA8, alpha 255 when the file has none" means the same thing everywhere.

#include "blurcam/image.hpp"

#include <opencv2/core.hpp>

namespace blurcam::app {

/// Read-only view of a CV_8UC4 Mat (no copy). Throws std::invalid_argument for any other type.
[[nodiscard]] ImageView toImageView(const cv::Mat& rgba);

/// Writable view of a CV_8UC4 Mat (no copy). Throws std::invalid_argument for any other type.
[[nodiscard]] MutableImageView toMutableImageView(cv::Mat& rgba);

/// Deep copy of an engine frame into a new CV_8UC4 Mat (the view may die right after).
[[nodiscard]] cv::Mat toMat(const ImageView& view);

/// Whatever a decoder produced (grey, BGR or BGRA; 8 bit, 16 bit or float in 0..1) as CV_8UC4
/// RGBA, alpha 255 when there is none. An empty Mat for anything else.
[[nodiscard]] cv::Mat decodedToRgba(const cv::Mat& decoded);

/// RGBA to the BGR(A) order encoders expect. These and prepareFrame throw std::runtime_error with
/// one sentence when OpenCV fails (only out of memory, for a valid frame).
[[nodiscard]] cv::Mat rgbaToBgra(const cv::Mat& rgba);
[[nodiscard]] cv::Mat rgbaToBgr(const cv::Mat& rgba);

/// How a frame is made to fit the size the engine is given.
enum class FrameShape {
    CropToAspect, ///< centre-crop to the target aspect ratio, then INTER_AREA resize (no distortion)
    Stretch,      ///< plain resize to the target size (distorts when the aspect differs)
    Native,       ///< frame left as it is; the target size is ignored
};

/// The largest rectangle of the target's aspect ratio centred in a frame of frameSize.
[[nodiscard]] cv::Rect centredCropRect(cv::Size frameSize, cv::Size target);

/// Makes a CV_8UC4 frame the shape the engine should see. Returns a continuous Mat that does not
/// share pixels with rgba unless shape is Native (or the frame already has the target size).
[[nodiscard]] cv::Mat prepareFrame(const cv::Mat& rgba, FrameShape shape, cv::Size target);

} // namespace blurcam::app
