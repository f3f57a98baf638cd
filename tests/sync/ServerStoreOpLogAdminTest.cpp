// What vigil-admin does to the op log, asserted once and run on both server stores (issue 26):
// quarantine and release, stamps from the future and their repair, device audit counts, and a
// restore from a backup. Real device stores push and pull.
#include <catch2/catch.hpp>

#include "tests/sync/StoreBackends.h"
#include "tests/sync/StorePushSupport.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

#define STORE_TEST(name, tags) TEMPLATE_TEST_CASE(name, tags, vigil::test::SqlCipherBackend, vigil::test::PgBackend)

STORE_TEST("A quarantined device's changes reach nobody and its pushes are refused until it is released, then they "
           "are sent again whole",
           "[store][quarantine]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    const std::string incident = ada.draft("Invented Victim");
    CHECK(ada.pushAll(s).empty());
    const auto entriesBefore = s.verifyAudit().value().entries;

    REQUIRE(s.quarantineDevice("dev-a", "reported stolen", serverNow()).ok());
    auto twice = s.quarantineDevice("dev-a", "again", serverNow());
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == ErrorCode::AlreadyExists);
    CHECK(twice.error().message == "Device dev-a is already quarantined; nothing was changed. See `quarantine list`.");
    auto unknown = s.quarantineDevice("dev-x", "typo", serverNow());
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message == "There is no device with id dev-x. See `device list`.");
    auto listed = s.quarantinedDevices().value();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].deviceId == "dev-a");
    CHECK(listed[0].reason == "reported stolen");
    CHECK(listed[0].ops == b.count("SELECT count(*) FROM op_log WHERE device = 'dev-a';"));

    // Held back from a teammate's pulls, refused on push, no snapshot for a new device.
    CHECK(cyd.pull(s).ops.empty());
    CHECK(cyd.pull(s).ops.empty());
    ada.draft();
    auto refused = s.pushOps(ada.who, ada.batch(), serverNow());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().field == "quarantined");
    Tablet dan(enrolTablet(s, northUser("pc.d"), "dev-d", 14));
    auto snapshot = s.snapshotPage(dan.who, "", 100, 1 << 20, serverNow());
    REQUIRE_FALSE(snapshot.ok());
    CHECK(snapshot.error().code == ErrorCode::NotFound);
    CHECK(snapshot.error().message == "A device's changes are quarantined: no snapshot until it is released.");

    // Released: the teammate holding the incident gets it again whole, with what it missed.
    auto deliveries = s.releaseDevice("dev-a", serverNow());
    REQUIRE(deliveries.ok());
    CHECK(*deliveries == 1);
    auto again = s.releaseDevice("dev-a", serverNow());
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().message == "Device dev-a is not quarantined; nothing was changed. See `quarantine list`.");
    CHECK(s.quarantinedDevices().value().empty());
    auto page = cyd.pull(s);
    REQUIRE(page.refresh.size() == 1);
    CHECK(page.refresh[0] == incident);
    CHECK(cyd.repo().load(Actor{"pc.c"}, incident).value().victims.at(0).person.name == "Invented Victim");
    auto chain = s.verifyAudit().value();
    CHECK(chain.intact);
    // quarantined, released, and the disclosures of the pages that sent something.
    CHECK(chain.entries > entriesBefore + 2);
}

STORE_TEST("A change stamped an hour ahead is found, re-stamped at its arrival and its incident sent again whole",
           "[store][stamps]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    b.setClockTolerance(4 * 3600);  // a wide tolerance let it in
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    const std::string incident = ada.draft();
    CHECK(ada.pushAll(s).empty());
    Op ahead = ada.handMade("incident", incident, "refs.cad", "CAD-9", s.lastSeq("dev-a").value() + 1);
    ahead.hlc = static_cast<std::uint64_t>(serverNow() + 3600) * 1000 << 16;
    REQUIRE(ada.push(s, {ahead}).rejected.empty());
    CHECK_FALSE(cyd.pull(s).ops.empty());
    CHECK(cyd.pull(s).ops.empty());

    auto found = s.futureStamps(600);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK((*found)[0].field == "refs.cad");
    CHECK((*found)[0].incidentId == incident);
    CHECK((*found)[0].device == "dev-a");

    auto repair = s.repairStamps(600);
    REQUIRE(repair.ok());
    CHECK(repair->restamped.size() == 1);
    CHECK(repair->incidents == 1);
    CHECK(repair->deliveries == 1);  // the teammate's tablet; the pushing one never pulled it
    CHECK(hlcMillis(repair->restamped[0].hlc) / 1000 == static_cast<std::uint64_t>(repair->restamped[0].receivedAt));
    CHECK(s.futureStamps(600).value().empty());
    auto page = cyd.pull(s);
    REQUIRE(page.refresh.size() == 1);
    CHECK(page.refresh[0] == incident);
    CHECK(s.verifyAudit().value().intact);
}

STORE_TEST("The server counts the audit entries it holds of each device's chain", "[store][audit]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    ada.draft();
    const auto ops = ada.batch();
    const auto audit = std::count_if(ops.begin(), ops.end(), [](const Op& o) { return o.entity == "audit"; });
    REQUIRE(audit > 0);
    CHECK(ada.push(s, ops).rejected.empty());
    CHECK(b.auditEntries("dev-a") == audit);
    CHECK(b.auditEntries("dev-x") == 0);
}

STORE_TEST("After a restore from a backup the store has a new incarnation and new changes land past every cursor held",
           "[store][restore]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    const std::string incident = ada.draft();
    CHECK(ada.pushAll(s).empty());
    CHECK_FALSE(cyd.pull(s).ops.empty());
    const std::string before = s.incarnation().value();
    const std::int64_t highest = b.count("SELECT max(cursor) FROM op_log;");

    REQUIRE(b.markRestored(serverNow()).ok());
    CHECK(s.incarnation().value() != before);
    CHECK(s.incarnation().value().size() == 32);
    REQUIRE(ada.push(s, {ada.handMade("incident", incident, "refs.cad", "CAD-1", s.lastSeq("dev-a").value() + 1)})
                .rejected.empty());
    CHECK(b.count("SELECT max(cursor) FROM op_log;") > highest + (std::int64_t{1} << 32));
    // A device pulling from the cursor it held before the restore gets the new change.
    auto page = cyd.pull(s);
    REQUIRE(page.ops.size() == 1);
    CHECK(page.ops[0].field == "refs.cad");
    auto chain = s.verifyAudit().value();
    CHECK(chain.intact);
}

STORE_TEST("An audit export of one record holds the server's entries and the devices' about it, by time, and no other",
           "[store][audit]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    const std::string incident = ada.draft();
    const std::string other = ada.draft();
    CHECK(ada.pushAll(s).empty());
    CHECK_FALSE(cyd.pull(s).ops.empty());  // a disclosure of both

    AuditTrailFilter filter;
    filter.record = incident;
    auto trail = s.auditTrail(filter);
    REQUIRE(trail.ok());
    bool serverRow = false;
    bool deviceRow = false;
    for (const auto& row : *trail) {
        INFO(row.source << " " << row.action << " " << row.detail);
        // Every entry is about the record (a pull's disclosure may name the other incident too).
        CHECK(std::find(row.records.begin(), row.records.end(), incident) != row.records.end());
        serverRow = serverRow || (row.source == "server" && row.action == "disclosure" && row.userId == "pc.c");
        deviceRow = deviceRow || (row.source == "device" && row.deviceId == "dev-a" && row.actor == "pc.a");
    }
    CHECK(serverRow);
    CHECK(deviceRow);
    // The device's entries about the other incident alone are not in it.
    AuditTrailFilter otherOnly;
    otherOnly.record = other;
    for (const auto& row : s.auditTrail(otherOnly).value())
        if (row.source == "device")
            CHECK(row.records == std::vector<std::string>{other});
    CHECK(std::is_sorted(trail->begin(), trail->end(),
                         [](const AuditTrailRow& x, const AuditTrailRow& y) { return x.atText < y.atText; }));

    // By user: only what pc.c did or was concerned in.
    AuditTrailFilter byUser;
    byUser.user = "pc.c";
    auto mine = s.auditTrail(byUser);
    REQUIRE(mine.ok());
    REQUIRE_FALSE(mine->empty());
    for (const auto& row : *mine)
        CHECK((row.actor == "pc.c" || row.userId == "pc.c"));
}
