#pragma once
// The commands. Each returns the process exit status: 0 success, 1 failure, 2 invalid
// arguments (the parser catches most of those before a command runs).

#include "arguments.hpp"

namespace blurcam::cli {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int runProcess(const Arguments& arguments);
int runBench(const Arguments& arguments);
int runDevices();
int runPlan(const Arguments& arguments);

} // namespace blurcam::cli
