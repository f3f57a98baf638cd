#include "core/risk/MaracRules.h"

#include <algorithm>

#include "core/risk/Dates.h"
#include "core/risk/PersonMatch.h"

namespace vigil {

namespace {

std::string plural(long long n, std::string_view one, std::string_view many)
{
    return std::to_string(n) + " " + std::string{n == 1 ? one : many};
}

constexpr std::string_view kAnswersBasis = "the answers in this assessment";

}  // namespace

std::string_view toString(MaracCriterionKind kind) noexcept
{
    switch (kind) {
    case MaracCriterionKind::VisibleHighRisk: return "visible_high_risk";
    case MaracCriterionKind::ProfessionalJudgement: return "professional_judgement";
    case MaracCriterionKind::PotentialEscalation: return "potential_escalation";
    case MaracCriterionKind::RepeatMarac: return "repeat_marac";
    case MaracCriterionKind::AutomaticFlag: return "automatic_flag";
    case MaracCriterionKind::CrimesThreshold: return "crimes_threshold";
    }
    return "unknown";
}

bool MaracAssessment::has(MaracCriterionKind kind) const noexcept
{
    return std::any_of(criteria.begin(), criteria.end(), [kind](const MaracCriterion& c) { return c.kind == kind; });
}

bool incidentFlagSet(const IncidentFlags& flags, std::string_view name) noexcept
{
    if (name == "repeat_victim") return flags.repeatVictim;
    if (name == "hbv") return flags.hbv;
    if (name == "forced_marriage") return flags.forcedMarriage;
    if (name == "fgm") return flags.fgm;
    if (name == "stalking") return flags.stalking;
    if (name == "police_staff_involved") return flags.policeStaffInvolved;
    if (name == "disability") return flags.disability;
    if (name == "lgbt") return flags.lgbt;
    return false;
}

std::string flagLabel(std::string_view name)
{
    if (name == "hbv") return "Honour-based violence";
    if (name == "forced_marriage") return "Forced marriage";
    if (name == "fgm") return "FGM";
    if (name == "stalking") return "Stalking";
    if (name == "repeat_victim") return "Repeat victim";
    if (name == "police_staff_involved") return "Police staff involved";
    if (name == "disability") return "Disability";
    if (name == "lgbt") return "LGBT";
    return std::string{name};
}

VictimHistoryFacts collectVictimHistory(const Person& victim, std::string_view currentIncidentId,
                                        std::chrono::sys_days incidentDate, const History& history,
                                        const RulesConfig& rules, std::chrono::sys_seconds now)
{
    VictimHistoryFacts facts;
    const NormalisedPerson me = normalisePerson(victim);
    for (const HistoryIncident& h : history.incidents) {
        if (!h.domesticAbuse || (!currentIncidentId.empty() && h.id == currentIncidentId))
            continue;
        if (daysBetween(h.date, incidentDate) < 0)
            continue;  // after this incident: not history for it
        const bool mine = std::any_of(h.victims.begin(), h.victims.end(), [&me](const Person& p) {
            return matchPersons(me, normalisePerson(p)) != MatchBasis::None;
        });
        if (!mine)
            continue;
        ++facts.earlierIncidents;
        if (h.policeCallOut && withinDaysBefore(h.date, incidentDate, rules.escalationWindowDays))
            ++facts.callOutsInWindow;
        if (h.crime && withinDaysBefore(h.date, incidentDate, rules.crimesRuleWindowDays))
            ++facts.crimesInWindow;
        if (withinDaysBefore(h.date, incidentDate, rules.repeatVictimWindowDays))
            facts.repeatIncidentIds.push_back(h.id);
    }
    for (const HistoryMaracReferral& m : history.maracReferrals) {
        if (daysBetween(m.date, incidentDate) < 0)
            continue;
        if (matchPersons(me, normalisePerson(m.victim)) == MatchBasis::None)
            continue;
        ++facts.earlierReferrals;
        if (!facts.lastReferral || m.date > *facts.lastReferral)
            facts.lastReferral = m.date;
    }
    facts.basis = plural(facts.earlierIncidents, "earlier incident", "earlier incidents") + " and "
                  + plural(facts.earlierReferrals, "MARAC referral", "MARAC referrals") + " for this victim known to "
                  + history.source.description + ", " + describeSync(history.source, now);
    return facts;
}

RepeatVictimResult assessRepeatVictim(const VictimHistoryFacts& facts, const Incident& incident, const RulesConfig& rules)
{
    RepeatVictimResult result;
    result.basis = facts.basis;
    result.earlierIncidentIds = facts.repeatIncidentIds;
    if (!facts.repeatIncidentIds.empty()) {
        result.repeat = true;
        result.reason = plural(static_cast<long long>(facts.repeatIncidentIds.size()), "earlier domestic abuse incident",
                               "earlier domestic abuse incidents")
                        + " for this victim in the " + std::to_string(rules.repeatVictimWindowDays)
                        + " days before this one";
    } else if (incident.flags.repeatVictim) {
        // The officer may know what the device does not (a partial history).
        result.repeat = true;
        result.reason = "Marked as a repeat victim by the officer";
    } else {
        result.reason = "No earlier domestic abuse incident for this victim in the "
                        + std::to_string(rules.repeatVictimWindowDays) + " days before this one";
    }
    return result;
}

MaracAssessment assessMarac(const MaracInputs& in)
{
    MaracAssessment out;
    const int threshold = in.model.highRiskThreshold();
    if (in.score.yesCount >= threshold)
        out.criteria.push_back({MaracCriterionKind::VisibleHighRisk,
                                plural(in.score.yesCount, "Yes answer", "Yes answers") + " in the " + in.model.shortTitle()
                                    + " (visible high risk starts at " + std::to_string(threshold) + ")",
                                std::string{kAnswersBasis}});

    if (in.victim.marac.professionalJudgement) {
        const std::string& why = in.victim.marac.professionalJudgementReason;
        out.criteria.push_back({MaracCriterionKind::ProfessionalJudgement,
                                "Referred on professional judgement" + (why.empty() ? std::string{} : ": " + why),
                                "the officer's judgement"});
    } else if (in.effective == RiskGrade::High && in.score.computed < RiskGrade::High) {
        const std::string& why =
            in.victim.supervisorGrade.grade ? in.victim.supervisorGrade.reason : in.victim.officerGrade.reason;
        out.criteria.push_back({MaracCriterionKind::ProfessionalJudgement,
                                "Graded High on professional judgement above the computed "
                                    + std::string{gradeLabel(in.score.computed)} + (why.empty() ? std::string{} : ": " + why),
                                "the officer's judgement"});
    }

    const int callOuts = in.facts.callOutsInWindow + 1;  // this incident is a call-out too
    if (callOuts >= in.rules.escalationCallOuts)
        out.criteria.push_back({MaracCriterionKind::PotentialEscalation,
                                plural(callOuts, "police call-out", "police call-outs") + " for domestic abuse in the "
                                    + std::to_string(in.rules.escalationWindowDays) + " days to "
                                    + formatIsoDate(in.incidentDate) + ", counting this one (the rule is "
                                    + std::to_string(in.rules.escalationCallOuts) + " or more)",
                                in.facts.basis});

    if (in.facts.lastReferral && withinDaysBefore(*in.facts.lastReferral, in.incidentDate, in.rules.repeatMaracWindowDays))
        out.criteria.push_back({MaracCriterionKind::RepeatMarac,
                                "New incident " + plural(daysBetween(*in.facts.lastReferral, in.incidentDate), "day", "days")
                                    + " after this victim's MARAC referral on " + formatIsoDate(*in.facts.lastReferral)
                                    + " (within " + std::to_string(in.rules.repeatMaracWindowDays) + " days)",
                                in.facts.basis});

    for (const std::string& flag : in.rules.automaticMaracFlags) {
        if (!incidentFlagSet(in.incident.flags, flag))
            continue;
        out.criteria.push_back({MaracCriterionKind::AutomaticFlag,
                                flagLabel(flag) + " is an automatic MARAC referral", "the flags on this record"});
        out.referralForced = true;
    }

    if (in.rules.crimesRuleEnabled) {
        const int crimes = in.facts.crimesInWindow + (in.incident.crime.value_or(false) ? 1 : 0);
        if (crimes >= in.rules.crimesRuleCount)
            out.criteria.push_back({MaracCriterionKind::CrimesThreshold,
                                    plural(crimes, "crime", "crimes") + " against this victim in the "
                                        + std::to_string(in.rules.crimesRuleWindowDays) + " days to "
                                        + formatIsoDate(in.incidentDate) + ", counting this one (the rule is "
                                        + std::to_string(in.rules.crimesRuleCount) + " or more)",
                                    in.facts.basis});
    }
    return out;
}

}  // namespace vigil
