#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/History.h"
#include "core/risk/MaracRules.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RiskScorer.h"
#include "core/risk/RulesConfig.h"

namespace vigil {

/// Everything the rules read besides the incident. `now` is injected (never the system
/// clock inside a rule) so results are reproducible and testable.
struct RuleContext {
    const RiskModelRegistry& models;
    const RulesConfig& rules;
    const History& history;
    std::chrono::sys_seconds now;
};

/// Every rule's result for one victim.
struct VictimEvaluation {
    DashScore score;
    RiskGrade effective = RiskGrade::Standard;
    std::vector<std::string> specssFactors;  ///< same as score.specssFactors, for convenience
    RepeatVictimResult repeatVictim;
    MaracAssessment marac;
};

/// Every rule's result for an incident, victim by victim (same order as incident.victims).
struct IncidentEvaluation {
    std::vector<VictimEvaluation> victims;
    bool restricted = false;
};

/// "victims[0]": the field-path prefix for a victim (0-based, see docs/risk-model.md).
[[nodiscard]] std::string victimPath(std::size_t index);

/// Evaluates one victim. When `incidentDate` is nullopt the history is not consulted and the
/// history-based results say so (used by validation when the date is missing or invalid).
[[nodiscard]] Result<VictimEvaluation> evaluateVictimAt(const Incident& incident, std::size_t victimIndex,
                                                        const RuleContext& context,
                                                        std::optional<std::chrono::sys_days> incidentDate);

/// Evaluates one victim; the incident date must be valid (error on `incident.date` if not).
[[nodiscard]] Result<VictimEvaluation> evaluateVictim(const Incident& incident, std::size_t victimIndex,
                                                      const RuleContext& context);

/// Evaluates every victim; the first failure (unknown model, invalid date) is returned.
[[nodiscard]] Result<IncidentEvaluation> evaluateIncident(const Incident& incident, const RuleContext& context);

}  // namespace vigil
