// Push and pull through a real vigil-server: dedupe, cursor, and the access rules
// (team scope, borough scope, IDVA referrals, restricted records, admins/analysts).
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "core/common/Uuid.h"
#include "sync/client/DeviceLink.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/sync/Process.h"
#include "tests/sync/RawDevice.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::ServerProcess;

namespace {

using Device = test::RawDevice;

struct World {
    ServerProcess server;
    SyncClient client;
    World()
    {
        server.addUser("pc.a", "officer", "north", "camden");
        server.addUser("pc.b", "officer", "north", "camden");
        server.addUser("pc.c", "officer", "south", "camden");
        server.addUser("pc.d", "officer", "north", "islington");
        server.addUser("ds.e", "supervisor", "north", "camden");
        server.addUser("idva.f", "idva", "north", "camden");
        server.addUser("an.g", "analyst", "hq", "camden");
        server.addUser("dc.h", "investigator", "psd", "camden", /*cleared=*/true);
        server.addUser("dc.i", "investigator", "psd", "camden", /*cleared=*/true);
    }
};

}  // namespace

TEST_CASE("An officer's incident reaches their team and supervisor and nobody else", "[sync][access]")
{
    World w;
    Device a(w.client, w.server, "pc.a");
    const std::string incident = newUuid();
    auto pushed = a.push({a.op("incident", incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}}),
                          a.op("incident", incident, "refs.cris", "CRIS-1")});
    CHECK(pushed.ackedUpto == 2);
    CHECK(pushed.rejected.empty());

    const std::string field = "incident/" + incident + "/refs.cris";
    std::map<std::string, bool> expected = {{"pc.b", true},  {"ds.e", true},  {"pc.c", false}, {"pc.d", false},
                                            {"idva.f", false}, {"an.g", false}, {"dc.h", false}};
    for (const auto& [user, sees] : expected) {
        Device d(w.client, w.server, user);
        INFO(user);
        CHECK(d.pullFields().count(field) == (sees ? 1U : 0U));
    }
    // The author's own device does not get its own ops back.
    CHECK(a.pull().ops.empty());
}

TEST_CASE("An IDVA sees an incident, with its history, once it is referred to them", "[sync][access][idva]")
{
    World w;
    Device a(w.client, w.server, "pc.a");
    Device idva(w.client, w.server, "idva.f");
    const std::string incident = newUuid();
    a.push({a.op("incident", incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}}),
            a.op("incident", incident, "refs.cad", "CAD-7")});
    CHECK(idva.pull().ops.empty());

    const std::string victim = newUuid();
    const std::string referral = newUuid();
    auto referred = a.push({a.op("person", victim, "@create", {{"incident", incident}}),
                            a.op("person", victim, "role", "victim"),
                            a.op("person", victim, "consent.share_with_partners", true),
                            a.op("referral", referral, "@create", {{"incident", incident}, {"parent", victim}}),
                            a.op("referral", referral, "agency", "idva"),
                            a.op("referral", referral, "to_user", "idva.f")});
    CHECK(referred.rejected.empty());
    auto got = idva.pullFields();
    CHECK(got.count("incident/" + incident + "/refs.cad") == 1);
    CHECK(got.count("referral/" + referral + "/to_user") == 1);
    CHECK(got.count("incident/" + incident + "/@create") == 1);
}

TEST_CASE("A restricted incident reaches only cleared users named on it, and others are told to forget it",
          "[sync][access][restricted]")
{
    World w;
    Device a(w.client, w.server, "pc.a");
    Device b(w.client, w.server, "pc.b");
    Device super(w.client, w.server, "ds.e");
    Device named(w.client, w.server, "dc.h");
    Device unnamed(w.client, w.server, "dc.i");
    const std::string incident = newUuid();
    a.push({a.op("incident", incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}}),
            a.op("incident", incident, "refs.cris", "CRIS-2")});
    REQUIRE(b.pull().ops.size() == 2);
    REQUIRE(super.pull().ops.size() == 2);

    // The supervisor restricts it, with the reason, naming a cleared investigator.
    auto restricted = super.push({super.op("incident", incident, "access_list", nlohmann::json::array({"dc.h"})),
                                  super.op("incident", incident, "flags.police_staff_involved", true),
                                  super.op("incident", incident, "restriction.reason", "The suspect is a police officer")});
    CHECK(restricted.rejected.empty());

    auto bPage = b.pull();
    CHECK(bPage.ops.empty());
    CHECK(bPage.forget == std::vector<std::string>{incident});
    CHECK(super.pull().forget == std::vector<std::string>{incident});  // not cleared: restricted it, cannot see it
    auto namedPage = named.pullFields();
    CHECK(namedPage.count("incident/" + incident + "/refs.cris") == 1);
    CHECK(unnamed.pull().ops.empty());

    // Even the owner, not cleared, can no longer write to it: refused and audited.
    auto late = a.push({a.op("incident", incident, "refs.cad", "CAD-9")});
    REQUIRE(late.rejected.size() == 1);
    CHECK(late.rejected.front().error == "outside_scope");
    CHECK(named.pullFields().count("incident/" + incident + "/refs.cad") == 0);
}

TEST_CASE("A push outside the user's scope is rejected per op, in words, and acknowledged", "[sync][access]")
{
    World w;
    Device a(w.client, w.server, "pc.a");
    Device c(w.client, w.server, "pc.c");
    Device b(w.client, w.server, "pc.b");
    const std::string incident = newUuid();
    a.push({a.op("incident", incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}})});
    auto r = c.push({c.op("incident", incident, "refs.cris", "FORGED"),
                     c.op("incident", newUuid(), "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}})});
    CHECK(r.ackedUpto == 2);
    REQUIRE(r.rejected.size() == 2);
    CHECK(r.rejected[0].error == "outside_scope");
    CHECK_THAT(r.rejected[0].message, Catch::Contains("not allowed"));
    CHECK(r.rejected[1].error == "outside_scope");
    CHECK(b.pullFields().count("incident/" + incident + "/refs.cris") == 0);
}

TEST_CASE("The same push sent twice changes nothing the second time", "[sync][idempotent]")
{
    World w;
    Device a(w.client, w.server, "pc.a");
    Device b(w.client, w.server, "pc.b");
    const std::string incident = newUuid();
    const std::vector<Op> batch = {
        a.op("incident", incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}}),
        a.op("incident", incident, "refs.cris", "CRIS-3")};
    CHECK(a.push(batch).ackedUpto == 2);
    CHECK(a.push(batch).ackedUpto == 2);  // a retry after a lost answer
    auto page = b.pull();
    CHECK(page.ops.size() == 2);
    CHECK_FALSE(page.more);

    // Pulling again from the same cursor gives the same page (applying it twice is harmless).
    Device again(w.client, w.server, "pc.b");
    auto first = again.pull();
    again.cursor = "0";
    auto second = again.pull();
    CHECK(first.ops.size() == second.ops.size());

    // A gap stops the batch: seq 4 without 3 is not acknowledged. A batch that starts past the
    // next seq is refused whole, naming no number (issue 22: RefusalsTest).
    Op skipped = a.op("incident", incident, "refs.cad", "CAD-1");
    Op after = a.op("incident", incident, "refs.crimint", "CI-1");
    ClientRequest gap;
    gap.method = "POST";
    gap.target = "/v1/push";
    gap.body = toText(PushRequest{{after}});
    auto refused = a.link.request(gap);
    REQUIRE(refused.ok());
    CHECK(refused->status == 409);
    CHECK(refused->body.find("acked_upto") == std::string::npos);
    CHECK(a.push({skipped, after}).ackedUpto == 4);
}

TEST_CASE("Pull is paged with a monotonic cursor", "[sync][cursor]")
{
    World w;
    Device a(w.client, w.server, "pc.a");
    Device b(w.client, w.server, "pc.b");
    const std::string incident = newUuid();
    std::vector<Op> ops = {a.op("incident", incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}})};
    for (int i = 0; i < 30; ++i)
        ops.push_back(a.op("incident", incident, "notes.n" + std::to_string(i), i));
    CHECK(a.push(ops).ackedUpto == 31);
    ClientRequest req;
    req.target = "/v1/pull?cursor=0&limit=10";
    std::size_t total = 0;
    std::int64_t lastCursor = 0;
    for (int page = 0; page < 10; ++page) {
        auto r = b.link.request(req);
        REQUIRE(r.ok());
        REQUIRE(r->status == 200);
        auto p = pullResponseFromJson(*parseJson(r->body));
        REQUIRE(p.ok());
        total += p->ops.size();
        const std::int64_t c = std::stoll(p->cursor);
        CHECK(c >= lastCursor);
        lastCursor = c;
        req.target = "/v1/pull?cursor=" + p->cursor + "&limit=10";
        if (!p->more)
            break;
    }
    CHECK(total == 31);
}

TEST_CASE("A pull finds a team's few changes among another team's many, in order and once each, page by page",
          "[sync][cursor]")
{
    // The server's scan reads which incident each op is of, then reads whole only the ops the
    // user may see: one by one when they are a few among many, in one pass when most are.
    World w;
    Device a(w.client, w.server, "pc.a");
    Device b(w.client, w.server, "pc.b");
    Device c(w.client, w.server, "pc.c");
    const std::string north = newUuid();
    const std::string south = newUuid();
    std::vector<std::string> expected;
    const auto busySouth = [&](int from) {
        std::vector<Op> ops;
        if (from == 0)
            ops.push_back(c.op("incident", south, "@create", {{"owner", "pc.c"}, {"team", "south"}, {"borough", "camden"}}));
        for (int i = from; i < from + 60; ++i)
            ops.push_back(c.op("incident", south, "notes.s" + std::to_string(i), i));
        CHECK(c.push(ops).rejected.empty());
    };
    busySouth(0);
    std::vector<Op> first = {a.op("incident", north, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}})};
    expected.push_back("@create");
    for (int i = 0; i < 3; ++i) {
        first.push_back(a.op("incident", north, "notes.n" + std::to_string(i), i));
        expected.push_back("notes.n" + std::to_string(i));
    }
    CHECK(a.push(first).rejected.empty());
    busySouth(60);
    std::vector<Op> second;
    for (int i = 3; i < 6; ++i) {
        second.push_back(a.op("incident", north, "notes.n" + std::to_string(i), i));
        expected.push_back("notes.n" + std::to_string(i));
    }
    CHECK(a.push(second).rejected.empty());
    busySouth(120);

    SECTION("two at a time")
    {
        ClientRequest req;
        req.target = "/v1/pull?cursor=0&limit=2";
        std::vector<std::string> got;
        std::int64_t lastCursor = 0;
        for (int page = 0; page < 20; ++page) {
            auto r = b.link.request(req);
            REQUIRE(r.ok());
            REQUIRE(r->status == 200);
            auto p = pullResponseFromJson(*parseJson(r->body));
            REQUIRE(p.ok());
            CHECK(p->ops.size() <= 2);
            for (const auto& o : p->ops) {
                CHECK(o.id == north);
                got.push_back(o.field);
            }
            const std::int64_t cursor = std::stoll(p->cursor);
            CHECK(cursor >= lastCursor);
            lastCursor = cursor;
            req.target = "/v1/pull?cursor=" + p->cursor + "&limit=2";
            if (!p->more)
                break;
        }
        CHECK(got == expected);
    }
    SECTION("all at once, then nothing more")
    {
        const auto page = b.pull();
        std::vector<std::string> got;
        for (const auto& o : page.ops) {
            CHECK(o.id == north);
            got.push_back(o.field);
        }
        CHECK(got == expected);
        CHECK_FALSE(page.more);
        CHECK(b.pull().ops.empty());
    }
    SECTION("the busy team's own officer gets none of its own ops back, and none of the other team's")
    {
        CHECK(c.pull().ops.empty());
    }
}
