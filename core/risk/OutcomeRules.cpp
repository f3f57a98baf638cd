#include "core/risk/OutcomeRules.h"

#include <string>

#include "core/common/Text.h"
#include "core/risk/Dates.h"

namespace vigil {

namespace {

Error problem(const std::string& field, const std::string& words)
{
    return makeError(ErrorCode::Validation, words, field);
}

/// A date field: required, a real date, not after today (a problem added for each that fails).
void checkDate(std::vector<Error>& errors, const std::string& field, const std::string& value, const std::string& what,
               std::chrono::sys_days today)
{
    if (isBlank(value)) {
        errors.push_back(problem(field, "Enter the date " + what + " (day, month and year)."));
        return;
    }
    const auto day = parseIsoDate(value);
    if (!day) {
        errors.push_back(problem(field, "\"" + value + "\" is not a date: enter the date " + what
                                            + " as day, month and year."));
        return;
    }
    if (*day > today)
        errors.push_back(problem(field, "The date " + what + " is after today: enter the day it happened."));
}

}  // namespace

std::vector<Error> validateOutcome(const Incident& incident, const CrimeOutcome& outcome, const OutcomeList& list,
                                   std::chrono::sys_days today)
{
    std::vector<Error> errors;
    std::optional<OutcomeCategory> category;
    if (!isBlank(outcome.result)) {
        category = list.resultCategory(outcome.result);
        if (incident.crime != true)
            errors.push_back(problem("outcome.result",
                                     "This 124D is not recorded as a crime, so it has no crime outcome. If it is a "
                                     "crime, ask a supervisor to have it recorded as one first."));
        else if (!category)
            errors.push_back(problem("outcome.result", "\"" + outcome.result
                                                           + "\" is not an outcome on this device's list: choose the "
                                                             "outcome from the list."));
        checkDate(errors, "outcome.decided_on", outcome.decidedOn, "the outcome was decided", today);
        if (category == OutcomeCategory::NoFurtherAction && isBlank(outcome.note))
            errors.push_back(problem("outcome.note", "Say in the note why no further action was taken."));
    } else if (!isBlank(outcome.decidedOn)) {
        errors.push_back(problem("outcome.result", "Choose the outcome the date is for, or clear the date."));
    }
    if (!isBlank(outcome.courtResult)) {
        if (!list.courtCategory(outcome.courtResult))
            errors.push_back(problem("outcome.court_result", "\"" + outcome.courtResult
                                                                 + "\" is not a court result on this device's list: "
                                                                   "choose one from the list."));
        else if (!category || !isCharge(*category))
            errors.push_back(problem("outcome.court_result", "A court result follows a charge: record the outcome as "
                                                             "charged first, or clear the court result."));
        checkDate(errors, "outcome.court_on", outcome.courtOn, "of the court's result", today);
    } else if (!isBlank(outcome.courtOn)) {
        errors.push_back(problem("outcome.court_result", "Choose the court's result the date is for, or clear the date."));
    }
    if (outcome.arrestedLater == true)
        checkDate(errors, "outcome.arrested_on", outcome.arrestedOn, "of the later arrest", today);
    else if (!isBlank(outcome.arrestedOn))
        errors.push_back(problem("outcome.arrested_later",
                                 "Turn on \"Arrested later\" for the date of the arrest, or clear the date."));
    if (outcome.note.size() > kOutcomeNoteMaxLength)
        errors.push_back(problem("outcome.note", "The note is longer than " + std::to_string(kOutcomeNoteMaxLength)
                                                     + " characters: shorten it."));
    return errors;
}

std::vector<Error> validateClosure(const Incident& incident)
{
    std::vector<Error> errors;
    if (incident.crime == true && isBlank(incident.outcome.result))
        errors.push_back(problem("outcome.result",
                                 "Record the crime's outcome before closing: this 124D is a crime, and closing it needs "
                                 "its outcome (charged, cautioned, no further action...) in the Outcome section."));
    return errors;
}

}  // namespace vigil
