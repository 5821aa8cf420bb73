#pragma once
// The GUI keeps a source as text (in its settings, in the source list's entries, in signals).
// These turn that text into an app::SourceSpec and back through app's one parser, and give a
// source the names people see and the key its settings are kept under.

#include "control_panel.hpp"
#include "source_spec.hpp"

#include <QList>
#include <QString>

#include <optional>

namespace blurcam::gui {

/// A camera the source list offers: a V4L2 device or a PipeWire node.
struct CameraEntry {
    app::SourceSpec spec; ///< SourceKind::Camera or SourceKind::PipeWire
    QString name;         ///< the driver's name, or the node's description

    friend bool operator==(const CameraEntry&, const CameraEntry&) = default;
};

/// nullopt for text no source has ("camera:first"): such a source is neither a camera nor a file.
[[nodiscard]] std::optional<app::SourceSpec> parseSource(const QString& text);
[[nodiscard]] QString sourceText(const app::SourceSpec& spec);

[[nodiscard]] bool isFileSource(const QString& text);

/// The source list's entries for these cameras: "Camera 0: USB Camera", "PipeWire camera: OBS".
[[nodiscard]] QList<widgets::SourceEntry> sourceEntries(const QList<CameraEntry>& cameras);

/// Whether `text` names one of `cameras`.
[[nodiscard]] bool hasCamera(const QList<CameraEntry>& cameras, const QString& text);

/// What a source's own settings are kept under: "camera:<driver name>#<N>" for a V4L2 camera in
/// `cameras` (so another camera that gets the same /dev/videoN does not inherit them; N tells two
/// of the same model apart), otherwise the source's text ("camera:N", "pattern", the path).
[[nodiscard]] QString sourceIdentity(const QString& text, const QList<CameraEntry>& cameras);

} // namespace blurcam::gui
