// Opens on helper threads (camera:N, pipewire:NAME): a device whose open has not returned is not
// opened again, so a wedged driver holds one thread, not one per retry.
#include "pending_open.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <thread>

namespace blurcam::app::detail {
namespace {

TEST(PendingOpen, ASecondOpenOfTheSameDeviceIsRefusedUntilTheFirstReturns) {
    PendingOpen first = PendingOpen::claim("/dev/video-a");
    ASSERT_TRUE(first);
    EXPECT_FALSE(PendingOpen::claim("/dev/video-a"));
    EXPECT_TRUE(PendingOpen::claim("/dev/video-b")) << "another device is not held up";
    first.release();
    EXPECT_TRUE(PendingOpen::claim("/dev/video-a"));
}

TEST(PendingOpen, TheHelperThreadHoldsTheDeviceUntilItsOpenReturns) {
    std::latch driverAnswers(1);
    std::latch claimed(1);
    std::thread helper([pending = PendingOpen::claim("pipewire:cam"), &driverAnswers, &claimed]() mutable {
        claimed.count_down();
        driverAnswers.wait(); // the open blocks here, long after its caller gave up
        pending.release();
    });
    claimed.wait();
    EXPECT_FALSE(PendingOpen::claim("pipewire:cam"));
    driverAnswers.count_down();
    helper.join();
    EXPECT_TRUE(PendingOpen::claim("pipewire:cam"));
}

} // namespace
} // namespace blurcam::app::detail
