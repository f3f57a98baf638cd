#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/Result.h"
#include "core/domain/Incident.h"

namespace vigil {

/// How complete the history is. On a device it is whatever has synced: every result that
/// rests on history says so ("2 earlier incidents known to this device, last synced 14:32").
struct HistorySource {
    std::string description = "this device";
    std::optional<std::chrono::sys_seconds> lastSynced;  ///< nullopt: never synced
    int displayOffsetMinutes = 0;  ///< added to UTC when showing the sync time (the platform knows the zone)
};

/// An earlier incident as the rules need it.
struct HistoryIncident {
    std::string id;
    std::chrono::sys_days date{};
    bool domesticAbuse = true;   ///< a DA incident (only these count)
    bool policeCallOut = true;   ///< police attended (escalation counts call-outs)
    bool crime = false;          ///< recorded as a crime (optional crimes rule)
    std::vector<Person> victims;
};

/// An earlier MARAC referral.
struct HistoryMaracReferral {
    std::string id;
    std::chrono::sys_days date{};
    Person victim;
};

/// The history the rules look back over, and how complete it is.
struct History {
    HistorySource source;
    std::vector<HistoryIncident> incidents;
    std::vector<HistoryMaracReferral> maracReferrals;
};

/// Reads the scenario/test form of a history (see tests/data/scenarios/README.md).
[[nodiscard]] Result<History> historyFromJson(const nlohmann::json& json);

/// "last synced 14:32" (same day as `now`), "last synced 2010-03-12 14:32", or "never synced".
[[nodiscard]] std::string describeSync(const HistorySource& source, std::chrono::sys_seconds now);

}  // namespace vigil
