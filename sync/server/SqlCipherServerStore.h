#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_set>

#include "core/store/Database.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/OutcomeList.h"
#include "core/risk/SharingPolicy.h"
#include "sync/server/AccessRules.h"
#include "sync/server/RuleCheck.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

class PushAuthority;

/// ServerStore in one SQLCipher file (the default backend), keyed with the server key.
class SqlCipherServerStore final : public ServerStore {
public:
    /// Open (creating when `create`) and bring the schema up to date.
    [[nodiscard]] static Result<std::unique_ptr<SqlCipherServerStore>> open(const std::filesystem::path& file,
                                                                            std::span<const unsigned char> key,
                                                                            bool create);

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
    [[nodiscard]] Status issuePendingToken(const std::string& deviceId, const SecretHash& pendingHash,
                                           std::int64_t now) override;
    [[nodiscard]] Status confirmToken(const std::string& deviceId, const SecretHash& receiptHash, std::int64_t now) override;
    [[nodiscard]] Status expireDevice(const std::string& deviceId, std::int64_t now) override;
    [[nodiscard]] Result<std::string> incarnation() override;
    /// Where `vigil-admin migrate-store` moved this store (a sentence naming the PostgreSQL schema,
    /// server and time), or nothing. A moved store is not served again (openServerStore refuses
    /// it): changes would otherwise be split between two stores.
    [[nodiscard]] Result<std::optional<std::string>> movedTo();
    /// Record that this store was moved (`where`: the sentence movedTo gives back).
    [[nodiscard]] Status markMoved(const std::string& where);
    [[nodiscard]] Result<std::int64_t> lastSeq(const std::string& deviceId) override;
    /// After `vigil-admin restore` put a backup in place (the server stopped): a new incarnation,
    /// the op log's cursors and the devices' view numbers moved past any a device may hold, and
    /// the restore in the server's audit chain (docs/operations.md, "Backup and restore").
    [[nodiscard]] Status markRestored(std::int64_t now, const nlohmann::json& detail);
    [[nodiscard]] Result<WipeRecordOutcome> recordWipe(const std::string& deviceId, const SecretHash& receiptHash,
                                                       std::int64_t now, const std::string& reason,
                                                       const std::string& report) override;
    /// The whole access index (scope All, snapshots of it, tests).
    [[nodiscard]] Result<std::vector<IncidentAccess>> allAccess();
    /// The access index narrowed to what `user` might read (accessCandidates).
    [[nodiscard]] Result<std::vector<IncidentAccess>> accessFor(const UserInfo& user);
    /// The access index of the incidents matching `where` (SQL on `incidents`, `params` as ?1, ?2...).
    [[nodiscard]] Result<std::vector<IncidentAccess>> accessWhere(const std::string& where,
                                                                  const std::vector<std::string>& params);

    [[nodiscard]] Result<PushResponse> pushOps(const DeviceIdentity& who, const std::vector<Op>& ops,
                                               std::int64_t now) override;
    [[nodiscard]] Result<AttachmentState> attachment(const DeviceIdentity& who, const std::string& id) override;
    [[nodiscard]] Result<ChunkStored> storeAttachmentChunk(const DeviceIdentity& who, const AttachmentState& state,
                                                           std::int64_t index, std::span<const unsigned char> bytes,
                                                           std::int64_t now) override;
    [[nodiscard]] Result<std::optional<std::vector<unsigned char>>> attachmentChunk(const DeviceIdentity& who,
                                                                                    const AttachmentState& state,
                                                                                    std::int64_t index,
                                                                                    std::int64_t now) override;
    [[nodiscard]] Result<PullResponse> pullOps(const DeviceIdentity& who, const PullCursor& cursor, std::size_t limit,
                                               std::int64_t now) override;
    [[nodiscard]] Result<SnapshotPage> snapshotPage(const DeviceIdentity& who, const std::string& from, std::size_t limit,
                                                    std::size_t maxBytes, std::int64_t now) override;
    [[nodiscard]] Result<std::vector<FutureStamp>> futureStamps(std::int64_t aheadSeconds) override;
    [[nodiscard]] Result<int> bankHolidaysVersion() override;
    [[nodiscard]] Result<std::optional<BankHolidayImport>> bankHolidays() override;
    [[nodiscard]] Result<std::vector<BankHolidayImport>> bankHolidayImports() override;
    [[nodiscard]] Status addBankHolidays(const BankHolidayImport& list) override;
    [[nodiscard]] Result<StampRepair> repairStamps(std::int64_t aheadSeconds) override;

    [[nodiscard]] Result<FigureSet> figures(const FigureRequest& request) override;
    [[nodiscard]] Result<std::vector<std::string>> figureBoroughs(const std::string& from, const std::string& to) override;
    /// The figures of each of `boroughs` for `request` (numbers only), as computeFiguresByBorough
    /// counts them (a board report: the boroughs share their reads).
    [[nodiscard]] Result<std::vector<FigureSet>> figuresByBorough(const FigureRequest& request,
                                                                  const std::vector<std::string>& boroughs);
    [[nodiscard]] Status auditFigures(const std::string& action, const std::string& userId, const std::string& deviceId,
                                      const nlohmann::json& detail, std::int64_t now) override;

    [[nodiscard]] Database& database() noexcept { return *m_db; }

    /// Re-check every pushed change with the core rules (RuleCheck), keeping the materialised
    /// copy of the records in `recordsFile`. The server turns this on; vigil-admin does not.
    [[nodiscard]] Status enableRuleCheck(const std::filesystem::path& recordsFile, std::span<const unsigned char> key,
                                         const std::filesystem::path& modelDir);
    /// SQLite's page cache of the store and of its records copy (now or when enabled), each at
    /// most `megabytes`. Before enableRuleCheck, so a rebuild or catch-up at start has it too.
    [[nodiscard]] Status setPageCache(std::int64_t megabytes);
    /// How far ahead of the server's clock a pushed change may be stamped (default 10 minutes).
    void setClockTolerance(std::int64_t seconds) noexcept { m_clockTolerance = seconds; }
    /// The bytes one device may keep in the op log (`device_quota_mb`; 0: no quota). A push that
    /// would pass it is refused whole (error field "quota"), the team's pushes and pulls go on.
    void setDeviceQuota(std::int64_t bytes) noexcept { m_deviceQuota = bytes; }
    /// A pull page's byte budget (Limits::pullPageBytes, `pull_page_bytes`).
    void setPullPageBytes(std::size_t bytes) noexcept { m_pullPageBytes = bytes == 0 ? 1 : bytes; }

    /// Quarantine (issue 22): a device's ops are not served to any other device's pulls, nor in
    /// snapshots (which then answer 404: devices replay the op log, which leaves them out), and its
    /// pushes are refused whole (error field "quarantined"). Audited in the server's chain.
    [[nodiscard]] Status quarantineDevice(const std::string& deviceId, const std::string& reason,
                                          std::int64_t now) override;
    /// Release: its ops are served again; every device holding (or sent, or being sent) one of
    /// the incidents they touch gets those incidents again whole (`refresh`), so the ops it missed
    /// arrive. Returns how many deliveries were queued. Audited.
    [[nodiscard]] Result<std::int64_t> releaseDevice(const std::string& deviceId, std::int64_t now) override;
    [[nodiscard]] Result<std::vector<QuarantinedDevice>> quarantinedDevices() override;
    /// The bytes a device keeps in the op log, as its quota counts them.
    [[nodiscard]] Result<std::int64_t> deviceUsage(const std::string& deviceId);
    /// The authority policy the server enforces (loaded from the model folder by enableRuleCheck).
    [[nodiscard]] const AuthorityPolicy* authorityPolicy() const noexcept { return m_policy ? &*m_policy : nullptr; }
    /// The sharing allow-list for IDVAs the server applies to what it sends them (loaded from the
    /// model folder by enableRuleCheck; sharing-idva.json).
    [[nodiscard]] const SharingPolicy* idvaSharing() const noexcept { return m_idvaSharing ? &*m_idvaSharing : nullptr; }
    /// What police users receive of an IDVA's casework (sharing-police.json), loaded with it.
    [[nodiscard]] const SharingPolicy* policeSharing() const noexcept { return m_policeSharing ? &*m_policeSharing : nullptr; }
    void setAuditActor(std::string actor) override { m_auditActor = std::move(actor); }
    [[nodiscard]] Result<ServerAuditVerification> verifyAudit() override;
    [[nodiscard]] Result<std::vector<AuditTrailRow>> auditTrail(const AuditTrailFilter& filter) override;
    /// Append to the server's hash-chained log (in the caller's transaction, or in its own).
    [[nodiscard]] Status appendServerAudit(ServerAuditEntry entry);
    /// The chain hash of a server log entry (SHA-256, hex) over its stored columns and prev_hash.
    [[nodiscard]] static std::string serverAuditHash(const ServerAuditEntry& entry, const std::string& incidentsText,
                                                     const std::string& detailText);
    /// Device audit entries (`@append` ops of entity "audit") the server holds for a device.
    [[nodiscard]] Result<std::int64_t> auditEntryCount(const std::string& deviceId);

private:
    explicit SqlCipherServerStore(std::unique_ptr<Database> db) : m_db(std::move(db)) {}

    struct Access;
    /// The SQL behind the push's decisions (judgePush, sync/server/PushJudge.h).
    class Ledger;
    /// The SQL behind a pull page (servePullPage, sync/server/PullPage.h).
    class PullRows;
    [[nodiscard]] Result<std::optional<IncidentAccess>> loadAccess(const std::string& incidentId);
    /// A device's (confirmed, issued) view generations, when it has any (PullCursor).
    [[nodiscard]] Result<std::optional<std::pair<std::int64_t, std::int64_t>>> deviceView(const std::string& deviceId);
    /// The access index (restricted flag, access list, referral recipients, officer in the case)
    /// of these incidents, set from the records as merged in the copy, in the op log's transaction.
    [[nodiscard]] Status refreshAccess(const std::vector<AccessFacts>& facts);
    /// An active user (nullopt: none by that id, or deactivated).
    [[nodiscard]] Result<std::optional<UserInfo>> activeUser(const std::string& userId);
    /// The op ids the server holds from a device, in its op log or its kept refusals (under any seq).
    [[nodiscard]] Result<std::unordered_set<std::string>> heldOpIds(const std::string& deviceId);
    /// This device's chain holds entry `seq` with `hash` on the server (a branch after the device's
    /// store was restored from its own backup goes on from such an entry).
    [[nodiscard]] Result<bool> heldDeviceAuditEntry(const std::string& deviceId, std::int64_t seq, const std::string& hash);
    /// Append accepted ops to the op log, each under its incident (`incidents[i]` for `ops[i]`),
    /// its value as the JSON text `values[i]`.
    [[nodiscard]] Status logOps(const DeviceIdentity& who, const std::vector<Op>& ops,
                                const std::vector<std::string>& incidents, const std::vector<std::string>& values,
                                std::int64_t now);
    /// Add (or, negative, take back) bytes of a device's quota use.
    [[nodiscard]] Status addUsage(const std::string& deviceId, std::int64_t bytes);
    /// Keep the answer to a refused op, for a retry of the same batch.
    [[nodiscard]] Status keepRejection(const std::string& device, const std::string& opId, const OpRejection& rejection,
                                       std::int64_t now);
    /// Apply to `copy` every op of the log past `applied` (each device's highest seq the copy
    /// holds), in op log order.
    [[nodiscard]] Status replayIntoCopy(RuleCheck& copy, const std::map<std::string, std::int64_t>& applied);
    /// When a copy's commit failed after the op log's: bring it up to the op log again.
    [[nodiscard]] Status catchUpCopy();
    [[nodiscard]] Status applyPageCache(Database& db) const;
    /// The sharing policy that trims what `user` receives, or null when they receive whole
    /// incidents. An error when one should apply and this store has none to apply (fail closed).
    [[nodiscard]] Result<const SharingPolicy*> sharingFor(const UserInfo& user) const;
    /// The role of a user a row names as its author, for a sharing filter (nullopt: unknown).
    [[nodiscard]] std::optional<vigil::Role> roleOfUser(const std::string& userId);
    /// When the victims referred to a user on an incident change while they still see it, each of
    /// their devices holding it is sent it again whole (`refresh`), trimmed to the new share.
    [[nodiscard]] Status refreshChangedShares(const AccessFacts& facts,
                                              const std::vector<std::pair<std::string, std::string>>& before);
    /// Ops of the log (kOpLogColumns), with each one's incident in `incidents` when asked.
    [[nodiscard]] Result<std::vector<Op>> readOps(const std::string& sql, const std::function<void(Query&)>& bind,
                                                  std::int64_t* lastCursor = nullptr,
                                                  std::vector<std::string>* incidents = nullptr);

    std::unique_ptr<Database> m_db;
    std::string m_auditActor = "vigil-server";
    std::unique_ptr<RuleCheck> m_rules;
    bool m_copyBehind = false;  // the copy's last commit failed after the op log's
    std::int64_t m_cacheMb = 0;  // 0: SQLite's default
    std::optional<AuthorityPolicy> m_policy;
    std::optional<SharingPolicy> m_idvaSharing;
    std::optional<SharingPolicy> m_policeSharing;
    std::optional<DiversityCategories> m_diversity;  ///< the answers the figures count (rules-diversity.json)
    std::optional<OutcomeList> m_outcomes;  ///< the board category of each crime outcome (rules-outcomes.json)
    std::int64_t m_clockTolerance = 600;
    std::int64_t m_deviceQuota = 0;
    std::size_t m_pullPageBytes = Limits{}.pullPageBytes;
    std::string m_incarnation;  ///< read once (a restore happens with the server stopped)
};

}  // namespace vigil::sync
