// What only the PostgreSQL store has to show (issue 26, docs/postgresql.md): its credentials, that
// PostgreSQL holds no plaintext personal data, its schema steps, several servers on one database,
// and the op log's cursor when commits finish out of order. Real cluster, real connections.
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/common/Uuid.h"
#include "core/records/RecordDigest.h"
#include "tests/sync/StoreBackends.h"
#include "tests/sync/StorePushSupport.h"
#include "tests/sync/TestPhotos.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

constexpr std::int64_t kNow = 1'795'000'000;

void writeFile(const std::filesystem::path& p, const std::string& text, mode_t mode)
{
    std::ofstream(p) << text;
    REQUIRE(::chmod(p.c_str(), mode) == 0);
}

/// A second store on the same schema: another vigil-server on the same database.
std::unique_ptr<PgServerStore> sameDatabase(const PgBackend& b)
{
    auto s = PgServerStore::open(clusterSettings(b.schema), b.key.span());
    if (!s)
        throw std::runtime_error(s.error().message);
    return std::move(s).value();
}

DeviceIdentity deviceOf(const std::string& deviceId, const std::string& userId = "ada")
{
    DeviceIdentity who;
    who.device.id = deviceId;
    who.device.userId = userId;
    who.user.info.id = userId;
    return who;
}

Op op(const std::string& device, std::int64_t seq, nlohmann::json value, const std::string& field = "victims[0].name")
{
    Op o;
    o.opId = newUuid();
    o.device = device;
    o.seq = seq;
    o.entity = "incident";
    o.id = "inc-1";
    o.field = field;
    o.value = std::move(value);
    o.hlc = (static_cast<std::uint64_t>(kNow) * 1000 + static_cast<std::uint64_t>(seq)) << 16;
    return o;
}

Result<OpLogAppend> append(PgServerStore& s, const std::string& device, const std::vector<Op>& ops)
{
    return s.appendOps(deviceOf(device), ops, std::vector<std::string>(ops.size(), "inc-1"), kNow);
}

#define NEED_POSTGRES()              \
    do {                             \
        if (!postgresInstalled()) {  \
            reportPostgresSkipped(); \
            return;                  \
        }                            \
    } while (false)

}  // namespace

TEST_CASE("The PostgreSQL password file is refused when others can read it with the chmod that fixes it",
          "[store][postgresql][credentials]")
{
    TempDir dir{"vigil-pgpass"};
    const auto file = dir.path() / "pgpass";
    writeFile(file, "s3cret\n", 0640);
    auto refused = loadPgPassword(file);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK(refused.error().message.find("can be read by other users (mode 640)") != std::string::npos);
    CHECK(refused.error().message.find("Run `chmod 600 " + file.string() + "`") != std::string::npos);

    writeFile(file, "s3cret\n", 0604);
    CHECK_FALSE(loadPgPassword(file).ok());

    REQUIRE(::chmod(file.c_str(), 0600) == 0);
    auto read = loadPgPassword(file);
    REQUIRE(read.ok());
    CHECK(read->view() == "s3cret");

    CHECK(loadPgPassword(dir.path() / "missing").error().code == ErrorCode::NotFound);

    // systemd's LoadCredential= wins over the file.
    const auto creds = dir.path() / "creds";
    std::filesystem::create_directory(creds);
    writeFile(creds / kPgPasswordCredentialName, "from-systemd\n", 0400);
    ::setenv("CREDENTIALS_DIRECTORY", creds.c_str(), 1);
    auto fromCreds = loadPgPassword(file);
    ::unsetenv("CREDENTIALS_DIRECTORY");
    REQUIRE(fromCreds.ok());
    CHECK(fromCreds->view() == "from-systemd");
}

TEST_CASE("A connection string holding a password is refused and a wrong password says what to check",
          "[store][postgresql][credentials]")
{
    NEED_POSTGRES();
    PgSettings s = clusterSettings(freshSchema());
    PgSettings withPassword = s;
    withPassword.conninfo += " password=hunter2";
    auto refused = PgConnection::connect(withPassword);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("holds a password") != std::string::npos);
    CHECK(refused.error().message.find("hunter2") == std::string::npos);

    TempDir dir{"vigil-pgpass"};
    writeFile(dir.path() / "wrong", "not-the-password\n", 0600);
    PgSettings wrong = s;
    wrong.passwordFile = dir.path() / "wrong";
    auto denied = PgConnection::connect(wrong);
    REQUIRE_FALSE(denied.ok());
    CHECK(denied.error().code == ErrorCode::Network);
    CHECK(denied.error().message.find("password authentication failed") != std::string::npos);
    CHECK(denied.error().message.find("not-the-password") == std::string::npos);

    // With no password file, systemd's credential is the password.
    const auto creds = dir.path() / "creds";
    std::filesystem::create_directory(creds);
    std::filesystem::copy_file(s.passwordFile, creds / kPgPasswordCredentialName);
    REQUIRE(::chmod((creds / kPgPasswordCredentialName).c_str(), 0400) == 0);
    PgSettings fromSystemd = s;
    fromSystemd.passwordFile.clear();
    ::setenv("CREDENTIALS_DIRECTORY", creds.c_str(), 1);
    auto viaCredential = PgConnection::connect(fromSystemd);
    ::unsetenv("CREDENTIALS_DIRECTORY");
    CHECK(viaCredential.ok());

    // The test cluster takes TLS only, and its certificate verifies against its own CA.
    auto ok = PgConnection::connect(s);
    REQUIRE(ok.ok());
    auto tls = (*ok)->exec("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid();");
    REQUIRE(tls.ok());
    CHECK(tls->boolean(0, 0));
    CHECK(tls->text(0, 1) == "TLSv1.3");
}

TEST_CASE("PostgreSQL holds no plaintext personal data: names and device names and wipe reports and op values are sealed",
          "[store][postgresql][encryption]")
{
    PgBackend b;
    if (!b.start())
        return;
    PgServerStore& s = *b.store;
    UserRecord u;
    u.info.id = "ada";
    u.info.displayName = "Ada Lovelace";
    u.createdAt = u.updatedAt = kNow;
    REQUIRE(s.addUser(u).ok());
    EnrolCodeRecord c;
    c.id = "c1";
    c.userId = "ada";
    c.secretHash.fill(7);
    c.expiresAt = kNow + 600;
    REQUIRE(s.addEnrolCode(c).ok());
    RedeemAttempt a;
    a.codeId = "c1";
    a.secretHash.fill(7);
    a.now = kNow;
    a.newDevice.id = "dev-1";
    a.newDevice.name = "Lovelace tablet";
    a.tokenHash.fill(1);
    a.wipeReceiptHash.fill(2);
    REQUIRE(s.redeemEnrolCode(a).value().outcome == RedeemOutcome::Enrolled);
    REQUIRE(s.recordWipe("dev-1", a.wipeReceiptHash, kNow + 5, "user", R"(["Lovelace records"])").value()
            == WipeRecordOutcome::Recorded);
    auto logged = append(s, "dev-2", {op("dev-2", 1, "Jane Doe"), op("dev-2", 2, {{"name", "Jane Doe"}}, "victims[0]")});
    REQUIRE(logged.ok());

    // Every row of every table, as PostgreSQL would dump it: no name in it.
    for (const char* table : {"users", "devices", "op_log", "server_audit", "enrol_codes", "device_seq"}) {
        auto rows = s.connection().exec(std::string("SELECT t::text FROM ") + table + " t;");
        REQUIRE(rows.ok());
        CHECK(rows->rows() > 0);
        for (int i = 0; i < rows->rows(); ++i) {
            const std::string row = rows->text(i, 0);
            INFO(table << ": " << row);
            CHECK(row.find("Lovelace") == std::string::npos);
            CHECK(row.find("Jane") == std::string::npos);
            // Nor hex-escaped in a bytea column ("Jane" is 4a616e65).
            CHECK(row.find("4a616e65") == std::string::npos);
            CHECK(row.find("4c6f76656c616365") == std::string::npos);
        }
    }
    // And the store reads them back whole.
    auto back = s.opsAfter(0, 10);
    REQUIRE(back.ok());
    REQUIRE(back->size() == 2);
    CHECK((*back)[0].op.value == "Jane Doe");
    CHECK((*back)[1].op.value == nlohmann::json{{"name", "Jane Doe"}});
    CHECK(s.listDevices().value().at(0).wipeReport == R"(["Lovelace records"])");

    // A sealed value moved to another row does not open there.
    REQUIRE(s.connection().script("UPDATE op_log SET value = (SELECT value FROM op_log WHERE seq = 2) WHERE seq = 1;").ok());
    auto moved = s.opsAfter(0, 10);
    REQUIRE_FALSE(moved.ok());
    CHECK(moved.error().code == ErrorCode::Corrupt);
    CHECK(moved.error().message.find("does not open with this server's key") != std::string::npos);

    // Another server key opens nothing.
    PgBackend other;
    other.schema = b.schema;
    auto stranger = PgServerStore::open(clusterSettings(b.schema), other.key.span());
    REQUIRE(stranger.ok());
    CHECK((*stranger)->findUser("ada").error().code == ErrorCode::Corrupt);
    other.schema = freshSchema();  // b drops the shared schema
}

TEST_CASE("Schema steps run once also for servers starting together and a newer schema is refused",
          "[store][postgresql][migrations]")
{
    NEED_POSTGRES();
    const std::string schema = freshSchema();
    const auto key = SecureBytes::random(32);
    // Two servers opening a new database at the same moment: one upgrades, the other finds it done.
    auto first = std::async(std::launch::async, [&] { return PgServerStore::open(clusterSettings(schema), key.span()); });
    auto second = std::async(std::launch::async, [&] { return PgServerStore::open(clusterSettings(schema), key.span()); });
    auto a = first.get();
    auto b = second.get();
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK((*a)->schemaVersion().value() == PgServerStore::kSchemaVersion);
    CHECK((*a)->incarnation().value() == (*b)->incarnation().value());

    REQUIRE((*a)->connection().script("UPDATE server_meta SET value = '99' WHERE key = 'schema_version';").ok());
    auto newer = PgServerStore::open(clusterSettings(schema), key.span());
    REQUIRE_FALSE(newer.ok());
    CHECK(newer.error().code == ErrorCode::SchemaTooNew);
    CHECK(newer.error().message.find("schema 99 by a newer Vigil") != std::string::npos);
    REQUIRE((*a)->connection().script("DROP SCHEMA " + schema + " CASCADE;").ok());
}

TEST_CASE("Several servers on one database keep one audit chain and let a code enrol one device",
          "[store][postgresql][servers]")
{
    PgBackend b;
    if (!b.start())
        return;
    auto other = sameDatabase(b);
    UserRecord u;
    u.info.id = "ada";
    u.info.displayName = "Ada";
    REQUIRE(b.store->addUser(u).ok());

    // Both servers append to the chain at once.
    constexpr int kEach = 40;
    const auto appendMany = [](PgServerStore& s, const std::string& actor) {
        for (int i = 0; i < kEach; ++i) {
            ServerAuditEntry e;
            e.at = kNow + i;
            e.actor = actor;
            e.action = "disclosure";
            if (!s.appendServerAudit(e).ok())
                return false;
        }
        return true;
    };
    auto one = std::async(std::launch::async, appendMany, std::ref(*b.store), "server-1");
    auto two = std::async(std::launch::async, appendMany, std::ref(*other), "server-2");
    CHECK(one.get());
    CHECK(two.get());
    auto chain = b.store->verifyAudit().value();
    CHECK(chain.intact);
    CHECK(chain.entries == 1 + 2 * kEach);

    // One code redeemed on both servers at once: one device.
    EnrolCodeRecord c;
    c.id = "c1";
    c.userId = "ada";
    c.secretHash.fill(7);
    c.expiresAt = kNow + 600;
    REQUIRE(b.store->addEnrolCode(c).ok());
    const auto redeem = [](PgServerStore& s, const std::string& device, unsigned char token) {
        RedeemAttempt a;
        a.codeId = "c1";
        a.secretHash.fill(7);
        a.now = kNow;
        a.newDevice.id = device;
        a.tokenHash.fill(token);
        return s.redeemEnrolCode(a);
    };
    auto r1 = std::async(std::launch::async, redeem, std::ref(*b.store), "dev-1", 1);
    auto r2 = std::async(std::launch::async, redeem, std::ref(*other), "dev-2", 2);
    auto x = r1.get();
    auto y = r2.get();
    REQUIRE(x.ok());
    REQUIRE(y.ok());
    std::multiset<RedeemOutcome> outcomes{x->outcome, y->outcome};
    CHECK(outcomes.count(RedeemOutcome::Enrolled) == 1);
    CHECK(outcomes.count(RedeemOutcome::AlreadyUsed) == 1);
    CHECK(b.store->listDevices().value().size() == 1);
    CHECK(other->verifyAudit().value().intact);
}

TEST_CASE("The op log keeps each device seq once: a retried batch changes nothing and another op under it is refused",
          "[store][postgresql][oplog]")
{
    PgBackend b;
    if (!b.start())
        return;
    PgServerStore& s = *b.store;
    const std::vector<Op> batch{op("dev-1", 1, "a"), op("dev-1", 2, "b"), op("dev-1", 3, "c")};
    auto first = append(s, "dev-1", batch);
    REQUIRE(first.ok());
    CHECK(first->cursors.size() == 3);
    CHECK(first->lastSeq == 3);
    CHECK(s.lastSeq("dev-1").value() == 3);

    // The device lost the answer and sends the batch again, with one more op.
    std::vector<Op> again = batch;
    again.push_back(op("dev-1", 4, "d"));
    auto second = append(s, "dev-1", again);
    REQUIRE(second.ok());
    CHECK(second->duplicates == 3);
    CHECK(second->cursors.size() == 1);
    CHECK(second->cursors[0] > first->cursors.back());
    CHECK(s.opsAfter(0, 100).value().size() == 4);

    // Another op under a decided seq, or a gap: the whole batch is refused, nothing kept.
    auto other = append(s, "dev-1", {op("dev-1", 4, "not d"), op("dev-1", 5, "e")});
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::Rejected);
    CHECK(other.error().field == "sequence");
    auto gap = append(s, "dev-1", {op("dev-1", 7, "g")});
    REQUIRE_FALSE(gap.ok());
    CHECK(gap.error().field == "sequence");
    CHECK(s.lastSeq("dev-1").value() == 4);
    auto all = s.opsAfter(0, 100).value();
    REQUIRE(all.size() == 4);
    CHECK(all[3].op.value == "d");
    CHECK(all[3].op.opId == again[3].opId);
    CHECK(all[3].op.hlc == again[3].hlc);
    CHECK(all[3].op.user == "ada");
    CHECK(all[3].incidentId == "inc-1");
    CHECK(s.opsAfter(all[1].cursor, 1).value().at(0).cursor == all[2].cursor);
}

TEST_CASE("The trap: with a plain sequence a later cursor commits first and a puller past it never sees the earlier",
          "[store][postgresql][cursor]")
{
    NEED_POSTGRES();
    // Why the op log takes a lock (docs/postgresql.md, "Pull cursor"): shown on a table of its own
    // with two connections, the way two servers would write without it.
    const std::string schema = freshSchema();
    auto w1 = PgConnection::connect(clusterSettings(schema)).value();
    auto w2 = PgConnection::connect(clusterSettings(schema)).value();
    auto reader = PgConnection::connect(clusterSettings(schema)).value();
    // (search_path names the schema before it exists; PostgreSQL resolves it again once it does.)
    REQUIRE(w1->script("CREATE SCHEMA " + schema + "; CREATE SEQUENCE c; CREATE TABLE log (cursor bigint PRIMARY KEY);")
                .ok());
    REQUIRE(w1->script("BEGIN; INSERT INTO log VALUES (nextval('c'));").ok());  // cursor 1, not committed
    REQUIRE(w2->script("BEGIN; INSERT INTO log VALUES (nextval('c')); COMMIT;").ok());  // cursor 2, committed
    auto seen = reader->exec("SELECT max(cursor) FROM log WHERE cursor > 0;").value();
    CHECK(seen.integer(0, 0) == 2);  // the puller moves its cursor to 2
    REQUIRE(w1->script("COMMIT;").ok());
    auto after = reader->exec("SELECT count(*) FROM log WHERE cursor > 2;").value();
    CHECK(after.integer(0, 0) == 0);  // ...and op 1 is never delivered to it
    REQUIRE(reader->script("DROP SCHEMA " + schema + " CASCADE;").ok());
}

TEST_CASE("Commits that would finish out of order are ordered: a puller never passes an op that commits later",
          "[store][postgresql][cursor]")
{
    PgBackend b;
    if (!b.start())
        return;
    auto serverA = sameDatabase(b);
    auto serverB = sameDatabase(b);
    PgServerStore& puller = *b.store;

    // Server A's push stops between its last statement and its commit.
    std::promise<void> aInside;
    std::promise<void> releaseA;
    auto releaseAFuture = releaseA.get_future().share();
    std::atomic<bool> hooked{false};
    serverA->connection().setBeforeCommit([&] {
        if (!hooked.exchange(true)) {
            aInside.set_value();
            releaseAFuture.wait();
        }
    });
    auto pushA = std::async(std::launch::async, [&] { return append(*serverA, "dev-a", {op("dev-a", 1, "from A")}); });
    aInside.get_future().wait();

    // Server B pushes meanwhile: it waits for A's commit instead of committing a later cursor first.
    std::atomic<bool> bDone{false};
    auto pushB = std::async(std::launch::async, [&] {
        auto r = append(*serverB, "dev-b", {op("dev-b", 1, "from B")});
        bDone = true;
        return r;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    CHECK_FALSE(bDone.load());
    CHECK(puller.opsAfter(0, 10).value().empty());

    releaseA.set_value();
    auto a = pushA.get();
    auto bResult = pushB.get();
    REQUIRE(a.ok());
    REQUIRE(bResult.ok());
    CHECK(a->cursors.at(0) < bResult->cursors.at(0));
    auto all = puller.opsAfter(0, 10).value();
    REQUIRE(all.size() == 2);
    CHECK(all[0].op.device == "dev-a");
    CHECK(all[1].op.device == "dev-b");
}

TEST_CASE("Two servers pushing while a third pulls: the puller moving its cursor page by page gets every op",
          "[store][postgresql][cursor]")
{
    PgBackend b;
    if (!b.start())
        return;
    auto serverA = sameDatabase(b);
    auto serverB = sameDatabase(b);
    constexpr int kPushes = 120;
    std::atomic<int> writersDone{0};
    const auto writer = [&](PgServerStore& s, const std::string& device) {
        bool ok = true;
        for (int i = 1; i <= kPushes && ok; ++i)
            ok = append(s, device, {op(device, i, i)}).ok();
        ++writersDone;
        return ok;
    };
    auto wa = std::async(std::launch::async, writer, std::ref(*serverA), "dev-a");
    auto wb = std::async(std::launch::async, writer, std::ref(*serverB), "dev-b");
    std::int64_t cursor = 0;
    std::set<std::pair<std::string, std::int64_t>> received;
    bool ordered = true;
    for (;;) {
        const bool finished = writersDone.load() == 2;  // read before the pull: the last pull sees all
        auto page = b.store->opsAfter(cursor, 7);
        REQUIRE(page.ok());
        for (const auto& l : *page) {
            ordered = ordered && l.cursor > cursor;
            cursor = l.cursor;
            received.insert({l.op.device, l.op.seq});
        }
        if (finished && page->empty())
            break;
    }
    CHECK(wa.get());
    CHECK(wb.get());
    CHECK(ordered);
    CHECK(received.size() == 2 * kPushes);
}

TEST_CASE("A serialisation failure runs the transaction again and a lost connection is opened again with its schema",
          "[store][postgresql][connection]")
{
    PgBackend b;
    if (!b.start())
        return;
    auto a = PgConnection::connect(clusterSettings(b.schema)).value();
    auto c = PgConnection::connect(clusterSettings(b.schema)).value();
    REQUIRE(a->script("CREATE TABLE counter (n integer NOT NULL); INSERT INTO counter VALUES (0);").ok());

    // A holds its SERIALIZABLE increment open; C's increment waits for the row, then fails to
    // serialise, and runs again on its own.
    std::promise<void> aInside;
    std::promise<void> releaseA;
    a->setBeforeCommit([&] {
        aInside.set_value();
        releaseA.get_future().wait();
    });
    const auto increment = [](PgConnection& conn, std::atomic<int>& runs) {
        return conn.transaction(
            [&]() -> Status {
                ++runs;
                auto r = conn.exec("UPDATE counter SET n = n + 1;");
                if (!r)
                    return std::move(r).error();
                return {};
            },
            PgIsolation::Serializable);
    };
    std::atomic<int> aRuns{0};
    std::atomic<int> cRuns{0};
    auto first = std::async(std::launch::async, [&] { return increment(*a, aRuns); });
    aInside.get_future().wait();
    auto second = std::async(std::launch::async, [&] { return increment(*c, cRuns); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    releaseA.set_value();
    CHECK(first.get().ok());
    CHECK(second.get().ok());
    CHECK(aRuns == 1);
    CHECK(cRuns == 2);
    CHECK(c->exec("SELECT n FROM counter;").value().integer(0, 0) == 2);

    // The store's connection is cut (PostgreSQL restarted, a fail-over): one request fails and says
    // so, the next opens the connection again, in the store's own schema.
    UserRecord u;
    u.info.id = "ada";
    u.info.displayName = "Ada";
    REQUIRE(b.store->addUser(u).ok());
    auto pid = b.store->connection().exec("SELECT pg_backend_pid();").value().integer(0, 0);
    REQUIRE(c->exec("SELECT pg_terminate_backend($1::integer);", {PgParam(pid)}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto lost = b.store->findUser("ada");
    if (!lost.ok()) {
        CHECK(lost.error().code == ErrorCode::Network);
        CHECK(lost.error().message.find("lost its connection to PostgreSQL") != std::string::npos);
    }
    auto back = b.store->findUser("ada");
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    CHECK((*back)->info.displayName == "Ada");
}

// --- pushes on several servers (docs/postgresql.md, decision 6) ---------------------------------

namespace {

/// Another vigil-server on the same database, with its own records copy in `copyDir`.
std::unique_ptr<PgServerStore> secondServer(const PgBackend& b, const TempDir& copyDir)
{
    auto s = sameDatabase(b);
    Status on = s->enableRuleCheck(copyDir.path() / "records", b.key.span(), VIGIL_RISK_MODEL_DIR);
    if (!on.ok())
        throw std::runtime_error(on.error().message);
    return s;
}

}  // namespace

TEST_CASE("Server B refuses its owner's edit of a 124D that server A took submitted: B's copy caught up first",
          "[store][postgresql][push][servers]")
{
    PgBackend a;
    if (!a.start())
        return;
    a.enableRules();
    TempDir bCopy("vigil-store-pg-copy-b");
    auto b = secondServer(a, bCopy);
    Tablet first(enrolTablet(*a.store, northUser("pc.a"), "dev-a1", 11));
    Tablet second(enrolTablet(*b, northUser("pc.a"), "dev-a2", 12));
    first.submittedDemo(2);
    CHECK(first.pushAll(*a.store).empty());
    const std::string submitted = first.incidentIn(LifecycleState::Submitted);

    // The same officer on her other tablet, through the other server: the 124D is hers and in her
    // team (the access index is shared), but it is submitted, which only server A's copy knew.
    auto answer = b->pushOps(second.who, {second.handMade("incident", submitted, "refs.cris", "CRIS-000009", 1)},
                             serverNow());
    REQUIRE(answer.ok());
    REQUIRE(answer->rejected.size() == 1);
    CHECK(answer->rejected[0].error == std::string(errors::kNotPermitted));
    auto held = IncidentRepository(b->recordsCopy()->records()).stateOf(submitted);
    REQUIRE(held.ok());
    CHECK(*held == LifecycleState::Submitted);

    // And A, in turn, sees what B took: B's draft of another officer is edited through A.
    Tablet third(enrolTablet(*b, northUser("pc.c"), "dev-c", 13));
    const std::string draft = third.draft();
    CHECK(third.pushAll(*b).empty());
    auto edit = a.store->pushOps(third.who, {third.handMade("incident", draft, "refs.cris", "CRIS-000010",
                                                            a.store->lastSeq("dev-c").value() + 1)},
                                 serverNow());
    REQUIRE(edit.ok());
    CHECK(edit->rejected.empty());
    CHECK(IncidentRepository(a.store->recordsCopy()->records()).stateOf(draft).value() == LifecycleState::Draft);
}

TEST_CASE("A server that dies between its records copy's commit and the op log's keeps no change the op log lacks",
          "[store][postgresql][push][servers]")
{
    PgBackend a;
    if (!a.start())
        return;
    a.enableRules();
    TempDir bCopy("vigil-store-pg-copy-b");
    auto b = secondServer(a, bCopy);
    Tablet t(enrolTablet(*a.store, northUser("pc.a"), "dev-a", 11));
    const std::string draft = t.draft();
    CHECK(t.pushAll(*a.store).empty());

    // The owner's edit reaches server A, whose connection to PostgreSQL is cut just before the op
    // log's commit (as when the server is killed there): the copy took the edit, the op log not.
    const std::int64_t seq = b->lastSeq("dev-a").value() + 1;
    Op edit = t.handMade("incident", draft, "refs.cris", "CRIS-NEVER1", seq);
    edit.hlc = static_cast<std::uint64_t>(serverNow() + 5) * 1000 << 16;  // later than the draft's own stamps
    const auto pid = a.store->connection().exec("SELECT pg_backend_pid();").value().integer(0, 0);
    a.store->connection().setBeforeCommit([&] {
        (void)b->connection().exec("SELECT pg_terminate_backend($1::integer);", {PgParam(pid)});
    });
    auto cut = a.store->pushOps(t.who, {edit}, serverNow());
    a.store->connection().setBeforeCommit({});
    REQUIRE_FALSE(cut.ok());
    CHECK(b->connection().exec("SELECT count(*) FROM op_log WHERE device = 'dev-a' AND seq = $1;", {PgParam(seq)})
              .value()
              .integer(0, 0)
          == 0);

    // The tablet is lost before it sends the edit again (revoked). Server A starts again on its copy.
    REQUIRE(b->revokeDevice("dev-a", serverNow(), /*wipe=*/false).ok());
    a.store.reset();
    a.store = sameDatabase(a);
    REQUIRE(a.store->enableRuleCheck(a.copyDir.path() / "records", a.key.span(), VIGIL_RISK_MODEL_DIR).ok());
    REQUIRE(a.store->catchUpCopy().ok());
    REQUIRE(b->catchUpCopy().ok());
    DigestOptions perRow;
    perRow.perRow = true;
    const auto inA = digestRecords(a.store->recordsCopy()->records().database(), perRow).value();
    const auto inB = digestRecords(b->recordsCopy()->records().database(), perRow).value();
    std::string differs;
    for (const auto& [key, h] : inB.rowHashes)
        if (!inA.rowHashes.count(key) || inA.rowHashes.at(key) != h)
            differs += " " + key;
    INFO("rows that differ between the two servers' copies:" << differs);
    CHECK(inA == inB);
}

TEST_CASE("Two servers taking pushes at once: cursors follow commits and both copies end with every record",
          "[store][postgresql][push][servers]")
{
    PgBackend a;
    if (!a.start())
        return;
    a.enableRules();
    TempDir bCopy("vigil-store-pg-copy-b");
    auto b = secondServer(a, bCopy);
    Tablet one(enrolTablet(*a.store, northUser("pc.a"), "dev-1", 11));
    Tablet two(enrolTablet(*b, northUser("pc.c"), "dev-2", 12));
    // Each tablet's drafts as separate batches, read before the servers start (Catch2's macros are
    // not for other threads).
    constexpr int kDrafts = 6;
    const auto batches = [](Tablet& t, std::vector<std::string>& ids) {
        std::vector<std::vector<Op>> out;
        for (int i = 0; i < kDrafts; ++i) {
            ids.push_back(t.draft());
            auto ops = t.records->pendingOps(10000);
            REQUIRE(ops.ok());
            out.push_back(*ops);
            REQUIRE(t.records->acknowledge(ops->back().seq).ok());
        }
        return out;
    };
    std::vector<std::string> ids;
    const auto oneBatches = batches(one, ids);
    const auto twoBatches = batches(two, ids);
    std::size_t total = 0;
    for (const auto& list : {oneBatches, twoBatches})
        for (const auto& ops : list)
            total += ops.size();

    const auto run = [](PgServerStore& s, const DeviceIdentity& who, const std::vector<std::vector<Op>>& list) {
        std::string problems;
        for (const auto& ops : list) {
            auto r = s.pushOps(who, ops, serverNow());
            if (!r)
                problems += r.error().message + "; ";
            else if (!r->rejected.empty())
                problems += r->rejected[0].error + ": " + r->rejected[0].message + "; ";
        }
        return problems;
    };
    auto onA = std::async(std::launch::async, run, std::ref(*a.store), std::cref(one.who), std::cref(oneBatches));
    auto onB = std::async(std::launch::async, run, std::ref(*b), std::cref(two.who), std::cref(twoBatches));
    CHECK(onA.get().empty());
    CHECK(onB.get().empty());

    auto log = a.store->opsAfter(0, 100000);
    REQUIRE(log.ok());
    CHECK(log->size() == total);
    std::map<std::string, std::int64_t> lastSeq;
    for (std::size_t i = 0; i < log->size(); ++i) {
        if (i > 0)
            CHECK((*log)[i].cursor > (*log)[i - 1].cursor);
        // Each device's changes in the order it made them.
        auto& seen = lastSeq[(*log)[i].op.device];
        CHECK((*log)[i].op.seq > seen);
        seen = (*log)[i].op.seq;
    }
    for (PgServerStore* s : {a.store.get(), b.get()}) {
        REQUIRE(s->catchUpCopy().value() == log->back().cursor);
        for (const auto& id : ids)
            CHECK(IncidentRepository(s->recordsCopy()->records()).stateOf(id).value() == LifecycleState::Draft);
    }
}

TEST_CASE("PostgreSQL holds no plaintext personal data after pushes: values, refusals and the access index",
          "[store][postgresql][encryption][push]")
{
    PgBackend b;
    if (!b.start())
        return;
    b.enableRules();
    PgServerStore& s = *b.store;
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    const std::string incident = ada.draft("Jane Doe");
    CHECK(ada.pushAll(s).empty());
    UserRecord southern = northUser("pc.b");
    southern.info.team = "south";
    Tablet bob(enrolTablet(s, southern, "dev-b", 12));
    const Op outside = bob.handMade("incident", incident, "refs.cris", "Jane Doe", 1);
    REQUIRE(bob.push(s, {outside}).rejected.size() == 1);
    // A photo's bytes too.
    AttachmentRepository photos(*ada.records, smallChunks());
    const auto picture = photos.import(Actor{"pc.a"}, incident, photo(9), "Jane Doe's arm");
    REQUIRE(picture.ok());
    CHECK(ada.pushAll(s).empty());
    auto photoState = s.attachment(ada.who, *picture).value();
    REQUIRE(photoState.access == AttachmentAccess::Writable);
    for (std::int64_t i = 0; i < photoState.file.chunks; ++i)
        REQUIRE(s.storeAttachmentChunk(ada.who, photoState, i, photos.chunk(*picture, i).value(), serverNow())
                    .value()
                    .file.received
                == i + 1);
    const auto secondChunk = photos.chunk(*picture, 1).value();
    const std::string photoHex = toHex(std::span(secondChunk.data(), 24));

    // Every row of every table of the store's schema, as PostgreSQL would dump it.
    auto tables = s.connection().exec("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 "
                                      "AND table_type = 'BASE TABLE';",
                                      {PgParam(b.schema)});
    REQUIRE(tables.ok());
    std::set<std::string> filled;
    for (int t = 0; t < tables->rows(); ++t) {
        const std::string table = tables->text(t, 0);
        auto rows = s.connection().exec("SELECT t::text FROM " + table + " t;");
        REQUIRE(rows.ok());
        if (rows->rows() > 0)
            filled.insert(table);
        for (int i = 0; i < rows->rows(); ++i) {
            const std::string row = rows->text(i, 0);
            INFO(table << ": " << row);
            CHECK(row.find("Jane") == std::string::npos);
            CHECK(row.find("4a616e65") == std::string::npos);
            // A refusal's words are sealed too, and a photo's bytes.
            CHECK(row.find("not allowed") == std::string::npos);
            CHECK(row.find(photoHex) == std::string::npos);
        }
    }
    for (const char* table : {"op_log", "push_rejections", "incidents", "record_index", "access_denials",
                              "device_audit_head", "device_usage", "device_seq", "attachment_files",
                              "attachment_chunks"})
        CHECK(filled.count(table) == 1);
    // And the store reads its refusal back for a retry.
    auto retry = s.pushOps(bob.who, {outside}, serverNow());
    REQUIRE(retry.ok());
    REQUIRE(retry->rejected.size() == 1);
    CHECK(retry->rejected[0].message.rfind("You are not allowed to change this record", 0) == 0);
}

TEST_CASE("A teammate pulling through server B receives what server A took, and B's answer is confirmed on A",
          "[store][postgresql][pull][servers]")
{
    PgBackend a;
    if (!a.start())
        return;
    a.enableRules();
    TempDir bCopy("vigil-store-pg-copy-b");
    auto b = secondServer(a, bCopy);
    Tablet ada(enrolTablet(*a.store, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(*b, northUser("pc.c"), "dev-c", 13));
    const std::string incident = ada.draft("Invented Victim");
    CHECK(ada.pushAll(*a.store).empty());

    auto page = cyd.pull(*b);
    CHECK(static_cast<std::int64_t>(page.ops.size()) == a.count("SELECT count(*) FROM op_log WHERE entity <> 'audit';"));
    CHECK(cyd.repo().load(Actor{"pc.c"}, incident).value().victims.at(0).person.name == "Invented Victim");
    // The device's next pull goes to the other server: the view B issued is confirmed there
    // (views live in the shared database), so nothing is sent twice.
    auto next = cyd.pull(*a.store);
    CHECK(next.ops.empty());
    CHECK(next.forget.empty());
    CHECK(a.count("SELECT count(*) FROM device_visible WHERE device = 'dev-c';") == 1);
    CHECK(a.count("SELECT count(*) FROM disclosures WHERE device_id = 'dev-c';") == 1);
}

TEST_CASE("A snapshot through server B holds what server A took just before it",
          "[store][postgresql][snapshot][servers]")
{
    PgBackend a;
    if (!a.start())
        return;
    a.enableRules();
    TempDir bCopy("vigil-store-pg-copy-b");
    auto b = secondServer(a, bCopy);
    Tablet ada(enrolTablet(*a.store, northUser("pc.a"), "dev-a", 11));
    ada.draft();
    CHECK(ada.pushAll(*a.store).empty());  // B's copy is now behind: it has seen no push
    const std::string late = ada.draft("Invented Victim");
    CHECK(ada.pushAll(*a.store).empty());

    Tablet cyd(enrolTablet(*b, northUser("pc.c"), "dev-c", 13));
    const auto pages = cyd.startFromSnapshot(*b);
    REQUIRE(pages.size() == 1);
    CHECK(cyd.repo().load(Actor{"pc.c"}, late).value().victims.at(0).person.name == "Invented Victim");
    CHECK(cyd.pull(*a.store).ops.empty());
}

TEST_CASE("The page cache setting sizes this server's records copy, set before or after it is enabled",
          "[store][postgresql][settings]")
{
    PgBackend a;
    if (!a.start())
        return;
    REQUIRE(a.store->setPageCache(8).ok());
    a.enableRules();
    CHECK(a.store->recordsCopy()->records().database().queryInt("PRAGMA cache_size;").value() == -8 * 1024);
    REQUIRE(a.store->setPageCache(16).ok());
    CHECK(a.store->recordsCopy()->records().database().queryInt("PRAGMA cache_size;").value() == -16 * 1024);
}
