// Store benchmarks (foundation issue). Prints figures; asserts nothing about time.
//   build/dev/tests/bench/vigil_bench_store            full run (figures in docs/performance.md)
//   VIGIL_BENCH_SMOKE=1 build/dev/tests/bench/vigil_bench_store   a few iterations, for CI
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/store/Database.h"
#include "core/store/SecureStore.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {


/// A ~2 KB record body, different for every id, shaped like JSON (so it compresses poorly
/// enough to be realistic once encrypted).
std::string recordBody(std::int64_t id)
{
    std::string s = R"({"id":")" + std::to_string(id) + R"(","answers":[)";
    std::uint64_t x = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ULL + 1;
    while (s.size() < 2000) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s += R"({"q":)" + std::to_string(x % 27 + 1) + R"(,"a":")" + (x % 3 == 0 ? "yes" : "no") + R"(","note":")"
            + std::to_string(x) + R"("},)";
    }
    s += "{}]}";
    return s;
}

void benchUnlock(const std::filesystem::path& base)
{
    test::InMemorySecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Moderate;
    SecureStore store(base / "unlock", secrets, config);
    must(store.setUp("480516"));
    {
        auto db = must(store.unlock("480516"));
        must(db->exec("CREATE TABLE r (id INTEGER PRIMARY KEY, body TEXT);"));
        must(db->transaction([&]() -> Status {
            auto q = db->prepare("INSERT INTO r (id, body) VALUES (?1, ?2);");
            if (!q)
                return std::move(q).error();
            for (int i = 0; i < 2000; ++i) {
                q->bind(1, i).bind(2, recordBody(i));
                VIGIL_TRY(q->run());
            }
            return {};
        }));
    }
    std::vector<double> times;
    const int runs = smoke() ? 1 : 7;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Steady::now();
        auto db = must(store.unlock("480516"));
        auto q = must(db->prepare("SELECT body FROM r WHERE id = 1000;"));
        if (!must(q.step()))
            die(makeError(ErrorCode::Internal, "first read found nothing"));
        times.push_back(ms(Steady::now() - t0));
    }
    const Stats s = stats(times);
    std::printf("unlock (Argon2id MODERATE + unwrap + open + first read), %d runs: median %.0f ms, max %.0f ms\n", runs,
                s.median, s.max);
}

void benchAutosave(const std::filesystem::path& base)
{
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    OpenOptions o;
    o.create = true;
    auto db = must(Database::open(base / "autosave.db", key.span(), o));
    must(db->exec("CREATE TABLE answer (id TEXT PRIMARY KEY, value TEXT NOT NULL, hlc INTEGER NOT NULL) WITHOUT ROWID;"));
    const int n = smoke() ? 50 : 2000;
    std::vector<double> times;
    times.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const auto t0 = Steady::now();
        must(db->transaction([&]() -> Status {
            auto q = db->prepare("INSERT OR REPLACE INTO answer (id, value, hlc) VALUES (?1, ?2, ?3);");
            if (!q)
                return std::move(q).error();
            q->bind(1, "victims[0].dash.q" + std::to_string(i % 27 + 1)).bind(2, i % 2 ? "yes" : "no").bind(3, i);
            return q->run();
        }));
        times.push_back(ms(Steady::now() - t0));
    }
    const Stats s = stats(times);
    std::printf("autosave (one-row commit, synchronous=FULL, WAL), %d commits: median %.2f ms, p99 %.2f ms, max %.2f ms\n",
                n, s.median, s.p99, s.max);
}

void benchBulk(const std::filesystem::path& base, bool encrypted, int pageSize, int count)
{
    const auto path = base / ("bulk-" + std::string(encrypted ? "enc-" : "plain-") + std::to_string(pageSize) + ".db");
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    OpenOptions o;
    o.create = true;
    o.pageSize = pageSize;
    auto db = must(encrypted ? Database::open(path, key.span(), o) : Database::openPlaintextForBenchmark(path, o));
    must(db->exec("CREATE TABLE r (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"));
    std::vector<std::string> bodies;
    bodies.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        bodies.push_back(recordBody(i));
    const auto t0 = Steady::now();
    must(db->transaction([&]() -> Status {
        auto q = db->prepare("INSERT INTO r (id, body) VALUES (?1, ?2);");
        if (!q)
            return std::move(q).error();
        for (int i = 0; i < count; ++i) {
            q->bind(1, i).bind(2, bodies[static_cast<std::size_t>(i)]);
            VIGIL_TRY(q->run());
        }
        return {};
    }));
    const double insertMs = ms(Steady::now() - t0);
    must(db->checkpoint());
    const auto t1 = Steady::now();
    auto q = must(db->prepare("SELECT sum(length(body)) FROM r;"));
    (void)must(q.step());
    const double scanMs = ms(Steady::now() - t1);
    const auto size = std::filesystem::file_size(path);
    std::printf("%d records of ~2 KB in one transaction, %s, page %d: insert %.0f ms, full scan %.0f ms, file %.1f MB "
                "(%.0f bytes/record)\n",
                count, encrypted ? "encrypted" : "unencrypted", pageSize, insertMs, scanMs,
                static_cast<double>(size) / 1e6, static_cast<double>(size) / count);
}

}  // namespace

int main()
{
    test::TempDir dir("vigil-bench");
    std::printf("Vigil store benchmark%s\n", smoke() ? " (smoke run: few iterations, figures not meaningful)" : "");
    benchUnlock(dir.path());
    benchAutosave(dir.path());
    const int count = smoke() ? 2000 : 100000;
    benchBulk(dir.path(), true, 4096, count);
    benchBulk(dir.path(), true, 8192, count);
    benchBulk(dir.path(), false, 4096, count);
    std::printf("record body: %zu bytes\n", recordBody(1).size());
    return 0;
}
