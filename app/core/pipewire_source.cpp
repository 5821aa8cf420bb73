#include "pipewire_source.hpp"

#include "constants.hpp"
#include "frame_convert.hpp"
#include "output_files.hpp"
#include "pending_open.hpp"
#include "pipewire_support.hpp"
#include "quoted.hpp"
#include "source_spec.hpp"

#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace blurcam::app {
namespace {

/// What the reading thread and the source share. The thread owns the capture: a GStreamer
/// read can block for as long as the node is silent, so the source never calls it itself.
struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    cv::Mat frame; ///< newest frame, RGBA (OpenCV passes GStreamer's RGBA through as 4 channels)
    std::uint64_t generation = 0;
    bool opened = false;
    bool finished = false; ///< the thread has stopped (the stream ended or failed)
    bool stop = false;     ///< asked to stop
    double fps = 0.0;
};

class PipeWireSource final : public FrameSource {
  public:
    PipeWireSource(std::string name, std::shared_ptr<Shared> shared, int frameTimeoutMs)
        : m_name(std::move(name)), m_shared(std::move(shared)), m_frameTimeoutMs(frameTimeoutMs) {}
    ~PipeWireSource() override {
        std::unique_lock lock(m_shared->mutex);
        m_shared->stop = true;
        // The thread notices between frames; a silent node leaves it blocked, and it then ends
        // on its own when the capture fails. Never wait long for it.
        m_shared->changed.wait_for(lock, std::chrono::seconds(2), [&] { return m_shared->finished; });
    }
    PipeWireSource(const PipeWireSource&) = delete;
    PipeWireSource& operator=(const PipeWireSource&) = delete;

    ReadStatus read(cv::Mat& rgba) override {
        std::unique_lock lock(m_shared->mutex);
        const bool got = m_shared->changed.wait_for(lock, std::chrono::milliseconds(m_frameTimeoutMs), [&] {
            return m_shared->generation != m_seen || m_shared->finished;
        });
        if (m_shared->generation == m_seen) {
            m_error =
                got ? "PipeWire camera '" + m_name + "' stopped delivering frames (the node or the daemon went away)"
                    : "PipeWire camera '" + m_name + "' sent no frame for " + std::to_string(m_frameTimeoutMs) + " ms";
            return ReadStatus::Error;
        }
        m_seen = m_shared->generation;
        // Converted under the lock: the reading thread swaps buffers with the shared slot and
        // decodes the next frame into the one it got back.
        m_shared->frame.copyTo(rgba); // already RGBA: GStreamer converted it
        return ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return SourceSpec::pipeWire(m_name).text(); }
    [[nodiscard]] std::string error() const override { return m_error; }
    [[nodiscard]] double framesPerSecond() const override {
        const std::lock_guard lock(m_shared->mutex);
        return statedRateOrDefault(m_shared->fps);
    }

  private:
    std::string m_name;
    std::shared_ptr<Shared> m_shared;
    int m_frameTimeoutMs = 5000;
    std::uint64_t m_seen = 0;
    std::string m_error;
};

/// A fresh connection to the daemon's socket, or -1. GStreamer's PipeWire elements share one
/// connection per fd number across the whole process, and a pipewiresrc that lost its daemon
/// never lets go of it: after a daemon restart every new pipewiresrc would reuse the dead one.
/// Handing each source a socket of its own (pipewiresrc fd=N) avoids that.
int connectToDaemon() {
    const char* dir = std::getenv("PIPEWIRE_RUNTIME_DIR");
    if (dir == nullptr) {
        dir = std::getenv("XDG_RUNTIME_DIR");
    }
    const char* remote = std::getenv("PIPEWIRE_REMOTE");
    if (dir == nullptr) {
        return -1;
    }
    const std::string path = std::string(dir) + "/" + (remote != nullptr ? remote : "pipewire-0");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        return -1;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// pending is held until the first frame or the end: as long as the opener may still be waiting.
void readLoop(const std::shared_ptr<Shared>& shared, const std::string& pipeline, int fd, detail::PendingOpen pending) {
    auto capture = std::make_unique<cv::VideoCapture>();
    bool opened = false;
    try {
        opened = capture->open(pipeline, cv::CAP_GSTREAMER) && capture->isOpened();
    } catch (const cv::Exception&) {
        opened = false;
    }
    {
        const std::lock_guard lock(shared->mutex);
        shared->opened = opened;
        shared->fps = opened ? capture->get(cv::CAP_PROP_FPS) : 0.0;
        if (!opened) {
            shared->finished = true;
        }
    }
    shared->changed.notify_all();
    cv::Mat bgr;
    while (opened) {
        bool got = false;
        try {
            got = capture->read(bgr) && !bgr.empty();
        } catch (const cv::Exception&) {
            got = false;
        }
        pending.release();
        const std::lock_guard lock(shared->mutex);
        if (!got || shared->stop) {
            shared->finished = true;
            break;
        }
        cv::swap(bgr, shared->frame); // no copy: the next read() decodes into the other buffer
        ++shared->generation;
        shared->changed.notify_all();
    }
    capture.reset();
    ::close(fd);
    shared->changed.notify_all();
}

} // namespace

OpenedSource openPipeWireSource(const std::string& name, const SourceOptions& options) {
    // The parser lets only plain names through; this one is written into a GStreamer pipeline.
    if (!isPlainNodeName(name)) {
        return {nullptr, "invalid PipeWire camera name " + app::quoted(name)};
    }
    if (!cv::videoio_registry::hasBackend(cv::CAP_GSTREAMER)) {
        return {nullptr, "cannot read " + SourceSpec::pipeWire(name).text() +
                             ": this OpenCV was built without its GStreamer backend, which blurcam reads PipeWire "
                             "cameras through"};
    }
    const PipeWireNodeList nodes = listPipeWireVideoSources();
    if (!nodes.error.empty()) {
        return {nullptr, "cannot read " + SourceSpec::pipeWire(name).text() + ": " + nodes.error};
    }
    const bool found = std::any_of(nodes.sources.begin(), nodes.sources.end(),
                                   [&](const PipeWireNode& node) { return node.name == name; });
    if (!found) {
        std::string known;
        for (const PipeWireNode& node : nodes.sources) {
            known += (known.empty() ? "" : ", ") + node.name;
        }
        return {nullptr, "no PipeWire camera named '" + name +
                             "' (video sources now: " + (known.empty() ? std::string("none") : known) + ")"};
    }
    // GStreamer can block in the pipeline's start or its first read for as long as the daemon
    // does not answer: at most one such thread per camera (pending_open.hpp).
    detail::PendingOpen pending = detail::PendingOpen::claim(SourceSpec::pipeWire(name).text());
    if (!pending) {
        return {nullptr, "PipeWire camera '" + name +
                             "' is still being opened by an earlier attempt that has not returned (is the daemon "
                             "responding?)"};
    }
    // drop=true max-buffers=1: a slow reader gets the newest frame, never a queue of old ones.
    const int fd = connectToDaemon();
    if (fd < 0) {
        return {nullptr, "cannot read " + SourceSpec::pipeWire(name).text() +
                             ": cannot connect to the PipeWire daemon's socket (" + describeFileError(errno) + ")"};
    }
    const std::string pipeline =
        "pipewiresrc fd=" + std::to_string(fd) + " target-object=" + name +
        " ! videoconvert ! video/x-raw,format=RGBA ! appsink drop=true max-buffers=1 sync=false";
    auto shared = std::make_shared<Shared>();
    std::thread([shared, pipeline, fd, pending = std::move(pending)]() mutable {
        readLoop(shared, pipeline, fd, std::move(pending));
    }).detach();
    const int timeoutMs = std::max(1, options.cameraOpenTimeoutMs);
    std::unique_lock lock(shared->mutex);
    const bool first = shared->changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                                [&] { return shared->generation > 0 || shared->finished; });
    if (shared->generation == 0) {
        shared->stop = true;
        if (!first) {
            return {nullptr, "PipeWire camera '" + name + "' sent no frame within " + std::to_string(timeoutMs) +
                                 " ms (is it streaming? is WirePlumber running?)"};
        }
        return {nullptr, "cannot read PipeWire camera '" + name +
                             "' (GStreamer's pipewiresrc or videoconvert is "
                             "missing, or the node refused the connection)"};
    }
    lock.unlock();
    return {std::make_unique<PipeWireSource>(name, shared, timeoutMs), {}};
}

} // namespace blurcam::app
