#pragma once
// Measures FFTW plans for the shapes the FFT backend meets, once per shape, on a thread of its
// own: a measurement takes seconds, and neither the window nor the blurring may wait for it.
// The plans are saved as wisdom, so the next start of any blurcam process has them at once.

#include "pipeline_state.hpp"

#include <blurcam/fft_planning.hpp>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QSize>
#include <QThreadPool>

#include <functional>
#include <set>
#include <tuple>
#include <vector>

namespace blurcam::gui {

/// Measures FFT plans; runs on the scheduler's planning thread. Injected so tests can watch
/// where and when it runs.
using FftPlanner = std::function<FftPlanReport(const std::vector<FftPlanRequest>& requests)>;

/// blurcam::planFftSizes with a shorter limit per transform than the CLI's: the app must also
/// be able to quit soon, and FFTW cannot be interrupted.
[[nodiscard]] FftPlanner defaultFftPlanner();

class FftPlanScheduler : public QObject {
    Q_OBJECT
  public:
    /// An empty planner measures nothing.
    explicit FftPlanScheduler(FftPlanner planner, QObject* parent = nullptr);
    /// Waits for a measurement under way: it cannot be interrupted, and ends within its limit.
    ~FftPlanScheduler() override;

    /// A frame was blurred: if the FFT backend did it and its shape is new, that shape's plans
    /// are measured. A new shape met while another is measured is taken from a later frame.
    void frameProcessed(const ProcessedFrame& frame);

    /// Measurements finished so far, and the sentence the last one ended with.
    [[nodiscard]] int completed() const { return m_completed; }
    [[nodiscard]] QString lastMessage() const { return m_lastMessage; }

  signals:
    /// A measurement began; note says so in a few words, for as long as it runs.
    void measuringStarted(const QString& note);
    /// It ended: how long it took and where the plans went, or why they were not saved.
    void measuringFinished(const QString& message);

  private:
    void finished();

    FftPlanner m_planner;
    // The frame size, K and stride: together they decide the transform sizes.
    std::set<std::tuple<int, int, int, int>> m_plannedShapes;
    QElapsedTimer m_clock;
    QSize m_size; ///< of the frame being measured
    int m_completed = 0;
    QString m_lastMessage;
    QThreadPool m_pool; ///< one thread: one measurement at a time
    QFutureWatcher<FftPlanReport> m_watcher;
};

} // namespace blurcam::gui
