#include "tests/support/HistoryReference.h"

#include <set>

#include "core/risk/Dates.h"
#include "core/risk/PersonMatch.h"
#include "core/store/Database.h"

namespace vigil::test {

Result<History> referenceHistoryFor(RecordStore& store, const Incident& incident, std::size_t victimIndex,
                                    const HistorySource& source)
{
    History history;
    history.source = source;
    if (victimIndex >= incident.victims.size())
        return history;
    const Person& victim = incident.victims[victimIndex].person;
    const std::string key = normaliseName(victim.name);
    if (key.empty())
        return history;
    auto candidates = store.database().prepare(
        "SELECT p.person_id, p.incident_id, i.occurred, i.crime FROM person_index p JOIN incident_index i"
        " ON i.incident_id = p.incident_id WHERE p.name_key = ?1 AND p.role = 'victim' AND p.incident_id != ?2;");
    if (!candidates)
        return std::move(candidates).error();
    candidates->bind(1, key).bind(2, incident.id);
    struct Candidate {
        std::string personId, incidentId, occurred;
        bool crime;
    };
    std::vector<Candidate> found;
    VIGIL_TRY(candidates->forEach([&](const Query& row) {
        found.push_back({row.columnText(0), row.columnText(1), row.columnText(2), row.columnInt(3) != 0});
    }));
    std::set<std::string> seen;
    for (const auto& c : found) {
        auto personRow = store.get(Entity::Person, c.personId);
        if (!personRow)
            return std::move(personRow).error();
        if (!personRow->has_value())
            continue;
        const nlohmann::json tree = unflattenFields((*personRow)->fields);
        auto person = personFromJson(tree.value("person", nlohmann::json::object()), "person");
        if (!person || matchPersons(victim, *person) == MatchBasis::None)
            continue;
        const auto date = parseIsoDate(c.occurred.substr(0, 10));
        if (!date)
            continue;
        if (seen.insert(c.incidentId).second) {
            HistoryIncident h;
            h.id = c.incidentId;
            h.date = *date;
            h.crime = c.crime;
            h.victims.push_back(*person);
            history.incidents.push_back(std::move(h));
        }
        const auto& officer = (*personRow)->field("marac.decision");
        const auto& supervisor = (*personRow)->field("marac.supervisor");
        const auto& decision = supervisor.is_string() && supervisor.get<std::string>() != "undecided" ? supervisor : officer;
        if (decision.is_string() && decision.get<std::string>() == "refer")
            history.maracReferrals.push_back({c.incidentId, *date, *person});
    }
    return history;
}

Status indexesAsBeforeStep11(Database& db)
{
    // Schema step 3's table and index, as they were created (step 11 replaced the index).
    return db.exec("CREATE TABLE person_index_old (person_id TEXT PRIMARY KEY NOT NULL, incident_id TEXT NOT NULL,"
                   " role TEXT NOT NULL, name_key TEXT NOT NULL) WITHOUT ROWID;"
                   "INSERT INTO person_index_old (person_id, incident_id, role, name_key)"
                   " SELECT person_id, incident_id, role, name_key FROM person_index;"
                   "DROP TABLE person_index;"
                   "ALTER TABLE person_index_old RENAME TO person_index;"
                   "CREATE INDEX person_index_name ON person_index (name_key, role);"
                   "DELETE FROM store_meta WHERE key = 'person_index';"
                   "DROP INDEX IF EXISTS incident_index_state;");
}

}  // namespace vigil::test
