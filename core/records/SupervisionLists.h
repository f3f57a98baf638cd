#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/Result.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/ReviewCadence.h"
#include "core/risk/RulesConfig.h"

namespace vigil {

/// One investigation on the desk's review list (issue 23 item 4).
struct ReviewDueRow {
    std::string id;
    std::string officer;
    std::string team;
    std::string occurred;
    std::vector<std::string> initials;
    std::string cad;
    std::string cris;
    LifecycleState state = LifecycleState::Approved;
    bool seriousSexualOffence = false;
    bool restricted = false;
    ReviewDue due;
    std::string lastReviewAt;  ///< "" when never reviewed
    std::string lastReviewBy;
    [[nodiscard]] bool overdue(std::chrono::sys_seconds now) const noexcept { return due.due < now; }
};

/// Every 124D on the device due a supervisor's review (approved, under investigation, and
/// serious sexual offences from submission), the overdue first (the longest overdue first),
/// then the soonest due. Three reads of the scope (the log, the 124Ds, their victims), each row
/// handed past once with only the fields the list shows parsed, never held whole.
[[nodiscard]] Result<std::vector<ReviewDueRow>> readReviewsDue(RecordStore& store,
                                                               const RulesConfig& rules, std::chrono::sys_seconds now);

/// The times a 124D's review cadence counts from: when it was started (its row's creation)
/// and when it took its present state (its state's stamp).
[[nodiscard]] ReviewClock reviewClockOf(const RecordRow& incidentRow);

/// One return of a 124D to its officer, from the supervision log.
struct QaReturn {
    std::string incidentId;
    std::string officer;
    std::string team;
    std::string at;
    std::string by;
    std::string notes;
    std::vector<std::string> sections;
};

/// Per officer, the QA decisions on their 124Ds in a period (the boroughs' "officers failing
/// QA" spreadsheet): checked (approved + returned), returned, the sections most returned.
struct OfficerQa {
    std::string officer;
    std::string team;
    int approved = 0;
    int returned = 0;
    std::vector<std::pair<std::string, int>> sections;  ///< most often returned first
    [[nodiscard]] int checked() const noexcept { return approved + returned; }
    /// Returned over checked, 0–100, rounded; 0 when nothing was checked.
    [[nodiscard]] int returnRatePercent() const noexcept;
};

struct QaReturnsReport {
    std::vector<OfficerQa> officers;  ///< the highest return rate first, then the most returned
    std::vector<QaReturn> returns;    ///< the newest first
};

/// QA decisions logged in [from, to) on the device's 124Ds, per officer, and every return.
[[nodiscard]] Result<QaReturnsReport> readQaReturns(RecordStore& store, std::chrono::sys_seconds from,
                                                     std::chrono::sys_seconds to);

}  // namespace vigil
