#pragma once
// Planning ahead for the FFT backend. A new frame size always starts at once with FFTW_ESTIMATE
// plans (milliseconds to make). FFTW_MEASURE plans run up to ~1.5x faster at 1080p on the test
// machine but take seconds to make, so they are made only when asked, by planFftSizes(), and
// kept as FFTW wisdom in a file that every later process loads when its first FFT backend is
// made. Call it where a wait is acceptable: a "plan" command, or a background thread once the
// size and kernel are known.

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <string>
#include <vector>

namespace blurcam {

struct FftPlanRequest {
    Size frame;        ///< input frame size
    BlurParams params; ///< the padding depends on K and stride, so they choose the transform sizes
};

struct FftPlanReport {
    int transformsPlanned = 0; ///< measured plans made or confirmed from wisdom
    std::string wisdomPath;    ///< where wisdom was saved ("" if nowhere)
    std::string error;         ///< one sentence if planning or saving failed, else ""
    int transformsKnown = 0;   ///< of transformsPlanned, those already measured (this process or
                               ///< the wisdom file) that needed no new measuring
};

/// Where the FFTW wisdom lives: $BLURCAM_FFTW_WISDOM if set, else
/// ${XDG_CACHE_HOME:-~/.cache}/blurcam/fftw-wisdom; "" when neither HOME nor XDG_CACHE_HOME is set.
[[nodiscard]] std::string fftWisdomPath();

/// Measures (FFTW_MEASURE, at most secondsPerTransform each) the transforms these frames need,
/// saves the wisdom file, and hands the better plans to running FFT backends at their next
/// frame. Blocks the caller for seconds per new size; while it measures, an FFT backend that
/// meets a size it has no plan for yet waits for it (backends with their plans keep running).
/// Never throws; failures come back in FftPlanReport::error.
[[nodiscard]] FftPlanReport planFftSizes(const std::vector<FftPlanRequest>& requests,
                                         double secondsPerTransform = 10.0);

} // namespace blurcam
