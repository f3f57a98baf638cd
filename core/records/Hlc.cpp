#include "core/records/Hlc.h"

#include <algorithm>
#include <charconv>
#include <chrono>

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

HlcStamp HlcClock::tick()
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock().time_since_epoch()).count();
    const HlcStamp physical = static_cast<HlcStamp>(std::max<std::int64_t>(ms, 0)) << 16;
    m_last = std::max(physical, m_last + 1);
    return m_last;
}

void HlcClock::observe(HlcStamp remote) noexcept { m_last = std::max(m_last, remote); }

}  // namespace vigil
