#include "about_dialog.hpp"

#include "control_panel.hpp"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>
#include <QtGlobal>

namespace blurcam::widgets {

QString aboutText(const ControlPanel& controls) {
    QString backends;
    const QComboBox* combo = controls.backendCombo();
    for (int row = 0; row < combo->count(); ++row) {
        const auto kind = static_cast<BackendKind>(combo->itemData(row).toInt());
        // The tooltip holds the backend's name and device, or why it cannot start.
        const QString detail = controls.backendToolTip(kind);
        backends +=
            QStringLiteral("<li><b>%1</b>: %2</li>")
                .arg(combo->itemText(row).toHtmlEscaped(),
                     (detail.isEmpty() ? QCoreApplication::translate("blurcam::widgets::AboutDialog", "not probed yet")
                                       : detail)
                         .toHtmlEscaped());
    }
    return QCoreApplication::translate("blurcam::widgets::AboutDialog",
                                       "<h3>blurcam %1</h3>"
                                       "<p>Real-time blur for a live camera feed.</p>"
                                       "<p>Backends on this machine:</p><ul>%2</ul>"
                                       "<p>Built with:</p><ul>"
                                       "<li>Qt %3 (LGPL-3.0)</li>"
                                       "<li>OpenCV (Apache-2.0)</li>"
                                       "<li>FFTW 3 (GPL-2.0-or-later), for the FFT backend and the spectrum</li>"
                                       "<li>Vulkan loader and Vulkan-Hpp (Apache-2.0), opened at run time</li>"
                                       "</ul>")
        .arg(QCoreApplication::applicationVersion().toHtmlEscaped(), backends, QString::fromLatin1(qVersion()));
}

AboutDialog::AboutDialog(const QString& text, QWidget* parent) : QDialog(parent), m_text(text) {
    setWindowTitle(tr("About blurcam"));
    auto* layout = new QVBoxLayout(this);
    auto* label = new QLabel(text, this);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(label);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    setAttribute(Qt::WA_DeleteOnClose);
}

} // namespace blurcam::widgets
