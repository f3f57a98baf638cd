// Credentials that rotate and expire, and restores from a backup (issue 22, items 4 and 5), with
// real vigil-server and vigil-admin processes over loopback TLS and real SQLCipher stores on
// both ends. Time passes through the server's `clock_offset_seconds` (no sleeping for days).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/records/AttachmentRepository.h"
#include "core/store/Database.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/server/ServerKey.h"
#include "tests/sync/SyncDevices.h"
#include "tests/sync/TestPhotos.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

/// Change server.json (the server stopped), e.g. to move its clock on.
void editConfig(const ServerProcess& server, const std::function<void(nlohmann::json&)>& edit)
{
    const auto file = server.dataDir() / "server.json";
    nlohmann::json config;
    {
        std::ifstream in(file);
        in >> config;
    }
    edit(config);
    std::ofstream(file, std::ios::trunc) << config.dump(2);
}

/// A query on the server's store, through a connection of the test's own (WAL: the server may run).
std::int64_t serverCount(const ServerProcess& server, const std::string& sql)
{
    return server.storeCount(sql);  // the SQLCipher file, or PostgreSQL (VIGIL_TEST_STORE)
}

bool holdsIncident(Handset& h, const std::string& id)
{
    auto ids = h.records().incidentIds(100000);
    REQUIRE(ids.ok());
    return std::find(ids->begin(), ids->end(), id) != ids->end();
}

/// Every op the server keeps once: no op id twice in its log.
void checkNoOpDoubled(const ServerProcess& server)
{
    CHECK(serverCount(server, "SELECT count(*) FROM op_log;")
          == serverCount(server, "SELECT count(*) FROM (SELECT DISTINCT device, op_id FROM op_log) AS held;"));
}

void checkNothingRefused(Handset& h)
{
    auto refused = h.records().rejectedOps();
    REQUIRE(refused.ok());
    for (const auto& [op, why] : *refused)
        INFO(op.entity + " " + op.field + ": " + why);
    CHECK(refused->empty());
}

/// A Handset's store put back as it was when `saved` was copied from it (its files, as a backup
/// of the tablet would hold them). The engine must be stopped.
void restoreDeviceStore(Handset& h, const std::filesystem::path& saved)
{
    const auto dir = h.store->dir.path();
    const auto key = h.store->key;
    h.engine.reset();
    h.store->records.reset();
    h.store->db.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(dir / (std::string("device.db") + suffix));
    for (const char* suffix : {"", "-wal"}) {
        const auto from = saved / (std::string("device.db") + suffix);
        if (std::filesystem::exists(from))
            std::filesystem::copy_file(from, dir / (std::string("device.db") + suffix));
    }
    auto db = Database::open(dir / "device.db", key);
    REQUIRE(db.ok());
    h.store->db = std::move(db).value();
    auto records = RecordStore::open(*h.store->db, systemClock());
    REQUIRE(records.ok());
    h.store->records = std::move(records).value();
    h.engine = std::make_unique<SyncEngine>(h.link);
}

std::string enrolCodeFor(ServerProcess& server, const std::string& user) { return server.enrolCode(user); }

}  // namespace

TEST_CASE("A device keeps syncing across a token rotation, also when the rotation's answer is lost, and the old "
          "token stops working once the new one is used",
          "[credentials][rotation]")
{
    ServerProcess server([](nlohmann::json& c) { c["token_rotation_days"] = 1; });
    server.addUser("pc.a");
    SyncClient client;
    Handset a(client, server, "pc.a");
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();

    // A day and a half later the credential is due for replacement.
    server.stop();
    editConfig(server, [](nlohmann::json& c) { c["clock_offset_seconds"] = 36 * 3600; });
    server.restart();
    {
        ClientRequest ask;
        ask.target = "/v1/device";
        auto r = a.link.request(ask);
        REQUIRE(r.ok());
        REQUIRE(r->status == 200);
        auto status = deviceStatusFromJson(*parseJson(r->body));
        REQUIRE(status.ok());
        CHECK(status->rotateToken);
    }

    // The rotation's answer is lost: the server issued a new credential the device never got.
    auto oldToken = a.secrets.read("pc.a/sync.token");
    REQUIRE(oldToken.ok());
    REQUIRE(*oldToken);
    {
        ClientRequest lost;
        lost.method = "POST";
        lost.target = std::string(kTokenPath);
        auto r = a.link.request(lost);  // the answer is dropped here, never stored
        REQUIRE(r.ok());
        CHECK(r->status == 200);
    }
    // The device goes on with the credential it holds.
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    auto afterLoss = a.sync();
    CHECK(afterLoss.pushed > 0);

    // The wipe check (which the app runs while locked) rotates it now: the new one is stored and
    // used, the old one is refused.
    auto standing = a.link.checkStanding();
    REQUIRE(standing.ok());
    CHECK(standing->rotated);
    auto newToken = a.secrets.read("pc.a/sync.token");
    REQUIRE(newToken.ok());
    REQUIRE(*newToken);
    CHECK((*newToken)->view() != (*oldToken)->view());
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    CHECK(a.sync().pushed > 0);
    auto again = a.link.checkStanding();
    REQUIRE(again.ok());
    CHECK(again->state == DeviceStanding::State::Active);
    CHECK_FALSE(again->status->rotateToken);  // just replaced

    InMemorySecretStore stale;
    REQUIRE(stale.write("x/sync.token", (*oldToken)->span()).ok());
    auto enrolment = a.secrets.read("pc.a/sync.enrolment");
    REQUIRE(enrolment.ok());
    REQUIRE(stale.write("x/sync.enrolment", (*enrolment)->span()).ok());
    DeviceLink old(client, stale, "x");
    auto refused = old.checkStanding();
    REQUIRE(refused.ok());
    CHECK(refused->state == DeviceStanding::State::Unknown);
    CHECK(server.admin({"audit", "verify"}).exitCode == 0);
    CHECK(serverCount(server, "SELECT count(*) FROM server_audit WHERE action = 'device_token_rotated';") == 1);
}

TEST_CASE("A device not in contact for longer than device_expiry_days is told in words, is not wiped, and after "
          "re-enrolment its unsent changes get through under the same device id",
          "[credentials][expiry]")
{
    ServerProcess server([](nlohmann::json& c) {
        c["device_expiry_days"] = 30;
        c["token_rotation_days"] = 0;
    });
    server.addUser("pc.a");
    server.addUser("pc.b");
    SyncClient client;
    Handset a(client, server, "pc.a");
    Handset b(client, server, "pc.b");
    const std::string first = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    b.sync();
    // Made offline, never sent: precious.
    const std::string unsent = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    auto waiting = a.records().pendingCount();
    REQUIRE(waiting.ok());
    REQUIRE(*waiting > 0);

    // 31 days later.
    server.stop();
    editConfig(server, [](nlohmann::json& c) { c["clock_offset_seconds"] = 31 * 86400; });
    server.restart();
    auto tried = a.trySync();
    REQUIRE_FALSE(tried.ok());
    CHECK(tried.error().code == ErrorCode::Unauthorised);
    CHECK_THAT(tried.error().message, Catch::Contains("has not synced for more than 30 days")
                                          && Catch::Contains("new enrolment code") && Catch::Contains("nothing on the device is lost"));
    const SyncStatus status = a.engine->status();
    REQUIRE(status.lastError);
    CHECK_THAT(status.lastError->message, Catch::Contains("sign-in to the server has expired"));
    CHECK_FALSE(status.wipeOrdered);
    CHECK(status.credentialExpired);  // the app then offers "Enter a new enrolment code"
    bool destroyed = false;
    auto check = a.link.checkAndWipe([&] {
        destroyed = true;
        return Status();
    });
    REQUIRE(check.ok());
    CHECK_FALSE(check->wiped);
    CHECK_FALSE(destroyed);
    auto standing = a.link.checkStanding();
    REQUIRE(standing.ok());
    CHECK(standing->state == DeviceStanding::State::Expired);
    CHECK(serverCount(server, "SELECT count(*) FROM server_audit WHERE action = 'device_expired';") == 1);
    // B was not in contact either, so it expired too; it re-enrols below.

    // Re-enrolment with a new code: the same device, its changes go through.
    const std::string before = a.deviceId;
    auto again = a.link.enrol(enrolCodeFor(server, "pc.a"), "pc.a-tablet");
    INFO((again ? std::string() : again.error().message));
    REQUIRE(again.ok());
    CHECK(again->deviceId == before);
    const auto report = a.sync();
    CHECK(report.pushed >= *waiting);
    checkNothingRefused(a);
    auto left = a.records().pendingCount();
    REQUIRE(left.ok());
    CHECK(*left == 0);
    auto bAgain = b.link.enrol(enrolCodeFor(server, "pc.b"), "pc.b-tablet");
    REQUIRE(bAgain.ok());
    b.sync();
    CHECK(holdsIncident(b, first));
    CHECK(holdsIncident(b, unsent));
    CHECK(serverCount(server, "SELECT count(*) FROM server_audit WHERE action = 'device_reenrolled';") == 2);
    CHECK(server.admin({"audit", "verify"}).exitCode == 0);
    checkNoOpDoubled(server);
}

TEST_CASE("Only an expired device comes back by re-enrolment: a revoked or active one is refused and the code is "
          "left unused",
          "[credentials]")
{
    ServerProcess server;
    server.addUser("pc.a");
    SyncClient client;
    Handset a(client, server, "pc.a");
    auto token = a.secrets.read("pc.a/sync.token");
    REQUIRE(token.ok());
    REQUIRE(*token);
    // What the device would send, and the server's answer, for an active device and a revoked one.
    const auto reenrol = [&](const std::string& codeLine) {
        auto code = parseEnrolmentCode(codeLine);
        REQUIRE(code.ok());
        ClientRequest req;
        req.method = "POST";
        req.target = "/v1/enrol";
        req.body = toJson(EnrolRequest{code->codeId, code->secret, "again", base64UrlEncode((*token)->span())}).dump();
        auto r = client.send(server.endpoint(), req);
        REQUIRE(r.ok());
        return *r;
    };
    const std::string first = enrolCodeFor(server, "pc.a");
    auto active = reenrol(first);
    CHECK(active.status == 403);
    REQUIRE(active.error);
    CHECK(active.error->error == errors::kReenrolRefused);
    REQUIRE(server.admin({"device", "revoke", a.deviceId}).exitCode == 0);
    auto revoked = reenrol(enrolCodeFor(server, "pc.a"));
    CHECK(revoked.status == 403);
    auto local = a.link.enrol(enrolCodeFor(server, "pc.a"), "pc.a-tablet");
    REQUIRE_FALSE(local.ok());
    CHECK_THAT(local.error().message, Catch::Contains("cannot be enrolled again"));
    // The code refused above was not used: another device still enrols with it.
    InMemorySecretStore other;
    DeviceLink fresh(client, other, "other");
    CHECK(fresh.enrol(first, "other").ok());
    CHECK(serverCount(server, "SELECT count(*) FROM devices;") == 2);
}

TEST_CASE("After the server is restored from a backup no device is blocked, every change acknowledged after the "
          "backup is on the server again and reaches the other device, none is doubled, and new changes reach everyone",
          "[restore]")
{
    ServerProcess server;
    if (skippedOnPostgresql(server, "vigil-admin backup and restore are the SQLCipher store's; PostgreSQL is backed "
                                    "up and restored with its own tools"))
        return;
    server.addUser("pc.a");
    server.addUser("pc.b");
    SyncClient client;
    Handset a(client, server, "pc.a");
    Handset b(client, server, "pc.b");
    const std::string early = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    b.sync();
    REQUIRE(holdsIncident(b, early));

    TempDir backups("vigil-backup");
    const auto backup = backups / "store.backup";
    const auto taken = server.admin({"backup", "--out", backup.string()});
    INFO(taken.out + taken.err);
    REQUIRE(taken.exitCode == 0);
    CHECK_THAT(taken.out, Catch::Contains("checked intact"));

    // After the backup: changes pushed and acknowledged on both sides (a photo too), and one
    // still in flight.
    const std::string fromA = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    AttachmentRepository photos(a.records(), smallChunks());
    auto photoId = photos.import(Actor{"pc.a"}, fromA, photo(11), "bruising, left forearm");
    REQUIRE(photoId.ok());
    const auto original = photos.read(Actor{"pc.a"}, *photoId);
    REQUIRE(original.ok());
    a.sync();
    const std::int64_t chunksBefore = serverCount(server, "SELECT count(*) FROM attachment_chunks;");
    CHECK(chunksBefore > 1);
    const std::string fromB = makeIncidentWithVictim(b.records(), "pc.b", "north", "camden");
    b.sync();
    a.sync();
    REQUIRE(holdsIncident(a, fromB));
    REQUIRE(holdsIncident(b, fromA));
    const std::string inFlight = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    const std::int64_t opsBefore = serverCount(server, "SELECT count(*) FROM op_log;");

    // The server is lost and restored from the backup.
    REQUIRE(server.stop() == 0);
    const auto running = server.admin({"restore", "--from", backup.string()});
    INFO(running.out + running.err);
    REQUIRE(running.exitCode == 0);
    CHECK(serverCount(server, "SELECT count(*) FROM op_log;") < opsBefore);
    CHECK(serverCount(server, "SELECT count(*) FROM attachment_chunks;") == 0);  // the photo was lost too
    server.restart();

    a.sync();
    b.sync();
    a.sync();
    checkNothingRefused(a);
    checkNothingRefused(b);
    for (Handset* h : {&a, &b}) {
        auto left = h->records().pendingCount();
        REQUIRE(left.ok());
        CHECK(*left == 0);
    }
    // What the server had acknowledged after the backup is back, and reached the other device.
    CHECK(holdsIncident(b, fromA));
    CHECK(holdsIncident(b, inFlight));
    CHECK(holdsIncident(a, fromB));
    CHECK(serverCount(server, "SELECT count(*) FROM op_log;") >= opsBefore);
    // The photo's bytes the server lost were sent again, every part: a device that had not yet
    // fetched it (a new one) receives it whole.
    CHECK(serverCount(server, "SELECT count(*) FROM attachment_chunks;") == chunksBefore);
    server.addUser("pc.c");
    Handset c(client, server, "pc.c");
    c.sync();
    auto copy = AttachmentRepository(c.records()).read(Actor{"pc.c"}, *photoId);
    REQUIRE(copy.ok());
    CHECK(*copy == *original);
    checkNoOpDoubled(server);
    auto conflicts = b.records().conflicts();
    REQUIRE(conflicts.ok());
    CHECK(conflicts->empty());

    // New changes after the restore reach everyone.
    const std::string later = makeIncidentWithVictim(b.records(), "pc.b", "north", "camden");
    b.sync();
    a.sync();
    CHECK(holdsIncident(a, later));
    checkNoOpDoubled(server);
    const auto verify = server.admin({"audit", "verify"});
    INFO(verify.out + verify.err);
    CHECK(verify.exitCode == 0);
    CHECK(serverCount(server, "SELECT count(*) FROM server_audit WHERE action = 'store_restored';") == 1);
    CHECK(serverCount(server, "SELECT count(*) FROM server_audit WHERE action = 'audit_entry_refused';") == 0);
}

TEST_CASE("A device restored from its own backup has its new changes accepted, and they reach another device",
          "[restore]")
{
    ServerProcess server;
    server.addUser("pc.a");
    server.addUser("pc.b");
    SyncClient client;
    Handset a(client, server, "pc.a");
    Handset b(client, server, "pc.b");
    const std::string early = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();

    // The tablet's backup: its store files as they are now (the engine is stopped).
    TempDir saved("vigil-tablet-backup");
    for (const char* suffix : {"", "-wal"}) {
        const auto from = a.store->dir / (std::string("device.db") + suffix);
        if (std::filesystem::exists(from))
            std::filesystem::copy_file(from, saved / (std::string("device.db") + suffix));
    }
    const std::string lostHere = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();

    restoreDeviceStore(a, saved.path());
    REQUIRE_FALSE(holdsIncident(a, lostHere));
    const std::string fresh = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    auto left = a.records().pendingCount();
    REQUIRE(left.ok());
    CHECK(*left == 0);
    checkNothingRefused(a);
    b.sync();
    CHECK(holdsIncident(b, early));
    CHECK(holdsIncident(b, lostHere));
    CHECK(holdsIncident(b, fresh));
    checkNoOpDoubled(server);
    CHECK(serverCount(server, "SELECT count(*) FROM server_audit WHERE action = 'audit_chain_forked';") == 1);
    CHECK(server.admin({"audit", "verify"}).exitCode == 0);
}

TEST_CASE("A server store upgraded to op-id tops still recognises a change a restored device sends again",
          "[restore]")
{
    // Only an op id not newer than the newest one held from a device is looked up (pushOps);
    // schema step 15 works that newest id out for a store that did not keep it. Without it, the
    // changes below, sent again under new numbers, would be logged twice.
    ServerProcess server;
    if (skippedOnPostgresql(server, "it puts the SQLCipher store back to an older schema step"))
        return;
    server.addUser("pc.a");
    SyncClient client;
    Handset a(client, server, "pc.a");
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    // The tablet's backup is taken while a 124D waits to be sent.
    const std::string waiting = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    TempDir saved("vigil-tablet-backup");
    for (const char* suffix : {"", "-wal"}) {
        const auto from = a.store->dir / (std::string("device.db") + suffix);
        if (std::filesystem::exists(from))
            std::filesystem::copy_file(from, saved / (std::string("device.db") + suffix));
    }
    a.sync();
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    const std::string newest = "(SELECT max(op_id) FROM op_log WHERE device = '" + a.deviceId + "')";
    const std::string topIsNewest =
        "SELECT top_op_id = " + newest + " FROM device_seq WHERE device = '" + a.deviceId + "';";
    CHECK(serverCount(server, topIsNewest) == 1);

    // The store as step 14 left it: no newest id kept.
    REQUIRE(server.stop() == 0);
    {
        auto key = loadServerKey(server.dataDir() / "server.key");
        REQUIRE(key.ok());
        auto db = Database::open(server.dataDir() / "vigil-server.db", key->span());
        REQUIRE(db.ok());
        REQUIRE((*db)->exec("UPDATE device_seq SET top_op_id = ''; PRAGMA user_version = 14;").ok());
    }
    server.restart();
    CHECK(serverCount(server, topIsNewest) == 1);

    // The tablet goes back to its backup: the 124D that was waiting is sent again, renumbered
    // behind the server's last number, with a new one; the server keeps none of it twice.
    restoreDeviceStore(a, saved.path());
    const std::string fresh = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    auto left = a.records().pendingCount();
    REQUIRE(left.ok());
    CHECK(*left == 0);
    checkNothingRefused(a);
    checkNoOpDoubled(server);
    CHECK(serverCount(server, "SELECT count(*) FROM incidents WHERE id IN ('" + waiting + "', '" + fresh + "');") == 2);
}
