#pragma once

// The server store's backends for tests that run the same assertions on each (issue 26):
// SQLCipher in a temporary folder, PostgreSQL in a schema of its own in the throwaway cluster
// that the ctest fixture starts (scripts/pg-test-cluster.sh; VIGIL_PG_CLUSTER_DIR names it).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <sodium.h>

#include "core/store/SecureBytes.h"
#include "sync/server/PgConnection.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/support/PgClusterEnv.h"
#include "tests/support/TempDir.h"

namespace vigil::test {

inline constexpr const char* kInitdb = "/usr/lib/postgresql/15/bin/initdb";

/// PostgreSQL 15 is installed here (CI installs it: there the tests always run).
inline bool postgresInstalled()
{
    std::error_code ec;
    return std::filesystem::exists(kInitdb, ec);
}

/// Say the test is skipped, in the words ctest's SKIP_REGULAR_EXPRESSION looks for.
inline void reportPostgresSkipped()
{
    std::cout << "SKIPPED: PostgreSQL 15 is not installed (" << kInitdb
              << " is missing): install postgresql and libpq-dev to run the PostgreSQL store tests.\n";
}

/// The settings the cluster's `start` wrote (DIR/env), as libpq settings.
inline sync::PgSettings clusterSettings(const std::string& schema)
{
    // The fixture's cluster (a compile definition), or another one named in the environment.
    const char* dir = std::getenv("VIGIL_PG_CLUSTER_DIR");
    if (!dir || !*dir)
        dir = VIGIL_PG_CLUSTER_DIR;
    auto env = readClusterEnv(dir);
    if (!env)
        throw std::runtime_error(std::string("no cluster settings in ") + dir + "/env: did the fixture start it?");
    sync::PgSettings s;
    s.conninfo = (*env)["VIGIL_PG_CONNINFO"];
    s.passwordFile = (*env)["VIGIL_PG_PASSWORD_FILE"];
    s.schema = schema;
    return s;
}

/// A schema name no other test uses.
inline std::string freshSchema()
{
    std::array<unsigned char, 8> r{};
    randombytes_buf(r.data(), r.size());
    return "t_" + toHex(r);
}

/// The SQLCipher store (the default backend).
struct SqlCipherBackend {
    static constexpr const char* kName = "sqlcipher";
    TempDir dir{"vigil-store-sqlcipher"};
    SecureBytes key = SecureBytes::random(32);
    std::unique_ptr<sync::SqlCipherServerStore> store;

    bool start()
    {
        auto s = sync::SqlCipherServerStore::open(dir.path() / "vigil-server.db", key.span(), true);
        if (!s)
            throw std::runtime_error(s.error().message);
        store = std::move(s).value();
        return true;
    }
    sync::ServerStore& get() { return *store; }
    Status appendAudit(sync::ServerAuditEntry e) { return store->appendServerAudit(std::move(e)); }
    /// Run SQL on the store's own database, behind its back (a tamperer with the file and key).
    Status sql(const std::string& text) { return store->database().exec(text); }
    /// The rule re-check with the shipped rules, as vigil-server turns it on (pushes need it).
    void enableRules()
    {
        Status on = store->enableRuleCheck(dir.path() / "vigil-server.db.records", key.span(), VIGIL_RISK_MODEL_DIR);
        if (!on.ok())
            throw std::runtime_error(on.error().message);
    }
    void setQuota(std::int64_t bytes) { store->setDeviceQuota(bytes); }
    void setPageBytes(std::size_t bytes) { store->setPullPageBytes(bytes); }
    void setClockTolerance(std::int64_t seconds) { store->setClockTolerance(seconds); }
    std::int64_t auditEntries(const std::string& device) { return store->auditEntryCount(device).value(); }
    Status markRestored(std::int64_t now) { return store->markRestored(now, {{"from", "backup"}}); }
    std::int64_t usage(const std::string& device) { return store->deviceUsage(device).value(); }
    /// A count from the store's own tables.
    std::int64_t count(const std::string& sql) { return store->database().queryInt(sql).value(); }
};

/// The PostgreSQL store, in a schema of its own (dropped after).
struct PgBackend {
    static constexpr const char* kName = "postgresql";
    SecureBytes key = SecureBytes::random(32);
    std::string schema = freshSchema();
    std::unique_ptr<sync::PgServerStore> store;

    bool start()
    {
        if (!postgresInstalled()) {
            reportPostgresSkipped();
            return false;
        }
        auto s = sync::PgServerStore::open(clusterSettings(schema), key.span());
        if (!s)
            throw std::runtime_error(s.error().message);
        store = std::move(s).value();
        return true;
    }
    ~PgBackend()
    {
        if (store)
            (void)store->connection().script("DROP SCHEMA IF EXISTS " + schema + " CASCADE;");
    }
    sync::ServerStore& get() { return *store; }
    Status appendAudit(sync::ServerAuditEntry e) { return store->appendServerAudit(std::move(e)); }
    Status sql(const std::string& text) { return store->connection().script(text); }
    /// This server's records copy in a folder of its own, with the shipped rules.
    TempDir copyDir{"vigil-store-pg-copy"};
    void enableRules()
    {
        Status on = store->enableRuleCheck(copyDir.path() / "records", key.span(), VIGIL_RISK_MODEL_DIR);
        if (!on.ok())
            throw std::runtime_error(on.error().message);
    }
    void setQuota(std::int64_t bytes) { store->setDeviceQuota(bytes); }
    void setPageBytes(std::size_t bytes) { store->setPullPageBytes(bytes); }
    void setClockTolerance(std::int64_t seconds) { store->setClockTolerance(seconds); }
    std::int64_t auditEntries(const std::string& device) { return store->auditEntryCount(device).value(); }
    Status markRestored(std::int64_t now) { return store->markRestored(now, {{"from", "backup"}}); }
    std::int64_t usage(const std::string& device) { return store->deviceUsage(device).value(); }
    std::int64_t count(const std::string& sql)
    {
        auto r = store->connection().exec(sql);
        if (!r)
            throw std::runtime_error(r.error().message);
        return r->integer(0, 0);
    }
};

}  // namespace vigil::test
