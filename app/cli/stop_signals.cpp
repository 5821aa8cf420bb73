#include "stop_signals.hpp"

#include "commands.hpp"

#include <pthread.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <mutex>
#include <thread>

namespace blurcam::cli {
namespace {

constexpr std::array kStopSignals{SIGINT, SIGTERM, SIGHUP};

sigset_t stopSignalSet() {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal : kStopSignals) {
        sigaddset(&set, signal);
    }
    return set;
}

/// What the signal thread shares with the run.
struct StopState {
    std::mutex mutex;
    std::condition_variable arrived;
    bool catching = false;      ///< a run has called catchStopSignals()
    std::atomic<int> signal{0}; ///< the first stop signal; written under mutex
};

StopState& state() {
    // Never destroyed: the signal thread may still take a signal while the process exits.
    static auto* const shared = new StopState;
    return *shared;
}

/// Ends the process by the signal, as if it had never been blocked.
[[noreturn]] void endBy(int signal) {
    std::signal(signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    ::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    ::raise(signal);
    ::_exit(128 + signal); // not reached: the default action of every stop signal ends the process
}

void takeSignals() {
    const sigset_t set = stopSignalSet();
    StopState& shared = state();
    for (;;) {
        int signal = 0;
        if (::sigwait(&set, &signal) != 0) {
            continue;
        }
        std::unique_lock lock(shared.mutex);
        if (!shared.catching) {
            endBy(signal); // nothing is being written that the signal could cut short
        }
        if (shared.signal.load() != 0) {
            lock.unlock();
            static const char kAgain[] = "blurcam-cli: already stopping; the output is being finished\n";
            [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, kAgain, sizeof kAgain - 1);
            continue;
        }
        shared.signal.store(signal);
        lock.unlock();
        shared.arrived.notify_all();
    }
}

std::once_flag g_started;

} // namespace

void blockStopSignals() {
    std::call_once(g_started, [] {
        const sigset_t set = stopSignalSet();
        ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
        (void)state();
        std::thread(takeSignals).detach(); // lives as long as the process; it holds no resources
    });
}

void catchStopSignals() {
    blockStopSignals(); // normally done already by main()
    StopState& shared = state();
    const std::lock_guard lock(shared.mutex);
    shared.catching = true;
}

int stopSignal() {
    return state().signal.load();
}

bool waitForStopSignal(std::chrono::steady_clock::time_point deadline) {
    StopState& shared = state();
    std::unique_lock lock(shared.mutex);
    return shared.arrived.wait_until(lock, deadline, [&] { return shared.signal.load() != 0; });
}

int completedStatus() {
    const int signal = stopSignal();
    return signal == 0 ? kExitSuccess : 128 + signal;
}

} // namespace blurcam::cli
