#include "core/casework/FeedbackForms.h"

#include <algorithm>
#include <array>

#include "core/casework/Case.h"
#include "core/casework/LondonTime.h"
#include "core/risk/Dates.h"

namespace vigil {

namespace {

constexpr std::array kKinds{FeedbackFormKind::AfterCharge, FeedbackFormKind::AtConclusion};

std::string dayWords(std::chrono::sys_seconds at)
{
    return civilDateWords(londonDate(at));
}

std::string lowerFirst(std::string s)
{
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z')
        s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

std::string timesWords(int n)
{
    switch (n) {
    case 1: return "once";
    case 2: return "twice";
    default: return std::to_string(n) + " times";
    }
}

}  // namespace

std::span<const FeedbackFormKind> allFeedbackFormKinds() noexcept
{
    return kKinds;
}

std::string_view toString(FeedbackFormKind kind) noexcept
{
    switch (kind) {
    case FeedbackFormKind::AfterCharge: return "after_charge";
    case FeedbackFormKind::AtConclusion: return "at_conclusion";
    }
    return "after_charge";
}

std::optional<FeedbackFormKind> feedbackFormKindFromString(std::string_view text) noexcept
{
    for (FeedbackFormKind k : kKinds)
        if (toString(k) == text)
            return k;
    return std::nullopt;
}

std::string feedbackFormWords(FeedbackFormKind kind)
{
    switch (kind) {
    case FeedbackFormKind::AfterCharge: return "After charge";
    case FeedbackFormKind::AtConclusion: return "At the conclusion of the case";
    }
    return "After charge";
}

std::string feedbackMethodWords(ContactMethod method)
{
    switch (method) {
    case ContactMethod::Phone: return "by phone";
    case ContactMethod::Text: return "by text";
    case ContactMethod::Voicemail: return "by voicemail";
    case ContactMethod::Email: return "by email";
    case ContactMethod::Visit: return "handed over on a visit";
    case ContactMethod::AtAgency: return "handed over at the agency";
    case ContactMethod::Letter: return "by letter";
    }
    return "";
}

std::string feedbackResponsesField(FeedbackFormKind kind)
{
    return "feedback.responses." + std::string(toString(kind));
}

ContactVerdict checkFeedbackForm(const SafeContact& answers, ContactMethod method, std::chrono::sys_seconds at)
{
    if (method != ContactMethod::Letter)
        return checkContact(answers, method, at);
    // A letter: the safe times say when she can take a call or a visit, not when post may arrive.
    SafeContact untimed = answers;
    untimed.safeTimes.clear();
    return checkContact(untimed, method, at);
}

std::vector<FeedbackFormStatus> feedbackFormStatuses(const VictimCase& c)
{
    std::vector<FeedbackFormStatus> out;
    for (FeedbackFormKind kind : kKinds) {
        FeedbackFormStatus s;
        s.kind = kind;
        s.responses = c.feedbackResponses.count(kind);
        const FeedbackForm* last = nullptr;
        for (const FeedbackForm& f : c.feedbackForms) {
            if (f.kind != kind)
                continue;
            ++s.issued;
            if (!last || f.at >= last->at)
                last = &f;
        }
        if (last) {
            s.state = FeedbackState::Issued;
            const auto at = parseIsoDateTime(last->at);
            s.words = "Issued " + timesWords(s.issued) + (s.issued > 1 ? "; last on " : " on ")
                    + (at ? dayWords(*at) : last->at) + ", " + feedbackMethodWords(last->method) + ".";
        } else if (kind == FeedbackFormKind::AfterCharge) {
            // The first charge recorded calls for it; a decision that does not say may be one.
            // Her other case on the 124D counts too: an IDVA's case learns of the charge from the
            // investigation's events.
            const CaseEventRecord* charged = nullptr;
            const CaseEventRecord* unsaid = nullptr;
            std::string chargedIn;
            std::string unsaidIn;
            const auto consider = [&](const CaseEventRecord& e, const std::string& caseKind) {
                if (e.event.kind != CaseEventKind::ChargeDecision)
                    return;
                if (e.charged == true && (!charged || e.event.at < charged->event.at)) {
                    charged = &e;
                    chargedIn = caseKind;
                } else if (!e.charged && (!unsaid || e.event.at < unsaid->event.at)) {
                    unsaid = &e;
                    unsaidIn = caseKind;
                }
            };
            for (const CaseEventRecord& e : c.events)
                consider(e, {});
            for (const OtherCaseEvent& e : c.otherEvents)
                consider(e.record, e.caseKind);
            const auto where = [](const std::string& caseKind) {
                return caseKind.empty() ? std::string()
                    : caseKind == "investigation" ? std::string(", recorded in the investigation")
                                                  : std::string(", recorded in the IDVA's case");
            };
            if (charged) {
                s.state = FeedbackState::Due;
                s.words = "Due: the suspect was charged (" + dayWords(charged->event.at) + where(chargedIn) + ").";
            } else if (unsaid) {
                s.state = FeedbackState::MaybeDue;
                s.words = "Due if the suspect was charged: the charge decision of " + dayWords(unsaid->event.at)
                        + where(unsaidIn) + " does not say. Record the charge if there was one.";
            } else {
                s.words = c.otherEvents.empty() ? "Not due: no charge is recorded in this case."
                                                : "Not due: no charge is recorded in this case or her other case.";
            }
        } else if (c.status == CaseStatus::Closed) {
            s.state = FeedbackState::Due;
            const auto closed = parseIsoDateTime(c.statusAt);
            s.words = "Due: the case is closed" + (closed ? " (" + dayWords(*closed) + ")" : std::string()) + ".";
        } else {
            s.words = "Not due until the case is closed.";
        }
        out.push_back(std::move(s));
    }
    return out;
}

Status validateFeedbackResponses(FeedbackFormKind kind, int count, int issued)
{
    const std::string form = "the \"" + lowerFirst(feedbackFormWords(kind)) + "\" form";
    if (count < 0)
        return makeError(ErrorCode::Validation, "A number of responses cannot be below 0: enter how many came back, 0 or more.",
                         "responses");
    if (issued == 0 && count > 0)
        return makeError(ErrorCode::Validation,
                         "No " + form.substr(4) + " has been issued in this case, so no response to it can have come back. "
                             "Record the form issued first.",
                         "responses");
    if (count > issued)
        return makeError(ErrorCode::Validation,
                         std::to_string(count) + " responses to " + form + ", but it was issued " + timesWords(issued)
                             + " in this case: count only the responses to forms issued here.",
                         "responses");
    return {};
}

}  // namespace vigil
