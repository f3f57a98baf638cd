#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"

namespace vigil {

/// The board's categories a crime's outcome is counted under (DOMAIN.md §8; docs/figures.md).
/// Fixed: the figures are defined on them. A force's list maps its own answers onto them.
enum class OutcomeCategory { Charged, UnsupportedProsecution, Cautioned, OtherSanction, NoFurtherAction, VictimWithdrew };
/// The categories of a court's result.
enum class CourtCategory { Convicted, Acquitted, Other };

[[nodiscard]] std::string_view toString(OutcomeCategory category) noexcept;
[[nodiscard]] std::string_view toString(CourtCategory category) noexcept;
[[nodiscard]] std::optional<OutcomeCategory> outcomeCategoryFromString(std::string_view text) noexcept;
[[nodiscard]] std::optional<CourtCategory> courtCategoryFromString(std::string_view text) noexcept;
/// A suspect was charged: a prosecution, supported by the victim or not.
[[nodiscard]] bool isCharge(OutcomeCategory category) noexcept;
/// A sanction detection: charged (supported or not), cautioned, or another sanction.
[[nodiscard]] bool isSanctionDetection(OutcomeCategory category) noexcept;

/// One answer of the list: the code stored in the record, the words shown, and the category the
/// figures count it under.
template <typename Category>
struct OutcomeOption {
    std::string code;
    std::string label;
    std::string help;  ///< "" for none
    Category countsAs{};
};

/// The answers a crime's outcome and a court's result are chosen from
/// (core/risk-models/rules-outcomes.json, versioned data). Fixed codes, each counted under one of
/// the board's categories, so every borough's figures compare.
class OutcomeList {
public:
    /// Parses and checks the file: format 1, an id and a version, a non-empty list of results and of
    /// court results, each answer with a unique non-empty code, a label, and a `counts_as` category
    /// this version of Vigil knows. Errors name the file and the JSON path, and say what to do.
    [[nodiscard]] static Result<OutcomeList> parse(std::string_view jsonText, std::string_view fileName);
    [[nodiscard]] static Result<OutcomeList> loadFile(const std::filesystem::path& path);

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    [[nodiscard]] const std::string& version() const noexcept { return m_version; }
    [[nodiscard]] const std::vector<OutcomeOption<OutcomeCategory>>& results() const noexcept { return m_results; }
    [[nodiscard]] const std::vector<OutcomeOption<CourtCategory>>& courtResults() const noexcept { return m_court; }

    /// The category a recorded result counts under; nullopt for a code the list does not hold.
    [[nodiscard]] std::optional<OutcomeCategory> resultCategory(std::string_view code) const noexcept;
    [[nodiscard]] std::optional<CourtCategory> courtCategory(std::string_view code) const noexcept;
    /// The words for a recorded code: its label, or the code itself when the list does not hold
    /// it (shown, never lost); "" for empty.
    [[nodiscard]] std::string resultLabel(std::string_view code) const;
    [[nodiscard]] std::string courtLabel(std::string_view code) const;

private:
    std::string m_id;
    std::string m_version;
    std::vector<OutcomeOption<OutcomeCategory>> m_results;
    std::vector<OutcomeOption<CourtCategory>> m_court;
};

}  // namespace vigil
