#include "arguments.hpp"

#include "constants.hpp"
#include "frame_recorder.hpp"
#include "frame_sink.hpp"
#include "quoted.hpp"
#include "source_spec.hpp"
#include "v4l2_devices.hpp"

#include "blurcam/limits.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <system_error>
#include <utility>

namespace blurcam::cli {
namespace {

/// The commands, in the order the overview and "expected ..." list them.
constexpr std::array<NamedValue<Command>, 5> kCommands{{
    {Command::Process, "process", "process",
     "blur frames from an image, video, camera or the test pattern into a file"},
    {Command::Bench, "bench", "bench", "time the blur engine on synthetic frames"},
    {Command::Plan, "plan", "plan", "measure and save FFT plans, so the fft backend runs faster"},
    {Command::Devices, "devices", "devices", "list cameras and GPUs"},
    {Command::Help, "help", "help [COMMAND]", "this text, or a command's options (also: COMMAND --help)"},
}};

/// "a, b or c": what an option or the command word accepts, for error messages.
template <typename Enum, std::size_t N>
std::string oneOf(const std::array<NamedValue<Enum>, N>& table) {
    return joinNames(table, ", ", " or ");
}

[[noreturn]] void invalid(const std::string& option, const std::string& value, const std::string& expected) {
    throw UsageError("invalid " + option + " " + app::quoted(value) + ": expected " + expected);
}

double parseDouble(const std::string& option, const std::string& value) {
    double result = 0.0;
    const char* end = value.data() + value.size();
    const auto [next, error] = std::from_chars(value.data(), end, result);
    if (value.empty() || error != std::errc() || next != end || !std::isfinite(result)) {
        invalid(option, value, "a number");
    }
    return result;
}

long long parseInteger(const std::string& option, const std::string& value, long long minimum, long long maximum) {
    long long result = 0;
    const char* end = value.data() + value.size();
    const auto [next, error] = std::from_chars(value.data(), end, result);
    if (value.empty() || error != std::errc() || next != end) {
        invalid(option, value, "a whole number");
    }
    if (result < minimum || result > maximum) {
        invalid(option, value, "a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum));
    }
    return result;
}

FrameSize parseSize(const std::string& option, const std::string& value, bool allowNative) {
    if (value == "native") {
        if (!allowNative) {
            invalid(option, value, "WxH such as 256x256");
        }
        return {};
    }
    const auto cross = value.find('x');
    const std::string expected = allowNative ? "native or WxH such as 256x256" : "WxH such as 256x256";
    if (cross == std::string::npos) {
        invalid(option, value, expected);
    }
    FrameSize size;
    const auto parsePart = [&](const std::string& part, int& into) {
        const char* end = part.data() + part.size();
        const auto [next, error] = std::from_chars(part.data(), end, into);
        if (part.empty() || error != std::errc() || next != end || into < 1 || into > app::kMaxImageSide) {
            invalid(option, value, expected + " (each side 1 to " + std::to_string(app::kMaxImageSide) + ")");
        }
    };
    parsePart(value.substr(0, cross), size.width);
    parsePart(value.substr(cross + 1), size.height);
    return size;
}

std::optional<Command> parseCommand(const std::string& word) {
    if (word == "--help" || word == "-h") {
        return Command::Help;
    }
    return parseNamed(kCommands, word);
}

std::string commandName(Command command) {
    return std::string(findNamed(kCommands, command)->name);
}

using Setter = std::function<void(Arguments&, const std::string&)>;

void addBlurOptions(std::map<std::string, Setter>& options) {
    options["--backend"] = [](Arguments& a, const std::string& v) {
        const auto kind = parseBackendKind(v);
        if (!kind)
            invalid("--backend", v, oneOf(kBackendKinds));
        a.backend = *kind;
    };
    options["--sigma"] = [](Arguments& a, const std::string& v) { a.params.sigma = parseDouble("--sigma", v); };
    options["--kernel"] = [](Arguments& a, const std::string& v) {
        const auto kind = parseKernelKind(v);
        if (!kind)
            invalid("--kernel", v, oneOf(kKernelKinds));
        a.params.kernel = *kind;
    };
    options["--ksize"] = [](Arguments& a, const std::string& v) {
        a.params.kernelSize = static_cast<int>(parseInteger("--ksize", v, -1000000, 1000000));
    };
    options["--stride"] = [](Arguments& a, const std::string& v) {
        a.params.stride = static_cast<int>(parseInteger("--stride", v, -1000000, 1000000));
    };
    options["--edge"] = [](Arguments& a, const std::string& v) {
        const auto mode = parseEdgeMode(v);
        if (!mode)
            invalid("--edge", v, oneOf(kEdgeModes));
        a.params.edge = *mode;
    };
    options["--frames"] = [](Arguments& a, const std::string& v) {
        a.frames = parseInteger("--frames", v, 1, 1'000'000'000);
    };
    options["--threads"] = [](Arguments& a, const std::string& v) {
        a.threads = static_cast<int>(parseInteger("--threads", v, 1, kMaxThreads));
    };
}

std::map<std::string, Setter> optionsFor(Command command) {
    std::map<std::string, Setter> options;
    switch (command) {
    case Command::Process:
        addBlurOptions(options);
        options["--input"] = [](Arguments& a, const std::string& v) { a.input = v; };
        options["--output"] = [](Arguments& a, const std::string& v) { a.output = v; };
        options["--every"] = [](Arguments& a, const std::string& v) {
            a.every = static_cast<int>(parseInteger("--every", v, 1, 1'000'000));
        };
        options["--size"] = [](Arguments& a, const std::string& v) { a.size = parseSize("--size", v, true); };
        options["--record"] = [](Arguments& a, const std::string& v) { a.record = v; };
        options["--camera-mode"] = [](Arguments& a, const std::string& v) {
            if (!app::parseCameraMode(v)) {
                invalid("--camera-mode", v, "WxH, WxH@FPS or WxH@FPS:YUYV|MJPG such as 1280x720@30:MJPG");
            }
            a.cameraMode = v;
        };
        options["--output-size"] = [](Arguments& a, const std::string& v) {
            a.outputSize = parseSize("--output-size", v, true);
        };
        break;
    case Command::Bench:
        addBlurOptions(options);
        options["--size"] = [](Arguments& a, const std::string& v) { a.size = parseSize("--size", v, false); };
        break;
    case Command::Plan:
        addBlurOptions(options);
        // Planning needs the kernel's reach and the stride, not a backend or frames to run.
        options.erase("--backend");
        options.erase("--frames");
        options.erase("--threads");
        options["--size"] = [](Arguments& a, const std::string& v) {
            a.planSizes.push_back(parseSize("--size", v, false));
        };
        options["--time-limit"] = [](Arguments& a, const std::string& v) {
            a.planSeconds = parseDouble("--time-limit", v);
            if (a.planSeconds <= 0.0 || a.planSeconds > 3600.0) {
                invalid("--time-limit", v, "seconds, more than 0 and at most 3600");
            }
        };
        break;
    case Command::Devices:
    case Command::Help: break;
    }
    return options;
}

/// Options that take no value.
const std::map<std::string, void (*)(Arguments&)> kFlags{
    {"--overwrite", [](Arguments& a) { a.overwrite = true; }},
};

bool flagApplies(const std::string& flag, Command command) {
    return flag == "--overwrite" && command == Command::Process;
}

/// --input, --output and the options that only a virtual camera output uses: their syntax is
/// checked here, before anything is opened, so a mistake in them is a usage error (exit 2).
void checkProcessTargets(const Arguments& arguments, const std::set<std::string>& given) {
    if (arguments.input.empty()) {
        throw UsageError("missing --input (" + app::expectedSourceSyntax() + ")");
    }
    if (arguments.output.empty()) {
        throw UsageError("missing --output (an image file, a directory or a video file)");
    }
    const app::ParsedSourceSpec input = app::parseSourceSpec(arguments.input);
    if (!input.spec) {
        throw UsageError(input.error);
    }
    if (given.contains("--camera-mode") && input.spec->kind != app::SourceKind::Camera) {
        throw UsageError("--camera-mode does nothing with --input " + app::quoted(arguments.input) +
                         ": it chooses the mode of a camera:N input");
    }
    const std::optional<app::SinkSpec> sink = app::parseSinkSpec(arguments.output);
    if (!sink) {
        for (const char* option : {"--record", "--mirror", "--output-size"}) {
            if (given.contains(option)) {
                throw UsageError(std::string(option) + " does nothing with --output " + app::quoted(arguments.output) +
                                 ": it is for a virtual camera output (--output pipewire or v4l2:/dev/videoN)");
            }
        }
        return;
    }
    if (std::string problem = app::sinkSpecProblem(*sink); !problem.empty()) {
        throw UsageError(problem);
    }
    if (!arguments.record.empty()) {
        if (std::string problem = app::recordingNameProblem(arguments.record); !problem.empty()) {
            throw UsageError(problem);
        }
    }
}

} // namespace

Arguments parseArguments(const std::vector<std::string>& argv) {
    Arguments arguments;
    if (argv.size() < 2) {
        return arguments; // no command: print the overview
    }
    const auto command = parseCommand(argv[1]);
    if (!command) {
        throw UsageError("unknown command " + app::quoted(argv[1]) + ": expected " + oneOf(kCommands));
    }
    arguments.command = *command;
    if (*command == Command::Help) {
        if (argv.size() > 2) {
            const auto topic = parseCommand(argv[2]);
            if (!topic) {
                throw UsageError("unknown command " + app::quoted(argv[2]) + ": expected " + oneOf(kCommands));
            }
            arguments.helpFor = *topic;
        }
        return arguments;
    }
    const auto options = optionsFor(*command);
    std::set<std::string> given; ///< the options on the command line, to refuse those that would do nothing
    for (std::size_t at = 2; at < argv.size(); ++at) {
        std::string option = argv[at];
        if (option == "--help" || option == "-h") {
            arguments.helpFor = *command;
            arguments.command = Command::Help;
            return arguments;
        }
        if (option == "--mirror" && *command == Command::Process) { // the one option without a value
            arguments.mirror = true;
            given.insert(option);
            continue;
        }
        std::optional<std::string> value;
        if (const auto equals = option.find('='); option.rfind("--", 0) == 0 && equals != std::string::npos) {
            value = option.substr(equals + 1);
            option = option.substr(0, equals);
        }
        const auto setter = options.find(option);
        if (setter == options.end() && !(kFlags.contains(option) && flagApplies(option, *command))) {
            if (option.rfind("-", 0) != 0) {
                throw UsageError("unexpected argument " + app::quoted(option) + " for " +
                                 app::quoted(commandName(*command)) + " (options take the form --name value)");
            }
            throw UsageError("unknown option " + app::quoted(option) + " for " + app::quoted(commandName(*command)) +
                             " (see blurcam-cli " + commandName(*command) + " --help)");
        }
        if (const auto flag = kFlags.find(option); flag != kFlags.end() && flagApplies(option, *command)) {
            if (value) {
                throw UsageError(option + " takes no value");
            }
            flag->second(arguments);
            continue;
        }
        if (!value) {
            if (at + 1 >= argv.size()) {
                throw UsageError("missing value for " + option);
            }
            value = argv[++at];
        }
        setter->second(arguments, *value);
        given.insert(option);
    }
    if (*command == Command::Process) {
        checkProcessTargets(arguments, given);
    }
    if (given.contains("--sigma") && arguments.params.kernel != KernelKind::Gaussian) {
        throw UsageError("--sigma does nothing with --kernel " + std::string(toString(arguments.params.kernel)) +
                         ", whose weights are fixed; leave it out or use --kernel gaussian");
    }
    if (*command == Command::Bench && arguments.size.isNative()) {
        arguments.size = {app::kFrameSide, app::kFrameSide};
    }
    if (*command == Command::Plan && arguments.planSizes.empty()) {
        arguments.planSizes.push_back({app::kFrameSide, app::kFrameSide});
    }
    try {
        validate(arguments.params);
    } catch (const std::invalid_argument& error) {
        // The engine names its parameters ("kernel size"); say the option the user typed.
        std::string message = error.what();
        for (const auto& [name, option] :
             {std::pair{"invalid sigma", "invalid --sigma"}, std::pair{"invalid kernel size", "invalid --ksize"},
              std::pair{"invalid stride", "invalid --stride"}}) {
            if (message.rfind(name, 0) == 0) {
                message = option + message.substr(std::string(name).size());
                break;
            }
        }
        throw UsageError(message);
    }
    return arguments;
}

std::string helpText(std::optional<Command> command) {
    const BlurParams defaults;
    const Arguments defaultArguments;
    const std::string frameSize = std::to_string(app::kFrameSide) + "x" + std::to_string(app::kFrameSide);
    const std::string blurOptions =
        "  --backend " + joinNames(kBackendKinds, "|") + "  engine backend (default " +
        std::string(toString(defaultArguments.backend)) + "; auto tries a hardware GPU, then the CPU)\n" +
        "  --sigma S          Gaussian sigma, 0 < S <= " + std::to_string(int(kMaxSigma)) + " (default 1.0)\n" +
        "  --kernel " + joinNames(kKernelKinds, "|") + "  kernel (default " + std::string(toString(defaults.kernel)) +
        "; binomial is [1 4 6 4 1]/16, K = " + std::to_string(kBinomialKernelSize) + ")\n" +
        "  --ksize K          kernel size, odd 1.." + std::to_string(kMaxKernelSize) + " (default " +
        std::to_string(defaults.kernelSize) + ")\n" +
        "  --stride 1|2       output is ceil(W/stride) x ceil(H/stride) (default " + std::to_string(defaults.stride) +
        ")\n" + "  --edge MODE        " + oneOf(kEdgeModes) + " (default " + std::string(toString(defaults.edge)) +
        ")\n" + "  --threads T        CPU worker threads, 1.." + std::to_string(kMaxThreads) + " (default " +
        std::to_string(defaultArguments.threads) + ")\n";
    switch (command.value_or(Command::Help)) {
    case Command::Process:
        return "usage: blurcam-cli process --input IN --output OUT [options]\n"
               "\n"
               "Blurs frames from IN and writes them to OUT, then prints a summary.\n"
               "\n"
               "  --input IN         image file (PNG, JPEG, BMP), video file, camera:N, pipewire:NAME\n"
               "                     (a PipeWire camera node), or pattern (a built-in moving test\n"
               "                     pattern, 640x480)\n"
               "  --output OUT       an image file (.png keeps alpha, .jpg, .bmp): a single image input\n"
               "                     gives its one frame; video, camera or pattern input gives the LAST\n"
               "                     processed frame;\n"
               "                     a directory (existing, or a path ending in '/'): frame_000000.png, ...;\n"
               "                     a video file (.avi MJPG, .mp4 mp4v, .mkv MJPG);\n"
               "                     or a virtual camera, run until Ctrl-C (or --frames):\n"
               "                     pipewire[:NAME] a PipeWire camera node (default NAME blurcam),\n"
               "                     v4l2:/dev/videoN a v4l2loopback device (YUYV)\n"
               "  --output-size native|WxH  virtual camera size (default native: the input's size)\n"
               "  --mirror           flip the virtual camera's picture left-right (default off)\n"
               "  --record FILE.avi  with a virtual camera: also record the stream (MJPEG; what is\n"
               "                     written survives a full disk; never the input, and an existing\n"
               "                     file only with --overwrite)\n"
               "  --camera-mode WxH[@FPS][:YUYV|MJPG]  camera mode (see blurcam-cli devices; default:\n"
               "                     the largest up to 1280x720 that reaches 30 fps, MJPEG if YUYV cannot)\n"
               "  --size native|WxH  centre-crop each frame to W:H and area-resize to WxH (default native)\n"
               "  --every N          process one frame in N (default 1)\n"
               "  --frames N         read at most N frames (default: all of a file, 60 of pattern,\n"
               "                     100 of a camera)\n"
               "  --overwrite        an output folder that holds frames of an earlier run, or a --record\n"
               "                     file that exists: replace them (only once this run has succeeded;\n"
               "                     without it such a folder or file is refused)\n" +
               blurOptions +
               "\n"
               "Output is written under a temporary name, read back, and renamed at the end: a failed\n"
               "run leaves nothing behind and whatever was at OUT untouched. Ctrl-C, SIGTERM or SIGHUP\n"
               "stop reading and still write what was processed. Undecodable video frames are counted\n"
               "as failed and skipped.\n"
               "Exit status: 0 success, 1 failure (file, camera, backend, write, recording), 2 invalid\n"
               "arguments (or an output that would replace the input or mix with an earlier run, or a\n"
               "folder another run is writing to), 128+N when stopped by signal N (the output is complete).\n";
    case Command::Bench:
        return "usage: blurcam-cli bench [options]\n"
               "\n"
               "Times the engine alone on synthetic frames and prints the median and p99 per frame,\n"
               "plus the backend's own upload/compute/download medians.\n"
               "\n"
               "  --size WxH         input frame size (default " +
               frameSize +
               ")\n"
               "  --frames N         timed frames (default 200, after 5 untimed warm-up frames)\n" +
               blurOptions;
    case Command::Plan:
        return std::string("usage: blurcam-cli plan [--size WxH ...] [options]\n") +
               "\n"
               "Measures FFTW plans (FFTW_MEASURE) for the FFT backend at these frame sizes and this\n"
               "kernel, and saves them as FFTW wisdom, which every later FFT backend (CLI and app)\n"
               "loads: up to ~1.5x faster frames at 1080p. Takes seconds per new size; sizes already\n"
               "in the wisdom file are reported as already known and cost nothing.\n"
               "\n"
               "  --size WxH         input frame size; repeat for several (default " +
               frameSize +
               ")\n"
               "  --time-limit S     at most S seconds of measuring per transform (default 10)\n"
               "  --sigma, --kernel, --ksize, --stride, --edge  as for process (K and stride choose\n"
               "                     the transform sizes)\n"
               "\n"
               "Wisdom file: $BLURCAM_FFTW_WISDOM, else ${XDG_CACHE_HOME:-~/.cache}/blurcam/fftw-wisdom.\n"
               "Exit status: 0 success, 1 failure (no FFT support, file not writable), 2 invalid arguments.\n";
    case Command::Devices:
        return "usage: blurcam-cli devices\n"
               "\n"
               "Lists cameras (/dev/video*, with the driver's name) and Vulkan devices, marking the one\n"
               "--backend vulkan would use (or says why there are none); then each camera's modes (the\n"
               "default marked *), v4l2loopback outputs, and PipeWire camera nodes.\n";
    case Command::Help: break;
    }
    std::string overview = "usage: blurcam-cli COMMAND [options]\n\nCommands:\n";
    for (const NamedValue<Command>& entry : kCommands) {
        std::string label(entry.label);
        label.resize(std::max<std::size_t>(label.size() + 2, 10), ' ');
        overview += "  " + label + std::string(entry.description) + "\n";
    }
    return overview + "\nExample: blurcam-cli process --input pattern --output frames/ --frames 10\n";
}

} // namespace blurcam::cli
