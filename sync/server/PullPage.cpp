// A pull page, written once for both server stores (moved here from SqlCipherServerStore::pullOps,
// unchanged in behaviour): the stores differ only in the SQL behind PullLedger and in their
// transaction.
#include "sync/server/PullPage.h"

#include <algorithm>

#include "sync/server/PushJudge.h"
#include "sync/server/SharingFilter.h"

namespace vigil::sync {

namespace {

ServerAuditEntry disclosureEntry(std::int64_t at, const UserInfo& user, const std::string& deviceId,
                                 std::vector<std::string> incidents, nlohmann::json detail)
{
    ServerAuditEntry e;
    e.at = at;
    e.actor = user.id;
    e.action = "disclosure";
    e.userId = user.id;
    e.deviceId = deviceId;
    e.incidents = std::move(incidents);
    e.detail = std::move(detail);
    return e;
}

/// A pull naming a pending view says the device applied that page: it becomes the confirmed
/// view, and the other pending pages (answers lost, or sent to a request the device had given up
/// on) are dropped. Returns whether it did.
Result<bool> confirmView(PullLedger& store, const std::string& device, std::int64_t view)
{
    auto pending = store.pendingChanges(device, view);
    if (!pending)
        return std::move(pending).error();
    if (pending->empty())
        return false;
    for (const auto& [id, kind, upto] : *pending) {
        if (kind == 3 || kind == 4) {
            VIGIL_TRY(store.setHistory(device, id, PartHistory{upto, kind == 4}));
            if (kind == 4) {
                // The device dropped its rows and holds the history up to `upto`: the rest comes
                // as a history (no longer queued, not yet whole again).
                VIGIL_TRY(store.dropRefresh(device, id));
                VIGIL_TRY(store.setVisible(device, id, false));
            }
            continue;
        }
        // Its history is complete (0, 2) or no longer wanted (1).
        VIGIL_TRY(store.dropHistory(device, id));
        VIGIL_TRY(store.setVisible(device, id, kind != 1));
        if (kind == 2)
            VIGIL_TRY(store.dropRefresh(device, id));
    }
    VIGIL_TRY(store.dropPending(device));
    return true;
}

}  // namespace

Result<std::vector<IncidentAccess>> PullLedger::accessFor(const UserInfo& user)
{
    (void)user;
    return allAccess();
}

Result<std::optional<std::vector<ScannedOp>>> PullLedger::scanIncidents(const std::vector<std::string>& incidents,
                                                                        std::int64_t after, std::int64_t through,
                                                                        const std::string& device, std::size_t limit)
{
    (void)incidents, (void)after, (void)through, (void)device, (void)limit;
    return std::optional<std::vector<ScannedOp>>();
}

Status PullLedger::opsAt(const std::vector<std::int64_t>& cursors, const std::function<bool(PulledOp&&)>& visit)
{
    for (const std::int64_t c : cursors) {
        auto op = opAt(c);
        if (!op)
            return std::move(op).error();
        if (*op && !visit(std::move(**op)))
            return {};
    }
    return {};
}

Result<PullResponse> servePullPage(PullLedger& store, const DeviceIdentity& who, const PullCursor& from,
                                   std::size_t limit, std::size_t pageBytes, std::int64_t now,
                                   const PullSharing& sharing)
{
    PullResponse response;
    const std::int64_t cursor = from.position;
    const UserInfo& user = who.user.info;
    const std::string& device = who.device.id;
    // The device's view: which incidents it holds. A pull naming any view but a pending one (its
    // first, a retry after a lost answer, a late duplicate) is answered against the confirmed
    // view, and changes nothing of it.
    auto held = store.deviceView(device);
    if (!held)
        return std::move(held).error();
    const std::optional<std::pair<std::int64_t, std::int64_t>> stored = *held;
    auto [confirmed, issued] = stored.value_or(std::make_pair(std::int64_t{0}, std::int64_t{0}));
    if (from.view != 0 && from.view != confirmed) {
        auto applied = confirmView(store, device, from.view);
        if (!applied)
            return std::move(applied).error();
        if (*applied)
            confirmed = from.view;
    }
    auto all = store.accessFor(user);
    if (!all)
        return std::move(all).error();
    std::set<std::string, std::less<>> visible;
    for (const auto& a : *all) {
        if (canRead(user, a))
            visible.insert(a.id);
    }
    auto beforeRead = store.visibleTo(device);
    if (!beforeRead)
        return std::move(beforeRead).error();
    const std::set<std::string> before = std::move(beforeRead).value();
    auto partialRead = store.histories(device);
    if (!partialRead)
        return std::move(partialRead).error();
    const auto partial = std::move(partialRead).value();
    for (const auto& id : before) {
        if (!visible.count(id))
            response.forget.push_back(id);
    }
    for (const auto& [id, part] : partial) {
        if (!visible.count(id) && !before.count(id))
            response.forget.push_back(id);
    }
    // Devices whose ops an administrator quarantined: not sent to anyone else.
    auto held2 = store.quarantined();
    if (!held2)
        return std::move(held2).error();
    std::set<std::string, std::less<>> quarantined = std::move(held2).value();
    quarantined.erase(device);
    // Incidents to send again whole (a stamp repair), while the user may still see them.
    {
        auto queued = store.refreshQueue(device);
        if (!queued)
            return std::move(queued).error();
        for (std::string& id : *queued)
            if (visible.count(id))
                response.refresh.push_back(std::move(id));
    }
    std::set<std::string> disclosed;
    std::vector<std::string> opIncidents;  // the incident of each op of response.ops
    std::vector<std::string> added;
    // The page's byte budget (issue 22): a page stops before the op that would pass it, with
    // at least one op a page, so no page grows past what a device takes in one answer.
    const std::size_t budget = pageBytes;
    std::size_t bytes = 0;
    bool full = false;
    // An incident's ops from op-log position `after` on, as many as the page's budget holds
    // (one op at least a page); `upto` is the position of the last one sent. `whole`: every op,
    // the device's own too, also those past the cursor that the scan below skips as the
    // device's own (others' it sends again: applying one twice is a no-op); otherwise those
    // of other devices up to the cursor (a newly visible incident's history).
    const auto sendHistory = [&](const std::string& id, std::int64_t after, bool whole, std::int64_t& upto) -> Status {
        upto = after;
        return store.forIncidentOps(id, after, whole ? std::nullopt : std::optional<std::int64_t>(cursor), device, whole,
                                    !quarantined.empty(), [&](PulledOp&& op) {
                                        if (!response.ops.empty() && bytes + op.bytes > budget) {
                                            full = true;
                                            return false;
                                        }
                                        bytes += op.bytes;
                                        upto = op.cursor;
                                        response.ops.push_back(std::move(op.op));
                                        opIncidents.push_back(id);
                                        return true;
                                    });
    };
    // Incidents sent again whole, as many as the budget holds: the last one may be cut, and
    // goes on over the next pages (kind 4); those left out stay queued for the next page.
    std::vector<std::pair<std::string, std::int64_t>> partlyRefreshed;
    {
        std::vector<std::string> queued = std::move(response.refresh);
        response.refresh.clear();
        for (const auto& id : queued) {
            if (full)
                break;
            response.refresh.push_back(id);
            std::int64_t upto = 0;
            VIGIL_TRY(sendHistory(id, 0, true, upto));
            if (full)
                partlyRefreshed.emplace_back(id, upto);
        }
    }
    // An incident that has just come into view: its history up to the cursor, as much of it
    // as the page's budget holds. What does not fit goes on the next pages (kind 3 in the
    // pending view, then a part history once the device confirms it); the scan of new ops
    // waits until every such history is complete, so the device never gets an incident's
    // later ops before its earlier ones.
    std::vector<std::pair<std::string, std::int64_t>> partlySent;
    for (const auto& id : visible) {
        if (full)
            break;
        if (before.count(id) || std::binary_search(response.refresh.begin(), response.refresh.end(), id))
            continue;
        const auto was = partial.find(id);
        const PartHistory part = was == partial.end() ? PartHistory{} : was->second;
        std::int64_t upto = part.upto;
        VIGIL_TRY(sendHistory(id, part.upto, part.whole, upto));
        if (!full)
            added.push_back(id);
        else if (part.whole)
            partlyRefreshed.emplace_back(id, upto);
        else
            partlySent.emplace_back(id, upto);
    }
    // A page that changes the view is pending under a new generation until a pull names it.
    std::int64_t view = confirmed;
    if (!added.empty() || !partlySent.empty() || !partlyRefreshed.empty() || !response.forget.empty()
        || !response.refresh.empty()) {
        view = ++issued;
        const auto keep = [&](const std::string& id, int kind, std::int64_t upto = 0) {
            return store.keepPending(device, view, PendingViewChange{id, kind, upto});
        };
        for (const auto& [id, upto] : partlySent)
            VIGIL_TRY(keep(id, 3, upto));
        for (const auto& id : added)
            VIGIL_TRY(keep(id, 0));
        for (const auto& id : response.forget)
            VIGIL_TRY(keep(id, 1));
        for (const auto& [id, upto] : partlyRefreshed)
            VIGIL_TRY(keep(id, 4, upto));
        for (const auto& id : response.refresh) {
            const bool cut = std::any_of(partlyRefreshed.begin(), partlyRefreshed.end(),
                                         [&](const auto& p) { return p.first == id; });
            if (!cut)
                VIGIL_TRY(keep(id, 2));
        }
    }
    if (stored != std::make_pair(confirmed, issued))
        VIGIL_TRY(store.storeView(device, confirmed, issued));
    // Then everything new since the cursor that the user may see, a chunk at a time: the
    // scan reads the narrow index (which incident, which device); only the ops the user may
    // see are read whole.
    std::int64_t scanned = cursor;
    std::size_t fresh = 0;
    bool exhausted = full;  // history did not fit: new ops wait for the next page
    // The byte budget: the page ends before the op that would pass it (one op at least), and
    // its cursor at the last op kept, so the next page starts with the first one cut. Checked
    // as each op is read, so a page never reads more than one op past its budget.
    std::int64_t cutAt = 0;  // the op-log position of the first op the budget left out
    const auto fits = [&](std::size_t size) {
        if (!response.ops.empty() && bytes + size > budget) {
            full = true;
            return false;
        }
        bytes += size;
        return true;
    };
    // An op read by its cursor goes on the page, unless the budget is spent (then it is the first
    // one left out).
    const auto takeOp = [&](PulledOp&& op) {
        if (!fits(op.bytes)) {
            cutAt = op.cursor;
            return false;
        }
        response.ops.push_back(std::move(op.op));
        opIncidents.push_back(std::move(op.incidentId));
        return true;
    };
    std::vector<std::int64_t> wanted;
    // A user who may see few incidents (an officer's team) has the scan read only theirs, where the
    // store can (scanIncidents), up to the log's end as it stands now: every op before that end
    // has committed (cursor order is commit order), so nothing is passed that commits later.
    // Everyone else, and a store that cannot, scans every position. (The narrowed scan may read up
    // to `limit` ops of each incident to find the page's first ones: hence few incidents only.)
    constexpr std::size_t kNarrowScanMost = 256;
    bool narrow = visible.size() <= kNarrowScanMost;
    const std::vector<std::string> visibleIds = narrow ? std::vector<std::string>(visible.begin(), visible.end())
                                                       : std::vector<std::string>();
    std::optional<std::int64_t> narrowEnd;
    while (fresh < limit && !exhausted) {
        const std::size_t chunk = 500;
        std::optional<std::vector<ScannedOp>> narrowed;
        std::size_t asked = 0;
        if (narrow) {
            if (!narrowEnd) {
                auto end = store.lastCursor();
                if (!end)
                    return std::move(end).error();
                narrowEnd = *end;
            }
            asked = std::min(chunk, limit - fresh);
            auto rows = store.scanIncidents(visibleIds, scanned, *narrowEnd, device, asked);
            if (!rows)
                return std::move(rows).error();
            narrowed = std::move(rows).value();
            narrow = narrowed.has_value();
        }
        if (narrowed) {
            // Only the user's incidents, by other devices: each one read by its cursor.
            wanted.clear();
            for (const ScannedOp& row : *narrowed) {
                if (quarantined.empty() || !quarantined.count(row.device)) {
                    wanted.push_back(row.cursor);
                    ++fresh;
                }
                scanned = row.cursor;
            }
            if (narrowed->size() < asked) {
                exhausted = true;
                scanned = std::max(scanned, *narrowEnd);
            }
            VIGIL_TRY(store.opsAt(wanted, takeOp));
        } else {
            auto rows = store.scan(scanned, chunk);
            if (!rows)
                return std::move(rows).error();
            const std::int64_t chunkStart = scanned;
            std::size_t seen = 0;
            wanted.clear();
            for (const ScannedOp& row : *rows) {
                ++seen;
                if (row.device != device && (quarantined.empty() || !quarantined.count(row.device))) {
                    const auto incident = visible.find(row.incidentId);
                    if (incident != visible.end()) {
                        wanted.push_back(row.cursor);
                        ++fresh;
                    }
                }
                scanned = row.cursor;
                if (fresh >= limit)
                    break;
            }
            if (seen < chunk)
                exhausted = true;
            if (wanted.size() * 4 < seen) {
                // A few of many (another team's busy hour): each one by its cursor.
                VIGIL_TRY(store.opsAt(wanted, takeOp));
            } else if (!wanted.empty()) {
                // Most of them (a device catching up on its own team): one pass over the range.
                std::size_t next = 0;
                VIGIL_TRY(store.forOpsBetween(chunkStart, scanned, [&](PulledOp&& op) {
                    if (next < wanted.size() && op.cursor == wanted[next]) {
                        if (!takeOp(std::move(op)))
                            return false;
                        ++next;
                    }
                    return true;
                }));
                if (!full && next != wanted.size())
                    return makeError(ErrorCode::Internal, "the op log changed during a pull's read");
            }
        }
        if (full) {
            scanned = cutAt - 1;  // everything before it was sent or is not the user's to see
            exhausted = true;
        }
    }
    // What the page holds (ops cut by the budget are not disclosed).
    disclosed = std::set<std::string>(opIncidents.begin(), opIncidents.end());
    std::string sharedBy;
    if (sharing.policy) {
        // Trimmed to the sharing policy: each incident of the page with rows the policy judges
        // (an IDVA's: all; police users': those carrying an IDVA's casework) learnt once from
        // the copy, then every op judged by its row. Ops that may not go are simply not sent;
        // the cursor and the view move on as for any page. The disclosure names what was sent
        // and, when a share of the policy decided it, the policy.
        SharingFilter filter(*sharing.policy, user.id, sharing.roleOf);
        std::set<std::string> judged;
        for (std::size_t i = 0; i < response.ops.size(); ++i)
            if (filter.judges(response.ops[i].entity))
                judged.insert(opIncidents[i]);
        for (const auto& id : judged) {
            auto rows = sharing.rowsOf(id);
            if (!rows)
                return std::move(rows).error();
            filter.learn(id, *rows);
        }
        disclosed.clear();
        bool governed = sharing.policy->isFor(vigil::Role::Idva);
        std::size_t kept = 0;
        for (std::size_t i = 0; i < response.ops.size(); ++i) {
            if (!filter.trim(response.ops[i]))
                continue;
            governed = governed || filter.governed(response.ops[i].entity, response.ops[i].id);
            disclosed.insert(opIncidents[i]);
            if (kept != i)
                response.ops[kept] = std::move(response.ops[i]);
            ++kept;
        }
        response.ops.resize(kept);
        if (governed)
            sharedBy = sharing.policy->label();
    }
    auto last = store.lastCursor();
    if (!last)
        return std::move(last).error();
    response.more = full || scanned < *last;
    response.cursor = formatPullCursor({scanned, view});
    if (!response.ops.empty() || !response.forget.empty() || !response.refresh.empty()) {
        nlohmann::json ids(disclosed);
        nlohmann::json forgotten(response.forget);
        VIGIL_TRY(store.recordDisclosure(now, user.id, device, ids.dump(), static_cast<std::int64_t>(response.ops.size()),
                                         forgotten.dump(), sharedBy));
        VIGIL_TRY(store.appendServerAudit(disclosureEntry(now, user, device,
                                                          std::vector<std::string>(disclosed.begin(), disclosed.end()),
                                                          {{"kind", "pull"},
                                                           {"ops", response.ops.size()},
                                                           {"forgotten", response.forget},
                                                           {"sharing", sharedBy}})));
    }
    return response;
}

}  // namespace vigil::sync
