#pragma once
// What compute devices the engine can see, for `blurcam-cli devices` and the GUI.

#include <string>
#include <vector>

namespace blurcam {

struct GpuDevice {
    int index = 0; ///< position in the Vulkan loader's list
    std::string name;
    std::string type;      ///< "discrete", "integrated", "virtual", "cpu", "other"
    bool selected = false; ///< the one createBackend(BackendKind::Vulkan) would use
};

struct GpuDeviceList {
    std::vector<GpuDevice> devices;
    std::string error; ///< why the list is empty (no loader, no device, not built with Vulkan)
};

[[nodiscard]] GpuDeviceList listGpuDevices();

/// Call first thing in main(), before any thread starts. A GPU driver keeps a shader cache and
/// prints to stderr when its folder is unusable (Mesa: "Cannot use /dev/null for shader cache");
/// this turns the cache off in the environment then, which only a single-threaded process can
/// change safely. Starting a Vulkan backend does the same for callers that did not.
void prepareGpuDriverEnvironment();

} // namespace blurcam
