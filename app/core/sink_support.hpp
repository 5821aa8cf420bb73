#pragma once
// What every live sink shares: the latest-frame mailbox (the caller never waits), the counters,
// the latency samples and the status it reports. Private to app/core.

#include "frame_sink.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace blurcam::app::detail {

/// One slot: submit() overwrites it, the sink's thread takes it when it has a new generation.
class LatestFrame {
  public:
    /// Returns true the first time it learns the output size (the first frame, unless fixed).
    bool put(const cv::Mat& rgba, cv::Size sourceSize, std::chrono::steady_clock::time_point captured,
             cv::Size fixedSize);
    /// Copies the newest frame into out if it is newer than seenGeneration; false otherwise.
    bool takeIfNewer(std::uint64_t& seenGeneration, cv::Mat& out, std::chrono::steady_clock::time_point& captured);
    [[nodiscard]] cv::Size outputSize() const;

  private:
    mutable std::mutex m_mutex;
    cv::Mat m_frame;
    std::chrono::steady_clock::time_point m_captured;
    std::uint64_t m_generation = 0;
    cv::Size m_outputSize{0, 0};
};

/// Status shared between the sink's thread (writer) and anyone who asks (readers).
class StatusBoard {
  public:
    explicit StatusBoard(std::function<void(const SinkStatus&)> onStatus) : m_onStatus(std::move(onStatus)) {}
    /// Changes connected/consumers/error/format; calls onStatus when any of them changed.
    void update(bool connected, int consumers, const std::string& error, const std::string& format);
    void setError(const std::string& error);
    void addLatencySample(double milliseconds);
    /// Counts a tick at which no consumer buffer was free. The first since the consumers last
    /// changed sets stalled and calls onStatus.
    void frameDropped();
    [[nodiscard]] SinkStatus snapshot() const;

    std::atomic<long long> framesSent{0};
    std::atomic<long long> framesDropped{0};
    std::atomic<long long> framesSubmitted{0};

  private:
    std::function<void(const SinkStatus&)> m_onStatus;
    mutable std::mutex m_mutex;
    SinkStatus m_status;
    std::vector<double> m_latencies; ///< the most recent samples, a bounded window
    std::size_t m_nextLatency = 0;
};

/// PipeWire and V4L2 sink factories (pipewire_sink.cpp, v4l2_sink.cpp).
[[nodiscard]] OpenedSink openPipeWireSink(const std::string& nodeName, const SinkOptions& options);
[[nodiscard]] OpenedSink openV4l2Sink(const std::string& devicePath, const SinkOptions& options);
/// The V4L2 sink's thread on fd, which it owns and openV4l2Sink() has checked is a v4l2loopback
/// output: it waits for the first frame, sets the format, then writes at the output rate.
[[nodiscard]] std::unique_ptr<FrameSink> startV4l2Sink(const std::string& devicePath, int fd,
                                                       const SinkOptions& options);

} // namespace blurcam::app::detail
