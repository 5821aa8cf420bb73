#include "vulkan_backend.hpp"

#include "backend_registry.hpp"
#include "blurcam/steady_clock.hpp"

#include <blurcam/shaders/blur_columns.h>
#include <blurcam/shaders/blur_fused.h>
#include <blurcam/shaders/blur_rows.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

namespace blurcam::vulkan {
namespace {

/// The shaders' push-constant block (blur_common.glsl), 32 bytes.
struct PushConstants {
    std::int32_t width;
    std::int32_t height;
    std::int32_t outWidth;
    std::int32_t outHeight;
    std::int32_t stride;
    std::int32_t edge;
    std::int32_t kernelSize;
    std::uint32_t roundingBias;
};
static_assert(sizeof(PushConstants) == 32);

// Shared memory the fused shader declares: the input tile (45 x 45 packed pixels) and the
// column-pass values (16 x 45 x two uints).
constexpr std::uint32_t kFusedSharedBytes =
    ((kTile - 1) * 2 + kMaxFusedKernel) * ((kTile - 1) * 2 + kMaxFusedKernel) * 4 +
    kTile * ((kTile - 1) * 2 + kMaxFusedKernel) * 2 * 4;

// A frame that takes longer than this is treated as a hang. Only a backstop: drivers report a
// hung GPU as VK_ERROR_DEVICE_LOST long before, and lavapipe on a busy 2-core machine needs tens
// of seconds for a 3840x2160 frame with K = 63 at stride 1.
constexpr std::uint64_t kFenceTimeoutNs = 600ULL * 1000 * 1000 * 1000;

enum Stamp : std::uint32_t { kStart, kUploaded, kComputed, kDownloaded, kStampCount };

template <std::size_t N>
vk::raii::ShaderModule makeModule(const vk::raii::Device& device, const std::uint32_t (&code)[N]) {
    return vk::raii::ShaderModule(device, vk::ShaderModuleCreateInfo({}, sizeof(code), code));
}

vk::raii::Pipeline makePipeline(const vk::raii::Device& device, const vk::raii::ShaderModule& module,
                                const vk::raii::PipelineLayout& layout) {
    const vk::PipelineShaderStageCreateInfo stage({}, vk::ShaderStageFlagBits::eCompute, *module, "main");
    return {device, nullptr, vk::ComputePipelineCreateInfo({}, stage, *layout)};
}

std::uint32_t groupsFor(int pixels) {
    // ceil, never floor: the last partial tile still covers the edge pixels.
    return static_cast<std::uint32_t>((pixels + kTile - 1) / kTile);
}

} // namespace

VulkanBackend::VulkanBackend(const BackendOptions& options, bool hardwareOnly) {
    m_instance = createInstance(options.vulkanValidation);
    const vk::raii::PhysicalDevices physicalDevices = enumerateDevices(m_instance.instance);

    std::string override = options.vulkanDevice;
    std::string overrideSource = "BackendOptions::vulkanDevice";
    if (override.empty()) {
        if (const char* fromEnvironment = std::getenv("BLURCAM_VULKAN_DEVICE")) {
            override = fromEnvironment;
            overrideSource = "BLURCAM_VULKAN_DEVICE";
        }
    }
    const DeviceChoice choice = chooseDevice(physicalDevices, override, overrideSource);
    m_physicalDevice = physicalDevices[static_cast<std::size_t>(choice.selected)];
    const vk::PhysicalDeviceProperties properties = m_physicalDevice.getProperties();
    m_deviceName = properties.deviceName.data();
    if (hardwareOnly && properties.deviceType == vk::PhysicalDeviceType::eCpu) {
        // chooseDevice() ranks CPU implementations last, so no GPU is there to be had.
        throw VulkanError("Vulkan runs on the CPU here (" + m_deviceName + ")");
    }
    m_queueFamily = *computeQueueFamily(m_physicalDevice);
    // A discrete GPU reads host memory over the bus at a fraction of its own bandwidth, so frames
    // are copied to device-local memory; integrated GPUs and lavapipe share memory with the host.
    m_staging = properties.deviceType == vk::PhysicalDeviceType::eDiscreteGpu;

    const vk::PhysicalDeviceLimits& limits = properties.limits;
    m_maxStorageBytes = limits.maxStorageBufferRange;
    if (limits.maxComputeSharedMemorySize < kFusedSharedBytes ||
        limits.maxComputeWorkGroupInvocations < kTile * kTile || limits.maxComputeWorkGroupSize[0] < kTile ||
        limits.maxComputeWorkGroupSize[1] < kTile) {
        throw VulkanError("the Vulkan device \"" + m_deviceName + "\" cannot run 16x16 workgroups with " +
                          std::to_string(kFusedSharedBytes) + " bytes of shared memory");
    }

    const float priority = 1.0F;
    const vk::DeviceQueueCreateInfo queueInfo({}, m_queueFamily, 1, &priority);
    try {
        m_device = vk::raii::Device(m_physicalDevice, vk::DeviceCreateInfo({}, queueInfo));
    } catch (const vk::SystemError& error) {
        throw VulkanError("the Vulkan device \"" + m_deviceName + "\" could not be opened (" +
                          resultName(static_cast<vk::Result>(error.code().value())) + ")");
    }
    m_queue = vk::raii::Queue(m_device, m_queueFamily, 0);

    createPipelines();

    const vk::DescriptorPoolSize poolSize(vk::DescriptorType::eStorageBuffer, 4);
    // FreeDescriptorSet: the RAII set frees itself back into the pool when destroyed.
    m_descriptorPool = vk::raii::DescriptorPool(
        m_device, vk::DescriptorPoolCreateInfo(vk::DescriptorPoolCreateFlagBits::eFreeDescriptorSet, 1, poolSize));
    vk::raii::DescriptorSets sets(m_device, vk::DescriptorSetAllocateInfo(*m_descriptorPool, *m_pipelines.setLayout));
    m_descriptorSet = std::move(sets.front());

    // ResetCommandBuffer: the one buffer is re-recorded in place when the frame size changes.
    m_commandPool = vk::raii::CommandPool(
        m_device, vk::CommandPoolCreateInfo(vk::CommandPoolCreateFlagBits::eResetCommandBuffer, m_queueFamily));
    vk::raii::CommandBuffers buffers(
        m_device, vk::CommandBufferAllocateInfo(*m_commandPool, vk::CommandBufferLevel::ePrimary, 1));
    m_commandBuffer = std::move(buffers.front());

    const std::uint32_t validBits = m_physicalDevice.getQueueFamilyProperties()[m_queueFamily].timestampValidBits;
    if (validBits > 0 && limits.timestampPeriod > 0.0F) {
        m_timestampPeriodNs = limits.timestampPeriod;
        m_timestampMask = validBits >= 64 ? ~0ULL : ((1ULL << validBits) - 1);
        m_timestamps =
            vk::raii::QueryPool(m_device, vk::QueryPoolCreateInfo({}, vk::QueryType::eTimestamp, kStampCount));
    }

    // Signalled: the first frame waits on it like every other and finds nothing in flight.
    m_fence = vk::raii::Fence(m_device, vk::FenceCreateInfo(vk::FenceCreateFlagBits::eSignaled));

    ensureBuffer(m_taps, kMaxKernelSize * sizeof(std::uint32_t), vk::BufferUsageFlagBits::eStorageBuffer, true,
                 vk::MemoryPropertyFlagBits::eHostCoherent);
    throwIfValidationSpoke("while starting");
}

VulkanBackend::~VulkanBackend() {
    // The members' destructors must not run while the GPU may still use them. Errors are
    // swallowed: a lost device has nothing left to wait for.
    if (*m_fence && m_brokenReason.empty()) {
        try {
            (void)m_device.waitForFences(*m_fence, VK_TRUE, kFenceTimeoutNs);
        } catch (...) {
        }
    }
}

std::string VulkanBackend::name() const {
    return "vulkan (" + m_deviceName + (m_timestampPeriodNs > 0.0 ? "" : ", compute time host-measured") + ")";
}

void VulkanBackend::createPipelines() {
    std::array<vk::DescriptorSetLayoutBinding, 4> bindings;
    for (std::uint32_t binding = 0; binding < bindings.size(); ++binding) {
        bindings[binding] = vk::DescriptorSetLayoutBinding(binding, vk::DescriptorType::eStorageBuffer, 1,
                                                           vk::ShaderStageFlagBits::eCompute);
    }
    m_pipelines.setLayout = vk::raii::DescriptorSetLayout(m_device, vk::DescriptorSetLayoutCreateInfo({}, bindings));
    const vk::PushConstantRange pushRange(vk::ShaderStageFlagBits::eCompute, 0, sizeof(PushConstants));
    const vk::DescriptorSetLayout setLayout = *m_pipelines.setLayout;
    m_pipelines.layout = vk::raii::PipelineLayout(m_device, vk::PipelineLayoutCreateInfo({}, setLayout, pushRange));
    m_pipelines.fusedModule = makeModule(m_device, blurcam_blur_fused_spv);
    m_pipelines.columnsModule = makeModule(m_device, blurcam_blur_columns_spv);
    m_pipelines.rowsModule = makeModule(m_device, blurcam_blur_rows_spv);
    m_pipelines.fused = makePipeline(m_device, m_pipelines.fusedModule, m_pipelines.layout);
    m_pipelines.columns = makePipeline(m_device, m_pipelines.columnsModule, m_pipelines.layout);
    m_pipelines.rows = makePipeline(m_device, m_pipelines.rowsModule, m_pipelines.layout);
}

std::uint32_t VulkanBackend::memoryType(std::uint32_t allowedTypes, vk::MemoryPropertyFlags required,
                                        vk::MemoryPropertyFlags preferred, vk::MemoryPropertyFlags avoided) const {
    const vk::PhysicalDeviceMemoryProperties memory = m_physicalDevice.getMemoryProperties();
    const auto find = [&](vk::MemoryPropertyFlags wanted,
                          vk::MemoryPropertyFlags unwanted) -> std::optional<std::uint32_t> {
        for (std::uint32_t type = 0; type < memory.memoryTypeCount; ++type) {
            const vk::MemoryPropertyFlags flags = memory.memoryTypes[type].propertyFlags;
            if ((allowedTypes & (1U << type)) != 0 && (flags & wanted) == wanted && !(flags & unwanted)) {
                return type;
            }
        }
        return std::nullopt;
    };
    for (const auto& [wanted, unwanted] :
         {std::pair{required | preferred, avoided}, std::pair{required | preferred, vk::MemoryPropertyFlags{}},
          std::pair{required, vk::MemoryPropertyFlags{}}}) {
        if (const std::optional<std::uint32_t> type = find(wanted, unwanted)) {
            return *type;
        }
    }
    throw VulkanError("the Vulkan device \"" + m_deviceName + "\" has no memory type with the properties " +
                      vk::to_string(required));
}

bool VulkanBackend::ensureBuffer(GpuBuffer& buffer, vk::DeviceSize bytes, vk::BufferUsageFlags usage, bool hostVisible,
                                 vk::MemoryPropertyFlags preferred, vk::MemoryPropertyFlags avoided) {
    if (buffer.capacity >= bytes) {
        return false;
    }
    // Replace, never keep two: the old buffer and memory go before the new ones are made.
    buffer = GpuBuffer{};
    // Until every buffer is back and the descriptors rewritten, the recorded commands are stale;
    // should an allocation below fail, the next frame starts from here again.
    m_recorded.reset();
    vk::raii::Buffer made(m_device, vk::BufferCreateInfo({}, bytes, usage, vk::SharingMode::eExclusive));
    const vk::MemoryRequirements requirements = made.getMemoryRequirements();
    const vk::MemoryPropertyFlags required =
        hostVisible ? vk::MemoryPropertyFlagBits::eHostVisible : vk::MemoryPropertyFlagBits::eDeviceLocal;
    const std::uint32_t type = memoryType(requirements.memoryTypeBits, required, preferred, avoided);
    buffer.memory = vk::raii::DeviceMemory(m_device, vk::MemoryAllocateInfo(requirements.size, type));
    buffer.token = AllocationToken::counted();
    made.bindMemory(*buffer.memory, 0);
    buffer.buffer = std::move(made);
    buffer.capacity = bytes;
    const vk::MemoryPropertyFlags flags = m_physicalDevice.getMemoryProperties().memoryTypes[type].propertyFlags;
    buffer.coherent = static_cast<bool>(flags & vk::MemoryPropertyFlagBits::eHostCoherent);
    if (hostVisible) {
        buffer.mapped = buffer.memory.mapMemory(0, VK_WHOLE_SIZE);
    }
    return true;
}

void VulkanBackend::ensureBuffers(Size input, Size output, bool needsColumns) {
    const auto inputBytes = static_cast<vk::DeviceSize>(input.width) * input.height * 4;
    const auto outputBytes = static_cast<vk::DeviceSize>(output.width) * output.height * 4;
    const auto columnBytes = static_cast<vk::DeviceSize>(input.width) * output.height * 8;
    // Checked before anything is replaced, so a frame too large leaves the backend as it was.
    if (std::max(inputBytes, needsColumns ? columnBytes : 0) > m_maxStorageBytes) {
        throw VulkanError("a " + std::to_string(input.width) + "x" + std::to_string(input.height) +
                          " frame needs more than the " + std::to_string(m_maxStorageBytes) +
                          " bytes one storage buffer may hold on the Vulkan device \"" + m_deviceName + "\"");
    }
    using Usage = vk::BufferUsageFlagBits;
    using Memory = vk::MemoryPropertyFlagBits;
    const vk::BufferUsageFlags storage = Usage::eStorageBuffer;
    bool replaced = false;
    if (m_staging) {
        // Staging lives in system memory: a discrete GPU's host-visible VRAM window (ReBAR) is
        // slow for the host to read and small. Cached for the upload too: on an H200 it beat
        // write-combined memory by about 15% at 3840x2160.
        replaced |= ensureBuffer(m_hostInput, inputBytes, Usage::eTransferSrc, true,
                                 Memory::eHostCoherent | Memory::eHostCached, Memory::eDeviceLocal);
        replaced |= ensureBuffer(m_hostOutput, outputBytes, Usage::eTransferDst, true,
                                 Memory::eHostCoherent | Memory::eHostCached, Memory::eDeviceLocal);
        replaced |= ensureBuffer(m_deviceInput, inputBytes, storage | Usage::eTransferDst, false, {});
        replaced |= ensureBuffer(m_deviceOutput, outputBytes, storage | Usage::eTransferSrc, false, {});
    } else {
        // Shared memory (integrated GPU, lavapipe): the shader reads and writes the mapped buffers.
        replaced |= ensureBuffer(m_hostInput, inputBytes, storage, true, Memory::eHostCoherent | Memory::eDeviceLocal);
        replaced |= ensureBuffer(m_hostOutput, outputBytes, storage, true,
                                 Memory::eHostCoherent | Memory::eHostCached | Memory::eDeviceLocal);
    }
    if (needsColumns) {
        replaced |= ensureBuffer(m_columns, columnBytes, storage, false, {});
    }
    if (replaced || !m_recorded) {
        // The descriptors and the recorded command buffer name the old buffers: redo both.
        writeDescriptors();
        m_recorded.reset();
    }
}

void VulkanBackend::writeDescriptors() {
    const GpuBuffer& input = m_staging ? m_deviceInput : m_hostInput;
    const GpuBuffer& output = m_staging ? m_deviceOutput : m_hostOutput;
    std::array<vk::DescriptorBufferInfo, 4> infos = {
        vk::DescriptorBufferInfo(*input.buffer, 0, VK_WHOLE_SIZE),
        vk::DescriptorBufferInfo(*output.buffer, 0, VK_WHOLE_SIZE),
        vk::DescriptorBufferInfo(*m_taps.buffer, 0, VK_WHOLE_SIZE),
        vk::DescriptorBufferInfo(*m_columns.buffer, 0, VK_WHOLE_SIZE),
    };
    // Binding 3 stays unwritten until a large kernel needs it; the fused pipeline never reads it.
    const std::uint32_t count = *m_columns.buffer ? 4 : 3;
    std::array<vk::WriteDescriptorSet, 4> writes;
    for (std::uint32_t binding = 0; binding < count; ++binding) {
        writes[binding] = vk::WriteDescriptorSet(*m_descriptorSet, binding, 0, 1, vk::DescriptorType::eStorageBuffer,
                                                 nullptr, &infos[binding]);
    }
    m_device.updateDescriptorSets(vk::ArrayProxy<const vk::WriteDescriptorSet>(count, writes.data()), nullptr);
}

void VulkanBackend::writeTaps(const BlurParams& params) {
    if (m_tapsFor == params) {
        return;
    }
    const FixedPointKernel kernel = quantizeKernel(params);
    auto* taps = static_cast<std::uint32_t*>(m_taps.mapped);
    for (std::size_t tap = 0; tap < kernel.taps.size(); ++tap) {
        taps[tap] = kernel.taps[tap];
    }
    if (!m_taps.coherent) {
        m_device.flushMappedMemoryRanges(vk::MappedMemoryRange(*m_taps.memory, 0, VK_WHOLE_SIZE));
    }
    m_tapsFor = params;
}

void VulkanBackend::record(Size input, Size output, const BlurParams& params) {
    if (m_recorded == RecordedFrame{input, params}) {
        return;
    }
    const FixedPointKernel kernel = quantizeKernel(params);
    const PushConstants constants{input.width,       input.height,       output.width,
                                  output.height,     params.stride,      static_cast<int>(params.edge),
                                  params.kernelSize, kernel.roundingBias};
    const bool fused = params.kernelSize <= kMaxFusedKernel;
    const vk::raii::CommandBuffer& commands = m_commandBuffer;
    const auto inputBytes = static_cast<vk::DeviceSize>(input.width) * input.height * 4;
    const auto outputBytes = static_cast<vk::DeviceSize>(output.width) * output.height * 4;

    using Stage = vk::PipelineStageFlagBits;
    using Access = vk::AccessFlagBits;
    const auto barrier = [&](vk::PipelineStageFlags sourceStage, vk::AccessFlags sourceAccess,
                             vk::PipelineStageFlags destinationStage, vk::AccessFlags destinationAccess) {
        commands.pipelineBarrier(sourceStage, destinationStage, {}, vk::MemoryBarrier(sourceAccess, destinationAccess),
                                 nullptr, nullptr);
    };
    const auto stamp = [&](vk::PipelineStageFlagBits stage, Stamp which) {
        if (*m_timestamps) {
            commands.writeTimestamp(stage, *m_timestamps, which);
        }
    };

    commands.reset();
    commands.begin(vk::CommandBufferBeginInfo());
    if (*m_timestamps) {
        commands.resetQueryPool(*m_timestamps, 0, kStampCount);
    }
    stamp(Stage::eTopOfPipe, kStart);
    // Host writes (this frame's upload, the taps) before any read on the device, and the last
    // frame's device writes before this frame overwrites the same buffers.
    barrier(Stage::eHost | Stage::eTransfer | Stage::eComputeShader,
            Access::eHostWrite | Access::eTransferWrite | Access::eShaderWrite,
            Stage::eTransfer | Stage::eComputeShader,
            Access::eTransferRead | Access::eTransferWrite | Access::eShaderRead | Access::eShaderWrite);
    if (m_staging) {
        commands.copyBuffer(*m_hostInput.buffer, *m_deviceInput.buffer, vk::BufferCopy(0, 0, inputBytes));
        barrier(Stage::eTransfer, Access::eTransferWrite, Stage::eComputeShader, Access::eShaderRead);
    }
    stamp(Stage::eBottomOfPipe, kUploaded);

    commands.bindDescriptorSets(vk::PipelineBindPoint::eCompute, *m_pipelines.layout, 0, *m_descriptorSet, nullptr);
    commands.pushConstants<PushConstants>(*m_pipelines.layout, vk::ShaderStageFlagBits::eCompute, 0, constants);
    if (fused) {
        commands.bindPipeline(vk::PipelineBindPoint::eCompute, *m_pipelines.fused);
        commands.dispatch(groupsFor(output.width), groupsFor(output.height), 1);
    } else {
        commands.bindPipeline(vk::PipelineBindPoint::eCompute, *m_pipelines.columns);
        commands.dispatch(groupsFor(input.width), groupsFor(output.height), 1);
        // The row pass reads what the column pass wrote.
        barrier(Stage::eComputeShader, Access::eShaderWrite, Stage::eComputeShader, Access::eShaderRead);
        commands.bindPipeline(vk::PipelineBindPoint::eCompute, *m_pipelines.rows);
        commands.dispatch(groupsFor(output.width), groupsFor(output.height), 1);
    }
    stamp(Stage::eBottomOfPipe, kComputed);

    if (m_staging) {
        barrier(Stage::eComputeShader, Access::eShaderWrite, Stage::eTransfer, Access::eTransferRead);
        commands.copyBuffer(*m_deviceOutput.buffer, *m_hostOutput.buffer, vk::BufferCopy(0, 0, outputBytes));
        // The fence makes the copy complete, this makes its writes visible to the host's reads.
        barrier(Stage::eTransfer, Access::eTransferWrite, Stage::eHost, Access::eHostRead);
    } else {
        barrier(Stage::eComputeShader, Access::eShaderWrite, Stage::eHost, Access::eHostRead);
    }
    stamp(Stage::eBottomOfPipe, kDownloaded);
    commands.end();

    m_recorded = RecordedFrame{input, params};
}

void VulkanBackend::throwIfValidationSpoke(std::string_view when) {
    const std::vector<std::string> messages = m_instance.log->take();
    if (messages.empty()) {
        return;
    }
    std::string text = "Vulkan validation reported a problem " + std::string(when) + ": " + messages.front();
    if (messages.size() > 1) {
        text += " (and " + std::to_string(messages.size() - 1) + " more messages)";
    }
    throw VulkanError(text);
}

void VulkanBackend::processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    if (!m_brokenReason.empty()) {
        throw std::runtime_error(m_brokenReason);
    }
    try {
        runFrame(src, dst, params);
    } catch (const vk::SystemError& error) {
        // A failure half-way leaves buffers, descriptors or the fence in an unknown state (and
        // nothing works after a device loss), so this backend refuses every later frame too.
        m_brokenReason = "the Vulkan device \"" + m_deviceName + "\" failed while blurring a frame (" +
                         resultName(static_cast<vk::Result>(error.code().value())) + "); create a new backend";
        throw std::runtime_error(m_brokenReason);
    }
}

void VulkanBackend::runFrame(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    const Size input = src.size();
    const Size output = dst.size();
    // Every frame is waited for before process() returns, so this never blocks; it is here so
    // that nothing below can touch a buffer the GPU still uses, whatever happened before.
    if (m_device.waitForFences(*m_fence, VK_TRUE, kFenceTimeoutNs) != vk::Result::eSuccess) {
        throw vk::SystemError(vk::make_error_code(vk::Result::eTimeout));
    }
    try {
        ensureBuffers(input, output, params.kernelSize > kMaxFusedKernel);
    } catch (const vk::OutOfDeviceMemoryError&) {
        // Not a broken device: a smaller frame still works, so no vk::SystemError escapes here.
        throw VulkanError("the Vulkan device \"" + m_deviceName + "\" has not enough memory for a " +
                          std::to_string(input.width) + "x" + std::to_string(input.height) + " frame");
    } catch (const vk::OutOfHostMemoryError&) {
        throw VulkanError("not enough host memory for the Vulkan buffers of a " + std::to_string(input.width) + "x" +
                          std::to_string(input.height) + " frame");
    }
    writeTaps(params);
    record(input, output, params);

    // Upload: pack the rows tightly into the mapped buffer (the shaders index width * y + x).
    const auto uploadStart = steadyNowNs();
    const auto rowBytes = static_cast<std::size_t>(input.width) * 4;
    auto* upload = static_cast<std::uint8_t*>(m_hostInput.mapped);
    if (src.strideBytes == rowBytes) {
        std::memcpy(upload, src.data, rowBytes * static_cast<std::size_t>(input.height));
    } else {
        for (int y = 0; y < input.height; ++y) {
            std::memcpy(upload + rowBytes * static_cast<std::size_t>(y), src.row(y), rowBytes);
        }
    }
    if (!m_hostInput.coherent) {
        m_device.flushMappedMemoryRanges(vk::MappedMemoryRange(*m_hostInput.memory, 0, VK_WHOLE_SIZE));
    }
    const double uploadMs = millisecondsSince(uploadStart);

    const auto submitStart = steadyNowNs();
    m_device.resetFences(*m_fence);
    const vk::CommandBuffer commandBuffer = *m_commandBuffer;
    m_queue.submit(vk::SubmitInfo({}, {}, commandBuffer), *m_fence);
    if (m_device.waitForFences(*m_fence, VK_TRUE, kFenceTimeoutNs) != vk::Result::eSuccess) {
        throw vk::SystemError(vk::make_error_code(vk::Result::eTimeout));
    }
    const double roundTripMs = millisecondsSince(submitStart);

    const auto downloadStart = steadyNowNs();
    if (!m_hostOutput.coherent) {
        m_device.invalidateMappedMemoryRanges(vk::MappedMemoryRange(*m_hostOutput.memory, 0, VK_WHOLE_SIZE));
    }
    const auto outRowBytes = static_cast<std::size_t>(output.width) * 4;
    const auto* download = static_cast<const std::uint8_t*>(m_hostOutput.mapped);
    for (int y = 0; y < output.height; ++y) {
        std::memcpy(dst.row(y), download + outRowBytes * static_cast<std::size_t>(y), outRowBytes);
    }
    const double downloadMs = millisecondsSince(downloadStart);

    // Upload and download are the host's copies plus, on a discrete GPU, the bus transfers;
    // compute is the dispatch alone, from GPU timestamps.
    FrameTimings timings{uploadMs, roundTripMs, downloadMs};
    if (*m_timestamps) {
        // Not a structured binding: clang before 16 cannot capture one in the lambda below.
        const std::pair<vk::Result, std::vector<std::uint64_t>> results = m_timestamps.getResults<std::uint64_t>(
            0, kStampCount, kStampCount * sizeof(std::uint64_t), sizeof(std::uint64_t),
            vk::QueryResultFlagBits::e64 | vk::QueryResultFlagBits::eWait);
        const std::vector<std::uint64_t>& stamps = results.second;
        if (results.first == vk::Result::eSuccess) {
            const auto elapsedMs = [&](Stamp from, Stamp to) {
                return static_cast<double>((stamps[to] - stamps[from]) & m_timestampMask) * m_timestampPeriodNs / 1e6;
            };
            timings.uploadMs += elapsedMs(kStart, kUploaded);
            timings.computeMs = elapsedMs(kUploaded, kComputed);
            timings.downloadMs += elapsedMs(kComputed, kDownloaded);
        }
    }
    m_lastTimings = timings;
    throwIfValidationSpoke("during a frame");
}

} // namespace blurcam::vulkan

namespace blurcam::detail {

BackendResult makeVulkanBackend(const BackendOptions& options, VulkanDevices devices) {
    try {
        return BackendResult::started(
            std::make_unique<vulkan::VulkanBackend>(options, devices == VulkanDevices::HardwareOnly));
    } catch (const vulkan::VulkanError& error) {
        return BackendResult::cannotStart(error.what());
    } catch (const vk::SystemError& error) {
        return BackendResult::cannotStart(std::string("Vulkan could not start: ") +
                                          vulkan::resultName(static_cast<vk::Result>(error.code().value())));
    } catch (const std::exception& error) {
        return BackendResult::cannotStart(std::string("Vulkan could not start: ") + error.what());
    }
}

} // namespace blurcam::detail
