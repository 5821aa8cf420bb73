#include "cpu_backend.hpp"

#include "backend_registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace blurcam::cpu {
namespace {

// Frames smaller than this run on one thread: waking workers costs more than they save.
constexpr long kMinPixelsPerThread = 64 * 1024;

} // namespace

bool cpuRuns(CpuLevel level) {
#if defined(__x86_64__) || defined(__i386__)
    switch (level) {
    case CpuLevel::Scalar: return true;
    case CpuLevel::Sse2: return __builtin_cpu_supports("sse2");
    case CpuLevel::Avx2: return __builtin_cpu_supports("avx2");
    }
#endif
    return level == CpuLevel::Scalar;
}

CpuLevel defaultCpuLevel() {
    if (const char* forced = std::getenv("BLURCAM_CPU_SIMD")) {
        if (const auto level = parseNamed(kCpuLevels, forced); level && cpuRuns(*level)) {
            return *level;
        }
    }
    if (cpuRuns(CpuLevel::Avx2)) {
        return CpuLevel::Avx2;
    }
    return cpuRuns(CpuLevel::Sse2) ? CpuLevel::Sse2 : CpuLevel::Scalar;
}

CpuBackend::CpuBackend(int threads, CpuLevel level)
    : m_level(level), m_pool(std::max(1, threads)), m_scratch(static_cast<std::size_t>(std::max(1, threads))) {
    switch (level) {
    case CpuLevel::Avx2:
        m_columnPair = columnPairAvx2;
        m_columnPass = columnPassAvx2;
        m_rowPass = rowPassAvx2;
        break;
    case CpuLevel::Sse2:
        m_columnPass = columnPassSse2;
        m_rowPass = rowPassSse2;
        break;
    case CpuLevel::Scalar:
        m_columnPass = columnPassScalar;
        m_rowPass = rowPassScalar;
        break;
    }
}

std::string CpuBackend::name() const {
    const int threads = m_pool.size();
    return "cpu (" + std::string(findNamed(kCpuLevels, m_level)->name) + ", " + std::to_string(threads) +
           (threads == 1 ? " thread)" : " threads)");
}

void CpuBackend::processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    if (m_kernelParams != params) {
        m_kernel = quantizeKernel(params);
        m_kernelParams = params;
    }
    const long outputPixels = static_cast<long>(dst.width) * dst.height;
    const int parts = static_cast<int>(std::clamp<long>(outputPixels / kMinPixelsPerThread, 1, m_pool.size()));
    if (parts == 1) {
        processRows(src, dst, params, 0, dst.height, m_scratch[0]);
    } else {
        auto band = [&](int part) {
            if (part >= parts) {
                return;
            }
            const int first = static_cast<int>(static_cast<long>(dst.height) * part / parts);
            const int end = static_cast<int>(static_cast<long>(dst.height) * (part + 1) / parts);
            processRows(src, dst, params, first, end, m_scratch[static_cast<std::size_t>(part)]);
        };
        m_pool.run(band);
    }
}

// Fused: for each output row, the column pass reads its K source rows straight from the frame
// into one uint16 row (split into even and odd pixels for stride 2), which the row pass then
// reduces. Where the level can, two output rows share one column pass, so the source rows they
// have in common are read once. The only scratch is two such rows and a row of zeros standing in
// for zero padding.
void CpuBackend::processRows(const ImageView& src, const MutableImageView& dst, const BlurParams& params, int firstRow,
                             int endRow, RowScratch& scratch) const {
    const int kernelSize = params.kernelSize;
    const int radius = kernelSize / 2;
    const int stride = params.stride;
    const bool split = stride == 2;
    // Natural layout: pixel x at base + 4(x + radius). Split: two arrays, each with a margin of
    // `margin` pixels before pixel 0 so the left border (x >= -radius) fits.
    const int margin = radius / 2 + 1;
    const std::size_t naturalPixels = static_cast<std::size_t>(src.width) + 2 * radius;
    const std::size_t halfPixels = static_cast<std::size_t>(src.width) / 2 + radius + 4;
    const std::size_t slotValues = 4 * (split ? 2 * halfPixels : naturalPixels);
    if (scratch.values.size() < 2 * slotValues) {
        scratch.values.assign(2 * slotValues, 0);
    }
    if (params.edge == EdgeMode::Zero && scratch.zeroRow.size() < static_cast<std::size_t>(src.width) * 4) {
        scratch.zeroRow.assign(static_cast<std::size_t>(src.width) * 4, 0);
    }

    // One column-pass row buffer per slot, each with its pixel addressing and row-pass taps.
    struct Slot {
        std::uint16_t* even;
        std::uint16_t* odd;
        const std::uint16_t* tapRows[kMaxKernelSize];
    };
    Slot slots[2];
    for (int index = 0; index < 2; ++index) {
        std::uint16_t* base = scratch.values.data() + index * slotValues;
        slots[index].even = base + 4 * (split ? margin : radius);
        slots[index].odd = split ? base + 4 * (halfPixels + margin) : nullptr;
    }
    auto pixel = [&](const Slot& slot, int x) -> std::uint16_t* {
        if (!split) {
            return slot.even + 4 * x;
        }
        const int half = x >= 0 ? x / 2 : -((1 - x) / 2); // floor, also left of pixel 0
        return (x & 1) == 0 ? slot.even + 4 * half : slot.odd + 4 * half;
    };
    for (Slot& slot : slots) {
        // Tap t of output pixel j reads input column stride*j + t - radius.
        for (int tap = 0; tap < kernelSize; ++tap) {
            slot.tapRows[tap] = pixel(slot, tap - radius);
        }
    }
    // Border columns are copies of folded columns (zero for Zero), so the row pass needs no edge
    // logic. Which column each one copies is the same for every row: work it out once.
    struct BorderCopy {
        std::ptrdiff_t target;
        std::ptrdiff_t source; ///< -1: zero
    };
    BorderCopy borders[2 * kMaxKernelSize];
    int borderCount = 0;
    for (int border = 1; border <= radius; ++border) {
        for (int x : {-border, src.width - 1 + border}) {
            const int folded = foldCoordinate(x, src.width, params.edge);
            borders[borderCount++] = {pixel(slots[0], x) - slots[0].even,
                                      folded < 0 ? -1 : pixel(slots[0], folded) - slots[0].even};
        }
    }
    auto finishRow = [&](const Slot& slot, int outY) {
        for (int index = 0; index < borderCount; ++index) {
            std::uint16_t* target = slot.even + borders[index].target;
            for (int channel = 0; channel < 4; ++channel) {
                target[channel] = borders[index].source < 0 ? 0 : slot.even[borders[index].source + channel];
            }
        }
        m_rowPass(
            {slot.tapRows, m_kernel.taps.data(), kernelSize, dst.width * 4, m_kernel.roundingBias, dst.row(outY)});
    };

    // rows[u] = source row stride*outY + u - radius: rows[0..K) feed row outY, and
    // rows[stride..K+stride) feed row outY + 1 (the same coordinates, so edges agree too).
    const std::uint8_t* rows[kMaxKernelSize + 2];
    int outY = firstRow;
    while (outY < endRow) {
        const bool pair = outY + 1 < endRow && m_columnPair != nullptr;
        const int rowCount = kernelSize + (pair ? stride : 0);
        for (int u = 0; u < rowCount; ++u) {
            const int coordinate = stride * outY + u - radius;
            const int y = coordinate >= 0 && coordinate < src.height
                              ? coordinate
                              : foldCoordinate(coordinate, src.height, params.edge);
            rows[u] = y < 0 ? scratch.zeroRow.data() : src.row(y);
        }
        if (pair && m_columnPair({rows,
                                  m_kernel.taps.data(),
                                  kernelSize,
                                  stride,
                                  src.width,
                                  {slots[0].even, slots[1].even},
                                  {slots[0].odd, slots[1].odd}})) {
            finishRow(slots[0], outY);
            finishRow(slots[1], outY + 1);
            outY += 2;
            continue;
        }
        m_columnPass({rows, m_kernel.taps.data(), kernelSize, src.width, slots[0].even, slots[0].odd});
        finishRow(slots[0], outY);
        ++outY;
    }
}

} // namespace blurcam::cpu

namespace blurcam::detail {

BackendResult makeCpuBackend(const BackendOptions& options) {
    if (options.threads < 1 || options.threads > kMaxThreads) {
        return BackendResult::cannotStart("invalid thread count " + std::to_string(options.threads) +
                                          ": must be between 1 and " + std::to_string(kMaxThreads));
    }
    if (options.cpuLevel && !cpu::cpuRuns(*options.cpuLevel)) {
        return BackendResult::cannotStart("this CPU cannot run the " +
                                          std::string(findNamed(kCpuLevels, *options.cpuLevel)->name) +
                                          " level of the CPU backend");
    }
    return BackendResult::started(
        std::make_unique<cpu::CpuBackend>(options.threads, options.cpuLevel.value_or(cpu::defaultCpuLevel())));
}

} // namespace blurcam::detail
