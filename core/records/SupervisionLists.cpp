#include "core/records/SupervisionLists.h"

#include <algorithm>
#include <map>

#include "core/records/Hlc.h"
#include "core/risk/Dates.h"

namespace vigil {

namespace {

std::string text(const RecordRow& row, const char* field)
{
    const auto& v = row.field(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

std::chrono::sys_seconds secondsOf(HlcStamp stamp)
{
    return std::chrono::sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(hlcMillis(stamp) / 1000)));
}

}  // namespace

ReviewClock reviewClockOf(const RecordRow& incidentRow)
{
    ReviewClock clock;
    clock.started = secondsOf(incidentRow.createdHlc);
    const auto state = incidentRow.stamps.find("state");
    clock.stateSince = state != incidentRow.stamps.end() ? secondsOf(state->second.hlc) : clock.started;
    return clock;
}

Result<std::vector<ReviewDueRow>> readReviewsDue(RecordStore& store, const RulesConfig& rules,
                                                 std::chrono::sys_seconds now)
{
    const std::vector<std::string> states{"submitted", "approved", "under_investigation"};
    // A borough holds ~40,000 of these: each row is read once and only what the list shows is
    // kept (the log first, so each 124D's cadence is known when its row goes past).
    std::map<std::string, std::vector<SupervisionEntry>> byIncident;
    VIGIL_TRY(store.forEachLiveRow(Entity::Supervision, states, {}, [&byIncident](RecordRow&& row) {
        byIncident[row.incidentId].push_back(supervisionEntryFromRow(row));
    }));

    std::vector<ReviewDueRow> out;
    VIGIL_TRY(store.forEachLiveRow(
        Entity::Incident, states,
        {"state", "flags.serious_sexual_offence", "flags.police_staff_involved", "incident.owner", "incident.team",
         "incident.date", "refs.cad", "refs.cris"},
        [&](RecordRow&& row) {
            Incident incident;  // only what the cadence reads: state, the flag, the log
            incident.id = row.id;
            incident.state = lifecycleStateFromString(text(row, "state")).value_or(LifecycleState::Draft);
            const auto& sso = row.field("flags.serious_sexual_offence");
            incident.flags.seriousSexualOffence = sso.is_boolean() && sso.get<bool>();
            if (auto it = byIncident.find(row.id); it != byIncident.end())
                incident.supervision = std::move(it->second);
            auto due = nextReviewDue(incident, reviewClockOf(row), rules);
            if (!due)
                return;
            ReviewDueRow r;
            r.id = row.id;
            r.officer = text(row, "incident.owner");
            r.team = text(row, "incident.team");
            r.occurred = text(row, "incident.date");
            r.cad = text(row, "refs.cad");
            r.cris = text(row, "refs.cris");
            r.state = incident.state;
            r.seriousSexualOffence = incident.flags.seriousSexualOffence;
            const auto& restricted = row.field("flags.police_staff_involved");
            r.restricted = restricted.is_boolean() && restricted.get<bool>();
            r.due = std::move(*due);
            for (const SupervisionEntry& e : incident.supervision) {
                if (e.kind == "review" && e.at >= r.lastReviewAt) {
                    r.lastReviewAt = e.at;
                    r.lastReviewBy = e.by;
                }
            }
            out.push_back(std::move(r));
        }));
    // Victims' initials, as the home list shows them: in the order of their ordinals, then of
    // creation; only three fields of each person row are read.
    if (!out.empty()) {
        struct Named {
            std::int64_t ordinal;
            HlcStamp created;
            std::string initials;
        };
        std::map<std::string, std::vector<Named>> victims;
        VIGIL_TRY(store.forEachLiveRow(Entity::Person, states, {"role", "ordinal", "person.name"}, [&victims](RecordRow&& row) {
            if (text(row, "role") != "victim")
                return;
            const auto& ordinal = row.field("ordinal");
            victims[row.incidentId].push_back(Named{ordinal.is_number_integer() ? ordinal.get<std::int64_t>() : 0,
                                                    row.createdHlc, personInitials(text(row, "person.name"))});
        }));
        for (auto& r : out) {
            auto it = victims.find(r.id);
            if (it == victims.end())
                continue;
            std::sort(it->second.begin(), it->second.end(), [](const Named& a, const Named& b) {
                return a.ordinal != b.ordinal ? a.ordinal < b.ordinal : a.created < b.created;
            });
            for (auto& v : it->second)
                r.initials.push_back(std::move(v.initials));
        }
    }
    std::sort(out.begin(), out.end(), [now](const ReviewDueRow& a, const ReviewDueRow& b) {
        const bool ao = a.overdue(now);
        const bool bo = b.overdue(now);
        if (ao != bo)
            return ao;
        if (a.due.due != b.due.due)
            return a.due.due < b.due.due;  // overdue: the longest overdue first; else the soonest
        return a.id < b.id;
    });
    return out;
}

int OfficerQa::returnRatePercent() const noexcept
{
    const int n = checked();
    return n == 0 ? 0 : (returned * 100 + n / 2) / n;
}

Result<QaReturnsReport> readQaReturns(RecordStore& store, std::chrono::sys_seconds from, std::chrono::sys_seconds to)
{
    // The QA entries of the period, read one at a time (a borough's log holds one or more
    // entries for each of its 50,000 incidents).
    std::vector<std::pair<std::string, SupervisionEntry>> inPeriod;  // (incident, entry)
    VIGIL_TRY(store.forEachLiveRow(Entity::Supervision, {}, {}, [&](RecordRow&& row) {
        SupervisionEntry e = supervisionEntryFromRow(row);
        if (e.kind != "qa")
            return;
        const auto at = parseIsoDateTime(e.at);
        if (!at || *at < from || *at >= to)
            return;
        inPeriod.emplace_back(row.incidentId, std::move(e));
    }));
    QaReturnsReport report;
    std::map<std::string, OfficerQa> officers;
    std::map<std::string, std::map<std::string, int>> sections;
    std::map<std::string, std::pair<std::string, std::string>> owners;  // incident -> (officer, team)
    for (const auto& [incidentId, e] : inPeriod) {
        auto owner = owners.find(incidentId);
        if (owner == owners.end()) {
            auto incident = store.get(Entity::Incident, incidentId);
            if (!incident)
                return std::move(incident).error();
            std::pair<std::string, std::string> who;
            if (*incident)
                who = {text(**incident, "incident.owner"), text(**incident, "incident.team")};
            owner = owners.emplace(incidentId, std::move(who)).first;
        }
        const auto& [officer, team] = owner->second;
        OfficerQa& o = officers[officer];
        o.officer = officer;
        o.team = team;
        if (e.outcome == "returned") {
            ++o.returned;
            for (const auto& s : e.sections)
                ++sections[officer][s];
            report.returns.push_back(QaReturn{incidentId, officer, team, e.at, e.by, e.notes, e.sections});
        } else if (e.outcome == "approved") {
            ++o.approved;
        }
    }
    for (auto& [name, o] : officers) {
        for (const auto& [section, n] : sections[name])
            o.sections.emplace_back(section, n);
        std::stable_sort(o.sections.begin(), o.sections.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        report.officers.push_back(std::move(o));
    }
    std::stable_sort(report.officers.begin(), report.officers.end(), [](const OfficerQa& a, const OfficerQa& b) {
        if (a.returnRatePercent() != b.returnRatePercent())
            return a.returnRatePercent() > b.returnRatePercent();
        return a.returned > b.returned;
    });
    std::sort(report.returns.begin(), report.returns.end(),
              [](const QaReturn& a, const QaReturn& b) { return a.at > b.at; });
    return report;
}

}  // namespace vigil
