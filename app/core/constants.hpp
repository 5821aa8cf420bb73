#pragma once
// The application's numbers, in one place: the CLI, the GUI, the frame sources and the writers
// read them here, and so do their error messages and help texts. The engine's own limits (K,
// sigma, threads) are in blurcam/limits.hpp.

namespace blurcam::app {

/// Largest image side blurcam decodes (and accepts for --size): 268M pixels, 1 GiB as RGBA8.
inline constexpr int kMaxImageSide = 16384;

/// The notebook's canvas: the GUI's frames are kFrameSide x kFrameSide, and so are the CLI's
/// bench and plan frames unless --size says otherwise.
inline constexpr int kFrameSide = 256;

/// Frame rate assumed for a source that does not state one (the pattern, some files, cameras).
inline constexpr double kDefaultFramesPerSecond = 30.0;

/// The GUI's sigma range and step (slider, spin box, the + and - keys); the engine accepts up
/// to blurcam::kMaxSigma.
inline constexpr double kMinGuiSigma = 0.1;
inline constexpr double kMaxGuiSigma = 10.0;
inline constexpr double kSigmaStep = 0.1;

} // namespace blurcam::app
