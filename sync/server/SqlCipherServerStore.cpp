#include "sync/server/SqlCipherServerStore.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <future>
#include <map>
#include <set>
#include <unordered_set>

#include <sodium.h>

#include "core/common/JsonText.h"
#include "core/common/Uuid.h"
#include "core/records/AuditLog.h"
#include "core/records/IncidentRepository.h"
#include "core/records/OpLimits.h"
#include "core/records/RecordStore.h"
#include "core/store/Migrations.h"
#include "core/store/SecureBytes.h"
#include "sync/server/Log.h"
#include "sync/server/PushAuthority.h"
#include "sync/server/AuditTrail.h"
#include "sync/server/PhotoAccess.h"
#include "sync/server/PullPage.h"
#include "sync/server/PushJudge.h"
#include "sync/server/ServerRules.h"
#include "sync/server/SharingFilter.h"

namespace vigil::sync {

namespace {
/// The op log as readOps reads it.
constexpr const char* kOpLogColumns = "SELECT cursor, device, seq, op_id, entity, record_id, incident_id, field, value, "
                                      "base, hlc, user_id FROM op_log ";

/// The op of an op_log row selected with kOpLogColumns (column 6, the incident, is the caller's).
Op opFromLogRow(const Query& q)
{
    Op op;
    op.device = q.columnText(1);
    op.seq = q.columnInt(2);
    op.opId = q.columnText(3);
    op.entity = q.columnText(4);
    op.id = q.columnText(5);
    op.field = q.columnText(7);
    op.value = vigil::json::parse(q.columnText(8));
    if (!q.columnIsNull(9))
        op.base = hlcFromString(q.columnText(9));
    op.hlc = hlcFromString(q.columnText(10)).value_or(0);
    op.user = q.columnText(11);  // who pushed it, from the server's own record (conflicts show it)
    return op;
}
}  // namespace

namespace {


Status v1Accounts(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE server_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  team TEXT NOT NULL,
  borough TEXT NOT NULL,
  scope TEXT NOT NULL,
  restricted_clearance INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE devices (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash BLOB NOT NULL UNIQUE,
  enrolled_at INTEGER NOT NULL,
  revoked_at INTEGER,
  wipe INTEGER NOT NULL DEFAULT 0,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX devices_user ON devices(user_id);
CREATE TABLE enrol_codes (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  max_tries INTEGER NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  used_at INTEGER,
  device_id TEXT REFERENCES devices(id)
);
)sql");
}

Status v2OpLog(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE op_log (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  op_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base TEXT,
  hlc TEXT NOT NULL,
  user_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  UNIQUE (device, seq)
);
CREATE INDEX op_log_incident ON op_log(incident_id, cursor);
CREATE TABLE device_seq (device TEXT PRIMARY KEY NOT NULL, last_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE push_rejections (
  device TEXT NOT NULL, seq INTEGER NOT NULL, error TEXT NOT NULL, message TEXT NOT NULL,
  field TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (device, seq)) WITHOUT ROWID;
CREATE TABLE incidents (
  id TEXT PRIMARY KEY NOT NULL, owner TEXT NOT NULL, team TEXT NOT NULL, borough TEXT NOT NULL,
  restricted INTEGER NOT NULL DEFAULT 0, access_list TEXT NOT NULL DEFAULT '[]') WITHOUT ROWID;
CREATE TABLE record_index (
  entity TEXT NOT NULL, id TEXT NOT NULL, incident_id TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID;
CREATE TABLE referrals (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT NOT NULL, to_user TEXT NOT NULL DEFAULT '')
  WITHOUT ROWID;
CREATE INDEX referrals_incident ON referrals(incident_id);
CREATE TABLE device_visible (device TEXT NOT NULL, incident_id TEXT NOT NULL, PRIMARY KEY (device, incident_id))
  WITHOUT ROWID;
-- DPA 2018 s.62: every pull is a disclosure; every refused push is kept.
CREATE TABLE disclosures (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL,
  incidents TEXT NOT NULL, ops INTEGER NOT NULL, forgotten TEXT NOT NULL);
CREATE TABLE access_denials (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL,
  incident_id TEXT NOT NULL, seq INTEGER NOT NULL, reason TEXT NOT NULL);
)sql");
}

// Remote wipe (sync part 2): the hash of each device's wipe receipt, and the device's own
// confirmation that it destroyed its keys and records.
Status v3Wipe(Database& db)
{
    return db.exec(R"sql(
ALTER TABLE devices ADD COLUMN wipe_receipt_hash BLOB;
ALTER TABLE devices ADD COLUMN wiped_at INTEGER;
ALTER TABLE devices ADD COLUMN wipe_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN wipe_report TEXT NOT NULL DEFAULT '';
)sql");
}

// Photo bytes (sync part 2), in the chunks devices send, inside the encrypted store. A photo's
// record (size, sha256, chunks) comes through the op log like any record.
Status v4Attachments(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE attachment_files (
  id TEXT PRIMARY KEY NOT NULL, incident_id TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
  chunks INTEGER NOT NULL, received INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0,
  uploaded_by TEXT NOT NULL, created_at INTEGER NOT NULL, completed_at INTEGER) WITHOUT ROWID;
CREATE TABLE attachment_chunks (
  attachment_id TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (attachment_id, idx))
  WITHOUT ROWID;
)sql");
}

// Delivery of history and `forget` only once the device has it (sync part 2). Until then
// device_visible kept what was *sent*, so a lost answer lost that history for good. Now
// device_visible is the device's confirmed view; a page that adds or withdraws incidents is kept
// in view_pending under a new view generation, named in the page's cursor ("P.V"), and becomes
// the confirmed view when a later pull carries that generation (the device moves its cursor only
// after applying a page). Other pending pages are then dropped: they were never applied.
Status v5ViewDelivery(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE device_view (
  device TEXT PRIMARY KEY NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0, issued INTEGER NOT NULL DEFAULT 0)
  WITHOUT ROWID;
CREATE TABLE view_pending (
  device TEXT NOT NULL, view INTEGER NOT NULL, incident_id TEXT NOT NULL, forget INTEGER NOT NULL,
  PRIMARY KEY (device, view, incident_id)) WITHOUT ROWID;
)sql");
}

// The pull's scan of everything since a device's cursor reads only which incident and device
// each op is of; on the table itself that walked every op's whole row (values of up to a few KB)
// to deliver a few of them. Each pull of 500 devices' load scanned ~1,500 ops for ~30 it may see
// (docs/performance.md, "Load: 500 devices"). Not a schema step: an older server opens a store
// with the index (SQLite keeps it up to date for any writer), so going back stays possible.
constexpr const char* kPullScanIndex = "CREATE INDEX IF NOT EXISTS op_log_scan ON op_log(cursor, incident_id, device);";

// A pull reads the access index of the incidents its user might read (accessCandidates), not the
// whole borough's; these answer its conditions. Created at open, as the scan's index, for the
// same reason.
constexpr const char* kAccessIndexes = R"sql(
CREATE INDEX IF NOT EXISTS incidents_owner ON incidents(owner);
CREATE INDEX IF NOT EXISTS incidents_allocated_to ON incidents(allocated_to) WHERE allocated_to <> '';
CREATE INDEX IF NOT EXISTS incidents_team ON incidents(team, borough);
CREATE INDEX IF NOT EXISTS incidents_borough ON incidents(borough);
CREATE INDEX IF NOT EXISTS referrals_to_user ON referrals(to_user);
)sql";

// Repair of stamps from the far future (`vigil-admin stamps --repair`): an op stamped ahead
// of its arrival won every merge on every device that holds it. The repair re-stamps it in the
// op log; each device holding its incident is sent the incident's whole history again, and
// builds it anew (`refresh` in the pull answer), until a pull confirms it has.
Status v6StampRepair(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE device_refresh (device TEXT NOT NULL, incident_id TEXT NOT NULL, PRIMARY KEY (device, incident_id))
  WITHOUT ROWID;
)sql");
}

Status v7Allocation(Database& db)
{
    return db.exec("ALTER TABLE incidents ADD COLUMN allocated_to TEXT NOT NULL DEFAULT '';");
}

// The sharing allow-list a disclosure was trimmed by (issue 24): "sharing-idva 1.0" on what an
// IDVA's device was sent, "" where whole incidents went. The ops count is what was sent.
Status v8DisclosureSharing(Database& db)
{
    return db.exec("ALTER TABLE disclosures ADD COLUMN sharing TEXT NOT NULL DEFAULT '';");
}

// The bank-holiday list an administrator imports (`vigil-admin bank-holidays import`, issue 24):
// every import kept, with who ran it; the highest version is handed to devices
// (GET /v1/bank-holidays). Public data, not personal data.
Status v9BankHolidays(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE bank_holidays (
  version INTEGER PRIMARY KEY NOT NULL, list TEXT NOT NULL, sha256 TEXT NOT NULL,
  covers_from TEXT NOT NULL, covers_to TEXT NOT NULL, holidays INTEGER NOT NULL,
  imported_at INTEGER NOT NULL, imported_by TEXT NOT NULL, file_name TEXT NOT NULL,
  removed TEXT NOT NULL DEFAULT '[]');
)sql");
}

// Which op each refusal answered (issue 22): a push that names an already-decided seq is
// answered only when it is the same op (the device resending a batch whose answer it lost).
// Refusals kept before this have no op id and are answered as before.
Status v10RejectionOpIds(Database& db)
{
    return db.exec("ALTER TABLE push_rejections ADD COLUMN op_id TEXT NOT NULL DEFAULT '';");
}

// The head of each device's audit chain as the server accepted it (issue 22): the next entry a
// device pushes must follow it (seq + 1, prev_hash = hash). Filled from the entries already in the
// op log, so a device keeps its chain across the upgrade.
Status v11DeviceAuditHeads(Database& db)
{
    VIGIL_TRY(db.exec("CREATE TABLE device_audit_head (device TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL, "
                      "seq INTEGER NOT NULL, hash TEXT NOT NULL) WITHOUT ROWID;"
                      "CREATE INDEX device_audit_head_user ON device_audit_head(user_id, seq);"));
    struct Head {
        std::string user;
        std::int64_t seq = 0;
        std::string hash;
    };
    std::map<std::string, Head> heads;
    auto q = db.prepare("SELECT device, user_id, value FROM op_log WHERE entity = 'audit' AND field = '@append' "
                        "ORDER BY cursor;");
    if (!q)
        return std::move(q).error();
    VIGIL_TRY(q->forEach([&](const Query& row) {
        const nlohmann::json v = vigil::json::parse(row.columnText(2));
        if (!v.is_object())
            return;
        const auto seq = v.find("seq");
        const auto hash = v.find("hash");
        if (seq == v.end() || !seq->is_number_integer() || hash == v.end() || !hash->is_string())
            return;
        heads[row.columnText(0)] = Head{row.columnText(1), seq->get<std::int64_t>(), hash->get<std::string>()};
    }));
    for (const auto& [device, head] : heads) {
        auto ins = db.prepare("INSERT INTO device_audit_head (device, user_id, seq, hash) VALUES (?,?,?,?);");
        if (!ins)
            return std::move(ins).error();
        VIGIL_TRY(ins->bind(1, device).bind(2, head.user).bind(3, head.seq).bind(4, head.hash).run());
    }
    return {};
}

// The server's own log of what it did with personal data and what administrators changed
// (issue 22, DPA 2018 s.62): disclosures (pull pages, snapshot pages, photo parts), denials and
// every vigil-admin change, one append-only hash-chained table. `disclosures` and
// `access_denials` stay for queries; this chain is the record that holds.
Status v12ServerAudit(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE server_audit (
  seq INTEGER PRIMARY KEY NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  user_id TEXT NOT NULL, device_id TEXT NOT NULL, incidents TEXT NOT NULL, detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX server_audit_user ON server_audit(user_id, at);
CREATE INDEX server_audit_actor ON server_audit(actor, at);
)sql");
}

// Limits everywhere (issue 22, item 1): the bytes each device keeps in the op log (its storage
// quota, counted as ops are logged; filled here from the ops already held), the devices whose ops
// an administrator quarantined (not served to anyone else), and how far the history of an
// incident that came into a device's view has been delivered when it did not fit one page
// (`device_history`; a pending page's share of it in `view_pending.upto`, kind 3).
Status v13Limits(Database& db)
{
    return db.exec(R"sql(
CREATE TABLE device_usage (device TEXT PRIMARY KEY NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO device_usage (device, bytes) SELECT device, SUM(LENGTH(value) + 200) FROM op_log GROUP BY device;
CREATE TABLE device_quarantine (
  device TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL, by_actor TEXT NOT NULL, reason TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE device_history (
  device TEXT NOT NULL, incident_id TEXT NOT NULL, upto INTEGER NOT NULL, PRIMARY KEY (device, incident_id))
  WITHOUT ROWID;
ALTER TABLE view_pending ADD COLUMN upto INTEGER NOT NULL DEFAULT 0;
)sql");
}

// Credentials that rotate and expire, and restores from a backup (issue 22, items 4 and 5): a
// second credential hash beside the one in use while a new one is handed over, when the one in
// use was issued, when it expired; ops and refusals found by op id (a device sends again, under
// new numbers, what a restored server lost or what it holds already); the store's incarnation,
// replaced by every restore so a device sees the server went back in time.
/// Does `table` have `column`? (Steps that add columns run again on a store put back.)
Result<bool> hasColumn(Database& db, const std::string& table, std::string_view column)
{
    bool has = false;
    auto cols = db.prepare("PRAGMA table_info(" + table + ");");
    if (!cols)
        return std::move(cols).error();
    VIGIL_TRY(cols->forEach([&](const Query& row) { has = has || row.columnView(1) == column; }));
    return has;
}

Status credentialsAndRestoreStep(Database& db)
{
    // Idempotent (the columns are added only when missing): a store whose version is put back
    // runs it again (FloodLimitsTest puts a store back to step 12).
    auto has = hasColumn(db, "devices", "pending_token_hash");
    if (!has)
        return std::move(has).error();
    if (!*has) {
        VIGIL_TRY(db.exec(R"sql(
ALTER TABLE devices ADD COLUMN pending_token_hash BLOB;
ALTER TABLE devices ADD COLUMN token_issued_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN expired_at INTEGER;
UPDATE devices SET token_issued_at = enrolled_at;
)sql"));
    }
    return db.exec(R"sql(
CREATE INDEX IF NOT EXISTS devices_pending_token ON devices(pending_token_hash);
CREATE INDEX IF NOT EXISTS op_log_op_id ON op_log(device, op_id);
CREATE INDEX IF NOT EXISTS push_rejections_op_id ON push_rejections(device, op_id);
INSERT OR IGNORE INTO server_meta (key, value) VALUES ('incarnation', lower(hex(randomblob(16))));
)sql");
}

/// The newest time-ordered op id held from each device (logged or refused), so a pushed op
/// with a newer one is known not to be held without a look-up (pushOps). Idempotent.
Status v15OpIdTops(Database& db)
{
    auto top = hasColumn(db, "device_seq", "top_op_id");
    if (!top)
        return std::move(top).error();
    if (!*top)
        VIGIL_TRY(db.exec("ALTER TABLE device_seq ADD COLUMN top_op_id TEXT NOT NULL DEFAULT '';"));
    // An incident sent again whole (`refresh`) that did not fit one page goes on over the next
    // ones like a newly visible incident's history, with the device's own ops and past the
    // cursor too (`whole`; a pending page's share of it is view_pending kind 4).
    auto whole = hasColumn(db, "device_history", "whole");
    if (!whole)
        return std::move(whole).error();
    if (!*whole)
        VIGIL_TRY(db.exec("ALTER TABLE device_history ADD COLUMN whole INTEGER NOT NULL DEFAULT 0;"));
    // Version 7 ids only (the 15th character): older random ids are always looked up. Then the
    // index of op ids goes: a push looks ids up only after a restore, and reads the device's ids
    // once for it (pushOps), so no push pays for keeping the index.
    return db.exec(R"sql(
UPDATE device_seq SET top_op_id = coalesce((SELECT max(id) FROM (
    SELECT max(op_id) AS id FROM op_log WHERE op_log.device = device_seq.device AND substr(op_id, 15, 1) = '7'
    UNION ALL
    SELECT max(op_id) FROM push_rejections WHERE push_rejections.device = device_seq.device
        AND substr(op_id, 15, 1) = '7')), '');
DROP INDEX IF EXISTS op_log_op_id;
)sql");
}

constexpr std::array kSteps = {
    Migration{1, "users, devices, enrolment codes", &v1Accounts},
    Migration{2, "op log, access index, disclosures", &v2OpLog},
    Migration{3, "wipe receipts and confirmations", &v3Wipe},
    Migration{4, "photo bytes in chunks", &v4Attachments},
    Migration{5, "history and forget lists delivered only once applied", &v5ViewDelivery},
    Migration{6, "incidents to send again whole after a stamp repair", &v6StampRepair},
    Migration{7, "the officer in the case an incident is allocated to", &v7Allocation},
    Migration{8, "the sharing allow-list each disclosure was trimmed by", &v8DisclosureSharing},
    Migration{9, "the bank-holiday list an administrator imports", &v9BankHolidays},
    Migration{10, "the op each kept push refusal answered", &v10RejectionOpIds},
    Migration{11, "the head of each device's audit chain", &v11DeviceAuditHeads},
    Migration{12, "the server's own hash-chained log", &v12ServerAudit},
    Migration{13, "storage quotas, quarantined devices, history spread over pages", &v13Limits},
    Migration{14, "credentials that rotate and expire; restores from a backup", &credentialsAndRestoreStep},
    Migration{15, "the newest op id held from each device; incidents sent again whole over several pages",
              &v15OpIdTops},
};

constexpr const char* kUserColumns =
    "id, display_name, role, team, borough, scope, restricted_clearance, active, created_at, updated_at";

UserRecord readUser(const Query& q, int first)
{
    UserRecord u;
    u.info.id = q.columnText(first);
    u.info.displayName = q.columnText(first + 1);
    u.info.role = roleFromName(q.columnText(first + 2)).value_or(Role::Officer);
    u.info.team = q.columnText(first + 3);
    u.info.borough = q.columnText(first + 4);
    u.info.scope = scopeFromName(q.columnText(first + 5)).value_or(Scope::Self);
    u.info.restrictedClearance = q.columnInt(first + 6) != 0;
    u.active = q.columnInt(first + 7) != 0;
    u.createdAt = q.columnInt(first + 8);
    u.updatedAt = q.columnInt(first + 9);
    return u;
}

constexpr const char* kDeviceColumns = "d.id, d.user_id, d.name, d.enrolled_at, d.revoked_at, d.wipe, d.last_seen_at, "
                                      "d.wipe_receipt_hash IS NOT NULL, d.wiped_at, d.wipe_reason, d.wipe_report, "
                                      "d.token_issued_at, d.expired_at";
constexpr int kDeviceColumnCount = 13;

DeviceRecord readDevice(const Query& q, int first)
{
    DeviceRecord d;
    d.id = q.columnText(first);
    d.userId = q.columnText(first + 1);
    d.name = q.columnText(first + 2);
    d.enrolledAt = q.columnInt(first + 3);
    if (!q.columnIsNull(first + 4))
        d.revokedAt = q.columnInt(first + 4);
    d.wipe = q.columnInt(first + 5) != 0;
    d.lastSeenAt = q.columnInt(first + 6);
    d.hasWipeReceipt = q.columnInt(first + 7) != 0;
    if (!q.columnIsNull(first + 8))
        d.wipedAt = q.columnInt(first + 8);
    d.wipeReason = q.columnText(first + 9);
    d.wipeReport = q.columnText(first + 10);
    d.tokenIssuedAt = q.columnInt(first + 11);
    if (!q.columnIsNull(first + 12))
        d.expiredAt = q.columnInt(first + 12);
    return d;
}

Query& bindUser(Query& q, const UserRecord& u)
{
    return q.bind(1, u.info.id)
        .bind(2, u.info.displayName)
        .bind(3, roleName(u.info.role))
        .bind(4, u.info.team)
        .bind(5, u.info.borough)
        .bind(6, scopeName(u.info.scope))
        .bind(7, u.info.restrictedClearance ? 1 : 0)
        .bind(8, u.active ? 1 : 0)
        .bind(9, u.createdAt)
        .bind(10, u.updatedAt);
}

}  // namespace

Result<std::unique_ptr<SqlCipherServerStore>> SqlCipherServerStore::open(const std::filesystem::path& file,
                                                                         std::span<const unsigned char> key,
                                                                         bool create)
{
    OpenOptions options;
    options.create = create;
    auto db = Database::open(file, key, options);
    if (!db)
        return std::move(db).error();
    VIGIL_TRY(migrate(**db, kSteps));
    VIGIL_TRY((*db)->exec(kPullScanIndex));
    VIGIL_TRY((*db)->exec(kAccessIndexes));
    return std::unique_ptr<SqlCipherServerStore>(new SqlCipherServerStore(std::move(db).value()));
}

namespace {
/// What the server's log keeps of a user's account: access facts, not their name.
nlohmann::json accountFacts(const UserRecord& u)
{
    return {{"role", roleName(u.info.role)},   {"scope", scopeName(u.info.scope)},
            {"team", u.info.team},             {"borough", u.info.borough},
            {"restricted_clearance", u.info.restrictedClearance}, {"active", u.active}};
}
}  // namespace

Status SqlCipherServerStore::addUser(const UserRecord& user)
{
    return m_db->transaction([&]() -> Status {
        auto existing = findUser(user.info.id);
        if (!existing)
            return std::move(existing).error();
        if (*existing) {
            return makeError(ErrorCode::AlreadyExists,
                             "A user with id " + user.info.id + " already exists. Use `user update` to change them.", "id");
        }
        auto q = m_db->prepare(std::string("INSERT INTO users (") + kUserColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?);");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(bindUser(*q, user).run());
        return appendServerAudit(serverEntry(user.updatedAt, m_auditActor, "user_added", user.info.id, "", {}, accountFacts(user)));
    });
}

Status SqlCipherServerStore::updateUser(const UserRecord& user)
{
  return m_db->transaction([&]() -> Status {
    auto before = findUser(user.info.id);
    if (!before)
        return std::move(before).error();
    auto q = m_db->prepare("UPDATE users SET display_name = ?, role = ?, team = ?, borough = ?, scope = ?, "
                           "restricted_clearance = ?, active = ?, updated_at = ? WHERE id = ?;");
    if (!q)
        return std::move(q).error();
    VIGIL_TRY(q->bind(1, user.info.displayName)
                  .bind(2, roleName(user.info.role))
                  .bind(3, user.info.team)
                  .bind(4, user.info.borough)
                  .bind(5, scopeName(user.info.scope))
                  .bind(6, user.info.restrictedClearance ? 1 : 0)
                  .bind(7, user.active ? 1 : 0)
                  .bind(8, user.updatedAt)
                  .bind(9, user.info.id)
                  .run());
    if (m_db->changes() == 0 || !*before)
        return makeError(ErrorCode::NotFound, "There is no user with id " + user.info.id + ". See `user list`.", "id");
    // Each access fact that changed, as [before, after] (a new display name is noted, not kept).
    const nlohmann::json was = accountFacts(**before);
    const nlohmann::json now = accountFacts(user);
    nlohmann::json changed = nlohmann::json::object();
    for (auto it = now.begin(); it != now.end(); ++it)
        if (was.at(it.key()) != it.value())
            changed[it.key()] = nlohmann::json::array({was.at(it.key()), it.value()});
    nlohmann::json detail = {{"changed", changed}};
    if ((*before)->info.displayName != user.info.displayName)
        detail["display_name_changed"] = true;
    return appendServerAudit(serverEntry(user.updatedAt, m_auditActor, "user_changed", user.info.id, "", {}, detail));
  });
}

Result<std::optional<UserRecord>> SqlCipherServerStore::findUser(const std::string& id)
{
    auto q = m_db->prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, id);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<UserRecord>();
    return std::optional<UserRecord>(readUser(*q, 0));
}

Result<std::vector<UserRecord>> SqlCipherServerStore::listUsers()
{
    auto q = m_db->prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id;");
    if (!q)
        return std::move(q).error();
    std::vector<UserRecord> users;
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            break;
        users.push_back(readUser(*q, 0));
    }
    return users;
}

Status SqlCipherServerStore::addEnrolCode(const EnrolCodeRecord& code)
{
    auto q = m_db->prepare("INSERT INTO enrol_codes (id, user_id, secret_hash, created_at, expires_at, max_tries) "
                           "VALUES (?,?,?,?,?,?);");
    if (!q)
        return std::move(q).error();
    return m_db->transaction([&]() -> Status {
        VIGIL_TRY(q->bind(1, code.id)
                      .bind(2, code.userId)
                      .bindBlob(3, code.secretHash)
                      .bind(4, code.createdAt)
                      .bind(5, code.expiresAt)
                      .bind(6, code.maxTries)
                      .run());
        // The code's id, never its secret.
        return appendServerAudit(serverEntry(code.createdAt, m_auditActor, "enrol_code_created", code.userId, "", {},
                                  {{"code_id", code.id}, {"expires_at", code.expiresAt}, {"max_tries", code.maxTries}}));
    });
}

Result<int> SqlCipherServerStore::bankHolidaysVersion()
{
    auto v = m_db->queryInt("SELECT COALESCE(MAX(version), 0) FROM bank_holidays;");
    if (!v)
        return std::move(v).error();
    return static_cast<int>(*v);
}

namespace {
constexpr const char* kBankHolidayColumns =
    "version, sha256, covers_from, covers_to, holidays, imported_at, imported_by, file_name, removed";

BankHolidayImport readBankHolidayImport(const Query& q)
{
    BankHolidayImport b;
    b.version = static_cast<int>(q.columnInt(0));
    b.sha256 = q.columnText(1);
    b.coversFrom = q.columnText(2);
    b.coversTo = q.columnText(3);
    b.holidays = q.columnInt(4);
    b.importedAt = q.columnInt(5);
    b.importedBy = q.columnText(6);
    b.fileName = q.columnText(7);
    b.removed = q.columnText(8);
    return b;
}
}  // namespace

Result<std::optional<BankHolidayImport>> SqlCipherServerStore::bankHolidays()
{
    auto q = m_db->prepare(std::string("SELECT ") + kBankHolidayColumns
                           + ", list FROM bank_holidays ORDER BY version DESC LIMIT 1;");
    if (!q)
        return std::move(q).error();
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<BankHolidayImport>{};
    BankHolidayImport b = readBankHolidayImport(*q);
    b.text = q->columnText(9);
    return std::optional<BankHolidayImport>{std::move(b)};
}

Result<std::vector<BankHolidayImport>> SqlCipherServerStore::bankHolidayImports()
{
    auto q = m_db->prepare(std::string("SELECT ") + kBankHolidayColumns + " FROM bank_holidays ORDER BY version DESC;");
    if (!q)
        return std::move(q).error();
    std::vector<BankHolidayImport> out;
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return out;
        out.push_back(readBankHolidayImport(*q));
    }
}

Status SqlCipherServerStore::addBankHolidays(const BankHolidayImport& list)
{
    return m_db->transaction([&]() -> Status {
        auto held = m_db->queryInt("SELECT COALESCE(MAX(version), 0) FROM bank_holidays;");
        if (!held)
            return std::move(held).error();
        if (list.version <= *held)
            return makeError(ErrorCode::AlreadyExists,
                             "The server already holds version " + std::to_string(*held)
                                 + " of the bank-holiday list (imported meanwhile?): raise the version above it. "
                                   "Nothing was changed.",
                             "version");
        auto q = m_db->prepare("INSERT INTO bank_holidays (version, list, sha256, covers_from, covers_to, holidays, "
                               "imported_at, imported_by, file_name, removed) VALUES (?,?,?,?,?,?,?,?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, static_cast<std::int64_t>(list.version))
            .bind(2, list.text)
            .bind(3, list.sha256)
            .bind(4, list.coversFrom)
            .bind(5, list.coversTo)
            .bind(6, list.holidays)
            .bind(7, list.importedAt)
            .bind(8, list.importedBy)
            .bind(9, list.fileName)
            .bind(10, list.removed.empty() ? std::string("[]") : list.removed)
            .run()
            .ok()
            ? appendServerAudit(serverEntry(list.importedAt, m_auditActor, "bank_holidays_imported", "", "", {},
                                 {{"version", list.version}, {"sha256", list.sha256}, {"file", list.fileName},
                                  {"removed", vigil::json::stringList(list.removed)}}))
            : makeError(ErrorCode::Internal, "The bank-holiday list could not be kept. Nothing was changed.");
    });
}

Result<RedeemResult> SqlCipherServerStore::redeemEnrolCode(const RedeemAttempt& attempt)
{
    RedeemResult result;
    Status done = m_db->transaction([&]() -> Status {
        auto q = m_db->prepare("SELECT user_id, secret_hash, expires_at, max_tries, failures, used_at "
                               "FROM enrol_codes WHERE id = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, attempt.codeId);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row) {
            result.outcome = RedeemOutcome::UnknownCode;
            return {};
        }
        const std::string userId = q->columnText(0);
        const auto stored = q->columnBlob(1);
        const bool secretMatches = constantTimeEqual(stored, attempt.secretHash);
        const std::int64_t expiresAt = q->columnInt(2);
        const auto maxTries = q->columnInt(3);
        const auto failures = q->columnInt(4);
        const bool used = !q->columnIsNull(5);
        result.triesLeft = static_cast<int>(std::max<std::int64_t>(0, maxTries - failures));
        if (used) {
            result.outcome = RedeemOutcome::AlreadyUsed;
            return {};
        }
        if (failures >= maxTries) {
            result.outcome = RedeemOutcome::TooManyTries;
            return {};
        }
        if (attempt.now >= expiresAt) {
            result.outcome = RedeemOutcome::Expired;
            return {};
        }
        if (!secretMatches) {
            auto fail = m_db->prepare("UPDATE enrol_codes SET failures = failures + 1 WHERE id = ?;");
            if (!fail)
                return std::move(fail).error();
            VIGIL_TRY(fail->bind(1, attempt.codeId).run());
            result.outcome = RedeemOutcome::WrongSecret;
            result.triesLeft = static_cast<int>(std::max<std::int64_t>(0, maxTries - failures - 1));
            return {};
        }
        auto user = findUser(userId);
        if (!user)
            return std::move(user).error();
        if (!*user || !(*user)->active) {
            result.outcome = RedeemOutcome::UserInactive;
            return {};
        }
        std::string deviceId = attempt.newDevice.id;
        if (attempt.previousTokenHash) {
            // Re-enrolment: the same device, a new credential. Only an expired device of the code's
            // user that was not revoked comes back; the code stays unused otherwise.
            auto prev = m_db->prepare("SELECT id, user_id, revoked_at, expired_at FROM devices WHERE token_hash = ?1 "
                                      "OR pending_token_hash = ?1;");
            if (!prev)
                return std::move(prev).error();
            prev->bindBlob(1, *attempt.previousTokenHash);
            auto found = prev->step();
            if (!found)
                return std::move(found).error();
            if (!*found || prev->columnText(1) != userId || !prev->columnIsNull(2) || prev->columnIsNull(3)) {
                result.outcome = RedeemOutcome::ReenrolRefused;
                return {};
            }
            deviceId = prev->columnText(0);
            auto dev = m_db->prepare("UPDATE devices SET token_hash = ?, pending_token_hash = NULL, token_issued_at = ?, "
                                     "expired_at = NULL, last_seen_at = ?, wipe_receipt_hash = ? WHERE id = ?;");
            if (!dev)
                return std::move(dev).error();
            VIGIL_TRY(dev->bindBlob(1, attempt.tokenHash)
                          .bind(2, attempt.now)
                          .bind(3, attempt.now)
                          .bindBlob(4, attempt.wipeReceiptHash)
                          .bind(5, deviceId)
                          .run());
        } else {
            auto dev = m_db->prepare("INSERT INTO devices (id, user_id, name, token_hash, enrolled_at, last_seen_at, "
                                     "wipe_receipt_hash, token_issued_at) VALUES (?,?,?,?,?,?,?,?);");
            if (!dev)
                return std::move(dev).error();
            VIGIL_TRY(dev->bind(1, attempt.newDevice.id)
                          .bind(2, userId)
                          .bind(3, attempt.newDevice.name)
                          .bindBlob(4, attempt.tokenHash)
                          .bind(5, attempt.now)
                          .bind(6, attempt.now)
                          .bindBlob(7, attempt.wipeReceiptHash)
                          .bind(8, attempt.now)
                          .run());
        }
        auto use = m_db->prepare("UPDATE enrol_codes SET used_at = ?, device_id = ? WHERE id = ? AND used_at IS NULL;");
        if (!use)
            return std::move(use).error();
        VIGIL_TRY(use->bind(1, attempt.now).bind(2, deviceId).bind(3, attempt.codeId).run());
        if (m_db->changes() != 1)
            return makeError(ErrorCode::Busy, "The enrolment code was used at the same moment; try a new code.");
        result.outcome = RedeemOutcome::Enrolled;
        result.user = std::move(*user);
        result.deviceId = deviceId;
        return appendServerAudit(serverEntry(attempt.now, userId,
                                             attempt.previousTokenHash ? "device_reenrolled" : "device_enrolled", userId,
                                             deviceId, {}, {{"code_id", attempt.codeId}}));
    });
    if (!done.ok())
        return std::move(done).error();
    return result;
}

Result<std::optional<DeviceIdentity>> SqlCipherServerStore::findDeviceByToken(const SecretHash& tokenHash)
{
    auto q = m_db->prepare(std::string("SELECT ") + kDeviceColumns + ", u." + "id, u.display_name, u.role, u.team, "
                           "u.borough, u.scope, u.restricted_clearance, u.active, u.created_at, u.updated_at, "
                           "d.token_hash <> ?1 FROM devices d JOIN users u ON u.id = d.user_id "
                           "WHERE d.token_hash = ?1 OR d.pending_token_hash = ?1;");
    if (!q)
        return std::move(q).error();
    q->bindBlob(1, tokenHash);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<DeviceIdentity>();
    return std::optional<DeviceIdentity>(DeviceIdentity{readDevice(*q, 0), readUser(*q, kDeviceColumnCount),
                                                        q->columnInt(kDeviceColumnCount + 10) != 0});
}

Result<std::vector<DeviceRecord>> SqlCipherServerStore::listDevices()
{
    auto q = m_db->prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices d ORDER BY d.enrolled_at, d.id;");
    if (!q)
        return std::move(q).error();
    std::vector<DeviceRecord> devices;
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            break;
        devices.push_back(readDevice(*q, 0));
    }
    return devices;
}

Status SqlCipherServerStore::revokeDevice(const std::string& deviceId, std::int64_t now, bool wipe)
{
    return m_db->transaction([&]() -> Status {
        auto q = m_db->prepare("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?), wipe = MAX(wipe, ?) WHERE id = ?;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, now).bind(2, wipe ? 1 : 0).bind(3, deviceId).run());
        if (m_db->changes() == 0)
            return makeError(ErrorCode::NotFound, "There is no device with id " + deviceId + ". See `device list`.", "id");
        auto owner = m_db->prepare("SELECT user_id FROM devices WHERE id = ?;");
        if (!owner)
            return std::move(owner).error();
        owner->bind(1, deviceId);
        auto row = owner->step();
        if (!row)
            return std::move(row).error();
        const std::string userId = *row ? owner->columnText(0) : std::string();
        return appendServerAudit(serverEntry(now, m_auditActor, wipe ? "device_wipe_ordered" : "device_revoked", userId, deviceId,
                                  {}, nlohmann::json::object()));
    });
}

Status SqlCipherServerStore::touchDevice(const std::string& deviceId, std::int64_t now)
{
    auto q = m_db->prepare("UPDATE devices SET last_seen_at = ? WHERE id = ?;");
    if (!q)
        return std::move(q).error();
    return q->bind(1, now).bind(2, deviceId).run();
}

Status SqlCipherServerStore::setWipeReceipt(const std::string& deviceId, const SecretHash& receiptHash)
{
    auto q = m_db->prepare("UPDATE devices SET wipe_receipt_hash = ? WHERE id = ? AND wipe_receipt_hash IS NULL;");
    if (!q)
        return std::move(q).error();
    return q->bindBlob(1, receiptHash).bind(2, deviceId).run();
}

Status SqlCipherServerStore::issuePendingToken(const std::string& deviceId, const SecretHash& pendingHash,
                                               std::int64_t now)
{
    (void)now;
    auto q = m_db->prepare("UPDATE devices SET pending_token_hash = ? WHERE id = ? AND revoked_at IS NULL;");
    if (!q)
        return std::move(q).error();
    VIGIL_TRY(q->bindBlob(1, pendingHash).bind(2, deviceId).run());
    if (m_db->changes() != 1)
        return makeError(ErrorCode::NotFound, "There is no active device with id " + deviceId + ".");
    return {};
}

Status SqlCipherServerStore::confirmToken(const std::string& deviceId, const SecretHash& receiptHash, std::int64_t now)
{
    return m_db->transaction([&]() -> Status {
        auto q = m_db->prepare("UPDATE devices SET token_hash = pending_token_hash, pending_token_hash = NULL, "
                               "token_issued_at = ?, wipe_receipt_hash = ? WHERE id = ? AND pending_token_hash IS NOT NULL;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, now).bindBlob(2, receiptHash).bind(3, deviceId).run());
        if (m_db->changes() != 1)
            return {};
        auto owner = m_db->prepare("SELECT user_id FROM devices WHERE id = ?;");
        if (!owner)
            return std::move(owner).error();
        owner->bind(1, deviceId);
        auto row = owner->step();
        if (!row)
            return std::move(row).error();
        const std::string userId = *row ? owner->columnText(0) : std::string();
        return appendServerAudit(serverEntry(now, userId, "device_token_rotated", userId, deviceId, {},
                                             nlohmann::json::object()));
    });
}

Status SqlCipherServerStore::expireDevice(const std::string& deviceId, std::int64_t now)
{
    return m_db->transaction([&]() -> Status {
        auto q = m_db->prepare("UPDATE devices SET expired_at = ?, pending_token_hash = NULL WHERE id = ? AND expired_at IS NULL;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, now).bind(2, deviceId).run());
        if (m_db->changes() != 1)
            return {};
        auto owner = m_db->prepare("SELECT user_id, last_seen_at FROM devices WHERE id = ?;");
        if (!owner)
            return std::move(owner).error();
        owner->bind(1, deviceId);
        auto row = owner->step();
        if (!row)
            return std::move(row).error();
        const std::string userId = *row ? owner->columnText(0) : std::string();
        const std::int64_t lastSeen = *row ? owner->columnInt(1) : 0;
        return appendServerAudit(serverEntry(now, "vigil-server", "device_expired", userId, deviceId, {},
                                             {{"last_seen_at", lastSeen}}));
    });
}

Result<std::string> SqlCipherServerStore::incarnation()
{
    if (!m_incarnation.empty())
        return m_incarnation;
    auto q = m_db->prepare("SELECT value FROM server_meta WHERE key = 'incarnation';");
    if (!q)
        return std::move(q).error();
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (*row)
        m_incarnation = q->columnText(0);
    return m_incarnation;
}

Result<std::optional<std::string>> SqlCipherServerStore::movedTo()
{
    auto q = m_db->prepare("SELECT value FROM server_meta WHERE key = 'moved_to';");
    if (!q)
        return std::move(q).error();
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<std::string>();
    return std::optional<std::string>(q->columnText(0));
}

Status SqlCipherServerStore::markMoved(const std::string& where)
{
    auto q = m_db->prepare("INSERT OR REPLACE INTO server_meta (key, value) VALUES ('moved_to', ?);");
    if (!q)
        return std::move(q).error();
    return q->bind(1, where).run();
}

Result<std::int64_t> SqlCipherServerStore::lastSeq(const std::string& deviceId)
{
    auto q = m_db->prepare("SELECT last_seq FROM device_seq WHERE device = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    return *row ? q->columnInt(0) : std::int64_t{0};
}

Status SqlCipherServerStore::markRestored(std::int64_t now, const nlohmann::json& detail)
{
    // A gap no device's cursor can be inside: every cursor a device holds is at most the highest
    // the server ever issued, and no server issues 2^32 ops between a backup and its restore. New
    // ops (and what devices send again) land above every cursor held, so no pull skips them.
    constexpr std::int64_t kCursorGap = std::int64_t{1} << 32;
    constexpr std::int64_t kViewGap = std::int64_t{1} << 20;
    m_incarnation.clear();
    return m_db->transaction([&]() -> Status {
        std::array<unsigned char, 16> fresh{};
        randombytes_buf(fresh.data(), fresh.size());
        const std::string incarnationText = toHex(fresh);
        auto meta = m_db->prepare("INSERT OR REPLACE INTO server_meta (key, value) VALUES ('incarnation', ?);");
        if (!meta)
            return std::move(meta).error();
        VIGIL_TRY(meta->bind(1, incarnationText).run());
        auto highest = m_db->queryInt("SELECT coalesce(max(cursor), 0) FROM op_log;");
        if (!highest)
            return std::move(highest).error();
        auto seqRow = m_db->queryInt("SELECT count(*) FROM sqlite_sequence WHERE name = 'op_log';");
        if (!seqRow)
            return std::move(seqRow).error();
        auto moveOn = m_db->prepare(*seqRow > 0 ? "UPDATE sqlite_sequence SET seq = max(seq, ?1) + ?2 WHERE name = 'op_log';"
                                                : "INSERT INTO sqlite_sequence (name, seq) VALUES ('op_log', ?1 + ?2);");
        if (!moveOn)
            return std::move(moveOn).error();
        VIGIL_TRY(moveOn->bind(1, *highest).bind(2, kCursorGap).run());
        auto views = m_db->prepare("UPDATE device_view SET issued = issued + ?;");
        if (!views)
            return std::move(views).error();
        VIGIL_TRY(views->bind(1, kViewGap).run());
        nlohmann::json d = detail;
        d["incarnation"] = incarnationText;
        d["op_log_cursor"] = *highest;
        return appendServerAudit(serverEntry(now, m_auditActor, "store_restored", "", "", {}, std::move(d)));
    });
}

Result<WipeRecordOutcome> SqlCipherServerStore::recordWipe(const std::string& deviceId, const SecretHash& receiptHash,
                                                           std::int64_t now, const std::string& reason,
                                                           const std::string& report)
{
    WipeRecordOutcome outcome = WipeRecordOutcome::NotVerified;
    Status done = m_db->transaction([&]() -> Status {
        auto q = m_db->prepare("SELECT wipe_receipt_hash, wiped_at FROM devices WHERE id = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, deviceId);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row || q->columnIsNull(0) || !constantTimeEqual(q->columnBlob(0), receiptHash))
            return {};
        if (!q->columnIsNull(1)) {
            outcome = WipeRecordOutcome::AlreadyRecorded;
            return {};
        }
        // The credential is retired (a random hash no token matches), the device revoked.
        SecretHash retired{};
        randombytes_buf(retired.data(), retired.size());
        auto u = m_db->prepare("UPDATE devices SET wiped_at = ?, wipe_reason = ?, wipe_report = ?, wipe = 1, "
                               "revoked_at = COALESCE(revoked_at, ?), token_hash = ? WHERE id = ?;");
        if (!u)
            return std::move(u).error();
        VIGIL_TRY(u->bind(1, now).bind(2, reason).bind(3, report).bind(4, now).bindBlob(5, retired).bind(6, deviceId).run());
        outcome = WipeRecordOutcome::Recorded;
        return appendServerAudit(serverEntry(now, "device", "device_wipe_reported", "", deviceId, {}, {{"reason", reason}}));
    });
    if (!done.ok())
        return std::move(done).error();
    return outcome;
}

Result<AttachmentState> SqlCipherServerStore::attachment(const DeviceIdentity& who, const std::string& id)
{
    // The decisions (sync/server/PhotoAccess.cpp) are shared with the PostgreSQL store.
    PhotoSource source;
    source.incidentOf = [this](const std::string& photoId) -> Result<std::optional<std::string>> {
        auto q = m_db->prepare("SELECT incident_id FROM record_index WHERE entity = 'attachment' AND id = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, photoId);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row ? std::optional<std::string>(q->columnText(0)) : std::nullopt;
    };
    source.loadAccess = [this](const std::string& incidentId) { return loadAccess(incidentId); };
    source.sharingFor = [this](const UserInfo& user) { return sharingFor(user); };
    source.recordWrites = [this](const std::string& incidentId, const std::string& photoId,
                                 const std::function<void(const std::string&, HlcStamp, nlohmann::json)>& keep) {
        // By incident first: the op log is indexed by incident.
        auto q = m_db->prepare("SELECT field, value, hlc FROM op_log WHERE incident_id = ? AND entity = 'attachment' "
                               "AND record_id = ? AND field IN ('size', 'sha256', 'chunks', '@delete');");
        if (!q)
            return Status(std::move(q).error());
        q->bind(1, incidentId).bind(2, photoId);
        return q->forEach([&](const Query& r) {
            keep(r.columnText(0), hlcFromString(r.columnText(2)).value_or(0), vigil::json::parse(r.columnText(1)));
        });
    };
    source.storedFile = [this](const std::string& photoId) -> Result<std::optional<std::pair<std::int64_t, bool>>> {
        auto q = m_db->prepare("SELECT received, complete FROM attachment_files WHERE id = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, photoId);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return std::optional<std::pair<std::int64_t, bool>>();
        return std::optional<std::pair<std::int64_t, bool>>(std::make_pair(q->columnInt(0), q->columnInt(1) != 0));
    };
    return describePhoto(who, id, source);
}

Result<ChunkStored> SqlCipherServerStore::storeAttachmentChunk(const DeviceIdentity& who, const AttachmentState& state,
                                                               std::int64_t index, std::span<const unsigned char> bytes,
                                                               std::int64_t now)
{
    ChunkStored out;
    out.file = state.file;
    Status done = m_db->transaction([&]() -> Status {
        auto file = m_db->prepare("INSERT OR IGNORE INTO attachment_files (id, incident_id, size, sha256, chunks, "
                                  "uploaded_by, created_at) VALUES (?,?,?,?,?,?,?);");
        if (!file)
            return std::move(file).error();
        VIGIL_TRY(file->bind(1, state.file.id).bind(2, state.incidentId).bind(3, state.file.size)
                      .bind(4, state.file.sha256).bind(5, state.file.chunks).bind(6, who.device.id).bind(7, now).run());
        auto chunk = m_db->prepare("INSERT OR REPLACE INTO attachment_chunks (attachment_id, idx, data) VALUES (?,?,?);");
        if (!chunk)
            return std::move(chunk).error();
        VIGIL_TRY(chunk->bind(1, state.file.id).bind(2, index).bindBlob(3, bytes).run());
        out.file.received = index + 1;
        if (out.file.received == out.file.chunks) {
            // The whole photo against its record: size and SHA-256.
            WholePhotoCheck whole;
            auto all = m_db->prepare("SELECT data FROM attachment_chunks WHERE attachment_id = ? ORDER BY idx;");
            if (!all)
                return std::move(all).error();
            all->bind(1, state.file.id);
            VIGIL_TRY(all->forEach([&](const Query& r) { whole.add(r.columnBlob(0)); }));
            if (!whole.matches(state.file)) {
                out.wholeMismatch = true;
                out.file.received = 0;
                auto drop = m_db->prepare("DELETE FROM attachment_chunks WHERE attachment_id = ?;");
                if (!drop)
                    return std::move(drop).error();
                VIGIL_TRY(drop->bind(1, state.file.id).run());
            } else {
                out.file.complete = true;
            }
        }
        auto update = m_db->prepare("UPDATE attachment_files SET received = ?, complete = ?, completed_at = ? WHERE id = ?;");
        if (!update)
            return std::move(update).error();
        update->bind(1, out.file.received).bind(2, out.file.complete ? 1 : 0).bind(4, state.file.id);
        if (out.file.complete)
            update->bind(3, now);
        else
            update->bindNull(3);
        return update->run();
    });
    if (!done.ok())
        return std::move(done).error();
    return out;
}

Result<std::optional<std::vector<unsigned char>>> SqlCipherServerStore::attachmentChunk(const DeviceIdentity& who,
                                                                                        const AttachmentState& state,
                                                                                        std::int64_t index,
                                                                                        std::int64_t now)
{
    auto q = m_db->prepare("SELECT data FROM attachment_chunks WHERE attachment_id = ? AND idx = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, state.file.id).bind(2, index);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<std::vector<unsigned char>>();
    const auto blob = q->columnBlob(0);
    std::vector<unsigned char> bytes(blob.begin(), blob.end());
    if (index == 0) {
        // DPA 2018 s.62: a photo sent to a device is a disclosure, like a pulled record.
        auto d = m_db->prepare("INSERT INTO disclosures (at, user_id, device_id, incidents, ops, forgotten) "
                               "VALUES (?,?,?,?,0,'[]');");
        if (!d)
            return std::move(d).error();
        VIGIL_TRY(d->bind(1, now).bind(2, who.user.info.id).bind(3, who.device.id)
                      .bind(4, nlohmann::json::array({state.incidentId}).dump()).run());
    }
    // Every part sent is in the server's chain (a device that fetches parts again is seen doing so).
    VIGIL_TRY(appendServerAudit(serverEntry(now, who.user.info.id, "disclosure", who.user.info.id, who.device.id,
                                 {state.incidentId},
                                 {{"kind", "photo_part"}, {"attachment", state.file.id}, {"part", index},
                                  {"bytes", static_cast<std::int64_t>(bytes.size())}})));
    return std::optional<std::vector<unsigned char>>(std::move(bytes));
}

Result<std::optional<IncidentAccess>> SqlCipherServerStore::loadAccess(const std::string& incidentId)
{
    auto q = m_db->prepare("SELECT owner, team, borough, restricted, access_list, allocated_to FROM incidents WHERE id = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<IncidentAccess>();
    IncidentAccess a;
    a.id = incidentId;
    a.owner = q->columnText(0);
    a.team = q->columnText(1);
    a.borough = q->columnText(2);
    a.restricted = q->columnInt(3) != 0;
    a.accessList = vigil::json::stringList(q->columnText(4));
    a.allocatedTo = q->columnText(5);
    auto r = m_db->prepare("SELECT to_user FROM referrals WHERE incident_id = ? AND to_user <> '';");
    if (!r)
        return std::move(r).error();
    r->bind(1, incidentId);
    for (;;) {
        auto more = r->step();
        if (!more)
            return std::move(more).error();
        if (!*more)
            break;
        a.referredTo.push_back(r->columnText(0));
    }
    return std::optional<IncidentAccess>(std::move(a));
}

Result<std::vector<IncidentAccess>> SqlCipherServerStore::allAccess()
{
    return accessWhere("1", {});
}

Result<std::vector<IncidentAccess>> SqlCipherServerStore::accessFor(const UserInfo& user)
{
    std::vector<std::string> params;
    const auto where = accessCandidates(user, [&](const std::string& value) {
        params.push_back(value);
        return "?" + std::to_string(params.size());
    });
    if (!where)
        return allAccess();
    if (where->empty())
        return std::vector<IncidentAccess>();
    return accessWhere(*where, params);
}

Result<std::vector<IncidentAccess>> SqlCipherServerStore::accessWhere(const std::string& where,
                                                                      const std::vector<std::string>& params)
{
    // Two scans, not two queries per incident: with thousands of incidents the per-incident
    // look-ups were most of a page's time.
    std::vector<IncidentAccess> out;
    std::map<std::string, std::size_t> at;
    {
        auto q = m_db->prepare("SELECT id, owner, team, borough, restricted, access_list, allocated_to FROM incidents "
                               "WHERE " + where + " ORDER BY id;");
        if (!q)
            return std::move(q).error();
        for (std::size_t i = 0; i < params.size(); ++i)
            q->bind(static_cast<int>(i + 1), params[i]);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            IncidentAccess a;
            a.id = row.columnText(0);
            a.owner = row.columnText(1);
            a.team = row.columnText(2);
            a.borough = row.columnText(3);
            a.restricted = row.columnInt(4) != 0;
            const std::string list = row.columnText(5);
            if (list != "[]")
                a.accessList = vigil::json::stringList(list);
            a.allocatedTo = row.columnText(6);
            at.emplace(a.id, out.size());
            out.push_back(std::move(a));
        }));
    }
    if (out.empty())
        return out;
    // Their referrals: of a few incidents one seek each; of many, every referral (fewer than
    // incidents) rather than the incidents' condition read a second time.
    const auto keep = [&](const Query& row) {
        if (auto it = at.find(row.columnText(0)); it != at.end())
            out[it->second].referredTo.push_back(row.columnText(1));
    };
    constexpr std::size_t kFewIncidents = 256;
    if (out.size() <= kFewIncidents) {
        auto r = m_db->prepare("SELECT incident_id, to_user FROM referrals WHERE incident_id = ? AND to_user <> '' ORDER BY id;");
        if (!r)
            return std::move(r).error();
        for (const auto& a : out) {
            r->bind(1, a.id);
            VIGIL_TRY(r->forEach(keep));
        }
        return out;
    }
    auto r = m_db->prepare("SELECT incident_id, to_user FROM referrals WHERE to_user <> '' ORDER BY incident_id, id;");
    if (!r)
        return std::move(r).error();
    VIGIL_TRY(r->forEach(keep));
    return out;
}

/// The SQL behind judgePush (sync/server/PushJudge.h), in the push's transaction.
class SqlCipherServerStore::Ledger final : public PushLedger {
public:
    explicit Ledger(SqlCipherServerStore& store) : m_store(store), m_db(*store.m_db) {}

    Result<bool> quarantined(const std::string& device) override
    {
        auto q = m_db.prepare("SELECT 1 FROM device_quarantine WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        return q->step();
    }
    Result<std::int64_t> usage(const std::string& device) override
    {
        auto q = m_db.prepare("SELECT bytes FROM device_usage WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row ? q->columnInt(0) : std::int64_t{0};
    }
    Result<std::pair<std::int64_t, std::string>> deviceSeq(const std::string& device) override
    {
        auto q = m_db.prepare("SELECT last_seq, top_op_id FROM device_seq WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return std::pair<std::int64_t, std::string>{0, std::string()};
        return std::pair<std::int64_t, std::string>{q->columnInt(0), q->columnText(1)};
    }
    Result<std::optional<std::string>> loggedOpId(const std::string& device, std::int64_t seq) override
    {
        auto q = m_db.prepare("SELECT op_id FROM op_log WHERE device = ? AND seq = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device).bind(2, seq);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row ? std::optional<std::string>(q->columnText(0)) : std::nullopt;
    }
    Result<std::optional<KeptRefusal>> refusalAt(const std::string& device, std::int64_t seq) override
    {
        auto q = m_db.prepare("SELECT op_id, error, message, field FROM push_rejections WHERE device = ? AND seq = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device).bind(2, seq);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return std::optional<KeptRefusal>();
        return std::optional<KeptRefusal>(
            KeptRefusal{q->columnText(0), OpRejection{seq, q->columnText(1), q->columnText(2), q->columnText(3)}});
    }
    Result<std::optional<OpRejection>> refusalOf(const std::string& device, const std::string& opId) override
    {
        auto q = m_db.prepare("SELECT seq, error, message, field FROM push_rejections WHERE device = ? AND op_id = ? "
                              "LIMIT 1;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device).bind(2, opId);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return std::optional<OpRejection>();
        return std::optional<OpRejection>(
            OpRejection{q->columnInt(0), q->columnText(1), q->columnText(2), q->columnText(3)});
    }
    Result<std::unordered_set<std::string>> heldOpIds(const std::string& device) override
    {
        return m_store.heldOpIds(device);
    }
    Status keepRejection(const std::string& device, const std::string& opId, const OpRejection& rejection,
                         std::int64_t now) override
    {
        return m_store.keepRejection(device, opId, rejection, now);
    }
    Result<std::optional<std::string>> incidentOf(const std::string& entity, const std::string& id) override
    {
        auto q = m_db.prepare("SELECT incident_id FROM record_index WHERE entity = ? AND id = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, entity).bind(2, id);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row ? std::optional<std::string>(q->columnText(0)) : std::nullopt;
    }
    Result<std::optional<IncidentAccess>> loadAccess(const std::string& incidentId) override
    {
        return m_store.loadAccess(incidentId);
    }
    Status addIncident(const std::string& id, const std::string& owner, const std::string& team,
                       const std::string& borough) override
    {
        auto q = m_db.prepare("INSERT INTO incidents (id, owner, team, borough) VALUES (?,?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, id).bind(2, owner).bind(3, team).bind(4, borough).run();
    }
    Status indexRecord(const std::string& entity, const std::string& id, const std::string& incidentId) override
    {
        auto q = m_db.prepare("INSERT OR IGNORE INTO record_index (entity, id, incident_id) VALUES (?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, entity).bind(2, id).bind(3, incidentId).run();
    }
    Status recordDenial(std::int64_t at, const std::string& userId, const std::string& deviceId,
                        const std::string& incidentId, std::int64_t seq, const std::string& reason) override
    {
        auto q = m_db.prepare("INSERT INTO access_denials (at, user_id, device_id, incident_id, seq, reason) "
                              "VALUES (?,?,?,?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, at).bind(2, userId).bind(3, deviceId).bind(4, incidentId).bind(5, seq).bind(6, reason).run();
    }
    Status appendServerAudit(ServerAuditEntry entry) override { return m_store.appendServerAudit(std::move(entry)); }
    Result<std::optional<std::pair<std::int64_t, std::string>>> deviceAuditHead(const std::string& device) override
    {
        using Head = std::optional<std::pair<std::int64_t, std::string>>;
        auto q = m_db.prepare("SELECT seq, hash FROM device_audit_head WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row ? Head(std::pair<std::int64_t, std::string>{q->columnInt(0), q->columnText(1)}) : Head();
    }
    Result<bool> userAuditHeadAt(const std::string& userId, std::int64_t seq, const std::string& hash) override
    {
        auto q = m_db.prepare("SELECT device FROM device_audit_head WHERE user_id = ? AND seq = ? AND hash = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, userId).bind(2, seq).bind(3, hash);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row;
    }
    Result<bool> heldDeviceAuditEntry(const std::string& device, std::int64_t seq, const std::string& hash) override
    {
        return m_store.heldDeviceAuditEntry(device, seq, hash);
    }

private:
    SqlCipherServerStore& m_store;
    Database& m_db;
};

Result<bool> SqlCipherServerStore::heldDeviceAuditEntry(const std::string& deviceId, std::int64_t seq,
                                                        const std::string& hash)
{
    if (seq == 0)
        return hash.empty();  // a branch from the very start of the chain
    auto q = m_db->prepare("SELECT value FROM op_log WHERE device = ? AND entity = 'audit' AND field = '@append' "
                           "ORDER BY cursor DESC;");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId);
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return false;
        const auto held = auditEntryFromJson(vigil::json::parse(q->columnText(0)));
        if (held && held->seq == seq && held->hash == hash)
            return true;
    }
}

Result<std::unordered_set<std::string>> SqlCipherServerStore::heldOpIds(const std::string& deviceId)
{
    std::unordered_set<std::string> held;
    for (const char* sql : {"SELECT op_id FROM op_log WHERE device = ?;",
                            "SELECT op_id FROM push_rejections WHERE device = ?;"}) {
        auto q = m_db->prepare(sql);
        if (!q)
            return std::move(q).error();
        q->bind(1, deviceId);
        VIGIL_TRY(q->forEach([&](const Query& row) { held.insert(row.columnText(0)); }));
    }
    return held;
}

Status SqlCipherServerStore::logOps(const DeviceIdentity& who, const std::vector<Op>& ops,
                                    const std::vector<std::string>& incidents, const std::vector<std::string>& values,
                                    std::int64_t now)
{
    std::int64_t bytes = 0;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        auto ins = m_db->prepare("INSERT INTO op_log (device, seq, op_id, entity, record_id, incident_id, field, value, "
                                 "base, hlc, user_id, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?);");
        if (!ins)
            return std::move(ins).error();
        const std::string& value = values[i];
        ins->bind(1, op.device).bind(2, op.seq).bind(3, op.opId).bind(4, op.entity).bind(5, op.id).bind(6, incidents[i])
            .bind(7, op.field).bind(8, value).bind(10, hlcToString(op.hlc)).bind(11, who.user.info.id).bind(12, now);
        if (op.base)
            ins->bind(9, hlcToString(*op.base));
        else
            ins->bindNull(9);
        VIGIL_TRY(ins->run());
        bytes += static_cast<std::int64_t>(value.size()) + kOpOverheadBytes;
    }
    // The device's storage quota counts what it keeps here (device_quota_mb).
    if (!ops.empty())
        VIGIL_TRY(addUsage(who.device.id, bytes));
    return {};
}

Status SqlCipherServerStore::addUsage(const std::string& deviceId, std::int64_t bytes)
{
    auto ins = m_db->prepare("INSERT OR IGNORE INTO device_usage (device, bytes) VALUES (?, 0);");
    if (!ins)
        return std::move(ins).error();
    VIGIL_TRY(ins->bind(1, deviceId).run());
    auto add = m_db->prepare("UPDATE device_usage SET bytes = MAX(0, bytes + ?) WHERE device = ?;");
    if (!add)
        return std::move(add).error();
    return add->bind(1, bytes).bind(2, deviceId).run();
}

Result<PushResponse> SqlCipherServerStore::pushOps(const DeviceIdentity& who, const std::vector<Op>& ops, std::int64_t now)
{
    VIGIL_TRY(catchUpCopy());
    PushResponse response;
    std::vector<Op> accepted;
    std::vector<std::string> incidents;  // of each accepted op, for the op log
    // The core rules, on the records as they would stand, run on a helper thread against the
    // materialised copy (its own file and connection) while this thread writes the op log,
    // and the two files commit side by side (docs/performance.md, "Push"). The helper tells
    // its verdict before the copy commits; a refused op leaves the op log again (it changed
    // no access index) and is answered like any rejection. A batch that breaks no rule stays
    // applied to the copy (once, not a dry run and then again).
    std::promise<Result<RuleCheck::Refusals>> verdictKept;
    std::future<Status> copying;
    struct Join {
        std::future<Status>& f;
        ~Join()
        {
            if (f.valid())
                f.wait();  // the helper reads `accepted`: it ends before anything here goes
        }
    } join{copying};
    bool copyCommits = false;  // the helper is committing a clean batch to the copy
    RuleCheck::AccessQuery access;  // the access index of the touched incidents, from the copy
    // Authority and access are judged on the records copy: no push without it.
    if (!m_rules || !m_policy)
        return makeError(ErrorCode::Internal, "the server takes no changes without its rule check (enableRuleCheck)");
    auto held = m_rules->appliedSeq(who.device.id);
    if (!held)
        return std::move(held).error();
    PushAuthority authority(
        *m_policy, who.user.info, now, m_clockTolerance, *held,
        [this](Entity e, const std::string& id) { return m_rules->records().get(e, id); },
        [this](const std::string& id) { return IncidentRepository(m_rules->records()).stateOf(id); },
        [this](const std::string& userId) { return activeUser(userId); });
    authority.prescan(ops);
    Status done = m_db->transaction([&]() -> Status {
        // The decisions (sync/server/PushJudge.cpp), shared with the PostgreSQL store.
        Ledger ledger(*this);
        auto judged = judgePush(ledger, who, ops, now, authority, m_deviceQuota);
        if (!judged)
            return std::move(judged).error();
        response = std::move(judged->response);
        accepted = std::move(judged->accepted);
        incidents = std::move(judged->incidents);
        std::vector<std::string> texts = std::move(judged->texts);  // of each accepted op's value, for the op log
        const std::int64_t last = judged->lastSeq;
        const std::string topOpId = std::move(judged->topOpId);
        const DeviceAuditHead auditHead = judged->auditHead;
        if (!accepted.empty()) {
            for (std::size_t i = 0; i < accepted.size(); ++i)
                if (touchesAccess(accepted[i]))
                    access.incidents.insert(incidents[i]);
            copying = std::async(std::launch::async, [this, &who, &accepted, &verdictKept, &access]() -> Status {
                bool told = false;
                const auto tell = [&](Result<RuleCheck::Refusals> verdict) {
                    if (!told)
                        verdictKept.set_value(std::move(verdict));
                    told = true;
                };
                try {
                    auto checked = m_rules->check(
                        who.user.info, accepted, [&](const RuleCheck::Refusals& refused) { tell(refused); }, &access);
                    tell(checked);
                    if (!checked)
                        return std::move(checked).error();
                    return {};
                } catch (const std::exception& e) {
                    // This thread's waiter must hear something, or the request would never end.
                    // The copy's transaction was rolled back on the way out (Database::transaction).
                    Error error = makeError(ErrorCode::Internal, std::string("the rule check stopped: ") + e.what());
                    tell(error);
                    return error;
                } catch (...) {
                    Error error = makeError(ErrorCode::Internal, "the rule check stopped");
                    tell(error);
                    return error;
                }
            });
        }
        VIGIL_TRY(logOps(who, accepted, incidents, texts, now));
        if (copying.valid()) {
            auto refused = verdictKept.get_future().get();
            if (!refused)
                return std::move(refused).error();
            if (refused->empty()) {
                copyCommits = true;
            } else {
                // The copy rolled the batch back: once the helper is done, only the kept ops go in.
                VIGIL_TRY(copying.get());
                std::vector<Op> kept;
                std::int64_t freed = 0;
                for (const Op& op : accepted) {
                    auto it = refused->find(op.seq);
                    if (it == refused->end()) {
                        kept.push_back(op);
                        continue;
                    }
                    auto size = m_db->prepare("SELECT LENGTH(value) FROM op_log WHERE device = ? AND seq = ?;");
                    if (!size)
                        return std::move(size).error();
                    size->bind(1, who.device.id).bind(2, op.seq);
                    VIGIL_TRY(size->forEach([&](const Query& row) { freed += row.columnInt(0) + kOpOverheadBytes; }));
                    auto del = m_db->prepare("DELETE FROM op_log WHERE device = ? AND seq = ?;");
                    if (!del)
                        return std::move(del).error();
                    VIGIL_TRY(del->bind(1, who.device.id).bind(2, op.seq).run());
                    VIGIL_TRY(keepRejection(who.device.id, op.opId, it->second, now));
                    response.rejected.push_back(it->second);
                }
                if (freed > 0)
                    VIGIL_TRY(addUsage(who.device.id, -freed));
                std::sort(response.rejected.begin(), response.rejected.end(),
                          [](const OpRejection& a, const OpRejection& b) { return a.seq < b.seq; });
                // Before the op log commits, so a failure leaves both as they were (or the copy
                // ahead: the device sends the batch again and applying it again changes nothing).
                VIGIL_TRY(m_rules->apply(kept));
                auto found = m_rules->accessFacts(access.incidents);
                if (!found)
                    return std::move(found).error();
                access.facts = std::move(found).value();
            }
            // Access follows the record as merged, in the op log's own commit.
            VIGIL_TRY(refreshAccess(access.facts));
        }
        if (auditHead.moved) {
            auto keep = m_db->prepare("INSERT OR REPLACE INTO device_audit_head (device, user_id, seq, hash) "
                                      "VALUES (?,?,?,?);");
            if (!keep)
                return std::move(keep).error();
            VIGIL_TRY(keep->bind(1, who.device.id).bind(2, who.user.info.id).bind(3, auditHead.seq)
                          .bind(4, auditHead.hash).run());
        }
        auto q = m_db->prepare("INSERT OR REPLACE INTO device_seq (device, last_seq, top_op_id) VALUES (?,?,?);");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, who.device.id).bind(2, last).bind(3, topOpId).run());
        // As far as this batch's own ops are decided: never further (the device's last seq is
        // not this request's to learn).
        response.ackedUpto = ackedUpto(ops, last);
        return {};
    });
    if (copyCommits) {
        // The op log is the record; the copy follows it. A copy whose commit failed after the op
        // log's (or a server stopped between the two) lacks the batch, and is caught up from the
        // op log before it is next used (catchUpCopy). A copy committed without the op log is
        // ahead: the device sends the batch again and applying it again changes nothing.
        Status copied = copying.get();
        if (!copied.ok()) {
            m_copyBehind = true;
            Log::write(LogLevel::Error, "records_copy_commit_failed", {{"error", errorCodeName(copied.error().code)}});
        }
    }
    if (!done.ok())
        return std::move(done).error();
    return response;
}

Status SqlCipherServerStore::refreshAccess(const std::vector<AccessFacts>& facts)
{
    for (const AccessFacts& f : facts) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& name : f.accessList)
            list.push_back(name);
        auto q = m_db->prepare("UPDATE incidents SET restricted = ?, access_list = ?, allocated_to = ? WHERE id = ?;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, f.restricted ? 1 : 0).bind(2, list.dump()).bind(3, f.allocatedTo).bind(4, f.incidentId).run());
        std::vector<std::pair<std::string, std::string>> before;
        {
            auto held = m_db->prepare("SELECT id, to_user FROM referrals WHERE incident_id = ? ORDER BY id;");
            if (!held)
                return std::move(held).error();
            held->bind(1, f.incidentId);
            VIGIL_TRY(held->forEach([&](const Query& row) { before.emplace_back(row.columnText(0), row.columnText(1)); }));
        }
        VIGIL_TRY(refreshChangedShares(f, before));
        auto del = m_db->prepare("DELETE FROM referrals WHERE incident_id = ?;");
        if (!del)
            return std::move(del).error();
        VIGIL_TRY(del->bind(1, f.incidentId).run());
        for (const auto& [referral, to] : f.referrals) {
            auto ins = m_db->prepare("INSERT OR REPLACE INTO referrals (id, incident_id, to_user) VALUES (?,?,?);");
            if (!ins)
                return std::move(ins).error();
            VIGIL_TRY(ins->bind(1, referral).bind(2, f.incidentId).bind(3, to).run());
        }
    }
    return {};
}

Status SqlCipherServerStore::refreshChangedShares(const AccessFacts& facts,
                                                  const std::vector<std::pair<std::string, std::string>>& before)
{
    if (!m_idvaSharing)
        return {};
    // A recipient who keeps the incident but whose referrals on it changed holds rows trimmed to
    // the old share: their devices build the incident again from the op log, trimmed to the new
    // one (changedShareRecipients).
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
        auto queue = m_db->prepare(
            "INSERT OR IGNORE INTO device_refresh (device, incident_id) "
            "SELECT v.device, v.incident_id FROM device_visible v JOIN devices d ON d.id = v.device "
            "WHERE v.incident_id = ?1 AND d.user_id = ?2 "
            "UNION SELECT p.device, p.incident_id FROM view_pending p JOIN devices d ON d.id = p.device "
            "WHERE p.incident_id = ?1 AND d.user_id = ?2 AND p.forget <> 1;");
        if (!queue)
            return std::move(queue).error();
        VIGIL_TRY(queue->bind(1, facts.incidentId).bind(2, user).run());
        // A page already sent the incident again under the old share and is not yet confirmed:
        // its confirmation must not take this new request off the queue (it still brings the
        // incident into view).
        auto stale = m_db->prepare("UPDATE view_pending SET forget = 0 WHERE incident_id = ?1 AND forget = 2 "
                                   "AND device IN (SELECT id FROM devices WHERE user_id = ?2);");
        if (!stale)
            return std::move(stale).error();
        VIGIL_TRY(stale->bind(1, facts.incidentId).bind(2, user).run());
    }
    return {};
}

Result<const SharingPolicy*> SqlCipherServerStore::sharingFor(const UserInfo& user) const
{
    return sharingPolicyFor(user, m_idvaSharing ? &*m_idvaSharing : nullptr,
                            m_policeSharing ? &*m_policeSharing : nullptr, m_rules != nullptr);
}

std::optional<vigil::Role> SqlCipherServerStore::roleOfUser(const std::string& userId)
{
    // Deactivated users keep their role: an IDVA who left still wrote her contacts as an IDVA.
    auto found = findUser(userId);
    if (!found || !*found)
        return std::nullopt;
    return coreRole((*found)->info.role);
}

Result<std::optional<UserInfo>> SqlCipherServerStore::activeUser(const std::string& userId)
{
    auto found = findUser(userId);
    if (!found)
        return std::move(found).error();
    if (!*found || !(*found)->active)
        return std::optional<UserInfo>();
    return std::optional<UserInfo>(std::move((*found)->info));
}

Status SqlCipherServerStore::keepRejection(const std::string& device, const std::string& opId, const OpRejection& r,
                                           std::int64_t now)
{
    auto q = m_db->prepare(
        "INSERT INTO push_rejections (device, seq, error, message, field, at, op_id) VALUES (?,?,?,?,?,?,?);");
    if (!q)
        return std::move(q).error();
    return q->bind(1, device).bind(2, r.seq).bind(3, r.error).bind(4, r.message).bind(5, r.field).bind(6, now).bind(7, opId).run();
}

Status SqlCipherServerStore::catchUpCopy()
{
    if (!m_rules || !m_copyBehind)
        return {};
    auto applied = m_rules->appliedSeqs();
    Status caught = applied ? replayIntoCopy(*m_rules, *applied) : Status(applied.error());
    if (!caught.ok()) {
        // Pushes and snapshots wait for the copy; the operator is told what to do.
        Log::write(LogLevel::Error, "records_copy_catch_up_failed",
                   {{"error", errorCodeName(caught.error().code)},
                    {"fix", "if this repeats, stop the server and move <database>.records aside: it is rebuilt from "
                            "the op log at the next start"}});
        return caught;
    }
    m_copyBehind = false;
    return {};
}

Status SqlCipherServerStore::replayIntoCopy(RuleCheck& copy, const std::map<std::string, std::int64_t>& applied)
{
    // Where the first op the copy lacks sits in the op log: one indexed look-up per device
    // whose ops run past the copy's (op_log's UNIQUE (device, seq)).
    std::vector<std::pair<std::string, std::int64_t>> devices;
    {
        auto q = m_db->prepare("SELECT device, last_seq FROM device_seq;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const std::string device = row.columnText(0);
            auto it = applied.find(device);
            if (row.columnInt(1) > (it == applied.end() ? 0 : it->second))
                devices.emplace_back(device, it == applied.end() ? 0 : it->second);
        }));
    }
    std::optional<std::int64_t> from;
    for (const auto& [device, seq] : devices) {
        auto q = m_db->prepare("SELECT min(cursor) FROM op_log WHERE device = ? AND seq > ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device).bind(2, seq);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (*row && !q->columnIsNull(0))
            from = std::min(from.value_or(q->columnInt(0)), q->columnInt(0));
    }
    if (!from)
        return {};
    Log::write(LogLevel::Info, "records_copy_catch_up", {{"devices", static_cast<std::int64_t>(devices.size())},
                                                         {"from_cursor", *from}});
    // In op log order, as they were first applied; ops the copy already holds are skipped.
    std::int64_t after = *from - 1;
    std::int64_t replayed = 0;
    for (;;) {
        std::int64_t last = after;
        auto batch = readOps(std::string(kOpLogColumns) + "WHERE cursor > ? ORDER BY cursor LIMIT 5000;",
                             [&](Query& q) { q.bind(1, after); }, &last);
        if (!batch)
            return std::move(batch).error();
        if (batch->empty())
            break;
        std::erase_if(*batch, [&](const Op& op) {
            auto it = applied.find(op.device);
            return it != applied.end() && op.seq <= it->second;
        });
        replayed += static_cast<std::int64_t>(batch->size());
        VIGIL_TRY(copy.apply(*batch));
        after = last;
    }
    Log::write(LogLevel::Info, "records_copy_caught_up", {{"ops", replayed}});
    return {};
}

Result<std::vector<Op>> SqlCipherServerStore::readOps(const std::string& sql, const std::function<void(Query&)>& bind,
                                                      std::int64_t* lastCursor, std::vector<std::string>* incidents)
{
    auto q = m_db->prepare(sql);
    if (!q)
        return std::move(q).error();
    bind(*q);
    std::vector<Op> ops;
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            break;
        if (lastCursor)
            *lastCursor = q->columnInt(0);
        if (incidents)
            incidents->push_back(q->columnText(6));
        ops.push_back(opFromLogRow(*q));
    }
    return ops;
}

Result<std::optional<std::pair<std::int64_t, std::int64_t>>> SqlCipherServerStore::deviceView(const std::string& deviceId)
{
    auto q = m_db->prepare("SELECT confirmed, issued FROM device_view WHERE device = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<std::pair<std::int64_t, std::int64_t>>();
    return std::optional<std::pair<std::int64_t, std::int64_t>>(std::make_pair(q->columnInt(0), q->columnInt(1)));
}

/// The SQL behind servePullPage (sync/server/PullPage.h), in the pull's transaction.
class SqlCipherServerStore::PullRows final : public PullLedger {
public:
    explicit PullRows(SqlCipherServerStore& store) : m_store(store), m_db(*store.m_db) {}

    Result<std::optional<std::pair<std::int64_t, std::int64_t>>> deviceView(const std::string& device) override
    {
        return m_store.deviceView(device);
    }
    Status storeView(const std::string& device, std::int64_t confirmed, std::int64_t issued) override
    {
        auto q = m_db.prepare("INSERT OR REPLACE INTO device_view (device, confirmed, issued) VALUES (?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, device).bind(2, confirmed).bind(3, issued).run();
    }
    Result<std::vector<PendingViewChange>> pendingChanges(const std::string& device, std::int64_t view) override
    {
        auto q = m_db.prepare("SELECT incident_id, forget, upto FROM view_pending WHERE device = ? AND view = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device).bind(2, view);
        std::vector<PendingViewChange> changes;
        VIGIL_TRY(q->forEach([&](const Query& row) {
            changes.push_back({row.columnText(0), row.columnInt(1), row.columnInt(2)});
        }));
        return changes;
    }
    Status keepPending(const std::string& device, std::int64_t view, const PendingViewChange& c) override
    {
        auto q = m_db.prepare("INSERT OR IGNORE INTO view_pending (device, view, incident_id, forget, upto) "
                              "VALUES (?,?,?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, device).bind(2, view).bind(3, c.incidentId).bind(4, c.kind).bind(5, c.upto).run();
    }
    Status dropPending(const std::string& device) override
    {
        return run("DELETE FROM view_pending WHERE device = ?;", device);
    }
    Result<std::set<std::string>> visibleTo(const std::string& device) override
    {
        auto q = m_db.prepare("SELECT incident_id FROM device_visible WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        std::set<std::string> ids;
        VIGIL_TRY(q->forEach([&](const Query& row) { ids.insert(row.columnText(0)); }));
        return ids;
    }
    Status setVisible(const std::string& device, const std::string& incidentId, bool visible) override
    {
        return run(visible ? "INSERT OR IGNORE INTO device_visible (device, incident_id) VALUES (?,?);"
                           : "DELETE FROM device_visible WHERE device = ? AND incident_id = ?;",
                   device, incidentId);
    }
    Result<std::map<std::string, PartHistory, std::less<>>> histories(const std::string& device) override
    {
        auto q = m_db.prepare("SELECT incident_id, upto, whole FROM device_history WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        std::map<std::string, PartHistory, std::less<>> out;
        VIGIL_TRY(q->forEach([&](const Query& row) {
            out.emplace(row.columnText(0), PartHistory{row.columnInt(1), row.columnInt(2) != 0});
        }));
        return out;
    }
    Status setHistory(const std::string& device, const std::string& incidentId, const PartHistory& part) override
    {
        auto q = m_db.prepare("INSERT OR REPLACE INTO device_history (device, incident_id, upto, whole) VALUES (?,?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, device).bind(2, incidentId).bind(3, part.upto).bind(4, part.whole ? 1 : 0).run();
    }
    Status dropHistory(const std::string& device, const std::string& incidentId) override
    {
        return run("DELETE FROM device_history WHERE device = ? AND incident_id = ?;", device, incidentId);
    }
    Result<std::vector<std::string>> refreshQueue(const std::string& device) override
    {
        auto q = m_db.prepare("SELECT incident_id FROM device_refresh WHERE device = ? ORDER BY incident_id;");
        if (!q)
            return std::move(q).error();
        q->bind(1, device);
        std::vector<std::string> ids;
        VIGIL_TRY(q->forEach([&](const Query& row) { ids.push_back(row.columnText(0)); }));
        return ids;
    }
    Status dropRefresh(const std::string& device, const std::string& incidentId) override
    {
        return run("DELETE FROM device_refresh WHERE device = ? AND incident_id = ?;", device, incidentId);
    }
    Result<std::vector<IncidentAccess>> allAccess() override { return m_store.allAccess(); }
    Result<std::vector<IncidentAccess>> accessFor(const UserInfo& user) override { return m_store.accessFor(user); }
    Result<std::set<std::string, std::less<>>> quarantined() override
    {
        auto q = m_db.prepare("SELECT device FROM device_quarantine;");
        if (!q)
            return std::move(q).error();
        std::set<std::string, std::less<>> out;
        VIGIL_TRY(q->forEach([&](const Query& row) { out.insert(row.columnText(0)); }));
        return out;
    }
    Status forIncidentOps(const std::string& incidentId, std::int64_t after, std::optional<std::int64_t> through,
                          const std::string& device, bool ownToo, bool anyQuarantined,
                          const std::function<bool(PulledOp&&)>& visit) override
    {
        std::string sql = std::string(kOpLogColumns) + "WHERE incident_id = ? AND cursor > ?";
        if (through)
            sql += " AND cursor <= ?";
        if (!ownToo)
            sql += " AND device <> ?";
        if (anyQuarantined)
            sql += ownToo ? " AND (device = ? OR device NOT IN (SELECT device FROM device_quarantine))"
                          : " AND device NOT IN (SELECT device FROM device_quarantine WHERE device <> ?)";
        auto q = m_db.prepare(sql + " ORDER BY cursor;");
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId).bind(2, after);
        int at = 3;
        if (through)
            q->bind(at++, *through);
        if (!ownToo)
            q->bind(at++, device);
        if (anyQuarantined)
            q->bind(at++, device);
        for (;;) {
            auto row = q->step();
            if (!row)
                return std::move(row).error();
            if (!*row || !visit(pulled(*q)))
                return {};
        }
    }
    Result<std::vector<ScannedOp>> scan(std::int64_t after, std::size_t limit) override
    {
        auto q = m_db.prepare("SELECT cursor, incident_id, device FROM op_log WHERE cursor > ? ORDER BY cursor LIMIT ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, after).bind(2, static_cast<std::int64_t>(limit));
        std::vector<ScannedOp> out;
        VIGIL_TRY(q->forEach([&](const Query& row) {
            out.push_back({row.columnInt(0), row.columnText(1), row.columnText(2)});
        }));
        return out;
    }
    Result<std::optional<std::vector<ScannedOp>>> scanIncidents(const std::vector<std::string>& incidents,
                                                               std::int64_t after, std::int64_t through,
                                                               const std::string& device, std::size_t limit) override
    {
        // One seek of the (incident_id, cursor) index an incident, merged in cursor order: for a
        // team's few incidents, not for a borough's (each seek may read up to `limit` ops).
        constexpr std::size_t kMostIncidents = 64;
        if (incidents.size() > kMostIncidents)
            return std::optional<std::vector<ScannedOp>>();
        auto q = m_db.prepare("SELECT cursor, incident_id, device FROM op_log WHERE incident_id = ? AND cursor > ? "
                              "AND cursor <= ? AND device <> ? ORDER BY cursor LIMIT ?;");
        if (!q)
            return std::move(q).error();
        std::vector<ScannedOp> out;
        for (const std::string& incident : incidents) {
            q->bind(1, incident).bind(2, after).bind(3, through).bind(4, device).bind(5, static_cast<std::int64_t>(limit));
            VIGIL_TRY(q->forEach([&](const Query& row) {
                out.push_back({row.columnInt(0), row.columnText(1), row.columnText(2)});
            }));
        }
        std::sort(out.begin(), out.end(), [](const ScannedOp& a, const ScannedOp& b) { return a.cursor < b.cursor; });
        if (out.size() > limit)
            out.resize(limit);
        return std::optional<std::vector<ScannedOp>>(std::move(out));
    }
    Result<std::optional<PulledOp>> opAt(std::int64_t cursor) override
    {
        auto q = m_db.prepare(std::string(kOpLogColumns) + "WHERE cursor = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, cursor);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        return *row ? std::optional<PulledOp>(pulled(*q)) : std::nullopt;
    }
    Status forOpsBetween(std::int64_t from, std::int64_t to, const std::function<bool(PulledOp&&)>& visit) override
    {
        auto q = m_db.prepare(std::string(kOpLogColumns) + "WHERE cursor > ? AND cursor <= ? ORDER BY cursor;");
        if (!q)
            return std::move(q).error();
        q->bind(1, from).bind(2, to);
        for (;;) {
            auto row = q->step();
            if (!row)
                return std::move(row).error();
            if (!*row || !visit(pulled(*q)))
                return {};
        }
    }
    Result<std::int64_t> lastCursor() override { return m_db.queryInt("SELECT COALESCE(MAX(cursor), 0) FROM op_log;"); }
    Status recordDisclosure(std::int64_t at, const std::string& userId, const std::string& deviceId,
                            const std::string& incidentsJson, std::int64_t ops, const std::string& forgottenJson,
                            const std::string& sharing) override
    {
        auto q = m_db.prepare("INSERT INTO disclosures (at, user_id, device_id, incidents, ops, forgotten, sharing) "
                              "VALUES (?,?,?,?,?,?,?);");
        if (!q)
            return std::move(q).error();
        return q->bind(1, at).bind(2, userId).bind(3, deviceId).bind(4, incidentsJson).bind(5, ops)
            .bind(6, forgottenJson).bind(7, sharing).run();
    }
    Status appendServerAudit(ServerAuditEntry entry) override { return m_store.appendServerAudit(std::move(entry)); }

private:
    /// An op_log row read with kOpLogColumns, with its size for a page's budget: its columns' text.
    static PulledOp pulled(const Query& q)
    {
        std::size_t n = static_cast<std::size_t>(kOpOverheadBytes);
        for (int c = 1; c <= 11; ++c)
            n += q.columnView(c).size();
        return PulledOp{q.columnInt(0), q.columnText(6), opFromLogRow(q), n};
    }
    Status run(const char* sql, const std::string& a, const std::string& b = {})
    {
        auto q = m_db.prepare(sql);
        if (!q)
            return std::move(q).error();
        q->bind(1, a);
        if (!b.empty())
            q->bind(2, b);
        return q->run();
    }

    SqlCipherServerStore& m_store;
    Database& m_db;
};

Result<PullResponse> SqlCipherServerStore::pullOps(const DeviceIdentity& who, const PullCursor& from,
                                                   std::size_t limit, std::int64_t now)
{
    // An IDVA receives only what the sharing policy passes, and police users an IDVA's casework
    // only as the police policy passes it, learnt from the records copy: it must hold the whole op
    // log first.
    auto sharing = sharingFor(who.user.info);
    if (!sharing)
        return std::move(sharing).error();
    if (*sharing)
        VIGIL_TRY(catchUpCopy());
    PullSharing share;
    share.policy = *sharing;
    share.rowsOf = [this](const std::string& id) { return m_rules->records().storedRowsOfIncident(id); };
    share.roleOf = [this](const std::string& u) { return roleOfUser(u); };
    Result<PullResponse> page = PullResponse{};
    Status done = m_db->transaction([&]() -> Status {
        // The page itself (sync/server/PullPage.cpp), shared with the PostgreSQL store.
        PullRows rows(*this);
        page = servePullPage(rows, who, from, limit, m_pullPageBytes, now, share);
        return page ? Status() : Status(page.error());
    });
    if (!done.ok())
        return std::move(done).error();
    return page;
}

Result<SnapshotPage> SqlCipherServerStore::snapshotPage(const DeviceIdentity& who, const std::string& from,
                                                        std::size_t limit, std::size_t maxBytes, std::int64_t now)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no materialised records to start a device from.");
    VIGIL_TRY(catchUpCopy());
    auto sharing = sharingFor(who.user.info);
    if (!sharing)
        return std::move(sharing).error();
    Result<SnapshotPage> page = SnapshotPage{};
    Status done = m_db->transaction([&]() -> Status {
        // The page itself (sync/server/SnapshotPage.cpp), shared with the PostgreSQL store.
        PullRows rows(*this);
        page = serveSnapshotPage(rows, m_rules->records(), who, from, limit, maxBytes, now, *sharing,
                                 [this](const std::string& u) { return roleOfUser(u); }, {});
        return page ? Status() : Status(page.error());
    });
    if (!done.ok())
        return std::move(done).error();
    return page;
}

Status SqlCipherServerStore::enableRuleCheck(const std::filesystem::path& recordsFile, std::span<const unsigned char> key,
                                             const std::filesystem::path& modelDir)
{
    // The same rule files as every store backend reads (sync/server/ServerRules.h).
    auto loaded = loadServerRules(modelDir);
    if (!loaded)
        return std::move(loaded).error();
    m_policy = std::move(loaded->policy);
    m_idvaSharing = std::move(loaded->idvaSharing);
    m_policeSharing = std::move(loaded->policeSharing);
    m_diversity = std::move(loaded->diversity);
    m_outcomes = std::move(loaded->outcomes);
    auto rules = RuleCheck::open(recordsFile, key, modelDir);
    if (!rules)
        return std::move(rules).error();
    VIGIL_TRY(applyPageCache((*rules)->records().database()));
    // Snapshots are read from the copy, so it must hold every op of the log. A copy that has
    // been complete from the start is marked so; one without the mark (made before the mark
    // existed, or lost and made again beside an op log) is rebuilt from the op log, once, here.
    const auto marked = [&](const char* mark) {
        return (*rules)->records().database().queryInt(
            std::string("SELECT count(*) FROM store_meta WHERE key = '") + mark + "';");
    };
    auto complete = marked("copy_complete");
    if (!complete)
        return std::move(complete).error();
    if (*complete == 0) {
        auto ops = m_db->queryInt("SELECT count(*) FROM op_log;");
        if (!ops)
            return std::move(ops).error();
        if (*ops > 0) {
            Log::write(LogLevel::Info, "records_copy_rebuild", {{"ops", *ops}});
            rules->reset();
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
                std::error_code ignored;
                std::filesystem::remove(recordsFile.string() + suffix, ignored);
            }
            rules = RuleCheck::open(recordsFile, key, modelDir);
            if (!rules)
                return std::move(rules).error();
            VIGIL_TRY(applyPageCache((*rules)->records().database()));
            VIGIL_TRY(replayIntoCopy(**rules, {}));
            Log::write(LogLevel::Info, "records_copy_rebuilt", {{"ops", *ops}});
        }
        VIGIL_TRY((*rules)->records().database().exec(
            "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('copy_complete', '1'), ('copy_applied', '1');"));
    }
    // How far the copy reaches in each device's ops. A complete copy from before it kept that
    // holds every op of the log (it then committed before the op log did).
    auto applied = (*rules)->appliedSeqs();
    if (!applied)
        return std::move(applied).error();
    auto keeps = marked("copy_applied");
    if (!keeps)
        return std::move(keeps).error();
    if (*keeps == 0) {
        auto q = m_db->prepare("SELECT device, last_seq FROM device_seq;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->forEach([&](const Query& row) { (*applied)[row.columnText(0)] = row.columnInt(1); }));
        RecordStore& copy = (*rules)->records();
        Status noted = copy.transaction([&]() -> Status {
            VIGIL_TRY((*rules)->noteApplied(*applied));
            return copy.database().exec("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('copy_applied', '1');");
        });
        VIGIL_TRY(noted);
    }
    // A server stopped after its op log committed and before the copy did: the copy catches up.
    VIGIL_TRY(replayIntoCopy(**rules, *applied));
    m_rules = std::move(rules).value();
    return {};
}

Status SqlCipherServerStore::setPageCache(std::int64_t megabytes)
{
    m_cacheMb = megabytes;
    VIGIL_TRY(applyPageCache(*m_db));
    return m_rules ? applyPageCache(m_rules->records().database()) : Status();
}

Status SqlCipherServerStore::applyPageCache(Database& db) const
{
    if (m_cacheMb <= 0)
        return {};  // SQLite's own default
    // Negative: a size in KiB rather than in pages.
    return db.exec("PRAGMA cache_size = -" + std::to_string(m_cacheMb * 1024) + ";");
}

Result<std::vector<FutureStamp>> SqlCipherServerStore::futureStamps(std::int64_t aheadSeconds)
{
    // The stamp is hex text: read the narrow columns of every op and compare in C++ (a repair
    // tool, run by hand, reads the whole log once).
    auto q = m_db->prepare("SELECT cursor, device, user_id, incident_id, entity, field, hlc, received_at FROM op_log "
                           "ORDER BY cursor;");
    if (!q)
        return std::move(q).error();
    std::vector<FutureStamp> out;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        const HlcStamp hlc = hlcFromString(row.columnView(6)).value_or(0);
        const std::int64_t received = row.columnInt(7);
        const std::uint64_t limitMs = static_cast<std::uint64_t>(std::max<std::int64_t>(0, received + aheadSeconds)) * 1000;
        if (hlcMillis(hlc) <= limitMs)
            return;
        out.push_back(FutureStamp{row.columnInt(0), row.columnText(1), row.columnText(2), row.columnText(3),
                                  row.columnText(4), row.columnText(5), hlc, received});
    }));
    return out;
}

Result<StampRepair> SqlCipherServerStore::repairStamps(std::int64_t aheadSeconds)
{
    StampRepair repair;
    Status done = m_db->transaction([&]() -> Status {
        auto found = futureStamps(aheadSeconds);
        if (!found)
            return std::move(found).error();
        std::set<std::string> incidents;
        for (const FutureStamp& f : *found) {
            // The last millisecond of the second it arrived in (received_at is in seconds: a change
            // made earlier in that second keeps losing to it, as it did when it arrived), with the
            // low bits of its cursor as the counter: ops of one batch keep their order, and a
            // change made after it arrived wins over it.
            const HlcStamp fixed = ((static_cast<HlcStamp>(f.receivedAt) * 1000 + 999) << 16)
                                 | (static_cast<HlcStamp>(f.cursor) & 0xFFFF);
            auto stamp = m_db->prepare("UPDATE op_log SET hlc = ? WHERE cursor = ?;");
            if (!stamp)
                return std::move(stamp).error();
            VIGIL_TRY(stamp->bind(1, hlcToString(fixed)).bind(2, f.cursor).run());
            // A later write made over it named its stamp as its base: it still does.
            auto base = m_db->prepare("UPDATE op_log SET base = ? WHERE incident_id = ? AND base = ?;");
            if (!base)
                return std::move(base).error();
            VIGIL_TRY(base->bind(1, hlcToString(fixed)).bind(2, f.incidentId).bind(3, hlcToString(f.hlc)).run());
            incidents.insert(f.incidentId);
            FutureStamp restamped = f;
            restamped.hlc = fixed;
            repair.restamped.push_back(std::move(restamped));
        }
        for (const std::string& id : incidents) {
            // Every device holding the incident, or sent it on a page not yet confirmed.
            auto queue = m_db->prepare(
                "INSERT OR IGNORE INTO device_refresh (device, incident_id) "
                "SELECT device, incident_id FROM device_visible WHERE incident_id = ?1 "
                "UNION SELECT device, incident_id FROM view_pending WHERE incident_id = ?1 AND forget <> 1;");
            if (!queue)
                return std::move(queue).error();
            VIGIL_TRY(queue->bind(1, id).run());
            auto queued = m_db->prepare("SELECT count(*) FROM device_refresh WHERE incident_id = ?;");
            if (!queued)
                return std::move(queued).error();
            queued->bind(1, id);
            VIGIL_TRY(queued->forEach([&](const Query& row) { repair.deliveries += row.columnInt(0); }));
        }
        repair.incidents = static_cast<std::int64_t>(incidents.size());
        if (found->empty())
            return {};
        return appendServerAudit(serverEntry(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch()).count(),
                                  m_auditActor, "stamps_repaired", "", "",
                                  std::vector<std::string>(incidents.begin(), incidents.end()),
                                  {{"restamped", found->size()}, {"ahead_seconds", aheadSeconds}}));
    });
    if (!done.ok())
        return std::move(done).error();
    return repair;
}

std::string SqlCipherServerStore::serverAuditHash(const ServerAuditEntry& e, const std::string& incidentsText,
                                                  const std::string& detailText)
{
    // Every stored column but the hash, as stored, in a fixed order.
    const std::string text = nlohmann::json::array({e.seq, e.at, e.actor, e.action, e.userId, e.deviceId, incidentsText,
                                                    detailText, e.prevHash})
                                 .dump();
    return sha256Hex(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
}

Status SqlCipherServerStore::appendServerAudit(ServerAuditEntry entry)
{
    const auto append = [&]() -> Status {
        auto head = m_db->prepare("SELECT seq, hash FROM server_audit ORDER BY seq DESC LIMIT 1;");
        if (!head)
            return std::move(head).error();
        auto row = head->step();
        if (!row)
            return std::move(row).error();
        entry.seq = *row ? head->columnInt(0) + 1 : 1;
        entry.prevHash = *row ? head->columnText(1) : std::string();
        const std::string incidents = nlohmann::json(entry.incidents).dump();
        const std::string detail = entry.detail.dump();
        entry.hash = serverAuditHash(entry, incidents, detail);
        auto ins = m_db->prepare("INSERT INTO server_audit (seq, at, actor, action, user_id, device_id, incidents, detail, "
                                 "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?);");
        if (!ins)
            return std::move(ins).error();
        return ins->bind(1, entry.seq).bind(2, entry.at).bind(3, entry.actor).bind(4, entry.action).bind(5, entry.userId)
            .bind(6, entry.deviceId).bind(7, incidents).bind(8, detail).bind(9, entry.prevHash).bind(10, entry.hash)
            .run();
    };
    // BEGIN IMMEDIATE before the head is read: vigil-admin and vigil-server append to one chain.
    return m_db->inTransaction() ? append() : m_db->transaction(append);
}

Result<ServerAuditVerification> SqlCipherServerStore::verifyAudit()
{
    ServerAuditVerification v;
    const auto fail = [&](std::int64_t seq, std::string problem) {
        v.intact = false;
        v.firstBadSeq = seq;
        v.problem = std::move(problem);
        return v;
    };
    auto q = m_db->prepare("SELECT seq, at, actor, action, user_id, device_id, incidents, detail, prev_hash, hash "
                           "FROM server_audit ORDER BY seq;");
    if (!q)
        return std::move(q).error();
    std::string prev;
    std::int64_t expected = 1;
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            break;
        ServerAuditEntry e;
        e.seq = q->columnInt(0);
        e.at = q->columnInt(1);
        e.actor = q->columnText(2);
        e.action = q->columnText(3);
        e.userId = q->columnText(4);
        e.deviceId = q->columnText(5);
        e.prevHash = q->columnText(8);
        e.hash = q->columnText(9);
        if (e.seq != expected) {
            return fail(expected, "entry " + std::to_string(expected) + " is missing");
        }
        if (e.prevHash != prev) {
            return fail(e.seq, "entry " + std::to_string(e.seq) + " does not follow the entry before it (prev_hash)");
        }
        if (serverAuditHash(e, q->columnText(6), q->columnText(7)) != e.hash) {
            return fail(e.seq, "entry " + std::to_string(e.seq) + " was altered (its hash does not match its content)");
        }
        prev = e.hash;
        ++expected;
        ++v.entries;
    }
    return v;
}

Result<std::vector<AuditTrailRow>> SqlCipherServerStore::auditTrail(const AuditTrailFilter& f)
{
    // The records asked about: the record itself and its incident; for a person, their incident.
    std::set<std::string> records;
    const auto incidentOf = [&](const std::string& entity, const std::string& id) -> Status {
        auto q = m_db->prepare(entity.empty() ? "SELECT incident_id FROM record_index WHERE id = ?;"
                                              : "SELECT incident_id FROM record_index WHERE id = ? AND entity = ?;");
        if (!q)
            return std::move(q).error();
        q->bind(1, id);
        if (!entity.empty())
            q->bind(2, entity);
        return q->forEach([&](const Query& row) { records.insert(row.columnText(0)); });
    };
    if (!f.record.empty()) {
        records.insert(f.record);
        VIGIL_TRY(incidentOf("", f.record));
    }
    if (!f.person.empty()) {
        records.insert(f.person);
        VIGIL_TRY(incidentOf("person", f.person));
    }
    // Which rows belong is decided once for both stores (sync/server/AuditTrail.cpp).
    AuditTrailBuilder trail(f, std::move(records));
    auto q = m_db->prepare("SELECT seq, at, actor, action, user_id, device_id, incidents, detail, hash FROM server_audit "
                           "WHERE at >= ? AND at < ? ORDER BY seq;");
    if (!q)
        return std::move(q).error();
    q->bind(1, f.from).bind(2, f.to);
    VIGIL_TRY(q->forEach([&](const Query& row) {
        AuditTrailRow r;
        r.source = "server";
        r.seq = row.columnInt(0);
        r.at = row.columnInt(1);
        r.actor = row.columnText(2);
        r.action = row.columnText(3);
        r.userId = row.columnText(4);
        r.deviceId = row.columnText(5);
        r.records = vigil::json::stringList(row.columnText(6));
        r.detail = row.columnText(7);
        r.hash = row.columnText(8);
        trail.server(std::move(r));
    }));
    auto d = m_db->prepare("SELECT device, value FROM op_log WHERE entity = 'audit' AND field = '@append' ORDER BY cursor;");
    if (!d)
        return std::move(d).error();
    VIGIL_TRY(d->forEach([&](const Query& row) { trail.device(row.columnText(0), vigil::json::parse(row.columnText(1))); }));
    return trail.finish();
}

Result<std::int64_t> SqlCipherServerStore::auditEntryCount(const std::string& deviceId)
{
    auto q = m_db->prepare("SELECT COUNT(*) FROM op_log WHERE device = ? AND entity = 'audit' AND field = '@append';");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    return *row ? q->columnInt(0) : std::int64_t{0};
}


Status SqlCipherServerStore::quarantineDevice(const std::string& deviceId, const std::string& reason, std::int64_t now)
{
    return m_db->transaction([&]() -> Status {
        auto owner = m_db->prepare("SELECT user_id FROM devices WHERE id = ?;");
        if (!owner)
            return std::move(owner).error();
        owner->bind(1, deviceId);
        auto row = owner->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            return makeError(ErrorCode::NotFound, "There is no device with id " + deviceId + ". See `device list`.", "id");
        const std::string userId = owner->columnText(0);
        auto q = m_db->prepare("INSERT OR IGNORE INTO device_quarantine (device, at, by_actor, reason) VALUES (?,?,?,?);");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, deviceId).bind(2, now).bind(3, m_auditActor).bind(4, reason).run());
        if (m_db->changes() == 0)
            return makeError(ErrorCode::AlreadyExists, "Device " + deviceId + " is already quarantined; nothing was "
                                                       "changed. See `quarantine list`.", "id");
        std::int64_t ops = 0;
        auto count = m_db->prepare("SELECT COUNT(*) FROM op_log WHERE device = ?;");
        if (!count)
            return std::move(count).error();
        count->bind(1, deviceId);
        VIGIL_TRY(count->forEach([&](const Query& r) { ops = r.columnInt(0); }));
        return appendServerAudit(serverEntry(now, m_auditActor, "device_quarantined", userId, deviceId, {},
                                  {{"reason", reason}, {"ops_held", ops}}));
    });
}

Result<std::int64_t> SqlCipherServerStore::releaseDevice(const std::string& deviceId, std::int64_t now)
{
    std::int64_t deliveries = 0;
    Status done = m_db->transaction([&]() -> Status {
        auto q = m_db->prepare("DELETE FROM device_quarantine WHERE device = ?;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, deviceId).run());
        if (m_db->changes() == 0)
            return makeError(ErrorCode::NotFound, "Device " + deviceId + " is not quarantined; nothing was changed. "
                                                  "See `quarantine list`.", "id");
        // Devices that pulled past its ops meanwhile never got them: each device holding one of
        // the incidents they touch (or sent it on a page not yet confirmed) gets it again whole.
        std::vector<std::string> incidents;
        auto touched = m_db->prepare("SELECT DISTINCT incident_id FROM op_log WHERE device = ? AND incident_id <> '';");
        if (!touched)
            return std::move(touched).error();
        touched->bind(1, deviceId);
        VIGIL_TRY(touched->forEach([&](const Query& r) { incidents.push_back(r.columnText(0)); }));
        for (const auto& id : incidents) {
            auto queue = m_db->prepare(
                "INSERT OR IGNORE INTO device_refresh (device, incident_id) "
                "SELECT device, incident_id FROM device_visible WHERE incident_id = ?1 AND device <> ?2 "
                "UNION SELECT device, incident_id FROM view_pending WHERE incident_id = ?1 AND forget <> 1 "
                "AND device <> ?2 UNION SELECT device, incident_id FROM device_history WHERE incident_id = ?1 "
                "AND device <> ?2;");
            if (!queue)
                return std::move(queue).error();
            VIGIL_TRY(queue->bind(1, id).bind(2, deviceId).run());
            deliveries += m_db->changes();
        }
        auto owner = m_db->prepare("SELECT user_id FROM devices WHERE id = ?;");
        if (!owner)
            return std::move(owner).error();
        owner->bind(1, deviceId);
        std::string userId;
        VIGIL_TRY(owner->forEach([&](const Query& r) { userId = r.columnText(0); }));
        return appendServerAudit(serverEntry(now, m_auditActor, "device_released", userId, deviceId, incidents,
                                  {{"deliveries", deliveries}}));
    });
    if (!done.ok())
        return std::move(done).error();
    return deliveries;
}

Result<std::vector<QuarantinedDevice>> SqlCipherServerStore::quarantinedDevices()
{
    auto q = m_db->prepare("SELECT q.device, q.at, q.by_actor, q.reason, "
                           "(SELECT COUNT(*) FROM op_log o WHERE o.device = q.device) FROM device_quarantine q "
                           "ORDER BY q.at, q.device;");
    if (!q)
        return std::move(q).error();
    std::vector<QuarantinedDevice> out;
    VIGIL_TRY(q->forEach([&](const Query& r) {
        out.push_back({r.columnText(0), r.columnInt(1), r.columnText(2), r.columnText(3), r.columnInt(4)});
    }));
    return out;
}

Result<std::int64_t> SqlCipherServerStore::deviceUsage(const std::string& deviceId)
{
    auto q = m_db->prepare("SELECT bytes FROM device_usage WHERE device = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId);
    std::int64_t bytes = 0;
    VIGIL_TRY(q->forEach([&](const Query& r) { bytes = r.columnInt(0); }));
    return bytes;
}

Result<FigureSet> SqlCipherServerStore::figures(const FigureRequest& request)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no copy of the records to count figures from.");
    VIGIL_TRY(catchUpCopy());
    FigureRequest numbersOnly = request;
    numbersOnly.keepIncidentIds = false;
    return computeFigures(m_rules->records(), numbersOnly, m_diversity ? &*m_diversity : nullptr,
                          m_outcomes ? &*m_outcomes : nullptr);
}

Result<std::vector<FigureSet>> SqlCipherServerStore::figuresByBorough(const FigureRequest& request,
                                                                      const std::vector<std::string>& boroughs)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no copy of the records to count figures from.");
    VIGIL_TRY(catchUpCopy());
    FigureRequest numbersOnly = request;
    numbersOnly.keepIncidentIds = false;
    return computeFiguresByBorough(m_rules->records().database(), numbersOnly, boroughs,
                                   m_diversity ? &*m_diversity : nullptr, m_outcomes ? &*m_outcomes : nullptr);
}

Result<std::vector<std::string>> SqlCipherServerStore::figureBoroughs(const std::string& from, const std::string& to)
{
    if (!m_rules)
        return makeError(ErrorCode::NotFound, "This server keeps no copy of the records to count figures from.");
    VIGIL_TRY(catchUpCopy());
    return boroughsWithFigures(m_rules->records().database(), from, to);
}

Status SqlCipherServerStore::auditFigures(const std::string& action, const std::string& userId,
                                          const std::string& deviceId, const nlohmann::json& detail, std::int64_t now)
{
    return appendServerAudit(serverEntry(now, userId.empty() ? m_auditActor : userId, action, userId, deviceId, {}, detail));
}

}  // namespace vigil::sync
