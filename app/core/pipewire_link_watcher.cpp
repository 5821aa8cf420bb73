#include "pipewire_link_watcher.hpp"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <set>

namespace blurcam::app::detail {

void NodeLinkWatcher::start(pw_core* core, std::function<void()> changed, std::function<void(const char*)> failed) {
    m_changed = std::move(changed);
    m_failed = std::move(failed);
    m_registry = pw_core_get_registry(core, PW_VERSION_REGISTRY, 0);
    static const pw_registry_events registryEvents = [] {
        pw_registry_events events{};
        events.version = PW_VERSION_REGISTRY_EVENTS;
        events.global = &NodeLinkWatcher::onGlobal;
        events.global_remove = &NodeLinkWatcher::onGlobalRemove;
        return events;
    }();
    pw_registry_add_listener(m_registry, &m_listener, &registryEvents, this);
}

void NodeLinkWatcher::stop() {
    if (m_registry != nullptr) {
        spa_hook_remove(&m_listener);
        pw_proxy_destroy(reinterpret_cast<pw_proxy*>(m_registry));
        m_registry = nullptr;
    }
    m_links.clear();
}

int NodeLinkWatcher::readersOf(std::uint32_t node) const {
    // A consumer may link each of its ports: count nodes, not links.
    std::set<std::uint32_t> readers;
    for (const auto& [id, link] : m_links) {
        if (link.first == node) {
            readers.insert(link.second);
        }
    }
    return static_cast<int>(readers.size());
}

namespace {

/// An exception must never unwind into libpipewire's C code: it goes to failed() instead.
template <typename Body>
void guarded(const std::function<void(const char*)>& failed, const Body& body) noexcept {
    try {
        body();
    } catch (const std::exception& error) {
        failed(error.what());
    } catch (...) {
        failed("an unexpected error");
    }
}

} // namespace

void NodeLinkWatcher::onGlobal(void* self, std::uint32_t id, std::uint32_t /*permissions*/, const char* type,
                               std::uint32_t /*version*/, const spa_dict* props) {
    auto* watcher = static_cast<NodeLinkWatcher*>(self);
    if (props == nullptr || std::strcmp(type, PW_TYPE_INTERFACE_Link) != 0) {
        return;
    }
    const char* output = spa_dict_lookup(props, PW_KEY_LINK_OUTPUT_NODE);
    const char* input = spa_dict_lookup(props, PW_KEY_LINK_INPUT_NODE);
    if (output == nullptr || input == nullptr) {
        return;
    }
    guarded(watcher->m_failed, [&] {
        watcher->m_links[id] = {static_cast<std::uint32_t>(std::strtoul(output, nullptr, 10)),
                                static_cast<std::uint32_t>(std::strtoul(input, nullptr, 10))};
        watcher->m_changed();
    });
}

void NodeLinkWatcher::onGlobalRemove(void* self, std::uint32_t id) {
    auto* watcher = static_cast<NodeLinkWatcher*>(self);
    guarded(watcher->m_failed, [&] {
        if (watcher->m_links.erase(id) > 0) {
            watcher->m_changed();
        }
    });
}

} // namespace blurcam::app::detail
