#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/Incident.h"
#include "core/risk/History.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RiskScorer.h"
#include "core/risk/RulesConfig.h"

namespace vigil {

/// Why a victim meets the MARAC referral criteria (DOMAIN.md §3).
enum class MaracCriterionKind {
    VisibleHighRisk,       ///< Yes count in the model's high band
    ProfessionalJudgement, ///< graded High above the score, or referred on judgement
    PotentialEscalation,   ///< N+ police call-outs for DA in the window, counting this one
    RepeatMarac,           ///< a new incident within the window after the last referral
    AutomaticFlag,         ///< HBV, forced marriage (configurable): decision forced to refer
    CrimesThreshold,       ///< optional: N+ crimes in the window, counting this one
};

[[nodiscard]] std::string_view toString(MaracCriterionKind kind) noexcept;

/// One criterion met, with why, and what it rests on ("the answers in this assessment", or
/// the history and how complete it is).
struct MaracCriterion {
    MaracCriterionKind kind = MaracCriterionKind::VisibleHighRisk;
    std::string reason;
    std::string basis;
};

/// The MARAC criteria a victim meets.
struct MaracAssessment {
    std::vector<MaracCriterion> criteria;
    bool referralForced = false;  ///< an automatic criterion: the decision must be "refer"

    [[nodiscard]] bool any() const noexcept { return !criteria.empty(); }
    [[nodiscard]] bool has(MaracCriterionKind kind) const noexcept;
};

/// Is this victim a repeat victim (an earlier DA incident within the window)?
struct RepeatVictimResult {
    bool repeat = false;
    std::string reason;
    std::string basis;
    std::vector<std::string> earlierIncidentIds;  ///< matched incidents within the window
};

/// What the history says about one victim, gathered in one pass over it.
struct VictimHistoryFacts {
    int earlierIncidents = 0;     ///< matched DA incidents on or before the incident date
    int callOutsInWindow = 0;     ///< matched earlier DA call-outs within the escalation window
    int crimesInWindow = 0;       ///< matched earlier crimes within the crimes-rule window
    std::vector<std::string> repeatIncidentIds;  ///< matched earlier DA incidents in the repeat window
    int earlierReferrals = 0;
    std::optional<std::chrono::sys_days> lastReferral;  ///< latest referral on or before the incident date
    std::string basis;  ///< "2 earlier incidents for this victim known to this device, last synced 14:32"
};

/// Matches the victim against the history (person matching) and counts what the rules need.
/// Incidents after the current incident's date, and the current incident itself (same id),
/// are ignored. `now` only affects how the sync time is described.
[[nodiscard]] VictimHistoryFacts collectVictimHistory(const Person& victim, std::string_view currentIncidentId,
                                                      std::chrono::sys_days incidentDate, const History& history,
                                                      const RulesConfig& rules, std::chrono::sys_seconds now);

[[nodiscard]] RepeatVictimResult assessRepeatVictim(const VictimHistoryFacts& facts, const Incident& incident,
                                                    const RulesConfig& rules);

/// Everything needed to decide the MARAC criteria for one victim.
struct MaracInputs {
    const Incident& incident;
    const Victim& victim;
    std::chrono::sys_days incidentDate;
    const DashScore& score;
    const RiskModel& model;
    RiskGrade effective;
    const VictimHistoryFacts& facts;
    const RulesConfig& rules;
};

[[nodiscard]] MaracAssessment assessMarac(const MaracInputs& in);

/// Whether a named flag (as in the incident JSON) is set.
[[nodiscard]] bool incidentFlagSet(const IncidentFlags& flags, std::string_view name) noexcept;
/// "Honour-based violence", "Forced marriage", ... for messages.
[[nodiscard]] std::string flagLabel(std::string_view name);

}  // namespace vigil
