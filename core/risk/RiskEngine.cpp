#include "core/risk/RiskEngine.h"

#include "core/risk/Dates.h"

namespace vigil {

std::string victimPath(std::size_t index)
{
    return "victims[" + std::to_string(index) + "]";
}

Result<VictimEvaluation> evaluateVictimAt(const Incident& incident, std::size_t victimIndex, const RuleContext& context,
                                          std::optional<std::chrono::sys_days> incidentDate)
{
    if (victimIndex >= incident.victims.size())
        return makeError(ErrorCode::InvalidArgument, "There is no victim number " + std::to_string(victimIndex + 1)
                                                         + " on this 124D: choose a victim from the list.",
                         "victims");
    const Victim& victim = incident.victims[victimIndex];
    const RiskModel* model = context.models.find(victim.dash.modelId, victim.dash.modelVersion);
    if (model == nullptr)
        return makeError(ErrorCode::NotFound,
                         "The risk assessment for this victim uses risk model \"" + victim.dash.modelId + "\" version \""
                             + victim.dash.modelVersion
                             + "\", which is not installed on this device: start the checklist again or update Vigil.",
                         victimPath(victimIndex) + ".dash.model");
    auto score = scoreAssessment(victim.dash, *model);
    if (!score.ok())
        return std::move(score).error();

    VictimEvaluation out;
    out.score = std::move(*score);
    out.specssFactors = out.score.specssFactors;
    out.effective = effectiveGrade(out.score.computed, victim.officerGrade, victim.supervisorGrade);

    VictimHistoryFacts facts;
    std::chrono::sys_days day{};
    if (incidentDate) {
        day = *incidentDate;
        facts = collectVictimHistory(victim.person, incident.id, day, context.history, context.rules, context.now);
    } else {
        facts.basis = "history not consulted: the incident date is missing or not a date";
    }
    out.repeatVictim = assessRepeatVictim(facts, incident, context.rules);
    MaracAssessment marac = assessMarac(MaracInputs{incident, victim, day, out.score, *model, out.effective,
                                                    facts, context.rules});
    if (!incidentDate) {
        // Without a date the history windows cannot be applied; keep only criteria that do not
        // depend on them (the current call-out alone may still meet a threshold of 1).
        std::erase_if(marac.criteria, [](const MaracCriterion& c) {
            return c.kind == MaracCriterionKind::PotentialEscalation || c.kind == MaracCriterionKind::RepeatMarac
                   || c.kind == MaracCriterionKind::CrimesThreshold;
        });
    }
    out.marac = std::move(marac);
    return out;
}

Result<VictimEvaluation> evaluateVictim(const Incident& incident, std::size_t victimIndex, const RuleContext& context)
{
    const auto day = parseIsoDate(incident.date);
    if (!day)
        return makeError(ErrorCode::Validation,
                         "The incident date \"" + incident.date
                             + "\" is not a date: enter it as YYYY-MM-DD so the 12-month history can be checked.",
                         "incident.date");
    return evaluateVictimAt(incident, victimIndex, context, day);
}

Result<IncidentEvaluation> evaluateIncident(const Incident& incident, const RuleContext& context)
{
    IncidentEvaluation out;
    out.restricted = incident.restricted();
    out.victims.reserve(incident.victims.size());
    for (std::size_t i = 0; i < incident.victims.size(); ++i) {
        auto v = evaluateVictim(incident, i, context);
        if (!v.ok())
            return std::move(v).error();
        out.victims.push_back(std::move(*v));
    }
    return out;
}

}  // namespace vigil
