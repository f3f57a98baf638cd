#include "tests/sync/FaultSupport.h"

// Executables that build this file without the fixture's cluster (the load benchmark) find it, if
// at all, in VIGIL_PG_CLUSTER_DIR at run time (as tests/sync/Process.cpp).
#ifndef VIGIL_PG_CLUSTER_DIR
#define VIGIL_PG_CLUSTER_DIR ""
#endif

#include <array>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/records/RecordStore.h"
#include "core/store/Database.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/StoreLock.h"
#include "sync/server/StoreOpen.h"
#include "tests/support/FileScan.h"
#include "tests/sync/Process.h"
#include "tests/sync/StoreBackends.h"

namespace vigil::test {

namespace {

pid_t spawnServer(const std::filesystem::path& config, const std::filesystem::path& portFile,
                  const std::filesystem::path& log)
{
    const std::string exe = VIGIL_SERVER_EXE;
    std::vector<std::string> all{exe, "--config", config.string(), "--port-file", portFile.string()};
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

sync::ServerConfig configOf(const std::filesystem::path& file)
{
    auto config = sync::loadServerConfig(file);
    if (!config)
        throw std::runtime_error(config.error().message);
    return std::move(config).value();
}

SecureBytes keyOf(const sync::ServerConfig& config)
{
    auto key = sync::loadServerKey(config.resolve(config.keyFile));
    if (!key)
        throw std::runtime_error(key.error().message);
    return std::move(key).value();
}

void editConfig(const std::filesystem::path& file, const std::function<void(nlohmann::json&)>& edit)
{
    auto config = nlohmann::json::parse(readFile(file));
    edit(config);
    std::ofstream(file, std::ios::trunc) << config.dump(2);
}

}  // namespace

/// The PostgreSQL store as the test reads it: the op log's rows through libpq (ids and seqs are
/// clear), refusal messages opened with the sealing key (derived from the server key as
/// PgServerStore derives it: docs/postgresql.md, decision 3), and the records through a copy of
/// the test's own, which PgServerStore catches up from the op log exactly as a server's copy is.
class PgLogReader {
public:
    explicit PgLogReader(const std::filesystem::path& configFile)
    {
        const sync::ServerConfig config = configOf(configFile);
        const SecureBytes key = keyOf(config);
        if (key.size() != crypto_kdf_KEYBYTES)
            throw std::runtime_error("the server key is not 32 bytes");
        crypto_kdf_derive_from_key(m_sealKey.data(), m_sealKey.size(), 4, "vglpgval", key.data());
        auto store = sync::PgServerStore::open(sync::pgSettingsOf(config), key.span());
        if (!store)
            throw std::runtime_error("PostgreSQL store: " + store.error().message);
        m_store = std::move(store).value();
        Status on = m_store->enableRuleCheck(m_copyDir.path() / "records", key.span(),
                                             config.resolve(config.riskModelDir));
        if (!on.ok())
            throw std::runtime_error("the test's records copy: " + on.error().message);
    }
    ~PgLogReader() { sodium_memzero(m_sealKey.data(), m_sealKey.size()); }
    PgLogReader(const PgLogReader&) = delete;
    PgLogReader& operator=(const PgLogReader&) = delete;

    sync::PgConnection& connection() { return m_store->connection(); }

    sync::PgResult query(const std::string& sql, std::initializer_list<sync::PgParam> params = {})
    {
        auto r = connection().exec(sql, params);
        if (!r)
            throw std::runtime_error(r.error().message + " (" + sql + ")");
        return std::move(r).value();
    }

    /// The records as the op log makes them, caught up to its end now.
    RecordDigest records(const DigestOptions& digest)
    {
        auto caught = m_store->catchUpCopy();
        if (!caught)
            throw std::runtime_error("catching up the test's records copy: " + caught.error().message);
        auto d = digestRecords(m_store->recordsCopy()->records().database(), digest);
        if (!d)
            throw std::runtime_error(d.error().message);
        return std::move(d).value();
    }

    /// A refusal's message, opened (its associated data names the row: PgPush.cpp).
    std::string message(const std::string& device, std::int64_t seq, const std::vector<unsigned char>& sealed)
    {
        constexpr std::size_t kHead = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
        if (sealed.size() < kHead + crypto_aead_xchacha20poly1305_ietf_ABYTES || sealed[0] != 1)
            throw std::runtime_error("a refusal message in PostgreSQL is not sealed as expected");
        const std::string at = sync::pgSealedAt("push_rejections.message", device + '\0' + std::to_string(seq));
        std::string plain(sealed.size() - kHead - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
        unsigned long long length = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr,
                                                       sealed.data() + kHead, sealed.size() - kHead,
                                                       reinterpret_cast<const unsigned char*>(at.data()), at.size(),
                                                       sealed.data() + 1, m_sealKey.data())
            != 0)
            throw std::runtime_error("a refusal message in PostgreSQL does not open with the server key");
        plain.resize(length);
        return plain;
    }

private:
    TempDir m_copyDir{"vigil-fault-copy"};
    std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> m_sealKey{};
    std::unique_ptr<sync::PgServerStore> m_store;
};

std::int64_t envInt(const char* name, std::int64_t fallback)
{
    const char* v = std::getenv(name);
    if (!v || !*v)
        return fallback;
    char* end = nullptr;
    const long long n = std::strtoll(v, &end, 10);
    return end && *end == '\0' ? n : fallback;
}

RestartableServer::RestartableServer()
{
    m_dataDir = m_dir.path() / "server";
    auto init = admin({"init", "--data-dir", m_dataDir.string(), "--port", "0"});
    if (init.exitCode != 0)
        throw std::runtime_error("vigil-admin init failed: " + init.err);
    auto pin = admin({"--data-dir", m_dataDir.string(), "pin"});
    auto parsed = sync::pinFromText(pin.out.substr(0, pin.out.find('\n')));
    if (pin.exitCode != 0 || !parsed)
        throw std::runtime_error("vigil-admin pin failed: " + pin.err);
    m_pin = *parsed;
    if (const char* store = std::getenv("VIGIL_TEST_STORE"); store && std::string(store) == "postgresql") {
        if (!postgresInstalled())
            throw std::runtime_error(std::string("SKIPPED: PostgreSQL 15 is not installed (") + kInitdb
                                     + " is missing): install postgresql and libpq-dev to run the fault tests on it.");
        // As the sync suite on PostgreSQL (tests/sync/Process.cpp): the fixture's cluster, a schema
        // of this server's own; the SQLCipher file init made stays unused.
        const sync::PgSettings pg = clusterSettings(freshSchema());
        editConfig(configFile(), [&](nlohmann::json& config) {
            config["store"] = "postgresql";
            config["postgresql_conninfo"] = pg.conninfo;
            config["postgresql_password_file"] = pg.passwordFile.string();
            config["postgresql_schema"] = pg.schema;
        });
    }
}

RestartableServer::RestartableServer(const SameDatabaseAs& other)
{
    if (!other.server.onPostgresql())
        throw std::runtime_error("several servers share a PostgreSQL database only (VIGIL_TEST_STORE=postgresql)");
    // What a force deploys on each machine: the same configuration, server key and TLS identity;
    // paths in the configuration are relative to the folder, so the records copy (`database`) and
    // its lock are this server's own.
    m_dataDir = m_dir.path() / "server";
    std::filesystem::create_directories(m_dataDir);
    const sync::ServerConfig config = configOf(other.server.configFile());
    for (const auto& file : {config.keyFile, config.tlsCertificate, config.tlsKey}) {
        if (file.is_absolute())
            throw std::runtime_error("a second server expects paths relative to its folder in server.json");
        std::filesystem::create_directories((m_dataDir / file).parent_path());
        std::filesystem::copy_file(other.server.dataDir() / file, m_dataDir / file);
    }
    if (config.database.is_absolute())
        throw std::runtime_error("a second server expects its database (records copy) relative to its folder");
    std::filesystem::copy_file(other.server.configFile(), configFile());
    // Its own folder: data_dir is then the configuration's.
    editConfig(configFile(), [](nlohmann::json& c) { c.erase("data_dir"); });
    m_pin = other.server.pin();
}

RestartableServer::~RestartableServer()
{
    std::lock_guard lock(m_mutex);
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (::waitpid(m_pid, &status, WNOHANG) != m_pid) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

std::uint16_t RestartableServer::start()
{
    std::lock_guard lock(m_mutex);
    if (m_pid > 0)
        return m_port;
    const auto portFile = m_dir.path() / "port";
    std::filesystem::remove(portFile);
    m_pid = spawnServer(configFile(), portFile, m_dir.path() / "server.log");
    ++m_starts;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(portFile);
        unsigned port = 0;
        if (in >> port && port != 0) {
            m_port = static_cast<std::uint16_t>(port);
            return m_port;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            const std::string log = readFile(m_dir.path() / "server.log");
            throw std::runtime_error("vigil-server (start " + std::to_string(m_starts) + ") exited at start with status "
                                     + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status))
                                     + " (127: could not run it); the end of its log: "
                                     + log.substr(log.size() > 2000 ? log.size() - 2000 : 0));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    throw std::runtime_error("vigil-server did not start within 20 s");
}

bool RestartableServer::killNow()
{
    std::lock_guard lock(m_mutex);
    if (m_pid <= 0)
        return false;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return true;
}

bool RestartableServer::running() const
{
    std::lock_guard lock(m_mutex);
    return m_pid > 0;
}

std::uint16_t RestartableServer::port() const
{
    std::lock_guard lock(m_mutex);
    return m_port;
}

pid_t RestartableServer::pid() const
{
    std::lock_guard lock(m_mutex);
    return m_pid;
}

int RestartableServer::starts() const
{
    std::lock_guard lock(m_mutex);
    return m_starts;
}

std::string RestartableServer::log() const
{
    return readFile(m_dir.path() / "server.log");
}

bool RestartableServer::onPostgresql() const
{
    return configOf(configFile()).onPostgresql();
}

RecordDigest RestartableServer::caughtUpCopy(const DigestOptions& digest) const
{
    const sync::ServerConfig config = configOf(configFile());
    if (!config.onPostgresql())
        throw std::runtime_error("caughtUpCopy: the SQLCipher store keeps its copy beside the file (readServer)");
    // The lock vigil-server holds while it runs: no server may work on the copy meanwhile.
    auto lock = sync::StoreLock::acquire(config.resolve(config.database));
    if (!lock)
        throw std::runtime_error("this server's store lock (is it running?): " + lock.error().message);
    const SecureBytes key = keyOf(config);
    auto store = sync::openServerStore(config, key.span(), /*create=*/false);
    if (!store)
        throw std::runtime_error(store.error().message);
    // As vigil-server opens its copy at start (rebuilt when incomplete, else caught up from where
    // it stands), then caught up to the log's end as a push or a snapshot would.
    Status on = sync::enableStoreRuleCheck(**store, config, key.span());
    if (!on.ok())
        throw std::runtime_error("this server's records copy: " + on.error().message);
    auto& pg = dynamic_cast<sync::PgServerStore&>(**store);
    auto caught = pg.catchUpCopy();
    if (!caught)
        throw std::runtime_error("catching up this server's records copy: " + caught.error().message);
    auto d = digestRecords(pg.recordsCopy()->records().database(), digest);
    if (!d)
        throw std::runtime_error(d.error().message);
    return std::move(d).value();
}

RecordDigest RestartableServer::runningCopy(const DigestOptions& digest) const
{
    const sync::ServerConfig config = configOf(configFile());
    const SecureBytes key = keyOf(config);
    auto records = Database::open(config.resolve(config.database).string() + ".records", key.span());
    if (!records)
        throw std::runtime_error("this server's records copy: " + records.error().message);
    auto d = digestRecords(**records, digest);
    if (!d)
        throw std::runtime_error(d.error().message);
    return std::move(d).value();
}

BackgroundProcess::BackgroundProcess(const std::string& exe, const std::vector<std::string>& args,
                                     const std::filesystem::path& output)
{
    std::vector<std::string> all{exe};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    m_pid = ::fork();
    if (m_pid < 0)
        throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
}

BackgroundProcess::~BackgroundProcess()
{
    killNow();
}

bool BackgroundProcess::running()
{
    if (m_pid <= 0)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        m_pid = -1;
        return false;
    }
    return true;
}

bool BackgroundProcess::killNow()
{
    if (!running())
        return false;
    ::kill(m_pid, SIGKILL);
    wait();
    return true;
}

int BackgroundProcess::wait()
{
    if (m_pid > 0) {
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        m_pid = -1;
    }
    return m_status;
}

namespace {

ServerView readPgServer(PgLogReader& reader, const std::vector<std::string>& devices, const DigestOptions& digest)
{
    ServerView view;
    view.records = reader.records(digest);
    for (const auto& device : devices) {
        auto ops = reader.query("SELECT count(*), COALESCE(max(seq), 0), COALESCE(min(cursor), 0), "
                                "COALESCE(max(cursor), 0), (SELECT COALESCE(max(cursor), 0) FROM op_log) "
                                "FROM op_log WHERE device = $1;",
                                {sync::PgParam(device)});
        view.ops[device] = ops.integer(0, 0);
        view.maxSeq[device] = ops.integer(0, 1);
        auto acked = reader.query("SELECT COALESCE((SELECT last_seq FROM device_seq WHERE device = $1), 0);",
                                  {sync::PgParam(device)});
        view.ackedSeq[device] = acked.integer(0, 0);
        auto refused = reader.query("SELECT seq, field, error, message FROM push_rejections WHERE device = $1 "
                                    "ORDER BY seq;",
                                    {sync::PgParam(device)});
        view.rejections += refused.rows();
        for (int i = 0; i < refused.rows(); ++i) {
            const std::int64_t seq = refused.integer(i, 0);
            view.rejectionWords.push_back(device.substr(0, 8) + " seq " + std::to_string(seq) + " " + refused.text(i, 1)
                                          + ": " + refused.text(i, 2) + ": "
                                          + reader.message(device, seq, refused.bytes(i, 3)));
        }
        auto held = reader.query("SELECT COALESCE((SELECT confirmed || '/' || issued FROM device_view WHERE device = $1), "
                                 "'-'), (SELECT count(*) FROM device_visible WHERE device = $1), "
                                 "(SELECT count(*) FROM view_pending WHERE device = $1);",
                                 {sync::PgParam(device)});
        view.placement[device] = "its ops at op-log cursors " + std::to_string(ops.integer(0, 2)) + "-"
                                 + std::to_string(ops.integer(0, 3)) + " (log head " + std::to_string(ops.integer(0, 4))
                                 + "); view confirmed/issued " + held.text(0, 0) + ", "
                                 + std::to_string(held.integer(0, 1)) + " incidents held, "
                                 + std::to_string(held.integer(0, 2)) + " pending";
    }
    return view;
}

}  // namespace

ServerView readServer(const RestartableServer& server, const std::vector<std::string>& devices,
                      const DigestOptions& digest)
{
    if (server.onPostgresql()) {
        if (!server.m_reader)
            server.m_reader = std::make_unique<PgLogReader>(server.configFile());
        return readPgServer(*server.m_reader, devices, digest);
    }
    auto config = sync::loadServerConfig(server.configFile());
    if (!config)
        throw std::runtime_error(config.error().message);
    auto key = sync::loadServerKey(config->resolve(config->keyFile));
    if (!key)
        throw std::runtime_error(key.error().message);
    const auto storeFile = config->resolve(config->database);
    auto store = Database::open(storeFile, key->span());
    if (!store)
        throw std::runtime_error("server store: " + store.error().message);
    auto records = Database::open(storeFile.string() + ".records", key->span());
    if (!records)
        throw std::runtime_error("server records: " + records.error().message);

    ServerView view;
    auto digestResult = digestRecords(**records, digest);
    if (!digestResult)
        throw std::runtime_error(digestResult.error().message);
    view.records = std::move(digestResult).value();
    for (const auto& device : devices) {
        auto q = (*store)->prepare("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM op_log WHERE device = ?1;");
        if (!q)
            throw std::runtime_error(q.error().message);
        q->bind(1, device);
        auto row = q->step();
        if (!row || !*row)
            throw std::runtime_error("op_log count failed");
        view.ops[device] = q->columnInt(0);
        view.maxSeq[device] = q->columnInt(1);
        auto a = (*store)->prepare("SELECT COALESCE((SELECT last_seq FROM device_seq WHERE device = ?1), 0),"
                                   " (SELECT COUNT(*) FROM push_rejections WHERE device = ?1);");
        if (!a)
            throw std::runtime_error(a.error().message);
        a->bind(1, device);
        auto arow = a->step();
        if (!arow || !*arow)
            throw std::runtime_error("device_seq read failed");
        view.ackedSeq[device] = a->columnInt(0);
        view.rejections += a->columnInt(1);
        auto r = (*store)->prepare("SELECT seq, field, error, message FROM push_rejections WHERE device = ?1 ORDER BY seq;");
        if (!r)
            throw std::runtime_error(r.error().message);
        r->bind(1, device);
        auto listed = r->forEach([&](const Query& x) {
            view.rejectionWords.push_back(device.substr(0, 8) + " seq " + std::to_string(x.columnInt(0)) + " "
                                          + x.columnText(1) + ": " + x.columnText(2) + ": " + x.columnText(3));
        });
        if (!listed.ok())
            throw std::runtime_error(listed.error().message);
        auto p = (*store)->prepare(
            "SELECT COALESCE(MIN(cursor), 0), COALESCE(MAX(cursor), 0),"
            " COALESCE((SELECT confirmed || '/' || issued FROM device_view WHERE device = ?1), '-'),"
            " (SELECT COUNT(*) FROM device_visible WHERE device = ?1), (SELECT COUNT(*) FROM view_pending WHERE device = ?1),"
            " (SELECT MAX(cursor) FROM op_log) FROM op_log WHERE device = ?1;");
        if (!p)
            throw std::runtime_error(p.error().message);
        p->bind(1, device);
        auto prow = p->step();
        if (!prow || !*prow)
            throw std::runtime_error("op_log placement read failed");
        view.placement[device] = "its ops at op-log cursors " + std::to_string(p->columnInt(0)) + "-"
                                 + std::to_string(p->columnInt(1)) + " (log head " + std::to_string(p->columnInt(5))
                                 + "); view confirmed/issued " + p->columnText(2) + ", " + std::to_string(p->columnInt(3))
                                 + " incidents held, " + std::to_string(p->columnInt(4)) + " pending";
    }
    return view;
}

}  // namespace vigil::test
