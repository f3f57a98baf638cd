#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "RiskTestSupport.h"
#include "core/domain/Incident.h"

using namespace vigil;
using nlohmann::json;

TEST_CASE("An incident survives a JSON round trip unchanged", "[risk][json]")
{
    Incident inc = test::completeIncident();
    inc.state = LifecycleState::Returned;
    inc.children.push_back(Child{"Ella", 4, true, true, {}});
    inc.flags.policeStaffInvolved = true;
    inc.counterAllegation = CounterAllegation{true, "Suspect taller, injuries to victim defensive"};
    inc.victims[0].dash.answers["q5"] = Answer{AnswerValue::NotAsked, "", "", "declined", {}};
    inc.victims[0].dash.answers["q27"] = Answer{AnswerValue::Yes, "PNC shows DV 2008", "PNC", "", {"dv"}};
    inc.victims[0].officerGrade = GradeDecision{RiskGrade::Medium, "judgement", "pc1"};
    inc.victims[0].supervisorGrade = GradeDecision{RiskGrade::High, "research", "ds1"};
    inc.victims[0].marac.decision = MaracDecisionKind::Refer;
    inc.victims[0].marac.professionalJudgement = true;
    inc.victims[0].marac.professionalJudgementReason = "judgement";
    inc.victims[0].marac.supervisorDecision = MaracDecisionKind::NotRefer;
    inc.victims[0].marac.supervisorReason = "heard at last week's MARAC";
    inc.victims[0].marac.supervisorBy = "ds1";
    inc.flags.seriousSexualOffence = true;
    inc.victims[0].rara.push_back(RaraItem{RaraKind::Remove, "Arrest suspect", "PC 123", "2010-03-12", {}});
    inc.victims[0].consent.lawfulBasis = "vital interests";

    const json j = incidentToJson(inc);
    auto back = incidentFromJson(json::parse(j.dump()));
    REQUIRE(back.ok());
    CHECK(*back == inc);
    CHECK(back->restricted());
}

TEST_CASE("Answers may be written as a bare word or as an object", "[risk][json]")
{
    const json j = json::parse(R"({"victims": [{"dash": {"model": "dash-2009", "model_version": "1.0",
        "answers": {"q1": "yes", "q2": {"answer": "dont_know", "note": "unsure"}}}}]})");
    auto inc = incidentFromJson(j);
    REQUIRE(inc.ok());
    CHECK(inc->victims[0].dash.answers.at("q1").value == AnswerValue::Yes);
    CHECK(inc->victims[0].dash.answers.at("q2").value == AnswerValue::DontKnow);
    CHECK(inc->victims[0].dash.answers.at("q2").note == "unsure");
}

TEST_CASE("A wrongly typed field is an error naming its field path, not an exception", "[risk][json]")
{
    auto r = incidentFromJson(json::parse(R"({"victims": [{}, {"dash": {"answers": {"q14": "maybe"}}}]})"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "victims[1].dash.q14");
    CHECK_THAT(r.error().message, Catch::Contains("maybe"));

    auto age = incidentFromJson(json::parse(R"({"children": [{"age": "four"}]})"));
    REQUIRE_FALSE(age.ok());
    CHECK(age.error().field == "children[0].age");

    auto notObject = incidentFromJson(json::parse("[1, 2]"));
    CHECK_FALSE(notObject.ok());
}

TEST_CASE("An empty object is a valid empty draft", "[risk][json]")
{
    auto r = incidentFromJson(json::object());
    REQUIRE(r.ok());
    CHECK(r->state == LifecycleState::Draft);
    CHECK(r->victims.empty());
}
