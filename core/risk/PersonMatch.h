#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/Incident.h"

namespace vigil {

/// Person matching for repeat victims and escalation. Deliberately strict: it forgives how a
/// name was typed (case, spaces, hyphens, apostrophes, accents) but never a different
/// spelling. "Smith" and "Smyth" stay two people: a false merge would attach someone else's
/// history to a victim, which is worse than a missed match an officer can still spot.

/// Lower-case ASCII words separated by single spaces: accents folded (é -> e, ß -> ss),
/// apostrophes removed (O'Neil -> oneil), hyphens and other punctuation made spaces
/// (Mary-Ann -> mary ann). Characters outside Latin-1 and Latin Extended-A are kept as typed.
[[nodiscard]] std::string normaliseName(std::string_view name);

/// UK postcode without spaces, upper case: "e8 1ab" -> "E81AB".
[[nodiscard]] std::string normalisePostcode(std::string_view postcode);

/// House number or name, normalised like a name: "Flat 2" -> "flat 2".
[[nodiscard]] std::string normaliseHouse(std::string_view house);

/// A person reduced to what matching compares.
struct NormalisedPerson {
    std::string name;
    std::optional<std::chrono::sys_days> dateOfBirth;
    std::string postcode;
    std::string house;
};

[[nodiscard]] NormalisedPerson normalisePerson(const Person& person);

/// Why two records were taken to be the same person.
enum class MatchBasis {
    None,               ///< not the same person (or not enough to tell)
    NameAndDateOfBirth, ///< same normalised name and the same date of birth
    NameAndAddress,     ///< same name, a date of birth missing on one side, same postcode and house
};

/// The rule: names must be equal after normalisation. When both dates of birth are known they
/// decide (different dates: not a match, whatever the address). Only when one is missing may
/// the address (postcode + house number/name, both present on both sides) stand in for it.
/// IncidentRepository::historyFor narrows its candidates in SQL by these same facts (kept in
/// person_index) before calling this: a rule that matches more must widen that query too.
[[nodiscard]] MatchBasis matchPersons(const NormalisedPerson& a, const NormalisedPerson& b) noexcept;
[[nodiscard]] MatchBasis matchPersons(const Person& a, const Person& b);

/// Same postcode and house number/name after normalisation (both must be present).
[[nodiscard]] bool sameAddress(const Address& a, const Address& b);

}  // namespace vigil
