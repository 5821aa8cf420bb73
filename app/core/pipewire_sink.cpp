// The PipeWire output: a Video/Source node published with libpipewire's pw_stream in output
// direction, on a pw_thread_loop of its own. GStreamer's pipewiresink is not used: on Debian 12
// (PipeWire 0.3.65, GStreamer 1.22) appsrc ! pipewiresink crashed as soon as a consumer connected.
//
// The stream drives its own graph (PW_STREAM_FLAG_DRIVER): a timer at the source's rate calls
// pw_stream_trigger_process(), and process() copies the newest converted frame into a buffer.
// New frames arrive through a one-slot mailbox, are scaled and converted once on this thread, and
// are repeated until the next one. A daemon that goes away is retried every second.
//
// What it offers, accepts and writes is pipewire_sink_format.*; its consumers are counted from
// the daemon's links by pipewire_link_watcher.*.

#include "output_files.hpp"
#include "pipewire_link_watcher.hpp"
#include "pipewire_sink_format.hpp"
#include "pipewire_support.hpp"
#include "sink_support.hpp"

#include "pipewire_headers.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace blurcam::app::detail {
namespace {

constexpr std::uint64_t kNanosecondsPerSecond = 1'000'000'000;

timespec nanoseconds(std::uint64_t ns) {
    timespec time{};
    time.tv_sec = static_cast<time_t>(ns / kNanosecondsPerSecond);
    time.tv_nsec = static_cast<long>(ns % kNanosecondsPerSecond);
    return time;
}

class PipeWireSink final : public FrameSink {
  public:
    PipeWireSink(std::string nodeName, const SinkOptions& options)
        : m_name(std::move(nodeName)), m_options(options), m_board(options.onStatus),
          m_rate(pipeWireFrameRate(options.fps)) {}

    ~PipeWireSink() override {
        if (m_loop == nullptr) {
            return;
        }
        pw_thread_loop_stop(m_loop); // joins the loop thread: nothing below races with it
        teardown();
        pw_loop* loop = pw_thread_loop_get_loop(m_loop);
        for (spa_source* source : {m_tick, m_retry, m_wake}) {
            if (source != nullptr) {
                pw_loop_destroy_source(loop, source);
            }
        }
        if (m_context != nullptr) {
            pw_context_destroy(m_context);
        }
        pw_thread_loop_destroy(m_loop);
    }
    PipeWireSink(const PipeWireSink&) = delete;
    PipeWireSink& operator=(const PipeWireSink&) = delete;

    /// "" or why libpipewire itself cannot run (no daemon is not an error: it is retried).
    std::string start() {
        ensurePipeWireInitialised();
        m_loop = pw_thread_loop_new("blurcam-pipewire-out", nullptr);
        if (m_loop == nullptr) {
            return "cannot start PipeWire's event loop: " + std::string(describeFileError(errno));
        }
        pw_loop* loop = pw_thread_loop_get_loop(m_loop);
        m_context = pw_context_new(loop, nullptr, 0);
        if (m_context == nullptr) {
            return "cannot create a PipeWire context: " + std::string(describeFileError(errno));
        }
        m_tick = pw_loop_add_timer(loop, &PipeWireSink::onTick, this);
        m_retry = pw_loop_add_timer(loop, &PipeWireSink::onRetry, this);
        m_wake = pw_loop_add_event(loop, &PipeWireSink::onWake, this);
        if (m_tick == nullptr || m_retry == nullptr || m_wake == nullptr) {
            return "cannot create PipeWire timers";
        }
        // The thread is not running yet, so the first attempt runs here, before start().
        tryConnect();
        if (pw_thread_loop_start(m_loop) < 0) {
            return "cannot start PipeWire's event loop thread";
        }
        return {};
    }

    void submit(const cv::Mat& rgba, cv::Size sourceSize, std::chrono::steady_clock::time_point captured) override {
        ++m_board.framesSubmitted;
        m_frame.put(rgba, sourceSize, captured, m_options.size);
        // Wakes the loop thread, which publishes the stream on the first frame and sends each new
        // one at once. Signalling an event is a write to an eventfd: the caller never waits.
        pw_loop_signal_event(pw_thread_loop_get_loop(m_loop), m_wake);
    }

    [[nodiscard]] SinkStatus status() const override { return m_board.snapshot(); }
    [[nodiscard]] std::string description() const override { return "pipewire:" + m_name; }

  private:
    // ---- connection (loop thread) --------------------------------------------------------------

    void tryConnect() {
        m_core = pw_context_connect(m_context, nullptr, 0);
        if (m_core == nullptr) {
            const char* dir = std::getenv("PIPEWIRE_RUNTIME_DIR");
            if (dir == nullptr) {
                dir = std::getenv("XDG_RUNTIME_DIR");
            }
            // After "lost the connection" that message stands: one message per outage, not two.
            if (!m_board.snapshot().error.empty()) {
                armRetry(kNanosecondsPerSecond);
                return;
            }
            m_board.update(false, 0,
                           "no PipeWire daemon answers" + (dir != nullptr ? " in " + std::string(dir) : std::string()) +
                               " (" + describeFileError(errno) + "); " + description() + " will appear when it starts",
                           {});
            armRetry(kNanosecondsPerSecond);
            return;
        }
        static const pw_core_events coreEvents = [] {
            pw_core_events events{};
            events.version = PW_VERSION_CORE_EVENTS;
            events.error = &PipeWireSink::onCoreError;
            return events;
        }();
        pw_core_add_listener(m_core, &m_coreListener, &coreEvents, this);
        m_links.start(
            m_core, [this] { recountConsumers(); }, [this](const char* cause) { failed(cause); });
        m_board.update(false, 0, {}, {});
        if (m_frame.outputSize().area() > 0) {
            createStream();
        }
    }

    void createStream() {
        if (m_stream != nullptr || m_core == nullptr) {
            return;
        }
        m_size = m_frame.outputSize();
        const std::string description = m_name + " (blurred camera)";
        pw_properties* props =
            pw_properties_new(PW_KEY_MEDIA_CLASS, "Video/Source", PW_KEY_MEDIA_ROLE, "Camera", PW_KEY_MEDIA_TYPE,
                              "Video", PW_KEY_MEDIA_CATEGORY, "Capture", PW_KEY_NODE_NAME, m_name.c_str(),
                              PW_KEY_NODE_DESCRIPTION, description.c_str(), nullptr);
        m_stream = pw_stream_new(m_core, m_name.c_str(), props);
        if (m_stream == nullptr) {
            m_board.update(false, 0, "cannot create the PipeWire stream for " + this->description(), {});
            return;
        }
        static const pw_stream_events streamEvents = [] {
            pw_stream_events events{};
            events.version = PW_VERSION_STREAM_EVENTS;
            events.state_changed = &PipeWireSink::onStateChanged;
            events.param_changed = &PipeWireSink::onParamChanged;
            events.process = &PipeWireSink::onProcess;
            return events;
        }();
        pw_stream_add_listener(m_stream, &m_streamListener, &streamEvents, this);

        // One EnumFormat: the fixed size and rate, and a choice of formats.
        std::uint8_t buffer[1024];
        spa_pod_builder builder = SPA_POD_BUILDER_INIT(buffer, sizeof buffer);
        const spa_pod* params[1] = {buildEnumFormat(builder, m_size, m_rate)};
        const int result = pw_stream_connect(
            m_stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
            static_cast<pw_stream_flags>(PW_STREAM_FLAG_DRIVER | PW_STREAM_FLAG_MAP_BUFFERS), params, 1);
        if (result < 0) {
            m_board.update(false, 0,
                           "cannot publish " + this->description() + " on PipeWire: " + describeFileError(-result), {});
        }
    }

    /// Drops the stream, the registry and the core; the context and the timers stay.
    void teardown() {
        if (m_tick != nullptr && m_loop != nullptr) {
            stopTick();
        }
        if (m_stream != nullptr) {
            spa_hook_remove(&m_streamListener);
            pw_stream_destroy(m_stream);
            m_stream = nullptr;
        }
        m_links.stop();
        if (m_core != nullptr) {
            spa_hook_remove(&m_coreListener);
            pw_core_disconnect(m_core);
            m_core = nullptr;
        }
        m_format.reset();
        m_streaming = false;
    }

    void connectionLost(const std::string& why) {
        if (m_lost) {
            return;
        }
        m_lost = true;
        m_board.update(false, 0, why + "; " + description() + " comes back when the daemon does", {});
        // Not torn down here: this runs inside the core's or the stream's own callback.
        armRetry(kNanosecondsPerSecond / 10);
    }

    void armRetry(std::uint64_t after) {
        timespec value = nanoseconds(after);
        pw_loop_update_timer(pw_thread_loop_get_loop(m_loop), m_retry, &value, nullptr, false);
    }

    // Pacing. One one-shot timer says when the next buffer goes out:
    // - a new processed frame goes out as soon as it arrives (waiting for a fixed tick would add
    //   up to a frame interval of latency), but no sooner than 0.9 intervals after the previous
    //   send. A source without a clock of its own (GStreamer's pipewiresink) is scheduled by
    //   PipeWire under this node's clock and delivers a frame after every cycle; without the gap
    //   the two would spin each other up. 0.9 rather than 1: a late frame must not delay the
    //   next one, or the delays would add up.
    // - with no new frame, the last one is repeated 1.5 intervals after a new one went out, then
    //   every interval: a steady source sets the pace and a stalled one is filled in.

    std::uint64_t intervalNs() const { return kNanosecondsPerSecond * m_rate.denom / m_rate.num; }

    void frameArrived() {
        if (m_stream == nullptr) {
            createStream();
            return;
        }
        if (!m_streaming) {
            return;
        }
        const auto earliest = m_lastSend + std::chrono::nanoseconds(intervalNs() * 9 / 10);
        const auto now = std::chrono::steady_clock::now();
        if (now >= earliest) {
            sendNow();
        } else {
            armTick(static_cast<std::uint64_t>(std::chrono::nanoseconds(earliest - now).count()));
        }
    }

    void sendNow() {
        // When another node drives the graph, it calls process() at its own rate instead.
        if (m_stream != nullptr && m_streaming && pw_stream_is_driving(m_stream)) {
            pw_stream_trigger_process(m_stream);
        }
    }

    void armTick(std::uint64_t afterNs) {
        timespec first = nanoseconds(std::max<std::uint64_t>(afterNs, 1));
        timespec never{};
        pw_loop_update_timer(pw_thread_loop_get_loop(m_loop), m_tick, &first, &never, false);
    }
    void stopTick() { pw_loop_update_timer(pw_thread_loop_get_loop(m_loop), m_tick, nullptr, nullptr, false); }

    // ---- consumers ---------------------------------------------------------------------------

    void recountConsumers() {
        if (m_stream == nullptr) {
            return;
        }
        const SinkStatus now = m_board.snapshot();
        m_board.update(now.connected, m_links.readersOf(pw_stream_get_node_id(m_stream)), now.error, now.format);
    }

    // ---- frames (loop thread) ----------------------------------------------------------------

    /// Takes a new frame from the mailbox, if there is one, and converts it once.
    void refreshConverted() {
        if (m_frame.takeIfNewer(m_seenGeneration, m_incoming, m_incomingCaptured)) {
            m_unsentCapture = m_incomingCaptured;
            m_hasUnsent = true;
            convertScaled();
        }
    }

    void convertScaled() {
        if (m_format) {
            m_stride = renderForStream(m_incoming, m_size, m_options.mirror, *m_format, m_converted);
        }
    }

    void process() {
        pw_buffer* buffer = pw_stream_dequeue_buffer(m_stream);
        if (buffer == nullptr) {
            // Every buffer is still with the consumers: it is late, this tick is lost. The clock
            // keeps going, so sending resumes as soon as it returns a buffer.
            m_board.frameDropped();
            armTick(intervalNs());
            return;
        }
        refreshConverted();
        spa_buffer* spa = buffer->buffer;
        spa_data& data = spa->datas[0];
        const std::size_t bytes = m_converted.size();
        if (data.data == nullptr || bytes == 0 || data.maxsize < bytes) {
            data.chunk->size = 0;
            pw_stream_queue_buffer(m_stream, buffer);
            return;
        }
        std::memcpy(data.data, m_converted.data(), bytes);
        data.chunk->offset = 0;
        data.chunk->size = static_cast<std::uint32_t>(bytes);
        data.chunk->stride = static_cast<std::int32_t>(m_stride);
        if (auto* header = static_cast<spa_meta_header*>(
                spa_buffer_find_meta_data(spa, SPA_META_Header, sizeof(spa_meta_header)))) {
            timespec now{};
            clock_gettime(CLOCK_MONOTONIC, &now);
            header->pts = static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
            header->flags = 0;
            header->seq = m_sequence++;
            header->dts_offset = 0;
        }
        pw_stream_queue_buffer(m_stream, buffer);
        ++m_board.framesSent;
        m_lastSend = std::chrono::steady_clock::now();
        armTick(m_hasUnsent ? intervalNs() * 3 / 2 : intervalNs());
        if (m_hasUnsent) {
            m_hasUnsent = false;
            m_board.addLatencySample(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_unsentCapture).count());
        }
    }

    void paramChanged(std::uint32_t id, const spa_pod* param) {
        if (id != SPA_PARAM_Format || param == nullptr) {
            return;
        }
        const std::optional<OutputPixelFormat> format = parseAgreedFormat(param);
        if (!format) {
            pw_stream_set_error(m_stream, -EINVAL, "unsupported format");
            return;
        }
        m_format = format;
        convertScaled();
        std::uint8_t buffer[1024];
        spa_pod_builder builder = SPA_POD_BUILDER_INIT(buffer, sizeof buffer);
        const spa_pod* params[2];
        buildBufferParams(builder, m_converted.size(), m_stride, params);
        pw_stream_update_params(m_stream, params, 2);
        const SinkStatus now = m_board.snapshot();
        m_board.update(now.connected, now.consumers, now.error, describeFormat(*m_format, m_size, m_rate));
    }

    void stateChanged(pw_stream_state state, const char* error) {
        switch (state) {
        case PW_STREAM_STATE_ERROR:
            connectionLost("the PipeWire stream " + description() + " failed (" +
                           std::string(error != nullptr ? error : "unknown error") + ")");
            break;
        case PW_STREAM_STATE_UNCONNECTED:
            if (!m_lost && m_core != nullptr) {
                connectionLost("PipeWire disconnected " + description());
            }
            break;
        case PW_STREAM_STATE_CONNECTING: break;
        case PW_STREAM_STATE_PAUSED: {
            m_streaming = false;
            stopTick();
            const SinkStatus now = m_board.snapshot();
            m_board.update(true, now.consumers, {}, now.format);
            recountConsumers();
            break;
        }
        case PW_STREAM_STATE_STREAMING: {
            m_streaming = true;
            const SinkStatus now = m_board.snapshot();
            m_board.update(true, now.consumers, {}, now.format);
            armTick(1);
            break;
        }
        }
    }

    // ---- C callbacks ---------------------------------------------------------------------------

    /// Runs a callback's body: an exception must never unwind into libpipewire's C code, so it
    /// becomes the sink's error instead.
    template <typename Body>
    static void guarded(void* self, const Body& body) noexcept {
        auto* sink = static_cast<PipeWireSink*>(self);
        try {
            body(*sink);
        } catch (const std::exception& error) {
            sink->failed(error.what());
        } catch (...) {
            sink->failed("an unexpected error");
        }
    }
    void failed(const char* cause) noexcept {
        try {
            m_board.setError(description() + " stopped working: " + cause);
        } catch (...) { // onStatus or the message itself failed: there is no one left to tell
        }
    }

    static void onTick(void* self, std::uint64_t /*expirations*/) {
        guarded(self, [](PipeWireSink& sink) { sink.sendNow(); });
    }
    static void onRetry(void* self, std::uint64_t /*expirations*/) {
        guarded(self, [](PipeWireSink& sink) {
            if (sink.m_lost || sink.m_core == nullptr) {
                sink.teardown();
                sink.m_lost = false;
                sink.tryConnect();
            }
        });
    }
    static void onWake(void* self, std::uint64_t /*count*/) {
        guarded(self, [](PipeWireSink& sink) { sink.frameArrived(); });
    }
    static void onCoreError(void* self, std::uint32_t id, int /*seq*/, int result, const char* message) {
        guarded(self, [&](PipeWireSink& sink) {
            if (id == PW_ID_CORE && result == -EPIPE) {
                sink.connectionLost("lost the connection to the PipeWire daemon");
            } else if (id == PW_ID_CORE) {
                sink.m_board.setError("PipeWire reported an error for " + sink.description() + ": " +
                                      (message != nullptr ? message : describeFileError(-result)));
            }
        });
    }
    static void onStateChanged(void* self, pw_stream_state /*old*/, pw_stream_state state, const char* error) {
        guarded(self, [&](PipeWireSink& sink) { sink.stateChanged(state, error); });
    }
    static void onParamChanged(void* self, std::uint32_t id, const spa_pod* param) {
        guarded(self, [&](PipeWireSink& sink) { sink.paramChanged(id, param); });
    }
    static void onProcess(void* self) {
        guarded(self, [](PipeWireSink& sink) { sink.process(); });
    }

    // ---- members -----------------------------------------------------------------------------

    std::string m_name;
    SinkOptions m_options;
    StatusBoard m_board;
    LatestFrame m_frame;
    spa_fraction m_rate;

    // libpipewire objects. The destructor stops the thread first, then tears these down in
    // reverse order of creation: stream, registry, core (teardown()), timers, context, loop.
    pw_thread_loop* m_loop = nullptr;
    pw_context* m_context = nullptr;
    spa_source* m_tick = nullptr;  ///< the frame clock while streaming
    spa_source* m_retry = nullptr; ///< reconnect attempts
    spa_source* m_wake = nullptr;  ///< "the output size is known": publish the stream
    pw_core* m_core = nullptr;
    spa_hook m_coreListener{};
    NodeLinkWatcher m_links; ///< on the core's registry
    pw_stream* m_stream = nullptr;
    spa_hook m_streamListener{};

    // Loop-thread state.
    bool m_lost = false;
    bool m_streaming = false;
    std::optional<OutputPixelFormat> m_format;
    cv::Size m_size{0, 0};
    std::uint64_t m_seenGeneration = 0;
    cv::Mat m_incoming; ///< the newest processed frame, at the engine's size
    std::chrono::steady_clock::time_point m_incomingCaptured;
    std::vector<std::uint8_t> m_converted; ///< the same in the negotiated format
    std::size_t m_stride = 0;
    bool m_hasUnsent = false;
    std::chrono::steady_clock::time_point m_unsentCapture;
    std::uint64_t m_sequence = 0;
    std::chrono::steady_clock::time_point m_lastSend;
};

} // namespace

OpenedSink openPipeWireSink(const std::string& nodeName, const SinkOptions& options) {
    auto sink = std::make_unique<PipeWireSink>(nodeName, options);
    if (std::string error = sink->start(); !error.empty()) {
        return {nullptr, "cannot open pipewire:" + nodeName + ": " + error};
    }
    return {std::move(sink), {}};
}

} // namespace blurcam::app::detail
