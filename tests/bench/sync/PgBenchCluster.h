#pragma once

// A PostgreSQL 15 cluster for the sync benchmarks on the PostgreSQL store (issue 26): a throwaway
// one made with scripts/pg-test-cluster.sh in a temporary folder and removed at the end (also when
// the benchmark stops on an error or is interrupted), or one already running that
// VIGIL_BENCH_PG_CLUSTER names (the folder its `start` wrote `env` into; left running).
//
// The test cluster is set up for speed (fsync, synchronous_commit and full_page_writes off, 32 MB
// of shared buffers). The SQLCipher store commits with synchronous=FULL and keeps a 384 MB page
// cache, so for figures set side by side the throwaway cluster is restarted durable (fsync and
// synchronous_commit on, full_page_writes on, shared_buffers 384 MB) unless VIGIL_BENCH_PG_FAST=1.
#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "core/store/SecureBytes.h"
#include "sync/server/PgConnection.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/PgClusterEnv.h"

#ifndef VIGIL_PG_CLUSTER_SCRIPT
#error "VIGIL_PG_CLUSTER_SCRIPT must name scripts/pg-test-cluster.sh"
#endif

namespace vigil::bench {

inline constexpr const char* kPgInitdb = "/usr/lib/postgresql/15/bin/initdb";

/// PostgreSQL 15 is installed here (CI installs it).
[[nodiscard]] inline bool postgresInstalled()
{
    std::error_code ec;
    return std::filesystem::exists(kPgInitdb, ec);
}

/// The line ctest's SKIP_REGULAR_EXPRESSION looks for.
inline void reportPostgresSkipped()
{
    std::printf("SKIPPED: PostgreSQL 15 is not installed (%s is missing): install postgresql and libpq-dev to run "
                "the benchmark on the PostgreSQL store.\n",
                kPgInitdb);
}

/// utime + stime of a process from /proc/<pid>/stat, in clock ticks; with `children` also those
/// of its children it has reaped (cutime + cstime). -1 when the process is gone.
[[nodiscard]] inline std::int64_t procCpuTicks(pid_t pid, bool children = false, pid_t* parent = nullptr)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    if (!in)
        return -1;
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream rest(stat.substr(close + 2));
    std::vector<std::string> fields;
    for (std::string f; rest >> f;)
        fields.push_back(f);
    if (fields.size() < 15)
        return -1;
    // Fields after the name, from "state" (index 0): ppid 1, utime 11, stime 12, cutime 13, cstime 14.
    if (parent)
        *parent = static_cast<pid_t>(std::atoll(fields[1].c_str()));
    std::int64_t ticks = std::atoll(fields[11].c_str()) + std::atoll(fields[12].c_str());
    if (children)
        ticks += std::atoll(fields[13].c_str()) + std::atoll(fields[14].c_str());
    return ticks;
}

namespace detail {

/// Run the cluster script with `action` on `dir`, its standard output dropped (`start` prints the
/// settings, which are read from DIR/env). Only fork, open, dup2, execv and waitpid: it is also
/// called from the signal handler below.
inline int runClusterScript(const char* action, const char* dir)
{
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 0);
        ::dup2(null, 1);
        char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>(VIGIL_PG_CLUSTER_SCRIPT),
                        const_cast<char*>(action), const_cast<char*>(dir), nullptr};
        ::execv("/bin/sh", argv);
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// The folder of the throwaway cluster to clean when the process ends (one a process).
inline std::array<char, 512>& ownedClusterDir()
{
    static std::array<char, 512> dir{};
    return dir;
}

inline void cleanOwnedCluster()
{
    auto& dir = ownedClusterDir();
    if (dir[0] == '\0')
        return;
    (void)runClusterScript("clean", dir.data());
    dir[0] = '\0';
}

inline void cleanOnSignal(int sig)
{
    cleanOwnedCluster();
    ::_exit(128 + sig);
}

}  // namespace detail

/// The benchmark's cluster. Construct it once; it is removed at the end of the process whatever
/// way it ends (normal return, die()'s exit, an uncaught exception, SIGINT, SIGTERM, SIGHUP). An
/// HttpServer run in the same process later takes SIGINT and SIGTERM for itself (Asio's
/// signal_set) and stops: the benchmark then fails on its next request and cleans up at exit.
class BenchCluster {
public:
    BenchCluster()
    {
        if (const char* named = std::getenv("VIGIL_BENCH_PG_CLUSTER"); named && *named) {
            m_dir = named;
            readEnv();
            return;
        }
        char tmpl[] = "/tmp/vigil-bench-pg-XXXXXX";
        if (!::mkdtemp(tmpl))
            die(makeError(ErrorCode::Internal, "cannot make a temporary folder for the PostgreSQL cluster"));
        m_dir = tmpl;
        own();
        const auto t0 = Steady::now();
        if (detail::runClusterScript("start", m_dir.c_str()) != 0)
            die(makeError(ErrorCode::Internal, "scripts/pg-test-cluster.sh start " + m_dir.string() + " failed"));
        const char* fast = std::getenv("VIGIL_BENCH_PG_FAST");
        m_durable = !(fast && *fast && std::string(fast) != "0");
        if (m_durable) {
            // The last setting in postgresql.conf wins: append, then restart through the script.
            std::ofstream conf(pgRoot() / "data" / "postgresql.conf", std::ios::app);
            conf << "# vigil benchmark: durable, as the SQLCipher store's synchronous=FULL\n"
                    "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\nshared_buffers = 384MB\n";
            conf.close();
            if (!conf || detail::runClusterScript("stop", m_dir.c_str()) != 0
                || detail::runClusterScript("start", m_dir.c_str()) != 0)
                die(makeError(ErrorCode::Internal, "restarting the PostgreSQL cluster durable failed"));
        }
        readEnv();
        std::printf("PostgreSQL 15 cluster in %s on 127.0.0.1:%s (%s), started in %.1f s\n", m_dir.c_str(),
                    m_env["VIGIL_PG_PORT"].c_str(),
                    m_durable ? "durable: fsync and synchronous_commit on, shared_buffers 384 MB"
                              : "the test cluster's settings: fsync and synchronous_commit off",
                    ms(Steady::now() - t0) / 1000);
    }
    ~BenchCluster() { detail::cleanOwnedCluster(); }
    BenchCluster(const BenchCluster&) = delete;
    BenchCluster& operator=(const BenchCluster&) = delete;

    /// The settings for a store in `schema` of this cluster.
    [[nodiscard]] sync::PgSettings settings(const std::string& schema) const
    {
        sync::PgSettings s;
        s.conninfo = m_env.at("VIGIL_PG_CONNINFO");
        s.passwordFile = m_env.at("VIGIL_PG_PASSWORD_FILE");
        s.schema = schema;
        return s;
    }
    [[nodiscard]] bool durable() const noexcept { return m_durable; }

    /// CPU time of the cluster's processes so far, in seconds: the postmaster and every live
    /// backend and worker, and what its reaped children used.
    [[nodiscard]] double cpuSeconds() const
    {
        const pid_t postmaster = postmasterPid();
        if (postmaster <= 0)
            return 0;
        std::int64_t ticks = std::max<std::int64_t>(0, procCpuTicks(postmaster, true));
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const std::string name = entry.path().filename().string();
            if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
                continue;
            pid_t parent = 0;
            const auto t = procCpuTicks(static_cast<pid_t>(std::atoll(name.c_str())), false, &parent);
            if (t > 0 && parent == postmaster)
                ticks += t;
        }
        return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }

    /// A schema name of its own for one store.
    [[nodiscard]] static std::string freshSchema(const std::string& prefix)
    {
        std::array<unsigned char, 6> r{};
        randombytes_buf(r.data(), r.size());
        return prefix + toHex(r);
    }

private:
    void own()
    {
        auto& slot = detail::ownedClusterDir();
        const std::string dir = m_dir.string();
        if (dir.size() >= slot.size())
            die(makeError(ErrorCode::Internal, "the cluster's temporary folder name is too long"));
        std::copy(dir.begin(), dir.end(), slot.begin());
        slot[dir.size()] = '\0';
        std::atexit(detail::cleanOwnedCluster);
        std::set_terminate([] {
            detail::cleanOwnedCluster();
            std::abort();
        });
        for (int sig : {SIGINT, SIGTERM, SIGHUP})
            std::signal(sig, detail::cleanOnSignal);
    }

    [[nodiscard]] std::filesystem::path pgRoot() const
    {
        std::ifstream in(m_dir / "pgroot");
        std::string root;
        std::getline(in, root);
        return root;
    }

    [[nodiscard]] pid_t postmasterPid() const
    {
        std::ifstream in(pgRoot() / "data" / "postmaster.pid");
        long pid = 0;
        in >> pid;
        return static_cast<pid_t>(pid);
    }

    void readEnv()
    {
        auto env = test::readClusterEnv(m_dir);
        if (!env)
            die(makeError(ErrorCode::NotFound, "no cluster settings in " + m_dir.string() + "/env"));
        m_env = std::move(*env);
        if (m_env["VIGIL_PG_CONNINFO"].empty())
            die(makeError(ErrorCode::Internal, "the cluster's env in " + m_dir.string() + " names no connection"));
    }

    std::filesystem::path m_dir;
    std::map<std::string, std::string> m_env;
    bool m_durable = false;
};

}  // namespace vigil::bench
