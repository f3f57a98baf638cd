#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/casework/SafeContactRules.h"
#include "core/common/Result.h"

namespace vigil {

struct VictimCase;

/// Which victim feedback form (DOMAIN.md §7; seed 004 §4.5: feedback is sought "1. After the
/// suspect has been charged, 2. At the conclusion of the investigation whether positive or
/// negative result at court"). The seeds name no other stage and give no deadline for either.
enum class FeedbackFormKind { AfterCharge, AtConclusion };

[[nodiscard]] std::span<const FeedbackFormKind> allFeedbackFormKinds() noexcept;
[[nodiscard]] std::string_view toString(FeedbackFormKind kind) noexcept;  ///< "after_charge", "at_conclusion"
[[nodiscard]] std::optional<FeedbackFormKind> feedbackFormKindFromString(std::string_view text) noexcept;
/// "After charge", "At the conclusion of the case".
[[nodiscard]] std::string feedbackFormWords(FeedbackFormKind kind);

/// One feedback form issued to the victim. Append-only, like a contact: written once by whoever
/// issued it, never changed or removed. It says nothing of what the victim answered: responses
/// are anonymous and collated centrally (seed 004 §4.6), so the case keeps only how many came back
/// (FeedbackResponses).
struct FeedbackForm {
    std::string id;
    FeedbackFormKind kind = FeedbackFormKind::AfterCharge;
    std::string at;  ///< when it was issued, ISO 8601 UTC
    std::string by;  ///< user id
    ContactMethod method = ContactMethod::AtAgency;
    std::string caution;  ///< the safe-contact caution shown when it was issued ("" when none)
};

/// How many anonymous responses came back for a case's forms, per kind. A count only: nothing
/// links a response to what it says. Kept on the case row; the last count recorded stands.
struct FeedbackResponses {
    int afterCharge = 0;
    int atConclusion = 0;
    std::string by;  ///< who recorded the last count
    std::string at;  ///< when, ISO 8601 UTC
    [[nodiscard]] int count(FeedbackFormKind kind) const noexcept
    {
        return kind == FeedbackFormKind::AfterCharge ? afterCharge : atConclusion;
    }
};

/// May a feedback form go to the victim by `method` at `at`? The safe-contact rules of a contact
/// (checkContact, with its words): a method the victim said is unsafe is refused, at the agency is
/// always allowed, a method nobody asked about is allowed with a caution. One difference: a letter
/// is not held to the safe times, because when it is posted says nothing of when it arrives (its
/// caution still says the 124D does not ask whether post is safe). Email, text and voicemail arrive
/// at once and a visit or call is made then, so their safe times apply as for any contact. The same
/// function decides on the device and on the server.
[[nodiscard]] ContactVerdict checkFeedbackForm(const SafeContact& answers, ContactMethod method, std::chrono::sys_seconds at);

/// Where one kind of form stands on a case.
enum class FeedbackState {
    NotDue,     ///< nothing in the case calls for it yet
    MaybeDue,   ///< a charge decision is recorded without saying whether the suspect was charged
    Due,        ///< called for (a charge is recorded; the case is closed) and not issued
    Issued,     ///< issued at least once
};

struct FeedbackFormStatus {
    FeedbackFormKind kind = FeedbackFormKind::AfterCharge;
    FeedbackState state = FeedbackState::NotDue;
    /// What calls for it, or what it waits for, in words: "Due: the suspect was charged (Thursday
    /// 3 December 2026).", "Not due: no charge is recorded in this case.", "Issued twice; last on
    /// Friday 4 December 2026 by letter."
    std::string words;
    int issued = 0;
    int responses = 0;
};

/// Each kind of form on `c`, in the order of allFeedbackFormKinds(): after charge is due once the
/// case's events record a charge (a charge decision that says the suspect was charged); at
/// conclusion once the case is closed. No deadline: the seeds give none.
[[nodiscard]] std::vector<FeedbackFormStatus> feedbackFormStatuses(const VictimCase& c);

/// Check a count of responses received for one kind of form: a whole number from 0 to the number
/// of forms of that kind issued in the case (a response cannot come back for a form never issued).
/// The error says what was wrong and what to do.
[[nodiscard]] Status validateFeedbackResponses(FeedbackFormKind kind, int count, int issued);

/// How a form went, in words: "by letter", "by email", "handed over on a visit", "handed over at
/// the agency".
[[nodiscard]] std::string feedbackMethodWords(ContactMethod method);

/// The case-row fields that keep the counts (FeedbackResponses), by kind, and who last set them.
[[nodiscard]] std::string feedbackResponsesField(FeedbackFormKind kind);  ///< "feedback.responses.after_charge"
inline constexpr std::string_view kFeedbackResponsesBy = "feedback.responses_by";
inline constexpr std::string_view kFeedbackResponsesAt = "feedback.responses_at";

}  // namespace vigil
