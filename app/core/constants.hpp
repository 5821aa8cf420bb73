#pragma once
// The application's numbers, in one place: the CLI, the GUI, the frame sources and the writers
// read them here, and so do their error messages and help texts. The engine's own limits (K,
// sigma, threads) are in blurcam/limits.hpp; the GUI's sigma range is in ui/gui_settings.hpp.

#include <blurcam/limits.hpp>

namespace blurcam::app {

/// Largest image side blurcam decodes (and accepts for --size): 268M pixels, 1 GiB as RGBA8.
inline constexpr int kMaxImageSide = 16384;

/// The notebook's canvas (the GUI's frame side, the CLI's default --size): blurcam::kFrameSide in
/// blurcam/limits.hpp, since the widgets read it too.
using blurcam::kFrameSide;

/// Frame rate assumed for a source that does not state one (the pattern, some files, cameras).
inline constexpr double kDefaultFramesPerSecond = 30.0;

/// How long a pipe or FIFO given as the input may stay silent before its first byte: a FIFO that
/// no program writes to would otherwise make blurcam wait for ever.
inline constexpr int kPipeFirstByteWaitMs = 5000;

/// A camera's stated rate, or the default where the driver states none (0) or nonsense.
[[nodiscard]] constexpr double statedRateOrDefault(double fps) {
    constexpr double kMostBelievable = 1000.0;
    return fps > 0.0 && fps < kMostBelievable ? fps : kDefaultFramesPerSecond;
}

} // namespace blurcam::app
