#include "shortcut_overlay.hpp"

#include <QAction>
#include <QEvent>
#include <QKeyEvent>
#include <QPainter>

#include <algorithm>

namespace blurcam::widgets {

ShortcutOverlay::ShortcutOverlay(QList<QPair<QString, QString>> otherKeys, QWidget* parent)
    : QWidget(parent), m_otherKeys(std::move(otherKeys)) {
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

QList<QPair<QString, QString>> ShortcutOverlay::entries() const {
    QList<QPair<QString, QString>> entries;
    for (const QAction* action : parentWidget()->actions()) {
        QStringList keys;
        for (const QKeySequence& key : action->shortcuts()) {
            // A standard key (QKeySequence::Quit...) is empty where the platform has no binding.
            if (!key.isEmpty()) {
                keys << key.toString(QKeySequence::NativeText);
            }
        }
        if (keys.isEmpty()) {
            continue;
        }
        // iconText() is the menu text without its mnemonic '&'. The checkable actions are the
        // docks' show/hide entries, whose text is only the dock's title.
        const QString text =
            action->isCheckable() ? tr("%1 (show / hide)").arg(action->iconText()) : action->iconText();
        entries.append({keys.join(QStringLiteral("  /  ")), text});
    }
    return entries + m_otherKeys;
}

namespace {
constexpr int kPadding = 16; ///< inside the panel's border, on every side
constexpr int kRowGap = 8;
} // namespace

ShortcutOverlay::Layout ShortcutOverlay::layout() const {
    const QList<QPair<QString, QString>> shown = entries();
    QFont keyFont = font();
    keyFont.setBold(true);
    const QFontMetrics keyMetrics(keyFont);
    const int lineHeight = std::max(keyMetrics.height(), fontMetrics().height()) + kRowGap;
    int keyWidth = 0;
    int textWidth = 0;
    for (const auto& [key, text] : shown) {
        keyWidth = std::max(keyWidth, keyMetrics.horizontalAdvance(key));
        textWidth = std::max(textWidth, fontMetrics().horizontalAdvance(text));
    }
    const int panelWidth = keyWidth + textWidth + 2 * kPadding + 40;
    // Title, one line per entry, a gap, the footer, and the padding above and below.
    const int panelHeight = 2 * kPadding + lineHeight * (static_cast<int>(shown.size()) + 2) + kRowGap;
    Layout layout;
    layout.panel = QRect((width() - panelWidth) / 2, (height() - panelHeight) / 2, panelWidth, panelHeight);
    const int inner = panelWidth - 2 * kPadding;
    int y = layout.panel.top() + kPadding;
    layout.title = QRect(layout.panel.left() + kPadding, y, inner, lineHeight);
    y += lineHeight;
    for (qsizetype index = 0; index < shown.size(); ++index) {
        layout.rows.append(QRect(layout.panel.left() + kPadding, y, inner, lineHeight));
        y += lineHeight;
    }
    y += kRowGap;
    layout.footer = QRect(layout.panel.left() + kPadding, y, inner, lineHeight);
    return layout;
}

void ShortcutOverlay::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), QColor(0, 0, 0, 170));

    QFont keyFont = font();
    keyFont.setBold(true);
    const QFontMetrics metrics(keyFont);
    const QList<QPair<QString, QString>> shown = entries();
    int keyWidth = 0;
    for (const auto& entry : shown) {
        keyWidth = std::max(keyWidth, metrics.horizontalAdvance(entry.first));
    }
    const Layout parts = layout();
    painter.setBrush(QColor(35, 35, 40, 235));
    painter.setPen(QColor(110, 110, 120));
    painter.drawRoundedRect(parts.panel, 10, 10);

    painter.setPen(Qt::white);
    painter.setFont(keyFont);
    painter.drawText(parts.title, Qt::AlignCenter, tr("Keyboard shortcuts"));
    for (qsizetype index = 0; index < shown.size(); ++index) {
        const QRect row = parts.rows[index].adjusted(8, 0, 0, 0);
        painter.setFont(keyFont);
        painter.setPen(QColor(255, 210, 120));
        painter.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, shown[index].first);
        painter.setFont(font());
        painter.setPen(Qt::white);
        painter.drawText(row.adjusted(keyWidth + 20, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, shown[index].second);
    }
    painter.setPen(QColor(170, 170, 170));
    painter.drawText(parts.footer, Qt::AlignCenter, tr("press any key to close"));
}

void ShortcutOverlay::mousePressEvent(QMouseEvent*) {
    hide();
}

void ShortcutOverlay::keyPressEvent(QKeyEvent* event) {
    event->accept();
    hide();
}

} // namespace blurcam::widgets
