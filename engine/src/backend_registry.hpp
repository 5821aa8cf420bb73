#pragma once
// Private: how createBackend() reaches each backend. Each backend folder defines its maker
// (cpu/cpu_backend.cpp, vulkan/vulkan_backend.cpp, fft/fft_backend.cpp); for a backend this build
// leaves out, backends_not_built.cpp defines one that says so. A maker never throws: it returns
// the backend, or null and one sentence of why not.

#include "blurcam/backend.hpp"

namespace blurcam::detail {

/// Which Vulkan devices will do: Auto wants a real GPU, since a CPU implementation of Vulkan
/// (Mesa's lavapipe) is slower than the CPU backend.
enum class VulkanDevices { Any, HardwareOnly };

[[nodiscard]] BackendResult makeCpuBackend(const BackendOptions& options);
[[nodiscard]] BackendResult makeVulkanBackend(const BackendOptions& options,
                                              VulkanDevices devices = VulkanDevices::Any);
[[nodiscard]] BackendResult makeFftBackend(const BackendOptions& options);

} // namespace blurcam::detail
