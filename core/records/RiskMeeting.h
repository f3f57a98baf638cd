#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/History.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"

namespace vigil {

/// One victim as the meeting sheet names them: initials only, and the grade they stand at.
struct MeetingVictim {
    std::string initials;
    std::optional<RiskGrade> standing;  ///< nullopt: no answers and no grade chosen yet
};

/// One 124D on the daily risk management meeting sheet (DOMAIN.md §6): what the inspector
/// needs to discuss it, never a victim's or suspect's name, address or phone.
struct MeetingRow {
    std::string id;
    LifecycleState state = LifecycleState::Submitted;
    std::string officer;  ///< the owner, who recorded it
    std::string team;
    std::string occurred;  ///< the incident's date as typed (the officer's local time)
    std::string cad;
    std::string cris;
    std::vector<MeetingVictim> victims;  ///< in the 124D's order
    /// The grades of the victim the row stands on (the highest standing, a decided grade before
    /// the checklist's alone): the answers' band, the officer's, the supervisor's.
    std::optional<RiskGrade> computed;
    std::optional<RiskGrade> officerGrade;
    std::optional<RiskGrade> supervisorGrade;
    std::optional<RiskGrade> standing;
    int maracCriteria = 0;  ///< MARAC criteria met, all victims
    int children = 0;
    bool hbv = false;
    bool forcedMarriage = false;
    bool restricted = false;
    /// When the row is placed, ms since the epoch (UTC): the incident's typed time, or, when the
    /// date is missing, not a date or in the future, a time from the record (`timeFromRecord`).
    std::int64_t atMs = 0;
    bool timeFromRecord = false;
    // Outstanding suspects only.
    int suspects = 0;                  ///< suspects recorded on the 124D
    std::optional<bool> arrestMade;    ///< No, or not answered yet
    bool noArrestJustification = false;  ///< a written reason why no arrest was made is on the 124D
};

/// The meeting sheet: High-risk incidents of the window, outstanding suspects of any age.
struct RiskMeeting {
    std::vector<MeetingRow> highRisk;  ///< oldest first
    std::vector<MeetingRow> suspects;  ///< longest outstanding first
    std::chrono::sys_seconds from{};   ///< the window: from .. now
    std::chrono::sys_seconds now{};
};

/// What the meeting covers and how typed times are read.
struct RiskMeetingOptions {
    std::chrono::sys_seconds now{};
    std::chrono::seconds window = std::chrono::hours(24);
    /// Typed incident times are the officer's local time (no zone is typed): UTC = typed - offset.
    int localOffsetMinutes = 0;
};

/// The states a 124D is discussed in: every state but draft (not yet a record anyone relies on)
/// and closed (its risk was reviewed at closure). Returned counts: a 124D sent back for its
/// paperwork still describes a victim at risk and a suspect at large.
[[nodiscard]] bool discussedAtMeeting(LifecycleState state) noexcept;

/// The daily risk management meeting from the 124Ds on this device (a supervisor's device
/// holds their scope):
///  - High-risk incidents: a victim stands at High (the supervisor's grade when given, else the
///    higher of the answers' band and the officer's grade: standingGrade, as every list shows
///    it) and the incident occurred within the window. A date without a time counts when any
///    part of that day falls in the window. A date missing, not a date or in the future falls
///    back to when the 124D reached its current state (its submission, or later): such a 124D
///    is shown rather than missed.
///  - Outstanding suspects: a power of arrest existed and no arrest is recorded (No, or not
///    answered), whatever its age; outstanding since the incident (or, without a usable date,
///    since the 124D was started).
/// Each row is evaluated with the rules and the history this device knows (`source`).
[[nodiscard]] Result<RiskMeeting> readRiskMeeting(IncidentRepository& repo, RecordStore& store,
                                                  const RiskModelRegistry& models, const RulesConfig& rules,
                                                  const HistorySource& source, const RiskMeetingOptions& options);

}  // namespace vigil
