#pragma once
// Where processed frames go: one image, a directory of numbered PNGs, or a video. Every writer
// is all-or-nothing: it writes under a temporary name in the destination's own directory, checks
// what it wrote, and renames at finish(), so a failure or a crash never leaves a half-written file
// behind and never damages what the user had at that path.

#include "constants.hpp"
#include "output_files.hpp"

#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blurcam::app {

enum class OutputKind {
    Image,     ///< .png (keeps alpha), .jpg/.jpeg (alpha dropped), .bmp
    Directory, ///< an existing directory, or a path ending in '/': frame_000000.png, ...
    Video,     ///< .avi (MJPG), .mp4 (mp4v), .mkv (MJPG)
};

/// What a path means as an output; nullopt for an extension blurcam cannot write.
[[nodiscard]] std::optional<OutputKind> classifyOutput(const std::string& path);

/// Encodes rgba (CV_8UC4) by the path's extension and writes it atomically. Returns "" on
/// success, otherwise one sentence naming the file and the cause.
[[nodiscard]] std::string writeImageAtomically(const std::filesystem::path& path, const cv::Mat& rgba);

class FrameWriter {
  public:
    virtual ~FrameWriter() = default;
    /// Takes one CV_8UC4 frame; false (and error()) when it cannot be written.
    virtual bool write(const cv::Mat& rgba) = 0;
    /// Makes everything written visible under the final name. false (and error()) on failure,
    /// in which case nothing is left behind.
    virtual bool finish() = 0;
    /// Removes everything written so far. The destructor calls it when finish() did not succeed.
    virtual void discard() = 0;
    [[nodiscard]] virtual std::string error() const = 0;
    [[nodiscard]] virtual long long framesWritten() const = 0;
    /// For the summary, saying what was really written: "out.png", "frames/ (30 PNG files)",
    /// "clip.avi (12 frames, 102x102: padded from 101x101 ...)".
    [[nodiscard]] virtual std::string description() const = 0;
};

struct WriterOptions {
    double fps = kDefaultFramesPerSecond; ///< a video's frame rate (raised to the lowest rate encoders accept)
    bool overwrite = false;               ///< replace the frames already in a directory, once the new run succeeded
    /// Files the output must never replace (the input): refused before anything is written.
    std::vector<std::filesystem::path> protectedFiles;
};

struct OpenedWriter {
    std::unique_ptr<FrameWriter> writer; ///< null on failure
    std::string error;
    /// The failure is a conflict in what was asked (the output would replace the input, or would
    /// mix with an earlier run's frames), not a failure of the disk.
    bool conflict = false;
};

/// An Image writer keeps the last frame it is given and writes it at finish(). A Video writer
/// opens the file on its first frame (the size is known then). Temporaries that killed runs left
/// in the destination are removed here.
[[nodiscard]] OpenedWriter openFrameWriter(const std::string& path, OutputKind kind, const WriterOptions& options = {});

} // namespace blurcam::app
