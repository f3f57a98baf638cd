#pragma once

#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/RiskEngine.h"

namespace vigil {

/// The rules at submission (DOMAIN.md §5). Returns every problem at once, each an Error with
/// code Validation, a message saying what to do, and the field path of the field to fix.
/// An empty list means the 124D may be submitted. Nothing is changed or lost: the caller
/// keeps the draft whatever this returns.
[[nodiscard]] std::vector<Error> validateSubmission(const Incident& incident, const RuleContext& context);

/// A draft may be saved in any state; this only reports what would make the record itself
/// ambiguous (two victims with the same id). It never blocks on missing or invalid answers.
[[nodiscard]] std::vector<Error> validateDraft(const Incident& incident);

/// True if any error names exactly this field path.
[[nodiscard]] bool hasFieldError(const std::vector<Error>& errors, std::string_view field) noexcept;

}  // namespace vigil
