#pragma once
// The built-in moving test pattern, shared by blurcam-cli and the window.

#include <opencv2/core.hpp>

namespace blurcam::app {

/// Frame frameIndex of the "pattern" source: colour bars, a grey ramp, a bouncing ball, a moving
/// bar and the frame number. Everything is drawn inside the centred square, so the window's
/// default "crop to square" shows all of it; the sides of a wider frame are plain grey. The same
/// index always gives the same picture.
[[nodiscard]] cv::Mat renderTestPattern(cv::Size size, long long frameIndex);

} // namespace blurcam::app
