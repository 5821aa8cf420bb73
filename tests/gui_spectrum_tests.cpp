// The spectrum panel shows the engine's spectra of the frames the app blurs and the kernel's
// response, says why when it cannot, and reads as one figure: frame, blurred frame and kernel
// response on one dB scale with a colour bar, frequency axes, and a caption, laid out without
// overlaps.

#include "app_controller.hpp"
#include "control_panel.hpp"
#include "gui_frame_checks.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "spectrum_view.hpp"

#include <blurcam/backend.hpp>
#include <blurcam/spectrum.hpp>

#include <gtest/gtest.h>

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QTest>

#include <cmath>
#include <stdexcept>

namespace blurcam::test {
namespace {

using gui::AppController;
using widgets::GuiSettings;
using widgets::SpectrumView;

bool sameFloat(const FloatImage& left, const FloatImage& right) {
    return left.width == right.width && left.height == right.height && left.values == right.values;
}

ImageView viewOf(const QImage& rgba) {
    return ImageView{rgba.constBits(), rgba.width(), rgba.height(), static_cast<std::size_t>(rgba.bytesPerLine())};
}

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
    REQUIRE_OR_SKIP(view.spectra().error.isEmpty(),
                    "no spectra in this build (FFTW, Debian: libfftw3-dev): " + view.spectra().error.toStdString());
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

TEST_F(GuiTest, TheSpectrumPanelShowsTheEngineSpectraOfTheFramesAndTheKernelResponse) {
    GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.sigma = 2.0;
    initial.kernelSize = 9;
    AppController controller(initial, options());
    widgets::MainWindow& window = controller.window();
    window.show();
    window.spectrumDock()->show();
    widgets::SpectrumView* view = window.spectrumView();
    ASSERT_TRUE(waitFor([&] { return view->completedUpdates() >= 1; }));

    const widgets::FrameSpectra& spectra = view->spectra();
    EXPECT_TRUE(sameFloat(view->kernelImage(), kernelResponse(initial.blurParams(), {256, 256})));
    if (const BackendResult fft = createBackend(BackendKind::Fft); !fft.backend) {
        // Without FFTW the kernel response is still there, and the panel says why the rest is not.
        EXPECT_TRUE(spectra.error.contains(QStringLiteral("FFT"))) << spectra.error.toStdString();
        EXPECT_EQ(spectra.outputSpectrum.width, 0);
        REQUIRE_OR_SKIP(false, "no FFTW in this build (Debian: libfftw3-dev): " + fft.error);
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
    const widgets::FrameSpectra empty = widgets::SpectrumView::computeSpectra(QImage(), QImage());
    EXPECT_FALSE(empty.error.isEmpty());
    EXPECT_EQ(empty.inputSpectrum.width, 0);

    QImage grey(64, 48, QImage::Format_RGBA8888);
    grey.fill(QColor(90, 90, 90));
    const widgets::FrameSpectra real = widgets::SpectrumView::computeSpectra(grey, grey);
    try {
        const FloatImage expected = magnitudeSpectrum(frameLuminance(viewOf(real.input)));
        EXPECT_TRUE(real.error.isEmpty());
        EXPECT_TRUE(sameFloat(real.inputSpectrum, expected));
    } catch (const std::runtime_error& error) {
        EXPECT_EQ(real.error.toStdString(), error.what());
    }
}

} // namespace
} // namespace blurcam::test
