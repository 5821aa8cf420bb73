// The blur controls say what they do: a hint when sigma is too wide for the size, and the
// binomial kernel's fixed size and unused sigma shown as such.

#include "control_panel.hpp"
#include "gui_settings.hpp"
#include "kernel_heat_map.hpp"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

namespace {

using namespace blurcam;

QPushButton* buttonWithText(QWidget* parent, const QString& text) {
    for (QPushButton* button : parent->findChildren<QPushButton*>()) {
        if (button->text() == text) {
            return button;
        }
    }
    return nullptr;
}

TEST(ControlPanel, ASigmaTooWideForTheSizeSaysSoAndAutoSizeFixesIt) {
    widgets::ControlPanel panel;
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    EXPECT_FALSE(panel.isSizeHintShown()) << "the default 5x5 suits sigma 1";
    panel.sigmaSpinBox()->setValue(3.0);
    ASSERT_TRUE(panel.isSizeHintShown());
    EXPECT_TRUE(panel.sizeHintText().contains(QStringLiteral("5x5")));
    EXPECT_TRUE(panel.sizeHintText().contains(QStringLiteral("19x19")));
    QPushButton* autoSize = buttonWithText(&panel, QStringLiteral("Auto size"));
    ASSERT_NE(autoSize, nullptr);
    EXPECT_TRUE(autoSize->isVisible());
    QTest::mouseClick(autoSize, Qt::LeftButton);
    EXPECT_EQ(panel.settings().kernelSize, widgets::kAutoKernelSize);
    EXPECT_EQ(panel.heatMap()->kernelSize(), 19);
    EXPECT_FALSE(panel.isSizeHintShown());
    // A fixed size that covers the Gaussian needs no hint either.
    panel.kernelSizeSpinBox()->setValue(11);
    EXPECT_FALSE(panel.isSizeHintShown());
}

TEST(ControlPanel, BinomialShowsItsFixedSizeAndAFadedSigma) {
    widgets::ControlPanel panel;
    widgets::GuiSettings settings;
    settings.kernelSize = widgets::kAutoKernelSize;
    settings.sigma = 4.0;
    panel.setSettings(settings);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    const QImage activeSlider = panel.sigmaSlider()->grab().toImage();

    panel.kernelCombo()->setCurrentIndex(panel.kernelCombo()->findData(static_cast<int>(KernelKind::Binomial)));
    EXPECT_EQ(panel.kernelSizeSpinBox()->text(), QStringLiteral("5")) << "the weights are 5x5 too";
    EXPECT_FALSE(panel.kernelSizeSpinBox()->isEnabled());
    EXPECT_EQ(panel.heatMap()->kernelSize(), 5);
    EXPECT_FALSE(panel.isSizeHintShown()) << "binomial ignores sigma";
    EXPECT_EQ(panel.settings().kernelSize, widgets::kAutoKernelSize) << "the Gaussian's own size is kept";

    // The unused slider must look unused, not merely refuse the mouse.
    const QImage unusedSlider = panel.sigmaSlider()->grab().toImage();
    ASSERT_EQ(unusedSlider.size(), activeSlider.size());
    int differing = 0;
    for (int y = 0; y < activeSlider.height(); ++y) {
        for (int x = 0; x < activeSlider.width(); ++x) {
            const QColor a = activeSlider.pixelColor(x, y);
            const QColor b = unusedSlider.pixelColor(x, y);
            differing += std::abs(a.lightness() - b.lightness()) > 24 ? 1 : 0;
        }
    }
    EXPECT_GT(differing, activeSlider.width() * activeSlider.height() / 20);

    panel.kernelCombo()->setCurrentIndex(panel.kernelCombo()->findData(static_cast<int>(KernelKind::Gaussian)));
    EXPECT_EQ(panel.settings().kernelSize, widgets::kAutoKernelSize);
    EXPECT_TRUE(panel.kernelSizeSpinBox()->text().startsWith(QStringLiteral("auto")));
    EXPECT_TRUE(panel.kernelSizeSpinBox()->isEnabled());
}

} // namespace
