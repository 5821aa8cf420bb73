#pragma once
// Per-frame times for the summary's median and p99, in bounded memory: a camera can run for days
// and `bench --frames 1000000000` is a valid request. Up to kCapacity samples are kept exactly;
// when full, every other one is dropped and from then on only every 2nd (4th, 8th...) frame is
// kept, so the samples stay an even spread over the whole run and every percentile reported is a
// time that was really measured.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace blurcam::cli {

class FrameTimes {
  public:
    static constexpr std::size_t kCapacity = 1 << 16;

    void add(double milliseconds) {
        if (m_seen++ % m_keepEvery != 0) {
            return;
        }
        if (m_samples.size() == kCapacity) {
            for (std::size_t i = 0; i < kCapacity / 2; ++i) {
                m_samples[i] = m_samples[2 * i];
            }
            m_samples.resize(kCapacity / 2);
            m_keepEvery *= 2;
            if ((m_seen - 1) % m_keepEvery != 0) {
                return;
            }
        }
        m_samples.push_back(milliseconds);
    }

    /// Nearest rank: fraction 0.5 is the median, 0.99 the p99. 0 when nothing was added.
    [[nodiscard]] double percentile(double fraction) const {
        if (m_samples.empty()) {
            return 0.0;
        }
        std::vector<double> sorted = m_samples;
        std::sort(sorted.begin(), sorted.end());
        const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
        return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
    }

    [[nodiscard]] std::size_t samplesKept() const { return m_samples.size(); }

  private:
    std::vector<double> m_samples;
    unsigned long long m_seen = 0;
    unsigned long long m_keepEvery = 1;
};

} // namespace blurcam::cli
