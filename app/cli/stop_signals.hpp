#pragma once
// How a run is asked to stop: SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal). The first
// one ends reading and lets the run finish its output; a second one (default action) ends the
// process at once. The run then exits with 128 + N, as shells report a process stopped by signal N.

#include <signal.h>

namespace blurcam::cli {

/// Installs the handlers; call before the run's loop.
void catchStopSignals();

/// The signal that asked the run to stop, 0 while none has.
[[nodiscard]] int stopSignal();

/// Exit status of a run that completed its output: 0, or 128 + N when signal N stopped it.
[[nodiscard]] int completedStatus();

/// Holds the stop signals back while the output is being put in place, so that a second Ctrl-C
/// cannot leave half of it renamed; they are delivered when this goes out of scope.
class StopSignalsHeld {
  public:
    StopSignalsHeld();
    ~StopSignalsHeld();
    StopSignalsHeld(const StopSignalsHeld&) = delete;
    StopSignalsHeld& operator=(const StopSignalsHeld&) = delete;

  private:
    sigset_t m_previous{};
};

} // namespace blurcam::cli
