#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/RiskModel.h"

namespace vigil {

/// What a DASH assessment adds up to under the model it was made with.
struct DashScore {
    std::string modelId;
    std::string modelVersion;
    int yesCount = 0;          ///< Yes answers to main questions that count toward the total
    int dontKnowCount = 0;     ///< main questions answered Don't know
    int notAskedCount = 0;     ///< main questions marked Not asked (never counted as Yes)
    int unansweredCount = 0;   ///< main questions with no answer yet
    RiskGrade computed = RiskGrade::Standard;
    std::vector<std::string> specssFactors;  ///< raised by Yes answers, in the model's order
    std::vector<std::string> openGroups;     ///< sub-question groups opened by the answers
};

/// Scores an assessment with `model`, which must be the model it was made with (same id and
/// version), else InvalidArgument: a grade is never silently recomputed with another model.
[[nodiscard]] Result<DashScore> scoreAssessment(const DashAssessment& assessment, const RiskModel& model);

/// Finds the model the assessment was made with in the registry and scores it. NotFound if
/// that model version is not installed (never falls back to a newer one).
[[nodiscard]] Result<DashScore> scoreAssessment(const DashAssessment& assessment, const RiskModelRegistry& models);

/// Starts a new assessment on the newest version of a model.
[[nodiscard]] Result<DashAssessment> newAssessment(const RiskModelRegistry& models, std::string_view modelId);

/// The officer's grade: may be higher than computed with a written reason, never lower.
/// `fieldPrefix` is e.g. "victims[0].grade"; errors name `<prefix>.officer` (lower, or
/// missing) or `<prefix>.officer_reason` (higher without a reason).
[[nodiscard]] Status checkOfficerGrade(RiskGrade computed, const GradeDecision& officer, const std::string& fieldPrefix);

/// The supervisor may confirm, or amend either way; an amendment (a grade different from
/// the officer's, or from computed when the officer gave none) needs a reason, named
/// `<prefix>.supervisor_reason`. No supervisor grade is fine.
[[nodiscard]] Status checkSupervisorGrade(RiskGrade computed, const GradeDecision& officer,
                                          const GradeDecision& supervisor, const std::string& fieldPrefix);

/// The grade that stands: the supervisor's if given, else the officer's where it is not below
/// computed, else computed.
[[nodiscard]] RiskGrade effectiveGrade(RiskGrade computed, const GradeDecision& officer,
                                       const GradeDecision& supervisor) noexcept;

/// A victim's grade as a list shows it, and whether anyone decided it.
struct StandingGrade {
    RiskGrade grade = RiskGrade::Standard;
    /// No officer or supervisor decision gave this grade: it is the checklist's band alone (no
    /// grade chosen yet, or the officer's is below the band after later answers).
    bool checklistOnly = false;
    friend bool operator==(const StandingGrade&, const StandingGrade&) = default;
};

/// effectiveGrade for a list, where a checklist may not be started: `computed` is the band of
/// the answers given so far, or nullopt when there are none (or the model is not installed).
/// Without answers only a decision counts; without either there is no grade.
[[nodiscard]] std::optional<StandingGrade> standingGrade(std::optional<RiskGrade> computed, const GradeDecision& officer,
                                                         const GradeDecision& supervisor) noexcept;

/// The grade a record with several victims shows: the highest, and of equal grades a decided
/// one before the checklist's alone.
[[nodiscard]] bool outranks(const StandingGrade& a, const StandingGrade& b) noexcept;

}  // namespace vigil
