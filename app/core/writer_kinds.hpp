#pragma once
// The writers behind openFrameWriter(), one file each; only frame_writer.cpp makes them.

#include "frame_writer.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace blurcam::app::detail {

/// Encodes for the extension (PNG keeps alpha; JPEG and BMP drop it); false when it cannot.
bool encodeImage(const std::string& extension, const cv::Mat& rgba, std::vector<std::uint8_t>& bytes);

std::string lowerExtension(const std::filesystem::path& path);

/// "3 frames", "1 frame".
std::string countOf(long long n, const std::string& noun);

/// The frames a directory writer writes: frame_000000.png, frame_000001.png, ...
std::string frameFileName(long long index);
/// A regular file (or a link to one) named like a frame: what an earlier run left. A folder of
/// that name is not a frame and is never moved.
bool isFrameFile(const std::filesystem::directory_entry& entry);

/// An advisory lock (flock) on an output folder, held from the moment a run chooses the folder
/// until its writer is gone: a second run into the same folder is refused instead of mixing its
/// frames with this one's. Released when the process ends, however it ends.
class FolderLock {
  public:
    FolderLock() = default;
    ~FolderLock();
    FolderLock(FolderLock&& other) noexcept;
    FolderLock& operator=(FolderLock&& other) noexcept;
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

    /// false only when another process holds the folder's lock. A folder that cannot be opened
    /// is not locked and not refused: writing there fails later with its own cause.
    [[nodiscard]] bool take(const std::filesystem::path& directory);
    [[nodiscard]] bool held() const { return m_fd >= 0; }

  private:
    int m_fd = -1;
};

/// "another blurcam run is writing to 'dd/' now; ...": why a locked folder is refused.
std::string folderBusySentence(const std::filesystem::path& directory);

/// Finishes or undoes every folder commit that a killed run left in directory (its journal says
/// how far it got), so the folder holds either all of the earlier frames or all of the new ones.
/// Call with the folder's lock held. "" or why a commit could not be put right.
std::string recoverInterruptedCommits(const std::filesystem::path& directory);

std::unique_ptr<FrameWriter> makeDirectoryWriter(std::filesystem::path directory, bool overwrite, FolderLock lock);
std::unique_ptr<FrameWriter> makeVideoWriter(std::filesystem::path path, double fps);

} // namespace blurcam::app::detail
