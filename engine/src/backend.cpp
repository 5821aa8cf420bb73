#include "blurcam/backend.hpp"

#include "backend_registry.hpp"

#include <array>

namespace blurcam {

void Backend::process(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    validate(src, dst, params);
    processValidated(src, dst, params);
}

std::string_view toString(BackendKind kind) {
    switch (kind) {
    case BackendKind::Auto: return "auto";
    case BackendKind::Cpu: return "cpu";
    case BackendKind::Vulkan: return "vulkan";
    case BackendKind::Fft: return "fft";
    }
    return "unknown";
}

std::optional<BackendKind> parseBackendKind(std::string_view text) {
    for (BackendKind kind : {BackendKind::Auto, BackendKind::Cpu, BackendKind::Vulkan, BackendKind::Fft}) {
        if (text == toString(kind)) {
            return kind;
        }
    }
    if (text == "gpu") {
        return BackendKind::Vulkan;
    }
    return std::nullopt;
}

BackendResult createBackend(BackendKind kind, const BackendOptions& options) {
    BackendResult result;
    detail::MadeBackend made;
    switch (kind) {
    case BackendKind::Cpu: made = detail::makeCpuBackend(options); break;
    case BackendKind::Vulkan: made = detail::makeVulkanBackend(options); break;
    case BackendKind::Fft: made = detail::makeFftBackend(options); break;
    case BackendKind::Auto: {
        // A GPU only pays off when one is really there; lavapipe (Vulkan on the CPU) is slower
        // than the CPU path, so Auto keeps to the CPU unless a hardware device was selected.
        made = detail::makeVulkanBackend(options);
        if (made.backend && made.backend->deviceName().find("llvmpipe") == std::string::npos) {
            result.backend = std::move(made.backend);
            return result;
        }
        result.note = made.backend
                          ? "Vulkan runs on the CPU here (" + made.backend->deviceName() + "), using the CPU backend"
                          : "Vulkan is not available (" + made.error + "), using the CPU backend";
        made = detail::makeCpuBackend(options);
        break;
    }
    }
    result.backend = std::move(made.backend);
    result.error = std::move(made.error);
    return result;
}

void blur(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    // One CPU backend per thread keeps its scratch buffers between calls without locking.
    thread_local std::unique_ptr<Backend> backend = detail::makeCpuBackend({}).backend;
    backend->process(src, dst, params);
}

} // namespace blurcam
