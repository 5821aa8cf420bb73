#include "input_stream.hpp"

#include "file_access.hpp"
#include "quoted.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace blurcam::app {
namespace {

bool isStandardInput(const std::string& path) {
    return path == "-";
}

std::string nameOf(const std::string& path) {
    return isStandardInput(path) ? std::string(kStandardInputName) : app::quoted(path);
}

std::string failedSentence(const std::string& name) {
    return "cannot read " + name + " (the pipe failed)";
}

} // namespace

InputStream::InputStream(int descriptor, std::string name) : m_descriptor(descriptor), m_name(std::move(name)) {}

InputStream::~InputStream() {
    if (m_descriptor >= 0) {
        ::close(m_descriptor);
    }
}

long InputStream::read(std::uint8_t* buffer, std::size_t size) {
    if (m_headServed < m_head.size()) {
        const std::size_t count = std::min(size, m_head.size() - m_headServed);
        std::memcpy(buffer, m_head.data() + m_headServed, count);
        m_headServed += count;
        return static_cast<long>(count);
    }
    return readDescriptor(buffer, size);
}

long InputStream::readDescriptor(std::uint8_t* buffer, std::size_t size) {
    for (;;) {
        const ssize_t got = ::read(m_descriptor, buffer, size);
        if (got >= 0 || errno != EINTR) {
            return static_cast<long>(got);
        }
    }
}

std::string InputStream::readAll(std::vector<std::uint8_t>& bytes, std::uint64_t limit) {
    bytes.clear();
    std::vector<std::uint8_t> chunk(std::size_t{1} << 16);
    for (;;) {
        const long got = read(chunk.data(), chunk.size());
        if (got == 0) {
            return {};
        }
        if (got < 0) {
            return failedSentence(m_name);
        }
        if (bytes.size() + static_cast<std::uint64_t>(got) > limit) {
            return m_name + " is longer than any image blurcam accepts (more than " + std::to_string(limit >> 20) +
                   " MiB)";
        }
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
    }
}

bool isStreamInput(const std::string& path) {
    struct stat status {};
    if (isStandardInput(path)) {
        return ::fstat(STDIN_FILENO, &status) != 0 || !S_ISREG(status.st_mode);
    }
    return ::stat(path.c_str(), &status) == 0 && S_ISFIFO(status.st_mode);
}

OpenedInputStream openInputStream(const std::string& path, int waitMs, std::size_t headBytes) {
    const std::string name = nameOf(path);
    int descriptor = -1;
    if (isStandardInput(path)) {
        struct stat status {};
        if (::fstat(STDIN_FILENO, &status) != 0) {
            return {nullptr, "standard input is closed; pipe an image or video into it"};
        }
        if (::isatty(STDIN_FILENO) != 0) {
            return {nullptr, "standard input is a terminal; pipe an image or video into it (--input - < clip.mp4)"};
        }
        descriptor = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    } else {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer without end.
        descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    }
    if (descriptor < 0) {
        return {nullptr, cannotOpenSentence(path, errno)};
    }
    // Owns the descriptor from here on: every early return below closes it.
    auto stream = std::make_unique<InputStream>(descriptor, name);
    // Until a program writes, a FIFO without writers polls as neither readable nor hung up.
    pollfd waiting{descriptor, POLLIN, 0};
    int ready = 0;
    do {
        ready = ::poll(&waiting, 1, std::max(0, waitMs));
    } while (ready < 0 && errno == EINTR);
    if (ready == 0) {
        const std::string seconds = std::to_string((waitMs + 999) / 1000);
        return {nullptr, name + (isStandardInput(path) ? "" : " is a named pipe and") + " received no data within " +
                             seconds + " s (is the program that should write to it running?)"};
    }
    if (ready < 0) {
        return {nullptr, failedSentence(name)};
    }
    // From here on a read waits for data as a read of a pipe normally does.
    const int flags = ::fcntl(descriptor, F_GETFL);
    if (flags < 0 || ::fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        return {nullptr, failedSentence(name)};
    }
    std::vector<std::uint8_t>& head = stream->m_head;
    head.resize(headBytes);
    std::size_t filled = 0;
    while (filled < head.size()) {
        const long got = stream->readDescriptor(head.data() + filled, head.size() - filled);
        if (got < 0) {
            return {nullptr, failedSentence(name)};
        }
        if (got == 0) {
            break;
        }
        filled += static_cast<std::size_t>(got);
    }
    if (filled == 0) {
        return {nullptr, name + " is empty (0 bytes)"};
    }
    head.resize(filled);
    return {std::move(stream), {}};
}

} // namespace blurcam::app
