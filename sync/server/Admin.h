#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/figures/Figures.h"
#include "sync/common/TlsIdentity.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// What `vigil-admin init` makes.
struct InitOptions {
    std::filesystem::path dataDir;
    std::string listenAddress = "127.0.0.1";
    std::uint16_t port = 8443;
    std::string publicHost;                       ///< for enrolment codes; default listenAddress
    std::optional<std::filesystem::path> certFile;  ///< use this certificate instead of a self-signed one
    std::optional<std::filesystem::path> keyFile;   ///< … with this key
    CertificateNames names;                       ///< SANs of the self-signed certificate
};

struct InitResult {
    std::filesystem::path configFile;
    SpkiPin pin{};
};

/// Create a server folder: the folder (0700), server key (0600), TLS key (0600) and
/// certificate (self-signed P-256, or copies of the given pair), server.json, and the
/// encrypted store. Refuses to touch a folder that already holds a server.
[[nodiscard]] Result<InitResult> initServer(const InitOptions& options);

/// Set up the server an existing configuration describes (the packaged /etc/vigil/server.json):
/// the server key, TLS identity (options.certFile/keyFile, or self-signed with options.names plus the
/// configured listen address and public host) and store, in its data_dir, which must exist. The
/// configuration is left as it is; `options.dataDir`, listen address, port and public host are not
/// used. Refuses when any of those files exists already.
[[nodiscard]] Result<InitResult> initServerFromConfig(const std::filesystem::path& configFile, const InitOptions& options);

/// A new one-time code, with its secret in clear exactly once (to print).
struct CreatedCode {
    EnrolmentCode code;
    std::int64_t expiresAt = 0;
    int tries = 0;
};

/// What `vigil-admin bank-holidays import` did.
struct BankHolidayImportResult {
    BankHolidayImport stored;
    /// The list it replaces for devices: "the server's list (version 2, 2006 to 2028)" or "the list
    /// shipped with Vigil (version 1, 2006 to 2028)".
    std::string replaces;
    std::vector<std::string> added;    ///< "2027-06-07 (Coronation)", dates it adds
    std::vector<std::string> removed;  ///< dates it drops (only with allowRemovals)
};

/// What `vigil-admin backup` wrote.
struct BackupResult {
    std::filesystem::path file;
    std::string sha256;          ///< hex, of the file as written
    std::int64_t bytes = 0;
    std::int64_t opLogCursor = 0;   ///< the highest op-log position it holds
    std::int64_t auditEntries = 0;  ///< entries of the server's audit chain it holds (checked intact)
};

/// What `vigil-admin restore` did.
struct RestoreResult {
    std::filesystem::path keptAside;  ///< where the store that was replaced now is
    std::string incarnation;          ///< the restored store's new incarnation
    std::int64_t opLogCursor = 0;
    std::int64_t auditEntries = 0;
};

/// Put a backup made by `vigil-admin backup` in place of the store named by `configFile`
/// (docs/operations.md, "Backup and restore"). Only with vigil-server stopped (the store lock).
/// The backup is checked first (it opens with the server key; its audit chain is intact); the
/// store it replaces is kept aside, never deleted; the records copy is removed (the server
/// rebuilds it from the op log at start); the restored store gets a new incarnation, op-log
/// cursors above any a device holds, and a `store_restored` entry in its audit chain, made by
/// `actor`.
[[nodiscard]] Result<RestoreResult> restoreServer(const std::filesystem::path& configFile,
                                                  const std::filesystem::path& backupFile, const std::string& actor,
                                                  Clock clock = systemClock());

/// What `vigil-admin report` counts: each borough's figures (exact: the caller publishes them)
/// over the server's copy of every record.
struct ReportFigures {
    std::vector<FigureSet> boroughs;  ///< one per borough, in the order asked (or by name)
    /// "stopped": the copy was brought up to the op log first, as vigil-server does at start;
    /// "running": read from the copy the running server keeps.
    std::string server;
};

/// Provisioning operations on a server folder (vigil-admin's engine; tests use it too).
/// Works directly on the store, also while vigil-server runs (SQLite WAL, busy timeout).
class AdminSession {
public:
    /// Open the store named by a server configuration file.
    [[nodiscard]] static Result<std::unique_ptr<AdminSession>> open(const std::filesystem::path& configFile,
                                                                    Clock clock = systemClock());

    [[nodiscard]] const ServerConfig& config() const noexcept { return m_config; }
    [[nodiscard]] const SpkiPin& pin() const noexcept { return m_pin; }

    [[nodiscard]] Status addUser(UserRecord user);
    [[nodiscard]] Status updateUser(const UserRecord& user);
    [[nodiscard]] Result<std::optional<UserRecord>> findUser(const std::string& id);
    [[nodiscard]] Result<std::vector<UserRecord>> listUsers();

    /// A code for `userId`, valid for `lifetime` (1 s to 24 h) and `tries` wrong
    /// attempts (1 to 10). `host`/`port` override the advertised server address.
    [[nodiscard]] Result<CreatedCode> createEnrolCode(const std::string& userId, std::chrono::seconds lifetime,
                                                      int tries, const std::string& host = {},
                                                      std::uint16_t port = 0);

    [[nodiscard]] Result<std::vector<DeviceRecord>> listDevices();
    [[nodiscard]] Status revokeDevice(const std::string& deviceId, bool wipe);

    /// Hold a device's ops back from every other device and refuse its pushes (issue 22: one bad
    /// device cannot stop a team); works while vigil-server runs. `reason` is kept and audited.
    [[nodiscard]] Status quarantineDevice(const std::string& deviceId, const std::string& reason)
    {
        return m_store->quarantineDevice(deviceId, reason, now());
    }
    /// Serve them again: the incidents they touch are sent again whole to the devices holding
    /// them. The number of deliveries queued. Audited.
    [[nodiscard]] Result<std::int64_t> releaseDevice(const std::string& deviceId)
    {
        return m_store->releaseDevice(deviceId, now());
    }
    [[nodiscard]] Result<std::vector<QuarantinedDevice>> quarantinedDevices() { return m_store->quarantinedDevices(); }

    /// Ops in the log stamped more than `aheadSeconds` after they arrived.
    [[nodiscard]] Result<std::vector<FutureStamp>> futureStamps(std::int64_t aheadSeconds);
    /// Re-stamp them at their arrival, queue their incidents to be sent again whole to every
    /// device holding them, and discard the server's records copy (rebuilt at the next start).
    /// Only with vigil-server stopped: Busy while it runs.
    [[nodiscard]] Result<StampRepair> repairStamps(std::int64_t aheadSeconds);

    /// Check the bank-holiday list in `file` with the core's own parser (WorkingDays::parse, the
    /// one devices use) and keep it in the store, to be handed to every device at its next sync.
    /// Refused, with nothing changed, when it is malformed; when its version is not above both the
    /// server's list and the list shipped with this build; when it covers fewer dates than either;
    /// and, unless `allowRemovals`, when it drops a date the list it replaces holds. `importedBy`
    /// (the account that ran vigil-admin) is kept with it, and a log line written.
    [[nodiscard]] Result<BankHolidayImportResult> importBankHolidays(const std::filesystem::path& file,
                                                                     bool allowRemovals, const std::string& importedBy);
    /// The list devices receive (nullopt: none imported, devices use their shipped list).
    [[nodiscard]] Result<std::optional<BankHolidayImport>> bankHolidays();
    /// Every import, newest first.
    [[nodiscard]] Result<std::vector<BankHolidayImport>> bankHolidayImports();

    /// A consistent copy of the store in `out` (a new file, mode 0600, encrypted with the server
    /// key), taken with SQLite's online backup while the server runs; then opened and its audit
    /// chain checked. The records copy is not copied: the server rebuilds it after a restore.
    [[nodiscard]] Result<BackupResult> backup(const std::filesystem::path& out);

    /// The figures of `boroughs` (none: every borough with a received incident in the period)
    /// for `from` to `to` (ISO dates, both days included) over the server's records copy, with the
    /// code devices run (issue 25). While vigil-server runs the copy is read on a connection of
    /// its own; when it is stopped the copy is first brought up to the op log (rebuilt when lost,
    /// its figures derived again when older than this code), as the server does at start.
    [[nodiscard]] Result<ReportFigures> reportFigures(const std::string& from, const std::string& to,
                                                      const std::vector<std::string>& boroughs);
    /// Record in the server's audit chain that a board report was written (`figures_reported`:
    /// the period, the boroughs, the files and their SHA-256; never a count).
    [[nodiscard]] Status auditReport(const nlohmann::json& detail) { return m_store->auditFigures("figures_reported", "", "", detail, now()); }

    /// Who this session's changes are recorded as in the server's audit chain (the OS account
    /// that ran vigil-admin, and who used sudo).
    void setActor(const std::string& actor) { m_store->setAuditActor(actor); }
    /// Walk the server's audit chain (`vigil-admin audit verify`).
    [[nodiscard]] Result<ServerAuditVerification> verifyAudit() { return m_store->verifyAudit(); }
    /// One record's, person's or user's trail in a period (`vigil-admin audit export`).
    [[nodiscard]] Result<std::vector<AuditTrailRow>> auditTrail(const AuditTrailFilter& filter)
    {
        return m_store->auditTrail(filter);
    }

private:
    AdminSession(ServerConfig config, std::unique_ptr<ServerStore> store, SecureBytes key, SpkiPin pin, Clock clock);
    [[nodiscard]] std::int64_t now() const;

    ServerConfig m_config;
    std::unique_ptr<ServerStore> m_store;
    SecretHasher m_hasher;
    SecureBytes m_key;  ///< the store key, for a backup's own connection
    SpkiPin m_pin;
    Clock m_clock;
};

/// Check the fields of a user an administrator typed; the error names the field.
[[nodiscard]] Status validateUser(const UserRecord& user);

}  // namespace vigil::sync
