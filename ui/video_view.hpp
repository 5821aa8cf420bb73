#pragma once
// Shows the original and the blurred frame: side by side, or one picture split by a draggable
// line (original left, blurred right). While "compare" is held, only the original is shown.
// Both pictures are scaled smoothly to the same size, so a 128x128 stride-2 result lines up
// with its 256x256 input.

#include "gui_settings.hpp"

#include <QImage>
#include <QWidget>

namespace blurcam::widgets {

class VideoView : public QWidget {
    Q_OBJECT
  public:
    explicit VideoView(QWidget* parent = nullptr);

    /// Frames in any format; copied into the view's own buffers (kept between frames, so
    /// showing a frame allocates nothing). Alpha is the engine's fourth channel, not
    /// transparency on screen: frames are shown opaque.
    void setOriginal(const QImage& frame);
    void setProcessed(const QImage& frame);
    /// Forgets both pictures ("waiting for frames"): a new source must not show the old one's.
    void clearFrames();
    [[nodiscard]] bool hasFrames() const { return !m_original.isNull() || !m_processed.isNull(); }
    void setCompareMode(CompareMode mode);
    void setCompareHeld(bool held);
    /// Where the split line sits, 0..1 of the picture width.
    void setSplitPosition(double position);

    [[nodiscard]] CompareMode compareMode() const { return m_mode; }
    [[nodiscard]] bool compareHeld() const { return m_compareHeld; }
    [[nodiscard]] double splitPosition() const { return m_split; }
    /// The box one picture is fitted into in the current mode: frames made at that size are
    /// drawn as they are, without scaling while painting.
    [[nodiscard]] QSize pictureBox() const;
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

  signals:
    void pictureBoxChanged(QSize box);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    /// The square-ish rectangles the pictures go into for the current widget size.
    [[nodiscard]] QRect pictureRect(int index, int count) const;
    void drawPicture(QPainter& painter, const QImage& picture, const QRect& target, const QString& label) const;
    /// Copies frame into buffer (reallocated only when the size changes); repaints where it shows.
    void store(QImage& buffer, const QImage& frame, int index);
    /// Frames not made for the screen (tests, other formats): copied into an RGB32 buffer of
    /// our own, reused from frame to frame.
    static void copyOpaque(QImage& buffer, const QImage& frame);
    void moveSplitTo(int x);
    void announcePictureBox();

    QImage m_original; ///< RGB32: what the raster painter scales fastest
    QImage m_processed;
    CompareMode m_mode = CompareMode::SideBySide;
    bool m_compareHeld = false;
    double m_split = 0.5;
    QSize m_announcedBox;
};

} // namespace blurcam::widgets
