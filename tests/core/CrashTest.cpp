// Test 3 of the foundation issue: SIGKILL a real writer process at random moments.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"
#include "tests/support/KillableChild.h"
#include "tests/support/TempDir.h"
#include "tests/tools/CrashBatches.h"

using namespace vigil;
using namespace vigil::test;
using Ms = std::chrono::milliseconds;

namespace {

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
            KillableChild w(KillableChild::resolve("VIGIL_CRASH_WRITER", VIGIL_CRASH_WRITER), {dbPath.string()}, keyHex);
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
