// Test 5 of the foundation issue: schema migrations.
#include <catch2/catch.hpp>

#include <array>

#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "core/store/SecureBytes.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::test;

namespace {

Status v1(Database& db)
{
    return db.exec("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, nickname TEXT, dob TEXT);"
                   "CREATE TABLE contact (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id), note TEXT);"
                   "CREATE INDEX contact_person ON contact(person_id);");
}

// SQLite 3.15 has neither RENAME COLUMN nor DROP COLUMN: rebuild the table (drop nickname,
// rename dob to date_of_birth, add a NOT NULL column with a default), keeping ids so the
// contacts that point at people stay linked.
Status v2(Database& db)
{
    return db.exec("CREATE TABLE person_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, date_of_birth TEXT,"
                   " restricted INTEGER NOT NULL DEFAULT 0);"
                   "INSERT INTO person_new (id, name, date_of_birth) SELECT id, name, dob FROM person;"
                   "DROP TABLE person;"
                   "ALTER TABLE person_new RENAME TO person;");
}

Status v3Broken(Database& db)
{
    VIGIL_TRY(db.exec("CREATE TABLE half_done (x INTEGER);"));
    return db.exec("INSERT INTO no_such_table VALUES (1);");
}

Status v3(Database& db) { return db.exec("CREATE TABLE later (x INTEGER);"); }

constexpr std::array kV1 = {Migration{1, "people", &v1}};
constexpr std::array kV2 = {Migration{1, "people", &v1}, Migration{2, "rebuild person", &v2}};
constexpr std::array kV3Broken = {Migration{1, "people", &v1}, Migration{2, "rebuild person", &v2},
                                  Migration{3, "fails half-way", &v3Broken}};
constexpr std::array kV3 = {Migration{1, "people", &v1}, Migration{2, "rebuild person", &v2}, Migration{3, "later", &v3}};

struct Store {
    TempDir dir{"vigil-migrate"};
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    std::unique_ptr<Database> open()
    {
        OpenOptions o;
        o.create = true;
        auto db = Database::open(dir / "m.db", key.span(), o);
        REQUIRE(db.ok());
        return std::move(db).value();
    }
};

}  // namespace

TEST_CASE("A store at schema 1 upgrades through a table rebuild with its data intact", "[migrate]")
{
    Store s;
    {
        auto db = s.open();
        REQUIRE(migrate(*db, kV1).ok());
        REQUIRE(db->exec("INSERT INTO person VALUES (1, 'Ann Smith', 'Annie', '1980-02-01'), (2, 'Bo Li', NULL, '1991-07-30');"
                         "INSERT INTO contact VALUES (10, 1, 'first call'), (11, 2, 'visit');").ok());
    }
    auto db = s.open();
    REQUIRE(schemaVersion(*db).value() == 1);
    REQUIRE(migrate(*db, kV2).ok());
    CHECK(schemaVersion(*db).value() == 2);
    auto q = db->prepare("SELECT p.name, p.date_of_birth, p.restricted, c.note FROM contact c JOIN person p ON p.id = c.person_id ORDER BY c.id;");
    REQUIRE(q.ok());
    REQUIRE(q->step().value());
    CHECK(q->columnText(0) == "Ann Smith");
    CHECK(q->columnText(1) == "1980-02-01");
    CHECK(q->columnInt(2) == 0);
    CHECK(q->columnText(3) == "first call");
    REQUIRE(q->step().value());
    CHECK(q->columnText(0) == "Bo Li");
    CHECK_FALSE(q->step().value());
    CHECK_FALSE(db->exec("SELECT nickname FROM person;").ok());  // the column is gone
    CHECK(db->integrityCheck().ok());
    CHECK(db->queryInt("PRAGMA foreign_keys;").value() == 1);  // back on after the rebuild
    // Running the migrations again is a no-op.
    REQUIRE(migrate(*db, kV2).ok());
    CHECK(db->queryInt("SELECT count(*) FROM person;").value() == 2);
}

TEST_CASE("A store newer than the code refuses to open and is left untouched", "[migrate]")
{
    Store s;
    {
        auto db = s.open();
        REQUIRE(migrate(*db, kV3).ok());
    }
    auto db = s.open();
    Status r = migrate(*db, kV2);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::SchemaTooNew);
    CHECK(r.error().message == "This store was written by a newer version of Vigil (schema 3; this version knows up to 2). "
                               "Update Vigil to open it; nothing has been changed.");
    CHECK(schemaVersion(*db).value() == 3);
}

TEST_CASE("A step that fails half-way is undone entirely and the version stays put", "[migrate]")
{
    Store s;
    auto db = s.open();
    REQUIRE(migrate(*db, kV2).ok());
    REQUIRE(db->exec("INSERT INTO person (id, name) VALUES (1, 'Kept');").ok());
    Status r = migrate(*db, kV3Broken);
    REQUIRE_FALSE(r.ok());
    CHECK(schemaVersion(*db).value() == 2);
    CHECK_FALSE(db->exec("SELECT * FROM half_done;").ok());
    CHECK(db->queryInt("SELECT count(*) FROM person;").value() == 1);
}

TEST_CASE("Acknowledged changes kept before step 20 are all there after it, in an ordinary table keyed the same way",
          "[migrate]")
{
    Store s;
    auto db = s.open();
    const auto steps = deviceSchema();
    REQUIRE(steps.size() >= 20);
    REQUIRE(migrate(*db, steps.first(19)).ok());
    for (int seq = 1; seq <= 3; ++seq) {
        REQUIRE(db->exec("INSERT INTO sent_op (device, seq, op_id, entity, record_id, incident_id, field, value, base,"
                         " hlc, acked_at) VALUES ('dev-1', " + std::to_string(seq) + ", 'op-" + std::to_string(seq)
                         + "', 'incident', 'i-1', 'i-1', 'incident.location', '\"Mare Street\"', NULL, '1', "
                           "'2026-12-07T10:00:00Z');")
                    .ok());
    }
    REQUIRE(migrate(*db, steps).ok());
    CHECK(db->queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'sent_op' AND sql LIKE '%WITHOUT ROWID%';").value()
          == 0);
    CHECK(db->queryInt("SELECT count(*) FROM sent_op WHERE device = 'dev-1' AND op_id = 'op-' || seq;").value() == 3);
    // Still one row a (device, seq): a change acknowledged again replaces its row.
    REQUIRE(db->exec("INSERT OR REPLACE INTO sent_op (device, seq, op_id, entity, record_id, incident_id, field, value,"
                     " base, hlc, acked_at) VALUES ('dev-1', 2, 'op-2', 'incident', 'i-1', 'i-1', 'incident.location',"
                     " '\"Mare St\"', NULL, '1', '2026-12-07T11:00:00Z');")
                .ok());
    CHECK(db->queryInt("SELECT count(*) FROM sent_op;").value() == 3);
    CHECK(db->queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'sent_op_acked';").value() == 1);
}

TEST_CASE("Step 21 adds the figures' clock table to a store at step 20, and running it again changes nothing",
          "[migrate]")
{
    Store s;
    auto db = s.open();
    const auto steps = deviceSchema();
    REQUIRE(steps.size() >= 21);
    REQUIRE(migrate(*db, steps.first(20)).ok());
    CHECK(db->queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'figure_clock';").value() == 0);
    REQUIRE(migrate(*db, steps.first(21)).ok());
    CHECK(schemaVersion(*db).value() == 21);
    REQUIRE(db->exec("INSERT INTO figure_clock (row_id, incident_id, case_id, kind, at, detail)"
                     " VALUES ('i-1#started', 'i-1', '', 'started', '2026-03-02T22:00:00Z', '');")
                .ok());
    CHECK(db->queryInt("SELECT count(*) FROM figure_clock WHERE kind = 'started' AND at < '2026-03-03';").value() == 1);
    CHECK(db->queryInt("SELECT count(*) FROM sqlite_master WHERE name IN ('figure_clock_incident', 'figure_clock_kind_at');")
              .value()
          == 2);
    // Idempotent, like the other steps: a store whose version is put back keeps its rows.
    REQUIRE(db->exec("PRAGMA user_version = 20;").ok());
    REQUIRE(migrate(*db, steps.first(21)).ok());
    CHECK(db->queryInt("SELECT count(*) FROM figure_clock;").value() == 1);
}
