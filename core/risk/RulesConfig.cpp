#include "core/risk/RulesConfig.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "core/risk/JsonFile.h"

namespace vigil {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 4> kReferenceNames{"cad", "cris", "crimint", "merlin_pac"};

class ConfigParser {
public:
    explicit ConfigParser(std::string_view fileName) : m_file(fileName) {}

    Result<RulesConfig> parse(const json& root) const
    {
        RulesConfig config;
        if (!root.is_object())
            return fail("", "the file must contain one JSON object");
        if (const auto it = root.find("format"); it != root.end() && !(it->is_number_integer() && *it == 1))
            return fail("/format", "unsupported format (this version of Vigil reads format 1)");
        VIGIL_TRY(text(root, "", "id", config.id));
        VIGIL_TRY(text(root, "", "version", config.version));

        const json* section = nullptr;
        VIGIL_TRY(object(root, "escalation", section));
        VIGIL_TRY(number(*section, "/escalation", "call_outs", 1, config.escalationCallOuts));
        VIGIL_TRY(number(*section, "/escalation", "window_days", 1, config.escalationWindowDays));
        VIGIL_TRY(object(root, "repeat_victim", section));
        VIGIL_TRY(number(*section, "/repeat_victim", "window_days", 1, config.repeatVictimWindowDays));
        VIGIL_TRY(object(root, "repeat_marac", section));
        VIGIL_TRY(number(*section, "/repeat_marac", "window_days", 1, config.repeatMaracWindowDays));

        const auto flags = root.find("automatic_marac_flags");
        if (flags == root.end() || !flags->is_array())
            return fail("/automatic_marac_flags", "automatic_marac_flags must be a list of flag names (it may be empty)");
        config.automaticMaracFlags.clear();
        const auto& known = knownIncidentFlagNames();
        for (std::size_t i = 0; i < flags->size(); ++i) {
            const json& f = (*flags)[i];
            const std::string at = "/automatic_marac_flags/" + std::to_string(i);
            if (!f.is_string() || std::find(known.begin(), known.end(), f.get<std::string>()) == known.end())
                return fail(at, "unknown flag (use one of hbv, forced_marriage, fgm, stalking, ...)");
            config.automaticMaracFlags.push_back(f.get<std::string>());
        }

        VIGIL_TRY(object(root, "crimes_rule", section));
        const auto enabled = section->find("enabled");
        if (enabled == section->end() || !enabled->is_boolean())
            return fail("/crimes_rule/enabled", "enabled must be true or false");
        config.crimesRuleEnabled = enabled->get<bool>();
        VIGIL_TRY(number(*section, "/crimes_rule", "crimes", 1, config.crimesRuleCount));
        VIGIL_TRY(number(*section, "/crimes_rule", "window_days", 1, config.crimesRuleWindowDays));

        // Optional, for copies made before issue 23: the defaults above stand when it is missing.
        if (root.contains("supervision_reviews")) {
            VIGIL_TRY(object(root, "supervision_reviews", section));
            VIGIL_TRY(number(*section, "/supervision_reviews", "every_days", 1, config.reviewEveryDays));
            const json* sso = nullptr;
            VIGIL_TRY(object(*section, "serious_sexual_offence", sso));
            const std::string at = "/supervision_reviews/serious_sexual_offence";
            VIGIL_TRY(number(*sso, at, "supervisor_hours", 1, config.ssoSupervisorHours));
            VIGIL_TRY(number(*sso, at, "inspector_days", 1, config.ssoInspectorDays));
            VIGIL_TRY(number(*sso, at, "chief_inspector_days", 1, config.ssoChiefInspectorDays));
            VIGIL_TRY(number(*sso, at, "then_every_days", 1, config.ssoThenEveryDays));
            if (config.ssoInspectorDays * 24 <= config.ssoSupervisorHours
                || config.ssoChiefInspectorDays <= config.ssoInspectorDays)
                return fail(at, "the reviews must come in order: supervisor, then inspector, then chief inspector");
        }

        const auto formats = root.find("reference_formats");
        if (formats != root.end()) {
            if (!formats->is_object())
                return fail("/reference_formats", "reference_formats must be an object keyed by reference name");
            for (const auto& [name, value] : formats->items()) {
                const std::string at = "/reference_formats/" + name;
                if (std::find(kReferenceNames.begin(), kReferenceNames.end(), name) == kReferenceNames.end())
                    return fail(at, "unknown reference (use cad, cris, crimint or merlin_pac)");
                if (!value.is_object())
                    return fail(at, "each reference format needs a pattern and an example");
                std::string pattern;
                std::string example;
                VIGIL_TRY(text(value, at, "pattern", pattern));
                VIGIL_TRY(text(value, at, "example", example));
                auto format = makeReferenceFormat(pattern, example);
                if (!format.ok())
                    return fail(at + "/pattern", "the pattern is not a valid regular expression");
                if (!std::regex_match(example, *format->regex))
                    return fail(at + "/example", "the example \"" + example + "\" does not match the pattern");
                config.referenceFormats.emplace(name, std::move(*format));
            }
        }
        return config;
    }

private:
    Error fail(const std::string& pointer, const std::string& problem) const
    {
        return makeError(ErrorCode::MalformedModel,
                         "Rules configuration file " + m_file + " is not valid at " + (pointer.empty() ? "/" : pointer)
                             + ": " + problem + ". Correct the file, or reinstall Vigil's default rules.",
                         pointer.empty() ? "/" : pointer);
    }

    Status text(const json& object, const std::string& at, const char* key, std::string& out) const
    {
        const auto it = object.find(key);
        if (it == object.end())
            return fail(at + "/" + key, std::string{"missing "} + key);
        if (!it->is_string() || it->get<std::string>().empty())
            return fail(at + "/" + key, std::string{key} + " must be non-empty text");
        out = it->get<std::string>();
        return {};
    }

    Status object(const json& root, const char* key, const json*& out) const
    {
        const auto it = root.find(key);
        if (it == root.end())
            return fail(std::string{"/"} + key, std::string{"missing "} + key);
        if (!it->is_object())
            return fail(std::string{"/"} + key, std::string{key} + " must be an object");
        out = &*it;
        return {};
    }

    Status number(const json& object, const std::string& at, const char* key, int minimum, int& out) const
    {
        const auto it = object.find(key);
        if (it == object.end())
            return fail(at + "/" + key, std::string{"missing "} + key);
        if (!it->is_number_integer() || it->get<long long>() < minimum || it->get<long long>() > 100000)
            return fail(at + "/" + key, std::string{key} + " must be a whole number of at least " + std::to_string(minimum));
        out = it->get<int>();
        return {};
    }

    std::string m_file;
};

}  // namespace

const std::vector<std::string_view>& knownIncidentFlagNames()
{
    static const std::vector<std::string_view> names{"repeat_victim", "hbv",        "forced_marriage",
                                                     "fgm",           "stalking",   "police_staff_involved",
                                                     "disability",    "lgbt",       "serious_sexual_offence"};
    return names;
}

Result<ReferenceFormat> makeReferenceFormat(std::string pattern, std::string example)
{
    try {
        auto regex = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript | std::regex::icase);
        return ReferenceFormat{std::move(pattern), std::move(example), std::move(regex)};
    } catch (const std::regex_error&) {
        return makeError(ErrorCode::InvalidArgument,
                         "The reference format \"" + pattern + "\" is not a valid regular expression: correct it in the rules configuration.");
    }
}

Result<RulesConfig> parseRulesConfig(std::string_view jsonText, std::string_view fileName)
{
    auto root = parseJsonText(jsonText, fileName, "Rules configuration file");
    if (!root.ok())
        return std::move(root).error();
    return ConfigParser{fileName}.parse(*root);
}

Result<RulesConfig> loadRulesConfigFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "rules configuration");
    if (!text.ok())
        return std::move(text).error();
    return parseRulesConfig(*text, path.filename().string());
}

}  // namespace vigil
