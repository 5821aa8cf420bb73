#include "output_files.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace blurcam::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = ".blurcam-tmp-";
constexpr const char* kKeptAsideRole = "previous";
constexpr const char* kJournalRole = "journal";

/// Closes a descriptor on every path out of a function.
class FileDescriptor {
  public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const { return m_fd; }
    /// close() reports the last delayed write error on some file systems (NFS), so it is checked.
    int release() {
        const int result = ::close(m_fd);
        m_fd = -1;
        return result;
    }

  private:
    int m_fd;
};

/// Cuts text to at most bytes bytes without splitting a UTF-8 sequence.
std::string cutUtf8(const std::string& text, std::size_t bytes) {
    if (text.size() <= bytes) {
        return text;
    }
    std::size_t end = bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
        --end;
    }
    return text.substr(0, end);
}

bool processIsGone(long pid) {
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

std::string describeFileError(int error) {
    switch (error) {
    case ENOSPC: return "the disk is full";
    case EDQUOT: return "the disk quota is used up";
    case EFBIG: return "the file size limit (ulimit -f) was reached";
    case EACCES:
    case EPERM: return "permission denied";
    case EROFS: return "the file system is read-only";
    case ENOENT: return "the folder does not exist";
    case ENOTDIR: return "a part of the path is not a folder";
    case ENAMETOOLONG: return "the name is too long";
    case ELOOP: return "the path has a symbolic link loop";
    case EISDIR: return "it is a folder";
    case EEXIST: return "a file of that name appeared meanwhile";
    case EIO: return "an input/output error on the disk";
    case EBADF: return "the file is not open for that";
    case EPIPE: return "the program reading it has ended";
    case ENXIO:
    case ENODEV: return "there is no such device";
    case EBUSY: return "the device or file is busy";
    case ETXTBSY: return "the file is in use by a running program";
    case ENOMEM: return "not enough memory";
    case EMFILE:
    case ENFILE: return "too many files are open";
    case EXDEV: return "it is on another file system";
    case ENOTEMPTY: return "the folder is not empty";
    case EAGAIN: return "it is busy for the moment";
    case EINTR: return "it was interrupted";
    case ETIMEDOUT: return "it did not answer in time";
    case ECONNREFUSED: return "nothing answers there";
    case EHOSTDOWN:
    case EHOSTUNREACH:
    case ENETDOWN:
    case ENETUNREACH: return "it cannot be reached";
    case EINVAL:
    case EOPNOTSUPP:
    case ENOSYS: return "the file system or device does not support it";
    case ESPIPE: return "it cannot seek (a pipe or a device)";
    case EOVERFLOW: return "it is too large for this system";
    case ESTALE: return "the network file is gone (stale handle)";
    default: {
        // No sentence of our own yet: the error's symbolic name, which a search finds, rather
        // than the C library's text.
        const char* name = ::strerrorname_np(error);
        return std::string("the system reported ") + (name != nullptr ? name : "error " + std::to_string(error));
    }
    }
}

fs::path temporaryNameFor(const fs::path& path, const std::string& role) {
    static std::atomic<int> counter{0};
    std::string tail = kMarker;
    tail += std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    if (!role.empty()) {
        tail += "-" + role;
    }
    tail += path.extension().string();
    // NAME_MAX counts bytes; the leading dot and the tail are fixed, the stem gives way.
    const std::size_t room = NAME_MAX > 1 + tail.size() ? NAME_MAX - 1 - tail.size() : 0;
    return path.parent_path() / ("." + cutUtf8(path.stem().string(), room) + tail);
}

fs::path temporaryNameFor(const fs::path& path) {
    return temporaryNameFor(path, {});
}

long temporaryOwner(const std::string& name) {
    const std::size_t at = name.find(kMarker);
    if (name.empty() || name.front() != '.' || at == std::string::npos) {
        return 0;
    }
    const char* digits = name.c_str() + at + std::strlen(kMarker);
    char* end = nullptr;
    errno = 0;
    const long pid = std::strtol(digits, &end, 10);
    if (end == digits || *end != '-' || errno != 0 || pid <= 0) {
        return 0;
    }
    return pid;
}

bool isLeftoverTemporary(const std::string& name) {
    const long owner = temporaryOwner(name);
    return owner != 0 && owner != ::getpid() && processIsGone(owner);
}

void removeLeftoverTemporaries(const fs::path& directory) {
    std::error_code error;
    const fs::path where = directory.empty() ? fs::path(".") : directory;
    for (const fs::directory_entry& entry : fs::directory_iterator(where, error)) {
        const std::string name = entry.path().filename().string();
        if (!isLeftoverTemporary(name)) {
            continue;
        }
        if (name.find(std::string("-") + kKeptAsideRole) != std::string::npos ||
            name.find(std::string("-") + kJournalRole) != std::string::npos) {
            continue; // earlier frames set aside by a run that died mid-commit: the user's data
        }
        std::error_code ignored;
        fs::remove_all(entry.path(), ignored);
    }
}

std::string writeWholeFile(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    // O_EXCL: a temporary name is ours alone; never write through someone else's file or link.
    FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
    if (file.get() < 0) {
        return describeFileError(errno);
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t result = ::write(file.get(), bytes.data() + written, bytes.size() - written);
        if (result < 0) {
            if (errno == EINTR) {
                continue;
            }
            return describeFileError(errno);
        }
        written += static_cast<std::size_t>(result);
    }
    if (::fsync(file.get()) != 0) {
        return describeFileError(errno);
    }
    if (file.release() != 0) {
        return describeFileError(errno);
    }
    return {};
}

std::string syncFile(const fs::path& path) {
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0 || ::fsync(file.get()) != 0) {
        return describeFileError(errno);
    }
    return {};
}

std::string renameFile(const fs::path& from, const fs::path& to, bool replace) {
    const unsigned int flags = replace ? 0U : RENAME_NOREPLACE;
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) == 0) {
        return {};
    }
    if (errno == EINVAL && !replace) {
        // A file system without RENAME_NOREPLACE: link() never replaces either.
        if (::link(from.c_str(), to.c_str()) == 0) {
            ::unlink(from.c_str());
            return {};
        }
    }
    return describeFileError(errno);
}

std::string diagnoseShortWrite(const fs::path& written) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(written, error);
    rlimit limit{};
    if (!error && ::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        size + 65536 >= limit.rlim_cur) {
        return describeFileError(EFBIG);
    }
    const fs::path folder = written.has_parent_path() ? written.parent_path() : fs::path(".");
    struct statvfs disk {};
    // Root may still write into the blocks reserved for it, so count what root can use.
    // A library that buffers its output stops at the last full buffer: "full" means that less
    // than one such buffer is left.
    if (::statvfs(folder.c_str(), &disk) == 0 &&
        static_cast<unsigned long long>(::geteuid() == 0 ? disk.f_bfree : disk.f_bavail) * disk.f_frsize <
            1024ULL * 1024ULL) {
        return describeFileError(ENOSPC);
    }
    return {};
}

} // namespace blurcam::app
