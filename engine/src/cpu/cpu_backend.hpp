#pragma once

#include "blurcam/backend.hpp"
#include "blurcam/kernel.hpp"
#include "row_kernels.hpp"
#include "thread_pool.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blurcam::cpu {

/// Whether this CPU can run the level.
[[nodiscard]] bool cpuRuns(CpuLevel level);

/// The level named in $BLURCAM_CPU_SIMD (scalar, sse2, avx2) when the CPU runs it, else the best
/// level it runs.
[[nodiscard]] CpuLevel defaultCpuLevel();

/// Per-thread buffers, grown to the largest frame seen and never shrunk, so a frame at a known
/// size allocates nothing.
struct RowScratch {
    std::vector<std::uint16_t> values;
    std::vector<std::uint8_t> zeroRow;
};

class CpuBackend final : public Backend {
  public:
    CpuBackend(int threads, CpuLevel level);

    [[nodiscard]] std::string name() const override;
    [[nodiscard]] std::string deviceName() const override { return "CPU"; }

  protected:
    void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) override;

  private:
    void processRows(const ImageView& src, const MutableImageView& dst, const BlurParams& params, int firstRow,
                     int endRow, RowScratch& scratch) const;

    CpuLevel m_level;
    void (*m_columnPass)(const ColumnPassArgs&);
    void (*m_rowPass)(const RowPassArgs&);
    bool (*m_columnPair)(const ColumnPairArgs&) = nullptr; ///< null where the level has none
    ThreadPool m_pool;
    std::optional<BlurParams> m_kernelParams; ///< what m_kernel was quantised for, if anything
    FixedPointKernel m_kernel;
    std::vector<RowScratch> m_scratch; ///< one per thread
};

} // namespace blurcam::cpu
