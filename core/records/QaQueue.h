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

/// One 124D waiting for a supervisor's quality assurance: what the sergeant needs to see to
/// pick the next one (the borough spreadsheets' columns), never a victim's name.
struct QaRow {
    std::string id;
    std::string officer;                  ///< the owner, who submitted it
    std::string team;
    std::string occurred;                 ///< the incident's date as typed
    std::vector<std::string> initials;    ///< each victim's initials
    std::optional<RiskGrade> computed;    ///< the highest band the answers give (nullopt: no answers)
    std::optional<RiskGrade> officerGrade;///< the highest grade the officer gave
    RiskGrade standing = RiskGrade::Standard;  ///< what the queue sorts by: the higher of the two
    int maracCriteria = 0;                ///< MARAC criteria met, all victims
    int children = 0;
    bool hbv = false;
    bool forcedMarriage = false;
    bool restricted = false;
    std::string cad;
    std::string cris;
    std::int64_t submittedAtMs = 0;       ///< when it was submitted (its state's stamp), ms since the epoch
};

/// Every submitted 124D on this device (a supervisor's device holds their scope), High first,
/// then the longest waiting. Each is evaluated with the rules and the history this device
/// knows (`source`: where that history comes from).
[[nodiscard]] Result<std::vector<QaRow>> readQaQueue(IncidentRepository& repo, const RiskModelRegistry& models,
                                                     const RulesConfig& rules, const HistorySource& source,
                                                     std::chrono::sys_seconds now);

/// The queue's order: the higher standing grade first, then submitted earlier first.
[[nodiscard]] bool qaBefore(const QaRow& a, const QaRow& b) noexcept;

}  // namespace vigil
