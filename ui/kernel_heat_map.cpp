#include "kernel_heat_map.hpp"

#include "gui_settings.hpp"

#include <blurcam/kernel.hpp>

#include <QPainter>

#include <algorithm>
#include <array>

namespace blurcam::ui {

namespace {

/// A perceptual dark-to-bright ramp (close to matplotlib's "inferno"), so equal steps in
/// weight look like equal steps in brightness.
QColor heatColour(double t) {
    static constexpr std::array<std::array<int, 3>, 6> kStops{
        {{0, 0, 4}, {66, 10, 104}, {147, 38, 103}, {221, 81, 58}, {252, 165, 10}, {252, 255, 164}}};
    t = std::clamp(t, 0.0, 1.0) * (kStops.size() - 1);
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
    const double f = t - static_cast<double>(index);
    auto mix = [&](int channel) {
        return static_cast<int>(kStops[index][channel] + f * (kStops[index + 1][channel] - kStops[index][channel]));
    };
    return {mix(0), mix(1), mix(2)};
}

} // namespace

KernelHeatMap::KernelHeatMap(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    // Large enough to read a 63x63 kernel, small enough to leave the panel to the controls.
    setMaximumSize(130, 130);
}

void KernelHeatMap::setParams(const BlurParams& params) {
    m_weights = kernelWeights2D(params);
    m_size = params.kernel == KernelKind::Binomial ? kBinomialKernelSize : params.kernelSize;
    m_maxWeight = m_weights.empty() ? 0.0 : *std::max_element(m_weights.begin(), m_weights.end());
    const double centre = m_weights.empty() ? 0.0 : m_weights[m_weights.size() / 2];
    setToolTip(tr("%1 kernel, %2 x %2, sigma %3; centre weight %4")
                   .arg(displayName(params.kernel))
                   .arg(m_size)
                   .arg(params.sigma, 0, 'f', 1)
                   .arg(centre, 0, 'f', 4));
    update();
}

void KernelHeatMap::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const int side = std::min(width(), height());
    const QRect area((width() - side) / 2, (height() - side) / 2, side, side);
    painter.fillRect(area, QColor(0, 0, 4));
    if (m_size <= 0 || m_maxWeight <= 0.0) {
        return;
    }
    for (int row = 0; row < m_size; ++row) {
        for (int column = 0; column < m_size; ++column) {
            // Integer cell edges so neighbouring cells meet without seams at any size.
            const int x0 = area.left() + column * side / m_size;
            const int x1 = area.left() + (column + 1) * side / m_size;
            const int y0 = area.top() + row * side / m_size;
            const int y1 = area.top() + (row + 1) * side / m_size;
            const double weight = m_weights[static_cast<std::size_t>(row * m_size + column)];
            painter.fillRect(QRect(QPoint(x0, y0), QPoint(x1 - 1, y1 - 1)), heatColour(weight / m_maxWeight));
        }
    }
    painter.setPen(QColor(255, 255, 255, 200));
    painter.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignBottom, QStringLiteral("%1x%1").arg(m_size));
}

} // namespace blurcam::ui
