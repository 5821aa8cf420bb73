#include "shortcut_overlay.hpp"

#include <QEvent>
#include <QKeyEvent>
#include <QPainter>

#include <algorithm>

namespace blurcam::ui {

ShortcutOverlay::ShortcutOverlay(QList<QPair<QString, QString>> entries, QWidget* parent)
    : QWidget(parent), m_entries(std::move(entries)) {
    setFocusPolicy(Qt::StrongFocus);
    hide();
    // Follow the parent's size, so the overlay still covers the window after a resize or F11.
    parent->installEventFilter(this);
}

void ShortcutOverlay::toggle() {
    if (isVisible()) {
        hide();
        return;
    }
    setGeometry(parentWidget()->rect());
    raise();
    show();
    setFocus();
}

bool ShortcutOverlay::eventFilter(QObject* watched, QEvent* event) {
    if (watched == parentWidget() && event->type() == QEvent::Resize) {
        setGeometry(parentWidget()->rect());
    }
    return QWidget::eventFilter(watched, event);
}

void ShortcutOverlay::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), QColor(0, 0, 0, 170));

    QFont keyFont = font();
    keyFont.setBold(true);
    const QFontMetrics metrics(keyFont);
    const int lineHeight = metrics.height() + 8;
    int keyWidth = 0;
    int textWidth = 0;
    for (const auto& [key, text] : m_entries) {
        keyWidth = std::max(keyWidth, metrics.horizontalAdvance(key));
        textWidth = std::max(textWidth, fontMetrics().horizontalAdvance(text));
    }
    const int panelWidth = keyWidth + textWidth + 80;
    const int panelHeight = lineHeight * (static_cast<int>(m_entries.size()) + 2) + 16;
    const QRect panel((width() - panelWidth) / 2, (height() - panelHeight) / 2, panelWidth, panelHeight);
    painter.setBrush(QColor(35, 35, 40, 235));
    painter.setPen(QColor(110, 110, 120));
    painter.drawRoundedRect(panel, 10, 10);

    painter.setPen(Qt::white);
    painter.setFont(keyFont);
    int y = panel.top() + 16;
    painter.drawText(QRect(panel.left(), y, panel.width(), lineHeight), Qt::AlignCenter, tr("Keyboard shortcuts"));
    y += lineHeight + 4;
    for (const auto& [key, text] : m_entries) {
        const QRect keyRect(panel.left() + 24, y, keyWidth + 12, lineHeight - 6);
        painter.setFont(keyFont);
        painter.setPen(QColor(255, 210, 120));
        painter.drawText(keyRect, Qt::AlignLeft | Qt::AlignVCenter, key);
        painter.setFont(font());
        painter.setPen(Qt::white);
        painter.drawText(QRect(keyRect.right() + 20, y, textWidth + 10, lineHeight - 6),
                         Qt::AlignLeft | Qt::AlignVCenter, text);
        y += lineHeight;
    }
    painter.setPen(QColor(170, 170, 170));
    painter.drawText(QRect(panel.left(), y, panel.width(), lineHeight), Qt::AlignCenter, tr("press any key to close"));
}

void ShortcutOverlay::mousePressEvent(QMouseEvent*) {
    hide();
}

void ShortcutOverlay::keyPressEvent(QKeyEvent* event) {
    event->accept();
    hide();
}

} // namespace blurcam::ui
