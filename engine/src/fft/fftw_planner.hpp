#pragma once
// The one place that talks to FFTW's planner. FFTW's planner, wisdom and plan destruction are
// not thread-safe, so every such call here runs under one process-wide mutex; executing a plan
// (fftwf_execute_dft_r2c and friends on the caller's own buffers) is thread-safe and runs
// outside it, so backends on different threads only meet here when they need a new size.

#include "fft_layout.hpp"

#include <fftw3.h>

#include <cstdint>
#include <memory>
#include <new>
#include <string>

namespace blurcam::fft {

/// An FFTW plan; destroyed (under the planner mutex) when the last holder lets go.
struct Plan {
    fftwf_plan handle = nullptr;
    bool measured = false; ///< FFTW_MEASURE quality (from wisdom or planFftSizes), not FFTW_ESTIMATE
};
using PlanPtr = std::shared_ptr<const Plan>;

/// The cached plan for a shape. A new shape gets a plan at once: from wisdom when wisdom knows
/// it (FFTW_WISDOM_ONLY costs no measuring), otherwise FFTW_ESTIMATE (milliseconds), so the
/// first frame at a new size never waits for measurements. Loads the wisdom file on first use.
/// Throws std::runtime_error if FFTW cannot plan the shape.
[[nodiscard]] PlanPtr acquirePlan(const TransformShape& shape);

/// Loads the wisdom file if this process has not yet (a backend calls it when it is made, so
/// a damaged file costs nothing later and the first frame finds the plans it can).
void loadWisdom();

/// Bumped each time planFftSizes() puts better plans in the cache, so a backend knows to
/// fetch its plans again (a relaxed atomic read, no lock per frame).
[[nodiscard]] std::uint64_t planGeneration();

/// Buffers from fftwf_malloc: the alignment every plan was made with, which the new-array
/// execute functions require.
struct FftwFree {
    void operator()(void* pointer) const { fftwf_free(pointer); }
};
template <typename T>
using FftwBuffer = std::unique_ptr<T[], FftwFree>;

template <typename T>
[[nodiscard]] FftwBuffer<T> allocateFftw(std::size_t count) {
    auto* memory = static_cast<T*>(fftwf_malloc(sizeof(T) * (count == 0 ? 1 : count)));
    if (memory == nullptr) {
        throw std::bad_alloc();
    }
    return FftwBuffer<T>(memory);
}

/// Samples in one plane of a shape's real and complex (half-spectrum) arrays.
[[nodiscard]] inline std::size_t realPlaneSize(const TransformShape& shape) {
    return static_cast<std::size_t>(shape.rows) * static_cast<std::size_t>(shape.columns);
}
[[nodiscard]] inline std::size_t complexPlaneSize(const TransformShape& shape) {
    return static_cast<std::size_t>(shape.rows) * static_cast<std::size_t>(shape.columns / 2 + 1);
}

} // namespace blurcam::fft
