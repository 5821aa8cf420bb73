#pragma once
// Where the blur acts in frequency: the magnitude spectrum of the frame before and after, and
// the kernel's frequency response |H(u, v)|, all with zero frequency in the centre. A blur
// keeps the centre and darkens the rim; zero edges add a cross (the border's hard step).

#include <blurcam/params.hpp>

#include <QElapsedTimer>
#include <QImage>
#include <QWidget>

#include <vector>

namespace blurcam::ui {

class SpectrumView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSize = 128; ///< transform size (frames are area-resized to it)

    explicit SpectrumView(QWidget* parent = nullptr);

    /// Recomputes the two frame spectra; at most a few times a second, because it runs on the
    /// GUI thread and the picture does not need to follow every frame.
    void setFrames(const QImage& input, const QImage& output);
    void setParams(const BlurParams& params);

    /// log(1 + |F|) of the luminance, kSize x kSize, zero frequency at (kSize/2, kSize/2).
    [[nodiscard]] static std::vector<float> logSpectrum(const QImage& image);
    /// |H1(u) H1(v)| of the separable kernel, same layout; 1 at zero frequency. inputWidth puts
    /// it on the frame spectra's axes: a 256-wide frame shown at kSize spans half the kernel's
    /// frequencies (bin u is (u - kSize/2) / inputWidth cycles per input pixel).
    [[nodiscard]] static std::vector<float> kernelResponse(const BlurParams& params, int inputWidth = kSize);

    [[nodiscard]] QSize sizeHint() const override { return {3 * 160 + 40, 190}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_input;
    QImage m_output;
    QImage m_kernel;
    QElapsedTimer m_sinceUpdate;
    BlurParams m_params;
    int m_inputWidth = 256;
};

} // namespace blurcam::ui
