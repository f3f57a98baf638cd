#include "sync/server/SharingFilter.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/JsonText.h"
#include "sync/server/RuleCheck.h"

namespace vigil::sync {

namespace {

std::string textField(const nlohmann::json& fields, const char* name)
{
    auto it = fields.find(name);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json objectOf(const std::string& text)
{
    nlohmann::json j = vigil::json::parse(text);
    return j.is_object() ? j : nlohmann::json::object();
}

/// The review fields a lifecycle command's value sets on a device (RecordStore::applyOne).
constexpr std::pair<const char*, const char*> kCommandParts[] = {
    {"command", "review.command"}, {"by", "review.by"}, {"note", "review.note"}};

}  // namespace

SharingFilter::SharingFilter(const SharingPolicy& policy, std::string recipient, RoleOf roleOf)
    : m_policy(policy), m_recipient(std::move(recipient)), m_roleOf(std::move(roleOf))
{
}

std::optional<vigil::Role> SharingFilter::authorRole(const std::string& userId)
{
    if (userId.empty() || !m_roleOf)
        return std::nullopt;
    auto it = m_roles.find(userId);
    if (it == m_roles.end())
        it = m_roles.emplace(userId, m_roleOf(userId)).first;
    return it->second;
}

void SharingFilter::learn(const std::string& incidentId, const std::vector<StoredRow>& rows)
{
    // Only an IDVA's selectors follow the referrals; a policy of "all" rows needs only the person
    // rows' roles (when it has person shares) and each judged row's author.
    const bool referralsMatter = std::any_of(m_policy.shares().begin(), m_policy.shares().end(),
                                             [](const ShareRule& r) { return r.rows != ShareRows::All; });
    const bool rolesMatter = referralsMatter || m_policy.judgesRows("person");
    // First who is who: each person row's role and fields, each live referral to the recipient.
    std::map<std::string, nlohmann::json> persons;  // id -> fields
    std::map<std::string, std::string> roles;
    std::set<std::string> deletedPersons;
    std::vector<std::pair<const StoredRow*, nlohmann::json>> referrals;
    std::map<std::string, std::string> caseVictim;  // victim_case id -> the victim it is of
    for (const StoredRow& row : rows) {
        if (!rolesMatter)
            break;
        if (row.entity == "victim_case" && !row.deleted)
            caseVictim[row.id] = row.parent;
        if (row.entity == "person") {
            nlohmann::json fields = objectOf(row.fields);
            roles[row.id] = textField(fields, "role");
            if (row.deleted)
                deletedPersons.insert(row.id);
            persons.emplace(row.id, std::move(fields));
        } else if (row.entity == "referral") {
            nlohmann::json fields = objectOf(row.fields);
            if (textField(fields, "to_user") == m_recipient)
                referrals.emplace_back(&row, std::move(fields));
        }
    }
    // The victims referred to the recipient: the same rule that lets them see the incident
    // (RuleCheck::accessFacts): a live referral, a live victim, her consent or a lawful basis.
    std::set<std::string> referred;
    std::set<std::string> addressed;  // referrals to the recipient of a referred victim
    for (const auto& [row, fields] : referrals) {
        const std::string& victim = row->parent;
        auto person = persons.find(victim);
        if (row->deleted || person == persons.end() || deletedPersons.count(victim) || roles[victim] != "victim")
            continue;
        if (!consentAllowsSharing(person->second, textField(fields, "agency")))
            continue;
        referred.insert(victim);
        addressed.insert(row->id);
    }
    const bool whole = m_policy.unlisted() == Unlisted::Whole;
    for (const StoredRow& row : rows) {
        if (!m_policy.judgesRows(row.entity))
            continue;  // passes whole without being learnt (trim)
        const ShareRule* rule = nullptr;
        if (row.entity == "person") {
            const std::string& role = roles[row.id];
            if (!role.empty())
                rule = m_policy.ruleFor("person", role);
        } else if (m_policy.needsAuthor(row.entity)) {
            // Who wrote it: the row's `by` (checked by the server to be the sender), as a role.
            rule = m_policy.ruleFor(row.entity, {}, authorRole(textField(objectOf(row.fields),
                                                                           std::string(authorField(row.entity)).c_str())));
        } else {
            rule = m_policy.ruleFor(row.entity);
        }
        if (!rule) {
            if (whole && std::none_of(m_policy.never().begin(), m_policy.never().end(),
                                      [&](const ShareNever& n) { return n.entity == row.entity; }))
                m_rows[{row.entity, row.id}] = Passed{nullptr, incidentId};
            continue;
        }
        bool passes = false;
        switch (rule->rows) {
        case ShareRows::All: passes = true; break;
        case ShareRows::ReferredVictim: passes = referred.count(row.id) != 0; break;
        case ShareRows::OfReferredVictim: passes = referred.count(row.parent) != 0; break;
        case ShareRows::AddressedToRecipient: passes = addressed.count(row.id) != 0; break;
        case ShareRows::InCaseOfReferredVictim: {
            auto c = caseVictim.find(row.parent);
            passes = c != caseVictim.end() && referred.count(c->second) != 0;
            break;
        }
        }
        if (passes)
            m_rows[{row.entity, row.id}] = Passed{rule, incidentId};
    }
}

const SharingFilter::Passed* SharingFilter::find(const std::string& entity, const std::string& id) const
{
    auto it = m_rows.find({entity, id});
    return it == m_rows.end() ? nullptr : &it->second;
}

bool SharingFilter::governed(const std::string& entity, const std::string& id) const
{
    const Passed* p = find(entity, id);
    return p && p->rule;
}

bool SharingFilter::fieldPasses(const std::string& entity, const std::string& id, const nlohmann::json& value) const
{
    // Conflict reports and resolutions are police bookkeeping (they carry values of any field):
    // never to an IDVA; to police users when the field they are about reaches them.
    if (m_policy.unlisted() != Unlisted::Whole)
        return false;
    if (!m_policy.judgesRows(entity))
        return true;
    const Passed* p = find(entity, id);
    if (!p)
        return false;
    if (!p->rule)
        return true;
    auto field = value.is_object() ? value.find("field") : value.end();
    return field != value.end() && field->is_string() && p->rule->passes(field->get<std::string>());
}

bool SharingFilter::passes(const StoredConflict& conflict) const
{
    return fieldPasses(conflict.entity, conflict.record, nlohmann::json{{"field", conflict.field}});
}

bool SharingFilter::trim(Op& op) const
{
    // Audit entries are never sent to anyone.
    if (op.field == kFieldAppend)
        return false;
    if (op.field == kFieldConflict || op.field == kFieldResolve)
        return fieldPasses(op.entity, op.id, op.value);
    if (!m_policy.judgesRows(op.entity))
        return true;  // a kind a policy of unlisted-whole rows does not judge
    const Passed* p = find(op.entity, op.id);
    if (!p)
        return false;
    if (!p->rule)
        return true;  // sent whole
    if (op.field == kFieldCreate) {
        // The links only: an incident's creation also carries its owner, team and borough for
        // the server's access rules, which a device does not keep and the policy may withhold.
        if (op.value.is_object())
            for (auto it = op.value.begin(); it != op.value.end();)
                it = it.key() == "incident" || it.key() == "parent" ? std::next(it) : op.value.erase(it);
        return true;
    }
    if (op.field == kFieldCommand) {
        if (!p->rule->passes("state"))
            return false;
        if (op.value.is_object())
            for (const auto& [key, field] : kCommandParts)
                if (!p->rule->passes(field))
                    op.value.erase(key);
        return true;
    }
    return p->rule->passes(op.field);
}

bool SharingFilter::trim(StoredRow& row) const
{
    if (!m_policy.judgesRows(row.entity))
        return true;
    const Passed* p = find(row.entity, row.id);
    if (!p)
        return false;
    // Sent whole, or a rule of "*": the row as stored.
    if (!p->rule || p->rule->passesAll())
        return true;
    nlohmann::json fields = objectOf(row.fields);
    for (auto it = fields.begin(); it != fields.end();)
        it = p->rule->passes(it.key()) ? std::next(it) : fields.erase(it);
    nlohmann::json stamps = objectOf(row.stamps);
    for (auto it = stamps.begin(); it != stamps.end();)
        it = p->rule->passes(it.key()) ? std::next(it) : stamps.erase(it);
    row.fields = vigil::json::dump(fields);
    row.stamps = vigil::json::dump(stamps);
    return true;
}

}  // namespace vigil::sync
