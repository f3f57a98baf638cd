#pragma once

#include <string>
#include <vector>

#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// What the server knows about an incident for access decisions, kept up to date from the
/// ops it accepts: the `@create` value {"owner", "team", "borough"}, the restricted flag
/// (`flags.police_staff_involved`), the `access_list` field, and referrals (`referral`
/// entities' `to_user`).
struct IncidentAccess {
    std::string id;
    std::string owner;
    std::string team;
    std::string borough;
    bool restricted = false;
    std::vector<std::string> accessList;
    std::vector<std::string> referredTo;
};

/// May `user` receive this incident and its records? (ARCHITECTURE.md, Access; DOMAIN.md §9)
/// - admins and analysts: no case records (yet);
/// - restricted incidents: only users cleared for restricted records AND named on the
///   access list — nobody else, whatever their scope or ownership;
/// - IDVAs: incidents referred to them;
/// - everyone else: the owner always; beyond that by scope (team, borough, all).
[[nodiscard]] bool canRead(const UserInfo& user, const IncidentAccess& incident);

/// May `user` change this incident? The same rule as reading: nobody writes what they
/// cannot see. Creating is allowed only as the owner, inside the user's own team and borough.
[[nodiscard]] bool canWrite(const UserInfo& user, const IncidentAccess& incident);

}  // namespace vigil::sync
