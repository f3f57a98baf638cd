#include <catch2/catch.hpp>

#include "core/common/Uuid.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

namespace {

/// One entry of every kind the law names, through the operations that make them.
std::string makeHistory(RecordsFixture& f)
{
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"refs.cad", "CAD 1"}}).ok());  // collection
    REQUIRE(f.records->write(f.officer, Entity::Incident, id, {{"refs.cad", "CAD 2"}}).ok());                           // alteration
    REQUIRE(f.records->audit(f.officer, AuditAction::Consultation, Entity::Incident, id, "opened").ok());
    REQUIRE(f.records->audit({"sup-1", "MARAC referral"}, AuditAction::Disclosure, Entity::Incident, id,
                             "referral pack", {"Hackney MARAC coordinator"}).ok());
    REQUIRE(f.records->audit({"analyst-3", "repeat victim check"}, AuditAction::Combination, Entity::Incident, id,
                             "matched against 3 earlier incidents").ok());
    REQUIRE(f.records->forgetIncident(f.officer, id, "retention period ended").ok());  // erasure
    return id;
}

void sql(RecordsFixture& f, const std::string& statement) { REQUIRE(f.db->exec(statement).ok()); }

}  // namespace

TEST_CASE("Every kind of processing leaves an audit entry with who, when, record, why and recipients", "[audit]")
{
    RecordsFixture f;
    const std::string id = makeHistory(f);
    auto entries = f.records->auditLog().forRecord(id).value();
    REQUIRE(entries.size() == 6);
    CHECK(entries[0].action == AuditAction::Collection);
    CHECK(entries[1].action == AuditAction::Alteration);
    CHECK(entries[1].detail.find("refs.cad") != std::string::npos);
    CHECK(entries[1].detail.find("CAD 2") == std::string::npos);  // field names, never values
    CHECK(entries[2].action == AuditAction::Consultation);
    CHECK(entries[3].action == AuditAction::Disclosure);
    CHECK(entries[3].recipients == std::vector<std::string>{"Hackney MARAC coordinator"});
    CHECK(entries[3].actor == "sup-1");
    CHECK(entries[3].justification == "MARAC referral");
    CHECK(entries[4].action == AuditAction::Combination);
    CHECK(entries[5].action == AuditAction::Erasure);
    CHECK(entries[5].at == "2026-11-23T09:00:00.000Z");
    CHECK(entries[5].device == f.records->deviceId());
    auto v = f.records->auditLog().verify().value();
    CHECK(v.intact);
    CHECK(v.entries == 6);
}

TEST_CASE("Audit entries travel to the server as append-only ops", "[audit]")
{
    RecordsFixture f;
    makeHistory(f);
    int appends = 0;
    for (const auto& op : f.records->pendingOps(1000).value()) {
        if (op.field == kFieldAppend) {
            CHECK(op.entity == "audit");
            CHECK(op.value.contains("hash"));
            ++appends;
        }
    }
    CHECK(appends == 6);
}

TEST_CASE("The verifier names the first removed, altered or reordered audit entry", "[audit]")
{
    RecordsFixture f;
    makeHistory(f);
    makeHistory(f);  // 12 entries

    SECTION("an entry deleted from the middle")
    {
        sql(f, "DELETE FROM audit_log WHERE seq = 5;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 5);
        CHECK(v.problem == "entry 5 is missing");
    }
    SECTION("an entry's text edited")
    {
        sql(f, "UPDATE audit_log SET justification = 'nothing to see' WHERE seq = 7;");
        auto v = f.records->auditLog().verify().value();
        CHECK(v.firstBadSeq == 7);
        CHECK(v.problem == "entry 7 was altered");
    }
    SECTION("an entry edited and its hash recomputed")
    {
        // Recompute entry 3's own hash after the edit: the link from entry 4 still breaks.
        sql(f, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3;");
        AuditEntry third;
        auto q = f.db->prepare("SELECT record_id FROM audit_log WHERE seq = 3;");
        REQUIRE(q.ok());
        REQUIRE(q->step().value());
        for (const auto& e : f.records->auditLog().forRecord(q->columnText(0)).value())
            if (e.seq == 3)
                third = e;
        sql(f, "UPDATE audit_log SET hash = '" + AuditLog::chainHash(third) + "' WHERE seq = 3;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 4);
        CHECK(v.problem == "entry 4 does not follow the entry before it");
    }
    SECTION("two entries swapped")
    {
        sql(f, "UPDATE audit_log SET seq = -1 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = 9;"
               "UPDATE audit_log SET seq = 9 WHERE seq = -1;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 8);
    }
    SECTION("the newest entries cut off")
    {
        sql(f, "DELETE FROM audit_log WHERE seq >= 11;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 11);
    }
    SECTION("untouched")
    {
        CHECK(f.records->auditLog().verify().value().intact);
    }
}
