#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/common/Result.h"
#include "core/records/Op.h"
#include "core/records/RecordStore.h"
#include "core/risk/SharingPolicy.h"
#include "sync/protocol/Protocol.h"
#include "sync/server/AccessRules.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// A change to a device's view that a page made, kept until a pull names the page's view.
/// `kind`: 0 the incident came into view (its whole history sent), 1 it left it, 2 it was sent
/// again whole, 3 part of its history was sent, up to op-log position `upto`, 4 part of it was
/// sent again whole (a refresh, or its sequel), up to `upto`.
struct PendingViewChange {
    std::string incidentId;
    std::int64_t kind = 0;
    std::int64_t upto = 0;
};

/// An incident whose history reached the device in part (it did not fit one page), and whether
/// it is a whole one (sent again: the device's own ops too, past the cursor too).
struct PartHistory {
    std::int64_t upto = 0;
    bool whole = false;
};

/// An op of the log as a pull reads it, with what it costs of a page's byte budget (its columns'
/// text plus kOpOverheadBytes, as each store counts them).
struct PulledOp {
    std::int64_t cursor = 0;
    std::string incidentId;
    Op op;
    std::size_t bytes = 0;
};

/// Where an op is in the log: what a pull's scan reads before it reads an op whole.
struct ScannedOp {
    std::int64_t cursor = 0;
    std::string incidentId;
    std::string device;
};

/// What serving a pull page reads and writes in a server store, in the store's own SQL and inside
/// the pull's transaction. servePullPage, the decisions, is written once for both stores.
class PullLedger {
public:
    virtual ~PullLedger() = default;

    /// The device's (confirmed, issued) view generations, when it has any.
    [[nodiscard]] virtual Result<std::optional<std::pair<std::int64_t, std::int64_t>>> deviceView(
        const std::string& device) = 0;
    [[nodiscard]] virtual Status storeView(const std::string& device, std::int64_t confirmed, std::int64_t issued) = 0;
    /// The changes a page under `view` made, not yet confirmed.
    [[nodiscard]] virtual Result<std::vector<PendingViewChange>> pendingChanges(const std::string& device,
                                                                               std::int64_t view) = 0;
    /// Keep a change of a pending page (kept once: keeping it again changes nothing).
    [[nodiscard]] virtual Status keepPending(const std::string& device, std::int64_t view,
                                             const PendingViewChange& change) = 0;
    /// Every pending page of the device is dropped (one was confirmed).
    [[nodiscard]] virtual Status dropPending(const std::string& device) = 0;
    /// The incidents the device holds (its confirmed view).
    [[nodiscard]] virtual Result<std::set<std::string>> visibleTo(const std::string& device) = 0;
    [[nodiscard]] virtual Status setVisible(const std::string& device, const std::string& incidentId, bool visible) = 0;
    [[nodiscard]] virtual Result<std::map<std::string, PartHistory, std::less<>>> histories(
        const std::string& device) = 0;
    [[nodiscard]] virtual Status setHistory(const std::string& device, const std::string& incidentId,
                                            const PartHistory& part) = 0;
    [[nodiscard]] virtual Status dropHistory(const std::string& device, const std::string& incidentId) = 0;
    /// Incidents queued to be sent again whole to the device, in id order.
    [[nodiscard]] virtual Result<std::vector<std::string>> refreshQueue(const std::string& device) = 0;
    [[nodiscard]] virtual Status dropRefresh(const std::string& device, const std::string& incidentId) = 0;

    /// The whole access index.
    [[nodiscard]] virtual Result<std::vector<IncidentAccess>> allAccess() = 0;
    /// The access index of the incidents `user` might read (accessCandidates: every one canRead
    /// could pass, perhaps more; the caller applies canRead). The whole index unless a store
    /// narrows it: a pull's cost then follows the user's scope, not the force's incidents.
    [[nodiscard]] virtual Result<std::vector<IncidentAccess>> accessFor(const UserInfo& user);
    /// The devices an administrator quarantined.
    [[nodiscard]] virtual Result<std::set<std::string, std::less<>>> quarantined() = 0;

    /// An incident's ops after position `after`, in cursor order, until `visit` says stop. `through`:
    /// only up to that position. `ownToo`: `device`'s own ops too (otherwise only other devices').
    /// Ops of quarantined devices other than `device` are left out; `anyQuarantined` says whether
    /// there are any (a store may then skip the look-up).
    [[nodiscard]] virtual Status forIncidentOps(const std::string& incidentId, std::int64_t after,
                                                std::optional<std::int64_t> through, const std::string& device,
                                                bool ownToo, bool anyQuarantined,
                                                const std::function<bool(PulledOp&&)>& visit) = 0;
    /// At most `limit` positions after `after`, in order.
    [[nodiscard]] virtual Result<std::vector<ScannedOp>> scan(std::int64_t after, std::size_t limit) = 0;
    /// Like scan, narrowed to ops on these incidents (ascending ids) by devices other than
    /// `device`, up to position `through`: at most `limit` of them after `after`, in order. A
    /// store that cannot narrow its scan so answers nullopt (servePullPage then scans every
    /// position); PostgreSQL reads its (incident_id, cursor) index, so a pull of a team's few
    /// incidents does not read every op pushed since the device's last pull.
    [[nodiscard]] virtual Result<std::optional<std::vector<ScannedOp>>> scanIncidents(
        const std::vector<std::string>& incidents, std::int64_t after, std::int64_t through, const std::string& device,
        std::size_t limit);
    /// The op at a position.
    [[nodiscard]] virtual Result<std::optional<PulledOp>> opAt(std::int64_t cursor) = 0;
    /// The ops at these positions (ascending), in order, until `visit` says stop; a position
    /// without an op is skipped. One opAt each, unless a store reads them together (PostgreSQL:
    /// one round trip for many).
    [[nodiscard]] virtual Status opsAt(const std::vector<std::int64_t>& cursors,
                                       const std::function<bool(PulledOp&&)>& visit);
    /// Every op after `from` up to `to`, in order, until `visit` says stop.
    [[nodiscard]] virtual Status forOpsBetween(std::int64_t from, std::int64_t to,
                                               const std::function<bool(PulledOp&&)>& visit) = 0;
    /// The log's last position (0 when empty).
    [[nodiscard]] virtual Result<std::int64_t> lastCursor() = 0;

    /// A disclosure (DPA 2018 s.62) in the disclosures table, beside the server's chain.
    [[nodiscard]] virtual Status recordDisclosure(std::int64_t at, const std::string& userId,
                                                  const std::string& deviceId, const std::string& incidentsJson,
                                                  std::int64_t ops, const std::string& forgottenJson,
                                                  const std::string& sharing) = 0;
    [[nodiscard]] virtual Status appendServerAudit(ServerAuditEntry entry) = 0;
};

/// What a page trimmed by a sharing policy learns from the records copy.
struct PullSharing {
    const SharingPolicy* policy = nullptr;  ///< null: whole incidents
    /// The rows of an incident as the records copy holds them.
    std::function<Result<std::vector<StoredRow>>(const std::string& incidentId)> rowsOf;
    /// The role of a user a row names as its author (nullopt: unknown).
    std::function<std::optional<vigil::Role>(const std::string& userId)> roleOf;
};

/// Serve one pull page (ServerStore::pullOps) in the store's transaction: confirm the view the
/// cursor names, work out what the user may see now, send the history of incidents that came into
/// view and of those sent again whole, then the new ops since the cursor within `limit` ops and
/// `pageBytes` bytes, trimmed by `sharing`; keep the page's view changes pending; log the
/// disclosure. The same for both stores.
[[nodiscard]] Result<PullResponse> servePullPage(PullLedger& store, const DeviceIdentity& who, const PullCursor& from,
                                                 std::size_t limit, std::size_t pageBytes, std::int64_t now,
                                                 const PullSharing& sharing);

/// Serve one page of the snapshot a device that has never pulled starts from
/// (ServerStore::snapshotPage) in the store's transaction, from the records copy `copy`: whole
/// incidents the user may see, in id order, trimmed by `sharing` (null: whole), at most about
/// `limit` rows and `maxBytes` bytes; the first page fixes the op-log position and registers the
/// incidents as a pending view. `caughtUp`, when given, brings the copy up to the log's end once
/// the position is fixed (on a continued page: at once). NotFound while a device is quarantined.
[[nodiscard]] Result<SnapshotPage> serveSnapshotPage(
    PullLedger& store, RecordStore& copy, const DeviceIdentity& who, const std::string& from, std::size_t limit,
    std::size_t maxBytes, std::int64_t now, const SharingPolicy* sharing,
    const std::function<std::optional<vigil::Role>(const std::string&)>& roleOf, const std::function<Status()>& caughtUp);

}  // namespace vigil::sync
