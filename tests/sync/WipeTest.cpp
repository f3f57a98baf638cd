// Remote wipe (issue 6, test 3) with a real vigil-server, vigil-admin and a real device store
// (SecureStore: wrapped key file, device secret in the key store, SQLCipher database): a device
// flagged with `vigil-admin device wipe` destroys its keys, database and credential on its next
// contact, locked or not, reports it with its one-shot receipt, and the server records it.
#include <catch2/catch.hpp>

#include <filesystem>

#include <sodium.h>

#include "core/store/SecureStore.h"
#include "sync/common/WipeReceipt.h"
#include "sync/protocol/Encoding.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

constexpr const char* kPin = "480516";

/// A device as the app holds it: the credential in the key store, the records in a
/// SecureStore folder, unlocked (database open) or locked (nothing open).
struct SecureDevice {
    TempDir dir{"vigil-wipe"};
    InMemorySecretStore secrets;
    DeviceLink link;
    SecureStore secure;
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
    std::string deviceId;

    static StoreConfig storeConfig()
    {
        StoreConfig c;
        c.profile = "tablet-records";
        c.kdf = KdfStrength::Interactive;
        return c;
    }

    SecureDevice(SyncClient& client, ServerProcess& server, const std::string& user)
        : link(client, secrets, "tablet"), secure(dir / "store", secrets, storeConfig())
    {
        auto e = link.enrol(server.enrolCode(user), "tablet 7");
        REQUIRE(e.ok());
        deviceId = e->deviceId;
        REQUIRE(secure.setUp(kPin).ok());
        unlock();
        REQUIRE(records->setDeviceId(deviceId).ok());
    }

    void unlock()
    {
        auto opened = secure.unlock(kPin);
        INFO((opened ? std::string() : opened.error().message));
        REQUIRE(opened.ok());
        db = std::move(opened).value();
        auto rs = RecordStore::open(*db, systemClock());
        REQUIRE(rs.ok());
        records = std::move(rs).value();
    }

    void lock()
    {
        records.reset();
        db.reset();
    }

    /// What the app's wipe closure does: close everything, then destroy key and files.
    DestroyLocalData destroyer(SyncEngine* engine = nullptr)
    {
        return [this, engine]() -> Status {
            if (engine)
                engine->stop();
            lock();
            return secure.wipe();
        };
    }

    /// Regular files left in the store folder.
    std::vector<std::string> filesLeft() const
    {
        std::vector<std::string> out;
        std::error_code ec;
        if (!std::filesystem::exists(secure.directory(), ec))
            return out;
        for (const auto& f : std::filesystem::recursive_directory_iterator(secure.directory(), ec)) {
            if (f.is_regular_file())
                out.push_back(f.path().filename().string());
        }
        return out;
    }

    void sync()
    {
        SyncEngine engine(link);
        engine.start(*records, Actor{"pc.a"});
        auto report = engine.syncOnce();
        engine.stop();
        INFO((report ? std::string() : report.error().message));
        REQUIRE(report.ok());
    }

    /// The credential as the key store holds it (to show afterwards that it no longer works).
    SecureBytes token()
    {
        auto t = secrets.read("tablet/sync.token");
        REQUIRE(t.ok());
        REQUIRE(t->has_value());
        return std::move(**t);
    }
};

struct Server {
    ServerProcess server;
    SyncClient client;
    Server() { server.addUser("pc.a", "officer", "north", "camden"); }

    std::string statusOf(const std::string& deviceId)
    {
        auto r = server.admin({"device", "status", deviceId});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        return r.out;
    }
};

void requireGone(SecureDevice& device)
{
    CHECK(device.filesLeft().empty());  // vault.json (wrapped key), vigil.db, -wal, -shm
    CHECK_FALSE(std::filesystem::exists(device.secure.databasePath()));
    CHECK_FALSE(std::filesystem::exists(device.secure.vaultPath()));
    CHECK_FALSE(device.secure.isSetUp());
    CHECK_FALSE(device.secrets.contains("tablet-records.device-secret"));
    CHECK_FALSE(device.secrets.contains("tablet/sync.token"));
    CHECK_FALSE(device.secrets.contains("tablet/sync.enrolment"));
    auto enrolment = device.link.enrolment();
    REQUIRE(enrolment.ok());
    CHECK_FALSE(enrolment->has_value());
    // Nothing can open the records any more, not even with the right PIN.
    auto reopened = device.secure.unlock(kPin);
    CHECK_FALSE(reopened.ok());
}

}  // namespace

TEST_CASE("A device flagged for wipe wipes on its next contact while locked, and the server records its report",
          "[sync][wipe]")
{
    Server s;
    SecureDevice device(s.client, s.server, "pc.a");
    makeIncidentWithVictim(*device.records, "pc.a", "north", "camden");
    device.sync();
    SecureBytes oldToken = device.token();
    device.lock();  // the app is locked: only the key store is reachable

    auto order = s.server.admin({"device", "wipe", device.deviceId});
    INFO(order.err);
    REQUIRE(order.exitCode == 0);
    CHECK_THAT(order.out, Catch::Contains("ordered to wipe"));
    CHECK_THAT(s.statusOf(device.deviceId), Catch::Contains("not yet confirmed"));

    auto outcome = device.link.checkAndWipe(device.destroyer());
    INFO((outcome ? outcome->message : outcome.error().message));
    REQUIRE(outcome.ok());
    CHECK(outcome->ordered);
    CHECK(outcome->wiped);
    CHECK(outcome->reported);
    requireGone(device);
    CHECK(device.secrets.size() == 0);  // the receipt too, once the server has the report

    const std::string status = s.statusOf(device.deviceId);
    CHECK_THAT(status, Catch::Contains("State:       wiped "));
    CHECK_THAT(status, Catch::Contains("confirmed by the device (ordered by an administrator)"));
    CHECK_THAT(status, Catch::Contains("records database"));
    auto list = s.server.admin({"device", "list"});
    CHECK_THAT(list.out, Catch::Contains(device.deviceId) && Catch::Contains("wiped "));
    CHECK_THAT(s.server.log(), Catch::Contains("\"event\":\"device_wiped\""));

    // The old credential is retired on the server: a copy of it is refused.
    DeviceSession copy(s.client, s.server.endpoint(), std::move(oldToken));
    ClientRequest probe;
    probe.target = "/v1/device";
    auto refused = copy.request(probe);
    REQUIRE(refused.ok());
    CHECK(refused->status == 401);

    // Asking again changes nothing: the device is no longer enrolled.
    auto again = device.link.checkAndWipe(device.destroyer());
    REQUIRE(again.ok());
    CHECK_FALSE(again->ordered);
}

TEST_CASE("An unlocked device that is syncing learns of the wipe on its next sync, and the app's wipe destroys the "
          "open store",
          "[sync][wipe]")
{
    Server s;
    SecureDevice device(s.client, s.server, "pc.a");
    makeIncidentWithVictim(*device.records, "pc.a", "north", "camden");
    SyncEngineOptions options;
    options.backoff.initial = std::chrono::seconds(60);  // the timer never fires in this test
    SyncEngine engine(device.link, options);
    engine.start(*device.records, Actor{"pc.a"});
    engine.drain();
    REQUIRE(engine.status().state == SyncStatus::State::Idle);
    CHECK_FALSE(engine.status().wipeOrdered);

    REQUIRE(s.server.admin({"device", "wipe", device.deviceId}).exitCode == 0);
    makeIncidentWithVictim(*device.records, "pc.a", "north", "camden");  // written while the order is out
    engine.syncNow();
    engine.drain();
    const SyncStatus status = engine.status();
    CHECK(status.wipeOrdered);
    REQUIRE(status.lastError);
    CHECK(status.lastError->code == ErrorCode::Revoked);

    // The app, told by the status, runs the wipe check on its own thread.
    auto outcome = device.link.checkAndWipe(device.destroyer(&engine));
    INFO((outcome ? outcome->message : outcome.error().message));
    REQUIRE(outcome.ok());
    CHECK(outcome->wiped);
    CHECK(outcome->reported);
    CHECK(engine.status().state == SyncStatus::State::Stopped);
    requireGone(device);
    CHECK_THAT(s.statusOf(device.deviceId), Catch::Contains("ordered by an administrator"));
}

TEST_CASE("A user-initiated wipe says first what has not been sent, never waits for the network, and reports once "
          "the server is back",
          "[sync][wipe]")
{
    Server s;
    SecureDevice device(s.client, s.server, "pc.a");
    makeIncidentWithVictim(*device.records, "pc.a", "north", "camden");
    device.sync();
    auto before = device.records->unsentSummary();
    REQUIRE(before.ok());
    CHECK(before->records == 0);
    CHECK(before->changes == 0);

    // Two records changed offline: the incident and its victim (audit entries do not count).
    const std::string id = makeIncidentWithVictim(*device.records, "pc.a", "north", "camden");
    auto unsent = device.records->unsentRecordCount();
    REQUIRE(unsent.ok());
    CHECK(*unsent == 2);
    auto summary = device.records->unsentSummary();
    REQUIRE(summary.ok());
    CHECK(summary->records == 2);
    CHECK(summary->changes > 2);
    CHECK(summary->photos == 0);
    (void)id;

    s.server.stop();  // no network
    auto outcome = device.link.wipe(WipeReason::User, device.destroyer());
    REQUIRE(outcome.ok());
    CHECK(outcome->wiped);
    CHECK_FALSE(outcome->reported);
    CHECK_THAT(outcome->message, Catch::Contains("erased") && Catch::Contains("next time"));
    requireGone(device);
    // Only the one-shot receipt is left, to report with.
    CHECK(device.secrets.size() == 1);
    CHECK(device.secrets.contains("tablet/sync.wipe-report"));
    auto pending = device.link.wipeReportPending();
    REQUIRE(pending.ok());
    CHECK(*pending);
    auto stillDown = device.link.checkAndWipe(device.destroyer());
    REQUIRE_FALSE(stillDown.ok());
    CHECK(stillDown.error().code == ErrorCode::Network);
    CHECK(device.secrets.contains("tablet/sync.wipe-report"));

    s.server.restart();
    auto later = device.link.checkAndWipe(device.destroyer());
    INFO((later ? later->message : later.error().message));
    REQUIRE(later.ok());
    CHECK(later->reported);
    CHECK(device.secrets.size() == 0);
    CHECK_THAT(s.statusOf(device.deviceId), Catch::Contains("wiped by its user"));
}

TEST_CASE("The server accepts a wipe report only with the device's own receipt, and a repeated report changes nothing",
          "[sync][wipe]")
{
    Server s;
    SecureDevice device(s.client, s.server, "pc.a");
    const SecureBytes token = device.token();
    const auto post = [&](const std::string& receipt) {
        WipeReport report;
        report.deviceId = device.deviceId;
        report.receipt = receipt;
        report.reason = "user";
        report.wipedAt = "2026-11-23T10:00:00Z";
        ClientRequest request;
        request.method = "POST";
        request.target = "/v1/wipe-report";
        request.body = toJson(report).dump();
        auto r = s.client.send(s.server.endpoint(), request);
        REQUIRE(r.ok());
        return *r;
    };

    // A made-up receipt is refused in words and records nothing.
    std::array<unsigned char, 32> forged{};
    randombytes_buf(forged.data(), forged.size());
    auto refused = post(base64UrlEncode(forged));
    CHECK(refused.status == 403);
    REQUIRE(refused.error);
    CHECK(refused.error->error == "wipe_receipt_invalid");
    CHECK_THAT(refused.error->message, Catch::Contains("tell your administrator"));
    CHECK_THAT(s.statusOf(device.deviceId), Catch::Contains("State:       active"));
    // The device credential itself is not a receipt.
    CHECK(post(base64UrlEncode(token.span())).status == 403);

    // The real one is recorded once; sending it again (a lost answer) is answered the same way.
    const std::string receipt = base64UrlEncode(wipeReceiptFor(token.span()).span());
    CHECK(post(receipt).status == 200);
    const std::string first = s.statusOf(device.deviceId);
    CHECK_THAT(first, Catch::Contains("wiped by its user"));
    CHECK(post(receipt).status == 200);
    CHECK(s.statusOf(device.deviceId) == first);
}
