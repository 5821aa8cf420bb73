#pragma once
// The status line: numbers on the left, a lasting note on the right, and now and then a one-time
// notice in the numbers' place. One widget lays out all three, so nothing overlaps, and what does
// not fit is left out whole (a part of the numbers, or the note's last words behind an
// ellipsis), never cut mid-word. The full text is the tooltip.

#include <QStringList>
#include <QTimer>
#include <QWidget>

namespace blurcam::widgets {

/// One piece of the numbers. Pieces are shown in the order given; when the line is short, the
/// ones with the highest `dropOrder` go first.
struct StatusPart {
    QString text;
    int dropOrder = 0;
};

class StatusLine : public QWidget {
    Q_OBJECT
  public:
    explicit StatusLine(QWidget* parent = nullptr);

    void setParts(const QList<StatusPart>& parts);
    /// Every part, joined: what the line says with room for all of it.
    [[nodiscard]] QString fullText() const;
    void setNote(const QString& note);
    [[nodiscard]] QString note() const { return m_note; }
    /// Shown for `ms` in the numbers' place, then gone; a newer notice replaces an older one.
    void showNotice(const QString& notice, int ms);
    [[nodiscard]] QString notice() const { return m_notice; }

    /// What is drawn now on the left and on the right, after fitting (for tests and tooltips).
    [[nodiscard]] QString shownLeft() const;
    [[nodiscard]] QString shownRight() const;
    /// The rectangles they are drawn in.
    [[nodiscard]] QRect leftRect() const;
    [[nodiscard]] QRect rightRect() const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    [[nodiscard]] int noteWidth() const;
    void refreshToolTip();

    QList<StatusPart> m_parts;
    QString m_note;
    QString m_notice;
    QTimer m_noticeTimer;
};

/// The words of `text` that fit in `width`, with "…" when some were left out; never a cut word.
[[nodiscard]] QString elideAtWord(const QString& text, const QFontMetrics& metrics, int width);

} // namespace blurcam::widgets
