// A victim's history is matched from person_index (schema step 11: the index keeps what person
// matching compares), and only the people who match are read. It must find exactly what reading
// every victim of the same name found (tests/support/HistoryReference), on the cases the
// matching rules are strict about, and on a store upgraded from before step 11.
#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/Dates.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "tests/support/Check.h"
#include "tests/support/HistoryReference.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;

namespace {

/// One line per earlier incident and referral, every field the rules and the editor read.
std::string describe(const History& h)
{
    const auto person = [](const Person& p) { return personToJson(p).dump(); };
    std::string out;
    for (const auto& i : h.incidents) {
        out += "incident " + i.id + " " + formatIsoDate(i.date) + (i.crime ? " crime" : "") + " victims";
        for (const auto& p : i.victims)
            out += " " + person(p);
        out += "\n";
    }
    for (const auto& m : h.maracReferrals)
        out += "referral " + m.id + " " + formatIsoDate(m.date) + " " + person(m.victim) + "\n";
    return out;
}

/// historyFor and the reference give the same history for every victim of every incident here.
void checkEveryVictimAsReference(RecordStore& store)
{
    IncidentRepository repo(store);
    std::size_t victims = 0;
    for (const auto& summary : repo.list(100000).value()) {
        const Incident incident = repo.read(summary.id).value();
        for (std::size_t v = 0; v < incident.victims.size(); ++v) {
            auto fast = repo.historyFor(incident, v, HistorySource{});
            auto reference = referenceHistoryFor(store, incident, v, HistorySource{});
            REQUIRE_OK(fast);
            REQUIRE_OK(reference);
            INFO(incident.id << " victim " << v << " (" << incident.victims[v].person.name << ")");
            CHECK(describe(*fast) == describe(*reference));
            ++victims;
        }
    }
    CHECK(victims > 0);
}

std::vector<std::string> columnsOf(Database& db, const std::string& table)
{
    auto q = db.prepare("PRAGMA table_info(" + table + ");");
    REQUIRE_OK(q);
    std::vector<std::string> out;
    REQUIRE_OK(q->forEach([&](const Query& row) { out.push_back(row.columnText(1)); }));
    return out;
}

struct People : RecordsFixture {
    IncidentRepository repo{*records};

    /// A 124D on `date` with one victim (and, when given, a suspect).
    Incident make(const std::string& date, const Person& victim, bool refer = false,
                  const std::function<void(Incident&)>& edit = {})
    {
        Incident i;
        i.date = date;
        i.crime = true;
        Victim v;
        v.person = victim;
        v.marac.decision = refer ? MaracDecisionKind::Refer : MaracDecisionKind::Undecided;
        i.victims.push_back(v);
        if (edit)
            edit(i);
        auto made = repo.createDraft(officer, i);
        REQUIRE_OK(made);
        return *made;
    }
};

Person person(const std::string& name, const std::string& dob, const std::string& house = "",
              const std::string& postcode = "")
{
    Person p;
    p.name = name;
    p.dateOfBirth = dob;
    p.address = Address{house.empty() ? "" : house + " Quill Street", house, postcode};
    return p;
}

std::set<std::string> idsOf(const History& h)
{
    std::set<std::string> out;
    for (const auto& i : h.incidents)
        out.insert(i.id);
    return out;
}

}  // namespace

TEST_CASE("History matched from the person index finds what reading every same-named victim found",
          "[records][history][person]")
{
    People f;
    const Person delphine = person("Delphine Okonkwo-Hart", "1979-04-02", "12", "E8 1AB");
    const std::string referred = f.make("2026-03-01", delphine, true).id;
    const std::string retyped =
        f.make("2025-12-24", person("  DELPHINE okonkwo hart ", "1979-04-02", "99", "N1 1AA")).id;  // case, spaces
    const std::string accented =
        f.make("2026-02-02", person("Délphine Okonkwo\u2011Hart", "1979-04-02")).id;  // accent, non-breaking hyphen
    const std::string withTime = f.make("2026-01-15", person("Delphine Okonkwo-Hart", "1979-04-02T00:00")).id;
    const std::string noDobSameAddress = f.make("2026-04-04", person("Delphine Okonkwo-Hart", "", "12", "e81ab")).id;
    const std::string notADateSameAddress =
        f.make("2026-04-05", person("Delphine Okonkwo-Hart", "02/04/1979", "12", "E8 1AB")).id;
    // Not her: a different date of birth decides, even at her address.
    const std::string otherDob = f.make("2026-05-05", person("Delphine Okonkwo-Hart", "1980-04-02", "12", "E8 1AB"), true).id;
    // Not her: no date of birth and another house, or no house, or no postcode.
    f.make("2026-05-06", person("Delphine Okonkwo-Hart", "", "14", "E8 1AB"));
    f.make("2026-05-07", person("Delphine Okonkwo-Hart", "", "", "E8 1AB"));
    f.make("2026-05-08", person("Delphine Okonkwo-Hart", "", "12", ""));
    // Not her: another spelling is another person.
    f.make("2026-06-06", person("Delphine Okonkwo-Harte", "1979-04-02", "12", "E8 1AB"));
    // Not counted: she is the suspect there, not the victim; and an undated draft.
    f.make("2026-06-07", person("Someone Else", "1970-01-01"), false, [&](Incident& i) {
        Suspect s;
        s.person = delphine;
        i.suspects.push_back(s);
    });
    f.make("", delphine);
    // Her later, moved house but with her date of birth: matched by it.
    const std::string moved = f.make("2026-07-07", person("Delphine Okonkwo-Hart", "1979-04-02", "3", "N16 7ZZ")).id;

    const Incident now = f.make("2026-11-23", delphine);
    auto h = f.repo.historyFor(now, 0, HistorySource{});
    REQUIRE_OK(h);
    CHECK(idsOf(*h) == std::set<std::string>{referred, retyped, accented, withTime, noDobSameAddress,
                                             notADateSameAddress, moved});
    REQUIRE(h->maracReferrals.size() == 1);
    CHECK(h->maracReferrals[0].id == referred);
    CHECK(h->maracReferrals[0].victim == delphine);

    // The same victim with no date of birth on this 124D: her address stands in for it, so the
    // records at 12, E8 1AB count, whatever date of birth they hold or lack.
    const Incident noDob = f.make("2026-11-24", person("Delphine Okonkwo-Hart", "", "12", "E8 1AB"));
    auto byAddress = f.repo.historyFor(noDob, 0, HistorySource{});
    REQUIRE_OK(byAddress);
    CHECK(idsOf(*byAddress) == std::set<std::string>{referred, noDobSameAddress, notADateSameAddress, otherDob, now.id});
    CHECK(byAddress->maracReferrals.size() == 2);
    checkEveryVictimAsReference(*f.records);
}

TEST_CASE("The person index follows a victim's record as it is edited and removed", "[records][history][person]")
{
    People f;
    const Person ada = person("Ada Byron", "1985-12-10", "5", "E2 9ZZ");
    Incident earlier = f.make("2026-01-01", ada, true);
    const Incident now = f.make("2026-11-23", ada);
    CHECK(f.repo.historyFor(now, 0, HistorySource{}).value().incidents.size() == 1);

    // A corrected date of birth: no longer her.
    earlier.victims[0].person.dateOfBirth = "1986-12-10";
    REQUIRE_OK(f.repo.save(f.officer, earlier));
    CHECK(f.repo.historyFor(now, 0, HistorySource{}).value().incidents.empty());
    // The date of birth cleared: the same address matches again.
    earlier.victims[0].person.dateOfBirth.clear();
    REQUIRE_OK(f.repo.save(f.officer, earlier));
    CHECK(f.repo.historyFor(now, 0, HistorySource{}).value().incidents.size() == 1);
    checkEveryVictimAsReference(*f.records);
    // The victim taken off that 124D: gone from the history.
    earlier.victims.clear();
    REQUIRE_OK(f.repo.save(f.officer, earlier));
    CHECK(f.repo.historyFor(now, 0, HistorySource{}).value().incidents.empty());
    checkEveryVictimAsReference(*f.records);
}

TEST_CASE("A store made before schema step 11 is upgraded when unlocked and finds the same history",
          "[records][history][person][migrate]")
{
    People f;
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    DemoOptions options;
    options.incidents = 150;
    options.seed = 23;
    options.repeatShare = 0.4;
    REQUIRE_OK(generateDemoData(f.repo, *f.records, models, rules, options, Actor{"officer-demo", "demo"}));
    // People the demo data does not make: a date of birth missing on one side, matched by address.
    f.make("2026-02-01", person("Niamh O'Connor", "1990-06-30", "7", "N1 4QQ"), true);
    f.make("2026-03-01", person("Niamh OConnor", "", "7", "n1 4qq"));
    f.make("2026-04-01", person("Niamh O\u2019Connor", "1991-06-30", "7", "N1 4QQ"));

    // The history as the code before step 11 found it, victim by victim.
    IncidentRepository& repo = f.repo;
    std::vector<std::pair<Incident, std::string>> expected;
    for (const auto& summary : repo.list(100000).value()) {
        const Incident incident = repo.read(summary.id).value();
        for (std::size_t v = 0; v < incident.victims.size(); ++v)
            expected.emplace_back(incident, describe(referenceHistoryFor(*f.records, incident, v, {}).value()));
    }
    std::size_t withHistory = 0;
    for (const auto& [incident, history] : expected)
        withHistory += history.empty() ? 0U : 1U;
    CHECK(withHistory > 40);
    const auto indexed = f.db->queryInt("SELECT count(*) FROM person_index;").value();

    // The device as a version before step 11 left it, then locked.
    REQUIRE_OK(indexesAsBeforeStep11(*f.db));
    REQUIRE_OK(f.db->exec("PRAGMA user_version = 10;"));
    CHECK(columnsOf(*f.db, "person_index") == std::vector<std::string>{"person_id", "incident_id", "role", "name_key"});
    f.records.reset();
    f.db.reset();

    // Unlocking runs step 11; opening the records derives the new columns from the person rows.
    auto db = f.store->unlock(kGoodPin);
    REQUIRE_OK(db);
    CHECK(schemaVersion(**db).value() == static_cast<int>(deviceSchema().size()));
    CHECK(columnsOf(**db, "person_index")
          == std::vector<std::string>{"person_id", "incident_id", "role", "name_key", "birth_date", "postcode", "house"});
    CHECK((*db)->queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'incident_index_state';").value() == 1);
    auto store = RecordStore::open(**db, f.time.clock());
    REQUIRE_OK(store);
    CHECK((*db)->queryInt("SELECT count(*) FROM person_index;").value() == indexed);
    CHECK((*db)->queryInt("SELECT count(*) FROM person_index WHERE birth_date = '';").value() < indexed / 10);
    IncidentRepository upgraded(**store);
    std::size_t v = 0;
    std::string lastIncident;
    for (const auto& [incident, history] : expected) {
        v = incident.id == lastIncident ? v + 1 : 0;
        lastIncident = incident.id;
        INFO(incident.id << " victim " << v);
        CHECK(describe(upgraded.historyFor(incident, v, {}).value()) == history);
    }
    checkEveryVictimAsReference(**store);
    // Derived once: opening again leaves the index as it is.
    REQUIRE_OK((*db)->exec("UPDATE person_index SET house = 'kept' WHERE person_id = (SELECT min(person_id) FROM person_index);"));
    auto again = RecordStore::open(**db, f.time.clock());
    REQUIRE_OK(again);
    CHECK((*db)->queryInt("SELECT count(*) FROM person_index WHERE house = 'kept';").value() == 1);
}
