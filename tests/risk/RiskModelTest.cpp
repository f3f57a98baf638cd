#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "RiskTestSupport.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RiskScorer.h"

using namespace vigil;
using nlohmann::json;

namespace {

json shippedDashJson()
{
    std::ifstream in{std::string{VIGIL_RISK_MODEL_DIR} + "/dash-2009.json"};
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

Error refused(const json& model)
{
    auto r = parseRiskModel(model.dump(), "broken.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::MalformedModel);
    CHECK_THAT(r.error().message, Catch::Contains("broken.json"));
    return r.error();
}

}  // namespace

TEST_CASE("The shipped police DASH has 27 counting questions and the three default bands", "[risk][model]")
{
    const RiskModel* dash = test::shippedModels().find("dash-2009", "1.0");
    REQUIRE(dash != nullptr);
    CHECK(dash->questions.size() == 27);
    for (const Question& q : dash->questions)
        CHECK(q.countsTowardTotal);
    CHECK(dash->gradeFor(0) == RiskGrade::Standard);
    CHECK(dash->gradeFor(9) == RiskGrade::Standard);
    CHECK(dash->gradeFor(10) == RiskGrade::Medium);
    CHECK(dash->gradeFor(13) == RiskGrade::Medium);
    CHECK(dash->gradeFor(14) == RiskGrade::High);
    CHECK(dash->gradeFor(27) == RiskGrade::High);
    CHECK(dash->highRiskThreshold() == 14);
    CHECK_THAT(dash->licence, Catch::Contains("licensed wording"));
}

TEST_CASE("Q4 opens the HBV group and Q8 opens eleven unverified stalking questions", "[risk][model]")
{
    const RiskModel* dash = test::shippedModels().find("dash-2009", "1.0");
    REQUIRE(dash != nullptr);
    CHECK(dash->findQuestion("q4")->opensGroup == "hbv_forced_marriage");
    CHECK(dash->findQuestion("q8")->opensGroup == "stalking");
    const QuestionGroup* stalking = dash->findGroup("stalking");
    REQUIRE(stalking != nullptr);
    CHECK(stalking->questions.size() == 11);
    CHECK_FALSE(stalking->verified);
    CHECK_FALSE(dash->findGroup("hbv_forced_marriage")->verified);
    for (const Question& q : stalking->questions)
        CHECK_FALSE(q.countsTowardTotal);
    CHECK_FALSE(dash->findQuestion("q12")->verified);
    CHECK_FALSE(dash->findQuestion("q21")->optionsVerified);
    CHECK(dash->findQuestion("q27")->options.size() == 4);
    CHECK(dash->findQuestion("s11")->group == "stalking");
}

TEST_CASE("The partner RIC has 24 questions mapped to the police numbering", "[risk][model]")
{
    const RiskModel* ric = test::shippedModels().find("ric-safelives", "1.0");
    REQUIRE(ric != nullptr);
    REQUIRE(ric->questions.size() == 24);
    for (int n = 1; n <= 9; ++n)
        CHECK(ric->questions[static_cast<std::size_t>(n - 1)].policeId == "q" + std::to_string(n));
    for (int n = 10; n <= 24; ++n)
        CHECK(ric->questions[static_cast<std::size_t>(n - 1)].policeId == "q" + std::to_string(n + 3));
    CHECK(ric->highRiskThreshold() == 14);
}

TEST_CASE("A model with a duplicate question id is refused naming the file and the JSON path", "[risk][model]")
{
    json m = shippedDashJson();
    m["questions"][13]["id"] = "q13";
    const Error e = refused(m);
    CHECK(e.field == "/questions/13/id");
    CHECK_THAT(e.message, Catch::Contains("/questions/13/id") && Catch::Contains("duplicate question id"));
}

TEST_CASE("A model with an unknown SPECSS+ factor is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["questions"][5]["specss"] = json::array({"separation", "seperation"});
    const Error e = refused(m);
    CHECK(e.field == "/questions/5/specss/1");
    CHECK_THAT(e.message, Catch::Contains("unknown SPECSS+ factor \"seperation\""));
}

TEST_CASE("A model whose bands overlap is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["bands"][1]["min"] = 9;
    const Error e = refused(m);
    CHECK(e.field == "/bands/1/min");
    CHECK_THAT(e.message, Catch::Contains("overlap"));
}

TEST_CASE("A model whose bands leave a gap is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["bands"][2]["min"] = 15;
    const Error e = refused(m);
    CHECK(e.field == "/bands/2/min");
    CHECK_THAT(e.message, Catch::Contains("gap") && Catch::Contains("14 to 14"));
}

TEST_CASE("A model whose first band does not start at zero is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["bands"][0]["min"] = 1;
    CHECK(refused(m).field == "/bands/0/min");
}

TEST_CASE("A model whose top band stops below the number of questions is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["bands"][2]["max"] = 20;
    CHECK_THAT(refused(m).message, Catch::Contains("27 questions count"));
}

TEST_CASE("A model without a version is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m.erase("version");
    const Error e = refused(m);
    CHECK(e.field == "/version");
    CHECK_THAT(e.message, Catch::Contains("missing version"));
}

TEST_CASE("A model with a malformed version is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["version"] = "v2";
    CHECK(refused(m).field == "/version");
}

TEST_CASE("A model without a licence note is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m.erase("licence");
    CHECK(refused(m).field == "/licence");
}

TEST_CASE("A sub-question that counts toward the total is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["sub_question_groups"][1]["questions"][0]["counts_toward_total"] = true;
    const Error e = refused(m);
    CHECK(e.field == "/sub_question_groups/1/questions/0/counts_toward_total");
}

TEST_CASE("A question opening an unknown group is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["questions"][7]["opens"]["group"] = "stalkng";
    CHECK(refused(m).field == "/questions/7/opens/group");
}

TEST_CASE("A sub-question id clashing with a main question id is refused", "[risk][model]")
{
    json m = shippedDashJson();
    m["sub_question_groups"][0]["questions"][0]["id"] = "q1";
    CHECK_THAT(refused(m).message, Catch::Contains("duplicate question id \"q1\""));
}

TEST_CASE("A model that is not valid JSON is refused without throwing", "[risk][model]")
{
    auto r = parseRiskModel("{\"id\": \"dash-2009\",", "truncated.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::MalformedModel);
    CHECK_THAT(r.error().message, Catch::Contains("truncated.json") && Catch::Contains("not valid JSON"));
}

TEST_CASE("A model file that does not exist is reported as not found", "[risk][model]")
{
    auto r = loadRiskModelFile("/nonexistent/vigil/model.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::NotFound);
}

TEST_CASE("A newer model version never changes the grade of an existing assessment", "[risk][model]")
{
    RiskModelRegistry registry;
    auto v1 = parseRiskModel(shippedDashJson().dump(), "dash-2009.json");
    REQUIRE(v1.ok());
    REQUIRE(registry.add(std::move(*v1)).ok());

    // An assessment made under v1.0 with 12 Yes: Medium.
    DashAssessment made = test::dashWithYes(12);
    auto before = scoreAssessment(made, registry);
    REQUIRE(before.ok());
    CHECK(before->computed == RiskGrade::Medium);

    // v1.1 lowers the high threshold to 12 (a force's local change).
    json newer = shippedDashJson();
    newer["version"] = "1.1";
    newer["bands"][1]["max"] = 11;
    newer["bands"][2]["min"] = 12;
    auto v11 = parseRiskModel(newer.dump(), "dash-2009-1.1.json");
    REQUIRE(v11.ok());
    REQUIRE(registry.add(std::move(*v11)).ok());

    auto after = scoreAssessment(made, registry);
    REQUIRE(after.ok());
    CHECK(after->computed == RiskGrade::Medium);
    CHECK(after->modelVersion == "1.0");

    // New assessments start on the newest version, where 12 Yes is High.
    auto fresh = newAssessment(registry, "dash-2009");
    REQUIRE(fresh.ok());
    CHECK(fresh->modelVersion == "1.1");
    DashAssessment same = made;
    same.modelVersion = fresh->modelVersion;
    CHECK(scoreAssessment(same, registry)->computed == RiskGrade::High);
}

TEST_CASE("Scoring with a model other than the one the assessment was made with is refused", "[risk][model]")
{
    const RiskModel* ric = test::shippedModels().find("ric-safelives", "1.0");
    REQUIRE(ric != nullptr);
    auto r = scoreAssessment(test::dashWithYes(3), *ric);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("An assessment made with a model not installed cannot be graded", "[risk][model]")
{
    DashAssessment a = test::dashWithYes(3);
    a.modelVersion = "9.0";
    auto r = scoreAssessment(a, test::shippedModels());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::NotFound);
    CHECK_THAT(r.error().message, Catch::Contains("not installed"));
}

TEST_CASE("The same model version cannot be installed twice", "[risk][model]")
{
    RiskModelRegistry registry;
    REQUIRE(registry.add(*parseRiskModel(shippedDashJson().dump(), "a.json")).ok());
    const Status again = registry.add(*parseRiskModel(shippedDashJson().dump(), "b.json"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::AlreadyExists);
}

TEST_CASE("Versions compare numerically, not as text", "[risk][model]")
{
    CHECK(compareVersions("1.10", "1.9") > 0);
    CHECK(compareVersions("1.0", "1") == 0);
    CHECK(compareVersions("2.0", "10.0") < 0);
}
