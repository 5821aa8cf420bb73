#pragma once
// Frames for the screen, made on the worker threads so the GUI thread only copies pixels.
// Scaling a frame while painting ran Qt's smooth scaler on the GUI thread and its thread pool at
// every repaint; here each frame is converted and scaled once, to the size it is shown at.

#include <opencv2/core.hpp>

#include <QImage>
#include <QSize>

namespace blurcam::gui {

/// A QImage over a Mat's pixels, without a copy: the image holds a reference to the Mat, so the
/// pixels live as long as either. Only for Mats nobody writes to again; the pointer is const, so
/// a QImage user who writes gets a copy.
[[nodiscard]] QImage sharedImage(const cv::Mat& mat, QImage::Format format);

/// A CV_8UC4 RGBA frame as the window shows it: Format_RGB32 (the raster painter's own format,
/// opaque: alpha is the engine's fourth channel, not transparency on screen), fitted into box
/// keeping its aspect ratio (the frame's own size when box is empty).
[[nodiscard]] QImage displayImage(const cv::Mat& rgba, QSize box);

} // namespace blurcam::gui
