#pragma once
// Where the blur acts in frequency: the magnitude spectrum of the frame before and after, and
// the kernel's frequency response |H(u, v)|, all with zero frequency in the centre. A blur
// keeps the centre and darkens the rim; zero edges add a cross (the border's hard step).
//
// All three share one scale, so they can be read against each other: decibels relative to
// zero frequency (a frame's |X| / |X(0)|, the kernel's gain |H|, which is 1 there), from 0 dB
// down to kFloorDb, with a colour bar; axes in cycles per input pixel. On that scale the
// blurred spectrum is the frame's plus the kernel's.
//
// The numbers come from the engine (blurcam/spectrum.hpp), so the panel and the FFT backend
// share one FFT. The frame spectra are computed on a pool thread, never on the GUI thread:
// FFTW's planner is shared with the FFT backend and may be busy measuring plans for seconds.

#include <blurcam/params.hpp>
#include <blurcam/spectrum.hpp>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QImage>
#include <QString>
#include <QWidget>

namespace blurcam::widgets {

/// One computation's result: the frames it was made from and their spectra (engine images).
struct FrameSpectra {
    QImage input;              ///< the engine's input frame
    QImage output;             ///< the blurred frame
    FloatImage inputSpectrum;  ///< blurcam::magnitudeSpectrum of the input's luminance
    FloatImage outputSpectrum; ///< the same for the output
    QString error;             ///< why there are no spectra (e.g. a build without FFTW), else empty
};

class SpectrumView : public QWidget {
    Q_OBJECT
  public:
    explicit SpectrumView(QWidget* parent = nullptr);
    ~SpectrumView() override;

    /// Asks for the spectra of this pair; at most a few times a second and one computation at
    /// a time (the picture does not need to follow every frame), newest pair wins.
    void setFrames(const QImage& input, const QImage& output);
    void setParams(const BlurParams& params);

    /// Spectra of a frame pair with the engine's functions; never throws (error set instead).
    [[nodiscard]] static FrameSpectra computeSpectra(const QImage& input, const QImage& output);

    [[nodiscard]] const FrameSpectra& spectra() const { return m_spectra; }
    /// blurcam::kernelResponse for the current params on the input frame's grid (the kernel
    /// acts on the input, so its response lines up with the "before" spectrum).
    [[nodiscard]] const FloatImage& kernelImage() const { return m_kernel; }
    /// The pictures drawn for the three panels (frame, blurred, kernel), one pixel per bin.
    [[nodiscard]] const QImage& inputPicture() const { return m_inputPicture; }
    [[nodiscard]] const QImage& kernelPicture() const { return m_kernelPicture; }

    /// The shared colour scale: 0 dB (zero frequency, or a gain of 1) at the top.
    static constexpr double kFloorDb = -80.0; ///< most of a natural frame lies within 80 dB of its mean
    [[nodiscard]] static QRgb colourForDb(double decibels);
    /// Where each part goes at the current size (paintEvent draws exactly these).
    struct Layout {
        QRect panels[3]; ///< frame, blurred, kernel
        QRect colourBar;
        QRect caption;
    };
    [[nodiscard]] Layout layout() const;
    [[nodiscard]] static QString caption();
    [[nodiscard]] Size kernelGrid() const { return m_grid; }
    [[nodiscard]] quint64 completedUpdates() const { return m_updates; }

    // Short enough to leave a small window most of its height for the video.
    [[nodiscard]] QSize sizeHint() const override { return {3 * 170 + 160, 210}; }

  signals:
    /// New spectra are shown (completedUpdates() went up).
    void spectraUpdated();

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void startPending();
    void refreshKernel();

    QFutureWatcher<FrameSpectra> m_watcher;
    QElapsedTimer m_sinceStart;
    QImage m_pendingInput;
    QImage m_pendingOutput;
    bool m_hasPending = false;
    FrameSpectra m_spectra;
    QImage m_inputPicture;
    QImage m_outputPicture;
    FloatImage m_kernel;
    QImage m_kernelPicture;
    BlurParams m_params;
    Size m_grid{256, 256}; ///< the input size the kernel response is sampled on
    quint64 m_updates = 0;
};

} // namespace blurcam::widgets
