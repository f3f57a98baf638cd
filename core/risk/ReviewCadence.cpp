#include "core/risk/ReviewCadence.h"

#include <algorithm>

#include "core/risk/Dates.h"

namespace vigil {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::sys_seconds;

/// Why a review falls due when it does (nextReviewDue says it in words).
enum class Basis { SsoSupervisor, SsoInspector, SsoChiefInspector, SsoThenEvery, LastReview, StateTaken };

struct DueAt {
    ReviewDueAt at;
    Basis basis = Basis::StateTaken;
};

std::optional<DueAt> dueAt(LifecycleState s, bool sso, const ReviewLog& log, const ReviewClock& clock,
                           const RulesConfig& rules) noexcept
{
    const bool open = s == LifecycleState::Approved || s == LifecycleState::UnderInvestigation;
    if (sso && (open || s == LifecycleState::Submitted)) {
        if (!log.supervisor)
            return DueAt{{clock.started + hours(rules.ssoSupervisorHours), ReviewLevel::Supervisor}, Basis::SsoSupervisor};
        if (!log.inspector)
            return DueAt{{clock.started + days(rules.ssoInspectorDays), ReviewLevel::Inspector}, Basis::SsoInspector};
        if (!log.chiefInspector)
            return DueAt{{clock.started + days(rules.ssoChiefInspectorDays), ReviewLevel::ChiefInspector},
                         Basis::SsoChiefInspector};
        return DueAt{{*log.last + days(rules.ssoThenEveryDays), ReviewLevel::ChiefInspector}, Basis::SsoThenEvery};
    }
    if (!open)
        return std::nullopt;
    if (log.last && *log.last >= clock.stateSince)
        return DueAt{{*log.last + days(rules.reviewEveryDays), ReviewLevel::Supervisor}, Basis::LastReview};
    return DueAt{{clock.stateSince + days(rules.reviewEveryDays), ReviewLevel::Supervisor}, Basis::StateTaken};
}

std::string plural(long long n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); }

}  // namespace

std::string_view toString(ReviewLevel level) noexcept
{
    switch (level) {
    case ReviewLevel::Supervisor: return "supervisor";
    case ReviewLevel::Inspector: return "inspector";
    case ReviewLevel::ChiefInspector: return "chief_inspector";
    }
    return "supervisor";
}

std::optional<ReviewLevel> reviewLevelFromString(std::string_view text) noexcept
{
    for (ReviewLevel level : {ReviewLevel::Supervisor, ReviewLevel::Inspector, ReviewLevel::ChiefInspector})
        if (toString(level) == text)
            return level;
    return std::nullopt;
}

std::string reviewLevelWords(ReviewLevel level)
{
    switch (level) {
    case ReviewLevel::Supervisor: return "a supervisor";
    case ReviewLevel::Inspector: return "an inspector";
    case ReviewLevel::ChiefInspector: return "a chief inspector";
    }
    return "a supervisor";
}

void ReviewLog::add(ReviewLevel level, sys_seconds at) noexcept
{
    if (!last || at > *last)
        last = at;
    switch (level) {
    case ReviewLevel::Supervisor: supervisor = true; break;
    case ReviewLevel::Inspector: inspector = true; break;
    case ReviewLevel::ChiefInspector: chiefInspector = true; break;
    }
}

ReviewLog reviewLogOf(const Incident& incident)
{
    ReviewLog out;
    for (const SupervisionEntry& e : incident.supervision) {
        if (e.kind != "review")
            continue;
        if (const auto at = parseIsoDateTime(e.at))
            out.add(reviewLevelFromString(e.level).value_or(ReviewLevel::Supervisor), *at);
    }
    return out;
}

std::optional<ReviewDueAt> nextReviewAt(LifecycleState state, bool seriousSexualOffence, const ReviewLog& log,
                                        const ReviewClock& clock, const RulesConfig& rules) noexcept
{
    const auto due = dueAt(state, seriousSexualOffence, log, clock, rules);
    if (!due)
        return std::nullopt;
    return due->at;
}

std::optional<ReviewDue> nextReviewDue(const Incident& incident, const ReviewClock& clock, const RulesConfig& rules)
{
    const auto due = dueAt(incident.state, incident.flags.seriousSexualOffence, reviewLogOf(incident), clock, rules);
    if (!due)
        return std::nullopt;
    const char* const sso = " after the 124D was started (serious sexual offence)";
    std::string basis;
    switch (due->basis) {
    case Basis::SsoSupervisor: basis = plural(rules.ssoSupervisorHours, "hour") + sso; break;
    case Basis::SsoInspector: basis = plural(rules.ssoInspectorDays, "day") + sso; break;
    case Basis::SsoChiefInspector: basis = plural(rules.ssoChiefInspectorDays, "day") + sso; break;
    case Basis::SsoThenEvery:
        basis = plural(rules.ssoThenEveryDays, "day") + " after the last review (serious sexual offence)";
        break;
    case Basis::LastReview: basis = plural(rules.reviewEveryDays, "day") + " after the last review"; break;
    case Basis::StateTaken:
        basis = plural(rules.reviewEveryDays, "day") + " after it was "
              + (incident.state == LifecycleState::Approved ? "approved" : "allocated for investigation");
        break;
    }
    return ReviewDue{due->at.due, due->at.level, std::move(basis)};
}

std::string spanWords(std::chrono::seconds span)
{
    // To the nearest unit: a review due in 6 days 23 hours 59 minutes is "due in 7 days".
    const long long seconds = std::max<long long>(span.count(), 0);
    if (seconds >= 2 * 86400 - 43200)
        return plural((seconds + 43200) / 86400, "day");
    if (seconds >= 2 * 3600 - 1800)
        return plural((seconds + 1800) / 3600, "hour");
    return plural(std::max<long long>((seconds + 30) / 60, 1), "minute");
}

}  // namespace vigil
