// Test 4 of the foundation issue: altered pages are detected, never returned.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::test;

namespace {

std::string payloadFor(std::int64_t id)
{
    std::string s = "record-" + std::to_string(id) + ":";
    while (s.size() < 1900)
        s += static_cast<char>('a' + (id * 7 + static_cast<std::int64_t>(s.size())) % 26);
    return s;
}

/// Read every page: a full scan of the table (every leaf, interior and overflow page),
/// a scan through the index, then integrity_check, which walks every b-tree and the free
/// list. Returns the first error; every row returned on the way must be the original.
Status readEverything(Database& db, int& wrongRows)
{
    {
        auto q = db.prepare("SELECT id, body FROM rec ORDER BY id;");
        if (!q)
            return std::move(q).error();
        for (;;) {
            auto row = q->step();
            if (!row)
                return std::move(row).error();
            if (!*row)
                break;
            if (q->columnText(1) != payloadFor(q->columnInt(0)))
                ++wrongRows;
        }
    }
    {
        auto q = db.prepare("SELECT tag FROM rec INDEXED BY rec_tag ORDER BY tag;");
        if (!q)
            return std::move(q).error();
        for (;;) {
            auto row = q->step();
            if (!row)
                return std::move(row).error();
            if (!*row)
                break;
        }
    }
    return db.integrityCheck();
}

}  // namespace

TEST_CASE("Flipping bytes in any page of the encrypted file is detected and no altered data is returned", "[store][tamper]")
{
    TempDir dir{"vigil-tamper"};
    const auto pristine = dir / "pristine.db";
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    std::string kcv = keyCheckValue(key.span());
    {
        OpenOptions o;
        o.create = true;
        auto db = Database::open(pristine, key.span(), o);
        REQUIRE(db.ok());
        REQUIRE((*db)->exec("CREATE TABLE rec (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, body TEXT NOT NULL);"
                            "CREATE INDEX rec_tag ON rec(tag);").ok());
        REQUIRE((*db)->transaction([&]() -> Status {
            auto q = (*db)->prepare("INSERT INTO rec VALUES (?1, ?2, ?3);");
            if (!q)
                return std::move(q).error();
            for (std::int64_t id = 1; id <= 120; ++id) {
                q->bind(1, id).bind(2, "tag-" + std::to_string(id % 17)).bind(3, payloadFor(id));
                VIGIL_TRY(q->run());
            }
            return {};
        }).ok());
        REQUIRE((*db)->checkpoint().ok());  // everything into the main file
        REQUIRE((*db)->queryInt("PRAGMA freelist_count;").value() == 0);
        int wrong = 0;
        REQUIRE(readEverything(**db, wrong).ok());
        REQUIRE(wrong == 0);
    }
    const auto fileSize = std::filesystem::file_size(pristine);
    const auto pageCount = fileSize / static_cast<std::uintmax_t>(kCipherPageSize);
    REQUIRE(fileSize % static_cast<std::uintmax_t>(kCipherPageSize) == 0);
    REQUIRE(pageCount >= 20);

    std::mt19937_64 rng(20261123);
    int detected = 0;
    for (std::uintmax_t page = 0; page < pageCount; ++page) {
        for (int trial = 0; trial < 2; ++trial) {
            const auto work = dir / "work.db";
            std::filesystem::copy_file(pristine, work, std::filesystem::copy_options::overwrite_existing);
            std::filesystem::remove(work.string() + "-wal");
            std::filesystem::remove(work.string() + "-shm");
            // Anywhere in the page: header, ciphertext, IV or HMAC in the reserved tail.
            std::uniform_int_distribution<std::uintmax_t> offsetIn(0, static_cast<std::uintmax_t>(kCipherPageSize) - 1);
            std::uniform_int_distribution<int> flip(1, 255);
            const auto offset = page * static_cast<std::uintmax_t>(kCipherPageSize) + offsetIn(rng);
            {
                std::fstream io(work, std::ios::in | std::ios::out | std::ios::binary);
                io.seekg(static_cast<std::streamoff>(offset));
                const int original = io.get();
                io.seekp(static_cast<std::streamoff>(offset));
                io.put(static_cast<char>(original ^ flip(rng)));
            }
            INFO("page " << page + 1 << " of " << pageCount << ", byte offset " << offset);
            OpenOptions o;
            o.keyCheck = kcv;
            auto db = Database::open(work, key.span(), o);
            int wrongRows = 0;
            Error error;
            if (!db.ok()) {
                error = db.error();
            } else {
                Status read = readEverything(**db, wrongRows);
                REQUIRE_FALSE(read.ok());
                error = read.error();
            }
            CHECK(error.code == ErrorCode::Corrupt);
            CHECK(wrongRows == 0);
            ++detected;
        }
    }
    CHECK(detected == static_cast<int>(pageCount) * 2);
}
