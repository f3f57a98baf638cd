// History and forget lists reach the device even when the answer that carried them is lost.
// A real vigil-server process (real TLS, its SQLCipher store), devices with real SQLCipher
// stores and the real SyncEngine over the real DeviceLink. The loss is made at the one place
// it happens in life: the server has built, committed and sent its answer to a pull, and the
// device never gets it (connection cut, device killed, TLS reset). LossyLink forwards every
// request to the server and, for the one pull answer the test names, throws the answer away and
// reports a cut connection instead. It can also send a pull again after the device has applied
// its answer and drop that second answer: a late duplicate of a request the device had given up
// on (a proxy holding bytes back, then carrying on), which must not undo what the device applied.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <string>

#include "core/records/RecordDigest.h"
#include "sync/client/SyncTransport.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::Handset;
using vigil::test::ServerProcess;

namespace {

/// The device's real link, with one pull answer lost on the way back, and optionally one pull
/// request sent to the server a second time, late: after the device applied its answer and
/// before its next pull reaches the server (the second answer goes nowhere). Called on the
/// engine thread only, like any SyncTransport, so it uses no test assertions itself.
struct LossyLink final : SyncTransport {
    explicit LossyLink(SyncTransport& link) : inner(link) {}

    Result<ClientResponse> request(ClientRequest req) override
    {
        const bool pull = req.target.rfind("/v1/pull", 0) == 0;
        if (pull && late) {
            auto again = inner.request(*late);
            if (again && again->status == 200)
                ++replayed;
            late.reset();
        }
        const ClientRequest sent = req;
        auto answer = inner.request(std::move(req));
        if (!pull || !answer || answer->status != 200)
            return answer;
        auto json = parseJson(answer->body);
        auto page = json ? pullResponseFromJson(*json) : Result<PullResponse>(json.error());
        if (!page)
            return answer;
        if (lose && lose(*page)) {
            lose = nullptr;  // once
            ++lost;
            return makeError(ErrorCode::Network, "The connection to the Vigil server was cut before its answer "
                                                 "arrived (test). Vigil will try again.");
        }
        if (replayAfter && replayAfter(*page)) {
            replayAfter = nullptr;
            late = sent;  // the device applies this answer; the request arrives again before its next pull
        }
        return answer;
    }

    SyncTransport& inner;
    std::function<bool(const PullResponse&)> lose;         ///< the answer to lose (once)
    std::function<bool(const PullResponse&)> replayAfter;  ///< the answer whose request arrives again, late
    std::optional<ClientRequest> late;
    int lost = 0;
    int replayed = 0;
};

bool carriesCreate(const PullResponse& page, const std::string& incidentId)
{
    for (const auto& op : page.ops) {
        if (op.entity == "incident" && op.id == incidentId && op.field == "@create")
            return true;
    }
    return false;
}

bool forgets(const PullResponse& page, const std::string& incidentId)
{
    for (const auto& id : page.forget) {
        if (id == incidentId)
            return true;
    }
    return false;
}

/// A handset whose engine talks through a LossyLink (no timer retry during the test: the retry
/// is the test's own next sync).
struct LossyHandset {
    LossyHandset(SyncClient& client, ServerProcess& server, const std::string& user)
        : handset(client, server, user), lossy(handset.link)
    {
        SyncEngineOptions options;
        options.backoff.initial = std::chrono::minutes(10);
        options.backoff.interval = std::chrono::minutes(10);
        handset.engine = std::make_unique<SyncEngine>(lossy, options);
    }

    /// One sync as the app starts it (at unlock); its outcome, the store left alone after.
    SyncStatus syncAtStart()
    {
        handset.engine->start(handset.records(), handset.actor);
        handset.engine->drain();
        SyncStatus status = handset.engine->status();
        handset.engine->stop();
        return status;
    }

    bool has(const std::string& incidentId)
    {
        auto row = handset.records().get(Entity::Incident, incidentId);
        REQUIRE(row.ok());
        return row->has_value();
    }

    Handset handset;
    LossyLink lossy;
};

RecordDigest digestOf(Database& db, const std::string& incidentId)
{
    DigestOptions options;
    options.incidents = {incidentId};
    auto d = digestRecords(db, options);
    REQUIRE(d.ok());
    return *d;
}

bool holds(Handset& h, const std::string& incidentId)
{
    auto row = h.records().get(Entity::Incident, incidentId);
    REQUIRE(row.ok());
    return row->has_value();
}

void noConflicts(RecordStore& store)
{
    auto c = store.conflicts();
    REQUIRE(c.ok());
    CHECK(c->empty());
}

struct World {
    ServerProcess server;
    SyncClient client;
    World()
    {
        server.addUser("pc.a", "officer", "north", "camden");
        server.addUser("pc.b", "officer", "north", "camden");
        server.addUser("pc.c", "officer", "south", "camden");
        server.addUser("idva.f", "idva", "north", "camden");
    }
};

/// An incident with a victim and a few later edits on pc.a's device, all pushed.
std::string incidentWithHistory(Handset& a)
{
    const std::string id = test::makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    auto repo = a.repo();
    auto incident = repo.read(id);
    REQUIRE(incident.ok());
    incident->refs.cad = "CAD-77";
    incident->victims.at(0).person.name = "Another Invented Person";
    REQUIRE(repo.save(Actor{"pc.a"}, *incident).ok());
    a.sync();
    return id;
}

}  // namespace

TEST_CASE("The history of a newly referred incident reaches the IDVA's device even when the answer carrying it "
          "was lost, and a device that got it gets it once",
          "[sync][delivery]")
{
    World w;
    Handset a(w.client, w.server, "pc.a");
    LossyHandset lossy(w.client, w.server, "idva.f");  // the IDVA's tablet: its answer is lost
    Handset other(w.client, w.server, "idva.f");       // the IDVA's second tablet: nothing lost
    const std::string id = incidentWithHistory(a);
    lossy.handset.sync();
    other.sync();
    REQUIRE_FALSE(lossy.has(id));
    REQUIRE_FALSE(holds(other, id));

    // The referral: the incident's history (made before the IDVA's cursor) comes into view.
    auto repo = a.repo();
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

    lossy.lossy.lose = [&](const PullResponse& page) { return carriesCreate(page, id); };
    const SyncStatus failed = lossy.syncAtStart();
    REQUIRE(lossy.lossy.lost == 1);
    CHECK(failed.state == SyncStatus::State::Failed);
    REQUIRE(failed.lastError.has_value());
    CHECK(failed.lastError->code == ErrorCode::Network);
    CHECK_FALSE(lossy.has(id));  // nothing of that page was applied

    // The retry (from the same cursor) brings the whole history, not only the referral.
    const SyncReport retried = lossy.handset.sync();
    CHECK(retried.pulled > 0);
    REQUIRE(lossy.has(id));
    auto copy = lossy.handset.repo().read(id);
    REQUIRE(copy.ok());
    CHECK(copy->victims.size() == 1);
    CHECK(copy->refs.cad == "CAD-77");
    CHECK(copy->referrals.size() == 1);

    // The other tablet got it the first time; neither gets it again. Both hold the 124D as the
    // IDVA sharing allow-list trims it (docs/authority.md), and hold the same.
    other.sync();
    REQUIRE(holds(other, id));
    CHECK(digestOf(*lossy.handset.store->db, id) == digestOf(*other.store->db, id));
    const SyncReport again = lossy.handset.sync();
    CHECK(again.pulled == 0);
    CHECK(again.forgotten == 0);
    CHECK(other.sync().pulled == 0);
    noConflicts(lossy.handset.records());
    noConflicts(other.records());
}

TEST_CASE("An incident that comes into view without any new change (a team move) is sent again after a lost "
          "answer",
          "[sync][delivery]")
{
    World w;
    Handset a(w.client, w.server, "pc.a");
    LossyHandset c(w.client, w.server, "pc.c");  // south: cannot see north's incident yet
    const std::string id = incidentWithHistory(a);
    c.handset.sync();
    REQUIRE_FALSE(c.has(id));

    // Nothing is written: the op log does not move, so the page's cursor position cannot
    // either. Only the view generation in the cursor tells the retry from an acknowledgement.
    auto moved = w.server.admin({"user", "update", "pc.c", "--team", "north"});
    INFO(moved.err);
    REQUIRE(moved.exitCode == 0);
    c.lossy.lose = [&](const PullResponse& page) { return carriesCreate(page, id); };
    const SyncStatus failed = c.syncAtStart();
    REQUIRE(c.lossy.lost == 1);
    CHECK(failed.state == SyncStatus::State::Failed);
    CHECK_FALSE(c.has(id));

    c.handset.sync();
    REQUIRE(c.has(id));
    CHECK(digestOf(*c.handset.store->db, id) == digestOf(*a.store->db, id));
    const SyncReport again = c.handset.sync();
    CHECK(again.pulled == 0);
    CHECK(again.forgotten == 0);
    noConflicts(c.handset.records());
}

TEST_CASE("An incident withdrawn from a device is forgotten even when the answer that said so was lost and comes "
          "back whole after a late duplicate of that pull",
          "[sync][delivery]")
{
    World w;
    Handset a(w.client, w.server, "pc.a");
    LossyHandset b(w.client, w.server, "pc.b");  // north, like pc.a: holds the incident
    const std::string id = incidentWithHistory(a);
    b.handset.sync();
    REQUIRE(b.has(id));

    // pc.b moves to the south team: the incident leaves their scope.
    auto moved = w.server.admin({"user", "update", "pc.b", "--team", "south"});
    INFO(moved.err);
    REQUIRE(moved.exitCode == 0);
    b.lossy.lose = [&](const PullResponse& page) { return forgets(page, id); };
    const SyncStatus failed = b.syncAtStart();
    REQUIRE(b.lossy.lost == 1);
    CHECK(failed.state == SyncStatus::State::Failed);
    CHECK(b.has(id));  // the device never heard

    // The retry says it again. After the device applied it, the same request (its old cursor)
    // reaches the server again, before the device's next pull: that must not undo the forget.
    b.lossy.replayAfter = [&](const PullResponse& page) { return forgets(page, id); };
    const SyncReport retried = b.handset.sync();  // two syncs: the second pull comes after the late one
    CHECK(b.lossy.replayed == 1);
    CHECK(retried.forgotten == 1);
    CHECK_FALSE(b.has(id));

    // While pc.b is away, pc.a edits the incident: pc.b's pulls pass over these changes.
    auto repo = a.repo();
    auto incident = repo.read(id);
    REQUIRE(incident.ok());
    incident->refs.crimint = "CI-9";
    REQUIRE(repo.save(Actor{"pc.a"}, *incident).ok());
    a.sync();
    const SyncReport away = b.handset.sync();
    CHECK(away.pulled == 0);
    CHECK(away.forgotten == 0);  // said once, applied once
    CHECK_FALSE(b.has(id));

    // Back in the north team: the whole incident again, the change made while away included.
    moved = w.server.admin({"user", "update", "pc.b", "--team", "north"});
    REQUIRE(moved.exitCode == 0);
    b.handset.sync();
    REQUIRE(b.has(id));
    auto copy = b.handset.repo().read(id);
    REQUIRE(copy.ok());
    CHECK(copy->refs.crimint == "CI-9");
    CHECK(copy->refs.cad == "CAD-77");
    CHECK(digestOf(*b.handset.store->db, id) == digestOf(*a.store->db, id));
    CHECK(b.handset.sync().pulled == 0);
    noConflicts(b.handset.records());
}

TEST_CASE("A late duplicate of a pull that brought history does not make the server send it again",
          "[sync][delivery]")
{
    World w;
    Handset a(w.client, w.server, "pc.a");
    LossyHandset c(w.client, w.server, "pc.c");
    const std::string id = incidentWithHistory(a);
    c.handset.sync();
    auto moved = w.server.admin({"user", "update", "pc.c", "--team", "north"});
    REQUIRE(moved.exitCode == 0);
    c.lossy.replayAfter = [&](const PullResponse& page) { return carriesCreate(page, id); };
    const SyncReport first = c.handset.sync();  // two syncs: the late request arrives before the second pull
    CHECK(c.lossy.replayed == 1);
    REQUIRE(c.has(id));
    const SyncReport next = c.handset.sync();
    CHECK(next.pulled == 0);
    CHECK(next.forgotten == 0);
    CHECK(first.forgotten == 0);
    CHECK(digestOf(*c.handset.store->db, id) == digestOf(*a.store->db, id));
    noConflicts(c.handset.records());
}

TEST_CASE("The pull cursor is a position and a view: both decimal, anything else refused with words",
          "[sync][delivery][cursor]")
{
    World w;
    Handset a(w.client, w.server, "pc.a");
    const auto pull = [&](const std::string& cursor) {
        ClientRequest req;
        req.target = "/v1/pull?cursor=" + cursor;
        auto r = a.link.request(req);
        REQUIRE(r.ok());
        return *r;
    };
    for (const std::string good : {"0", "12", "12.3", "0.0"})
        CHECK(pull(good).status == 200);
    for (const std::string bad : {"12.", ".3", "12.x", "12.3.4", "-1", "1.-2", "12,3"}) {
        INFO(bad);
        const ClientResponse r = pull(bad);
        CHECK(r.status == 400);
        REQUIRE(r.error.has_value());
        CHECK(r.error->error == "bad_request");
        CHECK_THAT(r.error->message, Catch::Contains("cursor"));
    }
    // A device with nothing in view is answered with a plain position, as before this rule.
    const ClientResponse first = pull("0");
    auto page = pullResponseFromJson(*parseJson(first.body));
    REQUIRE(page.ok());
    CHECK(page->cursor.find('.') == std::string::npos);
}

namespace {

/// The device's real link, noting for each pull what it asked with, what the device's store had
/// committed as its cursor at that moment (read on a connection of the link's own), and what came
/// back. Engine thread only; no test assertions inside.
struct WatchedLink final : SyncTransport {
    struct Pull {
        std::string asked;
        std::string committed;
        std::string answered;
        bool forgets = false;
    };
    WatchedLink(SyncTransport& link, std::unique_ptr<Database> view) : inner(link), store(std::move(view)) {}

    Result<ClientResponse> request(ClientRequest req) override
    {
        const std::string prefix = "/v1/pull?cursor=";
        if (req.target.rfind(prefix, 0) != 0)
            return inner.request(std::move(req));
        Pull pull;
        pull.asked = req.target.substr(prefix.size(), req.target.find('&') - prefix.size());
        auto q = store->prepare("SELECT value FROM store_meta WHERE key = 'sync_cursor';");
        if (q) {
            auto row = q->step();
            if (row && *row)
                pull.committed = q->columnText(0);
        }
        auto answer = inner.request(std::move(req));
        if (answer && answer->status == 200) {
            auto json = parseJson(answer->body);
            auto page = json ? pullResponseFromJson(*json) : Result<PullResponse>(json.error());
            if (page) {
                pull.answered = page->cursor;
                pull.forgets = !page->forget.empty();
            }
        }
        pulls.push_back(pull);
        return answer;
    }

    SyncTransport& inner;
    std::unique_ptr<Database> store;
    std::vector<Pull> pulls;
};

}  // namespace

TEST_CASE("A device asks for the next pull page while it applies one, only when asking confirms nothing to the server",
          "[sync][pull]")
{
    World w;
    Handset a(w.client, w.server, "pc.a");
    std::vector<std::string> made;
    for (int i = 0; i < 4; ++i)
        made.push_back(incidentWithHistory(a));

    SyncEngineOptions options;
    options.snapshotPage = 0;  // replay the op log: many small pages
    options.pullPage = 3;
    Handset b(w.client, w.server, "pc.b", options);
    OpenOptions open;
    auto view = Database::open(b.store->dir / "device.db", b.store->key, open);
    REQUIRE(view.ok());
    WatchedLink watched(b.link, std::move(view).value());
    b.engine = std::make_unique<SyncEngine>(watched, options);
    b.sync();

    // Everything arrived, as the author holds it.
    for (const auto& id : made)
        CHECK(digestOf(*b.store->db, id) == digestOf(*a.store->db, id));

    // Asked ahead: the cursor sent is not yet the one the store committed. Only ever the cursor
    // of a page that kept the view of the pull before it, with nothing to forget.
    const auto& pulls = watched.pulls;
    REQUIRE(pulls.size() > 5);
    int ahead = 0;
    int viewChanges = 0;
    for (std::size_t i = 1; i < pulls.size(); ++i) {
        const auto& before = pulls[i - 1];
        const auto& now = pulls[i];
        INFO("pull " << i << ": asked " << now.asked << ", committed " << now.committed << "; the pull before asked "
                     << before.asked << " and was answered " << before.answered);
        CHECK(now.asked == before.answered);
        const bool keptView = sameView(before.asked, before.answered) && !before.forgets;
        if (!keptView) {
            ++viewChanges;
            CHECK(now.committed == now.asked);  // applied before its cursor went to the server
        }
        if (now.committed != now.asked) {
            ++ahead;
            CHECK(keptView);
        }
    }
    CHECK(viewChanges >= 1);
    CHECK(ahead >= 1);
}
