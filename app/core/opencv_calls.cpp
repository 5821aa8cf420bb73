#include "opencv_calls.hpp"

#include "quoted.hpp"

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <new>
#include <utility>

namespace blurcam::app {
namespace {

/// The cause of a caught exception in blurcam's words. OpenCV's own text (file, line, the failed
/// assertion) means nothing to a user, so only running out of memory is told apart.
std::string causeOf(const std::exception_ptr& error, const std::string& libraryFailed) {
    try {
        std::rethrow_exception(error);
    } catch (const std::bad_alloc&) {
        return "out of memory";
    } catch (...) {
        return libraryFailed;
    }
}

CallResult succeeded(std::string warning = {}) {
    return {true, {}, std::move(warning)};
}

CallResult failed(std::string error) {
    return {false, std::move(error), {}};
}

// ---------------------------------------------------------------------------------------------
// FFmpeg's log (blurcam's own video decoding and OpenCV's video writer both use FFmpeg). Its
// default prints to stderr; blurcam takes it over: every message is dropped and errors are counted,
// which tells a reader that the decoder concealed damage in a picture it still delivered. Warnings
// are not counted: valid files give them too ("deprecated pixel format used" for every MJPEG that
// OpenCV itself writes).

std::atomic<long long> g_ffmpegErrors{0};

void keepFfmpegLog(void* /*context*/, int level, const char* /*format*/, va_list /*arguments*/) {
    if (level >= 0 && level <= AV_LOG_ERROR) {
        g_ffmpegErrors.fetch_add(1, std::memory_order_relaxed);
    }
}

// ---------------------------------------------------------------------------------------------
// libjpeg, libpng and OpenCV's imdecode write to file descriptor 2 directly ("Corrupt JPEG data:
// 147 extraneous bytes", "libpng error: bad adaptive filter value", "imdecode_(''): can't read
// data: OpenCV(4.6.0) ..."), with no switch to turn that off. Around those calls stderr is pointed
// at a memory file, and what was written there becomes blurcam's summary instead.
//
// fd 2 belongs to the whole process: while a capture runs, another thread's stderr output lands in
// it too (and is dropped). Captures are short (one image decode, one open) and serialised by this
// mutex, so they never nest or interleave.
std::mutex g_stderrMutex;

class StderrCapture {
  public:
    StderrCapture() : m_lock(g_stderrMutex) {
        std::fflush(stderr); // stderr is unbuffered; this only settles stdio's own state
        // std::cerr writes straight through to stderr (unitbuf, synced with stdio), so it needs no
        // flush; but a failed write earlier (a closed terminal) leaves it refusing all output,
        // which would hide what a library says here.
        std::cerr.clear();
        m_file = ::memfd_create("blurcam-library-output", MFD_CLOEXEC);
        if (m_file < 0) {
            return; // no capture: the call still runs, only its noise is not kept
        }
        m_saved = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
        if (m_saved < 0 || ::dup2(m_file, STDERR_FILENO) < 0) {
            closeAll();
            return;
        }
        m_active = true;
    }
    ~StderrCapture() { (void)finish(); }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    /// Puts stderr back and returns what the libraries wrote meanwhile.
    std::string finish() {
        if (!m_active) {
            return {};
        }
        m_active = false;
        std::fflush(stderr);
        ::dup2(m_saved, STDERR_FILENO);
        std::string text;
        char buffer[4096];
        off_t offset = 0;
        for (;;) {
            const ssize_t got = ::pread(m_file, buffer, sizeof buffer, offset);
            if (got <= 0) {
                break;
            }
            text.append(buffer, static_cast<std::size_t>(got));
            offset += got;
        }
        closeAll();
        return text;
    }

  private:
    void closeAll() {
        if (m_saved >= 0) {
            ::close(m_saved);
            m_saved = -1;
        }
        if (m_file >= 0) {
            ::close(m_file);
            m_file = -1;
        }
    }

    std::lock_guard<std::mutex> m_lock;
    int m_file = -1;
    int m_saved = -1;
    bool m_active = false;
};

/// Which decoder imdecode will pick, for sentences; the signatures are the ones blurcam accepts.
std::string decoderName(const std::vector<std::uint8_t>& bytes) {
    if (bytes.size() >= 4 && bytes[0] == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
        return "PNG decoder";
    }
    if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8) {
        return "JPEG decoder";
    }
    if (bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M') {
        return "BMP decoder";
    }
    return "image decoder";
}

} // namespace

void silenceLibraryLogging() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (std::getenv("OPENCV_LOG_LEVEL") == nullptr) {
            cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        }
        if (std::getenv("OPENCV_FFMPEG_DEBUG") != nullptr || std::getenv("OPENCV_FFMPEG_LOGLEVEL") != nullptr) {
            return; // the user asked for FFmpeg's log; OpenCV installs its own printer for it then
        }
        av_log_set_callback(&keepFfmpegLog);
    });
}

long long ffmpegErrorsSoFar() {
    return g_ffmpegErrors.load(std::memory_order_relaxed);
}

// ---- Still images ---------------------------------------------------------------------------

CallResult decodeImage(const std::vector<std::uint8_t>& bytes, const std::string& path, cv::Mat& decoded) {
    silenceLibraryLogging();
    std::string cause;
    std::string said;
    {
        StderrCapture capture;
        try {
            decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
        } catch (...) {
            decoded.release();
            cause = causeOf(std::current_exception(), "the " + decoderName(bytes) + " failed");
        }
        said = capture.finish();
    }
    if (decoded.empty()) {
        if (cause.empty()) {
            cause = said.empty() ? "corrupt, truncated, or not a PNG, JPEG or BMP"
                                 : "the " + decoderName(bytes) + " reported corrupt data";
        }
        return failed(app::quoted(path) + " is not an image blurcam can read (" + cause + ")");
    }
    if (!said.empty()) {
        return succeeded(app::quoted(path) + " is damaged (the " + decoderName(bytes) +
                         " reported corrupt data); blurcam used what it could decode");
    }
    return succeeded();
}

CallResult encodeImage(const cv::Mat& pixels, const std::string& extension, const std::string& path,
                       std::vector<std::uint8_t>& bytes) {
    silenceLibraryLogging();
    StderrCapture capture;
    try {
        if (cv::imencode(extension, pixels, bytes)) {
            return succeeded();
        }
        return failed("cannot encode " + app::quoted(path) + " (the encoder refused a " + std::to_string(pixels.cols) +
                      "x" + std::to_string(pixels.rows) + " frame)");
    } catch (...) {
        return failed("cannot encode " + app::quoted(path) + " (" +
                      causeOf(std::current_exception(), "the encoder failed") + ")");
    }
}

bool openCvHasImageReaderFor(const std::string& path) {
    silenceLibraryLogging();
    StderrCapture capture;
    try {
        return cv::haveImageReader(path);
    } catch (...) {
        return false;
    }
}

// ---- Cameras --------------------------------------------------------------------------------

CameraInput::CameraInput() : m_capture(std::make_unique<cv::VideoCapture>()) {}
CameraInput::~CameraInput() {
    try {
        m_capture->release();
    } catch (...) { // a destructor must not throw; nothing is left to report to
    }
}

CallResult CameraInput::open(int index) {
    silenceLibraryLogging();
    m_name = "camera " + std::to_string(index);
    const std::string device = " (/dev/video" + std::to_string(index) + ")";
    try {
        if (m_capture->open(index, cv::CAP_V4L2) && m_capture->isOpened()) {
            return succeeded();
        }
        return failed(m_name + device +
                      " cannot be opened (in use by another program, no permission, or not a capture device)");
    } catch (...) {
        return failed(m_name + device + " cannot be opened (" + causeOf(std::current_exception(), "the driver failed") +
                      ")");
    }
}

FrameRead CameraInput::read(cv::Mat& bgr, long long frameNumber) {
    FrameRead result;
    try {
        // grab() takes the frame from the driver; retrieve() converts it. A retrieve that fails
        // after a good grab means this frame came but cannot be used.
        if (!m_capture->grab()) {
            bgr.release();
            result.kind = FrameReadKind::Nothing;
        } else if (m_capture->retrieve(bgr) && !bgr.empty()) {
            result.kind = FrameReadKind::Picture;
        } else {
            bgr.release();
            result.kind = FrameReadKind::Broken;
            result.error = "frame " + std::to_string(frameNumber) + " of " + m_name + " cannot be converted";
        }
    } catch (...) {
        bgr.release();
        result.kind = FrameReadKind::Broken;
        result.error = "frame " + std::to_string(frameNumber) + " of " + m_name + " cannot be read (" +
                       causeOf(std::current_exception(), "the driver failed") + ")";
    }
    return result;
}

double CameraInput::property(int propertyId) const {
    try {
        return m_capture->get(propertyId);
    } catch (...) {
        return 0.0;
    }
}

void CameraInput::requestMode(const std::string& fourcc, int width, int height, double fps) {
    try {
        if (fourcc.size() == 4) {
            m_capture->set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]));
        }
        m_capture->set(cv::CAP_PROP_FRAME_WIDTH, width);
        m_capture->set(cv::CAP_PROP_FRAME_HEIGHT, height);
        m_capture->set(cv::CAP_PROP_FPS, fps);
    } catch (...) {
        // A driver that refuses keeps its own mode; the frames then say what it is.
    }
}

// ---- Video output ---------------------------------------------------------------------------

VideoOutput::VideoOutput() : m_writer(std::make_unique<cv::VideoWriter>()) {}
VideoOutput::~VideoOutput() {
    (void)release();
}

CallResult VideoOutput::open(const std::string& file, const std::string& name, int fourcc, double fps, cv::Size size) {
    silenceLibraryLogging();
    m_name = app::quoted(name);
    m_framesWritten = 0;
    const std::string subject =
        "cannot create video " + m_name + " (" + std::to_string(size.width) + "x" + std::to_string(size.height) + "; ";
    // OpenCV's FFmpeg writer prints some refusals itself ("tag 0x... is not supported with codec").
    StderrCapture capture;
    try {
        // FFmpeg reads "name:rest" as a URL of protocol "name" when it can; "file:" says what it is.
        // The container is still chosen by the extension, which the prefix leaves in place.
        if (m_writer->open("file:" + file, cv::CAP_FFMPEG, fourcc, fps, size, true) && m_writer->isOpened()) {
            return succeeded();
        }
        return failed(subject + "no encoder for it, or the directory is not writable)");
    } catch (...) {
        return failed(subject + causeOf(std::current_exception(), "the encoder failed") + ")");
    }
}

CallResult VideoOutput::write(const cv::Mat& bgr) {
    const std::string subject = "cannot write frame " + std::to_string(m_framesWritten + 1) + " to " + m_name;
    if (!m_writer->isOpened()) {
        return failed(subject + " (the video is not open)");
    }
    try {
        m_writer->write(bgr);
        ++m_framesWritten;
        return succeeded();
    } catch (...) {
        return failed(subject + " (" + causeOf(std::current_exception(), "the encoder failed") + ")");
    }
}

CallResult VideoOutput::release() {
    try {
        if (m_writer->isOpened()) {
            m_writer->release();
        }
        return succeeded();
    } catch (...) {
        return failed("cannot finish video " + m_name + " (" + causeOf(std::current_exception(), "the encoder failed") +
                      ")");
    }
}

bool VideoOutput::isOpened() const {
    return m_writer->isOpened();
}

// ---- Pixels ---------------------------------------------------------------------------------

CallResult convertColour(const cv::Mat& source, cv::Mat& destination, int code, const std::string& what) {
    try {
        cv::cvtColor(source, destination, code);
        return succeeded();
    } catch (...) {
        return failed("cannot convert the colours of " + what + " (" +
                      causeOf(std::current_exception(), "unsupported pixel format") + ")");
    }
}

CallResult convertDepth(const cv::Mat& source, cv::Mat& destination, int depth, double scale, const std::string& what) {
    try {
        source.convertTo(destination, depth, scale);
        return succeeded();
    } catch (...) {
        return failed("cannot convert the pixel depth of " + what + " (" +
                      causeOf(std::current_exception(), "unsupported pixel format") + ")");
    }
}

CallResult resizeFrame(const cv::Mat& source, cv::Mat& destination, cv::Size size, int interpolation,
                       const std::string& what) {
    try {
        cv::resize(source, destination, size, 0.0, 0.0, interpolation);
        return succeeded();
    } catch (...) {
        return failed("cannot resize " + what + " from " + std::to_string(source.cols) + "x" +
                      std::to_string(source.rows) + " to " + std::to_string(size.width) + "x" +
                      std::to_string(size.height) + " (" + causeOf(std::current_exception(), "the resize failed") +
                      ")");
    }
}

CallResult rotateFrame(const cv::Mat& source, cv::Mat& destination, int clockwiseDegrees, const std::string& what) {
    try {
        switch (((clockwiseDegrees % 360) + 360) % 360) {
        case 90: cv::rotate(source, destination, cv::ROTATE_90_CLOCKWISE); break;
        case 180: cv::rotate(source, destination, cv::ROTATE_180); break;
        case 270: cv::rotate(source, destination, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: destination = source; break;
        }
        return succeeded();
    } catch (...) {
        return failed("cannot rotate " + what + " (" + causeOf(std::current_exception(), "the rotation failed") + ")");
    }
}

CallResult orientUpright(const cv::Mat& source, cv::Mat& destination, int exifOrientation, const std::string& what) {
    try {
        // EXIF's eight orientations, as OpenCV's own ApplyExifOrientation turns them.
        cv::Mat turned;
        switch (exifOrientation) {
        case 2: cv::flip(source, destination, 1); break;
        case 3: cv::flip(source, destination, -1); break;
        case 4: cv::flip(source, destination, 0); break;
        case 5: cv::transpose(source, destination); break;
        case 6:
            cv::transpose(source, turned);
            cv::flip(turned, destination, 1);
            break;
        case 7:
            cv::transpose(source, turned);
            cv::flip(turned, destination, -1);
            break;
        case 8:
            cv::transpose(source, turned);
            cv::flip(turned, destination, 0);
            break;
        default: destination = source; break;
        }
        return succeeded();
    } catch (...) {
        return failed("cannot turn " + what + " upright (" + causeOf(std::current_exception(), "the rotation failed") +
                      ")");
    }
}

} // namespace blurcam::app
