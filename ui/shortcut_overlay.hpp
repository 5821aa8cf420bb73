#pragma once
// The `?` overlay: a translucent panel over the main window listing every shortcut. Any key
// or click closes it. The list is read from the window's actions each time it is drawn, so a
// key given to an action shows up here without a second table to keep in step.

#include <QList>
#include <QPair>
#include <QWidget>

namespace blurcam::widgets {

class ShortcutOverlay : public QWidget {
    Q_OBJECT
  public:
    /// otherKeys: (key text, what it does) for keys the parent handles without an action; they
    /// follow the parent's actions in the list.
    ShortcutOverlay(QList<QPair<QString, QString>> otherKeys, QWidget* parent);

    void toggle();

    /// (key text, what it does): every action of the parent that has a shortcut, in the order
    /// they were added, then the other keys.
    [[nodiscard]] QList<QPair<QString, QString>> entries() const;

    /// Where the panel and its parts go for the current size (paintEvent draws exactly these).
    struct Layout {
        QRect panel;
        QRect title;
        QList<QRect> rows; ///< one per entry
        QRect footer;      ///< "press any key to close"
    };
    [[nodiscard]] Layout layout() const;

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    QList<QPair<QString, QString>> m_otherKeys;
};

} // namespace blurcam::widgets
