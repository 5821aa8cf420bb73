// blurcam-cli: the headless face of blurcam (process files, the camera or a test pattern;
// benchmark the engine; list devices).
#include "arguments.hpp"
#include "commands.hpp"
#include "exception_words.hpp"
#include "opencv_calls.hpp"
#include "output_files.hpp"
#include "stop_signals.hpp"

#include "blurcam/devices.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

int runCommand(const std::vector<std::string>& words) {
    using namespace blurcam::cli;
    try {
        const Arguments arguments = parseArguments(words);
        switch (arguments.command) {
        case Command::Help: std::cout << helpText(arguments.helpFor); return kExitSuccess;
        case Command::Process: return runProcess(arguments);
        case Command::Bench: return runBench(arguments);
        case Command::Devices: return runDevices();
        case Command::Plan: return runPlan(arguments);
        }
    } catch (const UsageError& error) {
        std::cerr << "blurcam-cli: " << error.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& error) {
        std::cerr << "blurcam-cli: " << blurcam::app::inWords(error) << "\n";
        return kExitFailure;
    }
    return kExitFailure;
}

/// A pipe whose reader has gone (`blurcam-cli help | head -1`): the reader asked for no more.
bool standardOutputReaderIsGone(int cause) {
    pollfd out{STDOUT_FILENO, 0, 0};
    return cause == EPIPE || (::poll(&out, 1, 0) == 1 && (out.revents & POLLERR) != 0);
}

/// What was printed is part of the result: a summary or help text that never reached a full disk
/// or a closed file is a failure, like any other write. A closed pipe is a quiet one, as for
/// every command-line tool: the reader that closed it knows.
int flushStandardOutput(int status) {
    std::cout.flush();
    const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
    const int cause = errno;
    if (!failed) {
        return status;
    }
    if (!standardOutputReaderIsGone(cause)) {
        std::cerr << "blurcam-cli: cannot write to standard output: " << blurcam::app::describeFileError(cause) << "\n";
    }
    return status == blurcam::cli::kExitSuccess ? blurcam::cli::kExitFailure : status;
}

} // namespace

int main(int argc, char** argv) {
    // The environment first, while this is the only thread (setenv is not safe beside getenv).
    blurcam::prepareGpuDriverEnvironment();
    // Before anything starts a thread: every thread inherits the mask, so no thread of FFmpeg's
    // or the engine's can be ended by Ctrl-C while the output is being finished.
    blurcam::cli::blockStopSignals();
    // Every problem is reported by blurcam in one line; libraries must not add their own.
    blurcam::app::silenceLibraryLogging();
    // Past a file size limit (ulimit -f) a write should fail with EFBIG, which blurcam reports
    // and cleans up after, instead of the process being killed with a temporary file left behind.
    std::signal(SIGXFSZ, SIG_IGN);
    // A reader that goes away (`| head`) makes writes fail with EPIPE, checked at the end, instead
    // of ending blurcam mid-write with its temporaries left behind.
    std::signal(SIGPIPE, SIG_IGN);
    const std::vector<std::string> words(argv, argv + argc);
    return flushStandardOutput(runCommand(words));
}
