#pragma once
// The commands. Each returns the process exit status: 0 success, 1 failure, 2 invalid
// arguments (the parser catches most of those before a command runs).

#include "arguments.hpp"

#include <exception>
#include <string>

namespace blurcam::cli {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// What an exception from the engine or a library means, in blurcam's words: running out of
/// memory reads "not enough memory", never "std::bad_alloc"; the engine's own sentences are kept.
[[nodiscard]] std::string causeOf(const std::exception& error);

int runProcess(const Arguments& arguments);
int runBench(const Arguments& arguments);
int runDevices();
int runPlan(const Arguments& arguments);

} // namespace blurcam::cli
