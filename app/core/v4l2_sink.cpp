// The v4l2loopback output: what Zoom, Chrome, Firefox and Teams read on Linux. Plain V4L2
// ioctls, as OBS's own output does: the loopback driver takes one VIDIOC_S_FMT on the output
// side and then whole frames through write(); there is nothing to negotiate beyond that.
// YUYV, because every browser and conferencing program accepts it. A thread of the sink's own
// writes at the source's rate, so the caller never waits for the device.

#include "output_files.hpp"
#include "output_frame.hpp"
#include "sink_support.hpp"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <thread>

namespace blurcam::app::detail {
namespace {

const char* const kLoopbackHint =
    "create one with: sudo apt install v4l2loopback-dkms && sudo modprobe v4l2loopback video_nr=10 "
    "card_label=blurcam exclusive_caps=1";

std::string driverName(const v4l2_capability& caps) {
    return {reinterpret_cast<const char*>(caps.driver),
            strnlen(reinterpret_cast<const char*>(caps.driver), sizeof caps.driver)};
}

class V4l2Sink final : public FrameSink {
  public:
    V4l2Sink(std::string path, int fd, const SinkOptions& options)
        : m_path(std::move(path)), m_fd(fd), m_options(options), m_board(options.onStatus) {
        m_thread = std::thread([this] { run(); });
    }
    ~V4l2Sink() override {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
        ::close(m_fd);
    }
    V4l2Sink(const V4l2Sink&) = delete;
    V4l2Sink& operator=(const V4l2Sink&) = delete;

    void submit(const cv::Mat& rgba, cv::Size sourceSize, std::chrono::steady_clock::time_point captured) override {
        ++m_board.framesSubmitted;
        if (m_frame.put(rgba, sourceSize, captured, m_options.size)) {
            // The one put the thread waits for. Set and notified under m_mutex, so it cannot fall
            // between the thread's check and its wait; afterwards the thread wakes at each tick of
            // its own clock and takes the newest frame, so later puts need not wake it.
            const std::lock_guard lock(m_mutex);
            m_sizeKnown = true;
            m_wake.notify_all();
        }
    }
    [[nodiscard]] SinkStatus status() const override { return m_board.snapshot(); }
    [[nodiscard]] std::string description() const override { return "v4l2:" + m_path; }

  private:
    bool setFormat(cv::Size size) {
        v4l2_format format{};
        format.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
        format.fmt.pix.width = static_cast<std::uint32_t>(size.width);
        format.fmt.pix.height = static_cast<std::uint32_t>(size.height);
        format.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
        format.fmt.pix.field = V4L2_FIELD_NONE;
        format.fmt.pix.bytesperline = static_cast<std::uint32_t>(packedRowBytes(OutputPixelFormat::Yuy2, size.width));
        format.fmt.pix.sizeimage = format.fmt.pix.bytesperline * format.fmt.pix.height;
        format.fmt.pix.colorspace = V4L2_COLORSPACE_SMPTE170M; // BT.601, what convertRgba writes
        if (::ioctl(m_fd, VIDIOC_S_FMT, &format) < 0) {
            m_board.update(false, 0,
                           "cannot set YUYV " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                               " on " + m_path + ": " + describeFileError(errno) +
                               " (is another program writing to it?)",
                           {});
            return false;
        }
        m_stride = format.fmt.pix.bytesperline;
        m_board.update(true, 0, {}, "YUYV " + std::to_string(size.width) + "x" + std::to_string(size.height));
        return true;
    }

    /// The thread. Nothing may escape it (that would be std::terminate): a failure becomes the
    /// sink's error.
    void run() {
        try {
            stream();
        } catch (const std::exception& error) {
            stopWith(error.what());
        } catch (...) {
            stopWith("an unexpected error");
        }
    }

    void stopWith(const std::string& cause) noexcept {
        try {
            m_board.update(false, 0, "the output to v4l2:" + m_path + " stopped: " + cause, {});
        } catch (...) { // onStatus or the message itself failed: there is no one left to tell
        }
    }

    void stream() {
        const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(1.0 / std::clamp(m_options.fps, 1.0, 240.0)));
        cv::Size size;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_sizeKnown; });
            if (m_stop) {
                return;
            }
            size = m_frame.outputSize();
        }
        if (!setFormat(size)) {
            return;
        }
        std::vector<std::uint8_t> converted(m_stride * static_cast<std::size_t>(size.height));
        std::uint64_t seen = 0;
        cv::Mat incoming;
        std::chrono::steady_clock::time_point captured;
        auto next = std::chrono::steady_clock::now();
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                if (m_wake.wait_until(lock, next, [&] { return m_stop; })) {
                    return;
                }
            }
            next += interval;
            bool fresh = false;
            if (m_frame.takeIfNewer(seen, incoming, captured)) {
                renderOutput(incoming, size, m_options.mirror, OutputPixelFormat::Yuy2, converted.data(), m_stride);
                fresh = true;
            }
            const ssize_t written = ::write(m_fd, converted.data(), converted.size());
            if (written < 0 && errno == EAGAIN) {
                m_board.frameDropped();
                continue;
            }
            if (written < 0) {
                m_board.update(false, 0, "writing to " + m_path + " failed: " + describeFileError(errno), {});
                return;
            }
            ++m_board.framesSent;
            if (fresh) {
                m_board.addLatencySample(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - captured).count());
            }
        }
    }

    std::string m_path;
    int m_fd = -1;
    SinkOptions m_options;
    StatusBoard m_board;
    LatestFrame m_frame;
    std::size_t m_stride = 0;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_sizeKnown = false; ///< the first frame has set m_frame's output size
    std::thread m_thread;     ///< last: started once everything above exists
};

} // namespace

OpenedSink openV4l2Sink(const std::string& devicePath, const SinkOptions& options) {
    const int fd = ::open(devicePath.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT) {
            return {nullptr,
                    "v4l2:" + devicePath + " does not exist: there is no v4l2loopback device; " + kLoopbackHint};
        }
        return {nullptr, "cannot open v4l2:" + devicePath + " for writing: " + describeFileError(error) +
                             (error == EACCES ? " (is your user in the video group?)" : "")};
    }
    v4l2_capability caps{};
    if (::ioctl(fd, VIDIOC_QUERYCAP, &caps) < 0) {
        ::close(fd);
        return {nullptr, "v4l2:" + devicePath + " is not a video device; " + kLoopbackHint};
    }
    const std::uint32_t capabilities =
        (caps.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities;
    if (driverName(caps) != "v4l2 loopback" || (capabilities & V4L2_CAP_VIDEO_OUTPUT) == 0) {
        ::close(fd);
        return {nullptr, "v4l2:" + devicePath + " is a " + driverName(caps) + " device, not a v4l2loopback output; " +
                             kLoopbackHint};
    }
    return {startV4l2Sink(devicePath, fd, options), {}};
}

std::unique_ptr<FrameSink> startV4l2Sink(const std::string& devicePath, int fd, const SinkOptions& options) {
    return std::make_unique<V4l2Sink>(devicePath, fd, options);
}

} // namespace blurcam::app::detail
