#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "RiskTestSupport.h"
#include "core/risk/RulesConfig.h"

using namespace vigil;
using nlohmann::json;

namespace {

json defaultJson()
{
    return json::parse(R"({
      "format": 1, "id": "rules-test", "version": "1.0",
      "escalation": {"call_outs": 3, "window_days": 365},
      "repeat_victim": {"window_days": 365},
      "repeat_marac": {"window_days": 365},
      "automatic_marac_flags": ["hbv", "forced_marriage"],
      "crimes_rule": {"enabled": false, "crimes": 5, "window_days": 365},
      "reference_formats": {"cris": {"pattern": "^[0-9]{7}/[0-9]{2}$", "example": "4201234/10"}}
    })");
}

}  // namespace

TEST_CASE("The shipped rules file holds DOMAIN.md's defaults and agrees with the built-in ones", "[risk][config]")
{
    const RulesConfig& shipped = test::defaultRules();
    const RulesConfig builtIn;
    CHECK(shipped.escalationCallOuts == 3);
    CHECK(shipped.escalationWindowDays == 365);
    CHECK(shipped.repeatVictimWindowDays == 365);
    CHECK(shipped.repeatMaracWindowDays == 365);
    CHECK(shipped.automaticMaracFlags == std::vector<std::string>{"hbv", "forced_marriage"});
    CHECK_FALSE(shipped.crimesRuleEnabled);
    CHECK(shipped.crimesRuleCount == 5);
    CHECK(shipped.escalationCallOuts == builtIn.escalationCallOuts);
    CHECK(shipped.escalationWindowDays == builtIn.escalationWindowDays);
    CHECK(shipped.repeatVictimWindowDays == builtIn.repeatVictimWindowDays);
    CHECK(shipped.repeatMaracWindowDays == builtIn.repeatMaracWindowDays);
    CHECK(shipped.automaticMaracFlags == builtIn.automaticMaracFlags);
    CHECK(shipped.crimesRuleEnabled == builtIn.crimesRuleEnabled);
    CHECK(shipped.crimesRuleCount == builtIn.crimesRuleCount);
    CHECK(shipped.referenceFormats.size() == 4);
    CHECK(shipped.reviewEveryDays == 7);
    CHECK(shipped.ssoSupervisorHours == 10);
    CHECK(shipped.ssoInspectorDays == 7);
    CHECK(shipped.ssoChiefInspectorDays == 28);
    CHECK(shipped.ssoThenEveryDays == 28);
    CHECK(shipped.reviewEveryDays == builtIn.reviewEveryDays);
    CHECK(shipped.ssoSupervisorHours == builtIn.ssoSupervisorHours);
    CHECK(shipped.ssoInspectorDays == builtIn.ssoInspectorDays);
    CHECK(shipped.ssoChiefInspectorDays == builtIn.ssoChiefInspectorDays);
    CHECK(shipped.ssoThenEveryDays == builtIn.ssoThenEveryDays);
}

TEST_CASE("A rules file whose serious-sexual-offence reviews come out of order is refused", "[risk][config]")
{
    json j = defaultJson();
    j["supervision_reviews"] = {{"every_days", 7},
                                {"serious_sexual_offence",
                                 {{"supervisor_hours", 10}, {"inspector_days", 30}, {"chief_inspector_days", 28}, {"then_every_days", 28}}}};
    auto r = parseRulesConfig(j.dump(), "rules-borough.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "/supervision_reviews/serious_sexual_offence");
    j.erase("supervision_reviews");  // a copy made before issue 23 keeps the defaults
    auto old = parseRulesConfig(j.dump(), "rules-borough.json");
    REQUIRE(old.ok());
    CHECK(old->reviewEveryDays == 7);
}

TEST_CASE("A rules file with an unknown automatic flag is refused with its path", "[risk][config]")
{
    json j = defaultJson();
    j["automatic_marac_flags"][1] = "forced-marriage";
    auto r = parseRulesConfig(j.dump(), "rules-borough.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::MalformedModel);
    CHECK(r.error().field == "/automatic_marac_flags/1");
    CHECK_THAT(r.error().message, Catch::Contains("rules-borough.json"));
}

TEST_CASE("A rules file with a zero window or a missing section is refused", "[risk][config]")
{
    json j = defaultJson();
    j["repeat_marac"]["window_days"] = 0;
    CHECK(parseRulesConfig(j.dump(), "r.json").error().field == "/repeat_marac/window_days");
    j = defaultJson();
    j.erase("escalation");
    CHECK(parseRulesConfig(j.dump(), "r.json").error().field == "/escalation");
}

TEST_CASE("A reference format that is not a regex, or whose example fails it, is refused", "[risk][config]")
{
    json j = defaultJson();
    j["reference_formats"]["cris"]["pattern"] = "^[0-9{7}$";
    CHECK(parseRulesConfig(j.dump(), "r.json").error().field == "/reference_formats/cris/pattern");
    j = defaultJson();
    j["reference_formats"]["cris"]["example"] = "CRIS 1";
    CHECK(parseRulesConfig(j.dump(), "r.json").error().field == "/reference_formats/cris/example");
    j = defaultJson();
    j["reference_formats"]["pnc"] = j["reference_formats"]["cris"];
    CHECK(parseRulesConfig(j.dump(), "r.json").error().field == "/reference_formats/pnc");
}

TEST_CASE("A borough can switch on the crimes rule in its own file", "[risk][config]")
{
    json j = defaultJson();
    j["crimes_rule"]["enabled"] = true;
    auto r = parseRulesConfig(j.dump(), "rules-islington.json");
    REQUIRE(r.ok());
    CHECK(r->crimesRuleEnabled);
    CHECK(r->crimesRuleCount == 5);
}
