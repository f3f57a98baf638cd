#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace vigil {

/// Checks of what is typed into a field whose format is known, as the officer types: a date
/// of birth is a date in the past, a phone number looks like one, a date is a date, a
/// postcode looks like a UK postcode. Each answer is words for the officer shown beside the
/// field ("" when the text looks right, or is empty). Advice only: a draft is saved whatever
/// it holds; the submission rules (SubmissionValidator) decide what a 124D must hold.
/// `path` is the field path ("victims[0].person.date_of_birth"), `today` the local date.
[[nodiscard]] std::string fieldFormatProblem(std::string_view path, std::string_view text,
                                             std::chrono::sys_days today);

/// Whether the field at `path` has a format fieldFormatProblem checks (the screen keeps room
/// beside it for the words, so nothing below moves when they appear).
[[nodiscard]] bool hasKnownFormat(std::string_view path);

}  // namespace vigil
