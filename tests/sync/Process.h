#pragma once

#include "sync/server/ServerStore.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "sync/client/SyncClient.h"
#include "tests/support/TempDir.h"

namespace vigil::test {

/// A finished child process.
struct ProcessResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Run `exe args...` to completion (stdin from /dev/null), capturing its output.
[[nodiscard]] ProcessResult runProcess(const std::string& exe, const std::vector<std::string>& args);

/// vigil-admin with the given arguments.
[[nodiscard]] ProcessResult admin(const std::vector<std::string>& args);

/// A real vigil-server on 127.0.0.1 with an ephemeral port, in its own temporary folder
/// made by `vigil-admin init`. Stopped (SIGTERM, then SIGKILL) on destruction.
class ServerProcess {
public:
    /// `configure` may change server.json (as JSON) before the server first starts.
    explicit ServerProcess(const std::function<void(nlohmann::json&)>& configure = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    [[nodiscard]] const std::filesystem::path& dataDir() const { return m_dataDir; }
    [[nodiscard]] std::uint16_t port() const { return m_port; }
    [[nodiscard]] sync::SpkiPin pin() const { return m_pin; }
    [[nodiscard]] sync::ServerEndpoint endpoint() const { return {"127.0.0.1", m_port, m_pin}; }
    /// `vigil-admin --data-dir <this> args...`
    [[nodiscard]] ProcessResult admin(std::vector<std::string> args) const;
    /// Add a user (officer in team "north", borough "camden", not cleared for restricted
    /// records, unless told otherwise).
    void addUser(const std::string& id, const std::string& role = "officer", const std::string& team = "north",
                 const std::string& borough = "camden", bool cleared = false, const std::string& name = {});
    /// A fresh one-time code line (vigil1:…) for `user`.
    [[nodiscard]] std::string enrolCode(const std::string& user, const std::vector<std::string>& extra = {});
    /// Everything the server has logged so far.
    [[nodiscard]] std::string log() const;
    /// Stop the server now and return its exit status.
    int stop();
    /// Start it again after stop(), on the same store and the same port.
    void restart();

    // --- its store, whichever it is (the suite runs on both: VIGIL_TEST_STORE=postgresql) ---
    /// The store is PostgreSQL (the fixture's cluster, a schema of this server's own).
    [[nodiscard]] bool onPostgresql() const;
    /// A number from the store's own tables (SQL both stores understand: counts, plain selects).
    [[nodiscard]] std::int64_t storeCount(const std::string& sql) const;
    /// The first column of each row, as text.
    [[nodiscard]] std::vector<std::string> storeTexts(const std::string& sql) const;
    /// Device audit entries the server holds of a device's chain.
    [[nodiscard]] std::int64_t auditEntries(const std::string& deviceId) const;
    /// Change the store behind the server's back (someone with the database and the key).
    void storeExec(const std::string& sql) const;
    /// The store opened as vigil-admin opens it (from server.json), beside the running server.
    [[nodiscard]] std::unique_ptr<sync::ServerStore> openStore() const;

private:
    void start();

    TempDir m_dir{"vigil-sync"};
    std::filesystem::path m_dataDir;
    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
    sync::SpkiPin m_pin{};
};

/// A test that looks inside the SQLCipher store's file (or backs it up, or puts it back) says it
/// is skipped on PostgreSQL, in the words ctest's SKIP_REGULAR_EXPRESSION looks for; true then.
[[nodiscard]] bool skippedOnPostgresql(const ServerProcess& server, const std::string& why);

/// The code line (starting "vigil1:") in vigil-admin's output, or "".
[[nodiscard]] std::string codeLineIn(const std::string& adminOutput);

}  // namespace vigil::test
