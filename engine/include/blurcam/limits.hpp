#pragma once
// The engine's limits, in one place: the parameter checks, their error messages, the CLI's help
// and the GUI's ranges all read them from here.

namespace blurcam {

inline constexpr int kMaxKernelSize = 63;     ///< K is odd, 1..kMaxKernelSize
inline constexpr int kDefaultKernelSize = 5;  ///< BlurParams' K
inline constexpr double kMaxSigma = 50.0;     ///< 0 < sigma <= kMaxSigma
inline constexpr int kMaxThreads = 256;       ///< BackendOptions::threads is 1..kMaxThreads
inline constexpr int kBinomialKernelSize = 5; ///< [1 4 6 4 1]/16

/// The notebook's canvas: the GUI's frames are kFrameSide x kFrameSide, and so are the CLI's
/// bench and plan frames unless --size says otherwise. Not a limit of the engine, but the widgets
/// (which know only Qt and the engine) and the app both read it, so it lives here.
inline constexpr int kFrameSide = 256;

} // namespace blurcam
