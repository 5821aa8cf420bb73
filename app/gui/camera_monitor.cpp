#include "camera_monitor.hpp"

#include "pipewire_support.hpp"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace blurcam::gui {

namespace {
constexpr int kSettleMs = 500;

QString readSysfs(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll()).trimmed();
}
} // namespace

QList<CameraEntry> probeCameras(const QString& devRoot, const QString& sysRoot) {
    static const QRegularExpression kVideoNode(QStringLiteral("^video(\\d+)$"));
    QList<CameraEntry> cameras;
    const QStringList nodes =
        QDir(devRoot).entryList({QStringLiteral("video*")}, QDir::System | QDir::Files | QDir::NoDotAndDotDot);
    for (const QString& node : nodes) {
        const QRegularExpressionMatch match = kVideoNode.match(node);
        if (!match.hasMatch()) {
            continue;
        }
        const QString sysDir = sysRoot + QLatin1Char('/') + node;
        const QString index = readSysfs(sysDir + QStringLiteral("/index"));
        if (!index.isEmpty() && index != QLatin1String("0")) {
            continue;
        }
        CameraEntry entry;
        entry.spec = app::SourceSpec::camera(match.captured(1).toInt());
        entry.name = readSysfs(sysDir + QStringLiteral("/name"));
        if (entry.name.isEmpty()) {
            entry.name = devRoot + QLatin1Char('/') + node;
        }
        cameras.push_back(entry);
    }
    std::sort(cameras.begin(), cameras.end(),
              [](const auto& left, const auto& right) { return left.spec.cameraIndex < right.spec.cameraIndex; });
    return cameras;
}

QList<CameraEntry> probePipeWireCameras(int timeoutMs) {
    QList<CameraEntry> cameras;
    for (const app::PipeWireNode& node : app::listPipeWireVideoSources(timeoutMs).sources) {
        CameraEntry entry;
        entry.spec = app::SourceSpec::pipeWire(node.name);
        entry.name = QString::fromStdString(node.description.empty() ? node.name : node.description);
        cameras.push_back(entry);
    }
    return cameras;
}

CameraMonitor::CameraMonitor(QObject* parent) : QObject(parent) {
    m_cameras = probeCameras() + probePipeWireCameras();
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kSettleMs);
    connect(&m_debounce, &QTimer::timeout, this, &CameraMonitor::rescan);
    // inotify on /dev sees every device node come and go; where that is not allowed a slow
    // poll still notices a camera within a few seconds.
    if (!m_watcher.addPath(QStringLiteral("/dev"))) {
        auto* poll = new QTimer(this);
        connect(poll, &QTimer::timeout, this, &CameraMonitor::rescan);
        poll->start(3000);
    }
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, &m_debounce, qOverload<>(&QTimer::start));
}

void CameraMonitor::rescan() {
    QList<CameraEntry> found = probeCameras() + probePipeWireCameras();
    if (found != m_cameras) {
        m_cameras = std::move(found);
        emit camerasChanged(m_cameras);
    }
}

} // namespace blurcam::gui
