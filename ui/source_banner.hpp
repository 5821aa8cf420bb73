#pragma once
// The red banner over the video when the source is in trouble: a lost camera (retried, with
// "Retry now") or a source that cannot be opened (said once, with "Dismiss").

#include <QWidget>

class QLabel;
class QPushButton;

namespace blurcam::widgets {

class SourceBanner : public QWidget {
    Q_OBJECT
  public:
    enum class Action { Retry, Dismiss };

    explicit SourceBanner(QWidget* parent = nullptr);
    void showMessage(const QString& text, Action action);
    [[nodiscard]] QString text() const;
    [[nodiscard]] QLabel* label() const { return m_text; }

  signals:
    void retryRequested();

  private:
    QLabel* m_text = nullptr;
    QPushButton* m_button = nullptr;
    Action m_action = Action::Retry;
};

/// text with its last two words bound by a no-break space, so a wrapped paragraph never ends
/// on a lone word ("s.").
[[nodiscard]] QString withoutOrphan(const QString& text);

} // namespace blurcam::widgets
