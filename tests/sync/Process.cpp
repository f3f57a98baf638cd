#include "tests/sync/Process.h"

// Executables that build this file without the fixture's cluster (benchmarks) find it, if at all,
// in VIGIL_PG_CLUSTER_DIR at run time.
#ifndef VIGIL_PG_CLUSTER_DIR
#define VIGIL_PG_CLUSTER_DIR ""
#endif
#include "tests/sync/StoreBackends.h"

#include <iostream>

#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/StoreOpen.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sync/protocol/Encoding.h"
#include "tests/support/FileScan.h"

namespace vigil::test {

namespace {

pid_t spawn(const std::string& exe, const std::vector<std::string>& args, const std::filesystem::path& out,
            const std::filesystem::path& err)
{
    std::vector<std::string> all{exe};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int in = ::open("/dev/null", O_RDONLY);
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(in, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

int waitFor(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ProcessResult runProcess(const std::string& exe, const std::vector<std::string>& args)
{
    TempDir io("vigil-proc");
    const auto out = io.path() / "out";
    const auto err = io.path() / "err";
    const pid_t pid = spawn(exe, args, out, err);
    ProcessResult r;
    r.exitCode = waitFor(pid);
    r.out = readFile(out);
    r.err = readFile(err);
    return r;
}

ProcessResult admin(const std::vector<std::string>& args)
{
    return runProcess(VIGIL_ADMIN_EXE, args);
}

std::string codeLineIn(const std::string& adminOutput)
{
    std::istringstream in(adminOutput);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("vigil1:", 0) == 0)
            return line;
    }
    return {};
}

ServerProcess::ServerProcess(const std::function<void(nlohmann::json&)>& configure)
{
    m_dataDir = m_dir.path() / "server";
    auto init = vigil::test::admin({"init", "--data-dir", m_dataDir.string(), "--port", "0"});
    if (init.exitCode != 0)
        throw std::runtime_error("vigil-admin init failed: " + init.err);
    auto pin = this->admin({"pin"});
    auto parsed = sync::pinFromText(pin.out.substr(0, pin.out.find('\n')));
    if (pin.exitCode != 0 || !parsed)
        throw std::runtime_error("vigil-admin pin failed: " + pin.err);
    m_pin = *parsed;
    if (const char* store = std::getenv("VIGIL_TEST_STORE"); store && std::string(store) == "postgresql") {
        if (!postgresInstalled())
            throw std::runtime_error(std::string("SKIPPED: PostgreSQL 15 is not installed (") + kInitdb
                                     + " is missing): install postgresql and libpq-dev to run the sync suite on it.");
        // The same suite on PostgreSQL (issue 26): the fixture's cluster, a schema of this server's
        // own; the SQLCipher file init made stays unused.
        const auto file = m_dataDir / "server.json";
        auto config = nlohmann::json::parse(readFile(file));
        const sync::PgSettings pg = clusterSettings(freshSchema());
        config["store"] = "postgresql";
        config["postgresql_conninfo"] = pg.conninfo;
        config["postgresql_password_file"] = pg.passwordFile.string();
        config["postgresql_schema"] = pg.schema;
        std::ofstream(file, std::ios::trunc) << config.dump(2);
    }
    if (configure) {
        const auto file = m_dataDir / "server.json";
        auto config = nlohmann::json::parse(readFile(file));
        configure(config);
        std::ofstream(file, std::ios::trunc) << config.dump(2);
    }
    start();
}

void ServerProcess::restart()
{
    stop();
    // The same port, so enrolled devices (which keep host and port) find it again.
    const auto file = m_dataDir / "server.json";
    auto config = nlohmann::json::parse(readFile(file));
    config["port"] = m_port;
    std::ofstream(file, std::ios::trunc) << config.dump(2);
    start();
}

void ServerProcess::start()
{
    const auto portFile = m_dir.path() / "port";
    std::filesystem::remove(portFile);
    m_pid = spawn(VIGIL_SERVER_EXE, {"--config", (m_dataDir / "server.json").string(), "--port-file", portFile.string()},
                  m_dir.path() / "server.out", m_dir.path() / "server.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(portFile);
        unsigned port = 0;
        if (in >> port && port != 0) {
            m_port = static_cast<std::uint16_t>(port);
            return;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            throw std::runtime_error("vigil-server exited at start: " + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stop();
    throw std::runtime_error("vigil-server did not start within 15 s: " + log());
}

ServerProcess::~ServerProcess()
{
    stop();
}

int ServerProcess::stop()
{
    if (m_pid <= 0)
        return -1;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid)
            break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ProcessResult ServerProcess::admin(std::vector<std::string> args) const
{
    args.insert(args.begin(), {"--data-dir", m_dataDir.string()});
    return vigil::test::admin(args);
}

void ServerProcess::addUser(const std::string& id, const std::string& role, const std::string& team,
                            const std::string& borough, bool cleared, const std::string& name)
{
    std::vector<std::string> args{"user", "add", id, "--role", role, "--team", team, "--borough", borough, "--restricted",
                                  cleared ? "yes" : "no"};
    if (!name.empty())
        args.insert(args.end(), {"--name", name});
    auto r = admin(args);
    if (r.exitCode != 0)
        throw std::runtime_error("user add failed: " + r.err);
}

std::string ServerProcess::enrolCode(const std::string& user, const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"enrol-code", "create", "--user", user, "--no-qr", "--server",
                                  "127.0.0.1:" + std::to_string(m_port)};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = admin(args);
    const std::string line = codeLineIn(r.out);
    if (r.exitCode != 0 || line.empty())
        throw std::runtime_error("enrol-code create failed: " + r.err);
    return line;
}

std::string ServerProcess::log() const
{
    return readFile(m_dir.path() / "server.log");
}

bool ServerProcess::onPostgresql() const
{
    auto config = sync::loadServerConfig(m_dataDir / "server.json");
    return config && config->onPostgresql();
}

namespace {

/// Run `sql` on the server's store: libpq in its schema, or the SQLCipher file.
std::vector<std::vector<std::string>> storeRows(const std::filesystem::path& dataDir, const std::string& sql)
{
    auto config = sync::loadServerConfig(dataDir / "server.json");
    if (!config)
        throw std::runtime_error(config.error().message);
    std::vector<std::vector<std::string>> out;
    if (config->onPostgresql()) {
        auto conn = sync::PgConnection::connect(sync::pgSettingsOf(*config));
        if (!conn)
            throw std::runtime_error(conn.error().message);
        auto r = (*conn)->exec(sql);
        if (!r)
            throw std::runtime_error(r.error().message);
        for (int i = 0; i < r->rows(); ++i)
            out.push_back({r->isNull(i, 0) ? std::string() : r->text(i, 0)});
        return out;
    }
    auto key = sync::loadServerKey(config->resolve(config->keyFile));
    if (!key)
        throw std::runtime_error(key.error().message);
    auto db = Database::open(config->resolve(config->database), key->span());
    if (!db)
        throw std::runtime_error(db.error().message);
    auto q = (*db)->prepare(sql);
    if (!q)
        throw std::runtime_error(q.error().message);
    Status read = q->forEach([&](const Query& row) { out.push_back({row.columnText(0)}); });
    if (!read.ok())
        throw std::runtime_error(read.error().message);
    return out;
}

}  // namespace

std::int64_t ServerProcess::storeCount(const std::string& sql) const
{
    const auto rows = storeRows(m_dataDir, sql);
    return rows.empty() || rows[0][0].empty() ? 0 : std::stoll(rows[0][0]);
}

std::vector<std::string> ServerProcess::storeTexts(const std::string& sql) const
{
    std::vector<std::string> out;
    for (auto& row : storeRows(m_dataDir, sql))
        out.push_back(std::move(row[0]));
    return out;
}

std::int64_t ServerProcess::auditEntries(const std::string& deviceId) const
{
    return storeCount("SELECT count(*) FROM op_log WHERE device = '" + deviceId
                      + "' AND entity = 'audit' AND field = '@append';");
}

void ServerProcess::storeExec(const std::string& sql) const
{
    (void)storeRows(m_dataDir, sql);
}

std::unique_ptr<sync::ServerStore> ServerProcess::openStore() const
{
    auto config = sync::loadServerConfig(m_dataDir / "server.json");
    if (!config)
        throw std::runtime_error(config.error().message);
    auto key = sync::loadServerKey(config->resolve(config->keyFile));
    if (!key)
        throw std::runtime_error(key.error().message);
    auto store = sync::openServerStore(*config, key->span(), /*create=*/false);
    if (!store)
        throw std::runtime_error(store.error().message);
    return std::move(store).value();
}

bool skippedOnPostgresql(const ServerProcess& server, const std::string& why)
{
    if (!server.onPostgresql())
        return false;
    std::cout << "SKIPPED: on PostgreSQL: " << why << "\n";
    return true;
}

}  // namespace vigil::test
