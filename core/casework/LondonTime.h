#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

/// A date on the calendar of England and Wales (Europe/London civil time). A distinct type from
/// sys_days, which core/risk uses for UTC dates, so a UTC date is never taken for a London one.
using CivilDate = std::chrono::local_days;

/// UK civil time without a time-zone database: g++ 12's libstdc++ has no std::chrono::tzdb, so
/// the rule is written out. Since 1996 (and for the whole of the bank-holiday list, 2006 on)
/// British Summer Time (UTC+1) runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on
/// the last Sunday of October; the rest of the year is GMT (UTC+0). Should Parliament change
/// the rule, this is the one place to change.

/// The offset of London time from UTC at `instant`: 0 or 60 minutes.
[[nodiscard]] std::chrono::minutes londonUtcOffset(std::chrono::sys_seconds instant) noexcept;

/// True when `instant` falls in British Summer Time.
[[nodiscard]] bool isBritishSummerTime(std::chrono::sys_seconds instant) noexcept;

/// The London wall-clock time of `instant`.
[[nodiscard]] std::chrono::local_seconds toLondonTime(std::chrono::sys_seconds instant) noexcept;

/// The London date `instant` falls on: 23:30 UTC on 30 June is 00:30 BST, so 1 July.
[[nodiscard]] CivilDate londonDate(std::chrono::sys_seconds instant) noexcept;

/// The instant London's `day` begins (its midnight). Midnight is never skipped or repeated in
/// London, as the clocks change at 01:00 UTC, so this is always well defined.
[[nodiscard]] std::chrono::sys_seconds londonDayStart(CivilDate day) noexcept;

/// The instant London's `day` ends: the next day's midnight. A deadline "by the end of `day`"
/// is met by anything strictly before it. A day is 23 hours long when the clocks go forward
/// and 25 when they go back.
[[nodiscard]] std::chrono::sys_seconds londonDayEnd(CivilDate day) noexcept;

/// "Monday 6 May 2024".
[[nodiscard]] std::string civilDateWords(CivilDate day);

/// "14:30 on Monday 6 May 2024" (London time; "BST" or "GMT" is not added: the app shows local time).
[[nodiscard]] std::string londonTimeWords(std::chrono::sys_seconds instant);

/// "2024-05-06".
[[nodiscard]] std::string formatCivilDate(CivilDate day);

/// A time a user typed, as the instant it names. Users type London wall-clock time: "2026-07-06
/// 14:30" is 14:30 BST, 13:30 UTC (not 14:30 UTC, an hour late all summer). A time with its zone
/// ("...T13:30:00Z", "+01:00") is taken as written. A date alone is 09:00 London time that day.
/// In the hour the clocks go back (01:00-02:00 twice) the first is taken; a time in the hour
/// they skip is read as GMT. Nothing when it is not a date.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parseTypedLondonTime(std::string_view typed) noexcept;

}  // namespace vigil
