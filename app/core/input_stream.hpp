#pragma once
// Inputs that are not regular files: a pipe on standard input ("-" or /dev/stdin) and named pipes
// (FIFOs). They can be read once, from the start, and never sought. So blurcam reads the first
// bytes itself, tells an image from a video by them, and then gives the video decoder those bytes
// followed by the rest of the stream: no library probes the pipe and eats its header. Waiting for
// the first byte is bounded, so a FIFO that no program writes to never hangs blurcam.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace blurcam::app {

struct OpenedInputStream;

class InputStream {
  public:
    /// Owns descriptor; the head is read by openInputStream.
    InputStream(int descriptor, std::string name);
    ~InputStream();
    InputStream(const InputStream&) = delete;
    InputStream& operator=(const InputStream&) = delete;

    /// The bytes read so far to recognise the format (the start of the stream).
    [[nodiscard]] const std::vector<std::uint8_t>& head() const { return m_head; }
    /// For sentences: "standard input" or the quoted path.
    [[nodiscard]] const std::string& name() const { return m_name; }

    /// The stream from its first byte: the head again, then what follows. Returns the number of
    /// bytes (0 at the end) or -1 with errno set.
    long read(std::uint8_t* buffer, std::size_t size);

    /// Everything from the first byte to the end into bytes. "" on success; otherwise one sentence
    /// (the stream failed, or it is longer than limit bytes).
    [[nodiscard]] std::string readAll(std::vector<std::uint8_t>& bytes, std::uint64_t limit);

  private:
    friend OpenedInputStream openInputStream(const std::string& path, int waitMs, std::size_t headBytes);
    long readDescriptor(std::uint8_t* buffer, std::size_t size);

    int m_descriptor = -1;
    std::string m_name;
    std::vector<std::uint8_t> m_head;
    std::size_t m_headServed = 0;
};

struct OpenedInputStream {
    std::unique_ptr<InputStream> stream; ///< null on failure
    std::string error;                   ///< one sentence naming the input
};

/// Whether path ("-" for standard input) must be read as a stream: a pipe, a FIFO, or "-"
/// that is not a regular file. A regular file redirected to standard input is read as a file.
[[nodiscard]] bool isStreamInput(const std::string& path);

/// Opens the stream, waits at most waitMs for its first byte, then reads up to headBytes (fewer
/// when the stream ends first). An empty stream, a terminal, or a FIFO nobody writes to within
/// waitMs is an error.
[[nodiscard]] OpenedInputStream openInputStream(const std::string& path, int waitMs, std::size_t headBytes);

/// How "-" is named in sentences, and the path a regular file on standard input is opened by.
inline constexpr const char* kStandardInputName = "standard input";
inline constexpr const char* kStandardInputPath = "/dev/stdin";

} // namespace blurcam::app
