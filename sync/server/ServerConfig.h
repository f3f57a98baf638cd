#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/common/Result.h"
#include "core/records/DevicePolicy.h"
#include "sync/protocol/Protocol.h"
#include "sync/server/RateLimiter.h"

namespace vigil::sync {

/// vigil-server's configuration: a JSON file, every key optional (defaults below, also in
/// docs/operations.md). Relative paths are taken from `data_dir`, itself relative to the
/// folder holding the config file. Unknown keys are refused, so a typo is never silent.
struct ServerConfig {
    std::string listenAddress = "127.0.0.1";  ///< "listen_address"
    std::uint16_t port = 8443;                ///< "port"; 0 = any free port (tests)
    std::string publicHost;                   ///< "public_host": put in enrolment codes; default listen address
    std::uint16_t publicPort = 0;             ///< "public_port": default the port
    std::filesystem::path dataDir;            ///< "data_dir": default the config file's folder
    /// "store": where the server keeps its state: "sqlcipher" (the default: one encrypted file,
    /// `database`) or "postgresql" (a force's database, shared by several servers:
    /// docs/postgresql.md). With PostgreSQL, `database` names this server's own records copy's
    /// file (`<database>.records`) and its lock, nothing else.
    std::string store = "sqlcipher";
    /// "postgresql_conninfo": a libpq connection string without a password ("host=db.force
    /// dbname=vigil user=vigil"); required with "store": "postgresql".
    std::string postgresqlConninfo;
    /// "postgresql_password_file": the password, in a file of mode 0600 owned by the server's user
    /// (or the systemd credential vigil-server.pgpass); "" for none.
    std::filesystem::path postgresqlPasswordFile;
    /// "postgresql_schema": the schema the tables live in.
    std::string postgresqlSchema = "vigil";
    [[nodiscard]] bool onPostgresql() const noexcept { return store == "postgresql"; }
    std::filesystem::path database = "vigil-server.db";  ///< "database"
    std::filesystem::path keyFile = "server.key";        ///< "key_file" (mode 0600)
    std::filesystem::path tlsCertificate = "tls/cert.pem";  ///< "tls_certificate"
    std::filesystem::path tlsKey = "tls/key.pem";           ///< "tls_key" (mode 0600)
    std::filesystem::path portFile;           ///< "port_file": write the bound port here
    bool tls13Only = false;                   ///< "tls13_only": else TLS 1.2 is the minimum
    std::chrono::seconds handshakeTimeout{10};  ///< "handshake_timeout_seconds"
    std::chrono::seconds requestTimeout{30};    ///< "request_timeout_seconds"
    std::chrono::seconds idleTimeout{60};       ///< "idle_timeout_seconds" (keep-alive)
    std::size_t maxConnections = 256;           ///< "max_connections"
    /// "max_connections_per_address": open connections from one address (an IPv6 /64); more
    /// are closed at accept, before any TLS work. 0 = only the global cap.
    std::size_t maxConnectionsPerAddress = 32;
    /// "store_cache_mb": SQLite's page cache for each of the server's two store files (the op
    /// log and the records copy). Pages in it are read without decrypting them again.
    std::int64_t storeCacheMb = 384;
    Limits limits;                              ///< "max_header_bytes", "max_body_bytes", "max_decoded_body_bytes", "pull_page_bytes"
    std::string logLevel = "info";              ///< "log_level": debug | info | warn | error
    /// "device_rate_per_second", "device_rate_burst": each device's token bucket (0 = no limit).
    /// Generous: a first sync of a large store is many pages in a row.
    RateLimit deviceRate{50, 1000};
    /// "address_rate_per_second", "address_rate_burst": requests without a credential
    /// (enrolment, wipe reports), per network address.
    RateLimit addressRate{1, 30};
    /// "auth_failures_per_address", "auth_failure_window_seconds": requests with no, a
    /// malformed or an unknown device credential from one address (an IPv6 /64). After that
    /// many in a row, every request from the address that needs a credential gets 429 before
    /// any store work; one more is allowed per window/N seconds (a token bucket). 0 = no limit.
    std::int64_t authFailuresPerAddress = 20;
    std::int64_t authFailureWindowSeconds = 60;
    [[nodiscard]] RateLimit authFailureRate() const
    {
        if (authFailuresPerAddress <= 0)
            return {};
        return {static_cast<double>(authFailuresPerAddress) / static_cast<double>(authFailureWindowSeconds),
                static_cast<double>(authFailuresPerAddress)};
    }
    /// "metrics_enabled", "metrics_listen_address", "metrics_port": GET /metrics in plain
    /// HTTP on a separate listener that must be a loopback address (docs/operations.md).
    bool metricsEnabled = true;
    std::string metricsListenAddress = "127.0.0.1";
    std::uint16_t metricsPort = 9464;           ///< 0 = any free port (tests)
    std::filesystem::path metricsPortFile;      ///< "metrics_port_file": write the bound port here
    /// "risk_model_dir": the risk models and rules the server checks with. "" (the default) is
    /// the folder shipped with these programs (core/risk/RiskModelDir.h: /usr/share/vigil/risk-models
    /// when installed); loadServerConfig puts the folder found here, so resolve() gives it.
    std::string riskModelDir;
    /// "clock_tolerance_seconds": how far ahead of the server's clock a pushed change may be
    /// stamped; later stamps are refused ("This device's clock is 3 days ahead ...").
    std::int64_t clockToleranceSeconds = 600;
    /// "max_auto_lock_minutes": the administrator's policy, sent to every device in its pull
    /// answers: the longest a device stays unlocked untouched (1-60; users may choose less).
    std::int64_t maxAutoLockMinutes = vigil::kDefaultMaxAutoLockMinutes;
    /// "device_quota_mb": what one device may keep in the op log, in MiB (0 = no quota). A push
    /// that would pass it is refused whole (507 quota_exceeded) with words; nothing is lost (the
    /// changes stay on the device) and the rest of the team syncs as before. A busy officer's
    /// year of casework is a few MB; the default leaves room for a career.
    std::int64_t deviceQuotaMb = 512;
    /// "token_rotation_days": a device's credential is replaced after this many days in use (the
    /// device fetches the new one; the old one works until the device has used the new one).
    /// 0 = never.
    std::int64_t tokenRotationDays = 7;
    /// "device_expiry_days": a device that has not been in contact for this many days has its
    /// credential expired (refused with words saying how to re-enrol; never wiped). 0 = never.
    std::int64_t deviceExpiryDays = 30;
    /// "clock_offset_seconds": added to the server's clock (tests and drills: "30 days later"
    /// without waiting). Leave 0 in service.
    std::int64_t clockOffsetSeconds = 0;

    /// Absolute form of a configured path.
    [[nodiscard]] std::filesystem::path resolve(const std::filesystem::path& p) const;
    /// The host and port devices should use (enrolment codes).
    [[nodiscard]] std::string advertisedHost() const { return publicHost.empty() ? listenAddress : publicHost; }
    [[nodiscard]] std::uint16_t advertisedPort() const { return publicPort != 0 ? publicPort : port; }
};

/// The name of the config file inside a data folder made by `vigil-admin init`.
inline constexpr const char* kConfigFileName = "server.json";
/// The systemd credential name for the server key ($CREDENTIALS_DIRECTORY/<name>).
inline constexpr const char* kKeyCredentialName = "vigil-server.key";

/// Read and check a config file. Errors name the key and say what is allowed.
[[nodiscard]] Result<ServerConfig> loadServerConfig(const std::filesystem::path& file);
/// The config as JSON with every key (what `vigil-admin init` writes).
[[nodiscard]] std::string defaultConfigText(const ServerConfig& config);

}  // namespace vigil::sync
