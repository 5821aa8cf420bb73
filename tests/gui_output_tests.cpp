// The GUI's Output section on Qt's offscreen platform: the Virtual camera toggle publishes a
// PipeWire node that a consumer reads (on a private daemon), says why when there is no daemon,
// and Record writes a playable file. The real window, controller and pipeline on the pattern.

#include "pipewire_test_support.hpp"

#include "app_controller.hpp"
#include "gui_test_support.hpp"
#include "output_panel.hpp"

#include <opencv2/videoio/registry.hpp>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

namespace blurcam::test {
namespace {

using gui::AppController;
using gui::ControllerOptions;

class GuiOutput : public GuiTest {
  protected:
    static QString stateOf(AppController& controller) {
        return controller.window().findChild<QLabel*>(QStringLiteral("outputState"))->text();
    }

    const widgets::GuiSettings m_settings = settingsOn(QStringLiteral("pattern"));
};

TEST_F(GuiOutput, VirtualCameraToggleWithoutADaemonSaysWhy) {
    QTemporaryDir empty;
    const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
    qputenv("XDG_RUNTIME_DIR", empty.path().toLocal8Bit());
    qputenv("PIPEWIRE_RUNTIME_DIR", empty.path().toLocal8Bit());
    {
        AppController controller(m_settings, options());
        auto* toggle = controller.window().findChild<QCheckBox*>(QStringLiteral("virtualCamera"));
        ASSERT_NE(toggle, nullptr) << "the Output section is in the window";
        EXPECT_EQ(stateOf(controller), QStringLiteral("off"));
        toggle->setChecked(true);
        EXPECT_TRUE(waitFor([&] { return stateOf(controller).contains(QStringLiteral("no PipeWire daemon answers")); }))
            << stateOf(controller).toStdString();
        toggle->setChecked(false);
        EXPECT_EQ(stateOf(controller), QStringLiteral("off"));
    }
    qputenv("XDG_RUNTIME_DIR", saved);
    qunsetenv("PIPEWIRE_RUNTIME_DIR");
}

TEST_F(GuiOutput, VirtualCameraToggleServesAConsumer) {
    REQUIRE_OR_SKIP(cv::videoio_registry::hasBackend(cv::CAP_GSTREAMER),
                    "this OpenCV has no GStreamer backend, which the consumer uses");
    PrivatePipeWire pipewire;
    REQUIRE_OR_SKIP(pipewire.missing().empty(), pipewire.missing());
    ASSERT_EQ(pipewire.start(), "");
    AppController controller(m_settings, options());
    auto* toggle = controller.window().findChild<QCheckBox*>(QStringLiteral("virtualCamera"));
    ASSERT_NE(toggle, nullptr);
    toggle->setChecked(true);
    ASSERT_TRUE(waitFor([&] { return stateOf(controller).contains(QStringLiteral("no one watching")); }))
        << stateOf(controller).toStdString();

    // The consumer blocks on its own thread; the GUI keeps running meanwhile.
    Received got;
    bool done = false;
    std::thread consumer([&] {
        got = receive("blurcam", "YUY2", 10);
        done = true;
    });
    EXPECT_TRUE(waitFor([&] { return stateOf(controller).contains(QStringLiteral("1 program watching")); }))
        << stateOf(controller).toStdString();
    waitFor([&] { return done; });
    consumer.join();
    ASSERT_EQ(got.error, "");
    ASSERT_EQ(got.frames.size(), 10U);
    // The app draws its pattern at the engine's 256x256 (no crop or resize per frame), so the
    // stream, made at the source's height in the shape the engine saw, is 256x256.
    EXPECT_EQ(got.frames.front().size(), cv::Size(256, 256));
    EXPECT_TRUE(waitFor([&] { return stateOf(controller).contains(QStringLiteral("no one watching")); }));
    toggle->setChecked(false);
}

// PipeWire cameras are in the source list beside V4L2 ones: one that appears while the app runs
// shows up when the list is opened, and selecting it plays it.
TEST_F(GuiOutput, PipeWireCamerasAreInTheSourceList) {
    PrivatePipeWire pipewire;
    REQUIRE_OR_SKIP(pipewire.missing().empty(), pipewire.missing());
    ASSERT_EQ(pipewire.start(), "");
    ControllerOptions withMonitor = options();
    withMonitor.cameras.reset(); // the real monitor: /dev and the private daemon
    AppController controller(m_settings, withMonitor);
    QComboBox* list = controller.window().controls()->sourceCombo();
    const QString spec = QStringLiteral("pipewire:gui-test-cam");
    EXPECT_LT(list->findData(spec), 0) << "no such camera yet";

    Child camera = pipewire.startTestCamera("gui-test-cam");
    controller.window().show();
    EXPECT_TRUE(waitFor([&] {
        list->showPopup(); // opening the list looks again
        list->hidePopup();
        return list->findData(spec) >= 0;
    }));
    const int row = list->findData(spec);
    ASSERT_GE(row, 0);
    EXPECT_TRUE(list->itemText(row).startsWith(QStringLiteral("PipeWire camera: ")))
        << list->itemText(row).toStdString();

    QString opened;
    QObject::connect(&controller.pipeline(), &gui::Pipeline::sourceOpened, &controller,
                     [&](const QString& description) { opened = description; });
    list->setCurrentIndex(row);
    EXPECT_TRUE(waitFor([&] { return !opened.isEmpty(); })) << "the PipeWire camera plays";
    EXPECT_EQ(controller.window().settings().source, spec);
}

// Target, size and mirror come back in the next run; the virtual camera itself starts off, so
// no camera appears to other programs unless the user asks in this run.
TEST_F(GuiOutput, OutputChoicesComeBackButTheCameraStartsOff) {
    QTemporaryDir empty; // no daemon: turning the camera on fails, which is all this test needs
    const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
    qputenv("XDG_RUNTIME_DIR", empty.path().toLocal8Bit());
    qputenv("PIPEWIRE_RUNTIME_DIR", empty.path().toLocal8Bit());
    {
        AppController controller(m_settings, options());
        auto* size = controller.window().findChild<QComboBox*>(QStringLiteral("outputSize"));
        auto* mirror = controller.window().findChild<QCheckBox*>(QStringLiteral("outputMirror"));
        ASSERT_NE(size, nullptr);
        ASSERT_NE(mirror, nullptr);
        controller.window().findChild<QCheckBox*>(QStringLiteral("virtualCamera"))->setChecked(true);
        size->setCurrentIndex(size->findData(QSize(1280, 720)));
        mirror->setChecked(true);
    }
    {
        AppController controller(m_settings, options());
        EXPECT_FALSE(controller.window().findChild<QCheckBox*>(QStringLiteral("virtualCamera"))->isChecked());
        EXPECT_EQ(stateOf(controller), QStringLiteral("off"));
        const widgets::OutputSettings restored = controller.output().panel().choices();
        EXPECT_EQ(restored.size, QSize(1280, 720));
        EXPECT_TRUE(restored.mirror);
        EXPECT_EQ(restored.target, QStringLiteral("pipewire:blurcam"));
    }
    // A v4l2loopback target that is not there this run is remembered, not replaced.
    {
        QSettings stored;
        stored.setValue(QStringLiteral("output/target"), QStringLiteral("v4l2:/dev/video-not-here"));
    }
    {
        AppController controller(m_settings, options());
        EXPECT_EQ(controller.output().panel().choices().target, QStringLiteral("v4l2:/dev/video-not-here"));
        EXPECT_EQ(controller.output().panel().target(), QStringLiteral("pipewire:blurcam"))
            << "meanwhile the list shows what exists";
    }
    qputenv("XDG_RUNTIME_DIR", saved);
    qunsetenv("PIPEWIRE_RUNTIME_DIR");
}

TEST_F(GuiOutput, ViewMenuShowsAndHidesTheOutputDock) {
    AppController controller(m_settings, options());
    controller.window().show();
    auto* dock = controller.window().findChild<QDockWidget*>(QStringLiteral("outputDock"));
    ASSERT_NE(dock, nullptr);
    QAction* entry = nullptr;
    for (QAction* menu : controller.window().menuBar()->actions()) {
        if (menu->text() == QStringLiteral("&View") && menu->menu() != nullptr) {
            for (QAction* action : menu->menu()->actions()) {
                if (action->text() == QStringLiteral("Output")) {
                    entry = action;
                }
            }
        }
    }
    ASSERT_NE(entry, nullptr) << "View has an Output entry";
    EXPECT_TRUE(entry->isChecked());
    EXPECT_TRUE(dock->isVisible());
    entry->trigger();
    EXPECT_FALSE(dock->isVisible());
    EXPECT_FALSE(entry->isChecked());
    entry->trigger();
    EXPECT_TRUE(dock->isVisible());
}

/// The Output dock's Record button and state line, with the file name set to path.
struct RecordControls {
    RecordControls(widgets::MainWindow& window, const QString& path)
        : record(window.findChild<QPushButton*>(QStringLiteral("record"))),
          state(window.findChild<QLabel*>(QStringLiteral("recordState"))) {
        window.findChild<QLineEdit*>(QStringLiteral("recordPath"))->setText(path);
    }
    /// Record until a frame is written, then Stop. False (with the state line) when none was.
    ::testing::AssertionResult recordAndStop() const {
        record->click();
        if (!waitFor([&] { return state->text().contains(QStringLiteral("Recording: 1")); })) {
            return ::testing::AssertionFailure() << state->text().toStdString();
        }
        record->click(); // Stop
        return ::testing::AssertionSuccess();
    }

    QPushButton* record;
    QLabel* state;
};

TEST_F(GuiOutput, RecordThenStopGivesAPlayableFile) {
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("recording.avi"));
    AppController controller(m_settings, options());
    const RecordControls controls(controller.window(), path);
    ASSERT_TRUE(controls.recordAndStop());
    const QLabel* state = controls.state;
    EXPECT_TRUE(state->text().startsWith(QStringLiteral("Saved"))) << state->text().toStdString();
    cv::VideoCapture file(path.toStdString(), cv::CAP_FFMPEG);
    ASSERT_TRUE(file.isOpened());
    int frames = 0;
    cv::Mat frame;
    while (file.read(frame)) {
        EXPECT_EQ(frame.size(), cv::Size(256, 256)); // the pattern's size, see above
        ++frames;
    }
    EXPECT_GE(frames, 10);
    EXPECT_TRUE(state->text().contains(QStringLiteral("(%1 frames)").arg(frames))) << state->text().toStdString();
}

TEST_F(GuiOutput, ASecondRecordingGetsANewNameAndTheFirstIsKept) {
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("recording.avi"));
    AppController controller(m_settings, options());
    const RecordControls controls(controller.window(), path);
    ASSERT_TRUE(controls.recordAndStop());
    const QByteArray first = [&] {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    ASSERT_FALSE(first.isEmpty());
    ASSERT_TRUE(controls.recordAndStop());
    const QString second = directory.filePath(QStringLiteral("recording-2.avi"));
    EXPECT_TRUE(controls.state->text().contains(second)) << controls.state->text().toStdString();
    EXPECT_TRUE(QFileInfo::exists(second));
    QFile again(path);
    ASSERT_TRUE(again.open(QIODevice::ReadOnly));
    EXPECT_EQ(again.readAll(), first) << "the first recording is untouched";
}

} // namespace
} // namespace blurcam::test
