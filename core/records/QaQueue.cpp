#include "core/records/QaQueue.h"

#include <algorithm>

#include "core/records/Hlc.h"
#include "core/risk/RiskEngine.h"

namespace vigil {

namespace {

void raise(std::optional<RiskGrade>& to, std::optional<RiskGrade> grade)
{
    if (grade && (!to || *grade > *to))
        to = grade;
}

}  // namespace

bool qaBefore(const QaRow& a, const QaRow& b) noexcept
{
    if (a.standing != b.standing)
        return a.standing > b.standing;
    if (a.submittedAtMs != b.submittedAtMs)
        return a.submittedAtMs < b.submittedAtMs;
    return a.id < b.id;
}

Result<std::vector<QaRow>> readQaQueue(IncidentRepository& repo, const RiskModelRegistry& models, const RulesConfig& rules,
                                       const HistorySource& source, std::chrono::sys_seconds now)
{
    // Every submitted 124D in a few reads (not five and a list line each), then each one's
    // history and rules.
    auto submitted = repo.readAllIn(LifecycleState::Submitted);
    if (!submitted)
        return std::move(submitted).error();
    std::vector<QaRow> out;
    out.reserve(submitted->size());
    for (const StateIncident& read : *submitted) {
        const Incident* incident = &read.incident;
        QaRow row;
        row.id = incident->id;
        row.officer = incident->owner;
        row.team = incident->team;
        row.occurred = incident->date;
        row.children = static_cast<int>(incident->children.size());
        row.hbv = incident->flags.hbv;
        row.forcedMarriage = incident->flags.forcedMarriage;
        row.restricted = incident->restricted();
        row.cad = incident->refs.cad;
        row.cris = incident->refs.cris;
        row.initials = read.victimInitials;
        auto history = repo.historyForIncident(*incident, source);
        if (!history)
            return std::move(history).error();
        const RuleContext context{models, rules, *history, now};
        for (std::size_t v = 0; v < incident->victims.size(); ++v) {
            const Victim& victim = incident->victims[v];
            raise(row.officerGrade, victim.officerGrade.grade);
            auto ev = evaluateVictim(*incident, v, context);
            if (!ev)
                continue;  // an assessment under a model this device lacks: graded by the officer only
            if (!victim.dash.answers.empty())
                raise(row.computed, ev->score.computed);
            row.maracCriteria += static_cast<int>(ev->marac.criteria.size());
        }
        row.standing = std::max(row.computed.value_or(RiskGrade::Standard), row.officerGrade.value_or(RiskGrade::Standard));
        if (read.stateStamp != 0)
            row.submittedAtMs = static_cast<std::int64_t>(hlcMillis(read.stateStamp));
        out.push_back(std::move(row));
    }
    std::sort(out.begin(), out.end(), qaBefore);
    return out;
}

}  // namespace vigil
