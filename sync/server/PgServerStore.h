#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <unordered_set>
#include <span>
#include <string>
#include <vector>

#include "core/store/SecureBytes.h"
#include "sync/server/AccessRules.h"
#include "sync/server/PgConnection.h"
#include "sync/server/RuleCheck.h"
#include "sync/server/ServerRules.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// An op as the op log holds it: its cursor, the incident it was logged under, and the op
/// (its value opened with the server key).
struct LoggedOp {
    std::int64_t cursor = 0;
    std::string incidentId;
    Op op;
};

/// What appendOps did with a batch.
struct OpLogAppend {
    std::vector<std::int64_t> cursors;  ///< of the ops appended, in order
    std::int64_t duplicates = 0;        ///< ops already held under their (device, seq): nothing changed
    std::int64_t lastSeq = 0;           ///< the device's last seq decided, after the batch
};

/// Where a sealed value belongs (column and row), its associated data: a value moved elsewhere
/// does not open.
[[nodiscard]] std::string pgSealedAt(std::string_view column, std::string_view row);

/// ServerStore on PostgreSQL (libpq), for a force whose operators run PostgreSQL and several
/// vigil-server processes in front of one database (docs/postgresql.md). Ported so far: users,
/// enrolment codes, devices and credentials, the incarnation, the server's audit chain, the
/// bank-holiday lists, the op log's append (dedup by (device, seq)) and read by cursor, and pushes
/// (PgPush.cpp) judged on this server's own records copy. The rest answers with the interface's
/// "This server store cannot ..." errors until it is ported.
///
/// PostgreSQL holds no plaintext personal data: op values, display names, device names and wipe
/// reports are sealed with a key derived from the server key before they leave the process; ids,
/// seqs, cursors, hashes, roles and access facts stay clear so queries work.
class PgServerStore final : public ServerStore {
public:
    /// Connect, bring the schema up to date (each step in a transaction, under a lock, so several
    /// servers starting at once upgrade once) and derive the sealing key from `serverKey`.
    [[nodiscard]] static Result<std::unique_ptr<PgServerStore>> open(const PgSettings& settings,
                                                                     std::span<const unsigned char> serverKey);

    [[nodiscard]] Status addUser(const UserRecord& user) override;
    [[nodiscard]] Status updateUser(const UserRecord& user) override;
    [[nodiscard]] Result<std::optional<UserRecord>> findUser(const std::string& id) override;
    [[nodiscard]] Result<std::vector<UserRecord>> listUsers() override;

    [[nodiscard]] Status addEnrolCode(const EnrolCodeRecord& code) override;
    [[nodiscard]] Result<RedeemResult> redeemEnrolCode(const RedeemAttempt& attempt) override;

    [[nodiscard]] Result<std::optional<DeviceIdentity>> findDeviceByToken(const SecretHash& tokenHash) override;
    [[nodiscard]] Result<std::vector<DeviceRecord>> listDevices() override;
    [[nodiscard]] Status revokeDevice(const std::string& deviceId, std::int64_t now, bool wipe) override;
    [[nodiscard]] Status touchDevice(const std::string& deviceId, std::int64_t now) override;
    [[nodiscard]] Status setWipeReceipt(const std::string& deviceId, const SecretHash& receiptHash) override;
    [[nodiscard]] Result<WipeRecordOutcome> recordWipe(const std::string& deviceId, const SecretHash& receiptHash,
                                                       std::int64_t now, const std::string& reason,
                                                       const std::string& report) override;
    [[nodiscard]] Status issuePendingToken(const std::string& deviceId, const SecretHash& pendingHash,
                                           std::int64_t now) override;
    [[nodiscard]] Status confirmToken(const std::string& deviceId, const SecretHash& receiptHash, std::int64_t now) override;
    [[nodiscard]] Status expireDevice(const std::string& deviceId, std::int64_t now) override;
    [[nodiscard]] Result<std::string> incarnation() override;
    [[nodiscard]] Result<std::int64_t> lastSeq(const std::string& deviceId) override;

    [[nodiscard]] Result<int> bankHolidaysVersion() override;
    [[nodiscard]] Result<std::optional<BankHolidayImport>> bankHolidays() override;
    [[nodiscard]] Result<std::vector<BankHolidayImport>> bankHolidayImports() override;
    [[nodiscard]] Status addBankHolidays(const BankHolidayImport& list) override;

    /// Judge a batch exactly as the SQLCipher store does (judgePush, RuleCheck) and append what is
    /// accepted, in one transaction under the op log's lock: first this server's records copy is
    /// caught up from the shared op log, so authority and access are judged on every other
    /// server's commits too (docs/postgresql.md, "Several servers").
    [[nodiscard]] Result<PushResponse> pushOps(const DeviceIdentity& who, const std::vector<Op>& ops,
                                               std::int64_t now) override;

    /// Re-check every pushed change with the core rules (RuleCheck), keeping this server's own
    /// records copy in `recordsFile` (a local SQLCipher file under `key`, derived from the op log
    /// and rebuilt from it when it is lost or was never complete). Pushes need it.
    [[nodiscard]] Status enableRuleCheck(const std::filesystem::path& recordsFile, std::span<const unsigned char> key,
                                         const std::filesystem::path& modelDir);
    /// SQLite's page cache of this server's records copy (now, or when it is enabled), at most
    /// `megabytes` (0: SQLite's default). PostgreSQL's own cache is its operators' to set.
    [[nodiscard]] Status setPageCache(std::int64_t megabytes);
    /// How far ahead of the server's clock a pushed change may be stamped (default 10 minutes).
    void setClockTolerance(std::int64_t seconds) noexcept { m_clockTolerance = seconds; }
    /// The bytes one device may keep in the op log (0: no quota), as in the SQLCipher store.
    void setDeviceQuota(std::int64_t bytes) noexcept { m_deviceQuota = bytes; }
    /// A pull page's byte budget (Limits::pullPageBytes).
    void setPullPageBytes(std::size_t bytes) noexcept { m_pullPageBytes = bytes == 0 ? 1 : bytes; }
    /// The bytes a device keeps in the op log, as its quota counts them.
    [[nodiscard]] Result<std::int64_t> deviceUsage(const std::string& deviceId);
    /// Bring this server's records copy up to the end of the shared op log (pushes do it under
    /// the op log's lock; readers of the copy without it). The cursor it has reached.
    [[nodiscard]] Result<std::int64_t> catchUpCopy();
    /// The records copy (null before enableRuleCheck).
    [[nodiscard]] RuleCheck* recordsCopy() noexcept { return m_rules.get(); }
    /// The whole access index (scope All, snapshots of it, tests).
    [[nodiscard]] Result<std::vector<IncidentAccess>> allAccess();
    /// The access index narrowed to what `user` might read (accessCandidates).
    [[nodiscard]] Result<std::vector<IncidentAccess>> accessFor(const UserInfo& user);
    /// The access index of the incidents matching `where` (SQL on `incidents`, with `params`).
    [[nodiscard]] Result<std::vector<IncidentAccess>> accessWhere(const std::string& where,
                                                                  const std::vector<PgParam>& params);

    /// A pull page as the SQLCipher store serves it (servePullPage): the view the cursor names
    /// confirmed, history of incidents newly in view, `forget`, `refresh`, sharing filters (the
    /// records copy caught up first), the disclosure logged. Pulls of one device take turns
    /// across servers (an advisory lock per device).
    [[nodiscard]] Result<PullResponse> pullOps(const DeviceIdentity& who, const PullCursor& cursor, std::size_t limit,
                                               std::int64_t now) override;

    /// A snapshot page from this server's records copy (serveSnapshotPage), the copy caught up to
    /// the op log's end once the snapshot's position is fixed. NotFound without a copy, or while a
    /// device is quarantined (devices then replay the op log).
    [[nodiscard]] Result<SnapshotPage> snapshotPage(const DeviceIdentity& who, const std::string& from, std::size_t limit,
                                                    std::size_t maxBytes, std::int64_t now) override;

    /// Photos (PgPhotos.cpp): as the SQLCipher store's (describePhoto, WholePhotoCheck), each chunk
    /// sealed. Two uploads of one photo through two servers take turns on its row.
    [[nodiscard]] Result<AttachmentState> attachment(const DeviceIdentity& who, const std::string& id) override;
    [[nodiscard]] Result<ChunkStored> storeAttachmentChunk(const DeviceIdentity& who, const AttachmentState& state,
                                                           std::int64_t index, std::span<const unsigned char> bytes,
                                                           std::int64_t now) override;
    [[nodiscard]] Result<std::optional<std::vector<unsigned char>>> attachmentChunk(const DeviceIdentity& who,
                                                                                    const AttachmentState& state,
                                                                                    std::int64_t index,
                                                                                    std::int64_t now) override;

    /// The figures over this server's records copy, caught up first (as the SQLCipher store's).
    [[nodiscard]] Result<FigureSet> figures(const FigureRequest& request) override;
    [[nodiscard]] Result<std::vector<std::string>> figureBoroughs(const std::string& from, const std::string& to) override;
    /// Each borough's figures, the boroughs' reads shared (a board report).
    [[nodiscard]] Result<std::vector<FigureSet>> figuresByBorough(const FigureRequest& request,
                                                                  const std::vector<std::string>& boroughs);

    // What vigil-admin does to the op log (PgOpLogAdmin.cpp), as the SQLCipher store does it.
    [[nodiscard]] Result<std::vector<FutureStamp>> futureStamps(std::int64_t aheadSeconds) override;
    /// Re-stamp and queue the incidents to be sent again whole; every server's records copy is
    /// then stale: the copies' epoch (server_meta `copy_epoch`) moves on, and each server rebuilds
    /// its copy when it next starts (docs/postgresql.md: restart every server after a repair).
    [[nodiscard]] Result<StampRepair> repairStamps(std::int64_t aheadSeconds) override;
    [[nodiscard]] Status quarantineDevice(const std::string& deviceId, const std::string& reason,
                                          std::int64_t now) override;
    [[nodiscard]] Result<std::int64_t> releaseDevice(const std::string& deviceId, std::int64_t now) override;
    [[nodiscard]] Result<std::vector<QuarantinedDevice>> quarantinedDevices() override;
    /// The trail of a record, person or user: the server's chain and the devices' (AuditTrailBuilder).
    [[nodiscard]] Result<std::vector<AuditTrailRow>> auditTrail(const AuditTrailFilter& filter) override;
    /// Device audit entries (`@append` ops of entity "audit") the server holds for a device.
    [[nodiscard]] Result<std::int64_t> auditEntryCount(const std::string& deviceId);
    /// After a restore of the database from a backup (servers stopped): a new incarnation, the op
    /// log's cursors and the devices' view numbers moved past any a device may hold, and the
    /// restore in the server's chain (as SqlCipherServerStore::markRestored).
    [[nodiscard]] Status markRestored(std::int64_t now, const nlohmann::json& detail);

    void setAuditActor(std::string actor) override { m_auditActor = std::move(actor); }
    [[nodiscard]] Result<ServerAuditVerification> verifyAudit() override;
    [[nodiscard]] Status auditFigures(const std::string& action, const std::string& userId, const std::string& deviceId,
                                      const nlohmann::json& detail, std::int64_t now) override;
    /// Append to the server's hash-chained log (in the caller's transaction, or in its own). The
    /// chain is one for every server on the database: an advisory lock orders the appends.
    [[nodiscard]] Status appendServerAudit(ServerAuditEntry entry);

    /// Append a device's ops to the op log in one transaction, each under its incident
    /// (`incidents[i]` for `ops[i]`), deduplicated by (device, seq): an op under a seq already
    /// decided is a duplicate when it is the same op (same op id), and refuses the batch whole
    /// otherwise; a batch that does not go on from the device's last seq is refused whole too
    /// (error field "sequence"). Cursors are handed out under a transaction-scoped advisory lock
    /// held until commit, so cursor order is commit order (docs/postgresql.md, "Pull cursor").
    /// No access or authority check: pushOps, when ported, judges first and then appends here.
    [[nodiscard]] Result<OpLogAppend> appendOps(const DeviceIdentity& who, const std::vector<Op>& ops,
                                                const std::vector<std::string>& incidents, std::int64_t now);
    /// At most `limit` ops of the log after `cursor`, in cursor order. A reader that moves its
    /// cursor to the last one returned never passes an op that commits later.
    [[nodiscard]] Result<std::vector<LoggedOp>> opsAfter(std::int64_t cursor, std::size_t limit);

    /// The schema version the database is at.
    [[nodiscard]] Result<int> schemaVersion();
    /// The connection (tests look at what PostgreSQL holds; they hold commits open).
    [[nodiscard]] PgConnection& connection() noexcept { return *m_conn; }

    /// The schema version this code brings a database to.
    static constexpr int kSchemaVersion = 8;

    /// Seal `plain` for where it belongs (pgSealedAt: column and row), and open a sealed value
    /// again; a value that does not open is Corrupt. Every method seals through these;
    /// `vigil-admin migrate-store` (StoreMigration.cpp) writes and reads every table's rows itself.
    [[nodiscard]] std::vector<unsigned char> seal(std::string_view plain, std::string_view where) const;
    [[nodiscard]] Result<std::string> unseal(std::span<const unsigned char> sealed, std::string_view where) const;

private:
    PgServerStore(std::unique_ptr<PgConnection> conn, SecureBytes sealKey);

    [[nodiscard]] Result<UserRecord> readUser(const PgResult& r, int row, int first) const;
    [[nodiscard]] Result<DeviceRecord> readDevice(const PgResult& r, int row, int first) const;
    [[nodiscard]] Result<std::string> deviceOwner(const std::string& deviceId);

    /// The SQL behind judgePush (sync/server/PushJudge.h), in the push's transaction (PgPush.cpp).
    class Ledger;
    /// The SQL behind servePullPage (sync/server/PullPage.h), in the pull's transaction (PgPull.cpp).
    class PullRows;
    [[nodiscard]] std::optional<vigil::Role> roleOfUser(const std::string& userId);
    /// Append one op under the next cursor (the op log's lock held); its cursor.
    [[nodiscard]] Result<std::int64_t> insertOp(const DeviceIdentity& who, const Op& op, const std::string& incidentId,
                                                const std::string& valueText, std::int64_t now);
    /// One op to append with insertOps.
    struct OpToLog {
        const Op* op = nullptr;
        const std::string* incidentId = nullptr;
        const std::string* valueText = nullptr;
    };
    /// Append ops under the next cursors, in order (the op log's lock held), in a few statements
    /// (the cursors taken together, then multi-row INSERTs); their cursors.
    [[nodiscard]] Result<std::vector<std::int64_t>> insertOps(const DeviceIdentity& who, const std::vector<OpToLog>& ops,
                                                              std::int64_t now);
    [[nodiscard]] Result<std::optional<IncidentAccess>> loadAccess(const std::string& incidentId);
    [[nodiscard]] Result<std::optional<UserInfo>> activeUser(const std::string& userId);
    [[nodiscard]] Result<const SharingPolicy*> sharingFor(const UserInfo& user) const;
    [[nodiscard]] Status keepRejection(const std::string& device, const std::string& opId, const OpRejection& rejection,
                                       std::int64_t now);
    /// The access index of these incidents from the records as merged in the copy.
    [[nodiscard]] Status refreshAccess(const std::vector<AccessFacts>& facts);
    [[nodiscard]] Status refreshChangedShares(const AccessFacts& facts,
                                              const std::vector<std::pair<std::string, std::string>>& before);
    [[nodiscard]] Status addUsage(const std::string& deviceId, std::int64_t bytes);
    /// Where this server's copy stands in the op log when it opens: before the first op of any
    /// device it lacks (the copy keeps each device's highest seq), else at the log's end.
    [[nodiscard]] Result<std::int64_t> copyStart();

    std::unique_ptr<PgConnection> m_conn;
    SecureBytes m_sealKey;
    std::string m_auditActor = "vigil-server";
    std::string m_incarnation;
    std::int64_t m_auditLock = 0;
    std::int64_t m_opLogLock = 0;
    std::int64_t m_bankHolidaysLock = 0;
    std::optional<ServerRules> m_ruleFiles;  ///< loaded by enableRuleCheck
    std::unique_ptr<RuleCheck> m_rules;      ///< this server's records copy
    std::int64_t m_copyCursor = 0;           ///< the op log's cursor the copy holds every op up to
    bool m_copyStarting = false;             ///< catching up at start (logged at info)
    std::int64_t m_clockTolerance = 600;
    std::int64_t m_cacheMb = 0;
    std::int64_t m_deviceQuota = 0;
    std::size_t m_pullPageBytes = Limits{}.pullPageBytes;
};

}  // namespace vigil::sync
