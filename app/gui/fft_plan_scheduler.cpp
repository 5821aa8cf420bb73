#include "fft_plan_scheduler.hpp"

#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace blurcam::gui {

namespace {
constexpr double kPlanSecondsPerTransform = 2.0;
} // namespace

FftPlanner defaultFftPlanner() {
    return [](const std::vector<FftPlanRequest>& requests) { return planFftSizes(requests, kPlanSecondsPerTransform); };
}

FftPlanScheduler::FftPlanScheduler(FftPlanner planner, QObject* parent)
    : QObject(parent), m_planner(std::move(planner)) {
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcher<FftPlanReport>::finished, this, &FftPlanScheduler::finished);
}

FftPlanScheduler::~FftPlanScheduler() {
    // Nobody hears of a measurement that ends now: the app is going.
    m_watcher.disconnect(this);
    m_pool.waitForDone();
}

void FftPlanScheduler::frameProcessed(const ProcessedFrame& frame) {
    if (frame.backend != BackendKind::Fft || frame.input.isNull() || !m_planner || m_watcher.isRunning()) {
        return;
    }
    if (!m_plannedShapes
             .emplace(frame.input.width(), frame.input.height(), frame.params.kernelSize, frame.params.stride)
             .second) {
        return;
    }
    m_size = frame.input.size();
    emit measuringStarted(tr("measuring FFT plans for %1x%2…").arg(m_size.width()).arg(m_size.height()));
    m_clock.start();
    const std::vector<FftPlanRequest> requests{{{frame.input.width(), frame.input.height()}, frame.params}};
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [planner = m_planner, requests] { return planner(requests); }));
}

void FftPlanScheduler::finished() {
    const FftPlanReport report = m_watcher.result();
    const double seconds = static_cast<double>(m_clock.elapsed()) / 1000.0;
    if (!report.error.empty()) {
        m_lastMessage = tr("FFT plans for %1x%2 not saved: %3")
                            .arg(m_size.width())
                            .arg(m_size.height())
                            .arg(QString::fromStdString(report.error));
    } else if (report.transformsKnown == report.transformsPlanned) {
        m_lastMessage = tr("FFT plans for %1x%2 were already measured (%3).")
                            .arg(m_size.width())
                            .arg(m_size.height())
                            .arg(QString::fromStdString(report.wisdomPath));
    } else {
        m_lastMessage = tr("FFT plans for %1x%2 measured in %3 s, saved to %4.")
                            .arg(m_size.width())
                            .arg(m_size.height())
                            .arg(seconds, 0, 'f', 1)
                            .arg(QString::fromStdString(report.wisdomPath));
    }
    ++m_completed;
    emit measuringFinished(m_lastMessage);
}

} // namespace blurcam::gui
