#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/records/Op.h"
#include "core/records/StoredRow.h"
#include "core/risk/SharingPolicy.h"

namespace vigil::sync {

/// What one recipient of a sharing policy may receive of the incidents of one page (issue 24;
/// docs/authority.md, "What an IDVA receives" and "What police users receive of an IDVA's
/// casework"). It learns, once per incident and page, each row's kind, person role and author
/// (the role of the user its `by` names), which victims are referred to the recipient (a live
/// referral naming them whose victim's consent or lawful basis stands, the rule that gives an
/// IDVA the incident at all) and which rows hang off those victims, from the incident's rows as
/// the server's materialised copy holds them. Then it trims ops and snapshot rows to what the
/// policy passes. Rows of a kind the policy judges that it has not learnt pass nothing: it fails
/// closed. Rows of kinds a policy of unlisted-whole rows (the police policy) does not judge
/// pass whole without being learnt, so most police pages cost nothing more. Users no policy is
/// for never meet it.
class SharingFilter {
public:
    /// The role of a user named by a row (its author), nullopt when the server knows no such user.
    using RoleOf = std::function<std::optional<vigil::Role>(const std::string& userId)>;

    SharingFilter(const SharingPolicy& policy, std::string recipient, RoleOf roleOf = {});

    /// Must the incident of a row of `entity` be learnt before its ops or rows are judged?
    [[nodiscard]] bool judges(std::string_view entity) const noexcept { return m_policy.judgesRows(entity); }
    /// Learn one incident from its rows (RecordStore::storedRowsOfIncident of the copy).
    void learn(const std::string& incidentId, const std::vector<StoredRow>& rows);

    /// May this op go to the recipient? A lifecycle command passes when the policy passes the
    /// state, without the parts of its value (the note, who) whose review fields it withholds.
    /// Audit entries never pass; conflict reports and resolutions pass only whole rows of a
    /// policy of unlisted-whole rows, or a field a share passes.
    [[nodiscard]] bool trim(Op& op) const;
    /// May this row go to the recipient? When it may, only the fields the policy passes (and
    /// their stamps) are left in it.
    [[nodiscard]] bool trim(StoredRow& row) const;
    /// May this kept conflict go to the recipient (a snapshot's)? Never to an IDVA; to others
    /// when the field it is about passes.
    [[nodiscard]] bool passes(const StoredConflict& conflict) const;
    /// Was this row judged by one of the policy's shares (not passed whole)? The disclosure log
    /// names the policy for a page that sent such a row.
    [[nodiscard]] bool governed(const std::string& entity, const std::string& id) const;

private:
    struct Passed {
        const ShareRule* rule = nullptr;  ///< null: whole (a policy of unlisted-whole rows)
        std::string incident;
    };
    const Passed* find(const std::string& entity, const std::string& id) const;
    std::optional<vigil::Role> authorRole(const std::string& userId);
    /// May `field` of row (entity, id) go? For conflicts and resolutions.
    bool fieldPasses(const std::string& entity, const std::string& id, const nlohmann::json& value) const;

    const SharingPolicy& m_policy;
    std::string m_recipient;
    RoleOf m_roleOf;
    std::map<std::string, std::optional<vigil::Role>> m_roles;      // authors looked up
    std::map<std::pair<std::string, std::string>, Passed> m_rows;  // (entity, id) of each row that passes
};

}  // namespace vigil::sync
