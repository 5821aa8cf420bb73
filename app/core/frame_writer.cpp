#include "frame_writer.hpp"

#include "frame_convert.hpp"
#include "opencv_calls.hpp"
#include "quoted.hpp"
#include "writer_kinds.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <system_error>

namespace blurcam::app {
namespace detail {

namespace fs = std::filesystem;

std::string lowerExtension(const fs::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

std::string countOf(long long n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string frameFileName(long long index) {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%06lld.png", index);
    return name;
}

bool isFrameFile(const fs::directory_entry& entry) {
    std::error_code error;
    if (!entry.is_regular_file(error)) {
        return false;
    }
    const std::string name = entry.path().filename().string();
    constexpr std::string_view kPrefix = "frame_";
    constexpr std::string_view kSuffix = ".png";
    if (name.size() < kPrefix.size() + 6 + kSuffix.size() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) {
        return false;
    }
    const auto digits = std::string_view(name).substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    return std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool encodeImage(const std::string& extension, const cv::Mat& rgba, std::vector<std::uint8_t>& bytes) {
    const cv::Mat pixels = extension == ".png" ? rgbaToBgra(rgba) : rgbaToBgr(rgba);
    return app::encodeImage(pixels, extension, "the frame", bytes).ok;
}

} // namespace detail

namespace {

namespace fs = std::filesystem;
using detail::lowerExtension;

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
            m_error = "no frame to write to " + app::quoted(m_path);
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

std::string withoutTrailingSlashes(std::string path) {
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    return path;
}

bool sameFile(const fs::path& a, const fs::path& b) {
    std::error_code error;
    return fs::equivalent(a, b, error) && !error;
}

/// The input among the files a directory run would write or (with --overwrite) replace.
std::string protectedFrameIn(const fs::path& directory, const std::vector<fs::path>& protectedFiles) {
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
        if (!detail::isFrameFile(entry)) {
            continue;
        }
        for (const fs::path& file : protectedFiles) {
            if (sameFile(entry.path(), file)) {
                return entry.path().filename().string();
            }
        }
    }
    return {};
}

long long countFramesIn(const fs::path& directory) {
    long long frames = 0;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
        frames += detail::isFrameFile(entry) ? 1 : 0;
    }
    return frames;
}

OpenedWriter conflict(std::string error) {
    return {nullptr, std::move(error), true};
}

OpenedWriter openDirectory(const std::string& path, const WriterOptions& options) {
    const fs::path directory = withoutTrailingSlashes(path);
    std::error_code error;
    const fs::file_status status = fs::status(directory, error);
    if (fs::exists(status) && !fs::is_directory(status)) {
        return {nullptr, app::quoted(directory) + " exists and is not a folder"};
    }
    detail::FolderLock lock;
    if (fs::is_directory(status)) {
        if (!lock.take(directory)) {
            return conflict(detail::folderBusySentence(directory));
        }
        if (std::string problem = detail::recoverInterruptedCommits(directory); !problem.empty()) {
            return {nullptr, problem};
        }
        removeLeftoverTemporaries(directory);
        if (const std::string input = protectedFrameIn(directory, options.protectedFiles); !input.empty()) {
            return conflict("the input " + app::quoted(directory / input) + " is one of the frames --output " +
                            app::quoted(path) + " would replace; write the frames to another folder");
        }
        if (const long long frames = countFramesIn(directory); frames > 0 && !options.overwrite) {
            return conflict("--output " + app::quoted(path) + " already holds " + detail::countOf(frames, "frame") +
                            " (frame_000000.png...) from an earlier run; add --overwrite to replace them once "
                            "this run succeeds, or choose an empty folder");
        }
    }
    return {detail::makeDirectoryWriter(directory, options.overwrite, std::move(lock)), {}};
}

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

std::string writeImageAtomically(const fs::path& path, const cv::Mat& rgba) {
    std::vector<std::uint8_t> bytes;
    const std::string extension = lowerExtension(path);
    if (rgba.type() != CV_8UC4 || rgba.empty() || !detail::encodeImage(extension, rgba, bytes)) {
        return "cannot encode an image for " + app::quoted(path) + " (use .png, .jpg or .bmp)";
    }
    const fs::path temporary = temporaryNameFor(path);
    std::string cause = writeWholeFile(temporary, bytes);
    if (cause.empty()) {
        cause = renameFile(temporary, path, true);
    }
    if (!cause.empty()) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        return "cannot write " + app::quoted(path) + ": " + cause;
    }
    return {};
}

OpenedWriter openFrameWriter(const std::string& path, OutputKind kind, const WriterOptions& options) {
    const fs::path destination = withoutTrailingSlashes(path);
    for (const fs::path& file : options.protectedFiles) {
        if (sameFile(destination, file)) {
            return conflict("--output " + app::quoted(path) + " is the input file; write somewhere else");
        }
    }
    switch (kind) {
    case OutputKind::Image:
        removeLeftoverTemporaries(destination.parent_path());
        return {std::make_unique<ImageWriter>(destination), {}};
    case OutputKind::Directory: return openDirectory(path, options);
    case OutputKind::Video:
        removeLeftoverTemporaries(destination.parent_path());
        return {detail::makeVideoWriter(destination, options.fps), {}};
    }
    return {nullptr, "unknown output kind for " + app::quoted(path)};
}

} // namespace blurcam::app
