#include "core/risk/RiskModel.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/risk/JsonFile.h"

namespace vigil {

using nlohmann::json;

namespace {

bool isValidVersion(std::string_view v) noexcept
{
    if (v.empty() || v.front() == '.' || v.back() == '.')
        return false;
    char prev = '.';
    for (const char c : v) {
        if (c == '.' && prev == '.')
            return false;
        if (c != '.' && (c < '0' || c > '9'))
            return false;
        prev = c;
    }
    return true;
}

bool isValidId(std::string_view id) noexcept
{
    if (id.empty())
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

/// Walks the model document, keeping the JSON pointer of each value for messages. Stops at
/// the first problem: one clear message is more use to an administrator than fifty.
class ModelParser {
public:
    explicit ModelParser(std::string_view fileName) : m_file(fileName) {}

    Result<RiskModel> parse(const json& root)
    {
        RiskModel model;
        if (!root.is_object())
            return fail("", "the file must contain one JSON object");
        if (const auto it = root.find("format"); it != root.end() && !(it->is_number_integer() && *it == 1))
            return fail("/format", "unsupported format (this version of Vigil reads format 1)");

        VIGIL_TRY(requiredId(root, "", "id", model.id));
        VIGIL_TRY(requiredText(root, "", "version", model.version));
        if (!isValidVersion(model.version))
            return fail("/version", "version \"" + model.version + "\" must be numbers separated by dots, e.g. \"1.0\"");
        VIGIL_TRY(optionalText(root, "", "title", model.title));
        VIGIL_TRY(requiredText(root, "", "source", model.source));
        VIGIL_TRY(requiredText(root, "", "licence", model.licence));

        VIGIL_TRY(parseFactors(root, model));
        VIGIL_TRY(parseGroups(root, model));
        VIGIL_TRY(parseQuestions(root, model));
        VIGIL_TRY(parseBands(root, model));
        VIGIL_TRY(checkGroupsOpened(model));
        model.reindex();
        return model;
    }

private:
    Error fail(const std::string& pointer, const std::string& problem) const
    {
        return makeError(ErrorCode::MalformedModel,
                         "Risk model file " + m_file + " is not valid at " + (pointer.empty() ? "/" : pointer) + ": "
                             + problem + ". Correct the file, or reinstall Vigil's default risk models.",
                         pointer.empty() ? "/" : pointer);
    }

    const json* find(const json& object, const char* key) const
    {
        const auto it = object.find(key);
        return it == object.end() ? nullptr : &*it;
    }

    Status requiredText(const json& object, const std::string& at, const char* key, std::string& out) const
    {
        const json* v = find(object, key);
        if (v == nullptr)
            return fail(at + "/" + key, std::string{"missing "} + key);
        if (!v->is_string() || v->get<std::string>().empty())
            return fail(at + "/" + key, std::string{key} + " must be non-empty text");
        out = v->get<std::string>();
        return {};
    }

    Status optionalText(const json& object, const std::string& at, const char* key, std::string& out) const
    {
        const json* v = find(object, key);
        if (v == nullptr)
            return {};
        if (!v->is_string())
            return fail(at + "/" + key, std::string{key} + " must be text");
        out = v->get<std::string>();
        return {};
    }

    Status requiredId(const json& object, const std::string& at, const char* key, std::string& out) const
    {
        VIGIL_TRY(requiredText(object, at, key, out));
        if (!isValidId(out))
            return fail(at + "/" + key, "\"" + out + "\" is not a valid id (use lower-case letters, digits, _ and -)");
        return {};
    }

    Status optionalBool(const json& object, const std::string& at, const char* key, bool& out) const
    {
        const json* v = find(object, key);
        if (v == nullptr)
            return {};
        if (!v->is_boolean())
            return fail(at + "/" + key, std::string{key} + " must be true or false");
        out = v->get<bool>();
        return {};
    }

    Status requiredArray(const json& object, const std::string& at, const char* key, const json*& out) const
    {
        out = find(object, key);
        if (out == nullptr)
            return fail(at + "/" + key, std::string{"missing "} + key);
        if (!out->is_array())
            return fail(at + "/" + key, std::string{key} + " must be a list");
        return {};
    }

    Status parseFactors(const json& root, RiskModel& model) const
    {
        const json* list = nullptr;
        VIGIL_TRY(requiredArray(root, "", "specss_factors", list));
        std::set<std::string, std::less<>> seen;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string at = "/specss_factors/" + std::to_string(i);
            const json& item = (*list)[i];
            if (!item.is_object())
                return fail(at, "each SPECSS+ factor must be an object with id and label");
            SpecssFactor f;
            VIGIL_TRY(requiredId(item, at, "id", f.id));
            VIGIL_TRY(requiredText(item, at, "label", f.label));
            VIGIL_TRY(optionalText(item, at, "help", f.help));
            if (!seen.insert(f.id).second)
                return fail(at + "/id", "duplicate SPECSS+ factor id \"" + f.id + "\"");
            model.specssFactors.push_back(std::move(f));
        }
        return {};
    }

    Status parseQuestion(const json& item, const std::string& at, const RiskModel& model, bool isSub,
                         Question& q)
    {
        if (!item.is_object())
            return fail(at, "each question must be an object");
        VIGIL_TRY(requiredId(item, at, "id", q.id));
        if (!m_questionIds.insert(q.id).second)
            return fail(at + "/id", "duplicate question id \"" + q.id + "\" (ids must be unique across all questions and sub-questions)");
        if (const json* n = find(item, "number")) {
            if (!n->is_number_integer() || n->get<long long>() < 1 || n->get<long long>() > 1000)
                return fail(at + "/number", "number must be a whole number from 1");
            q.number = n->get<int>();
        } else if (!isSub) {
            return fail(at + "/number", "missing number");
        }
        VIGIL_TRY(requiredText(item, at, "text", q.text));
        VIGIL_TRY(optionalText(item, at, "help", q.help));
        VIGIL_TRY(optionalText(item, at, "police_id", q.policeId));
        VIGIL_TRY(optionalBool(item, at, "verified", q.verified));
        VIGIL_TRY(optionalBool(item, at, "options_verified", q.optionsVerified));

        const json* counts = find(item, "counts_toward_total");
        if (counts == nullptr)
            return fail(at + "/counts_toward_total", "missing counts_toward_total (true for main questions)");
        if (!counts->is_boolean())
            return fail(at + "/counts_toward_total", "counts_toward_total must be true or false");
        q.countsTowardTotal = counts->get<bool>();
        if (isSub && q.countsTowardTotal)
            return fail(at + "/counts_toward_total", "sub-questions never count toward the Yes total; set it to false");

        if (const json* specss = find(item, "specss")) {
            if (!specss->is_array())
                return fail(at + "/specss", "specss must be a list of factor ids");
            for (std::size_t k = 0; k < specss->size(); ++k) {
                const json& f = (*specss)[k];
                const std::string fat = at + "/specss/" + std::to_string(k);
                if (!f.is_string())
                    return fail(fat, "each SPECSS+ factor must be a factor id");
                if (model.findFactor(f.get<std::string>()) == nullptr)
                    return fail(fat, "unknown SPECSS+ factor \"" + f.get<std::string>()
                                         + "\" (declare it in specss_factors first)");
                q.specss.push_back(f.get<std::string>());
            }
        }
        if (const json* opens = find(item, "opens")) {
            if (isSub)
                return fail(at + "/opens", "sub-questions cannot open further questions");
            if (!opens->is_object())
                return fail(at + "/opens", "opens must be an object with when and group");
            std::string when;
            VIGIL_TRY(requiredText(*opens, at + "/opens", "when", when));
            const auto value = answerValueFromString(when);
            if (!value || *value == AnswerValue::NotAsked)
                return fail(at + "/opens/when", "when must be yes, no or dont_know");
            q.opensWhen = *value;
            VIGIL_TRY(requiredText(*opens, at + "/opens", "group", q.opensGroup));
            if (model.findGroup(q.opensGroup) == nullptr)
                return fail(at + "/opens/group", "unknown sub-question group \"" + q.opensGroup + "\"");
            m_openedGroups.insert(q.opensGroup);
        }
        if (const json* options = find(item, "options")) {
            if (!options->is_array())
                return fail(at + "/options", "options must be a list");
            std::set<std::string, std::less<>> seen;
            for (std::size_t k = 0; k < options->size(); ++k) {
                const std::string oat = at + "/options/" + std::to_string(k);
                if (!(*options)[k].is_object())
                    return fail(oat, "each option must be an object with id and text");
                QuestionOption o;
                VIGIL_TRY(requiredId((*options)[k], oat, "id", o.id));
                VIGIL_TRY(requiredText((*options)[k], oat, "text", o.text));
                if (!seen.insert(o.id).second)
                    return fail(oat + "/id", "duplicate option id \"" + o.id + "\"");
                q.options.push_back(std::move(o));
            }
        }
        return {};
    }

    Status parseGroups(const json& root, RiskModel& model)
    {
        const json* list = find(root, "sub_question_groups");
        if (list == nullptr)
            return {};
        if (!list->is_array())
            return fail("/sub_question_groups", "sub_question_groups must be a list");
        std::set<std::string, std::less<>> seen;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string at = "/sub_question_groups/" + std::to_string(i);
            const json& item = (*list)[i];
            if (!item.is_object())
                return fail(at, "each group must be an object");
            QuestionGroup g;
            VIGIL_TRY(requiredId(item, at, "id", g.id));
            if (!seen.insert(g.id).second)
                return fail(at + "/id", "duplicate sub-question group id \"" + g.id + "\"");
            VIGIL_TRY(requiredText(item, at, "title", g.title));
            VIGIL_TRY(optionalText(item, at, "help", g.help));
            VIGIL_TRY(optionalBool(item, at, "verified", g.verified));
            const json* qs = nullptr;
            VIGIL_TRY(requiredArray(item, at, "questions", qs));
            if (qs->empty())
                return fail(at + "/questions", "a sub-question group needs at least one question");
            for (std::size_t k = 0; k < qs->size(); ++k) {
                Question q;
                VIGIL_TRY(parseQuestion((*qs)[k], at + "/questions/" + std::to_string(k), model, true, q));
                q.group = g.id;
                g.questions.push_back(std::move(q));
            }
            model.groups.push_back(std::move(g));
        }
        return {};
    }

    Status parseQuestions(const json& root, RiskModel& model)
    {
        const json* list = nullptr;
        VIGIL_TRY(requiredArray(root, "", "questions", list));
        if (list->empty())
            return fail("/questions", "a model needs at least one question");
        std::set<int> numbers;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string at = "/questions/" + std::to_string(i);
            Question q;
            VIGIL_TRY(parseQuestion((*list)[i], at, model, false, q));
            if (!numbers.insert(q.number).second)
                return fail(at + "/number", "duplicate question number " + std::to_string(q.number));
            model.questions.push_back(std::move(q));
        }
        return {};
    }

    Status parseBands(const json& root, RiskModel& model) const
    {
        const json* list = nullptr;
        VIGIL_TRY(requiredArray(root, "", "bands", list));
        if (list->empty())
            return fail("/bands", "at least one band is needed");
        const auto counting = std::count_if(model.questions.begin(), model.questions.end(),
                                            [](const Question& q) { return q.countsTowardTotal; });
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string at = "/bands/" + std::to_string(i);
            const json& item = (*list)[i];
            if (!item.is_object())
                return fail(at, "each band must be an object with grade, min and max");
            RiskBand band;
            std::string grade;
            VIGIL_TRY(requiredText(item, at, "grade", grade));
            const auto g = riskGradeFromString(grade);
            if (!g)
                return fail(at + "/grade", "unknown grade \"" + grade + "\" (use standard, medium or high)");
            band.grade = *g;
            const json* min = find(item, "min");
            if (min == nullptr || !min->is_number_integer() || min->get<long long>() < 0 || min->get<long long>() > 1000)
                return fail(at + "/min", "min must be a whole number from 0");
            band.min = min->get<int>();
            if (const json* max = find(item, "max")) {
                if (!max->is_number_integer() || max->get<long long>() < band.min || max->get<long long>() > 1000)
                    return fail(at + "/max", "max must be a whole number not below min");
                band.max = max->get<int>();
            }
            VIGIL_TRY(optionalText(item, at, "meaning", band.meaning));
            if (i == 0 && band.min != 0)
                return fail(at + "/min", "the first band must start at 0 Yes answers (gap from 0 to "
                                             + std::to_string(band.min - 1) + ")");
            if (i > 0) {
                const RiskBand& prev = model.bands.back();
                if (!prev.max)
                    return fail(at, "bands overlap: the band before this one has no max, so it covers every count above "
                                        + std::to_string(prev.min));
                if (band.min <= *prev.max)
                    return fail(at + "/min", "bands overlap: " + std::to_string(band.min) + " is already in the "
                                                 + std::string{toString(prev.grade)} + " band");
                if (band.min > *prev.max + 1)
                    return fail(at + "/min", "bands have a gap: no band covers " + std::to_string(*prev.max + 1)
                                                 + " to " + std::to_string(band.min - 1) + " Yes answers");
                if (band.grade <= prev.grade)
                    return fail(at + "/grade", "bands must go up in grade (standard, medium, high)");
            }
            model.bands.push_back(band);
        }
        const RiskBand& last = model.bands.back();
        if (last.max && *last.max < counting)
            return fail("/bands/" + std::to_string(list->size() - 1) + "/max",
                        "bands stop at " + std::to_string(*last.max) + " but " + std::to_string(counting)
                            + " questions count toward the total (leave max out of the top band)");
        if (model.bandFor(RiskGrade::High) == nullptr)
            return fail("/bands", "there must be a high band (MARAC's visible high risk depends on it)");
        return {};
    }

    Status checkGroupsOpened(const RiskModel& model) const
    {
        for (std::size_t i = 0; i < model.groups.size(); ++i)
            if (m_openedGroups.count(model.groups[i].id) == 0)
                return fail("/sub_question_groups/" + std::to_string(i),
                            "no question opens group \"" + model.groups[i].id + "\"");
        return {};
    }

    std::string m_file;
    std::set<std::string, std::less<>> m_questionIds;
    std::set<std::string, std::less<>> m_openedGroups;
};

}  // namespace

const Question* RiskModel::findQuestion(std::string_view questionId) const
{
    const auto it = m_index.find(questionId);
    if (it == m_index.end())
        return nullptr;
    const auto [group, pos] = it->second;
    if (group < 0)
        return &questions[pos];
    return &groups[static_cast<std::size_t>(group)].questions[pos];
}

RiskGrade RiskModel::gradeFor(int yesCount) const noexcept
{
    for (const RiskBand& band : bands)
        if (yesCount >= band.min && (!band.max || yesCount <= *band.max))
            return band.grade;
    return bands.empty() ? RiskGrade::Standard : bands.back().grade;
}

int RiskModel::highRiskThreshold() const noexcept
{
    const RiskBand* band = bandFor(RiskGrade::High);
    return band == nullptr ? 0 : band->min;
}

const RiskBand* RiskModel::bandFor(RiskGrade grade) const noexcept
{
    for (const RiskBand& band : bands)
        if (band.grade == grade)
            return &band;
    return nullptr;
}

const SpecssFactor* RiskModel::findFactor(std::string_view factorId) const
{
    for (const SpecssFactor& f : specssFactors)
        if (f.id == factorId)
            return &f;
    return nullptr;
}

const QuestionGroup* RiskModel::findGroup(std::string_view groupId) const
{
    for (const QuestionGroup& g : groups)
        if (g.id == groupId)
            return &g;
    return nullptr;
}

std::string RiskModel::shortTitle() const
{
    const auto cut = title.find(" (");
    std::string out = cut == std::string::npos ? title : title.substr(0, cut);
    return out.empty() ? displayName() : out;
}

std::string RiskModel::displayName() const
{
    return id + " v" + version;
}

void RiskModel::reindex()
{
    m_index.clear();
    for (std::size_t i = 0; i < questions.size(); ++i)
        m_index.emplace(questions[i].id, std::make_pair(-1L, i));
    for (std::size_t g = 0; g < groups.size(); ++g)
        for (std::size_t i = 0; i < groups[g].questions.size(); ++i)
            m_index.emplace(groups[g].questions[i].id, std::make_pair(static_cast<long>(g), i));
}

Result<RiskModel> parseRiskModel(std::string_view jsonText, std::string_view fileName)
{
    auto root = parseJsonText(jsonText, fileName, "Risk model file");
    if (!root.ok())
        return std::move(root).error();
    ModelParser parser{fileName};
    return parser.parse(*root);
}

Result<RiskModel> loadRiskModelFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "risk model");
    if (!text.ok())
        return std::move(text).error();
    return parseRiskModel(*text, path.filename().string());
}

int compareVersions(std::string_view a, std::string_view b) noexcept
{
    auto next = [](std::string_view& s) {
        long long value = 0;
        std::size_t i = 0;
        for (; i < s.size() && s[i] != '.'; ++i)
            value = value * 10 + (s[i] - '0');
        s.remove_prefix(i < s.size() ? i + 1 : i);
        return value;
    };
    while (!a.empty() || !b.empty()) {
        const long long x = next(a);
        const long long y = next(b);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

Status RiskModelRegistry::add(RiskModel model)
{
    if (find(model.id, model.version) != nullptr)
        return makeError(ErrorCode::AlreadyExists,
                         "Risk model " + model.id + " version " + model.version
                             + " is installed twice: remove one of the two files, or give the newer one a new version.");
    m_models.push_back(std::make_shared<const RiskModel>(std::move(model)));
    return {};
}

const RiskModel* RiskModelRegistry::find(std::string_view id, std::string_view version) const
{
    for (const auto& m : m_models)
        if (m->id == id && m->version == version)
            return m.get();
    return nullptr;
}

const RiskModel* RiskModelRegistry::latest(std::string_view id) const
{
    const RiskModel* best = nullptr;
    for (const auto& m : m_models)
        if (m->id == id && (best == nullptr || compareVersions(m->version, best->version) > 0))
            best = m.get();
    return best;
}

Result<RiskModelRegistry> RiskModelRegistry::loadDirectory(const std::filesystem::path& directory)
{
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it{directory, ec}, end; !ec && it != end; it.increment(ec)) {
        const auto& p = it->path();
        // The folder also holds the rules, the sharing allow-lists and the bank-holiday list,
        // which are not risk models.
        const std::string name = p.filename().string();
        if (p.extension() == ".json" && name.rfind("rules-", 0) != 0 && name.rfind("sharing-", 0) != 0
            && name.rfind("bank-holidays-", 0) != 0)
            files.push_back(p);
    }
    if (ec)
        return makeError(ErrorCode::NotFound, "The risk model folder " + directory.string() + " cannot be read ("
                                                  + ec.message() + "): reinstall Vigil or ask your administrator.");
    std::sort(files.begin(), files.end());
    RiskModelRegistry registry;
    for (const auto& file : files) {
        auto model = loadRiskModelFile(file);
        if (!model.ok())
            return std::move(model).error();
        VIGIL_TRY(registry.add(std::move(*model)));
    }
    return registry;
}

}  // namespace vigil
