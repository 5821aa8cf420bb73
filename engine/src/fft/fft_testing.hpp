#pragma once
// Private hooks for the FFT tests: what the planner did, and a way to start it cold again
// inside one test process (as a fresh process would).

namespace blurcam::fft {

struct PlannerStats {
    int estimatedPlans = 0;        ///< made with FFTW_ESTIMATE (nothing known about the shape)
    int wisdomPlans = 0;           ///< made instantly from wisdom (FFTW_WISDOM_ONLY)
    int measuredPlans = 0;         ///< made by measuring, in planFftSizes()
    bool wisdomFileLoaded = false; ///< the wisdom file existed and FFTW accepted it
};

[[nodiscard]] PlannerStats plannerStats();

/// Forgets all wisdom and cached plans and zeroes the stats; the next plan reloads the wisdom
/// file (from $BLURCAM_FFTW_WISDOM as it is then). Plans still held by backends stay valid.
void resetPlannerForTesting();

} // namespace blurcam::fft
