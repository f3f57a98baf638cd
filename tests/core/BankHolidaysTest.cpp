// The shipped England and Wales bank-holiday list (issue 24): every year 2006–2028 checked
// against the rules of the Banking and Financial Dealings Act 1971, worked out here
// independently of the file, with the moved and one-off days named one by one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/casework/WorkingDays.h"

using namespace vigil;
using namespace std::chrono;

namespace {

const WorkingDays& shipped()
{
    static const WorkingDays list = WorkingDays::loadFile(shippedBankHolidayFile()).value();
    return list;
}

CivilDate date(int y, unsigned m, unsigned d)
{
    return CivilDate{year{y} / month{m} / day{d}};
}

bool listed(CivilDate d)
{
    const auto& h = shipped().holidays();
    return std::any_of(h.begin(), h.end(), [&](const BankHoliday& b) { return b.date == d; });
}

std::string titleOn(CivilDate d)
{
    for (const BankHoliday& b : shipped().holidays())
        if (b.date == d)
            return b.title;
    return {};
}

/// Easter Sunday (Gregorian), the anonymous algorithm as Meeus gives it.
CivilDate easterSunday(int y)
{
    const int a = y % 19;
    const int b = y / 100;
    const int c = y % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int monthNumber = (h + l - 7 * m + 114) / 31;
    const int dayNumber = (h + l - 7 * m + 114) % 31 + 1;
    return date(y, static_cast<unsigned>(monthNumber), static_cast<unsigned>(dayNumber));
}

CivilDate firstMonday(int y, unsigned m)
{
    return CivilDate{year{y} / month{m} / Monday[1]};
}

CivilDate lastMonday(int y, unsigned m)
{
    return CivilDate{year{y} / month{m} / Monday[last]};
}

/// Christmas Day and Boxing Day as taken: a day at a weekend moves to the next weekday not already taken.
std::vector<CivilDate> christmasAndBoxingDay(int y)
{
    const CivilDate christmas = date(y, 12, 25);
    const weekday wd{christmas};
    if (wd == Friday)
        return {christmas, date(y, 12, 28)};
    if (wd == Saturday)
        return {date(y, 12, 27), date(y, 12, 28)};
    if (wd == Sunday)
        return {date(y, 12, 26), date(y, 12, 27)};
    return {christmas, date(y, 12, 26)};
}

CivilDate newYear(int y)
{
    const CivilDate first = date(y, 1, 1);
    const weekday wd{first};
    if (wd == Saturday)
        return date(y, 1, 3);
    if (wd == Sunday)
        return date(y, 1, 2);
    return first;
}

/// The year's bank holidays by the Act's usual pattern, then the proclamations' changes.
std::set<CivilDate> expectedYear(int y)
{
    const CivilDate easter = easterSunday(y);
    std::set<CivilDate> out{newYear(y), easter - days{2}, easter + days{1}, firstMonday(y, 5), lastMonday(y, 5),
                             lastMonday(y, 8)};
    for (CivilDate d : christmasAndBoxingDay(y))
        out.insert(d);
    switch (y) {
    case 2011: out.insert(date(2011, 4, 29)); break;  // royal wedding
    case 2012:  // Spring bank holiday moved to 4 June; Diamond Jubilee on 5 June
        out.erase(date(2012, 5, 28));
        out.insert(date(2012, 6, 4));
        out.insert(date(2012, 6, 5));
        break;
    case 2020:  // Early May moved to Friday 8 May (VE day)
        out.erase(date(2020, 5, 4));
        out.insert(date(2020, 5, 8));
        break;
    case 2022:  // Spring moved to Thursday 2 June; Platinum Jubilee 3 June; state funeral 19 September
        out.erase(date(2022, 5, 30));
        out.insert(date(2022, 6, 2));
        out.insert(date(2022, 6, 3));
        out.insert(date(2022, 9, 19));
        break;
    case 2023: out.insert(date(2023, 5, 8)); break;  // coronation
    default: break;
    }
    return out;
}

}  // namespace

TEST_CASE("The shipped bank-holiday list says where it came from and covers 2006 to 2028", "[core][casework][holidays]")
{
    const WorkingDays& list = shipped();
    CHECK(list.version() >= 1);
    CHECK(list.coversFrom() == date(2006, 1, 1));
    CHECK(list.coversTo() >= date(2028, 12, 31));
    CHECK(list.coverageWords() == "2006 to 2028");
    CHECK(list.source().find("https://www.gov.uk/bank-holidays.json") != std::string::npos);
    CHECK(list.source().find("Banking and Financial Dealings Act 1971") != std::string::npos);
    CHECK(list.holidays().size() == 189);
    CHECK(std::is_sorted(list.holidays().begin(), list.holidays().end(),
                         [](const BankHoliday& a, const BankHoliday& b) { return a.date < b.date; }));
}

TEST_CASE("Every year of the shipped list matches the Act's pattern and the proclamations, and nothing else",
          "[core][casework][holidays]")
{
    for (int y = 2006; y <= 2028; ++y) {
        std::set<CivilDate> inFile;
        for (const BankHoliday& b : shipped().holidays())
            if (year_month_day{b.date}.year() == year{y})
                inFile.insert(b.date);
        const std::set<CivilDate> expected = expectedYear(y);
        INFO("year " << y);
        for (CivilDate d : expected) {
            INFO("expected " << formatCivilDate(d));
            CHECK(inFile.contains(d));
        }
        for (CivilDate d : inFile) {
            INFO("unexpected " << formatCivilDate(d));
            CHECK(expected.contains(d));
        }
    }
}

TEST_CASE("Christmas substitute days: 27 and 28 December in 2010 and 2021, Boxing Day moved to the 28th in 2009, 2015, "
          "2020 and 2026",
          "[core][casework][holidays]")
{
    for (int y : {2010, 2021, 2027}) {
        INFO(y);
        CHECK_FALSE(listed(date(y, 12, 25)));  // a Saturday
        CHECK_FALSE(listed(date(y, 12, 26)));  // a Sunday
        CHECK(titleOn(date(y, 12, 27)) == "Christmas Day");
        CHECK(titleOn(date(y, 12, 28)) == "Boxing Day");
    }
    for (int y : {2009, 2015, 2020, 2026}) {
        INFO(y);
        CHECK(listed(date(y, 12, 25)));
        CHECK_FALSE(listed(date(y, 12, 26)));  // a Saturday
        CHECK(titleOn(date(y, 12, 28)) == "Boxing Day");
    }
    for (int y : {2011, 2016, 2022}) {  // Christmas on a Sunday: Boxing Day on the 26th, Christmas on the 27th
        INFO(y);
        CHECK(titleOn(date(y, 12, 26)) == "Boxing Day");
        CHECK(titleOn(date(y, 12, 27)) == "Christmas Day");
    }
}

TEST_CASE("New Year's Day on a weekend moves to the Monday: 2 January 2006, 2012, 2017 and 2023, 3 January 2011, 2022 "
          "and 2028",
          "[core][casework][holidays]")
{
    for (int y : {2006, 2012, 2017, 2023}) {
        INFO(y);
        CHECK_FALSE(listed(date(y, 1, 1)));
        CHECK(listed(date(y, 1, 2)));
    }
    for (int y : {2011, 2022, 2028}) {
        INFO(y);
        CHECK_FALSE(listed(date(y, 1, 1)));
        CHECK(listed(date(y, 1, 3)));
    }
}

TEST_CASE("The moved and one-off days are in: 2011's royal wedding, 2012's jubilee, 8 May 2020 and no 4 May, 2022's "
          "four days, 2023's coronation",
          "[core][casework][holidays]")
{
    CHECK(titleOn(date(2011, 4, 29)) == "Royal wedding");
    CHECK(listed(date(2011, 5, 2)));

    CHECK_FALSE(listed(date(2012, 5, 28)));
    CHECK(titleOn(date(2012, 6, 4)) == "Spring bank holiday");
    CHECK(listed(date(2012, 6, 5)));

    CHECK(listed(date(2020, 5, 8)));
    CHECK_FALSE(listed(date(2020, 5, 4)));

    CHECK_FALSE(listed(date(2022, 5, 30)));
    CHECK(titleOn(date(2022, 6, 2)) == "Spring bank holiday");
    CHECK(titleOn(date(2022, 6, 3)) == "Platinum Jubilee bank holiday");
    CHECK(listed(date(2022, 9, 19)));
    CHECK(listed(date(2022, 5, 2)));  // Early May as usual

    CHECK(listed(date(2023, 5, 1)));  // Early May as usual, and the coronation a week later
    CHECK(listed(date(2023, 5, 8)));

    int in2022 = 0;
    for (const BankHoliday& b : shipped().holidays())
        in2022 += year_month_day{b.date}.year() == year{2022} ? 1 : 0;
    CHECK(in2022 == 10);
}

TEST_CASE("Good Friday is not marked for bunting, as gov.uk lists it", "[core][casework][holidays]")
{
    for (const BankHoliday& b : shipped().holidays()) {
        INFO(formatCivilDate(b.date) << " " << b.title);
        if (b.title == "Good Friday")
            CHECK_FALSE(b.bunting);
        CHECK(weekday{b.date} != Saturday);
        CHECK(weekday{b.date} != Sunday);
        if (b.notes == "Substitute day")
            CHECK((b.title == "Christmas Day" || b.title == "Boxing Day" || b.title == "New Year\u2019s Day"));
    }
}
