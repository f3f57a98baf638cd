#pragma once

#include <cstdint>
#include <vector>

#include "core/records/IncidentRepository.h"

namespace vigil::test {

/// The home list as it was assembled before schema step 7 (issue 7): per incident, its row,
/// its people and a count of its ops over the outbox, then a join of the whole outbox for
/// the unsent 124Ds. Slow on large stores, plainly right: tests compare the fast list with
/// it, and the records benchmark times both on the same store. With `models`, each victim's
/// grade comes from the whole incident as the form reads it (IncidentRepository::read),
/// scored and put through effectiveGrade.
[[nodiscard]] Result<std::vector<IncidentSummary>> referenceHomeList(RecordStore& store, std::size_t limit,
                                                                     const RiskModelRegistry* models = nullptr);
[[nodiscard]] Result<std::int64_t> referenceUnsentIncidentCount(RecordStore& store);

}  // namespace vigil::test
