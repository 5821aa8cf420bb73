#include "pipewire_support.hpp"

#include "pipewire_headers.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace blurcam::app {
namespace detail {

void ensurePipeWireInitialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        pw_init(nullptr, nullptr);
        if (std::getenv("PIPEWIRE_DEBUG") == nullptr) {
            pw_log_set_level(SPA_LOG_LEVEL_NONE);
        }
    });
}

} // namespace detail

namespace {

struct Listing {
    pw_thread_loop* loop = nullptr;
    PipeWireNodeList result;
    int pendingSync = -1;
    bool done = false;
    bool failed = false; ///< a node could not be added (out of memory)
};

void onGlobal(void* data, std::uint32_t id, std::uint32_t /*permissions*/, const char* type, std::uint32_t /*version*/,
              const spa_dict* props) {
    auto* listing = static_cast<Listing*>(data);
    if (props == nullptr || std::strcmp(type, PW_TYPE_INTERFACE_Node) != 0) {
        return;
    }
    const char* mediaClass = spa_dict_lookup(props, PW_KEY_MEDIA_CLASS);
    const char* name = spa_dict_lookup(props, PW_KEY_NODE_NAME);
    if (mediaClass == nullptr || name == nullptr || std::strcmp(mediaClass, "Video/Source") != 0) {
        return;
    }
    const char* description = spa_dict_lookup(props, PW_KEY_NODE_DESCRIPTION);
    try {
        listing->result.sources.push_back({id, name, description != nullptr ? description : ""});
    } catch (...) { // never into libpipewire's C code; a listing short of memory is no listing
        listing->failed = true;
    }
}

void onDone(void* data, std::uint32_t id, int seq) {
    auto* listing = static_cast<Listing*>(data);
    if (id == PW_ID_CORE && seq == listing->pendingSync) {
        listing->done = true;
        pw_thread_loop_signal(listing->loop, false);
    }
}

} // namespace

PipeWireNodeList listPipeWireVideoSources(int timeoutMs) {
    detail::ensurePipeWireInitialised();
    Listing listing;
    listing.loop = pw_thread_loop_new("blurcam-pipewire-list", nullptr);
    if (listing.loop == nullptr) {
        return {{}, "cannot start PipeWire's event loop"};
    }
    pw_context* context = pw_context_new(pw_thread_loop_get_loop(listing.loop), nullptr, 0);
    pw_core* core = context != nullptr ? pw_context_connect(context, nullptr, 0) : nullptr;
    if (core == nullptr) {
        const char* dir = std::getenv("PIPEWIRE_RUNTIME_DIR");
        if (dir == nullptr) {
            dir = std::getenv("XDG_RUNTIME_DIR");
        }
        listing.result.error =
            "no PipeWire daemon answers" +
            (dir != nullptr ? " in " + std::string(dir) : std::string(" (XDG_RUNTIME_DIR is not set)"));
        if (context != nullptr) {
            pw_context_destroy(context);
        }
        pw_thread_loop_destroy(listing.loop);
        return listing.result;
    }
    pw_registry* registry = pw_core_get_registry(core, PW_VERSION_REGISTRY, 0);
    static const pw_registry_events registryEvents = [] {
        pw_registry_events events{};
        events.version = PW_VERSION_REGISTRY_EVENTS;
        events.global = &onGlobal;
        return events;
    }();
    static const pw_core_events coreEvents = [] {
        pw_core_events events{};
        events.version = PW_VERSION_CORE_EVENTS;
        events.done = &onDone;
        return events;
    }();
    spa_hook registryListener{};
    spa_hook coreListener{};
    pw_registry_add_listener(registry, &registryListener, &registryEvents, &listing);
    pw_core_add_listener(core, &coreListener, &coreEvents, &listing);
    // The registry sends every existing global before it answers a sync issued after it.
    listing.pendingSync = pw_core_sync(core, PW_ID_CORE, 0);
    pw_thread_loop_lock(listing.loop);
    pw_thread_loop_start(listing.loop);
    timespec deadline{};
    pw_thread_loop_get_time(listing.loop, &deadline, static_cast<std::int64_t>(timeoutMs) * SPA_NSEC_PER_MSEC);
    while (!listing.done) {
        if (pw_thread_loop_timed_wait_full(listing.loop, &deadline) != 0) {
            listing.result.error = "the PipeWire daemon did not answer within " + std::to_string(timeoutMs) + " ms";
            break;
        }
    }
    if (listing.failed) {
        listing.result.sources.clear();
        listing.result.error = "there was not enough memory to list the PipeWire cameras";
    }
    pw_thread_loop_unlock(listing.loop);
    pw_thread_loop_stop(listing.loop);
    spa_hook_remove(&registryListener);
    spa_hook_remove(&coreListener);
    pw_proxy_destroy(reinterpret_cast<pw_proxy*>(registry));
    pw_core_disconnect(core);
    pw_context_destroy(context);
    pw_thread_loop_destroy(listing.loop);
    return listing.result;
}

} // namespace blurcam::app
