// Pulls, asserted once and run on both server stores (issue 26): real device stores push into and
// pull from SQLCipher and PostgreSQL, each store with its records copy and the shipped rules.
#include <map>
#include <random>

#include <catch2/catch.hpp>

#include "tests/sync/StoreBackends.h"
#include "tests/sync/StorePushSupport.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

#define STORE_TEST(name, tags) TEMPLATE_TEST_CASE(name, tags, vigil::test::SqlCipherBackend, vigil::test::PgBackend)

STORE_TEST("A teammate's device receives a new 124D once, with its victim, and the pull is logged as a disclosure",
           "[store][pull]")
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

    auto page = cyd.pull(s);
    // Every change of the 124D, none of the device's audit entries (never pulled).
    CHECK(static_cast<std::int64_t>(page.ops.size()) == b.count("SELECT count(*) FROM op_log WHERE entity <> 'audit';"));
    CHECK(page.forget.empty());
    CHECK_FALSE(page.more);
    auto held = cyd.repo().load(Actor{"pc.c"}, incident);
    REQUIRE(held.ok());
    REQUIRE(held->victims.size() == 1);
    CHECK(held->victims[0].person.name == "Invented Victim");
    CHECK(b.count("SELECT count(*) FROM disclosures WHERE device_id = 'dev-c';") == 1);
    CHECK(s.verifyAudit().value().entries == entriesBefore + 1);

    // The next pull names the page's view: nothing is sent again, nothing more is disclosed.
    auto next = cyd.pull(s);
    CHECK(next.ops.empty());
    CHECK(next.forget.empty());
    CHECK(b.count("SELECT count(*) FROM disclosures WHERE device_id = 'dev-c';") == 1);
    // The pushing device gets nothing of its own back.
    CHECK(ada.pull(s).ops.empty());
}

STORE_TEST("A pull whose answer was lost is answered again with the history, and the view moves only when named",
           "[store][pull][view]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    ada.draft();
    CHECK(ada.pushAll(s).empty());

    auto lost = s.pullOps(cyd.who, PullCursor{0, 0}, 500, serverNow());
    REQUIRE(lost.ok());
    REQUIRE_FALSE(lost->ops.empty());
    const auto sent = parsePullCursor(lost->cursor);
    REQUIRE(sent.has_value());
    CHECK(sent->view == 1);
    // The device never saw the answer and asks again from where it was.
    auto again = s.pullOps(cyd.who, PullCursor{0, 0}, 500, serverNow());
    REQUIRE(again.ok());
    CHECK(again->ops.size() == lost->ops.size());
    const auto resent = parsePullCursor(again->cursor);
    REQUIRE(resent.has_value());
    CHECK(resent->view == 2);
    // It applies the second answer and names its view: confirmed, nothing sent again.
    auto confirmed = s.pullOps(cyd.who, *resent, 500, serverNow());
    REQUIRE(confirmed.ok());
    CHECK(confirmed->ops.empty());
    CHECK(parsePullCursor(confirmed->cursor)->view == 2);
}

STORE_TEST("Another team's officer receives nothing of a 124D and a teammate moved to that team is told to forget it",
           "[store][pull][scope]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    UserRecord southern = northUser("pc.b");
    southern.info.team = "south";
    Tablet bob(enrolTablet(s, southern, "dev-b", 12));
    const std::string incident = ada.draft();
    CHECK(ada.pushAll(s).empty());

    CHECK(bob.pull(s).ops.empty());
    CHECK_FALSE(cyd.pull(s).ops.empty());
    CHECK(cyd.pull(s).ops.empty());  // the view confirmed

    UserRecord moved = northUser("pc.c");
    moved.info.team = "south";
    moved.updatedAt = serverNow();
    REQUIRE(s.updateUser(moved).ok());
    cyd.who.user.info = moved.info;  // as the request handler finds the user on the next request
    auto page = cyd.pull(s);
    CHECK(page.ops.empty());
    REQUIRE(page.forget.size() == 1);
    CHECK(page.forget[0] == incident);
}

STORE_TEST("Pages stop at their byte budget and the pages together hold every change in order", "[store][pull][limits]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    ada.draft();
    ada.draft();
    CHECK(ada.pushAll(s).empty());
    // A teammate who already holds the 124Ds then receives the new changes of both, page by page.
    CHECK_FALSE(cyd.pull(s).ops.empty());
    CHECK(cyd.pull(s).ops.empty());
    ada.draft();
    CHECK(ada.pushAll(s).empty());
    const auto expected = b.count("SELECT count(*) FROM op_log WHERE entity <> 'audit';");

    b.setPageBytes(1500);
    std::int64_t received = 0;
    int pages = 0;
    for (; pages < 200; ++pages) {
        auto page = cyd.pull(s);
        received += static_cast<std::int64_t>(page.ops.size());
        if (!page.more)
            break;
        CHECK_FALSE(page.ops.empty());
    }
    CHECK(pages > 2);
    // The first two 124Ds came whole with the first pull; the third's changes arrive over the pages.
    CHECK(received > 0);
    CHECK(received < expected);
    auto ids = cyd.records->incidentIds(10);
    REQUIRE(ids.ok());
    CHECK(ids->size() == 3);
}

STORE_TEST("A device that never pulled starts from a snapshot of what it may see and its first pull sends nothing twice",
           "[store][snapshot]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    UserRecord southern = northUser("pc.b");
    southern.info.team = "south";
    Tablet bob(enrolTablet(s, southern, "dev-b", 12));
    const std::string first = ada.draft("Invented Victim");
    const std::string second = ada.draft();
    const std::string theirs = bob.draft();
    CHECK(ada.pushAll(s).empty());
    CHECK(bob.pushAll(s).empty());

    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    // Small pages: the snapshot goes on inside an incident from page to page.
    const auto pages = cyd.startFromSnapshot(s, 600);
    CHECK(pages.size() > 2);
    std::set<std::string> incidents;
    for (const auto& page : pages)
        for (const auto& row : page.rows)
            incidents.insert(row.incident);
    CHECK(incidents == std::set<std::string>{first, second});
    CHECK(cyd.repo().load(Actor{"pc.c"}, first).value().victims.at(0).person.name == "Invented Victim");
    CHECK(b.count("SELECT count(*) FROM disclosures WHERE device_id = 'dev-c';") == static_cast<std::int64_t>(pages.size()));

    // The first pull names the snapshot's view: no history again, nothing to forget.
    auto pull = cyd.pull(s);
    CHECK(pull.ops.empty());
    CHECK(pull.forget.empty());
    // Changes made after the snapshot come as ops.
    const std::int64_t next = s.lastSeq("dev-a").value() + 1;
    REQUIRE(ada.push(s, {ada.handMade("incident", first, "refs.cad", "CAD-7", next)}).rejected.empty());
    auto later = cyd.pull(s);
    REQUIRE(later.ops.size() == 1);
    CHECK(later.ops[0].field == "refs.cad");
    CHECK(cyd.repo().load(Actor{"pc.c"}, first).value().refs.cad == "CAD-7");
    CHECK_FALSE(cyd.repo().load(Actor{"pc.c"}, theirs).ok());
}

STORE_TEST("Figures count the 124Ds received in the server's copy, by borough, without naming one",
           "[store][figures]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    ada.submittedDemo(6);
    ada.draft();  // a draft is not received: not counted
    CHECK(ada.pushAll(s).empty());
    std::int64_t submitted = 0;
    auto ids = ada.records->incidentIds(1000);
    REQUIRE(ids.ok());
    for (const auto& id : *ids)
        if (ada.repo().stateOf(id).value() != LifecycleState::Draft)
            ++submitted;
    REQUIRE(submitted > 0);

    FigureRequest request;
    request.from = "2020-01-01";
    request.to = "2030-01-01";
    request.keepIncidentIds = true;  // the server keeps numbers only, whatever is asked
    auto set = s.figures(request);
    REQUIRE(set.ok());
    const Figure* incidents = set->find("incidents");
    REQUIRE(incidents != nullptr);
    CHECK(incidents->total.count == submitted);
    CHECK(incidents->incidentIds.empty());
    CHECK(s.figureBoroughs("2020-01-01", "2030-01-01").value() == std::vector<std::string>{"camden"});
}

STORE_TEST("Every user gets from the access index read by their scope exactly the incidents the whole index gives them",
           "[store][pull][scope]")
{
    // A pull reads only the incidents its user might read (accessCandidates), then applies
    // canRead as before. If the narrowing ever left out one the user may read, the user's device
    // would be told to forget it: so, for users of every role and scope against a random force,
    // the narrowed read must give exactly the incidents (and their referrals) the whole one does.
    TestType b;
    if (!b.start())
        return;
    std::mt19937 rng(20261208);
    const auto pick = [&](const std::vector<std::string>& from) {
        return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
    };
    const auto chance = [&](int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; };
    const std::vector<std::string> people = {"pc.a", "pc.b", "pc.c", "pc.d", "ds.e", "sgt.f", "idva.g", "idva.h", "an.i", "adm.j"};
    const std::vector<std::string> teams = {"north-1", "north-2", "south-1", ""};
    const std::vector<std::string> boroughs = {"north", "south", ""};
    std::string sql;
    for (int i = 0; i < 400; ++i) {
        const std::string id = "inc-" + std::to_string(1000 + i);
        std::string list = "[";
        for (int n = std::uniform_int_distribution<int>(0, 2)(rng); n > 0; --n)
            list += std::string(list.size() > 1 ? "," : "") + "\"" + pick(people) + "\"";
        list += "]";
        sql += "INSERT INTO incidents (id, owner, team, borough, restricted, access_list, allocated_to) VALUES ('" + id
            + "', '" + pick(people) + "', '" + pick(teams) + "', '" + pick(boroughs) + "', '" + (chance(15) ? "1" : "0")
            + "', '" + list + "', '" + (chance(30) ? pick(people) : std::string()) + "');\n";
        for (int n = std::uniform_int_distribution<int>(0, 2)(rng); n > 0; --n)
            sql += "INSERT INTO referrals (id, incident_id, to_user) VALUES ('ref-" + id + "-" + std::to_string(n) + "', '"
                + id + "', '" + (chance(20) ? std::string() : pick(people)) + "');\n";
    }
    REQUIRE(b.sql(sql).ok());

    auto whole = b.store->allAccess();
    REQUIRE(whole.ok());
    REQUIRE(whole->size() == 400);
    const auto readable = [](const UserInfo& user, const std::vector<IncidentAccess>& index) {
        std::map<std::string, std::vector<std::string>> out;  // incident -> its referrals
        for (const auto& a : index)
            if (canRead(user, a))
                out[a.id] = a.referredTo;
        return out;
    };
    const std::vector<sync::Role> roles = {sync::Role::Officer, sync::Role::Investigator, sync::Role::Idva,
                                            sync::Role::Supervisor, sync::Role::Analyst, sync::Role::Admin};
    const std::vector<Scope> scopes = {Scope::Self, Scope::Team, Scope::Borough, Scope::All};
    int users = 0, narrowerReads = 0;
    std::size_t seen = 0;
    for (const sync::Role role : roles) {
        for (const Scope scope : scopes) {
            for (int n = 0; n < 6; ++n) {
                UserInfo user;
                user.id = pick(people);
                user.role = role;
                user.scope = scope;
                user.team = pick(teams);
                user.borough = pick(boroughs);
                user.restrictedClearance = chance(50);
                auto narrowed = b.store->accessFor(user);
                REQUIRE(narrowed.ok());
                const auto expected = readable(user, *whole);
                INFO(TestType::kName << ": user " << user.id << ", role " << roleName(role) << ", scope "
                                     << static_cast<int>(scope) << ", team '" << user.team << "', borough '"
                                     << user.borough << "', cleared " << user.restrictedClearance);
                CHECK(readable(user, *narrowed) == expected);
                ++users;
                seen += expected.size();
                narrowerReads += narrowed->size() < whole->size() ? 1 : 0;
            }
        }
    }
    // The force's incidents are not read whole for everyone (only scope All reads them all).
    CHECK(narrowerReads >= users * 3 / 4);
    CHECK(seen > 0);
}
