#pragma once
// The frames the window is given, and checks that they are exactly what the engine computes for
// the same input and settings.

#include "app_controller.hpp"
#include "frame_convert.hpp"
#include "gui_test_support.hpp"
#include "pipeline.hpp"

#include <blurcam/backend.hpp>

#include <gtest/gtest.h>

#include <QImage>
#include <QObject>

#include <opencv2/core.hpp>

namespace blurcam::test {

/// Deep copy of a QImage (any format) into a CV_8UC4 RGBA Mat, to compare with the engine.
inline cv::Mat matOf(const QImage& image) {
    const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
    cv::Mat wrapped(rgba.height(), rgba.width(), CV_8UC4, const_cast<uchar*>(rgba.constBits()),
                    static_cast<std::size_t>(rgba.bytesPerLine()));
    return wrapped.clone();
}

inline bool sameImage(const cv::Mat& left, const cv::Mat& right) {
    return left.size() == right.size() && left.type() == right.type() && cv::norm(left, right, cv::NORM_INF) == 0.0;
}

/// What the engine computes for this input: a fresh CPU backend, nothing shared with the app.
inline cv::Mat engineResult(const cv::Mat& input, const BlurParams& params) {
    BackendResult made = createBackend(BackendKind::Cpu);
    const Size size = outputSize({input.cols, input.rows}, params.stride);
    cv::Mat output(size.height, size.width, CV_8UC4);
    made.backend->process(app::toImageView(input), app::toMutableImageView(output), params);
    return output;
}

/// What the window is given: the pipeline's processedFrame signal, as the GUI receives it.
class FrameWatch {
  public:
    explicit FrameWatch(const gui::Pipeline& pipeline) {
        QObject::connect(&pipeline, &gui::Pipeline::processedFrame, &m_context,
                         [this](const gui::ProcessedFrame& frame) {
                             m_last = frame;
                             ++m_count;
                         });
    }
    [[nodiscard]] const gui::ProcessedFrame& last() const { return m_last; }
    [[nodiscard]] quint64 count() const { return m_count; }
    [[nodiscard]] cv::Mat input() const { return matOf(m_last.input); }
    [[nodiscard]] cv::Mat output() const { return matOf(m_last.output); }
    /// Waits until `more` frames beyond those seen so far have arrived. Frames in flight (at most
    /// two) may predate a change, so a caller that needs a frame made after it asks for three.
    bool waitForMore(quint64 more) const {
        const quint64 target = m_count + more;
        return waitFor([&] { return m_count >= target; });
    }

  private:
    QObject m_context; ///< disconnects the lambda when the watch goes
    gui::ProcessedFrame m_last;
    quint64 m_count = 0;
};

/// Waits for the first frame blurred with `expected` and checks it is what the engine computes
/// for that input, and (when `previous` differs) different from the previous setting's result.
inline void expectNextFrameUses(gui::AppController& controller, const BlurParams& expected, const BlurParams& previous,
                                BackendKind backend = BackendKind::Cpu) {
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(waitFor([&] {
        return watch.count() > 0 && watch.last().params == expected && watch.last().backend == backend;
    })) << "no frame with the new settings arrived";
    const cv::Mat input = watch.input();
    const cv::Mat output = watch.output();
    EXPECT_TRUE(sameImage(output, engineResult(input, expected)));
    if (previous != expected) {
        EXPECT_FALSE(sameImage(output, engineResult(input, previous)));
    }
}

} // namespace blurcam::test
