// A stop signal that comes again while blurcam-cli finishes its output: every thread of the CLI
// (FFmpeg's, the engine's pool) has the stop signals blocked and one thread takes them, so the
// second one cannot end the process half way through the read-back and the rename.
#include "cli_test_support.hpp"

#include <csignal>
#include <cstdint>
#include <thread>

namespace blurcam::test {
namespace {

/// One "Name:\tvalue" line of /proc/PID/status; "" when there is none (the process is gone).
std::string statusField(pid_t pid, const std::string& name) {
    std::istringstream status(readText("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(status, line);) {
        if (line.rfind(name + ":", 0) == 0) {
            const std::size_t value = line.find_first_not_of(" \t", name.size() + 1);
            return value == std::string::npos ? std::string() : line.substr(value);
        }
    }
    return {};
}

bool hasSignal(pid_t pid, const std::string& mask, int signal) {
    const std::string hex = statusField(pid, mask);
    return !hex.empty() && ((std::stoull(hex, nullptr, 16) >> (signal - 1)) & 1U) != 0;
}

/// The process has taken the signal: it is pending nowhere, and no handler of the process still
/// catches it (a handler that sets the default action back has run), or the process has ended.
/// Polls, with a generous give-up guard; it asserts nothing about timing.
bool waitUntilTaken(pid_t pid, int signal) {
    for (int attempt = 0; attempt < 60000; ++attempt) {
        const std::string state = statusField(pid, "State");
        if (state.empty() || state[0] == 'Z') {
            return true;
        }
        if (!hasSignal(pid, "ShdPnd", signal) && !hasSignal(pid, "SigPnd", signal) &&
            !hasSignal(pid, "SigCgt", signal)) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

/// Waits until the run's temporary holds at least `bytes`: the read-back that finishing does
/// then takes a while, and a signal sent right after the first lands inside it.
bool waitForATemporaryOf(const ScratchDirectory& dir, std::uintmax_t bytes) {
    for (int attempt = 0; attempt < 12000; ++attempt) {
        for (const std::string& name : dir.listing()) {
            std::error_code ignored;
            if (name.find("blurcam-tmp") != std::string::npos && fs::file_size(dir / name, ignored) >= bytes) {
                return true;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

TEST(CliStopSignals, ASecondSignalWhileTheOutputIsFinishedChangesNothing) {
    const ScratchDirectory dir;
    for (const int signal : {SIGINT, SIGTERM}) {
        SCOPED_TRACE(signal);
        RunningCli running =
            startCli({"process", "--input", "pattern", "--frames", "1000000000", "--output", "out.avi"}, dir.path());
        ASSERT_TRUE(waitForATemporaryOf(dir, 8U << 20));
        ::kill(running.pid, signal);
        ASSERT_TRUE(waitUntilTaken(running.pid, signal));
        ::kill(running.pid, signal);
        const CliRun run = waitForCli(running);
        EXPECT_EQ(run.exitCode, 128 + signal) << describe(run);
        static const std::regex kFrames(R"(output: +out\.avi \((\d+) frames?)");
        std::smatch match;
        ASSERT_TRUE(std::regex_search(run.out, match, kFrames)) << "the summary was not printed\n" << describe(run);
        EXPECT_EQ(countVideoFrames(dir / "out.avi"), std::stoll(match[1])) << describe(run);
        EXPECT_EQ(dir.listing(), std::set<std::string>{"out.avi"}) << describe(run);
        fs::remove(dir / "out.avi");
    }
}

} // namespace
} // namespace blurcam::test
