#include "core/casework/VictimsCode.h"

#include <algorithm>
#include <array>
#include <set>

#include "core/risk/ReviewCadence.h"

namespace vigil {

using namespace std::chrono;

namespace {

std::string plural(long long n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); }

/// The events after which a custody decision has been made on an arrest.
bool decidesCustody(CaseEventKind kind)
{
    return kind == CaseEventKind::Bail || kind == CaseEventKind::ReleaseNoFurtherAction
        || kind == CaseEventKind::ReleaseUnderInvestigation || kind == CaseEventKind::ChargeDecision;
}

std::string decisionWords(CaseEventKind kind)
{
    switch (kind) {
    case CaseEventKind::Bail: return "the bail decision";
    case CaseEventKind::BailChange: return "the decision to change bail";
    default: return caseEventWords(kind);
    }
}

std::optional<sys_seconds> earliest(const std::vector<DutyDone>& done, VictimDuty duty, std::string_view eventId = {})
{
    std::optional<sys_seconds> out;
    for (const DutyDone& d : done)
        if (d.duty == duty && (eventId.empty() || d.eventId == eventId) && (!out || d.at < *out))
            out = d.at;
    return out;
}

/// Sets the status from the due instant (exclusive: done at it is late), what was done, and now.
void settle(DueItem& item, std::optional<sys_seconds> doneAt, sys_seconds now, bool words)
{
    const sys_seconds due = *item.dueAt;
    item.doneAt = doneAt;
    if (doneAt) {
        if (*doneAt < due) {
            item.status = DueStatus::DoneOnTime;
            item.margin = due - *doneAt;
            item.statusWords = words ? "Done on time" : "";
        } else {
            item.status = DueStatus::DoneLate;
            item.margin = *doneAt - due;
            if (words)
                item.statusWords = "Done " + spanWords(item.margin) + " late";
        }
    } else if (now < due) {
        item.status = DueStatus::DueIn;
        item.margin = due - now;
        if (words)
            item.statusWords = "Due in " + spanWords(item.margin);
    } else {
        item.status = DueStatus::Overdue;
        item.margin = now - due;
        if (words)
            item.statusWords = "Overdue by " + spanWords(item.margin);
    }
}

void cannotTell(DueItem& item, const Error& error)
{
    item.status = DueStatus::CannotTell;
    item.dueAt.reset();
    item.problem = error.message;
    item.statusWords = error.message;
}

DueItem itemFor(VictimDuty duty, const CaseEvent& event, std::string what, std::string basis)
{
    DueItem item;
    item.duty = duty;
    item.eventId = event.id;
    item.eventKind = event.kind;
    item.what = std::move(what);
    item.basis = std::move(basis);
    return item;
}

/// An item due `hours` after `from`.
DueItem hoursItem(VictimDuty duty, const CaseEvent& event, std::string what, int hoursAfter, const char* afterWhat,
                  std::optional<sys_seconds> doneAt, sys_seconds now, bool words)
{
    DueItem item = itemFor(duty, event, std::move(what), words ? plural(hoursAfter, "hour") + " after " + afterWhat : "");
    item.dueAt = event.at + hours{hoursAfter};
    if (words)
        item.dueWords = "by " + londonTimeWords(*item.dueAt);
    settle(item, doneAt, now, words);
    return item;
}

/// An item due at the end of the n-th working day after `from`.
DueItem workingDaysItem(VictimDuty duty, const CaseEvent& event, std::string what, std::string basis, sys_seconds from,
                        int n, const WorkingDays& calendar, std::optional<sys_seconds> doneAt, sys_seconds now,
                        bool words)
{
    DueItem item = itemFor(duty, event, std::move(what), std::move(basis));
    const auto day = calendar.addWorkingDays(londonDate(from), n);
    if (!day.ok()) {
        item.doneAt = doneAt;
        cannotTell(item, day.error());
        return item;
    }
    item.dueAt = londonDayEnd(*day);
    if (words)
        item.dueWords = "by the end of " + civilDateWords(*day);
    settle(item, doneAt, now, words);
    return item;
}

}  // namespace

std::string_view toString(VictimDuty duty) noexcept
{
    switch (duty) {
    case VictimDuty::FirstContact: return "first_contact";
    case VictimDuty::NeedsAssessment: return "needs_assessment";
    case VictimDuty::VictimServices: return "victim_services";
    case VictimDuty::Update: return "update";
    case VictimDuty::BailConsultation: return "bail_consultation";
    }
    return "first_contact";
}

std::optional<VictimDuty> victimDutyFromString(std::string_view text) noexcept
{
    for (VictimDuty duty : {VictimDuty::FirstContact, VictimDuty::NeedsAssessment, VictimDuty::VictimServices,
                            VictimDuty::Update, VictimDuty::BailConsultation})
        if (toString(duty) == text)
            return duty;
    return std::nullopt;
}

std::string_view toString(DueStatus status) noexcept
{
    switch (status) {
    case DueStatus::DoneOnTime: return "done_on_time";
    case DueStatus::DoneLate: return "done_late";
    case DueStatus::DueIn: return "due_in";
    case DueStatus::Overdue: return "overdue";
    case DueStatus::Waiting: return "waiting";
    case DueStatus::NotRequired: return "not_required";
    case DueStatus::CannotTell: return "cannot_tell";
    }
    return "due_in";
}

Result<std::vector<DueItem>> victimsCodeItems(const VictimsCodeCase& victimCase, const VictimsCodeRules& rules,
                                              const WorkingDays& calendar, sys_seconds now, ItemWords itemWords)
{
    const bool words = itemWords == ItemWords::Written;
    std::vector<CaseEvent> events = victimCase.events;
    std::stable_sort(events.begin(), events.end(), [](const CaseEvent& a, const CaseEvent& b) { return a.at < b.at; });
    std::set<std::string, std::less<>> ids;
    for (const CaseEvent& e : events)
        if (!e.id.empty() && !ids.insert(e.id).second)
            return makeError(ErrorCode::Validation, "Two events in this case have the same id (\"" + e.id
                                                        + "\"), so Vigil cannot tell which one the victim was told of. "
                                                          "This is a fault in the case's records: report it to your administrator.");
    for (const DutyDone& d : victimCase.done) {
        if (d.duty != VictimDuty::Update)
            continue;
        if (d.eventId.empty() || !ids.contains(d.eventId))
            return makeError(ErrorCode::Validation,
                             "A contact logged at " + londonTimeWords(d.at) + " says the victim was told of an event ("
                                 + (d.eventId.empty() ? std::string{"none named"} : "\"" + d.eventId + "\"")
                                 + ") that is not in this case. This is a fault in the case's records: report it to "
                                   "your administrator.");
    }

    std::vector<sys_seconds> consultations;
    for (const DutyDone& d : victimCase.done)
        if (d.duty == VictimDuty::BailConsultation)
            consultations.push_back(d.at);
    std::sort(consultations.begin(), consultations.end());
    const auto consultsBefore = [&](CaseEventKind kind) {
        return std::find(rules.consultBefore.begin(), rules.consultBefore.end(), kind) != rules.consultBefore.end();
    };

    std::vector<DueItem> items;
    bool reportSeen = false;
    std::optional<sys_seconds> previousDecision;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const CaseEvent& e = events[i];
        if (e.kind == CaseEventKind::Report) {
            if (reportSeen)
                continue;  // the clock runs from the first report
            reportSeen = true;
            items.push_back(hoursItem(VictimDuty::FirstContact, e, "First contact with the victim",
                                      rules.firstContactHours, "the report",
                                      earliest(victimCase.done, VictimDuty::FirstContact), now, words));
            items.push_back(hoursItem(VictimDuty::NeedsAssessment, e, "Assess the victim's needs",
                                      rules.needsAssessmentHours, "the report",
                                      earliest(victimCase.done, VictimDuty::NeedsAssessment), now, words));

            const std::string what = "Send the victim's details to victim services";
            const auto sent = earliest(victimCase.done, VictimDuty::VictimServices);
            const bool needsConsent = victimCase.domesticAbuse && rules.victimServicesConsentForDomesticAbuse;
            const int n = rules.victimServicesWorkingDays;
            if (victimCase.servicesConsent == ServicesConsent::Refused) {
                DueItem item = itemFor(VictimDuty::VictimServices, e, what, "the victim's consent");
                item.status = DueStatus::NotRequired;
                item.doneAt = sent;
                item.statusWords = "Not to be sent: the victim did not consent";
                items.push_back(std::move(item));
            } else if (needsConsent && victimCase.servicesConsent == ServicesConsent::NotRecorded && !sent) {
                DueItem item = itemFor(VictimDuty::VictimServices, e, what,
                                       words ? plural(n, "working day") + " after the victim's consent (domestic abuse)"
                                             : "");
                item.status = DueStatus::Waiting;
                if (words)
                    item.dueWords = plural(n, "working day") + " after the victim consents";
                item.statusWords = "Waiting for the victim's consent: in domestic abuse their details go to victim "
                                   "services only with it";
                items.push_back(std::move(item));
            } else {
                const bool fromConsent = victimCase.servicesConsent == ServicesConsent::Given
                    && victimCase.servicesConsentAt && *victimCase.servicesConsentAt > e.at;
                const sys_seconds from = fromConsent ? *victimCase.servicesConsentAt : e.at;
                items.push_back(workingDaysItem(
                    VictimDuty::VictimServices, e, what,
                    words ? plural(n, "working day") + " after " + (fromConsent ? "the victim's consent" : "the report")
                          : "",
                    from, n, calendar, sent, now, words));
            }
            continue;
        }

        if (consultsBefore(e.kind)) {
            DueItem item = itemFor(VictimDuty::BailConsultation, e,
                                   words ? "Ask the victim's views before " + decisionWords(e.kind) : "",
                                   "before the decision");
            item.dueAt = e.at;
            if (words)
                item.dueWords = "before the decision at " + londonTimeWords(e.at);
            std::optional<sys_seconds> nextDecision;
            for (std::size_t j = i + 1; j < events.size() && !nextDecision; ++j)
                if (consultsBefore(events[j].kind))
                    nextDecision = events[j].at;
            std::optional<sys_seconds> onTime;
            std::optional<sys_seconds> late;
            for (sys_seconds c : consultations) {
                if ((!previousDecision || c > *previousDecision) && c <= e.at && !onTime)
                    onTime = c;
                else if (c > e.at && (!nextDecision || c <= *nextDecision) && !late)
                    late = c;
            }
            if (onTime) {
                item.status = DueStatus::DoneOnTime;
                item.doneAt = onTime;
                item.margin = e.at - *onTime;
                item.statusWords = "Done on time";
            } else if (late) {
                item.status = DueStatus::DoneLate;
                item.doneAt = late;
                item.margin = *late - e.at;
                if (words)
                    item.statusWords = "Done " + spanWords(item.margin) + " after the decision";
            } else {
                item.status = DueStatus::Overdue;
                item.margin = now > e.at ? now - e.at : seconds{0};
                item.statusWords = "Not done before the decision";
            }
            items.push_back(std::move(item));
            previousDecision = e.at;
        }

        if (const auto rule = rules.updates.find(e.kind); rule != rules.updates.end()) {
            const int n = victimCase.enhancedRights ? rule->second.enhancedWorkingDays : rule->second.standardWorkingDays;
            std::string basis = words ? plural(n, "working day") + " after " + caseEventWords(e.kind)
                                            + (victimCase.enhancedRights ? " (enhanced rights)" : "")
                                      : std::string();
            items.push_back(workingDaysItem(VictimDuty::Update, e,
                                            words ? "Tell the victim about " + caseEventWords(e.kind) : std::string(),
                                            std::move(basis), e.at, n, calendar,
                                            e.id.empty() ? std::nullopt : earliest(victimCase.done, VictimDuty::Update, e.id),
                                            now, words));
        }

        // An arrest still awaiting its custody decision: the victim's views are wanted before it.
        if (e.kind == CaseEventKind::Arrest && consultsBefore(CaseEventKind::Bail)) {
            bool decided = false;
            bool laterArrest = false;
            for (std::size_t j = i + 1; j < events.size(); ++j) {
                decided = decided || decidesCustody(events[j].kind);
                laterArrest = laterArrest || events[j].kind == CaseEventKind::Arrest;
            }
            if (!decided && !laterArrest) {
                DueItem item = itemFor(VictimDuty::BailConsultation, e,
                                       "Ask the victim's views before the custody decision", "before the custody decision");
                item.dueWords = "before the custody decision";
                const auto c = std::find_if(consultations.begin(), consultations.end(),
                                            [&](sys_seconds t) { return t >= e.at; });
                if (c != consultations.end()) {
                    item.status = DueStatus::DoneOnTime;
                    item.doneAt = *c;
                    item.statusWords = "Done on time";
                } else {
                    item.status = DueStatus::Waiting;
                    item.statusWords = "Due before the custody decision";
                }
                items.push_back(std::move(item));
            }
        }
    }
    return items;
}

std::optional<std::string> victimServicesRefusal(const std::vector<std::string>& duties, bool consented)
{
    if (consented)
        return std::nullopt;
    const std::string_view name = toString(VictimDuty::VictimServices);
    for (const std::string& d : duties) {
        const std::string_view duty = std::string_view(d).substr(0, d.find(':'));
        if (duty == name)
            return "the victim has not agreed to her details going to victim services, so this contact cannot record "
                   "that they were sent. Record her consent on her case first (or leave that item unticked).";
    }
    return std::nullopt;
}

}  // namespace vigil
