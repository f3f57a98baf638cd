// Concurrent edits through a real vigil-server (issue 6, test 2): the same answer changed on
// two devices from the same base, different answers of one assessment, and a lifecycle
// command racing an edit. Every conflict is recorded, with both values, who and when, on every
// device that holds both writes (the supervisor's included); no write is silently lost; a
// supervisor's resolution travels as an op and settles the conflict everywhere.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

struct Team {
    ServerProcess server;
    SyncClient client;
    Team()
    {
        server.addUser("pc.a", "officer", "north", "camden");
        server.addUser("pc.b", "officer", "north", "camden");
        server.addUser("ds.s", "supervisor", "north", "camden");
    }
};

Answer answerOf(AnswerValue value, const std::string& note = {})
{
    Answer a;
    a.value = value;
    a.note = note;
    return a;
}

/// The outbox op that wrote `field` of record `id` (the newest one).
Op pendingWrite(RecordStore& store, const std::string& id, const std::string& field)
{
    auto ops = store.pendingOps(100000);
    REQUIRE(ops.ok());
    std::optional<Op> found;
    for (const auto& op : *ops) {
        if (op.id == id && op.field == field)
            found = op;
    }
    REQUIRE(found);
    return *found;
}

std::vector<Conflict> conflictsOf(RecordStore& store, bool includeResolved = false)
{
    auto list = store.conflicts({}, includeResolved);
    REQUIRE(list.ok());
    return *list;
}

std::string answerText(RecordStore& store, const std::string& answerRowId)
{
    auto row = store.get(Entity::Answer, answerRowId);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    return (*row)->field("answer").get<std::string>();
}

}  // namespace

TEST_CASE("The same answer changed on two devices keeps both values, shows the greater (hlc, origin) everywhere, "
          "and a supervisor's choice settles it on every device",
          "[sync][conflict]")
{
    Team t;
    // The owner and a supervisor may both write a draft (the authority policy); a team-mate may not.
    Handset a(t.client, t.server, "pc.a");
    Handset b(t.client, t.server, "ds.s");
    Handset s(t.client, t.server, "ds.s");  // the supervisor's desktop
    const std::string id = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    auto incident = a.repo().read(id);
    REQUIRE(incident.ok());
    const std::string victim = incident->victims.at(0).id;
    REQUIRE(a.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q1", answerOf(AnswerValue::Yes)).ok());
    a.sync();
    b.sync();
    s.sync();
    const std::string row = IncidentRepository::answerId(victim, "q1");
    REQUIRE(answerText(b.records(), row) == "yes");

    // The officer and the supervisor change the answer offline, from the same base.
    REQUIRE(a.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q1", answerOf(AnswerValue::No)).ok());
    REQUIRE(b.repo().saveAnswer(Actor{"ds.s"}, id, victim, "q1", answerOf(AnswerValue::DontKnow)).ok());
    const Op fromA = pendingWrite(a.records(), row, "answer");
    const Op fromB = pendingWrite(b.records(), row, "answer");
    REQUIRE(fromA.base == fromB.base);
    const bool aWins = fromA.hlc != fromB.hlc ? fromA.hlc > fromB.hlc : fromA.device > fromB.device;
    const Op& winner = aWins ? fromA : fromB;
    const Op& loser = aWins ? fromB : fromA;

    a.sync();
    b.sync();
    a.sync();
    s.sync();

    for (Handset* device : {&a, &b, &s}) {
        INFO("device of " << device->actor.userId);
        // The same value is shown everywhere: the greater (hlc, origin).
        CHECK(answerText(device->records(), row) == winner.value.get<std::string>());
        auto conflicts = conflictsOf(device->records());
        REQUIRE(conflicts.size() == 1);
        const Conflict& c = conflicts.front();
        CHECK(c.kind == ConflictKind::Field);
        CHECK(c.entity == Entity::Answer);
        CHECK(c.recordId == row);
        CHECK(c.incidentId == id);
        CHECK(c.field == "answer");
        // Both values, who and when.
        CHECK(c.keptValue == winner.value);
        CHECK(c.kept == FieldStamp{winner.hlc, winner.device});
        CHECK(c.keptBy == (aWins ? "pc.a" : "ds.s"));
        CHECK(c.lostValue == loser.value);
        CHECK(c.lost == FieldStamp{loser.hlc, loser.device});
        CHECK(c.lostBy == (aWins ? "ds.s" : "pc.a"));
        CHECK_THAT(c.keptAt, Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
        CHECK_THAT(c.lostAt, Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
        CHECK_FALSE(c.detectedAt.empty());
        CHECK(c.resolvedAt.empty());
    }
    // Nothing refused, nothing waiting: no write lost.
    for (Handset* device : {&a, &b}) {
        auto refused = device->records().rejectedOps();
        REQUIRE(refused.ok());
        CHECK(refused->empty());
        auto waiting = device->records().pendingCount();
        REQUIRE(waiting.ok());
        CHECK(*waiting == 0);
    }

    // The supervisor chooses the value that is not shown: it becomes a new change that wins.
    const auto onS = conflictsOf(s.records());
    REQUIRE(s.records().resolveConflict(Actor{"ds.s"}, onS.front().id, ConflictChoice::UseOther).ok());
    CHECK(answerText(s.records(), row) == loser.value.get<std::string>());
    CHECK(conflictsOf(s.records()).empty());
    // Resolving twice is refused in words.
    auto again = s.records().resolveConflict(Actor{"ds.s"}, onS.front().id, ConflictChoice::KeepShown);
    REQUIRE_FALSE(again.ok());
    CHECK_THAT(again.error().message, Catch::Contains("already resolved by ds.s"));
    s.sync();
    a.sync();
    b.sync();
    for (Handset* device : {&a, &b, &s}) {
        INFO("device of " << device->actor.userId);
        CHECK(answerText(device->records(), row) == loser.value.get<std::string>());
        CHECK(conflictsOf(device->records()).empty());  // no new conflict: the choice was made on the winner
        auto all = conflictsOf(device->records(), true);
        REQUIRE(all.size() == 1);
        CHECK(all.front().resolvedBy == "ds.s");
        CHECK_FALSE(all.front().resolvedAt.empty());
        CHECK(all.front().resolution == loser.value);
    }
}

TEST_CASE("Different answers of one assessment changed on two devices merge without a conflict", "[sync][conflict]")
{
    Team t;
    Handset a(t.client, t.server, "pc.a");
    Handset b(t.client, t.server, "pc.a");  // the owner's second device
    Handset s(t.client, t.server, "ds.s");
    const std::string id = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    const std::string victim = a.repo().read(id)->victims.at(0).id;
    REQUIRE(a.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q1", answerOf(AnswerValue::Yes)).ok());
    a.sync();
    b.sync();

    REQUIRE(a.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q2", answerOf(AnswerValue::Yes, "said at the door")).ok());
    REQUIRE(a.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q1", answerOf(AnswerValue::No)).ok());
    REQUIRE(b.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q3", answerOf(AnswerValue::DontKnow)).ok());
    REQUIRE(b.repo().saveAnswer(Actor{"pc.a"}, id, victim, "q4", answerOf(AnswerValue::Yes)).ok());
    a.sync();
    b.sync();
    a.sync();
    s.sync();
    for (Handset* device : {&a, &b, &s}) {
        INFO("device of " << device->actor.userId);
        CHECK(conflictsOf(device->records(), true).empty());
        auto merged = device->repo().read(id);
        REQUIRE(merged.ok());
        const auto& answers = merged->victims.at(0).dash.answers;
        REQUIRE(answers.size() == 4);
        CHECK(answers.at("q1").value == AnswerValue::No);
        CHECK(answers.at("q2").value == AnswerValue::Yes);
        CHECK(answers.at("q2").note == "said at the door");
        CHECK(answers.at("q3").value == AnswerValue::DontKnow);
        CHECK(answers.at("q4").value == AnswerValue::Yes);
    }
}

TEST_CASE("A lifecycle command racing an edit: an edit the state still allowed stands beside the command and the "
          "race is recorded on every device, and one the command had already closed is refused and kept",
          "[sync][conflict][lifecycle]")
{
    const bool editFirst = GENERATE(true, false);
    INFO((editFirst ? "the edit reaches the server first" : "the command reaches the server first"));
    Team t;
    Handset a(t.client, t.server, "pc.a");
    Handset a2(t.client, t.server, "pc.a");  // the officer's second device, offline
    Handset b(t.client, t.server, "pc.b");   // a team-mate, who reads
    Handset s(t.client, t.server, "ds.s");

    IncidentRepository repoA = a.repo();
    test::makeSubmittedDemo(repoA, a.records(), 6);
    auto list = repoA.list(100);
    REQUIRE(list.ok());
    auto submitted = std::find_if(list->begin(), list->end(),
                                  [](const IncidentSummary& i) { return i.state == LifecycleState::Submitted; });
    REQUIRE(submitted != list->end());
    const std::string id = submitted->id;
    a.sync();
    // The supervisor returns it with notes; both of the officer's devices see it returned.
    s.sync();
    REQUIRE(s.repo().transition(Actor{"ds.s"}, id, LifecycleState::Returned, "return", "Check the CRIMINT link").ok());
    s.sync();
    a.sync();
    a2.sync();
    b.sync();
    REQUIRE(a2.repo().read(id)->state == LifecycleState::Returned);

    // Offline: the officer resubmits on the tablet; on the second device, not having seen
    // that, changes the CRIMINT reference of the returned 124D.
    REQUIRE(repoA.transition(Actor{"pc.a"}, id, LifecycleState::Submitted, "resubmit", "").ok());
    IncidentRepository repoA2 = a2.repo();
    auto edited = repoA2.read(id);
    REQUIRE(edited.ok());
    edited->refs.crimint = "77031123";
    REQUIRE(repoA2.save(Actor{"pc.a"}, *edited).ok());

    if (editFirst) {
        a2.sync();
        a.sync();
    } else {
        a.sync();
        a2.sync();
    }
    a.sync();
    a2.sync();  // finds the race when the command reaches it, and reports it
    a.sync();   // the commander learns it from that report
    s.sync();
    b.sync();

    for (Handset* device : {&a, &b, &s}) {
        INFO("device " << device->deviceId);
        auto copy = device->repo().read(id);
        REQUIRE(copy.ok());
        CHECK(copy->state == LifecycleState::Submitted);  // the resubmission stands
        if (!editFirst) {
            // The edit came after the 124D had been resubmitted: refused, so it is not anywhere.
            CHECK(copy->refs.crimint != "77031123");
            CHECK(conflictsOf(device->records()).empty());
            continue;
        }
        // No write silently lost: the edit and the command both stand everywhere.
        CHECK(copy->refs.crimint == "77031123");
        // The race is recorded once, with the edit (who, when, value) and the whole command.
        auto conflicts = conflictsOf(device->records());
        REQUIRE(conflicts.size() == 1);
        const Conflict& c = conflicts.front();
        CHECK(c.kind == ConflictKind::Command);
        CHECK(c.entity == Entity::Incident);
        CHECK(c.recordId == id);
        CHECK(c.incidentId == id);
        CHECK(c.field == "refs.crimint");
        CHECK(c.keptValue == "77031123");
        CHECK(c.keptBy == "pc.a");
        CHECK(c.lostBy == "pc.a");
        CHECK(c.lostValue.value("command", "") == "resubmit");
        CHECK(c.lostValue.value("state", "") == "submitted");
        CHECK_FALSE(c.lostValue.contains("seen"));
        CHECK_FALSE(c.keptAt.empty());
        CHECK_FALSE(c.lostAt.empty());
    }
    auto refusedOnA2 = a2.records().rejectedOps();
    REQUIRE(refusedOnA2.ok());
    if (editFirst) {
        CHECK(refusedOnA2->empty());
    } else {
        // Kept on the device that made it, with words that say why and what to do.
        REQUIRE(refusedOnA2->size() == 1);
        CHECK(refusedOnA2->front().first.field == "refs.crimint");
        CHECK_THAT(refusedOnA2->front().second, Catch::Contains("which is submitted"));
        CHECK_THAT(refusedOnA2->front().second, Catch::Contains("Ask a supervisor to return it"));
        return;
    }

    // Only the shown values can stand for a race; choosing "the other" is refused in words.
    const auto onS = conflictsOf(s.records());
    auto other = s.records().resolveConflict(Actor{"ds.s"}, onS.front().id, ConflictChoice::UseOther);
    REQUIRE_FALSE(other.ok());
    CHECK_THAT(other.error().message, Catch::Contains("Mark it reviewed"));
    REQUIRE(s.records().resolveConflict(Actor{"ds.s"}, onS.front().id, ConflictChoice::KeepShown).ok());
    s.sync();
    a.sync();
    b.sync();
    for (Handset* device : {&a, &b, &s}) {
        INFO("device " << device->deviceId);
        CHECK(conflictsOf(device->records()).empty());
        CHECK(conflictsOf(device->records(), true).size() == 1);
    }
}

TEST_CASE("Only a supervisor can mark a conflict resolved: an officer's resolution is refused by the server and kept",
          "[sync][conflict]")
{
    Team t;
    Handset a(t.client, t.server, "pc.a");
    Handset b(t.client, t.server, "pc.a");  // the owner's second device
    const std::string id = makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    a.sync();
    b.sync();
    auto onA = a.repo().read(id);
    auto onB = b.repo().read(id);
    REQUIRE(onA.ok());
    REQUIRE(onB.ok());
    onA->refs.cad = "CAD-1111-23NOV26";
    onB->refs.cad = "CAD-2222-23NOV26";
    REQUIRE(a.repo().save(Actor{"pc.a"}, *onA).ok());
    REQUIRE(b.repo().save(Actor{"pc.a"}, *onB).ok());
    a.sync();
    b.sync();
    auto conflicts = conflictsOf(b.records());
    REQUIRE(conflicts.size() == 1);
    REQUIRE(b.records().resolveConflict(Actor{"pc.a"}, conflicts.front().id, ConflictChoice::KeepShown).ok());
    b.sync();
    auto refused = b.records().rejectedOps();
    REQUIRE(refused.ok());
    REQUIRE(refused->size() == 1);
    CHECK(refused->front().first.field == "@resolve");
    CHECK_THAT(refused->front().second, Catch::Contains("only a supervisor can mark a conflict resolved"));
    a.sync();
    CHECK(conflictsOf(a.records()).size() == 1);  // still open for a supervisor
}
