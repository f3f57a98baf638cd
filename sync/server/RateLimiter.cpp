#include "sync/server/RateLimiter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <arpa/inet.h>

namespace vigil::sync {

RateLimiter::RateLimiter(RateLimit limit, Now now, std::size_t maxKeys)
    : m_limit(limit), m_now(std::move(now)), m_maxKeys(std::max<std::size_t>(maxKeys, 1))
{
}

void RateLimiter::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const
{
    const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
    if (elapsed > 0)
        bucket.tokens = std::min(m_limit.burst, bucket.tokens + elapsed * m_limit.perSecond);
    bucket.at = now;
}

void RateLimiter::prune(std::chrono::steady_clock::time_point now)
{
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        refill(it->second, now);
        if (it->second.tokens >= m_limit.burst)
            it = m_buckets.erase(it);  // idle: a fresh bucket would be the same
        else
            ++it;
    }
}

std::optional<std::chrono::milliseconds> RateLimiter::take(const std::string& key)
{
    if (!m_limit.enabled())
        return std::nullopt;
    const auto now = m_now();
    std::lock_guard lock(m_mutex);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_maxKeys)
            prune(now);
        it = m_buckets.emplace(key, Bucket{m_limit.burst, now}).first;
    }
    Bucket& bucket = it->second;
    refill(bucket, now);
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return std::nullopt;
    }
    const double wait = (1.0 - bucket.tokens) / m_limit.perSecond;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait * 1000.0)));
}

std::optional<std::chrono::milliseconds> RateLimiter::wait(const std::string& key)
{
    if (!m_limit.enabled())
        return std::nullopt;
    const auto now = m_now();
    std::lock_guard lock(m_mutex);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        return std::nullopt;
    Bucket& bucket = it->second;
    refill(bucket, now);
    if (bucket.tokens >= 1.0)
        return std::nullopt;
    const double wait = (1.0 - bucket.tokens) / m_limit.perSecond;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait * 1000.0)));
}

std::size_t RateLimiter::trackedKeys() const
{
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

std::string addressKey(std::string_view address)
{
    const std::string text(address.substr(0, 64));
    in_addr v4{};
    if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        char buf[INET_ADDRSTRLEN];
        return ::inet_ntop(AF_INET, &v4, buf, sizeof buf) ? std::string(buf) : text;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        const unsigned char* b = v6.s6_addr;
        static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        char buf[64];
        if (std::equal(b, b + 12, kMapped)) {
            std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
            return buf;
        }
        std::snprintf(buf, sizeof buf, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3], b[4], b[5],
                      b[6], b[7]);
        return buf;
    }
    return text;
}

}  // namespace vigil::sync
