// The supervision log and the review cadence (issue 23 items 3 and 4): when each investigation
// is due its review, read from a real store; the log kept with each 124D; QA returns per officer.
#include <catch2/catch.hpp>

#include "core/records/IncidentRepository.h"
#include "core/records/SupervisionLists.h"
#include "core/risk/Dates.h"
#include "core/risk/ReviewCadence.h"
#include "core/risk/RulesConfig.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace std::chrono;

namespace {

sys_seconds at(const char* iso) { return *parseIsoDateTime(iso); }

SupervisionEntry review(const char* when, const char* level)
{
    SupervisionEntry e;
    e.kind = "review";
    e.outcome = "reviewed";
    e.at = when;
    e.by = "ds.e";
    e.level = level;
    return e;
}

}  // namespace

TEST_CASE("An approved or open investigation is due a supervisor's review every 7 days", "[core][desk][cadence]")
{
    const RulesConfig rules;
    Incident incident;
    const ReviewClock clock{at("2026-12-01T08:00:00Z"), at("2026-12-01T10:00:00Z")};
    for (LifecycleState s : {LifecycleState::Draft, LifecycleState::Submitted, LifecycleState::Returned,
                             LifecycleState::Closed}) {
        incident.state = s;
        CHECK_FALSE(nextReviewDue(incident, clock, rules));
    }
    incident.state = LifecycleState::Approved;
    auto due = nextReviewDue(incident, clock, rules);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-08T10:00:00Z"));
    CHECK(due->level == ReviewLevel::Supervisor);
    CHECK(due->basis == "7 days after it was approved");

    incident.supervision.push_back(review("2026-12-05T09:30:00Z", "supervisor"));
    due = nextReviewDue(incident, clock, rules);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-12T09:30:00Z"));
    CHECK(due->basis == "7 days after the last review");

    // Allocated after that review: the allocation is the newer supervisory act.
    incident.state = LifecycleState::UnderInvestigation;
    const ReviewClock allocated{clock.started, at("2026-12-06T12:00:00Z")};
    due = nextReviewDue(incident, allocated, rules);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-13T12:00:00Z"));
    CHECK(due->basis == "7 days after it was allocated for investigation");

    RulesConfig borough;
    borough.reviewEveryDays = 14;  // a force's own copy of the rules
    due = nextReviewDue(incident, allocated, borough);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-20T12:00:00Z"));
}

TEST_CASE("A serious sexual offence is reviewed by a supervisor in 10 hours, an inspector in 7 days, a chief inspector "
          "in 28, then every 28 days",
          "[core][desk][cadence]")
{
    const RulesConfig rules;
    Incident incident;
    incident.flags.seriousSexualOffence = true;
    incident.state = LifecycleState::Submitted;  // its clock runs from the start, before QA
    const ReviewClock clock{at("2026-12-01T22:00:00Z"), at("2026-12-02T01:00:00Z")};
    auto due = nextReviewDue(incident, clock, rules);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-02T08:00:00Z"));
    CHECK(due->level == ReviewLevel::Supervisor);
    CHECK(due->basis == "10 hours after the 124D was started (serious sexual offence)");

    incident.state = LifecycleState::UnderInvestigation;
    incident.supervision.push_back(review("2026-12-02T07:00:00Z", "supervisor"));
    due = nextReviewDue(incident, clock, rules);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-08T22:00:00Z"));
    CHECK(due->level == ReviewLevel::Inspector);

    incident.supervision.push_back(review("2026-12-08T10:00:00Z", "inspector"));
    due = nextReviewDue(incident, clock, rules);
    REQUIRE(due);
    CHECK(due->due == at("2026-12-29T22:00:00Z"));
    CHECK(due->level == ReviewLevel::ChiefInspector);

    incident.supervision.push_back(review("2026-12-28T15:00:00Z", "chief_inspector"));
    due = nextReviewDue(incident, clock, rules);
    REQUIRE(due);
    CHECK(due->due == at("2027-01-25T15:00:00Z"));
    CHECK(due->level == ReviewLevel::ChiefInspector);
    CHECK(due->basis == "28 days after the last review (serious sexual offence)");

    incident.state = LifecycleState::Closed;
    CHECK_FALSE(nextReviewDue(incident, clock, rules));
}

TEST_CASE("The supervision log is kept with its 124D, and the desk lists what is due, the overdue first",
          "[core][desk][cadence]")
{
    test::RecordsFixture f;
    IncidentRepository repo(*f.records);
    const RulesConfig rules;
    const Actor sergeant{"ds.e", "supervising"};
    const auto make = [&](const std::string& cad, bool sso) {
        Incident draft;
        draft.owner = f.officer.userId;
        draft.team = "north";
        draft.date = "2026-11-23";
        draft.refs.cad = cad;
        draft.flags.seriousSexualOffence = sso;
        auto made = repo.createDraft(f.officer, draft);
        REQUIRE(made.ok());
        Incident incident = *made;
        Victim v;
        v.person.name = "Invented Person";
        incident.victims.push_back(v);
        REQUIRE(repo.save(f.officer, incident).ok());
        REQUIRE(repo.transition(f.officer, incident.id, LifecycleState::Submitted, "submit", "").ok());
        return incident.id;
    };
    // 23 Nov 09:00: three 124Ds; one approved at once, one a serious sexual offence left waiting.
    const std::string early = make("1/23NOV26", false);
    const std::string sso = make("2/23NOV26", true);
    const std::string waiting = make("3/23NOV26", false);
    REQUIRE(repo.transition(sergeant, early, LifecycleState::Approved, "approve", "").ok());
    f.time.advance(days(3));
    const std::string later = make("4/26NOV26", false);
    REQUIRE(repo.transition(sergeant, later, LifecycleState::Approved, "approve", "").ok());

    f.time.advance(days(5));  // 1 Dec 09:00
    const auto now = floor<seconds>(f.time.now);
    auto rows = readReviewsDue(*f.records, rules, now);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 3);  // the one waiting for QA has no review due yet
    CHECK(rows->at(0).id == sso);  // overdue by 7 days 14 hours: the longest overdue first
    CHECK(rows->at(0).overdue(now));
    CHECK(rows->at(0).due.level == ReviewLevel::Supervisor);
    CHECK(rows->at(0).seriousSexualOffence);
    CHECK(rows->at(1).id == early);  // overdue by 1 day
    CHECK(rows->at(1).overdue(now));
    CHECK(rows->at(2).id == later);  // due in 2 days
    CHECK_FALSE(rows->at(2).overdue(now));
    CHECK(rows->at(2).initials == std::vector<std::string>{"IP"});
    CHECK(rows->at(2).officer == f.officer.userId);
    CHECK(rows->at(2).team == "north");
    CHECK(rows->at(2).cad == "4/26NOV26");
    CHECK(rows->at(2).occurred == "2026-11-23");
    CHECK(std::none_of(rows->begin(), rows->end(), [&](const ReviewDueRow& r) { return r.id == waiting; }));

    // The review is logged: it leaves the overdue list, due again 7 days on.
    SupervisionEntry e;
    e.kind = "review";
    e.outcome = "reviewed";
    e.by = sergeant.userId;
    e.level = "supervisor";
    e.risk = RiskGrade::Medium;
    e.notes = "Suspect arrested and bailed; victim told.";
    auto logged = repo.appendSupervision(sergeant, early, e);
    REQUIRE(logged.ok());
    CHECK(logged->at.rfind("2026-12-01T09:00:00", 0) == 0);
    auto incident = repo.read(early);
    REQUIRE(incident.ok());
    REQUIRE(incident->supervision.size() == 1);
    CHECK(incident->supervision[0].notes == "Suspect arrested and bailed; victim told.");
    CHECK(incident->supervision[0].risk == RiskGrade::Medium);
    rows = readReviewsDue(*f.records, rules, now);
    REQUIRE(rows.ok());
    const auto reviewed = std::find_if(rows->begin(), rows->end(), [&](const ReviewDueRow& r) { return r.id == early; });
    REQUIRE(reviewed != rows->end());
    CHECK_FALSE(reviewed->overdue(now));
    CHECK(reviewed->due.due == at("2026-12-08T09:00:00Z"));
    CHECK(reviewed->lastReviewBy == "ds.e");

    // Saving the 124D again (the officer's or anyone's) never touches its log.
    REQUIRE(repo.save(f.officer, *incident).ok());
    CHECK(repo.read(early)->supervision.size() == 1);
}

TEST_CASE("QA decisions are counted per officer with the sections most often returned", "[core][desk][qa]")
{
    test::RecordsFixture f;
    IncidentRepository repo(*f.records);
    const Actor sergeant{"ds.e", "supervising"};
    const auto decided = [&](const std::string& owner, const char* outcome, std::vector<std::string> sections) {
        Incident draft;
        draft.owner = owner;
        draft.team = "north";
        auto made = repo.createDraft(Actor{owner, "recording"}, draft);
        REQUIRE(made.ok());
        SupervisionEntry e;
        e.kind = "qa";
        e.outcome = outcome;
        e.by = sergeant.userId;
        e.notes = "notes";
        e.sections = std::move(sections);
        REQUIRE(repo.appendSupervision(sergeant, made->id, e).ok());
        f.time.advance(hours(1));
    };
    decided("pc.a", "returned", {"dash", "references"});
    decided("pc.a", "returned", {"dash"});
    decided("pc.a", "approved", {});
    decided("pc.b", "approved", {});
    decided("pc.b", "returned", {"children"});
    decided("pc.b", "approved", {});
    decided("pc.b", "approved", {});

    const auto from = floor<seconds>(f.time.now) - days(1);
    auto report = readQaReturns(*f.records, from, floor<seconds>(f.time.now) + hours(1));
    REQUIRE(report.ok());
    REQUIRE(report->officers.size() == 2);
    const OfficerQa& a = report->officers[0];  // the higher return rate first
    CHECK(a.officer == "pc.a");
    CHECK(a.checked() == 3);
    CHECK(a.returned == 2);
    CHECK(a.returnRatePercent() == 67);
    REQUIRE(a.sections.size() == 2);
    CHECK(a.sections[0] == std::pair<std::string, int>{"dash", 2});
    CHECK(report->officers[1].returnRatePercent() == 25);
    REQUIRE(report->returns.size() == 3);
    CHECK(report->returns[0].officer == "pc.b");  // the newest first
    CHECK(report->returns[0].sections == std::vector<std::string>{"children"});

    // A period before any decision counts none.
    auto empty = readQaReturns(*f.records, from - days(30), from);
    REQUIRE(empty.ok());
    CHECK(empty->officers.empty());
}

TEST_CASE("A MARAC referral the supervisor turned down is not counted in the victim's history", "[core][desk][history]")
{
    test::RecordsFixture f;
    IncidentRepository repo(*f.records);
    const auto make = [&](const char* date, MaracDecisionKind officer, MaracDecisionKind supervisor) {
        Incident draft;
        draft.owner = f.officer.userId;
        draft.team = "north";
        draft.date = date;
        auto made = repo.createDraft(f.officer, draft);
        REQUIRE(made.ok());
        Incident incident = *made;
        Victim v;
        v.person.name = "Invented Person";
        v.person.dateOfBirth = "1990-01-01";
        v.marac.decision = officer;
        v.marac.supervisorDecision = supervisor;
        incident.victims.push_back(v);
        REQUIRE(repo.save(f.officer, incident).ok());
        return repo.read(incident.id).value();
    };
    make("2026-05-01", MaracDecisionKind::Refer, MaracDecisionKind::NotRefer);   // turned down at review
    make("2026-06-01", MaracDecisionKind::NotRefer, MaracDecisionKind::Refer);   // referred at review
    const Incident now = make("2026-11-01", MaracDecisionKind::Undecided, MaracDecisionKind::Undecided);
    auto history = repo.historyForIncident(now, HistorySource{});
    REQUIRE(history.ok());
    CHECK(history->incidents.size() == 2);
    REQUIRE(history->maracReferrals.size() == 1);
    CHECK(history->maracReferrals[0].date == sys_days{year{2026} / 6 / 1});
}
