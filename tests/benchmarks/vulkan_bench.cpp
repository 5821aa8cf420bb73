// Per-frame upload, dispatch and download time of the Vulkan backend at a few frame sizes, with
// the CPU backend's time for the same frame beside it. A benchmark, not a test: it prints medians
// and checks once per size that the GPU's bytes equal the CPU's.
//
//   blurcam_vulkan_bench [--frames N] [--kernel-size K] [--sigma S] [--stride 1|2] [--device D]
//                        [--validation] [WxH ...]        (default sizes 256x256 1920x1080 3840x2160)
//   blurcam_vulkan_bench --list     the Vulkan devices, '*' on the one the backend takes; exit 1 if none
#include "blurcam/blurcam.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

struct Frame {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
    [[nodiscard]] blurcam::ImageView view() const { return {pixels.data(), width, height, std::size_t(width) * 4}; }
    blurcam::MutableImageView mutableView() { return {pixels.data(), width, height, std::size_t(width) * 4}; }
};

Frame makeFrame(int width, int height, bool random) {
    Frame frame{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 4)};
    if (random) {
        std::mt19937 engine(42);
        for (std::uint8_t& byte : frame.pixels) {
            byte = static_cast<std::uint8_t>(engine());
        }
    }
    return frame;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
}

[[noreturn]] void usage(const char* message) {
    std::fprintf(stderr,
                 "blurcam_vulkan_bench: %s\nusage: blurcam_vulkan_bench [--frames N] [--kernel-size K] "
                 "[--sigma S] [--stride 1|2] [--device D] [--validation] [WxH ...] | --list\n",
                 message);
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    int frames = 30;
    blurcam::BlurParams params;
    blurcam::BackendOptions options;
    std::vector<std::pair<int, int>> sizes;
    for (int index = 1; index < argc; ++index) {
        const std::string argument = argv[index];
        const auto value = [&]() -> std::string {
            if (index + 1 >= argc) {
                usage(("missing value after " + argument).c_str());
            }
            return argv[++index];
        };
        if (argument == "--frames") {
            frames = std::max(1, std::atoi(value().c_str()));
        } else if (argument == "--kernel-size") {
            params.kernelSize = std::atoi(value().c_str());
        } else if (argument == "--sigma") {
            params.sigma = std::atof(value().c_str());
        } else if (argument == "--stride") {
            params.stride = std::atoi(value().c_str());
        } else if (argument == "--device") {
            options.vulkanDevice = value();
        } else if (argument == "--list") {
            const blurcam::GpuDeviceList list = blurcam::listGpuDevices();
            for (const blurcam::GpuDevice& device : list.devices) {
                std::printf("%c %d %s (%s)\n", device.selected ? '*' : ' ', device.index, device.name.c_str(),
                            device.type.c_str());
            }
            if (!list.error.empty()) {
                std::printf("%s\n", list.error.c_str());
            }
            return list.devices.empty() ? 1 : 0;
        } else if (argument == "--validation") {
            options.vulkanValidation = true;
        } else {
            int width = 0;
            int height = 0;
            if (std::sscanf(argument.c_str(), "%dx%d", &width, &height) != 2 || width < 1 || height < 1) {
                usage(("not a size (WxH): " + argument).c_str());
            }
            sizes.emplace_back(width, height);
        }
    }
    if (sizes.empty()) {
        sizes = {{256, 256}, {1920, 1080}, {3840, 2160}};
    }

    blurcam::BackendResult vulkan = blurcam::createBackend(blurcam::BackendKind::Vulkan, options);
    if (!vulkan.backend) {
        std::fprintf(stderr, "blurcam_vulkan_bench: %s\n", vulkan.error.c_str());
        return 1;
    }
    blurcam::BackendResult cpu = blurcam::createBackend(blurcam::BackendKind::Cpu);
    std::printf("device: %s\nbackend: %s\nparams: K=%d sigma=%g stride=%d edge=%s, %d frames per size "
                "(medians; upload/download = host copy + bus transfer, gpu = dispatch from timestamps)\n",
                vulkan.backend->deviceName().c_str(), vulkan.backend->name().c_str(), params.kernelSize, params.sigma,
                params.stride, std::string(blurcam::toString(params.edge)).c_str(), frames);
    std::printf("%-11s %10s %10s %10s %12s %12s %12s %10s\n", "size", "upload ms", "gpu ms", "download ms",
                "round trip ms", "memcpy ms", "cpu(1t) ms", "identical");

    for (const auto& [width, height] : sizes) {
        const Frame input = makeFrame(width, height, true);
        const blurcam::Size outSize = blurcam::outputSize({width, height}, params.stride);
        Frame output = makeFrame(outSize.width, outSize.height, false);
        Frame expected = makeFrame(outSize.width, outSize.height, false);
        std::vector<double> upload;
        std::vector<double> compute;
        std::vector<double> download;
        std::vector<double> roundTrip;
        try {
            // One untimed frame first: it creates the buffers for this size.
            vulkan.backend->process(input.view(), output.mutableView(), params);
            for (int frame = 0; frame < frames; ++frame) {
                const auto start = std::chrono::steady_clock::now();
                vulkan.backend->process(input.view(), output.mutableView(), params);
                roundTrip.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
                const blurcam::FrameTimings timings = vulkan.backend->lastTimings();
                upload.push_back(timings.uploadMs);
                compute.push_back(timings.computeMs);
                download.push_back(timings.downloadMs);
            }
        } catch (const std::exception& error) {
            std::fprintf(stderr, "blurcam_vulkan_bench: %dx%d: %s\n", width, height, error.what());
            return 1;
        }
        std::vector<double> cpuTimes;
        for (int frame = 0; frame < std::min(frames, 10); ++frame) {
            cpu.backend->process(input.view(), expected.mutableView(), params);
            cpuTimes.push_back(cpu.backend->lastTimings().computeMs);
        }
        // The floor for upload + download on this host: one plain memcpy of the input and of the
        // output frame, which the backend's row packing cannot beat.
        std::vector<double> copyTimes;
        std::vector<std::uint8_t> copyTarget(input.pixels.size() + output.pixels.size());
        for (int frame = 0; frame < std::min(frames, 10); ++frame) {
            const auto start = std::chrono::steady_clock::now();
            std::memcpy(copyTarget.data(), input.pixels.data(), input.pixels.size());
            std::memcpy(copyTarget.data() + input.pixels.size(), output.pixels.data(), output.pixels.size());
            copyTimes.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        const bool identical = output.pixels == expected.pixels;
        char size[32];
        std::snprintf(size, sizeof size, "%dx%d", width, height);
        std::printf("%-11s %10.3f %10.3f %10.3f %12.3f %12.3f %12.3f %10s\n", size, median(upload), median(compute),
                    median(download), median(roundTrip), median(copyTimes), median(cpuTimes), identical ? "yes" : "NO");
        if (!identical) {
            return 1;
        }
    }
    return 0;
}
