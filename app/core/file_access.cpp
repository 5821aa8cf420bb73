#include "file_access.hpp"

#include "output_files.hpp"
#include "quoted.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace blurcam::app {

std::string cannotOpenSentence(const std::string& path, int errorNumber) {
    std::string reason;
    switch (errorNumber) {
    case ENOENT: reason = "no such file"; break;
    case EACCES:
    case EPERM: reason = "permission denied"; break;
    case ELOOP: reason = "too many levels of symbolic links (a symbolic link loop?)"; break;
    case ENOTDIR: reason = "a part of the path is not a directory"; break;
    case ENAMETOOLONG: reason = "the name is too long"; break;
    case EISDIR: reason = "it is a directory"; break;
    case EMFILE:
    case ENFILE: reason = "too many open files"; break;
    case EIO: reason = "input/output error (a failing disk or an unplugged drive?)"; break;
    default: reason = describeFileError(errorNumber);
    }
    return "cannot open " + app::quoted(path) + ": " + reason;
}

std::string readableFileProblem(const std::string& path) {
    // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (a regular file ignores it).
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (descriptor < 0) {
        return cannotOpenSentence(path, errno);
    }
    ::close(descriptor);
    return {};
}

} // namespace blurcam::app
