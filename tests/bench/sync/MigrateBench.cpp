// How long `vigil-admin migrate-store` (issue 26, item 4) keeps a borough's server stopped: a
// SQLCipher server store with a large op log moved into PostgreSQL by the real vigil-admin, in a
// throwaway cluster of its own (PgBenchCluster.h: durable, as the sync benchmarks'; VIGIL_BENCH_PG_FAST=1
// keeps the test cluster's fsync off). Prints figures; asserts nothing about time.
//   build/ci/tests/bench/sync/vigil_bench_migrate                 495,000 ops (100,000 records' worth)
//   VIGIL_BENCH_OPS=N build/ci/tests/bench/sync/vigil_bench_migrate
//   VIGIL_BENCH_SMOKE=1 ...                                       2,000 ops (ctest)
//
// The store is filled with SQL, not by syncing: the move copies rows, whatever they mean. Its
// shape is the sync benchmark's (docs/performance.md, "Speed"): ops of ~1.9 KB of words, 99 ops an
// incident, 5 records an incident per 100 ops, 2 devices a user, plus the per-device tables.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/store/Database.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/sync/PgBenchCluster.h"
#include "tests/support/FileScan.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

using namespace vigil;
using namespace vigil::bench;

namespace {

std::string words(std::mt19937_64& rng, std::size_t bytes)
{
    static const char* const kWords[] = {"the",     "victim", "said",    "that",  "her",     "partner", "had",
                                         "pushed",  "into",   "kitchen", "door",  "earlier", "evening", "after",
                                         "arguing", "about",  "money",   "child", "present", "officer"};
    std::string out;
    while (out.size() < bytes) {
        out += kWords[rng() % (sizeof kWords / sizeof *kWords)];
        out += ' ';
    }
    return out;
}

std::string randomHex(std::size_t bytes)
{
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return toHex({reinterpret_cast<const unsigned char*>(raw.data()), raw.size()});
}

/// Fill the store's tables with `ops` ops and what goes with them.
void fill(Database& db, std::int64_t ops)
{
    std::mt19937_64 rng(26);
    const std::int64_t incidents = std::max<std::int64_t>(1, ops / 99);
    const std::int64_t users = std::max<std::int64_t>(2, incidents / 5);
    const std::int64_t devices = users * 2;
    must(db.exec("BEGIN;"));
    for (std::int64_t u = 0; u < users; ++u) {
        auto q = db.prepare("INSERT INTO users (id, display_name, role, team, borough, scope, created_at, updated_at) "
                            "VALUES (?, ?, 'officer', ?, 'camden', 'team', 1765000000, 1765000000);");
        must(q->bind(1, "pc." + std::to_string(u)).bind(2, "Officer " + std::to_string(u))
                 .bind(3, "team-" + std::to_string(u / 10)).run());
    }
    for (std::int64_t d = 0; d < devices; ++d) {
        const std::string id = "dev-" + std::to_string(d);
        auto q = db.prepare("INSERT INTO devices (id, user_id, name, token_hash, enrolled_at, last_seen_at, "
                            "token_issued_at) VALUES (?, ?, ?, randomblob(32), 1765000000, 1765000000, 1765000000);");
        must(q->bind(1, id).bind(2, "pc." + std::to_string(d / 2)).bind(3, "tablet " + std::to_string(d)).run());
        auto v = db.prepare("INSERT INTO device_view (device, confirmed, issued) VALUES (?, 3, 3);");
        must(v->bind(1, id).run());
        auto s = db.prepare("INSERT INTO device_seq (device, last_seq, top_op_id) VALUES (?, ?, '');");
        must(s->bind(1, id).bind(2, ops / devices + 1).run());
        auto h = db.prepare("INSERT INTO device_audit_head (device, user_id, seq, hash) VALUES (?, ?, 5, ?);");
        must(h->bind(1, id).bind(2, "pc." + std::to_string(d / 2)).bind(3, randomHex(32)).run());
        auto use = db.prepare("INSERT INTO device_usage (device, bytes) VALUES (?, ?);");
        must(use->bind(1, id).bind(2, (ops / devices) * 2100).run());
    }
    for (std::int64_t i = 0; i < incidents; ++i) {
        const std::string id = "inc-" + std::to_string(i);
        const std::int64_t owner = i % users;
        auto q = db.prepare("INSERT INTO incidents (id, owner, team, borough) VALUES (?, ?, ?, 'camden');");
        must(q->bind(1, id).bind(2, "pc." + std::to_string(owner)).bind(3, "team-" + std::to_string(owner / 10)).run());
        for (int r = 0; r < 5; ++r) {
            auto ri = db.prepare("INSERT INTO record_index (entity, id, incident_id) VALUES ('answer', ?, ?);");
            must(ri->bind(1, id + "-a" + std::to_string(r)).bind(2, id).run());
        }
        for (std::int64_t d = owner * 2; d < owner * 2 + 2; ++d) {
            auto vis = db.prepare("INSERT INTO device_visible (device, incident_id) VALUES (?, ?);");
            must(vis->bind(1, "dev-" + std::to_string(d)).bind(2, id).run());
        }
    }
    std::vector<std::int64_t> seq(static_cast<std::size_t>(devices), 0);
    for (std::int64_t n = 0; n < ops; ++n) {
        const std::int64_t incident = n / 99;
        const std::int64_t device = (incident % users) * 2 + (n % 2);
        const std::int64_t s = ++seq[static_cast<std::size_t>(device)];
        const std::string inc = "inc-" + std::to_string(incident);
        auto q = db.prepare("INSERT INTO op_log (device, seq, op_id, entity, record_id, incident_id, field, value, "
                            "hlc, user_id, received_at) VALUES (?, ?, ?, 'answer', ?, ?, 'notes', ?, ?, ?, 1765000000);");
        must(q->bind(1, "dev-" + std::to_string(device)).bind(2, s).bind(3, randomHex(16))
                 .bind(4, inc + "-a" + std::to_string(n % 5)).bind(5, inc)
                 .bind(6, nlohmann::json(words(rng, 1900)).dump()).bind(7, "0001765000000000-0000")
                 .bind(8, "pc." + std::to_string(device / 2)).run());
    }
    for (std::int64_t n = 0; n < ops / 1000 + 1; ++n) {
        auto dis = db.prepare("INSERT INTO disclosures (at, user_id, device_id, incidents, ops, forgotten) "
                              "VALUES (1765000000, 'pc.0', 'dev-0', '[]', 1000, '[]');");
        must(dis->run());
    }
    must(db.exec("COMMIT;"));
}

}  // namespace

int main()
{
    if (sodium_init() < 0)
        return 1;
    if (!postgresInstalled()) {
        reportPostgresSkipped();
        return 0;
    }
    const std::int64_t ops = smoke() ? 2000 : [] {
        const char* n = std::getenv("VIGIL_BENCH_OPS");
        return n && *n ? std::atoll(n) : 495000;
    }();
    test::TempDir dir("vigil-bench-migrate");
    // A throwaway cluster of its own, durable unless VIGIL_BENCH_PG_FAST=1 (PgBenchCluster.h),
    // removed however the benchmark ends.
    const BenchCluster cluster;

    const auto server = dir.path() / "server";
    auto init = test::admin(std::vector<std::string>{"init", "--data-dir", server.string()});
    if (init.exitCode != 0)
        die(makeError(ErrorCode::Io, "vigil-admin init failed: " + init.err));
    {
        auto key = must(sync::loadServerKey(server / "server.key"));
        auto db = must(Database::open(server / "vigil-server.db", key.span()));
        const auto t0 = Steady::now();
        fill(*db, ops);
        db.reset();
        // The server's audit chain as the store writes it (a pull disclosed every 1,000 ops).
        auto store = must(sync::SqlCipherServerStore::open(server / "vigil-server.db", key.span(), false));
        for (std::int64_t n = 0; n < ops / 1000 + 1; ++n)
            must(store->appendServerAudit(sync::serverEntry(1765000000 + n, "vigil-server", "pull", "pc.0", "dev-0",
                                                            {"inc-" + std::to_string(n)}, {{"ops", 1000}})));
        std::printf("store filled: %lld ops in %.1f s, %.0f MB\n", static_cast<long long>(ops), ms(Steady::now() - t0) / 1000,
                    static_cast<double>(std::filesystem::file_size(server / "vigil-server.db")) / 1e6);
    }
    // The operator's copy of the configuration, on PostgreSQL.
    const sync::PgSettings pg = cluster.settings("vigil");
    auto config = nlohmann::json::parse(test::readFile(server / "server.json"));
    config["store"] = "postgresql";
    config["postgresql_conninfo"] = pg.conninfo;
    config["postgresql_password_file"] = pg.passwordFile.string();
    config["postgresql_schema"] = "vigil";
    std::ofstream(server / "server-pg.json") << config.dump(2);

    const auto t0 = Steady::now();
    auto moved = test::admin(std::vector<std::string>{"--data-dir", server.string(), "migrate-store", "--to", (server / "server-pg.json").string()});
    const double took = ms(Steady::now() - t0);
    if (moved.exitCode != 0)
        die(makeError(ErrorCode::Io, "migrate-store failed: " + moved.err));
    if (moved.out.find("DIFFERENT") != std::string::npos)
        die(makeError(ErrorCode::Corrupt, "migrate-store reported a difference:\n" + moved.out));
    std::printf("migrate-store: %lld ops moved, proved and committed in %.1f s (%.0f ops/s)\n",
                static_cast<long long>(ops), took / 1000, static_cast<double>(ops) / (took / 1000));
    return 0;
}
