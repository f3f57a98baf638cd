#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/common/Result.h"
#include "core/records/Op.h"
#include "sync/protocol/Protocol.h"
#include "sync/server/AccessRules.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

class PushAuthority;

/// What one op costs beyond its value (ids, stamps, row and index space), for quotas and page
/// budgets; the same 200 as the SQLCipher store's first count (its schema step 13).
inline constexpr std::int64_t kOpOverheadBytes = 200;

/// A refusal kept for a retry: the op it answered ("" when kept before op ids were) and the answer.
struct KeptRefusal {
    std::string opId;
    OpRejection rejection;
};

/// What judging a push reads and writes in a server store, in the store's own SQL and inside the
/// push's transaction. Each store implements it over its tables (SqlCipherServerStore,
/// PgServerStore); judgePush, the decisions, is written once for both.
class PushLedger {
public:
    virtual ~PushLedger() = default;

    /// Read ahead what judging these ops will look up (which incident each record belongs to,
    /// each incident's access), when a store gains by reading it together (PostgreSQL: one round
    /// trip for the batch, not one or two an op). Nothing by default.
    [[nodiscard]] virtual Status prefetch(const std::vector<Op>& /*ops*/) { return {}; }
    /// An administrator holds the device's changes back (quarantine).
    [[nodiscard]] virtual Result<bool> quarantined(const std::string& device) = 0;
    /// The bytes the device keeps in the op log (its quota's use).
    [[nodiscard]] virtual Result<std::int64_t> usage(const std::string& device) = 0;
    /// The device's last seq decided and the newest time-ordered op id held from it ((0, "") for none).
    [[nodiscard]] virtual Result<std::pair<std::int64_t, std::string>> deviceSeq(const std::string& device) = 0;
    /// The op id logged under (device, seq), when one is.
    [[nodiscard]] virtual Result<std::optional<std::string>> loggedOpId(const std::string& device, std::int64_t seq) = 0;
    /// The refusal kept under (device, seq), when one is.
    [[nodiscard]] virtual Result<std::optional<KeptRefusal>> refusalAt(const std::string& device, std::int64_t seq) = 0;
    /// A refusal kept for this op id (under any seq), when one is.
    [[nodiscard]] virtual Result<std::optional<OpRejection>> refusalOf(const std::string& device,
                                                                       const std::string& opId) = 0;
    /// Every op id held from the device, logged or refused.
    [[nodiscard]] virtual Result<std::unordered_set<std::string>> heldOpIds(const std::string& device) = 0;
    /// Keep the answer to a refused op, for a retry of the same batch.
    [[nodiscard]] virtual Status keepRejection(const std::string& device, const std::string& opId,
                                               const OpRejection& rejection, std::int64_t now) = 0;

    /// The incident a record belongs to, when the server has received the record.
    [[nodiscard]] virtual Result<std::optional<std::string>> incidentOf(const std::string& entity,
                                                                        const std::string& id) = 0;
    /// The access index of an incident, when the server has received it.
    [[nodiscard]] virtual Result<std::optional<IncidentAccess>> loadAccess(const std::string& incidentId) = 0;
    /// A new incident in the access index (not restricted, no access list yet).
    [[nodiscard]] virtual Status addIncident(const std::string& id, const std::string& owner, const std::string& team,
                                             const std::string& borough) = 0;
    /// Where a new record belongs, for the ops that follow it (kept when already known).
    [[nodiscard]] virtual Status indexRecord(const std::string& entity, const std::string& id,
                                             const std::string& incidentId) = 0;
    /// A refused change in the denials table (DPA 2018 s.62), beside the server's chain.
    [[nodiscard]] virtual Status recordDenial(std::int64_t at, const std::string& userId, const std::string& deviceId,
                                              const std::string& incidentId, std::int64_t seq,
                                              const std::string& reason) = 0;
    [[nodiscard]] virtual Status appendServerAudit(ServerAuditEntry entry) = 0;

    /// The head (seq, hash) of the device's audit chain as the server accepted it, when any.
    [[nodiscard]] virtual Result<std::optional<std::pair<std::int64_t, std::string>>> deviceAuditHead(
        const std::string& device) = 0;
    /// Some device of this user has its chain's head at (seq, hash) (a device enrolled again).
    [[nodiscard]] virtual Result<bool> userAuditHeadAt(const std::string& userId, std::int64_t seq,
                                                       const std::string& hash) = 0;
    /// The device's chain holds entry `seq` (at least 1) with `hash` on the server.
    [[nodiscard]] virtual Result<bool> heldDeviceAuditEntry(const std::string& device, std::int64_t seq,
                                                            const std::string& hash) = 0;
};

/// The head of the pushing device's audit chain during one push: read once, moved on in memory
/// by each entry accepted, written once by the store before the push commits.
struct DeviceAuditHead {
    bool loaded = false;
    bool held = false;  ///< the server holds an entry of this device's chain
    bool moved = false;
    std::int64_t seq = 0;
    std::string hash;
};

/// A push as judged, before the core rules re-check it on the records copy.
struct JudgedPush {
    PushResponse response;                ///< refusals so far (ackedUpto: see ackedUpto())
    std::vector<Op> accepted;             ///< to log, each with `user` set to the sender
    std::vector<std::string> incidents;   ///< the incident of each accepted op
    std::vector<std::string> texts;       ///< each accepted op's value as JSON text, as the op log keeps it
    std::int64_t lastSeq = 0;             ///< the device's last seq decided after the batch
    std::string topOpId;                  ///< the newest time-ordered op id held from the device after it
    DeviceAuditHead auditHead;            ///< written back by the store when `moved`
};

/// Judge a push in the store's transaction (SqlCipherServerStore::pushOps, PgServerStore::pushOps):
/// quarantine, the sequence (a retried op gets the same answer and changes nothing; an op the
/// server holds already under another number is not kept twice), size limits and the device's
/// quota (`deviceQuota` bytes, 0 for none), the clock, access and scope, authority, and the
/// device's audit chain. Refusals of single ops are kept through the ledger; a batch refused
/// whole is an error (Rejected, field "quarantined", "quota" or "sequence") and the store rolls
/// back. The access index gains new incidents and records through the ledger.
[[nodiscard]] Result<JudgedPush> judgePush(PushLedger& store, const DeviceIdentity& who, const std::vector<Op>& ops,
                                           std::int64_t now, PushAuthority& authority, std::int64_t deviceQuota);

/// How far a batch's own ops are decided once the device's last seq is `lastSeq`: never further
/// (the device's last seq is not the request's to learn).
[[nodiscard]] std::int64_t ackedUpto(const std::vector<Op>& ops, std::int64_t lastSeq);

/// Can this op change who may see its incident (the restricted flag, the access list, a
/// referral, the victim's consent, the officer in the case, a removal)? Only those incidents'
/// access is worked out again.
[[nodiscard]] bool touchesAccess(const Op& op);

/// The recipients still referred an incident whose set of referrals on it changed: their devices
/// holding it get it again whole, trimmed to the new share (refreshChangedShares in each store).
/// `before` and `after` are (referral id, recipient) pairs.
[[nodiscard]] std::vector<std::string> changedShareRecipients(
    const std::vector<std::pair<std::string, std::string>>& before,
    const std::vector<std::pair<std::string, std::string>>& after);

}  // namespace vigil::sync
