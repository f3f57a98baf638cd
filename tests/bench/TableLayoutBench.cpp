// Table layouts on a real SQLCipher file (docs/performance.md, "Record tables"). Prints figures;
// asserts nothing about time.
//   build/dev/tests/bench/vigil_bench_table_layout          100,000 rows of ~2.2 KB
//   VIGIL_BENCH_ROWS=N build/dev/tests/bench/vigil_bench_table_layout
//   VIGIL_BENCH_SMOKE=1 ...                                 2,000 rows, for CI
//
// 1. Record rows (the device schema's columns, a ~2.2 KB `fields` text, random UUID-like ids
//    inserted in random order): the old WITHOUT ROWID table (schema steps 2-8) against the
//    rowid table of step 9 — time to insert them all, file size, 1,000 updates of random rows.
// 2. Appending ~2 KB ops to an outbox with and without an AFTER INSERT trigger keeping a counter
//    (schema step 7's triggers, dropped in step 8): a statement that fires a trigger runs under
//    a statement journal, and SQLCipher encrypts every page written to it.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <sodium.h>

#include "core/store/Database.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {

std::unique_ptr<Database> openStore(const std::filesystem::path& file)
{
    std::array<unsigned char, 32> key{};
    randombytes_buf(key.data(), key.size());
    OpenOptions options;
    options.create = true;
    return must(Database::open(file, key, options));
}

std::string idFor(int i)
{
    // Random order, like UUIDs: a keyed permutation of the row number.
    const unsigned h = static_cast<unsigned>(i) * 2654435761u;
    char text[48];
    std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012d", h, i);
    return text;
}

void recordRows(const std::filesystem::path& dir, bool withoutRowid, int rows, const std::string& fields)
{
    const auto file = dir / (withoutRowid ? "without-rowid.db" : "rowid.db");
    auto db = openStore(file);
    must(db->exec(std::string("CREATE TABLE answer (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT, parent_id TEXT,"
                              " origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
                              " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL)")
                  + (withoutRowid ? " WITHOUT ROWID;" : ";") + "CREATE INDEX answer_incident ON answer (incident_id);"));
    const char* insert = "INSERT INTO answer (id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc,"
                         " fields, stamps) VALUES (?1, ?2, '', 'device', 0, '1', '1', ?3, '{}');";
    auto t0 = Steady::now();
    for (int first = 0; first < rows; first += 500) {
        must(db->transaction([&]() -> Status {
            for (int i = first; i < std::min(rows, first + 500); ++i) {
                auto q = db->prepare(insert);
                if (!q)
                    return std::move(q).error();
                VIGIL_TRY(q->bind(1, idFor(i)).bind(2, "incident-" + std::to_string(i / 20)).bind(3, fields).run());
            }
            return {};
        }));
    }
    const double insertMs = ms(Steady::now() - t0);
    std::vector<double> updates;
    std::mt19937 rng(7);
    for (int rep = 0; rep < 3; ++rep) {
        t0 = Steady::now();
        must(db->transaction([&]() -> Status {
            for (int n = 0; n < 1000; ++n) {
                const int i = std::uniform_int_distribution<int>(0, rows - 1)(rng);
                auto q = db->prepare("UPDATE answer SET incident_id = ?2, updated_hlc = ?3, fields = ?4 WHERE id = ?1;");
                if (!q)
                    return std::move(q).error();
                VIGIL_TRY(q->bind(1, idFor(i)).bind(2, "incident-" + std::to_string(i / 20))
                              .bind(3, std::to_string(rep + 2)).bind(4, fields).run());
            }
            return {};
        }));
        updates.push_back(ms(Steady::now() - t0));
    }
    const auto size = std::filesystem::file_size(file);
    std::printf("  %-14s insert %d rows %8.0f ms   file %6.1f MB   1,000 updates (one transaction each) median %6.1f ms\n",
                withoutRowid ? "WITHOUT ROWID" : "rowid", rows, insertMs, static_cast<double>(size) / 1e6,
                stats(updates).median);
}

void outboxAppends(const std::filesystem::path& dir, bool trigger, int ops, const std::string& value)
{
    auto db = openStore(dir / (trigger ? "outbox-trigger.db" : "outbox-plain.db"));
    must(db->exec("CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, record_id TEXT NOT NULL,"
                  " incident_id TEXT, field TEXT NOT NULL, value TEXT NOT NULL, base TEXT, hlc TEXT NOT NULL);"
                  "CREATE INDEX outbox_record ON outbox (record_id);"
                  "CREATE TABLE outbox_total (one INTEGER PRIMARY KEY, ops INTEGER NOT NULL);"
                  "INSERT INTO outbox_total VALUES (1, 0);"));
    if (trigger)
        must(db->exec("CREATE TRIGGER outbox_count AFTER INSERT ON outbox BEGIN"
                      " UPDATE outbox_total SET ops = ops + 1 WHERE one = 1; END;"));
    const auto t0 = Steady::now();
    for (int first = 0; first < ops; first += 500) {
        must(db->transaction([&]() -> Status {
            for (int i = first; i < std::min(ops, first + 500); ++i) {
                auto q = db->prepare("INSERT INTO outbox (entity, record_id, incident_id, field, value, base, hlc)"
                                     " VALUES ('answer', ?1, ?2, 'note', ?3, NULL, ?4);");
                if (!q)
                    return std::move(q).error();
                VIGIL_TRY(q->bind(1, idFor(i)).bind(2, "incident-" + std::to_string(i / 20)).bind(3, value)
                              .bind(4, std::to_string(i)).run());
            }
            if (!trigger) {
                auto q = db->prepare("UPDATE outbox_total SET ops = ops + ?1 WHERE one = 1;");
                if (!q)
                    return std::move(q).error();
                VIGIL_TRY(q->bind(1, std::min(ops, first + 500) - first).run());
            }
            return {};
        }));
    }
    const double took = ms(Steady::now() - t0);
    std::printf("  %-34s %d ops %8.0f ms (%.1f us an op)\n",
                trigger ? "counter kept by a trigger" : "counter written once a transaction", ops, took,
                took * 1000 / ops);
}

}  // namespace

int main()
{
    if (sodium_init() < 0)
        return 1;
    const char* rowsEnv = std::getenv("VIGIL_BENCH_ROWS");
    const int rows = rowsEnv ? std::max(1000, std::atoi(rowsEnv)) : smoke() ? 2000 : 100000;
    std::string fields = "{\"note\":\"";
    std::mt19937 rng(2026);
    while (fields.size() < 2200)
        fields.push_back(static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng)));
    fields += "\"}";
    test::TempDir dir("vigil-bench-layout");
    std::printf("Table layouts on SQLCipher (8 KiB pages, WAL, 32 MiB cache), rows of %zu bytes%s\n", fields.size(),
                smoke() ? " (smoke run: figures not meaningful)" : "");
    std::printf("record rows:\n");
    recordRows(dir.path(), true, rows, fields);
    recordRows(dir.path(), false, rows, fields);
    std::printf("outbox appends (~2 KB values, transactions of 500):\n");
    outboxAppends(dir.path(), true, rows, fields);
    outboxAppends(dir.path(), false, rows, fields);
    return 0;
}
