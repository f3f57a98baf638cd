#include <catch2/catch.hpp>

#include "RiskTestSupport.h"
#include "core/risk/Dates.h"

using namespace vigil;

TEST_CASE("ISO dates and date-times are parsed without the system clock or locale", "[risk][dates]")
{
    CHECK(parseIsoDate("2010-03-12").has_value());
    CHECK(parseIsoDate("2010-03-12T21:40").has_value());
    CHECK(parseIsoDate("2010-03-12T21:40:05Z") == test::day("2010-03-12"));
    CHECK(formatIsoDateTime(*parseIsoDateTime("2010-03-12T21:40:05Z")) == "2010-03-12T21:40:05Z");
    // As the sync engine writes its last sync: milliseconds dropped, not refused.
    CHECK(formatIsoDateTime(*parseIsoDateTime("2010-03-12T21:40:05.477Z")) == "2010-03-12T21:40:05Z");
    CHECK_FALSE(parseIsoDateTime("2010-03-12T21:40:05.Z"));
    CHECK(formatIsoDate(test::day("2008-02-29")) == "2008-02-29");
}

TEST_CASE("Impossible or badly written dates are refused", "[risk][dates]")
{
    CHECK_FALSE(parseIsoDate("2010-02-30"));
    CHECK_FALSE(parseIsoDate("2009-02-29"));
    CHECK_FALSE(parseIsoDate("12/03/2010"));
    CHECK_FALSE(parseIsoDate("2010-3-12"));
    CHECK_FALSE(parseIsoDate(""));
    CHECK_FALSE(parseIsoDate("2010-03-12T25:00"));
    CHECK_FALSE(parseIsoDate("2010-03-12junk"));
    CHECK_FALSE(parseIsoDateTime("2010-03-12T10:61"));
}

TEST_CASE("A window of 365 days back includes day 365 and excludes day 366", "[risk][dates]")
{
    const auto ref = test::day("2010-03-12");
    CHECK(withinDaysBefore(test::day("2010-03-12"), ref, 365));  // day 0
    CHECK(withinDaysBefore(test::day("2009-03-12"), ref, 365));  // day 365
    CHECK_FALSE(withinDaysBefore(test::day("2009-03-11"), ref, 365));  // day 366
    CHECK_FALSE(withinDaysBefore(test::day("2010-03-13"), ref, 365));  // after the incident
}

TEST_CASE("The 365-day window crosses a leap day by days, not by calendar year", "[risk][dates]")
{
    const auto ref = test::day("2008-12-31");
    CHECK(daysBetween(test::day("2008-01-01"), ref) == 365);
    CHECK(withinDaysBefore(test::day("2008-01-01"), ref, 365));
    CHECK_FALSE(withinDaysBefore(test::day("2007-12-31"), ref, 365));
}
