#pragma once
// One clock for every time blurcam measures: frame timings (Backend::lastTimings), capture
// stamps and latencies in the app, the CLI's summaries.

#include <chrono>
#include <cstdint>

namespace blurcam {

/// Nanoseconds on std::chrono::steady_clock, which never jumps with the wall clock.
[[nodiscard]] inline std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Milliseconds from a steadyNowNs() stamp until now.
[[nodiscard]] inline double millisecondsSince(std::int64_t startNs) {
    return static_cast<double>(steadyNowNs() - startNs) / 1e6;
}

} // namespace blurcam
