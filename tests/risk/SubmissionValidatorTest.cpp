#include <algorithm>

#include <catch2/catch.hpp>

#include "RiskTestSupport.h"
#include "core/risk/SubmissionValidator.h"

using namespace vigil;

namespace {

std::vector<Error> validate(const Incident& incident, const History& history = test::deviceHistory())
{
    const RuleContext ctx{test::shippedModels(), test::defaultRules(), history, test::testNow()};
    return validateSubmission(incident, ctx);
}

std::vector<std::string> fields(const std::vector<Error>& errors)
{
    std::vector<std::string> out;
    for (const Error& e : errors)
        out.push_back(e.field);
    return out;
}

}  // namespace

TEST_CASE("A complete 124D passes submission", "[risk][validation]")
{
    const auto errors = validate(test::completeIncident());
    INFO((errors.empty() ? std::string{} : errors.front().field + ": " + errors.front().message));
    CHECK(errors.empty());
}

TEST_CASE("Every problem is reported at once, each naming its field", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.crime = true;                                      // no CRIS
    inc.children.push_back(Child{"Ella", 4, true, true, {}});  // no MERLIN PAC
    inc.positiveAction.powerOfArrest = true;               // no arrest, no justification
    inc.victims[0].dash.answers.erase("q7");
    inc.victims[0].safeContact.voicemail.reset();
    const auto errors = validate(inc);
    const auto f = fields(errors);
    CHECK(f == std::vector<std::string>{"refs.cris", "refs.merlin_pac", "positive_action.no_arrest_justification",
                                        "victims[0].safe_contact.voicemail", "victims[0].dash.q7"});
    for (const Error& e : errors) {
        CHECK(e.code == ErrorCode::Validation);
        CHECK_FALSE(e.message.empty());
    }
}

TEST_CASE("Children in the household need a MERLIN PAC reference", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.children.push_back(Child{"Ella", 4, true, false, {}});
    CHECK(hasFieldError(validate(inc), "refs.merlin_pac"));
    inc.refs.merlinPac = "10MAB012345";
    CHECK(validate(inc).empty());
}

TEST_CASE("Children living elsewhere do not need a MERLIN PAC reference", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.children.push_back(Child{"Tom", 19, false, false, {}});
    CHECK(validate(inc).empty());
}

TEST_CASE("A child without an age is reported on that child", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.refs.merlinPac = "10MAB012345";
    inc.children.push_back(Child{"Ella", 4, true, false, {}});
    inc.children.push_back(Child{"Sam", std::nullopt, true, false, {}});
    CHECK(fields(validate(inc)) == std::vector<std::string>{"children[1].age"});
}

TEST_CASE("A power of arrest without an arrest needs a justification", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.positiveAction.powerOfArrest = true;
    inc.positiveAction.arrestMade = false;
    CHECK(hasFieldError(validate(inc), "positive_action.no_arrest_justification"));
    inc.positiveAction.noArrestJustification = "Suspect had left; circulated as wanted on PNC";
    CHECK(validate(inc).empty());
    inc.positiveAction.noArrestJustification.clear();
    inc.positiveAction.arrestMade = true;
    CHECK(validate(inc).empty());
}

TEST_CASE("A crime needs a CRIS reference in the configured format", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.crime = true;
    CHECK(hasFieldError(validate(inc), "refs.cris"));
    inc.refs.cris = "12345";
    const auto errors = validate(inc);
    REQUIRE(fields(errors) == std::vector<std::string>{"refs.cris"});
    CHECK_THAT(errors[0].message, Catch::Contains("4201234/10"));
    inc.refs.cris = "4201234/10";
    CHECK(validate(inc).empty());
}

TEST_CASE("A CAD reference in the wrong format is reported", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.refs.cad = "CAD-twelve";
    CHECK(fields(validate(inc)) == std::vector<std::string>{"refs.cad"});
    inc.refs.cad = "cad 1234/12mar10";  // case-insensitive
    CHECK(validate(inc).empty());
}

TEST_CASE("Not asked needs a reason, and Don't know is a complete answer", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash.answers["q5"].value = AnswerValue::NotAsked;
    inc.victims[0].dash.answers["q6"].value = AnswerValue::DontKnow;
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].dash.q5.reason"});
    inc.victims[0].dash.answers["q5"].reason = "Victim too distressed to continue";
    CHECK(validate(inc).empty());
}

TEST_CASE("An answer to a question the model does not have is reported", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash.answers["q28"].value = AnswerValue::Yes;
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].dash.q28"});
}

TEST_CASE("A sub-option that the question does not offer is reported", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash.answers["q27"] = Answer{AnswerValue::Yes, "", "", "", {"dv", "arson"}};
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].dash.q27.options"});
}

TEST_CASE("An assessment on a model not installed is reported on the model field", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash.modelVersion = "7.0";
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].dash.model"});
}

TEST_CASE("A grade below computed is refused at submission", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash = test::dashWithYes(11);
    inc.victims[0].officerGrade.grade = RiskGrade::Standard;
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].grade.officer"});
}

TEST_CASE("High risk needs a MARAC decision, and not referring needs a reason", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash = test::dashWithYes(14);
    inc.victims[0].officerGrade.grade = RiskGrade::High;
    const auto errors = validate(inc);
    REQUIRE(fields(errors) == std::vector<std::string>{"victims[0].marac.decision"});
    CHECK_THAT(errors[0].message, Catch::Contains("14 Yes answers"));
    inc.victims[0].marac.decision = MaracDecisionKind::NotRefer;
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].marac.reason"});
    inc.victims[0].marac.reason = "Victim moved to refuge out of area; referred to that area's MARAC";
    CHECK(validate(inc).empty());
}

TEST_CASE("An automatic referral cannot be decided as not referring", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.flags.forcedMarriage = true;
    inc.victims[0].marac.decision = MaracDecisionKind::NotRefer;
    inc.victims[0].marac.reason = "Victim does not want it";
    const auto errors = validate(inc);
    REQUIRE(fields(errors) == std::vector<std::string>{"victims[0].marac.decision"});
    CHECK_THAT(errors[0].message, Catch::Contains("Forced marriage") && Catch::Contains("Refer"));
}

TEST_CASE("The supervisor's MARAC decision: a change or not referring needs a reason, and a forced referral stays",
          "[risk][validation][desk]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash = test::dashWithYes(14);
    inc.victims[0].officerGrade.grade = RiskGrade::High;
    inc.victims[0].marac.decision = MaracDecisionKind::Refer;
    REQUIRE(validate(inc).empty());
    // Confirming the officer's referral needs nothing more.
    inc.victims[0].marac.supervisorDecision = MaracDecisionKind::Refer;
    CHECK(validate(inc).empty());
    // Turning it down needs the reason.
    inc.victims[0].marac.supervisorDecision = MaracDecisionKind::NotRefer;
    auto errors = validate(inc);
    REQUIRE(fields(errors) == std::vector<std::string>{"victims[0].marac.supervisor_reason"});
    CHECK_THAT(errors[0].message, Catch::Contains("not to refer"));
    inc.victims[0].marac.supervisorReason = "Already heard at last week's MARAC; the IDVA holds the case";
    CHECK(validate(inc).empty());
    CHECK(inc.victims[0].marac.standing() == MaracDecisionKind::NotRefer);
    // Referring where the officer decided nothing needs no reason; overturning their "not
    // refer" does.
    inc.victims[0].marac.decision = MaracDecisionKind::Undecided;
    inc.victims[0].dash = test::dashWithYes(3);
    inc.victims[0].officerGrade.grade = RiskGrade::Standard;
    inc.victims[0].marac.supervisorReason.clear();
    inc.victims[0].marac.supervisorDecision = MaracDecisionKind::Refer;
    CHECK(validate(inc).empty());
    inc.victims[0].marac.decision = MaracDecisionKind::NotRefer;
    inc.victims[0].marac.reason = "Victim declined";
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].marac.supervisor_reason"});
    inc.victims[0].marac.supervisorReason = "Third call-out this month: referring on judgement";
    CHECK(validate(inc).empty());
    // Where referral is forced (forced marriage), not even a supervisor turns it down.
    inc.victims[0].marac.decision = MaracDecisionKind::Refer;
    inc.victims[0].marac.supervisorDecision = MaracDecisionKind::NotRefer;
    inc.flags.forcedMarriage = true;
    errors = validate(inc);
    REQUIRE(fields(errors) == std::vector<std::string>{"victims[0].marac.supervisor"});
    CHECK_THAT(errors[0].message, Catch::Contains("must be referred") && Catch::Contains("Refer"));
}

TEST_CASE("Safe-contact answers are required for each victim", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    Victim second = inc.victims[0];
    second.id = "V2";
    second.person.name = "Joan O'Neil";
    second.safeContact = SafeContact{};
    inc.victims.push_back(second);
    CHECK(fields(validate(inc))
          == std::vector<std::string>{"victims[1].safe_contact.phone", "victims[1].safe_contact.text",
                                      "victims[1].safe_contact.voicemail", "victims[1].safe_contact.email",
                                      "victims[1].safe_contact.visit"});
}

TEST_CASE("A counter-allegation needs a note on the primary aggressor", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.counterAllegation.present = true;
    CHECK(fields(validate(inc)) == std::vector<std::string>{"counter_allegation.primary_aggressor_note"});
}

TEST_CASE("A RARA action needs a description, an owner and a due date", "[risk][validation][rara]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].rara.push_back(RaraItem{RaraKind::Reduce, "Fit personal attack alarm", "PC 123", "2010-03-19", {}});
    inc.victims[0].rara.push_back(RaraItem{RaraKind::Avoid, "", "", "next week", {}});
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims[0].rara[1].description", "victims[0].rara[1].owner",
                                                            "victims[0].rara[1].due"});
}

TEST_CASE("An incident date in the future or not a date is reported", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.date = "2010-03-13";  // the day after "now"
    CHECK(fields(validate(inc)) == std::vector<std::string>{"incident.date"});
    inc.date = "12/03/2010";
    CHECK(fields(validate(inc)) == std::vector<std::string>{"incident.date"});
}

TEST_CASE("A 124D with no victim cannot be submitted", "[risk][validation]")
{
    Incident inc = test::completeIncident();
    inc.victims.clear();
    CHECK(fields(validate(inc)) == std::vector<std::string>{"victims"});
}

TEST_CASE("A draft may be saved in any state", "[risk][validation]")
{
    Incident empty;
    CHECK(validateDraft(empty).empty());
    Incident half = test::completeIncident();
    half.victims[0].dash.answers.clear();
    half.date = "not yet";
    CHECK(validateDraft(half).empty());
}
