// Records issue: a write and its outbox op (and its audit entry) are one transaction. A
// SIGKILL between them is impossible to observe: after every kill, each stored field write
// has exactly its op in the outbox, and each op is reflected in the rows.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "core/records/IncidentRepository.h"
#include "core/store/Database.h"
#include "core/store/Schema.h"
#include "core/store/SecureBytes.h"
#include "tests/support/KillableChild.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::test;
using Ms = std::chrono::milliseconds;

TEST_CASE("After a SIGKILL mid-autosave every write has its outbox op and audit entry, and nothing else", "[records][crash]")
{
    TempDir dir{"vigil-records-crash"};
    const auto dbPath = dir / "records.db";
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    const std::string keyHex = toHex(key.span());
    const char* env = std::getenv("VIGIL_RECORDS_CRASH_KILLS");
    const int kills = env ? std::max(1, std::atoi(env)) : 60;
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> delay(0, 40);
    std::uniform_int_distribution<int> coin(0, 1);
    std::int64_t acked = 0;
    std::int64_t ackedTotal = 0;
    int killsWithRecords = 0;

    for (int k = 0; k < kills; ++k) {
        {
            KillableChild w(KillableChild::resolve("VIGIL_RECORDS_CRASH_WRITER", VIGIL_RECORDS_CRASH_WRITER),
                            {dbPath.string()}, keyHex);
            if (coin(rng) == 1) {
                // Half the kills land mid-stream: wait for the first acknowledged tap (a slow
                // start under sanitizers must not turn every kill into a kill during start-up).
                const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                while (w.pump(Ms(50)) == 0 && std::chrono::steady_clock::now() < until) {
                }
            }
            w.pump(Ms(delay(rng)));
            acked = w.killNow();
            REQUIRE(w.killedBySignal());
            ackedTotal += acked;
        }
        if (!std::filesystem::exists(dbPath))
            continue;
        INFO("kill " << k + 1 << " of " << kills << ", " << acked << " taps acknowledged by the last writer");
        OpenOptions o;
        o.keyCheck = keyCheckValue(key.span());
        auto db = Database::open(dbPath, key.span(), o);
        if (!db.ok())
            FAIL("the store did not reopen: " << db.error().message);
        REQUIRE((*db)->integrityCheck().ok());
        auto schema = schemaVersion(**db);
        REQUIRE(schema.ok());
        if (*schema < static_cast<int>(deviceSchema().size())) {
            REQUIRE(acked == 0);  // killed while creating the schema: nothing was acknowledged
            continue;
        }
        auto records = RecordStore::open(**db, systemClock());
        REQUIRE(records.ok());
        RecordStore& rs = **records;

        // Nothing is ever acknowledged here, so every op since the start is still queued.
        auto ops = rs.pendingOps(10000000);
        REQUIRE(ops.ok());
        std::map<std::string, std::set<HlcStamp>> opsByField;  // "<record>/<field>" -> stamps sent
        std::size_t appends = 0;
        for (const auto& op : *ops) {
            if (op.field == kFieldAppend)
                ++appends;
            else
                opsByField[op.id + "/" + op.field].insert(op.hlc);
        }
        auto ids = rs.incidentIds(10);
        REQUIRE(ids.ok());
        std::size_t stampsChecked = 0;
        for (const auto& incidentId : *ids) {
            for (Entity e : {Entity::Incident, Entity::Person, Entity::Answer}) {
                auto rows = e == Entity::Incident ? rs.get(e, incidentId).value().has_value()
                                                        ? std::vector<RecordRow>{*rs.get(e, incidentId).value()}
                                                        : std::vector<RecordRow>{}
                                                  : rs.rowsOfIncident(e, incidentId).value();
                for (const auto& row : rows) {
                    for (const auto& [field, stamp] : row.stamps) {
                        if (field == "@delete")
                            continue;
                        const auto it = opsByField.find(row.id + "/" + field);
                        INFO(toString(e) << " " << row.id << " field " << field);
                        REQUIRE(it != opsByField.end());
                        // The stored value is the newest op for that field: no op is missing or extra.
                        REQUIRE(*it->second.rbegin() == stamp.hlc);
                        ++stampsChecked;
                    }
                }
            }
        }
        if (stampsChecked > 0)
            ++killsWithRecords;
        auto audit = rs.auditLog().verify();
        REQUIRE(audit.ok());
        REQUIRE(audit->intact);
        REQUIRE(static_cast<std::size_t>(audit->entries) == appends);  // each entry travels as exactly one op
    }
    CHECK(killsWithRecords > kills / 4);  // the invariants were really exercised
    WARN(kills << " kills during autosave (" << killsWithRecords << " with records to check); " << ackedTotal
               << " acknowledged taps; outbox, rows and audit chain agreed every time");
}
