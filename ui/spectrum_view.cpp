#include "spectrum_view.hpp"

#include "heat_palette.hpp"
#include "status_line.hpp"

#include <QPainter>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <exception>

namespace blurcam::widgets {

namespace {

constexpr int kUpdateIntervalMs = 250;

ImageView viewOf(const QImage& rgba) {
    return ImageView{rgba.constBits(), rgba.width(), rgba.height(), static_cast<std::size_t>(rgba.bytesPerLine())};
}

/// Magnitudes to a picture on the shared scale: each bin relative to `reference` (the zero
/// frequency bin, or 1 for a gain), in dB.
QImage toPicture(const FloatImage& magnitude, double reference) {
    if (magnitude.width < 1 || magnitude.height < 1 || !(reference > 0.0)) {
        return {};
    }
    QImage picture(magnitude.width, magnitude.height, QImage::Format_RGB32);
    for (int y = 0; y < magnitude.height; ++y) {
        auto* row = reinterpret_cast<QRgb*>(picture.scanLine(y));
        for (int x = 0; x < magnitude.width; ++x) {
            const double ratio = std::abs(magnitude.at(x, y)) / reference;
            row[x] = SpectrumView::colourForDb(ratio > 0.0 ? 20.0 * std::log10(ratio) : SpectrumView::kFloorDb);
        }
    }
    return picture;
}

double dcOf(const FloatImage& spectrum) {
    return spectrum.width > 0 ? spectrum.at(spectrum.width / 2, spectrum.height / 2) : 0.0;
}

} // namespace

SpectrumView::SpectrumView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(3 * 96 + 120, 170);
    connect(&m_watcher, &QFutureWatcher<FrameSpectra>::finished, this, [this] {
        m_spectra = m_watcher.result();
        m_inputPicture = toPicture(m_spectra.inputSpectrum, dcOf(m_spectra.inputSpectrum));
        m_outputPicture = toPicture(m_spectra.outputSpectrum, dcOf(m_spectra.outputSpectrum));
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
        spectra.inputSpectrum = magnitudeSpectrum(frameLuminance(viewOf(spectra.input)));
        spectra.outputSpectrum = magnitudeSpectrum(frameLuminance(viewOf(spectra.output)));
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
        m_kernel = kernelResponse(m_params, m_grid);
    } catch (const std::exception&) {
        m_kernel = {}; // invalid params never reach here from the controls; draw nothing rather than fail
    }
    m_kernelPicture = toPicture(m_kernel, 1.0); // a gain: 1 (0 dB) passes a frequency unchanged
    update();
}

QRgb SpectrumView::colourForDb(double decibels) {
    return heatColour(1.0 - decibels / kFloorDb);
}

QString SpectrumView::caption() {
    return tr("frame, blurred frame, kernel gain |H|: dB re zero frequency; axes in cycles/pixel");
}

SpectrumView::Layout SpectrumView::layout() const {
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height() + 2;
    const int barWidth = 14;
    const int barLabels = metrics.horizontalAdvance(QStringLiteral("-80 dB")) + 10;
    const int axisRoom = line + 4; // the tick labels under each panel
    // Between panels, room for one panel's "0.5" and the next one's "-0.5", centred on their ticks.
    const int gap =
        (metrics.horizontalAdvance(QStringLiteral("-0.5")) + metrics.horizontalAdvance(QStringLiteral("0.5"))) / 2 + 10;
    const int available = width() - 2 * gap - barWidth - barLabels - 3 * gap;
    const int side = std::max(16, std::min(available / 3, height() - 2 * line - axisRoom - 8));
    const int totalWidth = 3 * side + 3 * gap + barWidth + barLabels;
    const int left = std::max(gap, (width() - totalWidth) / 2 + gap / 2);
    const int top = line + 2;
    Layout layout;
    for (int index = 0; index < 3; ++index) {
        layout.panels[index] = QRect(left + index * (side + gap), top, side, side);
    }
    layout.colourBar = QRect(layout.panels[2].right() + gap, top, barWidth, side);
    layout.caption = QRect(4, top + side + axisRoom, width() - 8, line);
    return layout;
}

void SpectrumView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const Layout parts = layout();
    const QFontMetrics metrics = fontMetrics();
    const QColor text = palette().windowText().color();
    const QList<std::pair<const QImage*, QString>> panels{
        {&m_inputPicture, tr("frame")}, {&m_outputPicture, tr("blurred")}, {&m_kernelPicture, tr("kernel |H|")}};
    for (int index = 0; index < panels.size(); ++index) {
        const QRect target = parts.panels[index];
        painter.setPen(text);
        painter.drawText(QRect(target.left(), 0, target.width(), target.top()), Qt::AlignCenter, panels[index].second);
        painter.fillRect(target, QColor(colourForDb(kFloorDb)));
        if (panels[index].first->isNull()) {
            // nothing yet
        } else if (index == 1 && !m_spectra.input.isNull() && m_spectra.input.width() > 0) {
            // A stride-2 output holds only the lower half of the input's frequencies; drawn at
            // that scale, in the middle, its bins line up with the other two panels.
            const double scaleX = static_cast<double>(m_spectra.output.width()) / m_spectra.input.width();
            const double scaleY = static_cast<double>(m_spectra.output.height()) / m_spectra.input.height();
            const QSizeF shown(target.width() * scaleX, target.height() * scaleY);
            const QRectF inner(QPointF(target.center()) - QPointF(shown.width() / 2, shown.height() / 2), shown);
            painter.drawImage(inner, *panels[index].first);
        } else {
            painter.drawImage(target, *panels[index].first);
        }
        // Frequency axis: -1/2, 0 and +1/2 cycles per input pixel (Nyquist at the edges).
        painter.setPen(text);
        const int tickY = target.bottom() + 1;
        const QList<std::pair<double, QString>> ticks{
            {0.0, QStringLiteral("-0.5")}, {0.5, QStringLiteral("0")}, {1.0, QStringLiteral("0.5")}};
        for (const auto& [at, label] : ticks) {
            const int x = target.left() + static_cast<int>(at * (target.width() - 1));
            painter.drawLine(x, tickY, x, tickY + 3);
            const int labelWidth = metrics.horizontalAdvance(label);
            painter.drawText(QRect(x - labelWidth / 2, tickY + 3, labelWidth + 2, metrics.height()), Qt::AlignLeft,
                             label);
        }
    }
    // The colour bar: the one scale of all three panels.
    const QRect bar = parts.colourBar;
    for (int y = 0; y < bar.height(); ++y) {
        const double decibels = kFloorDb * y / std::max(1, bar.height() - 1);
        painter.fillRect(QRect(bar.left(), bar.top() + y, bar.width(), 1), QColor(colourForDb(decibels)));
    }
    painter.setPen(text);
    for (int decibels = 0; decibels >= static_cast<int>(kFloorDb); decibels -= 20) {
        const int y = bar.top() + static_cast<int>(decibels / kFloorDb * (bar.height() - 1));
        painter.drawLine(bar.right() + 1, y, bar.right() + 2, y);
        painter.drawText(QRect(bar.right() + 6, y - metrics.height() / 2, width() - bar.right() - 6, metrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, tr("%1 dB").arg(decibels));
    }
    painter.drawText(parts.caption, Qt::AlignCenter, elideAtWord(caption(), metrics, parts.caption.width()));
    if (!m_spectra.error.isEmpty()) {
        // Over the two frame panels: why they are empty (e.g. this build has no FFTW).
        const QRect message = parts.panels[0].united(parts.panels[1]);
        painter.fillRect(message, QColor(0, 0, 10)); // one dark card, so the text never crosses the gap
        painter.setPen(QColor(240, 240, 240));
        painter.drawText(message.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_spectra.error);
    }
}

} // namespace blurcam::widgets
