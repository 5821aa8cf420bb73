#pragma once
// Who reads from a PipeWire node: the daemon's links, followed through its registry. The
// PipeWire output counts its consumers with it. Private to app/core; runs on the thread of the
// loop the core belongs to.

#include "pipewire_headers.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

namespace blurcam::app::detail {

class NodeLinkWatcher {
  public:
    NodeLinkWatcher() = default;
    /// The registry belongs to the core: stop() before the core is disconnected.
    ~NodeLinkWatcher() = default;
    NodeLinkWatcher(const NodeLinkWatcher&) = delete;
    NodeLinkWatcher& operator=(const NodeLinkWatcher&) = delete;

    /// Follows core's links from now on; changed() runs each time one appears or goes. failed()
    /// hears what either threw instead of libpipewire's C code, and must not throw itself.
    void start(pw_core* core, std::function<void()> changed, std::function<void(const char*)> failed);
    /// Stops following and forgets every link; does nothing when not started.
    void stop();

    /// How many distinct nodes have a link reading from node.
    [[nodiscard]] int readersOf(std::uint32_t node) const;

  private:
    static void onGlobal(void* self, std::uint32_t id, std::uint32_t permissions, const char* type,
                         std::uint32_t version, const spa_dict* props);
    static void onGlobalRemove(void* self, std::uint32_t id);

    std::function<void()> m_changed;
    std::function<void(const char*)> m_failed;
    pw_registry* m_registry = nullptr;
    spa_hook m_listener{};
    std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> m_links; ///< link id -> (out node, in node)
};

} // namespace blurcam::app::detail
