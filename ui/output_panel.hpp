#pragma once
// The Output section: the blurred picture as a camera other programs open ("Virtual camera",
// with its target, its state, the output size and the mirror option), and Record. Widgets only:
// the app's OutputController opens the sinks and reports back through setState().

#include "gui_settings.hpp"

#include <QGroupBox>
#include <QList>
#include <QSize>
#include <QString>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace blurcam::widgets {

struct OutputTarget {
    QString spec;  ///< "pipewire:blurcam", "v4l2:/dev/video10"
    QString label; ///< what the list shows
};

class OutputPanel : public QGroupBox {
    Q_OBJECT
  public:
    explicit OutputPanel(QWidget* parent = nullptr);

    void setTargets(const QList<OutputTarget>& targets);
    /// "2 programs watching", "no one watching", or an error (shown in red).
    void setState(const QString& text, bool error);
    /// "Recording: 120 frames", or why it stopped (shown in red).
    void setRecordingState(const QString& text, bool recording, bool error);

    [[nodiscard]] bool virtualCameraOn() const;
    [[nodiscard]] QString target() const;
    [[nodiscard]] QSize outputSize() const; ///< empty: the source's size
    [[nodiscard]] bool mirror() const;
    /// Target, size and mirror (what is saved between runs). setChoices leaves the on/off state
    /// alone and emits nothing; a target not in the list (a v4l2loopback device gone) is kept
    /// and chosen when setTargets lists it again.
    [[nodiscard]] OutputSettings choices() const;
    void setChoices(const OutputSettings& choices);
    [[nodiscard]] QString recordPath() const;
    void setRecordPath(const QString& path);

  signals:
    /// On/off, target, size or mirror changed.
    void virtualCameraChanged();
    /// Target, size or mirror changed by the user, whether the camera is on or not.
    void choicesChanged();
    void recordToggled(bool start);

  private:
    QCheckBox* m_enabled = nullptr;
    QComboBox* m_target = nullptr;
    QComboBox* m_size = nullptr;
    QCheckBox* m_mirror = nullptr;
    QLabel* m_state = nullptr;
    QLineEdit* m_recordPath = nullptr;
    QPushButton* m_record = nullptr;
    QLabel* m_recordState = nullptr;
    QString m_wantedTarget; ///< the saved target, until the list has it
};

} // namespace blurcam::widgets
