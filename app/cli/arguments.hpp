#pragma once
// blurcam-cli's command line, parsed by hand (no dependency): every option is known, every value
// is checked, and a mistake becomes one sentence and exit status 2.

#include "blurcam/backend.hpp"
#include "blurcam/params.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace blurcam::cli {

/// A mistake on the command line; what() is the one line printed on stderr.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class Command { Help, Process, Bench, Devices, Plan };

struct FrameSize {
    int width = 0;
    int height = 0;
    [[nodiscard]] bool isNative() const { return width == 0; }
};

struct Arguments {
    Command command = Command::Help;
    std::optional<Command> helpFor; ///< `help process`, `process --help`

    std::string input;
    std::string output;
    BackendKind backend = BackendKind::Cpu;
    BlurParams params;
    int every = 1;
    bool overwrite = false;          ///< process: replace the frames already in an output folder
    FrameSize size;                  ///< native unless --size WxH (bench defaults to 256x256)
    std::optional<long long> frames; ///< unset: the command's default
    int threads = 1;
    std::vector<FrameSize> planSizes; ///< plan: every --size given (default 256x256)
    double planSeconds = 10.0;        ///< plan: FFTW measuring limit per transform
    FrameSize outputSize;             ///< live outputs: native (the source's size) unless --output-size
    bool mirror = false;              ///< live outputs: --mirror flips the stream left-right
    std::string record;               ///< live outputs: --record FILE.mkv|.avi also records the stream
    std::string cameraMode;           ///< --camera-mode WxH[@FPS][:YUYV|MJPG]; "" = the default mode
};

/// Throws UsageError. argv[0] is the program name.
[[nodiscard]] Arguments parseArguments(const std::vector<std::string>& argv);

[[nodiscard]] std::string helpText(std::optional<Command> command);

} // namespace blurcam::cli
