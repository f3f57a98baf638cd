#include "sync/server/AccessRules.h"

#include <algorithm>

namespace vigil::sync {

namespace {
bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}
}  // namespace

bool canRead(const UserInfo& user, const IncidentAccess& incident)
{
    if (user.role == Role::Admin || user.role == Role::Analyst)
        return false;
    if (incident.restricted)
        return user.restrictedClearance && contains(incident.accessList, user.id);
    if (user.role == Role::Idva)
        return contains(incident.referredTo, user.id);
    if (incident.owner == user.id || (!incident.allocatedTo.empty() && incident.allocatedTo == user.id))
        return true;
    switch (user.scope) {
    case Scope::Self:
        return false;
    case Scope::Team:
        return !incident.team.empty() && incident.team == user.team && incident.borough == user.borough;
    case Scope::Borough:
        return !incident.borough.empty() && incident.borough == user.borough;
    case Scope::All:
        return true;
    }
    return false;
}

std::optional<std::string> accessCandidates(const UserInfo& user,
                                            const std::function<std::string(const std::string&)>& bind)
{
    // Each branch of canRead, widened where that keeps the SQL simple: every restricted incident
    // is a candidate (few; canRead then checks the clearance and the access list), and a team
    // match is by team and borough as canRead has it. One WHERE of ORs: planned for its values
    // (PostgreSQL: execPlannedEachTime), a team's few incidents are read through the indexes and a
    // borough's, or a force's for a user who sees most of them, by one scan.
    if (user.role == Role::Admin || user.role == Role::Analyst)
        return std::string();
    if (user.role == Role::Idva)
        return "(restricted OR id IN (SELECT incident_id FROM referrals WHERE to_user = " + bind(user.id) + "))";
    if (user.scope == Scope::All)
        return std::nullopt;
    const std::string me = bind(user.id);
    // (Most incidents have no officer in the case: the condition names the partial index.)
    std::string where = "(restricted OR owner = " + me + " OR (allocated_to = " + me + " AND allocated_to <> '')";
    if (user.scope == Scope::Team && !user.team.empty())
        where += " OR (team = " + bind(user.team) + " AND borough = " + bind(user.borough) + ")";
    else if (user.scope == Scope::Borough && !user.borough.empty())
        where += " OR borough = " + bind(user.borough);
    return where + ")";
}

bool canWrite(const UserInfo& user, const IncidentAccess& incident)
{
    return canRead(user, incident);
}

}  // namespace vigil::sync
