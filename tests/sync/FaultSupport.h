#pragma once

// Helpers of the sync fault tests: a vigil-server process that can be killed with SIGKILL and
// started again on the same store, and a look into that store (op log, materialised records)
// to compare with the devices. The store is the SQLCipher file, or PostgreSQL when
// VIGIL_TEST_STORE=postgresql (a schema of the fixture's cluster, as tests/sync/Process.cpp does;
// several servers may share one).

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/records/RecordDigest.h"
#include "sync/protocol/Encoding.h"
#include "tests/support/TempDir.h"

namespace vigil::test {

class PgLogReader;
class RestartableServer;
struct ServerView;

/// Names the server whose database another one shares (RestartableServer's constructor).
struct SameDatabaseAs {
    const RestartableServer& server;
};

/// A real vigil-server on 127.0.0.1 in its own temporary folder (made by `vigil-admin init`),
/// which a test can kill -9 and restart on the same store. Each start binds a new ephemeral
/// port (put a FaultProxy in front so devices keep one address). Thread-safe, except readServer
/// and caughtUpCopy (the test's thread only).
///
/// With VIGIL_TEST_STORE=postgresql the store is a schema of its own in the fixture's cluster.
class RestartableServer {
public:
    RestartableServer();
    /// Another vigil-server in front of the same PostgreSQL schema as `other`: the same server key,
    /// TLS identity (so enrolled devices trust either) and configuration, in a folder of its own,
    /// so it keeps its own records copy (docs/postgresql.md, decision 6). Before either starts or
    /// while they run.
    explicit RestartableServer(const SameDatabaseAs& other);
    ~RestartableServer();
    RestartableServer(const RestartableServer&) = delete;
    RestartableServer& operator=(const RestartableServer&) = delete;

    /// Start the server (when not running) and wait until it listens; returns its port.
    std::uint16_t start();
    /// SIGKILL, then reap. Returns false when it was not running.
    bool killNow();
    [[nodiscard]] bool running() const;
    [[nodiscard]] std::uint16_t port() const;
    [[nodiscard]] int starts() const;
    /// The process id while running, else -1 (for /proc figures in benchmarks).
    [[nodiscard]] pid_t pid() const;
    [[nodiscard]] sync::SpkiPin pin() const { return m_pin; }
    [[nodiscard]] std::filesystem::path configFile() const { return m_dataDir / "server.json"; }
    [[nodiscard]] const std::filesystem::path& dataDir() const { return m_dataDir; }
    /// Everything every run of the server logged.
    [[nodiscard]] std::string log() const;
    /// The store is PostgreSQL.
    [[nodiscard]] bool onPostgresql() const;
    /// PostgreSQL: this server's own records copy (its SQLCipher file beside its configuration)
    /// opened as vigil-server opens it at start, then caught up to the end of the shared op log,
    /// and digested. Only while the server is stopped (the copy is its own while it runs: its
    /// store lock is taken here, so a running server makes this throw).
    [[nodiscard]] RecordDigest caughtUpCopy(const DigestOptions& digest) const;
    /// This server's own records copy as it stands, read beside the running server (a SQLite
    /// reader, as readServer reads the SQLCipher store's): on PostgreSQL, after a request that
    /// catches the copy up (a snapshot page), what its position in memory brought it to.
    [[nodiscard]] RecordDigest runningCopy(const DigestOptions& digest) const;

private:
    friend ServerView readServer(const RestartableServer& server, const std::vector<std::string>& devices,
                                 const DigestOptions& digest);

    TempDir m_dir{"vigil-fault"};
    std::filesystem::path m_dataDir;
    sync::SpkiPin m_pin{};
    mutable std::mutex m_mutex;
    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
    int m_starts = 0;
    /// PostgreSQL: what readServer reads through (the op log, opened; a records copy of the test's own).
    mutable std::unique_ptr<PgLogReader> m_reader;
};

/// A child process started in the background (output to a file), for killing at a moment
/// of the test's choosing. Killed and reaped on destruction.
class BackgroundProcess {
public:
    BackgroundProcess(const std::string& exe, const std::vector<std::string>& args,
                      const std::filesystem::path& output);
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    /// True while it has not exited.
    [[nodiscard]] bool running();
    /// SIGKILL now; true when it was still running (the kill was real).
    bool killNow();
    /// Wait for it to end; its exit status (128 + signal when killed).
    int wait();

private:
    pid_t m_pid = -1;
    int m_status = -1;
};

/// What the server holds for a set of devices and incidents, read from its files (SQLite
/// readers beside the running server), or from PostgreSQL: there the records are a copy of the
/// test's own (PgServerStore's, in a temporary folder) caught up to the end of the op log, which is
/// what every server's copy must agree with once caught up; refusal messages are opened with
/// the key derived from the server key (they are sealed in PostgreSQL).
struct ServerView {
    RecordDigest records;                          ///< the materialised copy, these incidents only
    std::map<std::string, std::int64_t> ops;       ///< device → rows in the op log
    std::map<std::string, std::int64_t> maxSeq;    ///< device → highest seq in the op log
    std::map<std::string, std::int64_t> ackedSeq;  ///< device → device_seq.last_seq
    std::int64_t rejections = 0;                   ///< push_rejections of these devices
    std::vector<std::string> rejectionWords;       ///< each as "device seq field: error: message"
    /// device → where its ops sit in the op log and what the server holds of its view, in
    /// words (for a run that does not converge: was a device's cursor past ops it never got?)
    std::map<std::string, std::string> placement;
};

[[nodiscard]] ServerView readServer(const RestartableServer& server, const std::vector<std::string>& devices,
                                    const DigestOptions& digest);

/// An integer from the environment, or `fallback`.
[[nodiscard]] std::int64_t envInt(const char* name, std::int64_t fallback);

}  // namespace vigil::test
