// blurcam-cli: the headless face of blurcam (process files, the camera or a test pattern;
// benchmark the engine; list devices).
#include "arguments.hpp"
#include "commands.hpp"
#include "opencv_calls.hpp"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace blurcam::cli;
    // Every problem is reported by blurcam in one line; libraries must not add their own.
    blurcam::app::silenceLibraryLogging();
    const std::vector<std::string> words(argv, argv + argc);
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
        std::cerr << "blurcam-cli: " << error.what() << "\n";
        return kExitFailure;
    }
    return kExitFailure;
}
