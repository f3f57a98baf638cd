#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace vigil::test {

/// A real child process for crash tests: started with arguments and one line on its standard
/// input, it reports progress as numbers, one per line, on standard output. The test reads
/// that progress and SIGKILLs the child whenever it likes.
class KillableChild {
public:
    KillableChild(const std::string& executable, const std::vector<std::string>& args, const std::string& stdinLine);
    ~KillableChild();
    KillableChild(const KillableChild&) = delete;
    KillableChild& operator=(const KillableChild&) = delete;

    /// Read progress for up to `wait`; returns the highest number reported so far.
    std::int64_t pump(std::chrono::milliseconds wait);
    /// SIGKILL, reap, then collect any progress already in the pipe.
    std::int64_t killNow();
    /// Wait up to `wait` for the child to end by itself (reading its progress meanwhile):
    /// its exit status, -1 when it was still running (it is then killed), or 128 + the
    /// signal that ended it.
    int waitForExit(std::chrono::milliseconds wait);
    /// False once the child has ended (reaped here; waitForExit then gives its status).
    bool running();
    /// True when the child was still running when killed (the kill was real).
    [[nodiscard]] bool killedBySignal() const { return m_killedBySignal; }
    /// The executable, honouring an environment override (for long runs from a copy).
    [[nodiscard]] static std::string resolve(const char* envName, const char* builtIn);

private:
    pid_t m_pid = -1;
    int m_out = -1;
    std::string m_partial;
    std::int64_t m_progress = 0;
    bool m_killedBySignal = false;
    int m_exitStatus = -1;
};

}  // namespace vigil::test
