// Runs every readable scenario in tests/data/scenarios/ through the rules: evaluation
// (grades, SPECSS+, repeat victim, MARAC criteria) and submission validation. The format is
// described in tests/data/scenarios/README.md.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "RiskTestSupport.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/SubmissionValidator.h"

using namespace vigil;
using nlohmann::json;

namespace {

std::filesystem::path scenarioDir()
{
    return std::filesystem::path{VIGIL_TEST_DATA_DIR} / "scenarios";
}

std::vector<std::filesystem::path> scenarioFiles()
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator{scenarioDir()})
        if (entry.path().extension() == ".json")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

json readJson(const std::filesystem::path& path)
{
    std::ifstream in{path};
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

/// Expands the scenario shorthand "all_other_questions": every main question of the
/// victim's model not listed in "answers" gets that answer.
void expandShorthand(json& incident)
{
    if (!incident.contains("victims"))
        return;
    for (json& victim : incident["victims"]) {
        if (!victim.contains("dash") || !victim["dash"].contains("all_other_questions"))
            continue;
        json& dash = victim["dash"];
        const RiskModel* model = test::shippedModels().find(dash.value("model", ""), dash.value("model_version", ""));
        REQUIRE(model != nullptr);
        for (const Question& q : model->questions)
            if (!dash["answers"].contains(q.id))
                dash["answers"][q.id] = dash["all_other_questions"];
        dash.erase("all_other_questions");
    }
}

std::vector<std::string> strings(const json& list)
{
    std::vector<std::string> out;
    for (const json& s : list)
        out.push_back(s.get<std::string>());
    return out;
}

void runScenario(const std::filesystem::path& file)
{
    json scenario = readJson(file);
    REQUIRE(scenario.contains("description"));
    REQUIRE(scenario.contains("expected"));
    INFO(scenario["description"].get<std::string>());

    json incidentJson = scenario["incident"];
    expandShorthand(incidentJson);
    auto incident = incidentFromJson(incidentJson);
    if (!incident.ok())
        FAIL(incident.error().message);
    auto history = historyFromJson(scenario.value("history", json{}));
    if (!history.ok())
        FAIL(history.error().message);

    RulesConfig rules = test::defaultRules();
    if (scenario.contains("rules")) {
        const json& r = scenario["rules"];
        rules.crimesRuleEnabled = r.value("crimes_rule_enabled", rules.crimesRuleEnabled);
        rules.crimesRuleCount = r.value("crimes_rule_crimes", rules.crimesRuleCount);
        rules.escalationCallOuts = r.value("escalation_call_outs", rules.escalationCallOuts);
    }
    const auto now = parseIsoDateTime(scenario.value("now", ""));
    REQUIRE(now.has_value());
    const RuleContext ctx{test::shippedModels(), rules, *history, *now};

    const json& expected = scenario["expected"];
    auto evaluation = evaluateIncident(*incident, ctx);
    if (!evaluation.ok())
        FAIL(evaluation.error().message);
    CHECK(evaluation->restricted == expected.value("restricted", false));

    const json& victims = expected["victims"];
    REQUIRE(victims.size() == evaluation->victims.size());
    for (std::size_t i = 0; i < victims.size(); ++i) {
        INFO("victim " << i);
        const json& want = victims[i];
        const VictimEvaluation& got = evaluation->victims[i];
        if (want.contains("yes_count"))
            CHECK(got.score.yesCount == want["yes_count"].get<int>());
        CHECK(toString(got.score.computed) == want["computed_grade"].get<std::string>());
        CHECK(toString(got.effective) == want.value("effective_grade", want["computed_grade"].get<std::string>()));
        CHECK(got.repeatVictim.repeat == want.value("repeat_victim", false));
        std::vector<std::string> criteria;
        for (const MaracCriterion& c : got.marac.criteria)
            criteria.emplace_back(toString(c.kind));
        CHECK(criteria == strings(want["marac_criteria"]));
        CHECK(got.marac.referralForced == want.value("referral_forced", false));
        if (want.contains("specss"))
            CHECK(got.specssFactors == strings(want["specss"]));
        if (want.contains("history_basis"))
            CHECK(got.repeatVictim.basis == want["history_basis"].get<std::string>());
    }

    const auto errors = validateSubmission(*incident, ctx);
    std::multiset<std::string> gotFields;
    for (const Error& e : errors) {
        gotFields.insert(e.field);
        CHECK_FALSE(e.message.empty());
    }
    const auto wantList = strings(expected["validation_errors"]);
    const std::multiset<std::string> wantFields(wantList.begin(), wantList.end());
    CHECK(gotFields == wantFields);
}

}  // namespace

TEST_CASE("Every scenario in tests/data/scenarios gives its expected grades, MARAC criteria and errors",
          "[risk][scenario]")
{
    for (const auto& file : scenarioFiles()) {
        DYNAMIC_SECTION(file.filename().string()) { runScenario(file); }
    }
}

TEST_CASE("The scenario runner finds at least 25 scenarios", "[risk][scenario]")
{
    // Guards against a runner that silently runs nothing (a moved folder, a wrong extension).
    CHECK(scenarioFiles().size() >= 25);
}
