#include "gui_settings.hpp"

#include <QSettings>

#include <algorithm>
#include <cmath>

namespace blurcam::ui {

namespace {

template <typename Enum>
Enum readEnum(QSettings& settings, const char* key, Enum fallback, int count) {
    bool ok = false;
    const int value = settings.value(QLatin1String(key)).toInt(&ok);
    return ok && value >= 0 && value < count ? static_cast<Enum>(value) : fallback;
}

} // namespace

BlurParams GuiSettings::blurParams() const {
    BlurParams params;
    params.sigma = sigma;
    params.kernel = kernel;
    params.edge = edge;
    params.stride = stride;
    if (kernel == KernelKind::Binomial) {
        params.kernelSize = 5;
    } else if (kernelSize == kAutoKernelSize) {
        params.kernelSize = autoKernelSize(sigma);
    } else {
        params.kernelSize = kernelSize;
    }
    return params;
}

GuiSettings GuiSettings::load(QSettings& settings) {
    GuiSettings loaded;
    settings.beginGroup(QStringLiteral("blur"));
    const QString backendText = settings.value(QStringLiteral("backend")).toString();
    if (auto kind = parseBackendKind(backendText.toStdString()); kind && *kind != BackendKind::Auto) {
        loaded.backend = *kind;
    }
    bool ok = false;
    const double sigma = settings.value(QStringLiteral("sigma")).toDouble(&ok);
    if (ok && sigma >= kMinSigma && sigma <= kMaxGuiSigma) {
        loaded.sigma = std::round(sigma * 10.0) / 10.0;
    }
    if (auto edge = parseEdgeMode(settings.value(QStringLiteral("edge")).toString().toStdString())) {
        loaded.edge = *edge;
    }
    if (auto kernel = parseKernelKind(settings.value(QStringLiteral("kernel")).toString().toStdString())) {
        loaded.kernel = *kernel;
    }
    const int size = settings.value(QStringLiteral("kernelSize")).toInt(&ok);
    if (ok && (size == kAutoKernelSize || (size >= 1 && size <= kMaxKernelSize && size % 2 == 1))) {
        loaded.kernelSize = size;
    }
    const int stride = settings.value(QStringLiteral("stride")).toInt(&ok);
    if (ok && (stride == 1 || stride == 2)) {
        loaded.stride = stride;
    }
    settings.endGroup();

    settings.beginGroup(QStringLiteral("video"));
    const QString source = settings.value(QStringLiteral("source")).toString();
    if (!source.isEmpty()) {
        loaded.source = source;
    }
    const int everyN = settings.value(QStringLiteral("processEveryN")).toInt(&ok);
    if (ok && everyN >= 1 && everyN <= kMaxProcessEveryN) {
        loaded.processEveryN = everyN;
    }
    loaded.frameShape = readEnum(settings, "frameShape", loaded.frameShape, 3);
    loaded.compare = readEnum(settings, "compare", loaded.compare, 2);
    loaded.snapshotPair = settings.value(QStringLiteral("snapshotPair"), loaded.snapshotPair).toBool();
    settings.endGroup();
    return loaded;
}

void GuiSettings::save(QSettings& settings) const {
    settings.beginGroup(QStringLiteral("blur"));
    settings.setValue(QStringLiteral("backend"), QString::fromUtf8(toString(backend).data(), static_cast<qsizetype>(toString(backend).size())));
    settings.setValue(QStringLiteral("sigma"), sigma);
    settings.setValue(QStringLiteral("edge"), QString::fromUtf8(toString(edge).data(), static_cast<qsizetype>(toString(edge).size())));
    settings.setValue(QStringLiteral("kernel"), QString::fromUtf8(toString(kernel).data(), static_cast<qsizetype>(toString(kernel).size())));
    settings.setValue(QStringLiteral("kernelSize"), kernelSize);
    settings.setValue(QStringLiteral("stride"), stride);
    settings.endGroup();

    settings.beginGroup(QStringLiteral("video"));
    settings.setValue(QStringLiteral("source"), source);
    settings.setValue(QStringLiteral("processEveryN"), processEveryN);
    settings.setValue(QStringLiteral("frameShape"), static_cast<int>(frameShape));
    settings.setValue(QStringLiteral("compare"), static_cast<int>(compare));
    settings.setValue(QStringLiteral("snapshotPair"), snapshotPair);
    settings.endGroup();
}

QString displayName(BackendKind kind) {
    switch (kind) {
    case BackendKind::Auto: return QStringLiteral("Auto");
    case BackendKind::Cpu: return QStringLiteral("CPU");
    case BackendKind::Vulkan: return QStringLiteral("GPU (Vulkan)");
    case BackendKind::Fft: return QStringLiteral("FFT");
    }
    return QStringLiteral("?");
}

QString displayName(EdgeMode mode) {
    switch (mode) {
    case EdgeMode::Zero: return QStringLiteral("Zero");
    case EdgeMode::Clamp: return QStringLiteral("Clamp");
    case EdgeMode::Mirror: return QStringLiteral("Mirror");
    case EdgeMode::Reflect: return QStringLiteral("Reflect");
    case EdgeMode::Wrap: return QStringLiteral("Wrap");
    }
    return QStringLiteral("?");
}

} // namespace blurcam::ui
