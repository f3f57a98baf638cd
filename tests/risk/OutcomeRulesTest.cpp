// The crime's outcome (issue 25, "the record first"): the shipped list of outcomes and court
// results (core/risk-models/rules-outcomes.json), its parser that refuses a bad file naming where,
// the rules for recording an outcome, and closing a crime only with its outcome recorded.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "RiskTestSupport.h"
#include "core/risk/Dates.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/OutcomeList.h"
#include "core/risk/OutcomeRules.h"

using namespace vigil;
using nlohmann::json;

namespace {

json shippedJson()
{
    std::ifstream in(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-outcomes.json");
    REQUIRE(in.good());
    return json::parse(in);
}

const OutcomeList& shipped()
{
    static const OutcomeList list = [] {
        auto loaded = OutcomeList::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-outcomes.json");
        INFO((loaded ? std::string() : loaded.error().message));
        REQUIRE(loaded.ok());
        return std::move(loaded).value();
    }();
    return list;
}

std::string refusalOf(const json& file)
{
    auto parsed = OutcomeList::parse(file.dump(), "rules-outcomes.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::MalformedModel);
    return parsed.error().message;
}

constexpr auto kToday = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7};

Incident crime()
{
    Incident inc = test::completeIncident();
    inc.crime = true;
    inc.state = LifecycleState::UnderInvestigation;
    return inc;
}

}  // namespace

TEST_CASE("The shipped outcome list holds every board category, each answer counted under one", "[risk][outcome]")
{
    const OutcomeList& list = shipped();
    CHECK(list.id() == "rules-outcomes");
    CHECK(list.version() == "1.0");
    std::set<OutcomeCategory> categories;
    for (const auto& o : list.results())
        categories.insert(o.countsAs);
    CHECK(categories.size() == 6);  // charged, unsupported prosecution, cautioned, other sanction, NFA, victim withdrew
    CHECK(list.resultCategory("cautioned") == OutcomeCategory::Cautioned);
    CHECK(list.resultCategory("victim_withdrew") == OutcomeCategory::VictimWithdrew);
    CHECK_FALSE(list.resultCategory("sent_to_coventry").has_value());
    CHECK(list.courtCategory("convicted") == CourtCategory::Convicted);
    CHECK(list.resultLabel("charged") == "Charged (or summonsed)");
    CHECK(list.resultLabel("an_old_code") == "an_old_code");  // shown as recorded, never lost
    CHECK(isSanctionDetection(OutcomeCategory::UnsupportedProsecution));
    CHECK_FALSE(isSanctionDetection(OutcomeCategory::VictimWithdrew));
    CHECK(isCharge(OutcomeCategory::UnsupportedProsecution));
    CHECK_FALSE(isCharge(OutcomeCategory::Cautioned));
}

TEST_CASE("A bad outcome list is refused, naming the file, where in it, and what to do", "[risk][outcome]")
{
    {
        json f = shippedJson();
        f["results"][2]["counts_as"] = "let_off";
        const std::string why = refusalOf(f);
        CHECK_THAT(why, Catch::Contains("rules-outcomes.json") && Catch::Contains("results[2].counts_as")
                            && Catch::Contains("one of: charged, unsupported_prosecution") && Catch::Contains("Reinstall Vigil"));
    }
    {
        json f = shippedJson();
        f["results"][1]["code"] = "charged";
        CHECK_THAT(refusalOf(f), Catch::Contains("results[1]") && Catch::Contains("repeats the code \"charged\""));
    }
    {
        json f = shippedJson();
        f["court_results"][0].erase("label");
        CHECK_THAT(refusalOf(f), Catch::Contains("court_results[0]") && Catch::Contains("non-empty code and label"));
    }
    {
        json f = shippedJson();
        f["court_results"] = json::array();
        CHECK_THAT(refusalOf(f), Catch::Contains("court_results: must be a non-empty list"));
    }
    {
        json f = shippedJson();
        f["format"] = 2;
        CHECK_THAT(refusalOf(f), Catch::Contains("format"));
    }
    auto broken = OutcomeList::parse("{\"format\": 1, \"id\": ", "rules-outcomes.json");
    REQUIRE_FALSE(broken.ok());
    CHECK_THAT(broken.error().message, Catch::Contains("rules-outcomes.json"));
    auto missing = OutcomeList::loadFile("/nonexistent/rules-outcomes.json");
    CHECK_FALSE(missing.ok());
}

TEST_CASE("An outcome is recorded from the list, with its date, on a crime only", "[risk][outcome]")
{
    Incident inc = crime();
    CrimeOutcome o;
    o.result = "cautioned";
    o.decidedOn = "2026-11-30";
    CHECK(validateOutcome(inc, o, shipped(), kToday).empty());

    o.decidedOn = "";
    auto errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.decided_on");
    CHECK_THAT(errors[0].message, Catch::Contains("Enter the date the outcome was decided"));
    o.decidedOn = "2026-12-08";
    errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Catch::Contains("after today"));
    o.decidedOn = "2026-11-30";

    o.result = "let_off";
    errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.result");
    CHECK_THAT(errors[0].message, Catch::Contains("choose the outcome from the list"));

    // No further action says why.
    o.result = "no_further_action";
    errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.note");
    o.note = "Insufficient evidence: no independent witness.";
    CHECK(validateOutcome(inc, o, shipped(), kToday).empty());

    // A non-crime has no crime outcome.
    inc.crime = false;
    errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Catch::Contains("not recorded as a crime"));
}

TEST_CASE("A court result follows a charge, and an arrest made later has its date", "[risk][outcome]")
{
    Incident inc = crime();
    CrimeOutcome o;
    o.result = "cautioned";
    o.decidedOn = "2026-10-01";
    o.courtResult = "convicted";
    o.courtOn = "2026-11-20";
    auto errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.court_result");
    CHECK_THAT(errors[0].message, Catch::Contains("record the outcome as charged first"));
    o.result = "unsupported_prosecution";
    CHECK(validateOutcome(inc, o, shipped(), kToday).empty());
    o.courtOn = "20/11/2026";
    errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.court_on");
    CHECK_THAT(errors[0].message, Catch::Contains("is not a date"));
    o.courtOn = "2026-11-20";

    o.arrestedLater = true;
    errors = validateOutcome(inc, o, shipped(), kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.arrested_on");
    o.arrestedOn = "2026-09-02";
    CHECK(validateOutcome(inc, o, shipped(), kToday).empty());
    // Nothing recorded yet (an open investigation) is no problem; a homicide flag alone neither.
    CrimeOutcome open;
    open.daHomicide = true;
    CHECK(validateOutcome(inc, open, shipped(), kToday).empty());
    open.note = std::string(kOutcomeNoteMaxLength + 1, 'x');
    CHECK(validateOutcome(inc, open, shipped(), kToday).size() == 1);
}

TEST_CASE("Closing a crime needs its outcome, and the refusal says what to do", "[risk][outcome][lifecycle]")
{
    const History history = test::deviceHistory();
    const RuleContext ctx{test::shippedModels(), test::defaultRules(), history, test::testNow()};
    Incident inc = crime();
    auto errors = applyTransition(inc, {LifecycleState::Closed, Role::Supervisor, "Final review: standard."}, ctx);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "outcome.result");
    CHECK_THAT(errors[0].message, Catch::StartsWith("Record the crime's outcome before closing"));
    CHECK(inc.state == LifecycleState::UnderInvestigation);
    CHECK(validateClosure(inc).size() == 1);

    inc.outcome.result = "victim_withdrew";
    inc.outcome.decidedOn = "2026-11-02";
    CHECK(applyTransition(inc, {LifecycleState::Closed, Role::Supervisor, "Final review: standard."}, ctx).empty());
    CHECK(inc.state == LifecycleState::Closed);

    // A non-crime domestic incident closes without one.
    Incident incident = crime();
    incident.crime = false;
    CHECK(validateClosure(incident).empty());
}
