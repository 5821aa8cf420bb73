#include "toast.hpp"

#include <QEvent>

namespace blurcam::widgets {

Toast::Toast(QWidget* parent) : QLabel(parent) {
    setStyleSheet(QStringLiteral(
        "background: rgba(0, 0, 0, 190); color: white; border-radius: 8px; padding: 10px 18px; font-size: 15px;"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    hide();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &QWidget::hide);
    // Stays centred when the parent changes size (going full screen is exactly that).
    parent->installEventFilter(this);
}

void Toast::showFor(const QString& text, int ms) {
    setText(text);
    adjustSize();
    place();
    raise();
    show();
    m_timer.start(ms);
}

void Toast::place() {
    move((parentWidget()->width() - width()) / 2, parentWidget()->height() / 8);
}

bool Toast::eventFilter(QObject* watched, QEvent* event) {
    if (watched == parentWidget() && event->type() == QEvent::Resize) {
        place();
    }
    return QLabel::eventFilter(watched, event);
}

} // namespace blurcam::widgets
