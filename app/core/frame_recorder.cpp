// Recording the blurred stream: a FrameSink that writes every processed frame, scaled to the
// output size, into an MJPEG AVI on a thread of its own. Like the CLI's file writers, a recording
// is written under a hidden temporary name beside its final one and renamed into place when it
// ends, so it never writes through a link, never replaces the input, and a killed run leaves only
// a temporary that the next run removes. When the disk fills up, what is already written is kept:
// the file is cut back to its last whole frame, renamed into place and plays up to there.
//
// The AVI is written here rather than through cv::VideoWriter because VideoWriter::write()
// reports no errors: a full disk would go unnoticed (FFmpeg's muxers also buffer whole clusters,
// so the file size says nothing either). Each frame is one JPEG (cv::imencode) in one '00dc'
// chunk written with write(2), whose failure is exact; after a failure the file is cut back to
// the last whole chunk and its headers are patched in place, which needs no new space.

#include "frame_recorder.hpp"

#include "exception_words.hpp"

#include "output_files.hpp"
#include "output_frame.hpp"
#include "quoted.hpp"
#include "sink_support.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <thread>

namespace blurcam::app {
namespace {

namespace fs = std::filesystem;

std::string lowerExtension(const std::string& path) {
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

/// Little-endian RIFF building blocks.
void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) {
        out.push_back(static_cast<std::uint8_t>(value >> shift));
    }
}
void put16(std::vector<std::uint8_t>& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value));
    out.push_back(static_cast<std::uint8_t>(value >> 8));
}
void putFourcc(std::vector<std::uint8_t>& out, const char* code) {
    // Byte by byte: GCC 12 misreads a four-byte insert() here as an overflow (-Wstringop-overflow).
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<std::uint8_t>(code[i]));
    }
}

/// An AVI 1.0 file of MJPEG frames, every frame a key frame.
class AviMjpegFile {
  public:
    AviMjpegFile() = default;
    ~AviMjpegFile() { close(); }
    AviMjpegFile(const AviMjpegFile&) = delete;
    AviMjpegFile& operator=(const AviMjpegFile&) = delete;

    /// Writes the headers into temporary, the file openFrameRecorder made. "" or why not.
    std::string open(const fs::path& temporary, cv::Size size, double fps) {
        // No O_CREAT: the temporary is ours (made with O_EXCL); never follow a link put in its place.
        m_fd = ::open(temporary.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
        if (m_fd < 0) {
            return describeFileError(errno);
        }
        const auto width = static_cast<std::uint32_t>(size.width);
        const auto height = static_cast<std::uint32_t>(size.height);
        const auto rate = static_cast<std::uint32_t>(std::lround(fps * 1000.0));
        std::vector<std::uint8_t> h;
        putFourcc(h, "RIFF");
        put32(h, 0); // patched: file size - 8
        putFourcc(h, "AVI ");
        putFourcc(h, "LIST");
        put32(h, 4 + 8 + 56 + 8 + 4 + 8 + 56 + 8 + 40);
        putFourcc(h, "hdrl");
        putFourcc(h, "avih");
        put32(h, 56);
        put32(h, static_cast<std::uint32_t>(std::lround(1e6 / fps))); // microseconds per frame
        put32(h, 0);                                                  // max bytes per second
        put32(h, 0);                                                  // padding granularity
        m_flagsAt = h.size();
        put32(h, 0); // flags, patched: AVIF_HASINDEX once idx1 is written
        m_totalFramesAt = h.size();
        put32(h, 0); // total frames, patched
        put32(h, 0); // initial frames
        put32(h, 1); // streams
        put32(h, width * height * 3);
        put32(h, width);
        put32(h, height);
        for (int i = 0; i < 4; ++i) {
            put32(h, 0);
        }
        putFourcc(h, "LIST");
        put32(h, 4 + 8 + 56 + 8 + 40);
        putFourcc(h, "strl");
        putFourcc(h, "strh");
        put32(h, 56);
        putFourcc(h, "vids");
        putFourcc(h, "MJPG");
        put32(h, 0); // flags
        put16(h, 0); // priority
        put16(h, 0); // language
        put32(h, 0); // initial frames
        put32(h, 1000);
        put32(h, rate); // rate / scale = frames per second
        put32(h, 0);    // start
        m_lengthAt = h.size();
        put32(h, 0); // length in frames, patched
        put32(h, width * height * 3);
        put32(h, 0xFFFFFFFFU); // quality: default
        put32(h, 0);           // sample size: varies
        put16(h, 0);
        put16(h, 0);
        put16(h, static_cast<std::uint16_t>(width));
        put16(h, static_cast<std::uint16_t>(height));
        putFourcc(h, "strf");
        put32(h, 40); // BITMAPINFOHEADER
        put32(h, 40);
        put32(h, width);
        put32(h, height);
        put16(h, 1);
        put16(h, 24);
        putFourcc(h, "MJPG");
        put32(h, width * height * 3);
        for (int i = 0; i < 4; ++i) {
            put32(h, 0);
        }
        putFourcc(h, "LIST");
        m_moviSizeAt = h.size();
        put32(h, 4); // patched: 'movi' + chunks
        m_moviAt = h.size();
        putFourcc(h, "movi");
        if (!writeAll(h.data(), h.size())) {
            return describeFileError(errno);
        }
        m_end = h.size();
        return {};
    }

    /// Appends one JPEG. false with errno set when the file cannot take it; the file then still
    /// ends after the last whole frame.
    bool append(const std::vector<std::uint8_t>& jpeg) {
        std::vector<std::uint8_t> chunk;
        chunk.reserve(jpeg.size() + 9);
        putFourcc(chunk, "00dc");
        put32(chunk, static_cast<std::uint32_t>(jpeg.size()));
        chunk.insert(chunk.end(), jpeg.begin(), jpeg.end());
        if (chunk.size() % 2 != 0) {
            chunk.push_back(0); // RIFF chunks are word aligned
        }
        // AVI 1.0 sizes are 32-bit, and many players stop at 2 GiB.
        constexpr std::uint64_t kLimit = 2ULL << 30;
        if (m_end + chunk.size() + 16 * (m_index.size() + 1) + 8 > kLimit) {
            errno = EFBIG;
            return false;
        }
        if (!writeAll(chunk.data(), chunk.size())) {
            const int error = errno;
            cutBack();
            errno = error;
            return false;
        }
        m_index.emplace_back(static_cast<std::uint32_t>(m_end - m_moviAt), static_cast<std::uint32_t>(jpeg.size()));
        m_end += chunk.size();
        return true;
    }

    /// Writes the index (when there is room) and the sizes; the file plays either way.
    void close() {
        if (m_fd < 0) {
            return;
        }
        const std::uint64_t moviEnd = m_end;
        std::vector<std::uint8_t> index;
        putFourcc(index, "idx1");
        put32(index, static_cast<std::uint32_t>(16 * m_index.size()));
        for (const auto& [offset, size] : m_index) {
            putFourcc(index, "00dc");
            put32(index, 0x10); // AVIIF_KEYFRAME
            put32(index, offset);
            put32(index, size);
        }
        const bool indexed = writeAll(index.data(), index.size());
        if (indexed) {
            m_end += index.size();
        } else {
            cutBack();
        }
        patch(4, static_cast<std::uint32_t>(m_end - 8));
        patch(m_moviSizeAt, static_cast<std::uint32_t>(moviEnd - m_moviAt));
        patch(m_totalFramesAt, static_cast<std::uint32_t>(m_index.size()));
        patch(m_lengthAt, static_cast<std::uint32_t>(m_index.size()));
        patch(m_flagsAt, indexed ? 0x10U : 0U); // AVIF_HASINDEX
        ::close(m_fd);
        m_fd = -1;
    }

    [[nodiscard]] std::size_t frames() const { return m_index.size(); }

  private:
    bool writeAll(const std::uint8_t* data, std::size_t size) {
        while (size > 0) {
            const ssize_t written = ::write(m_fd, data, size);
            if (written < 0 && errno == EINTR) {
                continue;
            }
            if (written <= 0) {
                if (written == 0) {
                    errno = ENOSPC;
                }
                return false;
            }
            data += written;
            size -= static_cast<std::size_t>(written);
        }
        return true;
    }
    /// Drops a partly written chunk: the file ends after the last whole one.
    void cutBack() {
        if (::ftruncate(m_fd, static_cast<off_t>(m_end)) == 0) {
            ::lseek(m_fd, static_cast<off_t>(m_end), SEEK_SET);
        }
    }
    void patch(std::size_t at, std::uint32_t value) {
        std::vector<std::uint8_t> bytes;
        put32(bytes, value);
        // Overwrites bytes that exist: needs no space, so it works on a full disk too.
        [[maybe_unused]] const ssize_t ignored = ::pwrite(m_fd, bytes.data(), 4, static_cast<off_t>(at));
    }

    int m_fd = -1;
    std::uint64_t m_end = 0;   ///< bytes of whole chunks written
    std::size_t m_flagsAt = 0; ///< header fields patched at close()
    std::size_t m_totalFramesAt = 0;
    std::size_t m_lengthAt = 0;
    std::size_t m_moviSizeAt = 0;
    std::size_t m_moviAt = 0;                                     ///< where 'movi' starts: idx1 offsets count from it
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_index; ///< offset, size per frame
};

class FrameRecorder final : public FrameSink {
  public:
    FrameRecorder(std::string path, fs::path temporary, bool overwrite, const SinkOptions& options)
        : m_path(std::move(path)), m_temporary(std::move(temporary)), m_overwrite(overwrite), m_options(options),
          m_board(options.onStatus) {
        m_thread = std::thread([this] { run(); });
    }
    ~FrameRecorder() override {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    FrameRecorder(const FrameRecorder&) = delete;
    FrameRecorder& operator=(const FrameRecorder&) = delete;

    void submit(const cv::Mat& rgba, cv::Size sourceSize, std::chrono::steady_clock::time_point /*captured*/) override {
        ++m_board.framesSubmitted;
        {
            const std::lock_guard lock(m_mutex);
            if (m_finished) {
                return;
            }
            // A slow disk never holds up processing: past a few frames behind, frames are
            // dropped and counted.
            if (m_queue.size() >= kMaxQueued) {
                m_board.frameDropped();
                return;
            }
            if (m_size.area() == 0) {
                m_size = m_options.size.area() > 0 ? m_options.size : sourceSize;
            }
            m_queue.push_back(rgba.clone());
        }
        m_wake.notify_all();
    }
    [[nodiscard]] SinkStatus status() const override { return m_board.snapshot(); }
    [[nodiscard]] std::string description() const override { return m_path; }

  private:
    static constexpr std::size_t kMaxQueued = 8;

    /// The thread. Nothing may escape it (that would be std::terminate). A frame that cannot be
    /// encoded ends the recording inside record(), which keeps the frames before it; anything else
    /// that throws stops the recording with its error, and the unfinished temporary is removed
    /// (closed as the stack unwound), so nothing half written is left.
    void run() {
        try {
            record();
        } catch (const std::exception& error) {
            stopWith(inWords(error, "the recording"));
        } catch (...) {
            stopWith("an unexpected error");
        }
    }

    void stopWith(const std::string& cause) noexcept {
        try {
            m_board.update(false, 0, "recording to " + app::quoted(m_path) + " stopped: " + cause,
                           m_board.snapshot().format);
        } catch (...) { // onStatus or the message itself failed: there is no one left to tell
        }
        std::error_code ignored;
        fs::remove(m_temporary, ignored);
        const std::lock_guard lock(m_mutex);
        m_finished = true;
        m_queue.clear();
    }

    void record() {
        AviMjpegFile file;
        bool opened = false;
        cv::Mat bgr;
        std::vector<std::uint8_t> scaled;
        std::vector<std::uint8_t> jpeg;
        for (;;) {
            cv::Mat frame;
            cv::Size size;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
                if (m_queue.empty()) {
                    break; // stopped, and everything submitted is written
                }
                frame = std::move(m_queue.front());
                m_queue.pop_front();
                size = m_size;
            }
            if (!opened) {
                if (std::string error = file.open(m_temporary, size, std::clamp(m_options.fps, 1.0, 240.0));
                    !error.empty()) {
                    m_board.update(false, 0, "cannot record to " + app::quoted(m_path) + ": " + error, {});
                    break;
                }
                opened = true;
                m_board.update(true, 0, {}, "MJPEG " + std::to_string(size.width) + "x" + std::to_string(size.height));
            }
            try {
                const std::size_t stride = packedRowBytes(OutputPixelFormat::Bgrx, size.width);
                scaled.resize(stride * static_cast<std::size_t>(size.height));
                renderOutput(frame, size, m_options.mirror, OutputPixelFormat::Bgrx, scaled.data(), stride);
                cv::cvtColor(cv::Mat(size, CV_8UC4, scaled.data()), bgr, cv::COLOR_BGRA2BGR);
                cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
            } catch (const std::exception& error) {
                // The frames before this one are whole: they are kept and renamed into place below.
                m_board.update(false, 0,
                               "recording to " + app::quoted(m_path) +
                                   " stopped: " + inWords(error, "frame " + std::to_string(file.frames() + 1)) +
                                   " (the " + std::to_string(file.frames()) + " frames before are kept and play)",
                               {});
                break;
            }
            if (!file.append(jpeg)) {
                const int error = errno;
                const bool full = error == ENOSPC || error == EFBIG || error == EDQUOT;
                m_board.update(false, 0,
                               "recording to " + app::quoted(m_path) +
                                   " stopped: " + (full ? std::string("the disk is full") : describeFileError(error)) +
                                   " (the " + std::to_string(file.frames()) + " frames before are kept and play)",
                               {});
                break;
            }
            ++m_board.framesSent;
        }
        const std::size_t frames = file.frames();
        file.close();
        const SinkStatus last = m_board.snapshot();
        std::string error = last.error;
        if (frames > 0) {
            std::string cause = syncFile(m_temporary);
            if (cause.empty()) {
                cause = renameFile(m_temporary, m_path, m_overwrite);
            }
            if (!cause.empty()) {
                error = "cannot record to " + app::quoted(m_path) + ": " + cause + "; nothing was recorded";
            }
        } else if (error.empty()) {
            error = "nothing was recorded to " + app::quoted(m_path) + ": no frame arrived";
        }
        std::error_code ignored;
        fs::remove(m_temporary, ignored); // gone already unless the recording failed
        // "Finished": connected goes false, so onStatus hears the final frame count (and why not).
        m_board.update(false, 0, error, last.format);
        const std::lock_guard lock(m_mutex);
        m_finished = true;
        m_queue.clear();
    }

    std::string m_path;
    fs::path m_temporary; ///< the hidden name written until the recording ends
    bool m_overwrite = false;
    SinkOptions m_options;
    detail::StatusBoard m_board;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<cv::Mat> m_queue;
    cv::Size m_size{0, 0};
    bool m_stop = false;
    bool m_finished = false;
    std::thread m_thread; ///< last: started once everything above exists
};

} // namespace

std::string recordingNameProblem(const std::string& path) {
    if (lowerExtension(path) != ".avi") {
        return "cannot record to " + app::quoted(path) +
               ": recordings are MJPEG .avi files (they play even when cut short by a full disk)";
    }
    return {};
}

OpenedSink openFrameRecorder(const std::string& path, const SinkOptions& options, const RecordingRules& rules) {
    if (std::string problem = recordingNameProblem(path); !problem.empty()) {
        return {nullptr, std::move(problem)};
    }
    const fs::path destination(path);
    std::error_code error;
    for (const fs::path& file : rules.protectedFiles) {
        if (fs::equivalent(destination, file, error) && !error) {
            return {nullptr, "--record " + app::quoted(path) + " is the input file; record somewhere else", true};
        }
    }
    const fs::file_status status = fs::symlink_status(destination, error);
    if (fs::is_directory(fs::status(destination, error))) {
        return {nullptr, "cannot record to " + app::quoted(path) + ": it is a folder"};
    }
    if (fs::exists(status) && !rules.overwrite) {
        return {nullptr,
                "--record " + app::quoted(path) +
                    " already exists; add --overwrite to replace it when the recording ends, or choose another name",
                true};
    }
    removeLeftoverTemporaries(destination.parent_path());
    // Made now, so a folder that is missing or not writable fails before the stream starts.
    const fs::path temporary = temporaryNameFor(destination);
    if (std::string cause = writeWholeFile(temporary, {}); !cause.empty()) {
        return {nullptr, "cannot record to " + app::quoted(path) + ": " + cause};
    }
    // With a file size limit (ulimit -f), going past it sends SIGXFSZ, which would end blurcam;
    // ignored, the write fails with EFBIG instead and the recording stops with a message.
    std::signal(SIGXFSZ, SIG_IGN);
    return {std::make_unique<FrameRecorder>(path, temporary, rules.overwrite, options), {}};
}

} // namespace blurcam::app
