#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/risk/SharingPolicy.h"

using namespace vigil;
using nlohmann::json;

namespace {

const SharingPolicy& shipped()
{
    static const SharingPolicy p = [] {
        auto r = SharingPolicy::loadFile(std::string{VIGIL_RISK_MODEL_DIR} + "/sharing-idva.json");
        INFO((r ? std::string() : r.error().message));
        REQUIRE(r.ok());
        return std::move(r).value();
    }();
    return p;
}

const SharingPolicy& shippedPolice()
{
    static const SharingPolicy p = [] {
        auto r = SharingPolicy::loadFile(std::string{VIGIL_RISK_MODEL_DIR} + "/sharing-police.json");
        INFO((r ? std::string() : r.error().message));
        REQUIRE(r.ok());
        return std::move(r).value();
    }();
    return p;
}

/// A small valid police policy (unlisted rows whole) to break one piece at a time.
json minimalPolice()
{
    return json::parse(R"({
      "format": 1, "id": "sharing-police-test", "version": "1", "recipients": ["officer", "supervisor"],
      "unlisted": "whole",
      "shares": [
        {"entity": "contact", "written_by": ["idva"], "rows": "all", "fields": ["at", "by", "outcome"],
         "why": "that it happened", "withheld": [{"fields": ["notes", "actions"], "why": "the IDVA's service's"}]}
      ]
    })");
}

/// A small valid policy to break one piece at a time.
json minimal()
{
    return json::parse(R"({
      "format": 1, "id": "sharing-test", "version": "1", "recipient": "idva",
      "shares": [
        {"entity": "incident", "rows": "all", "fields": ["state", "refs.cad"], "why": "the case"},
        {"entity": "person", "role": "victim", "rows": "referred_victim", "fields": ["role", "person.name"],
         "why": "the victim", "withheld": [{"fields": ["person.address.*"], "why": "a test"}]}
      ],
      "never": [{"entity": "supervision", "why": "police"}]
    })");
}

std::string refusal(const json& j)
{
    auto r = SharingPolicy::fromJson(j, "sharing-test.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::MalformedModel);
    CHECK_THAT(r.error().message, Catch::Contains("Sharing policy sharing-test.json"));
    CHECK_THAT(r.error().message, Catch::Contains("Correct the file, or reinstall Vigil's defaults."));
    return r.error().message;
}

}  // namespace

TEST_CASE("The shipped IDVA sharing policy loads: the referred victim in full, the suspect by name only, never the "
          "supervision log or photos",
          "[risk][sharing]")
{
    const SharingPolicy& p = shipped();
    CHECK(p.id() == "sharing-idva");
    CHECK_FALSE(p.version().empty());
    CHECK(p.isFor(Role::Idva));
    CHECK(p.recipients().size() == 1);
    CHECK(p.unlisted() == Unlisted::Never);
    CHECK_FALSE(p.mayReceive("attachment"));

    const ShareRule* victim = p.ruleFor("person", "victim");
    REQUIRE(victim);
    CHECK(victim->rows == ShareRows::ReferredVictim);
    for (const char* field : {"role", "person.name", "person.date_of_birth", "person.phone", "person.address.postcode",
                              "safe_contact.text", "consent.share_with_partners", "person.diversity.ethnicity",
                              "grade.officer", "@create", "@delete"})
        CHECK(victim->passes(field));
    CHECK_FALSE(victim->passes("grade.officer_by"));

    const ShareRule* suspect = p.ruleFor("person", "suspect");
    REQUIRE(suspect);
    CHECK(suspect->passes("person.name"));
    CHECK(suspect->passes("person.date_of_birth"));
    for (const char* field : {"person.address.line", "person.address.house", "person.address.postcode", "person.phone",
                              "person.diversity.gender"})
        CHECK_FALSE(suspect->passes(field));

    const ShareRule* child = p.ruleFor("person", "child");
    REQUIRE(child);
    CHECK(child->passes("age"));
    CHECK(child->passes("in_household"));

    const ShareRule* incident = p.ruleFor("incident");
    REQUIRE(incident);
    for (const char* field : {"state", "incident.date", "refs.cad", "flags.hbv", "flags.stalking"})
        CHECK(incident->passes(field));
    for (const char* field : {"incident.location", "investigation.officer_in_case", "access_list", "restriction.reason",
                              "positive_action.no_arrest_justification", "evidence.notes", "review.note",
                              "flags.police_staff_involved"})
        CHECK_FALSE(incident->passes(field));

    REQUIRE(p.ruleFor("answer"));
    CHECK(p.ruleFor("answer")->rows == ShareRows::OfReferredVictim);
    REQUIRE(p.ruleFor("referral"));
    CHECK(p.ruleFor("referral")->rows == ShareRows::AddressedToRecipient);
    CHECK_FALSE(p.sharesEntity("supervision"));
    CHECK_FALSE(p.sharesEntity("attachment"));
    // The casework of the referred victim flows whole; another victim's case never does.
    REQUIRE(p.ruleFor("victim_case"));
    CHECK(p.ruleFor("victim_case")->rows == ShareRows::OfReferredVictim);
    for (const char* kind : {"contact", "protective_order", "order_breach", "case_event", "safety_item", "feedback_form"}) {
        INFO(kind);
        REQUIRE(p.ruleFor(kind));
        CHECK(p.ruleFor(kind)->rows == ShareRows::InCaseOfReferredVictim);
        CHECK(p.ruleFor(kind)->passes("anything.at_all"));
    }
    for (const ShareRule& rule : p.shares())
        CHECK_FALSE(rule.why.empty());
}

TEST_CASE("A malformed sharing policy is refused with words naming the file and the share", "[risk][sharing]")
{
    REQUIRE(SharingPolicy::fromJson(minimal(), "sharing-test.json").ok());

    {
        auto r = SharingPolicy::loadFile(std::string{VIGIL_TEST_DATA_DIR} + "/no-such-sharing.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::NotFound);
    }
    CHECK_THAT(refusal(json::array()), Catch::Contains("is not a sharing policy of format 1"));
    json j = minimal();
    j.erase("version");
    CHECK_THAT(refusal(j), Catch::Contains("has no \"version\" text"));
    j = minimal();
    j["recipient"] = "officer";  // a police policy cannot follow referrals to its recipient
    CHECK_THAT(refusal(j), Catch::Contains("share 1 (person, victim) passes \"referred_victim\" rows, which only an "
                                           "IDVA's policy can say"));
    j = minimal();
    j["recipients"] = {"idva"};
    CHECK_THAT(refusal(j), Catch::Contains("must name whom it is for"));
    j = minimal();
    j["unlisted"] = "whole";
    CHECK_THAT(refusal(j), Catch::Contains("would send an IDVA whole every row it does not list"));
    j = minimal();
    j["recipient"] = "neighbour";
    CHECK_THAT(refusal(j), Catch::Contains("not a role Vigil knows"));
    j = minimal();
    j["shares"] = json::array();
    CHECK_THAT(refusal(j), Catch::Contains("has no \"shares\" list"));
    j = minimal();
    j["shares"][0]["entity"] = "diary";
    CHECK_THAT(refusal(j), Catch::Contains("share 0 (diary) is for the entity \"diary\", which is not a kind of record"));
    j = minimal();
    j["shares"][1].erase("role");
    CHECK_THAT(refusal(j), Catch::Contains("without a role Vigil knows"));
    j = minimal();
    j["shares"][0]["role"] = "victim";
    CHECK_THAT(refusal(j), Catch::Contains("which only person rows have"));
    j = minimal();
    j["shares"][0]["rows"] = "some";
    CHECK_THAT(refusal(j), Catch::Contains("say all, referred_victim, of_referred_victim, addressed_to_recipient or in_case_of_referred_victim"));
    j = minimal();
    j["shares"][0]["rows"] = "referred_victim";
    CHECK_THAT(refusal(j), Catch::Contains("which incident rows cannot be"));
    j = minimal();
    j["shares"][1]["fields"] = json::array();
    CHECK_THAT(refusal(j), Catch::Contains("share 1 (person, victim) names no fields"));
    j = minimal();
    j["shares"][1]["fields"] = {"person.name"};
    CHECK_THAT(refusal(j), Catch::Contains("does not pass \"role\""));
    j = minimal();
    j["shares"][0]["fields"] = {"st*te"};
    CHECK_THAT(refusal(j), Catch::Contains("a \"*\" may only end a pattern"));
    j = minimal();
    j["shares"][0]["fields"] = {"@command"};
    CHECK_THAT(refusal(j), Catch::Contains("creation and removal follow the row"));
    j = minimal();
    j["shares"][0].erase("why");
    CHECK_THAT(refusal(j), Catch::Contains("has no \"why\" text"));
    j = minimal();
    j["shares"][1]["fields"].push_back("person.address.postcode");
    CHECK_THAT(refusal(j), Catch::Contains("both shares \"person.address.postcode\" and withholds \"person.address.*\""));
    j = minimal();
    j["shares"].push_back(j["shares"][0]);
    CHECK_THAT(refusal(j), Catch::Contains("shares the same rows as an earlier share"));
    j = minimal();
    j["never"].push_back({{"entity", "incident"}, {"why", "oops"}});
    CHECK_THAT(refusal(j), Catch::Contains("says \"incident\" is never shared, but a share passes it"));
    {
        // Not JSON at all (cut short): the byte where reading stopped is named.
        const auto path = std::filesystem::temp_directory_path() / "vigil-sharing-cut-short.json";
        {
            std::ofstream out(path);
            out << R"({"format": 1, "id": "sharing-test", "shares": [)";
        }
        auto r = SharingPolicy::loadFile(path);
        std::filesystem::remove(path);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::MalformedModel);
        CHECK_THAT(r.error().message, Catch::Contains("is not valid JSON (stopped at byte"));
    }
}

TEST_CASE("The shipped police sharing policy: an IDVA's contact reaches police users as the fact and its outcome, "
          "never its notes or actions; an officer's contact and everything else whole",
          "[risk][sharing]")
{
    const SharingPolicy& p = shippedPolice();
    CHECK(p.id() == "sharing-police");
    CHECK(p.label() == "sharing-police " + p.version());
    for (Role r : {Role::Officer, Role::Investigator, Role::Supervisor})
        CHECK(p.isFor(r));
    CHECK_FALSE(p.isFor(Role::Idva));
    CHECK(p.unlisted() == Unlisted::Whole);

    const ShareRule* idvaContact = p.ruleFor("contact", {}, Role::Idva);
    REQUIRE(idvaContact);
    for (const char* field : {"at", "by", "method", "outcome", "next_due", "duties", "caution", "@create", "@delete"})
        CHECK(idvaContact->passes(field));
    CHECK_FALSE(idvaContact->passes("notes"));
    CHECK_FALSE(idvaContact->passes("actions"));
    CHECK(p.needsAuthor("contact"));
    // An officer's own contact: no share, so whole. An author the server cannot name: as an IDVA's.
    for (Role r : {Role::Officer, Role::Investigator, Role::Supervisor})
        CHECK(p.ruleFor("contact", {}, r) == nullptr);
    CHECK(p.ruleFor("contact", {}, std::nullopt) == idvaContact);

    // The other free text an IDVA writes on casework.
    REQUIRE(p.ruleFor("safety_item", {}, Role::Idva));
    CHECK_FALSE(p.ruleFor("safety_item", {}, Role::Idva)->passes("text"));
    CHECK(p.ruleFor("safety_item", {}, Role::Idva)->passes("done"));
    REQUIRE(p.ruleFor("case_event", {}, Role::Idva));
    CHECK_FALSE(p.ruleFor("case_event", {}, Role::Idva)->passes("notes"));
    CHECK(p.ruleFor("case_event", {}, Role::Idva)->passes("kind"));
    CHECK(p.ruleFor("case_event", {}, Role::Idva)->passes("charged"));  // whether a charge decision was a charge
    REQUIRE(p.ruleFor("protective_order", {}, Role::Idva));
    CHECK(p.ruleFor("protective_order", {}, Role::Idva)->passes("conditions"));
    CHECK_FALSE(p.ruleFor("protective_order", {}, Role::Idva)->passes("notes"));
    // A breach is a possible offence the police act on: whole, whoever logged it.
    CHECK(p.ruleFor("order_breach", {}, Role::Idva) == nullptr);
    CHECK(p.ruleFor("victim_case", {}, Role::Idva) == nullptr);

    // Rows of kinds it does not judge pass whole without being read.
    for (const char* kind : {"incident", "person", "answer", "referral", "supervision", "attachment", "victim_case"}) {
        INFO(kind);
        CHECK_FALSE(p.judgesRows(kind));
        CHECK(p.mayReceive(kind));
    }
    for (const ShareRule& rule : p.shares()) {
        CHECK_FALSE(rule.why.empty());
        CHECK(rule.writtenBy == std::vector<Role>{Role::Idva});
        CHECK_FALSE(rule.withheld.empty());
    }
    CHECK(authorField("contact") == "by");
    CHECK(authorField("incident").empty());
}

TEST_CASE("A malformed police sharing policy is refused with words naming the file, the share and what to do",
          "[risk][sharing]")
{
    REQUIRE(SharingPolicy::fromJson(minimalPolice(), "sharing-test.json").ok());
    json j = minimalPolice();
    j["recipients"] = {"officer", "idva"};
    CHECK_THAT(refusal(j), Catch::Contains("is for IDVAs and police users at once"));
    j = minimalPolice();
    j["recipients"] = {"analyst"};
    CHECK_THAT(refusal(j), Catch::Contains("names the recipient \"analyst\", who never receives records"));
    j = minimalPolice();
    j["recipients"] = {"officer", "officer"};
    CHECK_THAT(refusal(j), Catch::Contains("names the recipient \"officer\" twice"));
    j = minimalPolice();
    j["recipients"] = json::array();
    CHECK_THAT(refusal(j), Catch::Contains("has \"recipients\" that is not a list of roles"));
    j = minimalPolice();
    j["recipient"] = "officer";
    CHECK_THAT(refusal(j), Catch::Contains("must name whom it is for"));
    j = minimalPolice();
    j["unlisted"] = "sometimes";
    CHECK_THAT(refusal(j), Catch::Contains("say \"never\" (rows no share lists are not sent) or \"whole\""));
    j = minimalPolice();
    j["shares"][0]["rows"] = "in_case_of_referred_victim";
    CHECK_THAT(refusal(j), Catch::Contains("share 0 (contact) passes \"in_case_of_referred_victim\" rows, which only "
                                           "an IDVA's policy can say"));
    j = minimalPolice();
    j["shares"][0]["written_by"] = {"neighbour"};
    CHECK_THAT(refusal(j), Catch::Contains("has \"written_by\" \"neighbour\", which is not a role Vigil knows"));
    j = minimalPolice();
    j["shares"][0]["written_by"] = json::array();
    CHECK_THAT(refusal(j), Catch::Contains("has \"written_by\" that is not a list of roles"));
    j = minimalPolice();
    j["shares"][0]["entity"] = "incident";
    CHECK_THAT(refusal(j), Catch::Contains("share 0 (incident) has \"written_by\", but incident rows do not name who "
                                           "wrote them"));
    j = minimalPolice();
    j["shares"][0]["fields"].push_back("notes");
    CHECK_THAT(refusal(j), Catch::Contains("both shares \"notes\" and withholds \"notes\""));
    j = minimalPolice();
    j["shares"].push_back(j["shares"][0]);
    j["shares"][1]["written_by"] = {"supervisor", "idva"};
    CHECK_THAT(refusal(j), Catch::Contains("share 1 (contact) shares the same rows as an earlier share (written by "
                                           "supervisor, idva): merge the two"));
    // A share for an IDVA's rows beside one for anyone else's is two shares, not a clash.
    j = minimalPolice();
    j["shares"].push_back({{"entity", "contact"}, {"rows", "all"}, {"fields", {"*"}}, {"why", "police contacts"}});
    auto both = SharingPolicy::fromJson(j, "sharing-test.json");
    REQUIRE(both.ok());
    CHECK(both->ruleFor("contact", {}, Role::Idva)->passes("notes") == false);
    CHECK(both->ruleFor("contact", {}, Role::Officer)->passes("notes"));
    {
        // The shipped file cut short: the byte where reading stopped is named.
        const auto path = std::filesystem::temp_directory_path() / "vigil-sharing-police-cut-short.json";
        {
            std::ofstream out(path);
            out << R"({"format": 1, "id": "sharing-police", "recipients": ["officer"], "shares": [{"entity": )";
        }
        auto r = SharingPolicy::loadFile(path);
        std::filesystem::remove(path);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::MalformedModel);
        CHECK_THAT(r.error().message, Catch::Contains("is not valid JSON (stopped at byte"));
    }
}
