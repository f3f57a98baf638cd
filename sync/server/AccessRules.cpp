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
    // match is by team and borough as canRead has it. One SELECT a branch, joined by UNION, so
    // each reads its own index even in a plan made once for any parameters (PostgreSQL's generic
    // plan of a prepared statement turns one WHERE of ORs into a scan of every incident).
    if (user.role == Role::Admin || user.role == Role::Analyst)
        return std::string();
    std::vector<std::string> branches = {"SELECT id FROM incidents WHERE restricted"};
    if (user.role == Role::Idva) {
        branches.push_back("SELECT incident_id FROM referrals WHERE to_user = " + bind(user.id));
    } else {
        if (user.scope == Scope::All)
            return std::nullopt;
        const std::string me = bind(user.id);
        branches.push_back("SELECT id FROM incidents WHERE owner = " + me);
        // (Most incidents have no officer in the case: the condition names the partial index.)
        branches.push_back("SELECT id FROM incidents WHERE allocated_to = " + me + " AND allocated_to <> ''");
        if (user.scope == Scope::Team && !user.team.empty())
            branches.push_back("SELECT id FROM incidents WHERE team = " + bind(user.team)
                               + " AND borough = " + bind(user.borough));
        else if (user.scope == Scope::Borough && !user.borough.empty())
            branches.push_back("SELECT id FROM incidents WHERE borough = " + bind(user.borough));
    }
    std::string where = "id IN (";
    for (std::size_t i = 0; i < branches.size(); ++i)
        where += (i == 0 ? "" : " UNION ") + branches[i];
    return where + ")";
}

bool canWrite(const UserInfo& user, const IncidentAccess& incident)
{
    return canRead(user, incident);
}

}  // namespace vigil::sync
