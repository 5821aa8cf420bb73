#include "video_view.hpp"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace blurcam::widgets {

namespace {
constexpr int kGap = 8;

/// A small dark label in a picture's corner, readable on any video.
void drawBadge(QPainter& painter, const QRect& picture, const QString& label, bool right) {
    const QFontMetrics metrics = painter.fontMetrics();
    const int width = metrics.horizontalAdvance(label) + 12;
    const int left = right ? picture.right() - 6 - width : picture.left() + 6;
    const QRect badge(left, picture.top() + 6, width, metrics.height() + 4);
    painter.fillRect(badge, QColor(0, 0, 0, 150));
    painter.setPen(Qt::white);
    painter.drawText(badge, Qt::AlignCenter, label);
}

QSize pictureSize(const QImage& original, const QImage& processed) {
    // The blurred frame may be half size (stride 2); the original sets the aspect ratio.
    if (!original.isNull()) {
        return original.size();
    }
    return processed.isNull() ? QSize(kFrameSide, kFrameSide) : processed.size();
}
/// Frames made for this size are copied as they are (no scaling, no thread pool); others, such
/// as the frame or two after a resize, are scaled smoothly (128x128 upscaled, not blocky).
void drawFitted(QPainter& painter, const QImage& picture, const QRect& target) {
    if (picture.size() == target.size()) {
        painter.drawImage(target.topLeft(), picture);
        return;
    }
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, picture);
    painter.restore();
}

} // namespace

VideoView::VideoView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(false);
    // Clicking the picture takes the focus from a number box, so the window's keys work again.
    setFocusPolicy(Qt::ClickFocus);
}

void VideoView::setOriginal(const QImage& frame) {
    store(m_original, frame, 0);
}

void VideoView::setProcessed(const QImage& frame) {
    store(m_processed, frame, 1);
}

void VideoView::clearFrames() {
    m_original = {};
    m_processed = {};
    update();
}

void VideoView::store(QImage& buffer, const QImage& frame, int index) {
    if (frame.isNull()) {
        return;
    }
    const QSize before = pictureSize(m_original, m_processed);
    if (frame.format() == QImage::Format_RGB32) {
        buffer = frame; // made for the screen already (shared, not copied)
    } else {
        copyOpaque(buffer, frame);
    }
    if (pictureSize(m_original, m_processed) != before) {
        update();
        return;
    }
    // Only where this picture shows: the other one did not change.
    if (m_compareHeld) {
        update(index == 0 ? pictureRect(0, 1) : QRect());
    } else if (m_mode == CompareMode::SideBySide) {
        update(pictureRect(index, 2));
    } else {
        update(pictureRect(0, 1));
    }
}

void VideoView::copyOpaque(QImage& buffer, const QImage& frame) {
    if (buffer.size() != frame.size() || buffer.format() != QImage::Format_RGB32 || !buffer.isDetached()) {
        buffer = QImage(frame.size(), QImage::Format_RGB32);
    }
    // The same pixels read as RGBX: alpha ignored, so the copy below is a plain swizzle.
    const QImage opaque =
        frame.format() == QImage::Format_RGBA8888
            ? QImage(frame.constBits(), frame.width(), frame.height(), frame.bytesPerLine(), QImage::Format_RGBX8888)
            : frame;
    {
        QPainter painter(&buffer);
        painter.setCompositionMode(QPainter::CompositionMode_Source);
        painter.drawImage(0, 0, opaque);
    }
}

void VideoView::setCompareMode(CompareMode mode) {
    m_mode = mode;
    setCursor(mode == CompareMode::Split ? Qt::SplitHCursor : Qt::ArrowCursor);
    update();
    announcePictureBox();
}

QSize VideoView::pictureBox() const {
    const int count = m_mode == CompareMode::SideBySide ? 2 : 1;
    const QRect area = rect().adjusted(kGap, kGap, -kGap, -kGap);
    return {std::max(1, (area.width() - (count - 1) * kGap) / count), std::max(1, area.height())};
}

void VideoView::announcePictureBox() {
    const QSize box = pictureBox();
    if (box != m_announcedBox) {
        m_announcedBox = box;
        emit pictureBoxChanged(box);
    }
}

void VideoView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    announcePictureBox();
}

void VideoView::setCompareHeld(bool held) {
    m_compareHeld = held;
    update();
}

void VideoView::setSplitPosition(double position) {
    m_split = std::clamp(position, 0.0, 1.0);
    update();
}

QSize VideoView::sizeHint() const {
    return {2 * kFrameSide * 2 + 3 * kGap, kFrameSide * 2 + 2 * kGap};
}

QSize VideoView::minimumSizeHint() const {
    return {2 * 128 + 3 * kGap, 128 + 2 * kGap};
}

QRect VideoView::pictureRect(int index, int count) const {
    const QSize picture = pictureSize(m_original, m_processed);
    const QRect area = rect().adjusted(kGap, kGap, -kGap, -kGap);
    const int cellWidth = (area.width() - (count - 1) * kGap) / count;
    QSize fitted = picture.scaled(cellWidth, area.height(), Qt::KeepAspectRatio);
    const int totalWidth = count * fitted.width() + (count - 1) * kGap;
    const int left = area.left() + (area.width() - totalWidth) / 2 + index * (fitted.width() + kGap);
    const int top = area.top() + (area.height() - fitted.height()) / 2;
    return {QPoint(left, top), fitted};
}

void VideoView::drawPicture(QPainter& painter, const QImage& picture, const QRect& target, const QString& label) const {
    if (picture.isNull()) {
        painter.fillRect(target, QColor(40, 40, 40));
        painter.setPen(QColor(160, 160, 160));
        painter.drawText(target, Qt::AlignCenter, tr("waiting for frames…"));
    } else {
        drawFitted(painter, picture, target);
    }
    if (!label.isEmpty()) {
        drawBadge(painter, target, label, false);
    }
}

void VideoView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), QColor(24, 24, 24));

    if (m_compareHeld) {
        drawPicture(painter, m_original, pictureRect(0, 1), tr("original (compare held)"));
        return;
    }
    if (m_mode == CompareMode::SideBySide) {
        drawPicture(painter, m_original, pictureRect(0, 2), tr("original"));
        drawPicture(painter, m_processed, pictureRect(1, 2), tr("blurred"));
        return;
    }
    const QRect target = pictureRect(0, 1);
    drawPicture(painter, m_processed, target, QString());
    const int splitX = target.left() + static_cast<int>(m_split * target.width());
    if (!m_original.isNull()) {
        painter.save();
        painter.setClipRect(QRect(target.topLeft(), QPoint(splitX, target.bottom())));
        drawFitted(painter, m_original, target);
        painter.restore();
    }
    painter.setPen(QPen(QColor(255, 255, 255, 220), 2));
    painter.drawLine(splitX, target.top(), splitX, target.bottom());
    painter.setBrush(QColor(255, 255, 255, 220));
    painter.drawEllipse(QPoint(splitX, target.center().y()), 7, 7);
    drawBadge(painter, target, tr("original"), false);
    drawBadge(painter, target, tr("blurred"), true);
}

void VideoView::moveSplitTo(int x) {
    const QRect target = pictureRect(0, 1);
    if (target.width() > 0) {
        setSplitPosition(static_cast<double>(x - target.left()) / target.width());
    }
}

void VideoView::mousePressEvent(QMouseEvent* event) {
    if (m_mode == CompareMode::Split && event->button() == Qt::LeftButton) {
        moveSplitTo(event->position().toPoint().x());
    }
}

void VideoView::mouseMoveEvent(QMouseEvent* event) {
    if (m_mode == CompareMode::Split && (event->buttons() & Qt::LeftButton)) {
        moveSplitTo(event->position().toPoint().x());
    }
}

} // namespace blurcam::widgets
