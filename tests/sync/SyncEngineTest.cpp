// The device sync engine: triggers, status and backoff (a fake transport, no server), and
// end to end with real vigil-server processes on 127.0.0.1, real TLS and real SQLCipher
// device stores: records made offline arrive where the access rules allow and nowhere else,
// pushes and pulls are idempotent, and the server's core-rule re-check refuses a grade below
// the computed band (the device keeps the change with the server's reason).
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <memory>
#include <random>
#include <set>

#include <sodium.h>

#include "core/common/Uuid.h"
#include "core/demo/DemoData.h"
#include "core/risk/RulesConfig.h"
#include "core/records/AuditLog.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RiskScorer.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncEngine.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::ServerProcess;

namespace {

/// A real encrypted device store (SQLCipher, device schema) with a random key.
struct DeviceStore {
    test::TempDir dir{"vigil-engine"};
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;

    explicit DeviceStore(const std::string& deviceId)
    {
        std::array<unsigned char, 32> key{};
        randombytes_buf(key.data(), key.size());
        OpenOptions options;
        options.create = true;
        auto opened = Database::open(dir / "device.db", key, options);
        REQUIRE(opened.ok());
        db = std::move(opened).value();
        REQUIRE(migrate(*db, deviceSchema()).ok());
        auto rs = RecordStore::open(*db, systemClock());
        REQUIRE(rs.ok());
        records = std::move(rs).value();
        REQUIRE(records->setDeviceId(deviceId).ok());
    }
};

/// A transport that fails (as if the server were unreachable) or answers empty pages.
struct FakeTransport final : SyncTransport {
    std::atomic<bool> fail{true};
    std::atomic<int> requests{0};
    Result<ClientResponse> request(ClientRequest req) override
    {
        ++requests;
        if (fail)
            return makeError(ErrorCode::Network, "Could not reach the Vigil server (test). Vigil will try again.");
        ClientResponse r;
        r.status = 200;
        if (req.target == "/v1/push") {
            auto body = pushRequestFromJson(*parseJson(req.body), 500);
            r.body = nlohmann::json{{"acked_upto", body->ops.empty() ? 0 : body->ops.back().seq},
                                    {"rejected", nlohmann::json::array()}}
                         .dump();
        } else {
            r.body = R"({"ops": [], "cursor": "7", "more": false, "forget": []})";
        }
        return r;
    }
};

Incident draftIncident(const std::string& owner, const std::string& team, const std::string& borough)
{
    Incident draft;
    draft.owner = owner;
    draft.team = team;
    draft.borough = borough;
    draft.date = "2026-11-20";
    draft.refs.cris = "CRIS-" + newUuid().substr(0, 6);
    return draft;
}

/// Make an incident on a (not syncing) device store; returns its id.
std::string makeIncident(RecordStore& store, const std::string& user, const std::string& team, const std::string& borough,
                         const std::function<void(Incident&)>& edit = {})
{
    IncidentRepository repo(store);
    auto made = repo.createDraft(Actor{user}, draftIncident(user, team, borough));
    REQUIRE(made.ok());
    Incident incident = *made;
    if (edit) {
        edit(incident);
        REQUIRE(repo.save(Actor{user}, incident).ok());
    }
    return incident.id;
}

/// An enrolled device with its own store and engine, for one user.
struct Tablet {
    Tablet(SyncClient& client, ServerProcess& server, const std::string& user)
        : link(client, secrets, user), actor{user}
    {
        auto e = link.enrol(server.enrolCode(user), user + "-tablet");
        REQUIRE(e.ok());
        store = std::make_unique<DeviceStore>(e->deviceId);
        engine = std::make_unique<SyncEngine>(link);
    }

    /// One complete sync; the store is the engine's only while it runs.
    SyncReport sync()
    {
        engine->start(*store->records, actor);
        auto report = engine->syncOnce();
        engine->stop();
        INFO((report ? std::string() : report.error().message));
        REQUIRE(report.ok());
        return *report;
    }

    bool has(const std::string& incidentId)
    {
        auto row = store->records->get(Entity::Incident, incidentId);
        REQUIRE(row.ok());
        return row->has_value();
    }

    test::InMemorySecretStore secrets;
    DeviceLink link;
    Actor actor;
    std::unique_ptr<DeviceStore> store;
    std::unique_ptr<SyncEngine> engine;
};

struct World {
    ServerProcess server;
    SyncClient client;
    World()
    {
        server.addUser("pc.a", "officer", "north", "camden");
        server.addUser("pc.b", "officer", "north", "camden");
        server.addUser("pc.c", "officer", "south", "camden");
        server.addUser("ds.e", "supervisor", "south", "camden");
        server.addUser("ds.x", "supervisor", "north", "islington");
        server.addUser("idva.f", "idva", "north", "camden");
        server.addUser("an.g", "analyst", "hq", "camden");
        server.addUser("dc.h", "investigator", "psd", "camden", /*cleared=*/true);
        server.addUser("dc.i", "investigator", "psd", "camden", /*cleared=*/true);
    }
};

/// `incidents` complete 124Ds of pc.a (team north, Camden), some of them submitted.

}  // namespace

TEST_CASE("Retry delays double from the initial delay, stay within the jitter and are capped", "[sync][engine]")
{
    BackoffPolicy policy;
    policy.initial = std::chrono::seconds(5);
    policy.max = std::chrono::seconds(60);
    policy.jitter = 0.2;
    using std::chrono::milliseconds;
    CHECK(backoffDelay(policy, 1, 0.5) == milliseconds(5000));
    CHECK(backoffDelay(policy, 2, 0.5) == milliseconds(10000));
    CHECK(backoffDelay(policy, 3, 0.5) == milliseconds(20000));
    CHECK(backoffDelay(policy, 4, 0.5) == milliseconds(40000));
    CHECK(backoffDelay(policy, 5, 0.5) == milliseconds(60000));
    CHECK(backoffDelay(policy, 50, 0.5) == milliseconds(60000));
    CHECK(backoffDelay(policy, 1, 0.0) == milliseconds(4000));
    CHECK(backoffDelay(policy, 1, 0.999999) >= milliseconds(5990));
    CHECK(backoffDelay(policy, 50, 1.0) == milliseconds(60000));  // jitter never passes the cap
}

TEST_CASE("The engine shows offline with the queue, syncs when connectivity returns, backs off and obeys sync now",
          "[sync][engine]")
{
    DeviceStore device("dev-1");
    makeIncident(*device.records, "pc.a", "north", "camden");
    auto queued = device.records->pendingCount();
    REQUIRE(queued.ok());
    REQUIRE(*queued > 0);

    FakeTransport transport;
    SyncEngineOptions options;
    options.backoff.initial = std::chrono::seconds(30);  // long: the timer never fires in this test
    options.backoff.max = std::chrono::seconds(240);
    options.backoff.jitter = 0.2;
    options.random = [] { return 0.5; };
    SyncEngine engine(transport, options);
    std::vector<SyncStatus> seen;
    std::mutex seenMutex;
    engine.setStatusCallback([&](const SyncStatus& s) {
        std::lock_guard lock(seenMutex);
        seen.push_back(s);
    });

    engine.connectivityChanged(false);
    engine.start(*device.records, Actor{"pc.a"});
    engine.drain();
    CHECK(engine.status().state == SyncStatus::State::Offline);
    CHECK(engine.status().queued == *queued);
    CHECK_THAT(engine.status().text(), Catch::StartsWith("Offline") && Catch::Contains("waiting to send"));
    CHECK(transport.requests == 0);

    // Back online: a sync at once; the server is unreachable, so it backs off, doubling, capped.
    engine.connectivityChanged(true);
    engine.drain();
    CHECK(engine.attempts() == 1);
    CHECK(engine.status().state == SyncStatus::State::Failed);
    REQUIRE(engine.status().lastError);
    CHECK(engine.status().lastError->code == ErrorCode::Network);
    CHECK(engine.status().nextAttemptIn == std::chrono::milliseconds(30000));
    std::vector<std::int64_t> delays;
    for (int i = 0; i < 4; ++i) {
        engine.syncNow();
        engine.drain();
        delays.push_back(engine.status().nextAttemptIn.value_or(std::chrono::milliseconds(-1)).count());
    }
    CHECK(engine.attempts() == 5);
    CHECK(delays == std::vector<std::int64_t>{60000, 120000, 240000, 240000});
    CHECK(engine.status().queued == *queued);  // nothing lost while failing

    // The server comes back: sync now sends everything and says when.
    transport.fail = false;
    engine.syncNow();
    engine.drain();
    const SyncStatus done = engine.status();
    CHECK(done.state == SyncStatus::State::Idle);
    CHECK(done.queued == 0);
    CHECK(done.failures == 0);
    CHECK_FALSE(done.lastError);
    CHECK_FALSE(done.lastSyncedAt.empty());
    CHECK(done.nextAttemptIn == options.backoff.interval);
    CHECK_THAT(done.text(), Catch::StartsWith("Synced at"));
    engine.stop();
    CHECK(engine.status().state == SyncStatus::State::Stopped);
    auto last = device.records->lastSyncedAt();
    REQUIRE(last.ok());
    CHECK(*last == done.lastSyncedAt);
    auto cursor = device.records->syncCursor();
    REQUIRE(cursor.ok());
    CHECK(*cursor == "7");
    std::lock_guard lock(seenMutex);
    std::set<SyncStatus::State> states;
    for (const auto& s : seen)
        states.insert(s.state);
    CHECK(states.count(SyncStatus::State::Syncing) == 1);
}

TEST_CASE("Records made offline reach the owner's team and a supervisor of that borough, and nobody else",
          "[sync][engine][access]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    Tablet b(w.client, w.server, "pc.b");
    Tablet c(w.client, w.server, "pc.c");
    Tablet sup(w.client, w.server, "ds.e");
    Tablet other(w.client, w.server, "ds.x");
    Tablet analyst(w.client, w.server, "an.g");
    // Each officer makes a record offline.
    const std::string fromA = makeIncident(*a.store->records, "pc.a", "north", "camden");
    const std::string fromB = makeIncident(*b.store->records, "pc.b", "north", "camden");
    const std::string fromC = makeIncident(*c.store->records, "pc.c", "south", "camden");
    a.sync();
    b.sync();
    c.sync();
    a.sync();  // A receives B's, pushed after A's first sync

    CHECK(a.has(fromB));
    CHECK(b.has(fromA));
    CHECK_FALSE(a.has(fromC));
    CHECK_FALSE(c.has(fromA));
    CHECK_FALSE(c.has(fromB));
    sup.sync();
    CHECK(sup.has(fromA));
    CHECK(sup.has(fromB));
    CHECK(sup.has(fromC));
    other.sync();
    CHECK_FALSE(other.has(fromA));
    CHECK_FALSE(other.has(fromC));
    analyst.sync();
    auto ids = analyst.store->records->incidentIds();
    REQUIRE(ids.ok());
    CHECK(ids->empty());
    // The team-mate's copy is the same record, field for field.
    auto original = IncidentRepository(*a.store->records).read(fromA);
    auto copy = IncidentRepository(*b.store->records).read(fromA);
    REQUIRE(original.ok());
    REQUIRE(copy.ok());
    CHECK(copy->refs.cris == original->refs.cris);
    CHECK(a.engine->status().queued == 0);
}

TEST_CASE("An IDVA receives a case only once it is referred to them", "[sync][engine][access]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    Tablet idva(w.client, w.server, "idva.f");
    const std::string id = makeIncident(*a.store->records, "pc.a", "north", "camden", [](Incident& i) {
        Victim v;
        v.person.name = "Invented Person";
        v.consent.shareWithPartners = true;  // a referral needs it
        i.victims.push_back(v);
    });
    a.sync();
    idva.sync();
    CHECK_FALSE(idva.has(id));

    IncidentRepository repo(*a.store->records);
    auto incident = repo.read(id);
    REQUIRE(incident.ok());
    Referral ref;
    ref.victimId = incident->victims.at(0).id;
    ref.agency = "idva";
    ref.toUser = "idva.f";
    ref.date = "2026-11-21";
    incident->referrals.push_back(ref);
    REQUIRE(repo.save(Actor{"pc.a"}, *incident).ok());
    a.sync();
    idva.sync();
    CHECK(idva.has(id));
    auto copy = IncidentRepository(*idva.store->records).read(id);
    REQUIRE(copy.ok());
    CHECK(copy->victims.size() == 1);
}

TEST_CASE("A restricted record reaches only users both cleared and named on it", "[sync][engine][access][restricted]")
{
    World w;
    w.server.addUser("pc.n", "officer", "psd", "camden");                       // named, not cleared
    w.server.addUser("dc.j", "investigator", "psd", "camden", /*cleared=*/true); // cleared and named
    Tablet h(w.client, w.server, "dc.h");  // cleared, creates the record and names himself
    const std::string id = makeIncident(*h.store->records, "dc.h", "psd", "camden", [](Incident& i) {
        i.flags.policeStaffInvolved = true;
        i.accessList = {"dc.h", "dc.j", "pc.n"};
        i.restrictionReason = "A police officer is the suspect: PSD investigation";
    });
    h.sync();
    auto refused = h.store->records->rejectedOps();
    REQUIRE(refused.ok());
    CHECK(refused->empty());
    Tablet named(w.client, w.server, "dc.j");       // cleared and named
    Tablet notNamed(w.client, w.server, "dc.i");    // cleared, not named, same team as the creator
    Tablet notCleared(w.client, w.server, "pc.n");  // named, not cleared
    Tablet sup(w.client, w.server, "ds.e");         // borough supervisor, neither
    named.sync();
    notNamed.sync();
    notCleared.sync();
    sup.sync();
    CHECK(named.has(id));
    CHECK_FALSE(notNamed.has(id));
    CHECK_FALSE(notCleared.has(id));
    CHECK_FALSE(sup.has(id));
}

TEST_CASE("A push sent twice and a pull applied twice change nothing the second time", "[sync][engine][idempotent]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    Tablet b(w.client, w.server, "pc.b");
    const std::string id = makeIncident(*a.store->records, "pc.a", "north", "camden");
    auto ops = a.store->records->pendingOps(500);
    REQUIRE(ops.ok());
    REQUIRE_FALSE(ops->empty());
    a.sync();

    // The same batch again, as a device that never saw the answer would send it.
    ClientRequest again;
    again.method = "POST";
    again.target = "/v1/push";
    again.body = toText(PushRequest{*ops});
    auto resent = a.link.request(again);
    REQUIRE(resent.ok());
    REQUIRE(resent->status == 200);
    auto answer = pushResponseFromJson(*parseJson(resent->body));
    REQUIRE(answer.ok());
    CHECK(answer->ackedUpto == ops->back().seq);
    CHECK(answer->rejected.empty());

    // The other device receives each op once.
    ClientRequest pull;
    pull.target = "/v1/pull?cursor=0&limit=500";
    auto page = b.link.request(pull);
    REQUIRE(page.ok());
    auto parsed = pullResponseFromJson(*parseJson(page->body));
    REQUIRE(parsed.ok());
    std::set<std::pair<std::string, std::int64_t>> unique;
    for (const auto& op : parsed->ops)
        unique.insert({op.device, op.seq});
    CHECK(unique.size() == parsed->ops.size());
    std::size_t incidentOps = 0;
    for (const auto& op : ops.value())
        incidentOps += op.entity != "audit" ? 1U : 0U;
    CHECK(parsed->ops.size() == incidentOps);  // audit entries are kept by the server, never sent on

    // Applying the page twice on B leaves B as it was after the first time.
    REQUIRE(b.store->records->applyPulled(parsed->ops, parsed->cursor).ok());
    auto first = b.store->records->get(Entity::Incident, id);
    auto conflictsFirst = b.store->records->conflicts();
    REQUIRE(b.store->records->applyPulled(parsed->ops, parsed->cursor).ok());
    auto second = b.store->records->get(Entity::Incident, id);
    auto conflictsSecond = b.store->records->conflicts();
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    REQUIRE(first->has_value());
    CHECK((*first)->fields == (*second)->fields);
    CHECK((*first)->stamps == (*second)->stamps);
    CHECK(conflictsFirst->size() == conflictsSecond->size());
    auto pending = b.store->records->pendingCount();
    CHECK(*pending == 0);  // applying pulled ops writes nothing to send back
}

TEST_CASE("The server refuses an officer grade below the computed band and the device keeps it with the reason",
          "[sync][engine][rules]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
    REQUIRE(models.ok());
    auto assessment = newAssessment(*models, "dash-2009");
    REQUIRE(assessment.ok());
    const RiskModel* model = models->find(assessment->modelId, assessment->modelVersion);
    REQUIRE(model);
    for (const auto& q : model->questions) {
        Answer yes;
        yes.value = AnswerValue::Yes;
        assessment->answers[q.id] = yes;
    }
    auto score = scoreAssessment(*assessment, *models);
    REQUIRE(score.ok());
    REQUIRE(score->computed == RiskGrade::High);

    std::string victimId;
    const std::string id = makeIncident(*a.store->records, "pc.a", "north", "camden", [&](Incident& i) {
        Victim v;
        v.person.name = "Invented Person";
        v.dash = *assessment;
        v.officerGrade.grade = RiskGrade::Standard;  // below the computed band: the device saved a draft
        v.officerGrade.by = "pc.a";
        i.victims.push_back(v);
    });
    a.sync();

    auto rejected = a.store->records->rejectedOps();
    REQUIRE(rejected.ok());
    bool gradeRefused = false;
    for (const auto& [op, reason] : *rejected) {
        INFO(op.field << ": " << reason);
        CHECK(op.entity == "person");
        if (op.field == "grade.officer") {
            gradeRefused = true;
            CHECK_THAT(reason, Catch::Contains("refused"));
        }
    }
    CHECK(gradeRefused);
    CHECK(a.engine->status().rejected == static_cast<std::int64_t>(rejected->size()));
    // The device still shows its own value; nothing was lost.
    auto local = IncidentRepository(*a.store->records).read(id);
    REQUIRE(local.ok());
    CHECK(local->victims.at(0).officerGrade.grade == RiskGrade::Standard);

    // A team-mate receives the record and the answers, but not the refused grade.
    Tablet b(w.client, w.server, "pc.b");
    b.sync();
    auto copy = IncidentRepository(*b.store->records).read(id);
    REQUIRE(copy.ok());
    REQUIRE(copy->victims.size() == 1);
    CHECK_FALSE(copy->victims.at(0).officerGrade.grade.has_value());
    CHECK(copy->victims.at(0).dash.answers.size() == assessment->answers.size());

    // A correct grade afterwards is accepted.
    local->victims.at(0).officerGrade.grade = RiskGrade::High;
    REQUIRE(IncidentRepository(*a.store->records).save(Actor{"pc.a"}, *local).ok());
    const auto before = rejected->size();
    a.sync();
    auto after = a.store->records->rejectedOps();
    REQUIRE(after.ok());
    CHECK(after->size() == before);
    b.sync();
    auto updated = IncidentRepository(*b.store->records).read(id);
    REQUIRE(updated.ok());
    CHECK(updated->victims.at(0).officerGrade.grade == RiskGrade::High);
}

TEST_CASE("A device's audit chain arrives at the server and is kept there", "[sync][engine][audit]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    makeIncident(*a.store->records, "pc.a", "north", "camden");
    std::int64_t auditOps = 0;
    auto ops = a.store->records->pendingOps(500);
    REQUIRE(ops.ok());
    for (const auto& op : *ops)
        auditOps += op.entity == "audit" ? 1 : 0;
    REQUIRE(auditOps > 0);
    a.sync();
    auto rejected = a.store->records->rejectedOps();
    REQUIRE(rejected.ok());
    CHECK(rejected->empty());

    CHECK(w.server.auditEntries(a.store->records->deviceId()) == auditOps);
}

TEST_CASE("A device's audit chain is accepted entry by entry across several syncs, with the team pulling between",
          "[sync][engine][audit]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    Tablet b(w.client, w.server, "pc.b");
    const std::string id = makeIncident(*a.store->records, "pc.a", "north", "camden");
    for (int round = 0; round < 3; ++round) {
        a.sync();
        b.sync();
        // pc.a opens and changes the incident again: more alteration and consultation entries.
        auto local = IncidentRepository(*a.store->records).read(id);
        REQUIRE(local.ok());
        local->location = "Round " + std::to_string(round) + " Road";
        REQUIRE(IncidentRepository(*a.store->records).save(Actor{"pc.a"}, *local).ok());
    }
    a.sync();
    b.sync();
    for (Tablet* t : {&a, &b}) {
        auto rejected = t->store->records->rejectedOps();
        REQUIRE(rejected.ok());
        CHECK(rejected->empty());
    }
    for (Tablet* t : {&a, &b}) {
        auto local = AuditLog(*t->store->db).count();
        REQUIRE(local.ok());
        CHECK(w.server.auditEntries(t->store->records->deviceId()) == *local);
    }
}

TEST_CASE("The server re-runs the submission rules on a submit: a complete 124D is accepted, an incomplete one refused and kept",
          "[sync][engine][rules]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    IncidentRepository repo(*a.store->records);

    // Complete 124Ds, submitted by their officer (the demo generator validates with the same rules).
    test::makeSubmittedDemo(repo, *a.store->records, 8);

    // An incomplete one: children in the household but no MERLIN PAC reference, no answers.
    const std::string incomplete = makeIncident(*a.store->records, "pc.a", "north", "camden", [](Incident& i) {
        Victim v;
        v.person.name = "Invented Person";
        i.victims.push_back(v);
        i.children.push_back(Child{"Invented Child", 6, true, false, {}});
    });
    REQUIRE(repo.transition(Actor{"pc.a"}, incomplete, LifecycleState::Submitted, "submit", "").ok());
    a.sync();

    auto rejected = a.store->records->rejectedOps();
    REQUIRE(rejected.ok());
    REQUIRE(rejected->size() == 1);
    const auto& [op, reason] = rejected->front();
    CHECK(op.id == incomplete);
    CHECK(op.field == "@command");
    CHECK_THAT(reason, Catch::Contains("the 124D is not complete"));
    CHECK_THAT(reason, Catch::Contains("kept on this device"));
    // The officer still sees it as they left it.
    CHECK(repo.read(incomplete)->state == LifecycleState::Submitted);

    // A team-mate receives the submitted demo records as submitted, and the incomplete one as a draft.
    Tablet b(w.client, w.server, "pc.b");
    b.sync();
    IncidentRepository copies(*b.store->records);
    auto list = copies.list(100);
    REQUIRE(list.ok());
    CHECK(list->size() == 9);
    for (const auto& s : *list)
        CHECK(s.state == (s.id == incomplete ? LifecycleState::Draft : repo.read(s.id)->state));
}

TEST_CASE("A batch sent again after the server's copy took it but its op log did not is accepted, submits included",
          "[sync][engine][rules][idempotent]")
{
    World w;
    Tablet a(w.client, w.server, "pc.a");
    IncidentRepository repo(*a.store->records);
    test::makeSubmittedDemo(repo, *a.store->records, 4);
    auto ops = a.store->records->pendingOps(100000);
    REQUIRE(ops.ok());

    // The server keeps a clean batch in its records copy, which commits before its op log: a
    // server killed between the two has the batch in the copy only. Made here by hand, with the
    // server stopped: the copy takes every op, the op log none.
    REQUIRE(w.server.stop() == 0);
    {
        auto config = sync::loadServerConfig(w.server.dataDir() / "server.json");
        REQUIRE(config.ok());
        auto key = sync::loadServerKey(config->resolve(config->keyFile));
        REQUIRE(key.ok());
        auto db = Database::open(config->resolve(config->database).string() + ".records", key->span());
        REQUIRE(db.ok());
        auto copy = RecordStore::open(**db, systemClock());
        REQUIRE(copy.ok());
        REQUIRE((*copy)->deviceId() == "server");
        REQUIRE((*copy)->applyPulled(*ops, "server").ok());
        // The copy's commit also records how far each device's ops reach (RuleCheck::check
        // notes it in the same transaction).
        REQUIRE((*db)->exec("INSERT OR REPLACE INTO copy_applied (device, seq) VALUES ('" + a.store->records->deviceId() + "', "
                            + std::to_string(ops->back().seq) + ");")
                    .ok());
    }
    w.server.restart();

    // The device, which never had an answer, sends it all again: nothing is refused (the submit
    // commands are already in the copy; they are not checked against the state they set).
    a.sync();
    auto rejected = a.store->records->rejectedOps();
    REQUIRE(rejected.ok());
    CHECK(rejected->empty());
    CHECK(a.store->records->pendingCount().value() == 0);
    Tablet b(w.client, w.server, "pc.b");
    b.sync();
    IncidentRepository copies(*b.store->records);
    auto list = copies.list(100);
    REQUIRE(list.ok());
    CHECK(list->size() == 4);
    for (const auto& s : *list)
        CHECK(s.state == repo.read(s.id)->state);
}

TEST_CASE("A server that takes fewer changes at a time gets them in smaller batches, and nothing is lost",
          "[sync][engine][limits]")
{
    ServerProcess server([](nlohmann::json& config) { config["max_ops_per_push"] = 7; });
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.b", "officer", "north", "camden");
    SyncClient client;
    Tablet a(client, server, "pc.a");
    std::vector<std::string> ids;
    for (int n = 0; n < 3; ++n) {
        ids.push_back(makeIncident(*a.store->records, "pc.a", "north", "camden", [&](Incident& i) {
            Victim v;
            v.person.name = "Invented Person " + std::to_string(n);
            i.victims.push_back(v);
            i.evidence.notes = "Statement taken at the scene, number " + std::to_string(n) + ".";
        }));
    }
    const auto pending = a.store->records->pendingCount();
    REQUIRE(pending.ok());
    REQUIRE(*pending > 40);  // far more than one batch of 7

    // The device's first batch (up to 2,000) is refused with 413; it halves until the server
    // takes it, and sends everything (in the sync the engine runs as it starts).
    a.sync();
    const SyncReport totals = a.engine->totals();
    CHECK(totals.pushed == *pending);
    CHECK(totals.rejected == 0);
    CHECK(a.store->records->pendingCount().value() == 0);

    Tablet b(client, server, "pc.b");
    b.sync();
    for (const auto& id : ids) {
        auto mine = IncidentRepository(*a.store->records).read(id);
        auto theirs = IncidentRepository(*b.store->records).read(id);
        REQUIRE(mine.ok());
        REQUIRE(theirs.ok());
        CHECK(theirs->victims == mine->victims);
        CHECK(theirs->evidence == mine->evidence);
    }
}

TEST_CASE("A change larger than the server takes in one message is kept, and the device says so",
          "[sync][engine][limits]")
{
    ServerProcess server([](nlohmann::json& config) { config["max_body_bytes"] = 8192; });
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    Tablet a(client, server, "pc.a");
    const std::string small = makeIncident(*a.store->records, "pc.a", "north", "camden");
    a.sync();  // the small incident fits

    // Then notes of 40,000 random letters: even compressed, more than 8 KiB in one change.
    std::mt19937 rng(7);
    std::string notes;
    for (int i = 0; i < 40000; ++i)
        notes.push_back(static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng)));
    const std::string big = makeIncident(*a.store->records, "pc.a", "north", "camden",
                                         [&](Incident& i) { i.evidence.notes = notes; });
    const auto pending = a.store->records->pendingCount().value();
    a.engine->start(*a.store->records, a.actor);
    auto report = a.engine->syncOnce();
    a.engine->stop();
    REQUIRE_FALSE(report.ok());
    CHECK_THAT(report.error().message, Catch::Contains("larger than the server accepts")
                                           && Catch::Contains("kept on this device"));
    // The ops before the big one went (in smaller batches); the big one and what follows wait.
    const auto left = a.store->records->pendingCount().value();
    CHECK(left >= 1);
    CHECK(left < pending);
    CHECK(a.store->records->rejectedOps().value().empty());
    auto kept = IncidentRepository(*a.store->records).read(big);
    REQUIRE(kept.ok());
    CHECK(kept->evidence.notes == notes);
    (void)small;
}
