#pragma once
// Why a file cannot be opened, in blurcam's words, from the errno the system gave. Sources check
// a file this way before a library sees it: OpenCV and FFmpeg only say "cannot open", so a
// permission problem used to read as "unsupported format" and a symlink loop as "no such file".

#include <string>

namespace blurcam::app {

/// "cannot open 'clip.avi': permission denied" for errorNumber EACCES; every errno gives one
/// sentence naming the file (ENOENT is "no such file", ELOOP a symbolic link loop, ...).
[[nodiscard]] std::string cannotOpenSentence(const std::string& path, int errorNumber);

/// "" when path can be opened for reading; otherwise cannotOpenSentence for the errno open(2) gave.
[[nodiscard]] std::string readableFileProblem(const std::string& path);

} // namespace blurcam::app
