#pragma once
// How a run is asked to stop: SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal).
//
// main() blocks them before any thread starts, so every thread (FFmpeg's frame threads, the
// engine's pool) inherits the mask and none of them can be ended by one; a thread of blurcam's own
// takes them with sigwait(). Until a run calls catchStopSignals() a stop signal ends the process,
// as its default action would. After that the first one ends reading and lets the run finish its
// output, and the run exits with 128 + N, as shells report a process stopped by signal N; later
// ones change nothing (the output is never left half renamed), and kill -9 still ends it at once.

#include <chrono>

namespace blurcam::cli {

/// Blocks the stop signals and starts the thread that takes them. Call first in main(), before
/// anything can start a thread: threads started earlier could still be ended by a stop signal.
void blockStopSignals();

/// From now on a stop signal asks the run to stop instead of ending the process; call before the
/// run's loop.
void catchStopSignals();

/// The signal that asked the run to stop, 0 while none has.
[[nodiscard]] int stopSignal();

/// Waits until a stop signal has arrived (true) or until deadline (false).
bool waitForStopSignal(std::chrono::steady_clock::time_point deadline);

/// Exit status of a run that completed its output: 0, or 128 + N when signal N stopped it.
[[nodiscard]] int completedStatus();

} // namespace blurcam::cli
