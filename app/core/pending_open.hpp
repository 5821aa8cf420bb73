#pragma once
// Opens that run on a helper thread because a driver can block in them for as long as it likes
// (V4L2's open on a wedged driver, GStreamer's pipewiresrc on a daemon that does not answer). The
// caller stops waiting after its timeout, but nothing can stop the thread; so that retries do not
// pile such threads up, one device has at most one open in flight, and a new open of it is
// refused until the last one has returned. Private to app/core.

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace blurcam::app::detail {

class PendingOpen {
  public:
    /// Claims key ("/dev/video0", "pipewire:NAME") until release() or destruction; an empty
    /// claim (false) when an open of it is still in flight.
    [[nodiscard]] static PendingOpen claim(std::string key) {
        Registry& registry = registryOfOpens();
        const std::lock_guard lock(registry.mutex);
        if (!registry.keys.insert(key).second) {
            return {};
        }
        return PendingOpen(std::move(key));
    }

    PendingOpen() = default;
    ~PendingOpen() { release(); }
    PendingOpen(PendingOpen&& other) noexcept : m_key(std::exchange(other.m_key, std::nullopt)) {}
    PendingOpen& operator=(PendingOpen&& other) noexcept {
        if (this != &other) {
            release();
            m_key = std::exchange(other.m_key, std::nullopt);
        }
        return *this;
    }
    PendingOpen(const PendingOpen&) = delete;
    PendingOpen& operator=(const PendingOpen&) = delete;

    [[nodiscard]] explicit operator bool() const { return m_key.has_value(); }

    /// The open has returned: the key may be opened again.
    void release() noexcept {
        if (m_key) {
            Registry& registry = registryOfOpens();
            const std::lock_guard lock(registry.mutex);
            registry.keys.erase(*m_key);
            m_key.reset();
        }
    }

  private:
    struct Registry {
        std::mutex mutex;
        std::set<std::string> keys;
    };
    static Registry& registryOfOpens() {
        // Never destroyed: a helper thread may return from its open while the process exits.
        static auto* const registry = new Registry;
        return *registry;
    }
    explicit PendingOpen(std::string key) : m_key(std::move(key)) {}

    std::optional<std::string> m_key;
};

} // namespace blurcam::app::detail
