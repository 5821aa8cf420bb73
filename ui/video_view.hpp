#pragma once
// Shows the original and the blurred frame: side by side, or one picture split by a draggable
// line (original left, blurred right). While "compare" is held, only the original is shown.
// Both pictures are scaled smoothly to the same size, so a 128x128 stride-2 result lines up
// with its 256x256 input.

#include "gui_settings.hpp"

#include <QPixmap>
#include <QWidget>

namespace blurcam::ui {

class VideoView : public QWidget {
    Q_OBJECT
  public:
    explicit VideoView(QWidget* parent = nullptr);

    void setOriginal(const QPixmap& pixmap);
    void setProcessed(const QPixmap& pixmap);
    void setCompareMode(CompareMode mode);
    void setCompareHeld(bool held);
    /// Where the split line sits, 0..1 of the picture width.
    void setSplitPosition(double position);

    [[nodiscard]] CompareMode compareMode() const { return m_mode; }
    [[nodiscard]] bool compareHeld() const { return m_compareHeld; }
    [[nodiscard]] double splitPosition() const { return m_split; }
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    /// The square-ish rectangles the pictures go into for the current widget size.
    [[nodiscard]] QRect pictureRect(int index, int count) const;
    void drawPicture(QPainter& painter, const QPixmap& pixmap, const QRect& target, const QString& label) const;
    void moveSplitTo(int x);

    QPixmap m_original;
    QPixmap m_processed;
    CompareMode m_mode = CompareMode::SideBySide;
    bool m_compareHeld = false;
    double m_split = 0.5;
};

} // namespace blurcam::ui
