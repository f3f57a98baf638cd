// Pulls, asserted once and run on both server stores (issue 26): real device stores push into and
// pull from SQLCipher and PostgreSQL, each store with its records copy and the shipped rules.
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
