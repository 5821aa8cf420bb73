// The FFT plan scheduler on its own, with a planner that only records: which frames start a
// measurement, which do not, and what the app says when one ends. Runs whether or not this build
// has FFTW (the GUI test with the real planner skips without it).

#include "fft_plan_scheduler.hpp"
#include "gui_test_support.hpp"

#include <gtest/gtest.h>

#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace {

using namespace blurcam;
using blurcam::gui::FftPlanScheduler;
using blurcam::test::waitFor;

gui::ProcessedFrame frameOf(BackendKind backend, int width, int height, int stride = 1) {
    gui::ProcessedFrame frame;
    frame.backend = backend;
    frame.input = QImage(width, height, QImage::Format_RGBA8888);
    frame.params.kernelSize = 9;
    frame.params.stride = stride;
    return frame;
}

/// Records what it is asked for and answers with `report`; holds each call until released.
struct RecordingPlanner {
    FftPlanReport report;
    std::atomic<bool> released{true};
    std::atomic<int> calls{0};
    std::atomic<bool> onGuiThread{false};
    std::mutex mutex;
    std::vector<FftPlanRequest> lastRequests;

    gui::FftPlanner planner() {
        return [this](const std::vector<FftPlanRequest>& requests) {
            onGuiThread = onGuiThread || QThread::currentThread() == qApp->thread();
            {
                const std::lock_guard lock(mutex);
                lastRequests = requests;
            }
            ++calls;
            while (!released) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            return report;
        };
    }
};

TEST(FftPlanScheduler, MeasuresEachNewShapeOnceOffTheGuiThreadAndOnlyForTheFftBackend) {
    RecordingPlanner recorder;
    recorder.report.transformsPlanned = 2;
    recorder.report.wisdomPath = "/scratch/fftw-wisdom";
    // Destroying the scheduler waits for its planning thread: the drain after which "no other
    // call" is a fact rather than "none yet".
    auto owned = std::make_unique<FftPlanScheduler>(recorder.planner());
    FftPlanScheduler& scheduler = *owned;
    QStringList started;
    QStringList finished;
    QObject::connect(&scheduler, &FftPlanScheduler::measuringStarted, [&](const QString& note) { started << note; });
    QObject::connect(&scheduler, &FftPlanScheduler::measuringFinished,
                     [&](const QString& message) { finished << message; });

    // A measurement starts inside frameProcessed() (measuringStarted, then the planner is
    // queued), so whether one started is known when it returns; the drain at the end catches a
    // planner call that came some other way.
    scheduler.frameProcessed(frameOf(BackendKind::Cpu, 64, 48));
    scheduler.frameProcessed(frameOf(BackendKind::Vulkan, 64, 48));
    EXPECT_TRUE(started.isEmpty()) << "only the FFT backend needs plans";

    scheduler.frameProcessed(frameOf(BackendKind::Fft, 64, 48));
    ASSERT_TRUE(waitFor([&] { return scheduler.completed() == 1; }));
    EXPECT_FALSE(recorder.onGuiThread.load());
    ASSERT_EQ(recorder.lastRequests.size(), 1U);
    EXPECT_EQ(recorder.lastRequests[0].frame.width, 64);
    EXPECT_EQ(recorder.lastRequests[0].frame.height, 48);
    EXPECT_EQ(recorder.lastRequests[0].params.kernelSize, 9);
    ASSERT_EQ(started.size(), 1);
    EXPECT_TRUE(started[0].contains(QStringLiteral("measuring FFT plans for 64x48"))) << started[0].toStdString();
    ASSERT_EQ(finished.size(), 1);
    EXPECT_EQ(finished[0], scheduler.lastMessage());
    EXPECT_TRUE(finished[0].contains(QStringLiteral("saved to /scratch/fftw-wisdom"))) << finished[0].toStdString();

    // The same shape again is not measured again; a new stride changes the transforms, so it is.
    scheduler.frameProcessed(frameOf(BackendKind::Fft, 64, 48));
    EXPECT_EQ(started.size(), 1) << "the same shape started a second measurement";
    scheduler.frameProcessed(frameOf(BackendKind::Fft, 64, 48, 2));
    ASSERT_TRUE(waitFor([&] { return scheduler.completed() == 2; }));
    EXPECT_EQ(started.size(), 2);

    owned.reset();
    EXPECT_EQ(recorder.calls.load(), 2) << "the planner was called for a frame that needed no plans";
}

TEST(FftPlanScheduler, AShapeMetWhileAnotherIsMeasuredIsTakenFromALaterFrame) {
    RecordingPlanner recorder;
    recorder.released = false;
    FftPlanScheduler scheduler(recorder.planner());
    struct Release { // declared after the scheduler, so a failed ASSERT never leaves it waiting
        std::atomic<bool>& flag;
        ~Release() { flag = true; }
    } releaseOnExit{recorder.released};

    scheduler.frameProcessed(frameOf(BackendKind::Fft, 64, 48));
    ASSERT_TRUE(waitFor([&] { return recorder.calls.load() == 1; }));
    scheduler.frameProcessed(frameOf(BackendKind::Fft, 32, 32));
    recorder.released = true;
    ASSERT_TRUE(waitFor([&] { return scheduler.completed() == 1; }));
    EXPECT_EQ(recorder.calls.load(), 1);

    scheduler.frameProcessed(frameOf(BackendKind::Fft, 32, 32));
    ASSERT_TRUE(waitFor([&] { return scheduler.completed() == 2; }));
    const std::lock_guard lock(recorder.mutex);
    EXPECT_EQ(recorder.lastRequests.at(0).frame.width, 32);
}

TEST(FftPlanScheduler, SaysWhenPlansWereKnownAndWhyTheyWereNotSaved) {
    RecordingPlanner recorder;
    recorder.report.transformsPlanned = 2;
    recorder.report.transformsKnown = 2;
    recorder.report.wisdomPath = "/scratch/fftw-wisdom";
    FftPlanScheduler scheduler(recorder.planner());
    scheduler.frameProcessed(frameOf(BackendKind::Fft, 64, 48));
    ASSERT_TRUE(waitFor([&] { return scheduler.completed() == 1; }));
    EXPECT_TRUE(scheduler.lastMessage().contains(QStringLiteral("already measured")))
        << scheduler.lastMessage().toStdString();

    recorder.report = {};
    recorder.report.error = "cannot write the wisdom file";
    scheduler.frameProcessed(frameOf(BackendKind::Fft, 32, 32));
    ASSERT_TRUE(waitFor([&] { return scheduler.completed() == 2; }));
    EXPECT_TRUE(scheduler.lastMessage().contains(QStringLiteral("32x32 not saved: cannot write the wisdom file")))
        << scheduler.lastMessage().toStdString();
}

} // namespace
