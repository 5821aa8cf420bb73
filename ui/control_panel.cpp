#include "control_panel.hpp"

#include "kernel_heat_map.hpp"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGraphicsOpacityEffect>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <cmath>

#include <functional>

namespace blurcam::widgets {
namespace {

/// Marks the source list's camera entries, which setCameras() replaces as a whole.
constexpr int kCameraRole = Qt::UserRole + 1;

/// Calls back when the watched popup view is shown (QComboBox has no signal for it).
class PopupWatcher : public QObject {
  public:
    PopupWatcher(QObject* parent, std::function<void()> shown) : QObject(parent), m_shown(std::move(shown)) {}
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Show) {
            m_shown();
        }
        return QObject::eventFilter(watched, event);
    }

  private:
    std::function<void()> m_shown;
};

} // namespace

namespace {

constexpr int kSliderScale = 10; // the slider counts tenths of sigma

void selectData(QComboBox* combo, const QVariant& data) {
    const int index = combo->findData(data);
    if (index >= 0) {
        combo->setCurrentIndex(index);
    }
}

} // namespace

ControlPanel::ControlPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* sourceBox = new QGroupBox(tr("Video in"), this);
    auto* sourceForm = new QFormLayout(sourceBox);
    auto* sourceRow = new QHBoxLayout;
    m_source = new QComboBox(sourceBox);
    m_source->addItem(tr("Test pattern"), QStringLiteral("pattern"));
    m_source->view()->installEventFilter(new PopupWatcher(m_source->view(), [this] { emit sourceListOpened(); }));
    auto* openButton = new QPushButton(tr("File…"), sourceBox);
    openButton->setToolTip(tr("Play a video file (looped)"));
    sourceRow->addWidget(m_source, 1);
    sourceRow->addWidget(openButton);
    sourceForm->addRow(tr("Source"), sourceRow);
    m_shape = new QComboBox(sourceBox);
    m_shape->addItem(tr("Crop to square, 256x256"), static_cast<int>(FrameShapeChoice::CropSquare));
    m_shape->addItem(tr("Stretch to 256x256"), static_cast<int>(FrameShapeChoice::Stretch));
    m_shape->addItem(tr("Native size"), static_cast<int>(FrameShapeChoice::Native));
    sourceForm->addRow(tr("Frame"), m_shape);
    m_everyN = new QSpinBox(sourceBox);
    m_everyN->setRange(1, kMaxProcessEveryN);
    m_everyN->setPrefix(tr("1 frame in "));
    m_everyN->setToolTip(tr("Blur only every N-th frame; the display keeps the last result in between"));
    sourceForm->addRow(tr("Process"), m_everyN);
    layout->addWidget(sourceBox);

    auto* blurBox = new QGroupBox(tr("Blur"), this);
    auto* blurForm = new QFormLayout(blurBox);
    m_backend = new QComboBox(blurBox);
    forEachGuiBackend([this](const NamedValue<BackendKind>& entry) {
        m_backend->addItem(toQString(entry.label), static_cast<int>(entry.value));
    });
    blurForm->addRow(tr("Backend"), m_backend);

    auto* sigmaRow = new QHBoxLayout;
    m_sigmaSlider = new QSlider(Qt::Horizontal, blurBox);
    m_sigmaSlider->setRange(static_cast<int>(kMinSigma * kSliderScale), static_cast<int>(kMaxGuiSigma * kSliderScale));
    m_sigma = new QDoubleSpinBox(blurBox);
    m_sigma->setRange(kMinSigma, kMaxGuiSigma);
    m_sigma->setSingleStep(kSigmaStep);
    m_sigma->setDecimals(1);
    sigmaRow->addWidget(m_sigmaSlider, 1);
    sigmaRow->addWidget(m_sigma);
    blurForm->addRow(tr("Sigma"), sigmaRow);

    m_edge = new QComboBox(blurBox);
    for (const NamedValue<EdgeMode>& entry : kEdgeModes) {
        m_edge->addItem(toQString(entry.label), static_cast<int>(entry.value));
        m_edge->setItemData(m_edge->count() - 1, toQString(entry.description), Qt::ToolTipRole);
    }
    blurForm->addRow(tr("Edges"), m_edge);

    m_kernel = new QComboBox(blurBox);
    for (const NamedValue<KernelKind>& entry : kKernelKinds) {
        m_kernel->addItem(toQString(entry.label), static_cast<int>(entry.value));
    }
    blurForm->addRow(tr("Kernel"), m_kernel);

    m_size = new QSpinBox(blurBox);
    // Odd sizes only: starting at -1 ("auto") with step 2 visits -1, 1, 3, ..., 63.
    m_size->setRange(kAutoKernelSize, kMaxKernelSize);
    m_size->setSingleStep(2);
    m_size->setSpecialValueText(tr("auto (2·⌈3σ⌉+1)"));
    m_size->setToolTip(tr("Kernel size K (odd); \"auto\" follows sigma; binomial is always 5"));
    blurForm->addRow(tr("Size"), m_size);

    // Shown when sigma is too wide for the chosen size: the window cuts the Gaussian off, and
    // a larger sigma then barely changes the picture.
    m_sizeHint = new QWidget(blurBox);
    auto* hintRow = new QHBoxLayout(m_sizeHint);
    hintRow->setContentsMargins(0, 0, 0, 0);
    m_sizeHintText = new QLabel(m_sizeHint);
    m_sizeHintText->setWordWrap(true);
    m_sizeHintText->setStyleSheet(QStringLiteral("color: #b35c00;"));
    auto* autoSize = new QPushButton(tr("Auto size"), m_sizeHint);
    autoSize->setToolTip(tr("Size follows sigma: 2·⌈3σ⌉+1"));
    hintRow->addWidget(m_sizeHintText, 1);
    hintRow->addWidget(autoSize);
    blurForm->addRow(m_sizeHint);
    m_sizeHint->hide();
    connect(autoSize, &QPushButton::clicked, this, [this] { m_size->setValue(kAutoKernelSize); });

    m_stride = new QComboBox(blurBox);
    m_stride->addItem(tr("1 (same size)"), 1);
    m_stride->addItem(tr("2 (half size)"), 2);
    blurForm->addRow(tr("Stride"), m_stride);
    layout->addWidget(blurBox);

    auto* viewBox = new QGroupBox(tr("View"), this);
    auto* viewForm = new QFormLayout(viewBox);
    m_compare = new QComboBox(viewBox);
    m_compare->addItem(tr("Side by side"), static_cast<int>(CompareMode::SideBySide));
    m_compare->addItem(tr("Split (drag the line)"), static_cast<int>(CompareMode::Split));
    viewForm->addRow(tr("Compare"), m_compare);
    m_snapshotPair = new QCheckBox(tr("Snapshot saves the pair"), viewBox);
    viewForm->addRow(m_snapshotPair);
    m_heatMap = new KernelHeatMap(viewBox);
    viewForm->addRow(tr("Weights"), m_heatMap);
    layout->addWidget(viewBox);
    layout->addStretch(1);

    // A disabled slider looks nearly the same as an enabled one in most styles; faded, it is
    // clearly not in use (the binomial kernel ignores sigma).
    m_sigmaFade = new QGraphicsOpacityEffect(m_sigmaSlider);
    m_sigmaFade->setOpacity(0.3);
    m_sigmaFade->setEnabled(false);
    m_sigmaSlider->setGraphicsEffect(m_sigmaFade);

    // Long entries ("Crop to square, 256x256", file names) are elided rather than making the
    // panel, and so the smallest window, wider: at 800 px the video keeps most of the width.
    for (QComboBox* combo : findChildren<QComboBox*>()) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }

    connect(openButton, &QPushButton::clicked, this, &ControlPanel::openFileRequested);
    connect(m_sigmaSlider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating) {
            m_sigma->setValue(static_cast<double>(value) / kSliderScale);
        }
    });
    connect(m_sigma, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        const bool wasUpdating = m_updating;
        m_updating = true;
        m_sigmaSlider->setValue(static_cast<int>(std::lround(value * kSliderScale)));
        m_updating = wasUpdating;
        emitChanged();
    });
    connect(m_size, &QSpinBox::valueChanged, this, [this](int value) {
        // Typed even sizes snap up to the next odd one (0 means the user left "auto").
        if (value != kAutoKernelSize && value % 2 == 0) {
            m_size->setValue(value + 1);
            return;
        }
        emitChanged();
    });
    for (QComboBox* combo : {m_source, m_shape, m_backend, m_edge, m_kernel, m_stride, m_compare}) {
        connect(combo, &QComboBox::currentIndexChanged, this, &ControlPanel::emitChanged);
    }
    connect(m_everyN, &QSpinBox::valueChanged, this, &ControlPanel::emitChanged);
    connect(m_snapshotPair, &QCheckBox::toggled, this, &ControlPanel::emitChanged);

    setSettings(GuiSettings{});
}

void ControlPanel::setSettings(const GuiSettings& settings) {
    m_updating = true;
    selectSource(settings.source);
    selectData(m_shape, static_cast<int>(settings.frameShape));
    selectData(m_backend, static_cast<int>(settings.backend));
    m_sigma->setValue(settings.sigma);
    m_sigmaSlider->setValue(static_cast<int>(std::lround(settings.sigma * kSliderScale)));
    selectData(m_edge, static_cast<int>(settings.edge));
    selectData(m_kernel, static_cast<int>(settings.kernel));
    m_size->setValue(settings.kernelSize);
    m_sizeForced = false;
    selectData(m_stride, settings.stride);
    m_everyN->setValue(settings.processEveryN);
    selectData(m_compare, static_cast<int>(settings.compare));
    m_snapshotPair->setChecked(settings.snapshotPair);
    m_updating = false;
    refreshDependentWidgets();
}

GuiSettings ControlPanel::settings() const {
    GuiSettings settings;
    settings.source = m_source->currentData().toString();
    settings.frameShape = static_cast<FrameShapeChoice>(m_shape->currentData().toInt());
    settings.backend = static_cast<BackendKind>(m_backend->currentData().toInt());
    settings.sigma = std::round(m_sigma->value() * 10.0) / 10.0;
    settings.edge = static_cast<EdgeMode>(m_edge->currentData().toInt());
    settings.kernel = static_cast<KernelKind>(m_kernel->currentData().toInt());
    // While binomial shows its fixed 5, the Gaussian's own size is kept for when it comes back.
    const int size = m_sizeForced ? m_gaussianSize : m_size->value();
    settings.kernelSize = size == 0 ? 1 : size;
    settings.stride = m_stride->currentData().toInt();
    settings.processEveryN = m_everyN->value();
    settings.compare = static_cast<CompareMode>(m_compare->currentData().toInt());
    settings.snapshotPair = m_snapshotPair->isChecked();
    return settings;
}

void ControlPanel::emitChanged() {
    if (m_updating) {
        return;
    }
    refreshDependentWidgets();
    emit settingsChanged(settings());
}

void ControlPanel::refreshDependentWidgets() {
    // The binomial kernel is fixed at 5x5 and ignores sigma, as the notebook's pyramid does: the
    // greyed size box says 5, as the weights do, not "auto".
    const bool gaussian = static_cast<KernelKind>(m_kernel->currentData().toInt()) == KernelKind::Gaussian;
    if (gaussian == m_sizeForced) {
        const bool wasUpdating = m_updating;
        m_updating = true;
        if (!gaussian) {
            m_gaussianSize = m_size->value();
        }
        m_sizeForced = !gaussian;
        m_size->setValue(gaussian ? m_gaussianSize : 5);
        m_updating = wasUpdating;
    }
    const GuiSettings current = settings();
    m_size->setEnabled(gaussian);
    m_sigma->setEnabled(gaussian);
    m_sigmaSlider->setEnabled(gaussian);
    m_sigmaFade->setEnabled(!gaussian);
    const BlurParams params = current.blurParams();
    m_heatMap->setParams(params);

    const bool tooWide = gaussian && sigmaTooWide(params);
    if (tooWide) {
        const int needed = autoKernelSize(params.sigma);
        m_sizeHintText->setText(tr("%1x%1 cuts off sigma %2: stronger blur needs %3x%3.")
                                    .arg(params.kernelSize)
                                    .arg(params.sigma, 0, 'f', 1)
                                    .arg(needed));
    }
    m_sizeHint->setVisible(tooWide);
}

bool ControlPanel::isSizeHintShown() const {
    return !m_sizeHint->isHidden();
}

QString ControlPanel::sizeHintText() const {
    return m_sizeHintText->text();
}

int ControlPanel::backendRow(BackendKind kind) const {
    return m_backend->findData(static_cast<int>(kind));
}

void ControlPanel::setBackendAvailable(BackendKind kind, bool available, const QString& reason) {
    const int row = backendRow(kind);
    auto* model = qobject_cast<QStandardItemModel*>(m_backend->model());
    if (row < 0 || model == nullptr) {
        return;
    }
    QStandardItem* item = model->item(row);
    item->setEnabled(available);
    item->setToolTip(available ? reason : tr("Cannot start: %1").arg(reason));
}

bool ControlPanel::isBackendAvailable(BackendKind kind) const {
    const auto* model = qobject_cast<const QStandardItemModel*>(m_backend->model());
    const int row = backendRow(kind);
    return model != nullptr && row >= 0 && model->item(row)->isEnabled();
}

QString ControlPanel::backendToolTip(BackendKind kind) const {
    const int row = backendRow(kind);
    return row < 0 ? QString() : m_backend->itemData(row, Qt::ToolTipRole).toString();
}

void ControlPanel::setActiveBackend(BackendKind kind) {
    m_updating = true;
    selectData(m_backend, static_cast<int>(kind));
    m_updating = false;
}

void ControlPanel::setCameras(const QList<SourceEntry>& cameras) {
    const bool wasUpdating = m_updating;
    m_updating = true;
    const QString current = m_source->currentData().toString();
    const QString currentLabel = m_source->currentText();
    const bool currentIsCamera = m_source->currentData(kCameraRole).toBool();
    for (int row = m_source->count() - 1; row >= 0; --row) {
        if (m_source->itemData(row, kCameraRole).toBool()) {
            m_source->removeItem(row);
        }
    }
    int insertAt = 0;
    for (const SourceEntry& camera : cameras) {
        m_source->insertItem(insertAt, camera.label, camera.spec);
        m_source->setItemData(insertAt++, true, kCameraRole);
    }
    // A camera unplugged while chosen stays chosen, and says so, until it is back.
    const QString notFound = tr(" (not found)");
    selectSource(current, currentLabel.endsWith(notFound) ? currentLabel : currentLabel + notFound);
    if (currentIsCamera) {
        m_source->setItemData(m_source->currentIndex(), true, kCameraRole); // replaced when it is back
    }
    m_updating = wasUpdating;
}

void ControlPanel::selectSource(const QString& spec, const QString& label) {
    const bool wasUpdating = m_updating;
    m_updating = true;
    int index = m_source->findData(spec);
    if (index < 0 && !spec.isEmpty()) {
        // A camera that is not plugged in right now, or a file: keep it selectable.
        m_source->addItem(label.isEmpty() ? spec.section(QLatin1Char('/'), -1) : label, spec);
        m_source->setItemData(m_source->count() - 1, spec, Qt::ToolTipRole);
        index = m_source->count() - 1;
    }
    if (index >= 0) {
        m_source->setCurrentIndex(index);
    }
    m_updating = wasUpdating;
}

void ControlPanel::addRecentFiles(const QStringList& paths) {
    const bool wasUpdating = m_updating;
    m_updating = true;
    const QString current = m_source->currentData().toString();
    for (const QString& path : paths) {
        if (m_source->findData(path) < 0) {
            m_source->addItem(path.section(QLatin1Char('/'), -1), path);
            m_source->setItemData(m_source->count() - 1, path, Qt::ToolTipRole);
        }
    }
    m_source->setCurrentIndex(m_source->findData(current));
    m_updating = wasUpdating;
}

void ControlPanel::removeSource(const QString& spec) {
    const int row = m_source->findData(spec);
    if (row >= 0) {
        const bool wasUpdating = m_updating;
        m_updating = true;
        m_source->removeItem(row);
        m_updating = wasUpdating;
    }
}

} // namespace blurcam::widgets
