#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::sync {

/// A token bucket: `perSecond` tokens flow in, up to `burst` are kept. perSecond 0 = no limit.
struct RateLimit {
    double perSecond = 0;
    double burst = 0;

    [[nodiscard]] bool enabled() const noexcept { return perSecond > 0 && burst >= 1; }
};

/// Per-key token buckets (one per device credential, or per address for requests without
/// one). Memory is bounded: when more than `maxKeys` buckets exist, those that have refilled
/// completely (idle keys) are dropped, which changes nothing for them. Thread-safe.
class RateLimiter {
public:
    using Now = std::function<std::chrono::steady_clock::time_point()>;

    explicit RateLimiter(RateLimit limit, Now now = [] { return std::chrono::steady_clock::now(); },
                         std::size_t maxKeys = 100000);

    /// Take one token for `key`: nullopt when allowed, else how long until a token is there.
    [[nodiscard]] std::optional<std::chrono::milliseconds> take(const std::string& key);
    /// Whether `key` has a token left, without taking it: nullopt when it has, else how long
    /// until one is there. A key never seen has a full bucket (and is not stored).
    [[nodiscard]] std::optional<std::chrono::milliseconds> wait(const std::string& key);
    [[nodiscard]] const RateLimit& limit() const noexcept { return m_limit; }
    [[nodiscard]] std::size_t trackedKeys() const;

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point at;
    };
    void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
    void prune(std::chrono::steady_clock::time_point now);

    RateLimit m_limit;
    Now m_now;
    std::size_t m_maxKeys;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

/// The key limits per network address use: an IPv4 address as is (also when written as an
/// IPv4-mapped IPv6 address), an IPv6 address by its /64 (one subscriber usually holds a whole
/// /64, so per-address limits on single IPv6 addresses would be no limit at all). Anything
/// that is not an IP address is its own key.
[[nodiscard]] std::string addressKey(std::string_view address);

}  // namespace vigil::sync
