#pragma once
// A private PipeWire for one test: a session D-Bus, pipewire and WirePlumber in a fresh
// XDG_RUNTIME_DIR, so tests never touch the desktop's daemon. Every process started here is
// stopped by its PID (dbus-daemon --fork reports its own; a dbus-run-session daemon would
// outlive a killed child). Waits are "give up" guards only: tests count frames, never time.

#include "test_requirements.hpp"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace blurcam::test {

namespace fs = std::filesystem;

inline bool onPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (::access((fs::path(dir) / program).c_str(), X_OK) == 0) {
            return true;
        }
    }
    return false;
}

/// Polls until done() or the guard runs out; the guard is generous, it only stops a hang.
inline bool pollUntil(const std::function<bool()>& done, std::chrono::milliseconds guard = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + guard;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

inline std::string readText(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A child process with stdout and stderr in files; stop() ends it by its PID.
class Child {
  public:
    Child() = default;
    Child(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) : m_out(out), m_err(err) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> args;
        for (const std::string& arg : argv) {
            args.push_back(const_cast<char*>(arg.c_str()));
        }
        args.push_back(nullptr);
        if (posix_spawnp(&m_pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
            m_pid = -1;
        }
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Child() { stop(); }
    Child(Child&& other) noexcept { *this = std::move(other); }
    Child& operator=(Child&& other) noexcept {
        stop();
        m_pid = other.m_pid;
        m_status = other.m_status;
        m_out = other.m_out;
        m_err = other.m_err;
        other.m_pid = -1;
        return *this;
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    [[nodiscard]] pid_t pid() const { return m_pid; }
    [[nodiscard]] bool running() {
        if (m_pid <= 0) {
            return false;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_status = status;
            m_pid = -1;
            return false;
        }
        return true;
    }
    /// SIGINT (blurcam's clean stop), then SIGKILL if it is still there after the guard.
    /// Returns the exit status, or -1 when it had to be killed.
    int stop(int signal = SIGINT, std::chrono::milliseconds guard = std::chrono::seconds(10)) {
        if (m_pid <= 0) {
            return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
        }
        ::kill(m_pid, signal);
        const bool ended = pollUntil([&] { return !running(); }, guard);
        if (!ended) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &m_status, 0);
            m_pid = -1;
            return -1;
        }
        return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
    }
    /// Waits for it to end by itself; -1 if it did not within the guard (it is then killed).
    int wait(std::chrono::milliseconds guard = std::chrono::seconds(60)) {
        if (!pollUntil([&] { return !running(); }, guard)) {
            return stop(SIGKILL);
        }
        return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
    }
    [[nodiscard]] std::string out() const { return readText(m_out); }
    [[nodiscard]] std::string err() const { return readText(m_err); }

  private:
    pid_t m_pid = -1;
    int m_status = 0;
    fs::path m_out;
    fs::path m_err;
};

/// The daemons. Construct, REQUIRE_OR_SKIP(missing().empty(), missing()), then start(); the
/// destructor stops everything.
class PrivatePipeWire {
  public:
    PrivatePipeWire() {
        for (const char* program :
             {"dbus-daemon", "pipewire", "wireplumber", "pw-cli", "gst-launch-1.0", "gst-inspect-1.0"}) {
            if (!onPath(program)) {
                m_missing = std::string(program) +
                            " is not installed (Debian: dbus, pipewire, pipewire-bin, wireplumber, "
                            "gstreamer1.0-tools)";
                return;
            }
        }
        for (const char* element : {"videotestsrc", "pipewiresink", "pipewiresrc", "videoconvert", "appsink"}) {
            const std::string command = std::string("gst-inspect-1.0 ") + element + " >/dev/null 2>&1";
            if (std::system(command.c_str()) != 0) {
                m_missing = std::string("GStreamer element ") + element +
                            " is missing (Debian: gstreamer1.0-plugins-base, gstreamer1.0-pipewire)";
                return;
            }
        }
        char directory[] = "/tmp/blurcam-pw-XXXXXX";
        if (::mkdtemp(directory) == nullptr) {
            m_missing = "cannot create a runtime directory in /tmp";
            return;
        }
        m_runtime = directory;
        m_saved = {get("XDG_RUNTIME_DIR"), get("PIPEWIRE_RUNTIME_DIR"), get("DBUS_SESSION_BUS_ADDRESS")};
        ::setenv("XDG_RUNTIME_DIR", m_runtime.c_str(), 1);
        ::setenv("PIPEWIRE_RUNTIME_DIR", m_runtime.c_str(), 1);
        // Everything the tests start inherits these; nobody reaches the desktop's daemons.
        ::setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 1);
    }
    ~PrivatePipeWire() {
        stopDaemons();
        if (m_dbusPid > 0) {
            ::kill(m_dbusPid, SIGTERM);
        }
        restore("XDG_RUNTIME_DIR", m_saved[0]);
        restore("PIPEWIRE_RUNTIME_DIR", m_saved[1]);
        restore("DBUS_SESSION_BUS_ADDRESS", m_saved[2]);
        if (!m_runtime.empty() && !::testing::Test::HasFailure()) {
            std::error_code ignored;
            fs::remove_all(m_runtime, ignored);
        }
    }
    PrivatePipeWire(const PrivatePipeWire&) = delete;
    PrivatePipeWire& operator=(const PrivatePipeWire&) = delete;

    /// What this machine lacks for a private PipeWire ("" if nothing).
    [[nodiscard]] const std::string& missing() const { return m_missing; }
    [[nodiscard]] const fs::path& runtime() const { return m_runtime; }
    [[nodiscard]] fs::path log(const std::string& name) const { return m_runtime / name; }

    /// The session bus, then the daemons. "" or what failed.
    std::string start() {
        FILE* dbus = ::popen("dbus-daemon --session --fork --print-address=1 --print-pid=1", "r");
        if (dbus == nullptr) {
            return "cannot start dbus-daemon";
        }
        char address[512] = {};
        char pid[64] = {};
        const bool read =
            std::fgets(address, sizeof address, dbus) != nullptr && std::fgets(pid, sizeof pid, dbus) != nullptr;
        ::pclose(dbus);
        if (!read) {
            return "dbus-daemon printed no address";
        }
        m_dbusPid = static_cast<pid_t>(std::strtol(pid, nullptr, 10));
        std::string bus = address;
        bus.erase(bus.find_last_not_of("\r\n") + 1);
        ::setenv("DBUS_SESSION_BUS_ADDRESS", bus.c_str(), 1);
        return startDaemons();
    }

    /// pipewire and wireplumber (again, after stopDaemons()).
    std::string startDaemons() {
        ++m_generation;
        const std::string suffix = std::to_string(m_generation);
        m_pipewire = Child({"pipewire"}, log("pipewire" + suffix + ".out"), log("pipewire" + suffix + ".err"));
        if (!pollUntil([&] { return fs::exists(m_runtime / "pipewire-0"); })) {
            return "pipewire did not create its socket in " + m_runtime.string() + ": " +
                   readText(log("pipewire" + suffix + ".err"));
        }
        m_wireplumber =
            Child({"wireplumber"}, log("wireplumber" + suffix + ".out"), log("wireplumber" + suffix + ".err"));
        // WirePlumber links nodes once its policy is loaded; its "default" metadata object says so.
        // A consumer that connects before then is left unlinked.
        if (!pollUntil([&] { return hasObject("Metadata", "metadata.name = \"default\""); })) {
            return "WirePlumber did not load its policy: " + readText(log("wireplumber" + suffix + ".err"));
        }
        return {};
    }

    /// Whether pw-cli lists an object of type with a line containing text.
    static bool hasObject(const std::string& type, const std::string& text) {
        FILE* list = ::popen(("pw-cli ls " + type + " 2>/dev/null").c_str(), "r");
        if (list == nullptr) {
            return false;
        }
        std::string output;
        char chunk[4096];
        while (std::fgets(chunk, sizeof chunk, list) != nullptr) {
            output += chunk;
        }
        ::pclose(list);
        return output.find(text) != std::string::npos;
    }

    /// Waits until a node NAME is published.
    static bool waitForNode(const std::string& name) {
        return pollUntil([&] { return hasObject("Node", "node.name = \"" + name + "\""); });
    }

    void stopDaemons() {
        m_wireplumber.stop(SIGTERM);
        m_pipewire.stop(SIGTERM);
    }

    /// A GStreamer test camera node NAME: videotestsrc, live, WxH YUY2 at 30 fps.
    Child startTestCamera(const std::string& name, int width = 640, int height = 480,
                          const std::string& pattern = "smpte75") {
        return Child({"gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "pattern=" + pattern, "!",
                      "video/x-raw,format=YUY2,width=" + std::to_string(width) + ",height=" + std::to_string(height) +
                          ",framerate=30/1",
                      "!", "pipewiresink",
                      "stream-properties=props,node.name=" + name + ",media.class=Video/Source,media.role=Camera"},
                     log(name + ".out"), log(name + ".err"));
    }

  private:
    static std::string get(const char* name) {
        const char* value = std::getenv(name);
        return value != nullptr ? value : "\x01";
    }
    static void restore(const char* name, const std::string& value) {
        if (value == "\x01") {
            ::unsetenv(name);
        } else {
            ::setenv(name, value.c_str(), 1);
        }
    }

    std::string m_missing;
    fs::path m_runtime;
    std::vector<std::string> m_saved;
    pid_t m_dbusPid = -1;
    int m_generation = 0;
    Child m_pipewire;
    Child m_wireplumber;
};

/// What a consumer got: frames as BGR, or why it got none.
struct Received {
    std::vector<cv::Mat> frames;
    std::string error;
};

/// A consumer reading on a thread of its own; wait() gives what it got.
class Receiver {
  public:
    /// Reads count frames from node in format through pipewiresrc ! appsink. holdUntil makes it a
    /// slow consumer: it opens the stream and takes nothing until holdUntil() is true.
    Receiver(const std::string& node, const std::string& format, int count, std::function<bool()> holdUntil = nullptr)
        : m_state(std::make_shared<State>()), m_node(node), m_count(count) {
        // appsink max-buffers=1 without drop: a consumer that stops reading stops taking buffers.
        const std::string pipeline = "pipewiresrc target-object=" + node + " ! video/x-raw,format=" + format +
                                     " ! videoconvert ! video/x-raw,format=BGR ! appsink max-buffers=1 sync=false";
        std::thread([state = m_state, pipeline, count, holdUntil = std::move(holdUntil)] {
            Received result;
            cv::VideoCapture capture(pipeline, cv::CAP_GSTREAMER);
            if (!capture.isOpened()) {
                result.error = "cannot open " + pipeline;
            } else {
                {
                    const std::lock_guard lock(state->mutex);
                    state->opened = true;
                }
                state->done.notify_all();
                if (holdUntil && !pollUntil(holdUntil, std::chrono::seconds(60))) {
                    result.error = "the condition to stop holding never came";
                }
                cv::Mat frame;
                while (result.error.empty() && static_cast<int>(result.frames.size()) < count && capture.read(frame)) {
                    result.frames.push_back(frame.clone());
                }
                if (result.error.empty() && static_cast<int>(result.frames.size()) < count) {
                    result.error = "the stream ended after " + std::to_string(result.frames.size()) + " frames";
                }
            }
            const std::lock_guard lock(state->mutex);
            state->result = std::move(result);
            state->finished = true;
            state->done.notify_all();
        }).detach();
    }

    /// What it got, or why not: a silent node makes the test fail instead of hanging it.
    Received wait(std::chrono::seconds guard = std::chrono::seconds(60)) {
        std::unique_lock lock(m_state->mutex);
        if (!m_state->done.wait_for(lock, guard, [&] { return m_state->finished; })) {
            return {{}, "no " + std::to_string(m_count) + " frames from " + m_node + " within the guard"};
        }
        return m_state->result;
    }

  private:
    struct State {
        std::mutex mutex;
        std::condition_variable done;
        Received result;
        bool opened = false;
        bool finished = false;
    };
    std::shared_ptr<State> m_state;
    std::string m_node;
    int m_count = 0;
};

/// Reads count frames from node in format (see Receiver), and waits for them.
inline Received receive(const std::string& node, const std::string& format, int count,
                        std::chrono::seconds guard = std::chrono::seconds(60)) {
    return Receiver(node, format, count).wait(guard);
}

} // namespace blurcam::test
