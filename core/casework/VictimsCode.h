#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/casework/CaseEvent.h"
#include "core/casework/VictimsCodeRules.h"
#include "core/casework/WorkingDays.h"
#include "core/common/Result.h"

namespace vigil {

/// What the Victims' Code asks be done for the victim (DOMAIN.md §7).
enum class VictimDuty {
    FirstContact,      ///< contact with the victim after the report
    NeedsAssessment,   ///< the victim's needs assessed
    VictimServices,    ///< the victim's details sent to victim services
    Update,            ///< the victim told of an event (arrest, interview, bail, ...)
    BailConsultation,  ///< the victim's views sought before a bail decision
};

[[nodiscard]] std::string_view toString(VictimDuty duty) noexcept;  ///< "first_contact", "update", ...
[[nodiscard]] std::optional<VictimDuty> victimDutyFromString(std::string_view text) noexcept;

/// Something done for the victim, as the contact log records it: "victim told of the arrest"
/// is {Update, "<the arrest's event id>", when}. A consultation about bail names no event (it
/// comes before the decision is recorded): it counts for the next bail decision after it.
struct DutyDone {
    VictimDuty duty = VictimDuty::FirstContact;
    std::chrono::sys_seconds at{};
    std::string eventId;  ///< for Update: which event the victim was told of; else empty
};

/// The victim's answer on sharing their details with victim services.
enum class ServicesConsent { NotRecorded, Given, Refused };

/// May a contact record that the victim's details went to victim services (a duty
/// "victim_services" in its list, as "duty" or "duty:event")? Only once she has consented: in
/// domestic abuse her details go to victim services only with her consent. The words of the
/// refusal, or nothing when allowed. The device asks before it logs the contact, the server again.
[[nodiscard]] std::optional<std::string> victimServicesRefusal(const std::vector<std::string>& duties, bool consented);

/// One victim's case, as the Victims' Code clock needs it. Plain data for a casework
/// repository to fill; nothing here is stored.
struct VictimsCodeCase {
    /// Enhanced rights (updates within 1 working day by default): every victim of domestic abuse,
    /// and others the Code names (victims of the most serious crime, persistently targeted,
    /// vulnerable or intimidated victims).
    bool enhancedRights = true;
    /// A domestic abuse case: the victim's details go to victim services only with consent.
    bool domesticAbuse = true;
    ServicesConsent servicesConsent = ServicesConsent::NotRecorded;
    /// When consent was given, if later than the report: the 2 working days run from then.
    std::optional<std::chrono::sys_seconds> servicesConsentAt;
    std::vector<CaseEvent> events;  ///< any order
    std::vector<DutyDone> done;     ///< any order; the earliest that fits an item counts
};

/// Where a due item stands at `now`.
enum class DueStatus {
    DoneOnTime,   ///< done before it was due
    DoneLate,     ///< done, after it was due
    DueIn,        ///< not done, not yet due
    Overdue,      ///< not done, past due
    Waiting,      ///< due, but when depends on something not yet recorded (consent, the custody decision)
    NotRequired,  ///< nothing to do (the victim refused consent)
    CannotTell,   ///< a working-day deadline outside the bank-holiday list: `problem` says what to do
};

[[nodiscard]] std::string_view toString(DueStatus status) noexcept;  ///< "done_on_time", "overdue", ...

/// One thing the Code asks for, when, and whether it was done.
struct DueItem {
    VictimDuty duty = VictimDuty::FirstContact;
    std::string eventId;  ///< the event it follows from (the report, the arrest, the bail decision)
    CaseEventKind eventKind = CaseEventKind::Report;
    std::string what;     ///< "Tell the victim about the arrest"
    std::string basis;    ///< "1 working day after the arrest (enhanced rights)"
    /// The instant it becomes overdue: the end of the due day for working-day deadlines (London
    /// midnight), the exact time for hours; the decision's time for a consultation. Empty while Waiting.
    std::optional<std::chrono::sys_seconds> dueAt;
    /// "by the end of Monday 6 May 2024", "by 14:30 on Tuesday 7 May 2024", "before the custody decision".
    std::string dueWords;
    DueStatus status = DueStatus::DueIn;
    std::optional<std::chrono::sys_seconds> doneAt;
    /// DueIn: time left; Overdue: time past due; DoneLate: how late; DoneOnTime: time to spare. Else 0.
    std::chrono::seconds margin{};
    /// "Done", "Done 3 hours late", "Due in 5 hours", "Overdue by 2 days", "Waiting for the
    /// victim's consent", or for CannotTell the refusal from the bank-holiday list.
    std::string statusWords;
    /// For CannotTell: the message to show (the same as statusWords); else empty.
    std::string problem;
};

/// Whether victimsCodeItems writes each item's words (what, basis, due and status words) or
/// leaves them empty: the figures count only the instants and the statuses.
enum class ItemWords { Written, Omitted };

/// The Victims' Code items for a case at `now`, in the order of the events they follow (the
/// report's first contact, needs assessment and victim services, then each event's update
/// and consultation), using working days from `calendar` and deadlines from `rules`:
/// - first contact and the needs assessment, hours after the earliest report;
/// - victim services, working days after the report or the consent if later; Waiting for
///   consent (domestic abuse, consent not recorded), NotRequired if refused;
/// - an update for each event `rules.updates` lists, working days after it (enhanced or standard);
/// - a consultation before each decision in `rules.consultBefore`, due at the decision's time
///   (a consultation after the previous such decision, up to this one, is on time; one after
///   it but before the next is late); and, while an arrest awaits its custody decision (no bail,
///   release or charge decision after it yet) and bail is in `consultBefore`, one Waiting item
///   "before the custody decision", done once a consultation is logged after the arrest.
/// An item whose working days fall outside the bank-holiday list is CannotTell; the rest are
/// still worked out. Fails (Validation) only on inconsistent input: two events with one id, or
/// an update naming an event the case does not have.
/// `words`: ItemWords::Omitted gives the same items, instants and statuses without their words.
[[nodiscard]] Result<std::vector<DueItem>> victimsCodeItems(const VictimsCodeCase& victimCase, const VictimsCodeRules& rules,
                                                           const WorkingDays& calendar, std::chrono::sys_seconds now,
                                                           ItemWords words = ItemWords::Written);

}  // namespace vigil
