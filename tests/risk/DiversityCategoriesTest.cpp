#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/risk/DiversityCategories.h"

using namespace vigil;
using nlohmann::json;

namespace {

const DiversityCategories& shipped()
{
    static const DiversityCategories c = [] {
        auto loaded = DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json");
        REQUIRE(loaded.ok());
        return *loaded;
    }();
    return c;
}

json shippedJson()
{
    std::ifstream in(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json");
    return json::parse(in);
}

std::string problemWith(const json& j)
{
    auto parsed = DiversityCategories::parse(j.dump(), "rules-diversity.json");
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().message;
}

}  // namespace

TEST_CASE("The shipped diversity categories offer a fixed list for every question, each with not stated",
          "[risk][diversity]")
{
    const DiversityCategories& c = shipped();
    CHECK(c.id() == "rules-diversity");
    REQUIRE(c.questions().size() == DiversityCategories::keys().size());
    for (std::string_view key : DiversityCategories::keys()) {
        INFO(key);
        const DiversityQuestion* q = c.question(key);
        REQUIRE(q != nullptr);
        CHECK_FALSE(q->label.empty());
        CHECK(c.isAnswer(key, "not_stated"));
        CHECK(c.labelFor(key, "not_stated") == "Not stated");
        CHECK_FALSE(c.isAnswer(key, ""));  // empty: not yet asked, not an answer
    }
    // The police self-defined ethnicity classification: 16 groups and not stated.
    CHECK(c.question("ethnicity")->options.size() == 17);
    CHECK(c.labelFor("ethnicity", "B2") == "Black or Black British: African");
    // Free text recorded before the list existed is shown as it was, never lost.
    CHECK_FALSE(c.isAnswer("ethnicity", "White British"));
    CHECK(c.labelFor("ethnicity", "White British") == "White British");
    CHECK(c.labelFor("religion", "") == "");
}

TEST_CASE("A diversity categories file that would lose an answer or confuse two is refused with where",
          "[risk][diversity]")
{
    json j = shippedJson();
    j["categories"].erase("religion");
    CHECK(problemWith(j).find("categories.religion: is missing") != std::string::npos);

    j = shippedJson();
    j["categories"]["gender"]["options"][1]["code"] = "female";
    CHECK(problemWith(j).find("categories.gender.options[1]: repeats the code \"female\"") != std::string::npos);

    j = shippedJson();
    j["categories"]["disability"]["options"] = json::array({{{"code", "yes"}, {"label", "Yes"}}});
    CHECK(problemWith(j).find("must offer \"not_stated\"") != std::string::npos);

    j = shippedJson();
    j["categories"]["shoe_size"] = j["categories"]["gender"];
    CHECK(problemWith(j).find("categories.shoe_size: is not a diversity question") != std::string::npos);

    j = shippedJson();
    j["categories"]["ethnicity"]["options"][0]["label"] = "";
    CHECK(problemWith(j).find("categories.ethnicity.options[0]: needs a non-empty code and label") != std::string::npos);

    CHECK(problemWith(json::array()).find("must be a JSON object") != std::string::npos);
}
