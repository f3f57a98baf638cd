#include "core/records/Hlc.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>

namespace vigil {

std::string hlcToString(HlcStamp stamp)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[stamp & 0xF];
        stamp >>= 4;
    }
    return out;
}

std::optional<HlcStamp> hlcFromString(std::string_view text) noexcept
{
    if (text.size() != 16)
        return std::nullopt;
    HlcStamp value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

namespace {

HlcStamp physicalNow(const Clock& clock)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock().time_since_epoch()).count();
    // 48 bits of milliseconds reach the year 10889: a clock beyond that saturates.
    const auto millis = std::min<std::uint64_t>(static_cast<std::uint64_t>(std::max<std::int64_t>(ms, 0)),
                                                (std::uint64_t{1} << 48) - 1);
    return static_cast<HlcStamp>(millis) << 16;
}

}  // namespace

HlcStamp HlcClock::tick()
{
    const HlcStamp physical = physicalNow(m_clock);
    // Saturate rather than wrap: a stamp that wrapped to zero would lose every later merge.
    const HlcStamp next = m_last == std::numeric_limits<HlcStamp>::max() ? m_last : m_last + 1;
    m_last = std::max(physical, next);
    return m_last;
}

void HlcClock::observe(HlcStamp remote) noexcept
{
    const HlcStamp bound = physicalNow(m_clock) + (kMaxAheadMillis << 16);
    m_last = std::max(m_last, std::min(remote, bound));
}

}  // namespace vigil
