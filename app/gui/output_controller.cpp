#include "output_controller.hpp"

#include "constants.hpp"
#include "frame_recorder.hpp"
#include "v4l2_devices.hpp"

#include "main_window.hpp"
#include "output_panel.hpp"

#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <thread>

namespace blurcam::gui {
namespace {

/// path, or when a file is there already the first free "NAME-2.EXT", "NAME-3.EXT", ...: Record,
/// Stop, Record never replaces the first recording. (The recorder refuses an existing name too,
/// and its final rename never replaces one, so a file that appears meanwhile is safe as well.)
QString firstFreeName(const QString& path) {
    const QFileInfo wanted(path);
    if (!wanted.exists()) {
        return path;
    }
    const QString stem = wanted.completeBaseName();
    const QString suffix = wanted.suffix().isEmpty() ? QString() : QStringLiteral(".") + wanted.suffix();
    for (int number = 2;; ++number) {
        const QString candidate = wanted.dir().filePath(stem + QStringLiteral("-%1").arg(number) + suffix);
        if (!QFileInfo::exists(candidate)) {
            return candidate;
        }
    }
}

QString fromStd(const std::string& text) {
    return QString::fromStdString(text);
}

/// The panel's size choice; 0x0 ("Source size") lets the sink take the source's.
cv::Size outputSize(const widgets::OutputPanel& panel) {
    const QSize size = panel.outputSize();
    return size.isValid() ? cv::Size(size.width(), size.height()) : cv::Size(0, 0);
}

} // namespace

OutputController::OutputController(Pipeline& pipeline, widgets::MainWindow& window, std::function<double()> recordFps)
    : m_pipeline(pipeline), m_recordFps(std::move(recordFps)) {
    auto* dock = new QDockWidget(tr("Output"), &window); // the window owns the dock
    dock->setObjectName(QStringLiteral("outputDock"));
    m_panel = new widgets::OutputPanel(dock);
    m_panel->setTitle(QString()); // the dock's title says "Output" already
    m_panel->setFlat(true);
    dock->setWidget(m_panel);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);

    QString videos = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (videos.isEmpty()) {
        videos = QDir::homePath();
    }
    m_panel->setRecordPath(
        QDir(videos).filePath(QStringLiteral("blurcam-%1.avi")
                                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HHmmss")))));
    refreshTargets();
    {
        QSettings stored;
        m_panel->setChoices(widgets::OutputSettings::load(stored));
    }
    window.addDockToViewMenu(dock);

    connect(m_panel, &widgets::OutputPanel::choicesChanged, this, [this] {
        QSettings stored;
        m_panel->choices().save(stored);
    });
    connect(m_panel, &widgets::OutputPanel::virtualCameraChanged, this, &OutputController::rebuildVirtualCamera);
    connect(m_panel, &widgets::OutputPanel::recordToggled, this, &OutputController::toggleRecording);
    connect(this, &OutputController::sinkStatus, m_panel, &widgets::OutputPanel::setState, Qt::QueuedConnection);
    connect(this, &OutputController::recorderStatus, m_panel, &widgets::OutputPanel::setRecordingState,
            Qt::QueuedConnection);
    m_recordTicker.setInterval(500);
    connect(&m_recordTicker, &QTimer::timeout, this, &OutputController::refreshRecordingCount);
}

OutputController::~OutputController() {
    // The owner stops the pipeline first (no frame is in flight and it holds no sink any more),
    // so the sinks end here, on this thread, while this object can still hear from them: the node
    // goes away and a recording is completed into a playable file.
    m_recordTicker.stop();
    m_recorder.reset();
    m_camera.reset();
}

void OutputController::refreshTargets() {
    QList<widgets::OutputTarget> targets{{QStringLiteral("pipewire:blurcam"), tr("PipeWire camera \"blurcam\"")}};
    for (const app::VideoDevice& device : app::listVideoDevices()) {
        if (device.loopbackOutput) {
            targets.push_back({QStringLiteral("v4l2:") + fromStd(device.path),
                               tr("v4l2loopback %1 (%2)").arg(fromStd(device.path), fromStd(device.card))});
        }
    }
    m_panel->setTargets(targets);
}

void OutputController::rebuildVirtualCamera() {
    m_camera.reset();
    updateSinks();
    if (!m_panel->virtualCameraOn()) {
        m_panel->setState(tr("off"), false);
        return;
    }
    const auto spec = app::parseSinkSpec(m_panel->target().toStdString());
    if (!spec) {
        m_panel->setState(tr("no target"), true);
        return;
    }
    app::SinkOptions options;
    options.size = outputSize(*m_panel);
    options.fps = app::kDefaultFramesPerSecond;
    options.mirror = m_panel->mirror();
    options.onStatus = [this](const app::SinkStatus& status) {
        emit sinkStatus(fromStd(app::describeWatchers(status)) +
                            (status.format.empty() || !status.error.empty()
                                 ? QString()
                                 : QStringLiteral(" (%1)").arg(fromStd(status.format))),
                        !status.error.empty());
    };
    app::OpenedSink opened = app::openFrameSink(*spec, options);
    if (!opened.sink) {
        m_panel->setState(fromStd(opened.error), true);
        return;
    }
    m_panel->setState(tr("waiting for the first frame"), false);
    m_camera = std::move(opened.sink);
    updateSinks();
}

void OutputController::toggleRecording(bool start) {
    if (!start) {
        std::shared_ptr<app::FrameSink> recorder = std::move(m_recorder);
        updateSinks();
        m_recordTicker.stop();
        if (!recorder) {
            return;
        }
        // The processing thread may be inside submit() with a reference of its own for a moment;
        // the file is finished when the last one goes, which must be here.
        while (recorder.use_count() > 1) {
            std::this_thread::yield();
        }
        recorder.reset(); // writes what is queued, finishes the file, reports the final count
        m_panel->setRecordingState(tr("Saved %1 (%2 frames)").arg(m_recordingPath).arg(m_recordedFrames.load()), false,
                                   false);
        return;
    }
    m_recordingPath = firstFreeName(m_panel->recordPath());
    app::SinkOptions options;
    options.size = outputSize(*m_panel);
    options.fps = m_recordFps ? m_recordFps() : 15.0;
    m_recordedFrames.store(0);
    options.onStatus = [this](const app::SinkStatus& status) {
        m_recordedFrames.store(status.framesSent);
        if (!status.error.empty()) {
            emit recorderStatus(fromStd(status.error), false, true);
        }
    };
    app::OpenedSink opened = app::openFrameRecorder(m_recordingPath.toStdString(), options);
    if (!opened.sink) {
        m_panel->setRecordingState(fromStd(opened.error), false, true);
        return;
    }
    m_recorder = std::move(opened.sink);
    updateSinks();
    m_panel->setRecordingState(tr("Recording to %1").arg(m_recordingPath), true, false);
    m_recordTicker.start();
}

void OutputController::refreshRecordingCount() {
    if (!m_recorder) {
        return;
    }
    const app::SinkStatus status = m_recorder->status();
    if (status.error.empty()) {
        m_panel->setRecordingState(tr("Recording: %1 frames to %2").arg(status.framesSent).arg(m_recordingPath), true,
                                   false);
    } else {
        // Stopped by itself (a full disk): what it wrote stays; let it finish the file.
        m_recordTicker.stop();
        m_recorder.reset();
        updateSinks();
        m_panel->setRecordingState(fromStd(status.error), false, true);
    }
}

void OutputController::updateSinks() {
    std::vector<std::shared_ptr<app::FrameSink>> sinks;
    for (const auto& sink : {m_camera, m_recorder}) {
        if (sink) {
            sinks.push_back(sink);
        }
    }
    m_pipeline.setFrameSinks(std::move(sinks));
}

} // namespace blurcam::gui
