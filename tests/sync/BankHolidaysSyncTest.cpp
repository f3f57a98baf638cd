// The administrator's bank-holiday update reaches every device through the server (issue 24):
// `vigil-admin bank-holidays import` checks a list with the core's parser and keeps it in the
// server's store; every pull answer names the version held; a device holding an older one fetches
// it (GET /v1/bank-holidays), checks it again and keeps it in its encrypted store, and its Victims'
// Code clock uses it. Real vigil-server and vigil-admin processes on 127.0.0.1, real TLS, real
// SQLCipher stores on both ends.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/casework/VictimsCode.h"
#include "core/casework/WorkingDays.h"
#include "core/risk/Dates.h"
#include "core/risk/JsonFile.h"
#include "sync/protocol/Encoding.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using nlohmann::json;
using vigil::test::ServerProcess;

namespace {

json shippedJson()
{
    return json::parse(readTextFile(shippedBankHolidayFile(), "bank-holiday list").value());
}

/// The shipped list at `version` with an invented one-off bank holiday on Monday 7 June 2027
/// (an ordinary working day in the shipped list).
json withOneOffDay(int version)
{
    json j = shippedJson();
    j["vigil"]["version"] = version;
    j["england-and-wales"]["events"].push_back(
        {{"title", "Invented one-off bank holiday"}, {"date", "2027-06-07"}, {"notes", ""}, {"bunting", true}});
    return j;
}

std::string writeList(const test::TempDir& dir, const std::string& name, const std::string& text)
{
    const auto path = dir / name;
    std::ofstream{path, std::ios::binary} << text;
    return path.string();
}

/// How many requests for the list the server has answered (its log: one line per request).
std::size_t listRequests(const ServerProcess& server)
{
    const std::string log = server.log();
    std::size_t n = 0;
    for (auto at = log.find("\"path\":\"/v1/bank-holidays\""); at != std::string::npos;
         at = log.find("\"path\":\"/v1/bank-holidays\"", at + 1))
        ++n;
    return n;
}

/// The clock's list on a device: the newest of the shipped list and what it received.
BankHolidayChoice deviceCalendar(RecordStore& store)
{
    auto received = store.serverBankHolidays();
    REQUIRE(received.ok());
    auto choice = chooseBankHolidays(shippedBankHolidayFile(), *received, std::nullopt);
    REQUIRE(choice.ok());
    return std::move(choice).value();
}

/// When telling the victim of an arrest on Friday 4 June 2027 at 19:00 (BST) is due: enhanced
/// rights, 1 working day, so by the end of the next working day.
std::chrono::sys_seconds arrestUpdateDue(const WorkingDays& calendar)
{
    VictimsCodeCase c;
    c.events = {CaseEvent{"arrest-1", CaseEventKind::Arrest, *parseIsoDateTime("2027-06-04T18:00:00Z")}};
    auto items = victimsCodeItems(c, VictimsCodeRules{}, calendar, *parseIsoDateTime("2027-06-04T18:30:00Z"));
    REQUIRE(items.ok());
    for (const DueItem& item : *items) {
        if (item.duty == VictimDuty::Update && item.eventId == "arrest-1") {
            REQUIRE(item.dueAt.has_value());
            return *item.dueAt;
        }
    }
    FAIL("no update is due after the arrest");
    return {};
}

}  // namespace

TEST_CASE("An administrator imports a newer bank-holiday list, a device receives it at its next sync and the due date "
          "across the new day moves by one working day, and keeps it after a restart",
          "[sync][bankholidays]")
{
    ServerProcess server;
    server.addUser("idva.f", "idva", "north", "camden");
    SyncClient client;
    const test::TempDir files;
    test::Handset device(client, server, "idva.f");

    // Before any import: the server names no list, the device keeps the shipped one.
    CHECK(server.admin({"bank-holidays", "show"}).out.find("holds no bank-holiday list") != std::string::npos);
    CHECK(device.sync().bankHolidays == 0);
    CHECK(*device.records().serverBankHolidaysVersion() == 0);
    CHECK(listRequests(server) == 0);
    const BankHolidayChoice before = deviceCalendar(device.records());
    CHECK(before.source == BankHolidaySource::Shipped);
    // End of Monday 7 June 2027 (BST): 23:00 UTC.
    CHECK(arrestUpdateDue(before.calendar) == *parseIsoDateTime("2027-06-07T23:00:00Z"));

    // The administrator adds a one-off day (version 2).
    const std::string list = withOneOffDay(2).dump(2);
    auto imported = server.admin({"bank-holidays", "import", writeList(files, "bank-holidays-v2.json", list)});
    INFO(imported.err);
    REQUIRE(imported.exitCode == 0);
    CHECK(imported.out.find("Imported version 2 of the bank-holiday list (2006-01-01 to 2028-12-31") != std::string::npos);
    CHECK(imported.out.find("replacing the list shipped with Vigil (version 1, 2006 to 2028)") != std::string::npos);
    CHECK(imported.out.find("It adds 1 day: 2027-06-07 (Invented one-off bank holiday)") != std::string::npos);
    CHECK(imported.err.find("\"event\":\"bank_holidays_imported\"") != std::string::npos);  // the log line
    const auto shown = server.admin({"bank-holidays", "show"});
    CHECK(shown.out.find("Devices receive version 2 at their next sync: 2006-01-01 to 2028-12-31") != std::string::npos);
    CHECK(shown.out.find("bank-holidays-v2.json") != std::string::npos);

    // The device's next sync brings it; the update after the arrest is now due a working day later.
    CHECK(device.sync().bankHolidays == 2);
    CHECK(listRequests(server) == 1);
    CHECK(*device.records().serverBankHolidaysVersion() == 2);
    CHECK(*device.records().serverBankHolidays() == list);
    const BankHolidayChoice after = deviceCalendar(device.records());
    CHECK(after.source == BankHolidaySource::Server);
    CHECK(after.serverVersion == 2);
    CHECK(arrestUpdateDue(after.calendar) == *parseIsoDateTime("2027-06-08T23:00:00Z"));

    // Current: the next sync fetches nothing.
    CHECK(device.sync().bankHolidays == 0);
    CHECK(listRequests(server) == 1);

    // A restart: the store closed and opened again with its key; the list is still there, and is
    // still not fetched again.
    device.store->records.reset();
    device.store->db.reset();
    OpenOptions options;
    auto reopened = Database::open(device.store->dir / "device.db", device.store->key, options);
    REQUIRE(reopened.ok());
    device.store->db = std::move(reopened).value();
    auto records = RecordStore::open(*device.store->db, systemClock());
    REQUIRE(records.ok());
    device.store->records = std::move(records).value();
    device.engine = std::make_unique<SyncEngine>(device.link);
    CHECK(*device.records().serverBankHolidaysVersion() == 2);
    CHECK(arrestUpdateDue(deviceCalendar(device.records()).calendar) == *parseIsoDateTime("2027-06-08T23:00:00Z"));
    device.sync();
    CHECK(listRequests(server) == 1);

    // A device enrolled later receives it at its first sync.
    server.addUser("idva.g", "idva", "north", "camden");
    test::Handset later(client, server, "idva.g");
    CHECK(later.sync().bankHolidays == 2);
    CHECK(deviceCalendar(later.records()).source == BankHolidaySource::Server);
}

TEST_CASE("vigil-admin refuses, with words and changing nothing, a bank-holiday list that is malformed, not newer, "
          "shorter, or drops a day without --allow-removals",
          "[sync][bankholidays][admin]")
{
    ServerProcess server;
    const test::TempDir files;
    const auto import = [&](const std::string& name, const std::string& text, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"bank-holidays", "import", writeList(files, name, text)};
        args.insert(args.end(), extra.begin(), extra.end());
        return server.admin(args);
    };
    const auto refused = [&](const std::string& name, const std::string& text) {
        auto r = import(name, text);
        CHECK(r.exitCode == 1);
        CHECK(r.out.empty());
        return r.err;
    };

    // Malformed: not JSON, and a date that does not exist (the core parser's words, with the JSON path).
    CHECK(refused("broken.json", "{\"vigil\": ").find("is not valid JSON") != std::string::npos);
    json badDate = withOneOffDay(2);
    badDate["england-and-wales"]["events"][0]["date"] = "2006-01-32";
    const std::string badDateWords = refused("bad-date.json", badDate.dump());
    CHECK(badDateWords.find("/england-and-wales/events/0/date: the date must be a real date written YYYY-MM-DD")
          != std::string::npos);
    CHECK(badDateWords.find("Nothing was imported.") != std::string::npos);
    CHECK(refused("missing-vigil.json", [] {
              json j = withOneOffDay(2);
              j.erase("vigil");
              return j.dump();
          }()).find("the \"vigil\" block is missing") != std::string::npos);
    // Not newer than the list shipped with Vigil.
    CHECK(refused("same.json", withOneOffDay(1).dump())
              .find("its version (1) is not newer than the list shipped with Vigil (version 1, 2006 to 2028), so devices "
                    "would not use it: raise \"version\" in the \"vigil\" block to 2 or more")
          != std::string::npos);
    CHECK(server.admin({"bank-holidays", "show"}).out.find("holds no bank-holiday list") != std::string::npos);

    REQUIRE(import("v2.json", withOneOffDay(2).dump()).exitCode == 0);
    // Older than, or as old as, the server's.
    CHECK(refused("again.json", withOneOffDay(2).dump())
              .find("its version (2) is not newer than the list the server holds (version 2, 2006 to 2028, imported by ")
          != std::string::npos);
    // Shorter than the server's list.
    json shorter = withOneOffDay(3);
    shorter["vigil"]["covers_to"] = "2027-12-31";
    auto& events = shorter["england-and-wales"]["events"];
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const json& e) { return e["date"].get<std::string>().starts_with("2028"); }),
                 events.end());
    CHECK(refused("shorter.json", shorter.dump())
              .find("it covers only to 2027-12-31, and the list shipped with Vigil covers to 2028-12-31")
          != std::string::npos);
    // Dropping a day the server's list holds needs --allow-removals.
    json moved = shippedJson();
    moved["vigil"]["version"] = 3;
    const std::string droppedWords = refused("moved.json", moved.dump());
    CHECK(droppedWords.find("it drops 1 bank holiday that the server's list (version 2, 2006 to 2028) holds: 2027-06-07 "
                            "(Invented one-off bank holiday)")
          != std::string::npos);
    CHECK(droppedWords.find("--allow-removals") != std::string::npos);
    CHECK(server.admin({"bank-holidays", "show"}).out.find("Devices receive version 2") != std::string::npos);

    auto allowed = import("moved.json", moved.dump(), {"--allow-removals"});
    INFO(allowed.err);
    REQUIRE(allowed.exitCode == 0);
    CHECK(allowed.out.find("It removes 1 day: 2027-06-07 (Invented one-off bank holiday)") != std::string::npos);
    const auto shown = server.admin({"bank-holidays", "show"});
    CHECK(shown.out.find("Devices receive version 3") != std::string::npos);
    CHECK(shown.out.find("moved.json ([\"2027-06-07\"])") != std::string::npos);
    CHECK(shown.out.find("v2.json") != std::string::npos);  // every import is kept, with who ran it

    // A command misused: exit status 2 and the usage.
    CHECK(server.admin({"bank-holidays", "import"}).exitCode == 2);
    CHECK(server.admin({"bank-holidays", "--help"}).out.find("--allow-removals") != std::string::npos);
}

TEST_CASE("Only an enrolled device receives the bank-holiday list: no credential, an unknown one or a revoked device is "
          "refused",
          "[sync][bankholidays][auth]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    const test::TempDir files;
    test::Handset device(client, server, "pc.a");

    ClientRequest ask;
    ask.target = "/v1/bank-holidays";
    // The server holds none yet: 404 to an enrolled device.
    auto none = device.link.request(ask);
    REQUIRE(none.ok());
    CHECK(none->status == 404);
    REQUIRE(server.admin({"bank-holidays", "import", writeList(files, "v2.json", withOneOffDay(2).dump())}).exitCode == 0);

    auto anonymous = client.send(server.endpoint(), ask);
    REQUIRE(anonymous.ok());
    CHECK(anonymous->status == 401);
    CHECK(anonymous->body.find("unauthenticated") != std::string::npos);
    CHECK(anonymous->body.find("Invented one-off") == std::string::npos);

    ClientRequest forged = ask;
    std::array<unsigned char, 32> random{};
    randombytes_buf(random.data(), random.size());
    forged.bearer = base64UrlEncode(random);
    auto unknown = client.send(server.endpoint(), forged);
    REQUIRE(unknown.ok());
    CHECK(unknown->status == 401);
    CHECK(unknown->body.find("Invented one-off") == std::string::npos);

    ClientRequest post = ask;
    post.method = "POST";
    auto wrongMethod = device.link.request(post);
    REQUIRE(wrongMethod.ok());
    CHECK(wrongMethod->status == 405);

    auto got = device.link.request(ask);
    REQUIRE(got.ok());
    CHECK(got->status == 200);
    auto parsed = WorkingDays::parse(got->body, "from the server");
    REQUIRE(parsed.ok());
    CHECK(parsed->version() == 2);

    REQUIRE(server.admin({"device", "revoke", device.deviceId}).exitCode == 0);
    auto revoked = device.link.request(ask);
    REQUIRE(revoked.ok());
    CHECK(revoked->status == 403);
    CHECK(revoked->body.find("Invented one-off") == std::string::npos);
}

TEST_CASE("A device keeps no list from the server that fails the core's checks, keeps syncing, and does not fetch it again",
          "[sync][bankholidays]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    test::Handset device(client, server, "pc.a");

    // A damaged list in the server's store, past vigil-admin's checks (written as vigil-admin
    // writes, to the store the running server uses).
    {
        auto store = server.openStore();
        BankHolidayImport damaged;
        damaged.version = 5;
        damaged.text = std::string(40, '[') + std::string(40, ']');
        damaged.sha256 = "-";
        damaged.coversFrom = "2006-01-01";
        damaged.coversTo = "2028-12-31";
        damaged.importedBy = "test";
        damaged.fileName = "damaged.json";
        REQUIRE(store->addBankHolidays(damaged).ok());
    }
    CHECK(device.sync().bankHolidays == 0);  // the sync itself succeeds
    CHECK(listRequests(server) == 1);
    CHECK(*device.records().serverBankHolidaysVersion() == 0);
    CHECK(*device.records().refusedBankHolidaysVersion() == 5);
    CHECK(deviceCalendar(device.records()).source == BankHolidaySource::Shipped);
    device.sync();
    CHECK(listRequests(server) == 1);  // the same version is not fetched again
}
