#pragma once
// The promise "binomial + mirror is bit-identical to cv::pyrDown", checked the same way for every
// backend: on the frames below, every output byte must equal OpenCV's.

#include "test_images.hpp"

#include "blurcam/params.hpp"

#include <opencv2/imgproc.hpp>

#include <string>
#include <vector>

namespace blurcam::test {

inline BlurParams pyrDownParams() {
    BlurParams params;
    params.kernel = KernelKind::Binomial;
    params.edge = EdgeMode::Mirror; // BORDER_REFLECT_101, pyrDown's only border
    params.stride = 2;
    return params;
}

struct PyrDownFrame {
    std::string name;
    OwnedImage input;
};

/// Odd, even, tiny and camera sizes, each with the test pattern, photo-like content and pure noise.
inline std::vector<PyrDownFrame> pyrDownFrames() {
    std::vector<PyrDownFrame> frames;
    for (Size size : {Size{1, 1}, Size{2, 3}, Size{3, 2}, Size{5, 5}, Size{17, 9}, Size{256, 256}, Size{255, 257},
                      Size{640, 480}, Size{1921, 1081}}) {
        const std::string at = std::to_string(size.width) + "x" + std::to_string(size.height);
        frames.push_back({"pattern " + at, makeTestImage(size.width, size.height, 3)});
        frames.push_back({"photo " + at, makePhotoLikeImage(size.width, size.height, 17)});
        frames.push_back({"noise " + at, makeNoiseImage(size.width, size.height, 29)});
    }
    return frames;
}

/// Number of output bytes that differ from cv::pyrDown of the input.
inline int pyrDownDifferences(const OwnedImage& output, const OwnedImage& input) {
    const cv::Mat inputMat(input.height, input.width, CV_8UC4, const_cast<std::uint8_t*>(input.pixels.data()),
                           input.strideBytes);
    cv::Mat expected;
    cv::pyrDown(inputMat, expected);
    int differences = 0;
    for (int y = 0; y < output.height; ++y) {
        for (int x = 0; x < output.width * 4; ++x) {
            differences += output.at(0, y)[x] != expected.ptr<std::uint8_t>(y)[x] ? 1 : 0;
        }
    }
    return differences;
}

} // namespace blurcam::test
