#pragma once
// The blur rate for the status line. Counting frames per status tick (every 0.5 s) flickers
// between 14 and 16 for a steady 15, because a tick falls before or after a frame. Here the
// count is divided by the time between the frames counted, over at least one second, so a
// steady rate reads steady whenever the ticks come.

#include <QtGlobal>

#include <deque>

namespace blurcam::gui {

class RateMeter {
  public:
    static constexpr qint64 kWindowNs = 1'000'000'000;

    /// nowNs: when the tick runs; count: frames so far; lastFrameNs: when the last of them was done.
    void add(qint64 nowNs, quint64 count, qint64 lastFrameNs) {
        m_nowNs = nowNs;
        if (!m_samples.empty() && m_samples.back().count == count) {
            return; // no new frame: the window keeps its last frame as its end
        }
        m_samples.push_back({count, lastFrameNs});
        // Keep the oldest sample that still leaves a window of at least kWindowNs.
        while (m_samples.size() > 2 && lastFrameNs - m_samples[1].frameNs >= kWindowNs) {
            m_samples.pop_front();
        }
    }

    /// Frames per second; 0 when nothing was done for a whole window.
    [[nodiscard]] double rate() const {
        if (m_samples.size() < 2 || m_nowNs - m_samples.back().frameNs > kWindowNs) {
            return 0.0;
        }
        const Sample& first = m_samples.front();
        const Sample& last = m_samples.back();
        const qint64 span = last.frameNs - first.frameNs;
        return span > 0 ? static_cast<double>(last.count - first.count) * 1e9 / static_cast<double>(span) : 0.0;
    }

  private:
    struct Sample {
        quint64 count = 0;
        qint64 frameNs = 0;
    };
    std::deque<Sample> m_samples;
    qint64 m_nowNs = 0;
};

} // namespace blurcam::gui
