#include "stop_signals.hpp"

#include "commands.hpp"

#include <array>
#include <atomic>
#include <csignal>

namespace blurcam::cli {
namespace {

std::atomic<int> g_stopSignal{0};
constexpr std::array kStopSignals{SIGINT, SIGTERM, SIGHUP};

extern "C" void onStopSignal(int signal) {
    g_stopSignal.store(signal);
    std::signal(signal, SIG_DFL);
}

} // namespace

void catchStopSignals() {
    for (const int signal : kStopSignals) {
        std::signal(signal, onStopSignal);
    }
}

int stopSignal() {
    return g_stopSignal.load();
}

int completedStatus() {
    const int signal = g_stopSignal.load();
    return signal == 0 ? kExitSuccess : 128 + signal;
}

StopSignalsHeld::StopSignalsHeld() {
    sigset_t held;
    sigemptyset(&held);
    for (const int signal : kStopSignals) {
        sigaddset(&held, signal);
    }
    ::sigprocmask(SIG_BLOCK, &held, &m_previous);
}

StopSignalsHeld::~StopSignalsHeld() {
    ::sigprocmask(SIG_SETMASK, &m_previous, nullptr);
}

} // namespace blurcam::cli
