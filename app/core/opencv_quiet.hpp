#pragma once
// OpenCV and FFmpeg print warnings to stderr on their own ("libpng warning", "[ WARN:0] ...",
// "[mjpeg @ 0x...]"). blurcam reports every problem itself in one sentence, so executables call
// this once at start-up, before any capture is opened.

namespace blurcam::app {

/// Silences OpenCV's logger and FFmpeg's (unless the user set OPENCV_LOG_LEVEL,
/// OPENCV_FFMPEG_LOGLEVEL or OPENCV_FFMPEG_DEBUG to see them).
void quietenOpenCvLogging();

} // namespace blurcam::app
