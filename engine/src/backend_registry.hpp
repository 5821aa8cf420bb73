#pragma once
// Private: how the factory reaches each backend. Each backend folder defines its maker; a
// backend that is not compiled in gets the "not built" maker from backend.cpp.

#include "blurcam/backend.hpp"

#include <memory>
#include <string>

namespace blurcam::detail {

struct MadeBackend {
    std::unique_ptr<Backend> backend;
    std::string error; ///< one sentence, set when backend is null
};

MadeBackend makeCpuBackend(const BackendOptions& options);
MadeBackend makeVulkanBackend(const BackendOptions& options);
MadeBackend makeFftBackend(const BackendOptions& options);

} // namespace blurcam::detail
