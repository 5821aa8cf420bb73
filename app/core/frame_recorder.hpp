#pragma once
// Recording: the blurred stream written to a video file while it runs (the GUI's Record).

#include "frame_sink.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace blurcam::app {

/// What a recording may do to the files already there. A recording follows the rules of every
/// other output: it is written under a hidden temporary name and renamed into place when it ends.
struct RecordingRules {
    bool overwrite = false; ///< replace a file already at the path (when the recording ends)
    /// Files the recording must never replace, under any name (the input): refused at once.
    std::vector<std::filesystem::path> protectedFiles;
};

/// "" when path can name a recording (an .avi), else one sentence why not. Needs no file system.
[[nodiscard]] std::string recordingNameProblem(const std::string& path);

/// A FrameSink that writes every submitted frame, scaled to options.size (0x0: the source's
/// size), as MJPEG in an .avi at options.fps. Writes on its own thread and never blocks the caller
/// (frames beyond a short queue are dropped and counted). Destroying it finishes a playable file
/// and renames it into place; onStatus then reports connected = false with the final frame count,
/// and an error when the recording failed. When the disk fills up it stops, says so in
/// status().error, and the frames already written stay playable. A path that is the input, or a
/// file that exists without rules.overwrite, is refused here (conflict); so is a folder that
/// cannot take the temporary file (with its cause).
[[nodiscard]] OpenedSink openFrameRecorder(const std::string& path, const SinkOptions& options,
                                           const RecordingRules& rules = {});

} // namespace blurcam::app
