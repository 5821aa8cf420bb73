// Makers for backends this build leaves out (BLURCAM_WITH_VULKAN / BLURCAM_WITH_FFTW off), so
// the factory can say so instead of failing to link.
#include "backend_registry.hpp"
#include "blurcam/devices.hpp"

namespace blurcam::detail {

#ifndef BLURCAM_HAVE_VULKAN
BackendResult makeVulkanBackend(const BackendOptions&, VulkanDevices) {
    return BackendResult::cannotStart(
        "this build of blurcam has no Vulkan support (configured with BLURCAM_WITH_VULKAN=OFF)");
}
#endif

#ifndef BLURCAM_HAVE_FFTW
BackendResult makeFftBackend(const BackendOptions&) {
    return BackendResult::cannotStart(
        "this build of blurcam has no FFT support (configured with BLURCAM_WITH_FFTW=OFF)");
}
#endif

} // namespace blurcam::detail

#ifndef BLURCAM_HAVE_VULKAN
blurcam::GpuDeviceList blurcam::listGpuDevices() {
    return {{}, "this build of blurcam has no Vulkan support"};
}

void blurcam::prepareGpuDriverEnvironment() {} // no driver is ever loaded
#endif

#ifndef BLURCAM_HAVE_FFTW
#include "blurcam/fft_planning.hpp"
#include "blurcam/spectrum.hpp"

#include <stdexcept>

blurcam::FloatImage blurcam::magnitudeSpectrum(const FloatImage&) {
    throw std::runtime_error("this build of blurcam has no FFT support, so it cannot compute a frame's spectrum");
}

std::string blurcam::fftWisdomPath() {
    return {};
}

blurcam::FftPlanReport blurcam::planFftSizes(const std::vector<FftPlanRequest>&, double) {
    return {0, {}, "this build of blurcam has no FFT support (configured with BLURCAM_WITH_FFTW=OFF)"};
}
#endif
