// The desktop app, end to end on Qt's offscreen platform: real window, real pipeline threads,
// fake sources and backends where a camera or a misbehaving GPU would be needed.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "display_check.hpp"
#include "frame_convert.hpp"
#include "gui_test_support.hpp"
#include "kernel_heat_map.hpp"
#include "main_window.hpp"
#include "pipeline.hpp"
#include "shortcut_overlay.hpp"
#include "spectrum_view.hpp"
#include "video_view.hpp"

#include <blurcam/backend.hpp>
#include <blurcam/fft_planning.hpp>
#include <blurcam/kernel.hpp>
#include <blurcam/spectrum.hpp>

#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QKeyEvent>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

namespace {

using namespace blurcam;
using blurcam::gui::AppController;
using blurcam::gui::ControllerOptions;
using blurcam::test::GuiTest;
using blurcam::test::waitFor;
using blurcam::ui::GuiSettings;

/// Deep copy of a QImage (any format) into a CV_8UC4 RGBA Mat, to compare with the engine.
cv::Mat matOf(const QImage& image) {
    const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
    cv::Mat wrapped(rgba.height(), rgba.width(), CV_8UC4, const_cast<uchar*>(rgba.constBits()),
                    static_cast<std::size_t>(rgba.bytesPerLine()));
    return wrapped.clone();
}

/// What the window is given: the pipeline's processedFrame signal, as the GUI receives it.
class FrameWatch {
  public:
    explicit FrameWatch(const gui::Pipeline& pipeline) {
        QObject::connect(&pipeline, &gui::Pipeline::processedFrame, &m_context,
                         [this](const gui::ProcessedFrame& frame) {
                             m_last = frame;
                             ++m_count;
                         });
    }
    [[nodiscard]] const gui::ProcessedFrame& last() const { return m_last; }
    [[nodiscard]] quint64 count() const { return m_count; }
    [[nodiscard]] cv::Mat input() const { return matOf(m_last.input); }
    [[nodiscard]] cv::Mat output() const { return matOf(m_last.output); }
    /// Waits until `more` frames beyond those seen so far have arrived. Frames in flight (at most
    /// two) may predate a change, so a caller that needs a frame made after it asks for three.
    bool waitForMore(quint64 more) const {
        const quint64 target = m_count + more;
        return waitFor([&] { return m_count >= target; });
    }

  private:
    QObject m_context; ///< disconnects the lambda when the watch goes
    gui::ProcessedFrame m_last;
    quint64 m_count = 0;
};

bool sameImage(const cv::Mat& left, const cv::Mat& right) {
    return left.size() == right.size() && left.type() == right.type() && cv::norm(left, right, cv::NORM_INF) == 0.0;
}

/// What the engine computes for this input: a fresh CPU backend, nothing shared with the app.
cv::Mat engineResult(const cv::Mat& input, const BlurParams& params) {
    BackendResult made = createBackend(BackendKind::Cpu);
    const Size size = outputSize({input.cols, input.rows}, params.stride);
    cv::Mat output(size.height, size.width, CV_8UC4);
    made.backend->process(app::toImageView(input), app::toMutableImageView(output), params);
    return output;
}

/// A backend that is really the CPU one under another name, optionally slow or failing after
/// a number of frames (a GPU lost mid-stream).
class FakeBackend final : public Backend {
  public:
    FakeBackend(std::string name, std::chrono::milliseconds delay, int failAfter,
                std::optional<FrameTimings> timings = {})
        : m_cpu(createBackend(BackendKind::Cpu).backend), m_name(std::move(name)), m_delay(delay),
          m_failAfter(failAfter), m_timings(timings) {}
    [[nodiscard]] std::string name() const override { return m_name; }
    [[nodiscard]] std::string deviceName() const override { return "fake device"; }

  protected:
    void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) override {
        if (m_failAfter >= 0 && m_frames++ >= m_failAfter) {
            throw std::runtime_error("fake GPU: device lost");
        }
        std::this_thread::sleep_for(m_delay);
        m_cpu->process(src, dst, params);
        m_lastTimings = m_timings.value_or(m_cpu->lastTimings());
    }

  private:
    std::unique_ptr<Backend> m_cpu;
    std::string m_name;
    std::chrono::milliseconds m_delay;
    int m_failAfter;
    int m_frames = 0;
    std::optional<FrameTimings> m_timings; ///< what lastTimings() reports, as a GPU would
};

struct FakeSpec {
    std::chrono::milliseconds delay{0};
    int failAfter = -1;                  ///< frames before process() throws; -1: never
    std::optional<FrameTimings> timings; ///< reported by lastTimings(); unset: the CPU's
};

gui::BackendMaker fakeMaker(std::map<BackendKind, FakeSpec> fakes) {
    return [fakes](BackendKind kind) -> BackendResult {
        if (auto found = fakes.find(kind); found != fakes.end()) {
            BackendResult result;
            result.backend = std::make_unique<FakeBackend>("fake " + std::string(toString(kind)), found->second.delay,
                                                           found->second.failAfter, found->second.timings);
            return result;
        }
        return createBackend(kind);
    };
}

/// A camera stand-in: pattern frames at a fixed rate, failing while `unplugged` is set (both
/// reads and re-opens, as a real unplugged camera does).
struct FakeCamera {
    std::atomic<bool> unplugged{false};
    std::atomic<int> opens{0};
    double fps = 60.0;
};

class FakeCameraSource final : public app::FrameSource {
  public:
    explicit FakeCameraSource(std::shared_ptr<FakeCamera> camera) : m_camera(std::move(camera)) {}
    app::ReadStatus read(cv::Mat& rgba) override {
        if (m_camera->unplugged) {
            return app::ReadStatus::Error;
        }
        rgba = app::renderTestPattern({320, 240}, m_index++);
        return app::ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return "fake camera"; }
    [[nodiscard]] std::string error() const override { return "fake camera: the device was unplugged"; }
    [[nodiscard]] double framesPerSecond() const override { return m_camera->fps; }

  private:
    std::shared_ptr<FakeCamera> m_camera;
    long long m_index = 0;
};

gui::SourceOpener fakeOpener(std::shared_ptr<FakeCamera> camera) {
    return [camera](const std::string& spec) -> app::OpenedSource {
        if (spec != "camera:7") {
            return app::openFrameSource(spec);
        }
        ++camera->opens;
        if (camera->unplugged) {
            return {nullptr, "fake camera: /dev/video7 does not exist"};
        }
        return {std::make_unique<FakeCameraSource>(camera), {}};
    };
}

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

/// Waits for the first frame blurred with `expected` and checks it is what the engine computes
/// for that input, and (when `previous` differs) different from the previous setting's result.
void expectNextFrameUses(AppController& controller, const BlurParams& expected, const BlurParams& previous,
                         BackendKind backend = BackendKind::Cpu) {
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(waitFor([&] {
        return watch.count() > 0 && watch.last().params == expected && watch.last().backend == backend;
    })) << "no frame with the new settings arrived";
    const cv::Mat input = watch.input();
    const cv::Mat output = watch.output();
    EXPECT_TRUE(sameImage(output, engineResult(input, expected)));
    if (previous != expected) {
        EXPECT_FALSE(sameImage(output, engineResult(input, previous)));
    }
}

TEST_F(GuiTest, EachWidgetChangesTheNextFrameExactlyAsTheEngineDoes) {
    ControllerOptions opts = options();
    opts.maker = fakeMaker({{BackendKind::Fft, FakeSpec{}}}); // an FFT stand-in that can always start
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    AppController controller(initial, std::move(opts));
    ui::ControlPanel* controls = controller.window().controls();
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
    step([&] { controls->kernelSizeSpinBox()->setValue(ui::kAutoKernelSize); },
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
    if (vulkan.backend) {
        GTEST_SKIP() << "Vulkan started although main() pointed the loader at a missing driver";
    }
    AppController controller(initial, options());
    ui::ControlPanel* controls = controller.window().controls();
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
    opts.maker = fakeMaker({{BackendKind::Vulkan, FakeSpec{std::chrono::milliseconds(0), 3}}});
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

TEST_F(GuiTest, ASourceThatFailsShowsTheBannerAndResumesOnItsOwn) {
    auto camera = std::make_shared<FakeCamera>();
    ControllerOptions opts = options();
    opts.opener = fakeOpener(camera);
    opts.cameras = QList<ui::CameraEntry>{{7, QStringLiteral("Fake camera")}};
    GuiSettings initial;
    initial.source = QStringLiteral("camera:7");
    AppController controller(initial, std::move(opts));
    ui::MainWindow& window = controller.window();
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 2; }));
    EXPECT_FALSE(window.isBannerVisible());

    camera->unplugged = true;
    ASSERT_TRUE(waitFor([&] { return window.isBannerVisible(); }));
    EXPECT_TRUE(window.bannerText().contains(QStringLiteral("unplugged")));
    const int opensWhileFailing = camera->opens;
    ASSERT_TRUE(waitFor([&] { return camera->opens >= opensWhileFailing + 2; })) << "no retries";
    EXPECT_TRUE(window.isBannerVisible());

    camera->unplugged = false;
    ASSERT_TRUE(waitFor([&] { return !window.isBannerVisible(); }));
    const quint64 resumedAt = controller.pipeline().counters().processed;
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= resumedAt + 3; }));
    EXPECT_EQ(window.settings().source, QStringLiteral("camera:7"));
}

TEST_F(GuiTest, ACameraPluggedInLaterReplacesTheStandInPattern) {
    auto camera = std::make_shared<FakeCamera>();
    ControllerOptions opts = options(); // no cameras at start
    opts.opener = fakeOpener(camera);
    GuiSettings initial;
    initial.source = QStringLiteral("camera:7");
    AppController controller(initial, std::move(opts));
    ui::MainWindow& window = controller.window();
    EXPECT_EQ(window.settings().source, QStringLiteral("pattern"));
    EXPECT_TRUE(window.sourceNote().contains(QStringLiteral("No camera found")));
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 1; }));
    EXPECT_EQ(camera->opens, 0);
    {
        QSettings stored; // the pattern only stands in: the wanted camera stays saved
        EXPECT_EQ(GuiSettings::load(stored).source, QStringLiteral("camera:7"));
    }

    controller.setCameras({{7, QStringLiteral("Fake camera")}});
    EXPECT_EQ(window.settings().source, QStringLiteral("camera:7"));
    EXPECT_TRUE(window.sourceNote().isEmpty());
    ASSERT_TRUE(waitFor([&] { return camera->opens >= 1; }));
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(watch.waitForMore(3)); // at most two were in flight from the pattern
    // The fake camera renders the pattern at 320x240 (the real pattern source is 640x480): the
    // blurred input must be one of the camera's frames, cropped and resized.
    const cv::Mat input = watch.input();
    bool fromCamera = false;
    for (long long index = 0; index < 5000 && !fromCamera; ++index) {
        fromCamera = sameImage(input, app::prepareFrame(app::renderTestPattern({320, 240}, index),
                                                        app::FrameShape::CropToAspect, {256, 256}));
    }
    EXPECT_TRUE(fromCamera);
}

TEST_F(GuiTest, SettingsWrittenByOneWindowAreReadByTheNext) {
    GuiSettings changed;
    {
        GuiSettings initial;
        initial.source = QStringLiteral("pattern");
        AppController first(initial, options());
        ui::ControlPanel* controls = first.window().controls();
        controls->sigmaSpinBox()->setValue(3.3);
        controls->edgeCombo()->setCurrentIndex(controls->edgeCombo()->findData(static_cast<int>(EdgeMode::Mirror)));
        controls->kernelSizeSpinBox()->setValue(13);
        controls->strideCombo()->setCurrentIndex(controls->strideCombo()->findData(1));
        controls->everyNSpinBox()->setValue(4);
        controls->frameShapeCombo()->setCurrentIndex(
            controls->frameShapeCombo()->findData(static_cast<int>(ui::FrameShapeChoice::Stretch)));
        controls->compareCombo()->setCurrentIndex(
            controls->compareCombo()->findData(static_cast<int>(ui::CompareMode::Split)));
        first.window().resize(900, 600);
        changed = controls->settings();
    }
    ASSERT_DOUBLE_EQ(changed.sigma, 3.3);

    QSettings stored;
    const GuiSettings loaded = GuiSettings::load(stored);
    EXPECT_EQ(loaded, changed);
    AppController second(loaded, options());
    EXPECT_EQ(second.window().settings(), changed);
    EXPECT_EQ(second.window().size(), QSize(900, 600));
    EXPECT_EQ(second.window().videoView()->compareMode(), ui::CompareMode::Split);

    second.resetToDefaults();
    GuiSettings defaults;
    defaults.source = changed.source;
    EXPECT_EQ(second.window().settings(), defaults);
    QSettings afterReset;
    EXPECT_EQ(GuiSettings::load(afterReset), defaults);
}

TEST_F(GuiTest, WhenProcessingIsSlowerThanCaptureFramesAreDroppedNotQueued) {
    auto camera = std::make_shared<FakeCamera>();
    camera->fps = 120.0;
    ControllerOptions opts = options();
    opts.opener = fakeOpener(camera);
    opts.cameras = QList<ui::CameraEntry>{{7, QStringLiteral("Fake camera")}};
    opts.maker = fakeMaker({{BackendKind::Cpu, FakeSpec{std::chrono::milliseconds(40), -1}}});
    GuiSettings initial;
    initial.source = QStringLiteral("camera:7");
    initial.processEveryN = 1;
    AppController controller(initial, std::move(opts));
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().captured >= 120; }));
    for (int sample = 0; sample < 20; ++sample) {
        // Read in this order, each counter only grows: submitted is a lower bound here.
        const gui::PipelineCounters counters = controller.pipeline().counters();
        const auto waiting = static_cast<long long>(counters.submitted) - static_cast<long long>(counters.dropped) -
                             static_cast<long long>(counters.processed);
        // At most one frame in the mailbox, one being blurred, one being handed over.
        EXPECT_LE(waiting, 3) << "frames are piling up";
        QTest::qWait(20);
    }
    const gui::PipelineCounters counters = controller.pipeline().counters();
    EXPECT_GT(counters.dropped, 0u);
    EXPECT_GT(counters.processed, 0u);
    EXPECT_LT(counters.processed, counters.submitted);
}

TEST_F(GuiTest, EachCameraRemembersItsOwnSettings) {
    // Two fake cameras, both healthy: camera:7 and camera:8.
    auto cameraA = std::make_shared<FakeCamera>();
    auto cameraB = std::make_shared<FakeCamera>();
    const QList<ui::CameraEntry> cameras{{7, QStringLiteral("Fake camera A")}, {8, QStringLiteral("Fake camera B")}};
    const auto makeOptions = [&] {
        ControllerOptions opts = options();
        opts.cameras = cameras;
        opts.maker = fakeMaker({{BackendKind::Fft, FakeSpec{}}});
        opts.opener = [cameraA, cameraB](const std::string& spec) -> app::OpenedSource {
            if (spec == "camera:7" || spec == "camera:8") {
                return {std::make_unique<FakeCameraSource>(spec == "camera:7" ? cameraA : cameraB), {}};
            }
            return app::openFrameSource(spec);
        };
        return opts;
    };
    const auto select = [](QComboBox* combo, const QVariant& data) {
        const int row = combo->findData(data);
        ASSERT_GE(row, 0) << data.toString().toStdString();
        combo->setCurrentIndex(row);
    };

    GuiSettings settingsA;
    GuiSettings settingsB;
    {
        GuiSettings initial;
        initial.source = QStringLiteral("camera:7");
        AppController controller(initial, makeOptions());
        ui::ControlPanel* controls = controller.window().controls();
        controls->sigmaSpinBox()->setValue(3.0);
        select(controls->edgeCombo(), static_cast<int>(EdgeMode::Wrap));
        controls->everyNSpinBox()->setValue(3);
        settingsA = controls->settings();

        // Camera B has nothing saved: it starts from the current (global) settings.
        select(controls->sourceCombo(), QStringLiteral("camera:8"));
        EXPECT_DOUBLE_EQ(controls->settings().sigma, 3.0);
        EXPECT_EQ(controls->settings().edge, EdgeMode::Wrap);
        controls->sigmaSpinBox()->setValue(5.5);
        select(controls->strideCombo(), 1);
        select(controls->kernelCombo(), static_cast<int>(KernelKind::Binomial));
        select(controls->frameShapeCombo(), static_cast<int>(ui::FrameShapeChoice::Stretch));
        select(controls->backendCombo(), static_cast<int>(BackendKind::Fft));
        settingsB = controls->settings();
        ASSERT_NE(settingsA.blurParams(), settingsB.blurParams());

        // Back to A: its own settings return, widgets and pipeline both.
        select(controls->sourceCombo(), QStringLiteral("camera:7"));
        EXPECT_EQ(controls->settings(), settingsA);
        expectNextFrameUses(controller, settingsA.blurParams(), settingsB.blurParams(), BackendKind::Cpu);
        select(controls->sourceCombo(), QStringLiteral("camera:8"));
        EXPECT_EQ(controls->settings(), settingsB);
        expectNextFrameUses(controller, settingsB.blurParams(), settingsA.blurParams(), BackendKind::Fft);
    }

    // Saved under each camera's identity, and read back by the next run.
    QSettings stored;
    const GuiSettings defaults;
    const QString identityA = ui::sourceIdentity(QStringLiteral("camera:7"), QStringLiteral("Fake camera A"));
    const QString identityB = ui::sourceIdentity(QStringLiteral("camera:8"), QStringLiteral("Fake camera B"));
    EXPECT_NE(identityA, identityB);
    EXPECT_TRUE(GuiSettings::hasSourceSettings(stored, identityA));
    EXPECT_FALSE(GuiSettings::hasSourceSettings(stored, QStringLiteral("pattern")));
    GuiSettings expectedA = GuiSettings::loadForSource(stored, identityA, defaults);
    GuiSettings expectedB = GuiSettings::loadForSource(stored, identityB, defaults);
    for (GuiSettings* expected : {&expectedA, &expectedB}) {
        expected->source = QString(); // the source and view settings are not per camera
    }
    GuiSettings comparableA = settingsA;
    GuiSettings comparableB = settingsB;
    comparableA.source = comparableB.source = QString();
    EXPECT_EQ(expectedA, comparableA);
    EXPECT_EQ(expectedB, comparableB);

    // A new window started on B (the last used) then switched to A gets A's settings.
    AppController second(GuiSettings::load(stored), makeOptions());
    ui::ControlPanel* controls = second.window().controls();
    EXPECT_EQ(controls->settings(), settingsB);
    select(controls->sourceCombo(), QStringLiteral("camera:7"));
    EXPECT_EQ(controls->settings(), settingsA);
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
        ui::MainWindow& window = controller.window();
        ASSERT_TRUE(waitFor([&] {
            const QString text = window.statusText();
            return text.startsWith(QStringLiteral("fake vulkan")) && text.contains(expected);
        })) << window.statusText().toStdString();

        // Elsewhere there is nothing to move, so no split.
        ui::ControlPanel* controls = window.controls();
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

TEST_F(GuiTest, SnapshotSavesTheBlurredFrameOrThePair) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    AppController controller(initial, options());
    QTemporaryDir snapshots;
    controller.window().setSnapshotDirectory(snapshots.path());
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 2; }));
    QTest::qWait(50); // let the processed frame reach the window
    const QString single = controller.window().saveSnapshot();
    ASSERT_FALSE(single.isEmpty());
    EXPECT_EQ(QImage(single).size(), QSize(128, 128));

    ui::ControlPanel* controls = controller.window().controls();
    controls->setSettings([&] {
        GuiSettings pair = controls->settings();
        pair.snapshotPair = true;
        return pair;
    }());
    QTest::qWait(5);
    const QString pair = controller.window().saveSnapshot();
    ASSERT_FALSE(pair.isEmpty());
    EXPECT_EQ(QImage(pair).size(), QSize(512, 256));
}

TEST_F(GuiTest, HoldingSpaceShowsTheOriginalAndShortcutsWork) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    AppController controller(initial, options());
    ui::MainWindow& window = controller.window();
    window.show();
    QApplication::setActiveWindow(&window);
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    window.videoView()->setFocus();

    QTest::keyPress(&window, Qt::Key_Space);
    EXPECT_TRUE(window.videoView()->compareHeld());
    QTest::keyRelease(&window, Qt::Key_Space);
    EXPECT_FALSE(window.videoView()->compareHeld());

    const double sigma = window.settings().sigma;
    QTest::keyClick(&window, Qt::Key_Equal);
    EXPECT_DOUBLE_EQ(window.settings().sigma, sigma + 0.1);
    QTest::keyClick(&window, Qt::Key_E);
    EXPECT_EQ(window.settings().edge, EdgeMode::Mirror); // clamp -> mirror
    QTest::keyClick(&window, Qt::Key_F1);
    EXPECT_TRUE(window.shortcutOverlay()->isVisible());
    QTest::keyClick(window.shortcutOverlay(), Qt::Key_Escape); // any key closes it
    EXPECT_FALSE(window.shortcutOverlay()->isVisible());
    QTest::keyClick(&window, Qt::Key_Question);
    EXPECT_TRUE(window.shortcutOverlay()->isVisible());
}

TEST_F(GuiTest, GrabsTheWholeWindowForAPersonToLookAt) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.sigma = 2.0;
    initial.kernelSize = ui::kAutoKernelSize;
    AppController controller(initial, options());
    ui::MainWindow& window = controller.window();
    window.resize(1200, 720);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 5; }));
    ASSERT_TRUE(waitFor([&] { return window.statusText().contains(QStringLiteral("fps")); }));
    QTest::qWait(100);

    ASSERT_TRUE(QDir().mkpath(QStringLiteral(BLURCAM_SCREENSHOT_DIR)));
    const QImage shot = window.grab().toImage();
    EXPECT_TRUE(shot.save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/main_window.png")));
    // Something was drawn: the picture is not one flat colour.
    EXPECT_GT(shot.width(), 800);
    const QColor corner = shot.pixelColor(shot.width() / 4, shot.height() / 2);
    bool varied = false;
    for (int x = 0; x < shot.width() && !varied; x += 7) {
        varied = shot.pixelColor(x, shot.height() / 2) != corner;
    }
    EXPECT_TRUE(varied);

    window.controls()->compareCombo()->setCurrentIndex(1);
    window.spectrumDock()->show();
    const quint64 shown = controller.pipeline().counters().processed;
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= shown + 3; }));
    QTest::qWait(100);
    EXPECT_TRUE(window.grab().toImage().save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/split_and_spectrum.png")));
    window.shortcutOverlay()->toggle();
    QTest::qWait(100);
    EXPECT_TRUE(window.grab().toImage().save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/split_and_shortcuts.png")));
}

TEST_F(GuiTest, FftPlansAreMeasuredOffTheGuiThreadOncePerShapeAndSaved) {
    const BackendResult fft = createBackend(BackendKind::Fft);
    if (!fft.backend) {
        GTEST_SKIP() << "no FFT backend in this build: " << fft.error;
    }
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
    ui::MainWindow& window = controller.window();
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
    ui::ControlPanel* controls = window.controls();
    controls->strideCombo()->setCurrentIndex(controls->strideCombo()->findData(1));
    ASSERT_TRUE(waitFor([&] { return controller.fftPlansCompleted() == 2; }));
    EXPECT_EQ(calls.load(), 2);
    ASSERT_TRUE(watch.waitForMore(1));
    // Measured plans give the same picture as before: within 1 of the direct blur.
    EXPECT_LE(cv::norm(watch.output(), engineResult(watch.input(), watch.last().params), cv::NORM_INF), 1.0);
}

TEST(DisplayCheck, AnUnreachableXServerIsReportedBeforeQtStarts) {
    auto env = [](std::map<std::string, std::string> values) {
        return [values](const char* name) -> const char* {
            auto found = values.find(name);
            return found == values.end() ? nullptr : found->second.c_str();
        };
    };
    std::vector<std::string> probed;
    const auto noServer = [&](const std::string& display) {
        probed.push_back(display);
        return false;
    };
    const std::string message = gui::unreachableDisplayMessage(env({{"DISPLAY", ":5"}}), {}, noServer);
    EXPECT_NE(message.find("DISPLAY=:5"), std::string::npos) << message;
    EXPECT_NE(message.find("blurcam-cli"), std::string::npos) << message;
    EXPECT_EQ(probed, std::vector<std::string>{":5"});
    EXPECT_FALSE(
        gui::unreachableDisplayMessage(env({{"DISPLAY", ":5"}, {"QT_QPA_PLATFORM", "xcb"}}), {}, noServer).empty());
    EXPECT_TRUE(
        gui::unreachableDisplayMessage(env({{"DISPLAY", ":5"}}), {}, [](const std::string&) { return true; }).empty());
    // Not X11, or no DISPLAY to try: nothing to probe.
    probed.clear();
    EXPECT_TRUE(gui::unreachableDisplayMessage(env({{"DISPLAY", ":5"}, {"QT_QPA_PLATFORM", "offscreen"}}), {}, noServer)
                    .empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(env({{"DISPLAY", ":5"}}), "offscreen", noServer).empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(env({{"DISPLAY", ":5"}, {"WAYLAND_DISPLAY", "wayland-0"}}), {}, noServer)
                    .empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(env({}), {}, noServer).empty());
    EXPECT_TRUE(probed.empty());
    // The real probe: nobody serves display 987 here.
    EXPECT_FALSE(gui::x11ServerAnswers(":987"));
}

TEST(DisplayCheck, TheAppExitsWithOneLineWhenTheXServerIsGone) {
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_QPA_PLATFORM")); // ctest's offscreen would skip the X server
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.insert(QStringLiteral("DISPLAY"), QStringLiteral(":987"));
    QTemporaryDir home; // should it get past the check, it must not touch the user's settings
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    app.setProcessEnvironment(environment);
    app.start(QStringLiteral(BLURCAM_APP_PATH), {QStringLiteral("--source"), QStringLiteral("pattern")});
    ASSERT_TRUE(app.waitForFinished(blurcam::test::kWaitMs)) << "the app did not exit";
    EXPECT_EQ(app.exitStatus(), QProcess::NormalExit) << "it crashed instead of saying why";
    EXPECT_EQ(app.exitCode(), 1);
    const QString err = QString::fromLocal8Bit(app.readAllStandardError());
    const QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 1) << err.toStdString();
    EXPECT_TRUE(lines[0].contains(QStringLiteral("DISPLAY=:987"))) << err.toStdString();
    EXPECT_TRUE(lines[0].contains(QStringLiteral("blurcam-cli"))) << err.toStdString();
    EXPECT_TRUE(app.readAllStandardOutput().isEmpty());
}

TEST(DisplayCheck, SaysSoWithoutADisplayAndPointsToTheCli) {
    auto env = [](std::map<std::string, std::string> values) {
        return [values](const char* name) -> const char* {
            auto found = values.find(name);
            return found == values.end() ? nullptr : found->second.c_str();
        };
    };
    const std::string none = gui::missingDisplayMessage(env({}));
    EXPECT_NE(none.find("blurcam-cli"), std::string::npos);
    EXPECT_TRUE(gui::missingDisplayMessage(env({{"DISPLAY", ":0"}})).empty());
    EXPECT_TRUE(gui::missingDisplayMessage(env({{"WAYLAND_DISPLAY", "wayland-0"}})).empty());
    EXPECT_TRUE(gui::missingDisplayMessage(env({{"QT_QPA_PLATFORM", "offscreen"}})).empty());
    EXPECT_TRUE(gui::missingDisplayMessage(env({}), "minimal").empty());
    EXPECT_FALSE(gui::missingDisplayMessage(env({{"QT_QPA_PLATFORM", "xcb"}})).empty());
    EXPECT_FALSE(gui::missingDisplayMessage(env({{"QT_QPA_PLATFORM", "wayland"}, {"DISPLAY", ":0"}})).empty());
    EXPECT_TRUE(
        gui::missingDisplayMessage(env({{"QT_QPA_PLATFORM", "wayland;xcb"}, {"WAYLAND_DISPLAY", "w"}})).empty());
}

bool sameFloat(const FloatImage& left, const FloatImage& right) {
    return left.width == right.width && left.height == right.height && left.values == right.values;
}

ImageView viewOf(const QImage& rgba) {
    return ImageView{rgba.constBits(), rgba.width(), rgba.height(), static_cast<std::size_t>(rgba.bytesPerLine())};
}

TEST_F(GuiTest, TheSpectrumPanelShowsTheEngineSpectraOfTheFramesAndTheKernelResponse) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.sigma = 2.0;
    initial.kernelSize = 9;
    AppController controller(initial, options());
    ui::MainWindow& window = controller.window();
    window.show();
    window.spectrumDock()->show();
    ui::SpectrumView* view = window.spectrumView();
    ASSERT_TRUE(waitFor([&] { return view->completedUpdates() >= 1; }));

    const ui::FrameSpectra& spectra = view->spectra();
    EXPECT_TRUE(sameFloat(view->kernelImage(), kernelResponse(initial.blurParams(), {256, 256})));
    if (const BackendResult fft = createBackend(BackendKind::Fft); !fft.backend) {
        // Without FFTW the kernel response is still there, and the panel says why the rest is not.
        EXPECT_TRUE(spectra.error.contains(QStringLiteral("FFT"))) << spectra.error.toStdString();
        EXPECT_EQ(spectra.outputSpectrum.width, 0);
        GTEST_SKIP() << "no FFTW in this build: " << fft.error;
    }
    ASSERT_TRUE(spectra.error.isEmpty()) << spectra.error.toStdString();
    ASSERT_EQ(spectra.input.size(), QSize(256, 256));
    ASSERT_EQ(spectra.output.size(), QSize(128, 128)); // stride 2
    // The panel's "after" is the engine's blur of its "before", and both spectra are the engine's.
    EXPECT_TRUE(sameImage(matOf(spectra.output), engineResult(matOf(spectra.input), initial.blurParams())));
    EXPECT_TRUE(sameFloat(spectra.inputSpectrum, magnitudeSpectrum(frameLuminance(viewOf(spectra.input)))));
    EXPECT_TRUE(sameFloat(spectra.outputSpectrum, magnitudeSpectrum(frameLuminance(viewOf(spectra.output)))));
    EXPECT_EQ(view->kernelGrid(), (Size{256, 256}));
    EXPECT_TRUE(sameFloat(view->kernelImage(), kernelResponse(initial.blurParams(), {256, 256})));

    // The response follows the controls.
    window.controls()->sigmaSpinBox()->setValue(4.0);
    BlurParams changed = initial.blurParams();
    changed.sigma = 4.0;
    EXPECT_TRUE(sameFloat(view->kernelImage(), kernelResponse(changed, {256, 256})));
    EXPECT_FALSE(sameFloat(view->kernelImage(), kernelResponse(initial.blurParams(), {256, 256})));

    // Later frames keep coming while the dock is open.
    const quint64 seen = view->completedUpdates();
    ASSERT_TRUE(waitFor([&] { return view->completedUpdates() > seen; }));
}

TEST(SpectrumPanel, SaysWhyWhenASpectrumCannotBeComputed) {
    // An empty frame is what the engine refuses in every build; a build without FFTW refuses
    // every frame, and the panel must show that sentence instead of spectra.
    const ui::FrameSpectra empty = ui::SpectrumView::computeSpectra(QImage(), QImage());
    EXPECT_FALSE(empty.error.isEmpty());
    EXPECT_EQ(empty.inputSpectrum.width, 0);

    QImage grey(64, 48, QImage::Format_RGBA8888);
    grey.fill(QColor(90, 90, 90));
    const ui::FrameSpectra real = ui::SpectrumView::computeSpectra(grey, grey);
    try {
        const FloatImage expected = magnitudeSpectrum(frameLuminance(viewOf(real.input)));
        EXPECT_TRUE(real.error.isEmpty());
        EXPECT_TRUE(sameFloat(real.inputSpectrum, expected));
    } catch (const std::runtime_error& error) {
        EXPECT_EQ(real.error.toStdString(), error.what());
    }
}

TEST(GuiSettingsTest, BlurParamsFollowTheSizeRules) {
    GuiSettings settings;
    settings.sigma = 10.0;
    settings.kernelSize = ui::kAutoKernelSize;
    EXPECT_EQ(settings.blurParams().kernelSize, 61); // 2*ceil(30)+1
    settings.kernel = KernelKind::Binomial;
    settings.kernelSize = 31;
    EXPECT_EQ(settings.blurParams().kernelSize, 5);
}

TEST(GuiSettingsTest, GarbageInTheSettingsFileFallsBackToDefaults) {
    QTemporaryDir dir;
    QSettings stored(dir.filePath(QStringLiteral("bad.ini")), QSettings::IniFormat);
    stored.setValue(QStringLiteral("blur/sigma"), QStringLiteral("banana"));
    stored.setValue(QStringLiteral("blur/kernelSize"), 64);
    stored.setValue(QStringLiteral("blur/edge"), QStringLiteral("sideways"));
    stored.setValue(QStringLiteral("blur/stride"), 3);
    stored.setValue(QStringLiteral("video/processEveryN"), 99);
    stored.setValue(QStringLiteral("video/frameShape"), 7);
    EXPECT_EQ(GuiSettings::load(stored), GuiSettings{});
}

TEST(GuiSettingsTest, PerSourceSettingsRoundTripForFilePathsAndKeepTheirOwnGroups) {
    QTemporaryDir dir;
    QSettings stored(dir.filePath(QStringLiteral("sources.ini")), QSettings::IniFormat);
    GuiSettings file;
    file.sigma = 7.5;
    file.edge = EdgeMode::Reflect;
    file.kernelSize = 21;
    file.processEveryN = 5;
    file.frameShape = ui::FrameShapeChoice::Native;
    file.backend = BackendKind::Fft;
    const QString path = QStringLiteral("/home/someone/Videos/a clip [1].mp4");
    file.saveForSource(stored, path);
    const QString nested = QStringLiteral("/home/someone/Videos"); // a prefix of the path: its own group
    EXPECT_TRUE(GuiSettings::hasSourceSettings(stored, path));
    EXPECT_FALSE(GuiSettings::hasSourceSettings(stored, nested));
    const GuiSettings fallback;
    const GuiSettings loaded = GuiSettings::loadForSource(stored, path, fallback);
    EXPECT_DOUBLE_EQ(loaded.sigma, 7.5);
    EXPECT_EQ(loaded.edge, EdgeMode::Reflect);
    EXPECT_EQ(loaded.kernelSize, 21);
    EXPECT_EQ(loaded.processEveryN, 5);
    EXPECT_EQ(loaded.frameShape, ui::FrameShapeChoice::Native);
    EXPECT_EQ(loaded.backend, BackendKind::Fft);
    EXPECT_EQ(GuiSettings::loadForSource(stored, nested, fallback), fallback);
    EXPECT_EQ(ui::sourceIdentity(QStringLiteral("camera:2"), QStringLiteral("USB Camera")),
              QStringLiteral("camera:USB Camera#2"));
    EXPECT_EQ(ui::sourceIdentity(QStringLiteral("camera:2")), QStringLiteral("camera:2"));
    EXPECT_EQ(ui::sourceIdentity(QStringLiteral("pattern"), QStringLiteral("ignored")), QStringLiteral("pattern"));
}

TEST(CameraProbe, ListsCaptureNodesAndSkipsMetadataNodes) {
    QTemporaryDir root;
    QDir dir(root.path());
    ASSERT_TRUE(dir.mkpath(QStringLiteral("dev")));
    for (const char* node : {"video0", "video1", "video2"}) {
        QFile(dir.filePath(QStringLiteral("dev/") + QLatin1String(node))).open(QIODevice::WriteOnly);
    }
    auto writeSys = [&](const QString& node, const QString& name, const QString& index) {
        dir.mkpath(QStringLiteral("sys/") + node);
        QFile nameFile(dir.filePath(QStringLiteral("sys/%1/name").arg(node)));
        nameFile.open(QIODevice::WriteOnly);
        nameFile.write(name.toUtf8() + '\n');
        QFile indexFile(dir.filePath(QStringLiteral("sys/%1/index").arg(node)));
        indexFile.open(QIODevice::WriteOnly);
        indexFile.write(index.toUtf8() + '\n');
    };
    writeSys(QStringLiteral("video0"), QStringLiteral("Integrated Camera"), QStringLiteral("0"));
    writeSys(QStringLiteral("video1"), QStringLiteral("Integrated Camera"), QStringLiteral("1"));
    writeSys(QStringLiteral("video2"), QStringLiteral("USB Camera"), QStringLiteral("0"));
    // QDir::System lists device nodes; plain files stand in for them here.
    const QList<ui::CameraEntry> cameras =
        gui::probeCameras(dir.filePath(QStringLiteral("dev")), dir.filePath(QStringLiteral("sys")));
    ASSERT_EQ(cameras.size(), 2);
    EXPECT_EQ(cameras[0].index, 0);
    EXPECT_EQ(cameras[0].name, QStringLiteral("Integrated Camera"));
    EXPECT_EQ(cameras[1].index, 2);
    EXPECT_EQ(cameras[1].name, QStringLiteral("USB Camera"));
}

} // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // ctest sets QT_QPA_PLATFORM=offscreen; a developer running the binary by hand gets it too.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Point the Vulkan loader at a driver manifest that does not exist (both variables: with
    // VK_ICD_FILENAMES alone it falls back to its default search), before anything loads it, so
    // every test here sees the "Vulkan cannot start" path whether or not the build has Vulkan.
    const QByteArray missingDriver = "/nonexistent/blurcam-gui-tests/no_such_icd.json";
    qputenv("VK_ICD_FILENAMES", missingDriver);
    qputenv("VK_DRIVER_FILES", missingDriver);
    // FFT plans measured by the app under test go to a scratch wisdom file, never the user's.
    const QString wisdom =
        QDir::temp().filePath(QStringLiteral("blurcam-gui-tests-%1.wisdom").arg(QCoreApplication::applicationPid()));
    qputenv("BLURCAM_FFTW_WISDOM", wisdom.toLocal8Bit());
    QApplication application(argc, argv);
    const int status = RUN_ALL_TESTS();
    QFile::remove(wisdom);
    return status;
}
