#include "main_window.hpp"

#include "about_dialog.hpp"
#include "control_panel.hpp"
#include "shortcut_overlay.hpp"
#include "source_banner.hpp"
#include "spectrum_view.hpp"
#include "status_line.hpp"
#include "toast.hpp"
#include "video_view.hpp"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPainter>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace blurcam::widgets {

namespace {

constexpr int kMessageMs = 5000;
constexpr int kToastMs = 3000;

QString formatCount(quint64 value) {
    return QLocale::c().toString(value);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("blurcam"));
    setWindowIcon(QIcon(QStringLiteral(":/blurcam/blurcam.png")));

    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);

    m_banner = new SourceBanner(central);
    connect(m_banner, &SourceBanner::retryRequested, this, &MainWindow::retrySourceRequested);

    m_view = new VideoView(central);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_view, 1);
    setCentralWidget(central);

    m_controls = new ControlPanel;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_controls);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_controls->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
    m_dock = new QDockWidget(tr("Controls"), this);
    m_dock->setObjectName(QStringLiteral("controlsDock"));
    // Closable, so View > Controls can hide it and give a small window to the video.
    m_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                        QDockWidget::DockWidgetClosable);
    m_dock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, m_dock);
    // Made floating (by its button, a double click or a drag), the panel stays where it was
    // docked or where the drag ends: over the blurred picture it hides what it changes. Once
    // the mouse is released, it moves off it.
    m_floatCheck.setInterval(50);
    connect(&m_floatCheck, &QTimer::timeout, this, [this] {
        if (QGuiApplication::mouseButtons() == Qt::NoButton) {
            m_floatCheck.stop();
            placeFloatingControls();
        }
    });
    connect(m_dock, &QDockWidget::topLevelChanged, this, [this](bool floating) {
        if (floating) {
            m_floatCheck.start();
        }
    });

    m_spectrum = new SpectrumView;
    m_spectrumDock = new QDockWidget(tr("Spectrum"), this);
    m_spectrumDock->setObjectName(QStringLiteral("spectrumDock"));
    m_spectrumDock->setWidget(m_spectrum);
    addDockWidget(Qt::BottomDockWidgetArea, m_spectrumDock);
    m_spectrumDock->hide();

    // One widget for numbers, note and notices: they share the line without overlapping.
    m_statusLine = new StatusLine(this);
    statusBar()->addWidget(m_statusLine, 1);

    // The overlay lists the actions' keys by itself. These two are handled in eventFilter(),
    // not by actions: holding Space needs its release as well, and Esc only counts in full screen.
    m_overlay = new ShortcutOverlay(
        {{tr("Space (hold)"), tr("Show the original while held")}, {tr("Esc"), tr("Leave full screen")}}, this);
    m_toast = new Toast(this);

    createActions();
    connect(m_controls, &ControlPanel::settingsChanged, this, [this](const GuiSettings& settings) {
        m_view->setCompareMode(settings.compare);
        m_spectrum->setParams(settings.blurParams());
        emit settingsChanged(settings);
    });
    connect(m_controls, &ControlPanel::openFileRequested, this, &MainWindow::openFile);
    connect(m_view, &VideoView::pictureBoxChanged, this, &MainWindow::pictureBoxChanged);
    // Hold-to-compare needs key release events wherever focus is, so it is watched app-wide.
    qApp->installEventFilter(this);
    resize(1100, 640);
}

MainWindow::~MainWindow() {
    qApp->removeEventFilter(this);
}

void MainWindow::createActions() {
    auto addMenuAction = [this](QMenu* menu, const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* action = new QAction(text, this);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, slot);
        menu->addAction(action);
        QWidget::addAction(action); // stays active when the menu bar is hidden in full screen
        return action;
    };
    QMenu* file = menuBar()->addMenu(tr("&File"));
    addMenuAction(file, tr("&Open video file…"), {QKeySequence::Open}, [this] { openFile(); });
    addMenuAction(file, tr("&Snapshot"), {QKeySequence(Qt::CTRL | Qt::Key_S)}, [this] { saveSnapshot(); });
    file->addSeparator();
    addMenuAction(file, tr("&Quit"), {QKeySequence::Quit}, [this] { close(); });

    QMenu* blur = menuBar()->addMenu(tr("&Blur"));
    addMenuAction(blur, tr("Next &backend"), {QKeySequence(Qt::Key_B)}, [this] { cycleBackend(); });
    addMenuAction(blur, tr("Sigma &up"), {QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)},
                  [this] { stepSigma(kSigmaStep); });
    addMenuAction(blur, tr("Sigma &down"), {QKeySequence(Qt::Key_Minus)}, [this] { stepSigma(-kSigmaStep); });
    addMenuAction(blur, tr("Next &edge mode"), {QKeySequence(Qt::Key_E)}, [this] { cycle(m_controls->edgeCombo()); });
    addMenuAction(blur, tr("Toggle &kernel"), {QKeySequence(Qt::Key_K)}, [this] { cycle(m_controls->kernelCombo()); });
    addMenuAction(blur, tr("Toggle &stride"), {QKeySequence(Qt::Key_S)}, [this] { cycle(m_controls->strideCombo()); });
    blur->addSeparator();
    addMenuAction(blur, tr("&Reset to defaults"), {}, [this] { emit resetRequested(); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_viewMenu = view;
    addMenuAction(view, tr("Side by side / &split"), {QKeySequence(Qt::Key_V)},
                  [this] { cycle(m_controls->compareCombo()); });
    addMenuAction(view, tr("&Full screen"), {QKeySequence(Qt::Key_F11)}, [this] { toggleFullScreen(); });
    view->addAction(m_dock->toggleViewAction());
    QAction* spectrum = m_spectrumDock->toggleViewAction();
    spectrum->setShortcut(QKeySequence(Qt::Key_F));
    view->addAction(spectrum);
    QWidget::addAction(spectrum);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    addMenuAction(help, tr("&Keyboard shortcuts"), {QKeySequence(Qt::Key_Question), QKeySequence(Qt::Key_F1)},
                  [this] { m_overlay->toggle(); });
    addMenuAction(help, tr("&About blurcam"), {}, [this] { showAbout(); });
}

namespace {

/// A character typed while a number box has the focus that the box has no use for (anything
/// but digits and the decimal point): it is the window's key (B, E, K, S, V, F, ?, +, -...).
/// Without this the box swallows it until Tab moves the focus.
bool isWindowKeyInNumberBox(const QKeyEvent* key) {
    const QWidget* focus = QApplication::focusWidget();
    const bool numberBox =
        qobject_cast<const QAbstractSpinBox*>(focus) != nullptr ||
        (focus != nullptr && qobject_cast<const QAbstractSpinBox*>(focus->parentWidget()) != nullptr);
    const Qt::KeyboardModifiers modifiers = key->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier);
    if (!numberBox || modifiers != Qt::NoModifier || key->text().size() != 1) {
        return false;
    }
    const QChar typed = key->text().front();
    return typed.isPrint() && !typed.isDigit() && !typed.isSpace() && typed != QLatin1Char('.') &&
           typed != QLatin1Char(',');
}

} // namespace

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride && isActiveWindow() &&
        isWindowKeyInNumberBox(static_cast<QKeyEvent*>(event))) {
        // Ignored and filtered: the box does not claim the key, so the window's shortcut runs.
        event->ignore();
        return true;
    }
    if ((event->type() == QEvent::KeyPress || event->type() == QEvent::KeyRelease) && isActiveWindow()) {
        auto* key = static_cast<QKeyEvent*>(event);
        // Space in a text field is text; everywhere else it is the compare key.
        const bool typing = qobject_cast<QLineEdit*>(QApplication::focusWidget()) != nullptr;
        if (key->key() == Qt::Key_Space && !typing && key->modifiers() == Qt::NoModifier) {
            if (!key->isAutoRepeat()) {
                m_view->setCompareHeld(event->type() == QEvent::KeyPress);
            }
            return true;
        }
        if (event->type() == QEvent::KeyPress && key->key() == Qt::Key_Escape && isFullScreen()) {
            toggleFullScreen();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::addDockToViewMenu(QDockWidget* dock) {
    m_viewMenu->addAction(dock->toggleViewAction());
}

void MainWindow::applySettings(const GuiSettings& settings) {
    m_controls->setSettings(settings);
    m_view->setCompareMode(settings.compare);
    m_spectrum->setParams(settings.blurParams());
}

GuiSettings MainWindow::settings() const {
    return m_controls->settings();
}

void MainWindow::restoreWindowState(QSettings& settings) {
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_view->setSplitPosition(settings.value(QStringLiteral("window/split"), 0.5).toDouble());
}

void MainWindow::saveWindowState(QSettings& settings) const {
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/split"), m_view->splitPosition());
}

void MainWindow::setOriginalFrame(const QImage& frame) {
    m_view->setOriginal(frame);
}

void MainWindow::setProcessedFrame(const QImage& processed, const QImage& input, const QImage& display) {
    m_lastProcessed = processed;
    m_lastInput = input;
    m_view->setProcessed(display.isNull() ? processed : display);
    if (m_spectrumDock->isVisible()) {
        m_spectrum->setFrames(input, processed);
    }
}

void MainWindow::showBanner(const QString& text, SourceBanner::Action action) {
    m_banner->showMessage(text, action);
}

void MainWindow::hideBanner() {
    m_banner->hide();
}

bool MainWindow::isBannerVisible() const {
    return !m_banner->isHidden();
}

QString MainWindow::bannerText() const {
    return m_banner->text();
}

void MainWindow::setStatus(const StatusInfo& status) {
    // Most useful first, and the first to go when the line is short last: what runs, how fast,
    // where the time goes, what was lost. Backend names often hold the device already
    // ("vulkan (llvmpipe ...)"); it is not repeated then.
    QList<StatusPart> parts;
    parts.append(
        {status.backend.contains(status.device) ? status.backend : tr("%1 on %2").arg(status.backend, status.device),
         0});
    parts.append({tr("blur %1 fps").arg(status.processedPerSecond, 0, 'f', 1), 1});
    parts.append({tr("engine %1 ms").arg(status.engineMs, 0, 'f', 2), 2});
    // A GPU backend's time is mostly moving frames; on the GPU the split is always shown (an
    // upload that rounds to 0.00 is worth seeing too), elsewhere when a backend reports one.
    if (status.kind == BackendKind::Vulkan || status.timings.uploadMs > 0.0 || status.timings.downloadMs > 0.0) {
        parts.append({tr("upload %1 / GPU %2 / download %3 ms")
                          .arg(status.timings.uploadMs, 0, 'f', 2)
                          .arg(status.timings.computeMs, 0, 'f', 2)
                          .arg(status.timings.downloadMs, 0, 'f', 2),
                      6});
    }
    parts.append({tr("dropped %1").arg(formatCount(status.dropped)), 3});
    parts.append({tr("latency %1 ms").arg(status.latencyMs, 0, 'f', 1), 4});
    parts.append({tr("captured %1, processed %2").arg(formatCount(status.captured), formatCount(status.processed)), 5});
    m_statusLine->setParts(parts);
}

QString MainWindow::statusText() const {
    return m_statusLine->fullText();
}

void MainWindow::setSourceNote(const QString& note) {
    m_statusLine->setNote(note);
}

QString MainWindow::sourceNote() const {
    return m_statusLine->note();
}

void MainWindow::showTransientMessage(const QString& message) {
    m_statusLine->showNotice(message, kMessageMs);
}

QString MainWindow::notice() const {
    return m_statusLine->notice();
}

void MainWindow::setSnapshotDirectory(const QString& directory) {
    m_snapshotDirectory = directory;
}

QString MainWindow::saveSnapshot() {
    if (m_lastProcessed.isNull()) {
        showTransientMessage(tr("No blurred frame yet, nothing to save."));
        return {};
    }
    QImage image = m_lastProcessed;
    if (settings().snapshotPair && !m_lastInput.isNull()) {
        // The pair at the input's size, the blurred half upscaled the way the view shows it.
        const QImage processed =
            m_lastProcessed.scaled(m_lastInput.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        image = QImage(m_lastInput.width() * 2, m_lastInput.height(), QImage::Format_RGBA8888);
        QPainter painter(&image);
        painter.drawImage(0, 0, m_lastInput);
        painter.drawImage(m_lastInput.width(), 0, processed);
    }
    QString directory = m_snapshotDirectory;
    if (directory.isEmpty()) {
        directory = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    }
    if (directory.isEmpty()) {
        directory = QDir::homePath();
    }
    QDir().mkpath(directory);
    const QString path = QDir(directory).filePath(
        QStringLiteral("blurcam-%1.png")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"))));
    if (!image.save(path, "PNG")) {
        showTransientMessage(tr("Could not write the snapshot to %1.").arg(path));
        return {};
    }
    QApplication::clipboard()->setImage(image);
    showTransientMessage(tr("Snapshot saved to %1 and copied to the clipboard.").arg(path));
    return path;
}

void MainWindow::stepSigma(double delta) {
    QDoubleSpinBox* sigma = m_controls->sigmaSpinBox();
    sigma->setValue(sigma->value() + delta);
}

bool MainWindow::cycle(QComboBox* combo, const std::function<bool(int row)>& usable) {
    for (int step = 1; step < combo->count(); ++step) {
        const int row = (combo->currentIndex() + step) % combo->count();
        if (!usable || usable(row)) {
            combo->setCurrentIndex(row);
            return true;
        }
    }
    return false;
}

void MainWindow::cycleBackend() {
    QComboBox* combo = m_controls->backendCombo();
    const bool moved = cycle(combo, [&](int row) {
        return m_controls->isBackendAvailable(static_cast<BackendKind>(combo->itemData(row).toInt()));
    });
    if (!moved) {
        showTransientMessage(tr("No other backend can start here; hover over the backend list for the reasons."));
    }
}

void MainWindow::toggleFullScreen() {
    if (isFullScreen()) {
        showNormal();
        menuBar()->show();
        statusBar()->show();
        m_dock->show();
        m_toast->hide();
    } else {
        // Full screen is for watching: the picture gets the whole screen; F11 or Esc brings the rest back.
        menuBar()->hide();
        statusBar()->hide();
        m_dock->hide();
        showFullScreen();
        m_toast->showFor(tr("Full screen: press Esc or F11 to leave"), kToastMs);
    }
}

void MainWindow::showAbout() {
    auto* dialog = new AboutDialog(aboutText(*m_controls), this); // deletes itself on close
    dialog->show();
}

void MainWindow::placeFloatingControls() {
    const QRect blurred(m_view->mapToGlobal(QPoint(m_view->width() / 2, 0)),
                        QSize(m_view->width() - m_view->width() / 2, m_view->height()));
    if (!m_dock->isFloating() || !m_dock->frameGeometry().intersects(blurred)) {
        return;
    }
    // Beside the window where the screen has room, else over the original (left) picture.
    const QRect window = frameGeometry();
    const QRect screenArea = screen()->availableGeometry();
    const QSize size = m_dock->frameGeometry().size();
    QPoint at(window.right() + 1, window.top());
    if (at.x() + size.width() - 1 > screenArea.right()) {
        at = QPoint(window.left() - size.width(), window.top());
    }
    if (at.x() < screenArea.left()) {
        m_dock->resize(std::min(m_dock->width(), std::max(160, m_view->width() / 2)), m_dock->height());
        at = m_view->mapToGlobal(QPoint(0, 0));
    }
    // Moved while shown, the floating window stayed put under some window managers (openbox):
    // mapped again at its new place, it goes there.
    m_dock->hide();
    m_dock->move(at);
    m_dock->show();
}

void MainWindow::openFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a video file"), QDir::homePath(),
        tr("Videos and images (*.mp4 *.mkv *.avi *.mov *.webm *.png *.jpg *.jpeg);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    m_controls->selectSource(path);
    emit settingsChanged(settings());
}

} // namespace blurcam::widgets
