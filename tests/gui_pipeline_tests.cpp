// The pipeline end to end on Qt's offscreen platform: frames arrive, each control changes the next
// frame exactly as the engine would, a backend that cannot start or fails mid-stream hands over to
// the CPU, a slow backend drops frames instead of queueing them, and the status line says where a
// GPU frame's time went.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_fakes.hpp"
#include "gui_frame_checks.hpp"
#include "gui_test_support.hpp"
#include "kernel_heat_map.hpp"
#include "main_window.hpp"
#include "pipeline.hpp"

#include <blurcam/backend.hpp>
#include <blurcam/kernel.hpp>

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QScopeGuard>
#include <QSpinBox>
#include <QTest>

#include <opencv2/core.hpp>

#include <chrono>
#include <functional>

namespace blurcam::test {
namespace {

using gui::AppController;
using gui::ControllerOptions;
using widgets::GuiSettings;

TEST_F(GuiTest, StartsOnThePatternWithoutACameraAndFramesArrive) {
    AppController controller(GuiSettings{}, options()); // default source: camera:0
    controller.window().show();
    EXPECT_EQ(controller.window().settings().source, QStringLiteral("pattern"));
    EXPECT_TRUE(controller.window().sourceNote().contains(QStringLiteral("No camera found")));
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(watch.waitForMore(3));
    EXPECT_EQ(watch.input().size(), cv::Size(256, 256));  // centre-cropped and resized
    EXPECT_EQ(watch.output().size(), cv::Size(128, 128)); // stride 2 by default
    EXPECT_TRUE(sameImage(watch.output(), engineResult(watch.input(), GuiSettings{}.blurParams())));
    ASSERT_TRUE(waitFor([&] { return controller.window().statusText().contains(QStringLiteral("processed")); }));
    EXPECT_TRUE(controller.window().statusText().contains(QStringLiteral("cpu")));
}

TEST_F(GuiTest, EachWidgetChangesTheNextFrameExactlyAsTheEngineDoes) {
    ControllerOptions opts = options();
    opts.maker = fakeMaker({{BackendKind::Fft, FakeSpec{}}}); // an FFT stand-in that can always start
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    AppController controller(initial, std::move(opts));
    widgets::ControlPanel* controls = controller.window().controls();
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 1; }));

    BlurParams params = initial.blurParams();
    auto step = [&](const std::function<void()>& change, const std::function<void(BlurParams&)>& edit) {
        const BlurParams previous = params;
        edit(params);
        change();
        expectNextFrameUses(controller, params, previous);
    };
    step([&] { controls->sigmaSpinBox()->setValue(2.5); }, [](BlurParams& p) { p.sigma = 2.5; });
    step([&] { controls->kernelSizeSpinBox()->setValue(11); }, [](BlurParams& p) { p.kernelSize = 11; });
    step(
        [&] {
            controls->edgeCombo()->setCurrentIndex(controls->edgeCombo()->findData(static_cast<int>(EdgeMode::Wrap)));
        },
        [](BlurParams& p) { p.edge = EdgeMode::Wrap; });
    step([&] { controls->strideCombo()->setCurrentIndex(controls->strideCombo()->findData(1)); },
         [](BlurParams& p) { p.stride = 1; });
    step([&] { controls->kernelSizeSpinBox()->setValue(widgets::kAutoKernelSize); },
         [](BlurParams& p) { p.kernelSize = autoKernelSize(p.sigma); });
    step(
        [&] {
            controls->kernelCombo()->setCurrentIndex(
                controls->kernelCombo()->findData(static_cast<int>(KernelKind::Binomial)));
        },
        [](BlurParams& p) {
            p.kernel = KernelKind::Binomial;
            p.kernelSize = 5; // binomial forces 5
        });

    // The heat map follows the same settings.
    EXPECT_EQ(controls->heatMap()->kernelSize(), 5);
    EXPECT_EQ(controls->heatMap()->weights(), kernelWeights2D(params));

    // Backend: every backend must give the engine's picture, so only the backend changes.
    controls->backendCombo()->setCurrentIndex(controls->backendCombo()->findData(static_cast<int>(BackendKind::Fft)));
    expectNextFrameUses(controller, params, params, BackendKind::Fft);
}

TEST_F(GuiTest, ABackendThatCannotStartIsGreyedOutAndTheAppRunsOnCpu) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.backend = BackendKind::Vulkan; // VK_ICD_FILENAMES=/nonexistent, or not built at all
    const BackendResult vulkan = createBackend(BackendKind::Vulkan);
    REQUIRE_OR_SKIP(!vulkan.backend, "a Vulkan that cannot start (Vulkan started although main() pointed the "
                                     "loader at a missing driver)");
    AppController controller(initial, options());
    widgets::ControlPanel* controls = controller.window().controls();
    ASSERT_TRUE(waitFor([&] { return !controls->isBackendAvailable(BackendKind::Vulkan); }));
    EXPECT_TRUE(controls->backendToolTip(BackendKind::Vulkan).contains(QString::fromStdString(vulkan.error)));
    EXPECT_TRUE(controls->isBackendAvailable(BackendKind::Cpu));
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(watch.waitForMore(3));
    EXPECT_EQ(watch.last().backend, BackendKind::Cpu);
    EXPECT_EQ(controls->settings().backend, BackendKind::Cpu);
    EXPECT_TRUE(controller.window().notice().contains(QStringLiteral("switched to CPU")));
}

TEST_F(GuiTest, ABackendThatFailsMidStreamFallsBackToCpu) {
    ControllerOptions opts = options();
    FakeSpec lostAfterThree;
    lostAfterThree.failAfter = 3;
    opts.maker = fakeMaker({{BackendKind::Vulkan, lostAfterThree}});
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.backend = BackendKind::Vulkan;
    AppController controller(initial, std::move(opts));
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(waitFor([&] { return watch.count() > 0 && watch.last().backend == BackendKind::Vulkan; }));
    ASSERT_TRUE(waitFor([&] { return watch.last().backend == BackendKind::Cpu; }));
    const quint64 switchedAt = controller.pipeline().counters().processed;
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= switchedAt + 3; }));
    EXPECT_EQ(controller.window().controls()->settings().backend, BackendKind::Cpu);
    EXPECT_TRUE(controller.window().notice().contains(QStringLiteral("device lost")));
    EXPECT_TRUE(sameImage(watch.output(), engineResult(watch.input(), watch.last().params)));
}

TEST_F(GuiTest, WhenProcessingIsSlowerThanCaptureFramesAreDroppedNotQueued) {
    // Processing is held at a gate while the camera goes on: slower than capture by as much as
    // the test wants, on any machine, instead of a 40 ms backend racing a 120 fps camera.
    auto camera = std::make_shared<FakeCamera>();
    camera->fps = 120.0;
    auto gate = std::make_shared<Gate>();
    ControllerOptions opts = options();
    opts.opener = fakeOpener(camera);
    opts.cameras = QList<gui::CameraEntry>{gui::CameraEntry{app::SourceSpec::camera(7), QStringLiteral("Fake camera")}};
    FakeSpec held;
    held.gate = gate;
    opts.maker = fakeMaker({{BackendKind::Cpu, held}});
    GuiSettings initial;
    initial.source = QStringLiteral("camera:7");
    initial.processEveryN = 1;
    AppController controller(initial, std::move(opts));
    const auto openOnExit = qScopeGuard([&] { gate->open(); }); // before the controller waits for its worker
    const auto counters = [&] { return controller.pipeline().counters(); };

    ASSERT_TRUE(waitFor([&] { return gate->arrived() == 1; })) << "the first frame never reached the backend";
    const quint64 capturedBefore = counters().captured;
    ASSERT_TRUE(waitFor([&] { return counters().captured >= capturedBefore + 60; }));
    // Read in this order, each counter only grows: submitted is a lower bound here.
    const gui::PipelineCounters whileHeld = counters();
    const auto waiting = static_cast<long long>(whileHeld.submitted) - static_cast<long long>(whileHeld.dropped) -
                         static_cast<long long>(whileHeld.processed);
    // One frame in the mailbox, one held in the backend: 60 frames later nothing piled up.
    EXPECT_LE(waiting, 3) << "frames are piling up";
    EXPECT_EQ(whileHeld.processed, 0u);
    EXPECT_GT(whileHeld.dropped, 0u);

    gate->open();
    ASSERT_TRUE(waitFor([&] { return counters().processed >= 2; }));
    const gui::PipelineCounters after = counters();
    EXPECT_GT(after.dropped, 0u);
    EXPECT_LT(after.processed, after.submitted);
}

TEST_F(GuiTest, TheStatusLineShowsUploadGpuAndDownloadTimesOnVulkan) {
    const auto statusWith = [&](FrameTimings vulkanTimings, const QString& expected) {
        ControllerOptions opts = options();
        FakeSpec gpu;
        gpu.timings = vulkanTimings;
        FakeSpec fft;
        fft.timings = FrameTimings{0.0, 2.0, 0.0}; // compute only, as the FFT backend reports
        opts.maker = fakeMaker({{BackendKind::Vulkan, gpu}, {BackendKind::Fft, fft}});
        GuiSettings initial;
        initial.source = QStringLiteral("pattern");
        initial.backend = BackendKind::Vulkan;
        AppController controller(initial, std::move(opts));
        widgets::MainWindow& window = controller.window();
        ASSERT_TRUE(waitFor([&] {
            const QString text = window.statusText();
            return text.startsWith(QStringLiteral("fake vulkan")) && text.contains(expected);
        })) << window.statusText().toStdString();

        // Elsewhere there is nothing to move, so no split.
        widgets::ControlPanel* controls = window.controls();
        for (BackendKind other : {BackendKind::Cpu, BackendKind::Fft}) {
            controls->backendCombo()->setCurrentIndex(controls->backendCombo()->findData(static_cast<int>(other)));
            const QString name = other == BackendKind::Cpu ? QStringLiteral("cpu") : QStringLiteral("fake fft");
            ASSERT_TRUE(waitFor([&] {
                const QString text = window.statusText();
                return text.startsWith(name) && text.contains(QStringLiteral("engine")) &&
                       !text.contains(QStringLiteral("upload"));
            })) << window.statusText().toStdString();
        }
    };
    statusWith(FrameTimings{1.25, 3.5, 0.75}, QStringLiteral("upload 1.25 / GPU 3.50 / download 0.75 ms"));
    // Copies that round to nothing (host-visible memory) still show: it is worth knowing.
    statusWith(FrameTimings{0.0, 2.0, 0.0}, QStringLiteral("upload 0.00 / GPU 2.00 / download 0.00 ms"));
}

} // namespace
} // namespace blurcam::test
