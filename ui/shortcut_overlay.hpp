#pragma once
// The `?` overlay: a translucent panel over the main window listing every shortcut. Any key
// or click closes it.

#include <QList>
#include <QPair>
#include <QWidget>

namespace blurcam::ui {

class ShortcutOverlay : public QWidget {
    Q_OBJECT
  public:
    /// entries: (key text, what it does)
    ShortcutOverlay(QList<QPair<QString, QString>> entries, QWidget* parent);

    void toggle();

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
    QList<QPair<QString, QString>> m_entries;
};

} // namespace blurcam::ui
