#pragma once

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

private:
    void start();

    TempDir m_dir{"vigil-sync"};
    std::filesystem::path m_dataDir;
    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
    sync::SpkiPin m_pin{};
};

/// The code line (starting "vigil1:") in vigil-admin's output, or "".
[[nodiscard]] std::string codeLineIn(const std::string& adminOutput);

}  // namespace vigil::test
