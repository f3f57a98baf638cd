#include "core/risk/SubmissionValidator.h"

#include <algorithm>
#include <set>

#include "core/common/Text.h"
#include "core/risk/Dates.h"
#include "core/risk/PersonMatch.h"

namespace vigil {

namespace {

/// Collects field errors in the order a reader meets the form.
class Collector {
public:
    void add(std::string field, std::string message)
    {
        m_errors.push_back(makeError(ErrorCode::Validation, std::move(message), std::move(field)));
    }
    void add(Error error) { m_errors.push_back(std::move(error)); }
    [[nodiscard]] std::vector<Error> take() { return std::move(m_errors); }

private:
    std::vector<Error> m_errors;
};

std::string referenceLabel(std::string_view name)
{
    if (name == "cad") return "CAD";
    if (name == "cris") return "CRIS";
    if (name == "crimint") return "CRIMINT";
    if (name == "merlin_pac") return "MERLIN PAC";
    return std::string{name};
}

void checkIncident(const Incident& incident, const RuleContext& context, std::optional<std::chrono::sys_days>& day,
                   Collector& out)
{
    if (isBlank(incident.date)) {
        out.add("incident.date", "Enter the date of the incident (YYYY-MM-DD).");
    } else if (day = parseIsoDate(incident.date); !day) {
        out.add("incident.date", "The incident date \"" + incident.date + "\" is not a date: enter it as YYYY-MM-DD.");
    } else if (*day > std::chrono::floor<std::chrono::days>(context.now)) {
        out.add("incident.date", "The incident date " + formatIsoDate(*day)
                                     + " is in the future: check the date (and the device clock).");
    }
    if (!incident.crime)
        out.add("incident.crime", "Say whether this is a crime or a non-crime domestic incident.");

    if (incident.crime.value_or(false) && isBlank(incident.refs.cris))
        out.add("refs.cris", "This is recorded as a crime: enter the CRIS crime report number.");
    if (incident.hasChildrenInHousehold() && isBlank(incident.refs.merlinPac))
        out.add("refs.merlin_pac", "There are children in the household: create the MERLIN PAC and enter its reference.");

    const std::pair<std::string_view, const std::string*> refs[] = {{"cad", &incident.refs.cad},
                                                                    {"cris", &incident.refs.cris},
                                                                    {"crimint", &incident.refs.crimint},
                                                                    {"merlin_pac", &incident.refs.merlinPac}};
    for (const auto& [name, value] : refs) {
        if (isBlank(*value))
            continue;
        const auto format = context.rules.referenceFormats.find(name);
        if (format == context.rules.referenceFormats.end() || !format->second.regex)
            continue;
        if (!std::regex_match(*value, *format->second.regex))
            out.add("refs." + std::string{name}, "The " + referenceLabel(name) + " reference \"" + *value
                                                     + "\" is not in the expected format: it should look like "
                                                     + format->second.example + ".");
    }

    const PositiveAction& pa = incident.positiveAction;
    if (!pa.powerOfArrest)
        out.add("positive_action.power_of_arrest", "Say whether a power of arrest existed.");
    if (!pa.arrestMade)
        out.add("positive_action.arrest_made", "Say whether an arrest was made.");
    if (pa.powerOfArrest.value_or(false) && pa.arrestMade && !*pa.arrestMade && isBlank(pa.noArrestJustification))
        out.add("positive_action.no_arrest_justification",
                "A power of arrest existed and no arrest was made: write the justification for not arresting.");

    for (std::size_t i = 0; i < incident.children.size(); ++i) {
        const Child& child = incident.children[i];
        const std::string path = "children[" + std::to_string(i) + "]";
        if (!child.age)
            out.add(path + ".age", "Enter the age of each child or dependant (an estimate is fine; say so in the notes).");
        else if (*child.age < 0 || *child.age > 120)
            out.add(path + ".age", "The age " + std::to_string(*child.age) + " is not possible: correct it.");
    }

    if (incident.counterAllegation.present && isBlank(incident.counterAllegation.primaryAggressorNote))
        out.add("counter_allegation.primary_aggressor_note",
                "Both parties allege: note who appears to be the primary aggressor, and why.");

    if (incident.victims.empty())
        out.add("victims", "Add the victim: a 124D needs at least one.");
}

void checkAnswers(const Victim& victim, const RiskModel& model, const std::string& dashPath, Collector& out)
{
    for (const Question& q : model.questions) {
        const auto it = victim.dash.answers.find(q.id);
        const std::string path = dashPath + "." + q.id;
        if (it == victim.dash.answers.end())
            out.add(path, "Question " + std::to_string(q.number) + " has no answer: ask it, or mark it Not asked and say why.");
        else if (it->second.value == AnswerValue::NotAsked && isBlank(it->second.reason))
            out.add(path + ".reason", "Question " + std::to_string(q.number)
                                          + " is marked Not asked: say why (for example, the victim declined).");
    }
    for (const auto& [id, answer] : victim.dash.answers) {
        const Question* q = model.findQuestion(id);
        const std::string path = dashPath + "." + id;
        if (q == nullptr) {
            out.add(path, "\"" + id + "\" is not a question in " + model.displayName()
                              + ": remove this answer or restart the checklist.");
            continue;
        }
        if (!q->group.empty() && answer.value == AnswerValue::NotAsked && isBlank(answer.reason))
            out.add(path + ".reason", "This follow-up question is marked Not asked: say why.");
        for (const std::string& option : answer.options) {
            const bool known = std::any_of(q->options.begin(), q->options.end(),
                                           [&option](const QuestionOption& o) { return o.id == option; });
            if (!known) {
                out.add(path + ".options", "\"" + option + "\" is not one of the choices for this question: untick it.");
                break;
            }
        }
    }
}

std::string criteriaList(const MaracAssessment& marac)
{
    std::string out;
    for (const MaracCriterion& c : marac.criteria) {
        if (!out.empty())
            out += "; ";
        out += c.reason;
    }
    return out;
}

void checkVictim(const Incident& incident, std::size_t index, const RuleContext& context,
                 std::optional<std::chrono::sys_days> day, Collector& out)
{
    const Victim& victim = incident.victims[index];
    const std::string vp = victimPath(index);

    if (isBlank(victim.person.name))
        out.add(vp + ".person.name", "Enter the victim's name.");
    if (!isBlank(victim.person.dateOfBirth) && !parseIsoDate(victim.person.dateOfBirth))
        out.add(vp + ".person.date_of_birth", "The date of birth \"" + victim.person.dateOfBirth
                                                  + "\" is not a date: enter it as YYYY-MM-DD, or leave it empty if unknown.");

    const std::pair<const char*, const std::optional<bool>*> contact[] = {
        {"phone", &victim.safeContact.phone},
        {"text", &victim.safeContact.text},
        {"voicemail", &victim.safeContact.voicemail},
        {"email", &victim.safeContact.email},
        {"visit", &victim.safeContact.visit}};
    for (const auto& [name, value] : contact)
        if (!value->has_value())
            out.add(vp + ".safe_contact." + name, std::string{"Ask the victim whether it is safe to contact them by "}
                                                       + (std::string_view{name} == "visit" ? "a visit" : name)
                                                       + ", and record the answer.");

    for (std::size_t k = 0; k < victim.rara.size(); ++k) {
        const RaraItem& item = victim.rara[k];
        const std::string rp = vp + ".rara[" + std::to_string(k) + "]";
        if (isBlank(item.description))
            out.add(rp + ".description", "Describe this " + std::string{toString(item.kind)} + " action.");
        if (isBlank(item.owner))
            out.add(rp + ".owner", "Say who owns this action.");
        if (!parseIsoDate(item.dueDate))
            out.add(rp + ".due", "Enter a due date for this action (YYYY-MM-DD).");
    }

    auto evaluation = evaluateVictimAt(incident, index, context, day);
    if (!evaluation.ok()) {
        Error e = std::move(evaluation).error();
        e.code = ErrorCode::Validation;
        out.add(std::move(e));
        return;  // without the model the answers, grade and MARAC cannot be checked
    }
    const RiskModel& model = *context.models.find(victim.dash.modelId, victim.dash.modelVersion);
    checkAnswers(victim, model, vp + ".dash", out);

    const std::string gp = vp + ".grade";
    if (auto s = checkOfficerGrade(evaluation->score.computed, victim.officerGrade, gp); !s.ok())
        out.add(std::move(s).error());
    if (auto s = checkSupervisorGrade(evaluation->score.computed, victim.officerGrade, victim.supervisorGrade, gp); !s.ok())
        out.add(std::move(s).error());

    const MaracAssessment& marac = evaluation->marac;
    const MaracDecision& decision = victim.marac;
    const std::string mp = vp + ".marac";
    if (decision.professionalJudgement && isBlank(decision.professionalJudgementReason))
        out.add(mp + ".professional_judgement_reason", "You referred on professional judgement: write why.");
    if (decision.decision == MaracDecisionKind::Undecided && (evaluation->effective == RiskGrade::High || marac.any())) {
        const std::string why = marac.any() ? criteriaList(marac) : "the grade is High";
        out.add(mp + ".decision", "Record the MARAC referral decision (refer or not, and why): " + why + ".");
    } else if (decision.decision == MaracDecisionKind::NotRefer && marac.referralForced) {
        out.add(mp + ".decision", "This must be referred to MARAC: " + criteriaList(marac) + ". Change the decision to Refer.");
    } else if (decision.decision == MaracDecisionKind::NotRefer && isBlank(decision.reason)) {
        out.add(mp + ".reason", "You decided not to refer to MARAC: write why.");
    }
    // The supervisor's decision at review, when they made one.
    if (decision.supervisorDecision == MaracDecisionKind::NotRefer && marac.referralForced) {
        out.add(mp + ".supervisor", "This must be referred to MARAC: " + criteriaList(marac)
                                        + ". Record your decision as Refer.");
    } else if (decision.supervisorDecision != MaracDecisionKind::Undecided
               && ((decision.decision != MaracDecisionKind::Undecided && decision.supervisorDecision != decision.decision)
                   || decision.supervisorDecision == MaracDecisionKind::NotRefer)
               && isBlank(decision.supervisorReason)) {
        out.add(mp + ".supervisor_reason", decision.supervisorDecision == MaracDecisionKind::NotRefer
                                               ? "You decided not to refer to MARAC: write why."
                                               : "Your MARAC decision differs from the officer's: write why.");
    }
}

/// Referrals to partner agencies (DOMAIN.md §7): each from the agency list, dated, for a
/// victim on this 124D.
void checkReferrals(const Incident& incident, const RuleContext& context, Collector& out)
{
    static constexpr std::string_view kAgencies[] = {"marac",           "idva",    "refuge",      "victim_support",
                                                     "social_services", "housing", "hbv_service", "other"};
    const auto today = std::chrono::floor<std::chrono::days>(context.now);
    for (std::size_t i = 0; i < incident.referrals.size(); ++i) {
        const Referral& referral = incident.referrals[i];
        const std::string path = "referrals[" + std::to_string(i) + "]";
        const bool forVictim = std::any_of(incident.victims.begin(), incident.victims.end(),
                                           [&referral](const Victim& v) { return v.id == referral.victimId; });
        if (!forVictim)
            out.add(path, "A referral is for a victim no longer on this 124D: remove it, or add it again for the right victim.");
        if (std::find(std::begin(kAgencies), std::end(kAgencies), referral.agency) == std::end(kAgencies))
            out.add(path + ".agency", isBlank(referral.agency) ? std::string("Choose the agency this referral went to.")
                                                             : "\"" + referral.agency
                                                                   + "\" is not an agency Vigil knows: choose one from the list "
                                                                     "(Other, with a note, when it is not there).");
        else if (referral.agency == "other" && isBlank(referral.notes))
            out.add(path + ".notes", "This referral is to another agency: name the agency in the notes.");
        if (isBlank(referral.date)) {
            out.add(path + ".date", "Enter the date of the referral (YYYY-MM-DD).");
        } else if (auto date = parseIsoDate(referral.date); !date) {
            out.add(path + ".date", "The referral date \"" + referral.date + "\" is not a date: enter it as YYYY-MM-DD.");
        } else if (*date > today + std::chrono::days{1}) {  // a day's grace: the device's calendar may be ahead of UTC
            out.add(path + ".date", "The referral date " + formatIsoDate(*date)
                                        + " is in the future: enter the day the referral was made.");
        }
    }
}

}  // namespace

std::vector<Error> validateSubmission(const Incident& incident, const RuleContext& context)
{
    Collector out;
    std::optional<std::chrono::sys_days> day;
    checkIncident(incident, context, day, out);
    for (std::size_t i = 0; i < incident.victims.size(); ++i)
        checkVictim(incident, i, context, day, out);
    checkReferrals(incident, context, out);
    return out.take();
}

std::vector<Error> validateDraft(const Incident& incident)
{
    std::vector<Error> errors;
    std::set<std::string, std::less<>> ids;
    for (std::size_t i = 0; i < incident.victims.size(); ++i) {
        const std::string& id = incident.victims[i].id;
        if (!id.empty() && !ids.insert(id).second)
            errors.push_back(makeError(ErrorCode::Validation,
                                       "Two victims share the id \"" + id + "\": this is a fault in the app; report it.",
                                       victimPath(i) + ".id"));
    }
    return errors;
}

bool hasFieldError(const std::vector<Error>& errors, std::string_view field) noexcept
{
    return std::any_of(errors.begin(), errors.end(), [field](const Error& e) { return e.field == field; });
}

}  // namespace vigil
