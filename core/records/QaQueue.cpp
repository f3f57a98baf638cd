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

Result<std::vector<QaRow>> readQaQueue(IncidentRepository& repo, RecordStore& store, const RiskModelRegistry& models,
                                       const RulesConfig& rules, const HistorySource& source,
                                       std::chrono::sys_seconds now)
{
    auto counts = repo.countsByState();
    if (!counts)
        return std::move(counts).error();
    const auto submitted = counts->count(LifecycleState::Submitted) ? counts->at(LifecycleState::Submitted) : 0;
    std::vector<QaRow> out;
    if (submitted == 0)
        return out;
    auto summaries = repo.list(static_cast<std::size_t>(submitted), nullptr, ListScope{{LifecycleState::Submitted}, 0});
    if (!summaries)
        return std::move(summaries).error();
    out.reserve(summaries->size());
    for (const IncidentSummary& summary : *summaries) {
        auto incident = repo.read(summary.id);
        if (!incident)
            return std::move(incident).error();
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
        row.initials = summary.victimInitials;
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
        auto stored = store.get(Entity::Incident, incident->id);
        if (!stored)
            return std::move(stored).error();
        if (*stored) {
            const auto stamp = (*stored)->stamps.find("state");
            if (stamp != (*stored)->stamps.end())
                row.submittedAtMs = static_cast<std::int64_t>(hlcMillis(stamp->second.hlc));
        }
        out.push_back(std::move(row));
    }
    std::sort(out.begin(), out.end(), qaBefore);
    return out;
}

}  // namespace vigil
