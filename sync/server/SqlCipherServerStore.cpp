#include "sync/server/SqlCipherServerStore.h"

#include <array>

#include "core/store/Migrations.h"
#include "core/store/SecureBytes.h"

namespace vigil::sync {

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

constexpr std::array kSteps = {
    Migration{1, "users, devices, enrolment codes", &v1Accounts},
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

constexpr const char* kDeviceColumns = "d.id, d.user_id, d.name, d.enrolled_at, d.revoked_at, d.wipe, d.last_seen_at";

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
    return std::unique_ptr<SqlCipherServerStore>(new SqlCipherServerStore(std::move(db).value()));
}

Status SqlCipherServerStore::addUser(const UserRecord& user)
{
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
    return bindUser(*q, user).run();
}

Status SqlCipherServerStore::updateUser(const UserRecord& user)
{
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
    if (m_db->changes() == 0)
        return makeError(ErrorCode::NotFound, "There is no user with id " + user.info.id + ". See `user list`.", "id");
    return {};
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
    return q->bind(1, code.id)
        .bind(2, code.userId)
        .bindBlob(3, code.secretHash)
        .bind(4, code.createdAt)
        .bind(5, code.expiresAt)
        .bind(6, code.maxTries)
        .run();
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
        auto dev = m_db->prepare("INSERT INTO devices (id, user_id, name, token_hash, enrolled_at, last_seen_at) "
                                 "VALUES (?,?,?,?,?,?);");
        if (!dev)
            return std::move(dev).error();
        VIGIL_TRY(dev->bind(1, attempt.newDevice.id)
                      .bind(2, userId)
                      .bind(3, attempt.newDevice.name)
                      .bindBlob(4, attempt.tokenHash)
                      .bind(5, attempt.now)
                      .bind(6, attempt.now)
                      .run());
        auto use = m_db->prepare("UPDATE enrol_codes SET used_at = ?, device_id = ? WHERE id = ? AND used_at IS NULL;");
        if (!use)
            return std::move(use).error();
        VIGIL_TRY(use->bind(1, attempt.now).bind(2, attempt.newDevice.id).bind(3, attempt.codeId).run());
        if (m_db->changes() != 1)
            return makeError(ErrorCode::Busy, "The enrolment code was used at the same moment; try a new code.");
        result.outcome = RedeemOutcome::Enrolled;
        result.user = std::move(*user);
        return {};
    });
    if (!done.ok())
        return std::move(done).error();
    return result;
}

Result<std::optional<DeviceIdentity>> SqlCipherServerStore::findDeviceByToken(const SecretHash& tokenHash)
{
    auto q = m_db->prepare(std::string("SELECT ") + kDeviceColumns + ", u." + "id, u.display_name, u.role, u.team, "
                           "u.borough, u.scope, u.restricted_clearance, u.active, u.created_at, u.updated_at "
                           "FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = ?;");
    if (!q)
        return std::move(q).error();
    q->bindBlob(1, tokenHash);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<DeviceIdentity>();
    return std::optional<DeviceIdentity>(DeviceIdentity{readDevice(*q, 0), readUser(*q, 7)});
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
    auto q = m_db->prepare("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?), wipe = MAX(wipe, ?) WHERE id = ?;");
    if (!q)
        return std::move(q).error();
    VIGIL_TRY(q->bind(1, now).bind(2, wipe ? 1 : 0).bind(3, deviceId).run());
    if (m_db->changes() == 0)
        return makeError(ErrorCode::NotFound, "There is no device with id " + deviceId + ". See `device list`.", "id");
    return {};
}

Status SqlCipherServerStore::touchDevice(const std::string& deviceId, std::int64_t now)
{
    auto q = m_db->prepare("UPDATE devices SET last_seen_at = ? WHERE id = ?;");
    if (!q)
        return std::move(q).error();
    return q->bind(1, now).bind(2, deviceId).run();
}

}  // namespace vigil::sync
