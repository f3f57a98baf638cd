// Test 1 of the foundation issue: nothing readable on disk.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/store/Database.h"
#include "tests/support/FileScan.h"
#include "tests/support/StoreFixture.h"

using namespace vigil;
using namespace vigil::test;

namespace {

const std::vector<std::string> kCanaries = {
    "CANARY-victim-Roxanne-Quillfeather",
    "CANARY 17 Larkspur Mews E8 4QT",
    "CANARY-dob-1987-03-14",
    "CANARY-note: afraid he will kill her if she calls",
};

Status writeCanaries(Database& db)
{
    VIGIL_TRY(db.exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"));
    return db.transaction([&]() -> Status {
        auto q = db.prepare("INSERT INTO notes (body) VALUES (?1);");
        if (!q)
            return std::move(q).error();
        for (const auto& c : kCanaries) {
            // Short, and long enough to spill into an overflow page.
            q->bind(1, c);
            VIGIL_TRY(q->run());
            q->bind(1, c + std::string(3000, 'x') + c);
            VIGIL_TRY(q->run());
        }
        return {};
    });
}

std::vector<std::string> needles()
{
    std::vector<std::string> n = kCanaries;
    n.emplace_back("SQLite format 3");
    n.emplace_back(kGoodPin);
    return n;
}

}  // namespace

TEST_CASE("Records written to the store leave no plaintext in any file, while open or after locking", "[store][security]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    auto db = f.store->unlock(kGoodPin);
    REQUIRE(db.ok());
    REQUIRE(writeCanaries(**db).ok());

    // While open, the committed data sits in the -wal file: it must be encrypted too.
    REQUIRE(std::filesystem::exists(f.store->databasePath().string() + "-wal"));
    REQUIRE(std::filesystem::exists(f.store->databasePath().string() + "-shm"));
    auto hitsOpen = scanForPlaintext(f.dir.path(), needles());
    for (const auto& h : hitsOpen)
        UNSCOPED_INFO("found '" << h.needle << "' in " << h.file);
    CHECK(hitsOpen.empty());

    db->reset();  // lock
    auto hitsLocked = scanForPlaintext(f.dir.path(), needles());
    for (const auto& h : hitsLocked)
        UNSCOPED_INFO("found '" << h.needle << "' in " << h.file);
    CHECK(hitsLocked.empty());

    // And the data is really there: unlocking reads it back.
    auto again = f.store->unlock(kGoodPin);
    REQUIRE(again.ok());
    CHECK((*again)->queryInt("SELECT count(*) FROM notes WHERE body LIKE 'CANARY%';").value() == 8);
}

TEST_CASE("Store files are private to the user: folder 0700, files 0600", "[store][security]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    auto db = f.store->unlock(kGoodPin);
    REQUIRE(db.ok());
    REQUIRE(writeCanaries(**db).ok());
    CHECK(permissions(f.store->directory()) == 0700U);
    CHECK(permissions(f.store->vaultPath()) == 0600U);
    CHECK(permissions(f.store->databasePath()) == 0600U);
    CHECK(permissions(f.store->databasePath().string() + "-wal") == 0600U);
    CHECK(permissions(f.store->databasePath().string() + "-shm") == 0600U);
}
