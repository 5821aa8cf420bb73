// The GUI pipeline's hand-off between its capture and processing threads, driven by plain
// std::threads so ThreadSanitizer sees every access (Debian's Qt is not TSan-instrumented, so the
// Qt-driven GUI tests cannot be checked under TSan without suppressing blurcam frames; see
// tests/sanitizers/tsan.supp). ci-tsan runs this suite.
#include "pipeline.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace blurcam::gui {
namespace {

cv::Mat numbered(int value) {
    cv::Mat frame(4, 4, CV_8UC4, cv::Scalar(value % 256, value / 256 % 256, 0, 255));
    return frame;
}

int numberOf(const cv::Mat& frame) {
    const cv::Vec4b pixel = frame.at<cv::Vec4b>(0, 0);
    return pixel[0] + 256 * pixel[1];
}

TEST(PipelineMailbox, ProducerAndConsumerThreadsSeeEveryFrameOnceAndInOrder) {
    detail::SharedState shared;
    constexpr int kFrames = 20000;
    std::atomic<bool> done{false};
    int taken = 0;
    int lastSeen = -1;
    bool ordered = true;
    std::thread consumer([&] {
        cv::Mat frame;
        qint64 captureNs = 0;
        for (;;) {
            const bool finished = done.load();
            while (shared.mailbox.take(frame, captureNs)) {
                const int number = numberOf(frame);
                ordered = ordered && number > lastSeen && captureNs == number;
                lastSeen = number;
                ++taken;
                shared.processed.fetch_add(1);
                // The consumer owns the frame now: writing into it must not race the producer.
                frame.setTo(cv::Scalar(1, 2, 3, 4));
            }
            if (finished) {
                return;
            }
        }
    });
    int dropped = 0;
    for (int i = 0; i < kFrames; ++i) {
        shared.captured.fetch_add(1);
        if (shared.mailbox.put(numbered(i), i)) {
            ++dropped;
            shared.dropped.fetch_add(1);
        }
    }
    done.store(true);
    consumer.join();
    EXPECT_TRUE(ordered);
    EXPECT_EQ(taken + dropped, kFrames);
    EXPECT_EQ(lastSeen, kFrames - 1); // the newest frame is never lost
    EXPECT_EQ(shared.processed.load() + shared.dropped.load(), shared.captured.load());
}

TEST(PipelineMailbox, TheSourceSizeIsReadWholeWhileTheCaptureThreadChangesIt) {
    detail::SharedState shared;
    constexpr int kSizes = 20000;
    bool whole = true;
    std::thread processing([&] {
        // Reads until it sees the last size the capture thread sets; each one read must be a
        // size that was set, never the width of one with the height of another.
        for (cv::Size size = shared.sourceSize(); size.width != kSizes; size = shared.sourceSize()) {
            whole = whole && (size.area() == 0 || size.height == size.width + 1);
        }
    });
    for (int width = 1; width <= kSizes; ++width) {
        shared.setSourceSize({width, width + 1});
    }
    processing.join();
    EXPECT_TRUE(whole);
    EXPECT_EQ(shared.sourceSize(), cv::Size(kSizes, kSizes + 1));
}

} // namespace
} // namespace blurcam::gui
