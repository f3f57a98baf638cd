#include <catch2/catch.hpp>

#include "core/risk/Dates.h"
#include "core/risk/FieldChecks.h"

using namespace vigil;

namespace {
const std::chrono::sys_days kToday = *parseIsoDate("2026-12-06");
}

TEST_CASE("A date of birth is a date in the past, and says so in words when it is not", "[risk][fields]")
{
    const char* dob = "victims[0].person.date_of_birth";
    CHECK(fieldFormatProblem(dob, "1984-03-21", kToday).empty());
    CHECK(fieldFormatProblem(dob, "", kToday).empty());  // unknown: nothing to say
    CHECK(fieldFormatProblem("suspects[1].person.date_of_birth", " 1990-01-31 ", kToday).empty());
    CHECK_THAT(fieldFormatProblem(dob, "07700 900123", kToday), Catch::Contains("YYYY-MM-DD"));
    CHECK_THAT(fieldFormatProblem(dob, "12 Invented Street", kToday), Catch::Contains("YYYY-MM-DD"));
    CHECK_THAT(fieldFormatProblem(dob, "1984-02-30", kToday), Catch::Contains("YYYY-MM-DD"));
    CHECK_THAT(fieldFormatProblem(dob, "2027-01-01", kToday), Catch::Contains("after today"));
    CHECK_THAT(fieldFormatProblem(dob, "1850-01-01", kToday), Catch::Contains("check the year"));
}

TEST_CASE("A phone number, a postcode and a date are checked by their shape only", "[risk][fields]")
{
    const char* phone = "victims[0].person.phone";
    CHECK(fieldFormatProblem(phone, "07700 900123", kToday).empty());
    CHECK(fieldFormatProblem(phone, "+44 (0)20 7946 0018", kToday).empty());
    CHECK_THAT(fieldFormatProblem(phone, "12 Invented Street", kToday), Catch::Contains("digits"));
    CHECK_THAT(fieldFormatProblem(phone, "1984-03-21", kToday), Catch::Contains("looks like a date"));
    CHECK_THAT(fieldFormatProblem(phone, "0770", kToday), Catch::Contains("7 to 15 digits"));

    const char* postcode = "victims[0].person.address.postcode";
    for (const char* good : {"SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"})
        CHECK(fieldFormatProblem(postcode, good, kToday).empty());
    for (const char* bad : {"12345", "SW1A", "1AA SW1", "Invented"})
        CHECK_THAT(fieldFormatProblem(postcode, bad, kToday), Catch::Contains("UK postcode"));

    CHECK(fieldFormatProblem("incident.date", "2026-12-06T21:40", kToday).empty());
    CHECK_THAT(fieldFormatProblem("incident.date", "6/12/2026", kToday), Catch::Contains("YYYY-MM-DDTHH:MM"));
    CHECK_THAT(fieldFormatProblem("incident.date", "2027-06-01T10:00", kToday), Catch::Contains("future"));
    CHECK_THAT(fieldFormatProblem("victims[0].rara[0].due", "tomorrow", kToday), Catch::Contains("YYYY-MM-DD"));
    CHECK_THAT(fieldFormatProblem("referrals[0].date", "2026-13-01", kToday), Catch::Contains("YYYY-MM-DD"));
    // Fields of no known format are never checked.
    CHECK(fieldFormatProblem("victims[0].person.name", "1984-03-21", kToday).empty());
    CHECK_FALSE(hasKnownFormat("victims[0].person.name"));
    CHECK(hasKnownFormat("victims[0].person.date_of_birth"));
    CHECK(hasKnownFormat("victims[0].person.address.postcode"));
}
