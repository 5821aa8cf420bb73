#pragma once
// The pipeline's processing side: takes the newest frame from the mailbox, blurs it with the
// chosen backend (falling back to the CPU when that fails) and feeds the window and the sinks.

#include "pipeline_state.hpp"

#include <QObject>
#include <QThread>

namespace blurcam::gui::detail {

class ProcessWorker : public QObject {
    Q_OBJECT
  public:
    ProcessWorker(BackendMaker maker, std::shared_ptr<SharedState> shared);
    ~ProcessWorker() override;

    /// Tries every backend once (their reasons feed the greyed-out entries), then starts `kind`.
    void probeAndStart(BackendKind kind);
    void setBackend(BackendKind kind);
    void setParams(const BlurParams& params) { m_params = params; }
    void processLatest();
    void shutdown(QThread* home);

  signals:
    void backendsProbed(const QList<blurcam::gui::BackendAvailability>& backends);
    void backendChanged(blurcam::BackendKind kind, const QString& name, const QString& device);
    /// kind could not start or failed mid-stream; the worker now runs on the CPU.
    void backendFailed(blurcam::BackendKind kind, const QString& error);
    void processingError(const QString& error);
    void processed(const blurcam::gui::ProcessedFrame& frame);

  private:
    /// The one place a backend is made: a maker that throws reads like one that says why not.
    [[nodiscard]] BackendResult makeBackend(BackendKind kind) const;
    bool activate(BackendKind kind, std::unique_ptr<Backend> backend);
    void submitToSinks(cv::Size engineInput, qint64 captureNs);
    void fallBackToCpu(BackendKind failed, const QString& error);

    BackendMaker m_maker;
    std::shared_ptr<SharedState> m_shared;
    std::unique_ptr<Backend> m_backend;
    BackendKind m_kind = BackendKind::Cpu;
    BlurParams m_params;
    cv::Mat m_output;
};

} // namespace blurcam::gui::detail
