#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/records/Op.h"
#include "core/records/StoredRow.h"
#include "core/risk/SharingPolicy.h"

namespace vigil::sync {

/// What one recipient of a sharing policy (an IDVA) may receive of the incidents of one page
/// (issue 24; docs/authority.md, "What an IDVA receives"). It learns, once per incident and
/// page, each row's kind and person role, which victims are referred to the recipient (a live
/// referral naming them whose victim's consent or lawful basis stands, the rule that gives
/// them the incident at all) and which rows hang off those victims, from the incident's rows
/// as the server's materialised copy holds them. Then it trims ops and snapshot rows to what
/// the policy passes. Rows it has not learnt (another incident, a row the copy does not hold)
/// pass nothing: it fails closed. Users no policy is for never meet it, so their pages cost
/// nothing more.
class SharingFilter {
public:
    SharingFilter(const SharingPolicy& policy, std::string recipient);

    /// Learn one incident from its rows (RecordStore::storedRowsOfIncident of the copy).
    void learn(const std::string& incidentId, const std::vector<StoredRow>& rows);

    /// May this op go to the recipient? A lifecycle command passes when the policy passes the
    /// state, without the parts of its value (the note, who) whose review fields it withholds.
    /// Conflict reports, resolutions and audit entries never pass.
    [[nodiscard]] bool trim(Op& op) const;
    /// May this row go to the recipient? When it may, only the fields the policy passes (and
    /// their stamps) are left in it.
    [[nodiscard]] bool trim(StoredRow& row) const;
    /// The incident of a row learnt (for the disclosure log); "" when none.
    [[nodiscard]] const std::string& incidentOf(const std::string& entity, const std::string& id) const;

private:
    struct Passed {
        const ShareRule* rule = nullptr;
        std::string incident;
    };
    const Passed* find(const std::string& entity, const std::string& id) const;

    const SharingPolicy& m_policy;
    std::string m_recipient;
    std::map<std::pair<std::string, std::string>, Passed> m_rows;  // (entity, id) of each row that passes
};

}  // namespace vigil::sync
