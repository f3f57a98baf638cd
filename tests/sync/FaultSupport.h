#pragma once

// Helpers of the sync fault tests: a vigil-server process that can be killed with SIGKILL and
// started again on the same store, and a look into that store (op log, materialised records)
// to compare with the devices.

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/records/RecordDigest.h"
#include "sync/protocol/Encoding.h"
#include "tests/support/TempDir.h"

namespace vigil::test {

/// A real vigil-server on 127.0.0.1 in its own temporary folder (made by `vigil-admin init`),
/// which a test can kill -9 and restart on the same store. Each start binds a new ephemeral
/// port (put a FaultProxy in front so devices keep one address). Thread-safe.
class RestartableServer {
public:
    RestartableServer();
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

private:
    TempDir m_dir{"vigil-fault"};
    std::filesystem::path m_dataDir;
    sync::SpkiPin m_pin{};
    mutable std::mutex m_mutex;
    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
    int m_starts = 0;
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
/// readers beside the running server).
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
