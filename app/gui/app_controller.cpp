#include "app_controller.hpp"

#include "constants.hpp"
#include "control_panel.hpp"
#include "source_names.hpp"
#include "video_view.hpp"

#include <blurcam/steady_clock.hpp>

#include <QSettings>

#include <utility>

namespace blurcam::gui {

namespace {

constexpr int kStatusIntervalMs = 500;

} // namespace

app::FrameShape toFrameShape(widgets::FrameShapeChoice choice) {
    switch (choice) {
    case widgets::FrameShapeChoice::CropSquare: return app::FrameShape::CropToAspect;
    case widgets::FrameShapeChoice::Stretch: return app::FrameShape::Stretch;
    case widgets::FrameShapeChoice::Native: return app::FrameShape::Native;
    }
    return app::FrameShape::CropToAspect;
}

AppController::AppController(const widgets::GuiSettings& initial, ControllerOptions options)
    : m_window(std::make_unique<widgets::MainWindow>()), m_fftPlans(std::move(options.planner)),
      m_pipeline(std::make_unique<Pipeline>(std::move(options.opener), std::move(options.maker))) {
    QSettings stored;
    m_window->restoreWindowState(stored);
    connect(&m_fftPlans, &FftPlanScheduler::measuringStarted, this, [this](const QString& note) {
        m_planNote = note;
        refreshNote();
    });
    connect(&m_fftPlans, &FftPlanScheduler::measuringFinished, this, [this](const QString& message) {
        m_planNote.clear();
        refreshNote();
        m_window->showTransientMessage(message);
    });

    QList<CameraEntry> cameras;
    if (options.cameras) {
        cameras = *options.cameras;
    } else {
        m_cameraMonitor = std::make_unique<CameraMonitor>();
        cameras = m_cameraMonitor->cameras();
        connect(m_cameraMonitor.get(), &CameraMonitor::camerasChanged, this, &AppController::setCameras);
        connect(m_window->controls(), &widgets::ControlPanel::sourceListOpened, m_cameraMonitor.get(),
                &CameraMonitor::rescan);
    }
    m_window->controls()->setCameras(sourceEntries(cameras));
    m_cameras = cameras;
    m_recentFiles = widgets::loadRecentFiles(stored);
    m_window->controls()->addRecentFiles(m_recentFiles);

    widgets::GuiSettings effective = initial;
    if (const std::optional<app::SourceSpec> wanted = parseSource(effective.source);
        wanted && wanted->isLive() && !hasCamera(cameras, effective.source)) {
        // Always show moving video: without the camera, the pattern stands in until it appears.
        m_fallbackFrom = effective.source;
        effective.source = sourceText(app::SourceSpec::pattern());
        m_sourceNote = cameras.isEmpty() ? tr("No camera found, showing the test pattern")
                                         : tr("%1 not found, showing the test pattern").arg(m_fallbackFrom);
    }
    m_window->applySettings(effective);
    m_applied = effective;
    refreshNote();

    Pipeline* pipeline = m_pipeline.get();
    widgets::MainWindow* window = m_window.get();
    m_output = std::make_unique<OutputController>(
        *m_pipeline, *m_window, [this] { return app::kDefaultFramesPerSecond / std::max(1, m_applied.processEveryN); });
    connect(window, &widgets::MainWindow::settingsChanged, this, &AppController::applyChanges);
    connect(window, &widgets::MainWindow::resetRequested, this, &AppController::resetToDefaults);
    connect(window, &widgets::MainWindow::retrySourceRequested, pipeline, &Pipeline::retrySource);
    connect(window, &widgets::MainWindow::pictureBoxChanged, pipeline, &Pipeline::setDisplayBox);
    pipeline->setDisplayBox(window->videoView()->pictureBox());

    // While a source that could not be opened is reported, frames still in flight from the one
    // before must not reappear under the banner.
    connect(pipeline, &Pipeline::originalFrame, window, [this](const QImage& frame, qint64) {
        if (!m_openFailed) {
            m_window->setOriginalFrame(frame);
        }
    });
    connect(pipeline, &Pipeline::processedFrame, this, [this](const ProcessedFrame& frame) {
        if (m_openFailed) {
            return;
        }
        m_window->setProcessedFrame(frame.output, frame.input, frame.display);
        m_status.latencyMs = millisecondsSince(frame.captureNs);
        m_status.engineMs = frame.engineMs;
        m_status.timings = frame.timings;
        m_fftPlans.frameProcessed(frame);
    });
    connect(pipeline, &Pipeline::sourceOpened, this, [this](const QString&) {
        m_openFailed = false;
        if (!std::exchange(m_keepBanner, false)) {
            m_window->hideBanner();
        }
        if (isFileSource(m_applied.source)) {
            m_recentFiles = widgets::withRecentFile(m_recentFiles, m_applied.source);
            QSettings settings;
            widgets::saveRecentFiles(settings, m_recentFiles);
        }
    });
    connect(pipeline, &Pipeline::sourceRecovered, this, [this](const QString& description) {
        m_window->hideBanner();
        m_window->showTransientMessage(tr("%1 is back.").arg(description));
    });
    connect(pipeline, &Pipeline::sourceFailed, this, &AppController::sourceFailed);
    connect(pipeline, &Pipeline::backendsProbed, this, [this](const QList<BackendAvailability>& backends) {
        for (const BackendAvailability& backend : backends) {
            m_window->controls()->setBackendAvailable(backend.kind, backend.available, backend.detail);
        }
    });
    connect(pipeline, &Pipeline::backendChanged, this,
            [this](BackendKind kind, const QString& name, const QString& device) {
                m_status.backend = name;
                m_status.device = device;
                m_status.kind = kind;
                m_status.timings = {}; // the old backend's split must not show beside the new name
                m_window->controls()->setActiveBackend(kind);
                m_applied.backend = kind;
                refreshNote();
            });
    connect(pipeline, &Pipeline::backendFailed, this, [this](BackendKind kind, const QString& error) {
        // Said once, for a few seconds: the backend list and the numbers show CPU from now on.
        m_window->showTransientMessage(tr("%1 failed (%2), switched to CPU").arg(widgets::displayName(kind), error));
    });
    connect(pipeline, &Pipeline::processingError, this,
            [this](const QString& error) { m_window->showTransientMessage(error); });

    m_statusTimer.setInterval(kStatusIntervalMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &AppController::refreshStatus);
    m_statusTimer.start();

    pipeline->start(effective.source, effective.backend, effective.blurParams(), effective.processEveryN,
                    toFrameShape(effective.frameShape));
    saveSettings();
}

AppController::~AppController() {
    saveSettings();
    // The pipeline goes first so no frame arrives for a window being destroyed; then the
    // outputs, which it no longer feeds, finish (a recording becomes a playable file).
    m_pipeline.reset();
    m_output.reset();
}

void AppController::applyChanges(const widgets::GuiSettings& requested) {
    widgets::GuiSettings changed = requested;
    if (changed.source != m_applied.source) {
        // Each source comes back with the blur it had; one never used keeps the current one.
        QSettings stored;
        changed = widgets::GuiSettings::loadForSource(stored, identityOf(changed.source), changed);
        if (changed != requested) {
            m_window->applySettings(changed);
        }
        m_fallbackFrom.clear();
        m_sourceNote.clear();
        m_keepBanner = false;
        m_window->hideBanner();
        // The new source's first frame replaces the old one's; nothing of the old stays.
        m_window->videoView()->clearFrames();
        m_pipeline->setSource(changed.source);
    }
    if (changed.backend != m_applied.backend) {
        m_pipeline->setBackend(changed.backend);
    }
    if (changed.blurParams() != m_applied.blurParams()) {
        m_pipeline->setParams(changed.blurParams());
    }
    if (changed.processEveryN != m_applied.processEveryN) {
        m_pipeline->setProcessEveryN(changed.processEveryN);
    }
    if (changed.frameShape != m_applied.frameShape) {
        m_pipeline->setFrameShape(toFrameShape(changed.frameShape));
    }
    m_applied = changed;
    refreshNote();
    saveSettings();
}

void AppController::sourceFailed(const QString& error, int retryInMs) {
    const QString sentence = error.endsWith(QLatin1Char('.')) ? error : error + QLatin1Char('.');
    if (retryInMs >= 0) {
        m_window->showBanner(tr("Video source lost: %1 Retrying in %2 s; the last frame stays on screen.")
                                 .arg(sentence)
                                 .arg(retryInMs / 1000.0, 0, 'f', 1));
        return;
    }
    // Never opened, or a file: nothing of it is worth showing, and it is not retried.
    m_openFailed = true;
    m_window->videoView()->clearFrames();
    const QString failed = m_applied.source;
    if (!isFileSource(failed)) {
        m_window->showBanner(tr("Cannot open %1: %2").arg(failed, sentence));
        return;
    }
    // A file that cannot be played leaves the list and the recent files, and the pattern
    // stands in, as it does for a missing camera.
    m_recentFiles.removeAll(failed);
    QSettings stored;
    widgets::saveRecentFiles(stored, m_recentFiles);
    m_window->controls()->removeSource(failed);
    m_window->controls()->selectSource(sourceText(app::SourceSpec::pattern()));
    applyChanges(m_window->settings());
    m_keepBanner = true; // the pattern opening must not take the explanation away
    // The error names the file already.
    m_window->showBanner(tr("Cannot play this file: %1 Showing the test pattern.").arg(sentence),
                         widgets::SourceBanner::Action::Dismiss);
}

void AppController::resetToDefaults() {
    widgets::GuiSettings defaults;
    // The source is where the video comes from, not a look: a reset keeps what is playing.
    defaults.source = m_applied.source;
    m_window->applySettings(defaults);
    m_window->videoView()->setSplitPosition(0.5);
    applyChanges(defaults);
    m_window->showTransientMessage(tr("Settings reset to defaults."));
}

void AppController::saveSettings() {
    QSettings settings;
    widgets::GuiSettings toSave = m_applied;
    if (!m_fallbackFrom.isEmpty()) {
        toSave.source = m_fallbackFrom; // the pattern only stood in; next start tries the camera again
    }
    toSave.save(settings);
    if (m_fallbackFrom.isEmpty()) {
        // Not while the pattern stands in: these are the missing camera's settings.
        m_applied.saveForSource(settings, identityOf(m_applied.source));
    }
    m_window->saveWindowState(settings);
}

QString AppController::identityOf(const QString& source) const {
    return sourceIdentity(source, m_cameras);
}

void AppController::setCameras(const QList<CameraEntry>& cameras) {
    m_window->controls()->setCameras(sourceEntries(cameras));
    m_cameras = cameras;
    if (!m_fallbackFrom.isEmpty() && hasCamera(cameras, m_fallbackFrom)) {
        const QString wanted = m_fallbackFrom;
        m_window->controls()->selectSource(wanted);
        applyChanges(m_window->settings());
        m_window->showTransientMessage(tr("%1 appeared, switched to it.").arg(wanted));
    }
}

void AppController::refreshNote() {
    QStringList parts;
    if (!m_sourceNote.isEmpty()) {
        parts << m_sourceNote;
    }
    if (!m_planNote.isEmpty()) {
        parts << m_planNote;
    }
    m_window->setSourceNote(parts.join(QStringLiteral(" · ")));
}

void AppController::refreshStatus() {
    const PipelineCounters counters = m_pipeline->counters();
    m_rate.add(steadyNowNs(), counters.processed, counters.lastProcessedNs);
    m_status.captured = counters.captured;
    m_status.processed = counters.processed;
    m_status.dropped = counters.dropped;
    m_status.processedPerSecond = m_rate.rate();
    m_window->setStatus(m_status);
}

} // namespace blurcam::gui
