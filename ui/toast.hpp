#pragma once
// A short message over a widget (e.g. "Esc to leave full screen"), gone after a few seconds.

#include <QLabel>
#include <QTimer>

namespace blurcam::widgets {

class Toast : public QLabel {
    Q_OBJECT
  public:
    explicit Toast(QWidget* parent);
    /// Shows text centred near the top of the parent for ms milliseconds.
    void showFor(const QString& text, int ms);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void place();
    QTimer m_timer;
};

} // namespace blurcam::widgets
