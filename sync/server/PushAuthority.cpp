#include "sync/server/PushAuthority.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/common/Text.h"

namespace vigil::sync {

namespace {

constexpr std::string_view kRestrictedFlag = "flags.police_staff_involved";
constexpr std::string_view kAccessList = "access_list";
constexpr std::string_view kRestrictionReason = "restriction.reason";
constexpr std::string_view kOfficerInCase = "investigation.officer_in_case";

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> namesIn(const nlohmann::json& value)
{
    std::vector<std::string> out;
    if (value.is_array())
        for (const auto& v : value)
            if (v.is_string() && !v.get_ref<const std::string&>().empty())
                out.push_back(v.get<std::string>());
    return out;
}

bool emptyValue(const nlohmann::json& v)
{
    return v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_string() && v.get_ref<const std::string&>().empty())
        || ((v.is_array() || v.is_object()) && v.empty());
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

OpRejection refuse(const Op& op, std::string_view error, const std::string& words)
{
    return OpRejection{op.seq, std::string(error),
                       words + " The change is kept on this device but was not shared; this attempt was logged.",
                       op.field};
}

std::string durationWords(std::int64_t seconds)
{
    const auto plural = [](std::int64_t n, const char* unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    if (seconds >= 2 * 86400)
        return plural(seconds / 86400, "day");
    if (seconds >= 2 * 3600)
        return plural(seconds / 3600, "hour");
    return plural(std::max<std::int64_t>(seconds / 60, 1), "minute");
}

}  // namespace

vigil::Role coreRole(Role role) noexcept
{
    switch (role) {
    case Role::Officer: return vigil::Role::Officer;
    case Role::Investigator: return vigil::Role::Investigator;
    case Role::Idva: return vigil::Role::Idva;
    case Role::Supervisor: return vigil::Role::Supervisor;
    case Role::Analyst: return vigil::Role::Analyst;
    case Role::Admin: return vigil::Role::Admin;
    }
    return vigil::Role::Analyst;
}

PushAuthority::PushAuthority(const AuthorityPolicy& policy, const UserInfo& user, std::int64_t nowSeconds,
                             std::int64_t clockToleranceSeconds, std::int64_t copySeq, ReadRow readRow,
                             ReadState readState, FindUser findUser)
    : m_policy(policy), m_user(user), m_role(coreRole(user.role)), m_now(nowSeconds), m_tolerance(clockToleranceSeconds),
      m_copySeq(copySeq), m_readRow(std::move(readRow)), m_readState(std::move(readState)),
      m_findUser(std::move(findUser))
{
}

void PushAuthority::prescan(const std::vector<Op>& ops)
{
    for (const Op& op : ops)
        if (op.entity == "incident" && op.field == kRestrictionReason && hasText(op.value))
            m_reasonInBatch.insert(op.id);
}

std::optional<OpRejection> PushAuthority::clockCheck(const Op& op) const
{
    const auto stampSeconds = static_cast<std::int64_t>(hlcMillis(op.hlc) / 1000);
    if (stampSeconds <= m_now + m_tolerance)
        return std::nullopt;
    return OpRejection{op.seq, std::string(errors::kClockAhead),
                       "This device's clock is " + durationWords(stampSeconds - m_now)
                           + " ahead: correct the date and time, then sync. The change is kept on this device.",
                       op.field};
}

Result<const RecordRow*> PushAuthority::row(Entity entity, const std::string& id)
{
    const auto key = std::make_pair(entity, id);
    auto it = m_rows.find(key);
    if (it == m_rows.end()) {
        auto read = m_readRow(entity, id);
        if (!read)
            return std::move(read).error();
        it = m_rows.emplace(key, std::move(read).value()).first;
    }
    return it->second ? &*it->second : nullptr;
}

Result<LifecycleState> PushAuthority::stateOf(const std::string& incidentId)
{
    if (auto it = m_state.find(incidentId); it != m_state.end())
        return it->second;
    auto indexed = m_readState(incidentId);
    if (!indexed)
        return std::move(indexed).error();
    LifecycleState state = indexed->value_or(LifecycleState::Draft);
    if (!*indexed) {
        // Not in the look-up table: new (a draft), or removed (its row still says).
        auto incident = row(Entity::Incident, incidentId);
        if (!incident)
            return std::move(incident).error();
        if (*incident && (*incident)->field("state").is_string())
            state = lifecycleStateFromString((*incident)->field("state").get<std::string>()).value_or(LifecycleState::Draft);
    }
    m_state[incidentId] = state;
    return state;
}

Result<std::vector<std::string>> PushAuthority::accessListOf(const std::string& incidentId)
{
    if (auto it = m_accessList.find(incidentId); it != m_accessList.end())
        return it->second;
    auto incident = row(Entity::Incident, incidentId);
    if (!incident)
        return std::move(incident).error();
    return *incident ? namesIn((*incident)->field(std::string(kAccessList))) : std::vector<std::string>{};
}

Result<bool> PushAuthority::initialDefault(const Op& op, Entity entity)
{
    if (op.field.empty() || op.field.front() == '@')
        return false;
    const bool emptyDefault = emptyValue(op.value) || (op.field == "state" && op.value == "draft");
    if (!emptyDefault || m_written.count({op.id, op.field}))
        return false;
    if (m_createdHere.count(op.id))
        return true;
    auto existing = row(entity, op.id);
    if (!existing)
        return std::move(existing).error();
    return !*existing || !(*existing)->stamps.count(op.field);
}

Result<std::optional<OpRejection>> PushAuthority::check(const Op& op, const IncidentAccess& access)
{
    using Verdict = std::optional<OpRejection>;
    // Creating an incident is judged by the access rules: only as its owner, in one's own team.
    if (op.entity == "incident" && op.field == kFieldCreate)
        return Verdict();
    const auto entity = entityFromString(op.entity);
    if (!entity)
        return Verdict(refuse(op, errors::kNotPermitted, "Vigil does not know the kind of record \"" + op.entity + "\"."));

    auto state = stateOf(access.id);
    if (!state)
        return std::move(state).error();
    // Cleared and on the list (read only for a cleared user). A cleared user may put themselves
    // on the list of a record not yet restricted (the first step of restricting it); after
    // that, only those already on the list count.
    bool clearedOnList = false;
    if (m_user.restrictedClearance) {
        auto list = accessListOf(access.id);
        if (!list)
            return std::move(list).error();
        clearedOnList = contains(*list, m_user.id)
            || (op.field == kAccessList && !access.restricted && contains(namesIn(op.value), m_user.id));
    }
    const WriteContext who{m_role, access.owner == m_user.id, clearedOnList, *state,
                           !access.allocatedTo.empty() && access.allocatedTo == m_user.id};

    // A batch sent again after the server's copy took it but its op log did not: the copy
    // holds every op of this device up to `copySeq`, each of which passed this check then, in
    // the state it was made in (the copy now stands after them).
    if (op.seq <= m_copySeq)
        return Verdict();

    auto initial = initialDefault(op, *entity);
    if (!initial)
        return std::move(initial).error();
    if (*initial)
        return Verdict();

    const bool restore = op.field == kFieldDelete && op.value.is_boolean() && !op.value.get<bool>();
    const std::string field = restore ? std::string(kFieldRestore) : op.field;
    auto decision = m_policy.decide(who, op.entity, field);
    if (!decision)
        return Verdict(refuse(op, errors::kNotPermitted, decision.error().message));

    for (AuthorityCheck check : decision->checks) {
        switch (check) {
        case AuthorityCheck::AuthorIsSender: {
            const bool command = op.field == kFieldCommand || op.field == kFieldResolve;
            const bool author = command || op.field == "by" || endsWith(op.field, "_by") || endsWith(op.field, ".by");
            if (!author)
                break;
            const nlohmann::json* named = &op.value;
            if (command)
                named = op.value.is_object() && op.value.contains("by") ? &op.value["by"] : nullptr;
            const bool clearing = !command && emptyValue(op.value);
            if (!clearing && !(named && named->is_string() && named->get_ref<const std::string&>() == m_user.id))
                return Verdict(refuse(op, errors::kAttributionMismatch,
                                      "This change names " + (named && named->is_string() ? "\"" + named->get<std::string>() + "\""
                                                                                          : std::string("nobody"))
                                          + " as its author, but it was sent by " + m_user.id
                                          + ": a change is always attributed to the user who makes it. Sign in as "
                                            "yourself and make it again."));
            break;
        }
        case AuthorityCheck::DeletionReason:
            if (op.field == kFieldDelete && !restore
                && !(op.value.is_object() && op.value.contains("reason") && hasText(op.value["reason"])))
                return Verdict(refuse(op, errors::kReasonRequired,
                                      "A supervisor removes part of a 124D only with a written reason: give the reason "
                                      "and remove it again."));
            break;
        case AuthorityCheck::RestrictionReason: {
            if (op.field != kRestrictedFlag && op.field != kAccessList)
                break;
            bool reason = m_reasonInBatch.count(access.id) > 0;
            if (!reason) {
                auto incident = row(Entity::Incident, access.id);
                if (!incident)
                    return std::move(incident).error();
                reason = *incident && hasText((*incident)->field(std::string(kRestrictionReason)));
            }
            if (!reason)
                return Verdict(refuse(op, errors::kReasonRequired,
                                      "Restricting a 124D, or changing who is on its access list, needs the reason "
                                      "written with it: write the reason for the restriction and save again."));
            break;
        }
        case AuthorityCheck::ClearedUserRemains: {
            std::vector<std::string> names;
            if (op.field == kAccessList) {
                names = namesIn(op.value);
            } else if (op.field == kRestrictedFlag && op.value == true) {
                auto list = accessListOf(access.id);
                if (!list)
                    return std::move(list).error();
                names = std::move(list).value();
            } else {
                break;
            }
            if (op.field == kAccessList && names.empty() && !access.restricted)
                break;  // an unrestricted record's list emptied: nobody is shut out
            bool cleared = false;
            for (const auto& name : names) {
                auto u = m_findUser(name);
                if (!u)
                    return std::move(u).error();
                if (*u && (*u)->restrictedClearance) {
                    cleared = true;
                    break;
                }
            }
            if (!cleared)
                return Verdict(refuse(op, errors::kClearedUserRequired,
                                      "A restricted 124D must always name at least one user cleared for restricted "
                                      "records on its access list, or nobody could manage it: add a cleared user to "
                                      "the list first."));
            break;
        }
        case AuthorityCheck::AllocatableUser: {
            if (op.field != kOfficerInCase || emptyValue(op.value))
                break;  // the other allocation fields, or clearing it (back to the supervisors)
            const std::string named = op.value.is_string() ? op.value.get<std::string>() : std::string();
            auto u = named.empty() ? Result<std::optional<UserInfo>>(std::optional<UserInfo>()) : m_findUser(named);
            if (!u)
                return std::move(u).error();
            const bool police = *u && ((*u)->role == Role::Officer || (*u)->role == Role::Investigator
                                       || (*u)->role == Role::Supervisor);
            if (!police)
                return Verdict(refuse(op, errors::kNotAllocatable,
                                      "An investigation is allocated to an officer, investigator or supervisor who uses "
                                      "Vigil, and \"" + named.substr(0, 64)
                                          + "\" is not one (or no longer active): choose the officer in the case from "
                                            "the list after the next sync."));
            if (access.restricted) {
                auto list = accessListOf(access.id);
                if (!list)
                    return std::move(list).error();
                if (!(*u)->restrictedClearance || !contains(*list, named))
                    return Verdict(refuse(op, errors::kNotAllocatable,
                                          "This 124D is restricted: " + (*u)->displayName
                                              + " can be its officer in the case only when cleared for restricted "
                                                "records and named on its access list. Add them to the access list "
                                                "first, or choose someone who is on it."));
            }
            break;
        }
        case AuthorityCheck::SafeContact:
        case AuthorityCheck::ConsentToShare:
            break;  // needs the record as merged: the rule check (RuleCheck) decides it
        case AuthorityCheck::AppendOnly: {
            if (op.field.empty() || op.field.front() == '@')
                break;  // its creation; a removal is refused by the policy itself
            bool written = m_valued.count({op.id, op.field}) > 0;
            if (!written) {
                auto existing = row(*entity, op.id);
                if (!existing)
                    return std::move(existing).error();
                written = *existing && (*existing)->stamps.count(op.field) && !emptyValue((*existing)->field(op.field));
            }
            if (written) {
                // The rule's own words for what is kept ("the supervision log", "the log of contacts
                // with the victim", "the feedback forms issued to the victim").
                std::string what = decision->rule && !decision->rule->what.empty() ? decision->rule->what : "this log";
                what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
                return Verdict(refuse(op, errors::kAppendOnly,
                                      what + ": only ever added to. This entry was already written, and nobody may "
                                             "change it. Add a new entry that corrects it."));
            }
            break;
        }
        }
    }
    return Verdict();
}

void PushAuthority::accepted(const Op& op, const std::string& incidentId)
{
    m_written.insert({op.id, op.field});
    if (!emptyValue(op.value))
        m_valued.insert({op.id, op.field});
    if (op.field == kFieldCreate)
        m_createdHere.insert(op.id);
    if (op.entity != "incident")
        return;
    if (op.field == kFieldCommand && op.value.is_object()) {
        if (auto to = lifecycleStateFromString(op.value.value("state", std::string())))
            m_state[incidentId] = *to;
    } else if (op.field == kAccessList) {
        m_accessList[incidentId] = namesIn(op.value);
    }
}

}  // namespace vigil::sync
