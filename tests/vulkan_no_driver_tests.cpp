// Vulkan with no driver: the loader is pointed at an ICD file that does not exist, as on a
// machine with libvulkan1 but no GPU driver. The loader reads these variables when it first looks
// for drivers, so this runs in its own process (ctest sets them too, see tests/vulkan.cmake).
#include "blurcam/blurcam.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace blurcam {
namespace {

class VulkanWithoutDriver : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // Before any Vulkan call in this process; also when run by hand, without ctest's setting.
        const char* fromCtest = std::getenv("BLURCAM_TEST_MISSING_ICD");
        const std::string missing = fromCtest != nullptr ? fromCtest : "/nonexistent/blurcam/no_such_icd.json";
        setenv("VK_ICD_FILENAMES", missing.c_str(), 1);
        setenv("VK_DRIVER_FILES", missing.c_str(), 1);
        unsetenv("VK_ADD_DRIVER_FILES");
    }
};

TEST_F(VulkanWithoutDriver, VulkanSaysThereIsNoDevice) {
    BackendOptions options;
    options.vulkanValidation = true;
    const BackendResult made = createBackend(BackendKind::Vulkan, options);
    EXPECT_FALSE(made.backend);
    EXPECT_NE(made.error.find("no Vulkan device"), std::string::npos) << made.error;
    // One sentence: no line breaks, no trailing detail dumps.
    EXPECT_EQ(made.error.find('\n'), std::string::npos) << made.error;
}

TEST_F(VulkanWithoutDriver, AutoFallsBackToCpuAndSaysSo) {
    const BackendResult made = createBackend(BackendKind::Auto);
    ASSERT_TRUE(made.backend) << made.error;
    EXPECT_EQ(made.backend->deviceName(), "CPU");
    EXPECT_NE(made.note.find("Vulkan is not available"), std::string::npos) << made.note;
    EXPECT_NE(made.note.find("no Vulkan device"), std::string::npos) << made.note;
}

TEST_F(VulkanWithoutDriver, DeviceListIsEmptyWithAReason) {
    const GpuDeviceList list = listGpuDevices();
    EXPECT_TRUE(list.devices.empty());
    EXPECT_NE(list.error.find("no Vulkan device"), std::string::npos) << list.error;
}

} // namespace
} // namespace blurcam
