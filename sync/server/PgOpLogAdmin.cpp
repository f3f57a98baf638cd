// What vigil-admin does to PgServerStore's op log (quarantine, stamps, restores), ported from
// SqlCipherServerStore.cpp with the same messages. These are the store's own SQL with little
// decision in them; what several servers change here is said at each.
#include <algorithm>
#include <array>
#include <chrono>
#include <set>

#include <sodium.h>

#include "core/common/JsonText.h"
#include "core/records/Hlc.h"
#include "sync/server/AuditTrail.h"
#include "sync/server/PgServerStore.h"

namespace vigil::sync {

namespace {


/// Queue an incident to be sent again whole to every device holding it (or sent it on a page not
/// yet confirmed, or part of its history), but `except`. The rows queued.
Result<std::int64_t> queueRefresh(PgConnection& c, const std::string& incidentId, const std::string& except,
                                  bool histories)
{
    std::string sql = "INSERT INTO device_refresh (device, incident_id) "
                      "SELECT device, incident_id FROM device_visible WHERE incident_id = $1 AND device <> $2 "
                      "UNION SELECT device, incident_id FROM view_pending WHERE incident_id = $1 AND forget <> 1 "
                      "AND device <> $2";
    if (histories)
        sql += " UNION SELECT device, incident_id FROM device_history WHERE incident_id = $1 AND device <> $2";
    sql += " ON CONFLICT (device, incident_id) DO NOTHING;";
    auto r = c.exec(sql, {PgParam(incidentId), PgParam(except)});
    if (!r)
        return std::move(r).error();
    return r->affected();
}

}  // namespace

Result<std::int64_t> PgServerStore::auditEntryCount(const std::string& deviceId)
{
    auto r = m_conn->exec("SELECT count(*) FROM op_log WHERE device = $1 AND entity = 'audit' AND field = '@append';",
                          {PgParam(deviceId)});
    if (!r)
        return std::move(r).error();
    return r->integer(0, 0);
}

// --- quarantine ------------------------------------------------------------------------------------
// A push reads the quarantine after it takes the op log's lock: a quarantine committed before that
// refuses it, one committed after it comes after the push, as it would on one server.

Status PgServerStore::quarantineDevice(const std::string& deviceId, const std::string& reason, std::int64_t now)
{
    return m_conn->transaction([&]() -> Status {
        auto owner = m_conn->exec("SELECT user_id FROM devices WHERE id = $1;", {PgParam(deviceId)});
        if (!owner)
            return std::move(owner).error();
        if (owner->empty())
            return makeError(ErrorCode::NotFound, "There is no device with id " + deviceId + ". See `device list`.", "id");
        const std::string userId = owner->text(0, 0);
        // The reason is an administrator's words: sealed in its row.
        auto ins = m_conn->exec(
            "INSERT INTO device_quarantine (device, at, by_actor, reason) VALUES ($1,$2,$3,$4) "
            "ON CONFLICT (device) DO NOTHING RETURNING device;",
            {PgParam(deviceId), PgParam(now), PgParam(m_auditActor),
             PgParam::bytes(seal(reason, pgSealedAt("device_quarantine.reason", deviceId)))});
        if (!ins)
            return std::move(ins).error();
        if (ins->empty())
            return makeError(ErrorCode::AlreadyExists, "Device " + deviceId + " is already quarantined; nothing was "
                                                       "changed. See `quarantine list`.", "id");
        auto count = m_conn->exec("SELECT count(*) FROM op_log WHERE device = $1;", {PgParam(deviceId)});
        if (!count)
            return std::move(count).error();
        return appendServerAudit(serverEntry(now, m_auditActor, "device_quarantined", userId, deviceId, {},
                                       {{"reason", reason}, {"ops_held", count->integer(0, 0)}}));
    });
}

Result<std::int64_t> PgServerStore::releaseDevice(const std::string& deviceId, std::int64_t now)
{
    std::int64_t deliveries = 0;
    Status done = m_conn->transaction([&]() -> Status {
        deliveries = 0;
        auto del = m_conn->exec("DELETE FROM device_quarantine WHERE device = $1 RETURNING device;", {PgParam(deviceId)});
        if (!del)
            return std::move(del).error();
        if (del->empty())
            return makeError(ErrorCode::NotFound, "Device " + deviceId + " is not quarantined; nothing was changed. "
                                                  "See `quarantine list`.", "id");
        // Devices that pulled past its ops meanwhile never got them: each device holding one of
        // the incidents they touch (or sent it on a page not yet confirmed) gets it again whole.
        auto touched = m_conn->exec("SELECT DISTINCT incident_id FROM op_log WHERE device = $1 AND incident_id <> '' "
                                    "ORDER BY incident_id;",
                                    {PgParam(deviceId)});
        if (!touched)
            return std::move(touched).error();
        std::vector<std::string> incidents;
        for (int i = 0; i < touched->rows(); ++i) {
            incidents.push_back(touched->text(i, 0));
            auto queued = queueRefresh(*m_conn, incidents.back(), deviceId, true);
            if (!queued)
                return std::move(queued).error();
            deliveries += *queued;
        }
        auto owner = deviceOwner(deviceId);
        if (!owner)
            return std::move(owner).error();
        return appendServerAudit(serverEntry(now, m_auditActor, "device_released", *owner, deviceId, incidents,
                                       {{"deliveries", deliveries}}));
    });
    if (!done.ok())
        return std::move(done).error();
    return deliveries;
}

Result<std::vector<QuarantinedDevice>> PgServerStore::quarantinedDevices()
{
    auto r = m_conn->exec("SELECT q.device, q.at, q.by_actor, q.reason, "
                          "(SELECT count(*) FROM op_log o WHERE o.device = q.device) FROM device_quarantine q "
                          "ORDER BY q.at, q.device;");
    if (!r)
        return std::move(r).error();
    std::vector<QuarantinedDevice> out;
    for (int i = 0; i < r->rows(); ++i) {
        const std::string device = r->text(i, 0);
        auto reason = unseal(r->bytes(i, 3), pgSealedAt("device_quarantine.reason", device));
        if (!reason)
            return std::move(reason).error();
        out.push_back({device, r->integer(i, 1), r->text(i, 2), std::move(reason).value(), r->integer(i, 4)});
    }
    return out;
}

// --- stamps from the future ----------------------------------------------------------------------

Result<std::vector<FutureStamp>> PgServerStore::futureStamps(std::int64_t aheadSeconds)
{
    // The stamp is hex text: read the narrow columns of every op and compare here (a repair tool,
    // run by hand, reads the whole log once), a page at a time.
    std::vector<FutureStamp> out;
    for (std::int64_t after = 0;;) {
        auto r = m_conn->exec("SELECT cursor, device, user_id, incident_id, entity, field, hlc, received_at FROM op_log "
                              "WHERE cursor > $1 ORDER BY cursor LIMIT 5000;",
                              {PgParam(after)});
        if (!r)
            return std::move(r).error();
        for (int i = 0; i < r->rows(); ++i) {
            after = r->integer(i, 0);
            const HlcStamp hlc = hlcFromString(r->text(i, 6)).value_or(0);
            const std::int64_t received = r->integer(i, 7);
            const auto limitMs = static_cast<std::uint64_t>(std::max<std::int64_t>(0, received + aheadSeconds)) * 1000;
            if (hlcMillis(hlc) <= limitMs)
                continue;
            out.push_back(FutureStamp{after, r->text(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4), r->text(i, 5),
                                      hlc, received});
        }
        if (r->rows() < 5000)
            return out;
    }
}

Result<StampRepair> PgServerStore::repairStamps(std::int64_t aheadSeconds)
{
    StampRepair repair;
    Status done = m_conn->transaction([&]() -> Status {
        repair = StampRepair{};
        // Under the op log's lock: no push is judged on the old stamps while they change.
        VIGIL_TRY(m_conn->lockForTransaction(m_opLogLock));
        auto found = futureStamps(aheadSeconds);
        if (!found)
            return std::move(found).error();
        std::set<std::string> incidents;
        for (const FutureStamp& f : *found) {
            // The last millisecond of the second it arrived in, with the low bits of its cursor as
            // the counter (SqlCipherServerStore::repairStamps says why).
            const HlcStamp fixed = ((static_cast<HlcStamp>(f.receivedAt) * 1000 + 999) << 16)
                                 | (static_cast<HlcStamp>(f.cursor) & 0xFFFF);
            auto stamp = m_conn->exec("UPDATE op_log SET hlc = $1 WHERE cursor = $2;",
                                      {PgParam(hlcToString(fixed)), PgParam(f.cursor)});
            if (!stamp)
                return std::move(stamp).error();
            // A later write made over it named its stamp as its base: it still does.
            auto base = m_conn->exec("UPDATE op_log SET base = $1 WHERE incident_id = $2 AND base = $3;",
                                     {PgParam(hlcToString(fixed)), PgParam(f.incidentId), PgParam(hlcToString(f.hlc))});
            if (!base)
                return std::move(base).error();
            incidents.insert(f.incidentId);
            FutureStamp restamped = f;
            restamped.hlc = fixed;
            repair.restamped.push_back(std::move(restamped));
        }
        for (const std::string& id : incidents) {
            auto queued = queueRefresh(*m_conn, id, "", false);
            if (!queued)
                return std::move(queued).error();
            auto count = m_conn->exec("SELECT count(*) FROM device_refresh WHERE incident_id = $1;", {PgParam(id)});
            if (!count)
                return std::move(count).error();
            repair.deliveries += count->integer(0, 0);
        }
        repair.incidents = static_cast<std::int64_t>(incidents.size());
        if (found->empty())
            return {};
        // Every server's records copy holds the old stamps: each rebuilds it at its next start.
        auto epoch = m_conn->exec("INSERT INTO server_meta (key, value) VALUES ('copy_epoch', '1') ON CONFLICT (key) "
                                  "DO UPDATE SET value = (server_meta.value::bigint + 1)::text;");
        if (!epoch)
            return std::move(epoch).error();
        return appendServerAudit(serverEntry(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count(),
                                       m_auditActor, "stamps_repaired", "", "",
                                       std::vector<std::string>(incidents.begin(), incidents.end()),
                                       {{"restamped", found->size()}, {"ahead_seconds", aheadSeconds}}));
    });
    if (!done.ok())
        return std::move(done).error();
    return repair;
}

// --- restores ------------------------------------------------------------------------------------

Status PgServerStore::markRestored(std::int64_t now, const nlohmann::json& detail)
{
    // As in the SQLCipher store: a gap no device's cursor can be inside, and view numbers moved past
    // any a device holds. On PostgreSQL the cursor's sequence is moved with setval.
    constexpr std::int64_t kCursorGap = std::int64_t{1} << 32;
    constexpr std::int64_t kViewGap = std::int64_t{1} << 20;
    m_incarnation.clear();
    return m_conn->transaction([&]() -> Status {
        VIGIL_TRY(m_conn->lockForTransaction(m_opLogLock));
        std::array<unsigned char, 16> fresh{};
        randombytes_buf(fresh.data(), fresh.size());
        const std::string incarnationText = toHex(fresh);
        auto meta = m_conn->exec("INSERT INTO server_meta (key, value) VALUES ('incarnation', $1) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
                                 {PgParam(incarnationText)});
        if (!meta)
            return std::move(meta).error();
        auto highest = m_conn->exec("SELECT COALESCE(max(cursor), 0) FROM op_log;");
        if (!highest)
            return std::move(highest).error();
        const std::int64_t top = highest->integer(0, 0);
        // The sequence's own last value too: it may have run past the log (rolled-back pushes).
        auto moved = m_conn->exec("SELECT setval('op_log_cursor', GREATEST($1::bigint, "
                                  "(SELECT last_value FROM op_log_cursor)) + $2::bigint);",
                                  {PgParam(top), PgParam(kCursorGap)});
        if (!moved)
            return std::move(moved).error();
        auto views = m_conn->exec("UPDATE device_view SET issued = issued + $1;", {PgParam(kViewGap)});
        if (!views)
            return std::move(views).error();
        nlohmann::json d = detail;
        d["incarnation"] = incarnationText;
        d["op_log_cursor"] = top;
        return appendServerAudit(serverEntry(now, m_auditActor, "store_restored", "", "", {}, std::move(d)));
    });
}

// --- the trail of a record, person or user ------------------------------------------------------

Result<std::vector<AuditTrailRow>> PgServerStore::auditTrail(const AuditTrailFilter& f)
{
    // The records asked about: the record itself and its incident; for a person, their incident.
    std::set<std::string> records;
    const auto incidentOf = [&](const std::string& entity, const std::string& id) -> Status {
        auto r = entity.empty()
                     ? m_conn->exec("SELECT incident_id FROM record_index WHERE id = $1;", {PgParam(id)})
                     : m_conn->exec("SELECT incident_id FROM record_index WHERE id = $1 AND entity = $2;",
                                    {PgParam(id), PgParam(entity)});
        if (!r)
            return std::move(r).error();
        for (int i = 0; i < r->rows(); ++i)
            records.insert(r->text(i, 0));
        return {};
    };
    if (!f.record.empty()) {
        records.insert(f.record);
        VIGIL_TRY(incidentOf("", f.record));
    }
    if (!f.person.empty()) {
        records.insert(f.person);
        VIGIL_TRY(incidentOf("person", f.person));
    }
    AuditTrailBuilder trail(f, std::move(records));
    auto q = m_conn->exec("SELECT seq, at, actor, action, user_id, device_id, incidents, detail, hash FROM server_audit "
                          "WHERE at >= $1 AND at < $2 ORDER BY seq;",
                          {PgParam(f.from), PgParam(f.to)});
    if (!q)
        return std::move(q).error();
    for (int i = 0; i < q->rows(); ++i) {
        AuditTrailRow r;
        r.source = "server";
        r.seq = q->integer(i, 0);
        r.at = q->integer(i, 1);
        r.actor = q->text(i, 2);
        r.action = q->text(i, 3);
        r.userId = q->text(i, 4);
        r.deviceId = q->text(i, 5);
        r.records = vigil::json::stringList(q->text(i, 6));
        r.detail = q->text(i, 7);
        r.hash = q->text(i, 8);
        trail.server(std::move(r));
    }
    // The devices' chains, a page at a time (each value opened with the server key).
    for (std::int64_t after = 0;;) {
        auto d = m_conn->exec("SELECT cursor, device, seq, value FROM op_log WHERE entity = 'audit' AND field = '@append' "
                              "AND cursor > $1 ORDER BY cursor LIMIT 2000;",
                              {PgParam(after)});
        if (!d)
            return std::move(d).error();
        for (int i = 0; i < d->rows(); ++i) {
            after = d->integer(i, 0);
            const std::string device = d->text(i, 1);
            auto value = unseal(d->bytes(i, 3), pgSealedAt("op_log.value", device + '\0' + d->text(i, 2)));
            if (!value)
                return std::move(value).error();
            trail.device(device, vigil::json::parse(*value));
        }
        if (d->rows() < 2000)
            break;
    }
    return trail.finish();
}

}  // namespace vigil::sync
