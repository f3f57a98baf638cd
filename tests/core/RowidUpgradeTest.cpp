// Schema step 9 rebuilds the record tables and photo chunks as rowid tables (large rows in a
// WITHOUT ROWID B-tree made every write rewrite pages full of overflowing cells). The upgrade
// must keep every row exactly: same digest, same home list, same photo bytes, and writes go on.
#include <catch2/catch.hpp>

#include "core/common/Uuid.h"
#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordDigest.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "core/store/SecureBytes.h"
#include "tests/support/Check.h"
#include "tests/support/HistoryReference.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::test;

namespace {

std::string tableSql(Database& db, const std::string& table)
{
    auto q = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1;");
    REQUIRE_OK(q);
    q->bind(1, table);
    auto row = q->step();
    REQUIRE_OK(row);
    REQUIRE(*row);
    return q->columnText(0);
}

}  // namespace

TEST_CASE("Upgrading to schema 9 keeps every record and photo byte and the store goes on working",
          "[records][migrate]")
{
    TempDir dir("vigil-rowid-upgrade");
    const SecureBytes key = SecureBytes::random(kDataKeyBytes);
    OpenOptions o;
    o.create = true;
    auto opened = Database::open(dir / "device.db", key.span(), o);
    REQUIRE_OK(opened);
    Database& db = **opened;
    REQUIRE_OK(migrate(db, deviceSchema().first(8)));
    CHECK(tableSql(db, "answer").find("WITHOUT ROWID") != std::string::npos);
    // Today's code reads the supervision log (schema step 10), writes person_index's step-11
    // columns, digests the casework tables (steps 13 to 15), MACs audit entries (step 16) and keeps
    // each change's op id (step 17) and derives the figures' facts (steps 18, 19 and 21 to 28): add
    // them while it fills the schema-8 store, then put the index back as step 8 had it (below)
    // before upgrading.
    REQUIRE_OK(deviceSchema()[9].apply(db));
    REQUIRE_OK(deviceSchema()[10].apply(db));
    REQUIRE_OK(deviceSchema()[12].apply(db));
    REQUIRE_OK(deviceSchema()[13].apply(db));
    REQUIRE_OK(deviceSchema()[14].apply(db));
    REQUIRE_OK(deviceSchema()[15].apply(db));
    REQUIRE_OK(deviceSchema()[16].apply(db));
    REQUIRE_OK(deviceSchema()[17].apply(db));  // the figures' derived facts (step 18)
    REQUIRE_OK(deviceSchema()[18].apply(db));  // and the crime's outcome among them (step 19)
    REQUIRE_OK(deviceSchema()[20].apply(db));  // and the times the casework figures count from (step 21)
    REQUIRE_OK(deviceSchema()[21].apply(db));  // and the people packed on their incident (step 22)
    REQUIRE_OK(deviceSchema()[22].apply(db));  // and the review clocks packed on it (step 23)
    REQUIRE_OK(deviceSchema()[23].apply(db));  // and read a borough at a time (step 24)
    REQUIRE_OK(deviceSchema()[24].apply(db));  // and kept a month at a time (step 25)
    REQUIRE_OK(deviceSchema()[25].apply(db));  // and the repeat MARAC gaps (step 26)
    REQUIRE_OK(deviceSchema()[26].apply(db));  // and the Victims' Code days (step 27)
    REQUIRE_OK(deviceSchema()[27].apply(db));  // and the referrals' gaps packed (step 28)

    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    std::vector<unsigned char> chunk(300 * 1024);
    for (std::size_t i = 0; i < chunk.size(); ++i)
        chunk[i] = static_cast<unsigned char>((i * 7919) % 251);
    const std::string photo = newUuid();
    RecordDigest before;
    std::vector<std::string> listBefore;
    {
        auto store = RecordStore::open(db, systemClock());
        REQUIRE_OK(store);
        REQUIRE_OK((*store)->setDeviceId("dev-upgrade"));
        IncidentRepository repo(**store);
        DemoOptions options;
        options.incidents = 40;
        options.seed = 99;
        REQUIRE_OK(generateDemoData(repo, **store, models, rules, options, Actor{"pc.upgrade", "demo"}));
        auto ins = db.prepare("INSERT INTO attachment_chunk (attachment_id, idx, data) VALUES (?1, ?2, ?3);");
        REQUIRE_OK(ins);
        for (int idx = 0; idx < 2; ++idx) {
            ins->bind(1, photo).bind(2, idx).bindBlob(3, std::span<const unsigned char>(chunk));
            REQUIRE_OK(ins->run());
        }
        before = digestRecords(db).value();
        REQUIRE_OK(indexesAsBeforeStep11(db));
        for (const auto& s : repo.list(1000).value())
            listBefore.push_back(s.id + " " + std::string(toString(s.state)) + " " + std::to_string(s.unsentChanges));
    }
    REQUIRE(before.total > 40 * 5);

    REQUIRE_OK(migrate(db, deviceSchema()));
    for (const char* table : {"incident", "person", "answer", "rara_item", "referral", "attachment", "attachment_chunk"})
        CHECK(tableSql(db, table).find("WITHOUT ROWID") == std::string::npos);
    CHECK(digestRecords(db).value() == before);
    CHECK(db.queryInt("SELECT count(*) FROM attachment_chunk;").value() == 2);
    {
        auto q = db.prepare("SELECT data FROM attachment_chunk WHERE attachment_id = ?1 AND idx = 1;");
        REQUIRE_OK(q);
        q->bind(1, photo);
        REQUIRE(q->step().value());
        const auto bytes = q->columnBlob(0);
        CHECK(std::vector<unsigned char>(bytes.begin(), bytes.end()) == chunk);
    }
    // Ids stay unique, and the store writes and reads as before.
    auto store = RecordStore::open(db, systemClock());
    REQUIRE_OK(store);
    IncidentRepository repo(**store);
    std::vector<std::string> listAfter;
    for (const auto& s : repo.list(1000).value())
        listAfter.push_back(s.id + " " + std::string(toString(s.state)) + " " + std::to_string(s.unsentChanges));
    CHECK(listAfter == listBefore);
    const std::string first = repo.list(1).value().front().id;
    auto dup = db.prepare("INSERT INTO incident (id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc,"
                          " fields, stamps) VALUES (?1, ?1, '', 'x', 0, '1', '1', '{}', '{}');");
    REQUIRE_OK(dup);
    dup->bind(1, first);
    CHECK_FALSE(dup->run().ok());
    Incident draft;
    draft.owner = "pc.upgrade";
    draft.date = "2026-11-22";
    auto made = repo.createDraft(Actor{"pc.upgrade"}, draft);
    REQUIRE_OK(made);
    CHECK(repo.read(made->id).ok());
    CHECK(digestRecords(db).value().total == before.total + 1);
}
