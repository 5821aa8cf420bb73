#pragma once
// Recording: the blurred stream written to a video file while it runs (the GUI's Record).

#include "frame_sink.hpp"

#include <string>

namespace blurcam::app {

/// A FrameSink that writes every submitted frame, scaled to options.size (0x0: the source's
/// size), as MJPEG in an .avi at options.fps. Writes on its own thread and never blocks
/// the caller (frames beyond a short queue are dropped and counted). Destroying it finishes a
/// playable file; onStatus then reports connected = false with the final frame count. When the disk fills up it stops,
/// says so in status().error, and the frames already written stay playable.
[[nodiscard]] OpenedSink openFrameRecorder(const std::string& path, const SinkOptions& options);

} // namespace blurcam::app
