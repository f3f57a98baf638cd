#include "core/risk/RiskScorer.h"

#include <algorithm>

namespace vigil {

Result<DashScore> scoreAssessment(const DashAssessment& assessment, const RiskModel& model)
{
    if (assessment.modelId != model.id || assessment.modelVersion != model.version)
        return makeError(ErrorCode::InvalidArgument,
                         "This assessment was made with risk model " + assessment.modelId + " v"
                             + assessment.modelVersion + ", not " + model.displayName()
                             + ": grade it with the model it was made with.");
    DashScore score;
    score.modelId = model.id;
    score.modelVersion = model.version;
    std::vector<bool> raised(model.specssFactors.size(), false);
    auto raise = [&](const Question& q) {
        for (const std::string& f : q.specss)
            for (std::size_t i = 0; i < model.specssFactors.size(); ++i)
                if (model.specssFactors[i].id == f)
                    raised[i] = true;
    };

    for (const Question& q : model.questions) {
        const auto it = assessment.answers.find(q.id);
        if (it == assessment.answers.end()) {
            ++score.unansweredCount;
            continue;
        }
        const AnswerValue value = it->second.value;
        switch (value) {
        case AnswerValue::Yes:
            if (q.countsTowardTotal)
                ++score.yesCount;
            raise(q);
            break;
        case AnswerValue::DontKnow: ++score.dontKnowCount; break;
        case AnswerValue::NotAsked: ++score.notAskedCount; break;
        case AnswerValue::No: break;
        }
        if (!q.opensGroup.empty() && value == q.opensWhen)
            score.openGroups.push_back(q.opensGroup);
    }
    // Sub-questions raise SPECSS+ factors but never count toward the total, and only when
    // their group was opened (an answer left over from a changed main answer is ignored).
    for (const std::string& groupId : score.openGroups) {
        const QuestionGroup* group = model.findGroup(groupId);
        if (group == nullptr)
            continue;
        for (const Question& q : group->questions) {
            const auto it = assessment.answers.find(q.id);
            if (it != assessment.answers.end() && it->second.value == AnswerValue::Yes)
                raise(q);
        }
    }
    for (std::size_t i = 0; i < raised.size(); ++i)
        if (raised[i])
            score.specssFactors.push_back(model.specssFactors[i].id);
    score.computed = model.gradeFor(score.yesCount);
    return score;
}

Result<DashScore> scoreAssessment(const DashAssessment& assessment, const RiskModelRegistry& models)
{
    const RiskModel* model = models.find(assessment.modelId, assessment.modelVersion);
    if (model == nullptr)
        return makeError(ErrorCode::NotFound,
                         "This assessment was made with risk model " + assessment.modelId + " v"
                             + assessment.modelVersion
                             + ", which is not installed on this device: update Vigil before grading it.");
    return scoreAssessment(assessment, *model);
}

Result<DashAssessment> newAssessment(const RiskModelRegistry& models, std::string_view modelId)
{
    const RiskModel* model = models.latest(modelId);
    if (model == nullptr)
        return makeError(ErrorCode::NotFound, "No risk model called " + std::string{modelId}
                                                  + " is installed: choose another checklist or update Vigil.");
    DashAssessment assessment;
    assessment.modelId = model->id;
    assessment.modelVersion = model->version;
    return assessment;
}

Status checkOfficerGrade(RiskGrade computed, const GradeDecision& officer, const std::string& fieldPrefix)
{
    if (!officer.grade)
        return makeError(ErrorCode::Validation,
                         "Record your risk grade: the answers give " + std::string{gradeLabel(computed)}
                             + "; you may choose that or a higher grade.",
                         fieldPrefix + ".officer");
    if (*officer.grade < computed)
        return makeError(ErrorCode::Validation,
                         "Your grade (" + std::string{gradeLabel(*officer.grade)} + ") is below the "
                             + std::string{gradeLabel(computed)}
                             + " the answers give: choose " + std::string{gradeLabel(computed)}
                             + " or higher. Only a supervisor can lower a grade.",
                         fieldPrefix + ".officer");
    if (*officer.grade > computed && officer.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return makeError(ErrorCode::Validation,
                         "You graded " + std::string{gradeLabel(*officer.grade)} + " above the computed "
                             + std::string{gradeLabel(computed)}
                             + ": write why (your professional judgement) in the reason box.",
                         fieldPrefix + ".officer_reason");
    return {};
}

Status checkSupervisorGrade(RiskGrade computed, const GradeDecision& officer, const GradeDecision& supervisor,
                            const std::string& fieldPrefix)
{
    if (!supervisor.grade)
        return {};
    const RiskGrade before = officer.grade ? std::max(*officer.grade, computed) : computed;
    if (*supervisor.grade != before && supervisor.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return makeError(ErrorCode::Validation,
                         "You amended the grade from " + std::string{gradeLabel(before)} + " to "
                             + std::string{gradeLabel(*supervisor.grade)} + ": write the reason for the amendment.",
                         fieldPrefix + ".supervisor_reason");
    return {};
}

RiskGrade effectiveGrade(RiskGrade computed, const GradeDecision& officer, const GradeDecision& supervisor) noexcept
{
    if (supervisor.grade)
        return *supervisor.grade;
    if (officer.grade && *officer.grade > computed)
        return *officer.grade;
    return computed;
}

std::optional<StandingGrade> standingGrade(std::optional<RiskGrade> computed, const GradeDecision& officer,
                                           const GradeDecision& supervisor) noexcept
{
    if (supervisor.grade)
        return StandingGrade{*supervisor.grade, false};
    if (officer.grade && (!computed || *officer.grade >= *computed))
        return StandingGrade{*officer.grade, false};
    if (computed)
        return StandingGrade{*computed, true};
    return std::nullopt;
}

bool outranks(const StandingGrade& a, const StandingGrade& b) noexcept
{
    if (a.grade != b.grade)
        return a.grade > b.grade;
    return !a.checklistOnly && b.checklistOnly;
}

}  // namespace vigil
