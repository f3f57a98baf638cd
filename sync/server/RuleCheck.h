#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"
#include "core/records/Op.h"
#include "sync/protocol/Protocol.h"

namespace vigil {
class RecordStore;
}

namespace vigil::sync {

/// The server's re-check of pushed changes with the core's own rules (the same code the
/// devices run): an officer grade never below the computed band, a supervisor's amended
/// grade with a reason, lifecycle commands only by a role the lifecycle table allows, and a
/// submission only when the 124D passes the submission rules (with the server's history).
///
/// It keeps a materialised copy of every record in a second SQLCipher file with the DEVICE
/// schema (`<server store>.records`, same key), maintained with the device's own
/// RecordStore::applyPulled under the device id "server". A batch is checked by applying it
/// there inside a transaction: kept when no op breaks a rule (the common case: one write of
/// each changed row), rolled back otherwise, and then only the accepted ops are applied.
/// Beside the device schema it keeps `copy_applied` (each device's highest seq it holds), so
/// the server can bring it up to its op log (SqlCipherServerStore::replayIntoCopy). Used by
/// one thread at a time: the server's store thread, or the helper it joins.
/// What the access index holds of one incident, as its record stands merged (last writer wins
/// by (hlc, origin)) in the materialised copy: the restricted flag, the access list, and the
/// referrals that disclose it (live, with a recipient, and the victim's consent or a lawful
/// basis with its justification).
struct AccessFacts {
    std::string incidentId;
    bool restricted = false;
    std::vector<std::string> accessList;
    std::vector<std::pair<std::string, std::string>> referrals;  ///< (referral id, recipient user)
    std::string allocatedTo;  ///< the officer in the case (`investigation.officer_in_case`)
};

/// May this victim's details go to a partner agency? Consent to share (or, for a MARAC
/// referral, consent to it), or a recorded lawful basis with its justification (DOMAIN.md §2).
[[nodiscard]] bool consentAllowsSharing(const nlohmann::json& victimFields, const std::string& agency);

class RuleCheck {
public:
    [[nodiscard]] static Result<std::unique_ptr<RuleCheck>> open(const std::filesystem::path& file,
                                                                 std::span<const unsigned char> key,
                                                                 const std::filesystem::path& modelDir);
    ~RuleCheck();
    RuleCheck(const RuleCheck&) = delete;
    RuleCheck& operator=(const RuleCheck&) = delete;

    using Refusals = std::map<std::int64_t, OpRejection>;
    /// The ops (already access-checked, in seq order, all from one device) that break a rule,
    /// by seq, with the reason in words. When none does, the batch stays applied to the
    /// materialised copy (no apply() needed); otherwise nothing is changed. `decided`, when
    /// given, hears the verdict before the copy commits (or rolls back), so the caller can
    /// commit its op log at the same time; the result says whether the copy's commit worked.
    /// The access facts of `incidents` as the copy holds them once a clean batch is applied.
    struct AccessQuery {
        std::set<std::string> incidents;  ///< in: the incidents the batch touched
        std::vector<AccessFacts> facts;   ///< out: filled before `decided` is called, when nothing is refused
    };
    [[nodiscard]] Result<Refusals> check(const UserInfo& user, const std::vector<Op>& ops,
                                         const std::function<void(const Refusals&)>& decided = {},
                                         AccessQuery* access = nullptr);
    /// The access facts of these incidents as the copy holds them now.
    [[nodiscard]] Result<std::vector<AccessFacts>> accessFacts(const std::set<std::string>& incidentIds);
    /// Apply accepted ops to the materialised copy (idempotent: LWW per field).
    [[nodiscard]] Status apply(const std::vector<Op>& ops);
    /// The highest seq of each device whose ops the copy holds (kept in the copy's own
    /// transactions by check() and apply()): what the copy lacks of the op log is every op
    /// after these.
    [[nodiscard]] Result<std::map<std::string, std::int64_t>> appliedSeqs();
    /// The highest seq of one device the copy holds (0 when none).
    [[nodiscard]] Result<std::int64_t> appliedSeq(const std::string& device);
    /// Record `seqs` as applied (a copy made before the copy kept them, known to be complete).
    [[nodiscard]] Status noteApplied(const std::map<std::string, std::int64_t>& seqs);
    /// The materialised copy itself (snapshots read their rows from it).
    [[nodiscard]] RecordStore& records() noexcept;

private:
    struct Impl;
    explicit RuleCheck(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vigil::sync
