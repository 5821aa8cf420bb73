#pragma once
// Help > About: the version, which backends can run here and on what device, and the licences
// of the libraries blurcam is built on.

#include <QDialog>

namespace blurcam::widgets {

class ControlPanel;

/// The dialog's text (HTML), from what the backend list knows right now.
[[nodiscard]] QString aboutText(const ControlPanel& controls);

class AboutDialog : public QDialog {
    Q_OBJECT
  public:
    AboutDialog(const QString& text, QWidget* parent);
    [[nodiscard]] QString text() const { return m_text; }

  private:
    QString m_text;
};

} // namespace blurcam::widgets
