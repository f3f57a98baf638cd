#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

/// Calendar helpers for the rules. g++ 12's libstdc++ has the C++20 calendar types but not
/// chrono::parse or time zones, so ISO-8601 is parsed here by hand. All times are UTC;
/// a display offset is applied explicitly where a time is shown to a person.

/// Parses "YYYY-MM-DD", optionally followed by a time part ("T21:40", "T21:40:00Z", ...),
/// of which only the date is kept. Returns nullopt for anything else or an impossible date.
[[nodiscard]] std::optional<std::chrono::sys_days> parseIsoDate(std::string_view text) noexcept;

/// Parses "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC). A bare date means midnight UTC.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parseIsoDateTime(std::string_view text) noexcept;

/// "2010-03-12".
[[nodiscard]] std::string formatIsoDate(std::chrono::sys_days day);

/// "2010-03-12T21:40:00Z".
[[nodiscard]] std::string formatIsoDateTime(std::chrono::sys_seconds time);

/// Whole days from `earlier` to `later` (negative when `earlier` is after `later`).
[[nodiscard]] long long daysBetween(std::chrono::sys_days earlier, std::chrono::sys_days later) noexcept;

/// True when `event` lies within `windowDays` days counted back from `reference`, inclusive
/// at both ends: day 0 (same day) and day `windowDays` are in, day `windowDays + 1` is out,
/// and anything after `reference` is out.
[[nodiscard]] bool withinDaysBefore(std::chrono::sys_days event, std::chrono::sys_days reference,
                                    int windowDays) noexcept;

}  // namespace vigil
