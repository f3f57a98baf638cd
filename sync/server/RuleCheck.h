#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

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
    [[nodiscard]] Result<Refusals> check(const UserInfo& user, const std::vector<Op>& ops,
                                         const std::function<void(const Refusals&)>& decided = {});
    /// Apply accepted ops to the materialised copy (idempotent: LWW per field).
    [[nodiscard]] Status apply(const std::vector<Op>& ops);
    /// The highest seq of each device whose ops the copy holds (kept in the copy's own
    /// transactions by check() and apply()): what the copy lacks of the op log is every op
    /// after these.
    [[nodiscard]] Result<std::map<std::string, std::int64_t>> appliedSeqs();
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
