#include "sync/server/ServerConfig.h"

#include <fstream>
#include <set>
#include <sstream>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "core/risk/RiskModelDir.h"

namespace vigil::sync {

namespace {

Error configError(const std::filesystem::path& file, const std::string& key, const std::string& what)
{
    return makeError(ErrorCode::InvalidArgument,
                     "In " + file.string() + ": \"" + key + "\" " + what + ". Fix the file and start again.", key);
}

}  // namespace

std::filesystem::path ServerConfig::resolve(const std::filesystem::path& p) const
{
    if (p.empty() || p.is_absolute())
        return p;
    return dataDir / p;
}

Result<ServerConfig> loadServerConfig(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in) {
        return makeError(ErrorCode::NotFound, "Cannot read the configuration file " + file.string()
                                                  + ". Check the path, or create one with `vigil-admin init`.");
    }
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, false, /*ignore_comments=*/true);
    if (json.is_discarded() || !json.is_object()) {
        return makeError(ErrorCode::InvalidArgument,
                         "The configuration file " + file.string() + " is not a JSON object. Fix its syntax.");
    }

    ServerConfig config;
    std::error_code ec;
    const auto folder = std::filesystem::absolute(file, ec).parent_path();
    config.dataDir = folder;

    static const std::set<std::string> known = {
        "listen_address", "port", "public_host", "public_port", "data_dir", "database", "key_file",
        "tls_certificate", "tls_key", "port_file", "tls13_only", "handshake_timeout_seconds",
        "request_timeout_seconds", "idle_timeout_seconds", "max_connections", "max_connections_per_address",
        "auth_failures_per_address", "auth_failure_window_seconds", "max_header_bytes",
        "max_body_bytes", "max_decoded_body_bytes", "max_ops_per_push", "pull_page_bytes", "snapshot_page_bytes", "device_quota_mb", "store_cache_mb", "clock_tolerance_seconds",
        "max_auto_lock_minutes", "log_level", "risk_model_dir", "device_rate_per_second",
        "device_rate_burst", "address_rate_per_second", "address_rate_burst", "metrics_enabled",
        "metrics_listen_address", "metrics_port", "metrics_port_file", "token_rotation_days", "device_expiry_days",
        "clock_offset_seconds", "store", "postgresql_conninfo", "postgresql_password_file", "postgresql_schema"};
    for (const auto& [key, value] : json.items()) {
        if (!known.count(key))
            return configError(file, key, "is not a setting vigil-server knows (see docs/operations.md)");
    }

    const auto text_ = [&](const char* key, auto& out) -> Status {
        auto it = json.find(key);
        if (it == json.end())
            return {};
        if (!it->is_string())
            return configError(file, key, "must be text");
        out = it->template get<std::string>();
        return {};
    };
    const auto number = [&](const char* key, std::int64_t min, std::int64_t max, auto& out) -> Status {
        auto it = json.find(key);
        if (it == json.end())
            return {};
        if (!it->is_number_integer() || it->template get<std::int64_t>() < min || it->template get<std::int64_t>() > max)
            return configError(file, key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        using T = std::remove_reference_t<decltype(out)>;
        const auto v = it->template get<std::int64_t>();
        if constexpr (std::is_same_v<T, std::int64_t>)
            out = v;
        else
            out = static_cast<T>(v);
        return {};
    };
    const auto seconds = [&](const char* key, std::chrono::seconds& out) -> Status {
        std::int64_t v = out.count();
        VIGIL_TRY(number(key, 1, 3600, v));
        out = std::chrono::seconds(v);
        return {};
    };
    const auto path = [&](const char* key, std::filesystem::path& out) -> Status {
        std::string v;
        VIGIL_TRY(text_(key, v));
        if (json.contains(key))
            out = v;
        return {};
    };

    VIGIL_TRY(text_("listen_address", config.listenAddress));
    VIGIL_TRY(number("port", 0, 65535, config.port));
    VIGIL_TRY(text_("public_host", config.publicHost));
    VIGIL_TRY(number("public_port", 0, 65535, config.publicPort));
    std::filesystem::path dataDir;
    VIGIL_TRY(path("data_dir", dataDir));
    if (!dataDir.empty())
        config.dataDir = dataDir.is_absolute() ? dataDir : folder / dataDir;
    VIGIL_TRY(path("database", config.database));
    VIGIL_TRY(text_("store", config.store));
    VIGIL_TRY(text_("postgresql_conninfo", config.postgresqlConninfo));
    VIGIL_TRY(path("postgresql_password_file", config.postgresqlPasswordFile));
    VIGIL_TRY(text_("postgresql_schema", config.postgresqlSchema));
    if (config.store != "sqlcipher" && config.store != "postgresql")
        return configError(file, "store", "must be \"sqlcipher\" (one encrypted file) or \"postgresql\"");
    if (config.onPostgresql() && config.postgresqlConninfo.empty())
        return configError(file, "postgresql_conninfo",
                           "must name the database with \"store\": \"postgresql\" (a libpq connection string such as "
                           "\"host=db.example dbname=vigil user=vigil\", without the password)");
    if (config.postgresqlSchema.empty())
        return configError(file, "postgresql_schema", "must not be empty");
    VIGIL_TRY(path("key_file", config.keyFile));
    VIGIL_TRY(path("tls_certificate", config.tlsCertificate));
    VIGIL_TRY(path("tls_key", config.tlsKey));
    VIGIL_TRY(path("port_file", config.portFile));
    if (auto it = json.find("tls13_only"); it != json.end()) {
        if (!it->is_boolean())
            return configError(file, "tls13_only", "must be true or false");
        config.tls13Only = it->get<bool>();
    }
    VIGIL_TRY(seconds("handshake_timeout_seconds", config.handshakeTimeout));
    VIGIL_TRY(seconds("request_timeout_seconds", config.requestTimeout));
    VIGIL_TRY(seconds("idle_timeout_seconds", config.idleTimeout));
    VIGIL_TRY(number("max_connections", 1, 100000, config.maxConnections));
    VIGIL_TRY(number("max_connections_per_address", 0, 100000, config.maxConnectionsPerAddress));
    if (config.maxConnectionsPerAddress > config.maxConnections) {
        if (json.contains("max_connections_per_address"))
            return configError(file, "max_connections_per_address", "must not be more than max_connections");
        config.maxConnectionsPerAddress = config.maxConnections;  // the default, under a smaller global cap
    }
    VIGIL_TRY(number("auth_failures_per_address", 0, 100000, config.authFailuresPerAddress));
    VIGIL_TRY(number("auth_failure_window_seconds", 1, 86400, config.authFailureWindowSeconds));
    VIGIL_TRY(number("max_header_bytes", 1024, 1024 * 1024, config.limits.maxHeaderBytes));
    VIGIL_TRY(number("max_body_bytes", 1024, std::int64_t{1} << 30, config.limits.maxBodyBytes));
    VIGIL_TRY(number("max_decoded_body_bytes", 1024, std::int64_t{1} << 31, config.limits.maxDecodedBodyBytes));
    VIGIL_TRY(number("max_ops_per_push", 1, 100000, config.limits.maxOpsPerPush));
    // At most 8 MiB: with one op over it at most (384 KiB), a page stays under the 16 MiB a
    // device takes in one answer.
    VIGIL_TRY(number("pull_page_bytes", 64 * 1024, 8 * 1024 * 1024, config.limits.pullPageBytes));
    VIGIL_TRY(number("snapshot_page_bytes", 64 * 1024, 8 * 1024 * 1024, config.limits.snapshotPageBytes));
    VIGIL_TRY(number("device_quota_mb", 0, std::int64_t{1} << 30, config.deviceQuotaMb));
    VIGIL_TRY(number("store_cache_mb", 2, 65536, config.storeCacheMb));
    VIGIL_TRY(number("clock_tolerance_seconds", 1, 7 * 86400, config.clockToleranceSeconds));
    VIGIL_TRY(number("max_auto_lock_minutes", 1, vigil::kAutoLockMinutesCeiling, config.maxAutoLockMinutes));
    VIGIL_TRY(number("token_rotation_days", 0, 3650, config.tokenRotationDays));
    VIGIL_TRY(number("device_expiry_days", 0, 3650, config.deviceExpiryDays));
    VIGIL_TRY(number("clock_offset_seconds", 0, std::int64_t{10} * 365 * 86400, config.clockOffsetSeconds));
    const auto rate = [&](const char* key, double& out, double max) -> Status {
        auto it = json.find(key);
        if (it == json.end())
            return {};
        if (!it->is_number() || it->template get<double>() < 0 || it->template get<double>() > max)
            return configError(file, key, "must be a number from 0 to " + std::to_string(static_cast<long long>(max)));
        out = it->template get<double>();
        return {};
    };
    VIGIL_TRY(rate("device_rate_per_second", config.deviceRate.perSecond, 100000));
    VIGIL_TRY(rate("device_rate_burst", config.deviceRate.burst, 1000000));
    VIGIL_TRY(rate("address_rate_per_second", config.addressRate.perSecond, 100000));
    VIGIL_TRY(rate("address_rate_burst", config.addressRate.burst, 1000000));
    if (config.deviceRate.perSecond > 0 && config.deviceRate.burst < 1)
        return configError(file, "device_rate_burst", "must be at least 1 when device_rate_per_second is set");
    if (config.addressRate.perSecond > 0 && config.addressRate.burst < 1)
        return configError(file, "address_rate_burst", "must be at least 1 when address_rate_per_second is set");
    if (auto it = json.find("metrics_enabled"); it != json.end()) {
        if (!it->is_boolean())
            return configError(file, "metrics_enabled", "must be true or false");
        config.metricsEnabled = it->get<bool>();
    }
    VIGIL_TRY(text_("metrics_listen_address", config.metricsListenAddress));
    VIGIL_TRY(number("metrics_port", 0, 65535, config.metricsPort));
    VIGIL_TRY(path("metrics_port_file", config.metricsPortFile));
    VIGIL_TRY(text_("log_level", config.logLevel));
    VIGIL_TRY(text_("risk_model_dir", config.riskModelDir));
    if (config.riskModelDir.empty()) {
        auto shipped = shippedRiskModelDir();
        if (!shipped)
            return makeError(shipped.error().code,
                             "In " + file.string() + ": \"risk_model_dir\" is not set, so the folder shipped with "
                                 "Vigil is used. " + shipped.error().message
                                 + " Or set \"risk_model_dir\" to a folder holding them.",
                             "risk_model_dir");
        config.riskModelDir = shipped->string();
    }
    if (config.logLevel != "debug" && config.logLevel != "info" && config.logLevel != "warn" && config.logLevel != "error")
        return configError(file, "log_level", "must be one of debug, info, warn, error");
    if (config.listenAddress.empty())
        return configError(file, "listen_address", "must not be empty");
    return config;
}

std::string defaultConfigText(const ServerConfig& c)
{
    nlohmann::ordered_json j = {
        {"listen_address", c.listenAddress},
        {"port", c.port},
        {"public_host", c.publicHost},
        {"public_port", c.publicPort},
        {"store", c.store},
        {"database", c.database.string()},
        {"postgresql_conninfo", c.postgresqlConninfo},
        {"postgresql_password_file", c.postgresqlPasswordFile.string()},
        {"postgresql_schema", c.postgresqlSchema},
        {"key_file", c.keyFile.string()},
        {"tls_certificate", c.tlsCertificate.string()},
        {"tls_key", c.tlsKey.string()},
        {"port_file", c.portFile.string()},
        {"tls13_only", c.tls13Only},
        {"handshake_timeout_seconds", c.handshakeTimeout.count()},
        {"request_timeout_seconds", c.requestTimeout.count()},
        {"idle_timeout_seconds", c.idleTimeout.count()},
        {"max_connections", c.maxConnections},
        {"max_connections_per_address", c.maxConnectionsPerAddress},
        {"auth_failures_per_address", c.authFailuresPerAddress},
        {"auth_failure_window_seconds", c.authFailureWindowSeconds},
        {"max_header_bytes", c.limits.maxHeaderBytes},
        {"max_body_bytes", c.limits.maxBodyBytes},
        {"max_decoded_body_bytes", c.limits.maxDecodedBodyBytes},
        {"max_ops_per_push", c.limits.maxOpsPerPush},
        {"pull_page_bytes", c.limits.pullPageBytes},
        {"snapshot_page_bytes", c.limits.snapshotPageBytes},
        {"device_quota_mb", c.deviceQuotaMb},
        {"store_cache_mb", c.storeCacheMb},
        {"clock_tolerance_seconds", c.clockToleranceSeconds},
        {"max_auto_lock_minutes", c.maxAutoLockMinutes},
        {"token_rotation_days", c.tokenRotationDays},
        {"device_expiry_days", c.deviceExpiryDays},
        {"log_level", c.logLevel},
        {"risk_model_dir", c.riskModelDir},
        {"device_rate_per_second", c.deviceRate.perSecond},
        {"device_rate_burst", c.deviceRate.burst},
        {"address_rate_per_second", c.addressRate.perSecond},
        {"address_rate_burst", c.addressRate.burst},
        {"metrics_enabled", c.metricsEnabled},
        {"metrics_listen_address", c.metricsListenAddress},
        {"metrics_port", c.metricsPort},
        {"metrics_port_file", c.metricsPortFile.string()},
    };
    return j.dump(2) + "\n";
}

}  // namespace vigil::sync
