#include "cpu_backend.hpp"

#include "backend_registry.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>

namespace blurcam::cpu {
namespace {

bool cpuHas(InstructionSet level) {
#if defined(__x86_64__) || defined(__i386__)
    switch (level) {
    case InstructionSet::Scalar: return true;
    case InstructionSet::Sse2: return __builtin_cpu_supports("sse2");
    case InstructionSet::Avx2: return __builtin_cpu_supports("avx2");
    }
#endif
    return level == InstructionSet::Scalar;
}

std::string_view toString(InstructionSet level) {
    switch (level) {
    case InstructionSet::Scalar: return "scalar";
    case InstructionSet::Sse2: return "sse2";
    case InstructionSet::Avx2: return "avx2";
    }
    return "scalar";
}

// Frames smaller than this run on one thread: waking workers costs more than they save.
constexpr long kMinPixelsPerThread = 64L * 1024;

} // namespace

InstructionSet detectInstructionSet() {
    if (const char* forced = std::getenv("BLURCAM_CPU_SIMD")) {
        for (InstructionSet level : {InstructionSet::Scalar, InstructionSet::Sse2, InstructionSet::Avx2}) {
            if (toString(level) == forced && cpuHas(level)) {
                return level;
            }
        }
    }
    if (cpuHas(InstructionSet::Avx2)) {
        return InstructionSet::Avx2;
    }
    return cpuHas(InstructionSet::Sse2) ? InstructionSet::Sse2 : InstructionSet::Scalar;
}

CpuBackend::CpuBackend(int threads, InstructionSet instructionSet)
    : m_instructionSet(instructionSet), m_pool(std::max(1, threads)),
      m_scratch(static_cast<std::size_t>(std::max(1, threads))) {
    switch (instructionSet) {
    case InstructionSet::Avx2:
        m_columnPass = columnPassAvx2;
        m_rowPass = rowPassAvx2;
        break;
    case InstructionSet::Sse2:
        m_columnPass = columnPassSse2;
        m_rowPass = rowPassSse2;
        break;
    case InstructionSet::Scalar:
        m_columnPass = columnPassScalar;
        m_rowPass = rowPassScalar;
        break;
    }
}

std::string CpuBackend::name() const {
    const int threads = m_pool.size();
    return "cpu (" + std::string(toString(m_instructionSet)) + ", " + std::to_string(threads) +
           (threads == 1 ? " thread)" : " threads)");
}

void CpuBackend::processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    const auto start = std::chrono::steady_clock::now();
    if (!m_kernelValid || !(m_cachedParams == params)) {
        m_kernel = quantizeKernel(params);
        m_cachedParams = params;
        m_kernelValid = true;
    }
    const long outputPixels = static_cast<long>(dst.width) * dst.height;
    const int parts = static_cast<int>(std::clamp<long>(outputPixels / kMinPixelsPerThread, 1, m_pool.size()));
    if (parts == 1) {
        processRows(src, dst, params, 0, dst.height, m_scratch[0]);
    } else {
        m_pool.run([&](int part) {
            if (part >= parts) {
                return;
            }
            const int first = static_cast<int>(static_cast<long>(dst.height) * part / parts);
            const int end = static_cast<int>(static_cast<long>(dst.height) * (part + 1) / parts);
            processRows(src, dst, params, first, end, m_scratch[static_cast<std::size_t>(part)]);
        });
    }
    m_lastTimings = {0.0, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
                     0.0};
}

// Fused: for each output row, the column pass reads its K source rows straight from the frame
// into one uint16 row (split into even and odd pixels for stride 2), which the row pass then
// reduces. The only scratch is that one row and a row of zeros standing in for zero padding.
void CpuBackend::processRows(const ImageView& src, const MutableImageView& dst, const BlurParams& params, int firstRow,
                             int endRow, RowScratch& scratch) const {
    const int kernelSize = params.kernelSize;
    const int radius = kernelSize / 2;
    const bool split = params.stride == 2;
    // Natural layout: pixel x at ext + 4(x + radius). Split: two arrays, each with a margin of
    // `margin` pixels before pixel 0 so the left border (x >= -radius) fits.
    const int margin = radius / 2 + 1;
    const std::size_t naturalPixels = static_cast<std::size_t>(src.width) + 2 * static_cast<std::size_t>(radius);
    const std::size_t halfPixels = static_cast<std::size_t>(src.width) / 2 + radius + 4;
    const std::size_t needed = 4 * (split ? 2 * halfPixels : naturalPixels);
    if (scratch.values.size() < needed) {
        scratch.values.assign(needed, 0);
    }
    if (params.edge == EdgeMode::Zero && scratch.zeroRow.size() < static_cast<std::size_t>(src.width) * 4) {
        scratch.zeroRow.assign(static_cast<std::size_t>(src.width) * 4, 0);
    }
    std::uint16_t* const even = scratch.values.data() + std::ptrdiff_t{4} * (split ? margin : radius);
    std::uint16_t* const odd = split ? scratch.values.data() + 4 * (halfPixels + margin) : nullptr;
    auto pixel = [&](int x) -> std::uint16_t* {
        if (!split) {
            return even + std::ptrdiff_t{4} * x;
        }
        // Floor division, also for the negative x of the left border.
        const int half = x >= 0 ? x / 2 : -((1 - x) / 2);
        return (x & 1) == 0 ? even + std::ptrdiff_t{4} * half : odd + std::ptrdiff_t{4} * half;
    };

    // Tap t of output pixel j reads input column stride*j + t - radius.
    const std::uint16_t* tapRows[kMaxKernelSize];
    for (int tap = 0; tap < kernelSize; ++tap) {
        tapRows[tap] = pixel(tap - radius);
    }

    const std::uint8_t* rows[kMaxKernelSize];
    for (int outY = firstRow; outY < endRow; ++outY) {
        for (int tap = 0; tap < kernelSize; ++tap) {
            const int y = foldCoordinate(params.stride * outY + tap - radius, src.height, params.edge);
            rows[tap] = y < 0 ? scratch.zeroRow.data() : src.row(y);
        }
        m_columnPass({rows, m_kernel.taps.data(), kernelSize, src.width, even, odd});

        // Border columns: copies of folded columns (zero for Zero), so the row pass needs no
        // edge logic. Folding handles frames narrower than the kernel.
        for (int border = 1; border <= radius; ++border) {
            for (int x : {-border, src.width - 1 + border}) {
                const int folded = foldCoordinate(x, src.width, params.edge);
                std::uint16_t* target = pixel(x);
                for (int channel = 0; channel < 4; ++channel) {
                    target[channel] = folded < 0 ? 0 : pixel(folded)[channel];
                }
            }
        }
        m_rowPass({tapRows, m_kernel.taps.data(), kernelSize, dst.width * 4, m_kernel.roundingBias, dst.row(outY)});
    }
}

} // namespace blurcam::cpu

namespace blurcam::detail {

MadeBackend makeCpuBackend(const BackendOptions& options) {
    if (options.threads < 1 || options.threads > 256) {
        return {nullptr, "invalid thread count " + std::to_string(options.threads) + ": must be between 1 and 256"};
    }
    return {std::make_unique<cpu::CpuBackend>(options.threads, cpu::detectInstructionSet()), {}};
}

} // namespace blurcam::detail
