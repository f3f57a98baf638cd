#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/Clock.h"

namespace vigil {

/// A hybrid-logical-clock stamp: wall-clock milliseconds since the Unix epoch in the high
/// 48 bits, a logical counter in the low 16. Stamps from one device strictly increase, and
/// a device that has seen a remote stamp never stamps below it, so "last writer wins" by
/// (hlc, origin) agrees with causality even when device clocks drift.
using HlcStamp = std::uint64_t;

/// Sixteen lower-case hex digits: sorts as text the same way as the number, and survives
/// JSON consumers that hold numbers as doubles.
[[nodiscard]] std::string hlcToString(HlcStamp stamp);
[[nodiscard]] std::optional<HlcStamp> hlcFromString(std::string_view text) noexcept;
[[nodiscard]] inline std::uint64_t hlcMillis(HlcStamp stamp) noexcept { return stamp >> 16; }

/// The device's clock for stamping writes. Not thread-safe: owned by the store thread.
class HlcClock {
public:
    explicit HlcClock(Clock clock, HlcStamp last = 0) : m_clock(std::move(clock)), m_last(last) {}

    /// A stamp for a local write: greater than every stamp issued or observed before.
    [[nodiscard]] HlcStamp tick();
    /// Take account of a stamp received from elsewhere (sync). A stamp more than
    /// kMaxAheadMillis ahead of this device's clock (a device with a wrong date, or a forged
    /// stamp) is taken only up to that bound: the clock is never dragged into the far future,
    /// where it would wrap and later edits would lose every merge.
    void observe(HlcStamp remote) noexcept;
    /// How far ahead of the wall clock an observed stamp may pull this clock: 5 minutes, half
    /// the server's default tolerance for pushed stamps, so that a device that has been shown a
    /// stamp from the future neither has its own changes refused nor looks like the culprit in
    /// `vigil-admin stamps`.
    static constexpr std::uint64_t kMaxAheadMillis = 5 * 60 * 1000;
    [[nodiscard]] HlcStamp last() const noexcept { return m_last; }

private:
    Clock m_clock;
    HlcStamp m_last;
};

}  // namespace vigil
