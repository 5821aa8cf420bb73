#pragma once
// How a frame source is named on the command line (--input, --source), in the GUI's source list
// and in its settings: "pattern", "camera:N", "pipewire:NAME" or a path. This is the one parser
// and the one printer of those names; everything else holds a parsed SourceSpec.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace blurcam::app {

enum class SourceKind {
    Pattern,  ///< the built-in moving test pattern
    Camera,   ///< a V4L2 camera, /dev/videoN
    PipeWire, ///< a PipeWire camera node, read through GStreamer
    File,     ///< an image or video file
};

struct SourceKindInfo {
    SourceKind kind;
    std::string_view prefix; ///< what the name starts with ("pattern" is the whole name); "" for a file
    std::string_view syntax; ///< how help texts and errors write it
};

/// The source kinds, in the order help texts list them. Adding a kind is one line here, its
/// case in parseSourceSpec and a way to open it.
inline constexpr std::array<SourceKindInfo, 4> kSourceKinds{{
    {SourceKind::File, "", "a file"},
    {SourceKind::Camera, "camera:", "camera:N"},
    {SourceKind::PipeWire, "pipewire:", "pipewire:NAME"},
    {SourceKind::Pattern, "pattern", "pattern"},
}};

[[nodiscard]] const SourceKindInfo& sourceKindInfo(SourceKind kind);

/// "a file, camera:N, pipewire:NAME or pattern": what an error says was expected.
[[nodiscard]] std::string expectedSourceSyntax();

struct SourceSpec {
    SourceKind kind = SourceKind::Pattern;
    int cameraIndex = -1; ///< Camera: the N of /dev/videoN
    std::string name;     ///< PipeWire: the node name; File: the path as given

    [[nodiscard]] static SourceSpec pattern() { return {}; }
    [[nodiscard]] static SourceSpec camera(int index) { return {SourceKind::Camera, index, {}}; }
    [[nodiscard]] static SourceSpec pipeWire(std::string nodeName) {
        return {SourceKind::PipeWire, -1, std::move(nodeName)};
    }
    [[nodiscard]] static SourceSpec file(std::string path) { return {SourceKind::File, -1, std::move(path)}; }

    /// The name that parses back to this spec: "camera:0", "pipewire:blurcam", the path.
    [[nodiscard]] std::string text() const;
    /// A device that delivers frames at its own pace and never ends (a camera of either kind).
    [[nodiscard]] bool isLive() const { return kind == SourceKind::Camera || kind == SourceKind::PipeWire; }

    friend bool operator==(const SourceSpec&, const SourceSpec&) = default;
};

/// The largest camera number accepted: /dev/video9999.
inline constexpr int kMaxCameraIndex = 9999;

struct ParsedSourceSpec {
    std::optional<SourceSpec> spec;
    std::string error; ///< one sentence naming the text when spec is empty
};

/// Anything that is not "pattern" and does not start with a kind's prefix is a file path. A
/// prefix with a bad rest ("camera:first", "pipewire:") is an error, not a file. Whether the
/// source exists is for openFrameSource to find out.
[[nodiscard]] ParsedSourceSpec parseSourceSpec(std::string_view text);

/// A PipeWire node name blurcam passes on: letters, digits and "._-:", not empty. Anything else
/// could change the meaning of the GStreamer pipeline it is written into.
[[nodiscard]] bool isPlainNodeName(std::string_view name);

} // namespace blurcam::app
