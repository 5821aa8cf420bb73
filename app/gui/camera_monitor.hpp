#pragma once
// Lists V4L2 capture devices (/dev/videoN with a name from sysfs) and PipeWire cameras (video
// source nodes of the user's daemon) and says when the list changes, so a camera plugged in
// while the app runs shows up in the source list.

#include "source_names.hpp"

#include <QFileSystemWatcher>
#include <QList>
#include <QObject>
#include <QTimer>

namespace blurcam::gui {

/// One entry per camera: a UVC camera also creates metadata nodes (sysfs "index" > 0), which
/// are skipped because they cannot deliver pictures.
[[nodiscard]] QList<CameraEntry> probeCameras(const QString& devRoot = QStringLiteral("/dev"),
                                              const QString& sysRoot = QStringLiteral("/sys/class/video4linux"));

/// The PipeWire daemon's video sources as entries; empty when no daemon answers within timeoutMs.
[[nodiscard]] QList<CameraEntry> probePipeWireCameras(int timeoutMs = 500);

class CameraMonitor : public QObject {
    Q_OBJECT
  public:
    explicit CameraMonitor(QObject* parent = nullptr);

    [[nodiscard]] const QList<CameraEntry>& cameras() const { return m_cameras; }

    /// Looks again (V4L2 and PipeWire); emits camerasChanged when the list differs. /dev changes
    /// trigger it; PipeWire nodes come and go unseen, so the app also calls it when the source
    /// list is opened.
    void rescan();

  signals:
    void camerasChanged(const QList<blurcam::gui::CameraEntry>& cameras);

  private:
    QFileSystemWatcher m_watcher;
    QTimer m_debounce; ///< udev creates several nodes per camera; rescan once they settle
    QList<CameraEntry> m_cameras;
};

} // namespace blurcam::gui
