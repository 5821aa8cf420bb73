#pragma once
// Names in blurcam's messages are quoted one way: 'missing.png'.

#include <string>
#include <string_view>

namespace blurcam::app {

[[nodiscard]] inline std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

} // namespace blurcam::app
