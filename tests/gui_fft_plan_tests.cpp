// FFT plans are measured on a worker thread while frames keep coming on the FFT backend, once per
// frame shape, and saved to the wisdom file.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_frame_checks.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"

#include <blurcam/backend.hpp>
#include <blurcam/fft_planning.hpp>

#include <gtest/gtest.h>

#include <QComboBox>
#include <QThread>

#include <opencv2/core.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace blurcam::test {
namespace {

using gui::AppController;
using gui::ControllerOptions;
using widgets::GuiSettings;

TEST_F(GuiTest, FftPlansAreMeasuredOffTheGuiThreadOncePerShapeAndSaved) {
    const BackendResult fft = createBackend(BackendKind::Fft);
    REQUIRE_OR_SKIP(fft.backend, "no FFT backend in this build (FFTW, Debian: libfftw3-dev): " + fft.error);
    const std::filesystem::path wisdom = fftWisdomPath();
    ASSERT_FALSE(wisdom.empty());
    std::filesystem::remove(wisdom);

    std::atomic<bool> release{false};
    std::atomic<int> calls{0};
    std::atomic<QThread*> plannerThread{nullptr};
    QString plannerThreadName;
    ControllerOptions opts = options();
    opts.planner = [&](const std::vector<FftPlanRequest>& requests) {
        plannerThreadName = QThread::currentThread()->objectName();
        plannerThread = QThread::currentThread();
        ++calls;
        while (!release) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return planFftSizes(requests, 0.2);
    };
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.backend = BackendKind::Fft;
    AppController controller(initial, std::move(opts));
    struct Release { // declared after the controller, so a failed ASSERT never leaves it waiting
        std::atomic<bool>& flag;
        ~Release() { flag = true; }
    } releaseOnExit{release};
    widgets::MainWindow& window = controller.window();
    const FrameWatch watch(controller.pipeline());

    ASSERT_TRUE(waitFor([&] { return calls.load() == 1; }));
    EXPECT_NE(plannerThread.load(), QThread::currentThread());
    EXPECT_NE(plannerThreadName, QStringLiteral("blurcam processing"));
    EXPECT_TRUE(window.sourceNote().contains(QStringLiteral("measuring FFT plans for 256x256")))
        << window.sourceNote().toStdString();
    // While it measures, frames keep being blurred on the FFT backend and shown.
    const quint64 before = controller.pipeline().counters().processed;
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= before + 3; }));
    EXPECT_EQ(watch.last().backend, BackendKind::Fft);
    EXPECT_FALSE(std::filesystem::exists(wisdom));

    release = true;
    ASSERT_TRUE(waitFor([&] { return controller.fftPlansCompleted() == 1; }));
    EXPECT_TRUE(std::filesystem::exists(wisdom));
    EXPECT_TRUE(controller.lastPlanMessage().contains(QString::fromStdString(wisdom.string())))
        << controller.lastPlanMessage().toStdString();
    EXPECT_FALSE(window.sourceNote().contains(QStringLiteral("measuring")));

    // The same shape is not planned again; a new stride changes the transforms, so it is.
    const quint64 after = controller.pipeline().counters().processed;
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= after + 5; }));
    EXPECT_EQ(calls.load(), 1);
    widgets::ControlPanel* controls = window.controls();
    controls->strideCombo()->setCurrentIndex(controls->strideCombo()->findData(1));
    ASSERT_TRUE(waitFor([&] { return controller.fftPlansCompleted() == 2; }));
    EXPECT_EQ(calls.load(), 2);
    ASSERT_TRUE(watch.waitForMore(1));
    // Measured plans give the same picture as before: within 1 of the direct blur.
    EXPECT_LE(cv::norm(watch.output(), engineResult(watch.input(), watch.last().params), cv::NORM_INF), 1.0);
}

} // namespace
} // namespace blurcam::test
