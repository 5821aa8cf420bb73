#include "spectrum_view.hpp"

#include <QPainter>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <array>
#include <exception>

namespace blurcam::ui {

namespace {

constexpr int kUpdateIntervalMs = 250;

ImageView viewOf(const QImage& rgba) {
    return ImageView{rgba.constBits(), rgba.width(), rgba.height(), static_cast<std::size_t>(rgba.bytesPerLine())};
}

/// Grey levels to a heat-map picture (the kernel heat map's ramp), brightest = 255.
QImage toPicture(const GreyImage& grey) {
    if (grey.width < 1 || grey.height < 1) {
        return {};
    }
    static constexpr std::array<std::array<int, 3>, 6> kStops{
        {{0, 0, 4}, {66, 10, 104}, {147, 38, 103}, {221, 81, 58}, {252, 165, 10}, {252, 255, 164}}};
    std::array<QRgb, 256> palette{};
    for (int level = 0; level < 256; ++level) {
        const double t = level / 255.0 * (kStops.size() - 1);
        const auto index = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
        const double f = t - static_cast<double>(index);
        const auto mix = [&](int channel) {
            return static_cast<int>(kStops[index][channel] + f * (kStops[index + 1][channel] - kStops[index][channel]));
        };
        palette[static_cast<std::size_t>(level)] = qRgb(mix(0), mix(1), mix(2));
    }
    QImage picture(grey.width, grey.height, QImage::Format_RGB32);
    for (int y = 0; y < grey.height; ++y) {
        auto* row = reinterpret_cast<QRgb*>(picture.scanLine(y));
        for (int x = 0; x < grey.width; ++x) {
            row[x] = palette[grey.at(x, y)];
        }
    }
    return picture;
}

} // namespace

SpectrumView::SpectrumView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(3 * 96 + 40, 130);
    connect(&m_watcher, &QFutureWatcher<FrameSpectra>::finished, this, [this] {
        m_spectra = m_watcher.result();
        m_inputPicture = toPicture(m_spectra.inputSpectrum);
        m_outputPicture = toPicture(m_spectra.outputSpectrum);
        if (!m_spectra.input.isNull() && Size{m_spectra.input.width(), m_spectra.input.height()} != m_grid) {
            m_grid = {m_spectra.input.width(), m_spectra.input.height()};
            refreshKernel();
        }
        ++m_updates;
        update();
        emit spectraUpdated();
        if (m_hasPending) {
            // The newest pair waits out the rest of the interval, then goes.
            QTimer::singleShot(std::max<qint64>(0, kUpdateIntervalMs - m_sinceStart.elapsed()), this,
                               &SpectrumView::startPending);
        }
    });
    setParams(BlurParams{});
}

SpectrumView::~SpectrumView() {
    // The computation owns copies of its frames, so it may finish after the view is gone;
    // only the watcher's signal must not reach a half-destroyed view.
    m_watcher.disconnect();
}

FrameSpectra SpectrumView::computeSpectra(const QImage& input, const QImage& output) {
    FrameSpectra spectra;
    spectra.input = input.convertToFormat(QImage::Format_RGBA8888);
    spectra.output = output.convertToFormat(QImage::Format_RGBA8888);
    try {
        spectra.inputSpectrum = spectrumImage(viewOf(spectra.input));
        spectra.outputSpectrum = spectrumImage(viewOf(spectra.output));
    } catch (const std::exception& error) {
        spectra.inputSpectrum = {};
        spectra.outputSpectrum = {};
        spectra.error = QString::fromStdString(error.what());
    }
    return spectra;
}

void SpectrumView::setFrames(const QImage& input, const QImage& output) {
    m_pendingInput = input;
    m_pendingOutput = output;
    m_hasPending = true;
    startPending();
}

void SpectrumView::startPending() {
    if (!m_hasPending || m_watcher.isRunning() ||
        (m_sinceStart.isValid() && m_sinceStart.elapsed() < kUpdateIntervalMs)) {
        return;
    }
    m_hasPending = false;
    m_sinceStart.start();
    m_watcher.setFuture(QtConcurrent::run(&SpectrumView::computeSpectra, m_pendingInput, m_pendingOutput));
    m_pendingInput = {};
    m_pendingOutput = {};
}

void SpectrumView::setParams(const BlurParams& params) {
    m_params = params;
    refreshKernel();
}

void SpectrumView::refreshKernel() {
    try {
        m_kernel = kernelResponseImage(m_params, m_grid);
    } catch (const std::exception&) {
        m_kernel = {}; // invalid params never reach here from the controls; draw nothing rather than fail
    }
    m_kernelPicture = toPicture(m_kernel);
    update();
}

void SpectrumView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const int labelHeight = fontMetrics().height() + 4;
    const int side = std::max(16, std::min((width() - 40) / 3, height() - labelHeight - 8));
    const int left = (width() - 3 * side - 2 * 12) / 2;
    const QList<std::pair<const QImage*, QString>> panels{{&m_inputPicture, tr("frame spectrum")},
                                                          {&m_outputPicture, tr("blurred spectrum")},
                                                          {&m_kernelPicture, tr("kernel |H|")}};
    for (int index = 0; index < panels.size(); ++index) {
        const QRect target(left + index * (side + 12), labelHeight + 4, side, side);
        painter.setPen(palette().windowText().color());
        painter.drawText(QRect(target.left(), 2, side, labelHeight), Qt::AlignCenter, panels[index].second);
        if (panels[index].first->isNull()) {
            painter.fillRect(target, QColor(0, 0, 10));
        } else if (index == 1 && !m_spectra.input.isNull() && m_spectra.input.width() > 0) {
            // A stride-2 output holds only the lower half of the input's frequencies; drawn at
            // that scale, in the middle, its bins line up with the other two panels.
            painter.fillRect(target, QColor(0, 0, 10));
            const double scaleX = static_cast<double>(m_spectra.output.width()) / m_spectra.input.width();
            const double scaleY = static_cast<double>(m_spectra.output.height()) / m_spectra.input.height();
            const QSizeF shown(side * scaleX, side * scaleY);
            const QRectF inner(QPointF(target.center()) - QPointF(shown.width() / 2, shown.height() / 2), shown);
            painter.drawImage(inner, *panels[index].first);
        } else {
            painter.drawImage(target, *panels[index].first);
        }
    }
    if (!m_spectra.error.isEmpty()) {
        // Over the two frame panels: why they are empty (e.g. this build has no FFTW).
        const QRect message(left, labelHeight + 4, 2 * side + 12, side);
        painter.fillRect(message, QColor(0, 0, 10)); // one dark card, so the text never crosses the gap
        painter.setPen(QColor(240, 240, 240));
        painter.drawText(message.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_spectra.error);
    }
}

} // namespace blurcam::ui
