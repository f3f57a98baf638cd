// PgServerStore's pushes and its records copy (docs/postgresql.md, decisions 5 and 6). The
// decisions are judgePush's (sync/server/PushJudge.cpp) and RuleCheck's, the same code the SQLCipher
// store runs; what is here is the SQL behind them, the op log's lock, and keeping this server's
// local copy of the records up to the shared op log.
#include <algorithm>
#include <map>
#include <set>

#include "core/common/JsonText.h"
#include "core/records/AuditLog.h"
#include "core/records/IncidentRepository.h"
#include "core/store/Database.h"
#include "sync/server/Log.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/PushAuthority.h"
#include "sync/server/PushJudge.h"

namespace vigil::sync {

namespace {

std::string rowOf(const std::string& device, std::int64_t seq) { return device + '\0' + std::to_string(seq); }

/// The copy holds a batch the op log never committed: a server stopped between the copy's commit
/// and the op log's, and the batch was not logged since (its device never sent it again, or it
/// was refused then). A copy's highest seq of a device is always an op it applied, and every op
/// applied when both commits happen is logged; so a device whose highest seq in the copy is not
/// in the op log marks such a copy. Checked at start only, when no push of this server is open.
Result<bool> copyAheadOfLog(RuleCheck& copy, PgConnection& conn)
{
    auto applied = copy.appliedSeqs();
    if (!applied)
        return std::move(applied).error();
    // A few thousand devices a statement (a force has tens of thousands).
    constexpr std::size_t kDevices = 4000;
    std::vector<std::string> devices;
    std::string seqs;
    const auto check = [&]() -> Result<bool> {
        if (devices.empty())
            return false;
        auto missing = conn.exec("SELECT 1 FROM unnest($1::text[], $2::bigint[]) AS w(device, seq) WHERE NOT EXISTS "
                                 "(SELECT 1 FROM op_log o WHERE o.device = w.device AND o.seq = w.seq) LIMIT 1;",
                                 {PgParam(pgTextArray(devices)), PgParam("{" + seqs + "}")});
        if (!missing)
            return std::move(missing).error();
        devices.clear();
        seqs.clear();
        return !missing->empty();
    };
    for (const auto& [device, seq] : *applied) {
        if (seq <= 0)
            continue;
        devices.push_back(device);
        seqs += (seqs.empty() ? "" : ",") + std::to_string(seq);
        if (devices.size() == kDevices) {
            auto ahead = check();
            if (!ahead || *ahead)
                return ahead;
        }
    }
    return check();
}

}  // namespace

/// The SQL behind judgePush, in the push's transaction. Every push holds the op log's advisory
/// lock, so what only pushes write (the access index, refusals, device seqs, audit heads, usage)
/// needs no lock of its own.
class PgServerStore::Ledger final : public PushLedger {
public:
    explicit Ledger(PgServerStore& store) : m_store(store), m_conn(*store.m_conn) {}

    Result<bool> quarantined(const std::string& device) override
    {
        auto r = m_conn.exec("SELECT 1 FROM device_quarantine WHERE device = $1;", {PgParam(device)});
        if (!r)
            return std::move(r).error();
        return !r->empty();
    }
    Result<std::int64_t> usage(const std::string& device) override { return m_store.deviceUsage(device); }
    Result<std::pair<std::int64_t, std::string>> deviceSeq(const std::string& device) override
    {
        auto r = m_conn.exec("SELECT last_seq, top_op_id FROM device_seq WHERE device = $1;", {PgParam(device)});
        if (!r)
            return std::move(r).error();
        if (r->empty())
            return std::pair<std::int64_t, std::string>{0, std::string()};
        return std::pair<std::int64_t, std::string>{r->integer(0, 0), r->text(0, 1)};
    }
    Result<std::optional<std::string>> loggedOpId(const std::string& device, std::int64_t seq) override
    {
        auto r = m_conn.exec("SELECT op_id FROM op_log WHERE device = $1 AND seq = $2;", {PgParam(device), PgParam(seq)});
        if (!r)
            return std::move(r).error();
        return r->empty() ? std::nullopt : std::optional<std::string>(r->text(0, 0));
    }
    Result<std::optional<KeptRefusal>> refusalAt(const std::string& device, std::int64_t seq) override
    {
        auto r = m_conn.exec("SELECT op_id, error, message, field FROM push_rejections WHERE device = $1 AND seq = $2;",
                             {PgParam(device), PgParam(seq)});
        if (!r)
            return std::move(r).error();
        if (r->empty())
            return std::optional<KeptRefusal>();
        auto message = m_store.unseal(r->bytes(0, 2), pgSealedAt("push_rejections.message", rowOf(device, seq)));
        if (!message)
            return std::move(message).error();
        return std::optional<KeptRefusal>(
            KeptRefusal{r->text(0, 0), OpRejection{seq, r->text(0, 1), std::move(message).value(), r->text(0, 3)}});
    }
    Result<std::optional<OpRejection>> refusalOf(const std::string& device, const std::string& opId) override
    {
        auto r = m_conn.exec("SELECT seq, error, message, field FROM push_rejections WHERE device = $1 AND op_id = $2 "
                             "ORDER BY seq LIMIT 1;",
                             {PgParam(device), PgParam(opId)});
        if (!r)
            return std::move(r).error();
        if (r->empty())
            return std::optional<OpRejection>();
        const std::int64_t seq = r->integer(0, 0);
        auto message = m_store.unseal(r->bytes(0, 2), pgSealedAt("push_rejections.message", rowOf(device, seq)));
        if (!message)
            return std::move(message).error();
        return std::optional<OpRejection>(OpRejection{seq, r->text(0, 1), std::move(message).value(), r->text(0, 3)});
    }
    Result<std::unordered_set<std::string>> heldOpIds(const std::string& device) override
    {
        auto r = m_conn.exec("SELECT op_id FROM op_log WHERE device = $1 UNION ALL "
                             "SELECT op_id FROM push_rejections WHERE device = $1;",
                             {PgParam(device)});
        if (!r)
            return std::move(r).error();
        std::unordered_set<std::string> held;
        for (int i = 0; i < r->rows(); ++i)
            held.insert(r->text(i, 0));
        return held;
    }
    Status keepRejection(const std::string& device, const std::string& opId, const OpRejection& rejection,
                         std::int64_t now) override
    {
        return m_store.keepRejection(device, opId, rejection, now);
    }
    // Within one push the access index changes only through addIncident and indexRecord (the
    // restricted flag, access lists and referrals are refreshed after the judgment): what a batch
    // looked up once is kept for its other ops, saving a round trip or two an op. The ledger lives
    // for one run of the push's transaction.
    Status prefetch(const std::vector<Op>& ops) override
    {
        std::vector<std::string> entities;
        std::vector<std::string> ids;
        std::set<std::string> incidents;
        for (const Op& op : ops) {
            if (op.entity == "audit")
                continue;
            if (op.entity == "incident") {
                incidents.insert(op.id);
            } else if (op.field == kFieldCreate) {
                auto link = op.value.is_object() ? op.value.find("incident") : op.value.end();
                if (op.value.is_object() && link != op.value.end() && link->is_string())
                    incidents.insert(link->get<std::string>());
            } else if (m_incidentOf.emplace(op.entity + '\0' + op.id, std::nullopt).second) {
                entities.push_back(op.entity);
                ids.push_back(op.id);
            }
        }
        if (!ids.empty()) {
            auto r = m_conn.exec("SELECT r.entity, r.id, r.incident_id FROM record_index r JOIN unnest($1::text[], "
                                 "$2::text[]) AS w(entity, id) ON r.entity = w.entity AND r.id = w.id;",
                                 {PgParam(pgTextArray(entities)), PgParam(pgTextArray(ids))});
            if (!r)
                return std::move(r).error();
            for (int i = 0; i < r->rows(); ++i) {
                m_incidentOf[r->text(i, 0) + '\0' + r->text(i, 1)] = r->text(i, 2);
                incidents.insert(r->text(i, 2));
            }
        }
        if (incidents.empty())
            return {};
        const std::string wanted = pgTextArray({incidents.begin(), incidents.end()});
        for (const std::string& id : incidents)
            m_access[id] = std::nullopt;
        auto rows = m_conn.exec("SELECT id, owner, team, borough, restricted, access_list, allocated_to FROM incidents "
                                "WHERE id = ANY($1::text[]);",
                                {PgParam(wanted)});
        if (!rows)
            return std::move(rows).error();
        for (int i = 0; i < rows->rows(); ++i) {
            IncidentAccess a;
            a.id = rows->text(i, 0);
            a.owner = rows->text(i, 1);
            a.team = rows->text(i, 2);
            a.borough = rows->text(i, 3);
            a.restricted = rows->boolean(i, 4);
            a.accessList = vigil::json::stringList(rows->text(i, 5));
            a.allocatedTo = rows->text(i, 6);
            m_access[a.id] = std::move(a);
        }
        auto refs = m_conn.exec("SELECT incident_id, to_user FROM referrals WHERE incident_id = ANY($1::text[]) AND "
                                "to_user <> '' ORDER BY incident_id, id;",
                                {PgParam(wanted)});
        if (!refs)
            return std::move(refs).error();
        for (int i = 0; i < refs->rows(); ++i) {
            auto& access = m_access[refs->text(i, 0)];
            if (access)
                access->referredTo.push_back(refs->text(i, 1));
        }
        return {};
    }
    Result<std::optional<std::string>> incidentOf(const std::string& entity, const std::string& id) override
    {
        std::string key = entity + '\0' + id;
        if (auto it = m_incidentOf.find(key); it != m_incidentOf.end())
            return it->second;
        auto r = m_conn.exec("SELECT incident_id FROM record_index WHERE entity = $1 AND id = $2;",
                             {PgParam(entity), PgParam(id)});
        if (!r)
            return std::move(r).error();
        std::optional<std::string> found = r->empty() ? std::nullopt : std::optional<std::string>(r->text(0, 0));
        m_incidentOf.emplace(std::move(key), found);
        return found;
    }
    Result<std::optional<IncidentAccess>> loadAccess(const std::string& incidentId) override
    {
        if (auto it = m_access.find(incidentId); it != m_access.end())
            return it->second;
        auto access = m_store.loadAccess(incidentId);
        if (!access)
            return std::move(access).error();
        m_access.emplace(incidentId, *access);
        return access;
    }
    Status addIncident(const std::string& id, const std::string& owner, const std::string& team,
                       const std::string& borough) override
    {
        m_access.erase(id);
        auto r = m_conn.exec("INSERT INTO incidents (id, owner, team, borough) VALUES ($1,$2,$3,$4);",
                             {PgParam(id), PgParam(owner), PgParam(team), PgParam(borough)});
        return r ? Status() : Status(std::move(r).error());
    }
    Status indexRecord(const std::string& entity, const std::string& id, const std::string& incidentId) override
    {
        m_incidentOf.erase(entity + '\0' + id);
        auto r = m_conn.exec("INSERT INTO record_index (entity, id, incident_id) VALUES ($1,$2,$3) "
                             "ON CONFLICT (entity, id) DO NOTHING;",
                             {PgParam(entity), PgParam(id), PgParam(incidentId)});
        return r ? Status() : Status(std::move(r).error());
    }
    Status recordDenial(std::int64_t at, const std::string& userId, const std::string& deviceId,
                        const std::string& incidentId, std::int64_t seq, const std::string& reason) override
    {
        auto r = m_conn.exec("INSERT INTO access_denials (at, user_id, device_id, incident_id, seq, reason) "
                             "VALUES ($1,$2,$3,$4,$5,$6);",
                             {PgParam(at), PgParam(userId), PgParam(deviceId), PgParam(incidentId), PgParam(seq),
                              PgParam(reason)});
        return r ? Status() : Status(std::move(r).error());
    }
    Status appendServerAudit(ServerAuditEntry entry) override { return m_store.appendServerAudit(std::move(entry)); }
    Result<std::optional<std::pair<std::int64_t, std::string>>> deviceAuditHead(const std::string& device) override
    {
        using Head = std::optional<std::pair<std::int64_t, std::string>>;
        auto r = m_conn.exec("SELECT seq, hash FROM device_audit_head WHERE device = $1;", {PgParam(device)});
        if (!r)
            return std::move(r).error();
        return r->empty() ? Head() : Head(std::pair<std::int64_t, std::string>{r->integer(0, 0), r->text(0, 1)});
    }
    Result<bool> userAuditHeadAt(const std::string& userId, std::int64_t seq, const std::string& hash) override
    {
        auto r = m_conn.exec("SELECT 1 FROM device_audit_head WHERE user_id = $1 AND seq = $2 AND hash = $3;",
                             {PgParam(userId), PgParam(seq), PgParam(hash)});
        if (!r)
            return std::move(r).error();
        return !r->empty();
    }
    Result<bool> heldDeviceAuditEntry(const std::string& device, std::int64_t seq, const std::string& hash) override
    {
        // Newest first: a branch usually goes back a little way.
        auto r = m_conn.exec("SELECT seq, value FROM op_log WHERE device = $1 AND entity = 'audit' "
                             "AND field = '@append' ORDER BY cursor DESC;",
                             {PgParam(device)});
        if (!r)
            return std::move(r).error();
        for (int i = 0; i < r->rows(); ++i) {
            auto value = m_store.unseal(r->bytes(i, 1), pgSealedAt("op_log.value", rowOf(device, r->integer(i, 0))));
            if (!value)
                return std::move(value).error();
            const auto held = auditEntryFromJson(vigil::json::parse(*value));
            if (held && held->seq == seq && held->hash == hash)
                return true;
        }
        return false;
    }

private:
    PgServerStore& m_store;
    PgConnection& m_conn;
    std::map<std::string, std::optional<std::string>> m_incidentOf;  ///< entity '\0' id → incident
    std::map<std::string, std::optional<IncidentAccess>> m_access;    ///< incident → its access row
};

Result<std::int64_t> PgServerStore::deviceUsage(const std::string& deviceId)
{
    auto r = m_conn->exec("SELECT bytes FROM device_usage WHERE device = $1;", {PgParam(deviceId)});
    if (!r)
        return std::move(r).error();
    return r->empty() ? std::int64_t{0} : r->integer(0, 0);
}

Status PgServerStore::addUsage(const std::string& deviceId, std::int64_t bytes)
{
    auto r = m_conn->exec("INSERT INTO device_usage (device, bytes) VALUES ($1, GREATEST(0, $2::bigint)) "
                          "ON CONFLICT (device) DO UPDATE SET bytes = GREATEST(0, device_usage.bytes + $2::bigint);",
                          {PgParam(deviceId), PgParam(bytes)});
    return r ? Status() : Status(std::move(r).error());
}

Status PgServerStore::keepRejection(const std::string& device, const std::string& opId, const OpRejection& rejection,
                                    std::int64_t now)
{
    // The message is sealed: a refusal's words may quote what was refused.
    auto r = m_conn->exec(
        "INSERT INTO push_rejections (device, seq, op_id, error, message, field, at) VALUES ($1,$2,$3,$4,$5,$6,$7);",
        {PgParam(device), PgParam(rejection.seq), PgParam(opId), PgParam(rejection.error),
         PgParam::bytes(seal(rejection.message, pgSealedAt("push_rejections.message", rowOf(device, rejection.seq)))),
         PgParam(rejection.field), PgParam(now)});
    return r ? Status() : Status(std::move(r).error());
}

Result<std::optional<IncidentAccess>> PgServerStore::loadAccess(const std::string& incidentId)
{
    auto r = m_conn->exec("SELECT owner, team, borough, restricted, access_list, allocated_to FROM incidents "
                          "WHERE id = $1;",
                          {PgParam(incidentId)});
    if (!r)
        return std::move(r).error();
    if (r->empty())
        return std::optional<IncidentAccess>();
    IncidentAccess a;
    a.id = incidentId;
    a.owner = r->text(0, 0);
    a.team = r->text(0, 1);
    a.borough = r->text(0, 2);
    a.restricted = r->boolean(0, 3);
    a.accessList = vigil::json::stringList(r->text(0, 4));
    a.allocatedTo = r->text(0, 5);
    auto refs = m_conn->exec("SELECT to_user FROM referrals WHERE incident_id = $1 AND to_user <> '' ORDER BY id;",
                             {PgParam(incidentId)});
    if (!refs)
        return std::move(refs).error();
    for (int i = 0; i < refs->rows(); ++i)
        a.referredTo.push_back(refs->text(i, 0));
    return std::optional<IncidentAccess>(std::move(a));
}

Result<std::optional<UserInfo>> PgServerStore::activeUser(const std::string& userId)
{
    auto found = findUser(userId);
    if (!found)
        return std::move(found).error();
    if (!*found || !(*found)->active)
        return std::optional<UserInfo>();
    return std::optional<UserInfo>(std::move((*found)->info));
}

Result<const SharingPolicy*> PgServerStore::sharingFor(const UserInfo& user) const
{
    return sharingPolicyFor(user, m_ruleFiles ? &m_ruleFiles->idvaSharing : nullptr,
                            m_ruleFiles ? &m_ruleFiles->policeSharing : nullptr, m_rules != nullptr);
}

Status PgServerStore::refreshAccess(const std::vector<AccessFacts>& facts)
{
    for (const AccessFacts& f : facts) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& name : f.accessList)
            list.push_back(name);
        auto up = m_conn->exec("UPDATE incidents SET restricted = $1, access_list = $2, allocated_to = $3 WHERE id = $4;",
                               {PgParam(f.restricted), PgParam(list.dump()), PgParam(f.allocatedTo),
                                PgParam(f.incidentId)});
        if (!up)
            return std::move(up).error();
        auto held = m_conn->exec("SELECT id, to_user FROM referrals WHERE incident_id = $1 ORDER BY id;",
                                 {PgParam(f.incidentId)});
        if (!held)
            return std::move(held).error();
        std::vector<std::pair<std::string, std::string>> before;
        for (int i = 0; i < held->rows(); ++i)
            before.emplace_back(held->text(i, 0), held->text(i, 1));
        VIGIL_TRY(refreshChangedShares(f, before));
        auto del = m_conn->exec("DELETE FROM referrals WHERE incident_id = $1;", {PgParam(f.incidentId)});
        if (!del)
            return std::move(del).error();
        for (const auto& [referral, to] : f.referrals) {
            auto ins = m_conn->exec("INSERT INTO referrals (id, incident_id, to_user) VALUES ($1,$2,$3) "
                                    "ON CONFLICT (id) DO UPDATE SET incident_id = excluded.incident_id, "
                                    "to_user = excluded.to_user;",
                                    {PgParam(referral), PgParam(f.incidentId), PgParam(to)});
            if (!ins)
                return std::move(ins).error();
        }
    }
    return {};
}

Status PgServerStore::refreshChangedShares(const AccessFacts& facts,
                                           const std::vector<std::pair<std::string, std::string>>& before)
{
    if (!m_ruleFiles)
        return {};
    for (const std::string& user : changedShareRecipients(before, facts.referrals)) {
        auto info = activeUser(user);
        if (!info)
            return std::move(info).error();
        if (!*info)
            continue;
        auto sharing = sharingFor(**info);
        if (!sharing)
            return std::move(sharing).error();
        if (!*sharing || !(*sharing)->isFor(vigil::Role::Idva))
            continue;  // not a share that follows referrals: nothing they hold depends on them
        // Pulls of these devices (on any server) write the same rows: ON CONFLICT, and the UPDATE
        // waits for a pull's row locks.
        auto queue = m_conn->exec(
            "INSERT INTO device_refresh (device, incident_id) "
            "SELECT v.device, v.incident_id FROM device_visible v JOIN devices d ON d.id = v.device "
            "WHERE v.incident_id = $1 AND d.user_id = $2 "
            "UNION SELECT p.device, p.incident_id FROM view_pending p JOIN devices d ON d.id = p.device "
            "WHERE p.incident_id = $1 AND d.user_id = $2 AND p.forget <> 1 "
            "ON CONFLICT (device, incident_id) DO NOTHING;",
            {PgParam(facts.incidentId), PgParam(user)});
        if (!queue)
            return std::move(queue).error();
        // A page already sent the incident again under the old share and is not yet confirmed:
        // its confirmation must not take this new request off the queue.
        auto stale = m_conn->exec("UPDATE view_pending SET forget = 0 WHERE incident_id = $1 AND forget = 2 "
                                  "AND device IN (SELECT id FROM devices WHERE user_id = $2);",
                                  {PgParam(facts.incidentId), PgParam(user)});
        if (!stale)
            return std::move(stale).error();
    }
    return {};
}

// --- the records copy ---------------------------------------------------------------------------

Result<std::int64_t> PgServerStore::copyStart()
{
    auto applied = m_rules->appliedSeqs();
    if (!applied)
        return std::move(applied).error();
    auto devices = m_conn->exec("SELECT device, last_seq FROM device_seq;");
    if (!devices)
        return std::move(devices).error();
    std::optional<std::int64_t> from;
    for (int i = 0; i < devices->rows(); ++i) {
        const std::string device = devices->text(i, 0);
        auto it = applied->find(device);
        const std::int64_t have = it == applied->end() ? 0 : it->second;
        if (devices->integer(i, 1) <= have)
            continue;
        auto first = m_conn->exec("SELECT min(cursor) FROM op_log WHERE device = $1 AND seq > $2;",
                                  {PgParam(device), PgParam(have)});
        if (!first)
            return std::move(first).error();
        if (!first->isNull(0, 0))
            from = std::min(from.value_or(first->integer(0, 0)), first->integer(0, 0));
    }
    if (from)
        return *from - 1;
    auto head = m_conn->exec("SELECT COALESCE(max(cursor), 0) FROM op_log;");
    if (!head)
        return std::move(head).error();
    return head->integer(0, 0);
}

Result<std::int64_t> PgServerStore::catchUpCopy()
{
    if (!m_rules)
        return makeError(ErrorCode::Internal, "This server keeps no records copy (enableRuleCheck).");
    // Past the copy's cursor, in op log order. Ops the copy holds already (it committed a batch
    // whose op log transaction then failed, or it was opened from a copy ahead of its cursor) are
    // skipped by each device's highest seq it holds. Readers need no lock: the log up to any
    // cursor seen is complete (docs/postgresql.md, decision 5).
    constexpr std::size_t kPage = 2000;
    std::map<std::string, std::int64_t> held;  // device -> highest seq the copy holds, read once each
    std::int64_t replayed = 0;
    for (;;) {
        auto page = opsAfter(m_copyCursor, kPage);
        if (!page)
            return std::move(page).error();
        if (page->empty())
            break;
        std::vector<Op> batch;
        batch.reserve(page->size());
        for (LoggedOp& l : *page) {
            auto it = held.find(l.op.device);
            if (it == held.end()) {
                auto seq = m_rules->appliedSeq(l.op.device);
                if (!seq)
                    return std::move(seq).error();
                it = held.emplace(l.op.device, *seq).first;
            }
            if (l.op.seq > it->second) {
                it->second = l.op.seq;
                batch.push_back(std::move(l.op));
            }
        }
        const std::int64_t last = page->back().cursor;
        if (!batch.empty()) {
            Status applied = m_rules->apply(batch);
            if (!applied.ok()) {
                Log::write(LogLevel::Error, "records_copy_catch_up_failed",
                           {{"error", errorCodeName(applied.error().code)},
                            {"fix", "if this repeats, stop this server and move its records copy aside: it is rebuilt "
                                    "from the op log in PostgreSQL at the next start"}});
                return applied.error();
            }
        }
        replayed += static_cast<std::int64_t>(batch.size());
        m_copyCursor = last;
        if (page->size() < kPage)
            break;
    }
    // Routine with several servers (each push catches up on the others'): debug, except at start.
    if (replayed > 0)
        Log::write(m_copyStarting ? LogLevel::Info : LogLevel::Debug, "records_copy_caught_up",
                   {{"ops", replayed}, {"cursor", m_copyCursor}});
    return m_copyCursor;
}

Status PgServerStore::setPageCache(std::int64_t megabytes)
{
    m_cacheMb = megabytes;
    if (!m_rules || m_cacheMb <= 0)
        return {};
    // Negative: a size in KiB rather than in pages.
    return m_rules->records().database().exec("PRAGMA cache_size = -" + std::to_string(m_cacheMb * 1024) + ";");
}

Status PgServerStore::enableRuleCheck(const std::filesystem::path& recordsFile, std::span<const unsigned char> key,
                                      const std::filesystem::path& modelDir)
{
    auto loaded = loadServerRules(modelDir);
    if (!loaded)
        return std::move(loaded).error();
    m_ruleFiles = std::move(loaded).value();
    auto rules = RuleCheck::open(recordsFile, key, modelDir);
    if (!rules)
        return std::move(rules).error();
    // The copy is derived: one never marked complete (new, or lost and made again beside a
    // database that holds ops) is rebuilt from the whole op log, once, here; so is one made
    // before a stamp repair changed the log under it (the copies' epoch moved on).
    auto complete = (*rules)->records().database().queryInt(
        "SELECT count(*) FROM store_meta WHERE key = 'copy_complete';");
    if (!complete)
        return std::move(complete).error();
    auto epochRow = m_conn->exec("SELECT COALESCE((SELECT value FROM server_meta WHERE key = 'copy_epoch'), '0');");
    if (!epochRow)
        return std::move(epochRow).error();
    const std::string epoch = epochRow->text(0, 0);
    auto sameEpoch = (*rules)->records().database().queryInt(
        "SELECT count(*) FROM store_meta WHERE key = 'pg_copy_epoch' AND value = '" + std::to_string(std::stoll(epoch))
        + "';");
    if (!sameEpoch)
        return std::move(sameEpoch).error();
    m_rules = std::move(rules).value();
    bool ahead = false;
    if (*complete != 0 && !(*sameEpoch == 0 && epoch != "0")) {
        auto found = copyAheadOfLog(*m_rules, *m_conn);
        if (!found) {
            m_rules.reset();
            return std::move(found).error();
        }
        ahead = *found;
        if (ahead)
            Log::write(LogLevel::Warn, "records_copy_ahead_of_op_log", {{"fix", "rebuilt from the op log now"}});
    }
    if (*complete == 0 || (*sameEpoch == 0 && epoch != "0") || ahead) {
        auto ops = m_conn->exec("SELECT count(*) FROM op_log;");
        if (!ops)
            return std::move(ops).error();
        if (ops->integer(0, 0) > 0 || *complete != 0) {
            Log::write(LogLevel::Info, "records_copy_rebuild", {{"ops", ops->integer(0, 0)}});
            m_rules.reset();
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
                std::error_code ignored;
                std::filesystem::remove(recordsFile.string() + suffix, ignored);
            }
            auto fresh = RuleCheck::open(recordsFile, key, modelDir);
            if (!fresh)
                return std::move(fresh).error();
            m_rules = std::move(fresh).value();
        }
        VIGIL_TRY(setPageCache(m_cacheMb));
        m_copyCursor = 0;
        auto caught = catchUpCopy();
        if (!caught) {
            m_rules.reset();
            return std::move(caught).error();
        }
        VIGIL_TRY(m_rules->records().database().exec(
            "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('copy_complete', '1'), ('copy_applied', '1'), "
            "('pg_copy_epoch', '" + std::to_string(std::stoll(epoch)) + "');"));
        if (ops->integer(0, 0) > 0)
            Log::write(LogLevel::Info, "records_copy_rebuilt", {{"ops", ops->integer(0, 0)}});
        return {};
    }
    auto start = copyStart();
    if (!start) {
        m_rules.reset();
        return std::move(start).error();
    }
    m_copyCursor = *start;
    VIGIL_TRY(setPageCache(m_cacheMb));
    // A server stopped after PostgreSQL committed and before its copy did, or a copy left behind
    // while other servers worked: caught up here (said at start, as the SQLCipher store says it).
    auto head = m_conn->exec("SELECT COALESCE(max(cursor), 0) FROM op_log;");
    if (!head)
        return std::move(head).error();
    if (head->integer(0, 0) > m_copyCursor)
        Log::write(LogLevel::Info, "records_copy_catch_up", {{"from_cursor", m_copyCursor}});
    m_copyStarting = true;
    auto caught = catchUpCopy();
    m_copyStarting = false;
    if (!caught) {
        m_rules.reset();
        return std::move(caught).error();
    }
    return {};
}

// --- pushes -------------------------------------------------------------------------------------

Result<PushResponse> PgServerStore::pushOps(const DeviceIdentity& who, const std::vector<Op>& ops, std::int64_t now)
{
    // Authority and access are judged on the records copy: no push without it.
    if (!m_rules || !m_ruleFiles)
        return makeError(ErrorCode::Internal, "the server takes no changes without its rule check (enableRuleCheck)");
    PushResponse response;
    std::vector<std::int64_t> cursors;
    bool copyTook = false;  // the copy committed (some of) the batch
    Status done = m_conn->transaction([&]() -> Status {
        response = PushResponse{};
        cursors.clear();
        // The op log's lock first (decision 5), then the copy caught up to the log's end under it
        // (decision 6): every push committed by any server is in the copy before this one is judged.
        VIGIL_TRY(m_conn->lockForTransaction(m_opLogLock));
        auto caught = catchUpCopy();
        if (!caught)
            return std::move(caught).error();
        auto copySeq = m_rules->appliedSeq(who.device.id);
        if (!copySeq)
            return std::move(copySeq).error();
        PushAuthority authority(
            m_ruleFiles->policy, who.user.info, now, m_clockTolerance, *copySeq,
            [this](Entity e, const std::string& id) { return m_rules->records().get(e, id); },
            [this](const std::string& id) { return IncidentRepository(m_rules->records()).stateOf(id); },
            [this](const std::string& userId) { return activeUser(userId); });
        authority.prescan(ops);
        Ledger ledger(*this);
        auto judged = judgePush(ledger, who, ops, now, authority, m_deviceQuota);
        if (!judged)
            return std::move(judged).error();
        response = std::move(judged->response);
        if (!judged->accepted.empty()) {
            // The core rules on the records as they would stand: a clean batch stays applied to
            // the copy; otherwise only the ops that break no rule are applied.
            RuleCheck::AccessQuery access;
            for (std::size_t i = 0; i < judged->accepted.size(); ++i)
                if (touchesAccess(judged->accepted[i]))
                    access.incidents.insert(judged->incidents[i]);
            auto refused = m_rules->check(who.user.info, judged->accepted, {}, &access);
            if (!refused)
                return std::move(refused).error();
            std::vector<Op> kept;
            if (!refused->empty()) {
                for (const Op& op : judged->accepted) {
                    auto it = refused->find(op.seq);
                    if (it == refused->end()) {
                        kept.push_back(op);
                        continue;
                    }
                    VIGIL_TRY(keepRejection(who.device.id, op.opId, it->second, now));
                    response.rejected.push_back(it->second);
                }
                std::sort(response.rejected.begin(), response.rejected.end(),
                          [](const OpRejection& a, const OpRejection& b) { return a.seq < b.seq; });
                VIGIL_TRY(m_rules->apply(kept));
                auto found = m_rules->accessFacts(access.incidents);
                if (!found)
                    return std::move(found).error();
                access.facts = std::move(found).value();
            }
            copyTook = true;
            // Append what is kept, each under the next cursor (the lock is held).
            std::int64_t bytes = 0;
            std::vector<OpToLog> toLog;
            toLog.reserve(judged->accepted.size());
            for (std::size_t i = 0; i < judged->accepted.size(); ++i) {
                const Op& op = judged->accepted[i];
                if (refused->count(op.seq) > 0)
                    continue;
                toLog.push_back(OpToLog{&op, &judged->incidents[i], &judged->texts[i]});
                bytes += static_cast<std::int64_t>(judged->texts[i].size()) + kOpOverheadBytes;
            }
            auto logged = insertOps(who, toLog, now);
            if (!logged)
                return std::move(logged).error();
            cursors = std::move(logged).value();
            // The device's storage quota counts what it keeps here (device_quota_mb).
            if (bytes > 0)
                VIGIL_TRY(addUsage(who.device.id, bytes));
            // Access follows the record as merged, in the op log's own commit.
            VIGIL_TRY(refreshAccess(access.facts));
        }
        if (judged->auditHead.moved) {
            auto keep = m_conn->exec("INSERT INTO device_audit_head (device, user_id, seq, hash) VALUES ($1,$2,$3,$4) "
                                     "ON CONFLICT (device) DO UPDATE SET user_id = excluded.user_id, seq = excluded.seq, "
                                     "hash = excluded.hash;",
                                     {PgParam(who.device.id), PgParam(who.user.info.id), PgParam(judged->auditHead.seq),
                                      PgParam(judged->auditHead.hash)});
            if (!keep)
                return std::move(keep).error();
        }
        auto seq = m_conn->exec("INSERT INTO device_seq (device, last_seq, top_op_id) VALUES ($1,$2,$3) "
                                "ON CONFLICT (device) DO UPDATE SET last_seq = excluded.last_seq, "
                                "top_op_id = excluded.top_op_id;",
                                {PgParam(who.device.id), PgParam(judged->lastSeq), PgParam(judged->topOpId)});
        if (!seq)
            return std::move(seq).error();
        response.ackedUpto = ackedUpto(ops, judged->lastSeq);
        return {};
    });
    if (!done.ok()) {
        if (copyTook) {
            // The copy holds a batch the op log does not: it is ahead, which changes nothing when the
            // device sends the batch again (LWW; its seqs are skipped on catch-up). Said, because a
            // copy that drifted is rebuilt by moving it aside.
            Log::write(LogLevel::Warn, "records_copy_ahead_of_op_log", {{"error", errorCodeName(done.error().code)}});
        }
        return std::move(done).error();
    }
    // Nothing but this push was appended since the copy caught up (the lock), so the copy now holds
    // every op up to this push's last cursor.
    if (!cursors.empty())
        m_copyCursor = std::max(m_copyCursor, cursors.back());
    return response;
}

}  // namespace vigil::sync
