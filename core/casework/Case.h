#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/casework/CaseEvent.h"
#include "core/casework/FeedbackForms.h"
#include "core/casework/Orders.h"
#include "core/casework/SafeContactRules.h"
#include "core/domain/Incident.h"
#include "core/risk/Lifecycle.h"

namespace vigil {

/// Where a victim's case stands, as IDVA services run them (DOMAIN.md §7).
enum class CaseStatus { Referred, Contacted, Assessed, Supported, Closed, Declined, Dropped, Dormant };
[[nodiscard]] std::span<const CaseStatus> allCaseStatuses() noexcept;
[[nodiscard]] std::string_view toString(CaseStatus status) noexcept;  ///< "referred", ...
[[nodiscard]] std::optional<CaseStatus> caseStatusFromString(std::string_view text) noexcept;
/// "Referred", "Contacted", "Assessed", "Being supported", "Closed", "Declined support", ...
[[nodiscard]] std::string caseStatusWords(CaseStatus status);
/// Open: the caseload shows it and its Victims' Code clock runs.
[[nodiscard]] bool isOpen(CaseStatus status) noexcept;

/// What came of a contact attempt.
enum class ContactOutcome { Spoke, NoAnswer, UnsafeToTalk, MessageLeft };
[[nodiscard]] std::span<const ContactOutcome> allContactOutcomes() noexcept;
[[nodiscard]] std::string_view toString(ContactOutcome outcome) noexcept;  ///< "spoke", "no_answer", ...
[[nodiscard]] std::optional<ContactOutcome> contactOutcomeFromString(std::string_view text) noexcept;
[[nodiscard]] std::string contactOutcomeWords(ContactOutcome outcome);

/// One contact with (or attempt to reach) the victim. Append-only: written once by whoever
/// made it, never changed or removed.
struct CaseContact {
    std::string id;
    std::string at;  ///< ISO 8601 UTC
    std::string by;  ///< user id
    ContactMethod method = ContactMethod::Phone;
    ContactOutcome outcome = ContactOutcome::Spoke;
    std::string notes;
    std::string actions;
    std::string nextDue;  ///< ISO 8601 UTC, "" when none
    /// What this contact did for the Victims' Code: "first_contact", "needs_assessment",
    /// "victim_services", "bail_consultation", "update:<event id>".
    std::vector<std::string> duties;
    std::string caution;  ///< the safe-contact caution shown when it was made ("" when none)
    /// Set on reading: logged by an IDVA the victim is referred to (the `to_user` of a referral
    /// of hers), and, for a contact of the victim's other case, that case's kind.
    bool byIdva = false;
    std::string otherCaseKind;  ///< "" for the case's own contacts; "idva" or "investigation"
};

/// Does this device not hold the contact's notes and actions because an IDVA's service keeps
/// them? Police users receive of an IDVA's contact only that it happened and its outcome
/// (sharing-police.json; the server removes the notes and actions before they leave it), so a
/// police user's view says so instead of showing an empty notes line. An IDVA holds them all.
[[nodiscard]] bool notesKeptByIdvaService(const CaseContact& contact, Role viewer) noexcept;

/// A Victims' Code event as the case records it (an arrest, a charge decision...).
struct CaseEventRecord {
    CaseEvent event;
    std::string by;
    std::string notes;
    /// A charge decision: whether the suspect was charged (a charge calls for the after-charge
    /// feedback form); nullopt when not said, and for other kinds.
    std::optional<bool> charged;
};

/// An event of the victim's other case on the same 124D, with that case's kind ("idva" or
/// "investigation").
struct OtherCaseEvent {
    CaseEventRecord record;
    std::string caseKind;
};

/// One item of the victim's safety plan.
struct SafetyItem {
    std::string id;
    std::string text;
    bool done = false;
    std::string by;
    std::string at;
};

/// A re-assessment of the victim's risk on the case (the partner agencies' RIC for an IDVA, or
/// the DASH for the officer in the case): a new assessment, never an edit of the officer's 124D.
/// Written once, whole; a later one supersedes it.
struct RiskReassessment {
    std::string id;
    std::string at;  ///< ISO 8601 UTC
    std::string by;
    DashAssessment assessment;  ///< the model it was made with and every answer
    /// The assessor's grade (professional judgement): none means the checklist's band stands;
    /// higher than the band needs a reason; never lower (checkOfficerGrade's rule).
    GradeDecision judgement;
    /// Filled when read: the band the answers give under their model, and the grade that stands.
    std::optional<RiskGrade> computed;
    std::optional<RiskGrade> standing;
    int yesCount = 0;
};

/// A victim-centred case: one per victim per agency (an IDVA service) or investigation, opened
/// from the incident the victim was referred or allocated from. Its rows sync under that
/// incident, so who may see the case follows the incident's access rules.
struct VictimCase {
    std::string id;
    std::string incidentId;  ///< the incident it was opened from
    std::string victimId;    ///< the victim's person row on that incident
    std::string kind;        ///< "idva" or "investigation"
    std::string agency;      ///< for an IDVA case: the referral's agency
    std::string holder;      ///< the IDVA or officer in the case who holds it
    std::string referralId;  ///< the referral it follows, for an IDVA case
    CaseStatus status = CaseStatus::Referred;
    std::string statusBy;
    std::string statusAt;
    std::string referredAt;      ///< ISO 8601 UTC
    std::string firstAttemptAt;  ///< the first contact attempt, "" until one ("time to first contact")
    /// The latest contact and the next one it set, kept on the case row with each contact so a
    /// caseload reads no contacts (ISO 8601 UTC, "" when none).
    std::string lastContactAt;
    std::string nextContactDue;
    bool servicesConsent = false;   ///< the victim agreed to her details going to victim services
    /// When and by whom her answer was recorded (ISO 8601 UTC, "" when never): the 2 working
    /// days to send her details run from her consent when it came after the report.
    std::string servicesConsentAt;
    std::string servicesConsentBy;
    std::vector<CaseContact> contacts;     ///< oldest first
    /// The victim's contacts logged in her other cases on the same 124D (an IDVA's, for an
    /// investigation; the officer in the case's, for an IDVA's), oldest first, so nobody calls
    /// her twice or at a bad time. Read only: they count for nothing due in this case.
    std::vector<CaseContact> otherContacts;
    std::vector<CaseEventRecord> events;   ///< oldest first
    /// The events recorded in her other cases on the same 124D (the investigation's charge, for
    /// an IDVA's case), oldest first. Read only: they call for the after-charge feedback form
    /// (feedbackFormStatuses) and count for nothing else due in this case.
    std::vector<OtherCaseEvent> otherEvents;
    std::vector<SafetyItem> safety;        ///< in the order added
    std::vector<ProtectiveOrder> orders;   ///< in the order made
    std::vector<Breach> breaches;          ///< oldest first (append-only)
    std::vector<RiskReassessment> reassessments;  ///< oldest first
    std::vector<FeedbackForm> feedbackForms;  ///< oldest first (append-only)
    FeedbackResponses feedbackResponses;      ///< anonymous responses received, counted per kind
};

/// Which case: an IDVA's follows a referral (`source` = the referral's id); an investigation's
/// follows a victim of the allocated incident (`source` = the victim's person id).
struct CaseKey {
    std::string kind;    ///< "idva" or "investigation"
    std::string source;  ///< the referral id, or the victim id
    friend bool operator==(const CaseKey&, const CaseKey&) = default;
};
[[nodiscard]] inline CaseKey referralCase(const std::string& referralId) { return {"idva", referralId}; }
[[nodiscard]] inline CaseKey investigationCase(const std::string& victimId) { return {"investigation", victimId}; }

/// A case's record id, derived from its key (uuidFromName), so two devices opening the same
/// case make the same record.
[[nodiscard]] std::string caseIdFor(const CaseKey& key);

}  // namespace vigil
