#include <catch2/catch.hpp>

#include <algorithm>

#include "core/common/Uuid.h"
#include "core/records/IncidentRepository.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

namespace {

/// One entry of every kind the law names, through the operations that make them.
std::string makeHistory(RecordsFixture& f)
{
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"refs.cad", "CAD 1"}}).ok());  // collection
    REQUIRE(f.records->write(f.officer, Entity::Incident, id, {{"refs.cad", "CAD 2"}}).ok());                           // alteration
    REQUIRE(f.records->audit(f.officer, AuditAction::Consultation, Entity::Incident, id, "opened").ok());
    REQUIRE(f.records->audit({"sup-1", "MARAC referral"}, AuditAction::Disclosure, Entity::Incident, id,
                             "referral pack", {"Hackney MARAC coordinator"}).ok());
    REQUIRE(f.records->audit({"analyst-3", "repeat victim check"}, AuditAction::Combination, Entity::Incident, id,
                             "matched against 3 earlier incidents").ok());
    REQUIRE(f.records->forgetIncident(f.officer, id, "retention period ended").ok());  // erasure
    return id;
}

void sql(RecordsFixture& f, const std::string& statement) { REQUIRE(f.db->exec(statement).ok()); }

}  // namespace

TEST_CASE("Every kind of processing leaves an audit entry with who, when, record, why and recipients", "[audit]")
{
    RecordsFixture f;
    const std::string id = makeHistory(f);
    auto entries = f.records->auditLog().forRecord(id).value();
    REQUIRE(entries.size() == 6);
    CHECK(entries[0].action == AuditAction::Collection);
    CHECK(entries[1].action == AuditAction::Alteration);
    CHECK(entries[1].detail.find("refs.cad") != std::string::npos);
    CHECK(entries[1].detail.find("CAD 2") == std::string::npos);  // field names, never values
    CHECK(entries[2].action == AuditAction::Consultation);
    CHECK(entries[3].action == AuditAction::Disclosure);
    CHECK(entries[3].recipients == std::vector<std::string>{"Hackney MARAC coordinator"});
    CHECK(entries[3].actor == "sup-1");
    CHECK(entries[3].justification == "MARAC referral");
    CHECK(entries[4].action == AuditAction::Combination);
    CHECK(entries[5].action == AuditAction::Erasure);
    CHECK(entries[5].at == "2026-11-23T09:00:00.000Z");
    CHECK(entries[5].device == f.records->deviceId());
    auto v = f.records->auditLog().verify().value();
    CHECK(v.intact);
    CHECK(v.entries == 6);
}

TEST_CASE("Audit entries travel to the server as append-only ops", "[audit]")
{
    RecordsFixture f;
    makeHistory(f);
    int appends = 0;
    for (const auto& op : f.records->pendingOps(1000).value()) {
        if (op.field == kFieldAppend) {
            CHECK(op.entity == "audit");
            CHECK(op.value.contains("hash"));
            ++appends;
        }
    }
    CHECK(appends == 6);
}

TEST_CASE("The verifier names the first removed, altered or reordered audit entry", "[audit]")
{
    RecordsFixture f;
    makeHistory(f);
    makeHistory(f);  // 12 entries

    SECTION("an entry deleted from the middle")
    {
        sql(f, "DELETE FROM audit_log WHERE seq = 5;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 5);
        CHECK(v.problem == "entry 5 is missing");
    }
    SECTION("an entry's text edited")
    {
        sql(f, "UPDATE audit_log SET justification = 'nothing to see' WHERE seq = 7;");
        auto v = f.records->auditLog().verify().value();
        CHECK(v.firstBadSeq == 7);
        CHECK(v.problem == "entry 7 was altered");
    }
    SECTION("an entry edited and its hash recomputed")
    {
        // Recompute entry 3's own hash after the edit: the link from entry 4 still breaks.
        sql(f, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3;");
        AuditEntry third;
        auto q = f.db->prepare("SELECT record_id FROM audit_log WHERE seq = 3;");
        REQUIRE(q.ok());
        REQUIRE(q->step().value());
        for (const auto& e : f.records->auditLog().forRecord(q->columnText(0)).value())
            if (e.seq == 3)
                third = e;
        sql(f, "UPDATE audit_log SET hash = '" + AuditLog::chainHash(third) + "' WHERE seq = 3;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        // The keyed chain catches it at the entry itself: its MAC needs the store's key.
        CHECK(v.firstBadSeq == 3);
        CHECK(v.problem.find("without the store's key") != std::string::npos);
    }
    SECTION("an entry rewritten and every unkeyed hash after it recomputed: the MAC catches it")
    {
        // What someone with the file but not the key could do to the unkeyed chain: rewrite
        // entry 3, recompute every hash from it on and move the head. Each link holds; the MACs do not.
        sql(f, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3;");
        std::vector<AuditEntry> all;
        for (std::int64_t seq = 1;; ++seq) {
            auto q = f.db->prepare("SELECT record_id FROM audit_log WHERE seq = ?1;");
            REQUIRE(q.ok());
            q->bind(1, seq);
            auto row = q->step();
            REQUIRE(row.ok());
            if (!*row)
                break;
            const std::string recordId = q->columnText(0);
            for (const auto& e : f.records->auditLog().forRecord(recordId).value())
                if (e.seq == seq)
                    all.push_back(e);
        }
        REQUIRE(all.size() >= 4);
        std::string prev = all[1].hash;
        for (std::size_t i = 2; i < all.size(); ++i) {
            all[i].prevHash = prev;
            all[i].hash = AuditLog::chainHash(all[i]);
            prev = all[i].hash;
            sql(f, "UPDATE audit_log SET prev_hash = '" + all[i].prevHash + "', hash = '" + all[i].hash
                       + "' WHERE seq = " + std::to_string(all[i].seq) + ";");
        }
        sql(f, "UPDATE store_meta SET value = '" + std::to_string(all.back().seq) + ":" + prev
                   + "' WHERE key = 'audit_head';");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 3);
        CHECK(v.problem.find("MAC") != std::string::npos);
    }
    SECTION("two entries swapped")
    {
        sql(f, "UPDATE audit_log SET seq = -1 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = 9;"
               "UPDATE audit_log SET seq = 9 WHERE seq = -1;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 8);
    }
    SECTION("the newest entries cut off")
    {
        sql(f, "DELETE FROM audit_log WHERE seq >= 11;");
        auto v = f.records->auditLog().verify().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 11);
    }
    SECTION("untouched")
    {
        CHECK(f.records->auditLog().verify().value().intact);
    }
}

TEST_CASE("Making a referral writes a disclosure entry naming its recipients, from the product's own save", "[audit]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    Incident draft;
    draft.owner = f.officer.userId;
    auto made = repo.createDraft(f.officer, draft);
    REQUIRE(made.ok());
    Incident incident = *made;
    Victim v;
    v.person.name = "Invented Person";
    v.consent.shareWithPartners = true;
    incident.victims.push_back(v);
    REQUIRE(repo.save(f.officer, incident).ok());
    const auto disclosures = [&] {
        std::vector<AuditEntry> out;
        for (const auto& e : f.records->auditLog().forRecord(incident.id).value())
            if (e.action == AuditAction::Disclosure)
                out.push_back(e);
        return out;
    };
    CHECK(disclosures().empty());  // a victim recorded is no disclosure

    Referral r;
    r.victimId = incident.victims[0].id;
    r.agency = "idva";
    r.toUser = "idva.f";
    r.date = "2026-11-23";
    incident.referrals.push_back(r);
    REQUIRE(repo.save(f.officer, incident).ok());
    auto entries = disclosures();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].actor == f.officer.userId);
    CHECK(entries[0].entity == "referral");
    CHECK(entries[0].justification == "referral to a partner agency, on the victim's consent");
    CHECK(entries[0].recipients == std::vector<std::string>{"agency: idva", "idva.f"});

    // Saving it again unchanged discloses nothing more; sending it to another user does.
    REQUIRE(repo.save(f.officer, incident).ok());
    CHECK(disclosures().size() == 1);
    incident.referrals[0].toUser = "idva.g";
    REQUIRE(repo.save(f.officer, incident).ok());
    entries = disclosures();
    REQUIRE(entries.size() == 2);
    CHECK(entries[1].recipients == std::vector<std::string>{"agency: idva", "idva.g"});

    // A victim referred without her consent: the entry names the lawful basis it rests on.
    Victim w;
    w.id = newUuid();
    w.person.name = "Another Invented Person";
    w.consent.shareWithPartners = false;
    w.consent.lawfulBasis = "Crime and Disorder Act 1998 s.115";
    w.consent.justification = "high risk of serious harm; she declined out of fear of the suspect";
    incident.victims.push_back(w);
    Referral toRefuge;
    toRefuge.victimId = incident.victims[1].id;
    toRefuge.agency = "refuge";
    toRefuge.date = "2026-11-24";
    incident.referrals.push_back(toRefuge);
    REQUIRE(repo.save(f.officer, incident).ok());
    entries = disclosures();
    REQUIRE(entries.size() == 3);
    CHECK(entries[2].justification
          == "referral to a partner agency, without the victim's consent, on a lawful basis: Crime and Disorder Act "
             "1998 s.115");
    CHECK(entries[2].recipients == std::vector<std::string>{"agency: refuge"});
    CHECK(f.records->auditLog().verify().value().intact);
}

TEST_CASE("A supervisor's removal carries its reason in the op and is audited, a restore brings the row back",
          "[audit][records]")
{
    RecordsFixture f;
    const std::string id = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, id, id, "", json::object(), {{"refs.cad", "CAD 1"}}).ok());
    const Actor supervisor{"ds.s", "quality assurance"};
    REQUIRE(f.records->remove(supervisor, Entity::Incident, id, "entered twice: the same call as CAD 2").ok());
    CHECK((*f.records->get(Entity::Incident, id).value()).deleted);
    REQUIRE(f.records->restore(supervisor, Entity::Incident, id).ok());
    CHECK_FALSE((*f.records->get(Entity::Incident, id).value()).deleted);

    std::vector<nlohmann::json> deletes;
    for (const auto& op : f.records->pendingOps(1000).value())
        if (op.field == "@delete")
            deletes.push_back(op.value);
    REQUIRE(deletes.size() == 2);
    CHECK(deletes[0] == json{{"reason", "entered twice: the same call as CAD 2"}});
    CHECK(deletes[1] == false);

    auto entries = f.records->auditLog().forRecord(id).value();
    const auto erasure = std::find_if(entries.begin(), entries.end(),
                                      [](const AuditEntry& e) { return e.action == AuditAction::Erasure; });
    REQUIRE(erasure != entries.end());
    CHECK(erasure->actor == "ds.s");
    CHECK(erasure->detail.find("with a reason") != std::string::npos);
    CHECK(erasure->detail.find("entered twice") == std::string::npos);  // metadata only, never the words
    CHECK(std::any_of(entries.begin(), entries.end(), [](const AuditEntry& e) {
        return e.action == AuditAction::Alteration && e.detail.find("restored") != std::string::npos;
    }));
}
