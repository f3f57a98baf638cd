// Protective orders (issue 24): the rules read from the "orders" section of the rules file, each
// kind's end and warning, the DVPO's 14 to 28 days, the DVPN and DAPN hearing clock over a
// bank-holiday weekend, a DAPO with no end and its 3-day name-and-address duty, countdown words
// across the clock changes, the due items of a case, and the breach log.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/casework/Orders.h"
#include "core/risk/Dates.h"
#include "core/risk/JsonFile.h"

using namespace vigil;
using namespace std::chrono;
using nlohmann::json;

namespace {

const WorkingDays& calendar()
{
    static const WorkingDays list = WorkingDays::loadFile(shippedBankHolidayFile()).value();
    return list;
}

std::filesystem::path rulesFile()
{
    return std::filesystem::path{VIGIL_RISK_MODEL_DIR} / "rules-default.json";
}

sys_seconds at(const char* iso)
{
    return *parseIsoDateTime(iso);
}

json shippedSection()
{
    return json::parse(readTextFile(rulesFile(), "rules").value())["orders"];
}

std::string sectionError(const json& section)
{
    json root = json::parse(readTextFile(rulesFile(), "rules").value());
    root["orders"] = section;
    auto parsed = parseOrdersRules(root.dump(), "rules-force.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::MalformedModel);
    return parsed.error().message;
}

ProtectiveOrder order(const char* id, OrderKind kind, const char* made, std::optional<const char*> expires = std::nullopt)
{
    ProtectiveOrder o;
    o.id = id;
    o.kind = kind;
    o.madeAt = at(made);
    if (expires)
        o.expiresAt = at(*expires);
    if (isNotice(kind))
        o.authorisedBy = "Insp. 1234 Okafor";
    return o;
}

/// The message of a refusal, checking it is a Validation error on `field`.
template <typename T>
std::string refusal(const Result<T>& status, const char* field)
{
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == ErrorCode::Validation);
    CHECK(status.error().field == field);
    return status.error().message;
}

const OrderDueItem& find(const std::vector<OrderDueItem>& items, OrderDuty duty, std::string_view orderId)
{
    const auto it = std::find_if(items.begin(), items.end(),
                                 [&](const OrderDueItem& i) { return i.duty == duty && i.orderId == orderId; });
    REQUIRE(it != items.end());
    return *it;
}

bool has(const std::vector<OrderDueItem>& items, OrderDuty duty, std::string_view orderId)
{
    return std::any_of(items.begin(), items.end(),
                       [&](const OrderDueItem& i) { return i.duty == duty && i.orderId == orderId; });
}

}  // namespace

TEST_CASE("Order kinds have stable names, read back the same and unknown names are refused", "[core][casework][orders]")
{
    CHECK(allOrderKinds().size() == 7);
    for (OrderKind kind : allOrderKinds()) {
        INFO(toString(kind));
        CHECK(orderKindFromString(toString(kind)) == kind);
    }
    CHECK(toString(OrderKind::NonMolestation) == "non_molestation");
    CHECK(toString(OrderKind::ClaresLawDisclosure) == "clares_law_disclosure");
    CHECK_FALSE(orderKindFromString("DVPO").has_value());
    CHECK_FALSE(orderKindFromString("restraining_order").has_value());
    CHECK(orderKindWords(OrderKind::Dapo) == "DAPO");
    CHECK(orderKindTitle(OrderKind::Dvpn) == "Domestic violence protection notice (DVPN)");
    CHECK(toString(OrderState::ExpiringSoon) == "expiring_soon");
    CHECK(toString(OrderDuty::ExpiryWarning) == "expiry_warning");
}

TEST_CASE("The shipped order rules are DOMAIN.md's and agree with the built-in ones", "[core][casework][orders]")
{
    const auto shipped = loadOrdersRulesFile(rulesFile());
    REQUIRE(shipped.ok());
    const OrdersRules builtIn;
    CHECK(shipped->kinds.size() == 7);
    for (OrderKind kind : allOrderKinds()) {
        INFO(toString(kind));
        REQUIRE(shipped->kinds.contains(kind));
        CHECK(shipped->of(kind) == builtIn.of(kind));
    }
    CHECK(shipped->kinds == builtIn.kinds);

    const OrderKindRules& dvpn = shipped->of(OrderKind::Dvpn);
    CHECK(dvpn.expiry == OrderExpiry::AtHearing);
    CHECK(dvpn.hearingWithinHours == 48);
    CHECK(dvpn.authorisedBy == "an inspector or above");
    CHECK(shipped->of(OrderKind::Dapn) == dvpn);
    const OrderKindRules& dvpo = shipped->of(OrderKind::Dvpo);
    CHECK(dvpo.expiry == OrderExpiry::Required);
    CHECK(dvpo.minDays == 14);
    CHECK(dvpo.maxDays == 28);
    CHECK(dvpo.warningDays == 3);
    const OrderKindRules& dapo = shipped->of(OrderKind::Dapo);
    CHECK(dapo.expiry == OrderExpiry::Optional);
    CHECK(dapo.maxDays == 0);
    CHECK(dapo.notificationDays == 3);
    CHECK(shipped->of(OrderKind::NonMolestation).expiry == OrderExpiry::Optional);
    CHECK(shipped->of(OrderKind::BailConditions).expiry == OrderExpiry::Required);
    CHECK(shipped->of(OrderKind::ClaresLawDisclosure).expiry == OrderExpiry::None);
    CHECK(shippedSection().contains("help"));
}

TEST_CASE("A rules copy without the orders section keeps the defaults, a wrong one is refused at its path",
          "[core][casework][orders]")
{
    const auto old = parseOrdersRules(R"({"format": 1, "id": "rules-old", "version": "0.9"})", "rules-old.json");
    REQUIRE(old.ok());
    CHECK(old->kinds == OrdersRules{}.kinds);

    json s = shippedSection();
    s["kinds"]["restraining_order"] = {{"expiry", "optional"}, {"warning_days", 3}};
    CHECK(sectionError(s).find("/orders/kinds/restraining_order: unknown kind of order (use dvpn, dvpo") != std::string::npos);

    s = shippedSection();
    s["kinds"].erase("dapo");
    CHECK(sectionError(s).find("/orders/kinds/dapo: missing dapo: every kind of order needs its rules") != std::string::npos);

    s = shippedSection();
    s["kinds"]["dvpo"]["max_day"] = 35;  // misspelt: refused, never silently ignored
    CHECK(sectionError(s).find("/orders/kinds/dvpo/max_day: unknown setting") != std::string::npos);

    s = shippedSection();
    s["kinds"]["dvpo"]["min_days"] = 30;
    CHECK(sectionError(s).find("/orders/kinds/dvpo/min_days: min_days may not be more than max_days") != std::string::npos);

    s = shippedSection();
    s["kinds"]["dvpo"].erase("warning_days");
    CHECK(sectionError(s).find("/orders/kinds/dvpo/warning_days: missing warning_days") != std::string::npos);

    s = shippedSection();
    s["kinds"]["bail_conditions"]["warning_days"] = -1;
    CHECK(sectionError(s).find("warning_days must be a whole number from 0 to 3660") != std::string::npos);

    s = shippedSection();
    s["kinds"]["dvpn"]["expiry"] = "required";
    CHECK(sectionError(s).find("/orders/kinds/dvpn/expiry: a notice lasts until the magistrates hear the application")
          != std::string::npos);

    s = shippedSection();
    s["kinds"]["dapo"]["expiry"] = "hearing";
    CHECK(sectionError(s).find("/orders/kinds/dapo/expiry: only a notice (dvpn, dapn) lasts until a hearing")
          != std::string::npos);

    s = shippedSection();
    s["kinds"]["dapn"].erase("hearing_within_hours");
    CHECK(sectionError(s).find("/orders/kinds/dapn/hearing_within_hours: missing hearing_within_hours") != std::string::npos);

    s = shippedSection();
    s["kinds"]["clares_law_disclosure"]["warning_days"] = 3;
    CHECK(sectionError(s).find("warning_days is only for an expiry of required or optional") != std::string::npos);

    s = shippedSection();
    s["kinds"]["dvpn"]["authorised_by"] = "";
    CHECK(sectionError(s).find("/orders/kinds/dvpn/authorised_by") != std::string::npos);

    s = shippedSection();
    s["kinds"]["non_molestation"]["expiry"] = "sometimes";
    CHECK(sectionError(s).find("expiry must be hearing, required, optional or none") != std::string::npos);

    s = shippedSection();
    s["warn_days"] = 3;
    CHECK(sectionError(s).find("/orders/warn_days: unknown setting") != std::string::npos);

    // A force may choose its own numbers, kind by kind.
    json root = json::parse(readTextFile(rulesFile(), "rules").value());
    root["orders"]["kinds"]["non_molestation"]["warning_days"] = 7;
    root["orders"]["kinds"]["bail_conditions"]["warning_days"] = 0;
    root["orders"]["kinds"]["bail_conditions"]["max_days"] = 92;
    const auto force = parseOrdersRules(root.dump(), "rules-force.json");
    REQUIRE(force.ok());
    CHECK(force->of(OrderKind::NonMolestation).warningDays == 7);
    CHECK(force->of(OrderKind::BailConditions).warningDays == 0);
    CHECK(force->of(OrderKind::BailConditions).maxDays == 92);
    CHECK(force->of(OrderKind::Dvpo).warningDays == 3);
}

TEST_CASE("A DVPO is in force, expiring soon within 3 days of its end, and expired from it on, with a countdown in words",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    // Made 10:00 on Friday 26 February 2027, ends 14:00 on Friday 12 March 2027 (15 days; GMT throughout).
    const ProtectiveOrder dvpo = order("dvpo-1", OrderKind::Dvpo, "2027-02-26T10:00:00Z", "2027-03-12T14:00:00Z");
    REQUIRE(validateOrder(dvpo, rules, calendar(), at("2027-02-26T11:00:00Z")).ok());

    auto s = orderStatus(dvpo, rules, calendar(), at("2027-03-05T09:00:00Z"));
    CHECK(s.state == OrderState::InForce);
    CHECK(s.statusWords == "In force");
    CHECK(s.countdownWords == "Expires in 7 days, 5 hours (Friday 12 March 2027 14:00)");
    CHECK(s.endsAt == at("2027-03-12T14:00:00Z"));
    CHECK_FALSE(s.hearingDue.has_value());

    // Exactly 3 days before the end: the warning starts.
    s = orderStatus(dvpo, rules, calendar(), at("2027-03-09T14:00:00Z"));
    CHECK(s.state == OrderState::ExpiringSoon);
    CHECK(s.remaining == days{3});
    s = orderStatus(dvpo, rules, calendar(), at("2027-03-09T13:59:59Z"));
    CHECK(s.state == OrderState::InForce);

    s = orderStatus(dvpo, rules, calendar(), at("2027-03-10T10:00:00Z"));
    CHECK(s.state == OrderState::ExpiringSoon);
    CHECK(s.statusWords == "Expiring soon");
    CHECK(s.countdownWords == "Expires in 2 days, 4 hours (Friday 12 March 2027 14:00)");
    CHECK(s.remaining == hours{52});

    s = orderStatus(dvpo, rules, calendar(), at("2027-03-12T13:25:00Z"));
    CHECK(s.countdownWords == "Expires in 35 minutes (Friday 12 March 2027 14:00)");

    // At 14:00 it has expired.
    s = orderStatus(dvpo, rules, calendar(), at("2027-03-12T14:00:00Z"));
    CHECK(s.state == OrderState::Expired);
    s = orderStatus(dvpo, rules, calendar(), at("2027-03-15T14:00:00Z"));
    CHECK(s.state == OrderState::Expired);
    CHECK(s.statusWords == "Expired");
    CHECK(s.countdownWords == "Expired 3 days ago");
    CHECK(s.remaining == days{3});
    CHECK(orderStatus(dvpo, rules, calendar(), at("2027-03-12T19:30:00Z")).countdownWords == "Expired 5 hours ago");

    // Before it was made.
    s = orderStatus(dvpo, rules, calendar(), at("2027-02-26T09:00:00Z"));
    CHECK(s.state == OrderState::NotYetInForce);
}

TEST_CASE("A DVPO lasts between 14 and 28 days counting the day it was made, outside that it is refused in words",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    const sys_seconds now = at("2027-03-01T12:00:00Z");
    // Made 10:00 on Monday 1 March 2027.
    ProtectiveOrder dvpo = order("dvpo-1", OrderKind::Dvpo, "2027-03-01T10:00:00Z");

    dvpo.expiresAt = at("2027-04-04T22:59:00Z");  // 23:59 BST on Sunday 4 April: day 35
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "expiresAt")
          == "A DVPO lasts between 14 and 28 days: this one ends after 35 days. Check the date on the order.");

    dvpo.expiresAt = at("2027-03-13T23:59:00Z");  // day 13
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "expiresAt")
          == "A DVPO lasts between 14 and 28 days: this one ends after 13 days. Check the date on the order.");

    dvpo.expiresAt = at("2027-03-14T23:59:00Z");  // day 14
    CHECK(validateOrder(dvpo, rules, calendar(), now).ok());
    dvpo.expiresAt = at("2027-03-28T22:59:00Z");  // 23:59 BST on Sunday 28 March: day 28
    CHECK(validateOrder(dvpo, rules, calendar(), now).ok());
    dvpo.expiresAt = at("2027-03-28T23:00:00Z");  // London midnight ending day 28 still counts as day 28
    CHECK(validateOrder(dvpo, rules, calendar(), now).ok());
    dvpo.expiresAt = at("2027-03-28T23:01:00Z");  // 00:01 on day 29
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "expiresAt").find("this one ends after 29 days")
          != std::string::npos);

    dvpo.expiresAt = at("2027-02-28T10:00:00Z");
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "expiresAt")
          == "This DVPO ends (10:00 on Sunday 28 February 2027) before it was made (10:00 on Monday 1 March 2027). "
             "Check the dates on the order.");
    dvpo.expiresAt = dvpo.madeAt;
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "expiresAt").find("at the moment it was made")
          != std::string::npos);

    dvpo.expiresAt.reset();
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "expiresAt")
          == "A DVPO ends when the court says (14 to 28 days): enter the date and time on the order.");

    dvpo.expiresAt = at("2027-03-20T23:59:00Z");
    dvpo.madeAt = at("2027-03-01T12:30:00Z");  // typed in as made after now (beyond the few minutes allowed)
    CHECK(refusal(validateOrder(dvpo, rules, calendar(), now), "madeAt").find("is in the future") != std::string::npos);
    dvpo.madeAt = at("2027-03-01T12:03:00Z");  // a clock a few minutes out
    CHECK(validateOrder(dvpo, rules, calendar(), now).ok());
}

TEST_CASE("A DVPN given on a Saturday before a bank-holiday Monday: its hearing is due on the Wednesday and it ends then",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    // 11:00 BST on Saturday 23 August 2025; Monday 25 August is the Summer bank holiday. Saturday
    // gives 13 hours, Sunday and Monday are not counted, Tuesday 24, Wednesday the last 11.
    const ProtectiveOrder dvpn = order("dvpn-1", OrderKind::Dvpn, "2025-08-23T10:00:00Z");
    REQUIRE(validateOrder(dvpn, rules, calendar(), at("2025-08-23T10:30:00Z")).ok());

    const auto hearing = orderHearingDue(dvpn, rules, calendar());
    REQUIRE(hearing.ok());
    CHECK(*hearing == at("2025-08-27T10:00:00Z"));
    CHECK(**orderEnds(dvpn, rules, calendar()) == at("2025-08-27T10:00:00Z"));

    auto s = orderStatus(dvpn, rules, calendar(), at("2025-08-23T11:00:00Z"));
    CHECK(s.state == OrderState::HearingDue);
    CHECK(s.hearingDue == at("2025-08-27T10:00:00Z"));
    CHECK(s.statusWords == "Hearing due by 11:00 on Wednesday 27 August 2025");
    CHECK(s.countdownWords == "Hearing due in 3 days, 23 hours (Wednesday 27 August 2025 11:00)");

    auto items = ordersDueItems({dvpn}, rules, calendar(), at("2025-08-26T10:00:00Z"));
    REQUIRE(items.ok());
    REQUIRE(items->size() == 1);
    const OrderDueItem& due = items->front();
    CHECK(due.duty == OrderDuty::Hearing);
    CHECK(due.what == "Magistrates' hearing of the application for a DVPO");
    CHECK(due.basis == "48 hours after the DVPN, not counting Sundays, Christmas Day, Good Friday or bank holidays");
    CHECK(due.dueWords == "by 11:00 on Wednesday 27 August 2025");
    CHECK(due.status == DueStatus::DueIn);
    CHECK(due.statusWords == "Due in 24 hours");

    // No hearing recorded by Wednesday noon: the notice has lapsed and the hearing item is overdue.
    s = orderStatus(dvpn, rules, calendar(), at("2025-08-27T11:00:00Z"));
    CHECK(s.state == OrderState::Expired);
    CHECK(s.statusWords == "Expired: no hearing is recorded, and it was due by 11:00 on Wednesday 27 August 2025. "
                           "Record the court's decision.");
    items = ordersDueItems({dvpn}, rules, calendar(), at("2025-08-27T13:00:00Z"));
    REQUIRE(items.ok());
    CHECK(items->front().status == DueStatus::Overdue);
    CHECK(items->front().statusWords == "Overdue by 3 hours: record the court's decision");

    // Heard at 10:00 on the Tuesday: on time, and the notice ended then.
    ProtectiveOrder heard = dvpn;
    heard.hearingHeldAt = at("2025-08-26T09:00:00Z");
    s = orderStatus(heard, rules, calendar(), at("2025-08-26T12:00:00Z"));
    CHECK(s.state == OrderState::Expired);
    CHECK(s.statusWords == "Ended at the hearing");
    CHECK(s.countdownWords == "Expired 3 hours ago");
    items = ordersDueItems({heard}, rules, calendar(), at("2025-08-26T12:00:00Z"));
    REQUIRE(items.ok());
    CHECK(items->front().status == DueStatus::DoneOnTime);
}

TEST_CASE("A DVPN or DAPN not authorised by someone is refused, and so is a hearing listed outside the 48-hour clock",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    const sys_seconds now = at("2025-08-23T12:00:00Z");
    ProtectiveOrder dvpn = order("dvpn-1", OrderKind::Dvpn, "2025-08-23T10:00:00Z");
    dvpn.authorisedBy = "  ";
    CHECK(refusal(validateOrder(dvpn, rules, calendar(), now), "authorisedBy")
          == "A DVPN is authorised by an inspector or above: name who authorised it.");
    ProtectiveOrder dapn = order("dapn-1", OrderKind::Dapn, "2025-08-23T10:00:00Z");
    dapn.authorisedBy.clear();
    CHECK(refusal(validateOrder(dapn, rules, calendar(), now), "authorisedBy")
          == "A DAPN is authorised by an inspector or above: name who authorised it.");

    // A listed hearing is used when it is within the clock; a later one is refused.
    dapn.authorisedBy = "Insp. 1234 Okafor";
    dapn.hearingDue = at("2025-08-26T09:30:00Z");
    REQUIRE(validateOrder(dapn, rules, calendar(), now).ok());
    CHECK(**orderHearingDue(dapn, rules, calendar()) == at("2025-08-26T09:30:00Z"));
    CHECK(orderStatus(dapn, rules, calendar(), now).statusWords == "Hearing due by 10:30 on Tuesday 26 August 2025");
    dapn.hearingDue = at("2025-08-27T13:00:00Z");
    CHECK(refusal(validateOrder(dapn, rules, calendar(), now), "hearingDue")
          == "The hearing must be within 48 hours after the DAPN, not counting Sundays, Christmas Day, Good Friday or "
             "bank holidays: by 11:00 on Wednesday 27 August 2025, and this one is listed for 14:00 on Wednesday 27 "
             "August 2025. Check the listing.");
    dapn.hearingDue = at("2025-08-22T13:00:00Z");
    CHECK(refusal(validateOrder(dapn, rules, calendar(), now), "hearingDue").find("is listed before the DAPN was given")
          != std::string::npos);
    dapn.hearingDue.reset();
    dapn.hearingHeldAt = at("2025-08-22T13:00:00Z");
    CHECK(refusal(validateOrder(dapn, rules, calendar(), now), "hearingHeldAt").find("before the DAPN was given")
          != std::string::npos);

    // Other kinds need nobody named.
    ProtectiveOrder nmo = order("nmo-1", OrderKind::NonMolestation, "2025-08-22T13:00:00Z");
    CHECK(validateOrder(nmo, rules, calendar(), now).ok());
}

TEST_CASE("A DAPO with no end date stays in force, its subject's name and address are due within 3 days, counting the "
          "day it was made",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    // Made 15:00 on Thursday 7 January 2027: the name and address are due by the end of Saturday 9 January.
    ProtectiveOrder dapo = order("dapo-1", OrderKind::Dapo, "2027-01-07T15:00:00Z");
    REQUIRE(validateOrder(dapo, rules, calendar(), at("2027-01-07T16:00:00Z")).ok());
    CHECK_FALSE(orderEnds(dapo, rules, calendar())->has_value());

    auto s = orderStatus(dapo, rules, calendar(), at("2030-06-01T12:00:00Z"));
    CHECK(s.state == OrderState::NoExpiry);
    CHECK(s.statusWords == "In force with no end date");
    CHECK(s.countdownWords == "No end date");
    CHECK_FALSE(s.endsAt.has_value());

    auto items = ordersDueItems({dapo}, rules, calendar(), at("2027-01-08T13:00:00Z"));
    REQUIRE(items.ok());
    REQUIRE(items->size() == 1);
    const OrderDueItem& notify = items->front();
    CHECK(notify.duty == OrderDuty::Notification);
    CHECK(notify.what == "The person the DAPO is against gives the police their name and address");
    CHECK(notify.basis == "within 3 days of the DAPO being made, counting that day");
    CHECK(notify.dueAt == at("2027-01-10T00:00:00Z"));
    CHECK(notify.dueWords == "by the end of Saturday 9 January 2027");
    CHECK(notify.status == DueStatus::DueIn);
    CHECK(notify.statusWords == "Due in 35 hours");

    items = ordersDueItems({dapo}, rules, calendar(), at("2027-01-11T11:00:00Z"));
    REQUIRE(items.ok());
    CHECK(items->front().status == DueStatus::Overdue);
    CHECK(items->front().statusWords == "Overdue by 35 hours");

    dapo.nameAndAddressGivenAt = at("2027-01-09T23:30:00Z");
    items = ordersDueItems({dapo}, rules, calendar(), at("2027-01-11T12:00:00Z"));
    REQUIRE(items.ok());
    CHECK(items->front().status == DueStatus::DoneOnTime);
    dapo.nameAndAddressGivenAt = at("2027-01-10T00:00:00Z");  // midnight: a day late by the statute's count
    items = ordersDueItems({dapo}, rules, calendar(), at("2027-01-11T12:00:00Z"));
    REQUIRE(items.ok());
    CHECK(items->front().status == DueStatus::DoneLate);
    dapo.nameAndAddressGivenAt = at("2027-01-06T10:00:00Z");
    CHECK(refusal(validateOrder(dapo, rules, calendar(), at("2027-01-11T12:00:00Z")), "nameAndAddressGivenAt")
          .find("before the DAPO was made") != std::string::npos);

    // A DAPO the court gave an end date to warns like any other; there is no maximum.
    ProtectiveOrder dated = order("dapo-2", OrderKind::Dapo, "2027-01-07T15:00:00Z", "2029-01-07T15:00:00Z");
    dated.nameAndAddressGivenAt = at("2027-01-08T10:00:00Z");
    CHECK(validateOrder(dated, rules, calendar(), at("2027-01-08T12:00:00Z")).ok());
    CHECK(orderStatus(dated, rules, calendar(), at("2029-01-05T15:00:00Z")).state == OrderState::ExpiringSoon);
}

TEST_CASE("Each kind ends its own way: non-molestation, bail conditions until the bail date, and a Clare's Law "
          "disclosure that never ends",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    const sys_seconds made = at("2027-01-04T10:00:00Z");

    // A non-molestation order "until further order", and one with a date.
    ProtectiveOrder nmo = order("nmo-1", OrderKind::NonMolestation, "2027-01-04T10:00:00Z");
    CHECK(validateOrder(nmo, rules, calendar(), made).ok());
    CHECK(orderStatus(nmo, rules, calendar(), at("2028-01-01T00:00:00Z")).state == OrderState::NoExpiry);
    nmo.expiresAt = at("2027-07-04T15:59:00Z");  // 16:59 BST
    CHECK(validateOrder(nmo, rules, calendar(), made).ok());
    CHECK(orderStatus(nmo, rules, calendar(), at("2027-06-20T12:00:00Z")).state == OrderState::InForce);
    const auto soon = orderStatus(nmo, rules, calendar(), at("2027-07-02T12:00:00Z"));
    CHECK(soon.state == OrderState::ExpiringSoon);
    CHECK(soon.countdownWords == "Expires in 2 days, 3 hours (Sunday 4 July 2027 16:59)");
    CHECK(orderStatus(nmo, rules, calendar(), at("2027-07-05T12:00:00Z")).state == OrderState::Expired);

    // Bail conditions must say when the suspect answers bail.
    ProtectiveOrder bail = order("bail-1", OrderKind::BailConditions, "2027-01-04T10:00:00Z");
    bail.conditions = "Not to contact the victim directly or indirectly; not to enter Elm Road.";
    CHECK(refusal(validateOrder(bail, rules, calendar(), made), "expiresAt")
          == "Bail conditions last until the date the suspect must answer bail: enter that date and time.");
    bail.expiresAt = at("2027-04-02T09:00:00Z");  // 10:00 BST on Friday 2 April
    CHECK(validateOrder(bail, rules, calendar(), made).ok());
    CHECK(orderStatus(bail, rules, calendar(), at("2027-03-28T09:00:00Z")).state == OrderState::InForce);
    CHECK(orderStatus(bail, rules, calendar(), at("2027-03-30T09:00:00Z")).state == OrderState::ExpiringSoon);
    bail.expiresAt = at("2027-01-03T09:00:00Z");
    CHECK(refusal(validateOrder(bail, rules, calendar(), made), "expiresAt")
          == "These bail conditions end (09:00 on Sunday 3 January 2027) before they were made (10:00 on Monday 4 "
             "January 2027). Check the dates on the order.");

    // A Clare's Law disclosure is made on a date and never ends.
    ProtectiveOrder disclosure = order("clare-1", OrderKind::ClaresLawDisclosure, "2027-01-04T10:00:00Z");
    CHECK(validateOrder(disclosure, rules, calendar(), made).ok());
    const auto disclosed = orderStatus(disclosure, rules, calendar(), at("2030-01-01T00:00:00Z"));
    CHECK(disclosed.state == OrderState::NoExpiry);
    CHECK(disclosed.statusWords == "Disclosed on Monday 4 January 2027");
    CHECK(disclosed.countdownWords.empty());
    disclosure.expiresAt = at("2027-02-04T10:00:00Z");
    CHECK(refusal(validateOrder(disclosure, rules, calendar(), made), "expiresAt")
          == "A Clare's Law disclosure is not an order and has no end date: leave the end date empty.");
}

TEST_CASE("The warning before an order ends is set kind by kind in the rules", "[core][casework][orders]")
{
    OrdersRules rules;
    const ProtectiveOrder nmo = order("nmo-1", OrderKind::NonMolestation, "2027-01-04T10:00:00Z", "2027-07-04T15:59:00Z");
    const ProtectiveOrder dvpo = order("dvpo-1", OrderKind::Dvpo, "2027-06-10T10:00:00Z", "2027-07-04T15:59:00Z");
    const sys_seconds fiveDaysBefore = at("2027-06-29T15:59:00Z");
    CHECK(orderStatus(nmo, rules, calendar(), fiveDaysBefore).state == OrderState::InForce);

    rules.kinds[OrderKind::NonMolestation].warningDays = 7;
    CHECK(orderStatus(nmo, rules, calendar(), fiveDaysBefore).state == OrderState::ExpiringSoon);
    CHECK(orderStatus(dvpo, rules, calendar(), fiveDaysBefore).state == OrderState::InForce);

    rules.kinds[OrderKind::NonMolestation].warningDays = 0;  // no warning at all
    CHECK(orderStatus(nmo, rules, calendar(), at("2027-07-04T15:58:00Z")).state == OrderState::InForce);
}

TEST_CASE("The countdown counts real hours across a clock change and shows the London time of the end",
          "[core][casework][orders]")
{
    // Spring: ends 12:00 BST on Monday 29 March 2027; asked at 12:00 GMT on Saturday 27 March. The
    // clocks go forward on the Sunday, so 47 hours remain, not 48.
    CHECK(expiryCountdownWords(at("2027-03-29T11:00:00Z"), at("2027-03-27T12:00:00Z"))
          == "Expires in 1 day, 23 hours (Monday 29 March 2027 12:00)");
    // Autumn: ends 12:00 GMT on Monday 1 November 2027; asked at 12:00 BST on Saturday 30 October.
    // The clocks go back on the Sunday: 49 hours.
    CHECK(expiryCountdownWords(at("2027-11-01T12:00:00Z"), at("2027-10-30T11:00:00Z"))
          == "Expires in 2 days, 1 hour (Monday 1 November 2027 12:00)");
    // Expired across the spring change: ended 12:00 GMT Friday 26 March, asked 12:00 BST Monday 29 March.
    CHECK(expiryCountdownWords(at("2027-03-26T12:00:00Z"), at("2027-03-29T11:00:00Z")) == "Expired 2 days ago");
    CHECK(expiryCountdownWords(at("2027-03-26T12:00:00Z"), at("2027-03-29T12:00:00Z")) == "Expired 3 days ago");

    CHECK(expiryCountdownWords(at("2027-03-29T11:00:00Z"), at("2027-03-29T10:59:30Z"))
          == "Expires in less than a minute (Monday 29 March 2027 12:00)");
    CHECK(expiryCountdownWords(at("2027-03-29T11:00:00Z"), at("2027-03-29T08:40:00Z"))
          == "Expires in 2 hours, 20 minutes (Monday 29 March 2027 12:00)");
    CHECK(expiryCountdownWords(at("2027-03-29T11:00:00Z"), at("2027-03-28T11:00:00Z"))
          == "Expires in 1 day (Monday 29 March 2027 12:00)");
    CHECK(orderDateTimeWords(at("2027-03-28T00:30:00Z")) == "Sunday 28 March 2027 00:30");
    CHECK(orderDateTimeWords(at("2027-03-28T01:30:00Z")) == "Sunday 28 March 2027 02:30");
}

TEST_CASE("A case's orders give their due items in the order they were made", "[core][casework][orders]")
{
    const OrdersRules rules;
    // A DVPN on Saturday 23 August 2025, the DVPO made at the Wednesday hearing for 28 days, and bail
    // conditions from the arrest.
    ProtectiveOrder dvpn = order("dvpn-1", OrderKind::Dvpn, "2025-08-23T10:00:00Z");
    dvpn.hearingHeldAt = at("2025-08-27T09:00:00Z");
    const ProtectiveOrder dvpo = order("dvpo-1", OrderKind::Dvpo, "2025-08-27T09:30:00Z", "2025-09-23T22:59:00Z");
    const ProtectiveOrder bail = order("bail-1", OrderKind::BailConditions, "2025-08-22T20:00:00Z", "2025-11-20T10:00:00Z");
    const ProtectiveOrder clare = order("clare-1", OrderKind::ClaresLawDisclosure, "2025-08-01T10:00:00Z");
    const std::vector<ProtectiveOrder> orders{dvpo, clare, dvpn, bail};
    REQUIRE(validateOrder(dvpo, rules, calendar(), at("2025-08-27T10:00:00Z")).ok());

    // Sunday 21 September 2025, noon BST: the DVPO ends in 2 days and 12 hours.
    auto items = ordersDueItems(orders, rules, calendar(), at("2025-09-21T11:00:00Z"));
    REQUIRE(items.ok());
    REQUIRE(items->size() == 2);
    CHECK((*items)[0].duty == OrderDuty::Hearing);
    CHECK((*items)[0].orderId == "dvpn-1");
    CHECK((*items)[0].status == DueStatus::DoneOnTime);
    const OrderDueItem& warning = find(*items, OrderDuty::ExpiryWarning, "dvpo-1");
    CHECK(warning.what == "The DVPO ends soon: plan the victim's safety after it ends");
    CHECK(warning.basis == "a warning 3 days before it ends");
    CHECK(warning.dueWords == "ends at 23:59 on Tuesday 23 September 2025");
    CHECK(warning.status == DueStatus::DueIn);
    CHECK(warning.statusWords == "Expires in 2 days, 11 hours (Tuesday 23 September 2025 23:59)");
    CHECK_FALSE(has(*items, OrderDuty::ExpiryWarning, "bail-1"));

    // Once the DVPO has expired there is no warning: its status says it expired.
    items = ordersDueItems(orders, rules, calendar(), at("2025-09-24T11:00:00Z"));
    REQUIRE(items.ok());
    CHECK_FALSE(has(*items, OrderDuty::ExpiryWarning, "dvpo-1"));

    // Bail conditions and the DVPO both ending soon: each warns, in the order they were made.
    const ProtectiveOrder shortBail = order("bail-2", OrderKind::BailConditions, "2025-08-22T20:00:00Z", "2025-09-24T09:00:00Z");
    items = ordersDueItems({dvpo, shortBail}, rules, calendar(), at("2025-09-22T11:00:00Z"));
    REQUIRE(items.ok());
    REQUIRE(items->size() == 2);
    CHECK((*items)[0].orderId == "bail-2");
    CHECK((*items)[0].what == "The bail conditions end soon: plan the victim's safety after they end");
    CHECK((*items)[1].orderId == "dvpo-1");

    // Two orders with one id are refused rather than half-counted.
    const auto twice = ordersDueItems({dvpo, dvpo}, rules, calendar(), at("2025-09-22T11:00:00Z"));
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == ErrorCode::Validation);
    CHECK(twice.error().message.find("Two orders in this case have the same id (\"dvpo-1\")") != std::string::npos);
}

TEST_CASE("A notice whose hearing runs past the bank-holiday list cannot be told, in words, the other orders still are",
          "[core][casework][orders]")
{
    const OrdersRules rules;
    const ProtectiveOrder dvpn = order("dvpn-late", OrderKind::Dvpn, "2028-12-30T12:00:00Z");
    const ProtectiveOrder dapo = order("dapo-1", OrderKind::Dapo, "2028-12-30T12:00:00Z");
    const auto s = orderStatus(dvpn, rules, calendar(), at("2028-12-30T13:00:00Z"));
    CHECK(s.state == OrderState::CannotTell);
    CHECK(s.problem.find("ask your administrator to update it") != std::string::npos);
    CHECK(s.statusWords == s.problem);

    const auto items = ordersDueItems({dvpn, dapo}, rules, calendar(), at("2028-12-30T13:00:00Z"));
    REQUIRE(items.ok());
    const OrderDueItem& hearing = find(*items, OrderDuty::Hearing, "dvpn-late");
    CHECK(hearing.status == DueStatus::CannotTell);
    CHECK_FALSE(hearing.dueAt.has_value());
    CHECK(find(*items, OrderDuty::Notification, "dapo-1").status == DueStatus::DueIn);
}

TEST_CASE("A breach needs what happened and what was done, before the order it is refused, after its end it is "
          "logged and flagged",
          "[core][casework][orders][breach]")
{
    const OrdersRules rules;
    const ProtectiveOrder dvpo = order("dvpo-1", OrderKind::Dvpo, "2027-02-26T10:00:00Z", "2027-03-12T14:00:00Z");
    const sys_seconds now = at("2027-03-20T12:00:00Z");
    Breach b{"b-1", "dvpo-1", at("2027-03-05T21:15:00Z"), "Came to the victim's address and shouted through the door",
             "Arrested; remanded to court"};

    const auto inForce = validateBreach(b, dvpo, rules, calendar(), now);
    REQUIRE(inForce.ok());
    CHECK_FALSE(inForce->afterExpiry);
    CHECK(inForce->note.empty());

    Breach noWhat = b;
    noWhat.what = " ";
    CHECK(refusal(validateBreach(noWhat, dvpo, rules, calendar(), now), "what")
          == "Say what the breach was: what the person did.");
    Breach noAction = b;
    noAction.action.clear();
    CHECK(refusal(validateBreach(noAction, dvpo, rules, calendar(), now), "action")
          == "Say what action was taken (for example arrested, reported to the court, or none yet).");

    Breach before = b;
    before.at = at("2027-02-26T09:00:00Z");
    CHECK(refusal(validateBreach(before, dvpo, rules, calendar(), now), "at")
          == "The breach (09:00 on Friday 26 February 2027) is before the DVPO was made (10:00 on Friday 26 February "
             "2027), so it cannot be a breach of it. Check the date and time.");
    Breach future = b;
    future.at = at("2027-03-21T12:00:00Z");
    CHECK(refusal(validateBreach(future, dvpo, rules, calendar(), now), "at").find("in the future") != std::string::npos);

    Breach after = b;
    after.at = at("2027-03-12T14:00:00Z");  // the moment it ended: no longer in force
    const auto late = validateBreach(after, dvpo, rules, calendar(), now);
    REQUIRE(late.ok());
    CHECK(late->afterExpiry);
    CHECK(late->note == "Logged, but this was after the order expired: it was not in force (it ended at 14:00 on Friday "
                        "12 March 2027).");

    Breach elsewhere = b;
    elsewhere.orderId = "dvpo-2";
    CHECK(refusal(validateBreach(elsewhere, dvpo, rules, calendar(), now), "orderId").find("names another order")
          != std::string::npos);

    const ProtectiveOrder clare = order("clare-1", OrderKind::ClaresLawDisclosure, "2027-02-26T10:00:00Z");
    Breach ofDisclosure = b;
    ofDisclosure.orderId = "clare-1";
    CHECK(refusal(validateBreach(ofDisclosure, clare, rules, calendar(), now), "orderId").find("cannot be breached")
          != std::string::npos);

    // A DAPO with no end: any breach after it was made is of an order in force.
    const ProtectiveOrder dapo = order("dapo-1", OrderKind::Dapo, "2027-02-26T10:00:00Z");
    Breach ofDapo = b;
    ofDapo.orderId = "dapo-1";
    const auto dapoBreach = validateBreach(ofDapo, dapo, rules, calendar(), now);
    REQUIRE(dapoBreach.ok());
    CHECK_FALSE(dapoBreach->afterExpiry);

    // A DVPN breached after its hearing was held has ended.
    ProtectiveOrder dvpn = order("dvpn-1", OrderKind::Dvpn, "2027-03-01T10:00:00Z");
    dvpn.hearingHeldAt = at("2027-03-02T14:00:00Z");
    Breach ofDvpn = b;
    ofDvpn.orderId = "dvpn-1";
    ofDvpn.at = at("2027-03-02T15:00:00Z");
    CHECK(validateBreach(ofDvpn, dvpn, rules, calendar(), now)->afterExpiry);
    ofDvpn.at = at("2027-03-02T13:00:00Z");
    CHECK_FALSE(validateBreach(ofDvpn, dvpn, rules, calendar(), now)->afterExpiry);
}

TEST_CASE("An order's breaches are listed newest first, others' left out", "[core][casework][orders][breach]")
{
    const std::vector<Breach> log{
        {"b-1", "dvpo-1", at("2027-03-01T21:00:00Z"), "Phoned the victim", "Words of advice"},
        {"b-2", "nmo-1", at("2027-03-03T21:00:00Z"), "Sent messages", "Reported to the court"},
        {"b-3", "dvpo-1", at("2027-03-05T21:00:00Z"), "Came to the address", "Arrested"},
        {"b-4", "dvpo-1", at("2027-03-02T08:00:00Z"), "Waited outside work", "Statement taken"},  // logged late
        {"b-5", "dvpo-1", at("2027-03-05T21:00:00Z"), "Damaged the car", "Added to the arrest"},  // same moment as b-3
    };
    const auto listed = breachesNewestFirst(log, "dvpo-1");
    REQUIRE(listed.size() == 4);
    CHECK(listed[0].id == "b-5");
    CHECK(listed[1].id == "b-3");
    CHECK(listed[2].id == "b-4");
    CHECK(listed[3].id == "b-1");
    CHECK(breachesNewestFirst(log, "dapo-9").empty());
}
