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
constexpr std::array<std::string_view, 15> kEntities{
    "incident", "person", "answer", "rara_item", "referral", "attachment", "supervision",
    "victim_case", "contact", "case_event", "safety_item", "protective_order", "order_breach",
    "risk_assessment", "feedback_form"};
constexpr std::array<std::string_view, 3> kRoles{"victim", "suspect", "child"};

/// Users who receive records: the police roles and IDVAs (analysts and administrators never do).
bool receivesRecords(Role role)
{
    return role == Role::Officer || role == Role::Investigator || role == Role::Supervisor || role == Role::Idva;
}

std::string roleList(const std::vector<Role>& roles)
{
    std::string out;
    for (Role r : roles)
        out += (out.empty() ? "" : ", ") + std::string(toString(r));
    return out;
}

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

bool ShareRule::passesAll() const noexcept
{
    return std::find(fields.begin(), fields.end(), "*") != fields.end();
}

std::string_view authorField(std::string_view entity) noexcept
{
    constexpr std::array<std::string_view, 8> kWritten{"contact",      "case_event",  "safety_item",     "protective_order",
                                                       "order_breach", "supervision", "risk_assessment", "feedback_form"};
    return std::find(kWritten.begin(), kWritten.end(), entity) != kWritten.end() ? "by" : "";
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
    // Who receives what it says: "recipient" (one role) or "recipients" (a list).
    std::vector<std::string> recipientNames;
    if (j.contains("recipient") == j.contains("recipients"))
        return top.error("must name whom it is for: \"recipient\": \"idva\", or \"recipients\": [\"officer\", ...]");
    if (j.contains("recipient")) {
        auto one = top.text(j, "recipient");
        if (!one)
            return std::move(one).error();
        recipientNames.push_back(std::move(one).value());
    } else {
        const json& list = j.at("recipients");
        if (!list.is_array() || list.empty())
            return top.error("has \"recipients\" that is not a list of roles");
        for (const json& r : list) {
            if (!r.is_string())
                return top.error("has \"recipients\" that is not a list of roles");
            recipientNames.push_back(r.get<std::string>());
        }
    }
    for (const std::string& name : recipientNames) {
        const auto role = roleFromString(name);
        if (!role)
            return top.error("names the recipient \"" + name + "\", which is not a role Vigil knows");
        if (!receivesRecords(*role))
            return top.error("names the recipient \"" + name + "\", who never receives records");
        if (std::find(policy.m_recipients.begin(), policy.m_recipients.end(), *role) != policy.m_recipients.end())
            return top.error("names the recipient \"" + name + "\" twice");
        policy.m_recipients.push_back(*role);
    }
    const bool forIdva = policy.isFor(Role::Idva);
    if (forIdva && policy.m_recipients.size() > 1)
        return top.error("is for IDVAs and police users at once: an IDVA's share follows the referrals to her, so "
                         "give IDVAs a policy of their own");
    if (auto u = j.find("unlisted"); u != j.end()) {
        if (*u == "whole")
            policy.m_unlisted = Unlisted::Whole;
        else if (*u != "never")
            return top.error("says \"unlisted\": " + u->dump() + ": say \"never\" (rows no share lists are not sent) "
                             "or \"whole\" (they are sent whole)");
    }
    if (forIdva && policy.m_unlisted == Unlisted::Whole)
        return top.error("would send an IDVA whole every row it does not list: an IDVA's policy lists what she "
                         "receives (say \"unlisted\": \"never\")");

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
        if (!forIdva && rule.rows != ShareRows::All)
            return read.error("passes \"" + *rows + "\" rows, which only an IDVA's policy can say (they follow the "
                              "referrals to the recipient): say all");
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
        if (auto w = s.find("written_by"); w != s.end()) {
            if (authorField(entity).empty())
                return read.error("has \"written_by\", but " + entity + " rows do not name who wrote them");
            if (!w->is_array() || w->empty())
                return read.error("has \"written_by\" that is not a list of roles");
            for (const json& r : *w) {
                const auto author = r.is_string() ? roleFromString(r.get<std::string>()) : std::nullopt;
                if (!author)
                    return read.error("has \"written_by\" " + r.dump() + ", which is not a role Vigil knows");
                if (std::find(rule.writtenBy.begin(), rule.writtenBy.end(), *author) == rule.writtenBy.end())
                    rule.writtenBy.push_back(*author);
            }
        }
        for (const ShareRule& earlier : policy.m_shares) {
            if (earlier.entity != rule.entity || earlier.role != rule.role)
                continue;
            const bool same = earlier.writtenBy.empty() && rule.writtenBy.empty();
            const bool both = std::any_of(rule.writtenBy.begin(), rule.writtenBy.end(), [&](Role r) {
                return std::find(earlier.writtenBy.begin(), earlier.writtenBy.end(), r) != earlier.writtenBy.end();
            });
            if (same || both)
                return read.error("shares the same rows as an earlier share" + (both ? " (written by " + roleList(rule.writtenBy) + ")" : std::string())
                                  + ": merge the two");
        }
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

const ShareRule* SharingPolicy::ruleFor(std::string_view entity, std::string_view role,
                                        std::optional<Role> author) const noexcept
{
    // A share for the row's author first (any such share when the author is not known: fail
    // closed), then one for whoever wrote it.
    const ShareRule* anyAuthor = nullptr;
    for (const ShareRule& rule : m_shares) {
        if (rule.entity != entity || rule.role != role)
            continue;
        if (rule.writtenBy.empty())
            anyAuthor = &rule;
        else if (!author || std::find(rule.writtenBy.begin(), rule.writtenBy.end(), *author) != rule.writtenBy.end())
            return &rule;
    }
    return anyAuthor;
}

bool SharingPolicy::sharesEntity(std::string_view entity) const noexcept
{
    return std::any_of(m_shares.begin(), m_shares.end(), [&](const ShareRule& r) { return r.entity == entity; });
}

bool SharingPolicy::mayReceive(std::string_view entity) const noexcept
{
    if (m_unlisted == Unlisted::Never)
        return sharesEntity(entity);
    return std::none_of(m_never.begin(), m_never.end(), [&](const ShareNever& n) { return n.entity == entity; });
}

bool SharingPolicy::judgesRows(std::string_view entity) const noexcept
{
    return m_unlisted == Unlisted::Never || sharesEntity(entity);
}

bool SharingPolicy::needsAuthor(std::string_view entity) const noexcept
{
    return std::any_of(m_shares.begin(), m_shares.end(),
                       [&](const ShareRule& r) { return r.entity == entity && !r.writtenBy.empty(); });
}

bool SharingPolicy::isFor(Role role) const noexcept
{
    return std::find(m_recipients.begin(), m_recipients.end(), role) != m_recipients.end();
}

}  // namespace vigil
