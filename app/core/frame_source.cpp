#include "frame_source.hpp"

#include "frame_convert.hpp"
#include "pipewire_source.hpp"
#include "v4l2_devices.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
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

std::string inQuotes(const std::string& text) {
    return "'" + text + "'";
}

std::string lowerExtension(const std::string& path) {
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

bool isImageExtension(const std::string& extension) {
    return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp";
}

// ---------------------------------------------------------------------------------------------
// Truncation checks. Decoders are forgiving: libjpeg fills a cut-off JPEG with grey and only
// warns, so a truncated file would "decode". Walking the container structure catches that.

std::uint32_t bigEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
           (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

/// "" when the bytes look like a complete PNG, JPEG or BMP (or an unknown format, which the
/// decoder then judges); otherwise what is wrong.
std::string structuralProblem(const std::vector<std::uint8_t>& bytes) {
    static constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (bytes.size() >= 8 && std::equal(kPngSignature.begin(), kPngSignature.end(), bytes.begin())) {
        std::size_t at = 8;
        while (at + 12 <= bytes.size()) { // length, type, data, CRC
            const std::uint32_t length = bigEndian32(bytes, at);
            const bool isEnd =
                bytes[at + 4] == 'I' && bytes[at + 5] == 'E' && bytes[at + 6] == 'N' && bytes[at + 7] == 'D';
            if (length > bytes.size() - at - 12) {
                break;
            }
            if (isEnd) {
                return {};
            }
            at += 12 + length;
        }
        return "is truncated or corrupt (its PNG chunks end before the IEND chunk)";
    }
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
        // Walk the marker segments to the first start-of-scan (skipping thumbnails hidden in
        // APP segments), then the end-of-image marker must follow. Entropy-coded data stuffs
        // every 0xFF with 0x00, so 0xFF 0xD9 there is always the real marker.
        std::size_t at = 2;
        while (at + 4 <= bytes.size()) {
            if (bytes[at] != 0xFF) {
                return "is corrupt (a JPEG marker is missing)";
            }
            const std::uint8_t marker = bytes[at + 1];
            if (marker == 0xFF) { // fill byte
                ++at;
                continue;
            }
            const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
            if (marker == 0xDA) {
                for (std::size_t scan = at + 2 + length; scan + 1 < bytes.size(); ++scan) {
                    if (bytes[scan] == 0xFF && bytes[scan + 1] == 0xD9) {
                        return {};
                    }
                }
                break;
            }
            at += 2 + length;
        }
        return "is truncated or corrupt (the JPEG data ends before its end-of-image marker)";
    }
    if (bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M') {
        if (bytes.size() < 14) {
            return "is truncated (its BMP header is incomplete)";
        }
        const std::uint32_t declared = std::uint32_t{bytes[2]} | (std::uint32_t{bytes[3]} << 8) |
                                       (std::uint32_t{bytes[4]} << 16) | (std::uint32_t{bytes[5]} << 24);
        if (declared > bytes.size()) {
            return "is truncated (the BMP header says " + std::to_string(declared) + " bytes, the file has " +
                   std::to_string(bytes.size()) + ")";
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Size limits. A 100-byte file can claim 100000x100000 pixels; the decoder would then try to
// allocate tens of gigabytes (or the process gets killed by the OOM killer). The header is read
// here, before any decoder runs, and anything beyond the limit is refused.

constexpr std::uint64_t kMaxImageSide = 16384;
constexpr std::uint64_t kMaxImagePixels = kMaxImageSide * kMaxImageSide; // 268M pixels, 1 GiB as RGBA8

std::uint32_t littleEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return std::uint32_t{bytes[at]} | (std::uint32_t{bytes[at + 1]} << 8) | (std::uint32_t{bytes[at + 2]} << 16) |
           (std::uint32_t{bytes[at + 3]} << 24);
}

/// Width and height the PNG IHDR, JPEG start-of-frame or BMP info header declares; {0, 0} when
/// the format is unknown or the header is not there (the structural check then judges).
std::pair<std::uint64_t, std::uint64_t> declaredDimensions(const std::vector<std::uint8_t>& bytes) {
    static constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (bytes.size() >= 24 && std::equal(kPngSignature.begin(), kPngSignature.end(), bytes.begin())) {
        // IHDR must be the first chunk: length(4) "IHDR"(4) width(4) height(4).
        return {bigEndian32(bytes, 16), bigEndian32(bytes, 20)};
    }
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
        std::size_t at = 2;
        while (at + 4 <= bytes.size()) {
            if (bytes[at] != 0xFF) {
                break;
            }
            const std::uint8_t marker = bytes[at + 1];
            if (marker == 0xFF) {
                ++at;
                continue;
            }
            const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision(1) height(2) width(2).
            const bool isStartOfFrame =
                marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (isStartOfFrame && at + 9 <= bytes.size()) {
                const std::uint64_t height = (std::uint64_t{bytes[at + 5]} << 8) | bytes[at + 6];
                const std::uint64_t width = (std::uint64_t{bytes[at + 7]} << 8) | bytes[at + 8];
                return {width, height};
            }
            if (marker == 0xDA) {
                break;
            }
            at += 2 + length;
        }
        return {0, 0};
    }
    if (bytes.size() >= 26 && bytes[0] == 'B' && bytes[1] == 'M') {
        const std::uint32_t headerSize = littleEndian32(bytes, 14);
        if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit width and height
            return {std::uint64_t{bytes[18]} | (std::uint64_t{bytes[19]} << 8),
                    std::uint64_t{bytes[20]} | (std::uint64_t{bytes[21]} << 8)};
        }
        // Signed 32-bit; a negative height means top-down rows, so the magnitude counts.
        const auto width = static_cast<std::int32_t>(littleEndian32(bytes, 18));
        const auto height = static_cast<std::int32_t>(littleEndian32(bytes, 22));
        const auto magnitude = [](std::int32_t value) {
            return static_cast<std::uint64_t>(std::abs(std::int64_t{value}));
        };
        return {magnitude(width), magnitude(height)};
    }
    return {0, 0};
}

bool hasSupportedImageSignature(const std::vector<std::uint8_t>& bytes) {
    static constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    const bool png = bytes.size() >= 8 && std::equal(kPngSignature.begin(), kPngSignature.end(), bytes.begin());
    const bool jpeg = bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
    const bool bmp = bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M';
    return png || jpeg || bmp;
}

/// "" when the declared size is within the limits; otherwise what is wrong.
std::string sizeProblem(const std::vector<std::uint8_t>& bytes) {
    const auto [width, height] = declaredDimensions(bytes);
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels) {
        return "claims " + std::to_string(width) + "x" + std::to_string(height) +
               " pixels, more than blurcam accepts (at most " + std::to_string(kMaxImageSide) + " on a side)";
    }
    return {};
}

/// Reads a whole file; an error sentence when it cannot.
std::string readFile(const std::string& path, std::vector<std::uint8_t>& bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "cannot open " + inQuotes(path) + " for reading (permission denied?)";
    }
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        return "cannot read " + inQuotes(path);
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
    [[nodiscard]] double framesPerSecond() const override { return 30.0; }

  private:
    cv::Size m_size;
    long long m_frameIndex = 0;
};

class ImageSource final : public FrameSource {
  public:
    ImageSource(std::string path, cv::Mat rgba, bool loop)
        : m_path(std::move(path)), m_rgba(std::move(rgba)), m_loop(loop) {}

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
    [[nodiscard]] double framesPerSecond() const override { return 0.0; }

  private:
    std::string m_path;
    cv::Mat m_rgba;
    bool m_loop = false;
    bool m_delivered = false;
};

class VideoSource final : public FrameSource {
  public:
    VideoSource(std::string path, std::unique_ptr<cv::VideoCapture> capture, bool loop)
        : m_path(std::move(path)), m_capture(std::move(capture)), m_loop(loop) {
        m_frameCount = static_cast<long long>(m_capture->get(cv::CAP_PROP_FRAME_COUNT));
        m_fps = m_capture->get(cv::CAP_PROP_FPS);
    }

    ReadStatus read(cv::Mat& rgba) override {
        if (m_pendingBad > 0) {
            --m_pendingBad;
            return ReadStatus::BadFrame;
        }
        cv::Mat decoded;
        bool got = m_capture->read(decoded);
        if (!got) {
            // The container promised more frames than the decoder gave. A bad frame in the middle
            // fails one read and the next read goes on; at a cut-off end every read fails, so
            // after a run of failures the rest of the promised frames count as lost at once.
            if (m_frameCount > 0 && m_position < m_frameCount) {
                ++m_position;
                ++m_consecutiveFailures;
                m_error = "frame " + std::to_string(m_position) + " of " + inQuotes(m_path) + " cannot be decoded (" +
                          std::to_string(m_frameCount) + " frames expected; truncated or corrupt)";
                if (m_consecutiveFailures >= kGiveUpAfterFailures) {
                    m_pendingBad = m_frameCount - m_position;
                    m_position = m_frameCount;
                }
                return ReadStatus::BadFrame;
            }
            if (!m_loop) {
                return ReadStatus::EndOfStream;
            }
            // Rewinding a file that gave nothing last time round would spin for ever.
            if (!m_goodFrameThisPass) {
                m_error = "no frame of " + inQuotes(m_path) + " can be decoded";
                return ReadStatus::Error;
            }
            m_capture->set(cv::CAP_PROP_POS_FRAMES, 0);
            m_position = 0;
            m_consecutiveFailures = 0;
            m_goodFrameThisPass = false;
            return read(rgba);
        }
        m_consecutiveFailures = 0;
        ++m_position;
        cv::Mat converted = decodedToRgba(decoded);
        if (converted.empty()) {
            m_error =
                "frame " + std::to_string(m_position) + " of " + inQuotes(m_path) + " has an unsupported pixel format";
            return ReadStatus::BadFrame;
        }
        m_goodFrameThisPass = true;
        rgba = std::move(converted);
        return ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return m_path; }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] double framesPerSecond() const override { return m_fps > 0.0 && m_fps < 1000.0 ? m_fps : 0.0; }

  private:
    std::string m_path;
    std::unique_ptr<cv::VideoCapture> m_capture;
    bool m_loop = false;
    long long m_frameCount = 0;
    double m_fps = 0.0;
    long long m_position = 0; ///< frames consumed so far, good or bad
    long long m_pendingBad = 0;
    int m_consecutiveFailures = 0;
    bool m_goodFrameThisPass = false;
    static constexpr int kGiveUpAfterFailures = 16;
    std::string m_error;
};

class CameraSource final : public FrameSource {
  public:
    CameraSource(int index, std::shared_ptr<cv::VideoCapture> capture) : m_index(index), m_capture(std::move(capture)) {
        m_fps = m_capture->get(cv::CAP_PROP_FPS);
    }

    ReadStatus read(cv::Mat& rgba) override {
        cv::Mat decoded;
        if (!m_capture->read(decoded) || decoded.empty()) {
            m_error = "camera " + std::to_string(m_index) + " stopped delivering frames (unplugged or in use?)";
            return ReadStatus::Error;
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
    [[nodiscard]] double framesPerSecond() const override { return m_fps > 0.0 && m_fps < 1000.0 ? m_fps : 30.0; }

  private:
    int m_index = 0;
    std::shared_ptr<cv::VideoCapture> m_capture;
    double m_fps = 0.0;
    std::string m_error;
};

OpenedSource fail(std::string error) {
    return {nullptr, std::move(error)};
}

OpenedSource openCamera(const std::string& spec, const SourceOptions& options) {
    const std::string number = spec.substr(std::string("camera:").size());
    int index = -1;
    if (number.empty() || number.size() > 4 ||
        !std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return fail("invalid camera " + inQuotes(spec) + ": expected camera:N with N a number such as 0");
    }
    index = std::stoi(number);
    const std::string device = "/dev/video" + std::to_string(index);
    std::error_code ignored;
    if (!fs::exists(device, ignored)) {
        return fail("camera " + std::to_string(index) + " does not exist (no " + device + ")");
    }
    // V4L2 open can block for seconds on a wedged driver; open on a helper thread and give up
    // after the timeout. The helper owns a share of the capture, so it may outlive this call.
    struct Shared {
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        bool opened = false;
        std::shared_ptr<cv::VideoCapture> capture = std::make_shared<cv::VideoCapture>();
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, index] {
        const bool opened = shared->capture->open(index, cv::CAP_V4L2) && shared->capture->isOpened();
        const std::lock_guard lock(shared->mutex);
        shared->opened = opened;
        shared->finished = true;
        shared->done.notify_all();
    }).detach();
    std::unique_lock lock(shared->mutex);
    if (!shared->done.wait_for(lock, std::chrono::milliseconds(std::max(1, options.cameraOpenTimeoutMs)),
                               [&] { return shared->finished; })) {
        return fail("camera " + std::to_string(index) + " (" + device + ") did not open within " +
                    std::to_string(options.cameraOpenTimeoutMs) + " ms (busy or not responding?)");
    }
    if (!shared->opened) {
        return fail("camera " + std::to_string(index) + " (" + device +
                    ") cannot be opened (in use by another program, no permission, or not a capture device)");
    }
    if (std::string problem = applyCameraMode(*shared->capture, index, options.cameraMode); !problem.empty()) {
        return fail(std::move(problem));
    }
    return {std::make_unique<CameraSource>(index, shared->capture), {}};
}

OpenedSource openImage(const std::string& path, const std::vector<std::uint8_t>& bytes, const SourceOptions& options) {
    // Only PNG, JPEG and BMP bytes reach OpenCV: cv::imdecode otherwise tries every decoder it
    // has, and some (GDCM's DICOM reader, found by the reader fuzzer) abort() on garbage.
    if (!hasSupportedImageSignature(bytes)) {
        return fail(inQuotes(path) + " is not an image blurcam can read (not a PNG, JPEG or BMP file)");
    }
    // The size first: a huge claim is refused before the decoder allocates anything.
    if (const std::string problem = sizeProblem(bytes); !problem.empty()) {
        return fail(inQuotes(path) + " " + problem);
    }
    if (const std::string problem = structuralProblem(bytes); !problem.empty()) {
        return fail(inQuotes(path) + " " + problem);
    }
    const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    if (decoded.empty()) {
        return fail(inQuotes(path) +
                    " is not an image blurcam can read (corrupt, truncated, or not a PNG, JPEG or BMP)");
    }
    cv::Mat rgba = decodedToRgba(decoded);
    if (rgba.empty()) {
        return fail(inQuotes(path) + " has a pixel format blurcam cannot use (" + std::to_string(decoded.channels()) +
                    " channels)");
    }
    return {std::make_unique<ImageSource>(path, std::move(rgba), options.loopFiles), {}};
}

OpenedSource openVideo(const std::string& path, const SourceOptions& options) {
    auto capture = std::make_unique<cv::VideoCapture>();
    // FFmpeg only: CAP_ANY would also try GStreamer and the image-sequence reader, which accept
    // some garbage and print to stderr.
    if (!capture->open(path, cv::CAP_FFMPEG) || !capture->isOpened()) {
        return fail(inQuotes(path) +
                    " is not an image or video blurcam can read (corrupt, truncated or unsupported format)");
    }
    const double width = capture->get(cv::CAP_PROP_FRAME_WIDTH);
    const double height = capture->get(cv::CAP_PROP_FRAME_HEIGHT);
    if (width < 1 || height < 1) {
        return fail(inQuotes(path) + " has no video stream blurcam can decode");
    }
    if (width > static_cast<double>(kMaxImageSide) || height > static_cast<double>(kMaxImageSide)) {
        return fail(inQuotes(path) + " claims " + std::to_string(static_cast<long long>(width)) + "x" +
                    std::to_string(static_cast<long long>(height)) +
                    " pixels per frame, more than blurcam accepts (at most " + std::to_string(kMaxImageSide) +
                    " on a side)");
    }
    return {std::make_unique<VideoSource>(path, std::move(capture), options.loopFiles), {}};
}

} // namespace

OpenedSource openFrameSource(const std::string& spec, const SourceOptions& options) {
    if (spec == "pattern") {
        if (options.patternSize.width < 1 || options.patternSize.height < 1) {
            return fail("invalid pattern size " + std::to_string(options.patternSize.width) + "x" +
                        std::to_string(options.patternSize.height));
        }
        return {std::make_unique<PatternSource>(options.patternSize), {}};
    }
    if (spec.rfind("camera:", 0) == 0) {
        return openCamera(spec, options);
    }
    if (spec.rfind("pipewire:", 0) == 0) {
        return openPipeWireSource(spec, options);
    }
    if (spec.empty()) {
        return fail("no input given: expected a file, camera:N or pattern");
    }
    std::error_code error;
    const fs::file_status status = fs::status(spec, error);
    if (!fs::exists(status)) {
        return fail("cannot open " + inQuotes(spec) + ": no such file");
    }
    if (fs::is_directory(status)) {
        return fail(inQuotes(spec) + " is a directory, not an image or video file");
    }
    const auto size = fs::file_size(spec, error);
    if (!error && size == 0) {
        return fail(inQuotes(spec) + " is empty (0 bytes)");
    }
    const std::string extension = lowerExtension(spec);
    if (isImageExtension(extension) || cv::haveImageReader(spec)) {
        std::vector<std::uint8_t> bytes;
        if (std::string readError = readFile(spec, bytes); !readError.empty()) {
            return fail(std::move(readError));
        }
        return openImage(spec, bytes, options);
    }
    return openVideo(spec, options);
}

} // namespace blurcam::app
