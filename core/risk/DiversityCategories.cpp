#include "core/risk/DiversityCategories.h"

#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/risk/JsonFile.h"

namespace vigil {

namespace {

Error malformed(std::string_view fileName, const std::string& path, const std::string& problem)
{
    return malformedListFile("Diversity categories", fileName, path, problem);
}

}  // namespace

const std::vector<std::string_view>& DiversityCategories::keys() noexcept
{
    static const std::vector<std::string_view> k{"age_band", "gender", "ethnicity", "disability", "religion",
                                                 "sexual_orientation"};
    return k;
}

Result<DiversityCategories> DiversityCategories::parse(std::string_view jsonText, std::string_view fileName)
{
    auto parsed = parseJsonText(jsonText, fileName, "Diversity categories file");
    if (!parsed)
        return std::move(parsed).error();
    const nlohmann::json& j = *parsed;
    auto header = readListFileHeader(j, "Diversity categories", fileName);
    if (!header)
        return std::move(header).error();
    DiversityCategories out;
    out.m_id = std::move(header->id);
    out.m_version = std::move(header->version);
    const auto cats = j.find("categories");
    if (cats == j.end() || !cats->is_object())
        return malformed(fileName, "categories", "must be an object with one entry per question");
    for (const auto& [name, value] : cats->items()) {
        bool known = false;
        for (std::string_view k : keys())
            known = known || k == name;
        if (!known)
            return malformed(fileName, "categories." + name, "is not a diversity question Vigil records");
    }
    for (std::string_view key : keys()) {
        const std::string path = "categories." + std::string(key);
        const auto q = cats->find(std::string(key));
        if (q == cats->end() || !q->is_object())
            return malformed(fileName, path, "is missing: every question needs its answers");
        DiversityQuestion question;
        question.key = std::string(key);
        const auto label = nonEmptyText(*q, "label");
        if (!label)
            return malformed(fileName, path + ".label", "must be non-empty text");
        question.label = *label;
        question.help = nonEmptyText(*q, "help").value_or("");
        const auto options = q->find("options");
        if (options == q->end() || !options->is_array())
            return malformed(fileName, path + ".options", "must be a list of {code, label}");
        std::set<std::string> codes;
        for (std::size_t i = 0; i < options->size(); ++i) {
            const auto& o = (*options)[i];
            const std::string at = path + ".options[" + std::to_string(i) + "]";
            if (!o.is_object())
                return malformed(fileName, at, "must be {code, label}");
            const auto code = nonEmptyText(o, "code");
            const auto words = nonEmptyText(o, "label");
            if (!code || !words)
                return malformed(fileName, at, "needs a non-empty code and label");
            if (!codes.insert(*code).second)
                return malformed(fileName, at, "repeats the code \"" + *code + "\"");
            question.options.push_back({*code, *words});
        }
        if (!codes.contains("not_stated"))
            return malformed(fileName, path + ".options", "must offer \"not_stated\" (asked, and chose not to say)");
        if (codes.size() < 2)
            return malformed(fileName, path + ".options", "must offer at least one answer besides \"not_stated\"");
        out.m_questions.push_back(std::move(question));
    }
    return out;
}

Result<DiversityCategories> DiversityCategories::loadFile(const std::filesystem::path& path)
{
    auto t = readTextFile(path, "diversity categories");
    if (!t)
        return std::move(t).error();
    return parse(*t, path.filename().string());
}

const DiversityQuestion* DiversityCategories::question(std::string_view key) const noexcept
{
    for (const DiversityQuestion& q : m_questions) {
        if (q.key == key)
            return &q;
    }
    return nullptr;
}

bool DiversityCategories::isAnswer(std::string_view key, std::string_view code) const noexcept
{
    const DiversityQuestion* q = question(key);
    if (!q)
        return false;
    for (const DiversityOption& o : q->options) {
        if (o.code == code)
            return true;
    }
    return false;
}

std::string DiversityCategories::labelFor(std::string_view key, std::string_view code) const
{
    if (const DiversityQuestion* q = question(key)) {
        for (const DiversityOption& o : q->options) {
            if (o.code == code)
                return o.label;
        }
    }
    return std::string(code);
}

}  // namespace vigil
