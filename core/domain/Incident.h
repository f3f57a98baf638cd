#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/Result.h"

namespace vigil {

/// The 124D record (DOMAIN.md §2) as a plain value type. Everything an officer types is kept
/// as typed (dates as ISO text, references as text) so a draft can be saved in any state;
/// the rules parse and check it at submission. JSON names match the field-path scheme
/// documented in docs/risk-model.md (snake_case, 0-based indices).

/// A DASH answer. NotAsked (victim declined or could not answer) never counts as Yes.
enum class AnswerValue { Yes, No, DontKnow, NotAsked };

/// A risk grade, ordered: Standard < Medium < High.
enum class RiskGrade { Standard = 0, Medium = 1, High = 2 };

/// The MARAC referral decision recorded for one victim.
enum class MaracDecisionKind { Undecided, Refer, NotRefer };

/// The RARA model (seed 002 §41): how an action manages the risk.
enum class RaraKind { Remove, Avoid, Reduce, Accept };

/// Where a 124D is in its life (DOMAIN.md §2).
enum class LifecycleState { Draft, Submitted, Returned, Approved, UnderInvestigation, Closed };

[[nodiscard]] std::string_view toString(AnswerValue value) noexcept;
[[nodiscard]] std::string_view toString(RiskGrade grade) noexcept;
[[nodiscard]] std::string_view toString(MaracDecisionKind decision) noexcept;
[[nodiscard]] std::string_view toString(RaraKind kind) noexcept;
[[nodiscard]] std::string_view toString(LifecycleState state) noexcept;
[[nodiscard]] std::optional<AnswerValue> answerValueFromString(std::string_view text) noexcept;
[[nodiscard]] std::optional<RiskGrade> riskGradeFromString(std::string_view text) noexcept;
[[nodiscard]] std::optional<MaracDecisionKind> maracDecisionFromString(std::string_view text) noexcept;
[[nodiscard]] std::optional<RaraKind> raraKindFromString(std::string_view text) noexcept;
[[nodiscard]] std::optional<LifecycleState> lifecycleStateFromString(std::string_view text) noexcept;
/// "Standard", "Medium", "High": for messages.
[[nodiscard]] std::string_view gradeLabel(RiskGrade grade) noexcept;

/// The four optional reference numbers on a 124D.
struct References {
    std::string cad;        ///< the emergency call
    std::string cris;       ///< the crime report
    std::string crimint;    ///< intelligence
    std::string merlinPac;  ///< children's pre-assessment check
    friend bool operator==(const References&, const References&) = default;
};

/// An address as the matching rules need it: a free line, the house number or name, the postcode.
struct Address {
    std::string line;
    std::string houseNumberOrName;
    std::string postcode;
    friend bool operator==(const Address&, const Address&) = default;
};

/// Diversity monitoring (DOMAIN.md §2): each free text from the force's list, with
/// "not_stated" as an answer in its own right; empty means not yet asked.
struct Diversity {
    std::string ageBand;
    std::string gender;
    std::string ethnicity;
    std::string disability;
    std::string religion;
    std::string sexualOrientation;
    friend bool operator==(const Diversity&, const Diversity&) = default;
};

/// A person on the record (victim, suspect, or a party in the history).
struct Person {
    std::string name;
    std::string dateOfBirth;  ///< ISO "YYYY-MM-DD" as typed; empty when unknown
    Address address;
    std::string phone;
    Diversity diversity;
    friend bool operator==(const Person&, const Person&) = default;
};

/// One answer on the checklist. `reason` is required when the value is NotAsked.
struct Answer {
    AnswerValue value = AnswerValue::No;
    std::string note;
    std::string source;                ///< who gave the answer, when not the victim
    std::string reason;                ///< why it was not asked (NotAsked only)
    std::vector<std::string> options;  ///< ticked sub-options (Q21, Q27), ids from the model
    friend bool operator==(const Answer&, const Answer&) = default;
};

/// A DASH assessment: the model it was made with (id + version, never re-pointed at a newer
/// model) and the answers by question id (main and sub-questions). A missing key is unanswered.
struct DashAssessment {
    std::string modelId;
    std::string modelVersion;
    std::map<std::string, Answer> answers;
    friend bool operator==(const DashAssessment&, const DashAssessment&) = default;
};

/// A grade someone chose, with their written reason.
struct GradeDecision {
    std::optional<RiskGrade> grade;
    std::string reason;
    std::string by;  ///< user id, for attribution
    friend bool operator==(const GradeDecision&, const GradeDecision&) = default;
};

/// Is it safe to contact the victim this way? Unanswered is nullopt; these gate every contact.
struct SafeContact {
    std::optional<bool> phone;
    std::optional<bool> text;
    std::optional<bool> voicemail;
    std::optional<bool> email;
    std::optional<bool> visit;
    std::string safeTimes;
    std::string afraidOf;
    friend bool operator==(const SafeContact&, const SafeContact&) = default;
};

/// The victim's consent, or the lawful basis when shared without it.
struct Consent {
    std::optional<bool> shareWithPartners;
    std::optional<bool> maracReferral;
    std::optional<bool> medicalRecords;
    std::string lawfulBasis;
    std::string justification;  ///< why the lawful basis applies, when shared without consent
    friend bool operator==(const Consent&, const Consent&) = default;
};

/// The MARAC decision for one victim; `reason` is required when not referring.
struct MaracDecision {
    MaracDecisionKind decision = MaracDecisionKind::Undecided;
    std::string reason;
    bool professionalJudgement = false;  ///< officer refers on judgement whatever the score
    std::string professionalJudgementReason;
    /// The supervisor's decision at review (DOMAIN.md §6): Undecided confirms the officer's;
    /// a different decision, or not referring, needs `supervisorReason`; never NotRefer where
    /// referral is forced (HBV, forced marriage). Checked at approval, on the server too.
    MaracDecisionKind supervisorDecision = MaracDecisionKind::Undecided;
    std::string supervisorReason;
    std::string supervisorBy;  ///< user id, for attribution
    /// The decision that stands: the supervisor's when given, else the officer's.
    [[nodiscard]] MaracDecisionKind standing() const noexcept
    {
        return supervisorDecision != MaracDecisionKind::Undecided ? supervisorDecision : decision;
    }
    friend bool operator==(const MaracDecision&, const MaracDecision&) = default;
};

/// One action in the RARA plan.
struct RaraItem {
    RaraKind kind = RaraKind::Reduce;
    std::string description;
    std::string owner;
    std::string dueDate;  ///< ISO date
    std::string id;       ///< stable across edits and devices; given when first saved
    friend bool operator==(const RaraItem&, const RaraItem&) = default;
};

/// One victim: an incident may have several, each with their own answers, grade and decision.
struct Victim {
    std::string id;
    Person person;
    std::string relationship;  ///< intimate_partner / ex_partner / family_member / ...
    SafeContact safeContact;
    Consent consent;
    DashAssessment dash;
    GradeDecision officerGrade;
    GradeDecision supervisorGrade;
    MaracDecision marac;
    std::vector<RaraItem> rara;
    friend bool operator==(const Victim&, const Victim&) = default;
};

/// A suspect.
struct Suspect {
    std::string id;
    Person person;
    friend bool operator==(const Suspect&, const Suspect&) = default;
};

/// A child or dependant, present at the incident or not.
struct Child {
    std::string name;
    std::optional<int> age;
    bool inHousehold = true;
    bool present = false;
    std::string id;  ///< stable across edits and devices; given when first saved
    friend bool operator==(const Child&, const Child&) = default;
};

/// Flags on the record. Police staff involved makes the record restricted (DOMAIN.md §9).
struct IncidentFlags {
    bool repeatVictim = false;
    bool hbv = false;
    bool forcedMarriage = false;
    bool fgm = false;
    bool stalking = false;
    bool policeStaffInvolved = false;
    bool disability = false;
    bool lgbt = false;
    /// A serious sexual offence (rape and other serious sexual assaults): its investigation
    /// is reviewed on its own cadence (DOMAIN.md §6: supervisor 10 hours, inspector 7 days,
    /// chief inspector 28 days, then every 28 days).
    bool seriousSexualOffence = false;
    friend bool operator==(const IncidentFlags&, const IncidentFlags&) = default;
};

/// Evidence gathered at the scene (DOMAIN.md §2). Photos themselves are attachments.
struct Evidence {
    std::optional<bool> firstAccount;      ///< first account taken
    std::optional<bool> statement;         ///< statement taken
    std::optional<bool> photosInjuries;
    std::optional<bool> photosScene;
    std::optional<bool> earlyEvidenceKit;
    std::optional<bool> bodyWornVideo;
    std::optional<bool> medicalConsent;    ///< consent to obtain medical evidence
    std::optional<bool> tape999;           ///< the 999 call recording requested
    std::string notes;
    friend bool operator==(const Evidence&, const Evidence&) = default;
};

/// A referral to a partner agency for one victim (DOMAIN.md §7).
struct Referral {
    std::string id;
    std::string victimId;
    std::string agency;  ///< marac, idva, refuge, victim_support, social_services, housing, hbv_service, other
    std::string toUser;  ///< the receiving user (e.g. the IDVA), when known: gives them access
    std::string date;    ///< ISO date
    std::string notes;
    friend bool operator==(const Referral&, const Referral&) = default;
};

/// Both parties allege: record both, and who appears to be the primary aggressor.
struct CounterAllegation {
    bool present = false;
    std::string primaryAggressorNote;
    friend bool operator==(const CounterAllegation&, const CounterAllegation&) = default;
};

/// Positive action: where a power of arrest existed and no arrest was made, why.
struct PositiveAction {
    std::optional<bool> powerOfArrest;
    std::optional<bool> arrestMade;
    std::string noArrestJustification;
    friend bool operator==(const PositiveAction&, const PositiveAction&) = default;
};

/// One entry of a 124D's supervision log (issue 23): a QA decision, a review of the
/// investigation, or the final risk review at closure. Append-only: written once by the
/// supervisor who made it, never changed or removed (the authority policy's append_only
/// check, on the server too). Kept in its own record kind, never written by saving the 124D.
struct SupervisionEntry {
    std::string id;
    std::string kind;     ///< qa | review | final
    std::string outcome;  ///< qa: approved | returned; review: reviewed; final: closed
    std::string at;       ///< when, ISO 8601 UTC ("2026-12-06T19:30:00Z")
    std::string by;       ///< the supervisor's user id
    std::string level;    ///< review: supervisor | inspector | chief_inspector (who the cadence asked for)
    std::optional<RiskGrade> risk;      ///< review and final: the risk as re-assessed
    std::string notes;
    std::vector<std::string> sections;  ///< qa returned: the wizard sections the notes name
    std::string nextDue;  ///< review: when the next review is due, ISO 8601 UTC ("" when none)
    friend bool operator==(const SupervisionEntry&, const SupervisionEntry&) = default;
};

/// Who investigates an approved 124D: the officer in the case a supervisor allocated it to
/// (issue 23). Written only by a supervisor (the authority policy's `allocation` rule); the
/// officer named may then see the 124D wherever their team (sync/server/AccessRules.h).
struct Investigation {
    std::string officerInCase;      ///< the user id
    std::string officerInCaseName;  ///< their name as the directory gave it when allocated
    std::string allocatedBy;        ///< the supervisor's user id
    std::string allocatedAt;        ///< ISO 8601 UTC
    friend bool operator==(const Investigation&, const Investigation&) = default;
};

/// The outcome of a crime (issue 25; DOMAIN.md §8): recorded on the 124D by the officer in the
/// case, an investigator or a supervisor (the authority policy's `crime-outcome` rule), after
/// submission and at the closure of the 124D at the latest (closing a crime without one is
/// refused: validateClosure). Codes from core/risk-models/rules-outcomes.json (OutcomeList).
/// A charge decision logged in a victim's case (case_event) and an arrest at the scene
/// (positive_action) stay where they are: the figures count each once with these.
struct CrimeOutcome {
    std::string result;       ///< a `results` code ("charged", "cautioned", ...); "" not yet recorded
    std::string decidedOn;    ///< ISO date of the decision
    std::string courtResult;  ///< a `court_results` code; "" none (yet): only after a charge
    std::string courtOn;      ///< ISO date of the court's result
    std::optional<bool> arrestedLater;  ///< a suspect was arrested after the scene (not at it)
    std::string arrestedOn;             ///< ISO date of that arrest
    bool daHomicide = false;            ///< a domestic abuse homicide
    std::string note;
    std::string recordedBy;  ///< the user who recorded it (checked as the sender on the server)
    std::string recordedAt;  ///< ISO 8601 UTC
    [[nodiscard]] bool recorded() const noexcept { return !result.empty(); }
    friend bool operator==(const CrimeOutcome&, const CrimeOutcome&) = default;
};

/// One 124D.
struct Incident {
    std::string id;
    LifecycleState state = LifecycleState::Draft;
    References refs;
    std::string date;  ///< ISO date or date-time of the incident, as typed
    std::string location;
    std::string borough;
    std::string team;   ///< the owning team (access scope)
    std::string owner;  ///< the user who created it (access scope)
    std::vector<std::string> accessList;  ///< users named on a restricted record
    std::string restrictionReason;        ///< why it is restricted, or why its access list changed
    std::vector<std::string> officers;
    std::optional<bool> crime;  ///< crime, or non-crime domestic incident
    std::vector<std::string> offences;
    PositiveAction positiveAction;
    std::vector<Victim> victims;
    std::vector<Suspect> suspects;
    std::vector<Child> children;
    IncidentFlags flags;
    CounterAllegation counterAllegation;
    Evidence evidence;
    std::vector<Referral> referrals;
    Investigation investigation;
    CrimeOutcome outcome;
    /// The supervision log, oldest first (read with the 124D; never saved with it).
    std::vector<SupervisionEntry> supervision;

    /// Records with police staff involved are restricted (seed 002 §68, 004 §2.18).
    [[nodiscard]] bool restricted() const noexcept { return flags.policeStaffInvolved; }
    /// Children or dependants living in the household (MERLIN PAC needed).
    [[nodiscard]] bool hasChildrenInHousehold() const noexcept;

    friend bool operator==(const Incident&, const Incident&) = default;
};

/// JSON (de)serialisation. Reading never throws: a wrong type or an unknown enum value
/// comes back as an error naming the field path.
[[nodiscard]] nlohmann::json personToJson(const Person& person);
[[nodiscard]] Result<Person> personFromJson(const nlohmann::json& json, const std::string& path);
[[nodiscard]] nlohmann::json incidentToJson(const Incident& incident);
[[nodiscard]] Result<Incident> incidentFromJson(const nlohmann::json& json);

}  // namespace vigil
