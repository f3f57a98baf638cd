#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"
#include "core/figures/Figures.h"
#include "core/risk/Lifecycle.h"

namespace vigil {

class DiversityCategories;

/// Whether a role sees figures only, never a person's record (issue 25): analysts and
/// administrators. The server sends them no record (sync/server/AccessRules) and answers them
/// GET /v1/figures; the app shows them the Reports page instead of casework.
[[nodiscard]] constexpr bool seesFiguresOnly(Role role) noexcept { return role == Role::Analyst || role == Role::Admin; }

/// Counts from 1 up to (not including) this are never published: they are shown as "fewer than
/// 5" so that no victim can be identified (issue 25; docs/figures.md, "Small counts").
inline constexpr std::int64_t kSmallestPublished = 5;

/// A count as it may leave the force: exact, or withheld (nullopt) because it, or a count that
/// could be worked out from it by subtraction, is from 1 to 4. Zero is shown: it names nobody.
using PublishedCount = std::optional<std::int64_t>;

/// Why a count is withheld (docs/figures.md, "Small counts").
enum class Withheld {
    No,         ///< shown
    Small,      ///< it is from 1 to 4: "fewer than 5"
    Remainder,  ///< what it leaves of its denominator is from 1 to 4: "all but fewer than 5"
    Parts,      ///< subtracting the published parts from it (the boroughs' counts, the other
                ///< categories) would give a count from 1 to 4
};

/// The code of a reason in the CSV and on the wire: "", "small", "remainder", "parts".
[[nodiscard]] std::string_view withheldCode(Withheld why) noexcept;

/// One category of a breakdown as published (a share of the figure's total in the same scope).
struct PublishedCategory {
    std::string code;          ///< a code of rules-diversity.json, or "not_recorded"
    PublishedCount count;
    Withheld withheld = Withheld::No;
    std::optional<int> ratePercent;  ///< of the figure's total; only when both are shown
};

/// One figure of docs/figures.md as it may be published: counts withheld by the rules of
/// docs/figures.md ("Small counts"), a rate only when both of its counts are shown.
struct PublishedFigure {
    std::string id;
    std::string over;                 ///< the figure it is a share of; "" for a plain count
    PublishedCount count;
    Withheld withheld = Withheld::No;  ///< why `count` is withheld
    /// The denominator: the published count of `over` (withheld with it); only for a share.
    PublishedCount of;
    std::optional<int> ratePercent;   ///< count of `of`, rounded to the nearest whole per cent
    /// The victims' diversity (victim.<question> → categories), for the figure "victims" only.
    std::map<std::string, std::vector<PublishedCategory>> breakdowns;
};

/// The published figures of one scope: a borough, or the boroughs of a report together.
struct PublishedFigures {
    std::string borough;  ///< "" for the boroughs of the report together
    std::vector<PublishedFigure> figures;
    [[nodiscard]] const PublishedFigure* find(std::string_view id) const noexcept;
};

/// A board report: a period and its scopes (each borough asked for, then, when there are
/// several, the boroughs together), every count already withheld where it must be.
struct BoardReport {
    std::string from;  ///< ISO date, first day included
    std::string to;    ///< ISO date, last day included
    int repeatMaracWindowDays = 365;  ///< the window the repeat MARAC referrals were counted over
    std::vector<PublishedFigures> scopes;
};


/// The board report of per-borough figures (exact, as computeFigures gives them) for
/// `from`..`to` (both days included): each borough published on its own, and, when there are
/// several, the boroughs together, withholding in the total whatever subtracting the boroughs'
/// published counts from it would reveal.
[[nodiscard]] BoardReport publishBoardReport(const std::string& from, const std::string& to,
                                             const std::vector<FigureSet>& boroughs);

/// One scope's figures published on their own (what GET /v1/figures answers).
[[nodiscard]] PublishedFigures publishFigures(const FigureSet& set, const std::string& borough);

/// The report in words, no tables (the board asks for data "in word form"): a title, one
/// paragraph per borough, one for the boroughs together when there are several, an equality
/// and diversity paragraph, and how the figures are counted. Every figure's sentence comes from
/// one table keyed by figure id (FigureReport.cpp). `lists` gives the words of diversity answers
/// (null: the codes are shown).
[[nodiscard]] std::string boardNarrative(const BoardReport& report, const DiversityCategories* lists);

/// The same figures as CSV, in the fixed layout of docs/figures.md ("The CSV"): one row per
/// scope and figure, then one per scope, victims' question and category.
[[nodiscard]] std::string boardCsv(const BoardReport& report);

/// The first line of boardCsv (the layout, documented in docs/figures.md).
[[nodiscard]] std::string_view boardCsvHeader() noexcept;

/// Whether every figure of figureIds() has its sentence in the narrative's table (a new figure
/// needs one new entry there); the ids that have none.
[[nodiscard]] std::vector<std::string> figuresWithoutWords();

/// The wire form of published figures (GET /v1/figures) and back. Never holds a withheld count.
[[nodiscard]] nlohmann::json toJson(const PublishedFigures& figures);
[[nodiscard]] Result<PublishedFigures> publishedFiguresFromJson(const nlohmann::json& json);

/// A whole board report on the wire (GET /v1/figures answers one): {"from", "to", "scopes"}.
[[nodiscard]] nlohmann::json toJson(const BoardReport& report);
[[nodiscard]] Result<BoardReport> boardReportFromJson(const nlohmann::json& json);

/// The period in words: "March 2026", "2026", "1 April 2025 to 31 March 2026" (ISO dates, both
/// included); "" when either is not a date.
[[nodiscard]] std::string periodInWords(std::string_view from, std::string_view to);

}  // namespace vigil
