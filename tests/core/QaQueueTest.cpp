// The supervisor's QA queue read from a real store (issue 23): only submitted 124Ds, High first
// then the longest waiting, with the facts a sergeant weighs and no victim's name.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/demo/DemoData.h"
#include "core/records/Hlc.h"
#include "core/records/IncidentRepository.h"
#include "core/records/QaQueue.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RulesConfig.h"
#include "tests/support/Check.h"
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
        auto rows = readQaQueue(repo, models, rules, HistorySource{},
                                std::chrono::floor<std::chrono::seconds>(time.now));
        REQUIRE(rows.ok());
        return *rows;
    }
};

/// Every column of a row, for comparing two queues.
std::string describe(const QaRow& r)
{
    const auto grade = [](std::optional<RiskGrade> g) { return g ? std::string(toString(*g)) : std::string("-"); };
    std::string initials;
    for (const auto& i : r.initials)
        initials += i + ",";
    return r.id + " " + r.officer + " " + r.team + " " + r.occurred + " [" + initials + "] " + grade(r.computed) + " "
           + grade(r.officerGrade) + " " + std::string(toString(r.standing)) + " marac " + std::to_string(r.maracCriteria)
           + " children " + std::to_string(r.children) + (r.hbv ? " hbv" : "") + (r.forcedMarriage ? " fm" : "")
           + (r.restricted ? " restricted" : "") + " " + r.cad + " " + r.cris + " at " + std::to_string(r.submittedAtMs);
}

/// The queue as it was read before it read all the submitted 124Ds at once: the list of them,
/// then each one read whole, its history and rules, and its row read again for the state's stamp.
std::vector<std::string> referenceQueue(IncidentRepository& repo, RecordStore& store, const RiskModelRegistry& models,
                                        const RulesConfig& rules, std::chrono::sys_seconds now)
{
    const auto counts = repo.countsByState().value();
    const auto submitted = counts.count(LifecycleState::Submitted) ? counts.at(LifecycleState::Submitted) : 0;
    std::vector<QaRow> rows;
    if (submitted > 0) {
        for (const auto& summary :
             repo.list(static_cast<std::size_t>(submitted), nullptr, ListScope{{LifecycleState::Submitted}, 0}).value()) {
            const Incident incident = repo.read(summary.id).value();
            QaRow row;
            row.id = incident.id;
            row.officer = incident.owner;
            row.team = incident.team;
            row.occurred = incident.date;
            row.children = static_cast<int>(incident.children.size());
            row.hbv = incident.flags.hbv;
            row.forcedMarriage = incident.flags.forcedMarriage;
            row.restricted = incident.restricted();
            row.cad = incident.refs.cad;
            row.cris = incident.refs.cris;
            row.initials = summary.victimInitials;
            const History history = repo.historyForIncident(incident, HistorySource{}).value();
            const RuleContext context{models, rules, history, now};
            for (std::size_t v = 0; v < incident.victims.size(); ++v) {
                const Victim& victim = incident.victims[v];
                if (victim.officerGrade.grade && (!row.officerGrade || *victim.officerGrade.grade > *row.officerGrade))
                    row.officerGrade = victim.officerGrade.grade;
                auto ev = evaluateVictim(incident, v, context);
                if (!ev)
                    continue;
                if (!victim.dash.answers.empty() && (!row.computed || ev->score.computed > *row.computed))
                    row.computed = ev->score.computed;
                row.maracCriteria += static_cast<int>(ev->marac.criteria.size());
            }
            row.standing = std::max(row.computed.value_or(RiskGrade::Standard), row.officerGrade.value_or(RiskGrade::Standard));
            const auto stored = store.get(Entity::Incident, incident.id).value();
            if (const auto stamp = stored->stamps.find("state"); stamp != stored->stamps.end())
                row.submittedAtMs = static_cast<std::int64_t>(hlcMillis(stamp->second.hlc));
            rows.push_back(std::move(row));
        }
    }
    std::sort(rows.begin(), rows.end(), qaBefore);
    std::vector<std::string> out;
    for (const auto& r : rows)
        out.push_back(describe(r));
    return out;
}

}  // namespace

TEST_CASE("The QA queue read all at once shows what reading each submitted 124D showed", "[core][desk][history]")
{
    Queue q;
    DemoOptions options;
    options.incidents = 200;
    options.seed = 77;
    options.spanDays = 20;  // most within the fortnight in which 124Ds wait for review
    options.repeatShare = 0.4;
    options.ownerTransitionsOnly = false;
    REQUIRE_OK(generateDemoData(q.repo, *q.records, q.models, q.rules, options, Actor{"officer-demo", "demo"}));
    // Two victims, children, a restriction and a returned-then-resubmitted record beside them.
    const std::string two = q.make("Zara Khan", 16, RiskGrade::High, true, [](Incident& i) {
        Victim second;
        second.person.name = "Niamh O'Connor-Reid";
        second.person.dateOfBirth = "1990-01-01";
        second.officerGrade.grade = RiskGrade::Medium;
        i.victims.push_back(second);
        i.flags.forcedMarriage = true;
        i.refs.cris = "4012345/26";
    });
    REQUIRE_OK(q.repo.transition(Actor{"ds.1907"}, two, LifecycleState::Returned, "return", "Add the CRIS."));
    REQUIRE_OK(q.repo.transition(q.officer, two, LifecycleState::Submitted, "resubmit", ""));
    q.make("Ivy Jones", 10, RiskGrade::Medium, true, [](Incident& i) { i.flags.policeStaffInvolved = true; });

    const auto now = std::chrono::floor<std::chrono::seconds>(q.time.now);
    const auto expected = referenceQueue(q.repo, *q.records, q.models, q.rules, now);
    REQUIRE(expected.size() > 40);
    const auto queue = q.read();
    std::vector<std::string> rows;
    for (const auto& r : queue)
        rows.push_back(describe(r));
    CHECK(rows == expected);
    CHECK(std::any_of(queue.begin(), queue.end(), [](const QaRow& r) { return r.maracCriteria > 0; }));
    CHECK(std::any_of(queue.begin(), queue.end(), [](const QaRow& r) { return r.initials.size() == 2; }));
}

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
