#include "frame_writer.hpp"

#include "frame_convert.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

namespace blurcam::app {
namespace {

namespace fs = std::filesystem;

// Built by appending rather than `"'" + path.string() + "'"`: GCC 12 at -O2/-O3 reports a bogus
// -Wrestrict overlap inside libstdc++ for a literal prepended to a temporary string.
std::string inQuotes(const fs::path& path) {
    std::string quoted = "'";
    quoted += path.string();
    quoted += '\'';
    return quoted;
}

std::string lowerExtension(const fs::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

std::string count(long long n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void removeQuietly(const fs::path& path) {
    std::error_code ignored;
    fs::remove(path, ignored);
}

/// Encodes for the extension: PNG keeps alpha; JPEG and BMP have none, so it is dropped.
bool encode(const std::string& extension, const cv::Mat& rgba, std::vector<std::uint8_t>& bytes) {
    const cv::Mat pixels = extension == ".png" ? rgbaToBgra(rgba) : rgbaToBgr(rgba);
    try {
        return cv::imencode(extension, pixels, bytes);
    } catch (const cv::Exception&) {
        return false;
    }
}

/// Writes bytes to path; "" or one sentence.
std::string writeBytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        return "cannot create " + inQuotes(path);
    }
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
        return "cannot write " + inQuotes(path) + " (disk full?)";
    }
    return {};
}

std::string commitTemporary(const fs::path& temporary, const fs::path& path) {
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        removeQuietly(temporary);
        return "cannot write " + inQuotes(path) + ": " + error.message();
    }
    return {};
}

class ImageWriter final : public FrameWriter {
  public:
    explicit ImageWriter(fs::path path) : m_path(std::move(path)) {}

    bool write(const cv::Mat& rgba) override {
        m_last = rgba.clone();
        ++m_frames;
        return true;
    }
    bool finish() override {
        if (m_last.empty()) {
            m_error = "no frame to write to " + inQuotes(m_path);
            return false;
        }
        m_error = writeImageAtomically(m_path, m_last);
        return m_error.empty();
    }
    void discard() override { m_last.release(); }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] long long framesWritten() const override { return m_frames; }
    [[nodiscard]] std::string description() const override {
        return m_path.string() + (m_frames > 1 ? " (the last of " + std::to_string(m_frames) + " frames)" : "");
    }

  private:
    fs::path m_path;
    cv::Mat m_last;
    long long m_frames = 0;
    std::string m_error;
};

/// Frames go to a hidden staging directory inside the destination and are renamed into place
/// at finish(), so a failed run leaves the destination as it found it.
class DirectoryWriter final : public FrameWriter {
  public:
    explicit DirectoryWriter(fs::path directory) : m_directory(std::move(directory)) {}
    ~DirectoryWriter() override {
        if (!m_finished) {
            discard();
        }
    }

    bool write(const cv::Mat& rgba) override {
        if (!m_error.empty()) {
            return false;
        }
        if (m_staging.empty() && !createStaging()) {
            return false;
        }
        std::vector<std::uint8_t> bytes;
        if (!encode(".png", rgba, bytes)) {
            m_error = "cannot encode frame " + std::to_string(m_frames) + " as PNG";
            return false;
        }
        const fs::path file = m_staging / frameName(m_frames);
        if (std::string error = writeBytes(file, bytes); !error.empty()) {
            m_error = std::move(error);
            return false;
        }
        ++m_frames;
        return true;
    }
    bool finish() override {
        if (!m_error.empty() || m_staging.empty()) {
            if (m_error.empty()) {
                m_error = "no frame to write to " + inQuotes(m_directory);
            }
            discard();
            return false;
        }
        for (long long index = 0; index < m_frames; ++index) {
            std::error_code error;
            fs::rename(m_staging / frameName(index), m_directory / frameName(index), error);
            if (error) {
                m_error = "cannot write " + inQuotes(m_directory / frameName(index)) + ": " + error.message();
                for (long long moved = 0; moved < index; ++moved) {
                    removeQuietly(m_directory / frameName(moved));
                }
                discard();
                return false;
            }
        }
        std::error_code ignored;
        fs::remove_all(m_staging, ignored);
        m_finished = true;
        return true;
    }
    void discard() override {
        std::error_code ignored;
        if (!m_staging.empty()) {
            fs::remove_all(m_staging, ignored);
            m_staging.clear();
        }
        if (m_createdDirectory) {
            fs::remove(m_directory, ignored); // only succeeds while empty, which it is
            m_createdDirectory = false;
        }
    }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] long long framesWritten() const override { return m_frames; }
    [[nodiscard]] std::string description() const override {
        return m_directory.string() + "/ (" + count(m_frames, "PNG file") + ", frame_000000.png...)";
    }

  private:
    static std::string frameName(long long index) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%06lld.png", index);
        return name;
    }
    bool createStaging() {
        std::error_code error;
        if (!fs::exists(m_directory, error)) {
            fs::create_directories(m_directory, error);
            if (error) {
                m_error = "cannot create directory " + inQuotes(m_directory) + ": " + error.message();
                return false;
            }
            m_createdDirectory = true;
        }
        const fs::path staging = temporaryNameFor(m_directory / "frames");
        fs::create_directory(staging, error);
        if (error) {
            m_error = "cannot write into directory " + inQuotes(m_directory) + ": " + error.message();
            discard();
            return false;
        }
        m_staging = staging;
        return true;
    }

    fs::path m_directory;
    fs::path m_staging;
    bool m_createdDirectory = false;
    bool m_finished = false;
    long long m_frames = 0;
    std::string m_error;
};

class VideoWriter final : public FrameWriter {
  public:
    VideoWriter(fs::path path, double fps) : m_path(std::move(path)), m_fps(fps > 0.0 ? fps : 30.0) {}
    ~VideoWriter() override {
        if (!m_finished) {
            discard();
        }
    }

    bool write(const cv::Mat& rgba) override {
        if (!m_error.empty()) {
            return false;
        }
        if (!m_writer.isOpened()) {
            m_temporary = temporaryNameFor(m_path);
            m_size = rgba.size();
            const std::string extension = lowerExtension(m_path);
            const int fourcc = extension == ".mp4" ? cv::VideoWriter::fourcc('m', 'p', '4', 'v')
                                                   : cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
            bool opened = false;
            try {
                opened = m_writer.open(m_temporary.string(), cv::CAP_FFMPEG, fourcc, m_fps, m_size, true);
            } catch (const cv::Exception&) {
                opened = false;
            }
            if (!opened) {
                m_error = "cannot create video " + inQuotes(m_path) + " (" + std::to_string(m_size.width) + "x" +
                          std::to_string(m_size.height) + "; no encoder for it, or the directory is not writable)";
                discard();
                return false;
            }
        }
        if (rgba.size() != m_size) {
            m_error = "frame " + std::to_string(m_frames) + " is " + std::to_string(rgba.cols) + "x" +
                      std::to_string(rgba.rows) + " but " + inQuotes(m_path) + " was started at " +
                      std::to_string(m_size.width) + "x" + std::to_string(m_size.height);
            return false;
        }
        m_writer.write(rgbaToBgr(rgba));
        ++m_frames;
        return true;
    }
    bool finish() override {
        if (!m_error.empty() || !m_writer.isOpened()) {
            if (m_error.empty()) {
                m_error = "no frame to write to " + inQuotes(m_path);
            }
            discard();
            return false;
        }
        m_writer.release();
        std::error_code error;
        if (fs::file_size(m_temporary, error) == 0 || error) {
            m_error = "cannot write video " + inQuotes(m_path) + " (the encoder produced nothing)";
            discard();
            return false;
        }
        m_error = commitTemporary(m_temporary, m_path);
        m_finished = m_error.empty();
        return m_finished;
    }
    void discard() override {
        m_writer.release();
        if (!m_temporary.empty()) {
            removeQuietly(m_temporary);
            m_temporary.clear();
        }
    }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] long long framesWritten() const override { return m_frames; }
    [[nodiscard]] std::string description() const override {
        return m_path.string() + " (" + count(m_frames, "frame") + ", " + std::to_string(m_size.width) + "x" +
               std::to_string(m_size.height) + ")";
    }

  private:
    fs::path m_path;
    double m_fps = 30.0;
    cv::VideoWriter m_writer;
    fs::path m_temporary;
    cv::Size m_size;
    bool m_finished = false;
    long long m_frames = 0;
    std::string m_error;
};

} // namespace

std::optional<OutputKind> classifyOutput(const std::string& path) {
    if (path.empty()) {
        return std::nullopt;
    }
    std::error_code ignored;
    if (path.back() == '/' || fs::is_directory(path, ignored)) {
        return OutputKind::Directory;
    }
    const std::string extension = lowerExtension(path);
    if (extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp") {
        return OutputKind::Image;
    }
    if (extension == ".mp4" || extension == ".avi" || extension == ".mkv") {
        return OutputKind::Video;
    }
    return std::nullopt;
}

fs::path temporaryNameFor(const fs::path& path) {
    static std::atomic<int> counter{0};
    // Appended piece by piece for the same GCC 12 -Wrestrict false positive as inQuotes().
    std::string name = ".";
    name += path.stem().string();
    name += ".blurcam-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    name += path.extension().string();
    return path.parent_path() / name;
}

std::string writeImageAtomically(const fs::path& path, const cv::Mat& rgba) {
    std::vector<std::uint8_t> bytes;
    const std::string extension = lowerExtension(path);
    if (rgba.type() != CV_8UC4 || rgba.empty() || !encode(extension, rgba, bytes)) {
        return "cannot encode an image for " + inQuotes(path) + " (use .png, .jpg or .bmp)";
    }
    const fs::path temporary = temporaryNameFor(path);
    if (std::string error = writeBytes(temporary, bytes); !error.empty()) {
        removeQuietly(temporary);
        return "cannot write " + inQuotes(path) + " (is the directory there and writable?)";
    }
    return commitTemporary(temporary, path);
}

OpenedWriter openFrameWriter(const std::string& path, OutputKind kind, double fps) {
    switch (kind) {
    case OutputKind::Image: return {std::make_unique<ImageWriter>(path), {}};
    case OutputKind::Directory: {
        std::string directory = path;
        while (directory.size() > 1 && directory.back() == '/') {
            directory.pop_back();
        }
        std::error_code ignored;
        if (fs::exists(directory, ignored) && !fs::is_directory(directory, ignored)) {
            return {nullptr, inQuotes(directory) + " exists and is not a directory"};
        }
        return {std::make_unique<DirectoryWriter>(directory), {}};
    }
    case OutputKind::Video: return {std::make_unique<VideoWriter>(path, fps), {}};
    }
    return {nullptr, "unknown output kind for " + inQuotes(path)};
}

} // namespace blurcam::app
