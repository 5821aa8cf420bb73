#include "gui_settings.hpp"

#include <QFileInfo>
#include <QSettings>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace blurcam::widgets {

namespace {

template <typename Enum>
Enum readEnum(QSettings& settings, const char* key, Enum fallback, int count) {
    bool ok = false;
    const int value = settings.value(QLatin1String(key)).toInt(&ok);
    return ok && value >= 0 && value < count ? static_cast<Enum>(value) : fallback;
}

} // namespace

QStringList loadRecentFiles(QSettings& settings) {
    QStringList kept;
    for (const QString& path : settings.value(QStringLiteral("recentFiles")).toStringList()) {
        if (QFileInfo(path).isFile() && !kept.contains(path)) {
            kept << path;
        }
    }
    return kept.mid(0, kMaxRecentFiles);
}

void saveRecentFiles(QSettings& settings, const QStringList& paths) {
    settings.setValue(QStringLiteral("recentFiles"), paths);
}

QStringList withRecentFile(QStringList paths, const QString& path) {
    paths.removeAll(path);
    paths.prepend(path);
    return paths.mid(0, kMaxRecentFiles);
}

bool sigmaTooWide(const BlurParams& params) {
    return params.kernel == KernelKind::Gaussian && params.kernelSize / 2 < 1.5 * params.sigma;
}

BlurParams GuiSettings::blurParams() const {
    BlurParams params;
    params.sigma = sigma;
    params.kernel = kernel;
    params.edge = edge;
    params.stride = stride;
    if (kernel == KernelKind::Binomial) {
        params.kernelSize = kBinomialKernelSize;
    } else if (kernelSize == kAutoKernelSize) {
        params.kernelSize = autoKernelSize(sigma);
    } else {
        params.kernelSize = kernelSize;
    }
    return params;
}

namespace {

/// The blur keys of the current group into `into`; missing or invalid values keep what it has.
void readBlurKeys(QSettings& settings, GuiSettings& into) {
    const QString backendText = settings.value(QStringLiteral("backend")).toString();
    if (auto kind = parseBackendKind(backendText.toStdString()); kind && *kind != BackendKind::Auto) {
        into.backend = *kind;
    }
    bool ok = false;
    const double sigma = settings.value(QStringLiteral("sigma")).toDouble(&ok);
    if (ok && sigma >= kMinSigma && sigma <= kMaxGuiSigma) {
        into.sigma = std::round(sigma * 10.0) / 10.0;
    }
    if (auto edge = parseEdgeMode(settings.value(QStringLiteral("edge")).toString().toStdString())) {
        into.edge = *edge;
    }
    if (auto kernel = parseKernelKind(settings.value(QStringLiteral("kernel")).toString().toStdString())) {
        into.kernel = *kernel;
    }
    const int size = settings.value(QStringLiteral("kernelSize")).toInt(&ok);
    if (ok && (size == kAutoKernelSize || (size >= 1 && size <= kMaxKernelSize && size % 2 == 1))) {
        into.kernelSize = size;
    }
    const int stride = settings.value(QStringLiteral("stride")).toInt(&ok);
    if (ok && (stride == 1 || stride == 2)) {
        into.stride = stride;
    }
}

void writeBlurKeys(QSettings& settings, const GuiSettings& from) {
    settings.setValue(QStringLiteral("backend"), toQString(toString(from.backend)));
    settings.setValue(QStringLiteral("sigma"), from.sigma);
    settings.setValue(QStringLiteral("edge"), toQString(toString(from.edge)));
    settings.setValue(QStringLiteral("kernel"), toQString(toString(from.kernel)));
    settings.setValue(QStringLiteral("kernelSize"), from.kernelSize);
    settings.setValue(QStringLiteral("stride"), from.stride);
}

/// How frames are taken from the source: process every N, frame shape.
void readFrameKeys(QSettings& settings, GuiSettings& into) {
    bool ok = false;
    const int everyN = settings.value(QStringLiteral("processEveryN")).toInt(&ok);
    if (ok && everyN >= 1 && everyN <= kMaxProcessEveryN) {
        into.processEveryN = everyN;
    }
    into.frameShape = readEnum(settings, "frameShape", into.frameShape, 3);
}

void writeFrameKeys(QSettings& settings, const GuiSettings& from) {
    settings.setValue(QStringLiteral("processEveryN"), from.processEveryN);
    settings.setValue(QStringLiteral("frameShape"), static_cast<int>(from.frameShape));
}

/// A file path holds '/', QSettings' group separator: the identity is percent-encoded.
QString sourceGroup(const QString& identity) {
    return QStringLiteral("sources/") + QString::fromLatin1(identity.toUtf8().toPercentEncoding());
}

} // namespace

GuiSettings GuiSettings::load(QSettings& settings) {
    GuiSettings loaded;
    settings.beginGroup(QStringLiteral("blur"));
    readBlurKeys(settings, loaded);
    settings.endGroup();

    settings.beginGroup(QStringLiteral("video"));
    const QString source = settings.value(QStringLiteral("source")).toString();
    if (!source.isEmpty()) {
        loaded.source = source;
    }
    readFrameKeys(settings, loaded);
    loaded.compare = readEnum(settings, "compare", loaded.compare, 2);
    loaded.snapshotPair = settings.value(QStringLiteral("snapshotPair"), loaded.snapshotPair).toBool();
    settings.endGroup();
    return loaded;
}

void GuiSettings::save(QSettings& settings) const {
    settings.beginGroup(QStringLiteral("blur"));
    writeBlurKeys(settings, *this);
    settings.endGroup();

    settings.beginGroup(QStringLiteral("video"));
    settings.setValue(QStringLiteral("source"), source);
    writeFrameKeys(settings, *this);
    settings.setValue(QStringLiteral("compare"), static_cast<int>(compare));
    settings.setValue(QStringLiteral("snapshotPair"), snapshotPair);
    settings.endGroup();
}

bool GuiSettings::hasSourceSettings(QSettings& settings, const QString& identity) {
    settings.beginGroup(sourceGroup(identity));
    const bool found = !settings.childKeys().isEmpty();
    settings.endGroup();
    return found;
}

GuiSettings GuiSettings::loadForSource(QSettings& settings, const QString& identity, const GuiSettings& fallback) {
    GuiSettings loaded = fallback;
    settings.beginGroup(sourceGroup(identity));
    readBlurKeys(settings, loaded);
    readFrameKeys(settings, loaded);
    settings.endGroup();
    return loaded;
}

void GuiSettings::saveForSource(QSettings& settings, const QString& identity) const {
    settings.beginGroup(sourceGroup(identity));
    writeBlurKeys(settings, *this);
    writeFrameKeys(settings, *this);
    settings.endGroup();
}

namespace {

template <typename Enum, std::size_t N>
QString labelIn(const std::array<NamedValue<Enum>, N>& table, Enum value) {
    const NamedValue<Enum>* entry = findNamed(table, value);
    return entry ? toQString(entry->label) : QStringLiteral("?");
}

} // namespace

QString displayName(BackendKind kind) {
    return labelIn(kBackendKinds, kind);
}

QString displayName(EdgeMode mode) {
    return labelIn(kEdgeModes, mode);
}

QString displayName(KernelKind kind) {
    return labelIn(kKernelKinds, kind);
}

OutputSettings OutputSettings::load(QSettings& settings) {
    OutputSettings loaded;
    settings.beginGroup(QStringLiteral("output"));
    const QString target = settings.value(QStringLiteral("target")).toString();
    if (target.startsWith(QStringLiteral("pipewire:")) || target.startsWith(QStringLiteral("v4l2:"))) {
        loaded.target = target;
    }
    const QSize size = settings.value(QStringLiteral("size")).toSize();
    if (size.isValid() && size.width() > 0 && size.height() > 0) {
        loaded.size = size;
    }
    loaded.mirror = settings.value(QStringLiteral("mirror"), false).toBool();
    settings.endGroup();
    return loaded;
}

void OutputSettings::save(QSettings& settings) const {
    settings.beginGroup(QStringLiteral("output"));
    settings.setValue(QStringLiteral("target"), target);
    settings.setValue(QStringLiteral("size"), size);
    settings.setValue(QStringLiteral("mirror"), mirror);
    settings.endGroup();
}

} // namespace blurcam::widgets
