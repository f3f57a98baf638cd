// Risk rules benchmark (issue 3). Prints figures; asserts nothing about time.
//   build/dev/tests/bench/risk/vigil_bench_risk                           full run
//   VIGIL_BENCH_SMOKE=1 build/dev/tests/bench/risk/vigil_bench_risk       a few iterations, for CI
// One "evaluation" = every rule for one incident with two victims against a history of 50
// incidents and 5 MARAC referrals: scoring, grades, SPECSS+, person matching, repeat victim,
// escalation, repeat MARAC, automatic flags, crimes rule, then full submission validation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/risk/Dates.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/SubmissionValidator.h"
#include "tests/bench/BenchSupport.h"

using namespace vigil;
using namespace vigil::bench;

namespace {

double us(Steady::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

std::chrono::sys_days day(const char* iso) { return *parseIsoDate(iso); }

Person person(std::string name, std::string dob, std::string house, std::string postcode)
{
    Person p;
    p.name = std::move(name);
    p.dateOfBirth = std::move(dob);
    p.address = Address{"", std::move(house), std::move(postcode)};
    return p;
}

Victim victim(const Person& p, int yes, RiskGrade grade)
{
    Victim v;
    v.person = p;
    v.safeContact = SafeContact{true, true, false, false, true, "", ""};
    v.dash.modelId = "dash-2009";
    v.dash.modelVersion = "1.0";
    for (int n = 1; n <= 27; ++n)
        v.dash.answers["q" + std::to_string(n)].value = n <= yes ? AnswerValue::Yes : AnswerValue::No;
    v.dash.answers["s1"].value = AnswerValue::Yes;
    v.officerGrade.grade = grade;
    v.marac.decision = MaracDecisionKind::Refer;
    v.rara.push_back(RaraItem{RaraKind::Reduce, "Personal alarm", "PC 123", "2010-03-19", {}});
    return v;
}

History history50(const Person& mary, const Person& bridget)
{
    History h;
    h.source.lastSynced = *parseIsoDateTime("2010-03-12T14:32:00Z");
    const auto start = day("2008-09-01");
    for (int i = 0; i < 50; ++i) {
        HistoryIncident inc;
        inc.id = "H" + std::to_string(i);
        inc.date = start + std::chrono::days{i * 11};
        inc.crime = i % 3 == 0;
        // A handful are this victim's (some typed differently); the rest are neighbours'.
        if (i % 10 == 0)
            inc.victims.push_back(person("mary ann oneil", "1980-04-02", "14", "e8 1ab"));
        else if (i % 17 == 0)
            inc.victims.push_back(bridget);
        else
            inc.victims.push_back(person("Resident Number " + std::to_string(i), "1970-01-01", std::to_string(i), "E8 2CD"));
        inc.victims.push_back(person("Other Party " + std::to_string(i), "", "", ""));
        h.incidents.push_back(std::move(inc));
    }
    for (int i = 0; i < 5; ++i)
        h.maracReferrals.push_back(
            {"M" + std::to_string(i), start + std::chrono::days{i * 90}, i == 4 ? mary : person("X " + std::to_string(i), "1990-01-01", "", "")});
    return h;
}

}  // namespace

int main()
{
    const int iterations = smoke() ? 20 : 20000;

    const auto loadStart = Steady::now();
    const RiskModelRegistry models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
    RulesConfig rules = must(loadRulesConfigFile(std::string{VIGIL_RISK_MODEL_DIR} + "/rules-default.json"));
    const double loadUs = us(Steady::now() - loadStart);
    rules.crimesRuleEnabled = true;  // measure every rule, the optional one included

    const Person mary = person("Mary-Ann O'Neil", "1980-04-02", "14", "E8 1AB");
    const Person bridget = person("Bridget O'Neil", "1955-07-19", "14", "E8 1AB");
    const History history = history50(mary, bridget);

    Incident incident;
    incident.id = "INC-BENCH";
    incident.date = "2010-03-12T21:40";
    incident.crime = true;
    incident.refs = References{"4821/12MAR10", "4205123/10", "", "10MAB012345"};
    incident.positiveAction = PositiveAction{true, true, ""};
    incident.children.push_back(Child{"Ella", 4, true, true, {}});
    incident.flags.hbv = true;
    incident.victims.push_back(victim(mary, 15, RiskGrade::High));
    incident.victims.push_back(victim(bridget, 4, RiskGrade::Standard));

    const RuleContext ctx{models, rules, history, *parseIsoDateTime("2010-03-13T01:15:00Z")};

    // Warm up and check the workload is what it claims to be.
    const IncidentEvaluation check = must(evaluateIncident(incident, ctx));
    const auto errors = validateSubmission(incident, ctx);
    std::printf("workload: 2 victims, %zu history incidents, %zu MARAC referrals; victim 1: %zu MARAC criteria, "
                "repeat victim %s; %zu validation errors\n",
                history.incidents.size(), history.maracReferrals.size(), check.victims[0].marac.criteria.size(),
                check.victims[0].repeatVictim.repeat ? "yes" : "no", errors.size());

    std::vector<double> evalTimes;
    std::vector<double> fullTimes;
    evalTimes.reserve(static_cast<std::size_t>(iterations));
    fullTimes.reserve(static_cast<std::size_t>(iterations));
    std::size_t sink = 0;
    for (int i = 0; i < iterations; ++i) {
        auto t0 = Steady::now();
        const auto e = evaluateIncident(incident, ctx);
        auto t1 = Steady::now();
        sink += e.ok() ? e->victims.size() : 0;
        evalTimes.push_back(us(t1 - t0));

        t0 = Steady::now();
        const auto ev = evaluateIncident(incident, ctx);
        const auto v = validateSubmission(incident, ctx);
        t1 = Steady::now();
        sink += v.size() + (ev.ok() ? 1U : 0U);
        fullTimes.push_back(us(t1 - t0));
    }
    const Stats eval = stats(evalTimes);
    const Stats full = stats(fullTimes);
    std::printf("load models + rules: %.0f us (once per start)\n", loadUs);
    std::printf("evaluate (all rules, 2 victims, 50-incident history): median %.1f us, p99 %.1f us, max %.1f us (%d runs)\n",
                eval.median, eval.p99, eval.max, iterations);
    std::printf("evaluate + submission validation:                    median %.1f us, p99 %.1f us, max %.1f us (%d runs)\n",
                full.median, full.p99, full.max, iterations);
    std::printf("target: under 1000 us per evaluation%s\n", smoke() ? " (smoke run: figures not meaningful)" : "");
    return sink == 0 ? 1 : 0;
}
