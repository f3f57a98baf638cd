#include "sync/server/RateLimiter.h"

#include <algorithm>
#include <cmath>

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

std::size_t RateLimiter::trackedKeys() const
{
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

}  // namespace vigil::sync
