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

} // namespace blurcam
