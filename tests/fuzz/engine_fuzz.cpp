// libFuzzer target: arbitrary sizes, strides, row strides and parameters through every CPU
// instruction-set level, checked against the double-precision reference. Invalid parameters must
// come back as std::invalid_argument, never as a crash.
#include "../reference.hpp"

#include "blurcam/blurcam.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace {

struct ByteReader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t position = 0;
    std::uint8_t next() { return position < size ? data[position++] : 0; }
};

blurcam::Backend& backendFor(int level) {
    static std::unique_ptr<blurcam::Backend> backends[3];
    static const char* names[3] = {"scalar", "sse2", "avx2"};
    if (!backends[level]) {
        setenv("BLURCAM_CPU_SIMD", names[level], 1);
        blurcam::BackendOptions options;
        options.threads = level == 2 ? 2 : 1;
        backends[level] = blurcam::createBackend(blurcam::BackendKind::Cpu, options).backend;
        unsetenv("BLURCAM_CPU_SIMD");
    }
    return *backends[level];
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteReader bytes{data, size};
    const int width = 1 + bytes.next() % 40;
    const int height = 1 + bytes.next() % 40;
    const int sourcePadding = bytes.next() % 9;
    const int outputPadding = bytes.next() % 9;
    blurcam::BlurParams params;
    // Mostly valid values, with a tail of invalid ones (the engine must reject those cleanly).
    const std::uint8_t sigmaByte = bytes.next();
    params.sigma = sigmaByte == 255 ? std::nan("") : sigmaByte == 254 ? -1.0 : 0.05 + sigmaByte * 0.2;
    params.kernelSize = static_cast<int>(bytes.next() % 70) - 2;
    params.stride = bytes.next() % 3 + 1;
    params.edge = static_cast<blurcam::EdgeMode>(bytes.next() % 6);
    params.kernel = (bytes.next() & 1) != 0 ? blurcam::KernelKind::Binomial : blurcam::KernelKind::Gaussian;
    const int level = bytes.next() % 3;

    const std::size_t sourceStride = static_cast<std::size_t>(width) * 4 + sourcePadding;
    std::vector<std::uint8_t> source(sourceStride * height);
    for (std::uint8_t& byte : source) {
        byte = bytes.next();
    }
    const int outWidth = (width + 1) / 2 + (params.stride == 1 ? width / 2 : 0);
    const int outHeight = (height + 1) / 2 + (params.stride == 1 ? height / 2 : 0);
    const std::size_t outputStride = static_cast<std::size_t>(outWidth) * 4 + outputPadding;
    std::vector<std::uint8_t> output(outputStride * outHeight, 0xAB);

    const blurcam::ImageView src{source.data(), width, height, sourceStride};
    const blurcam::MutableImageView dst{output.data(), outWidth, outHeight, outputStride};
    bool valid = true;
    try {
        blurcam::validate(src, dst, params);
    } catch (const std::invalid_argument&) {
        valid = false;
    }
    try {
        backendFor(level).process(src, dst, params);
    } catch (const std::invalid_argument&) {
        if (valid) {
            std::fprintf(stderr, "valid arguments rejected\n");
            std::abort();
        }
        return 0;
    }
    if (!valid) {
        std::fprintf(stderr, "invalid arguments accepted\n");
        std::abort();
    }
    const std::vector<double> expected = blurcam::test::referenceBlur(src, params);
    for (int y = 0; y < outHeight; ++y) {
        for (int x = 0; x < outWidth * 4; ++x) {
            const double error =
                std::abs(output[y * outputStride + x] - expected[static_cast<std::size_t>(y) * outWidth * 4 + x]);
            if (error > 1.0) {
                std::fprintf(stderr, "pixel value %d off by %f\n", x, error);
                std::abort();
            }
        }
        for (std::size_t x = static_cast<std::size_t>(outWidth) * 4; x < outputStride; ++x) {
            if (output[y * outputStride + x] != 0xAB) {
                std::fprintf(stderr, "row padding overwritten\n");
                std::abort();
            }
        }
    }
    return 0;
}
