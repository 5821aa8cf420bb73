#pragma once
// The one rule for a test that needs something this machine may lack (a Vulkan device, an
// instruction set, GStreamer, the PipeWire tools): in CI (CI=true, as CI services set it) the
// machine is supposed to have everything, so a missing requirement is a failure that names what
// is missing; elsewhere the test is skipped with that reason. A broken lavapipe or a lost package
// then turns CI red instead of into "skipped". scripts/ctest-no-skips.sh holds ctest to it.

#include <cstdlib>
#include <string_view>

namespace blurcam::test {

/// True under CI=true (or 1): every requirement must be met there.
inline bool everyRequirementMustBeMet() {
    const char* ci = std::getenv("CI");
    if (ci == nullptr) {
        return false;
    }
    const std::string_view value = ci;
    return value == "true" || value == "1";
}

} // namespace blurcam::test

/// Fails (in CI) or skips (elsewhere) the current test when `condition` is false; `missing` says
/// what is missing, in words a person can act on. Use it in a test body or SetUp(), like
/// GTEST_SKIP(): it returns from the function.
#define REQUIRE_OR_SKIP(condition, missing)                                                                            \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            if (::blurcam::test::everyRequirementMustBeMet()) {                                                        \
                GTEST_FAIL() << "CI=true and a requirement is missing: " << (missing);                                 \
            }                                                                                                          \
            GTEST_SKIP() << (missing);                                                                                 \
        }                                                                                                              \
    } while (false)
