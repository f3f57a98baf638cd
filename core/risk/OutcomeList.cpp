#include "core/risk/OutcomeList.h"

#include <array>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/risk/JsonFile.h"

namespace vigil {

namespace {

constexpr std::array<std::pair<OutcomeCategory, std::string_view>, 6> kOutcomeNames{{
    {OutcomeCategory::Charged, "charged"},
    {OutcomeCategory::UnsupportedProsecution, "unsupported_prosecution"},
    {OutcomeCategory::Cautioned, "cautioned"},
    {OutcomeCategory::OtherSanction, "other_sanction"},
    {OutcomeCategory::NoFurtherAction, "no_further_action"},
    {OutcomeCategory::VictimWithdrew, "victim_withdrew"},
}};
constexpr std::array<std::pair<CourtCategory, std::string_view>, 3> kCourtNames{{
    {CourtCategory::Convicted, "convicted"},
    {CourtCategory::Acquitted, "acquitted"},
    {CourtCategory::Other, "other"},
}};

template <typename Category, std::size_t N>
std::string namesOf(const std::array<std::pair<Category, std::string_view>, N>& names)
{
    std::string out;
    for (const auto& [c, name] : names)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

Error malformed(std::string_view fileName, const std::string& path, const std::string& problem)
{
    return malformedListFile("Crime outcome list", fileName, path, problem);
}

template <typename Category, std::size_t N>
Result<std::vector<OutcomeOption<Category>>> options(const nlohmann::json& j, const char* key, std::string_view fileName,
                                                     const std::array<std::pair<Category, std::string_view>, N>& names)
{
    const auto list = j.find(key);
    if (list == j.end() || !list->is_array() || list->empty())
        return malformed(fileName, key, "must be a non-empty list of {code, label, counts_as}");
    std::vector<OutcomeOption<Category>> out;
    std::set<std::string> codes;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& o = (*list)[i];
        const std::string at = std::string(key) + "[" + std::to_string(i) + "]";
        if (!o.is_object())
            return malformed(fileName, at, "must be {code, label, counts_as}");
        const auto code = nonEmptyText(o, "code");
        const auto label = nonEmptyText(o, "label");
        if (!code || !label)
            return malformed(fileName, at, "needs a non-empty code and label");
        if (!codes.insert(*code).second)
            return malformed(fileName, at, "repeats the code \"" + *code + "\"");
        const auto countsAs = nonEmptyText(o, "counts_as");
        std::optional<Category> category;
        for (const auto& [c, name] : names)
            if (countsAs && name == *countsAs)
                category = c;
        if (!category)
            return malformed(fileName, at + ".counts_as",
                             "must name the board's category the answer is counted under, one of: " + namesOf(names));
        out.push_back({*code, *label, nonEmptyText(o, "help").value_or(""), *category});
    }
    return out;
}

template <typename Category>
const OutcomeOption<Category>* findCode(const std::vector<OutcomeOption<Category>>& list, std::string_view code) noexcept
{
    for (const auto& o : list)
        if (o.code == code)
            return &o;
    return nullptr;
}

}  // namespace

std::string_view toString(OutcomeCategory category) noexcept
{
    for (const auto& [c, name] : kOutcomeNames)
        if (c == category)
            return name;
    return "unknown";
}

std::string_view toString(CourtCategory category) noexcept
{
    for (const auto& [c, name] : kCourtNames)
        if (c == category)
            return name;
    return "unknown";
}

std::optional<OutcomeCategory> outcomeCategoryFromString(std::string_view text) noexcept
{
    for (const auto& [c, name] : kOutcomeNames)
        if (name == text)
            return c;
    return std::nullopt;
}

std::optional<CourtCategory> courtCategoryFromString(std::string_view text) noexcept
{
    for (const auto& [c, name] : kCourtNames)
        if (name == text)
            return c;
    return std::nullopt;
}

bool isCharge(OutcomeCategory category) noexcept
{
    return category == OutcomeCategory::Charged || category == OutcomeCategory::UnsupportedProsecution;
}

bool isSanctionDetection(OutcomeCategory category) noexcept
{
    return isCharge(category) || category == OutcomeCategory::Cautioned || category == OutcomeCategory::OtherSanction;
}

Result<OutcomeList> OutcomeList::parse(std::string_view jsonText, std::string_view fileName)
{
    auto parsed = parseJsonText(jsonText, fileName, "Crime outcome list file");
    if (!parsed)
        return std::move(parsed).error();
    const nlohmann::json& j = *parsed;
    auto header = readListFileHeader(j, "Crime outcome list", fileName);
    if (!header)
        return std::move(header).error();
    OutcomeList out;
    out.m_id = std::move(header->id);
    out.m_version = std::move(header->version);
    auto results = options(j, "results", fileName, kOutcomeNames);
    if (!results)
        return std::move(results).error();
    auto court = options(j, "court_results", fileName, kCourtNames);
    if (!court)
        return std::move(court).error();
    out.m_results = std::move(results).value();
    out.m_court = std::move(court).value();
    return out;
}

Result<OutcomeList> OutcomeList::loadFile(const std::filesystem::path& path)
{
    auto t = readTextFile(path, "crime outcome list");
    if (!t)
        return std::move(t).error();
    return parse(*t, path.filename().string());
}

std::optional<OutcomeCategory> OutcomeList::resultCategory(std::string_view code) const noexcept
{
    const auto* o = findCode(m_results, code);
    return o ? std::optional<OutcomeCategory>(o->countsAs) : std::nullopt;
}

std::optional<CourtCategory> OutcomeList::courtCategory(std::string_view code) const noexcept
{
    const auto* o = findCode(m_court, code);
    return o ? std::optional<CourtCategory>(o->countsAs) : std::nullopt;
}

std::string OutcomeList::resultLabel(std::string_view code) const
{
    const auto* o = findCode(m_results, code);
    return o ? o->label : std::string(code);
}

std::string OutcomeList::courtLabel(std::string_view code) const
{
    const auto* o = findCode(m_court, code);
    return o ? o->label : std::string(code);
}

}  // namespace vigil
