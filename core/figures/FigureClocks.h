#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/Result.h"
#include "core/figures/Figures.h"

namespace vigil {

class Database;
class Query;
class WorkingDays;
struct RulesConfig;
struct VictimsCodeRules;

/// The casework figures of issue 25 that run on a clock (docs/figures.md): the Victims' Code
/// items due and done on time, and the reviews due and overdue.
/// computeFigures (Figures.cpp) calls these over the derived tables (figure_incident's packed
/// clocks); each reads its own rows and uses the rule the rest of Vigil uses (the Victims' Code
/// clock victimsCodeItems, the review cadence nextReviewDue), never one of its own. The repeat
/// MARAC referrals are matched when derived (figure_index::refreshMaracGaps, by matchPersons).
namespace figure_clocks {

/// The rules to count with: those given, else the shipped ones (core/risk-models, read once).
/// Fails in words when a shipped file cannot be read.
[[nodiscard]] Result<FigureRules> rulesOf(const FigureRules* given);

/// The first instant of an ISO date in London (nullopt when it is not a date).
[[nodiscard]] std::optional<std::chrono::sys_seconds> londonStartOf(const std::string& isoDate);

/// The 124Ds counted: an SQL condition on figure_incident (with the table's name) that names one
/// borough as the parameter :borough, and what binds its parameters.
struct Scope {
    std::string where;
    std::function<void(Query&)> bind;
};

/// The Victims' Code items of the victims of the 124Ds in `scope` (whatever their date) that
/// fell due after `from` and by `until` (an item due "by the end of" the period's last day is
/// the period's), worked out at `now` by
/// victimsCodeItems from each victim's investigation case: [0] "victims_code_due", [1]
/// "victims_code_on_time" (of them, those done before they were due). Both broken down by
/// "duty" (toString(VictimDuty)). A case whose records the clock refuses (two events with one id)
/// counts no item.
[[nodiscard]] Result<std::pair<Figure, Figure>> victimsCodeFigures(Database& db, const Scope& scope,
                                                                   std::chrono::sys_seconds from,
                                                                   std::chrono::sys_seconds until,
                                                                   const VictimsCodeRules& rules,
                                                                   const WorkingDays& calendar,
                                                                   std::chrono::sys_seconds now, bool keepIds);

/// Where the Victims' Code items due each day are kept (figure_code_day): the borough and team
/// ("" for every team) of the scope, and what they are counted with (victimsCodeCountedWith).
struct KeptDays {
    std::string borough;
    std::string team;
    std::string countedWith;
};
/// A day's counts worked out from the facts, to be kept: its ISO date and its counts.
struct KeptDay {
    std::string day;
    std::string counts;
};

/// What a day's kept counts were counted with: the Victims' Code deadlines and the bank holidays.
[[nodiscard]] std::string victimsCodeCountedWith(const VictimsCodeRules& rules, const WorkingDays& calendar);

/// victimsCodeFigures over the London days from `fromDay` (included) to `toDay` (excluded), worked
/// out at `now`, without the incidents: each day over by `now` is added up from its kept counts, or
/// worked out from the facts when it has none (and handed back in `made`, to be kept); the rest of
/// the period (up to `now`) from the facts. The same figures as victimsCodeFigures over the same
/// instants: an item due by a day's end is settled once the day is over.
[[nodiscard]] Result<std::pair<Figure, Figure>> victimsCodeFiguresByDay(
    Database& db, const Scope& scope, const KeptDays& kept, std::chrono::local_days fromDay,
    std::chrono::local_days toDay, const VictimsCodeRules& rules, const WorkingDays& calendar,
    std::chrono::sys_seconds now, std::vector<KeptDay>& made);

/// The investigations in `scope` (whatever their date) due a supervisor's review at `asOf`, by
/// nextReviewDue over their state then and the reviews logged by then: [0] "reviews_due", [1]
/// "reviews_overdue" (of them, those whose review was overdue then). Broken down by "officer".
[[nodiscard]] Result<std::pair<Figure, Figure>> reviewFigures(Database& db, const Scope& scope,
                                                              std::chrono::sys_seconds asOf, const RulesConfig& rules,
                                                              bool keepIds);

}  // namespace figure_clocks
}  // namespace vigil
