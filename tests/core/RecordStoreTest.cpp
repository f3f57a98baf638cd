#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "core/common/Uuid.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

namespace {

std::vector<Op> recordOps(RecordStore& rs)
{
    auto ops = rs.pendingOps(10000);
    REQUIRE(ops.ok());
    std::vector<Op> out;
    for (auto& op : *ops)
        if (op.field != kFieldAppend)
            out.push_back(op);
    return out;
}

}  // namespace

TEST_CASE("Creating a record appends exactly its create op and one op per field", "[records][outbox]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", {{"owner", "officer-1042"}, {"team", "HK-CSU"}},
                              {{"refs.cad", "CAD 1234/23NOV26"}, {"incident.location", "Mare Street"}}).ok());
    const auto ops = recordOps(*f.records);
    REQUIRE(ops.size() == 3);
    CHECK(ops[0].field == "@create");
    CHECK(ops[0].value == json({{"owner", "officer-1042"}, {"team", "HK-CSU"}}));
    // Fields in the JSON object's (sorted) order; every op names this device and the record.
    CHECK(ops[1].field == "incident.location");
    CHECK(ops[2].field == "refs.cad");
    CHECK(ops[2].value == "CAD 1234/23NOV26");
    for (const auto& op : ops) {
        CHECK(op.device == f.records->deviceId());
        CHECK(op.entity == "incident");
        CHECK(op.id == id);
        CHECK_FALSE(op.base.has_value());
        CHECK(isTimeOrderedUuid(op.opId));
    }
    // Op ids are time-ordered: later ones sort after earlier ones, so the server's index of
    // them grows at its end (docs/sync-protocol.md).
    CHECK(ops[0].opId < ops[1].opId);
    CHECK(ops[1].opId < ops[2].opId);
    CHECK(ops[0].hlc < ops[1].hlc);
    CHECK(ops[1].hlc < ops[2].hlc);
    CHECK(ops[0].seq < ops[1].seq);
}

TEST_CASE("Writing a field records the previous stamp as the op's base, an unchanged value writes nothing", "[records][outbox]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"refs.cris", "0101"}}).ok());
    const auto firstHlc = f.records->get(Entity::Incident, id).value()->stamps.at("refs.cris").hlc;
    const auto before = f.records->pendingCount().value();

    REQUIRE(f.records->write(f.officer, Entity::Incident, id, {{"refs.cris", "0101"}}).ok());
    CHECK(f.records->pendingCount().value() == before);  // no op, no audit entry

    REQUIRE(f.records->write(f.officer, Entity::Incident, id, {{"refs.cris", "0102"}}).ok());
    const auto ops = recordOps(*f.records);
    REQUIRE(ops.back().field == "refs.cris");
    CHECK(ops.back().value == "0102");
    REQUIRE(ops.back().base.has_value());
    CHECK(*ops.back().base == firstHlc);
    CHECK(f.records->get(Entity::Incident, id).value()->field("refs.cris") == "0102");
}

TEST_CASE("A failed write leaves neither the change nor its op", "[records][outbox]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"refs.cris", "0101"}}).ok());
    const auto before = f.records->pendingCount().value();
    Status s = f.records->transaction([&]() -> Status {
        VIGIL_TRY(f.records->write(f.officer, Entity::Incident, id, {{"refs.cris", "0999"}}));
        return makeError(ErrorCode::Validation, "simulated failure after the write");
    });
    CHECK_FALSE(s.ok());
    CHECK(f.records->pendingCount().value() == before);
    CHECK(f.records->get(Entity::Incident, id).value()->field("refs.cris") == "0101");
}

TEST_CASE("Acknowledged ops leave the outbox and sequence numbers keep rising", "[records][outbox]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"a", 1}}).ok());
    auto ops = f.records->pendingOps(100).value();
    REQUIRE(f.records->acknowledge(ops.back().seq).ok());
    CHECK(f.records->pendingCount().value() == 0);
    REQUIRE(f.records->write(f.officer, Entity::Incident, id, {{"a", 2}}).ok());
    CHECK(f.records->pendingOps(100).value().front().seq > ops.back().seq);
}

TEST_CASE("Pulled ops merge last-writer-wins per field and are idempotent", "[records][pull]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    const HlcStamp t = HlcStamp{1} << 40;
    std::vector<Op> page = {
        {newUuid(), "device-B", 1, "incident", id, "@create", json({{"owner", "officer-7"}}), std::nullopt, t},
        {newUuid(), "device-B", 2, "incident", id, "refs.cad", "CAD 9", std::nullopt, t + 1, ""},
        {newUuid(), "device-B", 3, "incident", id, "state", "submitted", std::nullopt, t + 2, ""},
    };
    REQUIRE(f.records->applyPulled(page, "cursor-3").ok());
    auto row = f.records->get(Entity::Incident, id).value();
    REQUIRE(row.has_value());
    CHECK(row->field("refs.cad") == "CAD 9");
    CHECK(row->origin == "device-B");
    CHECK(f.records->syncCursor().value() == "cursor-3");
    const std::string before = row->fields.dump() + json(row->stamps.size()).dump();

    REQUIRE(f.records->applyPulled(page, "cursor-3").ok());  // the same page again
    auto again = f.records->get(Entity::Incident, id).value();
    CHECK(again->fields.dump() + json(again->stamps.size()).dump() == before);
    CHECK(f.records->conflicts().value().empty());
    CHECK(f.records->pendingCount().value() == 0);  // pulling writes nothing to send back

    // An older write from elsewhere loses to the newer value already held.
    REQUIRE(f.records->applyPulled({{newUuid(), "device-C", 1, "incident", id, "refs.cad", "CAD old", t + 1, t, ""}}, "c4").ok());
    CHECK(f.records->get(Entity::Incident, id).value()->field("refs.cad") == "CAD 9");
}

TEST_CASE("The same field changed on two devices from one base keeps both values as a conflict", "[records][conflict]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"refs.cris", "0101"}}).ok());
    const auto base = f.records->get(Entity::Incident, id).value()->stamps.at("refs.cris").hlc;
    f.time.advance(std::chrono::seconds(5));
    REQUIRE(f.records->write(f.officer, Entity::Incident, id, {{"refs.cris", "0102-local"}}).ok());
    const auto localHlc = f.records->get(Entity::Incident, id).value()->stamps.at("refs.cris").hlc;

    // Device B also edited from the same base, later than us: B wins, ours is kept.
    REQUIRE(f.records->applyPulled({{newUuid(), "device-B", 9, "incident", id, "refs.cris", "0103-remote", base,
                                     localHlc + 10}},
                                   "c1").ok());
    CHECK(f.records->get(Entity::Incident, id).value()->field("refs.cris") == "0103-remote");
    auto conflicts = f.records->conflicts(id).value();
    REQUIRE(conflicts.size() == 1);
    CHECK(conflicts[0].field == "refs.cris");
    CHECK(conflicts[0].winner == "remote");
    CHECK(conflicts[0].keptValue == "0103-remote");
    CHECK(conflicts[0].lostValue == "0102-local");
    CHECK(conflicts[0].lost.origin == f.records->deviceId());

    // A write that had seen our value (base = our stamp) is not a conflict.
    const auto nowStamp = f.records->get(Entity::Incident, id).value()->stamps.at("refs.cris").hlc;
    REQUIRE(f.records->applyPulled({{newUuid(), "device-C", 1, "incident", id, "refs.cris", "0104", nowStamp,
                                     nowStamp + 1}},
                                   "c2").ok());
    CHECK(f.records->conflicts(id).value().size() == 1);
}

TEST_CASE("Different answers of one assessment edited on two devices merge without conflict", "[records][conflict]")
{
    RecordsFixture f;
    const std::string incident = newUuid();
    const std::string victim = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, incident, incident, "", json::object(), json::object()).ok());
    const std::string q1 = deterministicId(victim + "/dash/q1");
    const std::string q2 = deterministicId(victim + "/dash/q2");
    CHECK(q1 == deterministicId(victim + "/dash/q1"));  // the same id on every device
    REQUIRE(f.records->upsert(f.officer, Entity::Answer, q1, incident, victim, {{"incident", incident}}, {{"answer", "yes"}}).ok());
    const HlcStamp t = f.records->get(Entity::Answer, q1).value()->stamps.at("answer").hlc;
    REQUIRE(f.records->applyPulled({{newUuid(), "device-B", 1, "answer", q2, "@create", json({{"incident", incident}, {"parent", victim}}), std::nullopt, t + 1},
                                    {newUuid(), "device-B", 2, "answer", q2, "answer", "no", std::nullopt, t + 2, ""}},
                                   "c").ok());
    CHECK(f.records->rowsOfIncident(Entity::Answer, incident).value().size() == 2);
    CHECK(f.records->conflicts().value().empty());
}

TEST_CASE("Forgetting an incident removes it and all its parts from the device, and says so in the audit", "[records]")
{
    RecordsFixture f;
    const std::string incident = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, incident, incident, "", json::object(), {{"a", 1}}).ok());
    const std::string person = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Person, person, incident, "", {{"incident", incident}}, {{"person.name", "X"}}).ok());
    REQUIRE(f.records->forgetIncident(f.officer, incident, "left this user's scope").ok());
    CHECK_FALSE(f.records->get(Entity::Incident, incident).value().has_value());
    CHECK_FALSE(f.records->get(Entity::Person, person).value().has_value());
    auto entries = f.records->auditLog().forRecord(incident).value();
    REQUIRE_FALSE(entries.empty());
    CHECK(entries.back().action == AuditAction::Erasure);
    CHECK(entries.back().detail == "removed from this device: left this user's scope");
}

TEST_CASE("An op the server refuses is kept with its reason and no longer holds back the outbox", "[records][outbox]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"grade", "standard"}}).ok());
    auto ops = f.records->pendingOps(100).value();
    const auto refused = std::find_if(ops.begin(), ops.end(), [](const Op& op) { return op.field == "grade"; });
    REQUIRE(refused != ops.end());
    const auto before = ops.size();
    REQUIRE(f.records->markRejected(refused->seq, "The grade may not be below the computed band (High).").ok());
    CHECK(f.records->pendingOps(100).value().size() == before - 1);
    auto kept = f.records->rejectedOps().value();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].first == *refused);
    CHECK(kept[0].second == "The grade may not be below the computed band (High).");
    CHECK(f.records->get(Entity::Incident, id).value()->field("grade") == "standard");  // the officer's value stays
}

TEST_CASE("Time-ordered ids carry the time they were made, and each sorts after the one made before it",
          "[records][outbox]")
{
    const auto nowMs = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    const auto start = nowMs();
    std::string last;
    for (int i = 0; i < 20000; ++i) {  // many within one millisecond
        std::string id = newTimeOrderedUuid();
        REQUIRE(isUuid(id));
        REQUIRE(isTimeOrderedUuid(id));
        REQUIRE(id > last);
        last = std::move(id);
    }
    const std::string first = newTimeOrderedUuid();
    const auto made = std::stoll(first.substr(0, 8) + first.substr(9, 4), nullptr, 16);
    CHECK(made >= start);
    CHECK(made <= nowMs() + 50);  // counting on within a millisecond may run ahead a little
    CHECK_FALSE(isTimeOrderedUuid(newUuid()));
    CHECK_FALSE(isTimeOrderedUuid("not-a-uuid"));
}
