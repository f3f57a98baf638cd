#include "core/records/RiskMeeting.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "core/records/Hlc.h"
#include "core/risk/Dates.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RiskScorer.h"

namespace vigil {

namespace {

using std::chrono::sys_seconds;

constexpr LifecycleState kDiscussed[] = {LifecycleState::Submitted, LifecycleState::Returned, LifecycleState::Approved,
                                         LifecycleState::UnderInvestigation};

std::int64_t toMs(sys_seconds at)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

/// The incident's typed date as a UTC instant: the start of the typed minute, or of the typed
/// day when no time was typed. nullopt when it is missing, not a date, or after `now` (a typing
/// slip that would otherwise hide the 124D from the window).
struct TypedTime {
    sys_seconds start{};
    bool dayOnly = false;
};

std::optional<TypedTime> typedTime(std::string_view text, const RiskMeetingOptions& options)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    const auto parsed = parseIsoDateTime(text);
    if (!parsed)
        return std::nullopt;
    TypedTime out{*parsed - std::chrono::minutes(options.localOffsetMinutes), text.find('T') == std::string_view::npos};
    if (out.start > options.now)
        return std::nullopt;
    return out;
}

/// The stamp of a field's last write, else of the row's last change, in ms.
std::int64_t stampMs(const RecordRow& row, const std::string& field)
{
    const auto stamp = row.stamps.find(field);
    return static_cast<std::int64_t>(hlcMillis(stamp != row.stamps.end() ? stamp->second.hlc : row.updatedHlc));
}

struct Graded {
    std::vector<MeetingVictim> victims;
    std::optional<StandingGrade> standing;
    std::size_t standingVictim = 0;
    std::optional<RiskGrade> standingComputed;  ///< that victim's band (nullopt: no answers scored)
};

/// Each victim's standing grade from the answers and the decisions (no history needed).
Graded grade(const Incident& incident, const RiskModelRegistry& models)
{
    Graded out;
    for (std::size_t v = 0; v < incident.victims.size(); ++v) {
        const Victim& victim = incident.victims[v];
        std::optional<RiskGrade> computed;
        if (!victim.dash.answers.empty()) {
            // A model this device lacks scores nothing: only the decisions count then.
            if (auto score = scoreAssessment(victim.dash, models))
                computed = score->computed;
        }
        const auto standing = standingGrade(computed, victim.officerGrade, victim.supervisorGrade);
        out.victims.push_back(MeetingVictim{personInitials(victim.person.name),
                                            standing ? std::optional<RiskGrade>(standing->grade) : std::nullopt});
        if (standing && (!out.standing || outranks(*standing, *out.standing))) {
            out.standing = standing;
            out.standingVictim = v;
            out.standingComputed = computed;
        }
    }
    return out;
}

bool meetingBefore(const MeetingRow& a, const MeetingRow& b) noexcept
{
    if (a.atMs != b.atMs)
        return a.atMs < b.atMs;
    return a.id < b.id;
}

}  // namespace

bool discussedAtMeeting(LifecycleState state) noexcept
{
    return std::find(std::begin(kDiscussed), std::end(kDiscussed), state) != std::end(kDiscussed);
}

Result<RiskMeeting> readRiskMeeting(IncidentRepository& repo, RecordStore& store, const RiskModelRegistry& models,
                                    const RulesConfig& rules, const HistorySource& source,
                                    const RiskMeetingOptions& options)
{
    RiskMeeting out;
    out.now = options.now;
    out.from = options.now - options.window;
    // Which 124Ds could be on the sheet, from a few fields of each row (a borough's ~40,000
    // open 124Ds are never all read whole): a suspect possibly outstanding (a power of arrest
    // not recorded as absent, an arrest not recorded as made), or a typed date that is missing,
    // unreadable or within a day of the window (the typed time's zone and a typed day are
    // settled below on the whole record). Everything below decides on the whole 124D exactly.
    std::vector<std::string> states;
    for (const LifecycleState state : kDiscussed)
        states.emplace_back(toString(state));
    const sys_seconds nearFrom = out.from - std::chrono::hours(24) - std::chrono::minutes(std::abs(options.localOffsetMinutes));
    std::vector<std::string> candidates;
    VIGIL_TRY(store.forEachLiveRow(
        Entity::Incident, states, {"incident.date", "positive_action.power_of_arrest", "positive_action.arrest_made"},
        [&](RecordRow&& row) {
            const auto& power = row.field("positive_action.power_of_arrest");
            const auto& arrest = row.field("positive_action.arrest_made");
            const bool maybeOutstanding = !(power.is_boolean() && !power.get<bool>()) && !(arrest.is_boolean() && arrest.get<bool>());
            const auto& date = row.field("incident.date");
            std::optional<sys_seconds> typed;
            if (date.is_string())
                typed = parseIsoDateTime(date.get<std::string>());
            // Only a readable date well before the window rules a High out here.
            const bool maybeInWindow = !typed || *typed >= nearFrom;
            if (maybeOutstanding || maybeInWindow)
                candidates.push_back(row.id);
        }));
    std::sort(candidates.begin(), candidates.end());

    for (const std::string& id : candidates) {
        auto incident = repo.read(id);
        if (!incident)
            return std::move(incident).error();
        if (!discussedAtMeeting(incident->state))
            continue;  // the index and the row disagree: trust the row

        const auto typed = typedTime(incident->date, options);
        const PositiveAction& action = incident->positiveAction;
        const bool outstanding = action.powerOfArrest == true && action.arrestMade != true;
        Graded graded = grade(*incident, models);
        const bool high = graded.standing && graded.standing->grade == RiskGrade::High;
        if (!high && !outstanding)
            continue;

        // Only a usable date decides without the stored row; otherwise its stamps place the 124D.
        std::optional<RecordRow> stored;
        if (!typed) {
            auto row = store.get(Entity::Incident, incident->id);
            if (!row)
                return std::move(row).error();
            stored = std::move(*row);
            if (!stored)
                continue;  // removed since it was read (cannot happen on the store thread)
        }
        const std::int64_t fromMs = toMs(out.from);
        const std::int64_t nowMs = toMs(options.now);
        bool inWindow = false;
        std::int64_t highAtMs = 0;
        if (high && typed) {
            highAtMs = toMs(typed->start);
            const std::int64_t endMs = typed->dayOnly ? highAtMs + 24LL * 3600 * 1000 : highAtMs;
            // A typed time is in when it lies in [from, now]; a typed day when any of it does.
            inWindow = (typed->dayOnly ? endMs > fromMs : highAtMs >= fromMs) && highAtMs <= nowMs;
        } else if (high && stored) {
            highAtMs = stampMs(*stored, "state");  // submitted, or a later state: at or after submission
            inWindow = highAtMs >= fromMs;          // a stamp a little ahead of this clock is "just now"
        }
        if (!inWindow && !outstanding)
            continue;

        MeetingRow row;
        row.id = incident->id;
        row.state = incident->state;
        row.officer = incident->owner;
        row.team = incident->team;
        row.occurred = incident->date;
        row.cad = incident->refs.cad;
        row.cris = incident->refs.cris;
        row.victims = std::move(graded.victims);
        if (graded.standing) {
            const Victim& standingVictim = incident->victims[graded.standingVictim];
            row.standing = graded.standing->grade;
            row.computed = graded.standingComputed;
            row.officerGrade = standingVictim.officerGrade.grade;
            row.supervisorGrade = standingVictim.supervisorGrade.grade;
        }
        row.children = static_cast<int>(incident->children.size());
        row.hbv = incident->flags.hbv;
        row.forcedMarriage = incident->flags.forcedMarriage;
        row.restricted = incident->restricted();
        row.suspects = static_cast<int>(incident->suspects.size());
        row.arrestMade = action.arrestMade;
        row.noArrestJustification = action.noArrestJustification.find_first_not_of(" \t\r\n") != std::string::npos;

        // MARAC criteria need the victims' history: read only for the rows on the sheet.
        auto history = repo.historyForIncident(*incident, source);
        if (!history)
            return std::move(history).error();
        const RuleContext context{models, rules, *history, options.now};
        const auto day = parseIsoDate(incident->date);
        for (std::size_t v = 0; v < incident->victims.size(); ++v) {
            auto ev = evaluateVictimAt(*incident, v, context, day);
            if (ev)  // else an assessment under a model this device lacks: no criteria known
                row.maracCriteria += static_cast<int>(ev->marac.criteria.size());
        }

        if (inWindow) {
            MeetingRow highRow = row;
            highRow.atMs = highAtMs;
            highRow.timeFromRecord = !typed;
            out.highRisk.push_back(std::move(highRow));
        }
        if (outstanding) {
            if (typed) {
                row.atMs = toMs(typed->start);
            } else {
                row.atMs = static_cast<std::int64_t>(hlcMillis(stored->createdHlc));  // when the 124D was started
                row.timeFromRecord = true;
            }
            out.suspects.push_back(std::move(row));
        }
    }
    std::sort(out.highRisk.begin(), out.highRisk.end(), meetingBefore);
    std::sort(out.suspects.begin(), out.suspects.end(), meetingBefore);
    return out;
}

}  // namespace vigil
