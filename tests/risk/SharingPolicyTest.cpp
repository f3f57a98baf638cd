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
    CHECK(p.recipient() == Role::Idva);

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
    for (const char* kind : {"contact", "protective_order", "order_breach", "case_event", "safety_item"}) {
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
    j["recipient"] = "officer";
    CHECK_THAT(refusal(j), Catch::Contains("only an IDVA's view is filtered"));
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
