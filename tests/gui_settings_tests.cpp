// Settings outlive the window: what one window writes the next one reads, each camera keeps its
// own, and a damaged or foreign settings file falls back to the defaults.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_fakes.hpp"
#include "gui_frame_checks.hpp"
#include "gui_settings.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "video_view.hpp"

#include <blurcam/backend.hpp>

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>

namespace blurcam::test {
namespace {

using gui::AppController;
using gui::ControllerOptions;
using widgets::GuiSettings;

/// Chooses the row of `combo` that holds `data`, as a user picking it from the list would.
void selectData(QComboBox* combo, const QVariant& data) {
    const int row = combo->findData(data);
    ASSERT_GE(row, 0) << data.toString().toStdString();
    combo->setCurrentIndex(row);
}

TEST_F(GuiTest, SettingsWrittenByOneWindowAreReadByTheNext) {
    GuiSettings changed;
    {
        AppController first(settingsOn(QStringLiteral("pattern")), options());
        widgets::ControlPanel* controls = first.window().controls();
        controls->sigmaSpinBox()->setValue(3.3);
        selectData(controls->edgeCombo(), static_cast<int>(EdgeMode::Mirror));
        controls->kernelSizeSpinBox()->setValue(13);
        selectData(controls->strideCombo(), 1);
        controls->everyNSpinBox()->setValue(4);
        selectData(controls->frameShapeCombo(), static_cast<int>(widgets::FrameShapeChoice::Stretch));
        selectData(controls->compareCombo(), static_cast<int>(widgets::CompareMode::Split));
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
    EXPECT_EQ(second.window().videoView()->compareMode(), widgets::CompareMode::Split);

    second.resetToDefaults();
    GuiSettings defaults;
    defaults.source = changed.source;
    EXPECT_EQ(second.window().settings(), defaults);
    QSettings afterReset;
    EXPECT_EQ(GuiSettings::load(afterReset), defaults);
}

TEST_F(GuiTest, EachCameraRemembersItsOwnSettings) {
    // Two fake cameras, both healthy: camera:7 and camera:8.
    auto cameraA = std::make_shared<FakeCamera>();
    auto cameraB = std::make_shared<FakeCamera>();
    const QList<gui::CameraEntry> cameras{
        gui::CameraEntry{app::SourceSpec::camera(7), QStringLiteral("Fake camera A")},
        gui::CameraEntry{app::SourceSpec::camera(8), QStringLiteral("Fake camera B")}};
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

    GuiSettings settingsA;
    GuiSettings settingsB;
    {
        AppController controller(settingsOn(QStringLiteral("camera:7")), makeOptions());
        widgets::ControlPanel* controls = controller.window().controls();
        controls->sigmaSpinBox()->setValue(3.0);
        selectData(controls->edgeCombo(), static_cast<int>(EdgeMode::Wrap));
        controls->everyNSpinBox()->setValue(3);
        settingsA = controls->settings();

        // Camera B has nothing saved: it starts from the current (global) settings.
        selectData(controls->sourceCombo(), QStringLiteral("camera:8"));
        EXPECT_DOUBLE_EQ(controls->settings().sigma, 3.0);
        EXPECT_EQ(controls->settings().edge, EdgeMode::Wrap);
        controls->sigmaSpinBox()->setValue(5.5);
        selectData(controls->strideCombo(), 1);
        selectData(controls->kernelCombo(), static_cast<int>(KernelKind::Binomial));
        selectData(controls->frameShapeCombo(), static_cast<int>(widgets::FrameShapeChoice::Stretch));
        selectData(controls->backendCombo(), static_cast<int>(BackendKind::Fft));
        settingsB = controls->settings();
        ASSERT_NE(settingsA.blurParams(), settingsB.blurParams());

        // Back to A: its own settings return, widgets and pipeline both.
        selectData(controls->sourceCombo(), QStringLiteral("camera:7"));
        EXPECT_EQ(controls->settings(), settingsA);
        expectNextFrameUses(controller, settingsA.blurParams(), settingsB.blurParams(), BackendKind::Cpu);
        selectData(controls->sourceCombo(), QStringLiteral("camera:8"));
        EXPECT_EQ(controls->settings(), settingsB);
        expectNextFrameUses(controller, settingsB.blurParams(), settingsA.blurParams(), BackendKind::Fft);
    }

    // Saved under each camera's identity, and read back by the next run.
    QSettings stored;
    const GuiSettings defaults;
    const QString identityA = gui::sourceIdentity(QStringLiteral("camera:7"), cameras);
    const QString identityB = gui::sourceIdentity(QStringLiteral("camera:8"), cameras);
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
    widgets::ControlPanel* controls = second.window().controls();
    EXPECT_EQ(controls->settings(), settingsB);
    selectData(controls->sourceCombo(), QStringLiteral("camera:7"));
    EXPECT_EQ(controls->settings(), settingsA);
}

TEST(GuiSettingsTest, BlurParamsFollowTheSizeRules) {
    GuiSettings settings;
    settings.sigma = 10.0;
    settings.kernelSize = widgets::kAutoKernelSize;
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
    file.frameShape = widgets::FrameShapeChoice::Native;
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
    EXPECT_EQ(loaded.frameShape, widgets::FrameShapeChoice::Native);
    EXPECT_EQ(loaded.backend, BackendKind::Fft);
    EXPECT_EQ(GuiSettings::loadForSource(stored, nested, fallback), fallback);
    const QList<gui::CameraEntry> usbCamera{gui::CameraEntry{app::SourceSpec::camera(2), QStringLiteral("USB Camera")}};
    EXPECT_EQ(gui::sourceIdentity(QStringLiteral("camera:2"), usbCamera), QStringLiteral("camera:USB Camera#2"));
    EXPECT_EQ(gui::sourceIdentity(QStringLiteral("camera:2"), {}), QStringLiteral("camera:2"));
    EXPECT_EQ(gui::sourceIdentity(QStringLiteral("camera:3"), usbCamera), QStringLiteral("camera:3"));
    EXPECT_EQ(gui::sourceIdentity(QStringLiteral("pattern"), usbCamera), QStringLiteral("pattern"));
}

} // namespace
} // namespace blurcam::test
