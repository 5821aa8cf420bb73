#include "kernel_heat_map.hpp"

#include "gui_settings.hpp"
#include "heat_palette.hpp"

#include <blurcam/kernel.hpp>

#include <QPainter>

#include <algorithm>

namespace blurcam::widgets {

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
    painter.fillRect(area, QColor(heatColour(0.0)));
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
            painter.fillRect(QRect(QPoint(x0, y0), QPoint(x1 - 1, y1 - 1)), QColor(heatColour(weight / m_maxWeight)));
        }
    }
    painter.setPen(QColor(255, 255, 255, 200));
    painter.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignBottom, QStringLiteral("%1x%1").arg(m_size));
}

} // namespace blurcam::widgets
