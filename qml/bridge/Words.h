#pragma once

#include <QString>

#include "core/risk/ReviewCadence.h"

namespace vigil::app {

/// Words for people, one place for every screen: a 124D's lifecycle state, its short
/// reference, and dates and times in the user's locale (never "2026-12-06T12:50" or "submitted").

/// Whose screen the words are for: a returned 124D is "Returned to you" for its officer and
/// "Returned to the officer" on a supervisor's desk.
enum class StateReader { Officer, Supervisor };

/// "Draft", "Submitted for review", "Returned to you", ... for a lifecycle state id.
[[nodiscard]] QString stateWords(const QString& state, StateReader reader = StateReader::Officer);

/// Vigil's own short reference for a 124D, from its id: "V-3F9A2C" (six hex digits of the
/// random id, upper case: two 124Ds with the same victim initials can be told apart).
[[nodiscard]] QString shortReference(const QString& incidentId);

/// An ISO date ("2026-12-06") or date and time ("2026-12-06T12:50") as the user's locale writes
/// it (short form: "06/12/2026 12:50" in en_GB); text that is neither comes back as it is.
[[nodiscard]] QString dateTimeWords(const QString& iso);

/// The same in the locale's long form ("Sunday, 6 December 2026 at 17:33"), to read back what
/// was typed; "" for text that is not a date.
[[nodiscard]] QString dateTimeReadBack(const QString& iso);

/// A moment the app recorded (ISO 8601 UTC, "2026-12-06T19:30:00.000Z") in the user's local
/// time, short form ("06/12/2026 19:30"); text that is not one comes back as it is.
[[nodiscard]] QString instantWords(const QString& isoUtc);

/// "Supervisor (DS)", "Inspector (DI)", "Chief inspector (DCI)": who a review is asked of.
[[nodiscard]] QString reviewLevelLabel(ReviewLevel level);

/// "High", "Medium", "Standard" for a grade id ("high"); "" for anything else.
[[nodiscard]] QString gradeWords(const QString& grade);

}  // namespace vigil::app
