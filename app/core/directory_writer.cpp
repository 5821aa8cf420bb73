// A directory of numbered PNGs, committed as one step. Frames go to a hidden staging folder
// inside the destination and are renamed into place at finish(). With --overwrite, the frames of
// the earlier run are first set aside in a second hidden folder and deleted only once every new
// frame is in place; any failure moves everything back, so a failed run leaves the folder exactly
// as it found it.
//
// Two guards make this hold beyond one run. The folder is locked (flock) while a run uses it, so a
// second run into it is refused rather than mixed in. And a commit keeps a journal beside the
// frames: a run killed half way (SIGKILL, a power cut) leaves it, and the next run into the folder
// reads how far the commit got and puts the earlier frames back, or finishes it when every new
// frame was already in place. Either way the folder is all old or all new, never a mix.
#include "quoted.hpp"
#include "writer_kinds.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <system_error>
#include <utility>

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

// The journal of one commit, a few lines of text:
//   phase P
//   staging .frames.blurcam-tmp-PID-N
//   previous .frames.blurcam-tmp-PID-M-previous   (or "-" when the folder held no frames)
// P is 'A' while the earlier frames are set aside, 'I' while the new ones move in (every earlier
// frame is in previous then), 'D' once every new frame is in place and previous is being deleted.
// The letter is rewritten in place: one byte, flushed, so it is never half written.
constexpr const char* kJournalRole = "journal";
constexpr std::size_t kPhaseOffset = 6; // after "phase "
constexpr char kSettingAside = 'A';
constexpr char kMovingIn = 'I';
constexpr char kDone = 'D';

class CommitJournal {
  public:
    CommitJournal() = default;
    ~CommitJournal() { end(); }
    CommitJournal(const CommitJournal&) = delete;
    CommitJournal& operator=(const CommitJournal&) = delete;

    /// Writes the journal (flushed to the disk) before anything moves. "" or the cause.
    std::string begin(const fs::path& directory, const fs::path& staging, const fs::path& previous, char phase) {
        const fs::path path = temporaryNameFor(directory / "frames", kJournalRole);
        const std::string text = std::string("phase ") + phase + "\nstaging " + staging.filename().string() +
                                 "\nprevious " + (previous.empty() ? std::string("-") : previous.filename().string()) +
                                 "\n";
        if (std::string cause = writeWholeFile(path, std::vector<std::uint8_t>(text.begin(), text.end()));
            !cause.empty()) {
            std::error_code ignored;
            fs::remove(path, ignored);
            return cause;
        }
        m_path = path;
        syncFolder(directory);
        return {};
    }
    /// "" or the cause.
    std::string setPhase(char phase) {
        const int fd = ::open(m_path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            return describeFileError(errno);
        }
        const bool written = ::pwrite(fd, &phase, 1, kPhaseOffset) == 1 && ::fsync(fd) == 0;
        const int error = errno;
        ::close(fd);
        return written ? std::string() : describeFileError(error);
    }
    void end() {
        if (!m_path.empty()) {
            std::error_code ignored;
            fs::remove(m_path, ignored);
            m_path.clear();
        }
    }

  private:
    fs::path m_path;
};

struct JournalContents {
    char phase = 0;
    std::string staging;
    std::string previous; ///< "" when the folder held no frames
};

/// A name the journal may point at: one of blurcam's temporaries in the same folder, nothing else.
bool isTemporaryInFolder(const std::string& name) {
    return name.find('/') == std::string::npos && temporaryOwner(name) != 0;
}

std::optional<JournalContents> readJournal(const fs::path& path) {
    std::ifstream in(path);
    std::string phaseWord;
    std::string stagingWord;
    std::string previousWord;
    JournalContents contents;
    if (!(in >> phaseWord >> contents.phase >> stagingWord >> contents.staging >> previousWord >> contents.previous) ||
        phaseWord != "phase" || stagingWord != "staging" || previousWord != "previous") {
        return std::nullopt;
    }
    if (contents.previous == "-") {
        contents.previous.clear();
    }
    if ((contents.phase != kSettingAside && contents.phase != kMovingIn && contents.phase != kDone) ||
        !isTemporaryInFolder(contents.staging) ||
        (!contents.previous.empty() && !isTemporaryInFolder(contents.previous))) {
        return std::nullopt;
    }
    return contents;
}

/// Moves every frame file from one folder to another, never replacing anything. "" or the cause
/// with the name that failed.
std::string moveFrames(const fs::path& from, const fs::path& to) {
    std::string failedName;
    if (std::string cause = moveAll(frameFilesIn(from), from, to, failedName); !cause.empty()) {
        return app::quoted(from.filename() / failedName) + ": " + cause;
    }
    return {};
}

/// Puts right one commit a killed run left, as its journal says. "" or the cause.
std::string recoverCommit(const fs::path& directory, const JournalContents& journal) {
    const fs::path staging = directory / journal.staging;
    const fs::path previous = journal.previous.empty() ? fs::path() : directory / journal.previous;
    std::error_code ignored;
    if (journal.phase == kMovingIn) {
        // Every earlier frame is in previous, so each frame here is one of the new ones: back
        // they go, and the folder is as it was before the commit began.
        fs::create_directory(staging, ignored);
        if (std::string cause = moveFrames(directory, staging); !cause.empty()) {
            return cause;
        }
    }
    if (journal.phase != kDone && !previous.empty()) {
        if (std::string cause = moveFrames(previous, directory); !cause.empty()) {
            return cause;
        }
    }
    fs::remove_all(staging, ignored); // the killed run's new frames (or none)
    if (!previous.empty()) {
        // Done: the new frames are all in place and these are the replaced ones. Otherwise the
        // folder is empty now, and remove() takes only an empty one.
        if (journal.phase == kDone) {
            fs::remove_all(previous, ignored);
        } else {
            fs::remove(previous, ignored);
        }
    }
    syncFolder(directory);
    return {};
}

class DirectoryWriter final : public FrameWriter {
  public:
    DirectoryWriter(fs::path directory, bool overwrite, FolderLock lock)
        : m_lock(std::move(lock)), m_directory(std::move(directory)), m_overwrite(overwrite) {}
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
        if (!m_lock.held() && !m_lock.take(m_directory)) {
            m_error = folderBusySentence(m_directory);
            discard();
            return false;
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

    /// Puts the new frames in place of whatever frames the folder holds now; all or nothing, and
    /// journalled, so that a run killed half way is put right by the next one.
    bool commit() {
        const std::vector<std::string> earlier = frameFilesIn(m_directory);
        if (!earlier.empty() && !m_overwrite) {
            m_error = shownName() + " received frames from another program while this run wrote; nothing was written";
            return false;
        }
        const fs::path keptAside = earlier.empty() ? fs::path() : temporaryNameFor(m_directory / "frames", "previous");
        std::string failedName;
        std::error_code error;
        // The journal first: from here on, whatever a killed run leaves is named in it.
        CommitJournal journal;
        if (std::string cause =
                journal.begin(m_directory, m_staging, keptAside, earlier.empty() ? kMovingIn : kSettingAside);
            !cause.empty()) {
            m_error = "cannot write into " + shownName() + ": " + cause;
            return false;
        }
        if (!keptAside.empty() && (!fs::create_directory(keptAside, error) || error)) {
            m_error =
                "cannot replace the frames in " + shownName() + ": " + (error ? causeOf(error) : "the name is taken");
            return false;
        }
        if (!earlier.empty()) {
            std::string cause = moveAll(earlier, m_directory, keptAside, failedName);
            if (!cause.empty()) {
                m_error = "cannot replace " + app::quoted(m_directory / failedName) + ": " + cause;
            } else if (cause = journal.setPhase(kMovingIn); !cause.empty()) {
                m_error = "cannot replace the frames in " + shownName() + ": " + cause;
                (void)moveAll(earlier, keptAside, m_directory, failedName);
            }
            if (!cause.empty()) {
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
        // Every new frame is in place: from here a killed run is finished, not undone.
        (void)journal.setPhase(kDone);
        if (!keptAside.empty()) {
            std::error_code ignored;
            fs::remove_all(keptAside, ignored);
        }
        m_replaced = static_cast<long long>(earlier.size());
        return true;
    }

    FolderLock m_lock; ///< first: held until everything below is cleaned up
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

FolderLock::~FolderLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // releases the lock
    }
}

FolderLock::FolderLock(FolderLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

bool FolderLock::take(const fs::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return true;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool busy = errno == EWOULDBLOCK;
        ::close(fd);
        return !busy;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    m_fd = fd;
    return true;
}

std::string folderBusySentence(const fs::path& directory) {
    return "another blurcam run is writing to " + app::quoted(directory.string() + "/") +
           " now; wait for it to end or choose another folder";
}

std::string recoverInterruptedCommits(const fs::path& directory) {
    std::error_code error;
    std::vector<fs::path> journals;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(std::string("-") + kJournalRole) && isLeftoverTemporary(name)) {
            journals.push_back(entry.path());
        }
    }
    for (const fs::path& path : journals) {
        // A journal that cannot be read was cut short while it was written, before any frame moved.
        if (const std::optional<JournalContents> journal = readJournal(path)) {
            if (std::string cause = recoverCommit(directory, *journal); !cause.empty()) {
                return "cannot put back the frames of a run that was killed while it wrote " +
                       app::quoted(directory.string() + "/") + ": " + cause;
            }
        }
        fs::remove(path, error);
    }
    return {};
}

std::unique_ptr<FrameWriter> makeDirectoryWriter(fs::path directory, bool overwrite, FolderLock lock) {
    return std::make_unique<DirectoryWriter>(std::move(directory), overwrite, std::move(lock));
}

} // namespace blurcam::app::detail
