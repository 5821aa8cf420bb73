// What only the Vulkan backend promises, beyond the conformance suite every backend runs
// (conformance_tests.cpp): frames past 1080p, device choice, reuse without allocation, create /
// destroy / recreate, validation messages as errors, the embedded SPIR-V. Every backend here runs
// with the Khronos validation layer, and any message it prints fails the test (the backend throws
// it from process()). Where no Vulkan device exists at all the tests skip and say so (and fail
// under CI=true, see test_requirements.hpp); any other failure to start is a failure.
#include "backend_helpers.hpp"
#include "vulkan_backend.hpp"
#include "vulkan_context.hpp"

#include "blurcam/blurcam.hpp"

#include <blurcam/shaders/blur_columns.h>
#include <blurcam/shaders/blur_fused.h>
#include <blurcam/shaders/blur_rows.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace blurcam {
namespace {

using test::makeVulkan;
using test::sharedCpu;
using test::withValidation;

#define SKIP_WITHOUT_VULKAN() REQUIRE_OR_SKIP(test::vulkanMissing().empty(), test::vulkanMissing())

/// One validated backend for the tests below: an instance with the validation layer takes a
/// while to start.
Backend& sharedVulkan() {
    static std::unique_ptr<Backend> backend = makeVulkan();
    if (!backend) {
        throw std::runtime_error("the shared Vulkan backend did not start");
    }
    return *backend;
}

/// Blurs on both backends and expects identical bytes; checks against the double-precision
/// reference too where that is cheap enough.
void expectSameAsCpu(const test::OwnedImage& input, const BlurParams& params, bool checkReference) {
    const test::OwnedImage gpu = test::runBackend(sharedVulkan(), input, params);
    const test::OwnedImage cpu = test::runBackend(sharedCpu(), input, params);
    EXPECT_EQ(test::countDifferences(gpu, cpu), 0) << "Vulkan and CPU differ";
    if (checkReference) {
        test::expectWithinOneOfReference(gpu, input, params);
    }
}

long residentKiB() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

TEST(VulkanBackend, FullHdPlusOneFrames) {
    SKIP_WITHOUT_VULKAN();
    // 1921 x 1081: neither side a multiple of the 16-pixel tile, at either stride.
    const test::OwnedImage input = test::makeTestImage(1921, 1081, 4);
    std::vector<BlurParams> cases(4);
    cases[0].edge = EdgeMode::Mirror; // the default K 5, stride 2
    cases[1].kernel = KernelKind::Binomial;
    cases[1].edge = EdgeMode::Zero;
    cases[2].stride = 1;
    cases[2].edge = EdgeMode::Wrap;
    cases[3].kernelSize = 21;
    cases[3].sigma = 3.5;
    cases[3].edge = EdgeMode::Reflect;
    for (const BlurParams& params : cases) {
        SCOPED_TRACE(test::caseName({1921, 1081}, params));
        expectSameAsCpu(input, params, false);
    }
}

TEST(VulkanBackend, ReusesEverythingOverAThousandFrames) {
    SKIP_WITHOUT_VULKAN();
    auto backend = makeVulkan();
    ASSERT_TRUE(backend);
    // Sizes and kernels switch every 20 frames; the first 200 frames meet every combination, so
    // from then on the backend must allocate nothing.
    const std::vector<Size> sizes = {{64, 48}, {33, 17}, {97, 61}, {16, 16}, {5, 3}};
    std::vector<test::OwnedImage> inputs;
    inputs.reserve(sizes.size());
    for (Size size : sizes) {
        inputs.push_back(test::makeTestImage(size.width, size.height, 21));
    }
    constexpr int kFrames = 1000;
    constexpr int kWarmUp = 200;
    vulkan::MemoryStatistics afterWarmUp;
    long residentAfterWarmUp = 0;
    for (int frame = 0; frame < kFrames; ++frame) {
        if (frame == kWarmUp) {
            afterWarmUp = vulkan::memoryStatistics();
            residentAfterWarmUp = residentKiB();
        }
        const test::OwnedImage& input = inputs[static_cast<std::size_t>(frame / 40) % sizes.size()];
        BlurParams params;
        params.kernelSize = (frame / 20) % 2 == 0 ? 5 : 21;
        params.sigma = params.kernelSize / 4.0;
        params.edge = static_cast<EdgeMode>(frame / 40 % 5);
        test::OwnedImage output = test::makeOutputFor(input, params.stride);
        backend->process(input.view(), output.mutableView(), params);
        if (frame % 97 == 0) {
            SCOPED_TRACE("frame " + std::to_string(frame));
            EXPECT_EQ(test::countDifferences(output, test::runBackend(sharedCpu(), input, params)), 0);
        }
    }
    const vulkan::MemoryStatistics atEnd = vulkan::memoryStatistics();
    EXPECT_GT(afterWarmUp.allocations, 0U) << "the counter saw no vkAllocateMemory at all";
    EXPECT_EQ(atEnd.allocations, afterWarmUp.allocations) << "frames after the warm-up allocated device memory";
    EXPECT_EQ(atEnd.live, afterWarmUp.live);
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer keeps freed memory in quarantine (256 MiB), so resident size says nothing
    // there; the allocation counters above still hold.
    (void)residentAfterWarmUp;
#else
    // Resident memory roughly flat: a leak of even a few bytes per frame x 800 frames of these
    // sizes would show; 8 MiB leaves room for the allocator's and the layer's own noise.
    EXPECT_LT(residentKiB() - residentAfterWarmUp, 8 * 1024) << "resident memory grew over 800 frames";
#endif
}

TEST(VulkanBackend, CreateUseDestroyRecreate) {
    SKIP_WITHOUT_VULKAN();
    const test::OwnedImage input = test::makeTestImage(75, 41, 8);
    const BlurParams params;
    const std::int64_t liveBefore = vulkan::memoryStatistics().live;
    auto first = makeVulkan();
    ASSERT_TRUE(first);
    const test::OwnedImage fromFirst = test::runBackend(*first, input, params);
    first.reset();
    EXPECT_EQ(vulkan::memoryStatistics().live, liveBefore) << "destroying the backend left device memory behind";

    auto second = makeVulkan();
    ASSERT_TRUE(second);
    auto third = makeVulkan(); // two at once share nothing
    ASSERT_TRUE(third);
    EXPECT_EQ(test::countDifferences(test::runBackend(*second, input, params), fromFirst), 0);
    EXPECT_EQ(test::countDifferences(test::runBackend(*third, input, params), fromFirst), 0);
    EXPECT_EQ(test::countDifferences(fromFirst, test::runBackend(sharedCpu(), input, params)), 0);
}

TEST(VulkanBackend, ChoosesTheListedDeviceAndHonoursOverrides) {
    SKIP_WITHOUT_VULKAN();
    const GpuDeviceList list = listGpuDevices();
    ASSERT_FALSE(list.devices.empty());
    int selected = 0;
    for (const GpuDevice& device : list.devices) {
        selected += device.selected ? 1 : 0;
        EXPECT_FALSE(device.name.empty());
        EXPECT_NE(device.type, "");
    }
    EXPECT_EQ(selected, 1) << "exactly one device is the default";

    auto chosen = makeVulkan();
    ASSERT_TRUE(chosen);
    for (const GpuDevice& device : list.devices) {
        if (device.selected) {
            EXPECT_EQ(chosen->deviceName(), device.name);
        }
    }
    EXPECT_NE(chosen->name().find(chosen->deviceName()), std::string::npos);

    BackendOptions byIndex = withValidation();
    byIndex.vulkanDevice = std::to_string(list.devices.back().index);
    EXPECT_EQ(makeVulkan(byIndex)->deviceName(), list.devices.back().name);

    BackendOptions byName = withValidation();
    byName.vulkanDevice = list.devices.front().name.substr(0, 4);
    EXPECT_NE(makeVulkan(byName)->deviceName().find(byName.vulkanDevice), std::string::npos);

    BackendOptions missing = withValidation();
    missing.vulkanDevice = "no-such-gpu-anywhere";
    const BackendResult none = createBackend(BackendKind::Vulkan, missing);
    EXPECT_FALSE(none.backend);
    EXPECT_NE(none.error.find("no-such-gpu-anywhere"), std::string::npos) << none.error;

    setenv("BLURCAM_VULKAN_DEVICE", "no-such-gpu-either", 1);
    const BackendResult fromEnvironment = createBackend(BackendKind::Vulkan, withValidation());
    const GpuDeviceList listWithBadOverride = listGpuDevices();
    unsetenv("BLURCAM_VULKAN_DEVICE");
    EXPECT_FALSE(fromEnvironment.backend);
    EXPECT_NE(fromEnvironment.error.find("BLURCAM_VULKAN_DEVICE"), std::string::npos) << fromEnvironment.error;
    EXPECT_NE(listWithBadOverride.error.find("no-such-gpu-either"), std::string::npos) << listWithBadOverride.error;
}

TEST(VulkanBackend, ReportsGpuTimings) {
    SKIP_WITHOUT_VULKAN();
    const test::OwnedImage input = test::makeTestImage(640, 480, 2);
    test::OwnedImage output = test::makeOutputFor(input, 2);
    sharedVulkan().process(input.view(), output.mutableView(), BlurParams{});
    const FrameTimings timings = sharedVulkan().lastTimings();
    EXPECT_GT(timings.computeMs, 0.0);
    EXPECT_GT(timings.uploadMs, 0.0);
    EXPECT_GT(timings.downloadMs, 0.0);
}

TEST(VulkanBackend, RejectsBadArgumentsBeforeTouchingTheGpu) {
    SKIP_WITHOUT_VULKAN();
    const test::OwnedImage input = test::makeTestImage(8, 8);
    test::OwnedImage wrongSize(3, 3);
    EXPECT_THROW(sharedVulkan().process(input.view(), wrongSize.mutableView(), BlurParams{}), std::invalid_argument);
    // ...and still works afterwards.
    expectSameAsCpu(input, BlurParams{}, true);
}

TEST(VulkanBackend, ValidationMessagesBecomeErrors) {
    SKIP_WITHOUT_VULKAN();
    auto backend = makeVulkan();
    ASSERT_TRUE(backend);
    auto* vulkanBackend = dynamic_cast<vulkan::VulkanBackend*>(backend.get());
    ASSERT_NE(vulkanBackend, nullptr);
    const test::OwnedImage input = test::makeTestImage(19, 11, 6);
    test::OwnedImage output = test::makeOutputFor(input, 2);

    // A real invalid call (a buffer of size 0, VUID-VkBufferCreateInfo-size-00912) proves the
    // layer and the messenger are wired up; the frame after it must fail with the layer's text.
    {
        VkBufferCreateInfo invalid{};
        invalid.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
        invalid.size = 0;
        invalid.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
        const vk::raii::Device& device = vulkanBackend->deviceForTesting();
        VkBuffer buffer = VK_NULL_HANDLE;
        const VkResult result = device.getDispatcher()->vkCreateBuffer(*device, &invalid, nullptr, &buffer);
        if (result == VK_SUCCESS && buffer != VK_NULL_HANDLE) {
            device.getDispatcher()->vkDestroyBuffer(*device, buffer, nullptr);
        }
    }
    try {
        backend->process(input.view(), output.mutableView(), BlurParams{});
        ADD_FAILURE() << "a validation message did not fail the frame";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("00912"), std::string::npos) << error.what();
    }

    // Any message at all, whatever its source, fails the frame; the log starts empty afterwards.
    vulkanBackend->validationLogForTesting().add("warning: planted by the test");
    EXPECT_THROW(backend->process(input.view(), output.mutableView(), BlurParams{}), std::runtime_error);
    const test::OwnedImage after = test::runBackend(*backend, input, BlurParams{});
    EXPECT_EQ(test::countDifferences(after, test::runBackend(sharedCpu(), input, BlurParams{})), 0);
}

TEST(VulkanBackend, AutoPassesOverAVulkanThatRunsOnTheCpu) {
    SKIP_WITHOUT_VULKAN();
    const GpuDeviceList list = listGpuDevices();
    const auto selected =
        std::find_if(list.devices.begin(), list.devices.end(), [](const GpuDevice& device) { return device.selected; });
    ASSERT_NE(selected, list.devices.end());
    const BackendResult made = createBackend(BackendKind::Auto);
    ASSERT_TRUE(made.backend) << made.error;
    if (selected->type == "cpu") {
        // Recognised by its device type (lavapipe, SwiftShader...), not by its name.
        EXPECT_EQ(made.backend->deviceName(), "CPU");
        EXPECT_NE(made.note.find("runs on the CPU here (" + selected->name + ")"), std::string::npos) << made.note;
    } else {
        EXPECT_EQ(made.backend->deviceName(), selected->name);
        EXPECT_EQ(made.note, "");
    }
}

TEST(VulkanShaders, EmbeddedSpirVStartsWithTheMagicWord) {
    // Needs no device: the words are compiled into the binary.
    for (const std::uint32_t* words : {blurcam_blur_fused_spv, blurcam_blur_columns_spv, blurcam_blur_rows_spv}) {
        EXPECT_EQ(words[0], 0x07230203U);
    }
    EXPECT_GT(sizeof(blurcam_blur_fused_spv), 64U);
}

} // namespace
} // namespace blurcam
