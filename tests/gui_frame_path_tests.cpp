// The window's frame path: the test pattern made for the square crop, and frames converted and
// scaled for the screen once, on the workers.

#include "display_frame.hpp"
#include "frame_convert.hpp"
#include "frame_source.hpp"
#include "pipeline.hpp"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include <array>

namespace {

using namespace blurcam;

int countColour(const cv::Mat& rgba, const cv::Vec4b& colour) {
    int count = 0;
    for (int y = 0; y < rgba.rows; ++y) {
        for (int x = 0; x < rgba.cols; ++x) {
            count += rgba.at<cv::Vec4b>(y, x) == colour ? 1 : 0;
        }
    }
    return count;
}

TEST(TestPattern, EveryPartIsInsideTheSquareCropAt256) {
    const std::array<cv::Vec4b, 8> bars{cv::Vec4b(255, 255, 255, 255), cv::Vec4b(255, 255, 0, 255),
                                        cv::Vec4b(0, 255, 255, 255),   cv::Vec4b(0, 255, 0, 255),
                                        cv::Vec4b(255, 0, 255, 255),   cv::Vec4b(255, 0, 0, 255),
                                        cv::Vec4b(0, 0, 255, 255),     cv::Vec4b(0, 0, 0, 255)};
    for (const cv::Size size : {cv::Size(640, 480), cv::Size(1280, 720), cv::Size(320, 240), cv::Size(256, 256)}) {
        // Seven digits: the widest counter the layout is made for.
        const cv::Mat frame =
            app::prepareFrame(app::renderTestPattern(size, 1234567), app::FrameShape::CropToAspect, {256, 256});
        ASSERT_EQ(frame.size(), cv::Size(256, 256));
        for (const cv::Vec4b& bar : bars) {
            EXPECT_GT(countColour(frame, bar), 300) << size << " misses a colour bar";
        }
        // The grey ramp runs from black to white within the crop: its ends are both in it.
        int darkest = 255;
        int brightest = 0;
        for (int y = 0; y < frame.rows; ++y) {
            const auto* row = frame.ptr<cv::Vec4b>(y);
            const bool grey = row[0][0] == row[0][1] && row[0][1] == row[0][2] && row[255][0] == row[255][1];
            const bool ramp = grey && row[255][0] > row[128][0] && row[128][0] > row[0][0];
            if (ramp) {
                darkest = std::min<int>(darkest, row[0][0]);
                brightest = std::max<int>(brightest, row[255][0]);
            }
        }
        EXPECT_LE(darkest, 8) << size;
        EXPECT_GE(brightest, 247) << size;
        // The counter's white strokes sit in the bottom band, clear of both sides.
        int left = frame.cols;
        int right = -1;
        for (int y = frame.rows * 7 / 10; y < frame.rows; ++y) {
            for (int x = 0; x < frame.cols; ++x) {
                const cv::Vec4b pixel = frame.at<cv::Vec4b>(y, x);
                if (pixel[0] > 200 && pixel[1] > 200 && pixel[2] > 200) {
                    left = std::min(left, x);
                    right = std::max(right, x);
                }
            }
        }
        ASSERT_GE(right, 0) << size << ": no counter";
        EXPECT_GE(left, 3) << size;
        EXPECT_LE(right, frame.cols - 4) << size;
        EXPECT_GT(right - left, frame.cols / 2) << size << ": the counter is too small to read";
    }
}

TEST(TestPattern, TheWindowDrawsItAtTheEngineSizeAt30Fps) {
    // 30 fps is what the README promises for the window's pattern.
    app::OpenedSource opened = gui::defaultSourceOpener()("pattern");
    ASSERT_TRUE(opened.source) << opened.error;
    EXPECT_DOUBLE_EQ(opened.source->framesPerSecond(), 30.0);
    cv::Mat frame;
    ASSERT_EQ(opened.source->read(frame), app::ReadStatus::Frame);
    EXPECT_EQ(frame.size(), cv::Size(256, 256)) << "drawn at another size, the pattern costs a resize per frame";
}

TEST(DisplayImage, FitsTheBoxKeepsTheColoursAndIsOpaque) {
    cv::Mat rgba(128, 256, CV_8UC4, cv::Scalar(255, 0, 0, 0)); // red, alpha 0 as a zero-padded edge has
    rgba(cv::Rect(128, 0, 128, 128)).setTo(cv::Scalar(0, 0, 255, 255));
    const QImage shown = gui::displayImage(rgba, {400, 400});
    ASSERT_EQ(shown.format(), QImage::Format_RGB32);
    EXPECT_EQ(shown.size(), QSize(400, 200));
    EXPECT_EQ(shown.pixel(10, 100), qRgb(255, 0, 0));
    EXPECT_EQ(shown.pixel(390, 100), qRgb(0, 0, 255));
    EXPECT_EQ(qAlpha(shown.pixel(10, 100)), 255);
    EXPECT_EQ(gui::displayImage(rgba, {100, 100}).size(), QSize(100, 50));
    EXPECT_EQ(gui::displayImage(rgba, {}).size(), QSize(256, 128));
}

TEST(DisplayImage, SharesTheMatInsteadOfCopying) {
    cv::Mat rgba(4, 4, CV_8UC4, cv::Scalar(1, 2, 3, 4));
    const QImage shared = gui::sharedImage(rgba, QImage::Format_RGBA8888);
    EXPECT_EQ(shared.constBits(), rgba.data);
    rgba.release(); // the image keeps the pixels alive
    EXPECT_EQ(QColor::fromRgba(shared.pixel(0, 0)), QColor(1, 2, 3, 4));
}

} // namespace
