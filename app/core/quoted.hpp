#pragma once
// Names in blurcam's messages are quoted one way: 'missing.png'.

#include <concepts>
#include <filesystem>
#include <string>
#include <string_view>

namespace blurcam::app {

[[nodiscard]] inline std::string quoted(std::string_view text) {
    // Appended piece by piece: GCC 12 at -O2 reports a bogus -Wrestrict overlap inside libstdc++
    // for a literal prepended to a temporary string.
    std::string result = "'";
    result += text;
    result += '\'';
    return result;
}

/// Only for a real std::filesystem::path: a string must not become a path on the way.
template <typename Path>
requires std::same_as<Path, std::filesystem::path>
[[nodiscard]] std::string quoted(const Path& path) {
    return quoted(std::string_view(path.native()));
}

} // namespace blurcam::app
