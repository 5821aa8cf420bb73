#include "vulkan_context.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace blurcam::vulkan {
namespace {

std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::int64_t> g_liveAllocations{0};

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

VKAPI_ATTR VkBool32 VKAPI_CALL onDebugMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                              VkDebugUtilsMessageTypeFlagsEXT /*types*/,
                                              const VkDebugUtilsMessengerCallbackDataEXT* data, void* userData) {
    // Collected, not thrown: unwinding through the driver's callback is undefined.
    std::string message = severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? "error: " : "warning: ";
    message += data != nullptr && data->pMessage != nullptr ? data->pMessage : "(no text)";
    static_cast<ValidationLog*>(userData)->add(std::move(message));
    return VK_FALSE;
}

vk::DebugUtilsMessengerCreateInfoEXT messengerInfo(ValidationLog* log) {
    return {{},
            vk::DebugUtilsMessageSeverityFlagBitsEXT::eWarning | vk::DebugUtilsMessageSeverityFlagBitsEXT::eError,
            vk::DebugUtilsMessageTypeFlagBitsEXT::eGeneral | vk::DebugUtilsMessageTypeFlagBitsEXT::eValidation |
                vk::DebugUtilsMessageTypeFlagBitsEXT::ePerformance,
            &onDebugMessage,
            log};
}

int typeRank(vk::PhysicalDeviceType type) {
    switch (type) {
    case vk::PhysicalDeviceType::eDiscreteGpu: return 0;
    case vk::PhysicalDeviceType::eIntegratedGpu: return 1;
    case vk::PhysicalDeviceType::eVirtualGpu: return 2;
    case vk::PhysicalDeviceType::eCpu: return 3;
    default: return 4;
    }
}

std::string typeName(vk::PhysicalDeviceType type) {
    switch (type) {
    case vk::PhysicalDeviceType::eDiscreteGpu: return "discrete";
    case vk::PhysicalDeviceType::eIntegratedGpu: return "integrated";
    case vk::PhysicalDeviceType::eVirtualGpu: return "virtual";
    case vk::PhysicalDeviceType::eCpu: return "cpu";
    default: return "other";
    }
}

std::string lowercase(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    return result;
}

/// A folder a driver could keep its cache in: one this process can write, or one it can make.
bool usableCacheFolder(std::filesystem::path folder) {
    namespace fs = std::filesystem;
    for (int depth = 0; depth < 64 && !folder.empty(); ++depth, folder = folder.parent_path()) {
        std::error_code error;
        const fs::file_status status = fs::status(folder, error);
        if (fs::exists(status)) {
            return fs::is_directory(status) && ::access(folder.c_str(), W_OK | X_OK) == 0;
        }
        if (folder == folder.parent_path()) {
            break;
        }
    }
    return false;
}

/// Mesa keeps a shader cache in $MESA_SHADER_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache, and
/// says on stderr when that place is unusable ("Cannot use /dev/null for shader cache"). blurcam
/// reports every problem itself in one line, and a missing cache only costs a little start-up
/// time, so an unusable place turns the cache off before the driver looks (what Mesa would do
/// anyway, quietly). A variable the user set is never overridden.
void quietenDriverCaches() {
    if (std::getenv("MESA_SHADER_CACHE_DISABLE") != nullptr) {
        return;
    }
    const auto set = [](const char* name) {
        const char* value = std::getenv(name);
        return value != nullptr && *value != '\0' ? value : nullptr;
    };
    std::filesystem::path folder;
    if (const char* dir = set("MESA_SHADER_CACHE_DIR")) {
        folder = dir;
    } else if (const char* xdg = set("XDG_CACHE_HOME")) {
        folder = xdg;
    } else if (const char* home = set("HOME")) {
        folder = std::filesystem::path(home) / ".cache";
    } else {
        return; // Mesa asks the password database then; nothing to judge here
    }
    if (!usableCacheFolder(folder)) {
        ::setenv("MESA_SHADER_CACHE_DISABLE", "true", 0);
        ::setenv("MESA_GLSL_CACHE_DISABLE", "true", 0); // the older name of the same switch
    }
}

} // namespace

void ValidationLog::add(std::string message) {
    const std::lock_guard lock(m_mutex);
    m_messages.push_back(std::move(message));
}

std::vector<std::string> ValidationLog::take() {
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_messages, {});
}

InstanceBundle createInstance(bool validation) {
    InstanceBundle bundle;
    bundle.log = std::make_unique<ValidationLog>();
    quietenDriverCaches(); // a no-op when main() has called prepareGpuDriverEnvironment()
    try {
        bundle.context = std::make_unique<vk::raii::Context>();
    } catch (const std::exception&) {
        throw VulkanError("the Vulkan loader (libvulkan.so.1) could not be loaded; install libvulkan1");
    }
    const vk::raii::Context& context = *bundle.context;

    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    if (validation) {
        const std::vector<vk::LayerProperties> available = context.enumerateInstanceLayerProperties();
        const bool found = std::any_of(available.begin(), available.end(), [](const vk::LayerProperties& layer) {
            return std::string_view(layer.layerName.data()) == kValidationLayer;
        });
        if (!found) {
            throw VulkanError("Vulkan validation was requested but VK_LAYER_KHRONOS_validation is not installed "
                              "(Debian package vulkan-validationlayers)");
        }
        layers.push_back(kValidationLayer);
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    }

    const vk::ApplicationInfo application("blurcam", 1, "blurcam", 1, VK_API_VERSION_1_1);
    vk::InstanceCreateInfo createInfo({}, &application, layers, extensions);
    // Chained so that messages from vkCreateInstance itself are caught too.
    const vk::DebugUtilsMessengerCreateInfoEXT debugInfo = messengerInfo(bundle.log.get());
    if (validation) {
        createInfo.pNext = &debugInfo;
    }
    try {
        bundle.instance = vk::raii::Instance(context, createInfo);
    } catch (const vk::IncompatibleDriverError&) {
        throw VulkanError("no Vulkan device was found: the Vulkan loader found no usable driver (ICD)");
    } catch (const vk::LayerNotPresentError&) {
        throw VulkanError("Vulkan validation was requested but VK_LAYER_KHRONOS_validation could not be loaded");
    } catch (const vk::SystemError& error) {
        throw VulkanError("the Vulkan instance could not be created (" +
                          resultName(static_cast<vk::Result>(error.code().value())) + ")");
    }
    if (validation) {
        bundle.messenger = vk::raii::DebugUtilsMessengerEXT(bundle.instance, debugInfo);
    }
    return bundle;
}

vk::raii::PhysicalDevices enumerateDevices(const vk::raii::Instance& instance) {
    try {
        vk::raii::PhysicalDevices devices(instance);
        if (devices.empty()) {
            throw VulkanError("no Vulkan device was found: the Vulkan loader lists no physical device");
        }
        return devices;
    } catch (const vk::SystemError& error) {
        // The loader answers VK_ERROR_INITIALIZATION_FAILED when every driver it found failed.
        throw VulkanError("no Vulkan device was found: listing devices failed with " +
                          resultName(static_cast<vk::Result>(error.code().value())));
    }
}

std::optional<std::uint32_t> computeQueueFamily(const vk::raii::PhysicalDevice& device) {
    const std::vector<vk::QueueFamilyProperties> families = device.getQueueFamilyProperties();
    for (std::uint32_t index = 0; index < families.size(); ++index) {
        if (families[index].queueFlags & vk::QueueFlagBits::eCompute && families[index].queueCount > 0) {
            return index;
        }
    }
    return std::nullopt;
}

DeviceChoice chooseDevice(const vk::raii::PhysicalDevices& physicalDevices, std::string_view override,
                          std::string_view overrideSource) {
    DeviceChoice choice;
    std::vector<vk::PhysicalDeviceType> types;
    std::vector<bool> canCompute;
    for (std::size_t index = 0; index < physicalDevices.size(); ++index) {
        const vk::PhysicalDeviceProperties properties = physicalDevices[index].getProperties();
        GpuDevice device;
        device.index = static_cast<int>(index);
        device.name = properties.deviceName.data();
        device.type = typeName(properties.deviceType);
        choice.devices.push_back(device);
        types.push_back(properties.deviceType);
        canCompute.push_back(computeQueueFamily(physicalDevices[index]).has_value());
    }

    if (!override.empty()) {
        const bool isIndex = std::all_of(override.begin(), override.end(),
                                         [](unsigned char character) { return std::isdigit(character) != 0; });
        for (std::size_t index = 0; index < choice.devices.size() && choice.selected < 0; ++index) {
            const bool matches =
                isIndex ? std::to_string(index) == override
                        : lowercase(choice.devices[index].name).find(lowercase(override)) != std::string::npos;
            if (matches) {
                choice.selected = static_cast<int>(index);
            }
        }
        if (choice.selected < 0) {
            std::ostringstream message;
            message << "the Vulkan device \"" << override << "\" (from " << overrideSource
                    << ") matches none of the devices found:";
            for (const GpuDevice& device : choice.devices) {
                message << " " << device.index << " \"" << device.name << "\"";
            }
            throw VulkanError(message.str());
        }
        if (!canCompute[static_cast<std::size_t>(choice.selected)]) {
            throw VulkanError("the Vulkan device \"" + choice.devices[static_cast<std::size_t>(choice.selected)].name +
                              "\" has no compute queue");
        }
    } else {
        for (std::size_t index = 0; index < choice.devices.size(); ++index) {
            if (!canCompute[index]) {
                continue;
            }
            if (choice.selected < 0 ||
                typeRank(types[index]) < typeRank(types[static_cast<std::size_t>(choice.selected)])) {
                choice.selected = static_cast<int>(index);
            }
        }
        if (choice.selected < 0) {
            throw VulkanError("no Vulkan device with a compute queue was found");
        }
    }
    choice.devices[static_cast<std::size_t>(choice.selected)].selected = true;
    return choice;
}

std::string resultName(vk::Result result) {
    // vk::to_string gives "ErrorDeviceLost"; the C name is what people search for.
    switch (result) {
    case vk::Result::eErrorDeviceLost: return "VK_ERROR_DEVICE_LOST";
    case vk::Result::eErrorOutOfHostMemory: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case vk::Result::eErrorOutOfDeviceMemory: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case vk::Result::eErrorInitializationFailed: return "VK_ERROR_INITIALIZATION_FAILED";
    case vk::Result::eErrorIncompatibleDriver: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case vk::Result::eErrorMemoryMapFailed: return "VK_ERROR_MEMORY_MAP_FAILED";
    case vk::Result::eTimeout: return "VK_TIMEOUT";
    default: return "VkResult " + vk::to_string(result) + " (" + std::to_string(static_cast<int>(result)) + ")";
    }
}

MemoryStatistics memoryStatistics() {
    return {g_allocations.load(), g_liveAllocations.load()};
}

AllocationToken AllocationToken::counted() {
    ++g_allocations;
    ++g_liveAllocations;
    AllocationToken token;
    token.m_counted = true;
    return token;
}

AllocationToken::~AllocationToken() {
    if (m_counted) {
        --g_liveAllocations;
    }
}

AllocationToken& AllocationToken::operator=(AllocationToken&& other) noexcept {
    if (this != &other) {
        if (m_counted) {
            --g_liveAllocations;
        }
        m_counted = std::exchange(other.m_counted, false);
    }
    return *this;
}

} // namespace blurcam::vulkan

namespace blurcam {

void prepareGpuDriverEnvironment() {
    vulkan::quietenDriverCaches();
}

GpuDeviceList listGpuDevices() {
    GpuDeviceList list;
    try {
        const vulkan::InstanceBundle bundle = vulkan::createInstance(false);
        const vk::raii::PhysicalDevices physicalDevices = vulkan::enumerateDevices(bundle.instance);
        const char* override = std::getenv("BLURCAM_VULKAN_DEVICE");
        try {
            list.devices =
                vulkan::chooseDevice(physicalDevices, override != nullptr ? override : "", "BLURCAM_VULKAN_DEVICE")
                    .devices;
        } catch (const vulkan::VulkanError& error) {
            // Still list them: the user needs the names to fix the override.
            list.devices = vulkan::chooseDevice(physicalDevices, "", "").devices;
            for (GpuDevice& device : list.devices) {
                device.selected = false;
            }
            list.error = error.what();
        }
    } catch (const std::exception& error) {
        list.devices.clear();
        list.error = error.what();
    }
    return list;
}

} // namespace blurcam
