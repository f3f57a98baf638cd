#pragma once

// What the sync benchmarks share (SyncBench.cpp, BoroughSyncBench.cpp): a vigil-server in this
// process wired exactly as vigil-server wires it (HttpServer, RequestHandler, the store its
// configuration names opened and prepared by sync/server/StoreOpen: SqlCipherServerStore or
// PgServerStore, with the rule re-check and its records copy) on 127.0.0.1 with real TLS, a store
// wrapper that times the server's store calls, and enrolled devices with real SQLCipher stores
// synced by the real SyncEngine.
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/records/RecordStore.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncEngine.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/server/Admin.h"
#include "sync/server/HttpServer.h"
#include "sync/server/RequestHandler.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "sync/server/StoreOpen.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/FaultProxy.h"
#include "tests/support/InMemorySecretStore.h"

namespace vigil::bench {

using namespace vigil::sync;

/// A real encrypted device store (SQLCipher, device schema, random key).
struct DeviceStore {
    DeviceStore(const std::filesystem::path& file, const std::string& deviceId)
    {
        std::array<unsigned char, 32> key{};
        randombytes_buf(key.data(), key.size());
        OpenOptions options;
        options.create = true;
        db = must(Database::open(file, key, options));
        must(migrate(*db, deviceSchema()));
        records = must(RecordStore::open(*db, systemClock()));
        must(records->setDeviceId(deviceId));
    }
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
};

/// Times the store calls the server makes (its own thread), to split server read from encode.
class TimingStore final : public ServerStore {
public:
    explicit TimingStore(ServerStore& inner) : m_inner(inner) {}
    Status addUser(const UserRecord& u) override { return m_inner.addUser(u); }
    Status updateUser(const UserRecord& u) override { return m_inner.updateUser(u); }
    Result<std::optional<UserRecord>> findUser(const std::string& id) override { return m_inner.findUser(id); }
    Result<std::vector<UserRecord>> listUsers() override { return m_inner.listUsers(); }
    Status addEnrolCode(const EnrolCodeRecord& c) override { return m_inner.addEnrolCode(c); }
    Result<RedeemResult> redeemEnrolCode(const RedeemAttempt& a) override { return m_inner.redeemEnrolCode(a); }
    Result<std::optional<DeviceIdentity>> findDeviceByToken(const SecretHash& h) override
    {
        return m_inner.findDeviceByToken(h);
    }
    Result<std::vector<DeviceRecord>> listDevices() override { return m_inner.listDevices(); }
    Status revokeDevice(const std::string& id, std::int64_t now, bool wipe) override
    {
        return m_inner.revokeDevice(id, now, wipe);
    }
    Status touchDevice(const std::string& id, std::int64_t now) override { return m_inner.touchDevice(id, now); }
    Result<PushResponse> pushOps(const DeviceIdentity& who, const std::vector<Op>& ops, std::int64_t now) override
    {
        const auto t0 = Steady::now();
        auto r = m_inner.pushOps(who, ops, now);
        pushNs += (Steady::now() - t0).count();
        return r;
    }
    Result<PullResponse> pullOps(const DeviceIdentity& who, const PullCursor& cursor, std::size_t limit,
                                 std::int64_t now) override
    {
        const auto t0 = Steady::now();
        auto r = m_inner.pullOps(who, cursor, limit, now);
        pullNs += (Steady::now() - t0).count();
        ++pulls;
        return r;
    }
    Result<std::vector<FutureStamp>> futureStamps(std::int64_t aheadSeconds) override
    {
        return m_inner.futureStamps(aheadSeconds);
    }
    Result<StampRepair> repairStamps(std::int64_t aheadSeconds) override { return m_inner.repairStamps(aheadSeconds); }
    Result<int> bankHolidaysVersion() override { return m_inner.bankHolidaysVersion(); }
    Result<std::optional<BankHolidayImport>> bankHolidays() override { return m_inner.bankHolidays(); }
    Result<SnapshotPage> snapshotPage(const DeviceIdentity& who, const std::string& from, std::size_t limit,
                                      std::size_t maxBytes, std::int64_t now) override
    {
        const auto t0 = Steady::now();
        auto r = m_inner.snapshotPage(who, from, limit, maxBytes, now);
        pullNs += (Steady::now() - t0).count();
        ++pulls;
        return r;
    }
    std::atomic<std::int64_t> pushNs{0};
    std::atomic<std::int64_t> pullNs{0};
    std::atomic<std::int64_t> pulls{0};

private:
    ServerStore& m_inner;
};

inline double seconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }

/// The server of this benchmark, in process, on its own thread.
struct Server {
    /// `port` 0: any free port (a fixed one lets a real vigil-server reopen the folder later on
    /// the same address, as its enrolment codes name it). A folder that already holds a server
    /// (its server.json) is opened as it is, on the port its configuration names. `pg`: a new
    /// folder's server keeps its store on PostgreSQL there ("store": "postgresql"), as a force's
    /// would; the SQLCipher file `vigil-admin init` made then stays unused.
    explicit Server(const std::filesystem::path& dir, std::uint16_t listenPort = 0,
                    const std::optional<PgSettings>& pg = std::nullopt)
    {
        if (std::filesystem::exists(dir / "server.json")) {
            configFile = dir / "server.json";
        } else {
            InitOptions init;
            init.dataDir = dir;
            init.port = listenPort;
            configFile = must(initServer(init)).configFile;
            if (pg) {
                std::ifstream in(configFile);
                auto json = nlohmann::json::parse(in);
                in.close();
                json["store"] = "postgresql";
                json["postgresql_conninfo"] = pg->conninfo;
                json["postgresql_password_file"] = pg->passwordFile.string();
                json["postgresql_schema"] = pg->schema;
                std::ofstream(configFile, std::ios::trunc) << json.dump(2);
            }
        }
        config = must(loadServerConfig(configFile));
        auto key = must(loadServerKey(config.resolve(config.keyFile)));
        // What vigil-server does (sync/server/main.cpp): the store the configuration names, then
        // its page cache, clock tolerance, quota, pull page budget and rule re-check.
        store = must(openServerStore(config, key.span(), false));
        must(prepareServerStore(*store, config, key.span()));
        hasher = std::make_unique<SecretHasher>(key.span());
        timing = std::make_unique<TimingStore>(*store);
        handler = std::make_unique<RequestHandler>(*timing, *hasher, config.limits);
        http = std::make_unique<HttpServer>(config, *handler);
        port = must(http->start());
        thread = std::thread([this] { http->run(); });
        admin = must(AdminSession::open(configFile));
    }
    ~Server()
    {
        http->stop();
        thread.join();
    }
    /// The SQLCipher store (benchmarks that look inside its file run on it only).
    [[nodiscard]] SqlCipherServerStore& file()
    {
        auto* f = dynamic_cast<SqlCipherServerStore*>(store.get());
        if (!f)
            die(makeError(ErrorCode::Internal, "this benchmark looks inside the SQLCipher store's file"));
        return *f;
    }
    std::filesystem::path configFile;
    ServerConfig config;
    std::unique_ptr<ServerStore> store;
    std::unique_ptr<SecretHasher> hasher;
    std::unique_ptr<TimingStore> timing;
    std::unique_ptr<RequestHandler> handler;
    std::unique_ptr<HttpServer> http;
    std::uint16_t port = 0;
    std::thread thread;
    std::unique_ptr<AdminSession> admin;
};

/// An enrolled device: its store, a direct engine and one through the counting proxy.
struct Tablet {
    Tablet(Server& server, SyncClient& client, test::FaultProxy& proxy, const std::string& user,
           const std::filesystem::path& dir, SyncEngineOptions options = {})
        : link(client, secrets, user), actor{user}
    {
        const auto code = must(server.admin->createEnrolCode(user, std::chrono::minutes(15), 5, "127.0.0.1", server.port));
        const auto e = must(link.enrol(formatEnrolmentCode(code.code), user + "-bench"));
        id = e.deviceId;
        info = e.user;
        token = std::move(*must(secrets.read(user + "/sync.token")));
        proxied = std::make_unique<DeviceSession>(client, ServerEndpoint{"127.0.0.1", proxy.port(), server.admin->pin()},
                                                  SecureBytes(token.span().data(), token.span().size()));
        store = std::make_unique<DeviceStore>(dir / (id + ".db"), id);  // a user may have several devices
        engine = std::make_unique<SyncEngine>(link, options);
        proxiedEngine = std::make_unique<SyncEngine>(*proxied, options);
    }
    ~Tablet()
    {
        engine.reset();
        proxiedEngine.reset();
    }
    /// One complete sync, as the app runs it on unlock (start() syncs at once); its wall time in ms.
    double sync(bool viaProxy = false)
    {
        SyncEngine& e = viaProxy ? *proxiedEngine : *engine;
        const auto t0 = Steady::now();
        e.start(*store->records, actor);
        e.drain();
        const double took = ms(Steady::now() - t0);
        const auto status = e.status();
        last = e.totals();
        e.stop();
        if (status.lastError)
            die(*status.lastError);
        if (last.rejected != 0)  // a figure of refusals is no figure of the sync
            die(makeError(ErrorCode::Internal, "the server refused " + std::to_string(last.rejected)
                                                   + " of this device's changes: the benchmark's changes must be ones "
                                                     "its user may make (docs/authority.md)"));
        return took;
    }

    test::InMemorySecretStore secrets;
    DeviceLink link;
    Actor actor;
    std::string id;
    UserInfo info;
    SecureBytes token;
    std::unique_ptr<DeviceSession> proxied;
    std::unique_ptr<DeviceStore> store;
    std::unique_ptr<SyncEngine> engine;
    std::unique_ptr<SyncEngine> proxiedEngine;
    SyncReport last;
};

struct Bytes {
    std::uint64_t up = 0;
    std::uint64_t down = 0;
};

inline Bytes bytesNow(const test::FaultProxy& proxy)
{
    const auto c = proxy.counters();
    return {c.bytesToServer, c.bytesToDevice};
}

}  // namespace vigil::bench
