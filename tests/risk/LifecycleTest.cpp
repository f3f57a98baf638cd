#include <catch2/catch.hpp>

#include "RiskTestSupport.h"
#include "core/risk/Lifecycle.h"

using namespace vigil;

namespace {

struct Fixture {
    History history = test::deviceHistory();
    RuleContext ctx{test::shippedModels(), test::defaultRules(), history, test::testNow()};
};

}  // namespace

TEST_CASE("An officer submits a complete draft", "[risk][lifecycle]")
{
    Fixture f;
    Incident inc = test::completeIncident();
    CHECK(applyTransition(inc, {LifecycleState::Submitted, Role::Officer, ""}, f.ctx).empty());
    CHECK(inc.state == LifecycleState::Submitted);
}

TEST_CASE("Submitting an incomplete draft returns the field errors and keeps it a draft", "[risk][lifecycle]")
{
    Fixture f;
    Incident inc = test::completeIncident();
    inc.victims[0].dash.answers.erase("q1");
    const auto errors = applyTransition(inc, {LifecycleState::Submitted, Role::Officer, ""}, f.ctx);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "victims[0].dash.q1");
    CHECK(inc.state == LifecycleState::Draft);
}

TEST_CASE("A supervisor returns with notes and the officer resubmits", "[risk][lifecycle]")
{
    Fixture f;
    Incident inc = test::completeIncident();
    inc.state = LifecycleState::Submitted;
    const auto noNote = applyTransition(inc, {LifecycleState::Returned, Role::Supervisor, ""}, f.ctx);
    REQUIRE(noNote.size() == 1);
    CHECK(noNote[0].field == "lifecycle.note");
    CHECK(inc.state == LifecycleState::Submitted);
    CHECK(applyTransition(inc, {LifecycleState::Returned, Role::Supervisor, "Add the CRIMINT reference"}, f.ctx).empty());
    CHECK(inc.state == LifecycleState::Returned);
    CHECK(applyTransition(inc, {LifecycleState::Submitted, Role::Officer, ""}, f.ctx).empty());
    CHECK(inc.state == LifecycleState::Submitted);
}

TEST_CASE("An officer cannot approve their own 124D", "[risk][lifecycle]")
{
    Fixture f;
    Incident inc = test::completeIncident();
    inc.state = LifecycleState::Submitted;
    const auto errors = applyTransition(inc, {LifecycleState::Approved, Role::Officer, ""}, f.ctx);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].code == ErrorCode::IllegalTransition);
    CHECK_THAT(errors[0].message, Catch::Contains("Only a supervisor can approve"));
    CHECK(inc.state == LifecycleState::Submitted);
}

TEST_CASE("A draft cannot jump to closed, and the message says what can be done", "[risk][lifecycle]")
{
    auto r = findTransition(LifecycleState::Draft, LifecycleState::Closed, Role::Supervisor);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::IllegalTransition);
    CHECK_THAT(r.error().message, Catch::Contains("cannot be moved to closed") && Catch::Contains("submit"));
}

TEST_CASE("IDVAs, analysts and administrators make no transitions", "[risk][lifecycle]")
{
    for (const TransitionRule& rule : transitionTable()) {
        CHECK_FALSE(roleAllowed(rule, Role::Idva));
        CHECK_FALSE(roleAllowed(rule, Role::Analyst));
        CHECK_FALSE(roleAllowed(rule, Role::Admin));
    }
}

TEST_CASE("The lifecycle runs from draft to closed through the table", "[risk][lifecycle]")
{
    Fixture f;
    Incident inc = test::completeIncident();
    CHECK(applyTransition(inc, {LifecycleState::Submitted, Role::Officer, ""}, f.ctx).empty());
    CHECK(applyTransition(inc, {LifecycleState::Approved, Role::Supervisor, ""}, f.ctx).empty());
    CHECK(applyTransition(inc, {LifecycleState::UnderInvestigation, Role::Investigator, ""}, f.ctx).empty());
    CHECK(applyTransition(inc, {LifecycleState::Closed, Role::Supervisor, ""}, f.ctx).size() == 1);
    CHECK(applyTransition(inc, {LifecycleState::Closed, Role::Supervisor, "Charged; final review: medium"}, f.ctx).empty());
    CHECK(inc.state == LifecycleState::Closed);
}

TEST_CASE("Every pair of states without a table row is an illegal transition, never a crash", "[risk][lifecycle]")
{
    const LifecycleState states[] = {LifecycleState::Draft, LifecycleState::Submitted, LifecycleState::Returned,
                                     LifecycleState::Approved, LifecycleState::UnderInvestigation, LifecycleState::Closed};
    const Role roles[] = {Role::Officer, Role::Investigator, Role::Idva, Role::Supervisor, Role::Analyst, Role::Admin};
    int allowed = 0;
    for (const auto from : states)
        for (const auto to : states)
            for (const auto role : roles) {
                auto r = findTransition(from, to, role);
                if (r.ok()) {
                    ++allowed;
                    CHECK((*r)->from == from);
                    CHECK((*r)->to == to);
                } else {
                    CHECK(r.error().code == ErrorCode::IllegalTransition);
                    CHECK_FALSE(r.error().message.empty());
                }
            }
    CHECK(allowed == 11);
}

TEST_CASE("Role names round-trip", "[risk][lifecycle]")
{
    CHECK(roleFromString("idva") == Role::Idva);
    CHECK(toString(Role::Supervisor) == "supervisor");
    CHECK_FALSE(roleFromString("chief"));
}
