// What an IDVA's device receives (issue 24, item 5): only the victim referred to them (with
// consent), the parts of the 124D the sharing allow-list passes (core/risk-models/sharing-idva.json),
// never another victim, a suspect's address or phone, the supervision log or photos. A real
// vigil-server on 127.0.0.1; the officer's 124D is the demo data's (complete, submitted, returned
// by a supervisor) with a second victim, a suspect with an address, a photo's record and a
// referral added; the IDVA pulls with raw requests, takes a snapshot raw, and starts a fresh device
// with the real sync engine.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/records/IncidentRepository.h"
#include "sync/protocol/SnapshotCodec.h"
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
    }
};

/// A raw device's op stamped now: the demo 124D was written moments ago by a real device, and a
/// change stamped before that would lose to it (RawDevice stamps in 2023).
struct Now {
    RawDevice& device;
    Op operator()(const std::string& entity, const std::string& id, const std::string& field, nlohmann::json value)
    {
        Op o = device.op(entity, id, field, std::move(value));
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch()).count();
        o.hlc = (static_cast<std::uint64_t>(ms) << 16) + static_cast<std::uint64_t>(o.seq);
        return o;
    }
};

/// Every op a device receives until the server has nothing more, and the last page's lists.
struct Pulled {
    std::vector<Op> ops;
    std::vector<std::string> forget;
    std::vector<std::string> refresh;

    [[nodiscard]] bool has(const std::string& id, const std::string& field = {}) const
    {
        return std::any_of(ops.begin(), ops.end(),
                           [&](const Op& o) { return o.id == id && (field.empty() || o.field == field); });
    }
    [[nodiscard]] bool hasEntity(const std::string& entity) const
    {
        return std::any_of(ops.begin(), ops.end(), [&](const Op& o) { return o.entity == entity; });
    }
    [[nodiscard]] bool hasFieldPrefix(const std::string& id, const std::string& prefix) const
    {
        return std::any_of(ops.begin(), ops.end(),
                           [&](const Op& o) { return o.id == id && o.field.rfind(prefix, 0) == 0; });
    }
};

Pulled pullAll(RawDevice& device)
{
    Pulled out;
    for (;;) {
        auto page = device.pull();
        for (auto& op : page.ops)
            out.ops.push_back(std::move(op));
        out.forget.insert(out.forget.end(), page.forget.begin(), page.forget.end());
        out.refresh.insert(out.refresh.end(), page.refresh.begin(), page.refresh.end());
        if (!page.more)
            break;
    }
    return out;
}

/// Every snapshot page a device is sent, from the first.
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
        CHECK(page->conflicts.empty());
        for (auto& row : page->rows)
            rows.push_back(std::move(row));
        if (!page->more) {
            device.cursor = page->cursor;
            break;
        }
        from = page->next;
    }
    return rows;
}

nlohmann::json fieldsOf(const SnapshotRow& row)
{
    return nlohmann::json::parse(row.fields);
}

bool anyKeyWithPrefix(const nlohmann::json& fields, const std::string& prefix)
{
    for (const auto& [key, value] : fields.items())
        if (key.rfind(prefix, 0) == 0)
            return true;
    return false;
}

/// The scene: a complete 124D of pc.a (demo data, submitted), returned by the supervisor with a
/// note and a QA entry in the supervision log; the officer then adds a second victim (who
/// consented too, with a DASH answer and a RARA action), a suspect with an address and phone, a
/// child, a photo's record, and refers victim 1 to idva.f.
struct Scene {
    World w;
    Handset officer{w.client, w.server, "pc.a"};
    RawDevice a{w.client, w.server, "pc.a"};
    RawDevice s{w.client, w.server, "ds.e"};
    std::string incident;
    std::string victim1;
    std::vector<std::string> demoSuspects;
    std::vector<std::string> demoReferrals;
    std::string victim2 = newUuid();
    std::string answer2 = newUuid();
    std::string rara2 = newUuid();
    std::string suspect = newUuid();
    std::string child = newUuid();
    std::string photo = newUuid();
    std::string entry = newUuid();
    std::string referral = newUuid();

    Scene()
    {
        IncidentRepository repo = officer.repo();
        test::makeSubmittedDemo(repo, officer.records(), 6);
        officer.sync();
        auto list = repo.list(100);
        REQUIRE(list.ok());
        auto submitted = std::find_if(list->begin(), list->end(),
                                      [](const IncidentSummary& i) { return i.state == LifecycleState::Submitted; });
        REQUIRE(submitted != list->end());
        incident = submitted->id;
        auto held = repo.read(incident);
        REQUIRE(held.ok());
        REQUIRE_FALSE(held->victims.empty());
        victim1 = held->victims[0].id;
        for (const auto& x : held->suspects)
            demoSuspects.push_back(x.id);
        for (const auto& r : held->referrals)
            demoReferrals.push_back(r.id);

        Now sOp{s};
        auto back = s.push({sOp("incident", incident, "@command",
                                 {{"command", "return"}, {"state", "returned"}, {"by", "ds.e"},
                                  {"note", "QA: the officer's account of the arrest decision is thin"},
                                  {"seen", nlohmann::json::object()}}),
                            sOp("supervision", entry, "@create", {{"incident", incident}}),
                            sOp("supervision", entry, "kind", "qa"), sOp("supervision", entry, "outcome", "returned"),
                            sOp("supervision", entry, "at", "2026-12-06T09:00:00Z"), sOp("supervision", entry, "by", "ds.e"),
                            sOp("supervision", entry, "notes", "Returned for the arrest decision.")});
        INFO((back.rejected.empty() ? std::string() : back.rejected.front().message));
        REQUIRE(back.rejected.empty());

        Now aOp{a};
        auto added = a.push({
            aOp("incident", incident, "incident.location", "14 Invented Road"),
            aOp("incident", incident, "refs.cad", "1234/06DEC26"),
            aOp("incident", incident, "positive_action.no_arrest_justification", "Suspect had left the scene."),
            aOp("person", victim1, "consent.share_with_partners", true),
            aOp("person", victim2, "@create", {{"incident", incident}}),
            aOp("person", victim2, "role", "victim"),
            aOp("person", victim2, "ordinal", 1),
            aOp("person", victim2, "person.name", "Second Invented Victim"),
            aOp("person", victim2, "person.address.line", "2 Other Invented Street"),
            aOp("person", victim2, "consent.share_with_partners", true),
            aOp("answer", answer2, "@create", {{"incident", incident}, {"parent", victim2}}),
            aOp("answer", answer2, "question", "q1"),
            aOp("answer", answer2, "answer", "yes"),
            aOp("rara_item", rara2, "@create", {{"incident", incident}, {"parent", victim2}}),
            aOp("rara_item", rara2, "kind", "reduce"),
            aOp("rara_item", rara2, "description", "Refuge place for the second victim"),
            aOp("person", suspect, "@create", {{"incident", incident}}),
            aOp("person", suspect, "role", "suspect"),
            aOp("person", suspect, "ordinal", 5),
            aOp("person", suspect, "person.name", "Invented Suspect"),
            aOp("person", suspect, "person.date_of_birth", "1980-02-03"),
            aOp("person", suspect, "person.address.line", "9 Invented Suspect Lane"),
            aOp("person", suspect, "person.address.postcode", "ZZ9 9ZZ"),
            aOp("person", suspect, "person.phone", "07700 900999"),
            aOp("person", child, "@create", {{"incident", incident}}),
            aOp("person", child, "role", "child"),
            aOp("person", child, "ordinal", 7),
            aOp("person", child, "name", "Invented Child"),
            aOp("person", child, "age", 6),
            aOp("person", child, "in_household", true),
            aOp("person", child, "present", true),
            aOp("attachment", photo, "@create", {{"incident", incident}}),
            aOp("attachment", photo, "mime", "image/jpeg"),
            aOp("attachment", photo, "caption", "Bruising to the left arm"),
            aOp("attachment", photo, "size", 10),
            aOp("attachment", photo, "sha256", std::string(64, 'a')),
            aOp("attachment", photo, "chunks", 1),
            aOp("referral", referral, "@create", {{"incident", incident}, {"parent", victim1}}),
            aOp("referral", referral, "victim", victim1),
            aOp("referral", referral, "agency", "idva"),
            aOp("referral", referral, "to_user", "idva.f"),
            aOp("referral", referral, "date", "2026-12-06"),
        });
        INFO((added.rejected.empty() ? std::string() : added.rejected.front().message));
        REQUIRE(added.rejected.empty());
    }
};

/// What an IDVA must never hold of the scene, checked on pulled ops.
void checkNothingWithheld(const Scene& scene, const Pulled& got)
{
    // Another victim on the same 124D, not referred to this IDVA: nothing of her at all.
    CHECK_FALSE(got.has(scene.victim2));
    CHECK_FALSE(got.has(scene.answer2));
    CHECK_FALSE(got.has(scene.rara2));
    // Suspects: never an address or a phone.
    CHECK_FALSE(got.hasFieldPrefix(scene.suspect, "person.address"));
    CHECK_FALSE(got.has(scene.suspect, "person.phone"));
    for (const auto& id : scene.demoSuspects) {
        CHECK_FALSE(got.hasFieldPrefix(id, "person.address"));
        CHECK_FALSE(got.has(id, "person.phone"));
        CHECK_FALSE(got.hasFieldPrefix(id, "person.diversity"));
    }
    // Never the supervision log, photos, or referrals not addressed to this IDVA.
    CHECK_FALSE(got.hasEntity("supervision"));
    CHECK_FALSE(got.hasEntity("attachment"));
    for (const auto& id : scene.demoReferrals)
        CHECK_FALSE(got.has(id));
    // The 124D's police parts.
    for (const char* field : {"incident.location", "incident.officers", "positive_action.no_arrest_justification",
                              "access_list", "flags.police_staff_involved", "refs.crimint", "refs.merlin_pac"})
        CHECK_FALSE(got.has(scene.incident, field));
    CHECK_FALSE(got.hasFieldPrefix(scene.incident, "investigation."));
    CHECK_FALSE(got.hasFieldPrefix(scene.incident, "evidence."));
    CHECK_FALSE(got.hasFieldPrefix(scene.incident, "counter_allegation."));
    // Lifecycle commands arrive (the state) without the supervisor's note.
    for (const Op& op : got.ops) {
        if (op.field == "@command") {
            CHECK(op.value.contains("state"));
            CHECK_FALSE(op.value.contains("note"));
            CHECK_FALSE(op.value.contains("by"));
        }
        CHECK(op.field != "@conflict");
        CHECK(op.field != "@resolve");
    }
}

}  // namespace

TEST_CASE("An IDVA's device receives the referred victim and the shared parts of her 124D, never another victim, a "
          "suspect's address, the supervision log or photos; a police team-mate still receives everything",
          "[sync][sharing]")
{
    Scene scene;
    RawDevice idva(scene.w.client, scene.w.server, "idva.f");
    const Pulled got = pullAll(idva);

    // What she needs: the referred victim, how to reach her safely, her answers, her grade.
    CHECK(got.has(scene.victim1, "person.name"));
    CHECK(got.hasFieldPrefix(scene.victim1, "person.address"));
    CHECK(got.has(scene.victim1, "consent.share_with_partners"));
    CHECK(got.hasFieldPrefix(scene.victim1, "safe_contact."));
    CHECK(got.has(scene.victim1, "role"));
    std::set<std::string> answerParents;
    for (const Op& op : got.ops)
        if (op.entity == "answer" && op.field == "@create")
            answerParents.insert(op.value.value("parent", ""));
    CHECK(answerParents == std::set<std::string>{scene.victim1});
    CHECK(got.has(scene.referral, "to_user"));
    CHECK(got.has(scene.incident, "state"));
    CHECK(got.has(scene.incident, "refs.cad"));
    CHECK(got.has(scene.incident, "@command"));
    // The suspect by name and date of birth; the child.
    CHECK(got.has(scene.suspect, "person.name"));
    CHECK(got.has(scene.suspect, "person.date_of_birth"));
    CHECK(got.has(scene.suspect, "role"));
    CHECK(got.has(scene.child, "name"));
    CHECK(got.has(scene.child, "age"));
    CHECK_FALSE(got.has(scene.child, "present"));
    checkNothingWithheld(scene, got);
    // Only this 124D: the demo's others were never referred.
    for (const Op& op : got.ops)
        CHECK((op.entity != "incident" || op.id == scene.incident));

    // A photo the IDVA is never sent is not there to download either.
    ClientRequest photo;
    photo.target = "/v1/attachments/" + scene.photo;
    auto asked = idva.link.request(photo);
    REQUIRE(asked.ok());
    CHECK(asked->status == 404);

    // A police team-mate receives the whole 124D as before.
    RawDevice mate(scene.w.client, scene.w.server, "pc.b");
    const Pulled all = pullAll(mate);
    CHECK(all.has(scene.victim2, "person.name"));
    CHECK(all.has(scene.answer2));
    CHECK(all.has(scene.suspect, "person.address.line"));
    CHECK(all.has(scene.suspect, "person.phone"));
    CHECK(all.has(scene.entry, "notes"));
    CHECK(all.has(scene.photo, "caption"));
    CHECK(all.has(scene.incident, "incident.location"));
    bool noted = false;
    for (const Op& op : all.ops)
        noted = noted || (op.field == "@command" && op.value.value("note", "").find("QA:") == 0);
    CHECK(noted);

    // A later change to a withheld field never reaches the IDVA; a shared one does, and the
    // cursor moves on past pages that carried nothing for her.
    REQUIRE(scene.a.push({Now{scene.a}("person", scene.suspect, "person.address.line", "10 Invented Suspect Lane"),
                          Now{scene.a}("person", scene.victim2, "person.phone", "07700 900111")})
                .rejected.empty());
    const Pulled quiet = pullAll(idva);
    CHECK(quiet.ops.empty());
    CHECK(quiet.forget.empty());
    REQUIRE(scene.a.push({Now{scene.a}("person", scene.victim1, "safe_contact.safe_times", "after 18:00 only")})
                .rejected.empty());
    const Pulled next = pullAll(idva);
    REQUIRE(next.ops.size() == 1);
    CHECK(next.ops[0].field == "safe_contact.safe_times");
}

TEST_CASE("An IDVA's first sync from a snapshot holds only the shared rows and fields, and builds the 124D from them",
          "[sync][sharing][snapshot]")
{
    Scene scene;
    RawDevice raw(scene.w.client, scene.w.server, "idva.f");
    const std::vector<SnapshotRow> rows = snapshotAll(raw);
    std::map<std::string, const SnapshotRow*> byId;
    for (const auto& r : rows) {
        CHECK(r.incident == scene.incident);
        CHECK(r.entity != "supervision");
        CHECK(r.entity != "attachment");
        byId[r.id] = &r;
    }
    CHECK_FALSE(byId.count(scene.victim2));
    CHECK_FALSE(byId.count(scene.answer2));
    CHECK_FALSE(byId.count(scene.rara2));
    for (const auto& id : scene.demoReferrals)
        CHECK_FALSE(byId.count(id));
    REQUIRE(byId.count(scene.victim1));
    const auto v1 = fieldsOf(*byId[scene.victim1]);
    CHECK(v1.contains("person.name"));
    CHECK(anyKeyWithPrefix(v1, "person.address."));
    CHECK(anyKeyWithPrefix(v1, "safe_contact."));
    CHECK_FALSE(v1.contains("grade.officer_by"));
    REQUIRE(byId.count(scene.suspect));
    const auto suspect = fieldsOf(*byId[scene.suspect]);
    CHECK(suspect.value("person.name", "") == "Invented Suspect");
    CHECK_FALSE(anyKeyWithPrefix(suspect, "person.address"));
    CHECK_FALSE(suspect.contains("person.phone"));
    CHECK_FALSE(nlohmann::json::parse(byId[scene.suspect]->stamps).contains("person.phone"));
    for (const auto& id : scene.demoSuspects) {
        REQUIRE(byId.count(id));
        CHECK_FALSE(anyKeyWithPrefix(fieldsOf(*byId[id]), "person.address"));
        CHECK_FALSE(fieldsOf(*byId[id]).contains("person.phone"));
    }
    REQUIRE(byId.count(scene.incident));
    const auto head = fieldsOf(*byId[scene.incident]);
    CHECK(head.value("state", "") == "returned");
    CHECK(head.value("refs.cad", "") == "1234/06DEC26");
    CHECK_FALSE(head.contains("incident.location"));
    CHECK_FALSE(head.contains("review.note"));
    CHECK_FALSE(head.contains("positive_action.no_arrest_justification"));
    CHECK_FALSE(anyKeyWithPrefix(head, "investigation."));
    CHECK_FALSE(anyKeyWithPrefix(head, "evidence."));
    for (const auto& r : rows)
        if (r.entity == "answer" || r.entity == "rara_item")
            CHECK(r.parent == scene.victim1);
    // The first pull after the snapshot sends no history again, and nothing withheld.
    const Pulled after = pullAll(raw);
    checkNothingWithheld(scene, after);

    // A fresh device with the real engine: snapshot, then pulls; the 124D reads back trimmed.
    Handset fresh(scene.w.client, scene.w.server, "idva.f");
    fresh.sync();
    auto read = fresh.repo().read(scene.incident);
    INFO((read ? std::string() : read.error().message));
    REQUIRE(read.ok());
    REQUIRE(read->victims.size() == 1);
    CHECK(read->victims[0].id == scene.victim1);
    CHECK_FALSE(read->victims[0].person.address.line.empty());
    CHECK_FALSE(read->victims[0].dash.answers.empty());
    CHECK(read->location.empty());
    CHECK(read->supervision.empty());
    bool named = false;
    for (const auto& x : read->suspects) {
        CHECK(x.person.address == Address{});
        CHECK(x.person.phone.empty());
        named = named || x.person.name == "Invented Suspect";
    }
    CHECK(named);
    REQUIRE(read->referrals.size() == 1);
    CHECK(read->referrals[0].id == scene.referral);
    auto photos = fresh.records().rowsOfIncident(Entity::Attachment, scene.incident);
    REQUIRE(photos.ok());
    CHECK(photos->empty());
}

TEST_CASE("When a second victim is referred to the IDVA her device is sent the 124D again with her, and when that "
          "referral is withdrawn again without her; withdrawing the last referral makes the IDVA forget it",
          "[sync][sharing][consent]")
{
    Scene scene;
    RawDevice idva(scene.w.client, scene.w.server, "idva.f");
    const Pulled first = pullAll(idva);
    REQUIRE(first.has(scene.victim1, "person.name"));
    REQUIRE_FALSE(first.has(scene.victim2));

    const std::string second = newUuid();
    REQUIRE(scene.a.push({Now{scene.a}("referral", second, "@create", {{"incident", scene.incident}, {"parent", scene.victim2}}),
                          Now{scene.a}("referral", second, "agency", "idva"),
                          Now{scene.a}("referral", second, "to_user", "idva.f")})
                .rejected.empty());
    const Pulled widened = pullAll(idva);
    CHECK(widened.refresh == std::vector<std::string>{scene.incident});
    CHECK(widened.has(scene.victim2, "person.name"));
    CHECK(widened.has(scene.answer2));
    CHECK(widened.has(scene.victim1, "person.name"));  // the whole shared 124D, to build again
    CHECK_FALSE(widened.hasFieldPrefix(scene.suspect, "person.address"));
    CHECK_FALSE(widened.hasEntity("supervision"));

    REQUIRE(scene.a.push({Now{scene.a}("referral", second, "@delete", true)}).rejected.empty());
    const Pulled narrowed = pullAll(idva);
    CHECK(narrowed.refresh == std::vector<std::string>{scene.incident});
    CHECK_FALSE(narrowed.has(scene.victim2));
    CHECK_FALSE(narrowed.has(scene.answer2));
    CHECK(narrowed.has(scene.victim1, "person.name"));

    // The existing rule still holds: the last referral withdrawn, the incident is forgotten.
    REQUIRE(scene.a.push({Now{scene.a}("referral", scene.referral, "@delete", true)}).rejected.empty());
    const Pulled gone = pullAll(idva);
    CHECK(gone.forget == std::vector<std::string>{scene.incident});
    CHECK(gone.ops.empty());
}
