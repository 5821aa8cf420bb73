#pragma once
// One list, many readers: each public enum (backends, edge modes, kernels, CPU levels) is spelled
// out once, as a table of these entries next to the enum. Parsing, toString, help texts, the
// "expected ..." of error messages, combo boxes and test names are all derived from that table,
// so adding a value is one line there plus its implementation.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace blurcam {

template <typename Enum>
struct NamedValue {
    Enum value;
    std::string_view name;        ///< what parsing accepts and toString gives: "mirror"
    std::string_view label;       ///< for people, e.g. a combo box: "Mirror"
    std::string_view description; ///< one line of help: "dcb|abcd|cba  edge not repeated"
    std::string_view alias = {};  ///< a second spelling parsing accepts ("gpu"), or empty
};

/// The entry for value, or null when the table has none (a value cast from a bad integer).
template <typename Enum, std::size_t N>
[[nodiscard]] constexpr const NamedValue<Enum>* findNamed(const std::array<NamedValue<Enum>, N>& table, Enum value) {
    for (const NamedValue<Enum>& entry : table) {
        if (entry.value == value) {
            return &entry;
        }
    }
    return nullptr;
}

/// The value whose name (or alias) is text; exact, case-sensitive match.
template <typename Enum, std::size_t N>
[[nodiscard]] constexpr std::optional<Enum> parseNamed(const std::array<NamedValue<Enum>, N>& table,
                                                       std::string_view text) {
    for (const NamedValue<Enum>& entry : table) {
        if (text == entry.name || (!entry.alias.empty() && text == entry.alias)) {
            return entry.value;
        }
    }
    return std::nullopt;
}

/// The names in table order: joinNames(t, "|") gives "zero|clamp|...", joinNames(t, ", ", " or ")
/// gives "zero, clamp, ... or wrap".
template <typename Enum, std::size_t N>
[[nodiscard]] std::string joinNames(const std::array<NamedValue<Enum>, N>& table, std::string_view separator,
                                    std::string_view lastSeparator = {}) {
    std::string joined;
    for (std::size_t index = 0; index < N; ++index) {
        if (index > 0) {
            joined += index + 1 == N && !lastSeparator.empty() ? lastSeparator : separator;
        }
        joined += table[index].name;
    }
    return joined;
}

} // namespace blurcam
