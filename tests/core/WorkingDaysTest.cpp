// Working days in England and Wales (issue 24): London civil time at both clock changes,
// working-day arithmetic over Christmas, New Year, Easter and weekends, the refusal outside the
// list's coverage, checks on a list, an administrator's copy used or refused with reasons,
// and the DVPN/DAPN 48-hour hearing clock.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "core/casework/WorkingDays.h"
#include "core/risk/Dates.h"
#include "core/risk/JsonFile.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace std::chrono;
using nlohmann::json;

namespace {

const WorkingDays& calendar()
{
    static const WorkingDays list = WorkingDays::loadFile(shippedBankHolidayFile()).value();
    return list;
}

CivilDate date(int y, unsigned m, unsigned d)
{
    return CivilDate{year{y} / month{m} / day{d}};
}

sys_seconds at(const char* iso)
{
    return *parseIsoDateTime(iso);
}

json shippedJson()
{
    return json::parse(readTextFile(shippedBankHolidayFile(), "bank-holiday list").value());
}

/// The shipped list with `year`'s usual eight days added and covers_to moved to its end.
json extendedTo2029(json j)
{
    auto& events = j["england-and-wales"]["events"];
    for (const char* d : {"2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28", "2029-08-27",
                          "2029-12-25", "2029-12-26"})
        events.push_back({{"title", "Bank holiday"}, {"date", d}, {"notes", ""}, {"bunting", true}});
    j["vigil"]["covers_to"] = "2029-12-31";
    return j;
}

void write(const std::filesystem::path& path, const json& j)
{
    std::ofstream{path} << j.dump(2);
}

std::string parseError(const json& j)
{
    auto parsed = WorkingDays::parse(j.dump(), "test.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::MalformedModel);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("London time: British Summer Time starts at 01:00 UTC on the last Sunday of March", "[core][casework][time]")
{
    CHECK(londonUtcOffset(at("2024-03-31T00:59:59Z")) == minutes{0});
    CHECK(londonUtcOffset(at("2024-03-31T01:00:00Z")) == minutes{60});
    CHECK(londonUtcOffset(at("2025-03-30T00:59:59Z")) == minutes{0});
    CHECK(londonUtcOffset(at("2025-03-30T01:00:00Z")) == minutes{60});
    // The day the clocks go forward is 23 hours long and starts at midnight GMT.
    CHECK(londonDayStart(date(2024, 3, 31)) == at("2024-03-31T00:00:00Z"));
    CHECK(londonDayEnd(date(2024, 3, 31)) == at("2024-03-31T23:00:00Z"));
    CHECK(londonDayStart(date(2024, 3, 30)) == at("2024-03-30T00:00:00Z"));
    CHECK(londonDate(at("2024-03-31T22:59:59Z")) == date(2024, 3, 31));
    CHECK(londonDate(at("2024-03-31T23:00:00Z")) == date(2024, 4, 1));
    CHECK(londonTimeWords(at("2024-03-31T01:30:00Z")) == "02:30 on Sunday 31 March 2024");
}

TEST_CASE("London time: British Summer Time ends at 01:00 UTC on the last Sunday of October", "[core][casework][time]")
{
    CHECK(londonUtcOffset(at("2024-10-27T00:59:59Z")) == minutes{60});
    CHECK(londonUtcOffset(at("2024-10-27T01:00:00Z")) == minutes{0});
    CHECK(londonUtcOffset(at("2025-10-26T00:59:59Z")) == minutes{60});
    CHECK(londonUtcOffset(at("2025-10-26T01:00:00Z")) == minutes{0});
    // The day the clocks go back is 25 hours long and starts at midnight BST.
    CHECK(londonDayStart(date(2024, 10, 27)) == at("2024-10-26T23:00:00Z"));
    CHECK(londonDayEnd(date(2024, 10, 27)) == at("2024-10-28T00:00:00Z"));
    CHECK(londonDayEnd(date(2024, 10, 26)) == at("2024-10-26T23:00:00Z"));
    CHECK(londonTimeWords(at("2024-10-27T00:30:00Z")) == "01:30 on Sunday 27 October 2024");
    CHECK(londonTimeWords(at("2024-10-27T01:30:00Z")) == "01:30 on Sunday 27 October 2024");  // the hour repeated
}

TEST_CASE("An instant's London date, not its UTC date, is the day an event happened on", "[core][casework][time]")
{
    CHECK(londonDate(at("2024-06-30T23:30:00Z")) == date(2024, 7, 1));  // 00:30 BST
    CHECK(londonDate(at("2024-12-31T23:30:00Z")) == date(2024, 12, 31));  // GMT
    CHECK(civilDateWords(date(2024, 5, 6)) == "Monday 6 May 2024");
}

TEST_CASE("A time typed on a case page is London time, BST in summer, GMT in winter", "[core][casework][time]")
{
    // 14:30 typed in July is 14:30 BST: 13:30 UTC, not an hour late.
    CHECK(parseTypedLondonTime("2026-07-06 14:30") == at("2026-07-06T13:30:00Z"));
    CHECK(parseTypedLondonTime("2026-07-06T14:30") == at("2026-07-06T13:30:00Z"));
    // In December London is on GMT.
    CHECK(parseTypedLondonTime("2026-12-06 14:30") == at("2026-12-06T14:30:00Z"));
    // A date alone: 09:00 London time.
    CHECK(parseTypedLondonTime(" 2026-07-06 ") == at("2026-07-06T08:00:00Z"));
    CHECK(parseTypedLondonTime("2026-12-06") == at("2026-12-06T09:00:00Z"));
    // A time with its zone is taken as written.
    CHECK(parseTypedLondonTime("2026-07-06T14:30:00Z") == at("2026-07-06T14:30:00Z"));
    // The clocks change at 01:00 UTC: 00:30 local on 29 March 2026 is GMT, 02:30 is BST; the
    // skipped hour (01:30) is read as GMT; the repeated hour on 25 October takes the first (BST).
    CHECK(parseTypedLondonTime("2026-03-29 00:30") == at("2026-03-29T00:30:00Z"));
    CHECK(parseTypedLondonTime("2026-03-29 02:30") == at("2026-03-29T01:30:00Z"));
    CHECK(parseTypedLondonTime("2026-03-29 01:30") == at("2026-03-29T01:30:00Z"));
    CHECK(parseTypedLondonTime("2026-10-25 01:30") == at("2026-10-25T00:30:00Z"));
    CHECK(parseTypedLondonTime("2026-10-25 02:30") == at("2026-10-25T02:30:00Z"));
    CHECK_FALSE(parseTypedLondonTime("yesterday").has_value());
    CHECK_FALSE(parseTypedLondonTime("").has_value());
}

TEST_CASE("Weekends and bank holidays are not working days, other weekdays are", "[core][casework][workingdays]")
{
    CHECK(*calendar().isWorkingDay(date(2024, 5, 3)));        // Friday
    CHECK_FALSE(*calendar().isWorkingDay(date(2024, 5, 4)));  // Saturday
    CHECK_FALSE(*calendar().isWorkingDay(date(2024, 5, 5)));  // Sunday
    CHECK_FALSE(*calendar().isWorkingDay(date(2024, 5, 6)));  // Early May bank holiday
    CHECK(*calendar().isWorkingDay(date(2020, 5, 4)));        // its 2020 Monday, moved to the 8th
    CHECK_FALSE(*calendar().isWorkingDay(date(2020, 5, 8)));
    CHECK_FALSE(*calendar().isWorkingDay(date(2022, 9, 19)));
    const auto holiday = calendar().bankHoliday(date(2021, 12, 28));
    REQUIRE(holiday.ok());
    REQUIRE(*holiday != nullptr);
    CHECK((*holiday)->title == "Boxing Day");
    CHECK((*holiday)->notes == "Substitute day");
}

TEST_CASE("Working days over Christmas and New Year skip the weekend and every substitute day", "[core][casework][workingdays]")
{
    const CivilDate thursday = date(2021, 12, 23);
    CHECK(*calendar().addWorkingDays(thursday, 0) == thursday);
    CHECK(*calendar().addWorkingDays(thursday, 1) == date(2021, 12, 24));
    CHECK(*calendar().addWorkingDays(thursday, 2) == date(2021, 12, 29));  // 25–28 are not working days
    CHECK(*calendar().addWorkingDays(thursday, 4) == date(2021, 12, 31));
    CHECK(*calendar().addWorkingDays(thursday, 5) == date(2022, 1, 4));  // 3 January is New Year's substitute
    // 2010: Christmas on a Saturday, so the 27th and 28th are off.
    CHECK(*calendar().addWorkingDays(date(2010, 12, 24), 1) == date(2010, 12, 29));
    // 2016 to 2017: 26 and 27 December, then 2 January.
    CHECK(*calendar().addWorkingDays(date(2016, 12, 23), 1) == date(2016, 12, 28));
    CHECK(*calendar().addWorkingDays(date(2016, 12, 30), 1) == date(2017, 1, 3));
}

TEST_CASE("Working days over Easter skip Good Friday and Easter Monday", "[core][casework][workingdays]")
{
    CHECK(*calendar().addWorkingDays(date(2024, 3, 28), 1) == date(2024, 4, 2));
    CHECK(*calendar().addWorkingDays(date(2025, 4, 17), 1) == date(2025, 4, 22));
    CHECK(*calendar().addWorkingDays(date(2025, 4, 17), 5) == date(2025, 4, 28));
}

TEST_CASE("The day of the event never counts, even when it is a weekend or a holiday", "[core][casework][workingdays]")
{
    CHECK(*calendar().addWorkingDays(date(2024, 5, 4), 1) == date(2024, 5, 7));  // Saturday → Tuesday (Monday off)
    CHECK(*calendar().addWorkingDays(date(2024, 5, 6), 1) == date(2024, 5, 7));  // bank holiday → Tuesday
    CHECK(*calendar().addWorkingDays(date(2024, 5, 7), 1) == date(2024, 5, 8));
    const auto negative = calendar().addWorkingDays(date(2024, 5, 7), -1);
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("A Friday-evening arrest is due by the end of Monday, or of Tuesday when Monday is a bank holiday",
          "[core][casework][workingdays]")
{
    // 19:00 BST on Friday 10 May 2024: the end of Monday 13 May is midnight BST, 23:00 UTC.
    CHECK(*calendar().endOfWorkingDaysAfter(at("2024-05-10T18:00:00Z"), 1) == at("2024-05-13T23:00:00Z"));
    // Friday 3 May 2024; Monday 6 May is the Early May bank holiday.
    CHECK(*calendar().endOfWorkingDaysAfter(at("2024-05-03T18:00:00Z"), 1) == at("2024-05-07T23:00:00Z"));
    // 00:30 BST on Friday 10 May is still Thursday in UTC: the London date (Friday) counts.
    CHECK(*calendar().endOfWorkingDaysAfter(at("2024-05-09T23:30:00Z"), 1) == at("2024-05-13T23:00:00Z"));
    // 23:30 on Friday in winter is Friday in both.
    CHECK(*calendar().endOfWorkingDaysAfter(at("2024-01-12T23:30:00Z"), 1) == at("2024-01-16T00:00:00Z"));
}

TEST_CASE("A deadline across a clock change ends at London midnight in the new time", "[core][casework][workingdays]")
{
    // Friday 28 March 2025 in GMT; due the end of Monday 31 March, in BST.
    CHECK(*calendar().endOfWorkingDaysAfter(at("2025-03-28T18:00:00Z"), 1) == at("2025-03-31T23:00:00Z"));
    // Friday 24 October 2025 in BST; due the end of Monday 27 October, in GMT.
    CHECK(*calendar().endOfWorkingDaysAfter(at("2025-10-24T17:00:00Z"), 1) == at("2025-10-28T00:00:00Z"));
}

TEST_CASE("A date outside the list's coverage is refused in words, never taken for a working day",
          "[core][casework][workingdays]")
{
    const auto after = calendar().isWorkingDay(date(2029, 1, 2));
    REQUIRE_FALSE(after.ok());
    CHECK(after.error().code == ErrorCode::InvalidArgument);
    CHECK(after.error().message
          == "The bank-holiday list covers 2006 to 2028, so Vigil cannot tell whether Tuesday 2 January 2029 is a "
             "working day: ask your administrator to update it.");
    CHECK_FALSE(calendar().isWorkingDay(date(2005, 12, 30)).ok());
    CHECK(calendar().isWorkingDay(date(2006, 1, 3)).ok());
    CHECK(calendar().isWorkingDay(date(2028, 12, 29)).ok());
    // Friday 29 December 2028 plus one working day needs 2029.
    const auto due = calendar().addWorkingDays(date(2028, 12, 29), 1);
    REQUIRE_FALSE(due.ok());
    CHECK(due.error().message.find("covers 2006 to 2028") != std::string::npos);
    CHECK(due.error().message.find("Monday 1 January 2029") != std::string::npos);
}

TEST_CASE("A bank-holiday list is checked: its vigil block, its dates, duplicates, weekends, coverage and whole years",
          "[core][casework][workingdays]")
{
    json j = shippedJson();
    j.erase("vigil");
    CHECK(parseError(j).find("\"vigil\" block is missing") != std::string::npos);

    j = shippedJson();
    j["vigil"]["covers_to"] = "2028-13-31";
    CHECK(parseError(j).find("/vigil/covers_to") != std::string::npos);

    j = shippedJson();
    j["vigil"]["version"] = "1";
    CHECK(parseError(j).find("/vigil/version") != std::string::npos);

    j = shippedJson();
    j["england-and-wales"]["events"][3]["date"] = "2006-02-30";
    CHECK(parseError(j).find("/england-and-wales/events/3/date: the date must be a real date") != std::string::npos);

    j = shippedJson();
    j["england-and-wales"]["events"][3]["date"] = "2006-5-1";
    CHECK(parseError(j).find("/england-and-wales/events/3/date") != std::string::npos);

    j = shippedJson();
    j["england-and-wales"]["events"].push_back(
        {{"title", "Christmas Day"}, {"date", "2021-12-27"}, {"notes", ""}, {"bunting", true}});
    CHECK(parseError(j).find("2021-12-27 is listed twice") != std::string::npos);

    j = shippedJson();
    j["england-and-wales"]["events"].push_back({{"title", "Christmas Day"}, {"date", "2021-12-25"}});
    CHECK(parseError(j).find("2021-12-25 is a Saturday") != std::string::npos);

    j = shippedJson();
    j["england-and-wales"]["events"].push_back({{"title", "Christmas Day"}, {"date", "2029-12-25"}});
    CHECK(parseError(j).find("outside covers_from to covers_to") != std::string::npos);

    j = shippedJson();
    j["vigil"]["covers_to"] = "2029-12-31";  // claims a year it does not list
    CHECK(parseError(j).find("it lists 0 bank holidays for 2029") != std::string::npos);

    j = shippedJson();
    j.erase("england-and-wales");
    j["scotland"] = {{"division", "scotland"}, {"events", json::array()}};
    CHECK(parseError(j).find("\"england-and-wales\" list is missing") != std::string::npos);

    CHECK(WorkingDays::parse("{", "broken.json").error().message.find("is not valid JSON") != std::string::npos);
}

TEST_CASE("A text nested far deeper or far larger than any bank-holiday list is refused before it is parsed",
          "[core][casework][workingdays]")
{
    // The device parses the list the server sends: hostile text costs a linear scan, no more.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto nested = WorkingDays::parse(deep, "from the server");
    REQUIRE_FALSE(nested.ok());
    CHECK(nested.error().code == ErrorCode::MalformedModel);
    CHECK(nested.error().message.find("nested far deeper than any real one") != std::string::npos);
    // Brackets inside strings do not count.
    json j = shippedJson();
    j["vigil"]["source"] = std::string(200, '[');
    CHECK(WorkingDays::parse(j.dump(), "test.json").ok());

    std::string huge = shippedJson().dump();
    huge.insert(1, "\"padding\": \"" + std::string(5 * 1024 * 1024, 'x') + "\",");
    auto large = WorkingDays::parse(huge, "from the server");
    REQUIRE_FALSE(large.ok());
    CHECK(large.error().message.find("far larger than any real one") != std::string::npos);
}

TEST_CASE("A list in any order, with gov.uk's other divisions beside it, is read and sorted", "[core][casework][workingdays]")
{
    json j = shippedJson();
    auto& events = j["england-and-wales"]["events"];
    std::reverse(events.begin(), events.end());
    j["scotland"] = {{"division", "scotland"}, {"events", json::array({{{"title", "St Andrew's Day"}, {"date", "2024-12-02"}}})}};
    auto list = WorkingDays::parse(j.dump(), "reversed.json");
    REQUIRE(list.ok());
    CHECK(list->holidays().front().date == date(2006, 1, 2));
    CHECK(list->holidays().size() == calendar().holidays().size());
    CHECK(*list->isWorkingDay(date(2024, 12, 2)));  // Scotland's holiday is not England's
}

TEST_CASE("An administrator's newer copy of the list is used without a new build", "[core][casework][override]")
{
    const test::TempDir dir;
    json copy = extendedTo2029(shippedJson());
    copy["vigil"]["version"] = 2;
    write(dir / "admin.json", copy);
    auto choice = loadBankHolidays(shippedBankHolidayFile(), dir / "admin.json");
    REQUIRE(choice.ok());
    CHECK(choice->adminCopy == BankHolidayOverride::Used);
    CHECK(choice->file == dir / "admin.json");
    CHECK(choice->calendar.version() == 2);
    CHECK(choice->calendar.coverageWords() == "2006 to 2029");
    CHECK(choice->note.find("is in use (version 2, 2006 to 2029)") != std::string::npos);
    CHECK(*choice->calendar.addWorkingDays(date(2028, 12, 29), 1) == date(2029, 1, 2));

    // The same version, covering further, is fine too.
    copy["vigil"]["version"] = 1;
    write(dir / "admin.json", copy);
    choice = loadBankHolidays(shippedBankHolidayFile(), dir / "admin.json");
    REQUIRE(choice.ok());
    CHECK(choice->adminCopy == BankHolidayOverride::Used);
}

TEST_CASE("An administrator's copy that is invalid, older or shorter is refused with the reason, and the shipped list "
          "kept",
          "[core][casework][override]")
{
    const test::TempDir dir;
    const auto refused = [&](const json& copy) {
        write(dir / "admin.json", copy);
        auto choice = loadBankHolidays(shippedBankHolidayFile(), dir / "admin.json");
        REQUIRE(choice.ok());
        CHECK(choice->adminCopy == BankHolidayOverride::Refused);
        CHECK(choice->file == shippedBankHolidayFile());
        CHECK(choice->calendar.coverageWords() == "2006 to 2028");
        CHECK(choice->note.find("Vigil is using the list it shipped with (version 1, 2006 to 2028)") != std::string::npos);
        return choice->note;
    };

    json bad = extendedTo2029(shippedJson());
    bad["england-and-wales"]["events"][0]["date"] = "2006-01-32";
    CHECK(refused(bad).find("/england-and-wales/events/0/date") != std::string::npos);

    json shorter = shippedJson();
    shorter["vigil"]["version"] = 2;
    auto& events = shorter["england-and-wales"]["events"];
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const json& e) { return e["date"].get<std::string>().starts_with("2028"); }),
                 events.end());
    shorter["vigil"]["covers_to"] = "2027-12-31";
    CHECK(refused(shorter).find("it covers only to 2027-12-31, and the shipped list covers to 2028-12-31") != std::string::npos);

    json later = extendedTo2029(shippedJson());
    auto& laterEvents = later["england-and-wales"]["events"];
    laterEvents.erase(std::remove_if(laterEvents.begin(), laterEvents.end(),
                                     [](const json& e) { return e["date"].get<std::string>() < "2018"; }),
                      laterEvents.end());
    later["vigil"]["covers_from"] = "2018-01-01";  // gov.uk's own file starts in 2018
    CHECK(refused(later).find("it starts at 2018-01-01, and the shipped list goes back to 2006-01-01") != std::string::npos);

    // Older than the shipped list: a shipped list at version 3 in a folder of its own.
    json newer = shippedJson();
    newer["vigil"]["version"] = 3;
    write(dir / "shipped.json", newer);
    write(dir / "admin.json", extendedTo2029(shippedJson()));
    auto choice = loadBankHolidays(dir / "shipped.json", dir / "admin.json");
    REQUIRE(choice.ok());
    CHECK(choice->adminCopy == BankHolidayOverride::Refused);
    CHECK(choice->note.find("its version (1) is older than the shipped list's (3)") != std::string::npos);
}

TEST_CASE("With no administrator's copy the shipped list is used, and a broken shipped list gives way to a good copy",
          "[core][casework][override]")
{
    const test::TempDir dir;
    auto choice = loadBankHolidays(shippedBankHolidayFile(), std::nullopt);
    REQUIRE(choice.ok());
    CHECK(choice->adminCopy == BankHolidayOverride::NotGiven);
    CHECK(choice->note.empty());
    choice = loadBankHolidays(shippedBankHolidayFile(), dir / "none.json");
    REQUIRE(choice.ok());
    CHECK(choice->adminCopy == BankHolidayOverride::Absent);

    std::ofstream{dir / "shipped.json"} << "{ not json";
    write(dir / "admin.json", shippedJson());
    choice = loadBankHolidays(dir / "shipped.json", dir / "admin.json");
    REQUIRE(choice.ok());
    CHECK(choice->adminCopy == BankHolidayOverride::Used);
    CHECK(choice->note.find("The list shipped with Vigil could not be read") != std::string::npos);

    std::ofstream{dir / "admin.json"} << "[]";
    const auto neither = loadBankHolidays(dir / "shipped.json", dir / "admin.json");
    REQUIRE_FALSE(neither.ok());
    CHECK(neither.error().message.find("could not be used either") != std::string::npos);
    CHECK_FALSE(loadBankHolidays(dir / "missing.json", std::nullopt).ok());
}

TEST_CASE("A DVPN or DAPN hearing is due 48 hours after the notice, not counting Sundays, Christmas Day, Good Friday or "
          "bank holidays",
          "[core][casework][notice]")
{
    // Tuesday 10:00 BST: Wednesday and Thursday count, due Thursday 10:00.
    CHECK(*calendar().noticeHearingDue(at("2024-05-14T09:00:00Z")) == at("2024-05-16T09:00:00Z"));
    // Saturday 10:00 BST, 4 May 2024: Sunday and the Early May Monday are not counted; due Wednesday 10:00.
    CHECK(*calendar().noticeHearingDue(at("2024-05-04T09:00:00Z")) == at("2024-05-08T09:00:00Z"));
    // Saturday 10:00 BST, 11 May 2024: only Sunday is skipped; due Tuesday 10:00.
    CHECK(*calendar().noticeHearingDue(at("2024-05-11T09:00:00Z")) == at("2024-05-14T09:00:00Z"));
    // Christmas Eve 2024 at noon: Christmas Day and Boxing Day skipped; Saturday 28th counts. Due Saturday noon.
    CHECK(*calendar().noticeHearingDue(at("2024-12-24T12:00:00Z")) == at("2024-12-28T12:00:00Z"));
    // Christmas Eve 2021 at noon: Christmas Day on a Saturday is skipped all the same, then Sunday and both
    // substitute days. Due Thursday 30th at noon.
    CHECK(*calendar().noticeHearingDue(at("2021-12-24T12:00:00Z")) == at("2021-12-30T12:00:00Z"));
    // Thursday before Easter 2025, 09:00 BST: Good Friday, Sunday and Easter Monday skipped, Saturday counts.
    CHECK(*calendar().noticeHearingDue(at("2025-04-17T08:00:00Z")) == at("2025-04-22T08:00:00Z"));
    // Given on a Sunday: the clock starts at Monday's midnight.
    CHECK(*calendar().noticeHearingDue(at("2024-05-12T15:00:00Z")) == at("2024-05-14T23:00:00Z"));
    // Across the autumn change: Saturday 26 October 2024 12:00 BST; Sunday (25 hours) skipped; Monday 24 hours,
    // Tuesday 12 hours: 12:00 GMT.
    CHECK(*calendar().noticeHearingDue(at("2024-10-26T11:00:00Z")) == at("2024-10-29T12:00:00Z"));
    CHECK_FALSE(calendar().noticeHearingDue(at("2028-12-30T12:00:00Z")).ok());
}

namespace {

/// The shipped list at `version` with one invented one-off bank holiday on Monday 7 June 2027.
json withOneOffDay(int version)
{
    json j = shippedJson();
    j["vigil"]["version"] = version;
    j["england-and-wales"]["events"].push_back(
        {{"title", "Invented one-off bank holiday"}, {"date", "2027-06-07"}, {"notes", ""}, {"bunting", true}});
    return j;
}

}  // namespace

TEST_CASE("The clock uses the newest of the shipped list, the list received from the server and an administrator's copy",
          "[core][casework][override][server]")
{
    const test::TempDir dir;
    // Only the server's: used, and the one-off day moves a working day.
    auto choice = chooseBankHolidays(shippedBankHolidayFile(), withOneOffDay(2).dump(), std::nullopt);
    REQUIRE(choice.ok());
    CHECK(choice->source == BankHolidaySource::Server);
    CHECK(choice->serverVersion == 2);
    CHECK(choice->file.empty());
    CHECK(choice->calendar.version() == 2);
    CHECK(choice->note == "The bank-holiday list from the server is in use (version 2, 2006 to 2028).");
    CHECK(*choice->calendar.addWorkingDays(date(2027, 6, 4), 1) == date(2027, 6, 8));
    CHECK(*calendar().addWorkingDays(date(2027, 6, 4), 1) == date(2027, 6, 7));

    // The server's newer than the administrator's copy: the server's, and the copy is said to be older.
    json copy = extendedTo2029(shippedJson());
    copy["vigil"]["version"] = 1;
    write(dir / "admin.json", copy);
    choice = chooseBankHolidays(shippedBankHolidayFile(), withOneOffDay(2).dump(), dir / "admin.json");
    REQUIRE(choice.ok());
    CHECK(choice->source == BankHolidaySource::Server);
    CHECK(choice->adminCopy == BankHolidayOverride::Superseded);
    CHECK(choice->note.find("The administrator's bank-holiday file " + (dir / "admin.json").string()
                            + " is not used: the bank-holiday list from the server is newer or as new (version 2")
          != std::string::npos);

    // A newer copy on the device wins; on equal versions too (the later source).
    for (const int version : {3, 2}) {
        copy["vigil"]["version"] = version;
        write(dir / "admin.json", copy);
        choice = chooseBankHolidays(shippedBankHolidayFile(), withOneOffDay(2).dump(), dir / "admin.json");
        REQUIRE(choice.ok());
        CHECK(choice->source == BankHolidaySource::AdminCopy);
        CHECK(choice->adminCopy == BankHolidayOverride::Used);
        CHECK(choice->file == dir / "admin.json");
        CHECK(choice->serverVersion == 2);
        CHECK(choice->calendar.coverageWords() == "2006 to 2029");
    }

    // Nothing but the shipped list: as loadBankHolidays, and no note.
    choice = chooseBankHolidays(shippedBankHolidayFile(), std::string(), std::nullopt);
    REQUIRE(choice.ok());
    CHECK(choice->source == BankHolidaySource::Shipped);
    CHECK(choice->serverVersion == 0);
    CHECK(choice->note.empty());
}

TEST_CASE("A list from the server that is unreadable, older or shorter than the shipped one is not used, and says why",
          "[core][casework][override][server]")
{
    const auto notUsed = [](const std::string& text) {
        auto choice = chooseBankHolidays(shippedBankHolidayFile(), text, std::nullopt);
        REQUIRE(choice.ok());
        CHECK(choice->source == BankHolidaySource::Shipped);
        CHECK(choice->calendar.version() == 1);
        CHECK(choice->note.find("The bank-holiday list from the server was not used: ") == 0);
        CHECK(choice->note.find("Vigil is using the list it shipped with (version 1, 2006 to 2028).") != std::string::npos);
        return choice->note;
    };
    CHECK(notUsed("{\"vigil\": ").find("is not valid JSON") != std::string::npos);
    CHECK(notUsed(std::string(64, '{')).find("nested far deeper") != std::string::npos);
    json shorter = withOneOffDay(2);
    shorter["vigil"]["covers_to"] = "2027-12-31";
    auto& events = shorter["england-and-wales"]["events"];
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const json& e) { return e["date"].get<std::string>().starts_with("2028"); }),
                 events.end());
    CHECK(notUsed(shorter.dump()).find("it covers only to 2027-12-31, and the shipped list covers to 2028-12-31")
          != std::string::npos);

    const test::TempDir dir;
    json newer = shippedJson();
    newer["vigil"]["version"] = 3;
    write(dir / "shipped.json", newer);
    auto choice = chooseBankHolidays(dir / "shipped.json", withOneOffDay(2).dump(), std::nullopt);
    REQUIRE(choice.ok());
    CHECK(choice->source == BankHolidaySource::Shipped);
    CHECK(choice->note.find("its version (2) is older than the shipped list's (3)") != std::string::npos);

    // A broken shipped list gives way to the server's.
    std::ofstream{dir / "shipped.json"} << "{ not json";
    choice = chooseBankHolidays(dir / "shipped.json", withOneOffDay(2).dump(), std::nullopt);
    REQUIRE(choice.ok());
    CHECK(choice->source == BankHolidaySource::Server);
    CHECK(choice->note.find("The list shipped with Vigil could not be read") != std::string::npos);
}
