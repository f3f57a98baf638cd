#include "tests/sync/FaultSupport.h"

#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store/Database.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "tests/support/FileScan.h"
#include "tests/sync/Process.h"

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

}  // namespace

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

ServerView readServer(const RestartableServer& server, const std::vector<std::string>& devices,
                      const DigestOptions& digest)
{
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
