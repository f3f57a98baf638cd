// Authority (issue 21): what an insider with only their own device credential sends with plain
// HTTPS requests to a real vigil-server, and what the server does with it. For each weakness the
// issue lists: the op is refused with a named error, nothing else changes, and the legitimate
// path still works.
#include <catch2/catch.hpp>

#include <random>

#include "core/common/Clock.h"
#include "core/casework/WorkingDays.h"
#include "core/records/CaseRepository.h"
#include "core/records/Hlc.h"
#include "tests/sync/RawDevice.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::RawDevice;
using vigil::test::ServerProcess;

namespace {

struct World {
    ServerProcess server;
    SyncClient client;
    World()
    {
        server.addUser("pc.a", "officer", "north", "camden");
        server.addUser("pc.b", "officer", "north", "camden");
        server.addUser("ds.e", "supervisor", "north", "camden");
        server.addUser("idva.f", "idva", "north", "camden");
        server.addUser("dc.h", "investigator", "psd", "camden", /*cleared=*/true);
        server.addUser("ds.k", "supervisor", "psd", "camden", /*cleared=*/true);
    }
};

/// One refusal of a push: the op's seq, with the named error.
const OpRejection& refusal(const PushResponse& r, std::int64_t seq)
{
    auto it = std::find_if(r.rejected.begin(), r.rejected.end(), [&](const OpRejection& x) { return x.seq == seq; });
    INFO("seq " << seq << " was not refused");
    REQUIRE(it != r.rejected.end());
    return *it;
}

/// A draft 124D of pc.a with one victim (who consented to sharing, or not).
struct Draft {
    std::string incident = newUuid();
    std::string victim = newUuid();
};

Draft draftOf(RawDevice& owner, bool consent = true)
{
    Draft d;
    auto r = owner.push({owner.op("incident", d.incident, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}}),
                         owner.op("incident", d.incident, "state", "draft"),
                         owner.op("incident", d.incident, "flags.police_staff_involved", false),
                         owner.op("incident", d.incident, "refs.cad", "1234/12MAR10"),
                         owner.op("person", d.victim, "@create", {{"incident", d.incident}}),
                         owner.op("person", d.victim, "role", "victim"),
                         owner.op("person", d.victim, "person.name", "Invented Person"),
                         owner.op("person", d.victim, "consent.share_with_partners", consent)});
    INFO((r.rejected.empty() ? std::string() : r.rejected.front().message));
    REQUIRE(r.rejected.empty());
    return d;
}

nlohmann::json command(const std::string& name, const std::string& state, const std::string& by,
                       const std::string& note = {})
{
    return {{"command", name}, {"state", state}, {"by", by}, {"note", note}, {"seen", nlohmann::json::object()}};
}

/// The value of one field of a record as a device that pulls everything ends up with it.
nlohmann::json pulledValue(RawDevice& reader, const std::string& id, const std::string& field)
{
    nlohmann::json value;
    for (;;) {
        auto page = reader.pull();
        for (const auto& op : page.ops)
            if (op.id == id && op.field == field)
                value = op.value;
        if (!page.more)
            break;
    }
    return value;
}

}  // namespace

TEST_CASE("A plain write of the lifecycle state or the review fields is refused, and the lifecycle command works",
          "[sync][authority]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice idva(w.client, w.server, "idva.f");
    RawDevice reader(w.client, w.server, "pc.b");
    const Draft d = draftOf(a);

    auto r = a.push({a.op("incident", d.incident, "state", "approved"),
                     a.op("incident", d.incident, "review.command", "approve"),
                     a.op("incident", d.incident, "review.by", "ds.e")});
    REQUIRE(r.rejected.size() == 3);
    for (const auto& x : r.rejected) {
        CHECK(x.error == "not_permitted");
        CHECK_THAT(x.message, Catch::Contains("only by submitting, returning, approving"));
    }
    CHECK(pulledValue(reader, d.incident, "state") == "draft");

    // An IDVA cannot even reach it (not referred), let alone close it.
    auto closed = idva.push({idva.op("incident", d.incident, "state", "closed")});
    REQUIRE(closed.rejected.size() == 1);
    CHECK(closed.rejected.front().error == "outside_scope");
}

TEST_CASE("Only the owner or a supervisor edits a 124D, and only while it is a draft or returned", "[sync][authority]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice b(w.client, w.server, "pc.b");
    RawDevice s(w.client, w.server, "ds.e");
    const Draft d = draftOf(a);

    // A team colleague may read it, not write it.
    auto colleague = b.push({b.op("incident", d.incident, "refs.cad", "9999/01JAN10")});
    CHECK(refusal(colleague, 1).error == "not_permitted");
    CHECK_THAT(refusal(colleague, 1).message, Catch::Contains("its owner or a supervisor"));

    // The owner and a supervisor may, while it is a draft.
    CHECK(a.push({a.op("incident", d.incident, "refs.cad", "1111/01JAN10")}).rejected.empty());
    CHECK(s.push({s.op("incident", d.incident, "location", "Invented Street")}).rejected.empty());

    // The owner submits it (a bare draft fails the submission rules: refused as a rule).
    auto submit = a.push({a.op("incident", d.incident, "@command", command("submit", "submitted", "pc.a"))});
    REQUIRE(submit.rejected.size() == 1);
    CHECK(submit.rejected.front().error == "rule_violation");
    CHECK_THAT(submit.rejected.front().message, Catch::Contains("not complete"));
}

TEST_CASE("An officer cannot write the supervisor's grade, its reason or its author, and a supervisor can",
          "[sync][authority]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice s(w.client, w.server, "ds.e");
    RawDevice reader(w.client, w.server, "pc.b");
    const Draft d = draftOf(a);
    auto r = a.push({a.op("person", d.victim, "grade.supervisor", "standard"),
                     a.op("person", d.victim, "grade.supervisor_reason", "reviewed"),
                     a.op("person", d.victim, "grade.supervisor_by", "ds.e")});
    REQUIRE(r.rejected.size() == 3);
    for (const auto& x : r.rejected) {
        CHECK(x.error == "not_permitted");
        CHECK_THAT(x.message, Catch::Contains("Only a supervisor confirms or amends a risk grade"));
    }
    CHECK(pulledValue(reader, d.victim, "grade.supervisor").is_null());

    // A supervisor does not grade a draft either: only once it has been submitted.
    auto early = s.push({s.op("person", d.victim, "grade.supervisor", "high")});
    CHECK(refusal(early, 1).error == "not_permitted");
    CHECK_THAT(refusal(early, 1).message, Catch::Contains("which is draft"));
}

TEST_CASE("The author of a change is the user who sends it, never a name the device writes", "[sync][authority]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice s(w.client, w.server, "ds.e");
    const Draft d = draftOf(a);
    auto r = a.push({a.op("person", d.victim, "grade.officer_by", "ds.e"),
                     a.op("incident", d.incident, "@command", command("submit", "submitted", "ds.e"))});
    REQUIRE(r.rejected.size() == 2);
    for (const auto& x : r.rejected) {
        CHECK(x.error == "attribution_mismatch");
        CHECK_THAT(x.message, Catch::Contains("sent by pc.a"));
    }
    // Naming oneself is fine.
    CHECK(a.push({a.op("person", d.victim, "grade.officer_by", "pc.a")}).rejected.empty());
    // A resolution names its resolver: only the sender.
    auto resolve = s.push({s.op("incident", d.incident, "@resolve",
                                {{"field", "refs.cad"}, {"kept", ""}, {"lost", ""}, {"choice", "keep"}, {"by", "ds.other"}})});
    CHECK(refusal(resolve, 1).error == "attribution_mismatch");
}

TEST_CASE("Restriction: a colleague cannot hide a 124D, and a cleared supervisor restricts it with a reason and a cleared "
          "user on the list",
          "[sync][authority][restricted]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice b(w.client, w.server, "pc.b");
    RawDevice s(w.client, w.server, "ds.e");
    RawDevice dc(w.client, w.server, "dc.h");
    const Draft d = draftOf(a);
    REQUIRE_FALSE(s.pull().ops.empty());
    REQUIRE_FALSE(b.pull().ops.empty());

    // A team colleague (and even the owner) cannot set the flag: the 124D stays where it was.
    auto hide = b.push({b.op("incident", d.incident, "flags.police_staff_involved", true),
                        b.op("incident", d.incident, "restriction.reason", "because")});
    CHECK(refusal(hide, 1).error == "not_permitted");
    CHECK_THAT(refusal(hide, 1).message, Catch::Contains("Tell your supervisor police staff are involved"));
    CHECK(s.pull().forget.empty());
    CHECK(a.push({a.op("incident", d.incident, "flags.police_staff_involved", true)}).rejected.size() == 1);
    CHECK(s.pull().forget.empty());

    // A supervisor without a reason, or with nobody cleared on the list, is refused too.
    auto noReason = s.push({s.op("incident", d.incident, "access_list", nlohmann::json::array({"dc.h"})),
                            s.op("incident", d.incident, "flags.police_staff_involved", true)});
    REQUIRE(noReason.rejected.size() == 2);
    CHECK(noReason.rejected.front().error == "reason_required");
    auto nobodyCleared = s.push({s.op("incident", d.incident, "access_list", nlohmann::json::array({"pc.a"})),
                                 s.op("incident", d.incident, "restriction.reason", "The suspect is a police officer")});
    CHECK(refusal(nobodyCleared, nobodyCleared.rejected.front().seq).error == "cleared_user_required");
    CHECK(b.pull().forget.empty());

    // The legitimate path: the supervisor restricts it with the reason, naming a cleared user.
    auto ok = s.push({s.op("incident", d.incident, "access_list", nlohmann::json::array({"dc.h"})),
                      s.op("incident", d.incident, "flags.police_staff_involved", true),
                      s.op("incident", d.incident, "restriction.reason", "The suspect is a police officer")});
    CHECK(ok.rejected.empty());
    CHECK(b.pull().forget == std::vector<std::string>{d.incident});
    CHECK(dc.pullFields().count("incident/" + d.incident + "/refs.cad") == 1);

    // The cleared user on the list may not leave it without a cleared user.
    auto empty = dc.push({dc.op("incident", d.incident, "access_list", nlohmann::json::array({"pc.a"}))});
    CHECK(refusal(empty, 1).error == "cleared_user_required");
}

TEST_CASE("An older 'not restricted' write arriving after a newer 'restricted' one does not reopen the 124D",
          "[sync][authority][restricted]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice b(w.client, w.server, "pc.b");
    RawDevice k(w.client, w.server, "ds.k");   // a cleared supervisor of the borough
    RawDevice k2(w.client, w.server, "ds.k");  // the same supervisor's other device, offline for a while
    const Draft d = draftOf(a);
    REQUIRE_FALSE(b.pull().ops.empty());
    // Restricted, with a newer stamp...
    Op list = k.op("incident", d.incident, "access_list", nlohmann::json::array({"ds.k"}));
    Op flag = k.op("incident", d.incident, "flags.police_staff_involved", true);
    Op why = k.op("incident", d.incident, "restriction.reason", "The suspect is a police officer");
    for (Op* op : {&list, &flag, &why})
        op->hlc = (std::uint64_t{1700000500000} << 16);
    REQUIRE(k.push({list, flag, why}).rejected.empty());
    CHECK(b.pull().forget == std::vector<std::string>{d.incident});
    // ...then an older "not restricted" (allowed to its sender) arrives late: it loses the merge,
    // and the access index follows the record as merged, so nobody uncleared gets it back.
    Op lift = k2.op("incident", d.incident, "flags.police_staff_involved", false);
    Op lifted = k2.op("incident", d.incident, "restriction.reason", "Not police staff after all");
    for (Op* op : {&lift, &lifted})
        op->hlc = (std::uint64_t{1700000100000} << 16);
    CHECK(k2.push({lift, lifted}).rejected.empty());
    CHECK(b.pull().ops.empty());
    RawDevice b2(w.client, w.server, "pc.b");
    CHECK(b2.pullFields().count("incident/" + d.incident + "/refs.cad") == 0);
}

TEST_CASE("A referral needs the victim's consent or a lawful basis, and withdrawing it or the consent makes the IDVA forget",
          "[sync][authority][consent]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice idva(w.client, w.server, "idva.f");
    const Draft noConsent = draftOf(a, /*consent=*/false);
    const std::string refused = newUuid();
    auto r = a.push({a.op("referral", refused, "@create", {{"incident", noConsent.incident}, {"parent", noConsent.victim}}),
                     a.op("referral", refused, "agency", "idva"),
                     a.op("referral", refused, "to_user", "idva.f")});
    REQUIRE(r.rejected.size() == 3);
    for (const auto& x : r.rejected)
        CHECK(x.error == "consent_required");
    CHECK(idva.pull().ops.empty());

    // A lawful basis named without why it applies is not: a device that skips the screen's check
    // is refused with the same error.
    auto partial = a.push({a.op("person", noConsent.victim, "consent.lawful_basis", "Crime and Disorder Act 1998 s.115"),
                           a.op("referral", refused, "@create", {{"incident", noConsent.incident}, {"parent", noConsent.victim}}),
                           a.op("referral", refused, "agency", "idva"),
                           a.op("referral", refused, "to_user", "idva.f")});
    REQUIRE(partial.rejected.size() == 3);
    for (const auto& x : partial.rejected)
        CHECK(x.error == "consent_required");
    CHECK(idva.pull().ops.empty());

    // A lawful basis with its justification is enough.
    auto basis = a.push({a.op("person", noConsent.victim, "consent.justification", "high risk of serious harm"),
                         a.op("referral", refused, "@create", {{"incident", noConsent.incident}, {"parent", noConsent.victim}}),
                         a.op("referral", refused, "agency", "idva"),
                         a.op("referral", refused, "to_user", "idva.f")});
    CHECK(basis.rejected.empty());
    CHECK(idva.pullFields().count("incident/" + noConsent.incident + "/refs.cad") == 1);

    // With consent; then the referral is withdrawn: the IDVA's next pull forgets the incident.
    const Draft d = draftOf(a);
    const std::string referral = newUuid();
    REQUIRE(a.push({a.op("referral", referral, "@create", {{"incident", d.incident}, {"parent", d.victim}}),
                    a.op("referral", referral, "agency", "idva"), a.op("referral", referral, "to_user", "idva.f")})
                .rejected.empty());
    CHECK(idva.pullFields().count("incident/" + d.incident + "/refs.cad") == 1);
    REQUIRE(a.push({a.op("referral", referral, "@delete", true)}).rejected.empty());
    auto page = idva.pull();
    CHECK(page.forget == std::vector<std::string>{d.incident});

    // The victim withdraws consent (the lawful basis is taken away too): forgotten as well.
    REQUIRE(a.push({a.op("person", noConsent.victim, "consent.lawful_basis", "")}).rejected.empty());
    CHECK(idva.pull().forget == std::vector<std::string>{noConsent.incident});
}

TEST_CASE("A change stamped far ahead of the server's clock is refused with words, and a device never adopts such a stamp",
          "[sync][authority][clock]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice reader(w.client, w.server, "pc.b");
    const Draft d = draftOf(a);
    Op ahead = a.op("incident", d.incident, "refs.cad", "6666/01JAN10");
    ahead.hlc = 0xffffffffffffffffULL;
    Op days = a.op("incident", d.incident, "location", "Far Future Street");
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    days.hlc = static_cast<std::uint64_t>(now.count() + 3LL * 86400 * 1000) << 16;
    auto r = a.push({ahead, days});
    REQUIRE(r.rejected.size() == 2);
    CHECK(r.rejected[0].error == "clock_ahead");
    CHECK_THAT(r.rejected[1].message, Catch::Contains("This device's clock is 3 days ahead: correct the date and time, then sync."));
    CHECK(pulledValue(reader, d.incident, "refs.cad") == "1234/12MAR10");

    // A device's clock never jumps to a far-future stamp it is shown, and never wraps.
    HlcClock clock(systemClock());
    clock.observe(0xffffffffffffffffULL);
    const HlcStamp next = clock.tick();
    CHECK(next < 0xffff000000000000ULL);
    CHECK(hlcMillis(next) <= static_cast<std::uint64_t>(now.count()) + HlcClock::kMaxAheadMillis + 60000);
    HlcClock saturated(systemClock(), 0xffffffffffffffffULL);
    CHECK(saturated.tick() == 0xffffffffffffffffULL);  // saturates, never wraps to zero
}

TEST_CASE("Removing: a colleague cannot tombstone a 124D or a photo, and the owner or a supervisor removes a draft's "
          "parts, and after submission only a supervisor removes, with a reason, and restores",
          "[sync][authority][delete]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice b(w.client, w.server, "pc.b");
    RawDevice s(w.client, w.server, "ds.e");
    RawDevice reader(w.client, w.server, "pc.b");
    const Draft d = draftOf(a);
    const std::string photo = newUuid();
    REQUIRE(a.push({a.op("attachment", photo, "@create", {{"incident", d.incident}}),
                    a.op("attachment", photo, "caption", "injury to left arm")})
                .rejected.empty());

    auto colleague = b.push({b.op("attachment", photo, "@delete", true), b.op("incident", d.incident, "@delete", true)});
    REQUIRE(colleague.rejected.size() == 2);
    for (const auto& x : colleague.rejected)
        CHECK(x.error == "not_permitted");
    // While it is a draft, removing a part is editing it: the supervisor may, and restore it.
    CHECK(s.push({s.op("attachment", photo, "@delete", true)}).rejected.empty());
    CHECK(s.push({s.op("attachment", photo, "@delete", false)}).rejected.empty());
    CHECK(pulledValue(reader, photo, "@delete") == false);
    // Only its owner removes the whole draft.
    auto wholeBySupervisor = s.push({s.op("incident", d.incident, "@delete", true)});
    CHECK(refusal(wholeBySupervisor, s.seq).error == "reason_required");
    CHECK(a.push({a.op("incident", d.incident, "@delete", true)}).rejected.empty());

    // A submitted 124D, made as the app makes it.
    test::Handset officer(w.client, w.server, "pc.a");
    IncidentRepository repo = officer.repo();
    test::makeSubmittedDemo(repo, officer.records(), 6);
    officer.sync();
    auto list = repo.list(100);
    REQUIRE(list.ok());
    auto submitted = std::find_if(list->begin(), list->end(),
                                  [](const IncidentSummary& i) { return i.state == LifecycleState::Submitted; });
    REQUIRE(submitted != list->end());
    auto incident = repo.read(submitted->id);
    REQUIRE(incident.ok());
    const std::string victim = incident->victims.at(0).id;

    // Nobody but a supervisor removes any of it now, and the supervisor only with a reason.
    const std::int64_t next = a.seq + 1;
    auto owner = a.push({a.op("person", victim, "@delete", true), a.op("incident", submitted->id, "@delete", true)});
    CHECK(refusal(owner, next).error == "not_permitted");
    CHECK(refusal(owner, next + 1).error == "not_permitted");
    auto noReason = s.push({s.op("person", victim, "@delete", true)});
    CHECK(refusal(noReason, s.seq).error == "reason_required");
    CHECK(s.push({s.op("person", victim, "@delete", {{"reason", "recorded twice: the same victim as victim 2"}})})
              .rejected.empty());
    CHECK(pulledValue(reader, victim, "@delete").is_object());
    CHECK(s.push({s.op("person", victim, "@delete", false)}).rejected.empty());  // restored
}

TEST_CASE("Random changes from random roles never change a field the policy forbids them", "[sync][authority][property]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice b(w.client, w.server, "pc.b");
    RawDevice idva(w.client, w.server, "idva.f");
    RawDevice s(w.client, w.server, "ds.e");
    RawDevice reader(w.client, w.server, "ds.e");
    const Draft d = draftOf(a);
    // The forbidden writes for a draft: nobody but the owner and a supervisor writes the officer's
    // parts; nobody writes state or review plainly; only a supervisor's grade fields on a submitted 124D.
    const std::vector<std::pair<std::string, std::string>> fields{
        {"incident", "state"},        {"incident", "review.note"},     {"incident", "refs.cris"},
        {"person", "grade.supervisor"}, {"incident", "flags.police_staff_involved"}, {"person", "person.name"}};
    std::mt19937 rng(20261206);
    for (int round = 0; round < 60; ++round) {
        RawDevice* who = std::array<RawDevice*, 3>{&b, &idva, &s}[rng() % 3];
        const auto& [entity, field] = fields[rng() % fields.size()];
        const std::string id = entity == "incident" ? d.incident : d.victim;
        const std::string value = "v" + std::to_string(round);
        auto r = who->push({who->op(entity, id, field, value)});
        const bool allowed = who == &s && (field == "refs.cris" || field == "person.name");
        INFO("round " << round << " " << field);
        CHECK(r.rejected.empty() == allowed);
    }
    // What a reader ends up with: only the supervisor's allowed writes changed anything.
    auto state = pulledValue(reader, d.incident, "state");
    CHECK((state.is_null() || state == "draft"));
    RawDevice fresh(w.client, w.server, "ds.e");
    std::map<std::string, nlohmann::json> last;
    for (;;) {
        auto page = fresh.pull();
        for (const auto& op : page.ops)
            last[op.id + "/" + op.field] = op.value;
        if (!page.more)
            break;
    }
    CHECK(last[d.incident + "/state"] == "draft");
    CHECK(last[d.incident + "/flags.police_staff_involved"] == false);
    CHECK(last.count(d.incident + "/review.note") == 0);
    CHECK(last.count(d.victim + "/grade.supervisor") == 0);
}

TEST_CASE("A change stamped days ahead that got in can be repaired: after vigil-admin stamps --repair a supervisor's "
          "later correction stands on every device",
          "[sync][authority][clock][repair]")
{
    // A server set to tolerate a week (as a misconfigured one might have been).
    ServerProcess server([](nlohmann::json& c) { c["clock_tolerance_seconds"] = 7 * 86400; });
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("ds.e", "supervisor", "north", "camden");
    SyncClient client;
    test::Handset a(client, server, "pc.a");
    test::Handset s(client, server, "ds.e");
    const std::string id = test::makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    const auto cris = [](test::Handset& h, const std::string& incident) {
        auto loaded = h.repo().load(h.actor, incident);
        REQUIRE(loaded.ok());
        return loaded->refs.cris;
    };
    const auto writeCris = [](test::Handset& h, const std::string& incident, const std::string& value) {
        auto loaded = h.repo().load(h.actor, incident);
        REQUIRE(loaded.ok());
        Incident edited = *loaded;
        edited.refs.cris = value;
        REQUIRE(h.repo().save(h.actor, edited).ok());
    };
    a.sync();
    s.sync();
    const std::string name = [&] {
        auto loaded = a.repo().load(a.actor, id);
        REQUIRE(loaded.ok());
        return loaded->victims.at(0).person.name;
    }();

    // The owner's second device, its clock three days ahead, writes the CRIS reference.
    RawDevice forger(client, server, "pc.a");
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    Op forged = forger.op("incident", id, "refs.cris", "CRIS-FORGED");
    forged.hlc = static_cast<std::uint64_t>(now.count() + 3LL * 86400 * 1000) << 16;
    REQUIRE(forger.push({forged}).rejected.empty());
    a.sync();
    s.sync();
    CHECK(cris(a, id) == "CRIS-FORGED");

    // The supervisor corrects it: the correction loses to the stamp from the future.
    writeCris(s, id, "CRIS-4242");
    s.sync();
    a.sync();
    CHECK(cris(a, id) == "CRIS-FORGED");

    // vigil-admin finds it; it will not repair under a running server.
    auto listed = server.admin({"stamps", "--ahead", "10m"});
    INFO(listed.out << listed.err);
    REQUIRE(listed.exitCode == 0);
    CHECK_THAT(listed.out, Catch::Contains(id) && Catch::Contains("incident.refs.cris")
                               && Catch::Contains("1 change(s) stamped more than 600s after they arrived"));
    auto busy = server.admin({"stamps", "--ahead", "10m", "--repair"});
    CHECK(busy.exitCode == 1);
    CHECK_THAT(busy.err, Catch::Contains("stop it first"));

    // Stopped, repaired, started again.
    REQUIRE(server.stop() == 0);
    auto repaired = server.admin({"stamps", "--ahead", "10m", "--repair"});
    INFO(repaired.out << repaired.err);
    REQUIRE(repaired.exitCode == 0);
    CHECK_THAT(repaired.out, Catch::Contains("Re-stamped 1 change(s)") && Catch::Contains("1 124D(s)"));
    CHECK(server.admin({"stamps", "--ahead", "10m"}).out.find("No change is stamped") != std::string::npos);
    server.restart();
    CHECK_THAT(server.log(), Catch::Contains("records_copy_rebuilt"));

    // Every device holding the 124D builds it again: the correction stands, and nothing of the
    // owner's own is lost (the victim the owner wrote is still there).
    a.sync();
    s.sync();
    CHECK(cris(a, id) == "CRIS-4242");
    CHECK(cris(s, id) == "CRIS-4242");
    {
        auto loaded = a.repo().load(a.actor, id);
        REQUIRE(loaded.ok());
        REQUIRE(loaded->victims.size() == 1);
        CHECK(loaded->victims[0].person.name == name);
        CHECK(loaded->owner == "pc.a");
    }
    // Sent once: the next sync sends nothing again.
    CHECK(a.sync().pulled == 0);
    // A device that starts now (from the rebuilt copy's snapshot) agrees.
    test::Handset fresh(client, server, "ds.e");
    fresh.sync();
    CHECK(cris(fresh, id) == "CRIS-4242");
    // The owner goes on editing: a later change of its own wins as ever.
    writeCris(a, id, "CRIS-5151");
    a.sync();
    s.sync();
    CHECK(cris(s, id) == "CRIS-5151");
}

TEST_CASE("The supervision log is written only by a supervisor, once a 124D is submitted, and never changed or removed",
          "[sync][authority][supervision]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice s(w.client, w.server, "ds.e");
    RawDevice reader(w.client, w.server, "pc.b");
    const Draft d = draftOf(a);
    const std::string early = newUuid();
    auto onDraft = s.push({s.op("supervision", early, "@create", {{"incident", d.incident}}),
                           s.op("supervision", early, "kind", "review")});
    CHECK(refusal(onDraft, s.seq - 1).error == "not_permitted");  // nothing to review before submission
    CHECK(refusal(onDraft, s.seq).error == "unknown_record");     // so the entry never existed
    CHECK(pulledValue(reader, d.incident, "state") == "draft");   // the reader follows from here

    test::Handset officer(w.client, w.server, "pc.a");
    IncidentRepository repo = officer.repo();
    test::makeSubmittedDemo(repo, officer.records(), 6);
    officer.sync();
    auto list = repo.list(100);
    REQUIRE(list.ok());
    auto submitted = std::find_if(list->begin(), list->end(),
                                  [](const IncidentSummary& i) { return i.state == LifecycleState::Submitted; });
    REQUIRE(submitted != list->end());

    // The officer cannot write into the log about their own 124D.
    const std::string forged = newUuid();
    auto byOfficer = a.push({a.op("supervision", forged, "@create", {{"incident", submitted->id}}),
                             a.op("supervision", forged, "kind", "qa"), a.op("supervision", forged, "outcome", "approved")});
    REQUIRE(byOfficer.rejected.size() == 3);
    CHECK(refusal(byOfficer, a.seq - 2).error == "not_permitted");
    CHECK_THAT(refusal(byOfficer, a.seq - 2).message, Catch::Contains("Only a supervisor adds to the supervision log"));

    // A supervisor adds an entry, in their own name only.
    const std::string entry = newUuid();
    auto added = s.push({s.op("supervision", entry, "@create", {{"incident", submitted->id}}),
                         s.op("supervision", entry, "kind", "review"), s.op("supervision", entry, "outcome", "reviewed"),
                         s.op("supervision", entry, "at", "2026-12-06T09:00:00Z"), s.op("supervision", entry, "by", "ds.e"),
                         s.op("supervision", entry, "notes", "Suspect still outstanding; DVPN considered.")});
    INFO((added.rejected.empty() ? std::string() : added.rejected.front().message));
    REQUIRE(added.rejected.empty());
    CHECK(pulledValue(reader, entry, "notes") == "Suspect still outstanding; DVPN considered.");

    // Written once: a later change, even by the same supervisor, and a removal are refused.
    auto rewrite = s.push({s.op("supervision", entry, "notes", "Nothing to add.")});
    CHECK(refusal(rewrite, s.seq).error == "append_only");
    CHECK_THAT(refusal(rewrite, s.seq).message, Catch::Contains("only ever added to"));
    auto removed = s.push({s.op("supervision", entry, "@delete", {{"reason", "tidying up"}})});
    CHECK(refusal(removed, s.seq).error == "not_permitted");
    CHECK_THAT(refusal(removed, s.seq).message, Catch::Contains("append-only"));
    // A second write of one field within the same push is refused too.
    const std::string twice = newUuid();
    auto same = s.push({s.op("supervision", twice, "@create", {{"incident", submitted->id}}),
                        s.op("supervision", twice, "notes", "first"), s.op("supervision", twice, "notes", "second")});
    CHECK(refusal(same, s.seq).error == "append_only");
    // What reaches a team-mate afterwards: the second entry's first note, and nothing that
    // changes the first entry.
    nlohmann::json entryNotes, twiceNotes;
    for (;;) {
        auto page = reader.pull();
        for (const auto& op : page.ops) {
            if (op.id == entry && op.field == "notes")
                entryNotes = op.value;
            if (op.id == twice && op.field == "notes")
                twiceNotes = op.value;
        }
        if (!page.more)
            break;
    }
    CHECK(entryNotes.is_null());
    CHECK(twiceNotes == "first");
}

TEST_CASE("A supervisor allocates an investigation to an officer in the case from the directory, who may then see it, "
          "nobody else allocates, and only to a police user",
          "[sync][authority][allocation]")
{
    World w;
    RawDevice s(w.client, w.server, "ds.e");
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice investigator(w.client, w.server, "dc.h");  // team psd: outside the 124D's team

    // The directory: a supervisor's device is told who is in scope to allocate to; nobody else is.
    {
        sync::ClientRequest req;
        req.target = "/v1/directory";
        auto refused = a.link.request(req);
        REQUIRE(refused.ok());
        CHECK(refused->status == 403);
        CHECK_THAT(refused->body, Catch::Contains("Only a supervisor allocates"));
    }
    sync::SyncEngineOptions deskOptions;
    deskOptions.fetchDirectory = true;
    test::Handset desk(w.client, w.server, "ds.e", deskOptions);
    desk.sync();
    {
        auto kept = desk.records().directory();
        REQUIRE(kept.ok());
        const auto users = nlohmann::json::parse(*kept);
        std::set<std::string> ids;
        for (const auto& u : users)
            ids.insert(u.at("id").get<std::string>());
        CHECK(ids.count("dc.h") == 1);
        CHECK(ids.count("pc.a") == 1);
        CHECK(ids.count("idva.f") == 0);  // a partner agency's IDVA is never an officer in the case
        CHECK_FALSE(desk.records().directoryFetchedAt()->empty());
    }

    test::Handset officer(w.client, w.server, "pc.a");
    IncidentRepository repo = officer.repo();
    test::makeSubmittedDemo(repo, officer.records(), 6);
    officer.sync();
    auto list = repo.list(100);
    REQUIRE(list.ok());
    auto submitted = std::find_if(list->begin(), list->end(),
                                  [](const IncidentSummary& i) { return i.state == LifecycleState::Submitted; });
    REQUIRE(submitted != list->end());
    const std::string id = submitted->id;
    desk.sync();
    IncidentRepository deskRepo = desk.repo();
    REQUIRE(deskRepo.transition(desk.actor, id, LifecycleState::Approved, "approve", "").ok());
    CHECK(desk.sync().rejected == 0);
    CHECK(investigator.pullFields().count("incident/" + id + "/state") == 0);  // not theirs to see yet

    // The officer cannot choose who investigates their own 124D; nor can the investigator.
    auto byOfficer = a.push({a.op("incident", id, "investigation.officer_in_case", "pc.a")});
    CHECK(refusal(byOfficer, a.seq).error == "not_permitted");
    CHECK_THAT(refusal(byOfficer, a.seq).message, Catch::Contains("Only a supervisor allocates"));
    // Only a police user who uses Vigil: not an IDVA, not a name nobody holds.
    auto toIdva = s.push({s.op("incident", id, "investigation.officer_in_case", "idva.f")});
    CHECK(refusal(toIdva, s.seq).error == "not_allocatable");
    auto toNobody = s.push({s.op("incident", id, "investigation.officer_in_case", "dc.nobody")});
    CHECK(refusal(toNobody, s.seq).error == "not_allocatable");
    CHECK_THAT(refusal(toNobody, s.seq).message, Catch::Contains("choose the officer in the case from the list"));
    // In the supervisor's own name only.
    auto forged = s.push({s.op("incident", id, "investigation.allocated_by", "ds.k")});
    CHECK(refusal(forged, s.seq).error == "attribution_mismatch");

    // The allocation as the desk makes it: the officer in the case, then the command, in one sync.
    Investigation allocation;
    allocation.officerInCase = "dc.h";
    allocation.officerInCaseName = "DC Invented Harper";
    allocation.allocatedBy = "ds.e";
    REQUIRE(desk.records()
                .transaction([&]() -> Status {
                    VIGIL_TRY(deskRepo.allocate(desk.actor, id, allocation));
                    return deskRepo.transition(desk.actor, id, LifecycleState::UnderInvestigation, "allocate",
                                               "Take the victim's statement today.");
                })
                .ok());
    CHECK(desk.sync().rejected == 0);
    // The officer in the case now receives the 124D, though it is outside their team.
    const auto got = investigator.pullFields();
    CHECK(got.count("incident/" + id + "/investigation.officer_in_case") == 1);
    CHECK(got.count("incident/" + id + "/refs.cad") == 1);
    // Once open, the investigator still cannot move it on; a supervisor can.
    auto movedByDc = investigator.push({investigator.op("incident", id, "investigation.officer_in_case", "pc.b")});
    CHECK(refusal(movedByDc, investigator.seq).error == "not_permitted");
    Investigation moved;
    moved.officerInCase = "ds.k";  // another team's supervisor takes it over
    moved.officerInCaseName = "DS Invented King";
    moved.allocatedBy = "ds.e";
    REQUIRE(deskRepo.allocate(desk.actor, id, moved).ok());
    CHECK(desk.sync().rejected == 0);
    // The previous officer in the case forgets it: it is no longer theirs, nor in their team.
    std::vector<std::string> forgotten;
    for (;;) {
        auto page = investigator.pull();
        forgotten.insert(forgotten.end(), page.forget.begin(), page.forget.end());
        if (!page.more)
            break;
    }
    CHECK(std::find(forgotten.begin(), forgotten.end(), id) != forgotten.end());
}

TEST_CASE("Casework: the IDVA a victim is referred to logs contacts within the victim's safe-contact answers, the server "
          "refuses an unsafe method or time, and anyone but the IDVA, the officer in the case or a supervisor",
          "[sync][authority][casework]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice rawIdva(w.client, w.server, "idva.f");
    const Draft d = draftOf(a);
    const std::string referral = newUuid();
    REQUIRE(a.push({a.op("person", d.victim, "safe_contact.phone", true), a.op("person", d.victim, "safe_contact.text", false),
                    a.op("person", d.victim, "safe_contact.safe_times", "Weekdays 10:00-15:00"),
                    a.op("referral", referral, "@create", {{"incident", d.incident}, {"parent", d.victim}}),
                    a.op("referral", referral, "agency", "idva"), a.op("referral", referral, "to_user", "idva.f")})
                .rejected.empty());

    // The IDVA's device receives the referral and logs a safe contact; the server takes it.
    test::Handset idva(w.client, w.server, "idva.f");
    idva.sync();
    CaseRepository cases(idva.records());
    VictimsCodeRules rules;
    auto calendar = WorkingDays::loadFile(shippedBankHolidayFile());
    REQUIRE(calendar.ok());
    auto load = cases.caseload("idva.f", vigil::Role::Idva, rules, *calendar, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), OrdersRules{});
    REQUIRE(load.ok());
    REQUIRE(load->size() == 1);
    const CaseKey key = (*load)[0].key;
    const std::string caseId = (*load)[0].caseId;
    CaseContact call;
    call.method = ContactMethod::Phone;
    call.outcome = ContactOutcome::Spoke;
    call.at = "2026-11-23T11:00:00Z";  // a Monday, 11:00 in London
    call.notes = "Safety plan started.";
    REQUIRE(cases.logContact(idva.actor, key, call).ok());
    CHECK(idva.sync().rejected == 0);
    CHECK(pulledValue(a, caseId, "status") == "contacted");  // the owner's team sees the case moved on

    // A device that bypasses the app: a text, which the victim said is unsafe, is refused.
    const std::string unsafe = newUuid();
    auto byText = rawIdva.push({rawIdva.op("contact", unsafe, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                rawIdva.op("contact", unsafe, "method", "text"),
                                rawIdva.op("contact", unsafe, "at", "2026-11-23T11:30:00Z"),
                                rawIdva.op("contact", unsafe, "by", "idva.f")});
    REQUIRE_FALSE(byText.rejected.empty());
    CHECK(refusal(byText, rawIdva.seq - 2).error == "unsafe_contact");
    CHECK_THAT(refusal(byText, rawIdva.seq - 2).message, Catch::Contains("Text is unsafe for this victim"));
    // A call outside the safe times (a Saturday) is refused too.
    const std::string late = newUuid();
    auto saturday = rawIdva.push({rawIdva.op("contact", late, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                  rawIdva.op("contact", late, "method", "phone"),
                                  rawIdva.op("contact", late, "at", "2026-11-28T11:00:00Z"),
                                  rawIdva.op("contact", late, "by", "idva.f")});
    CHECK(refusal(saturday, rawIdva.seq - 1).error == "unsafe_contact");
    CHECK_THAT(refusal(saturday, rawIdva.seq - 1).message, Catch::Contains("safe only between 10:00 and 15:00 on weekdays"));
    // A safe call claiming the victim's details went to victim services before she consented
    // (the app offers that item only after her consent): refused, like the device refuses it.
    const std::string services = newUuid();
    auto noConsent = rawIdva.push({rawIdva.op("contact", services, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                   rawIdva.op("contact", services, "method", "phone"),
                                   rawIdva.op("contact", services, "at", "2026-11-24T11:00:00Z"),
                                   rawIdva.op("contact", services, "by", "idva.f"),
                                   rawIdva.op("contact", services, "duties", nlohmann::json::array({"victim_services"}))});
    CHECK(refusal(noConsent, rawIdva.seq).error == "rule_violation");
    CHECK_THAT(refusal(noConsent, rawIdva.seq).message, Catch::Contains("has not agreed to her details going to victim services"));
    CaseContact sent = call;
    sent.at = "2026-11-24T11:00:00Z";
    sent.duties = {"victim_services"};
    auto deviceRefused = cases.logContact(idva.actor, key, sent);
    REQUIRE_FALSE(deviceRefused.ok());
    CHECK_THAT(deviceRefused.error().message, Catch::Contains("Record her consent on her case first"));
    // In the IDVA's own name only, and a contact once logged is never changed.
    const std::string forged = newUuid();
    auto asOther = rawIdva.push({rawIdva.op("contact", forged, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                 rawIdva.op("contact", forged, "method", "phone"),
                                 rawIdva.op("contact", forged, "at", "2026-11-24T11:00:00Z"),
                                 rawIdva.op("contact", forged, "by", "ds.e")});
    CHECK(refusal(asOther, rawIdva.seq).error == "attribution_mismatch");
    const std::string logged = cases.read(key)->contacts.at(0).id;
    auto rewrite = rawIdva.push({rawIdva.op("contact", logged, "notes", "Nothing happened.")});
    CHECK(refusal(rewrite, rawIdva.seq).error == "append_only");

    // The officer who wrote the 124D is not the victim's IDVA nor the officer in the case.
    const std::string byOfficer = newUuid();
    auto officerContact = a.push({a.op("contact", byOfficer, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                  a.op("contact", byOfficer, "method", "phone")});
    CHECK(refusal(officerContact, a.seq - 1).error == "not_permitted");
    CHECK_THAT(refusal(officerContact, a.seq - 1).message, Catch::Contains("The IDVA the victim is referred to"));
    CHECK(refusal(officerContact, a.seq).error == "unknown_record");  // so the contact never existed

    // Another victim on the same 124D is not the IDVA's: her answers and a case for her are refused.
    const std::string other = newUuid();
    REQUIRE(a.push({a.op("person", other, "@create", {{"incident", d.incident}}), a.op("person", other, "role", "victim"),
                    a.op("person", other, "person.name", "Another Invented Person")})
                .rejected.empty());
    auto notHers = rawIdva.push({rawIdva.op("person", other, "safe_contact.text", true)});
    CHECK(refusal(notHers, rawIdva.seq).error == "not_referred");
    CHECK_THAT(refusal(notHers, rawIdva.seq).message, Catch::Contains("only with the victim referred to them"));
    const std::string otherCase = newUuid();
    auto caseOfOther = rawIdva.push({rawIdva.op("victim_case", otherCase, "@create", {{"incident", d.incident}, {"parent", other}}),
                                     rawIdva.op("victim_case", otherCase, "status", "referred")});
    CHECK(refusal(caseOfOther, rawIdva.seq - 1).error == "not_referred");

    // The victim changes her answers through the IDVA: text is now safe, and a text goes through.
    SafeContact changed;
    changed.phone = true;
    changed.text = true;
    changed.safeTimes = "Weekdays 10:00-15:00";
    REQUIRE(cases.setSafeContact(idva.actor, key, changed).ok());
    CHECK(idva.sync().rejected == 0);
    CHECK(pulledValue(a, d.victim, "safe_contact.updated_by") == "idva.f");
    CaseContact text;
    text.method = ContactMethod::Text;
    text.outcome = ContactOutcome::MessageLeft;
    text.at = "2026-11-24T11:00:00Z";
    REQUIRE(cases.logContact(idva.actor, key, text).ok());
    CHECK(idva.sync().rejected == 0);

    // The IDVA re-assesses her risk with the RIC: the server scores the answers again and takes it;
    // the officer's team receives the grade that stands now.
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
    REQUIRE(models.ok());
    const RiskModel* ric = models->latest("ric-safelives");
    REQUIRE(ric != nullptr);
    RiskReassessment ricNow;
    ricNow.assessment.modelId = ric->id;
    for (std::size_t i = 0; i < ric->questions.size(); ++i)
        ricNow.assessment.answers[ric->questions[i].id].value = i < 15 ? AnswerValue::Yes : AnswerValue::No;
    auto reassessed = cases.addReassessment(idva.actor, key, ricNow, *models,
                                            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    REQUIRE(reassessed.ok());
    CHECK(reassessed->computed == RiskGrade::High);
    CHECK(idva.sync().rejected == 0);
    CHECK(pulledValue(a, reassessed->id, "grade.computed") == "high");
    // A device that bypasses the app: a grade its answers do not give is refused in words.
    const std::string forgedRic = newUuid();
    std::vector<Op> forgedOps{rawIdva.op("risk_assessment", forgedRic, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                              rawIdva.op("risk_assessment", forgedRic, "model", ric->id),
                              rawIdva.op("risk_assessment", forgedRic, "model_version", ric->version),
                              rawIdva.op("risk_assessment", forgedRic, "by", "idva.f"),
                              rawIdva.op("risk_assessment", forgedRic, "grade.computed", "standard"),
                              rawIdva.op("risk_assessment", forgedRic, "yes_count", 0)};
    for (const Question& q : ric->questions)
        forgedOps.push_back(rawIdva.op("risk_assessment", forgedRic, "answer." + q.id, "yes"));
    auto lowered = rawIdva.push(forgedOps);
    REQUIRE_FALSE(lowered.rejected.empty());
    CHECK(refusal(lowered, rawIdva.seq).error == "rule_violation");
    CHECK_THAT(refusal(lowered, rawIdva.seq).message, Catch::Contains("does not match its answers: they give high"));
    // And a re-assessment, once made, is never changed.
    auto changedRic = rawIdva.push({rawIdva.op("risk_assessment", reassessed->id, "grade.computed", "standard")});
    CHECK(refusal(changedRic, rawIdva.seq).error == "append_only");
}

TEST_CASE("Feedback forms: the IDVA records a form sent safely, and the server refuses one a device that bypasses the app "
          "sends by a method the victim marked unsafe, a change to a form issued, and more responses than forms",
          "[sync][authority][casework][feedback]")
{
    World w;
    RawDevice a(w.client, w.server, "pc.a");
    RawDevice rawIdva(w.client, w.server, "idva.f");
    const Draft d = draftOf(a);
    const std::string referral = newUuid();
    REQUIRE(a.push({a.op("person", d.victim, "safe_contact.phone", true), a.op("person", d.victim, "safe_contact.text", false),
                    a.op("person", d.victim, "safe_contact.visit", false),
                    a.op("person", d.victim, "safe_contact.safe_times", "Weekdays 10:00-15:00"),
                    a.op("referral", referral, "@create", {{"incident", d.incident}, {"parent", d.victim}}),
                    a.op("referral", referral, "agency", "idva"), a.op("referral", referral, "to_user", "idva.f")})
                .rejected.empty());
    // What the police (the 124D's owner) hold: every op pulled so far, by record and field.
    std::map<std::pair<std::string, std::string>, nlohmann::json> police;
    const auto policePull = [&] {
        for (;;) {
            auto page = a.pull();
            for (const auto& op : page.ops)
                police[{op.id, op.field}] = op.value;
            if (!page.more)
                break;
        }
    };

    // Through the app: a letter posted on a Monday at 09:00 (before the safe times, which a
    // letter is not held to). The server takes it and the police see it.
    test::Handset idva(w.client, w.server, "idva.f");
    idva.sync();
    CaseRepository cases(idva.records());
    const CaseKey key = referralCase(referral);
    const std::string caseId = caseIdFor(key);
    FeedbackForm letter;
    letter.kind = FeedbackFormKind::AfterCharge;
    letter.method = ContactMethod::Letter;
    letter.at = "2026-11-23T09:00:00Z";
    auto issued = cases.issueFeedbackForm(idva.actor, key, letter);
    REQUIRE(issued.ok());
    CHECK(idva.sync().rejected == 0);
    policePull();
    CHECK(police[{issued->id, "method"}] == "letter");
    CHECK(police[{issued->id, "kind"}] == "after_charge");
    CHECK(police[{issued->id, "by"}] == "idva.f");

    // A device that bypasses the app sends the form by text, which the victim said is unsafe.
    const std::string byText = newUuid();
    auto text = rawIdva.push({rawIdva.op("feedback_form", byText, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                              rawIdva.op("feedback_form", byText, "kind", "at_conclusion"),
                              rawIdva.op("feedback_form", byText, "method", "text"),
                              rawIdva.op("feedback_form", byText, "at", "2026-11-23T11:00:00Z"),
                              rawIdva.op("feedback_form", byText, "by", "idva.f")});
    REQUIRE(text.rejected.size() == 5);  // the whole form, not a part of it
    CHECK(refusal(text, rawIdva.seq - 2).error == "unsafe_contact");
    CHECK_THAT(refusal(text, rawIdva.seq - 2).message,
               Catch::Contains("a feedback form must never be sent in a way that could alert the abuser. Text is unsafe "
                               "for this victim: the suspect may read the victim's messages."));
    // Handed over on a visit, which she said is unsafe: refused too; a call on a Saturday also.
    const std::string byVisit = newUuid();
    auto visit = rawIdva.push({rawIdva.op("feedback_form", byVisit, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                               rawIdva.op("feedback_form", byVisit, "kind", "after_charge"),
                               rawIdva.op("feedback_form", byVisit, "method", "visit"),
                               rawIdva.op("feedback_form", byVisit, "at", "2026-11-23T11:00:00Z")});
    CHECK(refusal(visit, rawIdva.seq - 1).error == "unsafe_contact");
    CHECK_THAT(refusal(visit, rawIdva.seq - 1).message, Catch::Contains("A visit is unsafe for this victim"));
    const std::string saturday = newUuid();
    auto call = rawIdva.push({rawIdva.op("feedback_form", saturday, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                              rawIdva.op("feedback_form", saturday, "kind", "after_charge"),
                              rawIdva.op("feedback_form", saturday, "method", "phone"),
                              rawIdva.op("feedback_form", saturday, "at", "2026-11-28T11:00:00Z")});
    CHECK(refusal(call, rawIdva.seq - 1).error == "unsafe_contact");
    CHECK_THAT(refusal(call, rawIdva.seq - 1).message, Catch::Contains("safe only between 10:00 and 15:00 on weekdays"));
    // A form that does not say which it is cannot be counted: refused.
    const std::string unnamed = newUuid();
    auto noKind = rawIdva.push({rawIdva.op("feedback_form", unnamed, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                rawIdva.op("feedback_form", unnamed, "method", "letter"),
                                rawIdva.op("feedback_form", unnamed, "at", "2026-11-23T11:00:00Z")});
    CHECK(refusal(noKind, rawIdva.seq).error == "rule_violation");
    CHECK_THAT(refusal(noKind, rawIdva.seq).message, Catch::Contains("needs which form it is"));

    // A form issued is never changed nor removed.
    auto rewrite = rawIdva.push({rawIdva.op("feedback_form", issued->id, "method", "email")});
    CHECK(refusal(rewrite, rawIdva.seq).error == "append_only");
    CHECK_THAT(refusal(rewrite, rawIdva.seq).message, Catch::Contains("only ever added to"));
    auto removal = rawIdva.push({rawIdva.op("feedback_form", issued->id, "@delete", true)});
    CHECK(refusal(removal, rawIdva.seq).error == "not_permitted");
    CHECK_THAT(refusal(removal, rawIdva.seq).message, Catch::Contains("a form issued is never removed"));
    // None of those reached the police.
    policePull();
    CHECK_FALSE(police.count({byText, "method"}));
    CHECK_FALSE(police.count({byVisit, "method"}));
    CHECK_FALSE(police.count({saturday, "method"}));
    CHECK_FALSE(police.count({unnamed, "method"}));
    CHECK(police[{issued->id, "method"}] == "letter");

    // Responses: counted, never more than the forms of that kind issued in the case.
    auto tooMany = rawIdva.push({rawIdva.op("victim_case", caseId, "feedback.responses.after_charge", 2),
                                 rawIdva.op("victim_case", caseId, "feedback.responses_by", "idva.f")});
    CHECK(refusal(tooMany, rawIdva.seq - 1).error == "rule_violation");
    CHECK_THAT(refusal(tooMany, rawIdva.seq - 1).message, Catch::Contains("2 responses to the \"after charge\" form, but it "
                                                                          "was issued once in this case"));
    auto noneIssued = rawIdva.push({rawIdva.op("victim_case", caseId, "feedback.responses.at_conclusion", 1)});
    CHECK(refusal(noneIssued, rawIdva.seq).error == "rule_violation");
    REQUIRE(cases.setFeedbackResponses(idva.actor, key, FeedbackFormKind::AfterCharge, 1).ok());
    CHECK(idva.sync().rejected == 0);
    policePull();
    CHECK(police[{caseId, "feedback.responses.after_charge"}] == 1);
    CHECK(police[{caseId, "feedback.responses_by"}] == "idva.f");

    // In one's own name only; and the officer who wrote the 124D does not issue forms.
    const std::string forged = newUuid();
    auto asOther = rawIdva.push({rawIdva.op("feedback_form", forged, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                                 rawIdva.op("feedback_form", forged, "kind", "after_charge"),
                                 rawIdva.op("feedback_form", forged, "method", "letter"),
                                 rawIdva.op("feedback_form", forged, "at", "2026-11-24T11:00:00Z"),
                                 rawIdva.op("feedback_form", forged, "by", "ds.e")});
    CHECK(refusal(asOther, rawIdva.seq).error == "attribution_mismatch");
    const std::string byOfficer = newUuid();
    auto officerForm = a.push({a.op("feedback_form", byOfficer, "@create", {{"incident", d.incident}, {"parent", caseId}}),
                               a.op("feedback_form", byOfficer, "kind", "after_charge")});
    CHECK(refusal(officerForm, a.seq - 1).error == "not_permitted");
    CHECK_THAT(refusal(officerForm, a.seq - 1).message, Catch::Contains("records a feedback form issued to the victim"));

    // Another victim on the same 124D, with a case a supervisor opened: not the IDVA's to send
    // a form to, even by a safe method.
    RawDevice supervisor(w.client, w.server, "ds.e");
    const std::string other = newUuid(), otherCase = newUuid();
    REQUIRE(a.push({a.op("person", other, "@create", {{"incident", d.incident}}), a.op("person", other, "role", "victim"),
                    a.op("person", other, "person.name", "Another Invented Person")})
                .rejected.empty());
    REQUIRE(supervisor.push({supervisor.op("victim_case", otherCase, "@create", {{"incident", d.incident}, {"parent", other}}),
                             supervisor.op("victim_case", otherCase, "status", "referred")})
                .rejected.empty());
    const std::string notHers = newUuid();
    auto toOther = rawIdva.push({rawIdva.op("feedback_form", notHers, "@create", {{"incident", d.incident}, {"parent", otherCase}}),
                                 rawIdva.op("feedback_form", notHers, "kind", "after_charge"),
                                 rawIdva.op("feedback_form", notHers, "method", "at_agency"),
                                 rawIdva.op("feedback_form", notHers, "at", "2026-11-24T11:00:00Z")});
    CHECK(refusal(toOther, rawIdva.seq - 2).error == "not_referred");
}
