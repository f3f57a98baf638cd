// The board report's rules (issue 25; docs/figures.md, "Small counts" and "The CSV"): counts
// from 1 to 4 are never published, nor any count that would let one be worked out (a share's
// remainder, a rate, a total less its parts), and every figure has its sentence.
#include <catch2/catch.hpp>

#include <string>

#include "core/figures/FigureReport.h"
#include "core/risk/DiversityCategories.h"

using namespace vigil;

namespace {

/// A borough's figures with every id of figureIds() (zero unless given), as computeFigures
/// gives them: each share's denominator is the count of the figure it names.
FigureSet boroughSet(const std::string& borough, const std::map<std::string, std::int64_t>& counts,
                     const std::map<std::string, std::int64_t>& victimsByGender = {})
{
    static const std::map<std::string, std::string> over{
        {"crimes", "incidents"}, {"sso_crimes", "crimes"}, {"repeat_victim_incidents", "incidents"},
        {"hbv_fm_incidents", "incidents"}, {"arrests", "incidents"}, {"power_of_arrest_crimes", "crimes"},
        {"arrests_where_power", "power_of_arrest_crimes"}, {"charged", "crimes"}, {"cris_linked", "crimes"},
        {"crimint_linked", "incidents"}, {"incidents_with_children", "incidents"},
        {"merlin_linked", "incidents_with_children"}, {"cad_recorded", "incidents"}, {"cad_to_cris", "cad_recorded"},
        {"high_risk_victims", "victims"}, {"medium_risk_victims", "victims"}, {"marac_referrals", "victims"},
        {"qa_returned", "qa_decisions"}};
    FigureSet set;
    set.request.borough = borough;
    const auto value = [&](const std::string& id) {
        const auto it = counts.find(id);
        return it == counts.end() ? std::int64_t{0} : it->second;
    };
    for (std::string_view id : figureIds()) {
        Figure f;
        f.id = std::string(id);
        f.total.count = value(f.id);
        if (const auto o = over.find(f.id); o != over.end()) {
            f.over = o->second;
            f.total.of = value(o->second);
        }
        if (f.id == "victims") {
            for (const auto& [code, n] : victimsByGender)
                f.breakdowns["victim.gender"][code] = FigureCount{n, 0};
        }
        set.figures.push_back(std::move(f));
    }
    return set;
}

DiversityCategories lists()
{
    return DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json").value();
}

}  // namespace

TEST_CASE("Every figure has its sentence in the narrative's table", "[figures][report]")
{
    // A new figure in Figures.cpp needs one new entry in FigureReport.cpp's kWords.
    CHECK(figuresWithoutWords() == std::vector<std::string>{});
}

TEST_CASE("A borough's figures read as sentences, each rate saying what it is a share of", "[figures][report]")
{
    const FigureSet hackney = boroughSet("Hackney", {{"incidents", 412}, {"crimes", 268}, {"victims", 530},
                                                     {"high_risk_victims", 61}, {"cris_linked", 268}});
    const BoardReport report = publishBoardReport("2026-03-01", "2026-03-31", {hackney});
    const std::string text = boardNarrative(report, nullptr);
    CHECK(text.find("Domestic abuse figures for March 2026: Hackney\n") == 0);
    CHECK(text.find("In March 2026 Hackney recorded 412 domestic abuse incidents (124Ds received). 268 of the 412 "
                    "incidents (65%) were recorded as crimes (the crime conversion rate).")
          != std::string::npos);
    CHECK(text.find("61 of the 530 victims (12%) were assessed as high risk.") != std::string::npos);
    CHECK(text.find("268 of the 268 crimes (100%) had a CRIS reference.") != std::string::npos);
    CHECK(text.find("None of the 268 crimes (0%) led to a suspect being charged.") != std::string::npos);
    // A share of nothing is not written: no incident had a child, so nothing about MERLIN.
    CHECK(text.find("MERLIN") == std::string::npos);
    CHECK(text.find("No victim feedback forms were issued in the period.") != std::string::npos);
    CHECK(text.find('|') == std::string::npos);  // no tables
    CHECK(periodInWords("2026-01-01", "2026-12-31") == "2026");
    CHECK(periodInWords("2025-04-01", "2026-03-31") == "April 2025 to March 2026");
    CHECK(periodInWords("2026-03-02", "2026-03-09") == "2 March 2026 to 9 March 2026");
}

TEST_CASE("A count of 3 is published as fewer than 5, and its rate does not give it away", "[figures][report]")
{
    const FigureSet hackney = boroughSet("Hackney", {{"incidents", 7}, {"crimes", 3}, {"hbv_fm_incidents", 0}});
    const PublishedFigures p = publishFigures(hackney, "Hackney");
    const PublishedFigure* crimes = p.find("crimes");
    REQUIRE(crimes);
    CHECK_FALSE(crimes->count.has_value());
    CHECK(crimes->withheld == Withheld::Small);
    CHECK(crimes->of == std::optional<std::int64_t>(7));
    CHECK_FALSE(crimes->ratePercent.has_value());  // 43% of 7 would be 3
    CHECK(p.find("hbv_fm_incidents")->count == std::optional<std::int64_t>(0));  // zero names nobody

    const BoardReport report = publishBoardReport("2026-03-01", "2026-03-31", {hackney});
    const std::string text = boardNarrative(report, nullptr);
    const std::string csv = boardCsv(report);
    CHECK(text.find("Fewer than 5 of the 7 incidents were recorded as crimes") != std::string::npos);
    CHECK(text.find("43") == std::string::npos);
    CHECK(csv.find("Hackney,2026-03-01,2026-03-31,crimes,,,,incidents,7,,small\n") != std::string::npos);
    // The crimes' own shares are shares of a withheld number: their denominator is withheld too.
    CHECK(csv.find("Hackney,2026-03-01,2026-03-31,sso_crimes,,,0,crimes,,,\n") != std::string::npos);
    CHECK(csv.find(",3,") == std::string::npos);
}

TEST_CASE("A share that leaves fewer than 5 is withheld as all but fewer than 5", "[figures][report]")
{
    const FigureSet hackney = boroughSet("Hackney", {{"incidents", 412}, {"crimes", 410}, {"cris_linked", 300}});
    const PublishedFigures p = publishFigures(hackney, "Hackney");
    CHECK(p.find("crimes")->withheld == Withheld::Remainder);
    CHECK_FALSE(p.find("crimes")->count.has_value());
    // Withheld everywhere it would appear: as the denominator of the crimes' shares too.
    CHECK_FALSE(p.find("cris_linked")->of.has_value());
    CHECK(p.find("cris_linked")->count == std::optional<std::int64_t>(300));
    const std::string text = boardNarrative(publishBoardReport("2026-03-01", "2026-03-31", {hackney}), nullptr);
    CHECK(text.find("All but fewer than 5 of the 412 incidents were recorded as crimes") != std::string::npos);
    CHECK(text.find("300 crimes had a CRIS reference.") != std::string::npos);
    CHECK(text.find("410") == std::string::npos);
}

TEST_CASE("The boroughs together withhold a total that would give away a borough's small count", "[figures][report]")
{
    // Hackney's 3 serious sexual offences are withheld; Islington's 6 are not. 9 together would
    // give Hackney's away (9 - 6), so the total is withheld too. Hackney's 2 HBV incidents and
    // Islington's 4 add up to 6: neither can be worked out from 6, so 6 is published.
    const FigureSet hackney = boroughSet("Hackney", {{"incidents", 412}, {"crimes", 268}, {"sso_crimes", 3},
                                                     {"hbv_fm_incidents", 2}});
    const FigureSet islington = boroughSet("Islington", {{"incidents", 300}, {"crimes", 150}, {"sso_crimes", 6},
                                                         {"hbv_fm_incidents", 4}});
    const BoardReport report = publishBoardReport("2026-03-01", "2026-03-31", {hackney, islington});
    REQUIRE(report.scopes.size() == 3);
    const PublishedFigures& together = report.scopes[2];
    CHECK(together.borough.empty());
    CHECK(together.find("incidents")->count == std::optional<std::int64_t>(712));
    CHECK(together.find("sso_crimes")->withheld == Withheld::Parts);
    CHECK_FALSE(together.find("sso_crimes")->count.has_value());
    CHECK(together.find("hbv_fm_incidents")->count == std::optional<std::int64_t>(6));
    const std::string text = boardNarrative(report, nullptr);
    CHECK(text.find("In March 2026 Hackney and Islington together recorded 712 domestic abuse incidents") != std::string::npos);
    CHECK(text.find("How many of the 418 crimes were also flagged as a serious sexual offence is withheld")
          != std::string::npos);
    const std::string csv = boardCsv(report);
    CHECK(csv.find("(all),2026-03-01,2026-03-31,sso_crimes,,,,crimes,418,,parts\n") != std::string::npos);
}

TEST_CASE("A breakdown withholds small categories and one more when the rest would give them away", "[figures][report]")
{
    // 7 victims: 5 women and 2 men. "2 men" is small; "5 women of 7" would give it away.
    const FigureSet few = boroughSet("Hackney", {{"incidents", 6}, {"victims", 7}}, {{"female", 5}, {"male", 2}});
    const PublishedFigures p = publishFigures(few, "Hackney");
    const auto& gender = p.find("victims")->breakdowns.at("victim.gender");
    REQUIRE(gender.size() == 2);
    for (const PublishedCategory& c : gender) {
        INFO(c.code);
        CHECK_FALSE(c.count.has_value());
        CHECK_FALSE(c.ratePercent.has_value());
    }
    // 40 victims: 30 women, 7 men, 3 not recorded. The 3 is withheld, and then the smallest
    // shown (7) too, so that 40 - 30 - 7 cannot be read.
    const FigureSet more = boroughSet("Hackney", {{"incidents", 30}, {"victims", 40}},
                                      {{"female", 30}, {"male", 7}, {"not_recorded", 3}});
    const PublishedFigures q = publishFigures(more, "Hackney");
    std::map<std::string, PublishedCount> shown;
    for (const PublishedCategory& c : q.find("victims")->breakdowns.at("victim.gender"))
        shown[c.code] = c.count;
    CHECK(shown["female"] == std::optional<std::int64_t>(30));
    CHECK_FALSE(shown["male"].has_value());
    CHECK_FALSE(shown["not_recorded"].has_value());
    const DiversityCategories l = lists();
    const std::string text = boardNarrative(publishBoardReport("2026-03-01", "2026-03-31", {more}), &l);
    CHECK(text.find("Of the 40 victims in Hackney, by gender: Female (30, 75%), Male (withheld), not recorded (fewer than 5).")
          != std::string::npos);
}

TEST_CASE("Published figures travel as JSON and come back the same, and a count under 5 is refused", "[figures][report]")
{
    const FigureSet hackney = boroughSet("Hackney", {{"incidents", 40}, {"crimes", 3}, {"victims", 40}},
                                         {{"female", 30}, {"male", 10}});
    const PublishedFigures p = publishFigures(hackney, "Hackney");
    const nlohmann::json wire = toJson(p);
    CHECK(wire.dump().find("\"count\":3,") == std::string::npos);
    auto back = publishedFiguresFromJson(wire);
    REQUIRE(back.ok());
    CHECK(toJson(*back) == wire);
    nlohmann::json leaked = wire;
    leaked["figures"][1]["count"] = 3;
    CHECK_FALSE(publishedFiguresFromJson(leaked).ok());
}
