// Sources that fail and come back: a camera that fails mid-stream shows a banner and resumes on its
// own, one plugged in later replaces the stand-in pattern; a file or a missing camera chosen by
// hand is reported once, shows nothing of the source before, and is not retried; a broken file
// leaves the source list; opened files come back after a restart as recent files; and the camera
// list holds capture nodes only.

#include "app_controller.hpp"
#include "camera_monitor.hpp"
#include "control_panel.hpp"
#include "gui_fakes.hpp"
#include "gui_frame_checks.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "source_banner.hpp"
#include "video_view.hpp"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTextLayout>

#include <opencv2/core.hpp>

#include <atomic>
#include <map>
#include <mutex>

namespace blurcam::test {
namespace {

using gui::AppController;
using gui::ControllerOptions;
using widgets::GuiSettings;

TEST_F(GuiTest, ASourceThatFailsShowsTheBannerAndResumesOnItsOwn) {
    auto camera = std::make_shared<FakeCamera>();
    ControllerOptions opts = options();
    opts.opener = fakeOpener(camera);
    opts.cameras = QList<gui::CameraEntry>{gui::CameraEntry{app::SourceSpec::camera(7), QStringLiteral("Fake camera")}};
    GuiSettings initial;
    initial.source = QStringLiteral("camera:7");
    AppController controller(initial, std::move(opts));
    widgets::MainWindow& window = controller.window();
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
    widgets::MainWindow& window = controller.window();
    EXPECT_EQ(window.settings().source, QStringLiteral("pattern"));
    EXPECT_TRUE(window.sourceNote().contains(QStringLiteral("No camera found")));
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 1; }));
    EXPECT_EQ(camera->opens, 0);
    {
        QSettings stored; // the pattern only stands in: the wanted camera stays saved
        EXPECT_EQ(GuiSettings::load(stored).source, QStringLiteral("camera:7"));
    }

    controller.setCameras({gui::CameraEntry{app::SourceSpec::camera(7), QStringLiteral("Fake camera")}});
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

/// The real opener, counting how often each spec is opened (from the capture thread).
struct CountingOpener {
    std::mutex mutex;
    std::map<std::string, int> opens;
    int count(const std::string& spec) {
        std::lock_guard lock(mutex);
        return opens[spec];
    }
};

/// `options` with the real opener counting every open into `counter`, and camera 7 missing.
ControllerOptions countingOpens(ControllerOptions options, std::shared_ptr<CountingOpener> counter) {
    options.opener = [counter](const std::string& spec) {
        {
            std::lock_guard lock(counter->mutex);
            ++counter->opens[spec];
        }
        if (spec == "camera:7") {
            return app::OpenedSource{nullptr, "camera 7: no such device"};
        }
        return gui::defaultSourceOpener()(spec);
    };
    return options;
}

void chooseSource(widgets::MainWindow& window, const QString& spec) {
    window.controls()->selectSource(spec);
    emit window.settingsChanged(window.settings()); // what choosing in the list or File… does
}

TEST_F(GuiTest, ABrokenFileIsReportedOnceAndLeavesTheList) {
    QTemporaryDir dir;
    const QString broken = dir.filePath(QStringLiteral("broken.mp4"));
    QFile file(broken);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    auto counter = std::make_shared<CountingOpener>();
    AppController controller(settingsOn(QStringLiteral("pattern")), countingOpens(options(), counter));
    widgets::MainWindow& window = controller.window();
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= 2; }));

    chooseSource(window, broken);
    ASSERT_TRUE(waitFor([&] { return window.bannerText().contains(QStringLiteral("Cannot play")); }))
        << window.bannerText().toStdString();
    EXPECT_TRUE(window.bannerText().contains(QStringLiteral("broken.mp4")));
    EXPECT_EQ(window.controls()->sourceCombo()->findData(broken), -1) << "a file that failed stays in the list";
    EXPECT_EQ(window.settings().source, QStringLiteral("pattern"));
    // The pattern plays on for a while: long enough for several retries at the old 0.25-4 s pace.
    const quint64 at = controller.pipeline().counters().processed;
    ASSERT_TRUE(waitFor([&] { return controller.pipeline().counters().processed >= at + 20; }));
    EXPECT_EQ(counter->count(broken.toStdString()), 1) << "the file was retried";
    EXPECT_TRUE(window.isBannerVisible()) << "the pattern opening took the explanation away";
    QSettings stored;
    EXPECT_FALSE(stored.value(QStringLiteral("recentFiles")).toStringList().contains(broken));
}

TEST_F(GuiTest, AMissingCameraShowsNothingOfTheSourceBeforeAndIsNotRetried) {
    auto counter = std::make_shared<CountingOpener>();
    AppController controller(settingsOn(QStringLiteral("pattern")), countingOpens(options(), counter));
    widgets::MainWindow& window = controller.window();
    ASSERT_TRUE(waitFor([&] { return window.videoView()->hasFrames(); }));

    chooseSource(window, QStringLiteral("camera:7"));
    ASSERT_TRUE(waitFor([&] { return window.isBannerVisible(); }));
    EXPECT_TRUE(window.bannerText().contains(QStringLiteral("no such device")));
    EXPECT_FALSE(window.bannerText().contains(QStringLiteral("Retrying")));
    QCoreApplication::processEvents(); // frames the pattern had in flight
    EXPECT_FALSE(window.videoView()->hasFrames()) << "the banner sits over the pattern's last frame";
    // No retry comes on its own: the worker scheduled none (the banner, made from its retry delay,
    // offers no "Retrying" above), so one open is all there is; no fixed wait can prove more.
    EXPECT_EQ(counter->count("camera:7"), 1);
    EXPECT_FALSE(window.videoView()->hasFrames());
    // ...but "Retry now" tries again.
    emit window.banner()->retryRequested();
    EXPECT_TRUE(waitFor([&] { return counter->count("camera:7") == 2; }));
}

TEST_F(GuiTest, OpenedFilesComeBackAfterARestartAndMissingOnesDoNot) {
    QTemporaryDir dir;
    const QString still = dir.filePath(QStringLiteral("still.png"));
    QImage picture(64, 48, QImage::Format_RGB32);
    picture.fill(Qt::darkCyan);
    ASSERT_TRUE(picture.save(still));
    const QString gone = dir.filePath(QStringLiteral("gone.png"));
    {
        QSettings stored;
        widgets::saveRecentFiles(stored, {gone});
    }
    widgets::GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    {
        gui::AppController first(initial, options());
        EXPECT_EQ(first.window().controls()->sourceCombo()->findData(gone), -1);
        chooseSource(first.window(), still);
        ASSERT_TRUE(waitFor([&] {
            QSettings stored;
            return stored.value(QStringLiteral("recentFiles")).toStringList().contains(still);
        }));
        chooseSource(first.window(), QStringLiteral("pattern"));
    }
    gui::AppController second(initial, options());
    QComboBox* sources = second.window().controls()->sourceCombo();
    const int row = sources->findData(still);
    ASSERT_GE(row, 0) << "the opened file is not offered after a restart";
    EXPECT_EQ(sources->itemText(row), QStringLiteral("still.png"));
    EXPECT_EQ(sources->findData(gone), -1);
    EXPECT_EQ(second.window().settings().source, QStringLiteral("pattern"));
}

TEST(SourceBanner, AWrappedMessageNeverEndsOnALoneWord) {
    widgets::SourceBanner banner;
    const QString message = QStringLiteral(
        "Video source lost: fake camera: the device was unplugged. Retrying in 4.0 s; the last frame stays on screen.");
    banner.showMessage(message, widgets::SourceBanner::Action::Retry);
    EXPECT_EQ(banner.text(), message);
    // Red, so it reads as trouble, and white text on it.
    banner.resize(600, 60);
    const QColor background = banner.grab().toImage().pixelColor(2, 2);
    EXPECT_GT(background.red(), background.green() + 60) << background.name().toStdString();
    const QString shown = banner.label()->text();
    for (int width = 120; width <= 900; width += 3) {
        QTextLayout layout(shown, banner.label()->font());
        QTextOption option;
        option.setWrapMode(QTextOption::WordWrap);
        layout.setTextOption(option);
        layout.beginLayout();
        QTextLine last;
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(width);
            last = line;
        }
        layout.endLayout();
        const QString lastLine = shown.mid(last.textStart(), last.textLength()).trimmed();
        EXPECT_TRUE(lastLine.contains(QLatin1Char(' ')) || lastLine.contains(QChar(QChar::Nbsp)) ||
                    last.textStart() == 0)
            << width << ": last line \"" << lastLine.toStdString() << "\"";
    }
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
    const QList<gui::CameraEntry> cameras =
        gui::probeCameras(dir.filePath(QStringLiteral("dev")), dir.filePath(QStringLiteral("sys")));
    ASSERT_EQ(cameras.size(), 2);
    EXPECT_EQ(cameras[0].spec, app::SourceSpec::camera(0));
    EXPECT_EQ(cameras[0].name, QStringLiteral("Integrated Camera"));
    EXPECT_EQ(cameras[1].spec, app::SourceSpec::camera(2));
    EXPECT_EQ(cameras[1].name, QStringLiteral("USB Camera"));
}

} // namespace
} // namespace blurcam::test
