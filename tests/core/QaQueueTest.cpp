// The supervisor's QA queue read from a real store (issue 23): only submitted 124Ds, High first
// then the longest waiting, with the facts a sergeant weighs and no victim's name.
#include <catch2/catch.hpp>

#include "core/records/IncidentRepository.h"
#include "core/records/QaQueue.h"
#include "core/risk/RulesConfig.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;

namespace {

struct Queue : test::RecordsFixture {
    RiskModelRegistry models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    RulesConfig rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    IncidentRepository repo{*records};

    /// A 124D with one victim: `yes` Yes answers of 27 (none: unanswered), the officer's grade.
    std::string make(const std::string& name, int yes, std::optional<RiskGrade> officerGrade, bool submit,
                     const std::function<void(Incident&)>& edit = {})
    {
        Incident draft;
        draft.owner = officer.userId;
        draft.team = "north";
        draft.date = "2026-11-20T21:40";
        draft.refs.cad = "1234/20NOV26-" + name;
        auto made = repo.createDraft(officer, draft);
        REQUIRE(made.ok());
        Incident incident = *made;
        Victim v;
        v.person.name = name;
        v.dash.modelId = "dash-2009";
        v.dash.modelVersion = "1.0";
        for (int i = 1; yes >= 0 && i <= 27; ++i) {
            Answer a;
            a.value = i <= yes ? AnswerValue::Yes : AnswerValue::No;
            v.dash.answers["q" + std::to_string(i)] = a;
        }
        v.officerGrade.grade = officerGrade;
        incident.victims.push_back(v);
        if (edit)
            edit(incident);
        REQUIRE(repo.save(officer, incident).ok());
        if (submit)
            REQUIRE(repo.transition(officer, incident.id, LifecycleState::Submitted, "submit", "").ok());
        time.advance(std::chrono::minutes(10));
        return incident.id;
    }

    std::vector<QaRow> read()
    {
        auto rows = readQaQueue(repo, *records, models, rules, HistorySource{},
                                std::chrono::floor<std::chrono::seconds>(time.now));
        REQUIRE(rows.ok());
        return *rows;
    }
};

}  // namespace

TEST_CASE("The QA queue holds the submitted 124Ds, High first, then the longest waiting", "[core][desk]")
{
    Queue q;
    const std::string oldStandard = q.make("Alice Brown", 2, RiskGrade::Standard, true);
    const std::string draft = q.make("Carol Dean", 20, RiskGrade::High, false);
    const std::string newHigh = q.make("Erin Ford", 15, RiskGrade::High, true, [](Incident& i) {
        i.flags.hbv = true;
        Child c;
        c.name = "Invented Child";
        i.children.push_back(c);
    });
    const std::string raised = q.make("Gail Hunt", 3, RiskGrade::High, true);  // the officer raised it
    const std::string newMedium = q.make("Ivy Jones", 10, RiskGrade::Medium, true, [](Incident& i) {
        i.flags.policeStaffInvolved = true;
    });

    const auto rows = q.read();
    REQUIRE(rows.size() == 4);  // the draft is not for review
    CHECK(rows[0].id == newHigh);   // High, submitted before the raised one
    CHECK(rows[1].id == raised);    // High by the officer's grade, band Standard
    CHECK(rows[2].id == newMedium);
    CHECK(rows[3].id == oldStandard);
    for (const auto& r : rows)
        CHECK(r.id != draft);

    const QaRow& high = rows[0];
    CHECK(high.officer == q.officer.userId);
    CHECK(high.team == "north");
    CHECK(high.initials == std::vector<std::string>{"EF"});
    CHECK(high.computed == RiskGrade::High);
    CHECK(high.officerGrade == RiskGrade::High);
    CHECK(high.maracCriteria >= 1);  // visible high risk
    CHECK(high.children == 1);
    CHECK(high.hbv);
    CHECK_FALSE(high.restricted);
    CHECK(high.cad == "1234/20NOV26-Erin Ford");
    CHECK(high.submittedAtMs > 0);
    CHECK(rows[1].computed == RiskGrade::Standard);
    CHECK(rows[1].standing == RiskGrade::High);
    CHECK(rows[2].restricted);
    CHECK(rows[0].submittedAtMs < rows[1].submittedAtMs);
}

TEST_CASE("A 124D leaves the QA queue when it is approved or returned", "[core][desk]")
{
    Queue q;
    const std::string a = q.make("Alice Brown", 2, RiskGrade::Standard, true);
    const std::string b = q.make("Bea Cole", 2, RiskGrade::Standard, true);
    REQUIRE(q.read().size() == 2);
    REQUIRE(q.repo.transition(Actor{"ds.1907"}, a, LifecycleState::Approved, "approve", "").ok());
    REQUIRE(q.repo.transition(Actor{"ds.1907"}, b, LifecycleState::Returned, "return", "Check the date.").ok());
    CHECK(q.read().empty());
}
