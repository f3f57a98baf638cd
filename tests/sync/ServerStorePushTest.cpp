// Pushes, asserted once and run on both server stores (issue 26): a real device store's outbox
// pushed into SQLCipher and into PostgreSQL (the fixture's cluster), each with its records copy and
// the shipped rules. Each case runs as "<name> - vigil::test::SqlCipherBackend" and
// "<name> - vigil::test::PgBackend".
#include <catch2/catch.hpp>

#include "core/records/OpLimits.h"
#include "tests/sync/StoreBackends.h"
#include "tests/sync/StorePushSupport.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

std::int64_t opCount(auto& b) { return b.count("SELECT count(*) FROM op_log;"); }

}  // namespace

#define STORE_TEST(name, tags) TEMPLATE_TEST_CASE(name, tags, vigil::test::SqlCipherBackend, vigil::test::PgBackend)

STORE_TEST("A device's new 124D is taken whole and the same batch sent again gets the same answer and changes nothing",
           "[store][push]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    ada.draft();
    const auto ops = ada.batch();
    REQUIRE(ops.size() > 3);
    const bool hasAudit = std::any_of(ops.begin(), ops.end(), [](const Op& o) { return o.entity == "audit"; });
    CHECK(hasAudit);

    auto first = s.pushOps(ada.who, ops, serverNow());
    REQUIRE(first.ok());
    CHECK(first->rejected.empty());
    CHECK(first->ackedUpto == ops.back().seq);
    CHECK(s.lastSeq("dev-a").value() == ops.back().seq);
    const auto logged = opCount(b);
    CHECK(logged == static_cast<std::int64_t>(ops.size()));
    const auto used = b.usage("dev-a");
    CHECK(used > static_cast<std::int64_t>(ops.size()) * 200);
    // The device's own audit entries continue its chain on the server.
    CHECK(b.count("SELECT count(*) FROM device_audit_head WHERE device = 'dev-a';") == 1);

    // The answer was lost; the device sends the batch again.
    auto again = s.pushOps(ada.who, ops, serverNow());
    REQUIRE(again.ok());
    CHECK(again->rejected.empty());
    CHECK(again->ackedUpto == first->ackedUpto);
    CHECK(opCount(b) == logged);
    CHECK(b.usage("dev-a") == used);
    CHECK(s.lastSeq("dev-a").value() == ops.back().seq);
}

STORE_TEST("A change to another team's 124D is refused and logged once and the retry gets the same refusal",
           "[store][push][access]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    const std::string incident = ada.draft();
    CHECK(ada.pushAll(s).empty());
    UserRecord southern = northUser("pc.b");
    southern.info.team = "south";
    Tablet bob(enrolTablet(s, southern, "dev-b", 12));
    const auto entriesBefore = s.verifyAudit().value().entries;
    const std::vector<Op> ops{bob.handMade("incident", incident, "refs.cris", "CRIS-000001", 1)};

    auto refused = s.pushOps(bob.who, ops, serverNow());
    REQUIRE(refused.ok());
    CHECK(refused->ackedUpto == 1);
    REQUIRE(refused->rejected.size() == 1);
    CHECK(refused->rejected[0].seq == 1);
    CHECK(refused->rejected[0].error == "outside_scope");
    CHECK(refused->rejected[0].field == "refs.cris");
    CHECK(refused->rejected[0].message
          == "You are not allowed to change this record (outside your scope). The change was kept on this device but "
             "not shared; this attempt was logged.");
    CHECK(s.lastSeq("dev-b").value() == 1);
    auto chain = s.verifyAudit().value();
    CHECK(chain.intact);
    CHECK(chain.entries == entriesBefore + 1);
    CHECK(b.count("SELECT count(*) FROM access_denials WHERE device_id = 'dev-b';") == 1);
    const auto logged = opCount(b);

    auto retry = s.pushOps(bob.who, ops, serverNow());
    REQUIRE(retry.ok());
    REQUIRE(retry->rejected.size() == 1);
    CHECK(retry->rejected[0].error == "outside_scope");
    CHECK(retry->rejected[0].message == refused->rejected[0].message);
    CHECK(s.verifyAudit().value().entries == entriesBefore + 1);
    CHECK(opCount(b) == logged);
}

STORE_TEST("Its owner's edit of a submitted 124D is refused by the authority policy and of a draft it is taken",
           "[store][push][authority]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    ada.submittedDemo(3);
    // The demo 124Ds are made as the app makes them: every change passes the server's rules.
    CHECK(ada.pushAll(s).empty());
    const std::string submitted = ada.incidentIn(LifecycleState::Submitted);
    const std::string draft = ada.draft();
    CHECK(ada.pushAll(s).empty());

    const std::int64_t next = s.lastSeq("dev-a").value() + 1;
    const std::vector<Op> ops{ada.handMade("incident", submitted, "refs.cris", "CRIS-000002", next),
                              ada.handMade("incident", draft, "refs.cris", "CRIS-000003", next + 1)};
    auto answer = s.pushOps(ada.who, ops, serverNow());
    REQUIRE(answer.ok());
    CHECK(answer->ackedUpto == next + 1);
    REQUIRE(answer->rejected.size() == 1);
    CHECK(answer->rejected[0].seq == next);
    CHECK(answer->rejected[0].error == std::string(errors::kNotPermitted));
    CHECK(b.count("SELECT count(*) FROM op_log WHERE record_id = '" + draft + "' AND field = 'refs.cris';") == 2);
    CHECK(b.count("SELECT count(*) FROM op_log WHERE record_id = '" + submitted + "' AND field = 'refs.cris' AND seq = "
                  + std::to_string(next) + ";")
          == 0);
}

STORE_TEST("A batch that skips a number or puts another change under a number decided is refused whole",
           "[store][push][sequence]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    const std::string incident = ada.draft();
    CHECK(ada.pushAll(s).empty());
    const std::int64_t last = s.lastSeq("dev-a").value();
    const auto logged = opCount(b);

    for (const std::int64_t seq : {last + 2, std::int64_t{1}}) {
        INFO("seq " << seq);
        auto refused = s.pushOps(ada.who, {ada.handMade("incident", incident, "refs.cris", "CRIS-000004", seq)},
                                 serverNow());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == ErrorCode::Rejected);
        CHECK(refused.error().field == "sequence");
        CHECK(refused.error().message == "the batch's sequence numbers do not follow this device's");
    }
    CHECK(s.lastSeq("dev-a").value() == last);
    CHECK(opCount(b) == logged);
}

STORE_TEST("A change the server holds already, sent again under a new number, is acknowledged and not kept twice",
           "[store][push][restore]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    ada.draft();
    const auto ops = ada.batch();
    REQUIRE(s.pushOps(ada.who, ops, serverNow()).ok());
    const auto logged = opCount(b);
    const std::int64_t last = ops.back().seq;

    // After the device's store was restored from its own backup it numbers on from the server's
    // last seq, keeping each change's op id.
    Op resent = ops.front();
    resent.seq = last + 1;
    auto answer = s.pushOps(ada.who, {resent}, serverNow());
    REQUIRE(answer.ok());
    CHECK(answer->rejected.empty());
    CHECK(answer->ackedUpto == last + 1);
    CHECK(s.lastSeq("dev-a").value() == last + 1);
    CHECK(opCount(b) == logged);
}

STORE_TEST("A push that would pass the device's quota is refused whole while another device of the team pushes on",
           "[store][push][quota]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet amy(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    ada.draft();
    CHECK(ada.pushAll(s).empty());
    const auto used = b.usage("dev-a");
    b.setQuota(used + 300);  // room for a change or two, not a 124D

    ada.draft();
    auto refused = s.pushOps(ada.who, ada.batch(), serverNow());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::Rejected);
    CHECK(refused.error().field == "quota");
    CHECK(b.usage("dev-a") == used);

    amy.draft();
    CHECK(amy.pushAll(s).empty());
    CHECK(b.usage("dev-c") > 0);
}

STORE_TEST("A change stamped far ahead of the server's clock is refused and the rest of the batch is taken",
           "[store][push][clock]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    const std::string incident = ada.draft();
    CHECK(ada.pushAll(s).empty());
    const std::int64_t next = s.lastSeq("dev-a").value() + 1;
    Op ahead = ada.handMade("incident", incident, "refs.cris", "CRIS-000005", next);
    ahead.hlc = static_cast<std::uint64_t>(serverNow() + 3600) * 1000 << 16;
    Op fine = ada.handMade("incident", incident, "refs.cad", "CAD-1", next + 1);
    auto answer = s.pushOps(ada.who, {ahead, fine}, serverNow());
    REQUIRE(answer.ok());
    REQUIRE(answer->rejected.size() == 1);
    CHECK(answer->rejected[0].seq == next);
    CHECK(answer->rejected[0].error == std::string(errors::kClockAhead));
    CHECK(answer->ackedUpto == next + 1);
    CHECK(b.count("SELECT count(*) FROM op_log WHERE field = 'refs.cad';") == 1);
}

STORE_TEST("An altered entry of a device's audit chain is refused with what was wrong and logged",
           "[store][push][audit]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    ada.draft();
    auto ops = ada.batch();
    auto audit = std::find_if(ops.begin(), ops.end(), [](const Op& o) { return o.entity == "audit"; });
    REQUIRE(audit != ops.end());
    audit->value["detail"] = "something else";  // the entry no longer matches its hash
    const auto entriesBefore = s.verifyAudit().value().entries;
    auto answer = s.pushOps(ada.who, ops, serverNow());
    REQUIRE(answer.ok());
    REQUIRE_FALSE(answer->rejected.empty());
    CHECK(answer->rejected[0].seq == audit->seq);
    CHECK(answer->rejected[0].error == std::string(errors::kAuditChainBroken));
    CHECK(answer->rejected[0].message
          == "This device's audit entry was not accepted: its hash does not match its content (it was altered). "
             "Nothing of it was kept on the server; this attempt was logged. Report this to support.");
    CHECK(s.verifyAudit().value().entries > entriesBefore);
    CHECK(b.count("SELECT count(*) FROM op_log WHERE entity = 'audit';") == 0);
    CHECK(b.count("SELECT count(*) FROM op_log WHERE entity = 'incident';") > 0);
}
