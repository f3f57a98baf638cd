#include "core/records/CaseRepository.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/casework/LondonTime.h"
#include "core/common/Uuid.h"
#include "core/records/Hlc.h"
#include "core/risk/Dates.h"
#include "core/risk/RiskScorer.h"

namespace vigil {

using json = nlohmann::json;

namespace {

std::string text(const RecordRow& row, const std::string& field)
{
    const json& v = row.field(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

std::string isoOfHlc(HlcStamp stamp)
{
    return formatIsoDateTime(std::chrono::sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(hlcMillis(stamp) / 1000))));
}

std::optional<std::chrono::sys_seconds> instant(const std::string& iso)
{
    if (iso.empty())
        return std::nullopt;
    return parseIsoDateTime(iso);
}

std::optional<RiskGrade> standingGrade(const RecordRow& victim)
{
    for (const char* f : {"grade.supervisor", "grade.officer"}) {
        const json& g = victim.field(f);
        if (g.is_string())
            if (auto grade = riskGradeFromString(g.get<std::string>()))
                return grade;
    }
    return std::nullopt;
}

CaseContact contactFromRow(const RecordRow& r)
{
    CaseContact c;
    c.id = r.id;
    c.at = text(r, "at");
    c.by = text(r, "by");
    c.method = contactMethodFromString(text(r, "method")).value_or(ContactMethod::Phone);
    c.outcome = contactOutcomeFromString(text(r, "outcome")).value_or(ContactOutcome::NoAnswer);
    c.notes = text(r, "notes");
    c.actions = text(r, "actions");
    c.nextDue = text(r, "next_due");
    c.caution = text(r, "caution");
    const json& duties = r.field("duties");
    if (duties.is_array())
        for (const auto& d : duties)
            if (d.is_string())
                c.duties.push_back(d.get<std::string>());
    return c;
}

Error notFound()
{
    return makeError(ErrorCode::NotFound, "That case is not on this device (the referral or allocation may have been "
                                          "withdrawn). Go back to the caseload; sync to fetch the latest.");
}


}  // namespace

namespace {

/// The grade a re-assessment stands at: the assessor's where it is above the band, else the band.
std::optional<RiskGrade> reassessedGrade(std::optional<RiskGrade> computed, std::optional<RiskGrade> judged)
{
    return judged && (!computed || *judged > *computed) ? judged : computed;
}

}  // namespace

/// A re-assessment as written (addReassessment): its answers, the band they gave under their
/// model when it was made, and the assessor's grade.
RiskReassessment reassessmentFromRow(const RecordRow& r)
{
    RiskReassessment a;
    a.id = r.id;
    a.at = text(r, "at");
    a.by = text(r, "by");
    a.assessment.modelId = text(r, "model");
    a.assessment.modelVersion = text(r, "model_version");
    for (const auto& [field, value] : r.fields.items()) {
        if (field.rfind("answer.", 0) != 0 || !value.is_string())
            continue;
        if (auto v = answerValueFromString(value.get<std::string>()))
            a.assessment.answers[field.substr(7)].value = *v;
    }
    a.computed = riskGradeFromString(text(r, "grade.computed"));
    a.judgement.grade = riskGradeFromString(text(r, "grade.judgement"));
    a.judgement.reason = text(r, "grade.reason");
    a.judgement.by = a.by;
    const auto& yes = r.field("yes_count");
    a.yesCount = yes.is_number_integer() ? yes.get<int>() : 0;
    a.standing = reassessedGrade(a.computed, a.judgement.grade);
    return a;
}

namespace {

std::optional<CaseEventRecord> eventFromRow(const RecordRow& r)
{
    auto kind = caseEventKindFromString(text(r, "kind"));
    auto at = instant(text(r, "at"));
    if (!kind || !at)
        return std::nullopt;
    const json& charged = r.field("charged");
    return CaseEventRecord{CaseEvent{r.id, *kind, *at}, text(r, "by"), text(r, "notes"),
                           charged.is_boolean() ? std::optional<bool>(charged.get<bool>()) : std::nullopt};
}

void sortEvents(std::vector<CaseEventRecord>& events)
{
    std::stable_sort(events.begin(), events.end(),
                     [](const CaseEventRecord& a, const CaseEventRecord& b) { return a.event.at < b.event.at; });
}

}  // namespace

VictimCase caseFromRows(const CaseloadEntry& line, const std::optional<RecordRow>& caseRow,
                        const std::vector<RecordRow>& contacts, const std::vector<RecordRow>& events,
                        const std::vector<RecordRow>& safety, const std::vector<RecordRow>& orders,
                        const std::vector<RecordRow>& breaches, const std::vector<RecordRow>& assessments,
                        const std::vector<RecordRow>& feedbackForms)
{
    VictimCase c;
    c.id = line.caseId;
    c.incidentId = line.incidentId;
    c.victimId = line.victimId;
    c.kind = line.kind;
    c.referralId = line.referralId;
    c.referredAt = line.referredAt;
    if (caseRow) {
        c.agency = text(*caseRow, "agency");
        c.holder = text(*caseRow, "holder");
        c.status = caseStatusFromString(text(*caseRow, "status")).value_or(CaseStatus::Referred);
        c.statusBy = text(*caseRow, "status_by");
        c.statusAt = text(*caseRow, "status_at");
        if (auto at = text(*caseRow, "referred_at"); !at.empty())
            c.referredAt = at;
        c.firstAttemptAt = text(*caseRow, "first_attempt_at");
        c.lastContactAt = text(*caseRow, "last_contact_at");
        c.nextContactDue = text(*caseRow, "next_contact_due");
        c.servicesConsent = caseRow->field("services_consent") == true;
        c.servicesConsentRefused = caseRow->field("services_consent") == false;
        c.servicesConsentAt = text(*caseRow, "services_consent_at");
        c.servicesConsentBy = text(*caseRow, "services_consent_by");
        const auto count = [&](FeedbackFormKind kind) {
            const json& v = caseRow->field(feedbackResponsesField(kind));
            return v.is_number_integer() ? v.get<int>() : 0;
        };
        c.feedbackResponses.afterCharge = count(FeedbackFormKind::AfterCharge);
        c.feedbackResponses.atConclusion = count(FeedbackFormKind::AtConclusion);
        c.feedbackResponses.by = text(*caseRow, std::string(kFeedbackResponsesBy));
        c.feedbackResponses.at = text(*caseRow, std::string(kFeedbackResponsesAt));
    }
    for (const RecordRow& r : contacts)
        c.contacts.push_back(contactFromRow(r));
    std::stable_sort(c.contacts.begin(), c.contacts.end(), [](const CaseContact& a, const CaseContact& b) { return a.at < b.at; });
    for (const RecordRow& r : events)
        if (auto e = eventFromRow(r))
            c.events.push_back(std::move(*e));
    sortEvents(c.events);
    for (const RecordRow& r : safety)
        c.safety.push_back(SafetyItem{r.id, text(r, "text"), r.field("done") == true, text(r, "by"), text(r, "at")});
    for (const RecordRow& r : orders) {
        auto kind = orderKindFromString(text(r, "kind"));
        auto made = instant(text(r, "made_at"));
        if (!kind || !made)
            continue;
        ProtectiveOrder o;
        o.id = r.id;
        o.kind = *kind;
        o.madeAt = *made;
        o.expiresAt = instant(text(r, "expires_at"));
        o.hearingDue = instant(text(r, "hearing_due"));
        o.hearingHeldAt = instant(text(r, "hearing_held_at"));
        o.nameAndAddressGivenAt = instant(text(r, "name_address_given_at"));
        o.conditions = text(r, "conditions");
        o.madeBy = text(r, "made_by");
        o.authorisedBy = text(r, "authorised_by");
        o.notes = text(r, "notes");
        c.orders.push_back(std::move(o));
    }
    std::stable_sort(c.orders.begin(), c.orders.end(),
                     [](const ProtectiveOrder& a, const ProtectiveOrder& b) { return a.madeAt < b.madeAt; });
    for (const RecordRow& r : breaches) {
        auto at = instant(text(r, "at"));
        if (at)
            c.breaches.push_back(Breach{r.id, text(r, "order"), *at, text(r, "what"), text(r, "action")});
    }
    std::stable_sort(c.breaches.begin(), c.breaches.end(), [](const Breach& a, const Breach& b) { return a.at < b.at; });
    for (const RecordRow& r : assessments)
        c.reassessments.push_back(reassessmentFromRow(r));
    std::stable_sort(c.reassessments.begin(), c.reassessments.end(),
                     [](const RiskReassessment& a, const RiskReassessment& b) { return a.at < b.at; });
    for (const RecordRow& r : feedbackForms) {
        auto kind = feedbackFormKindFromString(text(r, "kind"));
        auto method = contactMethodFromString(text(r, "method"));
        if (!kind || !method)
            continue;
        c.feedbackForms.push_back(FeedbackForm{r.id, *kind, text(r, "at"), text(r, "by"), *method, text(r, "caution")});
    }
    std::stable_sort(c.feedbackForms.begin(), c.feedbackForms.end(),
                     [](const FeedbackForm& a, const FeedbackForm& b) { return a.at < b.at; });
    return c;
}

Result<std::optional<CaseloadEntry>> CaseRepository::lineFor(const CaseKey& key)
{
    CaseloadEntry line;
    line.key = key;
    line.caseId = caseIdFor(key);
    line.kind = key.kind;
    if (key.kind == "idva") {
        line.referralId = key.source;
        auto referral = m_store.get(Entity::Referral, line.referralId);
        if (!referral)
            return std::move(referral).error();
        if (!*referral || (*referral)->deleted)
            return std::optional<CaseloadEntry>();
        line.incidentId = (*referral)->incidentId;
        line.victimId = (*referral)->parentId;
        line.referredAt = isoOfHlc((*referral)->createdHlc);
    } else if (key.kind == "investigation") {
        line.victimId = key.source;
        auto victim = m_store.get(Entity::Person, line.victimId);
        if (!victim)
            return std::move(victim).error();
        if (!*victim || (*victim)->deleted)
            return std::optional<CaseloadEntry>();
        line.incidentId = (*victim)->incidentId;
        auto incident = m_store.get(Entity::Incident, line.incidentId);
        if (!incident)
            return std::move(incident).error();
        if (!*incident)
            return std::optional<CaseloadEntry>();
        line.referredAt = isoOfHlc((*incident)->createdHlc);  // the report: when the 124D was started
    } else {
        return std::optional<CaseloadEntry>();
    }
    auto victim = m_store.get(Entity::Person, line.victimId);
    if (!victim)
        return std::move(victim).error();
    if (*victim) {
        line.victimName = text(**victim, "person.name");
        line.risk = standingGrade(**victim);
        line.safeContact = safeContactFromFields((*victim)->fields);
    }
    return std::optional<CaseloadEntry>(std::move(line));
}

Result<CaseloadEntry> CaseRepository::requireLine(const CaseKey& key)
{
    auto line = lineFor(key);
    if (!line)
        return std::move(line).error();
    if (!*line)
        return notFound();
    return std::move(**line);
}

Status CaseRepository::addPart(const Actor& actor, const CaseloadEntry& line, Entity entity, const std::string& id,
                               const json& fields)
{
    return m_store.transaction([&]() -> Status {
        VIGIL_TRY(ensureOpen(actor, line));
        return m_store.create(actor, entity, id, line.incidentId, line.caseId,
                              {{"incident", line.incidentId}, {"parent", line.caseId}}, fields);
    });
}

Status CaseRepository::writeCase(const Actor& actor, const CaseloadEntry& line, const json& fields)
{
    return m_store.transaction([&]() -> Status {
        VIGIL_TRY(ensureOpen(actor, line));
        return m_store.write(actor, Entity::Case, line.caseId, fields);
    });
}

Result<VictimCase> CaseRepository::read(const CaseKey& key)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    const std::string& caseId = line->caseId;
    auto caseRow = m_store.get(Entity::Case, caseId);
    if (!caseRow)
        return std::move(caseRow).error();
    // The victim's other cases on this 124D (an IDVA's and the investigation's), whose contacts
    // are shown beside this case's.
    std::map<std::string, std::string> otherCases;  // id -> kind
    {
        auto cases = m_store.rowsOfIncident(Entity::Case, line->incidentId);
        if (!cases)
            return std::move(cases).error();
        for (const RecordRow& r : *cases)
            if (!r.deleted && r.id != caseId && r.parentId == line->victimId)
                otherCases[r.id] = text(r, "kind");
    }
    std::vector<RecordRow> parts[7];
    std::vector<RecordRow> others;       // contacts of her other cases
    std::vector<RecordRow> otherEvents;  // and their events
    const Entity kinds[7] = {Entity::Contact, Entity::CaseEvent, Entity::SafetyItem, Entity::Order, Entity::Breach,
                             Entity::Assessment, Entity::FeedbackForm};
    for (int i = 0; i < 7; ++i) {
        auto rows = m_store.rowsOfIncident(kinds[i], line->incidentId);
        if (!rows)
            return std::move(rows).error();
        for (RecordRow& r : *rows) {
            if (r.parentId == caseId)
                parts[i].push_back(std::move(r));
            else if (i == 0 && otherCases.count(r.parentId))
                others.push_back(std::move(r));
            else if (i == 1 && otherCases.count(r.parentId))
                otherEvents.push_back(std::move(r));
        }
    }
    // Who the IDVAs are: the recipients of the referrals on this 124D.
    std::set<std::string> idvas;
    {
        auto referrals = m_store.rowsOfIncident(Entity::Referral, line->incidentId);
        if (!referrals)
            return std::move(referrals).error();
        for (const RecordRow& r : *referrals)
            if (auto to = text(r, "to_user"); !to.empty())
                idvas.insert(to);
    }
    std::optional<RecordRow> live;
    if (*caseRow && !(*caseRow)->deleted)
        live = std::move(**caseRow);
    VictimCase c = caseFromRows(*line, live, parts[0], parts[1], parts[2], parts[3], parts[4], parts[5],
                                 parts[6]);
    for (CaseContact& contact : c.contacts)
        contact.byIdva = idvas.count(contact.by) != 0;
    for (const RecordRow& r : others) {
        CaseContact contact = contactFromRow(r);
        contact.byIdva = idvas.count(contact.by) != 0;
        contact.otherCaseKind = otherCases[r.parentId];
        c.otherContacts.push_back(std::move(contact));
    }
    std::stable_sort(c.otherContacts.begin(), c.otherContacts.end(),
                     [](const CaseContact& a, const CaseContact& b) { return a.at < b.at; });
    for (const RecordRow& r : otherEvents)
        if (auto e = eventFromRow(r))
            c.otherEvents.push_back(OtherCaseEvent{std::move(*e), otherCases[r.parentId]});
    std::stable_sort(c.otherEvents.begin(), c.otherEvents.end(), [](const OtherCaseEvent& a, const OtherCaseEvent& b) {
        return a.record.event.at < b.record.event.at;
    });
    return c;
}

Status CaseRepository::ensureOpen(const Actor& actor, const CaseloadEntry& line)
{
    auto existing = m_store.get(Entity::Case, line.caseId);
    if (!existing)
        return std::move(existing).error();
    if (*existing)
        return {};
    json fields = {{"kind", line.kind},
                   {"victim", line.victimId},
                   {"holder", actor.userId},
                   {"status", std::string(toString(CaseStatus::Referred))},
                   {"referred_at", line.referredAt}};
    if (!line.referralId.empty()) {
        fields["referral"] = line.referralId;
        auto referral = m_store.get(Entity::Referral, line.referralId);
        if (!referral)
            return std::move(referral).error();
        if (*referral)
            fields["agency"] = text(**referral, "agency");
    }
    return m_store.create(actor, Entity::Case, line.caseId, line.incidentId, line.victimId,
                          {{"incident", line.incidentId}, {"parent", line.victimId}}, fields);
}

Result<SafeContact> CaseRepository::safeContactOf(const CaseKey& key)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    return line->safeContact;
}

Result<CaseContact> CaseRepository::logContact(const Actor& actor, const CaseKey& key, CaseContact contact)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    if (contact.at.empty())
        contact.at = m_store.nowIso();
    const auto at = instant(contact.at);
    if (!at)
        return makeError(ErrorCode::Validation, "Not logged: the time of the contact is not a date and time. Enter when it "
                                                "happened, e.g. 2026-12-06 14:30.", "at");
    // The victim's safe-contact answers gate every contact (the server checks them again).
    const std::string& caseId = line->caseId;
    const ContactVerdict verdict = checkContact(line->safeContact, contact.method, *at);
    if (!verdict.allowed)
        return makeError(ErrorCode::Validation, "Not logged: " + verdict.refusal, "method");
    {
        auto caseRow = m_store.get(Entity::Case, caseId);
        if (!caseRow)
            return std::move(caseRow).error();
        const bool consented = *caseRow && (*caseRow)->field("services_consent") == true;
        if (auto refusal = victimServicesRefusal(contact.duties, consented))
            return makeError(ErrorCode::Validation, "Not logged: " + *refusal, "duties");
    }
    contact.caution = verdict.caution;
    contact.id = newUuid();
    contact.by = actor.userId;
    json fields = {{"at", contact.at},
                   {"by", contact.by},
                   {"method", std::string(toString(contact.method))},
                   {"outcome", std::string(toString(contact.outcome))}};
    if (!contact.notes.empty())
        fields["notes"] = contact.notes;
    if (!contact.actions.empty())
        fields["actions"] = contact.actions;
    if (!contact.nextDue.empty())
        fields["next_due"] = contact.nextDue;
    if (!contact.duties.empty())
        fields["duties"] = contact.duties;
    if (!contact.caution.empty())
        fields["caution"] = contact.caution;
    Status s = m_store.transaction([&]() -> Status {
        VIGIL_TRY(addPart(actor, *line, Entity::Contact, contact.id, fields));
        auto caseRow = m_store.get(Entity::Case, caseId);
        if (!caseRow)
            return std::move(caseRow).error();
        json update = json::object();
        const std::string first = *caseRow ? text(**caseRow, "first_attempt_at") : std::string();
        if (first.empty() || contact.at < first)
            update["first_attempt_at"] = contact.at;
        const std::string last = *caseRow ? text(**caseRow, "last_contact_at") : std::string();
        if (last.empty() || contact.at >= last) {
            update["last_contact_at"] = contact.at;
            update["next_contact_due"] = contact.nextDue;
        }
        const auto status = *caseRow ? caseStatusFromString(text(**caseRow, "status")) : std::nullopt;
        if (contact.outcome == ContactOutcome::Spoke && status.value_or(CaseStatus::Referred) == CaseStatus::Referred) {
            update["status"] = std::string(toString(CaseStatus::Contacted));
            update["status_by"] = actor.userId;
            update["status_at"] = contact.at;
        }
        if (update.empty())
            return {};
        return m_store.write(actor, Entity::Case, caseId, update);
    });
    if (!s.ok())
        return std::move(s).error();
    return contact;
}

Status CaseRepository::addEvent(const Actor& actor, const CaseKey& key, const CaseEventRecord& event)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    const std::string id = event.event.id.empty() ? newUuid() : event.event.id;
    json fields = {{"kind", std::string(toString(event.event.kind))},
                   {"at", formatIsoDateTime(event.event.at)},
                   {"by", actor.userId}};
    if (!event.notes.empty())
        fields["notes"] = event.notes;
    if (event.charged && event.event.kind == CaseEventKind::ChargeDecision)
        fields["charged"] = *event.charged;
    return addPart(actor, *line, Entity::CaseEvent, id, fields);
}

Status CaseRepository::setStatus(const Actor& actor, const CaseKey& key, CaseStatus status)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    return writeCase(actor, *line,
                     {{"status", std::string(toString(status))}, {"status_by", actor.userId}, {"status_at", m_store.nowIso()}});
}

Status CaseRepository::setServicesConsent(const Actor& actor, const CaseKey& key, bool consent)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    // When she answered: her consent, if later than the report, starts the victim-services clock.
    return writeCase(actor, *line,
                     {{"services_consent", consent}, {"services_consent_at", m_store.nowIso()}, {"services_consent_by", actor.userId}});
}

Result<SafetyItem> CaseRepository::addSafetyItem(const Actor& actor, const CaseKey& key, const std::string& itemText)
{
    if (itemText.find_first_not_of(" \t\n") == std::string::npos)
        return makeError(ErrorCode::Validation, "Not added: write the safety-plan step (what, and who does it).", "text");
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    SafetyItem item{newUuid(), itemText, false, actor.userId, m_store.nowIso()};
    Status s = addPart(actor, *line, Entity::SafetyItem, item.id,
                       {{"text", item.text}, {"done", false}, {"by", item.by}, {"at", item.at}});
    if (!s.ok())
        return std::move(s).error();
    return item;
}

Status CaseRepository::setSafetyItemDone(const Actor& actor, const std::string& itemId, bool done)
{
    return m_store.write(actor, Entity::SafetyItem, itemId, {{"done", done}});
}

Result<ProtectiveOrder> CaseRepository::addOrder(const Actor& actor, const CaseKey& key, ProtectiveOrder order,
                                                 const OrdersRules& rules, const WorkingDays& calendar,
                                                 std::chrono::sys_seconds now)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    order.id = newUuid();
    if (Status valid = validateOrder(order, rules, calendar, now); !valid.ok())
        return std::move(valid).error();
    const auto iso = [](const std::optional<std::chrono::sys_seconds>& t) { return t ? formatIsoDateTime(*t) : std::string(); };
    json fields = {{"kind", std::string(toString(order.kind))}, {"made_at", formatIsoDateTime(order.madeAt)}, {"by", actor.userId}};
    const std::pair<const char*, std::string> optional[] = {
        {"expires_at", iso(order.expiresAt)},       {"hearing_due", iso(order.hearingDue)},
        {"hearing_held_at", iso(order.hearingHeldAt)}, {"name_address_given_at", iso(order.nameAndAddressGivenAt)},
        {"conditions", order.conditions},           {"made_by", order.madeBy},
        {"authorised_by", order.authorisedBy},      {"notes", order.notes}};
    for (const auto& [name, value] : optional)
        if (!value.empty())
            fields[name] = value;
    Status s = addPart(actor, *line, Entity::Order, order.id, fields);
    if (!s.ok())
        return std::move(s).error();
    return order;
}

Status CaseRepository::recordOrderDuty(const Actor& actor, const CaseKey& key, const std::string& orderId, OrderDuty duty,
                                       std::chrono::sys_seconds at, const OrdersRules& rules, const WorkingDays& calendar,
                                       std::chrono::sys_seconds now)
{
    auto c = read(key);
    if (!c)
        return std::move(c).error();
    auto order = std::find_if(c->orders.begin(), c->orders.end(), [&](const ProtectiveOrder& o) { return o.id == orderId; });
    if (order == c->orders.end())
        return makeError(ErrorCode::NotFound, "Not recorded: that order is not in this case. Choose the order again.", "orderId");
    ProtectiveOrder updated = *order;
    const char* field = nullptr;
    if (duty == OrderDuty::Hearing) {
        if (!orderHasDuty(rules, updated.kind, OrderDuty::Hearing))
            return makeError(ErrorCode::Validation,
                             "Not recorded: only a DVPN or a DAPN has a hearing to record. Record the order the court made "
                             "as a new order.",
                             "hearingHeldAt");
        updated.hearingHeldAt = at;
        field = "hearing_held_at";
    } else if (duty == OrderDuty::Notification) {
        if (!orderHasDuty(rules, updated.kind, OrderDuty::Notification))
            return makeError(ErrorCode::Validation,
                             "Not recorded: only a DAPO obliges the person it is against to give the police their name "
                             "and address.",
                             "nameAndAddressGivenAt");
        updated.nameAndAddressGivenAt = at;
        field = "name_address_given_at";
    } else {
        return makeError(ErrorCode::Validation,
                         "Not recorded: an expiry warning is not something to record; it ends when the order does.", "duty");
    }
    VIGIL_TRY(validateOrder(updated, rules, calendar, now));
    return m_store.write(actor, Entity::Order, orderId, {{field, formatIsoDateTime(at)}});
}

Result<RiskReassessment> CaseRepository::addReassessment(const Actor& actor, const CaseKey& key, RiskReassessment r,
                                                         const RiskModelRegistry& models, std::chrono::sys_seconds now)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    const RiskModel* model = models.latest(r.assessment.modelId);
    if (model == nullptr)
        return makeError(ErrorCode::NotFound,
                         "Not saved: the checklist \"" + r.assessment.modelId
                             + "\" is not installed on this device. Update Vigil, or tell your IT service desk.",
                         "model");
    r.assessment.modelVersion = model->version;
    // Every main question answered (yes, no, or don't know: a checklist re-asked in full), and
    // no answer to a question the checklist does not have.
    std::vector<int> missing;
    for (const Question& q : model->questions)
        if (r.assessment.answers.find(q.id) == r.assessment.answers.end())
            missing.push_back(q.number);
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 8; ++i)
            list += (i ? ", " : "") + std::to_string(missing[i]);
        if (missing.size() > 8)
            list += " and " + std::to_string(missing.size() - 8) + " more";
        return makeError(ErrorCode::Validation,
                         "Not saved: answer every question of the checklist (yes, no or don't know). Not answered: "
                             + list + ".",
                         "answers");
    }
    for (const auto& [id, answer] : r.assessment.answers) {
        const Question* q = model->findQuestion(id);
        if (q == nullptr || !q->group.empty())
            return makeError(ErrorCode::Validation,
                             "Not saved: \"" + id + "\" is not a question of this checklist"
                                 + ". This is a bug in Vigil; report it to support.",
                             "answers");
        if (answer.value == AnswerValue::NotAsked)
            return makeError(ErrorCode::Validation,
                             "Not saved: question " + std::to_string(q->number)
                                 + " is marked not asked. A re-assessment asks every question again: answer yes, no "
                                   "or don't know.",
                             "answers");
    }
    auto score = scoreAssessment(r.assessment, *model);
    if (!score)
        return std::move(score).error();
    if (const auto first = r.judgement.reason.find_first_not_of(" \t\r\n"); first == std::string::npos)
        r.judgement.reason.clear();
    else
        r.judgement.reason = r.judgement.reason.substr(first, r.judgement.reason.find_last_not_of(" \t\r\n") - first + 1);
    if (r.judgement.grade)
        VIGIL_TRY(checkOfficerGrade(score->computed, r.judgement, "grade"));
    r.id = newUuid();
    r.at = formatIsoDateTime(now);
    r.by = actor.userId;
    r.judgement.by = actor.userId;
    r.computed = score->computed;
    r.yesCount = score->yesCount;
    r.standing = reassessedGrade(score->computed, r.judgement.grade);
    json fields = {{"model", model->id},
                   {"model_version", model->version},
                   {"at", r.at},
                   {"by", r.by},
                   {"grade.computed", std::string(toString(score->computed))},
                   {"yes_count", score->yesCount}};
    if (r.judgement.grade) {
        fields["grade.judgement"] = std::string(toString(*r.judgement.grade));
        fields["grade.reason"] = r.judgement.reason;
    }
    for (const auto& [id, answer] : r.assessment.answers)
        fields["answer." + id] = std::string(toString(answer.value));
    VIGIL_TRY(addPart(actor, *line, Entity::Assessment, r.id, fields));
    return r;
}

Result<FeedbackForm> CaseRepository::issueFeedbackForm(const Actor& actor, const CaseKey& key, FeedbackForm form)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    if (form.at.empty())
        form.at = m_store.nowIso();
    const auto at = instant(form.at);
    if (!at)
        return makeError(ErrorCode::Validation, "Not recorded: when the form was issued is not a date and time. Enter it "
                                                "like 2026-12-06 14:30.", "at");
    // Feedback must never be sought in a way that could alert the abuser (DOMAIN.md §9): the
    // victim's safe-contact answers decide, as for a contact (the server checks them again).
    const ContactVerdict verdict = checkFeedbackForm(line->safeContact, form.method, *at);
    if (!verdict.allowed)
        return makeError(ErrorCode::Validation, "Not recorded: " + verdict.refusal, "method");
    form.caution = verdict.caution;
    form.id = newUuid();
    form.by = actor.userId;
    json fields = {{"kind", std::string(toString(form.kind))},
                   {"at", form.at},
                   {"by", form.by},
                   {"method", std::string(toString(form.method))}};
    if (!form.caution.empty())
        fields["caution"] = form.caution;
    VIGIL_TRY(addPart(actor, *line, Entity::FeedbackForm, form.id, fields));
    return form;
}

Status CaseRepository::setFeedbackResponses(const Actor& actor, const CaseKey& key, FeedbackFormKind kind, int count)
{
    auto c = read(key);
    if (!c)
        return std::move(c).error();
    const auto issued = std::count_if(c->feedbackForms.begin(), c->feedbackForms.end(),
                                      [&](const FeedbackForm& f) { return f.kind == kind; });
    if (Status valid = validateFeedbackResponses(kind, count, static_cast<int>(issued)); !valid.ok())
        return makeError(ErrorCode::Validation, "Not recorded: " + valid.error().message, valid.error().field);
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    return writeCase(actor, *line,
                     {{feedbackResponsesField(kind), count},
                      {std::string(kFeedbackResponsesBy), actor.userId},
                      {std::string(kFeedbackResponsesAt), m_store.nowIso()}});
}

Result<BreachCheck> CaseRepository::logBreach(const Actor& actor, const CaseKey& key, Breach breach,
                                              const OrdersRules& rules, const WorkingDays& calendar,
                                              std::chrono::sys_seconds now)
{
    auto c = read(key);
    if (!c)
        return std::move(c).error();
    auto order = std::find_if(c->orders.begin(), c->orders.end(), [&](const ProtectiveOrder& o) { return o.id == breach.orderId; });
    if (order == c->orders.end())
        return makeError(ErrorCode::NotFound, "Not logged: that order is not in this case. Choose the order that was breached.",
                         "orderId");
    auto check = validateBreach(breach, *order, rules, calendar, now);
    if (!check)
        return std::move(check).error();
    breach.id = newUuid();
    json fields = {{"order", breach.orderId}, {"at", formatIsoDateTime(breach.at)}, {"what", breach.what},
                   {"action", breach.action}, {"by", actor.userId}};
    VIGIL_TRY(m_store.create(actor, Entity::Breach, breach.id, c->incidentId, c->id,
                             {{"incident", c->incidentId}, {"parent", c->id}}, fields));
    return check;
}

Status CaseRepository::setSafeContact(const Actor& actor, const CaseKey& key, const SafeContact& a)
{
    auto line = requireLine(key);
    if (!line)
        return std::move(line).error();
    if (!a.safeTimes.empty()) {
        auto parsed = parseSafeTimes(a.safeTimes);
        if (!parsed)
            return std::move(parsed).error();
    }
    const auto flag = [](const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); };
    return m_store.write(actor, Entity::Person, line->victimId,
                         {{"safe_contact.phone", flag(a.phone)},
                          {"safe_contact.text", flag(a.text)},
                          {"safe_contact.voicemail", flag(a.voicemail)},
                          {"safe_contact.email", flag(a.email)},
                          {"safe_contact.visit", flag(a.visit)},
                          {"safe_contact.safe_times", a.safeTimes},
                          {"safe_contact.afraid_of", a.afraidOf},
                          {"safe_contact.updated_by", actor.userId},
                          {"safe_contact.updated_at", m_store.nowIso()}});
}

std::optional<VictimsCodeCase> victimsCodeCaseOf(const VictimCase& c)
{
    const auto referred = instant(c.referredAt);
    if (c.kind != "investigation" || !referred)
        return std::nullopt;
    // The Victims' Code is the police's duty: the officer in the case keeps the victim informed.
    VictimsCodeCase code;
    code.servicesConsent = c.servicesConsent          ? ServicesConsent::Given
                           : c.servicesConsentRefused ? ServicesConsent::Refused
                                                      : ServicesConsent::NotRecorded;
    if (c.servicesConsent)
        code.servicesConsentAt = instant(c.servicesConsentAt);  // a case recorded before this was kept: from the report
    code.events.push_back(CaseEvent{"report", CaseEventKind::Report, *referred});
    for (const CaseEventRecord& e : c.events)
        code.events.push_back(e.event);
    bool spoke = false;
    for (const CaseContact& contact : c.contacts) {
        const auto at = instant(contact.at);
        if (!at)
            continue;
        if (contact.outcome == ContactOutcome::Spoke && !spoke) {
            code.done.push_back(DutyDone{VictimDuty::FirstContact, *at, {}});
            spoke = true;
        }
        for (const std::string& d : contact.duties) {
            if (d.rfind("update:", 0) == 0) {
                code.done.push_back(DutyDone{VictimDuty::Update, *at, d.substr(7)});
            } else if (auto duty = victimDutyFromString(d); duty && *duty != VictimDuty::Update) {
                code.done.push_back(DutyDone{*duty, *at, {}});
            }
        }
    }
    return code;
}

Result<CaseDue> CaseRepository::due(const VictimCase& c, const VictimsCodeRules& rules, const WorkingDays& calendar,
                                    std::chrono::sys_seconds now)
{
    CaseDue out;
    const auto referred = instant(c.referredAt);
    if (c.firstAttemptAt.empty() && referred && isOpen(c.status))
        out.firstAttemptDue = *referred + std::chrono::hours(rules.firstContactHours);
    if (isOpen(c.status))
        out.nextContactDue = instant(c.contacts.empty() ? c.nextContactDue : c.contacts.back().nextDue);
    const auto code = victimsCodeCaseOf(c);
    if (!code)
        return out;
    auto items = victimsCodeItems(*code, rules, calendar, now);
    if (!items)
        return std::move(items).error();
    out.items = std::move(items).value();
    return out;
}

Result<std::vector<CaseloadEntry>> CaseRepository::caseload(const std::string& userId, Role role,
                                                            const VictimsCodeRules& rules, const WorkingDays& calendar,
                                                            std::chrono::sys_seconds now, const OrdersRules& orderRules)
{
    // A few reads of whole kinds, then everything in memory: no read per case. An IDVA's lines
    // need no contacts (the case row keeps the latest); an investigation's Victims' Code items
    // need its contacts and events, read per incident. Each kind is read one row at a time and
    // only this user's lines are kept (an investigator's device may hold a team's 124Ds).
    std::vector<CaseloadEntry> wanted;
    if (role == Role::Idva) {
        VIGIL_TRY(m_store.forEachLiveRow(Entity::Referral, {}, {}, [&](RecordRow&& r) {
            if (text(r, "to_user") != userId)
                return;
            CaseloadEntry line;
            line.key = referralCase(r.id);
            line.kind = line.key.kind;
            line.referralId = r.id;
            line.incidentId = r.incidentId;
            line.victimId = r.parentId;
            line.referredAt = isoOfHlc(r.createdHlc);
            wanted.push_back(std::move(line));
        }));
    } else {
        std::map<std::string, HlcStamp> mine;  // incident -> when it was started (the report)
        VIGIL_TRY(m_store.forEachLiveRow(Entity::Incident, {}, {"investigation.officer_in_case"}, [&](RecordRow&& r) {
            if (text(r, "investigation.officer_in_case") == userId)
                mine.emplace(r.id, r.createdHlc);
        }));
        if (!mine.empty()) {
            VIGIL_TRY(m_store.forEachLiveRow(Entity::Person, {}, {"role"}, [&](RecordRow&& p) {
                auto incident = mine.find(p.incidentId);
                if (incident == mine.end() || text(p, "role") != "victim")
                    return;
                CaseloadEntry line;
                line.key = investigationCase(p.id);
                line.kind = line.key.kind;
                line.incidentId = p.incidentId;
                line.victimId = p.id;
                line.referredAt = isoOfHlc(incident->second);
                wanted.push_back(std::move(line));
            }));
            std::sort(wanted.begin(), wanted.end(),
                      [](const CaseloadEntry& a, const CaseloadEntry& b) { return a.victimId < b.victimId; });
        }
    }
    std::set<std::string> victimIds;
    for (const CaseloadEntry& line : wanted)
        victimIds.insert(line.victimId);
    std::map<std::string, RecordRow> persons;
    if (!victimIds.empty()) {
        VIGIL_TRY(m_store.forEachLiveRow(Entity::Person, {}, {}, [&](RecordRow&& r) {
            if (victimIds.count(r.id) != 0)
                persons.emplace(r.id, std::move(r));
        }));
    }
    std::map<std::string, RecordRow> caseRows;
    VIGIL_TRY(m_store.forEachLiveRow(Entity::Case, {}, {}, [&](RecordRow&& r) { caseRows.emplace(r.id, std::move(r)); }));
    std::map<std::string, std::vector<RecordRow>> ordersOf;  // case id -> its orders
    VIGIL_TRY(m_store.forEachLiveRow(Entity::Order, {}, {}, [&](RecordRow&& r) {
        if (caseRows.count(r.parentId) != 0)
            ordersOf[r.parentId].push_back(std::move(r));
    }));
    // The latest re-assessment of each case: its grade stands over the 124D's.
    std::map<std::string, RiskReassessment> latestAssessment;  // case id -> the latest
    VIGIL_TRY(m_store.forEachLiveRow(Entity::Assessment, {}, {"at", "grade.computed", "grade.judgement"}, [&](RecordRow&& r) {
        if (caseRows.count(r.parentId) == 0)
            return;
        RiskReassessment a = reassessmentFromRow(r);
        auto [it, added] = latestAssessment.emplace(r.parentId, a);
        if (!added && a.at > it->second.at)
            it->second = std::move(a);
    }));
    std::vector<CaseloadEntry> lines;
    for (CaseloadEntry& line : wanted) {
        auto v = persons.find(line.victimId);
        if (v == persons.end())
            continue;
        line.caseId = caseIdFor(line.key);
        line.victimName = text(v->second, "person.name");
        line.risk = standingGrade(v->second);
        if (auto a = latestAssessment.find(line.caseId); a != latestAssessment.end() && a->second.standing)
            line.risk = a->second.standing;
        line.safeContact = safeContactFromFields(v->second.fields);
        lines.push_back(std::move(line));
    }
    const auto londonToday = londonDayEnd(londonDate(now));
    std::vector<CaseloadEntry> out;
    out.reserve(lines.size());
    for (CaseloadEntry& entry : lines) {
        std::optional<RecordRow> live;
        if (auto c = caseRows.find(entry.caseId); c != caseRows.end())
            live = c->second;
        entry.opened = live.has_value();
        std::vector<RecordRow> parts[2];
        if (entry.kind == "investigation" && live) {
            const Entity kinds[2] = {Entity::Contact, Entity::CaseEvent};
            for (int i = 0; i < 2; ++i) {
                auto rows = m_store.rowsOfIncident(kinds[i], entry.incidentId);
                if (!rows)
                    return std::move(rows).error();
                for (RecordRow& r : *rows)
                    if (r.parentId == entry.caseId)
                        parts[i].push_back(std::move(r));
            }
        }
        const auto orders = ordersOf.find(entry.caseId);
        const VictimCase c = caseFromRows(entry, live, parts[0], parts[1], {},
                                          orders != ordersOf.end() ? orders->second : std::vector<RecordRow>{});
        entry.status = c.status;
        entry.lastContactAt = c.contacts.empty() ? c.lastContactAt : c.contacts.back().at;
        if (isOpen(c.status)) {
            auto d = due(c, rules, calendar, now);
            if (!d)
                return std::move(d).error();
            const auto consider = [&](std::optional<std::chrono::sys_seconds> at, const std::string& what) {
                if (!at)
                    return;
                if (*at < now)
                    ++entry.overdue;
                else if (*at <= londonToday)
                    ++entry.dueToday;
                if (!entry.nextDueAt || *at < *entry.nextDueAt) {
                    entry.nextDueAt = at;
                    entry.nextDueWhat = what;
                }
            };
            consider(d->firstAttemptDue, "First contact attempt");
            consider(d->nextContactDue, "Next contact");
            for (const DueItem& item : d->items)
                if (item.status == DueStatus::DueIn || item.status == DueStatus::Overdue)
                    consider(item.dueAt, item.what);
            auto orderItems = ordersDueItems(c.orders, orderRules, calendar, now);
            if (!orderItems)
                return std::move(orderItems).error();
            for (const OrderDueItem& item : *orderItems)
                if (item.status == DueStatus::DueIn || item.status == DueStatus::Overdue)
                    consider(item.dueAt, item.what);
        }
        out.push_back(std::move(entry));
    }
    std::stable_sort(out.begin(), out.end(), [](const CaseloadEntry& a, const CaseloadEntry& b) {
        const bool aOpen = isOpen(a.status), bOpen = isOpen(b.status);
        if (aOpen != bOpen)
            return aOpen;
        const bool aUrgent = a.overdue + a.dueToday > 0, bUrgent = b.overdue + b.dueToday > 0;
        if (aUrgent != bUrgent)
            return aUrgent;
        if (a.overdue != b.overdue)
            return a.overdue > b.overdue;
        const int ar = a.risk ? static_cast<int>(*a.risk) : -1, br = b.risk ? static_cast<int>(*b.risk) : -1;
        if (ar != br)
            return ar > br;
        return a.referredAt < b.referredAt;
    });
    return out;
}

}  // namespace vigil
