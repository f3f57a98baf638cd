#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/OutcomeList.h"

namespace vigil {

/// The longest note an outcome keeps (the case page's field stops typing there too).
inline constexpr std::size_t kOutcomeNoteMaxLength = 2000;

/// The rules for recording a crime's outcome on `incident` (issue 25): every problem at once, each
/// a Validation error naming its field path ("outcome.decided_on") and saying what to do.
/// A result only on a crime, from the list, with the date it was decided (not in the future,
/// `today` injected); "no further action" says why in the note; a court result only after a
/// charge, from the list, with its date; an arrest made later with its date. Nothing recorded
/// (no result, no arrest, not a homicide) is no problem: the investigation may still be open.
[[nodiscard]] std::vector<Error> validateOutcome(const Incident& incident, const CrimeOutcome& outcome,
                                                 const OutcomeList& list, std::chrono::sys_days today);

/// What closing this 124D still needs (DOMAIN.md §6, issue 25): a crime's outcome recorded.
/// Empty when it may close. The device asks before it offers the close; the lifecycle
/// (applyTransition) and the server's check of every close command ask again.
[[nodiscard]] std::vector<Error> validateClosure(const Incident& incident);

}  // namespace vigil
