#include <catch2/catch.hpp>

#include "RiskTestSupport.h"
#include "core/risk/MaracRules.h"
#include "core/risk/RiskEngine.h"

using namespace vigil;

namespace {

VictimEvaluation evaluate(const Incident& incident, const History& history, const RulesConfig& rules = test::defaultRules())
{
    const RuleContext ctx{test::shippedModels(), rules, history, test::testNow()};
    auto r = evaluateVictim(incident, 0, ctx);
    REQUIRE(r.ok());
    return *r;
}

const MaracCriterion* find(const MaracAssessment& m, MaracCriterionKind kind)
{
    for (const auto& c : m.criteria)
        if (c.kind == kind)
            return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("Fourteen Yes answers meet visible high risk, thirteen do not", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash = test::dashWithYes(14);
    const auto high = evaluate(inc, test::deviceHistory());
    REQUIRE(high.marac.has(MaracCriterionKind::VisibleHighRisk));
    CHECK_THAT(find(high.marac, MaracCriterionKind::VisibleHighRisk)->reason, Catch::Contains("14 Yes answers"));
    inc.victims[0].dash = test::dashWithYes(13);
    CHECK_FALSE(evaluate(inc, test::deviceHistory()).marac.any());
}

TEST_CASE("Thirteen Yes graded High on professional judgement meets the judgement criterion", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    inc.victims[0].dash = test::dashWithYes(13);
    inc.victims[0].officerGrade = GradeDecision{RiskGrade::High, "Strangled last week, now separating", "pc1"};
    const auto e = evaluate(inc, test::deviceHistory());
    CHECK(e.effective == RiskGrade::High);
    CHECK_FALSE(e.marac.has(MaracCriterionKind::VisibleHighRisk));
    REQUIRE(e.marac.has(MaracCriterionKind::ProfessionalJudgement));
    CHECK_THAT(find(e.marac, MaracCriterionKind::ProfessionalJudgement)->reason, Catch::Contains("Strangled"));
}

TEST_CASE("The third call-out in 365 days, counting this one, meets potential escalation", "[risk][marac]")
{
    Incident inc = test::completeIncident();  // 2010-03-12
    History h = test::deviceHistory();
    h.incidents.push_back(test::pastIncident("H1", "2009-11-02"));
    const auto two = evaluate(inc, h);
    CHECK_FALSE(two.marac.has(MaracCriterionKind::PotentialEscalation));

    h.incidents.push_back(test::pastIncident("H2", "2009-03-12"));  // exactly 365 days before: in
    const auto three = evaluate(inc, h);
    const MaracCriterion* c = find(three.marac, MaracCriterionKind::PotentialEscalation);
    REQUIRE(c != nullptr);
    CHECK_THAT(c->reason, Catch::Contains("3 police call-outs") && Catch::Contains("counting this one"));
    CHECK(c->basis == "2 earlier incidents and 0 MARAC referrals for this victim known to this device, last synced 14:32");
}

TEST_CASE("A call-out 366 days before does not count toward escalation", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    h.incidents.push_back(test::pastIncident("H1", "2009-11-02"));
    h.incidents.push_back(test::pastIncident("H2", "2009-03-11"));  // 366 days before
    CHECK_FALSE(evaluate(inc, h).marac.has(MaracCriterionKind::PotentialEscalation));
}

TEST_CASE("Another person's incidents and non-DA incidents do not count toward escalation", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    Person other = test::mary();
    other.name = "Mary-Ann O'Neill";  // one letter more: a different person
    h.incidents.push_back(test::pastIncident("H1", "2009-11-02", other));
    HistoryIncident notDa = test::pastIncident("H2", "2009-12-02");
    notDa.domesticAbuse = false;
    h.incidents.push_back(notDa);
    h.incidents.push_back(test::pastIncident("H3", "2010-01-02"));
    CHECK_FALSE(evaluate(inc, h).marac.has(MaracCriterionKind::PotentialEscalation));
}

TEST_CASE("The current incident and later incidents in the history are not counted twice", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    h.incidents.push_back(test::pastIncident("INC-1", "2010-03-12"));  // this incident, already synced
    h.incidents.push_back(test::pastIncident("H9", "2010-04-01"));     // after this incident
    h.incidents.push_back(test::pastIncident("H1", "2010-01-02"));
    const auto e = evaluate(inc, h);
    CHECK_FALSE(e.marac.has(MaracCriterionKind::PotentialEscalation));
    CHECK(e.repeatVictim.earlierIncidentIds == std::vector<std::string>{"H1"});
}

TEST_CASE("The escalation threshold comes from the rules configuration", "[risk][marac]")
{
    RulesConfig rules = test::defaultRules();
    rules.escalationCallOuts = 5;
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    h.incidents.push_back(test::pastIncident("H1", "2009-11-02"));
    h.incidents.push_back(test::pastIncident("H2", "2009-12-02"));
    h.incidents.push_back(test::pastIncident("H3", "2010-01-02"));
    CHECK_FALSE(evaluate(inc, h, rules).marac.has(MaracCriterionKind::PotentialEscalation));
    h.incidents.push_back(test::pastIncident("H4", "2010-02-02"));
    CHECK(evaluate(inc, h, rules).marac.has(MaracCriterionKind::PotentialEscalation));
}

TEST_CASE("A new incident 365 days after a MARAC referral is a repeat MARAC, 366 days is not", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    h.maracReferrals.push_back({"M1", test::day("2009-03-12"), test::mary()});
    const auto e = evaluate(inc, h);
    const MaracCriterion* c = find(e.marac, MaracCriterionKind::RepeatMarac);
    REQUIRE(c != nullptr);
    CHECK_THAT(c->reason, Catch::Contains("365 days after") && Catch::Contains("2009-03-12"));

    h.maracReferrals[0].date = test::day("2009-03-11");
    CHECK_FALSE(evaluate(inc, h).marac.has(MaracCriterionKind::RepeatMarac));
}

TEST_CASE("The latest of several MARAC referrals decides a repeat MARAC", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    h.maracReferrals.push_back({"M1", test::day("2007-01-01"), test::mary()});
    h.maracReferrals.push_back({"M2", test::day("2009-09-01"), test::mary()});
    CHECK(evaluate(inc, h).marac.has(MaracCriterionKind::RepeatMarac));
}

TEST_CASE("HBV and forced marriage are automatic referrals that force the decision", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    inc.flags.hbv = true;
    auto e = evaluate(inc, test::deviceHistory());
    CHECK(e.marac.has(MaracCriterionKind::AutomaticFlag));
    CHECK(e.marac.referralForced);
    CHECK_THAT(find(e.marac, MaracCriterionKind::AutomaticFlag)->reason, Catch::Contains("Honour-based violence"));

    inc.flags.hbv = false;
    inc.flags.forcedMarriage = true;
    CHECK(evaluate(inc, test::deviceHistory()).marac.referralForced);

    inc.flags.forcedMarriage = false;
    inc.flags.fgm = true;  // not automatic by default
    CHECK_FALSE(evaluate(inc, test::deviceHistory()).marac.referralForced);
}

TEST_CASE("The crimes rule is off by default and counts this crime when on", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    inc.crime = true;
    History h = test::deviceHistory();
    for (const char* d : {"2009-05-01", "2009-07-01", "2009-09-01", "2009-11-01"}) {
        HistoryIncident past = test::pastIncident(d, d);
        past.crime = true;
        past.policeCallOut = false;  // reported at the front desk: not a call-out
        h.incidents.push_back(past);
    }
    CHECK_FALSE(evaluate(inc, h).marac.has(MaracCriterionKind::CrimesThreshold));
    RulesConfig islington = test::defaultRules();
    islington.crimesRuleEnabled = true;
    islington.crimesRuleCount = 5;
    const auto e = evaluate(inc, h, islington);
    REQUIRE(e.marac.has(MaracCriterionKind::CrimesThreshold));
    CHECK_THAT(find(e.marac, MaracCriterionKind::CrimesThreshold)->reason, Catch::Contains("5 crimes"));
    inc.crime = false;
    CHECK_FALSE(evaluate(inc, h, islington).marac.has(MaracCriterionKind::CrimesThreshold));
}

TEST_CASE("A previous DA incident within 365 days makes a repeat victim", "[risk][repeat]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    CHECK_FALSE(evaluate(inc, h).repeatVictim.repeat);
    h.incidents.push_back(test::pastIncident("H1", "2009-03-12"));
    const auto e = evaluate(inc, h);
    CHECK(e.repeatVictim.repeat);
    CHECK_THAT(e.repeatVictim.reason, Catch::Contains("1 earlier domestic abuse incident"));
    h.incidents[0].date = test::day("2009-03-11");
    CHECK_FALSE(evaluate(inc, h).repeatVictim.repeat);
}

TEST_CASE("An officer's repeat-victim flag stands when the device history is partial", "[risk][repeat]")
{
    Incident inc = test::completeIncident();
    inc.flags.repeatVictim = true;
    const auto e = evaluate(inc, test::deviceHistory());
    CHECK(e.repeatVictim.repeat);
    CHECK_THAT(e.repeatVictim.reason, Catch::Contains("officer"));
}

TEST_CASE("Each history result says what it rests on and when it last synced", "[risk][marac]")
{
    Incident inc = test::completeIncident();
    History h = test::deviceHistory();
    h.incidents.push_back(test::pastIncident("H1", "2010-01-02"));
    CHECK(evaluate(inc, h).repeatVictim.basis
          == "1 earlier incident and 0 MARAC referrals for this victim known to this device, last synced 14:32");
    h.source.lastSynced = test::at("2010-03-10T09:05:00Z");
    CHECK_THAT(evaluate(inc, h).repeatVictim.basis, Catch::EndsWith("last synced 2010-03-10 09:05"));
    h.source.lastSynced.reset();
    CHECK_THAT(evaluate(inc, h).repeatVictim.basis, Catch::EndsWith("never synced"));
    h.source.lastSynced = test::at("2010-03-12T13:32:00Z");
    h.source.displayOffsetMinutes = 60;  // British Summer Time, supplied by the platform
    CHECK_THAT(evaluate(inc, h).repeatVictim.basis, Catch::EndsWith("last synced 14:32"));
}
