// The daily risk management meeting read from a real store (issue 23 item 5, DOMAIN.md §6):
// High-risk incidents of the last 24 hours and outstanding suspects, with the facts the meeting
// weighs and no victim's name.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "core/records/IncidentRepository.h"
#include "core/records/RiskMeeting.h"
#include "core/risk/RulesConfig.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;

namespace {

/// The meeting is held at 2026-11-23 09:00 UTC, when the fixture's clock starts; each 124D is
/// submitted a minute after the one before.
struct Meeting : test::RecordsFixture {
    const std::chrono::sys_seconds meetingAt = std::chrono::floor<std::chrono::seconds>(time.now);
    RiskModelRegistry models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    RulesConfig rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    IncidentRepository repo{*records};
    Actor supervisor{"ds.1907", "quality assurance"};

    /// A submitted 124D with one victim: `yes` Yes answers of 27, the officer's grade, typed on `date`.
    std::string make(const std::string& name, const std::string& date, int yes, std::optional<RiskGrade> officerGrade,
                     const std::function<void(Incident&)>& edit = {})
    {
        Incident draft;
        draft.owner = officer.userId;
        draft.team = "north";
        draft.date = date;
        draft.refs.cad = "CAD-" + name;
        auto made = repo.createDraft(officer, draft);
        REQUIRE(made.ok());
        Incident incident = *made;
        Victim v;
        v.person.name = name;
        v.person.phone = "07700 900123";
        v.dash.modelId = "dash-2009";
        v.dash.modelVersion = "1.0";
        for (int i = 1; i <= 27; ++i) {
            Answer a;
            a.value = i <= yes ? AnswerValue::Yes : AnswerValue::No;
            v.dash.answers["q" + std::to_string(i)] = a;
        }
        v.officerGrade.grade = officerGrade;
        if (officerGrade && static_cast<int>(*officerGrade) > (yes >= 14 ? 2 : yes >= 10 ? 1 : 0))
            v.officerGrade.reason = "professional judgement";
        incident.victims.push_back(v);
        if (edit)
            edit(incident);
        REQUIRE(repo.save(officer, incident).ok());
        REQUIRE(repo.transition(officer, incident.id, LifecycleState::Submitted, "submit", "").ok());
        time.advance(std::chrono::minutes(1));
        return incident.id;
    }

    /// A Standard-risk 124D where a power of arrest existed; `arrest` as recorded.
    std::string suspect(const std::string& name, const std::string& date, std::optional<bool> arrest,
                        const std::string& justification = {})
    {
        return make(name, date, 2, RiskGrade::Standard, [&](Incident& i) {
            i.positiveAction.powerOfArrest = true;
            i.positiveAction.arrestMade = arrest;
            i.positiveAction.noArrestJustification = justification;
            Suspect s;
            s.person.name = "Invented Suspect";
            i.suspects.push_back(s);
        });
    }

    void move(const std::string& id, LifecycleState to, const std::string& command)
    {
        REQUIRE(repo.transition(supervisor, id, to, command, "noted").ok());
    }

    RiskMeeting read(int localOffsetMinutes = 0, std::chrono::seconds later = {})
    {
        RiskMeetingOptions options;
        options.now = meetingAt + later;
        options.localOffsetMinutes = localOffsetMinutes;
        auto meeting = readRiskMeeting(repo, *records, models, rules, HistorySource{}, options);
        INFO((meeting ? std::string() : meeting.error().message));
        REQUIRE(meeting.ok());
        return *meeting;
    }
};

std::vector<std::string> ids(const std::vector<MeetingRow>& rows)
{
    std::vector<std::string> out;
    for (const auto& r : rows)
        out.push_back(r.id);
    return out;
}

bool holds(const std::vector<MeetingRow>& rows, const std::string& id)
{
    return std::any_of(rows.begin(), rows.end(), [&](const MeetingRow& r) { return r.id == id; });
}

}  // namespace

TEST_CASE("A High-risk incident of the last 24 hours is on the meeting sheet, one of 25 hours ago is not",
          "[core][desk][meeting]")
{
    Meeting m;
    const std::string recent = m.make("Erin Ford", "2026-11-22T10:00", 15, RiskGrade::High, [](Incident& i) {
        i.flags.hbv = true;
        i.refs.cris = "0101234/26";
        Child c;
        c.name = "Invented Child";
        i.children.push_back(c);
    });
    const std::string edge = m.make("Bea Cole", "2026-11-22T09:00", 15, RiskGrade::High);  // exactly 24 h: in
    const std::string old = m.make("Carol Dean", "2026-11-22T08:00", 15, RiskGrade::High);  // 25 h: out
    const std::string medium = m.make("Dora Eyre", "2026-11-23T08:00", 11, RiskGrade::Medium);
    const std::string standard = m.make("Fay Gold", "2026-11-23T08:30", 1, RiskGrade::Standard);

    const RiskMeeting meeting = m.read();
    CHECK(ids(meeting.highRisk) == std::vector<std::string>{edge, recent});  // oldest first
    CHECK_FALSE(holds(meeting.highRisk, old));
    CHECK_FALSE(holds(meeting.highRisk, medium));
    CHECK_FALSE(holds(meeting.highRisk, standard));
    CHECK(meeting.suspects.empty());
    CHECK(meeting.from == meeting.now - std::chrono::hours(24));

    const MeetingRow& row = meeting.highRisk[1];
    CHECK(row.state == LifecycleState::Submitted);
    CHECK(row.officer == m.officer.userId);
    CHECK(row.team == "north");
    CHECK(row.occurred == "2026-11-22T10:00");
    CHECK(row.cad == "CAD-Erin Ford");
    CHECK(row.cris == "0101234/26");
    REQUIRE(row.victims.size() == 1);
    CHECK(row.victims[0].initials == "EF");  // initials only: a row has no field for a name
    CHECK(row.victims[0].standing == RiskGrade::High);
    CHECK(row.computed == RiskGrade::High);
    CHECK(row.officerGrade == RiskGrade::High);
    CHECK_FALSE(row.supervisorGrade);
    CHECK(row.standing == RiskGrade::High);
    CHECK(row.maracCriteria >= 1);  // visible high risk, HBV
    CHECK(row.children == 1);
    CHECK(row.hbv);
    CHECK_FALSE(row.timeFromRecord);
    CHECK(row.atMs == 1'795'341'600'000);  // 2026-11-22T10:00Z
}

TEST_CASE("The officer's raised grade puts an incident on the sheet, and the supervisor's grade decides over both",
          "[core][desk][meeting]")
{
    Meeting m;
    const std::string raised = m.make("Alice Brown", "2026-11-23T07:00", 3, RiskGrade::High);  // judgement over the band
    const std::string lowered = m.make("Bea Cole", "2026-11-23T07:10", 15, RiskGrade::High, [](Incident& i) {
        i.victims[0].supervisorGrade = GradeDecision{RiskGrade::Medium, "Suspect remanded in custody", "ds.1907"};
    });
    const std::string upgraded = m.make("Carol Dean", "2026-11-23T07:20", 11, RiskGrade::Medium, [](Incident& i) {
        i.victims[0].supervisorGrade = GradeDecision{RiskGrade::High, "Threats to kill repeated to a neighbour", "ds.1907"};
    });
    const std::string twoVictims = m.make("Dora Eyre", "2026-11-23T07:30", 1, RiskGrade::Standard, [](Incident& i) {
        Victim second = i.victims[0];
        second.id.clear();
        second.person.name = "Émile Zola";
        second.officerGrade = GradeDecision{RiskGrade::High, "Strangled", "officer-1042"};
        i.victims.push_back(second);
    });

    const RiskMeeting meeting = m.read();
    CHECK(ids(meeting.highRisk) == std::vector<std::string>{raised, upgraded, twoVictims});
    CHECK_FALSE(holds(meeting.highRisk, lowered));
    CHECK(meeting.highRisk[0].computed == RiskGrade::Standard);
    CHECK(meeting.highRisk[0].officerGrade == RiskGrade::High);
    CHECK(meeting.highRisk[1].supervisorGrade == RiskGrade::High);
    CHECK(meeting.highRisk[1].officerGrade == RiskGrade::Medium);
    const MeetingRow& both = meeting.highRisk[2];
    REQUIRE(both.victims.size() == 2);
    CHECK(both.victims[0].initials == "DE");
    CHECK(both.victims[0].standing == RiskGrade::Standard);
    CHECK(both.victims[1].initials == "ÉZ");  // a letter outside ASCII whole, not half of it
    CHECK(both.victims[1].standing == RiskGrade::High);
    CHECK(both.officerGrade == RiskGrade::High);  // the grades of the victim the row stands on
}

TEST_CASE("Drafts and closed 124Ds are not discussed, but returned, approved and under investigation ones are",
          "[core][desk][meeting]")
{
    Meeting m;
    const std::string closed = m.make("Alice Brown", "2026-11-23T06:00", 15, RiskGrade::High);
    m.move(closed, LifecycleState::Approved, "approve");
    m.move(closed, LifecycleState::Closed, "close");
    const std::string approved = m.make("Bea Cole", "2026-11-23T06:10", 15, RiskGrade::High);
    m.move(approved, LifecycleState::Approved, "approve");
    const std::string investigating = m.make("Carol Dean", "2026-11-23T06:20", 15, RiskGrade::High);
    m.move(investigating, LifecycleState::Approved, "approve");
    m.move(investigating, LifecycleState::UnderInvestigation, "investigate");
    const std::string returned = m.make("Dora Eyre", "2026-11-23T06:30", 15, RiskGrade::High);
    m.move(returned, LifecycleState::Returned, "return");
    Incident draft;
    draft.owner = m.officer.userId;
    draft.date = "2026-11-23T06:40";
    draft.positiveAction.powerOfArrest = true;
    draft.positiveAction.arrestMade = false;
    REQUIRE(m.repo.createDraft(m.officer, draft).ok());
    const std::string closedSuspect = m.suspect("Erin Ford", "2026-10-01T12:00", false, "Suspect left before police arrived");
    m.move(closedSuspect, LifecycleState::Approved, "approve");
    m.move(closedSuspect, LifecycleState::Closed, "close");

    const RiskMeeting meeting = m.read();
    CHECK(ids(meeting.highRisk) == std::vector<std::string>{approved, investigating, returned});
    CHECK(meeting.highRisk[1].state == LifecycleState::UnderInvestigation);
    CHECK(meeting.suspects.empty());
    CHECK_FALSE(discussedAtMeeting(LifecycleState::Draft));
    CHECK_FALSE(discussedAtMeeting(LifecycleState::Closed));
}

TEST_CASE("A suspect is outstanding while a power of arrest existed and no arrest is recorded, longest first",
          "[core][desk][meeting]")
{
    Meeting m;
    const std::string recent = m.suspect("Alice Brown", "2026-11-22T22:00", false, "Suspect left before police arrived");
    const std::string arrested = m.suspect("Bea Cole", "2026-11-01T12:00", true);
    const std::string oldest = m.suspect("Carol Dean", "2026-08-14", std::nullopt);  // not answered yet: outstanding
    const std::string noPower = m.make("Dora Eyre", "2026-11-20T12:00", 2, RiskGrade::Standard, [](Incident& i) {
        i.positiveAction.powerOfArrest = false;
    });
    const std::string highAndOutstanding =
        m.make("Erin Ford", "2026-11-23T02:00", 16, RiskGrade::High, [](Incident& i) {
            i.positiveAction.powerOfArrest = true;
            i.positiveAction.arrestMade = false;
        });
    const std::string middle = m.suspect("Fay Gold", "2026-10-30T12:00", false, "   ");
    m.move(middle, LifecycleState::Approved, "approve");
    m.move(middle, LifecycleState::UnderInvestigation, "investigate");

    const RiskMeeting meeting = m.read();
    CHECK(ids(meeting.suspects) == std::vector<std::string>{oldest, middle, recent, highAndOutstanding});
    CHECK_FALSE(holds(meeting.suspects, arrested));
    CHECK_FALSE(holds(meeting.suspects, noPower));
    CHECK(ids(meeting.highRisk) == std::vector<std::string>{highAndOutstanding});  // on both lists

    const auto at = [&](const std::string& id) {
        return *std::find_if(meeting.suspects.begin(), meeting.suspects.end(), [&](const MeetingRow& r) { return r.id == id; });
    };
    CHECK(at(recent).noArrestJustification);
    CHECK(at(recent).arrestMade == false);
    CHECK(at(recent).suspects == 1);
    CHECK(at(recent).victims[0].initials == "AB");
    CHECK_FALSE(at(oldest).arrestMade);
    CHECK_FALSE(at(middle).noArrestJustification);  // blank is not a reason
    CHECK(at(middle).state == LifecycleState::UnderInvestigation);
    CHECK(at(oldest).atMs == 1'786'665'600'000);  // a typed day counts from its start: 2026-08-14T00:00Z
}

TEST_CASE("Typed times are the officer's local time, and a day without a time counts when any of it is in the window",
          "[core][desk][meeting]")
{
    Meeting m;
    // 09:30 typed in UTC+1 is 08:30 UTC, 24 h 30 min before the meeting.
    const std::string summerTime = m.make("Alice Brown", "2026-11-22T09:30", 15, RiskGrade::High);
    const std::string yesterday = m.make("Bea Cole", "2026-11-22", 15, RiskGrade::High);   // until midnight: in
    const std::string dayBefore = m.make("Carol Dean", "2026-11-21", 15, RiskGrade::High);  // out
    CHECK(holds(m.read().highRisk, summerTime));
    const RiskMeeting local = m.read(60);
    CHECK_FALSE(holds(local.highRisk, summerTime));
    CHECK(holds(local.highRisk, yesterday));
    CHECK_FALSE(holds(local.highRisk, dayBefore));
}

TEST_CASE("A High-risk 124D without a usable date is placed by when it was submitted, not missed",
          "[core][desk][meeting]")
{
    Meeting m;
    const std::string future = m.make("Alice Brown", "2027-11-23T08:00", 15, RiskGrade::High);  // a typing slip
    const std::string notADate = m.make("Bea Cole", "last Tuesday", 15, RiskGrade::High, [](Incident& i) {
        i.positiveAction.powerOfArrest = true;
        i.positiveAction.arrestMade = false;
    });
    const RiskMeeting meeting = m.read();
    CHECK(ids(meeting.highRisk) == std::vector<std::string>{future, notADate});  // submitted in that order
    for (const auto& r : meeting.highRisk)
        CHECK(r.timeFromRecord);
    REQUIRE(meeting.suspects.size() == 1);
    CHECK(meeting.suspects[0].timeFromRecord);  // outstanding since the 124D was started
    CHECK(meeting.suspects[0].atMs > 0);

    // Two days later both were submitted outside the window.
    CHECK(m.read(0, std::chrono::hours(48)).highRisk.empty());
}
