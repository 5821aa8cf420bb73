#include "output_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace blurcam::widgets {

OutputPanel::OutputPanel(QWidget* parent) : QGroupBox(tr("Output"), parent) {
    setObjectName(QStringLiteral("outputPanel"));
    auto* form = new QFormLayout(this); // Qt parents own every widget below
    m_enabled = new QCheckBox(tr("Virtual camera"), this);
    m_enabled->setObjectName(QStringLiteral("virtualCamera"));
    m_enabled->setToolTip(tr("Publish the blurred picture as a camera that browsers, OBS and call programs open"));
    form->addRow(m_enabled);
    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("outputTarget"));
    form->addRow(tr("Target"), m_target);
    m_size = new QComboBox(this);
    m_size->setObjectName(QStringLiteral("outputSize"));
    m_size->addItem(tr("Source size"), QSize());
    m_size->addItem(QStringLiteral("640x480"), QSize(640, 480));
    m_size->addItem(QStringLiteral("1280x720"), QSize(1280, 720));
    form->addRow(tr("Size"), m_size);
    m_mirror = new QCheckBox(tr("Mirror the stream"), this);
    m_mirror->setObjectName(QStringLiteral("outputMirror"));
    m_mirror->setToolTip(tr("Flip left-right what other programs see (the preview is not affected)"));
    form->addRow(m_mirror);
    m_state = new QLabel(tr("off"), this);
    m_state->setObjectName(QStringLiteral("outputState"));
    m_state->setWordWrap(true);
    form->addRow(tr("State"), m_state);

    auto* recordRow = new QHBoxLayout;
    m_recordPath = new QLineEdit(this);
    m_recordPath->setObjectName(QStringLiteral("recordPath"));
    m_recordPath->setPlaceholderText(tr("recording.avi"));
    m_record = new QPushButton(tr("Record"), this);
    m_record->setObjectName(QStringLiteral("record"));
    m_record->setCheckable(true);
    recordRow->addWidget(m_recordPath, 1);
    recordRow->addWidget(m_record);
    form->addRow(tr("File"), recordRow);
    m_recordState = new QLabel(this);
    m_recordState->setObjectName(QStringLiteral("recordState"));
    m_recordState->setWordWrap(true);
    form->addRow(m_recordState);

    for (QCheckBox* box : {m_enabled, m_mirror}) {
        connect(box, &QCheckBox::toggled, this, &OutputPanel::virtualCameraChanged);
    }
    for (QComboBox* box : {m_target, m_size}) {
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (m_enabled->isChecked()) {
                emit virtualCameraChanged();
            }
        });
    }
    connect(m_mirror, &QCheckBox::toggled, this, &OutputPanel::choicesChanged);
    for (QComboBox* box : {m_target, m_size}) {
        connect(box, &QComboBox::currentIndexChanged, this, [this, box] {
            if (box == m_target) {
                m_wantedTarget.clear(); // the user chose: forget the saved one
            }
            emit choicesChanged();
        });
    }
    connect(m_record, &QPushButton::toggled, this, [this](bool on) {
        m_record->setText(on ? tr("Stop") : tr("Record"));
        m_recordPath->setEnabled(!on);
        emit recordToggled(on);
    });
}

void OutputPanel::setTargets(const QList<OutputTarget>& targets) {
    const QString current = m_wantedTarget.isEmpty() ? target() : m_wantedTarget;
    const QSignalBlocker blocker(m_target);
    m_target->clear();
    for (const OutputTarget& entry : targets) {
        m_target->addItem(entry.label, entry.spec);
    }
    const int keep = m_target->findData(current);
    m_target->setCurrentIndex(keep >= 0 ? keep : 0);
    if (keep >= 0) {
        m_wantedTarget.clear();
    }
}

void OutputPanel::setState(const QString& text, bool error) {
    m_state->setText(text);
    m_state->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

void OutputPanel::setRecordingState(const QString& text, bool recording, bool error) {
    m_recordState->setText(text);
    m_recordState->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
    if (!recording && m_record->isChecked()) {
        const QSignalBlocker blocker(m_record);
        m_record->setChecked(false);
        m_record->setText(tr("Record"));
        m_recordPath->setEnabled(true);
    }
}

bool OutputPanel::virtualCameraOn() const {
    return m_enabled->isChecked();
}
QString OutputPanel::target() const {
    return m_target->currentData().toString();
}
QSize OutputPanel::outputSize() const {
    return m_size->currentData().toSize();
}
bool OutputPanel::mirror() const {
    return m_mirror->isChecked();
}
OutputSettings OutputPanel::choices() const {
    OutputSettings current;
    current.target = m_wantedTarget.isEmpty() ? target() : m_wantedTarget;
    current.size = outputSize();
    current.mirror = mirror();
    return current;
}

void OutputPanel::setChoices(const OutputSettings& choices) {
    const QSignalBlocker targetBlocker(m_target);
    const QSignalBlocker sizeBlocker(m_size);
    const QSignalBlocker mirrorBlocker(m_mirror);
    const int target = m_target->findData(choices.target);
    if (target >= 0) {
        m_target->setCurrentIndex(target);
        m_wantedTarget.clear();
    } else {
        m_wantedTarget = choices.target;
    }
    const int size = m_size->findData(choices.size);
    m_size->setCurrentIndex(size >= 0 ? size : 0);
    m_mirror->setChecked(choices.mirror);
}

QString OutputPanel::recordPath() const {
    return m_recordPath->text();
}
void OutputPanel::setRecordPath(const QString& path) {
    m_recordPath->setText(path);
}

} // namespace blurcam::widgets
