#include "core/casework/VictimsCodeRules.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/risk/JsonFile.h"

namespace vigil {

using nlohmann::json;

namespace {

constexpr long long kMostHours = 24 * 366;
constexpr long long kMostWorkingDays = 260;

class SectionParser {
public:
    explicit SectionParser(std::string_view fileName) : m_file(fileName) {}

    Result<VictimsCodeRules> parse(const json& root) const
    {
        VictimsCodeRules rules;
        if (!root.is_object())
            return fail("", "the file must contain one JSON object");
        const auto section = root.find("victims_code");
        if (section == root.end())
            return rules;  // a copy made before issue 24: the defaults stand
        const std::string at = "/victims_code";
        if (!section->is_object())
            return fail(at, "victims_code must be an object");
        const json& s = *section;

        const auto code = s.find("code");
        if (code == s.end() || !code->is_string() || code->get_ref<const std::string&>().empty())
            return fail(at + "/code", "code must name the edition of the Victims' Code the numbers follow");
        rules.code = code->get<std::string>();
        VIGIL_TRY(number(s, at, "first_contact_hours", kMostHours, rules.firstContactHours));
        VIGIL_TRY(number(s, at, "needs_assessment_hours", kMostHours, rules.needsAssessmentHours));

        const auto services = s.find("victim_services");
        if (services == s.end() || !services->is_object())
            return fail(at + "/victim_services", "victim_services must be an object with working_days and "
                                                 "domestic_abuse_needs_consent");
        VIGIL_TRY(number(*services, at + "/victim_services", "working_days", kMostWorkingDays,
                         rules.victimServicesWorkingDays));
        const auto consent = services->find("domestic_abuse_needs_consent");
        if (consent == services->end() || !consent->is_boolean())
            return fail(at + "/victim_services/domestic_abuse_needs_consent",
                        "domestic_abuse_needs_consent must be true or false");
        rules.victimServicesConsentForDomesticAbuse = consent->get<bool>();

        const auto updates = s.find("updates");
        if (updates == s.end() || !updates->is_object())
            return fail(at + "/updates", "updates must be an object keyed by event (arrest, interview, bail, ...)");
        rules.updates.clear();
        for (const auto& [name, value] : updates->items()) {
            const std::string here = at + "/updates/" + name;
            const auto kind = caseEventKindFromString(name);
            if (!kind || *kind == CaseEventKind::Report)
                return fail(here, "unknown event (use " + eventNames() + ")");
            if (!value.is_object())
                return fail(here, "each event needs enhanced_working_days and standard_working_days");
            UpdateDeadline d;
            VIGIL_TRY(number(value, here, "enhanced_working_days", kMostWorkingDays, d.enhancedWorkingDays));
            VIGIL_TRY(number(value, here, "standard_working_days", kMostWorkingDays, d.standardWorkingDays));
            if (d.enhancedWorkingDays > d.standardWorkingDays)
                return fail(here, "enhanced rights may not wait longer than standard ones");
            rules.updates.emplace(*kind, d);
        }

        const auto consult = s.find("consult_before");
        if (consult == s.end() || !consult->is_array())
            return fail(at + "/consult_before", "consult_before must be a list of decisions (it may be empty)");
        rules.consultBefore.clear();
        for (std::size_t i = 0; i < consult->size(); ++i) {
            const json& k = (*consult)[i];
            const std::string here = at + "/consult_before/" + std::to_string(i);
            const auto kind = k.is_string() ? caseEventKindFromString(k.get_ref<const std::string&>()) : std::nullopt;
            if (!kind || *kind == CaseEventKind::Report)
                return fail(here, "unknown decision (use bail, bail_change or another event name)");
            if (std::find(rules.consultBefore.begin(), rules.consultBefore.end(), *kind) != rules.consultBefore.end())
                return fail(here, "listed twice");
            rules.consultBefore.push_back(*kind);
        }
        return rules;
    }

private:
    static std::string eventNames()
    {
        std::string names;
        for (CaseEventKind kind : allCaseEventKinds()) {
            if (kind == CaseEventKind::Report)
                continue;
            names += (names.empty() ? "" : ", ") + std::string{toString(kind)};
        }
        return names;
    }

    Error fail(const std::string& pointer, const std::string& problem) const
    {
        const std::string at = pointer.empty() ? "/" : pointer;
        return makeError(ErrorCode::MalformedModel,
                         "Rules configuration file " + m_file + " is not valid at " + at + ": " + problem
                             + ". Correct the file, or reinstall Vigil's default rules.",
                         at);
    }

    Status number(const json& object, const std::string& at, const char* key, long long most, int& out) const
    {
        const auto it = object.find(key);
        if (it == object.end())
            return fail(at + "/" + key, std::string{"missing "} + key);
        if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > most)
            return fail(at + "/" + key,
                        std::string{key} + " must be a whole number from 1 to " + std::to_string(most));
        out = it->get<int>();
        return {};
    }

    std::string m_file;
};

}  // namespace

Result<VictimsCodeRules> parseVictimsCodeRules(std::string_view jsonText, std::string_view fileName)
{
    auto root = parseJsonText(jsonText, fileName, "Rules configuration file");
    if (!root.ok())
        return std::move(root).error();
    return SectionParser{fileName}.parse(*root);
}

Result<VictimsCodeRules> loadVictimsCodeRulesFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "rules configuration");
    if (!text.ok())
        return std::move(text).error();
    return parseVictimsCodeRules(*text, path.filename().string());
}

}  // namespace vigil
