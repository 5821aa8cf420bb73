#include "status_line.hpp"

#include <QPainter>

#include <algorithm>
#include <numeric>

namespace blurcam::widgets {

namespace {

constexpr int kGap = 16; ///< between the numbers and the note
const QString kSeparator = QStringLiteral(" | ");
const QString kEllipsis = QStringLiteral("…");

} // namespace

QString elideAtWord(const QString& text, const QFontMetrics& metrics, int width) {
    if (metrics.horizontalAdvance(text) <= width) {
        return text;
    }
    QString kept = text;
    while (!kept.isEmpty()) {
        const auto space = kept.lastIndexOf(QLatin1Char(' '));
        kept = space < 0 ? QString() : kept.left(space);
        // A trailing separator or comma would read as if something followed it.
        while (kept.endsWith(QLatin1Char(' ')) || kept.endsWith(QLatin1Char('|')) || kept.endsWith(QLatin1Char(',')) ||
               kept.endsWith(QChar(0x00B7))) {
            kept.chop(1);
        }
        if (!kept.isEmpty() && metrics.horizontalAdvance(kept + kEllipsis) <= width) {
            return kept + kEllipsis;
        }
    }
    return {};
}

StatusLine::StatusLine(QWidget* parent) : QWidget(parent) {
    // The line never makes the window wider; it fits itself into what it is given.
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_noticeTimer.setSingleShot(true);
    connect(&m_noticeTimer, &QTimer::timeout, this, [this] {
        m_notice.clear();
        refreshToolTip();
        update();
    });
}

void StatusLine::setParts(const QList<StatusPart>& parts) {
    m_parts = parts;
    refreshToolTip();
    update();
}

QString StatusLine::fullText() const {
    QStringList texts;
    for (const StatusPart& part : m_parts) {
        texts << part.text;
    }
    return texts.join(kSeparator);
}

void StatusLine::setNote(const QString& note) {
    m_note = note;
    refreshToolTip();
    update();
}

void StatusLine::showNotice(const QString& notice, int ms) {
    m_notice = notice;
    m_noticeTimer.start(ms);
    refreshToolTip();
    update();
}

int StatusLine::noteWidth() const {
    if (m_note.isEmpty()) {
        return 0;
    }
    // The note is the lasting state, so it keeps its full width while the numbers keep at
    // least a third of the line; beyond that it loses words at its end.
    const int full = fontMetrics().horizontalAdvance(m_note);
    return std::min(full, std::max(0, width() * 2 / 3 - kGap));
}

QRect StatusLine::rightRect() const {
    const int note = noteWidth();
    return {width() - note, 0, note, height()};
}

QRect StatusLine::leftRect() const {
    const int note = noteWidth();
    return {0, 0, std::max(0, width() - note - (note > 0 ? kGap : 0)), height()};
}

QString StatusLine::shownRight() const {
    return elideAtWord(m_note, fontMetrics(), rightRect().width());
}

QString StatusLine::shownLeft() const {
    const QFontMetrics metrics = fontMetrics();
    const int room = leftRect().width();
    if (!m_notice.isEmpty()) {
        return elideAtWord(m_notice, metrics, room);
    }
    // Leave out whole parts, highest drop order first, until the rest fits.
    QList<int> kept(m_parts.size());
    std::iota(kept.begin(), kept.end(), 0);
    auto joined = [&] {
        QStringList texts;
        for (int index : kept) {
            texts << m_parts[index].text;
        }
        return texts.join(kSeparator);
    };
    QString text = joined();
    while (metrics.horizontalAdvance(text) > room && kept.size() > 1) {
        const auto worst = std::max_element(kept.begin(), kept.end(), [&](int left, int right) {
            return m_parts[left].dropOrder < m_parts[right].dropOrder;
        });
        kept.erase(worst);
        text = joined();
    }
    return elideAtWord(text, metrics, room);
}

QSize StatusLine::sizeHint() const {
    return {fontMetrics().horizontalAdvance(fullText() + m_note) + kGap, fontMetrics().height() + 4};
}

QSize StatusLine::minimumSizeHint() const {
    return {0, fontMetrics().height() + 4};
}

void StatusLine::refreshToolTip() {
    QStringList lines;
    for (const QString& text : {m_notice, fullText(), m_note}) {
        if (!text.isEmpty()) {
            lines << text;
        }
    }
    setToolTip(lines.join(QLatin1Char('\n')));
}

void StatusLine::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setPen(palette().windowText().color());
    painter.drawText(leftRect(), Qt::AlignLeft | Qt::AlignVCenter, shownLeft());
    painter.drawText(rightRect(), Qt::AlignRight | Qt::AlignVCenter, shownRight());
}

} // namespace blurcam::widgets
