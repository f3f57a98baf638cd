#include "core/risk/ReviewCadence.h"

#include <algorithm>

#include "core/risk/Dates.h"

namespace vigil {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::sys_seconds;

/// The last logged review, and the last at each level.
struct Logged {
    std::optional<sys_seconds> last;
    bool supervisor = false;
    bool inspector = false;
    bool chiefInspector = false;
};

Logged logged(const Incident& incident)
{
    Logged out;
    for (const SupervisionEntry& e : incident.supervision) {
        if (e.kind != "review")
            continue;
        const auto at = parseIsoDateTime(e.at);
        if (!at)
            continue;
        if (!out.last || *at > *out.last)
            out.last = *at;
        switch (reviewLevelFromString(e.level).value_or(ReviewLevel::Supervisor)) {
        case ReviewLevel::Supervisor: out.supervisor = true; break;
        case ReviewLevel::Inspector: out.inspector = true; break;
        case ReviewLevel::ChiefInspector: out.chiefInspector = true; break;
        }
    }
    return out;
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

std::optional<ReviewDue> nextReviewDue(const Incident& incident, const ReviewClock& clock, const RulesConfig& rules)
{
    const LifecycleState s = incident.state;
    const bool open = s == LifecycleState::Approved || s == LifecycleState::UnderInvestigation;
    const Logged log = logged(incident);
    if (incident.flags.seriousSexualOffence && (open || s == LifecycleState::Submitted)) {
        if (!log.supervisor)
            return ReviewDue{clock.started + hours(rules.ssoSupervisorHours), ReviewLevel::Supervisor,
                             plural(rules.ssoSupervisorHours, "hour")
                                 + " after the 124D was started (serious sexual offence)"};
        if (!log.inspector)
            return ReviewDue{clock.started + days(rules.ssoInspectorDays), ReviewLevel::Inspector,
                             plural(rules.ssoInspectorDays, "day") + " after the 124D was started (serious sexual offence)"};
        if (!log.chiefInspector)
            return ReviewDue{clock.started + days(rules.ssoChiefInspectorDays), ReviewLevel::ChiefInspector,
                             plural(rules.ssoChiefInspectorDays, "day")
                                 + " after the 124D was started (serious sexual offence)"};
        return ReviewDue{*log.last + days(rules.ssoThenEveryDays), ReviewLevel::ChiefInspector,
                         plural(rules.ssoThenEveryDays, "day") + " after the last review (serious sexual offence)"};
    }
    if (!open)
        return std::nullopt;
    if (log.last && *log.last >= clock.stateSince)
        return ReviewDue{*log.last + days(rules.reviewEveryDays), ReviewLevel::Supervisor,
                         plural(rules.reviewEveryDays, "day") + " after the last review"};
    return ReviewDue{clock.stateSince + days(rules.reviewEveryDays), ReviewLevel::Supervisor,
                     plural(rules.reviewEveryDays, "day") + " after it was "
                         + (s == LifecycleState::Approved ? "approved" : "allocated for investigation")};
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
