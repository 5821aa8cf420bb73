// A directory of numbered PNGs, committed as one step. Frames go to a hidden staging folder
// inside the destination and are renamed into place at finish(). With --overwrite, the frames of
// the earlier run are first set aside in a second hidden folder and deleted only once every new
// frame is in place; any failure moves everything back, so a failed run leaves the folder exactly
// as it found it.
#include "quoted.hpp"
#include "writer_kinds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <system_error>

namespace blurcam::app::detail {
namespace {

namespace fs = std::filesystem;

std::string causeOf(const std::error_code& error) {
    return describeFileError(error.value());
}

std::vector<std::string> frameFilesIn(const fs::path& directory) {
    std::vector<std::string> names;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
        if (isFrameFile(entry)) {
            names.push_back(entry.path().filename().string());
        }
    }
    return names;
}

/// Moves the named files from one folder to another, never replacing anything. On a failure the
/// files already moved go back, and the cause is returned with the name that failed.
std::string moveAll(const std::vector<std::string>& names, const fs::path& from, const fs::path& to,
                    std::string& failedName) {
    for (std::size_t moved = 0; moved < names.size(); ++moved) {
        if (std::string cause = renameFile(from / names[moved], to / names[moved], false); !cause.empty()) {
            for (std::size_t back = 0; back < moved; ++back) {
                (void)renameFile(to / names[back], from / names[back], false);
            }
            failedName = names[moved];
            return cause;
        }
    }
    return {};
}

/// A rename is durable once the folder that holds the new name is on the disk.
void syncFolder(const fs::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

class DirectoryWriter final : public FrameWriter {
  public:
    DirectoryWriter(fs::path directory, bool overwrite) : m_directory(std::move(directory)), m_overwrite(overwrite) {}
    ~DirectoryWriter() override {
        if (!m_finished) {
            discard();
        }
    }
    DirectoryWriter(const DirectoryWriter&) = delete;
    DirectoryWriter& operator=(const DirectoryWriter&) = delete;

    bool write(const cv::Mat& rgba) override {
        if (!m_error.empty()) {
            return false;
        }
        if (m_staging.empty() && !createStaging()) {
            return false;
        }
        std::vector<std::uint8_t> bytes;
        if (!encodeImage(".png", rgba, bytes)) {
            m_error = "cannot encode frame " + std::to_string(m_frames) + " as PNG";
            return false;
        }
        if (std::string cause = writeWholeFile(m_staging / frameFileName(m_frames), bytes); !cause.empty()) {
            m_error = "cannot write frame " + std::to_string(m_frames) + " into " + shownName() + ": " + cause;
            return false;
        }
        m_names.push_back(frameFileName(m_frames));
        ++m_frames;
        return true;
    }

    bool finish() override {
        if (m_error.empty() && m_staging.empty()) {
            m_error = "no frame to write to " + shownName();
        }
        if (!m_error.empty() || !commit()) {
            discard();
            return false;
        }
        std::error_code ignored;
        fs::remove_all(m_staging, ignored);
        m_staging.clear();
        syncFolder(m_directory);
        m_finished = true;
        return true;
    }

    void discard() override {
        std::error_code ignored;
        if (!m_staging.empty()) {
            fs::remove_all(m_staging, ignored);
            m_staging.clear();
        }
        // Folders this run made, deepest first; remove() only takes them while they are empty.
        while (!m_createdFolders.empty()) {
            fs::remove(m_createdFolders.back(), ignored);
            m_createdFolders.pop_back();
        }
    }

    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] long long framesWritten() const override { return m_frames; }
    [[nodiscard]] std::string description() const override {
        std::string text = m_directory.string() + "/ (" + countOf(m_frames, "PNG file") + ", frame_000000.png...";
        if (m_replaced > 0) {
            text += "; replaced the " + countOf(m_replaced, "frame") + " of an earlier run";
        }
        return text + ")";
    }

  private:
    [[nodiscard]] std::string shownName() const { return app::quoted(m_directory.string() + "/"); }

    bool createStaging() {
        std::error_code error;
        if (!fs::exists(m_directory, error)) {
            // Remember each folder that did not exist, so discard() can take them away again.
            std::vector<fs::path> missing;
            for (fs::path folder = m_directory; !folder.empty() && !fs::exists(folder, error);
                 folder = folder.parent_path()) {
                missing.insert(missing.begin(), folder);
                if (folder == folder.parent_path()) {
                    break;
                }
            }
            for (const fs::path& folder : missing) {
                if (!fs::create_directory(folder, error) && error) {
                    m_error = "cannot create the folder " + app::quoted(folder) + ": " + causeOf(error);
                    discard();
                    return false;
                }
                m_createdFolders.push_back(folder);
            }
        }
        const fs::path staging = temporaryNameFor(m_directory / "frames");
        if (!fs::create_directory(staging, error) || error) {
            m_error = "cannot write into " + shownName() + ": " + (error ? causeOf(error) : "the name is taken");
            discard();
            return false;
        }
        m_staging = staging;
        return true;
    }

    /// Puts the new frames in place of whatever frames the folder holds now; all or nothing.
    bool commit() {
        const std::vector<std::string> earlier = frameFilesIn(m_directory);
        if (!earlier.empty() && !m_overwrite) {
            m_error = shownName() + " received frames from another program while this run wrote; nothing was written";
            return false;
        }
        fs::path keptAside;
        std::string failedName;
        if (!earlier.empty()) {
            keptAside = temporaryNameFor(m_directory / "frames", "previous");
            std::error_code error;
            if (!fs::create_directory(keptAside, error) || error) {
                m_error = "cannot replace the frames in " + shownName() + ": " +
                          (error ? causeOf(error) : "the name is taken");
                return false;
            }
            if (std::string cause = moveAll(earlier, m_directory, keptAside, failedName); !cause.empty()) {
                m_error = "cannot replace " + app::quoted(m_directory / failedName) + ": " + cause;
                fs::remove(keptAside, error);
                return false;
            }
        }
        if (std::string cause = moveAll(m_names, m_staging, m_directory, failedName); !cause.empty()) {
            m_error = "cannot write " + app::quoted(m_directory / failedName) + ": " + cause;
            if (!keptAside.empty()) {
                std::string ignoredName;
                if (moveAll(earlier, keptAside, m_directory, ignoredName).empty()) {
                    std::error_code ignored;
                    fs::remove(keptAside, ignored);
                }
            }
            return false;
        }
        if (!keptAside.empty()) {
            std::error_code ignored;
            fs::remove_all(keptAside, ignored);
        }
        m_replaced = static_cast<long long>(earlier.size());
        return true;
    }

    fs::path m_directory;
    bool m_overwrite = false;
    fs::path m_staging;
    std::vector<fs::path> m_createdFolders;
    std::vector<std::string> m_names; ///< frame files in m_staging, in order
    bool m_finished = false;
    long long m_frames = 0;
    long long m_replaced = 0;
    std::string m_error;
};

} // namespace

std::unique_ptr<FrameWriter> makeDirectoryWriter(fs::path directory, bool overwrite) {
    return std::make_unique<DirectoryWriter>(std::move(directory), overwrite);
}

} // namespace blurcam::app::detail
