#pragma once
// Helpers for the app-core and blurcam-cli suites: a scratch directory per test under the test's
// own build directory, running the CLI as a real subprocess and reading its frame counts, small
// image/video makers, and what damaged files are made of.

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace blurcam::test {

namespace fs = std::filesystem;

/// A fresh, empty directory for one test: <build>/tests/cli_test_work/<Suite>.<Test>-<pid>.
/// Removed when the test passes, kept for a look when it fails.
class ScratchDirectory {
  public:
    ScratchDirectory() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string(info->test_suite_name()) + "." + info->name() + "-" + std::to_string(::getpid());
        for (char& c : name) {
            if (c == '/') {
                c = '_';
            }
        }
        m_path = fs::path(BLURCAM_TEST_WORK_DIR) / name;
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~ScratchDirectory() {
        if (!::testing::Test::HasFailure()) {
            std::error_code ignored;
            fs::remove_all(m_path, ignored);
        }
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    [[nodiscard]] const fs::path& path() const { return m_path; }
    [[nodiscard]] fs::path operator/(const std::string& name) const { return m_path / name; }

    /// Every name below the directory, relative, hidden files and temporaries included.
    [[nodiscard]] std::set<std::string> listing() const {
        std::set<std::string> names;
        for (const auto& entry : fs::recursive_directory_iterator(m_path)) {
            names.insert(fs::relative(entry.path(), m_path).string());
        }
        return names;
    }

  private:
    fs::path m_path;
};

struct CliRun {
    int exitCode = -1;
    std::string out;
    std::string err;

    [[nodiscard]] std::vector<std::string> errLines() const {
        std::vector<std::string> lines;
        std::istringstream stream(err);
        for (std::string line; std::getline(stream, line);) {
            lines.push_back(line);
        }
        return lines;
    }
};

inline std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct NoChildSetup {
    void operator()() const {}
};

/// A blurcam-cli started in the background, for tests that signal it mid-run.
struct RunningCli {
    pid_t pid = -1;
    fs::path outFile;
    fs::path errFile;
};

/// A process id that no longer exists: a child that has ended and been waited for.
inline pid_t deadProcessId() {
    const pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

/// blurcam-cli's argv for execv, built before fork (the child may only call async-signal-safe
/// functions): argv points into words.
struct CliCommandLine {
    explicit CliCommandLine(const std::vector<std::string>& args) : words{BLURCAM_CLI_PATH} {
        words.insert(words.end(), args.begin(), args.end());
        for (std::string& word : words) {
            argv.push_back(word.data());
        }
        argv.push_back(nullptr);
    }
    CliCommandLine(const CliCommandLine&) = delete;
    CliCommandLine& operator=(const CliCommandLine&) = delete;

    std::vector<std::string> words;
    std::vector<char*> argv;
};

/// Starts blurcam-cli with args in workDir; stdout and stderr go to files beside the scratch
/// directory (not inside it, so listings stay clean). childSetup runs in the child between fork
/// and exec (limits, environment), so it may only call async-signal-safe functions.
template <typename ChildSetup = NoChildSetup>
RunningCli startCli(const std::vector<std::string>& args, const fs::path& workDir, const ChildSetup& childSetup = {}) {
    RunningCli running{-1, workDir.string() + ".stdout", workDir.string() + ".stderr"};
    CliCommandLine command(args);
    const std::vector<char*>& argv = command.argv;
    running.pid = ::fork();
    if (running.pid == 0) {
        childSetup();
        const int out = ::open(running.outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(running.errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 || ::chdir(workDir.c_str()) != 0) {
            ::_exit(126);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (running.pid < 0) {
        ADD_FAILURE() << "fork failed";
    }
    return running;
}

/// Waits for a started CLI to end and collects what it printed.
inline CliRun waitForCli(RunningCli& running) {
    CliRun run;
    if (running.pid < 0) {
        return run;
    }
    int status = 0;
    ::waitpid(running.pid, &status, 0);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = readText(running.outFile);
    run.err = readText(running.errFile);
    fs::remove(running.outFile);
    fs::remove(running.errFile);
    return run;
}

/// Runs blurcam-cli to the end (see startCli).
template <typename ChildSetup = NoChildSetup>
CliRun runCli(const std::vector<std::string>& args, const fs::path& workDir, const ChildSetup& childSetup = {}) {
    RunningCli running = startCli(args, workDir, childSetup);
    return waitForCli(running);
}

inline std::string describe(const CliRun& run) {
    return "exit " + std::to_string(run.exitCode) + "\n--- stdout\n" + run.out + "--- stderr\n" + run.err;
}

/// The "R read, P processed, F failed" line `process` ends with.
struct FrameCounts {
    int read = 0;
    int processed = 0;
    int failed = 0;
};

/// The counts a successful run printed; nullopt when it failed or printed none (describe(run)
/// says which).
inline std::optional<FrameCounts> countsOf(const CliRun& run) {
    static const std::regex counts("(\\d+) read, (\\d+) processed, (\\d+) failed");
    std::smatch match;
    if (run.exitCode != 0 || !std::regex_search(run.out, match, counts)) {
        return std::nullopt;
    }
    return FrameCounts{std::stoi(match[1]), std::stoi(match[2]), std::stoi(match[3])};
}

/// An RGBA test picture with structure in every channel, alpha included (not all 255).
inline cv::Mat makeRgbaPicture(int width, int height, int seed = 1) {
    cv::Mat rgba(height, width, CV_8UC4);
    cv::RNG random(static_cast<std::uint64_t>(seed) * 7919U + 17U);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            rgba.at<cv::Vec4b>(y, x) = cv::Vec4b(
                static_cast<uchar>(x * 255 / std::max(1, width - 1)), static_cast<uchar>(((x / 4 + y / 4) % 2) * 255),
                static_cast<uchar>(random.uniform(0, 256)), static_cast<uchar>(y * 255 / std::max(1, height - 1)));
        }
    }
    return rgba;
}

inline void writeRgbaPng(const fs::path& path, const cv::Mat& rgba) {
    cv::Mat bgra;
    cv::cvtColor(rgba, bgra, cv::COLOR_RGBA2BGRA);
    ASSERT_TRUE(cv::imwrite(path.string(), bgra)) << path;
}

/// Reads an image as RGBA (alpha 255 when the file has none).
inline cv::Mat readRgba(const fs::path& path) {
    const cv::Mat decoded = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
    cv::Mat rgba;
    if (decoded.channels() == 4) {
        cv::cvtColor(decoded, rgba, cv::COLOR_BGRA2RGBA);
    } else if (decoded.channels() == 3) {
        cv::cvtColor(decoded, rgba, cv::COLOR_BGR2RGBA);
    }
    return rgba;
}

/// A MJPG .avi of `frames` frames, each visibly different.
inline void writeTestVideo(const fs::path& path, int frames, cv::Size size) {
    cv::VideoWriter writer(path.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25.0, size,
                           true);
    ASSERT_TRUE(writer.isOpened()) << path;
    for (int i = 0; i < frames; ++i) {
        cv::Mat bgr(size, CV_8UC3, cv::Scalar(40, 80, 120));
        cv::circle(bgr, cv::Point(10 + i * 5, size.height / 2), 8, cv::Scalar(255, 255, 255), cv::FILLED);
        cv::putText(bgr, std::to_string(i), cv::Point(4, 20), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0, 0, 255));
        writer.write(bgr);
    }
    writer.release();
}

inline long long countVideoFrames(const fs::path& path, cv::Size* size = nullptr) {
    cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
    long long frames = 0;
    cv::Mat frame;
    while (capture.read(frame)) {
        if (size != nullptr) {
            *size = frame.size();
        }
        ++frames;
    }
    return frames;
}

inline std::vector<unsigned char> readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeBytes(const fs::path& path, const std::vector<unsigned char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// Copies an MJPG .avi of `frames` frames (writeTestVideo's) to `damaged`, with the first half of
/// each chosen frame's JPEG data (0-based; not the last frame, whose end is not marked) overwritten
/// with filler. The AVI chunk headers stay intact, so only those frames are lost.
inline void writeWithCorruptFrames(const fs::path& video, std::size_t frames, const std::vector<std::size_t>& corrupt,
                                   const fs::path& damaged) {
    std::vector<unsigned char> bytes = readBytes(video);
    std::vector<std::size_t> starts; // each frame's JPEG start-of-image marker, FF D8 FF
    for (std::size_t i = 0; i + 2 < bytes.size(); ++i) {
        if (bytes[i] == 0xFF && bytes[i + 1] == 0xD8 && bytes[i + 2] == 0xFF) {
            starts.push_back(i);
        }
    }
    ASSERT_EQ(starts.size(), frames);
    for (const std::size_t frame : corrupt) {
        ASSERT_LT(frame + 1, starts.size());
        const auto begin = bytes.begin() + static_cast<std::ptrdiff_t>(starts[frame]);
        std::fill(begin, begin + static_cast<std::ptrdiff_t>((starts[frame + 1] - starts[frame]) / 2), 0x55);
    }
    writeBytes(damaged, bytes);
}

/// CRC-32 as PNG chunks carry it (ISO 3309, zlib's crc32), for pictures made byte by byte.
inline std::uint32_t crc32(const unsigned char* data, std::size_t size) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

inline bool hasTemporaryName(const std::set<std::string>& names) {
    for (const std::string& name : names) {
        if (name.find("blurcam-tmp") != std::string::npos) {
            return true;
        }
    }
    return false;
}

/// Every file below a folder with its bytes: "exactly as it was" compares these.
inline std::map<std::string, std::string> snapshot(const fs::path& folder) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        const std::string name = fs::relative(entry.path(), folder).string();
        files[name] = entry.is_regular_file() ? readText(entry.path()) : std::string("<folder>");
    }
    return files;
}

/// Child setup: writes past limitBytes fail with EFBIG, as on a full disk (SIGXFSZ ignored so the
/// write returns an error instead of killing the process).
struct FileSizeLimit {
    rlim_t limitBytes;
    void operator()() const {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{limitBytes, limitBytes};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
            ::_exit(125);
        }
    }
};

/// Sets an environment variable for the CLI subprocesses of one test (fork inherits it).
class ScopedEnvironment {
  public:
    ScopedEnvironment(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
            m_old = old;
        }
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnvironment() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  private:
    const char* m_name;
    std::optional<std::string> m_old;
};

} // namespace blurcam::test
