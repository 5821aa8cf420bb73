// Window-level keys work wherever the focus is, except where typing needs the key.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "shortcut_overlay.hpp"
#include "video_view.hpp"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QTest>

#include <algorithm>

namespace {

using namespace blurcam;
using blurcam::test::GuiTest;
using blurcam::test::waitFor;

class GuiKeysTest : public GuiTest {
  protected:
    void SetUp() override {
        GuiTest::SetUp();
        widgets::GuiSettings initial;
        initial.source = QStringLiteral("pattern");
        m_controller = std::make_unique<gui::AppController>(initial, options());
        widgets::MainWindow& window = m_controller->window();
        window.show();
        QApplication::setActiveWindow(&window);
        ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    }
    void TearDown() override { m_controller.reset(); }

    std::unique_ptr<gui::AppController> m_controller;
};

TEST_F(GuiKeysTest, LettersReachTheWindowWhileANumberBoxHasTheFocus) {
    widgets::MainWindow& window = m_controller->window();
    widgets::ControlPanel* controls = window.controls();
    for (QAbstractSpinBox* box :
         QList<QAbstractSpinBox*>{controls->sigmaSpinBox(), controls->kernelSizeSpinBox(), controls->everyNSpinBox()}) {
        box->setFocus();
        ASSERT_TRUE(box->hasFocus());
        const EdgeMode edge = window.settings().edge;
        const int stride = window.settings().stride;
        const widgets::CompareMode compare = window.settings().compare;
        QTest::keyClick(box, Qt::Key_E, Qt::NoModifier);
        QTest::keyClick(box, Qt::Key_S, Qt::NoModifier);
        QTest::keyClick(box, Qt::Key_V, Qt::NoModifier);
        EXPECT_NE(window.settings().edge, edge) << box->objectName().toStdString();
        EXPECT_NE(window.settings().stride, stride);
        EXPECT_NE(window.settings().compare, compare);
        const bool spectrumShown = window.spectrumDock()->isVisible();
        QTest::keyClick(box, Qt::Key_F, Qt::NoModifier);
        EXPECT_NE(window.spectrumDock()->isVisible(), spectrumShown);
    }
    // Not only letters: ? opens the shortcut list, + raises sigma.
    controls->everyNSpinBox()->setFocus();
    const double sigma = window.settings().sigma;
    QTest::keyClick(controls->everyNSpinBox(), Qt::Key_Plus, Qt::NoModifier);
    EXPECT_DOUBLE_EQ(window.settings().sigma, sigma + 0.1);
    QTest::keyClick(controls->everyNSpinBox(), Qt::Key_Question);
    EXPECT_TRUE(window.shortcutOverlay()->isVisible());
    QTest::keyClick(window.shortcutOverlay(), Qt::Key_Escape);
    // K last: the binomial kernel greys out the sigma and size boxes.
    controls->everyNSpinBox()->setFocus();
    QTest::keyClick(controls->everyNSpinBox(), Qt::Key_K, Qt::NoModifier);
    EXPECT_EQ(window.settings().kernel, KernelKind::Binomial);
    QTest::keyClick(controls->everyNSpinBox(), Qt::Key_B, Qt::NoModifier); // only the CPU and FFT start here
    EXPECT_NE(window.settings().backend, BackendKind::Cpu);
}

TEST_F(GuiKeysTest, DigitsStillGoIntoTheBoxThatHasTheFocus) {
    widgets::MainWindow& window = m_controller->window();
    QSpinBox* everyN = window.controls()->everyNSpinBox();
    everyN->setFocus();
    everyN->selectAll();
    QTest::keyClick(everyN, Qt::Key_5);
    EXPECT_EQ(everyN->value(), 5);
}

TEST_F(GuiKeysTest, ClickingTheVideoTakesTheFocusFromABox) {
    widgets::MainWindow& window = m_controller->window();
    window.controls()->sigmaSpinBox()->setFocus();
    QTest::mouseClick(window.videoView(), Qt::LeftButton);
    EXPECT_TRUE(window.videoView()->hasFocus());
}

TEST_F(GuiKeysTest, EveryKeyOfTheWindowsActionsIsInTheShortcutOverlay) {
    widgets::MainWindow& window = m_controller->window();
    // A key given to an action later (as a new menu entry would be) is listed too, by itself.
    auto* added = new QAction(QStringLiteral("Do a new thing"), &window);
    added->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    window.addAction(added);

    const QList<QPair<QString, QString>> shown = window.shortcutOverlay()->entries();
    const auto listed = [&](const QString& key, const QString& text) {
        return std::any_of(shown.begin(), shown.end(), [&](const QPair<QString, QString>& entry) {
            return entry.first.split(QStringLiteral("  /  ")).contains(key) && entry.second.contains(text);
        });
    };
    int keys = 0;
    for (const QAction* action : window.findChildren<QAction*>()) {
        for (const QKeySequence& key : action->shortcuts()) {
            if (key.isEmpty()) {
                continue; // a standard key this platform does not bind (Quit on "offscreen")
            }
            ++keys;
            const QString keyText = key.toString(QKeySequence::NativeText);
            EXPECT_TRUE(listed(keyText, action->iconText()))
                << keyText.toStdString() << " (" << action->text().toStdString() << ") is not in the overlay";
        }
    }
    EXPECT_GE(keys, 14) << "13 keys of the window are bound on every platform, and the one added here";
    // The keys the window handles without an action are there as well.
    EXPECT_TRUE(listed(QStringLiteral("Space (hold)"), {}));
    EXPECT_TRUE(listed(QStringLiteral("Esc"), {}));
}

} // namespace
