#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/casework/OrdersRules.h"
#include "core/casework/VictimsCode.h"
#include "core/casework/WorkingDays.h"
#include "core/common/Result.h"

namespace vigil {

/// One protective order, notice, set of bail conditions or Clare's Law disclosure on a victim's
/// case, as entered from the paperwork (DOMAIN.md §7). Plain data for a casework repository to
/// fill; nothing here is stored. Instants are UTC; words show London time.
struct ProtectiveOrder {
    std::string id;  ///< unique within the case; a Breach names it
    OrderKind kind = OrderKind::Dvpn;
    /// When it was made: the notice given, the order made by the court, the bail granted, the
    /// disclosure made.
    std::chrono::sys_seconds madeAt{};
    /// When it ends, as the order or bail notice says. Empty for a DAPO or non-molestation order
    /// with no end date, and for a disclosure; for a DVPN or DAPN, empty means "at the hearing"
    /// (orderEnds works it out).
    std::optional<std::chrono::sys_seconds> expiresAt;
    /// A DVPN or DAPN: when the magistrates' hearing is listed. Empty: the latest the 48-hour clock
    /// allows (orderHearingDue). Ignored for other kinds.
    std::optional<std::chrono::sys_seconds> hearingDue;
    /// A DVPN or DAPN: when the court decided the application (the notice ends then, unless
    /// expiresAt says otherwise). Empty until it is recorded. Ignored for other kinds.
    std::optional<std::chrono::sys_seconds> hearingHeldAt;
    /// A DAPO: when the person it is against gave the police their name and address (the
    /// notification duty). Empty until they do. Ignored for other kinds.
    std::optional<std::chrono::sys_seconds> nameAndAddressGivenAt;
    std::string conditions;    ///< what it forbids or requires, as written
    std::string madeBy;        ///< the court, or the officer who gave the notice or made the disclosure
    std::string authorisedBy;  ///< a DVPN or DAPN: the inspector (or above) who authorised it
    std::string notes;
};

/// One entry in an order's breach log. Entries are only ever added: a correction is a new entry.
struct Breach {
    std::string id;
    std::string orderId;              ///< the ProtectiveOrder breached
    std::chrono::sys_seconds at{};    ///< when the breach happened
    std::string what;                 ///< what was done ("came to the victim's address")
    std::string action;               ///< what was done about it ("arrested", "reported to the court")
};

/// Where an order stands at a given moment.
enum class OrderState {
    InForce,        ///< in force, ending on a date more than the warning away
    ExpiringSoon,   ///< in force, ending within the kind's warning_days
    Expired,        ///< ended (a notice: at the hearing, or when the hearing was due and none is recorded)
    HearingDue,     ///< a DVPN or DAPN in force, its hearing still to come
    NoExpiry,       ///< in force with no end date (a DAPO, a non-molestation order), or a disclosure made
    NotYetInForce,  ///< made after the moment asked about
    CannotTell,     ///< a notice's hearing falls outside the bank-holiday list: `problem` says what to do
};

[[nodiscard]] std::string_view toString(OrderState state) noexcept;  ///< "in_force", "expiring_soon", ...

/// An order's status at a moment, with words for a screen.
struct OrderStatus {
    OrderState state = OrderState::InForce;
    /// When it ends: as entered, or for a notice the hearing held or due. Empty: no end.
    std::optional<std::chrono::sys_seconds> endsAt;
    /// A DVPN or DAPN: when its hearing is due. Else empty.
    std::optional<std::chrono::sys_seconds> hearingDue;
    /// Time left until it ends (zero or positive), or since it ended for Expired. Else 0.
    std::chrono::seconds remaining{};
    /// "In force", "Expiring soon", "Expired", "Hearing due by 10:00 on Tuesday 7 May 2024",
    /// "In force with no end date", "Disclosed on Monday 6 May 2024", "Not yet in force", or for
    /// CannotTell the refusal from the bank-holiday list.
    std::string statusWords;
    /// "Expires in 2 days, 4 hours (Friday 12 March 2027 14:00)", "Expired 3 days ago",
    /// "Hearing due in 1 day, 22 hours (Tuesday 7 May 2024 10:00)", "No end date"; empty for a
    /// disclosure and for CannotTell.
    std::string countdownWords;
    std::string problem;  ///< CannotTell: the message to show (as statusWords); else empty
};

/// When a DVPN or DAPN's hearing is due: as listed (order.hearingDue), else `hearing_within_hours`
/// after the notice by WorkingDays::noticeHearingDue. Empty for other kinds. Refused when the
/// clock runs past the bank-holiday list.
[[nodiscard]] Result<std::optional<std::chrono::sys_seconds>> orderHearingDue(const ProtectiveOrder& order,
                                                                            const OrdersRules& rules,
                                                                            const WorkingDays& calendar);

/// When the order ends: expiresAt when entered; else for a notice the hearing held, or failing
/// that the hearing due; else empty (no end). Refused as orderHearingDue is.
[[nodiscard]] Result<std::optional<std::chrono::sys_seconds>> orderEnds(const ProtectiveOrder& order,
                                                                      const OrdersRules& rules,
                                                                      const WorkingDays& calendar);

/// The status of `order` at `now`. A notice is HearingDue until it ends; another order with an
/// end is ExpiringSoon within its kind's warning_days (real time) of the end, InForce before,
/// Expired from the end on (an order ending at 14:00 has expired at 14:00).
[[nodiscard]] OrderStatus orderStatus(const ProtectiveOrder& order, const OrdersRules& rules, const WorkingDays& calendar,
                                      std::chrono::sys_seconds now);

/// "Expires in 2 days, 4 hours (Friday 12 March 2027 14:00)" while `endsAt` is after `now`,
/// "Expired 3 days ago" from it on. Real elapsed time, rounded down (days and hours, hours and
/// minutes, or minutes); the date and time in London.
[[nodiscard]] std::string expiryCountdownWords(std::chrono::sys_seconds endsAt, std::chrono::sys_seconds now);

/// "Friday 12 March 2027 14:00" (London time).
[[nodiscard]] std::string orderDateTimeWords(std::chrono::sys_seconds instant);

/// Checks an order as entered, before it is saved; the first problem found is refused
/// (Validation, `field` naming the ProtectiveOrder member) in words the person entering it can
/// act on: an end before it was made; no end for a kind whose end must be entered (a DVPO, bail
/// conditions); an end for a disclosure; a length outside the kind's min_days to max_days ("A
/// DVPO lasts between 14 and 28 days: this one ends after 35 days. Check the date on the
/// order."); nobody named who authorised a DVPN or DAPN ("A DVPN is authorised by an inspector or
/// above: name who authorised it."); a listed hearing before the notice or later than the
/// 48-hour clock allows; a hearing held before the notice; an order made, or a name and address
/// given, more than a few minutes after `now`.
[[nodiscard]] Status validateOrder(const ProtectiveOrder& order, const OrdersRules& rules, const WorkingDays& calendar,
                                   std::chrono::sys_seconds now);

/// What an order asks be done or watched for.
enum class OrderDuty {
    Hearing,       ///< "hearing": a DVPN or DAPN's application heard by the magistrates
    Notification,  ///< "notification": a DAPO's subject gives the police their name and address
    ExpiryWarning, ///< "expiry_warning": the order ends soon; plan the victim's safety after it
};

[[nodiscard]] std::string_view toString(OrderDuty duty) noexcept;

/// Whether a kind of order asks that duty be recorded as done, as ordersDueItems lists it: a
/// hearing for a notice (a DVPN or DAPN), the subject's name and address where the kind's rules
/// set notification_days (a DAPO). An expiry warning is never recorded as done.
[[nodiscard]] bool orderHasDuty(const OrdersRules& rules, OrderKind kind, OrderDuty duty);

/// One due item from an order, like the Victims' Code's DueItem (statuses and words alike).
struct OrderDueItem {
    OrderDuty duty = OrderDuty::Hearing;
    std::string orderId;
    OrderKind orderKind = OrderKind::Dvpn;
    std::string what;   ///< "Magistrates' hearing of the application for a DVPO"
    std::string basis;  ///< "48 hours after the DVPN, not counting Sundays, Christmas Day, Good Friday or bank holidays"
    /// The instant it is due (a hearing: as listed or as the clock allows; a notification: the
    /// end of the last London day; a warning: when the order ends). Empty for CannotTell.
    std::optional<std::chrono::sys_seconds> dueAt;
    std::string dueWords;  ///< "by 10:00 on Tuesday 7 May 2024", "by the end of Sunday 5 May 2024", "ends at ..."
    /// DoneOnTime, DoneLate, DueIn, Overdue (VictimsCode's meanings), or CannotTell.
    DueStatus status = DueStatus::DueIn;
    std::optional<std::chrono::sys_seconds> doneAt;
    std::chrono::seconds margin{};  ///< as DueItem::margin
    std::string statusWords;        ///< "Due in 5 hours", "Overdue by 2 days", "Expires in 2 days, 4 hours (...)"
    std::string problem;            ///< CannotTell: the message to show; else empty
};

/// The due items for a case's orders at `now`, order by order in the order they were made, and
/// for each: the hearing of a DVPN or DAPN (done when hearingHeldAt is recorded), the DAPO's
/// name-and-address notification (when the kind's notification_days is set; done when
/// nameAndAddressGivenAt is recorded), and a warning for an order ExpiringSoon (nothing once it has
/// expired: orderStatus says so). A notice whose hearing is outside the bank-holiday list gives a
/// CannotTell item; the rest are still worked out. Fails (Validation) only when two orders
/// have the same id.
[[nodiscard]] Result<std::vector<OrderDueItem>> ordersDueItems(const std::vector<ProtectiveOrder>& orders,
                                                              const OrdersRules& rules, const WorkingDays& calendar,
                                                              std::chrono::sys_seconds now);

/// What the breach log says about an entry it accepts.
struct BreachCheck {
    /// The breach happened at or after the order ended: it was not in force, so it is logged as
    /// history, not as a breach of a live order.
    bool afterExpiry = false;
    /// For afterExpiry: "Logged, but this was after the order expired: it was not in force (it
    /// ended at 14:00 on Friday 12 March 2027)." Else empty.
    std::string note;
};

/// Checks a breach before it is added to the log: it names this order; `what` and `action` are
/// given; it happened no earlier than the order was made and no later than a few minutes after
/// `now`; the order is one that can be breached (not a Clare's Law disclosure). A breach at or
/// after the order ended is accepted and flagged. Refusals are Validation with `field` naming
/// the Breach member.
[[nodiscard]] Result<BreachCheck> validateBreach(const Breach& breach, const ProtectiveOrder& order, const OrdersRules& rules,
                                                 const WorkingDays& calendar, std::chrono::sys_seconds now);

/// The breaches of `orderId` in `log`, newest first (two at the same moment: the one logged later first).
[[nodiscard]] std::vector<Breach> breachesNewestFirst(const std::vector<Breach>& log, std::string_view orderId);

}  // namespace vigil
