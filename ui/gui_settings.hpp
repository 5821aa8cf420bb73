#pragma once
// Every user-visible setting of the desktop app in one value type, with its QSettings
// round trip. Widgets read and write this; the pipeline gets the engine parameters from it.

#include <blurcam/backend.hpp>
#include <blurcam/limits.hpp>
#include <blurcam/named_values.hpp>
#include <blurcam/params.hpp>

#include <QByteArray>
#include <QSize>
#include <QString>
#include <QStringList>

#include <string_view>

class QSettings;

namespace blurcam::widgets {

/// How a captured frame becomes the engine's input (mirrors app::FrameShape without OpenCV).
enum class FrameShapeChoice { CropSquare, Stretch, Native };

/// How the original and the blurred frame share the screen.
enum class CompareMode { SideBySide, Split };

inline constexpr int kAutoKernelSize = -1; ///< kernelSize value meaning 2*ceil(3 sigma)+1
/// The GUI's sigma range and step (slider, spin box, --sigma, the + and - keys); the engine
/// accepts up to blurcam::kMaxSigma.
inline constexpr double kMinSigma = 0.1;
inline constexpr double kMaxGuiSigma = 10.0;
inline constexpr double kSigmaStep = 0.1;
inline constexpr int kMaxProcessEveryN = 8;

struct GuiSettings {
    /// What the app opens (app::SourceSpec's text; the widgets never look inside it). The first
    /// V4L2 camera unless the user chose something else.
    QString source = QStringLiteral("camera:0");
    BackendKind backend = BackendKind::Cpu;
    double sigma = 1.0;
    EdgeMode edge = EdgeMode::Clamp;
    KernelKind kernel = KernelKind::Gaussian;
    int kernelSize = kDefaultKernelSize; ///< odd 1..kMaxKernelSize, or kAutoKernelSize
    int stride = 2;
    int processEveryN = 2;
    FrameShapeChoice frameShape = FrameShapeChoice::CropSquare;
    CompareMode compare = CompareMode::SideBySide;
    bool snapshotPair = false;

    /// The parameters the engine gets: binomial forces K = 5, "auto" follows sigma.
    [[nodiscard]] BlurParams blurParams() const;

    /// Reads what was saved, keeping the default for anything missing or out of range (a
    /// settings file edited by hand must not crash the app).
    static GuiSettings load(QSettings& settings);
    void save(QSettings& settings) const;

    /// Settings remembered for one source (see sourceIdentity()): blur, backend, every-N and
    /// frame shape, in the group "sources/<identity>". The view settings stay global. A source
    /// with nothing saved gets `fallback` (the global settings) unchanged.
    static GuiSettings loadForSource(QSettings& settings, const QString& identity, const GuiSettings& fallback);
    void saveForSource(QSettings& settings, const QString& identity) const;
    [[nodiscard]] static bool hasSourceSettings(QSettings& settings, const QString& identity);

    friend bool operator==(const GuiSettings&, const GuiSettings&) = default;
};

/// The Output section's choices, kept under "output/" between runs: target, size and mirror. The
/// on/off state is not saved: a camera that other programs can open should never appear without
/// the user asking in this run, so the app always starts with the virtual camera off.
struct OutputSettings {
    QString target = QStringLiteral("pipewire:blurcam");
    QSize size; ///< invalid: the source's size
    bool mirror = false;

    /// Keeps the default for anything missing or malformed.
    static OutputSettings load(QSettings& settings);
    void save(QSettings& settings) const;

    friend bool operator==(const OutputSettings&, const OutputSettings&) = default;
};

/// Video and image files opened before, newest first, for the source list: the ones that no
/// longer exist are left out. Kept under "recentFiles".
[[nodiscard]] QStringList loadRecentFiles(QSettings& settings);
void saveRecentFiles(QSettings& settings, const QStringList& paths);
/// paths with path first (once), at most kMaxRecentFiles long.
[[nodiscard]] QStringList withRecentFile(QStringList paths, const QString& path);
inline constexpr int kMaxRecentFiles = 8;

/// The Gaussian is cut off by its window: K/2 < 1.5 sigma, so a larger sigma barely changes the
/// picture (with K = 5 beyond sigma 1.3).
[[nodiscard]] bool sigmaTooWide(const BlurParams& params);

/// A name, label or description from one of the engine's tables, as a QString.
[[nodiscard]] inline QString toQString(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// What people see for a value of one of the engine's lists (kBackendKinds, kEdgeModes,
/// kKernelKinds): its label, "GPU (Vulkan)", "Mirror".
[[nodiscard]] QString displayName(BackendKind kind);
[[nodiscard]] QString displayName(EdgeMode mode);
[[nodiscard]] QString displayName(KernelKind kind);

/// The backends the GUI offers: every kind but Auto, in table order (the GUI shows what runs).
template <typename Visit>
void forEachGuiBackend(Visit&& visit) {
    for (const NamedValue<BackendKind>& entry : kBackendKinds) {
        if (entry.value != BackendKind::Auto) {
            visit(entry);
        }
    }
}

} // namespace blurcam::widgets
