#include "core/risk/AuthorityPolicy.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "core/common/Text.h"
#include "core/risk/JsonFile.h"

namespace vigil {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<Principal, std::string_view>, 8> kPrincipals{{{Principal::Owner, "owner"},
                                                                             {Principal::OfficerInCase, "officer_in_case"},
                                                                             {Principal::Officer, "officer"},
                                                                             {Principal::Investigator, "investigator"},
                                                                             {Principal::Supervisor, "supervisor"},
                                                                             {Principal::Idva, "idva"},
                                                                             {Principal::ClearedOnList, "cleared_on_list"},
                                                                             {Principal::Anyone, "anyone"}}};

constexpr std::array<std::pair<AuthorityCheck, std::string_view>, 8> kChecks{
    {{AuthorityCheck::RestrictionReason, "restriction_reason"},
     {AuthorityCheck::ClearedUserRemains, "cleared_user_remains"},
     {AuthorityCheck::ConsentToShare, "consent_to_share"},
     {AuthorityCheck::DeletionReason, "deletion_reason"},
     {AuthorityCheck::AuthorIsSender, "author_is_sender"},
     {AuthorityCheck::AppendOnly, "append_only"},
     {AuthorityCheck::AllocatableUser, "allocatable_user"},
     {AuthorityCheck::SafeContact, "safe_contact"}}};

constexpr std::array<std::string_view, 16> kEntities{
    "*", "incident", "person", "answer", "rara_item", "referral", "attachment", "supervision",
    "victim_case", "contact", "case_event", "safety_item", "protective_order", "order_breach",
    "risk_assessment", "feedback_form"};

std::string principalLabel(Principal p)
{
    switch (p) {
    case Principal::Owner: return "its owner";
    case Principal::Officer: return "an officer";
    case Principal::Investigator: return "an investigator";
    case Principal::Supervisor: return "a supervisor";
    case Principal::Idva: return "an IDVA";
    case Principal::ClearedOnList: return "a cleared user named on its access list";
    case Principal::Anyone: return "anyone who may see it";
    case Principal::OfficerInCase: return "the officer in the case";
    }
    return "nobody";
}

std::string stateWords(LifecycleState state)
{
    std::string s{toString(state)};
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

bool matches(Principal principal, const WriteContext& who)
{
    switch (principal) {
    case Principal::Anyone: return true;
    case Principal::Owner: return who.isOwner;
    case Principal::ClearedOnList: return who.clearedOnList;
    case Principal::Officer: return who.role == Role::Officer;
    case Principal::Investigator: return who.role == Role::Investigator;
    case Principal::Supervisor: return who.role == Role::Supervisor;
    case Principal::Idva: return who.role == Role::Idva;
    case Principal::OfficerInCase: return who.officerInCase;
    }
    return false;
}

bool holds(const AuthorityGrant& grant, const WriteContext& who)
{
    const bool inState = grant.states.empty()
        || std::find(grant.states.begin(), grant.states.end(), who.state) != grant.states.end();
    return inState && std::any_of(grant.who.begin(), grant.who.end(), [&](Principal p) { return matches(p, who); });
}

/// Reads one rule; errors name the rule and the key, so whoever edits the file can find it.
class RuleReader {
public:
    RuleReader(std::string_view fileName, std::string path) : m_file(fileName), m_path(std::move(path)) {}

    Error error(const std::string& what) const
    {
        return makeError(ErrorCode::MalformedModel,
                         "Authority policy " + m_file + ": " + m_path + " " + what
                             + ". Correct the file, or reinstall Vigil's defaults.",
                         m_path);
    }

    Result<std::vector<std::string>> texts(const json& j, const char* key, bool required) const
    {
        std::vector<std::string> out;
        auto it = j.find(key);
        if (it == j.end()) {
            if (required)
                return error(std::string("has no \"") + key + "\" list");
            return out;
        }
        if (!it->is_array())
            return error(std::string("\"") + key + "\" is not a list");
        for (const auto& v : *it) {
            if (!v.is_string() || v.get_ref<const std::string&>().empty())
                return error(std::string("\"") + key + "\" holds something that is not a name");
            out.push_back(v.get<std::string>());
        }
        return out;
    }

    Result<std::vector<AuthorityCheck>> checks(const json& j) const
    {
        auto names = texts(j, "checks", false);
        if (!names)
            return std::move(names).error();
        std::vector<AuthorityCheck> out;
        for (const auto& name : *names) {
            auto it = std::find_if(kChecks.begin(), kChecks.end(), [&](const auto& c) { return c.second == name; });
            if (it == kChecks.end())
                return error("names the check \"" + name + "\", which Vigil does not know");
            out.push_back(it->first);
        }
        return out;
    }

    Result<AuthorityGrant> grant(const json& j) const
    {
        if (!j.is_object())
            return error("has a grant that is not an object");
        AuthorityGrant g;
        auto who = texts(j, "who", true);
        if (!who)
            return std::move(who).error();
        for (const auto& name : *who) {
            auto it = std::find_if(kPrincipals.begin(), kPrincipals.end(), [&](const auto& p) { return p.second == name; });
            if (it == kPrincipals.end())
                return error("grants to \"" + name + "\", which is not a role or principal Vigil knows");
            g.who.push_back(it->first);
        }
        auto states = texts(j, "states", true);
        if (!states)
            return std::move(states).error();
        for (const auto& name : *states) {
            if (name == "any") {
                g.states.clear();
                break;
            }
            auto state = lifecycleStateFromString(name);
            if (!state)
                return error("names the state \"" + name + "\", which is not a lifecycle state");
            g.states.push_back(*state);
        }
        auto extra = checks(j);
        if (!extra)
            return std::move(extra).error();
        g.checks = std::move(extra).value();
        return g;
    }

private:
    std::string m_file;
    std::string m_path;
};

}  // namespace

std::string_view toString(Principal principal) noexcept
{
    for (const auto& [p, name] : kPrincipals)
        if (p == principal)
            return name;
    return "unknown";
}

std::string_view toString(AuthorityCheck check) noexcept
{
    for (const auto& [c, name] : kChecks)
        if (c == check)
            return name;
    return "unknown";
}

bool sharingAllowed(const Consent& consent, std::string_view agency) noexcept
{
    switch (sharingBasis(consent, agency)) {
    case SharingBasis::Consent:
    case SharingBasis::MaracConsent:
    case SharingBasis::LawfulBasis:
        return true;
    case SharingBasis::None:
    case SharingBasis::PartialLawfulBasis:
        break;
    }
    return false;
}

SharingBasis sharingBasis(const Consent& consent, std::string_view agency) noexcept
{
    if (consent.shareWithPartners.value_or(false))
        return SharingBasis::Consent;
    if (agency == "marac" && consent.maracReferral.value_or(false))
        return SharingBasis::MaracConsent;
    const bool basis = !isBlank(consent.lawfulBasis);
    const bool why = !isBlank(consent.justification);
    if (basis && why)
        return SharingBasis::LawfulBasis;
    return basis || why ? SharingBasis::PartialLawfulBasis : SharingBasis::None;
}

bool fieldMatches(std::string_view pattern, std::string_view field) noexcept
{
    if (pattern == "*")
        return true;
    if (!pattern.empty() && pattern.back() == '*') {
        const auto prefix = pattern.substr(0, pattern.size() - 1);
        return field.substr(0, prefix.size()) == prefix;
    }
    return pattern == field;
}

Result<AuthorityPolicy> AuthorityPolicy::fromJson(const json& j, std::string_view fileName)
{
    RuleReader top(fileName, "the file");
    if (!j.is_object() || j.value("format", 0) != 1)
        return top.error("is not an authority policy of format 1");
    AuthorityPolicy policy;
    policy.m_id = j.value("id", std::string());
    policy.m_version = j.value("version", std::string());
    if (policy.m_id.empty() || policy.m_version.empty())
        return top.error("has no id or version");
    auto rules = j.find("rules");
    if (rules == j.end() || !rules->is_array() || rules->empty())
        return top.error("has no rules");
    for (std::size_t i = 0; i < rules->size(); ++i) {
        const json& r = (*rules)[i];
        const std::string id = r.is_object() ? r.value("id", std::string()) : std::string();
        RuleReader read(fileName, "rule " + std::to_string(i) + (id.empty() ? "" : " (" + id + ")"));
        if (!r.is_object() || id.empty())
            return read.error("has no id");
        AuthorityRule rule;
        rule.id = id;
        rule.entity = r.value("entity", std::string());
        if (std::find(kEntities.begin(), kEntities.end(), rule.entity) == kEntities.end())
            return read.error("is for the entity \"" + rule.entity + "\", which is not a kind of record");
        auto fields = read.texts(r, "fields", true);
        if (!fields)
            return std::move(fields).error();
        if (fields->empty())
            return read.error("names no fields");
        rule.fields = std::move(fields).value();
        rule.commandOnly = r.value("command_only", false);
        rule.what = r.value("what", std::string());
        rule.explain = r.value("explain", std::string());
        if (rule.what.empty() || rule.explain.empty())
            return read.error("has no \"what\" or \"explain\" text for the people it refuses");
        auto checks = read.checks(r);
        if (!checks)
            return std::move(checks).error();
        rule.checks = std::move(checks).value();
        if (auto g = r.find("grants"); g != r.end()) {
            if (!g->is_array())
                return read.error("has \"grants\" that is not a list");
            for (const json& one : *g) {
                auto grant = read.grant(one);
                if (!grant)
                    return std::move(grant).error();
                rule.grants.push_back(std::move(grant).value());
            }
        }
        if (!rule.commandOnly && rule.grants.empty())
            return read.error("grants nobody: say \"command_only\": true, or list who may write");
        policy.m_rules.push_back(std::move(rule));
    }
    return policy;
}

Result<AuthorityPolicy> AuthorityPolicy::loadFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "authority policy");
    if (!text)
        return std::move(text).error();
    auto j = parseJsonText(*text, path.filename().string(), "Authority policy");
    if (!j)
        return std::move(j).error();
    return fromJson(*j, path.filename().string());
}

const AuthorityRule* AuthorityPolicy::ruleFor(std::string_view entity, std::string_view field) const noexcept
{
    for (const AuthorityRule& rule : m_rules) {
        if (rule.entity != "*" && rule.entity != entity)
            continue;
        for (const auto& pattern : rule.fields)
            if (fieldMatches(pattern, field))
                return &rule;
    }
    return nullptr;
}

Result<AuthorityDecision> AuthorityPolicy::decide(const WriteContext& who, std::string_view entity,
                                                  std::string_view field) const
{
    const AuthorityRule* rule = ruleFor(entity, field);
    if (!rule)
        return makeError(ErrorCode::Rejected,
                         "No rule of the authority policy (" + m_id + " " + m_version + ") allows writing "
                             + std::string(field) + " on a " + std::string(entity)
                             + " record, so nobody may. Tell your administrator.",
                         std::string(field));
    if (rule->commandOnly)
        return makeError(ErrorCode::Rejected,
                         "You cannot change " + rule->what + " directly. " + rule->explain, std::string(field));
    for (const AuthorityGrant& grant : rule->grants) {
        if (!holds(grant, who))
            continue;
        AuthorityDecision decision{rule, rule->checks};
        decision.checks.insert(decision.checks.end(), grant.checks.begin(), grant.checks.end());
        return decision;
    }
    // Who could, for the words: the grants' principals and states.
    std::string could;
    for (const AuthorityGrant& grant : rule->grants) {
        std::string names;
        for (std::size_t i = 0; i < grant.who.size(); ++i)
            names += (i == 0 ? "" : i + 1 == grant.who.size() ? " or " : ", ") + principalLabel(grant.who[i]);
        std::string states;
        for (std::size_t i = 0; i < grant.states.size(); ++i)
            states += (i == 0 ? "" : i + 1 == grant.states.size() ? " or " : ", ") + stateWords(grant.states[i]);
        if (!could.empty())
            could += "; ";
        could += names + (states.empty() ? std::string(" at any time") : " while it is " + states);
    }
    return makeError(ErrorCode::Rejected,
                     "You cannot change " + rule->what + " on this 124D, which is " + stateWords(who.state)
                         + ": only " + could + ". " + rule->explain,
                     std::string(field));
}

bool AuthorityPolicy::mayWrite(const WriteContext& who, std::string_view entity, std::string_view field) const
{
    const AuthorityRule* rule = ruleFor(entity, field);
    if (!rule || rule->commandOnly)
        return false;
    return std::any_of(rule->grants.begin(), rule->grants.end(), [&](const AuthorityGrant& g) { return holds(g, who); });
}

}  // namespace vigil
