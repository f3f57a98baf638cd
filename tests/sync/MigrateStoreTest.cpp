// `vigil-admin migrate-store` (issue 26, item 4): a borough's SQLCipher server moved into
// PostgreSQL with real processes — vigil-server on SQLCipher, devices syncing, the move, the same
// vigil-server on PostgreSQL — in the fixture's throwaway cluster (a schema of its own).
#include <catch2/catch.hpp>

#include <fstream>

#include "core/records/AttachmentRepository.h"
#include "core/records/RecordDigest.h"
#include "sync/client/SyncClient.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/ServerKey.h"
#include "tests/support/FileScan.h"
#include "tests/sync/StoreBackends.h"
#include "tests/sync/SyncDevices.h"
#include "tests/sync/TestPhotos.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::Handset;
using vigil::test::ServerProcess;

namespace {

RecordDigest digestOf(Handset& device)
{
    DigestOptions options;
    options.perRow = true;
    auto d = digestRecords(device.records().database(), options);
    REQUIRE(d.ok());
    return *d;
}

/// The rows two devices hold differently ("entity/id"), for the message of a failed comparison.
std::string rowsThatDiffer(const RecordDigest& x, const RecordDigest& y)
{
    std::string out;
    for (const auto& [row, hash] : x.rowHashes) {
        auto it = y.rowHashes.find(row);
        if (it == y.rowHashes.end() || it->second != hash)
            out += row + (it == y.rowHashes.end() ? " (only first) " : " (differs) ");
    }
    for (const auto& [row, hash] : y.rowHashes) {
        if (x.rowHashes.count(row) == 0)
            out += row + " (only second) ";
    }
    return out;
}

/// A copy of the server's configuration on PostgreSQL (a fresh schema in the fixture's cluster),
/// as an operator writes it before the move; its path.
std::filesystem::path writePgConfig(const ServerProcess& server, const std::string& schema,
                                    const std::string& keyFile = {})
{
    auto config = nlohmann::json::parse(test::readFile(server.dataDir() / "server.json"));
    const PgSettings pg = test::clusterSettings(schema);
    config["store"] = "postgresql";
    config["postgresql_conninfo"] = pg.conninfo;
    config["postgresql_password_file"] = pg.passwordFile.string();
    config["postgresql_schema"] = pg.schema;
    if (!keyFile.empty())
        config["key_file"] = keyFile;
    const auto file = server.dataDir() / ("server-" + schema + ".json");
    std::ofstream(file, std::ios::trunc) << config.dump(2);
    return file;
}

/// Rows of a table in a schema of the cluster (0 when the table is not there yet).
std::int64_t pgRows(const std::string& schema, const std::string& table)
{
    auto conn = PgConnection::connect(test::clusterSettings(schema));
    REQUIRE(conn.ok());
    auto has = (*conn)->exec("SELECT to_regclass($1) IS NOT NULL;", {PgParam(table)});
    REQUIRE(has.ok());
    if (!has->boolean(0, 0))
        return 0;
    auto r = (*conn)->exec("SELECT count(*) FROM " + table + ";");
    REQUIRE(r.ok());
    return r->integer(0, 0);
}

constexpr const char* kCountedTables[] = {"users",          "devices",           "enrol_codes",    "server_audit",
                                          "op_log",         "push_rejections",   "incidents",      "record_index",
                                          "device_visible", "device_quarantine", "device_view",    "disclosures",
                                          "attachment_files", "attachment_chunks", "device_audit_head"};

std::map<std::string, std::int64_t> tableCounts(const ServerProcess& server)
{
    std::map<std::string, std::int64_t> out;
    for (const char* table : kCountedTables)
        out[table] = server.storeCount(std::string("SELECT count(*) FROM ") + table + ";");
    return out;
}

}  // namespace

TEST_CASE("A SQLCipher server moved to PostgreSQL with migrate-store: devices carry on without re-enrolling, are sent "
          "nothing twice, and a new device gets every record and photo",
          "[sync][migrate]")
{
    if (!test::postgresInstalled()) {
        test::reportPostgresSkipped();
        return;
    }
    ServerProcess server;  // SQLCipher: this executable does not set VIGIL_TEST_STORE
    REQUIRE_FALSE(server.onPostgresql());
    server.addUser("pc.a", "officer", "north", "camden", false, "Alex Example");
    server.addUser("pc.b", "officer", "north", "camden");
    server.addUser("pc.c", "officer", "south", "camden");
    server.addUser("pc.d", "officer", "north", "camden");
    SyncClient client;
    Handset a(client, server, "pc.a");
    Handset b(client, server, "pc.b");
    Handset c(client, server, "pc.c");

    // What a borough's store holds: 124Ds with victims, a photo in chunks, a refused change with
    // its words, a quarantined device with its reason, devices' audit chains and views.
    IncidentRepository repoA(a.records());
    test::makeSubmittedDemo(repoA, a.records(), 4);
    const std::string draft = test::makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    AttachmentRepository photos(a.records(), test::smallChunks());
    auto photoId = photos.import(Actor{"pc.a"}, draft, test::photo(11), "bruising, left forearm");
    REQUIRE(photoId.ok());
    CHECK(a.sync().photosSent == 1);
    b.sync();
    IncidentRepository repoB(b.records());
    auto theirs = repoB.load(Actor{"pc.b"}, draft);
    REQUIRE(theirs.ok());
    theirs->refs.cad = "9999/01JAN10";  // a colleague may read the owner's draft, not change it
    REQUIRE(repoB.save(Actor{"pc.b"}, *theirs).ok());
    CHECK(b.sync().rejected > 0);
    (void)test::makeIncidentWithVictim(c.records(), "pc.c", "south", "camden");
    c.sync();
    auto held = server.admin({"quarantine", "add", c.deviceId, "--reason", "lost in transit"});
    INFO(held.err);
    REQUIRE(held.exitCode == 0);
    a.sync();
    b.sync();  // b keeps its refused change on the device, with the words

    const auto before = tableCounts(server);
    CHECK(before.at("op_log") > 100);
    CHECK(before.at("push_rejections") > 0);
    CHECK(before.at("attachment_chunks") == 10);
    CHECK(before.at("device_quarantine") == 1);
    const std::int64_t lastCursor = server.storeCount("SELECT max(cursor) FROM op_log;");
    const std::string incarnation = server.storeTexts("SELECT value FROM server_meta WHERE key = 'incarnation';").at(0);

    // The move, as an operator runs it: server stopped, a PostgreSQL copy of the configuration.
    server.stop();
    const std::string schema = test::freshSchema();
    const auto pgConfig = writePgConfig(server, schema);
    auto moved = server.admin({"migrate-store", "--to", pgConfig.string()});
    INFO(moved.out << moved.err);
    REQUIRE(moved.exitCode == 0);
    CHECK_THAT(moved.out, Catch::Contains("op_log") && Catch::Contains("same"));
    CHECK_THAT(moved.out, !Catch::Contains("DIFFERENT"));
    CHECK_THAT(moved.out, Catch::Contains("attachment_chunks"));
    CHECK_THAT(moved.out, Catch::Contains("incarnation (" + incarnation + ") is unchanged"));

    // Installed as the server's configuration, the old one kept aside.
    std::filesystem::rename(server.dataDir() / "server.json", server.dataDir() / "server-sqlcipher.json");
    std::filesystem::copy_file(pgConfig, server.dataDir() / "server.json");
    server.restart();
    REQUIRE(server.onPostgresql());

    // The same rows, the same cursors, the same incarnation.
    auto after = tableCounts(server);
    // The move is one more entry in the chain.
    CHECK(after.at("server_audit") == before.at("server_audit") + 1);
    after.at("server_audit") = before.at("server_audit");
    // Pulls since the restart may add disclosures; none has happened yet.
    CHECK(after == before);
    CHECK(server.storeCount("SELECT max(cursor) FROM op_log;") == lastCursor);
    CHECK(server.storeTexts("SELECT value FROM server_meta WHERE key = 'incarnation';").at(0) == incarnation);
    CHECK(server.storeTexts("SELECT action FROM server_audit ORDER BY seq DESC LIMIT 1;").at(0) == "store_moved_in");
    auto chain = server.admin({"audit", "verify"});
    INFO(chain.out << chain.err);
    CHECK(chain.exitCode == 0);

    // Devices carry on: nothing to pull yet (their cursors hold on PostgreSQL), a change goes
    // through, and a colleague receives that change and nothing else.
    CHECK(b.sync().pulled == 0);
    auto mine = repoA.load(Actor{"pc.a"}, draft);
    REQUIRE(mine.ok());
    mine->refs.cad = "4321/07DEC26";
    REQUIRE(repoA.save(Actor{"pc.a"}, *mine).ok());
    const auto sent = a.sync();
    CHECK(sent.pushed > 0);
    CHECK(sent.rejected == 0);
    const auto got = b.sync();
    CHECK(got.pulled > 0);
    CHECK(got.pulled <= sent.pushed);
    auto seen = repoB.load(Actor{"pc.b"}, draft);
    REQUIRE(seen.ok());
    CHECK(seen->refs.cad == "4321/07DEC26");

    // A device enrolled after the move starts from the PostgreSQL server's records copy, built
    // from the moved op log, and gets the photo's bytes back out of the sealed chunks.
    Handset d(client, server, "pc.d");
    const auto first = d.sync();
    CHECK(first.photosReceived == 1);
    // The same records as a, which made them, and b, which received them before the move.
    const RecordDigest ofD = digestOf(d);
    const RecordDigest ofA = digestOf(a);
    const RecordDigest ofB = digestOf(b);
    INFO(rowsThatDiffer(ofD, ofA));
    CHECK(ofD == ofA);
    INFO(rowsThatDiffer(ofD, ofB));
    CHECK(ofD == ofB);
    auto bytes = AttachmentRepository(d.records()).read(Actor{"pc.d"}, *photoId);
    REQUIRE(bytes.ok());
    CHECK(*bytes == test::photo(11));

    // Sealed words opened again: the quarantine's reason, the refused change's message, names.
    auto list = server.admin({"quarantine", "list"});
    CHECK_THAT(list.out, Catch::Contains(c.deviceId) && Catch::Contains("lost in transit"));
    auto users = server.admin({"user", "list"});
    CHECK_THAT(users.out, Catch::Contains("Alex Example"));

    // The old store is kept, marked moved: neither vigil-server nor vigil-admin uses it again.
    const std::string oldConfig = (server.dataDir() / "server-sqlcipher.json").string();
    auto oldServer = test::runProcess(VIGIL_SERVER_EXE, {"--config", oldConfig, "--check"});
    CHECK(oldServer.exitCode != 0);
    CHECK_THAT(oldServer.err + oldServer.out, Catch::Contains("moved to PostgreSQL"));
    auto oldAdmin = test::admin({"--config", oldConfig, "user", "list"});
    CHECK(oldAdmin.exitCode == 1);
    CHECK_THAT(oldAdmin.err, Catch::Contains("moved to PostgreSQL"));
    server.stop();  // the server on PostgreSQL keeps its records copy (and its lock) in the same folder
    auto again = test::admin({"--config", oldConfig, "migrate-store", "--to", pgConfig.string()});
    CHECK(again.exitCode == 1);
    CHECK_THAT(again.err, Catch::Contains("moved") && Catch::Contains("already"));
}

TEST_CASE("migrate-store refuses with words and changes nothing: while vigil-server runs, into a schema that holds a "
          "store, with another server key, or from a store with a column it does not know",
          "[sync][migrate]")
{
    if (!test::postgresInstalled()) {
        test::reportPostgresSkipped();
        return;
    }
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    Handset a(client, server, "pc.a");
    (void)test::makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();

    const std::string schema = test::freshSchema();
    const auto pgConfig = writePgConfig(server, schema);

    SECTION("without --to it says what to give")
    {
        auto r = server.admin({"migrate-store"});
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("--to FILE"));
    }
    SECTION("while vigil-server runs on the store")
    {
        auto r = server.admin({"migrate-store", "--to", pgConfig.string()});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.err, Catch::Contains("is using the store"));
        CHECK(pgRows(schema, "op_log") == 0);
    }
    SECTION("to a configuration that is not PostgreSQL")
    {
        server.stop();
        auto r = server.admin({"migrate-store", "--to", (server.dataDir() / "server.json").string()});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.err, Catch::Contains("\"store\": \"postgresql\""));
    }
    SECTION("with another server key")
    {
        server.stop();
        const auto otherKey = server.dataDir() / "other.key";
        {
            std::array<unsigned char, 32> k{};
            randombytes_buf(k.data(), k.size());
            std::ofstream(otherKey) << toHex(k) << "\n";
        }
        std::filesystem::permissions(otherKey, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::replace);
        const auto other = writePgConfig(server, test::freshSchema(), otherKey.string());
        auto r = server.admin({"migrate-store", "--to", other.string()});
        INFO(r.err);
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.err, Catch::Contains("another server key"));
    }
    SECTION("into a schema that already holds a server store")
    {
        server.stop();
        auto key = loadServerKey(server.dataDir() / "server.key");
        REQUIRE(key.ok());
        {
            auto there = PgServerStore::open(test::clusterSettings(schema), key->span());
            REQUIRE(there.ok());
            UserRecord u;
            u.info.id = "pc.z";
            u.info.displayName = "Someone Else";
            u.info.team = "west";
            u.info.borough = "hackney";
            REQUIRE((*there)->addUser(u).ok());
        }
        auto r = server.admin({"migrate-store", "--to", pgConfig.string()});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.err, Catch::Contains("already holds a server store"));
        CHECK(pgRows(schema, "users") == 1);
        CHECK(pgRows(schema, "op_log") == 0);
    }
    SECTION("from a store with a column this vigil-admin does not know")
    {
        server.stop();
        server.storeExec("ALTER TABLE users ADD COLUMN nickname TEXT NOT NULL DEFAULT '';");
        auto r = server.admin({"migrate-store", "--to", pgConfig.string()});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.err, Catch::Contains("users.nickname") && Catch::Contains("Nothing was changed"));
        CHECK(pgRows(schema, "users") == 0);
    }
    // Whatever was refused, the SQLCipher store is not marked moved: the server starts on it.
    server.restart();
    CHECK(a.trySync().ok());
}

TEST_CASE("An audit chain already broken in the SQLCipher store is moved as it was, and the move says so",
          "[sync][migrate]")
{
    if (!test::postgresInstalled()) {
        test::reportPostgresSkipped();
        return;
    }
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.b", "officer", "north", "camden");
    server.stop();
    // Someone with the file and the key altered an entry: the evidence of it must move too.
    server.storeExec("UPDATE server_audit SET detail = '{\"role\":\"admin\"}' WHERE seq = 2;");
    const std::string schema = test::freshSchema();
    const auto pgConfig = writePgConfig(server, schema);
    auto moved = server.admin({"migrate-store", "--to", pgConfig.string()});
    INFO(moved.out << moved.err);
    REQUIRE(moved.exitCode == 0);
    CHECK_THAT(moved.out, Catch::Contains("already broken in the SQLCipher store"));
    auto verify = test::admin({"--config", pgConfig.string(), "audit", "verify"});
    CHECK(verify.exitCode == 1);
    CHECK_THAT(verify.out + verify.err, Catch::Contains("2"));
}
