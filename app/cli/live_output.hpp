#pragma once
// `process --output pipewire[:NAME]` and `--output v4l2:/dev/videoN`: blurcam as a camera that
// other programs open. Runs until Ctrl-C (or --frames), keeps going when the input or the
// PipeWire daemon goes away for a while, and prints each change of who is watching.

#include "arguments.hpp"

#include <ostream>

namespace blurcam::cli {

/// True when --output names a live output rather than a file.
[[nodiscard]] bool isLiveOutput(const std::string& output);

int runLiveOutput(const Arguments& arguments);

/// For `devices`: each camera's modes, v4l2loopback outputs and PipeWire camera nodes.
void printVirtualCameraDevices(std::ostream& out);

} // namespace blurcam::cli
