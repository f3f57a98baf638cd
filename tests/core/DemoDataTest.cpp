#include <catch2/catch.hpp>

#include "core/demo/DemoData.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/RulesConfig.h"
#include "core/risk/SubmissionValidator.h"
#include "tests/support/Check.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;

namespace {

struct Demo : RecordsFixture {
    RiskModelRegistry models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    RulesConfig rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    IncidentRepository repo{*records};
    DemoSummary summary;

    explicit Demo(int incidents, std::uint64_t seed = 2026)
    {
        DemoOptions options;
        options.incidents = incidents;
        options.seed = seed;
        options.ownerTransitionsOnly = false;
        auto s = generateDemoData(repo, *records, models, rules, options, Actor{"officer-demo", "demo"});
        REQUIRE_OK(s);
        summary = *s;
    }
};

}  // namespace

TEST_CASE("Demo data has a realistic spread of grades, repeat victims and lifecycle states", "[demo]")
{
    Demo d(120);
    CHECK(d.summary.incidents == 120);
    CHECK(d.repo.list(1000).value().size() == 120);
    CHECK(d.summary.grades[RiskGrade::Standard] > 30);
    CHECK(d.summary.grades[RiskGrade::Medium] > 15);
    CHECK(d.summary.grades[RiskGrade::High] > 10);
    CHECK(d.summary.repeatIncidents > 15);
    CHECK(d.summary.victims + d.summary.repeatIncidents == 120);
    CHECK(d.summary.states.size() >= 4);
}

TEST_CASE("Repeat victims in demo data are found by the device's history", "[demo][history]")
{
    Demo d(80);
    std::size_t withHistory = 0;
    for (const auto& s : d.repo.list(1000).value()) {
        const Incident inc = d.repo.load(d.officer, s.id).value();
        if (!d.repo.historyFor(inc, 0, HistorySource{}).value().incidents.empty())
            ++withHistory;
    }
    // Every incident of a victim seen more than once has at least one other in its history.
    CHECK(withHistory >= static_cast<std::size_t>(d.summary.repeatIncidents));
}

TEST_CASE("Submitted demo incidents pass the core's own submission rules", "[demo]")
{
    Demo d(60);
    std::size_t checked = 0;
    for (const auto& s : d.repo.list(1000).value()) {
        if (s.state == LifecycleState::Draft)
            continue;
        const Incident inc = d.repo.load(d.officer, s.id).value();
        const History history = d.repo.historyFor(inc, 0, HistorySource{}).value();
        const RuleContext context{d.models, d.rules, history,
                                  std::chrono::time_point_cast<std::chrono::seconds>(d.time.now)};
        const auto errors = validateSubmission(inc, context);
        for (const auto& e : errors)
            UNSCOPED_INFO(s.id << ": " << e.field << ": " << e.message);
        CHECK(errors.empty());
        ++checked;
    }
    CHECK(checked > 30);
}

TEST_CASE("Demo data is the same for the same seed", "[demo]")
{
    Demo a(20, 7);
    Demo b(20, 7);
    const auto names = [](Demo& d) {
        std::vector<std::string> out;
        for (const auto& s : d.repo.list(1000).value())
            out.push_back(d.repo.load(d.officer, s.id).value().victims[0].person.name);
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(names(a) == names(b));
    CHECK(a.summary.grades == b.summary.grades);
}

TEST_CASE("By default demo data holds only the moves its officer may make: drafts and submitted records", "[demo]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    DemoOptions options;
    options.incidents = 40;
    auto summary = generateDemoData(repo, *f.records, models, rules, options, Actor{"officer-demo", "demo"});
    REQUIRE_OK(summary);
    for (const auto& [state, count] : summary->states)
        CHECK((state == LifecycleState::Draft || state == LifecycleState::Submitted));
    CHECK(summary->states[LifecycleState::Submitted] > 10);
}

TEST_CASE("Demo victims and suspects carry only answers from the diversity lists", "[demo]")
{
    Demo d(60);
    const DiversityCategories lists =
        DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json").value();
    int answered = 0;
    const auto check = [&](const Person& p) {
        const std::pair<const char*, const std::string*> fields[] = {
            {"age_band", &p.diversity.ageBand},    {"gender", &p.diversity.gender},
            {"ethnicity", &p.diversity.ethnicity}, {"disability", &p.diversity.disability},
            {"religion", &p.diversity.religion},   {"sexual_orientation", &p.diversity.sexualOrientation}};
        for (const auto& [key, value] : fields) {
            INFO(key << " = " << *value);
            CHECK((value->empty() || lists.isAnswer(key, *value)));
            answered += value->empty() ? 0 : 1;
        }
    };
    for (const auto& s : d.repo.list(1000).value()) {
        const Incident inc = d.repo.load(d.officer, s.id).value();
        for (const Victim& v : inc.victims)
            check(v.person);
        for (const Suspect& sp : inc.suspects)
            check(sp.person);
    }
    CHECK(answered > 300);  // the lists are used, not left empty
}
