// Test 3 of the foundation issue: SIGKILL a real writer process at random moments.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"
#include "tests/support/TempDir.h"
#include "tests/tools/CrashBatches.h"

extern char** environ;

using namespace vigil;
using namespace vigil::test;
using Ms = std::chrono::milliseconds;

namespace {

/// A running vigil_crash_writer with its stdout readable as a stream of acknowledged batches.
class Writer {
public:
    Writer(const std::filesystem::path& db, const std::string& keyHex)
    {
        int in[2];
        int out[2];
        REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        std::string exe = VIGIL_CRASH_WRITER;
        std::string path = db.string();
        char* argv[] = {exe.data(), path.data(), nullptr};
        REQUIRE(posix_spawn(&m_pid, exe.c_str(), &actions, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        const std::string line = keyHex + "\n";
        REQUIRE(::write(in[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
        ::close(in[1]);
        m_out = out[0];
    }
    ~Writer()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_out);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    /// Read acknowledgements for up to `wait`; returns the highest batch acknowledged so far.
    std::int64_t pump(Ms wait)
    {
        const auto deadline = std::chrono::steady_clock::now() + wait;
        for (;;) {
            const auto left = std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0)
                break;
            pollfd p{m_out, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0)
                break;
            char buf[512];
            const ssize_t n = ::read(m_out, buf, sizeof buf);
            if (n <= 0)
                break;
            for (ssize_t i = 0; i < n; ++i) {
                if (buf[i] == '\n') {
                    m_acked = std::max<std::int64_t>(m_acked, std::stoll(m_partial));
                    m_partial.clear();
                } else {
                    m_partial += buf[i];
                }
            }
        }
        return m_acked;
    }
    /// SIGKILL, reap, then collect any acknowledgement that was already in the pipe.
    std::int64_t killNow()
    {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        m_killedBySignal = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        return pump(Ms(0));
    }
    [[nodiscard]] bool killedBySignal() const { return m_killedBySignal; }

private:
    pid_t m_pid = -1;
    int m_out = -1;
    std::string m_partial;
    std::int64_t m_acked = 0;
    bool m_killedBySignal = false;
};

int killsPerStore()
{
    const char* env = std::getenv("VIGIL_CRASH_KILLS_PER_STORE");
    return env ? std::max(1, std::atoi(env)) : 500;
}

int killsWanted()
{
    const char* env = std::getenv("VIGIL_CRASH_KILLS");
    return env ? std::max(1, std::atoi(env)) : 200;
}

}  // namespace

TEST_CASE("After a SIGKILL at any moment the store reopens whole: every acknowledged batch, no partial one", "[store][crash]")
{
    TempDir dir{"vigil-crash"};
    const auto dbPath = dir / "crash.db";
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    const std::string keyHex = toHex(key.span());
    const std::string kcv = keyCheckValue(key.span());

    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> coin(0, 1);
    std::uniform_int_distribution<int> delay(0, 25);
    const int kills = killsWanted();
    std::int64_t lastAcked = 0;
    int killsAfterProgress = 0;
    int unackedButCommitted = 0;
    std::int64_t verifiedUpTo = 0;
    std::int64_t totalAcked = 0;

    for (int k = 0; k < kills; ++k) {
        if (k > 0 && k % killsPerStore() == 0) {
            // Long runs start a fresh store now and then, so integrity_check stays quick.
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(dbPath.string() + suffix);
            lastAcked = 0;
            verifiedUpTo = 0;
        }
        std::int64_t acked = 0;
        {
            Writer w(dbPath, keyHex);
            if (coin(rng) == 1) {
                // Let it commit at least once (so the kill lands mid-stream), then kill at random.
                const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while (w.pump(Ms(50)) <= lastAcked && std::chrono::steady_clock::now() < until) {
                }
                ++killsAfterProgress;
            }
            w.pump(Ms(delay(rng)));
            acked = w.killNow();
            REQUIRE(w.killedBySignal());  // it was still running: the kill was real
        }
        totalAcked += std::max<std::int64_t>(0, acked - lastAcked);
        lastAcked = std::max(lastAcked, acked);

        OpenOptions o;
        o.keyCheck = kcv;
        if (!std::filesystem::exists(dbPath)) {
            REQUIRE(lastAcked == 0);  // killed before it had even created the store
            continue;
        }
        auto db = Database::open(dbPath, key.span(), o);
        std::error_code sizeError;
        INFO("kill " << k + 1 << " of " << kills << ", file size " << std::filesystem::file_size(dbPath, sizeError));
        if (!db.ok())
            FAIL("the store did not reopen: " << db.error().message);
        INFO("kill " << k + 1 << " of " << kills << ", last acknowledged batch " << lastAcked);
        REQUIRE((*db)->integrityCheck().ok());
        auto hasTable = (*db)->queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'batch_row';");
        REQUIRE(hasTable.ok());
        if (*hasTable == 0) {
            REQUIRE(lastAcked == 0);  // killed before its first commit
            continue;
        }
        // Every batch present is whole: no gaps, exactly the rows written (counts for all,
        // content for the batches not verified after an earlier kill, plus the last one).
        std::int64_t maxBatch = 0;
        std::string problem;
        {
            auto q = (*db)->prepare("SELECT batch, count(*) FROM batch_row GROUP BY batch ORDER BY batch;");
            REQUIRE(q.ok());
            for (std::int64_t expected = 1;; ++expected) {
                auto row = q->step();
                REQUIRE(row.ok());
                if (!*row)
                    break;
                maxBatch = q->columnInt(0);
                if (maxBatch != expected || q->columnInt(1) != crashBatchRows(maxBatch)) {
                    problem = "batch " + std::to_string(maxBatch) + " has " + std::to_string(q->columnInt(1))
                        + " rows (expected batch " + std::to_string(expected) + " with "
                        + std::to_string(crashBatchRows(expected)) + ")";
                    break;
                }
            }
        }
        {
            auto q = (*db)->prepare("SELECT batch, idx, payload FROM batch_row WHERE batch >= ?1 ORDER BY batch, idx;");
            REQUIRE(q.ok());
            q->bind(1, std::max<std::int64_t>(1, verifiedUpTo));
            for (;;) {
                auto row = q->step();
                REQUIRE(row.ok());
                if (!*row)
                    break;
                const auto batch = q->columnInt(0);
                const int idx = static_cast<int>(q->columnInt(1));
                if (q->columnText(2) != crashPayload(batch, idx) && problem.empty())
                    problem = "batch " + std::to_string(batch) + " row " + std::to_string(idx) + " has the wrong content";
            }
        }
        REQUIRE(problem.empty());
        verifiedUpTo = maxBatch;
        // Every acknowledged batch survived. At most one more batch is present: one whose
        // COMMIT returned but whose acknowledgement the kill cut off. It is whole (checked above).
        REQUIRE(maxBatch >= lastAcked);
        REQUIRE(maxBatch <= lastAcked + 1);
        if (maxBatch == lastAcked + 1) {
            ++unackedButCommitted;
            lastAcked = maxBatch;  // the next writer resumes after it
        }
    }
    WARN(kills << " kills, " << killsAfterProgress << " after the writer had committed, " << totalAcked
               << " batches acknowledged and found whole, " << unackedButCommitted
               << " batches committed with their acknowledgement cut off (found whole), 0 partial");
    CHECK(totalAcked > 0);
}
