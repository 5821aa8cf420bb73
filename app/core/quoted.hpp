#pragma once
// Names in blurcam's messages are quoted one way: 'missing.png'.

#include <concepts>
#include <filesystem>
#include <string>
#include <string_view>

namespace blurcam::app {

/// text with control characters written as escapes (\n, \t, \r, \x1b, ...), so that a line that
/// shows a name (a summary line) stays one line whatever a file is called. Everything else,
/// UTF-8 included, is kept.
[[nodiscard]] inline std::string printable(std::string_view text) {
    std::string result;
    result.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte != 0x7f) {
            result += c;
        } else if (c == '\n') {
            result += "\\n";
        } else if (c == '\t') {
            result += "\\t";
        } else if (c == '\r') {
            result += "\\r";
        } else {
            constexpr char kHex[] = "0123456789abcdef";
            result += "\\x";
            result += kHex[byte >> 4];
            result += kHex[byte & 0xf];
        }
    }
    return result;
}

/// 'text', printable(): every message stays one line whatever a file is called.
[[nodiscard]] inline std::string quoted(std::string_view text) {
    // Appended piece by piece: GCC 12 at -O2 reports a bogus -Wrestrict overlap inside libstdc++
    // for a literal prepended to a temporary string.
    std::string result = "'";
    result += printable(text);
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
