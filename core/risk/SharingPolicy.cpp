#include "core/risk/SharingPolicy.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "core/risk/AuthorityPolicy.h"
#include "core/risk/JsonFile.h"

namespace vigil {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<ShareRows, std::string_view>, 5> kRows{
    {{ShareRows::All, "all"},
     {ShareRows::InCaseOfReferredVictim, "in_case_of_referred_victim"},
     {ShareRows::ReferredVictim, "referred_victim"},
     {ShareRows::OfReferredVictim, "of_referred_victim"},
     {ShareRows::AddressedToRecipient, "addressed_to_recipient"}}};

// The record kinds of a 124D, and those the casework adds (issue 24), so a policy can name them
// before a server holds any.
constexpr std::array<std::string_view, 14> kEntities{
    "incident", "person", "answer", "rara_item", "referral", "attachment", "supervision",
    "victim_case", "contact", "case_event", "safety_item", "protective_order", "order_breach",
    "risk_assessment"};
constexpr std::array<std::string_view, 3> kRoles{"victim", "suspect", "child"};

/// The kind a `rows` selector can be used on ("" = any kind).
std::string_view selectorKind(ShareRows rows)
{
    switch (rows) {
    case ShareRows::All: return "";
    case ShareRows::ReferredVictim: return "person";
    case ShareRows::OfReferredVictim: return "";
    case ShareRows::AddressedToRecipient: return "referral";
    case ShareRows::InCaseOfReferredVictim: return "";
    }
    return "";
}

/// Can two field patterns name one field ("person.address.*" and "person.address.line")?
bool overlap(std::string_view a, std::string_view b)
{
    const bool aWild = !a.empty() && a.back() == '*';
    const bool bWild = !b.empty() && b.back() == '*';
    const std::string_view as = aWild ? a.substr(0, a.size() - 1) : a;
    const std::string_view bs = bWild ? b.substr(0, b.size() - 1) : b;
    if (!aWild && !bWild)
        return as == bs;
    if (aWild && bWild)
        return as.substr(0, std::min(as.size(), bs.size())) == bs.substr(0, std::min(as.size(), bs.size()));
    return aWild ? bs.substr(0, as.size()) == as : as.substr(0, bs.size()) == bs;
}

class Reader {
public:
    Reader(std::string_view fileName, std::string path) : m_file(fileName), m_path(std::move(path)) {}

    Error error(const std::string& what) const
    {
        return makeError(ErrorCode::MalformedModel,
                         "Sharing policy " + m_file + ": " + m_path + " " + what
                             + ". Correct the file, or reinstall Vigil's defaults.",
                         m_path);
    }

    Result<std::string> text(const json& j, const char* key) const
    {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
            return error(std::string("has no \"") + key + "\" text");
        return it->get<std::string>();
    }

    Result<std::vector<std::string>> fields(const json& j) const
    {
        auto it = j.find("fields");
        if (it == j.end() || !it->is_array())
            return error("has no \"fields\" list");
        if (it->empty())
            return error("names no fields (leave the kind out of \"shares\" to send none of it)");
        std::vector<std::string> out;
        for (const auto& v : *it) {
            if (!v.is_string() || v.get_ref<const std::string&>().empty())
                return error("has a field that is not a name in \"fields\"");
            const auto& name = v.get_ref<const std::string&>();
            if (name.find('*') != std::string::npos && name.find('*') + 1 != name.size())
                return error("names the field \"" + name + "\": a \"*\" may only end a pattern");
            if (name.front() == '@')
                return error("names \"" + name + "\": creation and removal follow the row, and other @ fields are "
                                                 "never shared");
            out.push_back(name);
        }
        return out;
    }

private:
    std::string m_file;
    std::string m_path;
};

}  // namespace

std::string_view toString(ShareRows rows) noexcept
{
    for (const auto& [r, name] : kRows)
        if (r == rows)
            return name;
    return "unknown";
}

bool ShareRule::passes(std::string_view field) const noexcept
{
    if (field == "@create" || field == "@delete")
        return true;
    return std::any_of(fields.begin(), fields.end(), [&](const std::string& p) { return fieldMatches(p, field); });
}

Result<SharingPolicy> SharingPolicy::fromJson(const json& j, std::string_view fileName)
{
    Reader top(fileName, "the file");
    if (!j.is_object() || j.value("format", 0) != 1)
        return top.error("is not a sharing policy of format 1");
    SharingPolicy policy;
    auto id = top.text(j, "id");
    if (!id)
        return std::move(id).error();
    auto version = top.text(j, "version");
    if (!version)
        return std::move(version).error();
    policy.m_id = std::move(id).value();
    policy.m_version = std::move(version).value();
    auto recipient = top.text(j, "recipient");
    if (!recipient)
        return std::move(recipient).error();
    const auto role = roleFromString(*recipient);
    if (!role)
        return top.error("names the recipient \"" + *recipient + "\", which is not a role Vigil knows");
    if (*role != Role::Idva)
        return top.error("is for \"" + *recipient + "\": only an IDVA's view is filtered by a sharing policy today");
    policy.m_recipient = *role;

    auto shares = j.find("shares");
    if (shares == j.end() || !shares->is_array() || shares->empty())
        return top.error("has no \"shares\" list");
    for (std::size_t i = 0; i < shares->size(); ++i) {
        const json& s = (*shares)[i];
        const std::string entity = s.is_object() ? s.value("entity", std::string()) : std::string();
        const std::string roleName = s.is_object() ? s.value("role", std::string()) : std::string();
        Reader read(fileName, "share " + std::to_string(i) + (entity.empty() ? "" : " (" + entity)
                                  + (roleName.empty() ? "" : ", " + roleName) + (entity.empty() ? "" : ")"));
        if (!s.is_object())
            return read.error("is not an object");
        if (std::find(kEntities.begin(), kEntities.end(), entity) == kEntities.end())
            return read.error("is for the entity \"" + entity + "\", which is not a kind of record");
        ShareRule rule;
        rule.entity = entity;
        if (entity == "person") {
            if (std::find(kRoles.begin(), kRoles.end(), roleName) == kRoles.end())
                return read.error("is for person rows without a role Vigil knows: say \"role\": \"victim\", "
                                  "\"suspect\" or \"child\"");
            rule.role = roleName;
        } else if (s.contains("role")) {
            return read.error("has a \"role\", which only person rows have");
        }
        auto rows = read.text(s, "rows");
        if (!rows)
            return std::move(rows).error();
        auto found = std::find_if(kRows.begin(), kRows.end(), [&](const auto& r) { return r.second == *rows; });
        if (found == kRows.end())
            return read.error("passes the rows \"" + *rows
                              + "\": say all, referred_victim, of_referred_victim, addressed_to_recipient or "
                                "in_case_of_referred_victim");
        rule.rows = found->first;
        const std::string_view kind = selectorKind(rule.rows);
        if ((!kind.empty() && kind != entity) || (rule.rows == ShareRows::ReferredVictim && rule.role != "victim"))
            return read.error("passes \"" + *rows + "\" rows, which " + entity
                              + (rule.role.empty() ? std::string() : " (" + rule.role + ")") + " rows cannot be");
        if (rule.rows == ShareRows::OfReferredVictim && (entity == "incident" || entity == "person"))
            return read.error("passes \"of_referred_victim\" rows, but " + entity + " rows have no victim as their parent");
        auto fields = read.fields(s);
        if (!fields)
            return std::move(fields).error();
        rule.fields = std::move(fields).value();
        if (entity == "person" && !rule.passes("role"))
            return read.error("does not pass \"role\": a device files a person row as victim, suspect or child by it");
        auto why = read.text(s, "why");
        if (!why)
            return std::move(why).error();
        rule.why = std::move(why).value();
        if (auto w = s.find("withheld"); w != s.end()) {
            if (!w->is_array())
                return read.error("has \"withheld\" that is not a list");
            for (const json& one : *w) {
                if (!one.is_object())
                    return read.error("has a \"withheld\" entry that is not an object");
                auto names = read.fields(one);
                if (!names)
                    return std::move(names).error();
                auto reason = read.text(one, "why");
                if (!reason)
                    return std::move(reason).error();
                for (const auto& name : *names)
                    for (const auto& shared : rule.fields)
                        if (overlap(name, shared))
                            return read.error("both shares \"" + shared + "\" and withholds \"" + name
                                              + "\": take one of them out");
                rule.withheld.push_back(ShareWithheld{std::move(names).value(), std::move(reason).value()});
            }
        }
        if (policy.ruleFor(rule.entity, rule.role))
            return read.error("shares the same rows as an earlier share: merge the two");
        policy.m_shares.push_back(std::move(rule));
    }

    if (auto never = j.find("never"); never != j.end()) {
        if (!never->is_array())
            return top.error("has \"never\" that is not a list");
        for (std::size_t i = 0; i < never->size(); ++i) {
            const json& n = (*never)[i];
            Reader read(fileName, "never " + std::to_string(i));
            if (!n.is_object())
                return read.error("is not an object");
            auto entity = read.text(n, "entity");
            if (!entity)
                return std::move(entity).error();
            if (std::find(kEntities.begin(), kEntities.end(), *entity) == kEntities.end())
                return read.error("is for the entity \"" + *entity + "\", which is not a kind of record");
            if (policy.sharesEntity(*entity))
                return read.error("says \"" + *entity + "\" is never shared, but a share passes it: take one out");
            auto why = read.text(n, "why");
            if (!why)
                return std::move(why).error();
            policy.m_never.push_back(ShareNever{std::move(entity).value(), std::move(why).value()});
        }
    }
    return policy;
}

Result<SharingPolicy> SharingPolicy::loadFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "sharing policy");
    if (!text)
        return std::move(text).error();
    auto j = parseJsonText(*text, path.filename().string(), "Sharing policy");
    if (!j)
        return std::move(j).error();
    return fromJson(*j, path.filename().string());
}

const ShareRule* SharingPolicy::ruleFor(std::string_view entity, std::string_view role) const noexcept
{
    for (const ShareRule& rule : m_shares)
        if (rule.entity == entity && rule.role == role)
            return &rule;
    return nullptr;
}

bool SharingPolicy::sharesEntity(std::string_view entity) const noexcept
{
    return std::any_of(m_shares.begin(), m_shares.end(), [&](const ShareRule& r) { return r.entity == entity; });
}

}  // namespace vigil
