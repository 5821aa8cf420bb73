#include "spectrum_view.hpp"

#include <blurcam/kernel.hpp>

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace blurcam::ui {

namespace {

constexpr int kUpdateIntervalMs = 250;
using Complex = std::complex<float>;

/// In-place iterative radix-2 FFT; n is a power of two. Display only, so float is plenty.
void fft(Complex* data, int n, int step) {
    for (int i = 1, j = 0; i < n; ++i) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) {
            j ^= bit;
        }
        j ^= bit;
        if (i < j) {
            std::swap(data[i * step], data[j * step]);
        }
    }
    for (int length = 2; length <= n; length <<= 1) {
        const float angle = -2.0f * std::numbers::pi_v<float> / static_cast<float>(length);
        const Complex unit(std::cos(angle), std::sin(angle));
        for (int start = 0; start < n; start += length) {
            Complex twiddle(1.0f, 0.0f);
            for (int k = 0; k < length / 2; ++k) {
                const Complex even = data[(start + k) * step];
                const Complex odd = data[(start + k + length / 2) * step] * twiddle;
                data[(start + k) * step] = even + odd;
                data[(start + k + length / 2) * step] = even - odd;
                twiddle *= unit;
            }
        }
    }
}

/// Values to a heat-map image, brightest = largest.
QImage toImage(const std::vector<float>& values) {
    const float maximum = std::max(1e-12f, *std::max_element(values.begin(), values.end()));
    QImage image(SpectrumView::kSize, SpectrumView::kSize, QImage::Format_RGB32);
    for (int y = 0; y < SpectrumView::kSize; ++y) {
        auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < SpectrumView::kSize; ++x) {
            const float t = values[static_cast<std::size_t>(y * SpectrumView::kSize + x)] / maximum;
            // Black -> purple -> orange -> pale yellow, like the kernel heat map.
            const auto channel = [t](float a, float b, float c) {
                const float v = t < 0.5f ? a + (b - a) * t * 2.0f : b + (c - b) * (t - 0.5f) * 2.0f;
                return static_cast<int>(std::clamp(v, 0.0f, 255.0f));
            };
            row[x] = qRgb(channel(0, 180, 255), channel(0, 40, 230), channel(10, 110, 150));
        }
    }
    return image;
}

} // namespace

SpectrumView::SpectrumView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(3 * 96 + 40, 130);
    setParams(BlurParams{});
}

std::vector<float> SpectrumView::logSpectrum(const QImage& image) {
    const QImage small = image.convertToFormat(QImage::Format_RGBA8888)
                             .scaled(kSize, kSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    std::vector<Complex> grid(static_cast<std::size_t>(kSize * kSize));
    for (int y = 0; y < kSize; ++y) {
        const uchar* row = small.constScanLine(y);
        for (int x = 0; x < kSize; ++x) {
            const uchar* pixel = row + 4 * x;
            // Rec. 601 luma: the spectrum of what the eye sees as brightness.
            const float luma = (0.299f * pixel[0] + 0.587f * pixel[1] + 0.114f * pixel[2]) / 255.0f;
            grid[static_cast<std::size_t>(y * kSize + x)] = Complex(luma, 0.0f);
        }
    }
    for (int y = 0; y < kSize; ++y) {
        fft(grid.data() + y * kSize, kSize, 1);
    }
    for (int x = 0; x < kSize; ++x) {
        fft(grid.data() + x, kSize, kSize);
    }
    std::vector<float> shifted(grid.size());
    for (int y = 0; y < kSize; ++y) {
        for (int x = 0; x < kSize; ++x) {
            const int sy = (y + kSize / 2) % kSize;
            const int sx = (x + kSize / 2) % kSize;
            shifted[static_cast<std::size_t>(sy * kSize + sx)] = std::log1p(std::abs(grid[static_cast<std::size_t>(y * kSize + x)]));
        }
    }
    return shifted;
}

std::vector<float> SpectrumView::kernelResponse(const BlurParams& params, int inputWidth) {
    const std::vector<double> weights = kernelWeights1D(params);
    const int radius = static_cast<int>(weights.size()) / 2;
    std::vector<float> response1D(kSize);
    for (int u = 0; u < kSize; ++u) {
        const double frequency = 2.0 * std::numbers::pi * (u - kSize / 2) / std::max(1, inputWidth);
        std::complex<double> sum;
        for (int k = 0; k < static_cast<int>(weights.size()); ++k) {
            sum += weights[static_cast<std::size_t>(k)] * std::polar(1.0, -frequency * (k - radius));
        }
        response1D[static_cast<std::size_t>(u)] = static_cast<float>(std::abs(sum));
    }
    std::vector<float> response(static_cast<std::size_t>(kSize * kSize));
    for (int v = 0; v < kSize; ++v) {
        for (int u = 0; u < kSize; ++u) {
            response[static_cast<std::size_t>(v * kSize + u)] = response1D[static_cast<std::size_t>(v)] * response1D[static_cast<std::size_t>(u)];
        }
    }
    return response;
}

void SpectrumView::setFrames(const QImage& input, const QImage& output) {
    if (m_sinceUpdate.isValid() && m_sinceUpdate.elapsed() < kUpdateIntervalMs) {
        return;
    }
    m_sinceUpdate.start();
    if (input.width() != m_inputWidth) {
        m_inputWidth = input.width();
        m_kernel = toImage(kernelResponse(m_params, m_inputWidth));
    }
    m_input = toImage(logSpectrum(input));
    m_output = toImage(logSpectrum(output));
    update();
}

void SpectrumView::setParams(const BlurParams& params) {
    m_params = params;
    m_kernel = toImage(kernelResponse(params, m_inputWidth));
    update();
}

void SpectrumView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const int labelHeight = fontMetrics().height() + 4;
    const int side = std::max(16, std::min((width() - 40) / 3, height() - labelHeight - 8));
    const int left = (width() - 3 * side - 2 * 12) / 2;
    const QList<std::pair<const QImage*, QString>> panels{
        {&m_input, tr("frame spectrum")}, {&m_output, tr("blurred spectrum")}, {&m_kernel, tr("kernel |H|")}};
    for (int index = 0; index < panels.size(); ++index) {
        const QRect target(left + index * (side + 12), labelHeight + 4, side, side);
        painter.setPen(palette().windowText().color());
        painter.drawText(QRect(target.left(), 2, side, labelHeight), Qt::AlignCenter, panels[index].second);
        if (panels[index].first->isNull()) {
            painter.fillRect(target, QColor(0, 0, 10));
        } else {
            painter.drawImage(target, *panels[index].first);
        }
    }
}

} // namespace blurcam::ui
