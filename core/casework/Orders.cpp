#include "core/casework/Orders.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "core/casework/LondonTime.h"
#include "core/risk/ReviewCadence.h"

namespace vigil {

using namespace std::chrono;

namespace {

/// A time typed in by hand from a form, or a device clock a little behind, may be a few minutes
/// after `now`; anything later is a wrong date, and the breach log keeps every entry for good.
constexpr minutes kClockLeeway{5};

std::string plural(long long n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); }

bool blank(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

/// Bail conditions are plural: "Bail conditions last", "these end".
bool pluralKind(OrderKind kind) { return kind == OrderKind::BailConditions; }

/// "A DVPO", "A non-molestation order", "Bail conditions", "A Clare's Law disclosure": the start of a sentence.
std::string aKind(OrderKind kind)
{
    if (pluralKind(kind))
        return "Bail conditions";
    return "A " + orderKindWords(kind);
}

/// "the DVPO", "the bail conditions".
std::string theKind(OrderKind kind) { return "the " + orderKindWords(kind); }

/// Whole London days the order covers, counting the day it was made. An end at midnight belongs
/// to the day before it: an order made on 1 March and ending at 00:00 on 5 April lasts 35 days.
long long lengthInDays(sys_seconds madeAt, sys_seconds endsAt)
{
    return (londonDate(endsAt - seconds{1}) - londonDate(madeAt)).count() + 1;
}

Error invalid(std::string message, std::string field)
{
    return makeError(ErrorCode::Validation, std::move(message), std::move(field));
}

int hearingHours(const OrdersRules& rules, OrderKind kind)
{
    const int hours = rules.of(kind).hearingWithinHours;
    return hours > 0 ? hours : 48;  // the statutory clock, for a hand-built struct that left it out
}

/// "48 hours after the DVPN, not counting Sundays, Christmas Day, Good Friday or bank holidays".
std::string hearingBasis(const OrdersRules& rules, OrderKind kind)
{
    return plural(hearingHours(rules, kind), "hour") + " after " + theKind(kind)
        + ", not counting Sundays, Christmas Day, Good Friday or bank holidays";
}

/// The hearing the 48-hour clock allows at the latest.
Result<sys_seconds> latestHearing(const ProtectiveOrder& order, const OrdersRules& rules, const WorkingDays& calendar)
{
    return calendar.noticeHearingDue(order.madeAt, hours{hearingHours(rules, order.kind)});
}

/// Sets an item's status from its due instant and when it was done. `doneAtDueIsOnTime`: a
/// hearing listed for 10:00 and heard at 10:00 is on time; a day's deadline (London midnight,
/// exclusive) is missed at midnight.
void settle(OrderDueItem& item, std::optional<sys_seconds> doneAt, sys_seconds now, bool doneAtDueIsOnTime)
{
    const sys_seconds due = *item.dueAt;
    item.doneAt = doneAt;
    if (doneAt) {
        if (*doneAt < due || (doneAtDueIsOnTime && *doneAt == due)) {
            item.status = DueStatus::DoneOnTime;
            item.margin = due - *doneAt;
            item.statusWords = "Done on time";
        } else {
            item.status = DueStatus::DoneLate;
            item.margin = *doneAt - due;
            item.statusWords = "Done " + spanWords(item.margin) + " late";
        }
    } else if (now < due) {
        item.status = DueStatus::DueIn;
        item.margin = due - now;
        item.statusWords = "Due in " + spanWords(item.margin);
    } else {
        item.status = DueStatus::Overdue;
        item.margin = now - due;
        item.statusWords = "Overdue by " + spanWords(item.margin);
    }
}

OrderDueItem itemFor(OrderDuty duty, const ProtectiveOrder& order, std::string what, std::string basis)
{
    OrderDueItem item;
    item.duty = duty;
    item.orderId = order.id;
    item.orderKind = order.kind;
    item.what = std::move(what);
    item.basis = std::move(basis);
    return item;
}

/// "2 days, 4 hours", "5 hours, 20 minutes", "35 minutes": the two largest units, rounded down.
std::string countdownSpan(seconds span)
{
    const long long total = std::max<long long>(span.count(), 0);
    const long long d = total / 86400;
    const long long h = total % 86400 / 3600;
    const long long m = total % 3600 / 60;
    if (d > 0)
        return plural(d, "day") + (h > 0 ? ", " + plural(h, "hour") : "");
    if (h > 0)
        return plural(h, "hour") + (m > 0 ? ", " + plural(m, "minute") : "");
    return m > 0 ? plural(m, "minute") : "less than a minute";
}

/// "3 days", "5 hours", "12 minutes": the largest unit only, rounded down.
std::string agoSpan(seconds span)
{
    const long long total = std::max<long long>(span.count(), 0);
    if (total >= 86400)
        return plural(total / 86400, "day");
    if (total >= 3600)
        return plural(total / 3600, "hour");
    return total >= 60 ? plural(total / 60, "minute") : "less than a minute";
}

}  // namespace

std::string_view toString(OrderState state) noexcept
{
    switch (state) {
    case OrderState::InForce: return "in_force";
    case OrderState::ExpiringSoon: return "expiring_soon";
    case OrderState::Expired: return "expired";
    case OrderState::HearingDue: return "hearing_due";
    case OrderState::NoExpiry: return "no_expiry";
    case OrderState::NotYetInForce: return "not_yet_in_force";
    case OrderState::CannotTell: return "cannot_tell";
    }
    return "in_force";
}

std::string_view toString(OrderDuty duty) noexcept
{
    switch (duty) {
    case OrderDuty::Hearing: return "hearing";
    case OrderDuty::Notification: return "notification";
    case OrderDuty::ExpiryWarning: return "expiry_warning";
    }
    return "hearing";
}

bool orderHasDuty(const OrdersRules& rules, OrderKind kind, OrderDuty duty)
{
    switch (duty) {
    case OrderDuty::Hearing: return isNotice(kind);
    case OrderDuty::Notification: return rules.of(kind).notificationDays > 0;
    case OrderDuty::ExpiryWarning: return false;
    }
    return false;
}

std::string orderDateTimeWords(sys_seconds instant)
{
    const local_seconds local = toLondonTime(instant);
    const CivilDate day = floor<days>(local);
    const hh_mm_ss hms{local - day};
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    return civilDateWords(day) + " " + buf.data();
}

std::string expiryCountdownWords(sys_seconds endsAt, sys_seconds now)
{
    if (now < endsAt)
        return "Expires in " + countdownSpan(endsAt - now) + " (" + orderDateTimeWords(endsAt) + ")";
    return "Expired " + agoSpan(now - endsAt) + " ago";
}

Result<std::optional<sys_seconds>> orderHearingDue(const ProtectiveOrder& order, const OrdersRules& rules,
                                                   const WorkingDays& calendar)
{
    if (!isNotice(order.kind))
        return std::optional<sys_seconds>{};
    if (order.hearingDue)
        return order.hearingDue;
    auto due = latestHearing(order, rules, calendar);
    if (!due.ok())
        return std::move(due).error();
    return std::optional<sys_seconds>{*due};
}

Result<std::optional<sys_seconds>> orderEnds(const ProtectiveOrder& order, const OrdersRules& rules,
                                             const WorkingDays& calendar)
{
    if (order.expiresAt)
        return order.expiresAt;
    if (!isNotice(order.kind))
        return std::optional<sys_seconds>{};
    if (order.hearingHeldAt)
        return order.hearingHeldAt;
    return orderHearingDue(order, rules, calendar);
}

OrderStatus orderStatus(const ProtectiveOrder& order, const OrdersRules& rules, const WorkingDays& calendar,
                        sys_seconds now)
{
    OrderStatus status;
    auto hearing = orderHearingDue(order, rules, calendar);
    auto ends = orderEnds(order, rules, calendar);
    if (!hearing.ok() || !ends.ok()) {
        status.state = OrderState::CannotTell;
        status.problem = hearing.ok() ? ends.error().message : hearing.error().message;
        status.statusWords = status.problem;
        return status;
    }
    status.hearingDue = *hearing;
    status.endsAt = *ends;

    if (now < order.madeAt) {
        status.state = OrderState::NotYetInForce;
        status.statusWords = "Not yet in force: made at " + londonTimeWords(order.madeAt);
        return status;
    }
    if (order.kind == OrderKind::ClaresLawDisclosure) {
        status.state = OrderState::NoExpiry;
        status.statusWords = "Disclosed on " + civilDateWords(londonDate(order.madeAt));
        return status;
    }
    if (!status.endsAt) {
        status.state = OrderState::NoExpiry;
        status.statusWords = "In force with no end date";
        status.countdownWords = "No end date";
        return status;
    }

    const sys_seconds end = *status.endsAt;
    if (now >= end) {
        status.state = OrderState::Expired;
        status.remaining = now - end;
        status.countdownWords = expiryCountdownWords(end, now);
        if (isNotice(order.kind) && !order.expiresAt && !order.hearingHeldAt)
            status.statusWords = "Expired: no hearing is recorded, and it was due by " + londonTimeWords(end)
                + ". Record the court's decision.";
        else if (isNotice(order.kind) && !order.expiresAt)
            status.statusWords = "Ended at the hearing";
        else
            status.statusWords = "Expired";
        return status;
    }

    status.remaining = end - now;
    if (isNotice(order.kind) && !order.hearingHeldAt && status.hearingDue && now < *status.hearingDue) {
        status.state = OrderState::HearingDue;
        status.statusWords = "Hearing due by " + londonTimeWords(*status.hearingDue);
        status.countdownWords = "Hearing due in " + countdownSpan(*status.hearingDue - now) + " ("
            + orderDateTimeWords(*status.hearingDue) + ")";
        return status;
    }
    const int warningDays = rules.of(order.kind).warningDays;
    const bool soon = warningDays > 0 && status.remaining <= days{warningDays};
    status.state = soon ? OrderState::ExpiringSoon : OrderState::InForce;
    status.statusWords = soon ? "Expiring soon" : "In force";
    status.countdownWords = expiryCountdownWords(end, now);
    return status;
}

Status validateOrder(const ProtectiveOrder& order, const OrdersRules& rules, const WorkingDays& calendar, sys_seconds now)
{
    const OrderKindRules& kr = rules.of(order.kind);
    const std::string kindWords = orderKindWords(order.kind);
    const bool many = pluralKind(order.kind);

    if (order.madeAt > now + kClockLeeway)
        return invalid("The time " + theKind(order.kind) + (many ? " were" : " was") + " made ("
                           + londonTimeWords(order.madeAt) + ") is in the future: check the date and time.",
                       "madeAt");

    if (order.expiresAt) {
        if (kr.expiry == OrderExpiry::None)
            return invalid(aKind(order.kind) + (many ? " are" : " is")
                               + " not an order and has no end date: leave the end date empty.",
                           "expiresAt");
        if (*order.expiresAt <= order.madeAt)
            return invalid((many ? "These " + kindWords + " end (" : "This " + kindWords + " ends (")
                               + londonTimeWords(*order.expiresAt) + ") "
                               + (*order.expiresAt == order.madeAt ? "at the moment " : "before ")
                               + (many ? "they were" : "it was") + " made ("
                               + londonTimeWords(order.madeAt) + "). Check the dates on the order.",
                           "expiresAt");
    } else if (kr.expiry == OrderExpiry::Required) {
        std::string message;
        if (order.kind == OrderKind::BailConditions)
            message = "Bail conditions last until the date the suspect must answer bail: enter that date and time.";
        else if (kr.minDays > 0 && kr.maxDays > 0)
            message = aKind(order.kind) + " ends when the court says (" + std::to_string(kr.minDays) + " to "
                + std::to_string(kr.maxDays) + " days): enter the date and time on the order.";
        else
            message = aKind(order.kind) + (many ? " end" : " ends")
                + " on a date set when " + (many ? "they are" : "it is") + " made: enter it.";
        return invalid(std::move(message), "expiresAt");
    }

    if (order.expiresAt && (kr.minDays > 0 || kr.maxDays > 0)) {
        const long long length = lengthInDays(order.madeAt, *order.expiresAt);
        const bool tooShort = kr.minDays > 0 && length < kr.minDays;
        const bool tooLong = kr.maxDays > 0 && length > kr.maxDays;
        if (tooShort || tooLong) {
            std::string bound;
            if (kr.minDays > 0 && kr.maxDays > 0)
                bound = "between " + std::to_string(kr.minDays) + " and " + std::to_string(kr.maxDays) + " days";
            else if (kr.maxDays > 0)
                bound = "at most " + plural(kr.maxDays, "day");
            else
                bound = "at least " + plural(kr.minDays, "day");
            return invalid(aKind(order.kind) + (many ? " last " : " lasts ") + bound + ": "
                               + (many ? "these end" : "this one ends") + " after "
                               + plural(length, "day") + ". Check the date on the order.",
                           "expiresAt");
        }
    }

    if (!kr.authorisedBy.empty() && blank(order.authorisedBy))
        return invalid(aKind(order.kind) + (many ? " are" : " is") + " authorised by " + kr.authorisedBy
                           + ": name who authorised " + (many ? "them." : "it."),
                       "authorisedBy");

    if (isNotice(order.kind)) {
        if (order.hearingDue) {
            if (*order.hearingDue < order.madeAt)
                return invalid("The hearing (" + londonTimeWords(*order.hearingDue) + ") is listed before "
                                   + theKind(order.kind) + " was given (" + londonTimeWords(order.madeAt)
                                   + "). Check the dates.",
                               "hearingDue");
            // Outside the bank-holiday list the latest hearing cannot be told; the status says so.
            if (const auto latest = latestHearing(order, rules, calendar); latest.ok() && *order.hearingDue > *latest)
                return invalid("The hearing must be within " + hearingBasis(rules, order.kind) + ": by "
                                   + londonTimeWords(*latest) + ", and this one is listed for "
                                   + londonTimeWords(*order.hearingDue) + ". Check the listing.",
                               "hearingDue");
        }
        if (order.hearingHeldAt && *order.hearingHeldAt < order.madeAt)
            return invalid("The hearing is recorded (" + londonTimeWords(*order.hearingHeldAt) + ") before "
                               + theKind(order.kind) + " was given (" + londonTimeWords(order.madeAt)
                               + "). Check the dates.",
                           "hearingHeldAt");
        if (order.hearingHeldAt && *order.hearingHeldAt > now + kClockLeeway)
            return invalid("The hearing is recorded as held in the future (" + londonTimeWords(*order.hearingHeldAt)
                               + "): enter it once the court has decided.",
                           "hearingHeldAt");
    }

    if (kr.notificationDays > 0 && order.nameAndAddressGivenAt) {
        if (*order.nameAndAddressGivenAt < order.madeAt)
            return invalid("The name and address are recorded as given (" + londonTimeWords(*order.nameAndAddressGivenAt)
                               + ") before " + theKind(order.kind) + " was made (" + londonTimeWords(order.madeAt)
                               + "). Check the dates.",
                           "nameAndAddressGivenAt");
        if (*order.nameAndAddressGivenAt > now + kClockLeeway)
            return invalid("The name and address are recorded as given in the future ("
                               + londonTimeWords(*order.nameAndAddressGivenAt) + "): check the date and time.",
                           "nameAndAddressGivenAt");
    }
    return {};
}

Result<std::vector<OrderDueItem>> ordersDueItems(const std::vector<ProtectiveOrder>& orders, const OrdersRules& rules,
                                                 const WorkingDays& calendar, sys_seconds now)
{
    std::set<std::string, std::less<>> ids;
    for (const ProtectiveOrder& o : orders)
        if (!o.id.empty() && !ids.insert(o.id).second)
            return makeError(ErrorCode::Validation, "Two orders in this case have the same id (\"" + o.id
                                                        + "\"), so Vigil cannot tell which one a breach belongs to. "
                                                          "This is a fault in the case's records: report it to your "
                                                          "administrator.");
    std::vector<const ProtectiveOrder*> sorted;
    for (const ProtectiveOrder& o : orders)
        sorted.push_back(&o);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const ProtectiveOrder* a, const ProtectiveOrder* b) { return a->madeAt < b->madeAt; });

    std::vector<OrderDueItem> items;
    for (const ProtectiveOrder* o : sorted) {
        const OrderKindRules& kr = rules.of(o->kind);
        if (isNotice(o->kind)) {
            OrderDueItem item = itemFor(OrderDuty::Hearing, *o,
                                        std::string{"Magistrates' hearing of the application for a "}
                                            + (o->kind == OrderKind::Dvpn ? "DVPO" : "DAPO"),
                                        hearingBasis(rules, o->kind));
            const auto due = orderHearingDue(*o, rules, calendar);
            if (!due.ok()) {
                item.status = DueStatus::CannotTell;
                item.doneAt = o->hearingHeldAt;
                item.problem = due.error().message;
                item.statusWords = item.problem;
            } else {
                item.dueAt = **due;
                item.dueWords = "by " + londonTimeWords(*item.dueAt);
                settle(item, o->hearingHeldAt, now, true);
                if (item.status == DueStatus::Overdue)
                    item.statusWords += ": record the court's decision";
            }
            items.push_back(std::move(item));
        }

        if (kr.notificationDays > 0 && now >= o->madeAt) {
            const CivilDate lastDay = londonDate(o->madeAt) + days{kr.notificationDays - 1};
            OrderDueItem item = itemFor(
                OrderDuty::Notification, *o,
                "The person " + theKind(o->kind) + " is against gives the police their name and address",
                "within " + plural(kr.notificationDays, "day") + " of " + theKind(o->kind)
                    + " being made, counting that day");
            item.dueAt = londonDayEnd(lastDay);
            item.dueWords = "by the end of " + civilDateWords(lastDay);
            settle(item, o->nameAndAddressGivenAt, now, false);
            items.push_back(std::move(item));
        }

        const OrderStatus status = orderStatus(*o, rules, calendar, now);
        if (status.state == OrderState::ExpiringSoon) {
            OrderDueItem item = itemFor(OrderDuty::ExpiryWarning, *o,
                                        "The " + orderKindWords(o->kind) + (pluralKind(o->kind) ? " end" : " ends")
                                            + " soon: plan the victim's safety after "
                                            + (pluralKind(o->kind) ? "they end" : "it ends"),
                                        "a warning " + plural(kr.warningDays, "day") + " before "
                                            + (pluralKind(o->kind) ? "they end" : "it ends"));
            item.dueAt = status.endsAt;
            item.dueWords = (pluralKind(o->kind) ? "end at " : "ends at ") + londonTimeWords(*status.endsAt);
            item.status = DueStatus::DueIn;
            item.margin = status.remaining;
            item.statusWords = status.countdownWords;
            items.push_back(std::move(item));
        }
    }
    return items;
}

Result<BreachCheck> validateBreach(const Breach& breach, const ProtectiveOrder& order, const OrdersRules& rules,
                                   const WorkingDays& calendar, sys_seconds now)
{
    if (breach.orderId != order.id)
        return invalid("This breach names another order (\"" + breach.orderId + "\") than the one it is being logged "
                           "against (\"" + order.id + "\"). This is a fault in the case's records: report it to "
                           "your administrator.",
                       "orderId");
    if (order.kind == OrderKind::ClaresLawDisclosure)
        return invalid("A Clare's Law disclosure is not an order, so it cannot be breached: record what happened as a "
                       "new incident.",
                       "orderId");
    if (blank(breach.what))
        return invalid("Say what the breach was: what the person did.", "what");
    if (blank(breach.action))
        return invalid("Say what action was taken (for example arrested, reported to the court, or none yet).",
                       "action");
    if (breach.at < order.madeAt)
        return invalid("The breach (" + londonTimeWords(breach.at) + ") is before " + theKind(order.kind)
                           + (pluralKind(order.kind) ? " were" : " was") + " made (" + londonTimeWords(order.madeAt)
                           + "), so it cannot be a breach of " + (pluralKind(order.kind) ? "them" : "it")
                           + ". Check the date and time.",
                       "at");
    if (breach.at > now + kClockLeeway)
        return invalid("The breach is dated in the future (" + londonTimeWords(breach.at)
                           + "): check the date and time.",
                       "at");

    BreachCheck check;
    const auto ends = orderEnds(order, rules, calendar);
    if (!ends.ok()) {
        check.note = "Logged. Vigil cannot tell whether " + theKind(order.kind) + " was still in force: "
            + ends.error().message;
    } else if (*ends && breach.at >= **ends) {
        check.afterExpiry = true;
        check.note = "Logged, but this was after the order expired: it was not in force (it ended at "
            + londonTimeWords(**ends) + ").";
    }
    return check;
}

std::vector<Breach> breachesNewestFirst(const std::vector<Breach>& log, std::string_view orderId)
{
    std::vector<Breach> out;
    for (auto it = log.rbegin(); it != log.rend(); ++it)
        if (it->orderId == orderId)
            out.push_back(*it);
    // `out` is in reverse log order, so among breaches at one moment the one logged later stays first.
    std::stable_sort(out.begin(), out.end(), [](const Breach& a, const Breach& b) { return a.at > b.at; });
    return out;
}

}  // namespace vigil
