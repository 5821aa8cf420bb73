// Two GUI behaviours that tests waiting for "eventually right" could not see (issue 26): the
// status line right after a backend switch, held there by a backend that blocks its first frame;
// and the mailbox between capture and processing, driven one frame at a time by a camera that
// delivers only when told, so every frame must arrive once, in order, and none may count as
// dropped.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_fakes.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "pipeline.hpp"

#include <blurcam/backend.hpp>

#include <gtest/gtest.h>

#include <QComboBox>
#include <QImage>

#include <opencv2/core.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace blurcam::test {
namespace {

using gui::AppController;
using gui::ControllerOptions;
using widgets::GuiSettings;

/// Opens the gate when the test leaves its scope, before the controller's destructor waits for
/// the threads: declared after the controller, it is destroyed first.
struct OpenOnExit {
    std::shared_ptr<Gate> gate;
    ~OpenOnExit() { gate->open(); }
};

/// The CPU backend under the name "gated cpu", holding every frame at the gate.
class GatedBackend final : public Backend {
  public:
    explicit GatedBackend(std::shared_ptr<Gate> gate)
        : m_cpu(createBackend(BackendKind::Cpu).backend), m_gate(std::move(gate)) {}
    [[nodiscard]] std::string name() const override { return "gated cpu"; }
    [[nodiscard]] std::string deviceName() const override { return "fake device"; }

  protected:
    void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) override {
        m_gate->pass();
        m_cpu->process(src, dst, params);
    }

  private:
    std::unique_ptr<Backend> m_cpu;
    std::shared_ptr<Gate> m_gate;
};

TEST_F(GuiTest, RightAfterASwitchTheStatusLineHasNoTimingsOfTheOldBackend) {
    auto gate = std::make_shared<Gate>();
    ControllerOptions opts = options();
    FakeSpec gpu;
    gpu.timings = FrameTimings{1.25, 3.5, 0.75};
    const gui::BackendMaker fakes = fakeMaker({{BackendKind::Vulkan, gpu}});
    opts.maker = [gate, fakes](BackendKind kind) -> BackendResult {
        if (kind != BackendKind::Cpu) {
            return fakes(kind);
        }
        BackendResult result;
        result.backend = std::make_unique<GatedBackend>(gate);
        return result;
    };
    GuiSettings initial = settingsOn(QStringLiteral("pattern"));
    initial.backend = BackendKind::Vulkan;
    AppController controller(initial, std::move(opts));
    const OpenOnExit openOnExit{gate};
    widgets::MainWindow& window = controller.window();
    ASSERT_TRUE(waitFor([&] { return window.statusText().contains(QStringLiteral("upload 1.25")); }))
        << window.statusText().toStdString();

    widgets::ControlPanel* controls = window.controls();
    controls->backendCombo()->setCurrentIndex(controls->backendCombo()->findData(static_cast<int>(BackendKind::Cpu)));
    // The CPU backend now holds its first frame: no frame of it can reach the window, so what the
    // status line shows comes from the switch alone.
    ASSERT_TRUE(waitFor([&] {
        return gate->arrived() > 0 && window.statusText().startsWith(QStringLiteral("gated cpu"));
    })) << window.statusText().toStdString();
    EXPECT_FALSE(window.statusText().contains(QStringLiteral("upload"))) << window.statusText().toStdString();
    EXPECT_FALSE(window.statusText().contains(QStringLiteral("GPU 3.50"))) << window.statusText().toStdString();
}

/// A camera that delivers frame n only once the test allowed n + 1 frames; each frame is flat,
/// its first two channels the frame's number, so it survives the crop and resize unchanged.
struct SteppedCamera {
    std::mutex mutex;
    std::condition_variable changed;
    int allowed = 0;
    bool closing = false;

    void allow(int frames) {
        const std::lock_guard lock(mutex);
        allowed = frames;
        changed.notify_all();
    }
    void close() {
        const std::lock_guard lock(mutex);
        closing = true;
        changed.notify_all();
    }
};

class SteppedCameraSource final : public app::FrameSource {
  public:
    explicit SteppedCameraSource(std::shared_ptr<SteppedCamera> camera) : m_camera(std::move(camera)) {}
    app::ReadStatus read(cv::Mat& rgba) override {
        std::unique_lock lock(m_camera->mutex);
        m_camera->changed.wait(lock, [this] { return m_camera->closing || m_next < m_camera->allowed; });
        if (m_camera->closing) {
            return app::ReadStatus::Error;
        }
        rgba = cv::Mat(240, 320, CV_8UC4, cv::Scalar(m_next % 256, m_next / 256, 77, 255));
        ++m_next;
        return app::ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return "stepped camera"; }
    [[nodiscard]] std::string error() const override { return "stepped camera: closed"; }
    [[nodiscard]] double framesPerSecond() const override { return 1000.0; }

  private:
    std::shared_ptr<SteppedCamera> m_camera;
    int m_next = 0;
};

struct CloseOnExit {
    std::shared_ptr<SteppedCamera> camera;
    ~CloseOnExit() { camera->close(); }
};

TEST_F(GuiTest, FramesHandedOverOneAtATimeArriveOnceInOrderAndNoneCountsAsDropped) {
    auto camera = std::make_shared<SteppedCamera>();
    ControllerOptions opts = options();
    opts.opener = [camera](const std::string& spec) -> app::OpenedSource {
        if (spec != "camera:7") {
            return app::openFrameSource(spec);
        }
        return {std::make_unique<SteppedCameraSource>(camera), {}};
    };
    opts.cameras = QList<gui::CameraEntry>{gui::CameraEntry{app::SourceSpec::camera(7), QStringLiteral("Stepped")}};
    GuiSettings initial = settingsOn(QStringLiteral("camera:7"));
    initial.processEveryN = 1;
    AppController controller(initial, std::move(opts));
    const CloseOnExit closeOnExit{camera};
    std::vector<int> received;
    QObject::connect(&controller.pipeline(), &gui::Pipeline::processedFrame, &controller.pipeline(),
                     [&received](const gui::ProcessedFrame& frame) {
                         const QRgb pixel = frame.input.pixel(frame.input.width() / 2, frame.input.height() / 2);
                         received.push_back(qRed(pixel) + 256 * qGreen(pixel));
                     });

    constexpr int kFrames = 12;
    for (int frame = 0; frame < kFrames; ++frame) {
        camera->allow(frame + 1);
        ASSERT_TRUE(waitFor([&] { return static_cast<int>(received.size()) > frame; }))
            << "frame " << frame << " never came out of the pipeline";
    }
    std::vector<int> expected(kFrames);
    for (int frame = 0; frame < kFrames; ++frame) {
        expected[static_cast<std::size_t>(frame)] = frame;
    }
    EXPECT_EQ(received, expected);
    const gui::PipelineCounters counters = controller.pipeline().counters();
    EXPECT_EQ(counters.dropped, 0u) << "each frame was processed before the next was captured";
    EXPECT_EQ(counters.processed, static_cast<quint64>(kFrames));
}

} // namespace
} // namespace blurcam::test
