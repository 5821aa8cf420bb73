#include "test_pattern.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

namespace blurcam::app {

namespace {

/// Where the pattern's parts go, all inside the centred square.
struct Layout {
    cv::Rect square;
    cv::Rect bars;  ///< eight colour bars; the ball and the moving bar travel here
    cv::Rect ramp;  ///< black to white
    cv::Rect label; ///< the frame number on a dark band
    int unit = 1;   ///< the ball's radius
};

Layout layoutFor(cv::Size size) {
    Layout layout;
    const int side = std::min(size.width, size.height);
    layout.square = {(size.width - side) / 2, (size.height - side) / 2, side, side};
    const int barsHeight = std::max(1, side * 11 / 20);
    const int rampHeight = std::max(1, side * 3 / 20);
    layout.bars = {layout.square.x, layout.square.y, side, barsHeight};
    layout.ramp = {layout.square.x, layout.square.y + barsHeight, side, std::min(rampHeight, side - barsHeight)};
    const int labelTop = layout.ramp.y + layout.ramp.height;
    layout.label = {layout.square.x, labelTop, side, layout.square.y + side - labelTop};
    layout.unit = std::max(1, side / 12);
    return layout;
}

/// The parts that never move, drawn once per size (a frame is a copy of this plus the moving
/// parts): most of the pattern's cost was redrawing them every frame.
const cv::Mat& staticBackground(cv::Size size) {
    thread_local cv::Mat cached;
    if (cached.size() == size) {
        return cached;
    }
    const Layout layout = layoutFor(size);
    cached.create(size, CV_8UC4);
    cached.setTo(cv::Scalar(96, 96, 96, 255));
    static const std::array<cv::Scalar, 8> kBars{cv::Scalar(255, 255, 255, 255), cv::Scalar(255, 255, 0, 255),
                                                 cv::Scalar(0, 255, 255, 255),   cv::Scalar(0, 255, 0, 255),
                                                 cv::Scalar(255, 0, 255, 255),   cv::Scalar(255, 0, 0, 255),
                                                 cv::Scalar(0, 0, 255, 255),     cv::Scalar(0, 0, 0, 255)};
    const cv::Rect& bars = layout.bars;
    for (int bar = 0; bar < 8; ++bar) {
        const int x0 = bars.x + bars.width * bar / 8;
        const int x1 = bars.x + bars.width * (bar + 1) / 8;
        cv::rectangle(cached, cv::Rect(x0, bars.y, x1 - x0, bars.height), kBars[static_cast<std::size_t>(bar)],
                      cv::FILLED);
    }
    const cv::Rect& ramp = layout.ramp;
    for (int y = ramp.y; y < ramp.y + ramp.height; ++y) {
        auto* row = cached.ptr<cv::Vec4b>(y);
        for (int x = 0; x < ramp.width; ++x) {
            const auto grey = static_cast<std::uint8_t>(ramp.width > 1 ? x * 255 / (ramp.width - 1) : 0);
            row[ramp.x + x] = cv::Vec4b(grey, grey, grey, 255);
        }
    }
    // Lighter than the window behind the picture, so the square's edge shows.
    cv::rectangle(cached, layout.label, cv::Scalar(56, 56, 56, 255), cv::FILLED);
    return cached;
}

} // namespace

cv::Mat renderTestPattern(cv::Size size, long long frameIndex) {
    cv::Mat rgba = staticBackground(size).clone();
    const Layout layout = layoutFor(size);
    const cv::Rect& bars = layout.bars;
    const int unit = layout.unit;

    // A triangle wave, so the ball bounces inside the square instead of jumping back.
    const int travel = std::max(1, bars.width - 2 * unit);
    const long long step = (frameIndex * 4) % (2LL * travel);
    const int ballX = bars.x + unit + static_cast<int>(step < travel ? step : 2LL * travel - step);
    cv::circle(rgba, cv::Point(ballX, bars.y + bars.height / 2), unit, cv::Scalar(255, 64, 0, 255), cv::FILLED,
               cv::LINE_AA);
    const int barHeight = std::max(1, unit / 3);
    const int barY = bars.y + static_cast<int>((frameIndex * 3) % std::max(1, bars.height - barHeight + 1));
    cv::rectangle(rgba, cv::Rect(bars.x, barY, bars.width, barHeight), cv::Scalar(32, 32, 32, 255), cv::FILLED);

    // The frame number fills the dark band; its size is set for seven digits, so it never
    // runs past the square.
    const cv::Rect& label = layout.label;
    const int margin = std::max(1, label.width / 24);
    int baseline = 0;
    const cv::Size unitText = cv::getTextSize("frame 0000000", cv::FONT_HERSHEY_SIMPLEX, 1.0, 2, &baseline);
    const double scale =
        std::max(0.2, std::min((label.width - 2.0 * margin) / unitText.width, label.height * 0.55 / unitText.height));
    const int thickness = std::max(1, static_cast<int>(std::lround(scale * 2.0)));
    const cv::Point origin(label.x + margin, label.y + (label.height + static_cast<int>(unitText.height * scale)) / 2);
    cv::putText(rgba, "frame " + std::to_string(frameIndex), origin, cv::FONT_HERSHEY_SIMPLEX, scale,
                cv::Scalar(255, 255, 255, 255), thickness, cv::LINE_AA);
    return rgba;
}

} // namespace blurcam::app
