// What police users receive of an IDVA's casework (issue 24, item 5; core/risk-models/
// sharing-police.json): of a contact an IDVA logs, that it happened and its outcome, never its
// notes or actions; of her safety-plan steps, that they exist and whether they are done, never
// their text. A real vigil-server on 127.0.0.1 and real devices: an officer's demo 124D,
// approved and allocated to an investigator of another team (the officer in the case), its
// victim referred to an IDVA who logs a contact on her laptop. The investigator's tablet starts
// from a snapshot; a supervisor pulls raw pages and a raw snapshot; the IDVA's second device and
// a police colleague receive what they always did.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/casework/WorkingDays.h"
#include "core/records/CaseRepository.h"
#include "sync/protocol/SnapshotCodec.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/sync/RawDevice.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::Handset;
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
        server.addUser("dc.h", "investigator", "psd", "camden");  // outside the 124D's team
    }
};

/// A raw device's op stamped now (RawDevice stamps in 2023, before the demo 124D was written).
Op now(RawDevice& device, const std::string& entity, const std::string& id, const std::string& field,
       nlohmann::json value)
{
    Op o = device.op(entity, id, field, std::move(value));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    o.hlc = (static_cast<std::uint64_t>(ms) << 16) + static_cast<std::uint64_t>(o.seq);
    return o;
}

/// Every op a raw device receives until the server has nothing more.
std::vector<Op> pullAll(RawDevice& device)
{
    std::vector<Op> out;
    for (;;) {
        auto page = device.pull();
        for (auto& op : page.ops)
            out.push_back(std::move(op));
        if (!page.more)
            break;
    }
    return out;
}

bool has(const std::vector<Op>& ops, const std::string& id, const std::string& field)
{
    return std::any_of(ops.begin(), ops.end(), [&](const Op& o) { return o.id == id && o.field == field; });
}

/// Every snapshot row a raw device is sent, from the first page.
std::vector<SnapshotRow> snapshotAll(RawDevice& device)
{
    std::vector<SnapshotRow> rows;
    std::string from;
    for (;;) {
        ClientRequest ask;
        ask.target = "/v1/snapshot" + (from.empty() ? std::string() : "?from=" + from);
        auto r = device.link.request(ask);
        REQUIRE(r.ok());
        INFO(r->body);
        REQUIRE(r->status == 200);
        auto page = decodeSnapshotPage(r->body);
        REQUIRE(page.ok());
        for (auto& row : page->rows)
            rows.push_back(std::move(row));
        if (!page->more)
            break;
        from = page->next;
    }
    return rows;
}

std::chrono::sys_seconds wallNow()
{
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// The scene: pc.a's complete 124D (demo data) whose victim consented to sharing, approved by
/// ds.e and allocated to dc.h; ds.e refers the victim to idva.f; idva.f logs a phone call with
/// notes and actions, and a safety-plan step, on her laptop.
struct Scene {
    World w;
    Handset officer{w.client, w.server, "pc.a"};
    Handset desk{w.client, w.server, "ds.e"};
    Handset idva{w.client, w.server, "idva.f"};
    RawDevice supervisor{w.client, w.server, "ds.e"};
    std::string incident;
    std::string victim;
    std::string referral = newUuid();
    std::vector<Op> before;  ///< what the supervisor's raw device pulled before the IDVA's contact
    CaseContact logged;      ///< the IDVA's contact, as logged
    std::string planStep;    ///< the IDVA's safety-plan step
    std::string reassessment;  ///< the IDVA's RIC re-assessment

    Scene()
    {
        IncidentRepository repo = officer.repo();
        test::makeSubmittedDemo(repo, officer.records(), 10);
        officer.sync();
        auto list = repo.list(100);
        REQUIRE(list.ok());
        for (const IncidentSummary& i : *list) {
            if (i.state != LifecycleState::Submitted)
                continue;
            auto read = repo.read(i.id);
            REQUIRE(read.ok());
            if (!read->victims.empty() && read->victims[0].consent.shareWithPartners.value_or(false)
                && read->victims[0].safeContact.phone.value_or(false)) {
                incident = i.id;
                victim = read->victims[0].id;
                break;
            }
        }
        REQUIRE_FALSE(incident.empty());

        // Approved and allocated to the investigator, as the desk does it.
        desk.sync();
        IncidentRepository deskRepo = desk.repo();
        REQUIRE(deskRepo.transition(desk.actor, incident, LifecycleState::Approved, "approve", "").ok());
        Investigation allocation;
        allocation.officerInCase = "dc.h";
        allocation.officerInCaseName = "DC Invented Harper";
        allocation.allocatedBy = "ds.e";
        REQUIRE(desk.records()
                    .transaction([&]() -> Status {
                        VIGIL_TRY(deskRepo.allocate(desk.actor, incident, allocation));
                        return deskRepo.transition(desk.actor, incident, LifecycleState::UnderInvestigation, "allocate",
                                                   "Take the victim's statement today.");
                    })
                    .ok());
        REQUIRE(desk.sync().rejected == 0);
        // The supervisor refers the victim to the IDVA (a supervisor may at any state).
        auto referred = supervisor.push({now(supervisor, "referral", referral, "@create", {{"incident", incident}, {"parent", victim}}),
                                         now(supervisor, "referral", referral, "victim", victim),
                                         now(supervisor, "referral", referral, "agency", "idva"),
                                         now(supervisor, "referral", referral, "to_user", "idva.f"),
                                         now(supervisor, "referral", referral, "date", "2026-11-20")});
        INFO((referred.rejected.empty() ? std::string() : referred.rejected.front().message));
        REQUIRE(referred.rejected.empty());
        before = pullAll(supervisor);

        // The IDVA logs a call with notes and actions, and a step of the safety plan.
        idva.sync();
        CaseRepository cases(idva.records());
        auto calendar = WorkingDays::loadFile(shippedBankHolidayFile());
        REQUIRE(calendar.ok());
        auto load = cases.caseload("idva.f", vigil::Role::Idva, VictimsCodeRules{}, *calendar, wallNow(), OrdersRules{});
        REQUIRE(load.ok());
        REQUIRE(load->size() == 1);
        CaseContact call;
        call.method = ContactMethod::Phone;
        call.outcome = ContactOutcome::Spoke;
        call.at = "2026-11-23T11:00:00Z";  // a Monday, 11:00 in London: inside the demo's safe times
        call.notes = "She is staying with her sister and is thinking of withdrawing her statement.";
        call.actions = "Refer to the refuge; call again Thursday.";
        call.nextDue = "2026-11-26T11:00:00Z";
        auto done = cases.logContact(idva.actor, (*load)[0].key, call);
        INFO((done ? std::string() : done.error().message));
        REQUIRE(done.ok());
        logged = *done;
        auto step = cases.addSafetyItem(idva.actor, (*load)[0].key, "Code word agreed with her sister");
        REQUIRE(step.ok());
        planStep = step->id;
        // And re-assesses her risk with the RIC: nothing ticked, but High on her judgement, with why.
        auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
        REQUIRE(models.ok());
        RiskReassessment ric;
        ric.assessment.modelId = "ric-safelives";
        for (const Question& q : models->latest("ric-safelives")->questions)
            ric.assessment.answers[q.id].value = AnswerValue::No;
        ric.judgement.grade = RiskGrade::High;
        ric.judgement.reason = "She says he has found her new address.";
        auto reassessed = cases.addReassessment(idva.actor, (*load)[0].key, ric, *models, wallNow());
        INFO((reassessed ? std::string() : reassessed.error().message));
        REQUIRE(reassessed.ok());
        reassessment = reassessed->id;
        REQUIRE(idva.sync().rejected == 0);
    }
};

}  // namespace

TEST_CASE("Police users receive an IDVA's contact with its outcome but never its notes or actions, by pull and by "
          "snapshot; the IDVA's own second device receives them, and the disclosure names the police policy",
          "[sync][sharing][casework]")
{
    Scene scene;
    const std::string& contact = scene.logged.id;

    // The supervisor's next pull: the contact happened, by whom, how, with what outcome and when
    // the next is due; the ops setting its notes and actions never leave the server.
    const std::vector<Op> got = pullAll(scene.supervisor);
    for (const char* field : {"@create", "at", "by", "method", "outcome", "next_due"})
        CHECK(has(got, contact, field));
    CHECK_FALSE(has(got, contact, "notes"));
    CHECK_FALSE(has(got, contact, "actions"));
    CHECK(has(got, scene.planStep, "done"));
    CHECK(has(got, scene.planStep, "by"));
    CHECK_FALSE(has(got, scene.planStep, "text"));
    // Her re-assessment: the grade reaches the police, why she graded it so does not.
    CHECK(has(got, scene.reassessment, "grade.judgement"));
    CHECK(has(got, scene.reassessment, "grade.computed"));
    CHECK_FALSE(has(got, scene.reassessment, "grade.reason"));
    for (const Op& op : got)
        if (op.id == contact && op.field == "outcome")
            CHECK(op.value == "spoke");

    // A raw snapshot for another supervisor's device: the row without the fields or their stamps.
    RawDevice fresh(scene.w.client, scene.w.server, "ds.e");
    std::map<std::string, SnapshotRow> rows;
    for (auto& r : snapshotAll(fresh))
        rows[r.id] = std::move(r);
    REQUIRE(rows.count(contact));
    const auto fields = nlohmann::json::parse(rows[contact].fields);
    const auto stamps = nlohmann::json::parse(rows[contact].stamps);
    CHECK(fields.value("outcome", "") == "spoke");
    CHECK(fields.value("by", "") == "idva.f");
    CHECK(fields.value("next_due", "") == "2026-11-26T11:00:00Z");
    CHECK(stamps.contains("outcome"));
    CHECK_FALSE(fields.contains("notes"));
    CHECK_FALSE(fields.contains("actions"));
    CHECK_FALSE(stamps.contains("notes"));
    CHECK_FALSE(stamps.contains("actions"));
    REQUIRE(rows.count(scene.planStep));
    CHECK_FALSE(nlohmann::json::parse(rows[scene.planStep].fields).contains("text"));
    REQUIRE(rows.count(scene.reassessment));
    CHECK(nlohmann::json::parse(rows[scene.reassessment].fields).value("grade.judgement", "") == "high");
    CHECK_FALSE(nlohmann::json::parse(rows[scene.reassessment].fields).contains("grade.reason"));
    // The rest of the 124D whole, as before: the supervisor's note on the allocation is there.
    REQUIRE(rows.count(scene.incident));
    CHECK(nlohmann::json::parse(rows[scene.incident].fields).contains("incident.location"));

    // The investigator (the officer in the case, another team) starts from a snapshot with the
    // real engine: the contact is on the tablet without notes, and the case page says why.
    Handset investigator(scene.w.client, scene.w.server, "dc.h");
    investigator.sync();
    auto row = investigator.records().get(Entity::Contact, contact);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->field("outcome") == "spoke");
    CHECK((*row)->field("notes").is_null());
    CHECK((*row)->field("actions").is_null());
    CaseRepository theirs(investigator.records());
    auto investigation = theirs.read(investigationCase(scene.victim));
    INFO((investigation ? std::string() : investigation.error().message));
    REQUIRE(investigation.ok());
    REQUIRE(investigation->otherContacts.size() == 1);
    const CaseContact& seen = investigation->otherContacts[0];
    CHECK(seen.id == contact);
    CHECK(seen.otherCaseKind == "idva");
    CHECK(seen.byIdva);
    CHECK(seen.outcome == ContactOutcome::Spoke);
    CHECK(notesKeptByIdvaService(seen, vigil::Role::Investigator));
    CHECK_FALSE(notesKeptByIdvaService(seen, vigil::Role::Idva));

    // The IDVA's own second device: everything she wrote.
    Handset laptop(scene.w.client, scene.w.server, "idva.f");
    laptop.sync();
    auto hers = laptop.records().get(Entity::Contact, contact);
    REQUIRE(hers.ok());
    REQUIRE(hers->has_value());
    CHECK((*hers)->field("notes") == scene.logged.notes);
    CHECK((*hers)->field("actions") == scene.logged.actions);
    auto step = laptop.records().get(Entity::SafetyItem, scene.planStep);
    REQUIRE(step.ok());
    REQUIRE(step->has_value());
    CHECK((*step)->field("text") == "Code word agreed with her sister");

    // DPA 2018 s.62: each disclosure of the contact to police names the policy that trimmed it.
    const auto disclosures = [&](const std::string& user, const std::string& sharing) {
        return scene.w.server.storeCount("SELECT count(*) FROM disclosures WHERE user_id = '" + user
                                         + "' AND sharing = '" + sharing + "' AND incidents LIKE '%" + scene.incident
                                         + "%';");
    };
    CHECK(disclosures("ds.e", "sharing-police 1.0") >= 2);  // the pull and the raw snapshot
    CHECK(disclosures("dc.h", "sharing-police 1.0") >= 1);  // the investigator's snapshot
    CHECK(disclosures("idva.f", "sharing-idva 1.1") >= 1);
    // Before the IDVA wrote anything, the supervisor's pages carried nothing the policy trims.
    CHECK_FALSE(scene.before.empty());
}

TEST_CASE("An officer in the case's own contact reaches police colleagues whole and the IDVA with its notes, as the "
          "IDVA sharing rules allow",
          "[sync][sharing][casework]")
{
    Scene scene;
    Handset investigator(scene.w.client, scene.w.server, "dc.h");
    investigator.sync();
    CaseRepository cases(investigator.records());
    CaseContact call;
    call.method = ContactMethod::Phone;
    call.outcome = ContactOutcome::Spoke;
    call.at = "2026-11-24T11:00:00Z";  // a Tuesday, 11:00 in London
    call.notes = "Statement arranged for Friday.";
    call.actions = "Book the video suite.";
    auto done = cases.logContact(investigator.actor, investigationCase(scene.victim), call);
    INFO((done ? std::string() : done.error().message));
    REQUIRE(done.ok());
    REQUIRE(investigator.sync().rejected == 0);
    const std::string& contact = done->id;

    // A police colleague of the team: the officer's contact whole; the IDVA's without notes.
    RawDevice mate(scene.w.client, scene.w.server, "pc.b");
    const std::vector<Op> got = pullAll(mate);
    CHECK(has(got, contact, "notes"));
    CHECK(has(got, contact, "actions"));
    CHECK(has(got, contact, "outcome"));
    CHECK(has(got, scene.logged.id, "outcome"));
    CHECK_FALSE(has(got, scene.logged.id, "notes"));

    // The IDVA: the officer's contact with its notes (sharing-idva.json passes the contact log of
    // the referred victim whole, so nobody calls her twice), shown beside her own.
    RawDevice adviser(scene.w.client, scene.w.server, "idva.f");
    const std::vector<Op> hers = pullAll(adviser);
    CHECK(has(hers, contact, "notes"));
    CHECK(has(hers, contact, "actions"));
    CHECK(has(hers, scene.logged.id, "notes"));
    scene.idva.sync();
    auto key = referralCase(scene.referral);
    auto read = CaseRepository(scene.idva.records()).read(key);
    REQUIRE(read.ok());
    REQUIRE(read->contacts.size() == 1);
    CHECK(read->contacts[0].notes == scene.logged.notes);
    REQUIRE(read->otherContacts.size() == 1);
    CHECK(read->otherContacts[0].id == contact);
    CHECK(read->otherContacts[0].otherCaseKind == "investigation");
    CHECK(read->otherContacts[0].notes == "Statement arranged for Friday.");
    CHECK_FALSE(read->otherContacts[0].byIdva);
    CHECK_FALSE(notesKeptByIdvaService(read->otherContacts[0], vigil::Role::Idva));

    // The investigator's own contact stays whole on their tablet; the IDVA's does not.
    auto mine = cases.read(investigationCase(scene.victim));
    REQUIRE(mine.ok());
    REQUIRE(mine->contacts.size() == 1);
    CHECK(mine->contacts[0].notes == "Statement arranged for Friday.");
    CHECK_FALSE(notesKeptByIdvaService(mine->contacts[0], vigil::Role::Investigator));
}
