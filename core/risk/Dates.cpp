#include "core/risk/Dates.h"

#include <array>
#include <cstdio>

namespace vigil {

namespace {

/// Reads exactly `count` ASCII digits at `pos`; false if any is not a digit.
bool readDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) noexcept
{
    if (pos + count > text.size())
        return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

std::optional<std::chrono::year_month_day> parseDatePart(std::string_view text) noexcept
{
    int y = 0;
    int m = 0;
    int d = 0;
    if (!readDigits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !readDigits(text, 5, 2, m)
        || text[7] != '-' || !readDigits(text, 8, 2, d))
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

}  // namespace

std::optional<std::chrono::sys_days> parseIsoDate(std::string_view text) noexcept
{
    const auto ymd = parseDatePart(text);
    if (!ymd)
        return std::nullopt;
    // Accept a trailing time part (validated by parseIsoDateTime) so "date/time" fields work.
    if (text.size() > 10) {
        if (text[10] != 'T' && text[10] != ' ')
            return std::nullopt;
        if (!parseIsoDateTime(text))
            return std::nullopt;
    }
    return std::chrono::sys_days{*ymd};
}

std::optional<std::chrono::sys_seconds> parseIsoDateTime(std::string_view text) noexcept
{
    const auto ymd = parseDatePart(text);
    if (!ymd)
        return std::nullopt;
    std::chrono::sys_seconds result{std::chrono::sys_days{*ymd}};
    if (text.size() == 10)
        return result;
    if (text[10] != 'T' && text[10] != ' ')
        return std::nullopt;
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if (!readDigits(text, 11, 2, hh) || text.size() < 16 || text[13] != ':' || !readDigits(text, 14, 2, mm))
        return std::nullopt;
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        if (!readDigits(text, pos + 1, 2, ss))
            return std::nullopt;
        pos += 3;
        // Fractions of a second (the sync engine's "…:19.477Z") are dropped.
        if (pos < text.size() && text[pos] == '.') {
            std::size_t end = pos + 1;
            while (end < text.size() && text[end] >= '0' && text[end] <= '9')
                ++end;
            if (end == pos + 1)
                return std::nullopt;
            pos = end;
        }
    }
    if (pos < text.size() && text[pos] == 'Z')
        ++pos;
    if (pos != text.size() || hh > 23 || mm > 59 || ss > 59)
        return std::nullopt;
    result += std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
    return result;
}

std::string formatIsoDate(std::chrono::sys_days day)
{
    const std::chrono::year_month_day ymd{day};
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf.data();
}

std::string formatIsoDateTime(std::chrono::sys_seconds time)
{
    const auto day = std::chrono::floor<std::chrono::days>(time);
    const std::chrono::hh_mm_ss hms{time - day};
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "T%02d:%02d:%02dZ", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return formatIsoDate(day) + buf.data();
}

long long daysBetween(std::chrono::sys_days earlier, std::chrono::sys_days later) noexcept
{
    return static_cast<long long>((later - earlier).count());
}

bool withinDaysBefore(std::chrono::sys_days event, std::chrono::sys_days reference, int windowDays) noexcept
{
    const long long back = daysBetween(event, reference);
    return back >= 0 && back <= windowDays;
}

}  // namespace vigil
