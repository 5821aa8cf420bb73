#include "output_frame.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>

namespace blurcam::app {
namespace {

// BT.601 limited range in 8.8 fixed point (the coefficients of ITU-R BT.601 scaled by 256 and
// rounded, as libyuv and most capture drivers use): Y 16..235, U and V 16..240.
std::uint8_t lumaOf(int r, int g, int b) {
    return static_cast<std::uint8_t>(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}
std::uint8_t blueDifference(int r, int g, int b) {
    return static_cast<std::uint8_t>(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
}
std::uint8_t redDifference(int r, int g, int b) {
    return static_cast<std::uint8_t>(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
}

void rgbaRowToYuy2(const std::uint8_t* src, int width, std::uint8_t* dst) {
    for (int x = 0; x < width; x += 2) {
        const std::uint8_t* p0 = src + 4 * x;
        // An odd last column pairs with itself.
        const std::uint8_t* p1 = x + 1 < width ? p0 + 4 : p0;
        // Chroma is sited between the two pixels of a pair: average them.
        const int r = (p0[0] + p1[0] + 1) >> 1;
        const int g = (p0[1] + p1[1] + 1) >> 1;
        const int b = (p0[2] + p1[2] + 1) >> 1;
        dst[0] = lumaOf(p0[0], p0[1], p0[2]);
        dst[1] = blueDifference(r, g, b);
        dst[2] = lumaOf(p1[0], p1[1], p1[2]);
        dst[3] = redDifference(r, g, b);
        dst += 4;
    }
}

void rgbaRowSwapped(const std::uint8_t* src, int width, std::uint8_t* dst, bool keepAlpha) {
    for (int x = 0; x < width; ++x) {
        dst[0] = src[2];
        dst[1] = src[1];
        dst[2] = src[0];
        dst[3] = keepAlpha ? src[3] : 255;
        src += 4;
        dst += 4;
    }
}

} // namespace

std::string_view toString(OutputPixelFormat format) {
    switch (format) {
    case OutputPixelFormat::Yuy2: return "YUY2";
    case OutputPixelFormat::Rgbx: return "RGBx";
    case OutputPixelFormat::Bgrx: return "BGRx";
    case OutputPixelFormat::Rgba: return "RGBA";
    case OutputPixelFormat::Bgra: return "BGRA";
    }
    return "?";
}

std::size_t packedRowBytes(OutputPixelFormat format, int width) {
    const auto w = static_cast<std::size_t>(std::max(0, width));
    return format == OutputPixelFormat::Yuy2 ? 2 * (w + (w & 1)) : 4 * w;
}

cv::Mat scaleForOutput(const cv::Mat& rgba, cv::Size size, bool mirror) {
    cv::Mat scaled;
    if (rgba.size() == size) {
        scaled = rgba.clone();
    } else {
        const bool shrinking = size.width < rgba.cols && size.height < rgba.rows;
        cv::resize(rgba, scaled, size, 0.0, 0.0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    if (mirror) {
        cv::flip(scaled, scaled, 1);
    }
    return scaled;
}

void convertRgba(const cv::Mat& rgba, OutputPixelFormat format, std::uint8_t* dst, std::size_t stride) {
    CV_Assert(rgba.type() == CV_8UC4);
    for (int y = 0; y < rgba.rows; ++y) {
        const auto* src = rgba.ptr<std::uint8_t>(y);
        std::uint8_t* row = dst + static_cast<std::size_t>(y) * stride;
        switch (format) {
        case OutputPixelFormat::Yuy2: rgbaRowToYuy2(src, rgba.cols, row); break;
        case OutputPixelFormat::Rgba: std::memcpy(row, src, 4 * static_cast<std::size_t>(rgba.cols)); break;
        case OutputPixelFormat::Rgbx:
            std::memcpy(row, src, 4 * static_cast<std::size_t>(rgba.cols));
            for (int x = 0; x < rgba.cols; ++x) {
                row[4 * x + 3] = 255;
            }
            break;
        case OutputPixelFormat::Bgrx: rgbaRowSwapped(src, rgba.cols, row, false); break;
        case OutputPixelFormat::Bgra: rgbaRowSwapped(src, rgba.cols, row, true); break;
        }
    }
}

void renderOutput(const cv::Mat& rgba, cv::Size size, bool mirror, OutputPixelFormat format, std::uint8_t* dst,
                  std::size_t stride) {
    CV_Assert(rgba.type() == CV_8UC4 && size.width > 0 && size.height > 0);
    if (format != OutputPixelFormat::Yuy2) {
        thread_local cv::Mat scaled; // reused, for the same reason as the planes below
        if (rgba.size() == size) {
            rgba.copyTo(scaled);
        } else {
            const bool shrinking = size.width < rgba.cols && size.height < rgba.rows;
            cv::resize(rgba, scaled, size, 0.0, 0.0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        }
        if (mirror) {
            cv::flip(scaled, scaled, 1);
        }
        convertRgba(scaled, format, dst, stride);
        return;
    }
    // Scratch planes kept per thread (each sink renders on one thread of its own): fresh ones
    // every frame would cost a page fault per 4 KiB, more than the conversion itself.
    thread_local cv::Mat y;
    thread_local cv::Mat u;
    thread_local cv::Mat v;
    thread_local cv::Mat bigY;
    thread_local cv::Mat bigU;
    thread_local cv::Mat bigV;
    // Planar BT.601 at the engine's size, chroma for every pixel.
    y.create(rgba.size(), CV_8UC1);
    u.create(rgba.size(), CV_8UC1);
    v.create(rgba.size(), CV_8UC1);
    for (int row = 0; row < rgba.rows; ++row) {
        const auto* p = rgba.ptr<std::uint8_t>(row);
        auto* py = y.ptr<std::uint8_t>(row);
        auto* pu = u.ptr<std::uint8_t>(row);
        auto* pv = v.ptr<std::uint8_t>(row);
        for (int x = 0; x < rgba.cols; ++x, p += 4) {
            py[x] = lumaOf(p[0], p[1], p[2]);
            pu[x] = blueDifference(p[0], p[1], p[2]);
            pv[x] = redDifference(p[0], p[1], p[2]);
        }
    }
    if (mirror) {
        cv::flip(y, y, 1);
        cv::flip(u, u, 1);
        cv::flip(v, v, 1);
    }
    // 4:2:2: chroma at half the output width. INTER_AREA when shrinking averages, like the pair
    // average of convertRgba().
    const int chromaWidth = (size.width + 1) / 2;
    const auto scale = [](const cv::Mat& plane, cv::Size to, cv::Mat& out) {
        if (plane.size() == to) {
            plane.copyTo(out);
            return;
        }
        const bool shrinking = to.width < plane.cols || to.height < plane.rows;
        cv::resize(plane, out, to, 0.0, 0.0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    };
    scale(y, size, bigY);
    scale(u, cv::Size(chromaWidth, size.height), bigU);
    scale(v, cv::Size(chromaWidth, size.height), bigV);
    for (int row = 0; row < size.height; ++row) {
        const auto* py = bigY.ptr<std::uint8_t>(row);
        const auto* pu = bigU.ptr<std::uint8_t>(row);
        const auto* pv = bigV.ptr<std::uint8_t>(row);
        std::uint8_t* out = dst + static_cast<std::size_t>(row) * stride;
        for (int x = 0; x < chromaWidth; ++x) {
            out[4 * x] = py[2 * x];
            out[4 * x + 1] = pu[x];
            out[4 * x + 2] = 2 * x + 1 < size.width ? py[2 * x + 1] : py[2 * x];
            out[4 * x + 3] = pv[x];
        }
    }
}

} // namespace blurcam::app
