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
constexpr long kMinPixelsPerThread = 64 * 1024;

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
      m_rowBuffers(static_cast<std::size_t>(std::max(1, threads))) {
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
        processRows(src, dst, params, 0, dst.height, m_rowBuffers[0]);
    } else {
        m_pool.run([&](int part) {
            if (part >= parts) {
                return;
            }
            const int first = static_cast<int>(static_cast<long>(dst.height) * part / parts);
            const int end = static_cast<int>(static_cast<long>(dst.height) * (part + 1) / parts);
            processRows(src, dst, params, first, end, m_rowBuffers[static_cast<std::size_t>(part)]);
        });
    }
    m_lastTimings = {0.0, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
                     0.0};
}

// Fused: for each output row, the column pass reads its K source rows straight from the frame
// into one uint16 row, which the row pass then reduces. The only scratch is that one row.
void CpuBackend::processRows(const ImageView& src, const MutableImageView& dst, const BlurParams& params, int firstRow,
                             int endRow, std::vector<std::uint16_t>& rowBuffer) const {
    const int kernelSize = params.kernelSize;
    const int radius = kernelSize / 2;
    const std::size_t extendedPixels = static_cast<std::size_t>(src.width) + 2 * radius + kRowSlackPixels;
    if (rowBuffer.size() < extendedPixels * 4) {
        rowBuffer.assign(extendedPixels * 4, 0);
    }
    std::uint16_t* extended = rowBuffer.data();
    std::uint16_t* columnResult = extended + static_cast<std::ptrdiff_t>(radius) * 4;

    const std::uint8_t* rows[kMaxKernelSize];
    for (int outY = firstRow; outY < endRow; ++outY) {
        for (int tap = 0; tap < kernelSize; ++tap) {
            const int y = foldCoordinate(params.stride * outY + tap - radius, src.height, params.edge);
            rows[tap] = y < 0 ? nullptr : src.row(y);
        }
        m_columnPass({rows, m_kernel.taps.data(), kernelSize, src.width * 4, columnResult});

        // Border columns: copies of folded columns (zero for Zero), so the row pass needs no
        // edge logic. Folding handles frames narrower than the kernel.
        for (int border = 1; border <= radius; ++border) {
            for (int x : {-border, src.width - 1 + border}) {
                const int folded = foldCoordinate(x, src.width, params.edge);
                for (int channel = 0; channel < 4; ++channel) {
                    columnResult[x * 4 + channel] = folded < 0 ? 0 : columnResult[folded * 4 + channel];
                }
            }
        }
        m_rowPass({extended, m_kernel.taps.data(), kernelSize, params.stride, dst.width, m_kernel.roundingBias,
                   dst.row(outY)});
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
