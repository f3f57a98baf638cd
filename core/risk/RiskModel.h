#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"

namespace vigil {

/// A SPECSS+ factor a model can raise (seed 002 §6, 004 §2.3).
struct SpecssFactor {
    std::string id;
    std::string label;
    std::string help;
};

/// Yes-count range for a grade: [min, max], max absent for the open top band.
struct RiskBand {
    RiskGrade grade = RiskGrade::Standard;
    int min = 0;
    std::optional<int> max;
    std::string meaning;
};

/// A tick-box sub-option (Q21, Q27).
struct QuestionOption {
    std::string id;
    std::string text;
};

/// One question, main or sub-question. Sub-questions have number 0 and a non-empty group.
struct Question {
    std::string id;  ///< stable across wording changes; used in field paths (victims[0].dash.q14)
    int number = 0;
    std::string text;
    std::string help;
    std::vector<std::string> specss;
    bool countsTowardTotal = false;
    bool verified = true;          ///< false where our wording or the item itself is unconfirmed
    std::string policeId;          ///< RIC only: the police question it corresponds to
    std::string opensGroup;        ///< sub-question group this question opens, if any
    AnswerValue opensWhen = AnswerValue::Yes;
    std::vector<QuestionOption> options;
    bool optionsVerified = true;
    std::string group;  ///< empty for main questions
};

/// Sub-questions opened by a main question's answer (HBV / forced marriage, stalking).
struct QuestionGroup {
    std::string id;
    std::string title;
    std::string help;
    bool verified = true;
    std::vector<Question> questions;
};

/// A risk checklist loaded from versioned JSON (core/risk-models/). Immutable once loaded.
/// Grades are always computed with the model an assessment was made with (see the registry).
class RiskModel {
public:
    std::string id;
    std::string version;
    std::string title;
    std::string source;
    std::string licence;
    std::vector<SpecssFactor> specssFactors;
    std::vector<RiskBand> bands;         ///< ascending, contiguous from 0, last open or covering all
    std::vector<Question> questions;     ///< main questions in display order
    std::vector<QuestionGroup> groups;

    /// A main or sub-question by id, or nullptr.
    [[nodiscard]] const Question* findQuestion(std::string_view questionId) const;
    /// The grade for a Yes count (counts above every band take the top band).
    [[nodiscard]] RiskGrade gradeFor(int yesCount) const noexcept;
    /// The lowest Yes count graded High: "visible high risk" for MARAC.
    [[nodiscard]] int highRiskThreshold() const noexcept;
    /// The band for a grade, or nullptr when the model has none.
    [[nodiscard]] const RiskBand* bandFor(RiskGrade grade) const noexcept;
    [[nodiscard]] const SpecssFactor* findFactor(std::string_view factorId) const;
    [[nodiscard]] const QuestionGroup* findGroup(std::string_view groupId) const;
    /// "DASH 2009 v1.0"-style name for messages.
    [[nodiscard]] std::string displayName() const;
    /// The model as a person names it: its title up to any bracket ("DASH 2009 risk
    /// identification checklist"), never its id and version (those are for logs and About).
    [[nodiscard]] std::string shortTitle() const;

    /// Builds the question index; the loader calls it. Call again after editing questions.
    void reindex();

private:
    // Question id -> (group index or -1 for main, position); indices survive copies.
    std::map<std::string, std::pair<long, std::size_t>, std::less<>> m_index;
};

/// Parses and validates a model. `fileName` is only used in messages. A malformed model is
/// refused with MalformedModel; the message names the file, the JSON path inside it
/// (e.g. /questions/13/id) and the problem, and Error::field holds the JSON path.
[[nodiscard]] Result<RiskModel> parseRiskModel(std::string_view jsonText, std::string_view fileName);
[[nodiscard]] Result<RiskModel> loadRiskModelFile(const std::filesystem::path& path);

/// Compares dotted version strings numerically ("1.10" > "1.9"). Both must be valid.
[[nodiscard]] int compareVersions(std::string_view a, std::string_view b) noexcept;

/// Every loaded model by id + version. Old versions stay loaded, so an assessment made with
/// DASH 2009 v1.0 keeps its grade after v1.1 ships. Copies share the immutable models.
class RiskModelRegistry {
public:
    /// Adds a model; refuses a second model with the same id and version.
    [[nodiscard]] Status add(RiskModel model);
    /// The exact model an assessment was made with, or nullptr.
    [[nodiscard]] const RiskModel* find(std::string_view id, std::string_view version) const;
    /// The newest version of a model id, for new assessments; nullptr if none.
    [[nodiscard]] const RiskModel* latest(std::string_view id) const;
    [[nodiscard]] std::size_t size() const noexcept { return m_models.size(); }

    /// Loads every model file in a directory (*.json not starting with "rules-" or
    /// "bank-holidays-"), in name order.
    [[nodiscard]] static Result<RiskModelRegistry> loadDirectory(const std::filesystem::path& directory);

private:
    std::vector<std::shared_ptr<const RiskModel>> m_models;
};

}  // namespace vigil
