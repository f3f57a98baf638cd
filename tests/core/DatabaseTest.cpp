#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <chrono>
#include <thread>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::test;

namespace {

std::unique_ptr<Database> openNew(const std::filesystem::path& p, const SecureBytes& key)
{
    OpenOptions o;
    o.create = true;
    auto db = Database::open(p, key.span(), o);
    REQUIRE(db.ok());
    return std::move(db).value();
}

}  // namespace

TEST_CASE("Opening a store that does not exist says so and creates nothing", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto r = Database::open(dir / "missing.db", key.span());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::NotFound);
    CHECK(r.error().message.find("enrol") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));
}

TEST_CASE("A new store runs in WAL mode with full sync, foreign keys and in-memory temp data", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto db = openNew(dir / "a.db", key);
    CHECK(db->queryInt("PRAGMA synchronous;").value() == 2);  // FULL
    CHECK(db->queryInt("PRAGMA foreign_keys;").value() == 1);
    CHECK(db->queryInt("PRAGMA temp_store;").value() == 2);  // MEMORY
    auto mode = db->prepare("PRAGMA journal_mode;");
    REQUIRE(mode.ok());
    REQUIRE(mode->step().value());
    CHECK(mode->columnText(0) == "wal");
    CHECK(db->queryInt("PRAGMA cipher_page_size;").value() == kCipherPageSize);
    CHECK(db->queryInt("PRAGMA secure_delete;").value() == 1);
}

TEST_CASE("A removed row leaves nothing readable in the file's free pages (secure_delete)", "[db]")
{
    // The same configuration on a file without encryption, so the bytes can be searched: with
    // secure deletion the removed text is gone from the file; without it (the control, turned
    // off by hand) it stays, which is what the setting is for.
    const std::string marker = "Invented Victim-Name 42 Nowhere Road";
    const auto leftInFile = [&](bool secure) {
        TempDir dir;
        OpenOptions o;
        o.create = true;
        auto opened = Database::openPlaintextForBenchmark(dir / "p.db", o);
        REQUIRE(opened.ok());
        auto db = std::move(opened).value();
        if (!secure)
            REQUIRE(db->exec("PRAGMA secure_delete = OFF;").ok());
        REQUIRE(db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);").ok());
        REQUIRE(db->exec("INSERT INTO t (body) VALUES ('keep this row');").ok());
        REQUIRE(db->exec("INSERT INTO t (body) VALUES ('" + marker + "');").ok());
        REQUIRE(db->exec("PRAGMA wal_checkpoint(TRUNCATE);").ok());
        REQUIRE(db->exec("DELETE FROM t WHERE body = '" + marker + "';").ok());
        REQUIRE(db->exec("PRAGMA wal_checkpoint(TRUNCATE);").ok());
        db.reset();
        std::string bytes;
        for (const char* name : {"p.db", "p.db-wal"}) {
            std::ifstream in(dir / name, std::ios::binary);
            bytes += std::string(std::istreambuf_iterator<char>(in), {});
        }
        return bytes.find(marker) != std::string::npos;
    };
    CHECK_FALSE(leftInFile(true));
    CHECK(leftInFile(false));
}

TEST_CASE("Large commits are checkpointed off the committing thread, the WAL stays bounded and nothing is lost",
          "[db][checkpoint]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    const auto file = dir / "big.db";
    const int rows = 8000;  // ~16 MB of 2 KB rows in 8 commits: the WAL passes the 1,000-page wake mark twice
    {
        auto db = openNew(file, key);
        REQUIRE(db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL);").ok());
        std::uintmax_t largestWal = 0;
        for (int batch = 0; batch < 8; ++batch) {
            const auto before = db->backgroundCheckpoints();
            REQUIRE(db->transaction([&]() -> Status {
                          for (int i = 0; i < rows / 8; ++i) {
                              auto q = db->prepare("INSERT INTO t (body) VALUES (randomblob(2000));");
                              if (!q)
                                  return std::move(q).error();
                              VIGIL_TRY(q->run());
                          }
                          return {};
                      })
                        .ok());
            // Give the checkpointer its turn, as the idle time between syncs would (a commit that
            // did not pass the wake mark woke nothing: that wait ends after 300 ms).
            for (int wait = 0; wait < 30 && db->backgroundCheckpoints() == before; ++wait)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            largestWal = std::max(largestWal, std::filesystem::file_size(file.string() + "-wal"));
        }
        CHECK(db->backgroundCheckpoints() > 0);
        // The main file holds the rows (copied by the checkpoints) and the WAL did not keep all
        // ~16 MB: after each checkpoint the next commit writes from its start again.
        CHECK(std::filesystem::file_size(file) > 4u * 1024 * 1024);
        CHECK(largestWal < 12u * 1024 * 1024);
    }
    auto again = Database::open(file, key.span());
    REQUIRE(again.ok());
    CHECK((*again)->queryInt("SELECT count(*) FROM t;").value() == rows);
    CHECK((*again)->integrityCheck().ok());
}

TEST_CASE("A full disk gives a clear error and keeps everything committed before", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto db = openNew(dir / "full.db", key);
    REQUIRE(db->exec("CREATE TABLE t (v TEXT NOT NULL);").ok());
    REQUIRE(db->transaction([&]() -> Status { return db->exec("INSERT INTO t VALUES ('saved before');"); }).ok());
    // Cap the file at its current size: SQLite then reports SQLITE_FULL exactly as on a full disk.
    const auto pages = db->queryInt("PRAGMA page_count;").value();
    REQUIRE(db->exec("PRAGMA max_page_count = " + std::to_string(pages) + ";").ok());

    Status big = db->transaction([&]() -> Status {
        auto q = db->prepare("INSERT INTO t VALUES (?1);");
        if (!q)
            return std::move(q).error();
        for (int i = 0; i < 50; ++i) {
            q->bind(1, std::string(4000, static_cast<char>('a' + i % 26)));
            VIGIL_TRY(q->run());
        }
        return {};
    });
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().code == ErrorCode::DiskFull);
    CHECK(big.error().message.find("Everything saved before it is safe") != std::string::npos);
    CHECK(db->queryInt("SELECT count(*) FROM t;").value() == 1);
    CHECK(db->integrityCheck().ok());
}

TEST_CASE("A prepared statement is cached and reusable after an early exit", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto db = openNew(dir / "c.db", key);
    REQUIRE(db->exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1),(2),(3);").ok());
    for (int round = 0; round < 3; ++round) {
        auto q = db->prepare("SELECT v FROM t ORDER BY v;");
        REQUIRE(q.ok());
        REQUIRE(q->step().value());
        CHECK(q->columnInt(0) == 1);  // abandoned mid-way: the Query resets the statement
    }
}

TEST_CASE("A failed transaction leaves nothing behind", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto db = openNew(dir / "t.db", key);
    REQUIRE(db->exec("CREATE TABLE t (v INTEGER NOT NULL);").ok());
    Status s = db->transaction([&]() -> Status {
        VIGIL_TRY(db->exec("INSERT INTO t VALUES (1);"));
        return db->exec("INSERT INTO t VALUES (NULL);");  // violates NOT NULL
    });
    CHECK_FALSE(s.ok());
    CHECK(db->queryInt("SELECT count(*) FROM t;").value() == 0);
}

TEST_CASE("A transaction whose body throws is rolled back, and the next one commits on its own", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto db = openNew(dir / "x.db", key);
    REQUIRE(db->exec("CREATE TABLE t (v INTEGER NOT NULL);").ok());
    CHECK_THROWS_AS(db->transaction([&]() -> Status {
        VIGIL_TRY(db->exec("INSERT INTO t VALUES (1);"));
        throw std::runtime_error("a throw inside the transaction (test)");
    }),
                    std::runtime_error);
    CHECK_FALSE(db->inTransaction());
    CHECK(db->queryInt("SELECT count(*) FROM t;").value() == 0);
    REQUIRE(db->transaction([&]() -> Status { return db->exec("INSERT INTO t VALUES (2);"); }).ok());
    CHECK(db->queryInt("SELECT count(*) FROM t;").value() == 1);
}

TEST_CASE("A bind error is reported when the statement runs", "[db]")
{
    TempDir dir;
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    auto db = openNew(dir / "b.db", key);
    REQUIRE(db->exec("CREATE TABLE t (v INTEGER);").ok());
    auto q = db->prepare("INSERT INTO t VALUES (?1);");
    REQUIRE(q.ok());
    q->bind(7, 1);  // no such parameter
    CHECK_FALSE(q->run().ok());
}
