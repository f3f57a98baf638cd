#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/casework/Case.h"
#include "core/casework/VictimsCode.h"
#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/records/RecordStore.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/RiskModel.h"

namespace vigil {

/// One line of a caseload (an IDVA's, or an officer in the case's): a case, or a referral or
/// allocation not yet opened as one.
struct CaseloadEntry {
    CaseKey key;             ///< which case (kind and what it follows)
    std::string caseId;      ///< the case's record id (caseIdFor(key))
    bool opened = false;     ///< a case record exists (anything was done in it)
    std::string incidentId;
    std::string victimId;
    std::string referralId;  ///< an IDVA's case: the referral
    std::string kind;        ///< "idva" or "investigation"
    std::string victimName;
    CaseStatus status = CaseStatus::Referred;
    std::optional<RiskGrade> risk;  ///< the grade that stands for the victim (supervisor's, else officer's)
    std::string referredAt;         ///< ISO 8601 UTC
    std::string lastContactAt;      ///< "" when none
    /// The soonest thing due: the next contact, the first contact attempt, a Victims' Code item.
    std::optional<std::chrono::sys_seconds> nextDueAt;
    std::string nextDueWhat;  ///< "First contact attempt", "Next contact", "Tell the victim about the arrest"
    int overdue = 0;          ///< items past due
    int dueToday = 0;         ///< items due before the end of today (London)
    SafeContact safeContact;  ///< the victim's answers, for the line's safe-contact summary
};

/// The Victims' Code and contact items of one case at `now`, with their statuses.
struct CaseDue {
    std::vector<DueItem> items;
    /// The IDVA's or officer's own: the first contact attempt after referral, and the next
    /// contact the last one set.
    std::optional<std::chrono::sys_seconds> firstAttemptDue;
    std::optional<std::chrono::sys_seconds> nextContactDue;
};

/// Victims' casework records (issue 24) over a RecordStore: a victim's case opened from a
/// referral (an IDVA) or an allocation (the officer in the case), its append-only contacts
/// checked against the victim's safe-contact answers, Victims' Code events, the safety plan,
/// protective orders, the feedback forms issued (checked like contacts) and the count of their
/// anonymous responses, and the victim's own changes to the safe-contact answers. Every row sits under the incident
/// the case was opened from, so sync and access follow that incident.
class CaseRepository {
public:
    explicit CaseRepository(RecordStore& store) : m_store(store) {}

    /// The cases `userId` holds or may open: an IDVA's referrals addressed to them; an officer
    /// in the case's victims of the incidents allocated to them (open cases first). Due items
    /// worked out at `now` with `rules` and `calendar`. Ordered: overdue and due today first,
    /// then by risk (High first), then the longest waiting.
    /// The orders' duties (a hearing, a DAPO's notification, an expiry warning) count with the
    /// rest.
    [[nodiscard]] Result<std::vector<CaseloadEntry>> caseload(const std::string& userId, Role role,
                                                              const VictimsCodeRules& rules, const WorkingDays& calendar,
                                                              std::chrono::sys_seconds now, const OrdersRules& orders);

    /// One case, with its contacts, events and safety plan. A case not yet opened (a referral
    /// or allocation nothing was done in) comes back with its defaults and `opened` false.
    [[nodiscard]] Result<VictimCase> read(const CaseKey& key);
    /// Open the case of a caseload line if it is not open yet (its first write), as `actor`.
    [[nodiscard]] Status ensureOpen(const Actor& actor, const CaseloadEntry& entry);

    /// Log a contact. Refused (nothing written) when the victim's safe-contact answers forbid
    /// that method or time, with the rule in words; otherwise appended, with any caution. The
    /// first attempt sets the case's first-attempt time; speaking with a referred victim moves
    /// the case to contacted. `contact.id`, `at` (now when empty) and `by` are set here.
    [[nodiscard]] Result<CaseContact> logContact(const Actor& actor, const CaseKey& key, CaseContact contact);
    /// Record a Victims' Code event (an arrest, a charge decision...).
    [[nodiscard]] Status addEvent(const Actor& actor, const CaseKey& key, const CaseEventRecord& event);
    /// Move the case on (assessed, supported, closed, declined...), attributed.
    [[nodiscard]] Status setStatus(const Actor& actor, const CaseKey& key, CaseStatus status);
    /// Whether the victim agreed to her details going to victim services, with who recorded it
    /// and when (`services_consent_by`, `_at`): consent after the report starts the 2 working
    /// days to send them from then.
    [[nodiscard]] Status setServicesConsent(const Actor& actor, const CaseKey& key, bool consent);
    /// Add an item to the safety plan, or mark one done.
    [[nodiscard]] Result<SafetyItem> addSafetyItem(const Actor& actor, const CaseKey& key, const std::string& text);
    [[nodiscard]] Status setSafetyItemDone(const Actor& actor, const std::string& itemId, bool done);
    /// Record a protective order in the case, checked first (validateOrder: its length, who
    /// authorised a notice, its dates). `order.id` is given here.
    [[nodiscard]] Result<ProtectiveOrder> addOrder(const Actor& actor, const CaseKey& key, ProtectiveOrder order,
                                                   const OrdersRules& rules, const WorkingDays& calendar,
                                                   std::chrono::sys_seconds now);
    /// Record a feedback form issued to the victim (append-only). Refused (nothing written) when
    /// the victim's safe-contact answers forbid that method then (checkFeedbackForm), with the
    /// rule in words; otherwise kept with any caution. `form.id`, `at` (now when empty) and `by`
    /// are set here.
    [[nodiscard]] Result<FeedbackForm> issueFeedbackForm(const Actor& actor, const CaseKey& key, FeedbackForm form);
    /// How many anonymous responses came back for the case's forms of `kind`: a count from 0 to the
    /// forms of that kind issued (validateFeedbackResponses), kept on the case row with who
    /// recorded it and when.
    [[nodiscard]] Status setFeedbackResponses(const Actor& actor, const CaseKey& key, FeedbackFormKind kind, int count);
    /// Log a breach of one of the case's orders (append-only), checked first (validateBreach);
    /// a breach after the order ended is logged and flagged (BreachCheck).
    [[nodiscard]] Result<BreachCheck> logBreach(const Actor& actor, const CaseKey& key, Breach breach,
                                                const OrdersRules& rules, const WorkingDays& calendar,
                                                std::chrono::sys_seconds now);
    /// Record what a notice or order asked be done: a DVPN or DAPN's hearing held
    /// (OrderDuty::Hearing), or a DAPO's subject giving the police their name and address
    /// (OrderDuty::Notification), at `at`. Checked as a new order is (validateOrder: not before
    /// the notice, not in the future); refused in words for a kind that has no such duty. A
    /// second entry corrects the first (the order's row keeps who wrote it and when).
    [[nodiscard]] Status recordOrderDuty(const Actor& actor, const CaseKey& key, const std::string& orderId,
                                         OrderDuty duty, std::chrono::sys_seconds at, const OrdersRules& rules,
                                         const WorkingDays& calendar, std::chrono::sys_seconds now);
    /// Re-assess the victim's risk on the case: a new assessment with the model's newest
    /// version (the RIC for an IDVA, the DASH for the officer in the case), every main question
    /// answered, scored by the core; the assessor's grade may be higher than the band with a
    /// reason, never lower (checkOfficerGrade). Written once, whole, attributed; the 124D is
    /// not changed. `r.id`, `at`, `by` and the scores are set here.
    [[nodiscard]] Result<RiskReassessment> addReassessment(const Actor& actor, const CaseKey& key, RiskReassessment r,
                                                           const RiskModelRegistry& models, std::chrono::sys_seconds now);
    /// The victim changed her safe-contact answers: written to her person row on the incident,
    /// with who recorded the change and when (`safe_contact.updated_by`, `.updated_at`).
    [[nodiscard]] Status setSafeContact(const Actor& actor, const CaseKey& key, const SafeContact& answers);
    /// The victim's safe-contact answers as the case's incident holds them now.
    [[nodiscard]] Result<SafeContact> safeContactOf(const CaseKey& key);

    /// The case's due items at `now` (Victims' Code for an investigation; the first contact
    /// attempt and next contact for both).
    [[nodiscard]] Result<CaseDue> due(const VictimCase& c, const VictimsCodeRules& rules, const WorkingDays& calendar,
                                      std::chrono::sys_seconds now);

private:
    /// The caseload line of a case, from what the device holds (nullopt: the referral or victim is gone).
    [[nodiscard]] Result<std::optional<CaseloadEntry>> lineFor(const CaseKey& key);
    /// The same, when the case must be on this device (NotFound in words otherwise).
    [[nodiscard]] Result<CaseloadEntry> requireLine(const CaseKey& key);
    /// Open the case if need be and add a row under it (a contact, event, plan step, order), in
    /// one transaction.
    [[nodiscard]] Status addPart(const Actor& actor, const CaseloadEntry& line, Entity entity, const std::string& id,
                                 const nlohmann::json& fields);
    /// Open the case if need be and write fields of its own row.
    [[nodiscard]] Status writeCase(const Actor& actor, const CaseloadEntry& line, const nlohmann::json& fields);

    RecordStore& m_store;
};

/// What the Victims' Code clock (victimsCodeItems) needs of a victim's case: the report (the
/// case's referral time: when the 124D was started), her answer on victim services, the case's
/// events, and what its contacts did (the first she spoke in is the first contact; each contact's
/// duties). nullopt for an IDVA's case (the Code is the police's duty) or one with no report time.
/// The caseload and the figures (core/figures) both read a case through this.
[[nodiscard]] std::optional<VictimsCodeCase> victimsCodeCaseOf(const VictimCase& c);

/// A re-assessment from its stored row (its answers, the band recorded when it was made, the
/// assessor's grade); `standing` is the higher of the two.
[[nodiscard]] RiskReassessment reassessmentFromRow(const RecordRow& row);

/// Fill a case from its rows (the case row may be absent: a line not yet opened).
[[nodiscard]] VictimCase caseFromRows(const CaseloadEntry& line, const std::optional<RecordRow>& caseRow,
                                      const std::vector<RecordRow>& contacts, const std::vector<RecordRow>& events,
                                      const std::vector<RecordRow>& safety, const std::vector<RecordRow>& orders = {},
                                      const std::vector<RecordRow>& breaches = {},
                                      const std::vector<RecordRow>& assessments = {},
                                      const std::vector<RecordRow>& feedbackForms = {});

}  // namespace vigil
