// The window as a newcomer meets it: menus that work, an About box, a floating panel that keeps
// off the blurred picture, full screen that says how to leave, a usable small window, snapshots,
// Space to see the original, and screenshots of the whole window for a person to look at.

#include "about_dialog.hpp"
#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_frame_checks.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "shortcut_overlay.hpp"
#include "status_line.hpp"
#include "toast.hpp"
#include "video_view.hpp"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QImage>
#include <QMenuBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>

namespace blurcam::test {
namespace {

using gui::AppController;
using widgets::GuiSettings;

QAction* menuAction(widgets::MainWindow& window, const QString& menuTitle, const QString& text) {
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->text().remove(QLatin1Char('&')) != menuTitle || menu->menu() == nullptr) {
            continue;
        }
        for (QAction* action : menu->menu()->actions()) {
            if (action->text().remove(QLatin1Char('&')).startsWith(text)) {
                return action;
            }
        }
    }
    return nullptr;
}

class GuiWindowTest : public GuiTest {
  protected:
    widgets::MainWindow& start(QSize size) {
        widgets::GuiSettings initial;
        initial.source = QStringLiteral("pattern");
        m_controller = std::make_unique<gui::AppController>(initial, options());
        widgets::MainWindow& window = m_controller->window();
        window.resize(size);
        window.show();
        QApplication::setActiveWindow(&window);
        EXPECT_TRUE(QTest::qWaitForWindowActive(&window));
        return window;
    }
    void TearDown() override { m_controller.reset(); }
    std::unique_ptr<gui::AppController> m_controller;
};

TEST_F(GuiWindowTest, ViewControlsShowsAndHidesThePanel) {
    widgets::MainWindow& window = start({1100, 640});
    QAction* controls = menuAction(window, QStringLiteral("View"), QStringLiteral("Controls"));
    ASSERT_NE(controls, nullptr);
    EXPECT_TRUE(controls->isEnabled());
    EXPECT_TRUE(window.controlsDock()->isVisible());
    controls->trigger();
    EXPECT_FALSE(window.controlsDock()->isVisible());
    controls->trigger();
    EXPECT_TRUE(window.controlsDock()->isVisible());
}

TEST_F(GuiWindowTest, AboutNamesTheVersionTheBackendsAndTheLicences) {
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    widgets::MainWindow& window = start({1100, 640});
    ASSERT_TRUE(waitFor([&] { return !window.controls()->backendToolTip(BackendKind::Cpu).isEmpty(); }));
    QAction* about = menuAction(window, QStringLiteral("Help"), QStringLiteral("About"));
    ASSERT_NE(about, nullptr);
    about->trigger();
    auto* dialog = window.findChild<widgets::AboutDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    const QString text = dialog->text();
    EXPECT_TRUE(text.contains(QStringLiteral("9.8.7")));
    EXPECT_TRUE(text.contains(window.controls()->backendToolTip(BackendKind::Cpu).toHtmlEscaped()));
    EXPECT_TRUE(text.contains(QStringLiteral("Cannot start"))) << "Vulkan's reason, from the missing driver";
    for (const char* licence : {"LGPL-3.0", "Apache-2.0", "GPL-2.0-or-later"}) {
        EXPECT_TRUE(text.contains(QLatin1String(licence))) << licence;
    }
    dialog->close();
}

TEST_F(GuiWindowTest, AFloatingControlsPanelKeepsOffTheBlurredPicture) {
    widgets::MainWindow& window = start({1100, 640});
    QDockWidget* dock = window.controlsDock();
    dock->setFloating(true);
    widgets::VideoView* view = window.videoView();
    const QRect blurredHalf(view->mapToGlobal(QPoint(view->width() / 2, 0)), QSize(view->width() / 2, view->height()));
    ASSERT_TRUE(waitFor([&] { return !dock->frameGeometry().intersects(blurredHalf); }))
        << "panel at " << dock->frameGeometry().x() << "," << dock->frameGeometry().y() << " blurred half from x "
        << blurredHalf.x();
}

TEST_F(GuiWindowTest, FullScreenSaysHowToLeaveAndEscLeaves) {
    widgets::MainWindow& window = start({1100, 640});
    QTest::keyClick(&window, Qt::Key_F11);
    ASSERT_TRUE(waitFor([&] { return window.isFullScreen(); }));
    EXPECT_TRUE(window.toast()->isVisible());
    EXPECT_TRUE(window.toast()->text().contains(QStringLiteral("Esc")));
    QTest::keyClick(&window, Qt::Key_Escape);
    ASSERT_TRUE(waitFor([&] { return !window.isFullScreen(); }));
    EXPECT_FALSE(window.toast()->isVisible());
}

TEST_F(GuiWindowTest, TheShortcutFooterKeepsClearOfThePanelBorder) {
    widgets::MainWindow& window = start({1100, 640});
    window.shortcutOverlay()->toggle();
    const widgets::ShortcutOverlay::Layout layout = window.shortcutOverlay()->layout();
    EXPECT_TRUE(layout.panel.contains(layout.footer));
    EXPECT_GE(layout.panel.bottom() - layout.footer.bottom(), 8);
    EXPECT_GE(layout.footer.top() - layout.rows.back().bottom(), 4);
    for (const QRect& row : layout.rows) {
        EXPECT_TRUE(layout.panel.contains(row));
    }
}

TEST_F(GuiWindowTest, AtEightHundredByFiveHundredTheVideoStaysUsable) {
    ASSERT_TRUE(QDir().mkpath(QStringLiteral(BLURCAM_SCREENSHOT_DIR)));
    widgets::MainWindow& big = start({1280, 800});
    // The watch hears of a frame after the window has it (its slot was connected later).
    const FrameWatch watch(m_controller->pipeline());
    ASSERT_TRUE(watch.waitForMore(3));
    ASSERT_TRUE(waitFor([&] { return big.statusText().contains(QStringLiteral("fps")); }));
    EXPECT_TRUE(big.grab().toImage().save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/window_1280x800.png")));

    widgets::MainWindow& window = big;
    EXPECT_LE(window.minimumSizeHint().width(), 600);
    window.resize(800, 500);
    ASSERT_TRUE(waitFor([&] { return window.width() == 800 && window.height() == 500; }));
    // The layouts the new size sets off are posted events: delivered before anything is measured.
    QCoreApplication::sendPostedEvents();
    EXPECT_TRUE(window.grab().toImage().save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/window_800x500.png")));
    // Each picture gets at least 200 px a side, and the video most of the width.
    const QSize box = window.videoView()->pictureBox();
    EXPECT_GE(std::min(box.width(), box.height()), 200) << box.width() << "x" << box.height();
    EXPECT_GE(window.videoView()->width(), window.width() / 2);
    // The controls scroll instead of squeezing the video.
    auto* scroll = qobject_cast<QScrollArea*>(window.controlsDock()->widget());
    ASSERT_NE(scroll, nullptr);
    EXPECT_GT(scroll->verticalScrollBar()->maximum(), 0);
    // The status line fits (nothing cut: whole parts or an ellipsis).
    widgets::StatusLine* line = window.statusLine();
    EXPECT_LE(line->fontMetrics().horizontalAdvance(line->shownLeft()), line->leftRect().width());
}

TEST_F(GuiTest, SnapshotSavesTheBlurredFrameOrThePair) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    AppController controller(initial, options());
    QTemporaryDir snapshots;
    controller.window().setSnapshotDirectory(snapshots.path());
    // The watch's slot was connected after the window's, so a frame it has seen is in the window.
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(watch.waitForMore(2));
    const QString single = controller.window().saveSnapshot();
    ASSERT_FALSE(single.isEmpty());
    EXPECT_EQ(QImage(single).size(), QSize(128, 128));

    widgets::ControlPanel* controls = controller.window().controls();
    controls->setSettings([&] {
        GuiSettings pair = controls->settings();
        pair.snapshotPair = true;
        return pair;
    }());
    // saveSnapshot() reads the panel's settings when it runs: nothing to wait for.
    const QString pair = controller.window().saveSnapshot();
    ASSERT_FALSE(pair.isEmpty());
    EXPECT_EQ(QImage(pair).size(), QSize(512, 256));
}

TEST_F(GuiTest, HoldingSpaceShowsTheOriginalAndShortcutsWork) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    AppController controller(initial, options());
    widgets::MainWindow& window = controller.window();
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
    initial.kernelSize = widgets::kAutoKernelSize;
    AppController controller(initial, options());
    widgets::MainWindow& window = controller.window();
    window.resize(1200, 720);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    // The watch hears of a frame after the window has it (its slot was connected later).
    const FrameWatch watch(controller.pipeline());
    ASSERT_TRUE(watch.waitForMore(5));
    ASSERT_TRUE(waitFor([&] { return window.statusText().contains(QStringLiteral("fps")); }));

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
    ASSERT_TRUE(watch.waitForMore(3)); // frames in the window since the split and the spectrum
    EXPECT_TRUE(window.grab().toImage().save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/split_and_spectrum.png")));
    window.shortcutOverlay()->toggle();
    ASSERT_TRUE(window.shortcutOverlay()->isVisible());
    EXPECT_TRUE(window.grab().toImage().save(QStringLiteral(BLURCAM_SCREENSHOT_DIR "/split_and_shortcuts.png")));
}

} // namespace
} // namespace blurcam::test
