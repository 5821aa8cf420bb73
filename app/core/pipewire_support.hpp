#pragma once
// What the PipeWire input and output share: libpipewire's one-time set-up, and a look at the
// daemon's video source nodes (for `blurcam-cli devices`, the GUI's source list, and a clear
// error when --input pipewire:NAME names a node that is not there).

#include <cstdint>
#include <string>
#include <vector>

namespace blurcam::app {

struct PipeWireNode {
    std::uint32_t id = 0;
    std::string name;        ///< node.name: what pipewire:NAME refers to
    std::string description; ///< node.description, or "" when it has none
};

struct PipeWireNodeList {
    std::vector<PipeWireNode> sources; ///< nodes whose media.class is Video/Source
    std::string error;                 ///< "" or why the daemon could not be asked
};

/// Asks the PipeWire daemon (the one $PIPEWIRE_RUNTIME_DIR or $XDG_RUNTIME_DIR points to) for
/// its video sources. Gives up after timeoutMs.
[[nodiscard]] PipeWireNodeList listPipeWireVideoSources(int timeoutMs = 2000);

namespace detail {
/// pw_init() once per process; PipeWire's own log is silenced unless PIPEWIRE_DEBUG is set,
/// because blurcam reports every problem itself.
void ensurePipeWireInitialised();
} // namespace detail

} // namespace blurcam::app
