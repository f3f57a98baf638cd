#include "core/casework/LondonTime.h"

#include <array>
#include <cstdio>

#include "core/risk/Dates.h"

namespace vigil {

namespace {

using namespace std::chrono;

/// The last Sunday of `m` in year `y`, as a date.
sys_days lastSunday(year y, month m) noexcept
{
    return sys_days{year_month_weekday_last{y, m, weekday_last{Sunday}}};
}

constexpr std::array<const char*, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                               "Thursday", "Friday", "Saturday"};
constexpr std::array<const char*, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                              "July",    "August",   "September", "October", "November", "December"};

}  // namespace

bool isBritishSummerTime(sys_seconds instant) noexcept
{
    // The changes are in spring and autumn, so the UTC year is the London year here.
    const year y = year_month_day{floor<days>(instant)}.year();
    const sys_seconds starts = sys_seconds{lastSunday(y, March)} + hours{1};
    const sys_seconds ends = sys_seconds{lastSunday(y, October)} + hours{1};
    return instant >= starts && instant < ends;
}

minutes londonUtcOffset(sys_seconds instant) noexcept
{
    return isBritishSummerTime(instant) ? minutes{60} : minutes{0};
}

local_seconds toLondonTime(sys_seconds instant) noexcept
{
    return local_seconds{(instant + londonUtcOffset(instant)).time_since_epoch()};
}

CivilDate londonDate(sys_seconds instant) noexcept
{
    return floor<days>(toLondonTime(instant));
}

sys_seconds londonDayStart(CivilDate day) noexcept
{
    // London midnight is BST on the days after the March change, up to and including the
    // October change day (whose midnight is 00:00 BST, an hour before the clocks go back).
    const year y = year_month_day{day}.year();
    const local_days march{lastSunday(y, March).time_since_epoch()};
    const local_days october{lastSunday(y, October).time_since_epoch()};
    const bool summer = day > march && day <= october;
    return sys_seconds{day.time_since_epoch()} - (summer ? hours{1} : hours{0});
}

sys_seconds londonDayEnd(CivilDate day) noexcept
{
    return londonDayStart(day + days{1});
}

std::string formatCivilDate(CivilDate day)
{
    const year_month_day ymd{day};
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf.data();
}

std::string civilDateWords(CivilDate day)
{
    const year_month_day ymd{day};
    const weekday wd{day};
    return std::string{kWeekdays.at(wd.c_encoding())} + " " + std::to_string(static_cast<unsigned>(ymd.day())) + " "
        + kMonths.at(static_cast<unsigned>(ymd.month()) - 1) + " " + std::to_string(static_cast<int>(ymd.year()));
}

std::string londonTimeWords(sys_seconds instant)
{
    const local_seconds local = toLondonTime(instant);
    const CivilDate day = floor<days>(local);
    const hh_mm_ss hms{local - day};
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    return std::string{buf.data()} + " on " + civilDateWords(day);
}

std::optional<std::chrono::sys_seconds> parseTypedLondonTime(std::string_view typed) noexcept
{
    using namespace std::chrono;
    while (!typed.empty() && (typed.front() == ' ' || typed.front() == '\t'))
        typed.remove_prefix(1);
    while (!typed.empty() && (typed.back() == ' ' || typed.back() == '\t'))
        typed.remove_suffix(1);
    if (typed.size() == 10) {
        const auto day = parseIsoDate(typed);
        if (!day)
            return std::nullopt;
        return londonDayStart(CivilDate{day->time_since_epoch()}) + hours(9);
    }
    const auto read = parseIsoDateTime(typed);
    if (!read)
        return std::nullopt;
    // With its zone (Z or an offset after the time): as written.
    if (typed.back() == 'Z' || typed.find_first_of("+-", 11) != std::string_view::npos)
        return read;
    // Wall-clock time in London: BST if an hour earlier in UTC is in summer time, else GMT.
    const sys_seconds summer = *read - hours(1);
    return isBritishSummerTime(summer) ? summer : *read;
}

}  // namespace vigil
