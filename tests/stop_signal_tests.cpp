// The stop-signal thread in-process, so ThreadSanitizer (ci-tsan) sees the hand-off from the
// thread that takes the signal to the threads that wait for it. Each test runs in a process of
// its own (gtest_discover_tests), which the signal is sent to.
#include "stop_signals.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <latch>
#include <thread>
#include <vector>

namespace blurcam::cli {
namespace {

std::chrono::steady_clock::time_point farAway() {
    return std::chrono::steady_clock::now() + std::chrono::hours(24);
}

TEST(StopSignals, TheFirstSignalReachesEveryWaitingThreadAndSetsTheExitStatus) {
    blockStopSignals();
    catchStopSignals();
    EXPECT_EQ(stopSignal(), 0);
    EXPECT_EQ(completedStatus(), 0);
    // Started after the mask, as FFmpeg's and the engine's threads are: a process-directed signal
    // may pick any of them, and none may be ended by it.
    constexpr int kThreads = 4;
    std::latch started(kThreads);
    std::atomic<int> woken{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            started.count_down();
            if (waitForStopSignal(farAway())) {
                woken.fetch_add(1);
            }
        });
    }
    started.wait();
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(woken.load(), kThreads);
    EXPECT_EQ(stopSignal(), SIGTERM);
    EXPECT_EQ(completedStatus(), 128 + SIGTERM);
}

TEST(StopSignals, LaterSignalsKeepTheFirst) {
    blockStopSignals();
    catchStopSignals();
    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    ASSERT_TRUE(waitForStopSignal(farAway()));
    ASSERT_EQ(::kill(::getpid(), SIGINT), 0);
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    EXPECT_EQ(stopSignal(), SIGHUP);
    EXPECT_EQ(completedStatus(), 128 + SIGHUP);
}

TEST(StopSignals, WaitingEndsAtTheDeadlineWhenNoSignalCame) {
    blockStopSignals();
    catchStopSignals();
    EXPECT_FALSE(waitForStopSignal(std::chrono::steady_clock::now()));
    EXPECT_EQ(stopSignal(), 0);
}

TEST(StopSignalsDeathTest, BeforeARunCatchesThemASignalEndsTheProcessAsItsDefaultWould) {
    // The child starts afresh (exec), not as a fork of a process that may hold other threads.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            blockStopSignals();
            ::kill(::getpid(), SIGINT);
            (void)waitForStopSignal(farAway()); // the signal thread ends the process first
            std::_Exit(0);
        },
        ::testing::KilledBySignal(SIGINT), "");
}

} // namespace
} // namespace blurcam::cli
