#pragma once
// The Vulkan compute backend: the fixed-point blur of blurcam/kernel.hpp in compute shaders.
// K <= kMaxFusedKernel runs as one dispatch (tile + halo in shared memory); larger K as a column
// dispatch and a row dispatch. Everything the frame needs is created once per frame size (grown,
// never shrunk) and reused; a frame allocates nothing.

#include "blurcam/backend.hpp"
#include "blurcam/kernel.hpp"
#include "vulkan_context.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace blurcam::vulkan {

/// Largest K the fused shader handles (its shared arrays are sized for it); see blur_fused.comp.
inline constexpr int kMaxFusedKernel = 15;
/// Output pixels per workgroup side, as in the shaders' local_size.
inline constexpr int kTile = 16;

/// One VkBuffer with its own memory, persistently mapped when host-visible. Members are
/// destroyed bottom-up: the buffer before the memory it is bound to, the counter last.
struct GpuBuffer {
    AllocationToken token; ///< counts the vkAllocateMemory below while alive
    vk::raii::DeviceMemory memory{nullptr};
    vk::raii::Buffer buffer{nullptr};
    vk::DeviceSize capacity = 0; ///< bytes
    void* mapped = nullptr;      ///< host pointer, null for device-local memory
    bool coherent = true;        ///< false: flush after writing, invalidate before reading
};

/// The three compute pipelines and what they share. Destroyed bottom-up: pipelines, then the
/// shader modules and layouts they were made from.
struct Pipelines {
    vk::raii::DescriptorSetLayout setLayout{nullptr}; ///< 0 input, 1 output, 2 taps, 3 column values
    vk::raii::PipelineLayout layout{nullptr};         ///< the set + 32 bytes of push constants
    vk::raii::ShaderModule fusedModule{nullptr};
    vk::raii::ShaderModule columnsModule{nullptr};
    vk::raii::ShaderModule rowsModule{nullptr};
    vk::raii::Pipeline fused{nullptr};   ///< one dispatch, K <= kMaxFusedKernel
    vk::raii::Pipeline columns{nullptr}; ///< two dispatches for larger K: column pass...
    vk::raii::Pipeline rows{nullptr};    ///< ...then row pass
};

class VulkanBackend final : public Backend {
  public:
    /// Throws VulkanError (one sentence) when Vulkan cannot start, or when hardwareOnly and the
    /// chosen device is a CPU implementation (vk::PhysicalDeviceType::eCpu, e.g. lavapipe).
    VulkanBackend(const BackendOptions& options, bool hardwareOnly);
    ~VulkanBackend() override;

    [[nodiscard]] std::string name() const override;
    [[nodiscard]] std::string deviceName() const override { return m_deviceName; }

    /// For tests: the logical device (to provoke a validation message) and the message log.
    [[nodiscard]] const vk::raii::Device& deviceForTesting() const { return m_device; }
    [[nodiscard]] ValidationLog& validationLogForTesting() { return *m_instance.log; }

  protected:
    void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) override;

  private:
    /// What the command buffer was recorded for.
    struct RecordedFrame {
        Size input;
        BlurParams params;
        friend bool operator==(const RecordedFrame&, const RecordedFrame&) = default;
    };

    void createPipelines();
    void ensureBuffers(Size input, Size output, bool needsColumns);
    /// Grows buffer to at least bytes; true when it was replaced.
    bool ensureBuffer(GpuBuffer& buffer, vk::DeviceSize bytes, vk::BufferUsageFlags usage, bool hostVisible,
                      vk::MemoryPropertyFlags preferred, vk::MemoryPropertyFlags avoided = {});
    void writeDescriptors();
    void writeTaps(const BlurParams& params);
    void record(Size input, Size output, const BlurParams& params);
    void runFrame(const ImageView& src, const MutableImageView& dst, const BlurParams& params);
    void throwIfValidationSpoke(std::string_view when);
    /// First allowed type with required | preferred and none of avoided, then relaxing avoided,
    /// then preferred.
    [[nodiscard]] std::uint32_t memoryType(std::uint32_t allowedTypes, vk::MemoryPropertyFlags required,
                                           vk::MemoryPropertyFlags preferred, vk::MemoryPropertyFlags avoided) const;

    // Members are destroyed in reverse order, which is the order Vulkan needs: everything made
    // from the device is declared after m_device and so destroyed before it; the device goes
    // before the instance, the instance before its loader (both inside m_instance). The buffers
    // die before the descriptor set that names them, which Vulkan allows because the set is never
    // used again; the set is freed before its pool. The destructor first waits for the fence so
    // nothing is destroyed while the GPU still uses it.
    InstanceBundle m_instance; ///< loader, instance, validation messenger
    vk::raii::PhysicalDevice m_physicalDevice{nullptr};
    vk::raii::Device m_device{nullptr};
    vk::raii::Queue m_queue{nullptr};
    Pipelines m_pipelines;
    vk::raii::DescriptorPool m_descriptorPool{nullptr};
    vk::raii::DescriptorSet m_descriptorSet{nullptr}; ///< freed into m_descriptorPool before it goes
    vk::raii::CommandPool m_commandPool{nullptr};
    vk::raii::CommandBuffer m_commandBuffer{nullptr}; ///< recorded once per size/params, resubmitted
    vk::raii::QueryPool m_timestamps{nullptr};        ///< 4 stamps: start, uploaded, computed, downloaded
    vk::raii::Fence m_fence{nullptr};                 ///< created signalled: "no frame in flight"
    GpuBuffer m_taps;                                 ///< kMaxKernelSize uints, host-visible
    GpuBuffer m_hostInput;                            ///< mapped; the shader reads it directly unless m_staging
    GpuBuffer m_hostOutput;                           ///< mapped; the shader writes it directly unless m_staging
    GpuBuffer m_deviceInput;                          ///< device-local copies, only with m_staging
    GpuBuffer m_deviceOutput;
    GpuBuffer m_columns; ///< column-pass values for K > kMaxFusedKernel, device-local

    std::string m_deviceName;
    std::uint32_t m_queueFamily = 0;
    bool m_staging = false;           ///< discrete GPU: copy to device-local memory around the dispatch
    double m_timestampPeriodNs = 0.0; ///< 0: no timestamps on this queue, compute is host-timed
    std::uint64_t m_timestampMask = 0;
    vk::DeviceSize m_maxStorageBytes = 0;    ///< maxStorageBufferRange: the largest frame one binding holds
    std::optional<RecordedFrame> m_recorded; ///< what m_commandBuffer holds, if anything
    std::optional<BlurParams> m_tapsFor;     ///< what m_taps holds, if anything
    std::string m_brokenReason;              ///< set after device loss: every later frame fails with it
};

} // namespace blurcam::vulkan
