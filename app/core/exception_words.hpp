#pragma once
// An exception as one sentence in blurcam's words. blurcam's own exceptions carry such a sentence;
// the standard library's do not ("std::bad_alloc", "vector::_M_default_append"), so those are
// put into words here instead of reaching the user.

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

namespace blurcam::app {

/// whatFailed names the work, as the end of "not enough memory for ...": "the frame"; without it,
/// "not enough memory".
[[nodiscard]] inline std::string inWords(const std::exception& error, const std::string& whatFailed = {}) {
    if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr ||
        dynamic_cast<const std::length_error*>(&error) != nullptr) {
        return whatFailed.empty() ? "not enough memory" : "not enough memory for " + whatFailed;
    }
    return error.what();
}

} // namespace blurcam::app
