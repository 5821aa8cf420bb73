#include "source_banner.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace blurcam::widgets {

QString withoutOrphan(const QString& text) {
    QString bound = text.trimmed();
    const auto last = bound.lastIndexOf(QLatin1Char(' '));
    if (last > 0) {
        bound[last] = QChar(QChar::Nbsp);
    }
    return bound;
}

SourceBanner::SourceBanner(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("sourceBanner"));
    // A QWidget subclass paints its style-sheet background only when asked to.
    setAttribute(Qt::WA_StyledBackground, true);
    setStyleSheet(QStringLiteral(
        "#sourceBanner { background: #8a2d1c; } #sourceBanner QLabel { color: white; font-weight: bold; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_button = new QPushButton(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_button);
    hide();
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_action == Action::Retry) {
            emit retryRequested();
        } else {
            hide();
        }
    });
}

void SourceBanner::showMessage(const QString& text, Action action) {
    m_action = action;
    m_text->setText(withoutOrphan(text));
    m_button->setText(action == Action::Retry ? tr("Retry now") : tr("Dismiss"));
    show();
}

QString SourceBanner::text() const {
    // As written: the no-break space is layout, not content.
    return m_text->text().replace(QChar(QChar::Nbsp), QLatin1Char(' '));
}

} // namespace blurcam::widgets
