#pragma once
// --input pipewire:NAME: a PipeWire camera node, read through OpenCV's GStreamer backend
// (pipewiresrc target-object=NAME ! videoconvert ! RGBA ! appsink). Reading works well that way on
// Debian 12, and GStreamer does the format negotiation with whatever the node offers.

#include "frame_source.hpp"

#include <string>

namespace blurcam::app {

/// name: the node's name (SourceSpec::name). Fails with one sentence when OpenCV has no GStreamer backend, when no
/// daemon answers, when no Video/Source node has that name, or when no frame arrives in time.
[[nodiscard]] OpenedSource openPipeWireSource(const std::string& name, const SourceOptions& options);

} // namespace blurcam::app
