#pragma once
// Private to the Vulkan backend: loading the loader, making an instance (with the validation
// layer when asked), and choosing a device. Shared by the backend and listGpuDevices() so the
// list shows exactly the device the backend would take.

#include "blurcam/devices.hpp"

#include <vulkan/vulkan_raii.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace blurcam::vulkan {

/// Every message the debug messenger delivers (warnings and errors of any type). The backend
/// turns them into exceptions after the frame, never inside the driver's callback.
class ValidationLog {
  public:
    void add(std::string message);
    /// Returns the collected messages and empties the log.
    [[nodiscard]] std::vector<std::string> take();

  private:
    std::mutex m_mutex;
    std::vector<std::string> m_messages;
};

/// A failure the caller should see as one sentence (std::runtime_error's message).
class VulkanError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The loader, an instance and (with validation) the messenger. Members are destroyed in reverse
/// order, which is the order Vulkan requires: messenger, then instance, then the loader (the
/// Context owns the dlopen'd libvulkan), and the log last because the messenger writes to it.
struct InstanceBundle {
    std::unique_ptr<ValidationLog> log;         ///< outlives the messenger that fills it
    std::unique_ptr<vk::raii::Context> context; ///< libvulkan.so.1, loaded at run time
    vk::raii::Instance instance{nullptr};
    vk::raii::DebugUtilsMessengerEXT messenger{nullptr}; ///< null without validation
};

/// Loads libvulkan and creates an instance; throws VulkanError with one sentence ("the Vulkan
/// loader could not be loaded", "no Vulkan driver", "validation layer not installed").
[[nodiscard]] InstanceBundle createInstance(bool validation);

struct DeviceChoice {
    std::vector<GpuDevice> devices; ///< every device the loader lists, with `selected` set
    int selected = -1;              ///< index into devices
};

/// Ranks discrete > integrated > virtual > cpu > other (only devices with a compute queue),
/// unless `override` (an index or a case-insensitive name substring) names one. `overrideSource`
/// names where the override came from, for the error. Throws VulkanError when nothing fits.
[[nodiscard]] DeviceChoice chooseDevice(const vk::raii::PhysicalDevices& physicalDevices, std::string_view override,
                                        std::string_view overrideSource);

/// Lists the instance's devices, turning the loader's "no driver" failures into one sentence.
[[nodiscard]] vk::raii::PhysicalDevices enumerateDevices(const vk::raii::Instance& instance);

/// First compute-capable queue family, if any.
[[nodiscard]] std::optional<std::uint32_t> computeQueueFamily(const vk::raii::PhysicalDevice& device);

/// "VK_ERROR_DEVICE_LOST"-style name for a result.
[[nodiscard]] std::string resultName(vk::Result result);

/// vkAllocateMemory calls made by every Vulkan backend in this process, and allocations still
/// alive; tests use them to prove that frames allocate nothing.
struct MemoryStatistics {
    std::uint64_t allocations = 0;
    std::int64_t live = 0;
};
[[nodiscard]] MemoryStatistics memoryStatistics();

/// Counts one vkAllocateMemory for as long as it lives (move-only).
class AllocationToken {
  public:
    AllocationToken() = default; ///< counts nothing
    ~AllocationToken();
    /// Call right after a successful vkAllocateMemory.
    [[nodiscard]] static AllocationToken counted();
    AllocationToken(AllocationToken&& other) noexcept : m_counted(other.m_counted) { other.m_counted = false; }
    AllocationToken& operator=(AllocationToken&& other) noexcept;
    AllocationToken(const AllocationToken&) = delete;
    AllocationToken& operator=(const AllocationToken&) = delete;

  private:
    bool m_counted = false;
};

} // namespace blurcam::vulkan
