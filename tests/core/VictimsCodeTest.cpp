// The Victims' Code clock (issue 24): deadlines read from the rules file, due items for a case
// with their status at a given moment, enhanced against standard rights, consent to victim
// services, consultation before bail, and what happens outside the bank-holiday list.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/casework/VictimsCode.h"
#include "core/risk/Dates.h"
#include "core/risk/JsonFile.h"

using namespace vigil;
using namespace std::chrono;
using nlohmann::json;

namespace {

const WorkingDays& calendar()
{
    static const WorkingDays list = WorkingDays::loadFile(shippedBankHolidayFile()).value();
    return list;
}

std::filesystem::path rulesFile()
{
    return std::filesystem::path{VIGIL_RISK_MODEL_DIR} / "rules-default.json";
}

sys_seconds at(const char* iso)
{
    return *parseIsoDateTime(iso);
}

CaseEvent event(const char* id, CaseEventKind kind, const char* when)
{
    return CaseEvent{id, kind, at(when)};
}

const DueItem& find(const std::vector<DueItem>& items, VictimDuty duty, std::string_view eventId)
{
    const auto it = std::find_if(items.begin(), items.end(),
                                 [&](const DueItem& i) { return i.duty == duty && i.eventId == eventId; });
    REQUIRE(it != items.end());
    return *it;
}

std::string sectionError(const json& section)
{
    json root = json::parse(readTextFile(rulesFile(), "rules").value());
    root["victims_code"] = section;
    auto parsed = parseVictimsCodeRules(root.dump(), "rules-force.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::MalformedModel);
    return parsed.error().message;
}

json shippedSection()
{
    return json::parse(readTextFile(rulesFile(), "rules").value())["victims_code"];
}

/// A domestic abuse case reported on Thursday 2 May 2024, the suspect arrested on the Friday
/// evening and bailed on the Saturday; Monday 6 May is the Early May bank holiday.
VictimsCodeCase mayCase()
{
    VictimsCodeCase c;
    c.events = {
        event("bail-1", CaseEventKind::Bail, "2024-05-04T15:00:00Z"),  // any order
        event("report", CaseEventKind::Report, "2024-05-02T20:40:00Z"),
        event("arrest-1", CaseEventKind::Arrest, "2024-05-03T18:00:00Z"),
        event("interview-1", CaseEventKind::Interview, "2024-05-04T09:00:00Z"),
    };
    c.done = {
        {VictimDuty::FirstContact, at("2024-05-03T08:00:00Z"), ""},
        {VictimDuty::NeedsAssessment, at("2024-05-03T08:00:00Z"), ""},
        {VictimDuty::Update, at("2024-05-07T09:00:00Z"), "arrest-1"},
        {VictimDuty::BailConsultation, at("2024-05-04T11:00:00Z"), ""},
        {VictimDuty::Update, at("2024-05-08T08:00:00Z"), "bail-1"},
    };
    return c;
}

}  // namespace

TEST_CASE("The shipped Victims' Code deadlines are DOMAIN.md's and agree with the built-in ones", "[core][casework][victimscode]")
{
    const auto shipped = loadVictimsCodeRulesFile(rulesFile());
    REQUIRE(shipped.ok());
    const VictimsCodeRules builtIn;
    CHECK(shipped->firstContactHours == 24);
    CHECK(shipped->victimServicesWorkingDays == 2);
    CHECK(shipped->victimServicesConsentForDomesticAbuse);
    CHECK(shipped->updates.size() == 7);
    for (const auto& [kind, deadline] : shipped->updates) {
        INFO(toString(kind));
        CHECK(deadline.enhancedWorkingDays == 1);
        CHECK(deadline.standardWorkingDays == 5);
    }
    CHECK(shipped->consultBefore == std::vector<CaseEventKind>{CaseEventKind::Bail, CaseEventKind::BailChange});
    CHECK(shipped->code == builtIn.code);
    CHECK(shipped->firstContactHours == builtIn.firstContactHours);
    CHECK(shipped->needsAssessmentHours == builtIn.needsAssessmentHours);
    CHECK(shipped->victimServicesWorkingDays == builtIn.victimServicesWorkingDays);
    CHECK(shipped->victimServicesConsentForDomesticAbuse == builtIn.victimServicesConsentForDomesticAbuse);
    CHECK(shipped->updates == builtIn.updates);
    CHECK(shipped->consultBefore == builtIn.consultBefore);
    CHECK(shippedSection().contains("help"));
}

TEST_CASE("A rules copy without the Victims' Code section keeps the defaults, a wrong one is refused at its path",
          "[core][casework][victimscode]")
{
    const auto old = parseVictimsCodeRules(R"({"format": 1, "id": "rules-old", "version": "0.9"})", "rules-old.json");
    REQUIRE(old.ok());
    CHECK(old->updates.at(CaseEventKind::Arrest).enhancedWorkingDays == 1);

    json s = shippedSection();
    s["updates"]["arrest_warrant"] = {{"enhanced_working_days", 1}, {"standard_working_days", 5}};
    CHECK(sectionError(s).find("/victims_code/updates/arrest_warrant: unknown event") != std::string::npos);

    s = shippedSection();
    s["updates"]["bail"]["enhanced_working_days"] = 6;
    CHECK(sectionError(s).find("enhanced rights may not wait longer than standard ones") != std::string::npos);

    s = shippedSection();
    s["first_contact_hours"] = 0;
    CHECK(sectionError(s).find("/victims_code/first_contact_hours: first_contact_hours must be a whole number from 1")
          != std::string::npos);

    s = shippedSection();
    s["consult_before"] = {"bail", "remand"};
    CHECK(sectionError(s).find("/victims_code/consult_before/1: unknown decision") != std::string::npos);

    s = shippedSection();
    s["victim_services"].erase("domestic_abuse_needs_consent");
    CHECK(sectionError(s).find("domestic_abuse_needs_consent must be true or false") != std::string::npos);

    // A force may choose its own numbers.
    json root = json::parse(readTextFile(rulesFile(), "rules").value());
    root["victims_code"]["first_contact_hours"] = 12;
    root["victims_code"]["updates"].erase("interview");
    const auto force = parseVictimsCodeRules(root.dump(), "rules-force.json");
    REQUIRE(force.ok());
    CHECK(force->firstContactHours == 12);
    CHECK_FALSE(force->updates.contains(CaseEventKind::Interview));
}

TEST_CASE("Each due item of a case shows done, due in or overdue, in words", "[core][casework][victimscode]")
{
    const VictimsCodeRules rules;
    // Wednesday 8 May 2024, 12:00 BST.
    const auto items = victimsCodeItems(mayCase(), rules, calendar(), at("2024-05-08T11:00:00Z"));
    REQUIRE(items.ok());
    REQUIRE(items->size() == 7);

    // In the order of the events: the report's three, the arrest, the interview, the bail decision's two.
    CHECK((*items)[0].duty == VictimDuty::FirstContact);
    CHECK((*items)[1].duty == VictimDuty::NeedsAssessment);
    CHECK((*items)[2].duty == VictimDuty::VictimServices);
    CHECK((*items)[3].eventId == "arrest-1");
    CHECK((*items)[4].eventId == "interview-1");
    CHECK((*items)[5].duty == VictimDuty::BailConsultation);
    CHECK((*items)[6].duty == VictimDuty::Update);

    const DueItem& first = (*items)[0];
    CHECK(first.what == "First contact with the victim");
    CHECK(first.basis == "24 hours after the report");
    CHECK(first.dueAt == at("2024-05-03T20:40:00Z"));
    CHECK(first.dueWords == "by 21:40 on Friday 3 May 2024");
    CHECK(first.status == DueStatus::DoneOnTime);
    CHECK(first.statusWords == "Done on time");
    CHECK(first.doneAt == at("2024-05-03T08:00:00Z"));

    // Told of the Friday-evening arrest on the Tuesday, as Monday was a bank holiday: on time.
    const DueItem& arrest = find(*items, VictimDuty::Update, "arrest-1");
    CHECK(arrest.what == "Tell the victim about the arrest");
    CHECK(arrest.basis == "1 working day after the arrest (enhanced rights)");
    CHECK(arrest.dueAt == at("2024-05-07T23:00:00Z"));
    CHECK(arrest.dueWords == "by the end of Tuesday 7 May 2024");
    CHECK(arrest.status == DueStatus::DoneOnTime);

    // Never told of the Saturday interview: due the end of Tuesday, 12 hours ago.
    const DueItem& interview = find(*items, VictimDuty::Update, "interview-1");
    CHECK(interview.status == DueStatus::Overdue);
    CHECK(interview.margin == hours{12});
    CHECK(interview.statusWords == "Overdue by 12 hours");

    // Consulted at 12:00 on the Saturday, bail given at 16:00: on time.
    const DueItem& consulted = find(*items, VictimDuty::BailConsultation, "bail-1");
    CHECK(consulted.what == "Ask the victim's views before the bail decision");
    CHECK(consulted.dueWords == "before the decision at 16:00 on Saturday 4 May 2024");
    CHECK(consulted.status == DueStatus::DoneOnTime);

    // Told of bail at 09:00 on the Wednesday: 9 hours late.
    const DueItem& bail = find(*items, VictimDuty::Update, "bail-1");
    CHECK(bail.status == DueStatus::DoneLate);
    CHECK(bail.margin == hours{9});
    CHECK(bail.statusWords == "Done 9 hours late");

    // The same case on the Monday morning: the interview update is still due.
    const auto monday = victimsCodeItems(mayCase(), rules, calendar(), at("2024-05-06T08:00:00Z"));
    REQUIRE(monday.ok());
    const DueItem& early = find(*monday, VictimDuty::Update, "interview-1");
    CHECK(early.status == DueStatus::DueIn);
    CHECK(early.statusWords == "Due in 2 days");  // to the end of Tuesday, 39 hours away, to the nearest day
}

TEST_CASE("The figures' items without words are the same items, due and settled at the same instants",
          "[core][casework][victimscode]")
{
    const VictimsCodeRules rules;
    for (const char* now : {"2024-05-06T08:00:00Z", "2024-05-08T11:00:00Z"}) {
        const auto written = victimsCodeItems(mayCase(), rules, calendar(), at(now));
        const auto omitted = victimsCodeItems(mayCase(), rules, calendar(), at(now), ItemWords::Omitted);
        REQUIRE(written.ok());
        REQUIRE(omitted.ok());
        REQUIRE(omitted->size() == written->size());
        for (std::size_t i = 0; i < written->size(); ++i) {
            const DueItem& w = (*written)[i];
            const DueItem& o = (*omitted)[i];
            INFO(now << " item " << i);
            CHECK(o.duty == w.duty);
            CHECK(o.eventId == w.eventId);
            CHECK(o.dueAt == w.dueAt);
            CHECK(o.status == w.status);
            CHECK(o.doneAt == w.doneAt);
            CHECK(o.margin == w.margin);
            // The words that cost something to write are left out; fixed words may stay.
            CHECK((o.dueWords.empty() || o.dueWords == w.dueWords));
            CHECK((o.statusWords.empty() || o.statusWords == w.statusWords));
            CHECK_FALSE(w.statusWords.empty());
        }
    }
}

TEST_CASE("Enhanced rights give the victim 1 working day for each update, standard rights 5", "[core][casework][victimscode]")
{
    const VictimsCodeRules rules;
    VictimsCodeCase c;
    c.events = {event("arrest-1", CaseEventKind::Arrest, "2024-05-03T18:00:00Z")};  // Friday 19:00 BST
    const sys_seconds now = at("2024-05-03T19:00:00Z");
    auto items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::Update, "arrest-1").dueAt == at("2024-05-07T23:00:00Z"));

    c.enhancedRights = false;
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    const DueItem& standard = find(*items, VictimDuty::Update, "arrest-1");
    CHECK(standard.basis == "5 working days after the arrest");
    CHECK(standard.dueAt == at("2024-05-13T23:00:00Z"));  // Tue, Wed, Thu, Fri, then Monday 13 May
    CHECK(standard.dueWords == "by the end of Monday 13 May 2024");

    // A Friday-evening arrest with an ordinary Monday after it: due the end of Monday.
    c.enhancedRights = true;
    c.events = {event("arrest-2", CaseEventKind::Arrest, "2024-05-10T18:00:00Z")};
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::Update, "arrest-2").dueWords == "by the end of Monday 13 May 2024");
}

TEST_CASE("A deadline ends at London midnight: told a second before it is on time, at it is late",
          "[core][casework][victimscode]")
{
    VictimsCodeCase c;
    c.events = {event("arrest-1", CaseEventKind::Arrest, "2024-05-10T18:00:00Z")};  // Friday 19:00 BST
    const auto statusIfToldAt = [&](const char* when) {
        c.done = {{VictimDuty::Update, at(when), "arrest-1"}};
        auto items = victimsCodeItems(c, VictimsCodeRules{}, calendar(), at("2024-05-20T09:00:00Z"));
        REQUIRE(items.ok());
        return find(*items, VictimDuty::Update, "arrest-1");
    };
    CHECK(statusIfToldAt("2024-05-13T22:59:59Z").status == DueStatus::DoneOnTime);  // 23:59:59 BST on Monday
    const DueItem late = statusIfToldAt("2024-05-13T23:00:00Z");
    CHECK(late.status == DueStatus::DoneLate);
    CHECK(late.statusWords == "Done 1 minute late");
    CHECK(statusIfToldAt("2024-05-14T00:30:00Z").statusWords == "Done 2 hours late");
}

TEST_CASE("First contact is due 24 hours after the report, counted in real hours across a clock change",
          "[core][casework][victimscode]")
{
    VictimsCodeCase c;
    c.events = {event("report", CaseEventKind::Report, "2024-03-30T12:00:00Z")};  // Saturday noon GMT
    const auto items = victimsCodeItems(c, VictimsCodeRules{}, calendar(), at("2024-03-30T13:00:00Z"));
    REQUIRE(items.ok());
    const DueItem& first = find(*items, VictimDuty::FirstContact, "report");
    CHECK(first.dueAt == at("2024-03-31T12:00:00Z"));
    CHECK(first.dueWords == "by 13:00 on Sunday 31 March 2024");
    CHECK(first.status == DueStatus::DueIn);
    CHECK(first.statusWords == "Due in 23 hours");
}

TEST_CASE("A domestic abuse victim's details go to victim services within 2 working days, only with consent",
          "[core][casework][victimscode]")
{
    const VictimsCodeRules rules;
    VictimsCodeCase c;
    c.events = {event("report", CaseEventKind::Report, "2024-05-02T20:40:00Z")};  // Thursday
    const sys_seconds now = at("2024-05-03T09:00:00Z");

    auto items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::VictimServices, "report").status == DueStatus::Waiting);
    CHECK(find(*items, VictimDuty::VictimServices, "report").statusWords.starts_with("Waiting for the victim's consent"));

    c.servicesConsent = ServicesConsent::Given;  // at the report: Friday, then Tuesday (Monday off)
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::VictimServices, "report").dueWords == "by the end of Tuesday 7 May 2024");
    CHECK(find(*items, VictimDuty::VictimServices, "report").basis == "2 working days after the report");

    c.servicesConsentAt = at("2024-05-07T10:00:00Z");  // consent given on the Tuesday: Wednesday, Thursday
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::VictimServices, "report").dueWords == "by the end of Thursday 9 May 2024");
    CHECK(find(*items, VictimDuty::VictimServices, "report").basis == "2 working days after the victim's consent");

    c.servicesConsent = ServicesConsent::Refused;
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::VictimServices, "report").status == DueStatus::NotRequired);

    // Not domestic abuse: the details go unless the victim refuses.
    c.domesticAbuse = false;
    c.servicesConsent = ServicesConsent::NotRecorded;
    c.servicesConsentAt.reset();
    c.done.push_back({VictimDuty::VictimServices, at("2024-05-03T08:30:00Z"), ""});
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::VictimServices, "report").status == DueStatus::DoneOnTime);
}

TEST_CASE("The victim is consulted before the custody decision: waiting while it is pending, overdue if bail came first",
          "[core][casework][victimscode]")
{
    const VictimsCodeRules rules;
    VictimsCodeCase c;
    c.events = {event("arrest-1", CaseEventKind::Arrest, "2024-05-03T18:00:00Z")};
    const sys_seconds now = at("2024-05-03T20:00:00Z");

    auto items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    const DueItem& pending = find(*items, VictimDuty::BailConsultation, "arrest-1");
    CHECK(pending.status == DueStatus::Waiting);
    CHECK(pending.dueWords == "before the custody decision");
    CHECK_FALSE(pending.dueAt);

    c.done.push_back({VictimDuty::BailConsultation, at("2024-05-03T19:30:00Z"), ""});
    items = victimsCodeItems(c, rules, calendar(), now);
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::BailConsultation, "arrest-1").status == DueStatus::DoneOnTime);

    // Bailed without the victim's views: the consultation is missed.
    c.done.clear();
    c.events.push_back(event("bail-1", CaseEventKind::Bail, "2024-05-04T09:00:00Z"));
    items = victimsCodeItems(c, rules, calendar(), at("2024-05-04T10:00:00Z"));
    REQUIRE(items.ok());
    CHECK(std::none_of(items->begin(), items->end(), [](const DueItem& i) {
        return i.eventId == "arrest-1" && i.duty == VictimDuty::BailConsultation;
    }));
    const DueItem& missed = find(*items, VictimDuty::BailConsultation, "bail-1");
    CHECK(missed.status == DueStatus::Overdue);
    CHECK(missed.statusWords == "Not done before the decision");

    // Asked afterwards: done, but after the decision.
    c.done.push_back({VictimDuty::BailConsultation, at("2024-05-04T12:00:00Z"), ""});
    items = victimsCodeItems(c, rules, calendar(), at("2024-05-04T13:00:00Z"));
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::BailConsultation, "bail-1").status == DueStatus::DoneLate);
    CHECK(find(*items, VictimDuty::BailConsultation, "bail-1").statusWords == "Done 3 hours after the decision");

    // A change to bail needs the victim's views again: a consultation after the first decision counts for the next.
    c.events.push_back(event("bail-2", CaseEventKind::BailChange, "2024-05-10T09:00:00Z"));
    items = victimsCodeItems(c, rules, calendar(), at("2024-05-10T10:00:00Z"));
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::BailConsultation, "bail-2").what
          == "Ask the victim's views before the decision to change bail");
    CHECK(find(*items, VictimDuty::BailConsultation, "bail-2").status == DueStatus::DoneOnTime);  // the 4 May one, after bail-1
    c.done.clear();
    items = victimsCodeItems(c, rules, calendar(), at("2024-05-10T10:00:00Z"));
    REQUIRE(items.ok());
    CHECK(find(*items, VictimDuty::BailConsultation, "bail-2").status == DueStatus::Overdue);
}

TEST_CASE("A deadline past the bank-holiday list cannot be told, in words, the others are still worked out",
          "[core][casework][victimscode]")
{
    VictimsCodeCase c;
    c.events = {event("report", CaseEventKind::Report, "2028-12-28T10:00:00Z"),
                event("arrest-1", CaseEventKind::Arrest, "2028-12-29T18:00:00Z")};  // Friday 29 December 2028
    c.servicesConsent = ServicesConsent::Given;
    const auto items = victimsCodeItems(c, VictimsCodeRules{}, calendar(), at("2028-12-29T19:00:00Z"));
    REQUIRE(items.ok());
    const DueItem& arrest = find(*items, VictimDuty::Update, "arrest-1");
    CHECK(arrest.status == DueStatus::CannotTell);
    CHECK_FALSE(arrest.dueAt);
    CHECK(arrest.problem.find("The bank-holiday list covers 2006 to 2028") != std::string::npos);
    CHECK(arrest.problem.find("ask your administrator to update it") != std::string::npos);
    CHECK(arrest.statusWords == arrest.problem);
    CHECK(find(*items, VictimDuty::VictimServices, "report").status == DueStatus::CannotTell);
    CHECK(find(*items, VictimDuty::FirstContact, "report").status == DueStatus::Overdue);
}

TEST_CASE("A case whose records are inconsistent is refused rather than half-counted", "[core][casework][victimscode]")
{
    VictimsCodeCase c = mayCase();
    c.done.push_back({VictimDuty::Update, at("2024-05-07T09:00:00Z"), "charge-9"});
    auto items = victimsCodeItems(c, VictimsCodeRules{}, calendar(), at("2024-05-08T11:00:00Z"));
    REQUIRE_FALSE(items.ok());
    CHECK(items.error().code == ErrorCode::Validation);
    CHECK(items.error().message.find("(\"charge-9\") that is not in this case") != std::string::npos);

    c = mayCase();
    c.events.push_back(event("arrest-1", CaseEventKind::Arrest, "2024-05-05T18:00:00Z"));
    items = victimsCodeItems(c, VictimsCodeRules{}, calendar(), at("2024-05-08T11:00:00Z"));
    REQUIRE_FALSE(items.ok());
    CHECK(items.error().message.find("Two events in this case have the same id (\"arrest-1\")") != std::string::npos);
}
