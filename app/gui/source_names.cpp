#include "source_names.hpp"

#include <QCoreApplication>

#include <algorithm>

namespace blurcam::gui {

namespace {

QString translated(const char* text) {
    return QCoreApplication::translate("blurcam::gui::SourceNames", text);
}

} // namespace

std::optional<app::SourceSpec> parseSource(const QString& text) {
    return app::parseSourceSpec(text.toStdString()).spec;
}

QString sourceText(const app::SourceSpec& spec) {
    return QString::fromStdString(spec.text());
}

bool isFileSource(const QString& text) {
    const std::optional<app::SourceSpec> spec = parseSource(text);
    return spec && spec->kind == app::SourceKind::File;
}

QList<widgets::SourceEntry> sourceEntries(const QList<CameraEntry>& cameras) {
    QList<widgets::SourceEntry> entries;
    for (const CameraEntry& camera : cameras) {
        const QString label = camera.spec.kind == app::SourceKind::Camera
                                  ? translated("Camera %1: %2").arg(camera.spec.cameraIndex).arg(camera.name)
                                  : translated("PipeWire camera: %1").arg(camera.name);
        entries.push_back({sourceText(camera.spec), label});
    }
    return entries;
}

bool hasCamera(const QList<CameraEntry>& cameras, const QString& text) {
    const std::optional<app::SourceSpec> spec = parseSource(text);
    return spec &&
           std::any_of(cameras.begin(), cameras.end(), [&](const CameraEntry& camera) { return camera.spec == *spec; });
}

QString sourceIdentity(const QString& text, const QList<CameraEntry>& cameras) {
    const std::optional<app::SourceSpec> spec = parseSource(text);
    if (spec && spec->kind == app::SourceKind::Camera) {
        for (const CameraEntry& camera : cameras) {
            if (camera.spec == *spec && !camera.name.isEmpty()) {
                // The name says which camera it is; the index tells two of the same model apart.
                const std::string_view prefix = app::sourceKindInfo(app::SourceKind::Camera).prefix;
                return QStringLiteral("%1%2#%3").arg(
                    QString::fromUtf8(prefix.data(), static_cast<qsizetype>(prefix.size())), camera.name,
                    QString::number(spec->cameraIndex));
            }
        }
    }
    return text;
}

} // namespace blurcam::gui
