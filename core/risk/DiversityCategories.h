#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"

namespace vigil {

/// One answer of a diversity question: the code stored in the record and the words shown.
struct DiversityOption {
    std::string code;
    std::string label;
};

/// One diversity question (a key of a person's `person.diversity`), with its answers.
struct DiversityQuestion {
    std::string key;    ///< "age_band", "gender", "ethnicity", "disability", "religion", "sexual_orientation"
    std::string label;  ///< "Ethnicity (self-defined)"
    std::string help;   ///< "" for none
    std::vector<DiversityOption> options;  ///< in the order shown; always holds "not_stated"
};

/// The answers an officer chooses from for diversity monitoring of victims and suspects
/// (core/risk-models/rules-diversity.json, versioned data; DOMAIN.md §2 and §8). Fixed codes,
/// so the board's figures can be broken down and compared across boroughs.
class DiversityCategories {
public:
    /// The questions of every person's diversity, in `Diversity`'s order; the file must hold each.
    [[nodiscard]] static const std::vector<std::string_view>& keys() noexcept;

    /// Parses and checks the file: every key present with at least one answer besides
    /// "not_stated", "not_stated" among them, codes unique and non-empty, labels non-empty.
    /// Errors name the file and the JSON path.
    [[nodiscard]] static Result<DiversityCategories> parse(std::string_view jsonText, std::string_view fileName);
    [[nodiscard]] static Result<DiversityCategories> loadFile(const std::filesystem::path& path);

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    [[nodiscard]] const std::string& version() const noexcept { return m_version; }
    [[nodiscard]] const std::vector<DiversityQuestion>& questions() const noexcept { return m_questions; }
    /// The question with this key; null for a key the file does not hold.
    [[nodiscard]] const DiversityQuestion* question(std::string_view key) const noexcept;
    /// Whether `code` is an answer of the question `key` (empty, "not yet asked", is not).
    [[nodiscard]] bool isAnswer(std::string_view key, std::string_view code) const noexcept;
    /// The words for a recorded answer: its label, or the text itself when it is not one of the
    /// answers (recorded as free text before the list existed: shown, never lost); "" for empty.
    [[nodiscard]] std::string labelFor(std::string_view key, std::string_view code) const;

private:
    std::string m_id;
    std::string m_version;
    std::vector<DiversityQuestion> m_questions;
};

}  // namespace vigil
