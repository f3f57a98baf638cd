#include "tests/support/KillableChild.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace vigil::test {

using Ms = std::chrono::milliseconds;

std::string KillableChild::resolve(const char* envName, const char* builtIn)
{
    const char* overridden = std::getenv(envName);
    return overridden && *overridden ? overridden : builtIn;
}

KillableChild::KillableChild(const std::string& executable, const std::vector<std::string>& args,
                             const std::string& stdinLine)
{
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<std::string> argStore;
    argStore.push_back(executable);
    argStore.insert(argStore.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&m_pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        throw std::runtime_error("could not start " + executable + " (error " + std::to_string(rc) + ")");
    }
    const std::string line = stdinLine + "\n";
    [[maybe_unused]] const auto written = ::write(in[1], line.data(), line.size());
    ::close(in[1]);
    m_out = out[0];
}

KillableChild::~KillableChild()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    ::close(m_out);
}

std::int64_t KillableChild::pump(Ms wait)
{
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now()).count();
        pollfd p{m_out, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0)
            break;
        char buf[512];
        const ssize_t n = ::read(m_out, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; ++i) {
            if (buf[i] == '\n') {
                m_progress = std::max<std::int64_t>(m_progress, std::stoll(m_partial));
                m_partial.clear();
            } else {
                m_partial += buf[i];
            }
        }
        if (left <= 0)
            break;
    }
    return m_progress;
}

std::int64_t KillableChild::killNow()
{
    if (m_pid <= 0)  // already reaped: never kill(-1, ...)
        return pump(Ms(0));
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    m_killedBySignal = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    return pump(Ms(0));
}

bool KillableChild::running()
{
    if (m_pid <= 0)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) != m_pid)
        return true;
    m_pid = -1;
    m_exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return false;
}

int KillableChild::waitForExit(Ms wait)
{
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) {
            killNow();
            return -1;
        }
        pump(Ms(20));
        std::this_thread::sleep_for(Ms(5));  // the pipe may be at its end already
    }
    pump(Ms(0));
    return m_exitStatus;
}

}  // namespace vigil::test
