// Victim casework (issue 24): the safe-contact rules that gate every contact, and the case
// records over a real SQLCipher store: a caseload from referrals and allocations, contacts
// refused or logged, the victim's changed answers, the Victims' Code items of an investigation,
// orders, and the feedback forms issued (checked like contacts) with their anonymous responses counted.
#include <catch2/catch.hpp>

#include "core/casework/FeedbackForms.h"
#include "core/casework/OrdersRules.h"
#include "core/casework/SafeContactRules.h"
#include "core/common/Uuid.h"
#include "core/casework/WorkingDays.h"
#include "core/records/CaseRepository.h"
#include "core/risk/Dates.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace std::chrono;

namespace {

sys_seconds at(const char* iso) { return *parseIsoDateTime(iso); }

SafeContact phoneOnWeekdays()
{
    SafeContact a;
    a.phone = true;
    a.text = false;
    a.voicemail = false;
    a.visit = false;
    a.safeTimes = "Weekdays 10:00-15:00";
    return a;
}

/// A 124D with one victim whose safe-contact answers are `answers`, on the device's store.
struct CaseWorld : test::RecordsFixture {
    std::string incident = newUuid();
    std::string victim = newUuid();
    std::string referral = newUuid();
    Actor idva{"idva.f", "supporting the victim"};
    Actor dc{"dc.h", "investigating"};
    VictimsCodeRules rules;
    WorkingDays calendar;
    OrdersRules orders;

    explicit CaseWorld(const SafeContact& answers = phoneOnWeekdays())
    {
        auto loadedOrders = loadOrdersRulesFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
        REQUIRE(loadedOrders.ok());
        orders = std::move(loadedOrders).value();
        auto loaded = WorkingDays::loadFile(shippedBankHolidayFile());
        REQUIRE(loaded.ok());
        calendar = std::move(loaded).value();
        const auto flag = [](const std::optional<bool>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
        const Status made = records->create(officer, Entity::Incident, incident, incident, "", nlohmann::json::object(),
                                            {{"refs.cad", "1234/23NOV26"}, {"investigation.officer_in_case", "dc.h"}});
        INFO((made.ok() ? std::string() : made.error().message));
        REQUIRE(made.ok());
        REQUIRE(records->create(officer, Entity::Person, victim, incident, "", {{"incident", incident}},
                                {{"role", "victim"},
                                 {"person.name", "Invented Victim"},
                                 {"grade.officer", "high"},
                                 {"safe_contact.phone", flag(answers.phone)},
                                 {"safe_contact.text", flag(answers.text)},
                                 {"safe_contact.voicemail", flag(answers.voicemail)},
                                 {"safe_contact.visit", flag(answers.visit)},
                                 {"safe_contact.safe_times", answers.safeTimes}})
                    .ok());
        REQUIRE(records->create(officer, Entity::Referral, referral, incident, victim,
                                {{"incident", incident}, {"parent", victim}},
                                {{"agency", "idva"}, {"to_user", "idva.f"}})
                    .ok());
    }
};

}  // namespace

TEST_CASE("Safe times are read from the words officers write, and words Vigil cannot read say so", "[core][casework][safe]")
{
    auto w = parseSafeTimes("Weekdays 10:00-15:00");
    REQUIRE(w.ok());
    REQUIRE(w->size() == 1);
    CHECK((*w)[0] == SafeWindow{0x1f, 600, 900});
    w = parseSafeTimes("Mon-Fri 10-3pm; Sat 9:00-12:00");
    REQUIRE(w.ok());
    REQUIRE(w->size() == 2);
    CHECK((*w)[0] == SafeWindow{0x1f, 600, 900});
    CHECK((*w)[1] == SafeWindow{0x20, 540, 720});
    w = parseSafeTimes("between 10:00 and 15:00 on weekdays");
    REQUIRE(w.ok());
    CHECK((*w)[0] == SafeWindow{0x1f, 600, 900});
    w = parseSafeTimes("weekends\nTuesday 1-3pm");
    REQUIRE(w.ok());
    REQUIRE(w->size() == 2);
    CHECK((*w)[0] == SafeWindow{0x60, 0, 1440});
    CHECK((*w)[1] == SafeWindow{0x02, 780, 900});
    CHECK(safeTimesWords(*w) == "at any time at weekends; between 13:00 and 15:00 on Tuesday");
    CHECK(parseSafeTimes("").value().empty());
    auto unreadable = parseSafeTimes("after the kids are asleep");
    REQUIRE_FALSE(unreadable.ok());
    CHECK_THAT(unreadable.error().message, Catch::Contains("cannot read the safe times"));
    CHECK_FALSE(parseSafeTimes("Mon 15:00-10:00").ok());  // ends before it starts
}

TEST_CASE("A contact by a method the victim said is unsafe, or outside the safe times, is refused naming the rule",
          "[core][casework][safe]")
{
    const SafeContact a = phoneOnWeekdays();
    // Monday 23 November 2026 (GMT: London time is UTC).
    auto v = checkContact(a, ContactMethod::Text, at("2026-11-23T11:00:00Z"));
    CHECK_FALSE(v.allowed);
    CHECK(v.refusal == "Text is unsafe for this victim: the suspect may read the victim's messages. Safe: phone "
                       "between 10:00 and 15:00 on weekdays.");
    v = checkContact(a, ContactMethod::Phone, at("2026-11-23T09:00:00Z"));
    CHECK_FALSE(v.allowed);
    CHECK_THAT(v.refusal, Catch::StartsWith("It is 09:00 on Monday in London: the victim said contact is safe only between "
                                            "10:00 and 15:00 on weekdays."));
    CHECK(checkContact(a, ContactMethod::Phone, at("2026-11-23T11:00:00Z")).allowed);
    CHECK_FALSE(checkContact(a, ContactMethod::Phone, at("2026-11-28T11:00:00Z")).allowed);  // a Saturday
    // In British Summer Time 09:30 UTC is 10:30 in London: inside the window.
    CHECK(checkContact(a, ContactMethod::Phone, at("2026-06-01T09:30:00Z")).allowed);
    CHECK_FALSE(checkContact(a, ContactMethod::Phone, at("2026-06-01T14:30:00Z")).allowed);  // 15:30 BST
    // At the agency the victim came in: always allowed, any day.
    CHECK(checkContact(a, ContactMethod::AtAgency, at("2026-11-29T19:00:00Z")).allowed);
    // Nobody asked about email: allowed, with what to check.
    v = checkContact(a, ContactMethod::Email, at("2026-11-23T11:00:00Z"));
    CHECK(v.allowed);
    CHECK_THAT(v.caution, Catch::Contains("Nobody has asked the victim whether email is safe"));
    // Safe times nobody can read are not enforced, and the contact says so.
    SafeContact loose = a;
    loose.safeTimes = "when he is at work";
    v = checkContact(loose, ContactMethod::Phone, at("2026-11-23T20:00:00Z"));
    CHECK(v.allowed);
    CHECK_THAT(v.caution, Catch::Contains("not in a form Vigil can check"));
    // Nothing safe at all: the refusal says what to do instead.
    SafeContact none;
    none.phone = false;
    v = checkContact(none, ContactMethod::Phone, at("2026-11-23T11:00:00Z"));
    CHECK_THAT(v.refusal, Catch::Contains("No way of contacting the victim is recorded as safe"));
}

TEST_CASE("An IDVA's caseload lists a referral, a contact refused as unsafe writes nothing, and a safe one opens the case",
          "[core][casework]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    const auto now = time_point_cast<seconds>(w.time.now);  // Monday 23 November 2026 09:00
    auto load = cases.caseload("idva.f", Role::Idva, w.rules, w.calendar, now, w.orders);
    REQUIRE(load.ok());
    REQUIRE(load->size() == 1);
    const CaseloadEntry line = (*load)[0];
    CHECK(line.key == referralCase(w.referral));
    CHECK(line.caseId == caseIdFor(line.key));
    CHECK_FALSE(line.opened);
    CHECK(line.kind == "idva");
    CHECK(line.victimName == "Invented Victim");
    CHECK(line.risk == RiskGrade::High);
    CHECK(line.status == CaseStatus::Referred);
    CHECK(line.nextDueWhat == "First contact attempt");
    REQUIRE(line.nextDueAt);
    CHECK(*line.nextDueAt == now + hours(24));
    CHECK(line.dueToday == 0);
    // Somebody else's caseload does not hold it.
    CHECK(cases.caseload("idva.z", Role::Idva, w.rules, w.calendar, now, w.orders)->empty());

    CaseContact text;
    text.method = ContactMethod::Text;
    text.at = "2026-11-23T11:00:00Z";
    auto refused = cases.logContact(w.idva, line.key, text);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::StartsWith("Not logged: Text is unsafe for this victim"));
    auto unchanged = cases.read(line.key);
    REQUIRE(unchanged.ok());
    CHECK(unchanged->contacts.empty());
    CHECK(w.records->get(Entity::Case, line.caseId)->has_value() == false);  // not even opened

    CaseContact call;
    call.method = ContactMethod::Phone;
    call.at = "2026-11-23T11:00:00Z";
    call.outcome = ContactOutcome::Spoke;
    call.notes = "Safety plan started; she will call back on Thursday.";
    call.nextDue = "2026-11-26T11:00:00Z";
    auto logged = cases.logContact(w.idva, line.key, call);
    REQUIRE(logged.ok());
    CHECK(logged->by == "idva.f");
    auto opened = cases.read(line.key);
    REQUIRE(opened.ok());
    REQUIRE(opened->contacts.size() == 1);
    CHECK(opened->contacts[0].notes == call.notes);
    CHECK(opened->status == CaseStatus::Contacted);
    CHECK(opened->firstAttemptAt == "2026-11-23T11:00:00Z");
    CHECK(opened->holder == "idva.f");
    load = cases.caseload("idva.f", Role::Idva, w.rules, w.calendar, at("2026-11-24T09:00:00Z"), w.orders);
    REQUIRE(load.ok());
    CHECK((*load)[0].opened);
    CHECK((*load)[0].nextDueWhat == "Next contact");
    CHECK((*load)[0].lastContactAt == "2026-11-23T11:00:00Z");

    // The victim changes her answers: recorded on her person row with who and when.
    SafeContact changed = phoneOnWeekdays();
    changed.text = true;
    changed.safeTimes = "when he is out";
    CHECK_FALSE(cases.setSafeContact(w.idva, line.key, changed).ok());  // unreadable times refused
    changed.safeTimes = "Weekdays 09:00-17:00";
    REQUIRE(cases.setSafeContact(w.idva, line.key, changed).ok());
    auto person = w.records->get(Entity::Person, w.victim);
    REQUIRE(person.ok());
    CHECK((*person)->field("safe_contact.text") == true);
    CHECK((*person)->field("safe_contact.updated_by") == "idva.f");
    text.at = "2026-11-24T09:30:00Z";
    CHECK(cases.logContact(w.idva, line.key, text).ok());
}

TEST_CASE("The officer in the case's caseload shows the Victims' Code items: an update due a working day after an arrest",
          "[core][casework][victims-code]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    const auto now = time_point_cast<seconds>(w.time.now);
    auto load = cases.caseload("dc.h", Role::Investigator, w.rules, w.calendar, now, w.orders);
    REQUIRE(load.ok());
    REQUIRE(load->size() == 1);
    const CaseKey id = (*load)[0].key;
    CHECK(id == investigationCase(w.victim));
    CHECK((*load)[0].kind == "investigation");
    // An arrest on Friday 27 November 2026 at 18:00: the victim is told by the end of Monday.
    const std::string arrestId = newUuid();
    CaseEventRecord arrest{CaseEvent{arrestId, CaseEventKind::Arrest, at("2026-11-27T18:00:00Z")}, {}, {}, std::nullopt};
    REQUIRE(cases.addEvent(w.dc, id, arrest).ok());
    auto c = cases.read(id);
    REQUIRE(c.ok());
    auto due = cases.due(*c, w.rules, w.calendar, at("2026-11-28T10:00:00Z"));
    REQUIRE(due.ok());
    auto update = std::find_if(due->items.begin(), due->items.end(), [](const DueItem& i) { return i.duty == VictimDuty::Update; });
    REQUIRE(update != due->items.end());
    CHECK(update->status == DueStatus::DueIn);
    CHECK(update->dueAt == at("2026-12-01T00:00:00Z"));  // the end of Monday 30 November, London
    // Told by phone on Monday at 11:00: done on time.
    CaseContact told;
    told.method = ContactMethod::Phone;
    told.outcome = ContactOutcome::Spoke;
    told.at = "2026-11-30T11:00:00Z";
    told.duties = {"update:" + arrestId};
    REQUIRE(cases.logContact(w.dc, id, told).ok());
    c = cases.read(id);
    due = cases.due(*c, w.rules, w.calendar, at("2026-12-02T10:00:00Z"));
    REQUIRE(due.ok());
    update = std::find_if(due->items.begin(), due->items.end(), [](const DueItem& i) { return i.duty == VictimDuty::Update; });
    REQUIRE(update != due->items.end());
    CHECK(update->status == DueStatus::DoneOnTime);
    // A domestic-abuse victim's details go to victim services only with her consent: the item
    // waits for it, then falls due.
    const auto services = [&](const CaseDue& d) {
        auto it = std::find_if(d.items.begin(), d.items.end(), [](const DueItem& i) { return i.duty == VictimDuty::VictimServices; });
        REQUIRE(it != d.items.end());
        return it->status;
    };
    CHECK(services(*due) == DueStatus::Waiting);
    REQUIRE(cases.setServicesConsent(w.dc, id, true).ok());
    c = cases.read(id);
    REQUIRE(c.ok());
    CHECK(c->servicesConsent);
    due = cases.due(*c, w.rules, w.calendar, at("2026-12-02T10:00:00Z"));
    REQUIRE(due.ok());
    CHECK(services(*due) != DueStatus::Waiting);
}

TEST_CASE("The victim's consent to victim services is kept with when and by whom, and a consent after the report "
          "starts the 2 working days from then",
          "[core][casework][victims-code]")
{
    CaseWorld w;  // the 124D started on Monday 23 November 2026 at 09:00: the report
    CaseRepository cases(*w.records);
    const CaseKey id = investigationCase(w.victim);
    const auto services = [&](const CaseDue& d) {
        auto it = std::find_if(d.items.begin(), d.items.end(), [](const DueItem& i) { return i.duty == VictimDuty::VictimServices; });
        REQUIRE(it != d.items.end());
        return *it;
    };
    // She consents on the Thursday, three days after the report.
    w.time.now = sys_days{2026y / 11 / 26} + 14h;
    REQUIRE(cases.setServicesConsent(w.dc, id, true).ok());
    auto c = cases.read(id);
    REQUIRE(c.ok());
    CHECK(c->servicesConsent);
    CHECK(c->servicesConsentAt == "2026-11-26T14:00:00.000Z");
    CHECK(c->servicesConsentBy == "dc.h");
    auto due = cases.due(*c, w.rules, w.calendar, at("2026-11-26T15:00:00Z"));
    REQUIRE(due.ok());
    // Two working days from the consent (Friday, Monday), not from the report (which would
    // have made it overdue since Wednesday night).
    const DueItem item = services(*due);
    CHECK(item.status == DueStatus::DueIn);
    CHECK(item.dueAt == at("2026-12-01T00:00:00Z"));  // the end of Monday 30 November, London
    CHECK_THAT(item.basis, Catch::Contains("the victim's consent"));
    // A case whose consent was recorded before the time was kept counts from the report, as before.
    REQUIRE(w.records->write(w.dc, Entity::Case, caseIdFor(id), {{"services_consent_at", ""}}).ok());
    c = cases.read(id);
    REQUIRE(c.ok());
    due = cases.due(*c, w.rules, w.calendar, at("2026-11-26T15:00:00Z"));
    REQUIRE(due.ok());
    CHECK(services(*due).status == DueStatus::Overdue);
}

TEST_CASE("A case records a protective order checked by the core, and a breach of it, both read back", "[core][casework][orders]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    auto loadedRules = loadOrdersRulesFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
    REQUIRE(loadedRules.ok());
    const OrdersRules& rules = *loadedRules;
    const CaseKey key = referralCase(w.referral);
    const auto now = at("2026-12-06T12:00:00Z");
    ProtectiveOrder tooLong;
    tooLong.kind = OrderKind::Dvpo;
    tooLong.madeAt = at("2026-12-04T10:00:00Z");
    tooLong.expiresAt = at("2027-01-08T10:00:00Z");
    auto refused = cases.addOrder(w.idva, key, tooLong, rules, w.calendar, now);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("A DVPO lasts between 14 and 28 days"));
    ProtectiveOrder dvpo = tooLong;
    dvpo.expiresAt = at("2026-12-31T10:00:00Z");  // 28 days, counting the day it was made
    dvpo.conditions = "Not to enter Invented Road";
    auto added = cases.addOrder(w.idva, key, dvpo, rules, w.calendar, now);
    INFO((added ? std::string() : added.error().message));
    REQUIRE(added.ok());
    auto c = cases.read(key);
    REQUIRE(c.ok());
    REQUIRE(c->orders.size() == 1);
    CHECK(c->orders[0].conditions == "Not to enter Invented Road");
    CHECK(c->orders[0].expiresAt == dvpo.expiresAt);
    Breach breach{{}, added->id, at("2026-12-05T23:00:00Z"), "Came to the address at night", "Arrested for the breach"};
    auto logged = cases.logBreach(w.idva, key, breach, rules, w.calendar, now);
    INFO((logged ? std::string() : logged.error().message));
    REQUIRE(logged.ok());
    CHECK_FALSE(logged->afterExpiry);
    c = cases.read(key);
    REQUIRE(c->breaches.size() == 1);
    CHECK(c->breaches[0].what == "Came to the address at night");
    CHECK(c->breaches[0].orderId == added->id);
}

TEST_CASE("A notice's hearing and a DAPO's name and address are recorded on the order, and the caseload counts an "
          "order's duty until they are",
          "[core][casework][orders]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    const CaseKey key = referralCase(w.referral);
    const auto now = at("2026-12-07T12:00:00Z");  // a Monday
    ProtectiveOrder dvpn;
    dvpn.kind = OrderKind::Dvpn;
    dvpn.madeAt = at("2026-12-04T09:00:00Z");  // Friday: the 48 hours (no Sunday) end Monday 09:00, overdue now
    dvpn.authorisedBy = "Insp Invented";
    auto notice = cases.addOrder(w.idva, key, dvpn, w.orders, w.calendar, now);
    INFO((notice ? std::string() : notice.error().message));
    REQUIRE(notice.ok());
    ProtectiveOrder dapo;
    dapo.kind = OrderKind::Dapo;
    dapo.madeAt = at("2026-12-01T10:00:00Z");  // 3 days to give a name and address: overdue now
    auto order = cases.addOrder(w.idva, key, dapo, w.orders, w.calendar, now);
    REQUIRE(order.ok());

    auto load = cases.caseload("idva.f", Role::Idva, w.rules, w.calendar, now, w.orders);
    REQUIRE(load.ok());
    REQUIRE(load->size() == 1);
    const int overdueBefore = (*load)[0].overdue;
    CHECK(overdueBefore >= 2);  // the hearing and the notification (and maybe the first contact attempt)
    const int dueBefore = overdueBefore + (*load)[0].dueToday;

    // Refused in words: the wrong kind, a time before the notice, a time in the future.
    Status wrongKind = cases.recordOrderDuty(w.idva, key, order->id, OrderDuty::Hearing, now, w.orders, w.calendar, now);
    REQUIRE_FALSE(wrongKind.ok());
    CHECK_THAT(wrongKind.error().message, Catch::Contains("only a DVPN or a DAPN has a hearing"));
    Status early = cases.recordOrderDuty(w.idva, key, notice->id, OrderDuty::Hearing, at("2026-12-03T09:00:00Z"), w.orders,
                                         w.calendar, now);
    REQUIRE_FALSE(early.ok());
    Status future = cases.recordOrderDuty(w.idva, key, notice->id, OrderDuty::Hearing, now + std::chrono::hours(3), w.orders,
                                          w.calendar, now);
    REQUIRE_FALSE(future.ok());
    Status notDapo = cases.recordOrderDuty(w.idva, key, notice->id, OrderDuty::Notification, now, w.orders, w.calendar, now);
    REQUIRE_FALSE(notDapo.ok());
    CHECK_THAT(notDapo.error().message, Catch::Contains("only a DAPO"));

    // Recorded: read back, and the caseload no longer counts them.
    Status held = cases.recordOrderDuty(w.idva, key, notice->id, OrderDuty::Hearing, at("2026-12-07T08:30:00Z"), w.orders,
                                        w.calendar, now);
    INFO((held.ok() ? std::string() : held.error().message));
    REQUIRE(held.ok());
    Status given = cases.recordOrderDuty(w.idva, key, order->id, OrderDuty::Notification, at("2026-12-07T11:00:00Z"), w.orders,
                                         w.calendar, now);
    REQUIRE(given.ok());
    auto c = cases.read(key);
    REQUIRE(c.ok());
    REQUIRE(c->orders.size() == 2);
    CHECK(c->orders[1].hearingHeldAt == at("2026-12-07T08:30:00Z"));  // in the order made: the DAPO first
    CHECK(c->orders[0].nameAndAddressGivenAt == at("2026-12-07T11:00:00Z"));
    load = cases.caseload("idva.f", Role::Idva, w.rules, w.calendar, now, w.orders);
    REQUIRE(load.ok());
    CHECK((*load)[0].overdue + (*load)[0].dueToday == dueBefore - 2);
}

TEST_CASE("An IDVA re-assesses the victim's risk with the RIC: every question answered, scored by the core, the grade "
          "never below the band, and the caseload shows the grade that stands now",
          "[core][casework][reassessment]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
    REQUIRE(models.ok());
    const RiskModel* ric = models->latest("ric-safelives");
    REQUIRE(ric != nullptr);
    const CaseKey key = referralCase(w.referral);
    const auto now = at("2026-12-07T12:00:00Z");

    RiskReassessment r;
    r.assessment.modelId = "ric-safelives";
    // Half the questions answered: refused, naming the first ones not answered.
    for (std::size_t i = 0; i < ric->questions.size() / 2; ++i)
        r.assessment.answers[ric->questions[i].id].value = AnswerValue::No;
    auto refused = cases.addReassessment(w.idva, key, r, *models, now);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("answer every question"));
    CHECK_THAT(refused.error().message, Catch::Contains("Not answered: 13, 14"));

    // All answered, three yes: Standard; the IDVA may not grade below that, nor above without a reason.
    for (std::size_t i = 0; i < ric->questions.size(); ++i)
        r.assessment.answers[ric->questions[i].id].value = i < 3 ? AnswerValue::Yes : AnswerValue::No;
    r.assessment.answers[ric->questions[5].id].value = AnswerValue::NotAsked;
    refused = cases.addReassessment(w.idva, key, r, *models, now);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("marked not asked"));
    r.assessment.answers[ric->questions[5].id].value = AnswerValue::DontKnow;
    r.judgement.grade = RiskGrade::High;
    refused = cases.addReassessment(w.idva, key, r, *models, now);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("write why"));

    // Before: the 124D's grade (the officer's High) stands on the caseload line.
    auto load = cases.caseload("idva.f", Role::Idva, w.rules, w.calendar, now, w.orders);
    REQUIRE(load.ok());
    REQUIRE((*load)[0].risk == RiskGrade::High);

    r.judgement.grade = RiskGrade::Medium;
    r.judgement.reason = "  She says he has found her new address  ";
    auto saved = cases.addReassessment(w.idva, key, r, *models, now);
    INFO((saved ? std::string() : saved.error().message));
    REQUIRE(saved.ok());
    CHECK(saved->computed == RiskGrade::Standard);
    CHECK(saved->yesCount == 3);
    CHECK(saved->standing == RiskGrade::Medium);
    CHECK(saved->assessment.modelVersion == ric->version);

    auto c = cases.read(key);
    REQUIRE(c.ok());
    REQUIRE(c->reassessments.size() == 1);
    const RiskReassessment& back = c->reassessments[0];
    CHECK(back.by == "idva.f");
    CHECK(back.at == "2026-12-07T12:00:00Z");
    CHECK(back.computed == RiskGrade::Standard);
    CHECK(back.standing == RiskGrade::Medium);
    CHECK(back.judgement.reason == "She says he has found her new address");
    CHECK(back.assessment.answers.size() == ric->questions.size());
    CHECK(back.assessment.answers.at(ric->questions[0].id).value == AnswerValue::Yes);
    CHECK(back.assessment.answers.at(ric->questions[5].id).value == AnswerValue::DontKnow);

    // The caseload line now shows the re-assessed grade, and the officer's 124D is unchanged.
    load = cases.caseload("idva.f", Role::Idva, w.rules, w.calendar, now, w.orders);
    REQUIRE(load.ok());
    CHECK((*load)[0].risk == RiskGrade::Medium);
    auto victim = w.records->get(Entity::Person, w.victim);
    REQUIRE(victim.ok());
    CHECK((**victim).field("grade.officer") == "high");
}

TEST_CASE("A feedback form goes only by a method the victim said is safe, in the contact rule's words, and a letter is not "
          "held to the safe times",
          "[core][casework][feedback][safe]")
{
    const SafeContact a = phoneOnWeekdays();
    const auto monday11 = at("2026-11-23T11:00:00Z"), monday09 = at("2026-11-23T09:00:00Z");
    // Unsafe methods: refused with exactly the words a contact gets.
    for (ContactMethod m : {ContactMethod::Text, ContactMethod::Voicemail, ContactMethod::Visit}) {
        INFO(toString(m));
        const ContactVerdict form = checkFeedbackForm(a, m, monday11);
        CHECK_FALSE(form.allowed);
        CHECK(form.refusal == checkContact(a, m, monday11).refusal);
    }
    CHECK_THAT(checkFeedbackForm(a, ContactMethod::Visit, monday11).refusal,
               Catch::StartsWith("A visit is unsafe for this victim: the suspect may be at the address."));
    // A call or an email arrives when it is sent: the safe times hold.
    CHECK(checkFeedbackForm(a, ContactMethod::Phone, monday11).allowed);
    CHECK_THAT(checkFeedbackForm(a, ContactMethod::Phone, monday09).refusal, Catch::StartsWith("It is 09:00 on Monday in London"));
    CHECK_FALSE(checkFeedbackForm(a, ContactMethod::Email, at("2026-11-28T11:00:00Z")).allowed);  // a Saturday
    // A letter posted at 09:00 is not a contact at 09:00 (a contact by letter then is refused),
    // and the 124D never asks about post: allowed, with the caution kept.
    CHECK_FALSE(checkContact(a, ContactMethod::Letter, monday09).allowed);
    const ContactVerdict letter = checkFeedbackForm(a, ContactMethod::Letter, monday09);
    CHECK(letter.allowed);
    CHECK_THAT(letter.caution, Catch::Contains("does not ask whether a letter is safe"));
    // Handed over at the agency: the victim came in.
    CHECK(checkFeedbackForm(a, ContactMethod::AtAgency, at("2026-11-29T19:00:00Z")).allowed);
}

TEST_CASE("Feedback forms issued are kept on the case, an unsafe one writes nothing, and anonymous responses are counted "
          "up to the forms issued",
          "[core][casework][feedback]")
{
    CaseWorld w;  // the fixture's clock: Monday 23 November 2026 09:00 (London)
    CaseRepository cases(*w.records);
    const CaseKey key = referralCase(w.referral);
    auto c = cases.read(key);
    REQUIRE(c.ok());
    auto statuses = feedbackFormStatuses(*c);
    REQUIRE(statuses.size() == 2);
    CHECK(statuses[0].kind == FeedbackFormKind::AfterCharge);
    CHECK(statuses[0].state == FeedbackState::NotDue);
    CHECK(statuses[0].words == "Not due: no charge is recorded in this case.");
    CHECK(statuses[1].state == FeedbackState::NotDue);
    CHECK(statuses[1].words == "Not due until the case is closed.");

    FeedbackForm byText;
    byText.kind = FeedbackFormKind::AfterCharge;
    byText.method = ContactMethod::Text;
    auto refused = cases.issueFeedbackForm(w.idva, key, byText);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::StartsWith("Not recorded: Text is unsafe for this victim: the suspect may "
                                                          "read the victim's messages. Safe: phone"));
    CHECK(refused.error().field == "method");
    CHECK_FALSE(w.records->get(Entity::Case, caseIdFor(key))->has_value());  // not even opened
    CHECK(w.records->rowsOfIncident(Entity::FeedbackForm, w.incident)->empty());

    FeedbackForm byLetter;
    byLetter.kind = FeedbackFormKind::AfterCharge;
    byLetter.method = ContactMethod::Letter;
    auto issued = cases.issueFeedbackForm(w.idva, key, byLetter);
    INFO((issued ? std::string() : issued.error().message));
    REQUIRE(issued.ok());
    CHECK(issued->by == "idva.f");
    CHECK_THAT(issued->at, Catch::StartsWith("2026-11-23T09:00:00"));  // now, on the fixture's clock
    CHECK_THAT(issued->caution, Catch::Contains("does not ask whether a letter is safe"));
    // Its row: under the case, on the incident, with the form, method, time, author and caution.
    auto row = w.records->get(Entity::FeedbackForm, issued->id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->incidentId == w.incident);
    CHECK((*row)->parentId == caseIdFor(key));
    CHECK((*row)->field("kind") == "after_charge");
    CHECK((*row)->field("method") == "letter");
    CHECK((*row)->field("by") == "idva.f");
    CHECK_THAT((*row)->field("caution").get<std::string>(), Catch::Contains("letter"));
    c = cases.read(key);
    REQUIRE(c.ok());
    REQUIRE(c->feedbackForms.size() == 1);
    CHECK(c->feedbackForms[0].method == ContactMethod::Letter);
    CHECK(c->contacts.empty());  // a form issued is not a contact: the first-contact clock is untouched
    CHECK(c->firstAttemptAt.empty());
    statuses = feedbackFormStatuses(*c);
    CHECK(statuses[0].state == FeedbackState::Issued);
    CHECK(statuses[0].issued == 1);
    CHECK(statuses[0].words == "Issued once on Monday 23 November 2026, by letter.");

    // Responses: a count, never more than the forms of that kind issued here.
    auto tooMany = cases.setFeedbackResponses(w.idva, key, FeedbackFormKind::AfterCharge, 2);
    REQUIRE_FALSE(tooMany.ok());
    CHECK(tooMany.error().message == "Not recorded: 2 responses to the \"after charge\" form, but it was issued once in this "
                                     "case: count only the responses to forms issued here.");
    auto neverIssued = cases.setFeedbackResponses(w.idva, key, FeedbackFormKind::AtConclusion, 1);
    REQUIRE_FALSE(neverIssued.ok());
    CHECK_THAT(neverIssued.error().message, Catch::Contains("has been issued in this case, so no response to it can have come back"));
    CHECK_FALSE(cases.setFeedbackResponses(w.idva, key, FeedbackFormKind::AfterCharge, -1).ok());
    REQUIRE(cases.setFeedbackResponses(w.idva, key, FeedbackFormKind::AfterCharge, 1).ok());
    c = cases.read(key);
    REQUIRE(c.ok());
    CHECK(c->feedbackResponses.afterCharge == 1);
    CHECK(c->feedbackResponses.atConclusion == 0);
    CHECK(c->feedbackResponses.by == "idva.f");
    CHECK(feedbackFormStatuses(*c)[0].responses == 1);
    // The case row keeps the count and who recorded it; nothing of what the victim answered.
    auto caseRow = w.records->get(Entity::Case, caseIdFor(key));
    REQUIRE(caseRow.ok());
    CHECK((*caseRow)->field("feedback.responses.after_charge") == 1);
    CHECK((*caseRow)->field("feedback.responses_by") == "idva.f");
}

TEST_CASE("The after-charge form falls due when a charge is recorded, and the one at conclusion when the case is closed",
          "[core][casework][feedback]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    const CaseKey id = investigationCase(w.victim);
    // A decision not to charge calls for no after-charge form.
    CaseEventRecord noCharge{CaseEvent{{}, CaseEventKind::ChargeDecision, at("2026-11-20T15:00:00Z")}, {}, {}, false};
    REQUIRE(cases.addEvent(w.dc, id, noCharge).ok());
    auto c = cases.read(id);
    REQUIRE(c.ok());
    REQUIRE(c->events.size() == 1);
    CHECK(c->events[0].charged == false);
    CHECK(feedbackFormStatuses(*c)[0].state == FeedbackState::NotDue);
    // A decision that does not say may be a charge.
    CaseEventRecord unsaid{CaseEvent{{}, CaseEventKind::ChargeDecision, at("2026-11-21T15:00:00Z")}, {}, {}, std::nullopt};
    REQUIRE(cases.addEvent(w.dc, id, unsaid).ok());
    c = cases.read(id);
    auto s = feedbackFormStatuses(*c);
    CHECK(s[0].state == FeedbackState::MaybeDue);
    CHECK(s[0].words == "Due if the suspect was charged: the charge decision of Saturday 21 November 2026 does not say. "
                        "Record the charge if there was one.");
    // A charge: due, naming the day (no deadline: the seeds give none).
    CaseEventRecord charged{CaseEvent{{}, CaseEventKind::ChargeDecision, at("2026-11-22T15:00:00Z")}, {}, {}, true};
    REQUIRE(cases.addEvent(w.dc, id, charged).ok());
    c = cases.read(id);
    s = feedbackFormStatuses(*c);
    CHECK(s[0].state == FeedbackState::Due);
    CHECK(s[0].words == "Due: the suspect was charged (Sunday 22 November 2026).");
    CHECK(s[1].state == FeedbackState::NotDue);
    // The charged flag is kept only on a charge decision.
    CaseEventRecord arrest{CaseEvent{{}, CaseEventKind::Arrest, at("2026-11-19T15:00:00Z")}, {}, {}, true};
    REQUIRE(cases.addEvent(w.dc, id, arrest).ok());
    auto eventRows = w.records->rowsOfIncident(Entity::CaseEvent, w.incident);
    REQUIRE(eventRows.ok());
    for (const RecordRow& r : *eventRows)
        if (r.field("kind") == "arrest")
            CHECK(r.field("charged").is_null());

    // The case closed: the form at conclusion is due; handed over at the agency, it is issued.
    REQUIRE(cases.setStatus(w.dc, id, CaseStatus::Closed).ok());
    c = cases.read(id);
    s = feedbackFormStatuses(*c);
    CHECK(s[1].state == FeedbackState::Due);
    CHECK(s[1].words == "Due: the case is closed (Monday 23 November 2026).");
    FeedbackForm handed;
    handed.kind = FeedbackFormKind::AtConclusion;
    handed.method = ContactMethod::AtAgency;
    REQUIRE(cases.issueFeedbackForm(w.dc, id, handed).ok());
    REQUIRE(cases.issueFeedbackForm(w.dc, id, handed).ok());  // a second copy, e.g. the first was lost
    c = cases.read(id);
    s = feedbackFormStatuses(*c);
    CHECK(s[1].state == FeedbackState::Issued);
    CHECK(s[1].issued == 2);
    CHECK(s[1].words == "Issued twice; last on Monday 23 November 2026, handed over at the agency.");
    CHECK(s[0].state == FeedbackState::Due);  // the after-charge form is still owed
}

TEST_CASE("An IDVA's case learns of the charge from the investigation of the same 124D, and the after-charge form falls "
          "due there too",
          "[core][casework][feedback]")
{
    CaseWorld w;
    CaseRepository cases(*w.records);
    const CaseKey idvaCase = referralCase(w.referral);
    const CaseKey investigation = investigationCase(w.victim);
    // The IDVA's case is open (a contact logged); nothing in it or anywhere calls for the form.
    CaseContact call;
    call.method = ContactMethod::Phone;
    call.outcome = ContactOutcome::Spoke;
    call.at = "2026-11-23T11:00:00Z";  // a Monday, within her safe times
    REQUIRE(cases.logContact(w.idva, idvaCase, call).ok());
    auto c = cases.read(idvaCase);
    REQUIRE(c.ok());
    CHECK(feedbackFormStatuses(*c)[0].state == FeedbackState::NotDue);
    CHECK(feedbackFormStatuses(*c)[0].words == "Not due: no charge is recorded in this case.");

    // The officer in the case records the charge in the investigation: the IDVA's case sees it.
    CaseEventRecord charged{CaseEvent{{}, CaseEventKind::ChargeDecision, at("2026-11-24T15:00:00Z")}, {}, {}, true};
    REQUIRE(cases.addEvent(w.dc, investigation, charged).ok());
    c = cases.read(idvaCase);
    REQUIRE(c.ok());
    CHECK(c->events.empty());  // not the IDVA's own event
    REQUIRE(c->otherEvents.size() == 1);
    CHECK(c->otherEvents[0].caseKind == "investigation");
    auto s = feedbackFormStatuses(*c);
    CHECK(s[0].state == FeedbackState::Due);
    CHECK(s[0].words == "Due: the suspect was charged (Tuesday 24 November 2026, recorded in the investigation).");
    // It calls for nothing else in the IDVA's case: no Victims' Code update is due there.
    auto due = cases.due(*c, w.rules, w.calendar, at("2026-11-25T10:00:00Z"));
    REQUIRE(due.ok());
    CHECK(std::none_of(due->items.begin(), due->items.end(), [](const DueItem& i) { return i.duty == VictimDuty::Update; }));

    // Issued by the IDVA by phone-safe means (handed over at the agency): issued in her case.
    FeedbackForm handed;
    handed.kind = FeedbackFormKind::AfterCharge;
    handed.method = ContactMethod::AtAgency;
    REQUIRE(cases.issueFeedbackForm(w.idva, idvaCase, handed).ok());
    c = cases.read(idvaCase);
    CHECK(feedbackFormStatuses(*c)[0].state == FeedbackState::Issued);
    // The investigation's own page: the charge is its own event, without the words of another case.
    auto inv = cases.read(investigation);
    REQUIRE(inv.ok());
    CHECK(feedbackFormStatuses(*inv)[0].words == "Due: the suspect was charged (Tuesday 24 November 2026).");
}
