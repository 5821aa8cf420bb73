#pragma once
// Stand-ins the GUI tests inject where real hardware would be needed: a backend that is the CPU
// under another name (slow, held at a gate, failing mid-stream or reporting GPU timings at
// will), and a camera that can be unplugged and plugged in again.

#include "frame_source.hpp"
#include "pipeline_state.hpp"
#include "test_pattern.hpp"

#include <blurcam/backend.hpp>

#include <opencv2/core.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace blurcam::test {

/// Holds every frame a fake backend is given until the test opens it: processing as much slower
/// than capture as a test needs, whatever the machine's speed. Open it before the pipeline is
/// destroyed (its worker would wait for ever), e.g. with a qScopeGuard declared after it.
class Gate {
  public:
    void pass() {
        std::unique_lock lock(m_mutex);
        ++m_arrived;
        m_changed.wait(lock, [this] { return m_open; });
    }
    void open() {
        {
            const std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_changed.notify_all();
    }
    /// Frames that reached the gate, held or let through.
    [[nodiscard]] int arrived() const {
        const std::lock_guard lock(m_mutex);
        return m_arrived;
    }

  private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_open = false;
    int m_arrived = 0;
};

/// A backend that is really the CPU one under another name, optionally slow, held at a gate or
/// failing after a number of frames (a GPU lost mid-stream).
class FakeBackend final : public Backend {
  public:
    FakeBackend(std::string name, std::chrono::milliseconds delay, int failAfter,
                std::optional<FrameTimings> timings = {}, std::shared_ptr<Gate> gate = {})
        : m_cpu(createBackend(BackendKind::Cpu).backend), m_name(std::move(name)), m_delay(delay),
          m_failAfter(failAfter), m_timings(timings), m_gate(std::move(gate)) {}
    [[nodiscard]] std::string name() const override { return m_name; }
    [[nodiscard]] std::string deviceName() const override { return "fake device"; }

  protected:
    void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) override {
        if (m_failAfter >= 0 && m_frames++ >= m_failAfter) {
            throw std::runtime_error("fake GPU: device lost");
        }
        if (m_gate) {
            m_gate->pass();
        }
        std::this_thread::sleep_for(m_delay);
        m_cpu->process(src, dst, params);
        m_lastTimings = m_timings.value_or(m_cpu->lastTimings());
    }

  private:
    std::unique_ptr<Backend> m_cpu;
    std::string m_name;
    std::chrono::milliseconds m_delay;
    int m_failAfter;
    int m_frames = 0;
    std::optional<FrameTimings> m_timings; ///< what lastTimings() reports, as a GPU would
    std::shared_ptr<Gate> m_gate;
};

struct FakeSpec {
    std::chrono::milliseconds delay{0};
    int failAfter = -1;                  ///< frames before process() throws; -1: never
    std::optional<FrameTimings> timings; ///< reported by lastTimings(); unset: the CPU's
    std::shared_ptr<Gate> gate;          ///< every frame waits here until it opens; unset: none
};

/// Makes a FakeBackend ("fake <kind>") for each kind listed, and the real backend for the others.
inline gui::BackendMaker fakeMaker(std::map<BackendKind, FakeSpec> fakes) {
    return [fakes](BackendKind kind) -> BackendResult {
        if (auto found = fakes.find(kind); found != fakes.end()) {
            BackendResult result;
            result.backend =
                std::make_unique<FakeBackend>("fake " + std::string(toString(kind)), found->second.delay,
                                              found->second.failAfter, found->second.timings, found->second.gate);
            return result;
        }
        return createBackend(kind);
    };
}

/// A camera stand-in: pattern frames at a fixed rate, failing while `unplugged` is set (both
/// reads and re-opens, as a real unplugged camera does).
struct FakeCamera {
    std::atomic<bool> unplugged{false};
    std::atomic<int> opens{0};
    double fps = 60.0;
};

class FakeCameraSource final : public app::FrameSource {
  public:
    explicit FakeCameraSource(std::shared_ptr<FakeCamera> camera) : m_camera(std::move(camera)) {}
    app::ReadStatus read(cv::Mat& rgba) override {
        if (m_camera->unplugged) {
            return app::ReadStatus::Error;
        }
        rgba = app::renderTestPattern({320, 240}, m_index++);
        return app::ReadStatus::Frame;
    }
    [[nodiscard]] std::string description() const override { return "fake camera"; }
    [[nodiscard]] std::string error() const override { return "fake camera: the device was unplugged"; }
    [[nodiscard]] double framesPerSecond() const override { return m_camera->fps; }

  private:
    std::shared_ptr<FakeCamera> m_camera;
    long long m_index = 0;
};

/// Opens "camera:7" as the fake camera (counting every attempt) and any other spec for real.
inline gui::SourceOpener fakeOpener(std::shared_ptr<FakeCamera> camera) {
    return [camera](const std::string& spec) -> app::OpenedSource {
        if (spec != "camera:7") {
            return app::openFrameSource(spec);
        }
        ++camera->opens;
        if (camera->unplugged) {
            return {nullptr, "fake camera: /dev/video7 does not exist"};
        }
        return {std::make_unique<FakeCameraSource>(camera), {}};
    };
}

} // namespace blurcam::test
