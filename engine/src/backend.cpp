#include "blurcam/backend.hpp"

#include "backend_registry.hpp"
#include "blurcam/steady_clock.hpp"

namespace blurcam {

void Backend::process(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    const std::int64_t startNs = steadyNowNs();
    validate(src, dst, params);
    m_lastTimings = {};
    processValidated(src, dst, params);
    m_lastTimings.totalMs = millisecondsSince(startNs);
    if (m_lastTimings.uploadMs == 0.0 && m_lastTimings.computeMs == 0.0 && m_lastTimings.downloadMs == 0.0) {
        m_lastTimings.computeMs = m_lastTimings.totalMs; // no stages: the whole frame was compute
    }
}

std::string_view toString(BackendKind kind) {
    const auto* entry = findNamed(kBackendKinds, kind);
    return entry != nullptr ? entry->name : "unknown";
}

std::optional<BackendKind> parseBackendKind(std::string_view text) {
    return parseNamed(kBackendKinds, text);
}

BackendResult createBackend(BackendKind kind, const BackendOptions& options) {
    switch (kind) {
    case BackendKind::Cpu: return detail::makeCpuBackend(options);
    case BackendKind::Vulkan: return detail::makeVulkanBackend(options);
    case BackendKind::Fft: return detail::makeFftBackend(options);
    case BackendKind::Auto: break;
    }
    // Auto falls through to the CPU, as OpenCV's dispatch does when an implementation says no.
    BackendResult vulkan = detail::makeVulkanBackend(options, detail::VulkanDevices::HardwareOnly);
    if (vulkan.backend) {
        return vulkan;
    }
    BackendResult cpu = detail::makeCpuBackend(options);
    cpu.note = "Vulkan is not available (" + vulkan.error + "), using the CPU backend";
    return cpu;
}

void blur(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    // One CPU backend per thread keeps its scratch buffers between calls without locking.
    thread_local std::unique_ptr<Backend> backend = detail::makeCpuBackend({}).backend;
    backend->process(src, dst, params);
}

} // namespace blurcam
