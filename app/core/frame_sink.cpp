#include "frame_sink.hpp"

#include "quoted.hpp"
#include "sink_support.hpp"
#include "source_spec.hpp"

#include <algorithm>

namespace blurcam::app {

std::optional<SinkSpec> parseSinkSpec(const std::string& spec) {
    if (spec == "pipewire") {
        return SinkSpec{SinkKind::PipeWire, "blurcam"};
    }
    if (spec.rfind("pipewire:", 0) == 0) {
        std::string name = spec.substr(std::string("pipewire:").size());
        return SinkSpec{SinkKind::PipeWire, name.empty() ? std::string("blurcam") : std::move(name)};
    }
    if (spec.rfind("v4l2:", 0) == 0) {
        return SinkSpec{SinkKind::V4l2, spec.substr(std::string("v4l2:").size())};
    }
    return std::nullopt;
}

std::string toString(const SinkSpec& spec) {
    return (spec.kind == SinkKind::PipeWire ? "pipewire:" : "v4l2:") + spec.target;
}

std::string describeWatchers(const SinkStatus& status) {
    if (!status.error.empty()) {
        return status.error;
    }
    if (!status.connected) {
        return "connecting";
    }
    if (status.consumers == 0) {
        return "no one watching";
    }
    return std::to_string(status.consumers) + (status.consumers == 1 ? " program watching" : " programs watching");
}

std::string sinkSpecProblem(const SinkSpec& spec) {
    switch (spec.kind) {
    case SinkKind::PipeWire:
        if (!isPlainNodeName(spec.target)) {
            return "invalid --output " + app::quoted(toString(spec)) +
                   ": expected pipewire:NAME with NAME a node name such as blurcam (letters, digits and ._-:)";
        }
        return {};
    case SinkKind::V4l2:
        if (spec.target.empty()) {
            return "invalid --output " + app::quoted(toString(spec)) + ": expected v4l2:/dev/videoN (no device given)";
        }
        return {};
    }
    return {};
}

OpenedSink openFrameSink(const SinkSpec& spec, const SinkOptions& options) {
    if (std::string problem = sinkSpecProblem(spec); !problem.empty()) {
        return {nullptr, std::move(problem)};
    }
    switch (spec.kind) {
    case SinkKind::PipeWire: return detail::openPipeWireSink(spec.target, options);
    case SinkKind::V4l2: return detail::openV4l2Sink(spec.target, options);
    }
    return {nullptr, "unknown output " + toString(spec)};
}

namespace detail {

bool LatestFrame::put(const cv::Mat& rgba, cv::Size sourceSize, std::chrono::steady_clock::time_point captured,
                      cv::Size fixedSize) {
    const std::lock_guard lock(m_mutex);
    rgba.copyTo(m_frame); // reuses the slot's memory once the size is stable
    m_captured = captured;
    ++m_generation;
    if (m_outputSize.area() == 0) {
        m_outputSize = fixedSize.area() > 0 ? fixedSize : sourceSize;
        return true;
    }
    return false;
}

bool LatestFrame::takeIfNewer(std::uint64_t& seenGeneration, cv::Mat& out,
                              std::chrono::steady_clock::time_point& captured) {
    const std::lock_guard lock(m_mutex);
    if (m_generation == seenGeneration || m_frame.empty()) {
        return false;
    }
    seenGeneration = m_generation;
    m_frame.copyTo(out);
    captured = m_captured;
    return true;
}

cv::Size LatestFrame::outputSize() const {
    const std::lock_guard lock(m_mutex);
    return m_outputSize;
}

void StatusBoard::update(bool connected, int consumers, const std::string& error, const std::string& format) {
    SinkStatus changed;
    {
        const std::lock_guard lock(m_mutex);
        if (m_status.connected == connected && m_status.consumers == consumers && m_status.error == error &&
            m_status.format == format) {
            return;
        }
        if (m_status.consumers != consumers) {
            m_status.stalled = false; // a new set of consumers: a stall is news again
        }
        m_status.connected = connected;
        m_status.consumers = consumers;
        m_status.error = error;
        m_status.format = format;
    }
    changed = snapshot();
    if (m_onStatus) {
        m_onStatus(changed);
    }
}

void StatusBoard::frameDropped() {
    ++framesDropped;
    {
        const std::lock_guard lock(m_mutex);
        if (m_status.stalled) {
            return;
        }
        m_status.stalled = true;
    }
    if (m_onStatus) {
        m_onStatus(snapshot());
    }
}

void StatusBoard::setError(const std::string& error) {
    SinkStatus current = snapshot();
    update(current.connected && error.empty(), error.empty() ? current.consumers : 0, error, current.format);
}

void StatusBoard::addLatencySample(double milliseconds) {
    constexpr std::size_t kWindow = 4096;
    const std::lock_guard lock(m_mutex);
    if (m_latencies.size() < kWindow) {
        m_latencies.push_back(milliseconds);
    } else {
        m_latencies[m_nextLatency] = milliseconds;
        m_nextLatency = (m_nextLatency + 1) % kWindow;
    }
    ++m_status.latencySamples;
}

SinkStatus StatusBoard::snapshot() const {
    SinkStatus status;
    std::vector<double> latencies;
    {
        const std::lock_guard lock(m_mutex);
        status = m_status;
        latencies = m_latencies;
    }
    status.framesSent = framesSent.load();
    status.framesDropped = framesDropped.load();
    status.framesSubmitted = framesSubmitted.load();
    if (!latencies.empty()) {
        std::sort(latencies.begin(), latencies.end());
        // Nearest rank, so each figure is a latency that really happened.
        const auto rank = [&](double fraction) {
            const auto index = static_cast<std::size_t>(fraction * static_cast<double>(latencies.size()) + 0.999999);
            return latencies[std::clamp<std::size_t>(index, 1, latencies.size()) - 1];
        };
        status.latencyMedianMs = rank(0.5);
        status.latencyP99Ms = rank(0.99);
    }
    return status;
}

} // namespace detail
} // namespace blurcam::app
