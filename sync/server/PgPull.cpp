// PgServerStore's pull pages (docs/postgresql.md). The page is servePullPage's
// (sync/server/PullPage.cpp), the same code the SQLCipher store runs; what is here is the SQL
// behind it. Pulls take no op-log lock: the log up to any cursor a reader has seen is complete
// (decision 5). Pulls of one device take turns across servers on an advisory lock of their own.
#include <map>

#include "core/common/JsonText.h"
#include "core/figures/Figures.h"
#include "core/records/Hlc.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/PullPage.h"
#include "sync/server/PushAuthority.h"
#include "sync/server/PushJudge.h"

namespace vigil::sync {

namespace {

constexpr const char* kOpColumns =
    "SELECT cursor, device, seq, op_id, entity, record_id, incident_id, field, value, base, hlc, user_id FROM op_log ";
/// Rows read at a time where a pull may stop early (a page's byte budget).
constexpr std::int64_t kChunk = 500;

}  // namespace

/// The SQL behind servePullPage, in the pull's transaction.
class PgServerStore::PullRows final : public PullLedger {
public:
    explicit PullRows(PgServerStore& store) : m_store(store), m_conn(*store.m_conn) {}

    Result<std::optional<std::pair<std::int64_t, std::int64_t>>> deviceView(const std::string& device) override
    {
        using View = std::optional<std::pair<std::int64_t, std::int64_t>>;
        auto r = m_conn.exec("SELECT confirmed, issued FROM device_view WHERE device = $1;", {PgParam(device)});
        if (!r)
            return std::move(r).error();
        return r->empty() ? View() : View(std::make_pair(r->integer(0, 0), r->integer(0, 1)));
    }
    Status storeView(const std::string& device, std::int64_t confirmed, std::int64_t issued) override
    {
        return run("INSERT INTO device_view (device, confirmed, issued) VALUES ($1,$2,$3) ON CONFLICT (device) "
                   "DO UPDATE SET confirmed = excluded.confirmed, issued = excluded.issued;",
                   {PgParam(device), PgParam(confirmed), PgParam(issued)});
    }
    Result<std::vector<PendingViewChange>> pendingChanges(const std::string& device, std::int64_t view) override
    {
        auto r = m_conn.exec("SELECT incident_id, forget, upto FROM view_pending WHERE device = $1 AND view = $2;",
                             {PgParam(device), PgParam(view)});
        if (!r)
            return std::move(r).error();
        std::vector<PendingViewChange> out;
        for (int i = 0; i < r->rows(); ++i)
            out.push_back({r->text(i, 0), r->integer(i, 1), r->integer(i, 2)});
        return out;
    }
    Status keepPending(const std::string& device, std::int64_t view, const PendingViewChange& c) override
    {
        return run("INSERT INTO view_pending (device, view, incident_id, forget, upto) VALUES ($1,$2,$3,$4,$5) "
                   "ON CONFLICT (device, view, incident_id) DO NOTHING;",
                   {PgParam(device), PgParam(view), PgParam(c.incidentId), PgParam(c.kind), PgParam(c.upto)});
    }
    Status dropPending(const std::string& device) override
    {
        return run("DELETE FROM view_pending WHERE device = $1;", {PgParam(device)});
    }
    Result<std::set<std::string>> visibleTo(const std::string& device) override
    {
        auto r = m_conn.exec("SELECT incident_id FROM device_visible WHERE device = $1;", {PgParam(device)});
        if (!r)
            return std::move(r).error();
        std::set<std::string> out;
        for (int i = 0; i < r->rows(); ++i)
            out.insert(r->text(i, 0));
        return out;
    }
    Status setVisible(const std::string& device, const std::string& incidentId, bool visible) override
    {
        return run(visible ? "INSERT INTO device_visible (device, incident_id) VALUES ($1,$2) ON CONFLICT DO NOTHING;"
                           : "DELETE FROM device_visible WHERE device = $1 AND incident_id = $2;",
                   {PgParam(device), PgParam(incidentId)});
    }
    Result<std::map<std::string, PartHistory, std::less<>>> histories(const std::string& device) override
    {
        auto r = m_conn.exec("SELECT incident_id, upto, whole FROM device_history WHERE device = $1;", {PgParam(device)});
        if (!r)
            return std::move(r).error();
        std::map<std::string, PartHistory, std::less<>> out;
        for (int i = 0; i < r->rows(); ++i)
            out.emplace(r->text(i, 0), PartHistory{r->integer(i, 1), r->boolean(i, 2)});
        return out;
    }
    Status setHistory(const std::string& device, const std::string& incidentId, const PartHistory& part) override
    {
        return run("INSERT INTO device_history (device, incident_id, upto, whole) VALUES ($1,$2,$3,$4) "
                   "ON CONFLICT (device, incident_id) DO UPDATE SET upto = excluded.upto, whole = excluded.whole;",
                   {PgParam(device), PgParam(incidentId), PgParam(part.upto), PgParam(part.whole)});
    }
    Status dropHistory(const std::string& device, const std::string& incidentId) override
    {
        return run("DELETE FROM device_history WHERE device = $1 AND incident_id = $2;",
                   {PgParam(device), PgParam(incidentId)});
    }
    Result<std::vector<std::string>> refreshQueue(const std::string& device) override
    {
        auto r = m_conn.exec("SELECT incident_id FROM device_refresh WHERE device = $1 ORDER BY incident_id;",
                             {PgParam(device)});
        if (!r)
            return std::move(r).error();
        std::vector<std::string> out;
        for (int i = 0; i < r->rows(); ++i)
            out.push_back(r->text(i, 0));
        return out;
    }
    Status dropRefresh(const std::string& device, const std::string& incidentId) override
    {
        return run("DELETE FROM device_refresh WHERE device = $1 AND incident_id = $2;",
                   {PgParam(device), PgParam(incidentId)});
    }
    Result<std::vector<IncidentAccess>> allAccess() override { return m_store.allAccess(); }
    Result<std::vector<IncidentAccess>> accessFor(const UserInfo& user) override { return m_store.accessFor(user); }
    Result<std::set<std::string, std::less<>>> quarantined() override
    {
        auto r = m_conn.exec("SELECT device FROM device_quarantine;");
        if (!r)
            return std::move(r).error();
        std::set<std::string, std::less<>> out;
        for (int i = 0; i < r->rows(); ++i)
            out.insert(r->text(i, 0));
        return out;
    }
    Status forIncidentOps(const std::string& incidentId, std::int64_t after, std::optional<std::int64_t> through,
                          const std::string& device, bool ownToo, bool anyQuarantined,
                          const std::function<bool(PulledOp&&)>& visit) override
    {
        // Every parameter is named in the SQL (PostgreSQL wants a type for each); the quarantine
        // look-up is always made (`anyQuarantined` only spares SQLite a join).
        (void)anyQuarantined;
        std::string sql = std::string(kOpColumns) + "WHERE incident_id = $1 AND cursor > $2 "
                                                    "AND ($4::bigint IS NULL OR cursor <= $4::bigint)";
        sql += ownToo ? " AND (device = $3 OR device NOT IN (SELECT device FROM device_quarantine))"
                      : " AND device <> $3 AND device NOT IN (SELECT device FROM device_quarantine WHERE device <> $3)";
        sql += " ORDER BY cursor LIMIT $5;";
        // A chunk at a time: a page's budget usually stops the visit long before an incident's end.
        for (std::int64_t from = after;;) {
            auto r = m_conn.exec(sql, {PgParam(incidentId), PgParam(from), PgParam(device), PgParam::optional(through),
                                       PgParam(kChunk)});
            if (!r)
                return std::move(r).error();
            for (int i = 0; i < r->rows(); ++i) {
                auto op = pulled(*r, i);
                if (!op)
                    return std::move(op).error();
                from = op->cursor;
                if (!visit(std::move(op).value()))
                    return {};
            }
            if (r->rows() < kChunk)
                return {};
        }
    }
    Result<std::vector<ScannedOp>> scan(std::int64_t after, std::size_t limit) override
    {
        auto r = m_conn.exec("SELECT cursor, incident_id, device FROM op_log WHERE cursor > $1 ORDER BY cursor LIMIT $2;",
                             {PgParam(after), PgParam(static_cast<std::int64_t>(limit))});
        if (!r)
            return std::move(r).error();
        std::vector<ScannedOp> out;
        out.reserve(static_cast<std::size_t>(r->rows()));
        for (int i = 0; i < r->rows(); ++i)
            out.push_back({r->integer(i, 0), r->text(i, 1), r->text(i, 2)});
        return out;
    }
    Result<std::optional<std::vector<ScannedOp>>> scanIncidents(const std::vector<std::string>& incidents,
                                                               std::int64_t after, std::int64_t through,
                                                               const std::string& device, std::size_t limit) override
    {
        // The (incident_id, cursor) index, one range an incident (LATERAL: so even the generic plan
        // of the prepared statement reads the index, not every op in the cursor range), merged in
        // cursor order.
        std::vector<ScannedOp> out;
        if (incidents.empty())
            return std::optional<std::vector<ScannedOp>>(std::move(out));
        auto r = m_conn.exec("SELECT o.cursor, o.incident_id, o.device FROM unnest($1::text[]) AS i(id) "
                             "CROSS JOIN LATERAL (SELECT cursor, incident_id, device FROM op_log WHERE incident_id = i.id "
                             "AND cursor > $2 AND cursor <= $3 AND device <> $4 ORDER BY cursor LIMIT $5) o "
                             "ORDER BY o.cursor LIMIT $5;",
                             {PgParam(pgTextArray(incidents)), PgParam(after), PgParam(through), PgParam(device),
                              PgParam(static_cast<std::int64_t>(limit))});
        if (!r)
            return std::move(r).error();
        out.reserve(static_cast<std::size_t>(r->rows()));
        for (int i = 0; i < r->rows(); ++i)
            out.push_back({r->integer(i, 0), r->text(i, 1), r->text(i, 2)});
        return std::optional<std::vector<ScannedOp>>(std::move(out));
    }
    Result<std::optional<PulledOp>> opAt(std::int64_t cursor) override
    {
        auto r = m_conn.exec(std::string(kOpColumns) + "WHERE cursor = $1;", {PgParam(cursor)});
        if (!r)
            return std::move(r).error();
        if (r->empty())
            return std::optional<PulledOp>();
        auto op = pulled(*r, 0);
        if (!op)
            return std::move(op).error();
        return std::optional<PulledOp>(std::move(op).value());
    }
    Status opsAt(const std::vector<std::int64_t>& cursors, const std::function<bool(PulledOp&&)>& visit) override
    {
        // A few hundred positions a statement, in one round trip each.
        constexpr std::size_t kBatch = 256;
        for (std::size_t first = 0; first < cursors.size(); first += kBatch) {
            std::string list = "{";
            for (std::size_t i = first; i < std::min(cursors.size(), first + kBatch); ++i)
                list += (i == first ? "" : ",") + std::to_string(cursors[i]);
            list += "}";
            auto r = m_conn.exec(std::string(kOpColumns) + "WHERE cursor = ANY($1::bigint[]) ORDER BY cursor;",
                                 {PgParam(list)});
            if (!r)
                return std::move(r).error();
            for (int i = 0; i < r->rows(); ++i) {
                auto op = pulled(*r, i);
                if (!op)
                    return std::move(op).error();
                if (!visit(std::move(op).value()))
                    return {};
            }
        }
        return {};
    }
    Status forOpsBetween(std::int64_t from, std::int64_t to, const std::function<bool(PulledOp&&)>& visit) override
    {
        for (std::int64_t after = from;;) {
            auto r = m_conn.exec(std::string(kOpColumns) + "WHERE cursor > $1 AND cursor <= $2 ORDER BY cursor LIMIT $3;",
                                 {PgParam(after), PgParam(to), PgParam(kChunk)});
            if (!r)
                return std::move(r).error();
            for (int i = 0; i < r->rows(); ++i) {
                auto op = pulled(*r, i);
                if (!op)
                    return std::move(op).error();
                after = op->cursor;
                if (!visit(std::move(op).value()))
                    return {};
            }
            if (r->rows() < kChunk)
                return {};
        }
    }
    Result<std::int64_t> lastCursor() override
    {
        auto r = m_conn.exec("SELECT COALESCE(max(cursor), 0) FROM op_log;");
        if (!r)
            return std::move(r).error();
        return r->integer(0, 0);
    }
    Status recordDisclosure(std::int64_t at, const std::string& userId, const std::string& deviceId,
                            const std::string& incidentsJson, std::int64_t ops, const std::string& forgottenJson,
                            const std::string& sharing) override
    {
        return run("INSERT INTO disclosures (at, user_id, device_id, incidents, ops, forgotten, sharing) "
                   "VALUES ($1,$2,$3,$4,$5,$6,$7);",
                   {PgParam(at), PgParam(userId), PgParam(deviceId), PgParam(incidentsJson), PgParam(ops),
                    PgParam(forgottenJson), PgParam(sharing)});
    }
    Status appendServerAudit(ServerAuditEntry entry) override { return m_store.appendServerAudit(std::move(entry)); }

private:
    Status run(std::string_view sql, std::initializer_list<PgParam> params)
    {
        auto r = m_conn.exec(sql, params);
        return r ? Status() : Status(std::move(r).error());
    }
    /// A row read with kOpColumns, its value opened, with its size for a page's budget: the text of
    /// its columns as the SQLCipher store counts them (the value's plain text, not the sealed bytes).
    Result<PulledOp> pulled(const PgResult& r, int i)
    {
        PulledOp p;
        p.cursor = r.integer(i, 0);
        p.incidentId = r.text(i, 6);
        Op& op = p.op;
        op.device = r.text(i, 1);
        op.seq = r.integer(i, 2);
        op.opId = r.text(i, 3);
        op.entity = r.text(i, 4);
        op.id = r.text(i, 5);
        op.field = r.text(i, 7);
        auto value = m_store.unseal(r.bytes(i, 8), pgSealedAt("op_log.value", op.device + '\0' + std::to_string(op.seq)));
        if (!value)
            return std::move(value).error();
        op.value = vigil::json::parse(*value);
        const std::string base = r.isNull(i, 9) ? std::string() : r.text(i, 9);
        if (!base.empty())
            op.base = hlcFromString(base);
        const std::string hlc = r.text(i, 10);
        op.hlc = hlcFromString(hlc).value_or(0);
        op.user = r.text(i, 11);
        p.bytes = static_cast<std::size_t>(kOpOverheadBytes) + op.device.size() + std::to_string(op.seq).size()
            + op.opId.size() + op.entity.size() + op.id.size() + p.incidentId.size() + op.field.size() + value->size()
            + base.size() + hlc.size() + op.user.size();
        return p;
    }

    PgServerStore& m_store;
    PgConnection& m_conn;
};

namespace {
/// Up to this many incidents, their referrals are read by id.
constexpr std::size_t kFewIncidents = 256;
std::vector<std::string> idsOf(const std::vector<IncidentAccess>& access)
{
    std::vector<std::string> ids;
    ids.reserve(access.size());
    for (const auto& a : access)
        ids.push_back(a.id);
    return ids;
}
}  // namespace

Result<std::vector<IncidentAccess>> PgServerStore::allAccess()
{
    return accessWhere("true", {});
}

Result<std::vector<IncidentAccess>> PgServerStore::accessFor(const UserInfo& user)
{
    std::vector<PgParam> params;
    const auto where = accessCandidates(user, [&](const std::string& value) {
        params.emplace_back(value);
        return "$" + std::to_string(params.size());
    });
    if (!where)
        return allAccess();
    if (where->empty())
        return std::vector<IncidentAccess>();
    return accessWhere(*where, params);
}

Result<std::vector<IncidentAccess>> PgServerStore::accessWhere(const std::string& where, const std::vector<PgParam>& params)
{
    // Two reads, not two queries per incident.
    auto r = m_conn->execPlannedEachTime(
        "SELECT id, owner, team, borough, restricted, access_list, allocated_to FROM incidents WHERE " + where
            + " ORDER BY id;",
        params);
    if (!r)
        return std::move(r).error();
    std::vector<IncidentAccess> out;
    std::map<std::string, std::size_t> at;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int i = 0; i < r->rows(); ++i) {
        IncidentAccess a;
        a.id = r->text(i, 0);
        a.owner = r->text(i, 1);
        a.team = r->text(i, 2);
        a.borough = r->text(i, 3);
        a.restricted = r->boolean(i, 4);
        const std::string list = r->text(i, 5);
        if (list != "[]")
            a.accessList = vigil::json::stringList(list);
        a.allocatedTo = r->text(i, 6);
        at.emplace(a.id, out.size());
        out.push_back(std::move(a));
    }
    if (out.empty())
        return out;
    // Their referrals: of a few incidents by their ids; of many, every referral (fewer than incidents)
    // rather than the incidents' condition read a second time.
    auto refs = out.size() <= kFewIncidents
        ? m_conn->exec("SELECT incident_id, to_user FROM referrals WHERE to_user <> '' AND incident_id = ANY($1::text[]) "
                       "ORDER BY incident_id, id;",
                       {PgParam(pgTextArray(idsOf(out)))})
        : m_conn->exec("SELECT incident_id, to_user FROM referrals WHERE to_user <> '' ORDER BY incident_id, id;");
    if (!refs)
        return std::move(refs).error();
    for (int i = 0; i < refs->rows(); ++i)
        if (auto it = at.find(refs->text(i, 0)); it != at.end())
            out[it->second].referredTo.push_back(refs->text(i, 1));
    return out;
}

std::optional<vigil::Role> PgServerStore::roleOfUser(const std::string& userId)
{
    // Deactivated users keep their role: an IDVA who left still wrote her contacts as an IDVA.
    auto found = findUser(userId);
    if (!found || !*found)
        return std::nullopt;
    return coreRole((*found)->info.role);
}

Result<PullResponse> PgServerStore::pullOps(const DeviceIdentity& who, const PullCursor& cursor, std::size_t limit,
                                            std::int64_t now)
{
    auto sharing = sharingFor(who.user.info);
    if (!sharing)
        return std::move(sharing).error();
    // A page trimmed by a sharing policy learns its incidents' rows from this server's copy, which
    // must hold every op the page holds: it is caught up once the page is read, to the log's end
    // (decision 6), before the first incident is learnt.
    bool caughtUp = false;
    PullSharing share;
    share.policy = *sharing;
    share.rowsOf = [this, &caughtUp](const std::string& id) -> Result<std::vector<StoredRow>> {
        if (!caughtUp) {
            auto caught = catchUpCopy();
            if (!caught)
                return std::move(caught).error();
            caughtUp = true;
        }
        return m_rules->records().storedRowsOfIncident(id);
    };
    share.roleOf = [this](const std::string& u) { return roleOfUser(u); };
    const std::int64_t deviceLock = pgLockKey(m_conn->schema(), "pull:" + who.device.id);
    Result<PullResponse> page = PullResponse{};
    Status done = m_conn->transaction([&]() -> Status {
        // The device's view rows are this device's alone, but a device that gave up on an answer and
        // asked another server may pull twice at once: its pulls take turns.
        VIGIL_TRY(m_conn->lockForTransaction(deviceLock));
        caughtUp = false;
        PullRows rows(*this);
        page = servePullPage(rows, who, cursor, limit, m_pullPageBytes, now, share);
        return page ? Status() : Status(page.error());
    });
    if (!done.ok())
        return std::move(done).error();
    return page;
}

Result<SnapshotPage> PgServerStore::snapshotPage(const DeviceIdentity& who, const std::string& from, std::size_t limit,
                                                 std::size_t maxBytes, std::int64_t now)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no materialised records to start a device from.");
    auto sharing = sharingFor(who.user.info);
    if (!sharing)
        return std::move(sharing).error();
    const std::int64_t deviceLock = pgLockKey(m_conn->schema(), "pull:" + who.device.id);
    Result<SnapshotPage> page = SnapshotPage{};
    Status done = m_conn->transaction([&]() -> Status {
        // A snapshot registers a pending view as a pull does: the device's pulls and snapshot pages
        // take turns across servers.
        VIGIL_TRY(m_conn->lockForTransaction(deviceLock));
        PullRows rows(*this);
        page = serveSnapshotPage(
            rows, m_rules->records(), who, from, limit, maxBytes, now, *sharing,
            [this](const std::string& u) { return roleOfUser(u); },
            [this]() -> Status {
                // The copy holds every op up to the snapshot's position, whichever server took them.
                auto caught = catchUpCopy();
                return caught ? Status() : Status(caught.error());
            });
        return page ? Status() : Status(page.error());
    });
    if (!done.ok())
        return std::move(done).error();
    return page;
}

// --- figures from the copy ---------------------------------------------------------------------
// The core's own figure code over this server's copy (issue 25), caught up to the op log's end
// first, whichever server took the changes.

Result<FigureSet> PgServerStore::figures(const FigureRequest& request)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no copy of the records to count figures from.");
    auto caught = catchUpCopy();
    if (!caught)
        return std::move(caught).error();
    FigureRequest numbersOnly = request;
    numbersOnly.keepIncidentIds = false;
    return computeFigures(m_rules->records(), numbersOnly, &m_ruleFiles->diversity, &m_ruleFiles->outcomes);
}

Result<std::vector<FigureSet>> PgServerStore::figuresByBorough(const FigureRequest& request,
                                                               const std::vector<std::string>& boroughs)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no copy of the records to count figures from.");
    auto caught = catchUpCopy();
    if (!caught)
        return std::move(caught).error();
    FigureRequest numbersOnly = request;
    numbersOnly.keepIncidentIds = false;
    return computeFiguresByBorough(m_rules->records().database(), numbersOnly, boroughs, &m_ruleFiles->diversity,
                                   &m_ruleFiles->outcomes);
}

Result<std::vector<std::string>> PgServerStore::figureBoroughs(const std::string& from, const std::string& to)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no copy of the records to count figures from.");
    auto caught = catchUpCopy();
    if (!caught)
        return std::move(caught).error();
    return boroughsWithFigures(m_rules->records().database(), from, to);
}

}  // namespace vigil::sync
