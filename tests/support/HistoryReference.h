#pragma once

#include "core/records/IncidentRepository.h"

namespace vigil {
class Database;
}

namespace vigil::test {

/// A victim's history found as it was before schema step 11: every victim of the same
/// normalised name (person_index.name_key) read whole from its record and put through
/// matchPersons. Slow on large stores, plainly right, and it needs only the index's first four
/// columns, so it also reads a store not yet upgraded: tests compare historyFor with it.
[[nodiscard]] Result<History> referenceHistoryFor(RecordStore& store, const Incident& incident, std::size_t victimIndex,
                                                  const HistorySource& source);

/// Put the look-up indexes back as schema steps 3 to 9 left them, keeping their rows:
/// person_index with names only (the columns step 11 adds gone), no derived-index version in
/// store_meta, no index of incidents by state (step 12), as on a device that has not yet run a
/// version with step 11. The caller sets user_version.
[[nodiscard]] Status indexesAsBeforeStep11(Database& db);

}  // namespace vigil::test
