#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/risk/AuthorityPolicy.h"

using namespace vigil;

namespace {

const AuthorityPolicy& policy()
{
    static const AuthorityPolicy p = [] {
        auto r = AuthorityPolicy::loadFile(std::string{VIGIL_RISK_MODEL_DIR} + "/rules-authority.json");
        INFO((r ? std::string() : r.error().message));
        REQUIRE(r.ok());
        return std::move(r).value();
    }();
    return p;
}

WriteContext as(Role role, LifecycleState state, bool owner = false, bool clearedOnList = false)
{
    return WriteContext{role, owner, clearedOnList, state};
}

using S = LifecycleState;

}  // namespace

TEST_CASE("The shipped authority policy loads with an id and version", "[risk][authority]")
{
    CHECK(policy().id() == "authority-default");
    CHECK_FALSE(policy().version().empty());
    CHECK(policy().rules().size() >= 10);
}

TEST_CASE("The lifecycle state and review fields are written only through lifecycle commands", "[risk][authority]")
{
    for (Role role : {Role::Officer, Role::Supervisor, Role::Investigator, Role::Idva}) {
        for (const char* field : {"state", "review.command", "review.by", "review.note"}) {
            INFO(toString(role) << " " << field);
            auto d = policy().decide(as(role, S::Draft, true, true), "incident", field);
            REQUIRE_FALSE(d.ok());
            CHECK(d.error().code == ErrorCode::Rejected);
            CHECK_THAT(d.error().message, Catch::Contains("only by submitting, returning, approving"));
        }
    }
    CHECK(policy().mayWrite(as(Role::Officer, S::Draft, true), "incident", "@command"));
}

TEST_CASE("The officer's parts are written by the owner or a supervisor, only while draft or returned", "[risk][authority]")
{
    for (S state : {S::Draft, S::Returned}) {
        CHECK(policy().mayWrite(as(Role::Officer, state, true), "incident", "refs.cris"));
        CHECK(policy().mayWrite(as(Role::Officer, state, true), "answer", "answer"));
        CHECK(policy().mayWrite(as(Role::Supervisor, state), "person", "person.name"));
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, state, false), "incident", "refs.cris"));  // a team-mate
        CHECK_FALSE(policy().mayWrite(as(Role::Investigator, state, false), "incident", "refs.cris"));
    }
    for (S state : {S::Submitted, S::Approved, S::UnderInvestigation, S::Closed}) {
        INFO(toString(state));
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, state, true), "incident", "refs.cris"));
        CHECK_FALSE(policy().mayWrite(as(Role::Supervisor, state), "incident", "refs.cris"));
    }
    auto refused = policy().decide(as(Role::Officer, S::Submitted, true), "incident", "refs.cris");
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("which is submitted"));
    CHECK_THAT(refused.error().message, Catch::Contains("Ask a supervisor to return it"));
}

TEST_CASE("Only a supervisor writes the supervisor's grade and the MARAC confirmation", "[risk][authority]")
{
    for (const char* field : {"grade.supervisor", "grade.supervisor_reason", "grade.supervisor_by", "marac.confirmed"}) {
        INFO(field);
        CHECK(policy().mayWrite(as(Role::Supervisor, S::Submitted), "person", field));
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Draft, true), "person", field));
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Submitted, true), "person", field));
        CHECK_FALSE(policy().mayWrite(as(Role::Idva, S::Submitted), "person", field));
    }
    auto d = policy().decide(as(Role::Supervisor, S::Submitted), "person", "grade.supervisor_by");
    REQUIRE(d.ok());
    CHECK(std::find(d->checks.begin(), d->checks.end(), AuthorityCheck::AuthorIsSender) != d->checks.end());
}

TEST_CASE("Restriction is for a supervisor or a cleared user on the list, with a reason and a cleared user kept",
          "[risk][authority]")
{
    for (const char* field : {"flags.police_staff_involved", "access_list", "restriction.reason"}) {
        INFO(field);
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Draft, true), "incident", field));
        CHECK_FALSE(policy().mayWrite(as(Role::Investigator, S::Approved), "incident", field));
        CHECK(policy().mayWrite(as(Role::Investigator, S::Approved, false, true), "incident", field));
        auto d = policy().decide(as(Role::Supervisor, S::Approved), "incident", field);
        REQUIRE(d.ok());
        CHECK(std::find(d->checks.begin(), d->checks.end(), AuthorityCheck::RestrictionReason) != d->checks.end());
        CHECK(std::find(d->checks.begin(), d->checks.end(), AuthorityCheck::ClearedUserRemains) != d->checks.end());
    }
}

TEST_CASE("Referrals are made by police roles only, with consent checked", "[risk][authority]")
{
    CHECK(policy().mayWrite(as(Role::Officer, S::Draft, true), "referral", "@create"));
    CHECK(policy().mayWrite(as(Role::Officer, S::Draft, true), "referral", "to_user"));
    CHECK(policy().mayWrite(as(Role::Supervisor, S::Approved), "referral", "to_user"));
    CHECK(policy().mayWrite(as(Role::Investigator, S::UnderInvestigation), "referral", "agency"));
    CHECK_FALSE(policy().mayWrite(as(Role::Idva, S::Approved), "referral", "to_user"));
    CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Approved, true), "referral", "to_user"));
    auto d = policy().decide(as(Role::Officer, S::Draft, true), "referral", "to_user");
    REQUIRE(d.ok());
    CHECK(std::find(d->checks.begin(), d->checks.end(), AuthorityCheck::ConsentToShare) != d->checks.end());
}

TEST_CASE("A victim's details go to a partner agency on her consent, or on a lawful basis with its justification",
          "[risk][authority][consent]")
{
    Consent c;
    CHECK(sharingBasis(c, "idva") == SharingBasis::None);
    CHECK_FALSE(sharingAllowed(c, "idva"));
    // A lawful basis without why it applies is not enough (nor the reason without the basis).
    c.lawfulBasis = "Crime and Disorder Act 1998 s.115";
    CHECK(sharingBasis(c, "idva") == SharingBasis::PartialLawfulBasis);
    CHECK_FALSE(sharingAllowed(c, "idva"));
    Consent whyOnly;
    whyOnly.justification = "she is at high risk of serious harm";
    CHECK(sharingBasis(whyOnly, "idva") == SharingBasis::PartialLawfulBasis);
    CHECK_FALSE(sharingAllowed(whyOnly, "idva"));
    c.justification = "  ";
    CHECK_FALSE(sharingAllowed(c, "idva"));
    c.justification = "she is at high risk of serious harm and declined only out of fear";
    CHECK(sharingBasis(c, "idva") == SharingBasis::LawfulBasis);
    CHECK(sharingAllowed(c, "idva"));
    // Consent to a MARAC referral shares with the MARAC only; consent to share with everyone.
    Consent marac;
    marac.maracReferral = true;
    CHECK(sharingBasis(marac, "marac") == SharingBasis::MaracConsent);
    CHECK_FALSE(sharingAllowed(marac, "refuge"));
    marac.shareWithPartners = false;
    CHECK_FALSE(sharingAllowed(marac, "idva"));
    marac.shareWithPartners = true;
    CHECK(sharingBasis(marac, "idva") == SharingBasis::Consent);
}

TEST_CASE("IDVAs never write police references, state, grades or access", "[risk][authority]")
{
    for (S state : {S::Draft, S::Submitted, S::Approved, S::UnderInvestigation}) {
        for (auto [entity, field] : {std::pair{"incident", "refs.cris"}, std::pair{"incident", "refs.cad"},
                                     std::pair{"incident", "state"}, std::pair{"person", "grade.officer"},
                                     std::pair{"person", "grade.supervisor"}, std::pair{"incident", "access_list"},
                                     std::pair{"incident", "flags.police_staff_involved"}}) {
            INFO(toString(state) << " " << entity << " " << field);
            CHECK_FALSE(policy().mayWrite(as(Role::Idva, state), entity, field));
        }
    }
}

TEST_CASE("Removing: the owner while draft, a supervisor with a reason, restoring: a supervisor", "[risk][authority]")
{
    CHECK(policy().mayWrite(as(Role::Officer, S::Draft, true), "incident", "@delete"));
    CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Returned, true), "incident", "@delete"));
    CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Approved, false), "incident", "@delete"));
    CHECK(policy().mayWrite(as(Role::Officer, S::Returned, true), "answer", "@delete"));
    // Removing a part of a draft is editing it: a supervisor needs no reason for that.
    auto whileDraft = policy().decide(as(Role::Supervisor, S::Draft), "rara_item", "@delete");
    REQUIRE(whileDraft.ok());
    CHECK(std::find(whileDraft->checks.begin(), whileDraft->checks.end(), AuthorityCheck::DeletionReason)
          == whileDraft->checks.end());
    CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Approved, true), "attachment", "@delete"));
    auto byS = policy().decide(as(Role::Supervisor, S::Approved), "attachment", "@delete");
    REQUIRE(byS.ok());
    CHECK(std::find(byS->checks.begin(), byS->checks.end(), AuthorityCheck::DeletionReason) != byS->checks.end());
    auto byOwner = policy().decide(as(Role::Officer, S::Draft, true), "attachment", "@delete");
    REQUIRE(byOwner.ok());
    CHECK(std::find(byOwner->checks.begin(), byOwner->checks.end(), AuthorityCheck::DeletionReason) == byOwner->checks.end());
    CHECK(policy().mayWrite(as(Role::Supervisor, S::Closed), "incident", std::string(kFieldRestore)));
    CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Approved, true), "incident", std::string(kFieldRestore)));
}

TEST_CASE("Only a supervisor resolves conflicts, anyone who sees the record reports a race", "[risk][authority]")
{
    CHECK(policy().mayWrite(as(Role::Supervisor, S::Approved), "answer", "@resolve"));
    CHECK_FALSE(policy().mayWrite(as(Role::Officer, S::Draft, true), "answer", "@resolve"));
    CHECK(policy().mayWrite(as(Role::Officer, S::Submitted, true), "incident", "@conflict"));
}

TEST_CASE("A policy file that is not right is refused with words naming the rule", "[risk][authority]")
{
    const auto refused = [](const char* text) {
        auto r = AuthorityPolicy::fromJson(nlohmann::json::parse(text), "test.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::MalformedModel);
        return r.error().message;
    };
    CHECK_THAT(refused(R"({"format": 2})"), Catch::Contains("format 1"));
    CHECK_THAT(refused(R"({"format": 1, "id": "x", "version": "1", "rules": [
        {"id": "r", "entity": "incident", "fields": ["*"], "what": "w", "explain": "e",
         "grants": [{"who": ["chief"], "states": ["any"]}]}]})"),
               Catch::Contains("rule 0 (r) grants to \"chief\""));
    CHECK_THAT(refused(R"({"format": 1, "id": "x", "version": "1", "rules": [
        {"id": "r", "entity": "incident", "fields": ["*"], "what": "w", "explain": "e",
         "grants": [{"who": ["owner"], "states": ["pending"]}]}]})"),
               Catch::Contains("state \"pending\""));
    CHECK_THAT(refused(R"({"format": 1, "id": "x", "version": "1", "rules": [
        {"id": "r", "entity": "victim", "fields": ["*"], "what": "w", "explain": "e", "command_only": true}]})"),
               Catch::Contains("not a kind of record"));
    CHECK_THAT(refused(R"({"format": 1, "id": "x", "version": "1", "rules": [
        {"id": "r", "entity": "incident", "fields": ["*"], "what": "w", "explain": "e"}]})"),
               Catch::Contains("grants nobody"));
}

TEST_CASE("A field nobody's rule matches is refused", "[risk][authority]")
{
    auto p = AuthorityPolicy::fromJson(nlohmann::json::parse(R"({"format": 1, "id": "x", "version": "1", "rules": [
        {"id": "r", "entity": "incident", "fields": ["refs.*"], "what": "w", "explain": "e",
         "grants": [{"who": ["anyone"], "states": ["any"]}]}]})"),
                                       "test.json");
    REQUIRE(p.ok());
    CHECK(p->mayWrite(as(Role::Officer, S::Draft), "incident", "refs.cad"));
    CHECK_FALSE(p->mayWrite(as(Role::Officer, S::Draft), "incident", "location"));
    auto d = p->decide(as(Role::Officer, S::Draft), "person", "person.name");
    REQUIRE_FALSE(d.ok());
    CHECK_THAT(d.error().message, Catch::Contains("No rule of the authority policy"));
}

TEST_CASE("Feedback forms are recorded by the victim's IDVA, the officer in the case or a supervisor, once, by a safe "
          "method, and never removed",
          "[risk][authority][feedback]")
{
    const auto has = [](const AuthorityDecision& d, AuthorityCheck c) {
        return std::find(d.checks.begin(), d.checks.end(), c) != d.checks.end();
    };
    for (S state : {S::Draft, S::Approved, S::UnderInvestigation, S::Closed}) {
        INFO(toString(state));
        for (const WriteContext& who : {as(Role::Idva, state), as(Role::Supervisor, state),
                                        WriteContext{Role::Investigator, false, false, state, true}}) {
            auto d = policy().decide(who, "feedback_form", "method");
            REQUIRE(d.ok());
            CHECK(d->rule->id == "feedback-forms");
            CHECK(has(*d, AuthorityCheck::AuthorIsSender));
            CHECK(has(*d, AuthorityCheck::AppendOnly));
            CHECK(has(*d, AuthorityCheck::SafeContact));
            auto count = policy().decide(who, "victim_case", "feedback.responses.after_charge");
            REQUIRE(count.ok());
            CHECK(count->rule->id == "feedback-responses");
        }
        // The 124D's own officer, not in the case, does not; nor an investigator not allocated it.
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, state, true), "feedback_form", "method"));
        CHECK_FALSE(policy().mayWrite(as(Role::Investigator, state), "feedback_form", "method"));
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, state, true), "victim_case", "feedback.responses.after_charge"));
    }
    for (const char* field : {"@delete", "@restore"}) {
        auto removal = policy().decide(as(Role::Supervisor, S::Closed), "feedback_form", field);
        REQUIRE_FALSE(removal.ok());
        CHECK_THAT(removal.error().message, Catch::Contains("a form issued is never removed"));
    }
}

TEST_CASE("Only the officer in the case, an investigator or a supervisor records a crime's outcome, once it is submitted",
          "[risk][authority][outcome]")
{
    using S = LifecycleState;
    for (const S state : {S::Submitted, S::Approved, S::UnderInvestigation, S::Closed}) {
        INFO(toString(state));
        CHECK(policy().mayWrite(as(Role::Supervisor, state), "incident", "outcome.result"));
        CHECK(policy().mayWrite(as(Role::Investigator, state), "incident", "outcome.court_result"));
        WriteContext oic = as(Role::Officer, state);
        oic.officerInCase = true;  // an officer allocated the investigation
        CHECK(policy().mayWrite(oic, "incident", "outcome.da_homicide"));
        // The officer who wrote it, and an IDVA, do not.
        CHECK_FALSE(policy().mayWrite(as(Role::Officer, state, /*owner=*/true), "incident", "outcome.result"));
        CHECK_FALSE(policy().mayWrite(as(Role::Idva, state), "incident", "outcome.result"));
    }
    // Not while it is the officer's to edit, not even by a supervisor.
    for (const S state : {S::Draft, S::Returned})
        CHECK_FALSE(policy().mayWrite(as(Role::Supervisor, state), "incident", "outcome.result"));
    auto refused = policy().decide(as(Role::Officer, S::UnderInvestigation, true), "incident", "outcome.result");
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("Ask the officer in the case to record it"));
    auto granted = policy().decide(as(Role::Investigator, S::Approved), "incident", "outcome.recorded_by");
    REQUIRE(granted.ok());
    CHECK(std::find(granted->checks.begin(), granted->checks.end(), AuthorityCheck::AuthorIsSender) != granted->checks.end());
}
