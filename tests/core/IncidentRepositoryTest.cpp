#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "core/common/Uuid.h"
#include "core/records/AttachmentRepository.h"
#include "core/records/IncidentRepository.h"
#include "tests/support/Check.h"
#include "tests/support/FileScan.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

namespace {

Incident fixtureIncident()
{
    const auto text = readFile(std::string(VIGIL_TEST_DATA_DIR) + "/records/full-incident.json");
    auto parsed = incidentFromJson(json::parse(text).at("incident"));
    REQUIRE(parsed.ok());
    return *parsed;
}

/// What the officer entered, with the ids the repository gave it.
Incident storedFixture(RecordsFixture& f, IncidentRepository& repo)
{
    Incident entered = fixtureIncident();
    auto created = repo.createDraft(f.officer, entered);
    REQUIRE_OK(created);
    Incident inc = *created;
    // Referrals name their victim by id, known once the victims are stored.
    inc.referrals[0].victimId = inc.victims[0].id;
    inc.referrals[1].victimId = inc.victims[0].id;
    REQUIRE_OK(repo.save(f.officer, inc));
    return inc;
}

}  // namespace

TEST_CASE("A full incident with two victims, children, RARA, referrals and a photo round-trips unchanged", "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    REQUIRE(inc.victims.size() == 2);
    CHECK_FALSE(inc.victims[0].id.empty());
    CHECK_FALSE(inc.victims[0].rara[1].id.empty());
    CHECK_FALSE(inc.children[1].id.empty());

    AttachmentRepository photos(*f.records);
    const std::vector<std::uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x07, 'J', 'F', 'I', 'F', 0x00,
                                            0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0x33, 0xFF, 0xD9};
    REQUIRE(photos.import(f.officer, inc.id, jpeg, "scene").ok());

    // Reopen the store as after a restart.
    f.records.reset();
    f.db.reset();
    auto db = f.store->unlock(kGoodPin);
    REQUIRE(db.ok());
    f.db = std::move(db).value();
    f.records = RecordStore::open(*f.db, f.time.clock()).value();
    IncidentRepository reopened(*f.records);
    auto back = reopened.load(f.officer, inc.id);
    REQUIRE_OK(back);
    CHECK(incidentToJson(*back).dump(2) == incidentToJson(inc).dump(2));
    CHECK(*back == inc);
    CHECK(AttachmentRepository(*f.records).list(inc.id).value().size() == 1);
}

TEST_CASE("A draft with invalid data saves and reloads exactly as typed", "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident draft;
    draft.date = "23/11/26 about 2am";     // not ISO: the rules complain at submission, not now
    draft.refs.cris = "not-a-cris-number";
    draft.children.push_back(Child{"(name not given)", -3, true, false, {}});
    Victim v;
    v.person.dateOfBirth = "31/02/1990";
    v.dash.modelId = "dash-2009";
    v.dash.answers["q99"] = Answer{AnswerValue::NotAsked, "", "", "", {}};  // unknown question, no reason
    draft.victims.push_back(v);
    auto created = repo.createDraft(f.officer, draft);
    REQUIRE_OK(created);
    auto back = repo.load(f.officer, created->id);
    REQUIRE_OK(back);
    CHECK(*back == *created);
    CHECK(back->children[0].age == -3);
}

TEST_CASE("Saving again writes only the fields that changed", "[records][incident][outbox]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    const auto before = f.records->pendingOps(100000).value().size();
    REQUIRE_OK(repo.save(f.officer, inc));
    CHECK(f.records->pendingOps(100000).value().size() == before);  // nothing changed: no op, no audit

    inc.victims[1].dash.answers["q3"] = Answer{AnswerValue::Yes, "afraid of being killed", "", "", {}};
    inc.refs.crimint = "CI/776";
    REQUIRE_OK(repo.save(f.officer, inc));
    auto ops = f.records->pendingOps(100000).value();
    std::vector<std::string> added;
    for (std::size_t i = before; i < ops.size(); ++i)
        if (ops[i].field != kFieldAppend)
            added.push_back(ops[i].entity + ":" + ops[i].field);
    CHECK(added == std::vector<std::string>{"incident:refs.crimint", "answer:@create", "answer:answer", "answer:note",
                                            "answer:question"});
}

TEST_CASE("Autosaving one answer writes one row and reloads into the right victim", "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    REQUIRE(repo.saveAnswer(f.officer, inc.id, inc.victims[1].id, "q18",
                            Answer{AnswerValue::Yes, "strangled last week", "", "", {}}).ok());
    REQUIRE(repo.saveAnswer(f.officer, inc.id, inc.victims[1].id, "q2", Answer{AnswerValue::Yes, "", "", "", {}}).ok());
    REQUIRE(repo.clearAnswer(f.officer, inc.id, inc.victims[0].id, "q14").ok());
    auto back = repo.load(f.officer, inc.id).value();
    CHECK(back.victims[1].dash.answers.at("q18").note == "strangled last week");
    CHECK(back.victims[1].dash.answers.at("q2").value == AnswerValue::Yes);
    CHECK(back.victims[0].dash.answers.count("q14") == 0);
    CHECK(back.victims[0].dash.answers.count("q1") == 1);
}

TEST_CASE("Removing a victim removes their answers and plan from the record", "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    inc.victims.erase(inc.victims.begin() + 1);
    inc.children.pop_back();
    REQUIRE_OK(repo.save(f.officer, inc));
    auto back = repo.load(f.officer, inc.id).value();
    CHECK(back == inc);
    CHECK(f.records->rowsOfIncident(Entity::Answer, inc.id).value().size() == 5);
}

TEST_CASE("Opening a record is audited as a consultation", "[records][incident][audit]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    REQUIRE_OK(repo.load({"sup-7", "quality assurance"}, inc.id));
    auto entries = f.records->auditLog().forRecord(inc.id).value();
    CHECK(entries.back().action == AuditAction::Consultation);
    CHECK(entries.back().actor == "sup-7");
    CHECK(entries.back().justification == "quality assurance");
}

TEST_CASE("The home list shows initials, the highest grade, state and unsent changes", "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    REQUIRE(repo.transition(f.officer, inc.id, LifecycleState::Submitted, "submit", "").ok());
    auto list = repo.list().value();
    REQUIRE(list.size() == 1);
    CHECK(list[0].victimInitials == std::vector<std::string>{"DOH", "AH"});
    CHECK(list[0].grade == StandingGrade{RiskGrade::High, false});
    CHECK(list[0].state == LifecycleState::Submitted);
    CHECK(list[0].unsentChanges > 40);
    auto ops = f.records->pendingOps(100000).value();
    REQUIRE(f.records->acknowledge(ops.back().seq).ok());
    CHECK(repo.list().value()[0].unsentChanges == 0);
}

TEST_CASE("A victim's history on the device finds earlier incidents of the same person only", "[records][history]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    const auto make = [&](const std::string& name, const std::string& dob, const std::string& date, bool refer) {
        Incident i;
        i.date = date;
        Victim v;
        v.person.name = name;
        v.person.dateOfBirth = dob;
        v.marac.decision = refer ? MaracDecisionKind::Refer : MaracDecisionKind::Undecided;
        i.victims.push_back(v);
        auto c = repo.createDraft(f.officer, i);
        REQUIRE(c.ok());
        return *c;
    };
    make("Delphine Okonkwo-Hart", "1979-04-02", "2026-03-01", true);
    make("delphine okonkwo hart", "1979-04-02", "2025-12-24", false);  // same person, typed differently
    make("Delphine Okonkwo-Hart", "1980-04-02", "2026-05-05", false);  // different date of birth
    make("Delphine Okonkwo-Harte", "1979-04-02", "2026-06-06", false); // a different spelling: never merged
    Incident now = make("Delphine Okonkwo-Hart", "1979-04-02", "2026-11-23", false);

    HistorySource source;
    source.description = "this device";
    auto h = repo.historyFor(now, 0, source);
    REQUIRE(h.ok());
    CHECK(h->incidents.size() == 2);
    CHECK(h->maracReferrals.size() == 1);
    CHECK(h->source.description == "this device");
}

TEST_CASE("A returned 124D lists the supervisor's notes, and they stay out of the incident itself", "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident inc = storedFixture(f, repo);
    const Actor supervisor{"sgt-1907", "quality assurance"};
    REQUIRE_OK(repo.transition(f.officer, inc.id, LifecycleState::Submitted, "submit", ""));
    REQUIRE_OK(repo.transition(supervisor, inc.id, LifecycleState::Returned, "return",
                               "Add the MERLIN PAC reference for the children"));
    auto list = repo.list();
    REQUIRE_OK(list);
    REQUIRE(list->size() == 1);
    CHECK(list->front().state == LifecycleState::Returned);
    CHECK(list->front().lastCommand == "return");
    CHECK(list->front().lastCommandBy == "sgt-1907");
    CHECK(list->front().lastCommandNote == "Add the MERLIN PAC reference for the children");

    auto back = repo.read(inc.id);
    REQUIRE_OK(back);
    inc.state = LifecycleState::Returned;
    CHECK(incidentToJson(*back).dump(2) == incidentToJson(inc).dump(2));
}

TEST_CASE("The count of unsent 124Ds counts incidents, not changes, and drops when the server has them", "[records][incident][outbox]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    CHECK(repo.unsentIncidentCount().value() == 0);
    Incident first = storedFixture(f, repo);  // many rows and changes, one incident
    CHECK(repo.unsentIncidentCount().value() == 1);
    Incident second;
    second.date = "2026-11-20";
    REQUIRE_OK(repo.createDraft(f.officer, second));
    CHECK(repo.unsentIncidentCount().value() == 2);
    REQUIRE_OK(f.records->acknowledge(1000000000));  // the server accepted everything
    CHECK(repo.unsentIncidentCount().value() == 0);
    Answer yes;
    yes.value = AnswerValue::Yes;
    REQUIRE_OK(repo.saveAnswer(f.officer, first.id, first.victims[0].id, "q1", yes));
    CHECK(repo.unsentIncidentCount().value() == 1);
}

TEST_CASE("A push batch never ends part-way through one incident's ops when more of them wait", "[records][sync]")
{
    // The server checks the rules on each batch as the record then stands: a victim's grade in
    // one batch and the answers it rests on in the next made it refuse a valid grade.
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    const Incident first = storedFixture(f, repo);
    const auto afterFirst = f.records->pendingOps(100000).value().size();
    const Incident second = storedFixture(f, repo);
    const auto all = f.records->pendingOps(100000).value();
    REQUIRE(all.size() > afterFirst + 10);

    // A limit that would cut the second incident's ops in two ends the batch before them.
    const std::size_t limit = afterFirst + 5;
    auto batch = f.records->pushBatch(limit);
    REQUIRE_OK(batch);
    CHECK(batch->size() == afterFirst);  // the first incident's ops, none of the second's
    CHECK(batch->back().seq == all[afterFirst - 1].seq);
    auto tail = f.records->pushBatch(all.size());
    REQUIRE_OK(tail);
    CHECK(tail->size() == all.size());  // everything fits: nothing held back

    // Whatever the limit, the ops held back by one batch are exactly the next batch's start,
    // and every op goes exactly once (the engine acknowledges batch by batch).
    for (std::size_t l : {std::size_t{1}, std::size_t{7}, limit, all.size() - 1}) {
        auto b = f.records->pushBatch(l);
        REQUIRE_OK(b);
        REQUIRE_FALSE(b->empty());
        CHECK(b->size() <= l);
        for (std::size_t i = 0; i < b->size(); ++i)
            CHECK((*b)[i].seq == all[i].seq);
    }
    (void)first;
    (void)second;
}

TEST_CASE("Saving a 124D writes only what changed: a flag the device does not hold yet is not sent as false",
          "[records][incident]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    // A 124D as a device holds it part-way through a pull: its creation and one field, none of
    // its flags (the restriction may be on its way).
    const std::string id = newUuid();
    Op create{newUuid(), "other-device", 1, "incident", id, "@create", {{"owner", "pc.a"}, {"team", "north"}, {"borough", "camden"}}, std::nullopt, 1u << 16};
    Op cad{newUuid(), "other-device", 2, "incident", id, "refs.cad", "1234/12MAR10", std::nullopt, 2u << 16};
    REQUIRE_OK(f.records->applyPulled({create, cad}, "2"));
    auto held = repo.read(id);
    REQUIRE_OK(held);
    CHECK_FALSE(held->flags.policeStaffInvolved);  // read as false, not held

    Incident edited = *held;
    edited.location = "Invented Street";
    REQUIRE_OK(repo.save(f.officer, edited));
    auto ops = f.records->pendingOps(1000);
    REQUIRE_OK(ops);
    std::set<std::string> written;
    for (const Op& op : *ops)
        if (op.entity == "incident")
            written.insert(op.field);
    CHECK(written.count("incident.location") == 1);
    CHECK(written.count("flags.police_staff_involved") == 0);
    CHECK(written.count("access_list") == 0);
    CHECK(written.count("counter_allegation.present") == 0);

    // A flag the user does change is written, of course.
    edited.flags.hbv = true;
    REQUIRE_OK(repo.save(f.officer, edited));
    auto after = f.records->pendingOps(1000);
    REQUIRE_OK(after);
    CHECK(std::any_of(after->begin(), after->end(), [](const Op& op) { return op.field == "flags.hbv" && op.value == true; }));
}
