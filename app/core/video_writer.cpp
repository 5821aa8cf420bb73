// A video file through OpenCV's FFmpeg writer. OpenCV swallows every write error of the muxer
// (a full disk gives a short, unplayable file and no error), so the file is read back after
// release() and must hold every frame at the size written before it replaces anything.
#include "constants.hpp"
#include "frame_convert.hpp"
#include "opencv_calls.hpp"
#include "quoted.hpp"
#include "video_file_input.hpp"
#include "writer_kinds.hpp"

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cstdio>
#include <system_error>

namespace blurcam::app::detail {
namespace {

namespace fs = std::filesystem;

// FFmpeg's MJPEG and MPEG-4 encoders round odd sizes down without a word, and the MJPEG encoder
// corrupts its heap (abort) for frames narrower than 8 pixels: frames are padded to even sides of
// at least this much.
constexpr int kMinEncodedSide = 16;
// Below about 0.002 fps FFmpeg cannot express the frame duration in its time base and refuses
// to open; one frame per 100 s is a rate every container here accepts.
constexpr double kMinFramesPerSecond = 0.01;

int encodableSide(int side) {
    return std::max(kMinEncodedSide, side + (side % 2));
}

std::string sizeText(cv::Size size) {
    return std::to_string(size.width) + "x" + std::to_string(size.height);
}

std::string rateText(double fps) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g fps", fps);
    return text;
}

/// How many frames a decoder finds in the file, counting only frames of the expected size.
long long readableFrames(const fs::path& path, cv::Size expected, long long atMost) {
    VideoFileInput input;
    if (!input.open(path.string()).ok) {
        return 0;
    }
    long long frames = 0;
    cv::Mat bgr;
    while (frames <= atMost) {
        const FrameRead read = input.read(bgr, frames + 1);
        if (read.kind != FrameReadKind::Picture || bgr.size() != expected) {
            break;
        }
        ++frames;
    }
    return frames;
}

class VideoFileWriter final : public FrameWriter {
  public:
    VideoFileWriter(fs::path path, double fps)
        : m_path(std::move(path)), m_requestedFps(fps > 0.0 ? fps : kDefaultFramesPerSecond),
          m_fps(std::max(m_requestedFps, kMinFramesPerSecond)) {}
    ~VideoFileWriter() override {
        if (!m_finished) {
            discard();
        }
    }
    VideoFileWriter(const VideoFileWriter&) = delete;
    VideoFileWriter& operator=(const VideoFileWriter&) = delete;

    bool write(const cv::Mat& rgba) override {
        if (!m_error.empty()) {
            return false;
        }
        if (!m_writer.isOpened() && !open(rgba.size())) {
            return false;
        }
        if (rgba.size() != m_frameSize) {
            m_error = "frame " + std::to_string(m_frames) + " is " + sizeText(rgba.size()) + " but " +
                      app::quoted(m_path) + " was started at " + sizeText(m_frameSize);
            return false;
        }
        cv::Mat padded = rgba;
        if (m_encodedSize != m_frameSize) {
            cv::copyMakeBorder(rgba, padded, 0, m_encodedSize.height - m_frameSize.height, 0,
                               m_encodedSize.width - m_frameSize.width, cv::BORDER_REPLICATE);
        }
        if (const CallResult written = m_writer.write(rgbaToBgr(padded)); !written.ok) {
            m_error = written.error;
            return false;
        }
        ++m_frames;
        return true;
    }

    bool finish() override {
        if (m_error.empty() && !m_writer.isOpened()) {
            m_error = "no frame to write to " + app::quoted(m_path);
        }
        if (!m_error.empty()) {
            discard();
            return false;
        }
        (void)m_writer.release(); // the read-back below decides whether the file is whole
        const long long readable = readableFrames(m_temporary, m_encodedSize, m_frames);
        std::string cause;
        if (readable != m_frames) {
            cause = diagnoseShortWrite(m_temporary);
            if (cause.empty()) {
                cause = "the file holds " + std::to_string(readable) + " readable frames of the " +
                        std::to_string(m_frames) + " written";
            }
        }
        if (cause.empty()) {
            cause = syncFile(m_temporary);
        }
        if (cause.empty()) {
            cause = renameFile(m_temporary, m_path, true);
        }
        if (!cause.empty()) {
            m_error = "cannot write video " + app::quoted(m_path) + ": " + cause;
            discard();
            return false;
        }
        m_temporary.clear();
        m_finished = true;
        return true;
    }

    void discard() override {
        (void)m_writer.release(); // only the temporary file is lost, and it goes next
        if (!m_temporary.empty()) {
            std::error_code ignored;
            fs::remove(m_temporary, ignored);
            m_temporary.clear();
        }
    }

    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] long long framesWritten() const override { return m_frames; }
    [[nodiscard]] std::string description() const override {
        std::string text = m_path.string() + " (" + countOf(m_frames, "frame") + ", " + sizeText(m_encodedSize);
        if (m_encodedSize != m_frameSize) {
            text += ": padded from " + sizeText(m_frameSize) + ", as the encoder needs even sides of at least " +
                    std::to_string(kMinEncodedSide);
        }
        text += ", " + rateText(m_fps);
        if (m_fps != m_requestedFps) {
            text += ": the lowest rate encoders accept, not " + rateText(m_requestedFps);
        }
        return text + ")";
    }

  private:
    bool open(cv::Size frameSize) {
        m_frameSize = frameSize;
        m_encodedSize = {encodableSide(frameSize.width), encodableSide(frameSize.height)};
        m_temporary = temporaryNameFor(m_path);
        // Made here first, so a folder that is missing or not writable is named with its cause;
        // the encoder then writes into this file.
        if (std::string cause = writeWholeFile(m_temporary, {}); !cause.empty()) {
            m_error = "cannot create video " + app::quoted(m_path) + ": " + cause;
            m_temporary.clear();
            return false;
        }
        const std::string extension = lowerExtension(m_path);
        const int fourcc = extension == ".mp4" ? cv::VideoWriter::fourcc('m', 'p', '4', 'v')
                                               : cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
        if (!m_writer.open(m_temporary.string(), m_path.string(), fourcc, m_fps, m_encodedSize).ok) {
            m_error = "cannot create video " + app::quoted(m_path) + ": FFmpeg has no " +
                      (extension == ".mp4" ? "MPEG-4" : "MJPEG") + " encoder for " + sizeText(m_encodedSize) + " at " +
                      rateText(m_fps);
            discard();
            return false;
        }
        return true;
    }

    fs::path m_path;
    double m_requestedFps;
    double m_fps;
    VideoOutput m_writer;
    fs::path m_temporary;
    cv::Size m_frameSize;   ///< what the caller gives
    cv::Size m_encodedSize; ///< what the file holds (padded)
    bool m_finished = false;
    long long m_frames = 0;
    std::string m_error;
};

} // namespace

std::unique_ptr<FrameWriter> makeVideoWriter(fs::path path, double fps) {
    return std::make_unique<VideoFileWriter>(std::move(path), fps);
}

} // namespace blurcam::app::detail
