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

bool canWrite(const UserInfo& user, const IncidentAccess& incident)
{
    return canRead(user, incident);
}

}  // namespace vigil::sync
