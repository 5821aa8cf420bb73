#pragma once
// The file-system side of writing output: temporary names, atomic replacement, leftovers of
// killed runs, and turning errno into blurcam's words. Every writer goes through here, so a full
// disk reads "the disk is full" whichever writer met it, and no message ever names a temporary.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace blurcam::app {

/// Why a file-system call failed, in a few words: "the disk is full", "permission denied",
/// "the file size limit (ulimit -f) was reached", ... For errno values without a better phrase,
/// the error's symbolic name ("the system reported EKEYREVOKED"), never the C library's text. The
/// one place where errno becomes words.
[[nodiscard]] std::string describeFileError(int error);

/// A temporary name next to path, in the same directory (so a rename is atomic), that keeps the
/// extension (encoders choose the format by it): ".STEM.blurcam-tmp-PID-N.EXT". STEM is cut short
/// when the whole name would pass NAME_MAX, so every legal output name has a legal temporary.
[[nodiscard]] std::filesystem::path temporaryNameFor(const std::filesystem::path& path);

/// A sibling of a temporary name, for a second file of the same run (the old frames kept aside
/// while new ones go in): the same marker, so leftovers are recognised the same way.
[[nodiscard]] std::filesystem::path temporaryNameFor(const std::filesystem::path& path, const std::string& role);

/// The process id encoded in a temporary name, or 0 when name is not one of blurcam's temporaries.
[[nodiscard]] long temporaryOwner(const std::string& name);

/// A temporary name whose run no longer exists (killed with SIGKILL, or by a power cut).
[[nodiscard]] bool isLeftoverTemporary(const std::string& name);

/// Removes, from directory, temporaries left by blurcam runs that no longer exist (killed with
/// SIGKILL, or by a power cut). A temporary of a live process is someone's run in progress and
/// stays; so does a kept-aside copy of earlier frames (role "previous"), which holds user data, and
/// the journal of a folder commit (role "journal"), which says how to put those frames back.
void removeLeftoverTemporaries(const std::filesystem::path& directory);

/// Writes bytes to path through a file descriptor, checking every write, fsync and close.
/// Returns "" or the cause from describeFileError (the caller names the file the user knows).
[[nodiscard]] std::string writeWholeFile(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

/// Flushes a finished file to the disk: a rename is only as durable as the data behind it.
[[nodiscard]] std::string syncFile(const std::filesystem::path& path);

/// Renames from to to; with replace false it fails (instead of replacing) when to exists.
/// Returns "" or the cause.
[[nodiscard]] std::string renameFile(const std::filesystem::path& from, const std::filesystem::path& to, bool replace);

/// Why a file that was written through a library (which swallowed the error) came out short:
/// the disk is full, or the file reached the size limit. "" when neither can be seen now.
[[nodiscard]] std::string diagnoseShortWrite(const std::filesystem::path& written);

} // namespace blurcam::app
