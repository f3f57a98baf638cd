#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "core/common/Result.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"

namespace vigil {

/// What to generate. Everything is synthetic: invented names, invented streets, postcodes of
/// the right shape for the borough but not checked against real addresses. Never real data.
struct DemoOptions {
    int incidents = 50;
    std::uint64_t seed = 2026;
    std::chrono::sys_days lastDay = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23};
    int spanDays = 365;                  ///< incidents fall in the span before lastDay
    std::string borough = "Hackney";
    std::string team = "HK-RESPONSE-1";
    std::string owner = "officer-demo";  ///< owning user of every incident
    double repeatShare = 0.3;            ///< share of incidents whose victim was seen before
    /// true: only the moves the owner (an officer) may make — drafts and submitted records, as
    /// on a real officer's device, so every command syncs. false: the full mix of states
    /// (returned, approved, under investigation, closed), each move made by a role the
    /// lifecycle table allows — for local demos and benchmarks only.
    bool ownerTransitionsOnly = true;
};

/// What was generated, for the tool to print and tests to check.
struct DemoSummary {
    int incidents = 0;
    int victims = 0;
    int repeatIncidents = 0;                  ///< incidents of a victim with an earlier one
    std::map<RiskGrade, int> grades;          ///< by the officer's grade (first victim)
    std::map<LifecycleState, int> states;
};

/// Generate realistic synthetic 124Ds into the device store: a spread of grades (roughly
/// half standard, a third medium, the rest high), repeat victims whose later incidents
/// escalate, children with MERLIN references, arrests or justifications, RARA actions and
/// referrals where the core's MARAC criteria are met (using the history on the device, as an
/// officer would), and a mix of lifecycle states. Deterministic for a seed.
[[nodiscard]] Result<DemoSummary> generateDemoData(IncidentRepository& repo, RecordStore& store,
                                                   const RiskModelRegistry& models, const RulesConfig& rules,
                                                   const DemoOptions& options, const Actor& actor);

}  // namespace vigil
