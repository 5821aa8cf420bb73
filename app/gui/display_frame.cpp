#include "display_frame.hpp"

#include <opencv2/imgproc.hpp>

namespace blurcam::gui {

QImage sharedImage(const cv::Mat& mat, QImage::Format format) {
    if (mat.empty()) {
        return {};
    }
    auto* owner = new cv::Mat(mat);
    return {static_cast<const uchar*>(owner->data),
            owner->cols,
            owner->rows,
            static_cast<qsizetype>(owner->step),
            format,
            [](void* held) { delete static_cast<cv::Mat*>(held); },
            owner};
}

QImage displayImage(const cv::Mat& rgba, QSize box) {
    if (rgba.empty()) {
        return {};
    }
    const QSize size(rgba.cols, rgba.rows);
    const QSize fitted = box.isEmpty() ? size : size.scaled(box, Qt::KeepAspectRatio).expandedTo({1, 1});
    cv::Mat bgra;
    if (fitted == size) {
        cv::cvtColor(rgba, bgra, cv::COLOR_RGBA2BGRA);
    } else if (fitted.width() > size.width()) {
        // Growing: swap channels on the small frame, then interpolate (bilinear, as Qt's smooth
        // scaling did).
        cv::Mat swapped;
        cv::cvtColor(rgba, swapped, cv::COLOR_RGBA2BGRA);
        cv::resize(swapped, bgra, {fitted.width(), fitted.height()}, 0.0, 0.0, cv::INTER_LINEAR);
    } else {
        // Shrinking: average (no aliasing), then swap channels on the small result.
        cv::Mat shrunk;
        cv::resize(rgba, shrunk, {fitted.width(), fitted.height()}, 0.0, 0.0, cv::INTER_AREA);
        cv::cvtColor(shrunk, bgra, cv::COLOR_RGBA2BGRA);
    }
    // RGB32 promises 0xff in the alpha byte; a zero-padded blur has less at its edges.
    cv::bitwise_or(bgra, cv::Scalar(0, 0, 0, 255), bgra);
    return sharedImage(bgra, QImage::Format_RGB32);
}

} // namespace blurcam::gui
