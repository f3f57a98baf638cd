#include <catch2/catch.hpp>

#include "RiskTestSupport.h"
#include "core/risk/RiskScorer.h"

using namespace vigil;

namespace {

DashScore score(const DashAssessment& a)
{
    auto r = scoreAssessment(a, test::shippedModels());
    REQUIRE(r.ok());
    return *r;
}

const std::string kPrefix = "victims[0].grade";

}  // namespace

TEST_CASE("Fourteen Yes answers grade High and thirteen grade Medium", "[risk][grade]")
{
    CHECK(score(test::dashWithYes(14)).computed == RiskGrade::High);
    CHECK(score(test::dashWithYes(14)).yesCount == 14);
    CHECK(score(test::dashWithYes(13)).computed == RiskGrade::Medium);
}

TEST_CASE("Ten Yes answers grade Medium and nine grade Standard", "[risk][grade]")
{
    CHECK(score(test::dashWithYes(10)).computed == RiskGrade::Medium);
    CHECK(score(test::dashWithYes(9)).computed == RiskGrade::Standard);
    CHECK(score(test::dashWithYes(0)).computed == RiskGrade::Standard);
}

TEST_CASE("Don't know and Not asked never count as Yes", "[risk][grade]")
{
    DashAssessment a = test::dashWithYes(14);
    a.answers["q1"].value = AnswerValue::DontKnow;
    a.answers["q2"].value = AnswerValue::NotAsked;
    a.answers["q2"].reason = "victim declined";
    const DashScore s = score(a);
    CHECK(s.yesCount == 12);
    CHECK(s.dontKnowCount == 1);
    CHECK(s.notAskedCount == 1);
    CHECK(s.computed == RiskGrade::Medium);
}

TEST_CASE("Unanswered questions are counted but do not raise the grade", "[risk][grade]")
{
    DashAssessment a = test::dashWithYes(5);
    a.answers.erase("q20");
    a.answers.erase("q21");
    const DashScore s = score(a);
    CHECK(s.unansweredCount == 2);
    CHECK(s.yesCount == 5);
}

TEST_CASE("Sub-question answers never count toward the Yes total", "[risk][grade]")
{
    DashAssessment a = test::dashWithYes(13);  // q1..q13 Yes, so q4 and q8 open their groups
    for (int n = 1; n <= 11; ++n)
        a.answers["s" + std::to_string(n)].value = AnswerValue::Yes;
    for (int n = 1; n <= 5; ++n)
        a.answers["hbv" + std::to_string(n)].value = AnswerValue::Yes;
    const DashScore s = score(a);
    CHECK(s.yesCount == 13);
    CHECK(s.computed == RiskGrade::Medium);
    CHECK(s.openGroups == std::vector<std::string>{"hbv_forced_marriage", "stalking"});
}

TEST_CASE("The SPECSS+ factors raised are those of the Yes answers, in the model's order", "[risk][grade][specss]")
{
    DashAssessment a = test::dashWithYes(0);
    a.answers["q9"].value = AnswerValue::Yes;   // pregnancy
    a.answers["q6"].value = AnswerValue::Yes;   // separation
    a.answers["q14"].value = AnswerValue::Yes;  // escalation
    a.answers["q19"].value = AnswerValue::DontKnow;  // sexual assault: not raised on Don't know
    const DashScore s = score(a);
    CHECK(s.specssFactors == std::vector<std::string>{"separation", "pregnancy", "escalation"});
}

TEST_CASE("A stalking sub-question raises stalking only when Q8 opened the group", "[risk][grade][specss]")
{
    DashAssessment a = test::dashWithYes(0);
    a.answers["s4"].value = AnswerValue::Yes;
    CHECK(score(a).specssFactors.empty());
    a.answers["q8"].value = AnswerValue::Yes;
    CHECK(score(a).specssFactors == std::vector<std::string>{"stalking"});
}

TEST_CASE("A grade below the computed band is rejected", "[risk][grade]")
{
    GradeDecision officer{RiskGrade::Medium, "I think it is lower", "pc1"};
    const Status s = checkOfficerGrade(RiskGrade::High, officer, kPrefix);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::Validation);
    CHECK(s.error().field == "victims[0].grade.officer");
    CHECK_THAT(s.error().message, Catch::Contains("below") && Catch::Contains("Only a supervisor"));
}

TEST_CASE("A grade above the computed band needs a written reason", "[risk][grade]")
{
    GradeDecision officer{RiskGrade::High, "  ", "pc1"};
    const Status s = checkOfficerGrade(RiskGrade::Medium, officer, kPrefix);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().field == "victims[0].grade.officer_reason");
    officer.reason = "Threats to kill with a knife last week; victim terrified";
    CHECK(checkOfficerGrade(RiskGrade::Medium, officer, kPrefix).ok());
}

TEST_CASE("A grade equal to the computed band needs no reason", "[risk][grade]")
{
    CHECK(checkOfficerGrade(RiskGrade::Medium, GradeDecision{RiskGrade::Medium, "", ""}, kPrefix).ok());
}

TEST_CASE("The officer must record a grade", "[risk][grade]")
{
    const Status s = checkOfficerGrade(RiskGrade::Standard, GradeDecision{}, kPrefix);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().field == "victims[0].grade.officer");
}

TEST_CASE("A supervisor may lower a grade with a reason", "[risk][grade]")
{
    const GradeDecision officer{RiskGrade::High, "judgement", "pc1"};
    GradeDecision supervisor{RiskGrade::Medium, "", "ds1"};
    const Status noReason = checkSupervisorGrade(RiskGrade::Medium, officer, supervisor, kPrefix);
    REQUIRE_FALSE(noReason.ok());
    CHECK(noReason.error().field == "victims[0].grade.supervisor_reason");
    supervisor.reason = "Research shows suspect now in custody on remand";
    CHECK(checkSupervisorGrade(RiskGrade::Medium, officer, supervisor, kPrefix).ok());
    CHECK(effectiveGrade(RiskGrade::Medium, officer, supervisor) == RiskGrade::Medium);
}

TEST_CASE("A supervisor may raise a grade with a reason", "[risk][grade]")
{
    const GradeDecision officer{RiskGrade::Standard, "", "pc1"};
    const GradeDecision supervisor{RiskGrade::High, "Previous MARAC case in another borough", "ds1"};
    CHECK(checkSupervisorGrade(RiskGrade::Standard, officer, supervisor, kPrefix).ok());
    CHECK(effectiveGrade(RiskGrade::Standard, officer, supervisor) == RiskGrade::High);
}

TEST_CASE("A supervisor confirming the grade needs no reason", "[risk][grade]")
{
    const GradeDecision officer{RiskGrade::Medium, "", "pc1"};
    CHECK(checkSupervisorGrade(RiskGrade::Medium, officer, GradeDecision{RiskGrade::Medium, "", "ds1"}, kPrefix).ok());
}

TEST_CASE("The effective grade is never below computed on the officer's word alone", "[risk][grade]")
{
    CHECK(effectiveGrade(RiskGrade::High, GradeDecision{RiskGrade::Standard, "", ""}, GradeDecision{}) == RiskGrade::High);
    CHECK(effectiveGrade(RiskGrade::Medium, GradeDecision{RiskGrade::High, "x", ""}, GradeDecision{}) == RiskGrade::High);
    CHECK(effectiveGrade(RiskGrade::Medium, GradeDecision{}, GradeDecision{}) == RiskGrade::Medium);
}
