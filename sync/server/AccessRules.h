#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// What the server knows about an incident for access decisions, kept up to date from the
/// ops it accepts: the `@create` value {"owner", "team", "borough"}, the restricted flag
/// (`flags.police_staff_involved`), the `access_list` field, referrals (`referral`
/// entities' `to_user`) and the officer in the case a supervisor allocated it to
/// (`investigation.officer_in_case`).
struct IncidentAccess {
    std::string id;
    std::string owner;
    std::string team;
    std::string borough;
    bool restricted = false;
    std::vector<std::string> accessList;
    std::vector<std::string> referredTo;
    std::string allocatedTo;  ///< the officer in the case ("" until allocated)
};

/// May `user` receive this incident and its records? (ARCHITECTURE.md, Access; DOMAIN.md §9)
/// - admins and analysts: no case records, ever: they see figures only, already published
///   (GET /v1/figures; core/figures/FigureReport.h, seesFiguresOnly);
/// - restricted incidents: only users cleared for restricted records AND named on the
///   access list — nobody else, whatever their scope or ownership;
/// - IDVAs: incidents referred to them;
/// - everyone else: the owner and the officer in the case always; beyond that by scope
///   (team, borough, all).
[[nodiscard]] bool canRead(const UserInfo& user, const IncidentAccess& incident);

/// May `user` change this incident? The same rule as reading: nobody writes what they
/// cannot see. Creating is allowed only as the owner, inside the user's own team and borough.
[[nodiscard]] bool canWrite(const UserInfo& user, const IncidentAccess& incident);

/// Which incidents `user` might read, as an SQL condition on the server stores' `incidents` table
/// (columns id, owner, team, borough, restricted, allocated_to; referrals in `referrals`), so a
/// pull reads the access index of those instead of the whole force's. A superset of canRead's
/// "yes", never fewer: the caller still applies canRead to every row it reads (AccessTest proves
/// the two give the same incidents on both stores). `bind(value)` adds a text parameter and
/// returns its placeholder ("$1" on PostgreSQL, "?1" on SQLite; a placeholder may be used
/// twice). nullopt: every incident (scope All); "": none (admins and analysts read no case).
[[nodiscard]] std::optional<std::string> accessCandidates(const UserInfo& user,
                                                          const std::function<std::string(const std::string&)>& bind);

}  // namespace vigil::sync
