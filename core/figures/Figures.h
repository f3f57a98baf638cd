#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"

namespace vigil {

class Database;
class RecordStore;
class DiversityCategories;
class OutcomeList;
class WorkingDays;
struct RulesConfig;
struct VictimsCodeRules;

/// The period and the scope of a set of figures (issue 25; docs/figures.md).
struct FigureRequest {
    std::string from;     ///< ISO date, inclusive: incidents dated on or after it
    std::string to;       ///< ISO date, exclusive: incidents dated before it
    std::string borough;  ///< "" for every borough the records hold
    std::string team;     ///< "" for every team
    /// Keep, for each figure, the incidents behind its count (a device's dashboard opens them);
    /// off for a force's figures, which keep only numbers.
    bool keepIncidentIds = false;
    /// When the figures are worked out (nullopt: the system clock). Victims' Code items count when
    /// they fell due in the period before then, and reviews are counted as at the end of the
    /// period or then, whichever is sooner.
    std::optional<std::chrono::sys_seconds> now = std::nullopt;
    /// Work out the casework figures too (Victims' Code compliance, repeat MARAC referrals, reviews
    /// due), which read every 124D of the scope whatever its date: off for the dashboard's monthly
    /// trend, which shows incidents, crimes and High-risk victims only. Off, the set has none of them.
    bool casework = true;
};

/// The rules the casework figures follow: the review cadence and the repeat MARAC window
/// (rules-default.json), the Victims' Code deadlines, and the bank holidays its working days skip.
/// Each null member is the shipped one (core/risk-models), read once.
struct FigureRules {
    const RulesConfig* rules = nullptr;
    const VictimsCodeRules* victimsCode = nullptr;
    const WorkingDays* calendar = nullptr;
};

/// A count and, for a rate, the count it is a share of.
struct FigureCount {
    std::int64_t count = 0;
    std::int64_t of = 0;  ///< the denominator's count (0 for a plain count, or none to share)
    friend bool operator==(const FigureCount&, const FigureCount&) = default;
};

/// One figure of docs/figures.md: its id, its count, the figure it is a share of, and its
/// breakdowns. A breakdown is keyed by dimension ("victim.gender", "suspect.ethnicity",
/// "officer") and then by category: a code of core/risk-models/rules-diversity.json, a user id
/// for "officer", or "not_recorded". Each category's `of` is the denominator's count within the
/// same category, so every category's rate is its own.
struct Figure {
    std::string id;
    FigureCount total;
    std::string over;  ///< the id of the figure this one is a share of; "" for a plain count
    std::map<std::string, std::map<std::string, FigureCount>> breakdowns;
    /// The incidents behind `total.count`, each once, in no set order (only with
    /// FigureRequest::keepIncidentIds).
    std::vector<std::string> incidentIds;
};

/// Every figure of a request, in docs/figures.md's order.
struct FigureSet {
    FigureRequest request;
    std::vector<Figure> figures;
    /// The window the repeat MARAC referrals were counted over (rules-default.json, days).
    int repeatMaracWindowDays = 365;
    /// The figure with this id; null when there is none.
    [[nodiscard]] const Figure* find(std::string_view id) const noexcept;
};

/// The ids of the figures, in order (docs/figures.md defines each in one sentence).
[[nodiscard]] const std::vector<std::string_view>& figureIds() noexcept;

/// Work out every figure for `request` from the records in `store` (a device's, or the
/// server's copy of every record: the same code gives the same numbers for the same records).
/// Incidents are the 124Ds received (submitted at least once: not drafts) dated in the period
/// and in the scope; victims and suspects are those of such incidents; feedback forms and QA
/// decisions are those made in the period on incidents in the scope, whatever their date.
/// `lists`: diversity answers outside them count as "not_recorded" (null: any answer counts).
/// `outcomes`: the crime outcome list whose `counts_as` says which of the board's categories each
/// recorded outcome counts under (null: a code counts under the category of the same name, as the
/// shipped list's do); an outcome outside the list counts under none.
/// `rules`: the Victims' Code, review and repeat MARAC rules (null: the shipped ones). Fails in
/// words when a shipped rules file it needs cannot be read.
[[nodiscard]] Result<FigureSet> computeFigures(RecordStore& store, const FigureRequest& request,
                                               const DiversityCategories* lists, const OutcomeList* outcomes = nullptr,
                                               const FigureRules* rules = nullptr);

/// The same over the figure tables of any store with the device schema: a connection of its
/// own to the server's records copy (vigil-admin reads it while vigil-server runs). The caller
/// checks the tables are derived by this code (store_meta "figure_index", FigureIndex.h).
[[nodiscard]] Result<FigureSet> computeFigures(Database& db, const FigureRequest& request,
                                               const DiversityCategories* lists, const OutcomeList* outcomes = nullptr,
                                               const FigureRules* rules = nullptr);

/// The figures of disjoint scopes (different boroughs) added together: every figure counts
/// incidents, people or decisions that belong to exactly one borough, so the sum is the
/// figures of the boroughs together.
[[nodiscard]] FigureSet addFigureSets(const std::vector<FigureSet>& sets);

/// The figures of each of `boroughs` ("" for the 124Ds with no borough recorded) for `request`
/// (its borough ignored), in the same order: what computeFigures adds up for every borough, read
/// once where the boroughs share a read (the MARAC referrals), as a board report asks.
[[nodiscard]] Result<std::vector<FigureSet>> computeFiguresByBorough(Database& db, const FigureRequest& request,
                                                                     const std::vector<std::string>& boroughs,
                                                                     const DiversityCategories* lists,
                                                                     const OutcomeList* outcomes = nullptr,
                                                                     const FigureRules* rules = nullptr);

/// The boroughs with a received incident dated from `from` (included) to `to` (excluded), in
/// order (a board report for "every borough").
[[nodiscard]] Result<std::vector<std::string>> boroughsWithFigures(Database& db, const std::string& from,
                                                                   const std::string& to);

/// The received 124Ds of a period counted by team and by week (Monday to Sunday, by the
/// incident's date): the desk's "124Ds received by team and week", as a borough's spreadsheet
/// kept them against the DV incidents of the CAD (which are not in Vigil).
struct TeamWeeks {
    std::vector<std::string> weeks;  ///< the ISO date of each week's Monday, in order
    struct Team {
        std::string team;                 ///< "" when none was recorded
        std::vector<std::int64_t> counts;  ///< one a week, as `weeks`
        std::int64_t total = 0;
    };
    std::vector<Team> teams;  ///< every team with a 124D in the period, by name
};

/// The received 124Ds dated from `from` (included) to `to` (excluded), both ISO dates, in every
/// borough the store holds, by team and week. Fails in words when a date is not a date.
[[nodiscard]] Result<TeamWeeks> incidentsByTeamAndWeek(Database& db, const std::string& from, const std::string& to);

/// The age band (a rules-diversity.json code) of someone born on `dateOfBirth` on `onDate`
/// (both ISO dates; "" when either is not a valid date or the birth is after the date).
[[nodiscard]] std::string ageBandOn(std::string_view dateOfBirth, std::string_view onDate);

}  // namespace vigil
