// The spectrum panel reads as one figure: frame, blurred frame and kernel response on one dB
// scale with a colour bar, frequency axes, and a caption, laid out without overlaps.

#include "spectrum_view.hpp"

#include <blurcam/backend.hpp>
#include <blurcam/spectrum.hpp>

#include <gtest/gtest.h>

#include <QTest>

#include <cmath>

namespace {

using namespace blurcam;
using blurcam::ui::SpectrumView;

QRgb expectedColour(double magnitude, double reference) {
    const double ratio = std::abs(magnitude) / reference;
    return SpectrumView::colourForDb(ratio > 0.0 ? 20.0 * std::log10(ratio) : SpectrumView::kFloorDb);
}

TEST(SpectrumPanel, FrameAndKernelShareOneDecibelScale) {
    SpectrumView view;
    BlurParams params;
    params.sigma = 2.0;
    params.kernelSize = 9;
    params.stride = 1;
    view.setParams(params);
    // A frame with structure at many frequencies: stripes and a gradient.
    QImage frame(64, 64, QImage::Format_RGBA8888);
    for (int y = 0; y < 64; ++y) {
        for (int x = 0; x < 64; ++x) {
            const int value = ((x / 3) % 2) * 120 + y * 2;
            frame.setPixelColor(x, y, QColor(value, value, value));
        }
    }
    view.setFrames(frame, frame);
    ASSERT_TRUE(QTest::qWaitFor([&] { return view.completedUpdates() >= 1; }, 30000));
    if (!view.spectra().error.isEmpty()) {
        GTEST_SKIP() << "no spectra in this build: " << view.spectra().error.toStdString();
    }
    // Both pictures are the same function of dB re zero frequency: |X|/|X(0)| for the frame,
    // the gain |H| (1 at zero frequency) for the kernel.
    const FloatImage& spectrum = view.spectra().inputSpectrum;
    const double dc = spectrum.at(32, 32);
    const FloatImage& kernel = view.kernelImage();
    ASSERT_EQ(view.inputPicture().size(), QSize(64, 64));
    ASSERT_EQ(view.kernelPicture().size(), QSize(64, 64));
    EXPECT_EQ(view.inputPicture().pixel(32, 32), SpectrumView::colourForDb(0.0));
    EXPECT_EQ(view.kernelPicture().pixel(32, 32), SpectrumView::colourForDb(0.0));
    for (const auto& [x, y] : {std::pair{40, 32}, std::pair{53, 32}, std::pair{32, 45}, std::pair{10, 60}}) {
        EXPECT_EQ(view.inputPicture().pixel(x, y), expectedColour(spectrum.at(x, y), dc)) << x << "," << y;
        EXPECT_EQ(view.kernelPicture().pixel(x, y), expectedColour(kernel.at(x, y), 1.0)) << x << "," << y;
    }
    // A gain of a tenth is -20 dB on the bar, whichever panel it is in.
    EXPECT_NE(SpectrumView::colourForDb(-20.0), SpectrumView::colourForDb(0.0));
    EXPECT_EQ(SpectrumView::colourForDb(SpectrumView::kFloorDb - 30.0),
              SpectrumView::colourForDb(SpectrumView::kFloorDb));
}

TEST(SpectrumPanel, PanelsColourBarAndCaptionDoNotOverlap) {
    SpectrumView view;
    for (const QSize size : {view.sizeHint(), view.minimumSize(), QSize(1200, 240)}) {
        view.resize(size);
        const SpectrumView::Layout layout = view.layout();
        QList<QRect> parts{layout.panels[0], layout.panels[1], layout.panels[2], layout.colourBar, layout.caption};
        for (qsizetype i = 0; i < parts.size(); ++i) {
            EXPECT_TRUE(view.rect().contains(parts[i])) << size.width() << "x" << size.height() << " part " << i;
            for (qsizetype j = i + 1; j < parts.size(); ++j) {
                EXPECT_FALSE(parts[i].intersects(parts[j]))
                    << size.width() << "x" << size.height() << " parts " << i << " and " << j;
            }
        }
        // The axis labels of neighbouring panels ("0.5" and "-0.5") fit in the gap between them.
        const QFontMetrics metrics = view.fontMetrics();
        const int needed =
            (metrics.horizontalAdvance(QStringLiteral("0.5")) + metrics.horizontalAdvance(QStringLiteral("-0.5"))) / 2;
        EXPECT_GT(layout.panels[1].left() - layout.panels[0].right(), needed);
    }
    view.resize(view.sizeHint());
    EXPECT_LE(view.fontMetrics().horizontalAdvance(SpectrumView::caption()), view.layout().caption.width())
        << "the caption is cut at the panel's preferred size";
}

} // namespace
