// The CPU backend's thread pool (engine/src/cpu, private): a part that throws, on a worker or on
// the calling thread, reaches the caller only after every other part has finished, and the pool
// works again afterwards. ci-tsan runs this suite.
#include "cpu/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <string>

namespace blurcam::cpu {
namespace {

constexpr int kThreads = 4;

/// Throws on one chosen part; the others wait until that part has started (so they are still
/// running when it throws) and then count themselves done.
struct ThrowOnPart {
    int throwing;
    std::latch throwingStarted{1};
    std::atomic<int> finished{0};

    void operator()(int part) {
        if (part == throwing) {
            throwingStarted.count_down();
            throw std::runtime_error("part " + std::to_string(part));
        }
        throwingStarted.wait();
        finished.fetch_add(1);
    }
};

void expectThrowsAfterTheOthersFinished(ThreadPool& pool, int throwing) {
    SCOPED_TRACE("throwing part " + std::to_string(throwing));
    ThrowOnPart task{throwing};
    try {
        pool.run(task);
        ADD_FAILURE() << "the part's exception did not reach the caller";
    } catch (const std::runtime_error& error) {
        EXPECT_EQ(std::string(error.what()), "part " + std::to_string(throwing));
    }
    // Nothing unwound past the task while a part still used it.
    EXPECT_EQ(task.finished.load(), pool.size() - 1);
}

TEST(ThreadPool, AWorkersExceptionReachesTheCallerAfterEveryOtherPartFinished) {
    ThreadPool pool(kThreads);
    for (int part = 1; part < kThreads; ++part) {
        expectThrowsAfterTheOthersFinished(pool, part);
    }
}

TEST(ThreadPool, TheCallersOwnExceptionWaitsForTheWorkers) {
    ThreadPool pool(kThreads);
    expectThrowsAfterTheOthersFinished(pool, 0);
}

TEST(ThreadPool, OnePartWhenAlone) {
    ThreadPool pool(1);
    expectThrowsAfterTheOthersFinished(pool, 0);
}

TEST(ThreadPool, EveryPartThrowingGivesOneExceptionAndThePoolRunsAgain) {
    ThreadPool pool(kThreads);
    auto throwing = [](int part) { throw std::runtime_error("part " + std::to_string(part)); };
    EXPECT_THROW(pool.run(throwing), std::runtime_error);
    EXPECT_THROW(pool.run(throwing), std::runtime_error); // no exception left over from the last run
    std::atomic<int> ran{0};
    auto counting = [&](int) { ran.fetch_add(1); };
    pool.run(counting);
    EXPECT_EQ(ran.load(), kThreads);
}

} // namespace
} // namespace blurcam::cpu
