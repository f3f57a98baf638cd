// A first sync from a snapshot (GET /v1/snapshot): a device that has never pulled and holds no
// records starts from the rows of the server's materialised copy instead of replaying every op.
// Real vigil-server processes (real TLS, SQLCipher stores), devices with real SQLCipher stores
// and the real SyncEngine. The reference is a second device that replays the op log
// (SyncEngineOptions::snapshotPage = 0): both must end with the same records (RecordDigest),
// the same conflicts and authors, and then receive exactly the same changes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/records/RecordDigest.h"
#include "sync/client/SyncTransport.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::Handset;
using vigil::test::makeIncidentWithVictim;
using vigil::test::PlainDeviceStore;
using vigil::test::ServerProcess;

namespace {

SyncEngineOptions replayOnly()
{
    SyncEngineOptions o;
    o.snapshotPage = 0;
    return o;
}

RecordDigest digestOf(Handset& device)
{
    auto d = digestRecords(device.records().database());
    REQUIRE(d.ok());
    return *d;
}

/// A conflict as both devices must show it (ids and detection times are local).
using ConflictView = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string,
                                std::string, std::string, std::string>;

std::vector<ConflictView> conflictsOf(Handset& device)
{
    auto all = device.records().conflicts({}, true);
    REQUIRE(all.ok());
    std::vector<ConflictView> out;
    for (const auto& c : *all) {
        out.emplace_back(c.recordId, c.field, c.keptValue.dump(), c.lostValue.dump(), c.keptBy, c.lostBy, c.winner,
                         c.resolvedBy, c.resolution.dump());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void writeSummary(Handset& device, const std::string& incident, const std::string& text)
{
    REQUIRE(device.records().write(device.actor, Entity::Incident, incident, {{"incident.summary", text}}).ok());
}

/// The device's real link; fails the snapshot request numbered `failAt` (1-based) once, as a cut
/// connection would. Engine thread only; no test assertions inside.
struct CutSnapshotLink final : SyncTransport {
    CutSnapshotLink(SyncTransport& link, int cutAt) : inner(link), failAt(cutAt) {}
    Result<ClientResponse> request(ClientRequest req) override
    {
        if (req.target.rfind("/v1/snapshot", 0) == 0 && ++snapshots == failAt)
            return makeError(ErrorCode::Network, "The connection to the Vigil server was cut (test). Vigil will try again.");
        return inner.request(std::move(req));
    }
    SyncTransport& inner;
    int failAt = 0;
    int snapshots = 0;
};

/// The files of the server's materialised records copy (`<store>.records` and its WAL).
std::vector<std::filesystem::path> copyFilesOf(ServerProcess& server)
{
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(server.dataDir())) {
        if (entry.path().filename().string().find(".records") != std::string::npos)
            out.push_back(entry.path());
    }
    return out;
}

/// Team north on a real server: pc.a has made and synced `count` 124Ds; two supervisors (sgt.r,
/// sgt.s) may enrol later.
struct NorthTeam {
    explicit NorthTeam(int count)
    {
        for (const char* user : {"pc.a", "sgt.r", "sgt.s"})
            server.addUser(user, std::string(user).rfind("sgt.", 0) == 0 ? "supervisor" : "officer", "north", "camden");
        a = std::make_unique<Handset>(client, server, "pc.a");
        for (int i = 0; i < count; ++i)
            incidents.push_back(makeIncidentWithVictim(a->records(), "pc.a", "north", "camden"));
        a->sync();
    }
    ServerProcess server;
    SyncClient client;
    std::unique_ptr<Handset> a;
    std::vector<std::string> incidents;
};

}  // namespace

TEST_CASE("A device that has never synced starts from the server's rows and ends with what a device that replayed "
          "every change holds: records, conflicts, authors; then both receive the same changes",
          "[sync][snapshot]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.c", "officer", "north", "camden");
    server.addUser("pc.d", "officer", "south", "camden");
    server.addUser("sgt.r", "supervisor", "north", "camden");
    server.addUser("sgt.s", "supervisor", "north", "camden");
    SyncClient client;
    Handset a(client, server, "pc.a");
    Handset c(client, server, "pc.c");
    std::vector<std::string> incidents;
    for (int i = 0; i < 4; ++i)
        incidents.push_back(makeIncidentWithVictim(a.records(), "pc.a", "north", "camden"));
    a.sync();
    c.sync();
    // Two conflicts: the same field changed on a and c from the same base; c settles the second.
    writeSummary(a, incidents[0], "Seen by pc.a");
    writeSummary(c, incidents[0], "Seen by pc.c");
    writeSummary(a, incidents[1], "Version a");
    writeSummary(c, incidents[1], "Version c");
    a.sync();
    c.sync();
    auto found = c.records().conflicts(incidents[1]);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    REQUIRE(c.records().resolveConflict(c.actor, found->front().id, ConflictChoice::KeepShown).ok());
    c.sync();
    a.sync();

    Handset replay(client, server, "sgt.r", replayOnly());
    Handset fresh(client, server, "sgt.s");
    const SyncReport replayed = replay.sync();
    const SyncReport started = fresh.sync();
    auto next = fresh.records().snapshotNext();
    REQUIRE(next.ok());
    CHECK(next->empty());
    auto cursor = fresh.records().syncCursor();
    REQUIRE(cursor.ok());
    CHECK_FALSE(cursor->empty());

    CHECK(digestOf(fresh) == digestOf(replay));
    CHECK(digestOf(fresh).total >= 8);  // 4 incidents and their victims
    const auto conflicts = conflictsOf(fresh);
    CHECK(conflicts.size() == 2);
    CHECK(conflicts == conflictsOf(replay));
    for (const auto& device : {a.deviceId, c.deviceId}) {
        auto shown = fresh.records().userOfDevice(device);
        auto known = replay.records().userOfDevice(device);
        REQUIRE(shown.ok());
        REQUIRE(known.ok());
        CHECK(*shown == *known);
        CHECK_FALSE(shown->empty());
    }
    // One row each instead of every change in each row's history.
    INFO("rows " << started.pulled << ", ops " << replayed.pulled);
    CHECK(started.pulled < replayed.pulled);
    auto home = fresh.repo().list();
    REQUIRE(home.ok());
    CHECK(home->size() == incidents.size());

    // Later changes arrive as ops, the same on both: nothing of the history is sent again.
    writeSummary(a, incidents[2], "Later change");
    a.sync();
    const SyncReport replayedLater = replay.sync();
    const SyncReport startedLater = fresh.sync();
    CHECK(startedLater.pulled == replayedLater.pulled);
    CHECK(startedLater.pulled > 0);
    CHECK(startedLater.pulled < 5);
    CHECK(digestOf(fresh) == digestOf(replay));

    // Another team's officer starts from nothing of north's.
    Handset south(client, server, "pc.d");
    const SyncReport other = south.sync();
    CHECK(other.pulled == 0);
    auto ids = south.records().incidentIds();
    REQUIRE(ids.ok());
    CHECK(ids->empty());
}

TEST_CASE("A snapshot cut off part-way goes on where it stopped after the user's own changes, and loses nothing",
          "[sync][snapshot]")
{
    NorthTeam team(5);
    Handset& a = *team.a;
    Handset fresh(team.client, team.server, "sgt.s");
    CutSnapshotLink cut(fresh.link, 3);
    SyncEngineOptions options;
    options.snapshotPage = 1;                            // one incident a page
    options.backoff.initial = std::chrono::minutes(10);  // no retry by timer within the test
    SyncEngine engine(cut, options);
    engine.start(fresh.records(), fresh.actor);
    engine.drain();
    CHECK(engine.status().state != SyncStatus::State::Idle);
    engine.stop();
    auto held = fresh.records().incidentIds();
    REQUIRE(held.ok());
    CHECK(held->size() == 2);  // two pages applied, the third cut off
    auto next = fresh.records().snapshotNext();
    REQUIRE(next.ok());
    CHECK_FALSE(next->empty());
    auto cursor = fresh.records().syncCursor();
    REQUIRE(cursor.ok());
    CHECK(cursor->empty());

    // Meanwhile the supervisor works on what is here, and a colleague changes another record.
    writeSummary(fresh, held->front(), "Reviewed by sgt.s");
    const std::string own = makeIncidentWithVictim(fresh.records(), "sgt.s", "north", "camden");
    auto others = a.records().incidentIds();
    REQUIRE(others.ok());
    for (const auto& id : *others) {
        if (std::find(held->begin(), held->end(), id) == held->end()) {
            writeSummary(a, id, "Changed while sgt.s was cut off");
            break;
        }
    }
    a.sync();

    engine.start(fresh.records(), fresh.actor);
    auto done = engine.syncOnce();
    engine.stop();
    INFO((done ? std::string() : done.error().message));
    REQUIRE(done.ok());
    next = fresh.records().snapshotNext();
    REQUIRE(next.ok());
    CHECK(next->empty());
    auto pending = fresh.records().pendingCount();
    REQUIRE(pending.ok());
    CHECK(*pending == 0);
    auto ids = fresh.records().incidentIds();
    REQUIRE(ids.ok());
    CHECK(ids->size() == 6);
    auto conflicts = fresh.records().conflicts({}, true);
    REQUIRE(conflicts.ok());
    CHECK(conflicts->empty());

    Handset replay(team.client, team.server, "sgt.r", replayOnly());
    replay.sync();
    a.sync();
    CHECK(digestOf(fresh) == digestOf(replay));
    auto reviewed = a.records().get(Entity::Incident, held->front());
    REQUIRE(reviewed.ok());
    REQUIRE(reviewed->has_value());
    CHECK((*reviewed)->field("incident.summary") == "Reviewed by sgt.s");
    auto theirs = a.records().get(Entity::Incident, own);
    REQUIRE(theirs.ok());
    CHECK(theirs->has_value());
}

TEST_CASE("A snapshot row for a row already on the device merges field by field and keeps an unsent local write "
          "that differs as a conflict",
          "[sync][snapshot]")
{
    PlainDeviceStore device("dev-here");
    RecordStore& records = *device.records;
    const std::string id = "0f0f0f0f-0000-4000-8000-000000000001";
    REQUIRE(records.create(Actor{"pc.here"}, Entity::Incident, id, id, "", nlohmann::json::object(),
                           {{"incident.summary", "Written here"}, {"incident.team", "north"}})
                .ok());
    auto local = records.get(Entity::Incident, id);
    REQUIRE(local.ok());
    const HlcStamp mine = (*local)->stamps.at("incident.summary").hlc;

    const auto rowFrom = [&](HlcStamp stamp, const std::string& summary) {
        StoredRow r;
        r.entity = "incident";
        r.id = id;
        r.incident = id;
        r.origin = "dev-there";
        r.created = hlcToString(stamp);
        r.updated = hlcToString(stamp);
        r.fields = nlohmann::json{{"incident.summary", summary}, {"incident.date", "2026-11-20"}}.dump();
        r.stamps = nlohmann::json{{"incident.summary", hlcToString(stamp)}, {"incident.date", hlcToString(stamp)}}.dump();
        return r;
    };
    // A later write from elsewhere wins; the unsent one here is kept as the conflict's other value.
    REQUIRE(records.applySnapshot({rowFrom(mine + (1 << 16), "Written there")}, {}, {{"dev-there", "pc.there"}}, "1.1.61",
                                  "")
                .ok());
    auto row = records.get(Entity::Incident, id);
    REQUIRE(row.ok());
    CHECK((*row)->field("incident.summary") == "Written there");
    CHECK((*row)->field("incident.date") == "2026-11-20");
    CHECK((*row)->field("incident.team") == "north");
    auto conflicts = records.conflicts();
    REQUIRE(conflicts.ok());
    REQUIRE(conflicts->size() == 1);
    CHECK(conflicts->front().keptValue == "Written there");
    CHECK(conflicts->front().lostValue == "Written here");
    CHECK(conflicts->front().keptBy == "pc.there");
    CHECK(conflicts->front().lostBy == "pc.here");
    auto next = records.snapshotNext();
    REQUIRE(next.ok());
    CHECK(*next == "1.1.61");

    // An older write from elsewhere loses to the one here, and is kept too; the same page again adds nothing.
    const std::string other = "0f0f0f0f-0000-4000-8000-000000000002";
    REQUIRE(records.create(Actor{"pc.here"}, Entity::Incident, other, other, "", nlohmann::json::object(),
                           {{"incident.summary", "Newer here"}})
                .ok());
    StoredRow older = rowFrom(1 << 16, "Older there");
    older.id = other;
    older.incident = other;
    for (int i = 0; i < 2; ++i)
        REQUIRE(records.applySnapshot({older}, {}, {}, "", "7.2").ok());
    row = records.get(Entity::Incident, other);
    REQUIRE(row.ok());
    CHECK((*row)->field("incident.summary") == "Newer here");
    conflicts = records.conflicts(other);
    REQUIRE(conflicts.ok());
    REQUIRE(conflicts->size() == 1);
    CHECK(conflicts->front().winner == "local");
    CHECK(conflicts->front().lostValue == "Older there");
    auto cursor = records.syncCursor();
    REQUIRE(cursor.ok());
    CHECK(*cursor == "7.2");
    next = records.snapshotNext();
    REQUIRE(next.ok());
    CHECK(next->empty());
}

TEST_CASE("A snapshot whose stored position the server refuses starts again and still ends whole", "[sync][snapshot]")
{
    NorthTeam team(3);
    Handset fresh(team.client, team.server, "sgt.s");
    REQUIRE(fresh.records().applySnapshot({}, {}, {}, "not-a-position", "").ok());  // as if cut off long ago
    fresh.sync();
    auto next = fresh.records().snapshotNext();
    REQUIRE(next.ok());
    CHECK(next->empty());
    Handset replay(team.client, team.server, "sgt.r", replayOnly());
    replay.sync();
    CHECK(digestOf(fresh) == digestOf(replay));
    CHECK(digestOf(fresh).total >= 6);
}

TEST_CASE("The snapshot endpoint refuses a malformed position with words and sends nothing", "[sync][snapshot]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    Handset a(client, server, "pc.a");
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    for (const std::string from : {"x", "1.2", "1.2.zz", "1.2.abc", "-1.2.61", "1.2.61.62"}) {
        ClientRequest ask;
        ask.target = "/v1/snapshot?from=" + from;
        auto r = a.link.request(ask);
        REQUIRE(r.ok());
        INFO(from);
        CHECK(r->status == 400);
        REQUIRE(r->error);
        CHECK_THAT(r->error->message, Catch::Contains("malformed"));
    }
    ClientRequest post;
    post.method = "POST";
    post.target = "/v1/snapshot";
    post.body = "{}";
    auto r = a.link.request(post);
    REQUIRE(r.ok());
    CHECK(r->status == 405);
}

TEST_CASE("A server whose records copy was lost rebuilds it from the op log before it serves a snapshot",
          "[sync][snapshot]")
{
    NorthTeam team(3);
    ServerProcess& server = team.server;
    Handset& a = *team.a;
    const std::vector<std::string>& incidents = team.incidents;
    writeSummary(a, incidents[1], "Changed after the first push");
    a.sync();

    REQUIRE(server.stop() == 0);
    const auto files = copyFilesOf(server);
    REQUIRE(files.size() >= 1);
    for (const auto& file : files)
        std::filesystem::remove(file);
    server.restart();
    CHECK_THAT(server.log(), Catch::Contains("records_copy_rebuilt"));

    Handset replay(team.client, server, "sgt.r", replayOnly());
    Handset fresh(team.client, server, "sgt.s");
    replay.sync();
    const SyncReport started = fresh.sync();
    CHECK(started.pulled == digestOf(replay).total);  // rows, not ops
    CHECK(digestOf(fresh) == digestOf(replay));
    CHECK(digestOf(fresh).total >= 6);
    auto row = fresh.records().get(Entity::Incident, incidents[1]);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->field("incident.summary") == "Changed after the first push");
}

TEST_CASE("A server stopped between committing its op log and its records copy catches the copy up on start",
          "[sync][snapshot]")
{
    // The op log and the copy commit side by side; a server stopped after the op log's commit
    // and before the copy's leaves a copy that lacks the batch. That state is made here by
    // putting back the copy as it was before later pushes (its files, as a stop leaves them).
    NorthTeam team(2);
    ServerProcess& server = team.server;
    Handset& a = *team.a;
    const std::vector<std::string>& incidents = team.incidents;
    REQUIRE(server.stop() == 0);
    const std::filesystem::path aside = server.dataDir().parent_path() / "copy-before";
    std::filesystem::create_directories(aside);
    for (const auto& file : copyFilesOf(server))
        std::filesystem::copy_file(file, aside / file.filename());
    server.restart();

    writeSummary(a, incidents[0], "Changed while the copy was not looking");
    const std::string later = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    REQUIRE(a.records().pendingCount().value() == 0);

    REQUIRE(server.stop() == 0);
    for (const auto& file : copyFilesOf(server))
        std::filesystem::remove(file);
    for (const auto& entry : std::filesystem::directory_iterator(aside))
        std::filesystem::copy_file(entry.path(), server.dataDir() / entry.path().filename());
    server.restart();
    CHECK_THAT(server.log(), Catch::Contains("records_copy_catch_up"));
    CHECK_THAT(server.log(), Catch::Contains("records_copy_caught_up"));

    Handset replay(team.client, server, "sgt.r", replayOnly());
    Handset fresh(team.client, server, "sgt.s");
    replay.sync();
    fresh.sync();
    CHECK(digestOf(fresh) == digestOf(replay));
    auto row = fresh.records().get(Entity::Incident, incidents[0]);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->field("incident.summary") == "Changed while the copy was not looking");
    auto made = fresh.records().get(Entity::Incident, later);
    REQUIRE(made.ok());
    CHECK(made->has_value());

    // Caught up once: the next start finds nothing to do.
    REQUIRE(server.stop() == 0);
    server.restart();
    CHECK_THAT(server.log(), !Catch::Contains("records_copy_catch_up"));
}
