#include "frame_source.hpp"

#include "constants.hpp"
#include "exif_orientation.hpp"
#include "file_access.hpp"
#include "frame_convert.hpp"
#include "image_header_checks.hpp"
#include "input_stream.hpp"
#include "opencv_calls.hpp"
#include "pending_open.hpp"
#include "pipewire_source.hpp"
#include "quoted.hpp"
#include "v4l2_devices.hpp"
#include "video_file_input.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace blurcam::app {
namespace {

namespace fs = std::filesystem;

std::string lowerExtension(const std::string& path) {
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

bool isImageExtension(const std::string& extension) {
    return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp";
}

/// Two warnings as one line: a summary shows at most one line of warning per source.
std::string joinedSentences(const std::string& first, const std::string& second) {
    if (first.empty() || second.empty()) {
        return first.empty() ? second : first;
    }
    return first + "; " + second;
}

/// Bytes read from the start of a file or pipe to tell an image from a video and check an
/// image's header before the rest is read: enough for any image header blurcam checks.
constexpr std::size_t kHeadBytes = std::size_t{1} << 16;

/// Reads a file from its start until bytes holds atMost bytes or the file ends. What bytes holds
/// already is taken to be the file's first bytes, read earlier, and is not read again. An error
/// sentence when it cannot.
std::string readFile(const std::string& path, std::vector<std::uint8_t>& bytes, std::uint64_t atMost) {
    std::ifstream in(path, std::ios::binary);
    if (!in || !in.seekg(static_cast<std::streamoff>(bytes.size()))) {
        return "cannot read " + app::quoted(path);
    }
    std::vector<char> chunk(kHeadBytes);
    while (bytes.size() < atMost && in) {
        const auto wanted = static_cast<std::streamsize>(std::min<std::uint64_t>(chunk.size(), atMost - bytes.size()));
        in.read(chunk.data(), wanted);
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + in.gcount());
    }
    if (in.bad()) {
        return "cannot read " + app::quoted(path);
    }
    return {};
}

// ---------------------------------------------------------------------------------------------

class PatternSource final : public FrameSource {
  public:
    explicit PatternSource(cv::Size size) : m_size(size) {}

    ReadStatus read(cv::Mat& rgba) override {
        rgba = renderTestPattern(m_size, m_frameIndex++);
        return ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return "pattern"; }
    [[nodiscard]] std::string error() const override { return {}; }
    [[nodiscard]] double framesPerSecond() const override { return kDefaultFramesPerSecond; }

  private:
    cv::Size m_size;
    long long m_frameIndex = 0;
};

class ImageSource final : public FrameSource {
  public:
    ImageSource(std::string path, cv::Mat rgba, bool loop, std::string warning)
        : m_path(std::move(path)), m_rgba(std::move(rgba)), m_loop(loop), m_warning(std::move(warning)) {}

    ReadStatus read(cv::Mat& rgba) override {
        if (m_delivered && !m_loop) {
            return ReadStatus::EndOfStream;
        }
        m_delivered = true;
        rgba = m_rgba.clone(); // callers may write into the frame
        return ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return m_path; }
    [[nodiscard]] std::string error() const override { return {}; }
    [[nodiscard]] std::string warning() const override { return m_warning; }
    [[nodiscard]] double framesPerSecond() const override { return 0.0; }

  private:
    std::string m_path;
    cv::Mat m_rgba;
    bool m_loop = false;
    bool m_delivered = false;
    std::string m_warning;
};

class VideoSource final : public FrameSource {
  public:
    VideoSource(std::string path, std::string name, std::unique_ptr<VideoFileInput> input, bool loop,
                std::string openWarning)
        : m_path(std::move(path)), m_name(std::move(name)), m_input(std::move(input)), m_loop(loop),
          m_openWarning(std::move(openWarning)) {
        m_fps = m_input->framesPerSecond();
    }

    ReadStatus read(cv::Mat& rgba) override {
        cv::Mat decoded;
        // A frame fails only when the decoder fails on it; the end of the stream is the end of
        // the file, not a frame count from the container. The decoder gives RGBA.
        const FrameRead got = m_input->read(decoded, m_position + 1);
        if (got.kind == FrameReadKind::Nothing) {
            return endOfPass(rgba);
        }
        ++m_position;
        if (got.kind == FrameReadKind::Broken) {
            m_error = got.error;
            return ReadStatus::BadFrame;
        }
        if (got.complained && m_concealedFrames++ == 0) {
            m_firstConcealedFrame = m_position;
        }
        m_goodFrameThisPass = true;
        rgba = std::move(decoded);
        return ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return m_path; }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] std::string warning() const override {
        std::string damage = m_openWarning;
        if (m_concealedFrames > 0) {
            damage = m_name + " has damaged data: the decoder reported errors in " + std::to_string(m_concealedFrames) +
                     (m_concealedFrames == 1 ? " frame" : " frames") + " (first: frame " +
                     std::to_string(m_firstConcealedFrame) + ") and concealed them; they were used as decoded";
        }
        return joinedSentences(damage, m_input->warning());
    }
    [[nodiscard]] double framesPerSecond() const override { return m_fps > 0.0 && m_fps < 1000.0 ? m_fps : 0.0; }

  private:
    ReadStatus endOfPass(cv::Mat& rgba) {
        if (m_position == 0 && m_input->isPipe()) {
            // The MP4 and MOV demuxer finds the index at the end of a file and then has to seek
            // back to the pictures, which a pipe cannot do; it reports no error, only no packets.
            m_error = "no frame of " + m_name +
                      " could be read from the pipe (an MP4 or MOV whose index is at its end must be given as a file)";
            return ReadStatus::Error;
        }
        if (!m_loop) {
            return ReadStatus::EndOfStream;
        }
        // Rewinding a file that gave nothing last time round would spin for ever.
        if (!m_goodFrameThisPass) {
            m_error = "no frame of " + m_name + " can be decoded";
            return ReadStatus::Error;
        }
        if (const CallResult rewound = m_input->rewind(); !rewound.ok) {
            m_error = rewound.error;
            return ReadStatus::Error;
        }
        m_position = 0;
        m_goodFrameThisPass = false;
        return read(rgba);
    }

    std::string m_path;
    std::string m_name; ///< for sentences: the quoted path, or "standard input"
    std::unique_ptr<VideoFileInput> m_input;
    bool m_loop = false;
    std::string m_openWarning;
    double m_fps = 0.0;
    long long m_position = 0; ///< frames read in this pass, good or bad
    bool m_goodFrameThisPass = false;
    long long m_concealedFrames = 0;
    long long m_firstConcealedFrame = 0;
    std::string m_error;
};

class CameraSource final : public FrameSource {
  public:
    CameraSource(int index, std::shared_ptr<CameraInput> input) : m_index(index), m_input(std::move(input)) {
        m_fps = m_input->property(cv::CAP_PROP_FPS);
    }

    ReadStatus read(cv::Mat& rgba) override {
        cv::Mat decoded;
        const FrameRead got = m_input->read(decoded, ++m_frameNumber);
        if (got.kind == FrameReadKind::Nothing) {
            m_error = "camera " + std::to_string(m_index) + " stopped delivering frames (unplugged or in use?)";
            return ReadStatus::Error;
        }
        if (got.kind == FrameReadKind::Broken) {
            m_error = got.error;
            return ReadStatus::BadFrame;
        }
        rgba = decodedToRgba(decoded);
        if (rgba.empty()) {
            m_error = "camera " + std::to_string(m_index) + " delivered frames in an unsupported format";
            return ReadStatus::Error;
        }
        return ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return "camera " + std::to_string(m_index); }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] double framesPerSecond() const override { return statedRateOrDefault(m_fps); }

  private:
    int m_index = 0;
    std::shared_ptr<CameraInput> m_input;
    double m_fps = 0.0;
    long long m_frameNumber = 0;
    std::string m_error;
};

OpenedSource fail(std::string error) {
    return {nullptr, std::move(error)};
}

OpenedSource openCamera(int index, const SourceOptions& options) {
    const std::string device = "/dev/video" + std::to_string(index);
    std::error_code ignored;
    if (!fs::exists(device, ignored)) {
        return fail("camera " + std::to_string(index) + " does not exist (no " + device + ")");
    }
    // V4L2 open can block for seconds on a wedged driver; open on a helper thread and give up
    // after the timeout. The helper owns a share of the capture, so it may outlive this call; at
    // most one per device (pending_open.hpp).
    detail::PendingOpen pending = detail::PendingOpen::claim(device);
    if (!pending) {
        return fail("camera " + std::to_string(index) + " (" + device +
                    ") is still being opened by an earlier attempt that has not returned (the driver is not "
                    "responding)");
    }
    struct Shared {
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        CallResult opened;
        std::shared_ptr<CameraInput> input = std::make_shared<CameraInput>();
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, index, pending = std::move(pending)]() mutable {
        CallResult opened = shared->input->open(index);
        pending.release();
        const std::lock_guard lock(shared->mutex);
        shared->opened = std::move(opened);
        shared->finished = true;
        shared->done.notify_all();
    }).detach();
    std::unique_lock lock(shared->mutex);
    if (!shared->done.wait_for(lock, std::chrono::milliseconds(std::max(1, options.cameraOpenTimeoutMs)),
                               [&] { return shared->finished; })) {
        return fail("camera " + std::to_string(index) + " (" + device + ") did not open within " +
                    std::to_string(options.cameraOpenTimeoutMs) + " ms (busy or not responding?)");
    }
    if (!shared->opened.ok) {
        return fail(shared->opened.error);
    }
    const CameraModeChoice mode = chooseCameraMode(index, options.cameraMode);
    if (!mode.error.empty()) {
        return fail(mode.error);
    }
    if (mode.mode) {
        shared->input->requestMode(mode.mode->format, mode.mode->width, mode.mode->height, mode.mode->fps);
    }
    return {std::make_unique<CameraSource>(index, shared->input), {}};
}

OpenedSource openImage(const std::string& path, const std::vector<std::uint8_t>& bytes, const SourceOptions& options) {
    if (const std::string problem = imageHeaderProblem(bytes); !problem.empty()) {
        return fail(app::quoted(path) + " " + problem);
    }
    cv::Mat decoded;
    const CallResult decodedResult = decodeImage(bytes, path, decoded);
    if (!decodedResult.ok) {
        return fail(decodedResult.error);
    }
    std::string warning = decodedResult.warning;
    if (decoded.depth() != CV_8U) {
        warning = joinedSentences(warning, app::quoted(path) + " has " + std::to_string(decoded.elemSize1() * 8) +
                                               " bits per channel; blurcam works in 8 and reduced it");
    }
    cv::Mat rgba = decodedToRgba(decoded);
    if (rgba.empty()) {
        return fail(app::quoted(path) + " has a pixel format blurcam cannot use (" +
                    std::to_string(decoded.channels()) + " channels)");
    }
    cv::Mat upright;
    if (const CallResult turned = orientUpright(rgba, upright, exifOrientation(bytes), app::quoted(path)); !turned.ok) {
        return fail(turned.error);
    }
    return {std::make_unique<ImageSource>(path, std::move(upright), options.loopFiles, std::move(warning)), {}};
}

OpenedSource openVideo(const std::string& path, const SourceOptions& options) {
    auto input = std::make_unique<VideoFileInput>();
    const CallResult opened = input->open(path);
    if (!opened.ok) {
        return fail(opened.error);
    }
    const cv::Size size = input->declaredFrameSize();
    if (size.width < 1 || size.height < 1) {
        return fail(app::quoted(path) + " has no video stream blurcam can decode");
    }
    return {std::make_unique<VideoSource>(path, app::quoted(path), std::move(input), options.loopFiles, opened.warning),
            {}};
}

/// An image's header is checked on its first bytes, before the file is read whole: a PNG header
/// in front of 8 GB of a sparse file, or a link to /dev/zero, must not take all memory.
std::string imageHeadProblem(const std::string& path, const std::vector<std::uint8_t>& head, std::uint64_t totalBytes) {
    if (std::string problem = imageSizeProblem(head); !problem.empty()) {
        return app::quoted(path) + " " + problem;
    }
    const std::uint64_t largest = largestEncodedImageBytes(head);
    if (totalBytes > largest) {
        return app::quoted(path) + " is " + std::to_string(totalBytes >> 20) +
               " MiB, more than any image of the size it claims can take up (corrupt, or not an image)";
    }
    return {};
}

/// A pipe or FIFO: an image is read whole from it, a video is decoded as it arrives.
OpenedSource openPipe(const std::string& path, const SourceOptions& options) {
    OpenedInputStream opened = openInputStream(path, options.pipeWaitMs, kHeadBytes);
    if (!opened.stream) {
        return fail(std::move(opened.error));
    }
    const std::vector<std::uint8_t>& head = opened.stream->head();
    if (hasSupportedImageSignature(head)) {
        if (std::string problem = imageHeadProblem(path, head, head.size()); !problem.empty()) {
            return fail(std::move(problem));
        }
        std::vector<std::uint8_t> bytes;
        if (std::string problem = opened.stream->readAll(bytes, largestEncodedImageBytes(head)); !problem.empty()) {
            return fail(std::move(problem));
        }
        return openImage(path, bytes, options);
    }
    const std::string name = opened.stream->name();
    auto input = std::make_unique<VideoFileInput>();
    const CallResult video = input->open(std::move(opened.stream));
    if (!video.ok) {
        return fail(video.error);
    }
    // A pipe is read once: a looping source would fail at its end instead of stopping.
    return {std::make_unique<VideoSource>(path, name, std::move(input), false, video.warning), {}};
}

OpenedSource openFile(const std::string& given, const SourceOptions& options) {
    if (isStreamInput(given)) {
        return openPipe(given, options);
    }
    // "-" that is a regular file (`--input - < clip.mp4`) is opened anew, so it can be sought.
    const std::string spec = given == "-" ? std::string(kStandardInputPath) : given;
    std::error_code error;
    const fs::file_status status = fs::status(spec, error);
    if (error || !fs::exists(status)) {
        // The errno names the cause: a symlink loop or an unreadable directory is not "no such file".
        return fail(cannotOpenSentence(spec, error ? error.value() : ENOENT));
    }
    if (fs::is_directory(status)) {
        return fail(app::quoted(spec) + " is a directory, not an image or video file");
    }
    if (!fs::is_regular_file(status)) {
        // /dev/zero never ends and /dev/sda is a disk: neither is a file to read whole.
        return fail(app::quoted(spec) + " is a device, not an image or video file");
    }
    const auto size = fs::file_size(spec, error);
    if (!error && size == 0) {
        return fail(app::quoted(spec) + " is empty (0 bytes)");
    }
    // Before any library sees it: OpenCV and FFmpeg report an unreadable file as an unsupported one.
    if (std::string problem = readableFileProblem(spec); !problem.empty()) {
        return fail(std::move(problem));
    }
    std::vector<std::uint8_t> bytes; // the head first; for an image, the whole file after it
    if (std::string readError = readFile(spec, bytes, kHeadBytes); !readError.empty()) {
        return fail(std::move(readError));
    }
    if (isImageExtension(lowerExtension(spec)) || hasSupportedImageSignature(bytes) || openCvHasImageReaderFor(spec)) {
        if (std::string problem = imageHeadProblem(spec, bytes, error ? 0 : size); !problem.empty()) {
            return fail(std::move(problem));
        }
        if (std::string readError = readFile(spec, bytes, largestEncodedImageBytes(bytes)); !readError.empty()) {
            return fail(std::move(readError));
        }
        return openImage(spec, bytes, options);
    }
    return openVideo(spec, options);
}

} // namespace

OpenedSource openFrameSource(std::string_view spec, const SourceOptions& options) {
    ParsedSourceSpec parsed = parseSourceSpec(spec);
    if (!parsed.spec) {
        return fail(std::move(parsed.error));
    }
    return openFrameSource(*parsed.spec, options);
}

OpenedSource openFrameSource(const SourceSpec& source, const SourceOptions& options) {
    switch (source.kind) {
    case SourceKind::Pattern:
        if (options.patternSize.width < 1 || options.patternSize.height < 1) {
            return fail("invalid pattern size " + std::to_string(options.patternSize.width) + "x" +
                        std::to_string(options.patternSize.height));
        }
        return {std::make_unique<PatternSource>(options.patternSize), {}};
    case SourceKind::Camera: return openCamera(source.cameraIndex, options);
    case SourceKind::PipeWire: return openPipeWireSource(source.name, options);
    case SourceKind::File: return openFile(source.name, options);
    }
    return fail("unknown source kind");
}

} // namespace blurcam::app
