#include "core/figures/FigureIndex.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/JsonText.h"
#include "core/records/Hlc.h"
#include "core/records/RecordStore.h"
#include "core/records/SupervisionLists.h"
#include "core/risk/Dates.h"
#include "core/risk/PersonMatch.h"
#include "core/store/Database.h"

namespace vigil::figure_index {

namespace {

std::string text(const RecordRow& row, const char* field)
{
    const auto& v = row.field(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

bool isTrue(const RecordRow& row, const char* field) { return row.field(field) == true; }

Status removeRow(Database& db, const char* table, const char* key, const std::string& id)
{
    auto q = db.prepare(std::string("DELETE FROM ") + table + " WHERE " + key + " = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, id);
    return q->run();
}

/// The packed people of the incident whose id is the SQL term `incident` (figure_index::kPerson).
std::string peopleOf(const std::string& incident)
{
    return "coalesce((SELECT group_concat(p, char(30)) FROM (SELECT role || char(31) || ordinal || char(31) || birth_date"
           " || char(31) || age_band || char(31) || gender || char(31) || ethnicity || char(31) || disability"
           " || char(31) || religion || char(31) || sexual_orientation || char(31) || grade || char(31)"
           " || marac_referred || char(31) || coalesce((SELECT gap FROM figure_marac m WHERE m.person_id ="
           " figure_person.person_id), '') || char(31) || person_id AS p FROM figure_person WHERE incident_id = "
           + incident
           + " AND role IN ('victim', 'suspect', 'child') ORDER BY role, ordinal, person_id)), '')";
}

/// The MARAC referrals standing on victims of the incidents (or the person) `where` names, with
/// what matches them across incidents (person_index, written before the figures' facts).
std::string maracOf(const std::string& where)
{
    return "INSERT OR REPLACE INTO figure_marac (person_id, incident_id, occurred, state, name_key, birth_date, postcode,"
           " house, borough) SELECT fp.person_id, fp.incident_id, fi.occurred, fi.state, pi.name_key, pi.birth_date,"
           " pi.postcode, pi.house, fi.borough FROM figure_person fp JOIN figure_incident fi ON fi.incident_id = fp.incident_id"
           " JOIN person_index pi ON pi.person_id = fp.person_id"
           " WHERE fp.role = 'victim' AND fp.marac_referred = 1" + where + ";";
}

Status refreshPeople(Database& db, const std::string& incidentId);

/// The names (person_index's name_key) the MARAC referrals `key` = `id` name are kept under.
Result<std::set<std::string>> maracNames(Database& db, const char* key, const std::string& id)
{
    auto q = db.prepare(std::string("SELECT DISTINCT name_key FROM figure_marac WHERE ") + key + " = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, id);
    std::set<std::string> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.insert(row.columnText(0)); }));
    return out;
}

/// Keep the MARAC referral of one person, or of every victim of one incident, as it now stands
/// (none when `refer` is false: the person or the incident is removed), and how long after an
/// earlier referral of the same person each referral under the names it had or has came.
/// `gaps` false while rebuild() derives every row (it works them all out once at the end).
Status refreshMarac(Database& db, const char* key, const std::string& id, bool refer = true, bool gaps = true)
{
    if (id.empty())
        return {};
    auto names = maracNames(db, key, id);
    if (!names)
        return std::move(names).error();
    VIGIL_TRY(removeRow(db, "figure_marac", key, id));
    if (refer) {
        auto q = db.prepare(maracOf(std::string(" AND fp.") + key + " = ?1"));
        if (!q)
            return std::move(q).error();
        q->bind(1, id);
        VIGIL_TRY(q->run());
        auto now = maracNames(db, key, id);
        if (!now)
            return std::move(now).error();
        names->insert(now->begin(), now->end());
    }
    if (!gaps)
        return {};
    std::set<std::string> repack;
    VIGIL_TRY(refreshMaracGaps(db, &*names, &repack));
    if (std::string_view(key) == "incident_id" && refer)
        repack.insert(id);  // its own pack may hold a gap from before its referrals were kept again
    for (const std::string& incident : repack)
        VIGIL_TRY(refreshPeople(db, incident));
    return {};
}

/// Pack an incident's people again on its row after one of them changed.
Status refreshPeople(Database& db, const std::string& incidentId)
{
    if (incidentId.empty())
        return {};
    auto q = db.prepare("UPDATE figure_incident SET people = " + peopleOf("?1") + " WHERE incident_id = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    return q->run();
}

/// The review clock of the incident whose id is the SQL term `incident`, packed from its
/// figure_clock rows (figure_index::kClock), and when it took its state.
std::string reviewOf(const std::string& incident)
{
    return "coalesce((SELECT group_concat(c, char(30)) FROM (SELECT kind || char(31) || at || char(31) || detail AS c"
           " FROM figure_clock WHERE incident_id = " + incident + " AND kind IN ('started', 'state', 'allocated',"
           " 'supervision') ORDER BY row_id)), '')";
}

/// The Victims' Code clock of the incident whose id is the SQL term `incident` (kinds started,
/// report, consent, case_event and contact), packed like its review clock with each row's case
/// and id, and the last time of those its items can run from (`code_last`).
std::string codeOf(const std::string& incident)
{
    return "coalesce((SELECT group_concat(c, char(30)) FROM (SELECT kind || char(31) || case_id || char(31) || at"
           " || char(31) || detail || char(31) || row_id AS c FROM figure_clock WHERE incident_id = " + incident
           + " AND kind IN ('started', 'report', 'consent', 'case_event', 'contact') ORDER BY row_id)), '')";
}

/// The latest (`last`) or earliest moment a Victims' Code item of the incident runs from: its
/// start, its cases' reports, consents and events (not contacts: they settle items, start none).
std::string codeMomentOf(const std::string& incident, bool last)
{
    return std::string("coalesce((SELECT ") + (last ? "max" : "min") + "(at) FROM figure_clock WHERE incident_id = "
           + incident + " AND kind IN ('started', 'report', 'consent', 'case_event')), '')";
}
std::string codeLastOf(const std::string& incident) { return codeMomentOf(incident, true); }
std::string codeFirstOf(const std::string& incident) { return codeMomentOf(incident, false); }

/// Pack an incident's Victims' Code clock again on its row after one of its rows changed.
Status refreshCode(Database& db, const std::string& incidentId)
{
    if (incidentId.empty())
        return {};
    auto q = db.prepare("UPDATE figure_incident SET code = " + codeOf("?1") + ", code_last = " + codeLastOf("?1")
                        + ", code_first = " + codeFirstOf("?1") + " WHERE incident_id = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    return q->run();
}

std::string stateAtOf(const std::string& incident)
{
    return "coalesce((SELECT at FROM figure_clock WHERE row_id = " + incident + " || '#state'), '')";
}

/// Pack an incident's review clock again on its row after a supervision log entry changed.
Status refreshReview(Database& db, const std::string& incidentId)
{
    if (incidentId.empty())
        return {};
    auto q = db.prepare("UPDATE figure_incident SET review = " + reviewOf("?1") + " WHERE incident_id = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    return q->run();
}

/// A person's answer as packed: control characters (the separators among them) become spaces, so
/// free text recorded before the lists existed cannot break the packing (it is no list's answer).
std::string packable(std::string value)
{
    for (char& c : value) {
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    }
    return value;
}

Status indexIncident(Database& db, const RecordRow& row, bool pack)
{
    if (row.deleted) {
        VIGIL_TRY(refreshMarac(db, "incident_id", row.id, false, pack));
        return removeRow(db, "figure_incident", "incident_id", row.id);
    }
    int facts = 0;
    const auto set = [&](bool on, Fact f) { facts |= on ? f : 0; };
    set(isTrue(row, "incident.crime"), Crime);
    set(isTrue(row, "flags.serious_sexual_offence"), SeriousSexualOffence);
    set(isTrue(row, "flags.repeat_victim"), RepeatVictim);
    set(isTrue(row, "flags.hbv") || isTrue(row, "flags.forced_marriage"), HbvOrForcedMarriage);
    set(isTrue(row, "positive_action.power_of_arrest"), PowerOfArrest);
    set(isTrue(row, "positive_action.arrest_made"), ArrestAtScene);
    set(!text(row, "refs.cad").empty(), Cad);
    set(!text(row, "refs.cris").empty(), Cris);
    set(!text(row, "refs.crimint").empty(), Crimint);
    set(!text(row, "refs.merlin_pac").empty(), Merlin);
    set(isTrue(row, "outcome.arrested_later"), ArrestLater);
    set(isTrue(row, "outcome.da_homicide"), DaHomicide);
    // Its clock rows (clockIncident) are written first: the review clock is packed from them.
    auto q = db.prepare("INSERT OR REPLACE INTO figure_incident (incident_id, occurred, state, borough, team, owner, facts,"
                        " outcome, court_result, people, state_at, review, code, code_last, code_first) VALUES (?1, ?2,"
                        " ?3, ?4, ?5, ?6, ?7, ?8, ?9, " + peopleOf("?1") + ", " + stateAtOf("?1") + ", " + reviewOf("?1")
                        + ", " + codeOf("?1") + ", " + codeLastOf("?1") + ", " + codeFirstOf("?1") + ");");
    if (!q)
        return std::move(q).error();
    q->bind(1, row.id)
        .bind(2, text(row, "incident.date").substr(0, 10))
        .bind(3, text(row, "state"))
        .bind(4, text(row, "incident.borough"))
        .bind(5, text(row, "incident.team"))
        .bind(6, text(row, "incident.owner"))
        .bind(7, static_cast<std::int64_t>(facts))
        .bind(8, text(row, "outcome.result"))
        .bind(9, text(row, "outcome.court_result"));
    VIGIL_TRY(q->run());
    VIGIL_TRY(refreshMarac(db, "incident_id", row.id, true, pack));
    // The incident's date and borough on its events: the figures read them a borough at a time,
    // in date order.
    auto u = db.prepare("UPDATE figure_event SET occurred = ?2, borough = ?3 WHERE incident_id = ?1"
                        " AND (occurred <> ?2 OR borough <> ?3);");
    if (!u)
        return std::move(u).error();
    u->bind(1, row.id).bind(2, text(row, "incident.date").substr(0, 10)).bind(3, text(row, "incident.borough"));
    return u->run();
}

/// The incident's date and borough as its facts hold them ("" until the incident itself is
/// indexed: a pull may bring an event before its incident, whose indexing then dates it).
constexpr const char* kIncidentDate = "coalesce((SELECT occurred FROM figure_incident WHERE incident_id = ?2), '')";
constexpr const char* kIncidentBorough = "coalesce((SELECT borough FROM figure_incident WHERE incident_id = ?2), '')";

/// The incident a person's facts were kept under ("" when none were).
Result<std::string> keptUnder(Database& db, const std::string& personId)
{
    auto q = db.prepare("SELECT incident_id FROM figure_person WHERE person_id = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, personId);
    std::string out;
    VIGIL_TRY(q->forEach([&](const Query& r) { out = r.columnText(0); }));
    return out;
}

/// `pack`: pack the incident's people again at once (not while rebuild() derives every row: it
/// packs every incident once at the end).
Status indexPerson(Database& db, const RecordRow& row, bool pack)
{
    auto before = keptUnder(db, row.id);
    if (!before)
        return std::move(before).error();
    if (row.deleted || row.incidentId.empty()) {
        VIGIL_TRY(removeRow(db, "figure_person", "person_id", row.id));
        VIGIL_TRY(refreshMarac(db, "person_id", row.id, false, pack));
        return pack ? refreshPeople(db, *before) : Status{};
    }
    // The MARAC decision that stands: the supervisor's when they made one.
    const std::string bySupervisor = text(row, "marac.supervisor");
    const bool referred = bySupervisor.empty() || bySupervisor == "undecided" ? text(row, "marac.decision") == "refer"
                                                                               : bySupervisor == "refer";
    const std::string supervisorGrade = text(row, "grade.supervisor");
    const auto& ordinal = row.field("ordinal");
    auto q = db.prepare(
        "INSERT OR REPLACE INTO figure_person (person_id, incident_id, role, ordinal, birth_date, age_band, gender,"
        " ethnicity, disability, religion, sexual_orientation, grade, marac_referred)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13);");
    if (!q)
        return std::move(q).error();
    q->bind(1, row.id)
        .bind(2, row.incidentId)
        .bind(3, packable(text(row, "role")))
        .bind(4, ordinal.is_number_integer() ? ordinal.get<std::int64_t>() : std::int64_t{0})
        .bind(5, packable(text(row, "person.date_of_birth")))
        .bind(6, packable(text(row, "person.diversity.age_band")))
        .bind(7, packable(text(row, "person.diversity.gender")))
        .bind(8, packable(text(row, "person.diversity.ethnicity")))
        .bind(9, packable(text(row, "person.diversity.disability")))
        .bind(10, packable(text(row, "person.diversity.religion")))
        .bind(11, packable(text(row, "person.diversity.sexual_orientation")))
        .bind(12, packable(supervisorGrade.empty() ? text(row, "grade.officer") : supervisorGrade))
        .bind(13, std::int64_t{referred ? 1 : 0});
    VIGIL_TRY(q->run());
    if (!pack)
        return {};
    VIGIL_TRY(refreshMarac(db, "person_id", row.id));
    if (*before != row.incidentId)
        VIGIL_TRY(refreshPeople(db, *before));
    return refreshPeople(db, row.incidentId);
}

/// What a row of the investigation, the feedback forms or the supervision log counts as ("" for
/// nothing the figures count).
std::string eventKind(const RecordRow& row)
{
    const std::string kind = text(row, "kind");
    switch (row.entity) {
    case Entity::CaseEvent:
        if (kind == "arrest")
            return "arrest";
        if (kind == "charge_decision" && isTrue(row, "charged"))
            return "charged";
        return {};
    case Entity::FeedbackForm:
        return kind.empty() ? std::string() : "form:" + kind;
    case Entity::Supervision:
        return kind == "qa" ? "qa:" + text(row, "outcome") : std::string();
    default:
        return {};
    }
}

Status indexEvent(Database& db, const RecordRow& row)
{
    const std::string kind = row.deleted ? std::string() : eventKind(row);
    if (kind.empty() || row.incidentId.empty())
        return removeRow(db, "figure_event", "row_id", row.id);
    auto q = db.prepare("INSERT OR REPLACE INTO figure_event (row_id, incident_id, kind, at, occurred, borough)"
                        " VALUES (?1, ?2, ?3, ?4, " + std::string(kIncidentDate) + ", " + kIncidentBorough + ");");
    if (!q)
        return std::move(q).error();
    q->bind(1, row.id).bind(2, row.incidentId).bind(3, kind).bind(4, text(row, "at").substr(0, 10));
    return q->run();
}


// The clocks' times (figure_clock): ISO 8601 UTC to the second, so they compare as text.

std::string instantText(const std::string& iso)
{
    const auto t = parseIsoDateTime(iso);
    return t ? formatIsoDateTime(*t) : std::string();
}

std::string instantText(std::chrono::sys_seconds t) { return formatIsoDateTime(t); }

Status putClock(Database& db, const std::string& rowId, const std::string& incidentId, const std::string& caseId,
                std::string_view kind, const std::string& at, const std::string& detail, bool keepUndated = false)
{
    if ((at.empty() && !keepUndated) || incidentId.empty())
        return removeRow(db, "figure_clock", "row_id", rowId);
    auto q = db.prepare("INSERT OR REPLACE INTO figure_clock (row_id, incident_id, case_id, kind, at, detail)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
    if (!q)
        return std::move(q).error();
    q->bind(1, rowId).bind(2, incidentId).bind(3, caseId).bind(4, std::string(kind)).bind(5, at).bind(6, packable(detail));
    return q->run();
}

/// When the 124D was started, took its state and was allocated: what its review cadence counts
/// from (reviewClockOf, the desk's own reading of the stamps).
Status clockIncident(Database& db, const RecordRow& row)
{
    const std::string started = row.id + "#started", state = row.id + "#state", allocated = row.id + "#allocated";
    if (row.deleted) {
        for (const std::string& id : {started, state, allocated})
            VIGIL_TRY(removeRow(db, "figure_clock", "row_id", id));
        return {};
    }
    const ReviewClock clock = reviewClockOf(row);
    VIGIL_TRY(putClock(db, started, row.id, "", kStarted, instantText(clock.started), ""));
    VIGIL_TRY(putClock(db, state, row.id, "", kState, instantText(clock.stateSince), text(row, "state")));
    return putClock(db, allocated, row.id, "", kAllocated, instantText(text(row, "investigation.allocated_at")), "");
}

/// The incident the clock rows of a record (a case's: its id with "#report" and "#consent") were
/// kept under ("" when none were).
Result<std::string> clockedUnder(Database& db, const std::string& rowId)
{
    auto q = db.prepare("SELECT incident_id FROM figure_clock WHERE row_id = ?1 OR row_id = ?1 || '#report'"
                        " OR row_id = ?1 || '#consent';");
    if (!q)
        return std::move(q).error();
    q->bind(1, rowId);
    std::string out;
    VIGIL_TRY(q->forEach([&](const Query& r) { out = r.columnText(0); }));
    return out;
}

/// `pack`: pack the incident's review clock again at once (rebuild() packs every incident at the end).
Status clockSupervision(Database& db, const RecordRow& row, bool pack)
{
    auto before = pack ? clockedUnder(db, row.id) : Result<std::string>(std::string());
    if (!before)
        return std::move(before).error();
    if (row.deleted) {
        VIGIL_TRY(removeRow(db, "figure_clock", "row_id", row.id));
    } else {
        const std::string kind = text(row, "kind");
        const std::string detail = kind + ":" + text(row, kind == "review" ? "level" : "outcome");
        VIGIL_TRY(putClock(db, row.id, row.incidentId, "", kSupervision, instantText(text(row, "at")), detail));
    }
    if (!pack)
        return {};
    if (*before != row.incidentId)
        VIGIL_TRY(refreshReview(db, *before));
    return refreshReview(db, row.incidentId);
}

/// A victim's investigation case: when it counts the report from, and her answer on victim
/// services (an IDVA's case runs no Victims' Code clock: the Code is the police's duty).
Status clockCase(Database& db, const RecordRow& row)
{
    const std::string report = row.id + "#report", consent = row.id + "#consent";
    if (row.deleted || text(row, "kind") != "investigation") {
        VIGIL_TRY(removeRow(db, "figure_clock", "row_id", report));
        return removeRow(db, "figure_clock", "row_id", consent);
    }
    VIGIL_TRY(putClock(db, report, row.incidentId, row.id, kReport, instantText(text(row, "referred_at")), ""));
    const auto& answer = row.field("services_consent");
    if (!answer.is_boolean())
        return removeRow(db, "figure_clock", "row_id", consent);
    // Consent recorded without its time (before it was kept) counts from the report: kept undated.
    return putClock(db, consent, row.incidentId, row.id, kConsent, instantText(text(row, "services_consent_at")),
                    answer.get<bool>() ? "given" : "refused", true);
}

Status clockCasePart(Database& db, const RecordRow& row)
{
    if (row.deleted)
        return removeRow(db, "figure_clock", "row_id", row.id);
    if (row.entity == Entity::CaseEvent)
        return putClock(db, row.id, row.incidentId, row.parentId, kCaseEvent, instantText(text(row, "at")),
                        text(row, "kind"));
    std::string detail = text(row, "outcome") + ";";
    if (const auto& duties = row.field("duties"); duties.is_array()) {
        bool first = true;
        for (const auto& d : duties) {
            if (!d.is_string())
                continue;
            detail += (first ? "" : ",") + d.get<std::string>();
            first = false;
        }
    }
    return putClock(db, row.id, row.incidentId, row.parentId, kContact, instantText(text(row, "at")), detail);
}

/// Write a row's Victims' Code clocks with `clock`; `pack`: pack its incident's (and, when it
/// moved, the one's before) again at once (rebuild() packs every incident at the end).
Status packingCode(Database& db, const RecordRow& row, bool pack, Status (*clock)(Database&, const RecordRow&))
{
    auto before = pack ? clockedUnder(db, row.id) : Result<std::string>(std::string());
    if (!before)
        return std::move(before).error();
    VIGIL_TRY(clock(db, row));
    if (!pack)
        return {};
    if (*before != row.incidentId)
        VIGIL_TRY(refreshCode(db, *before));
    return refreshCode(db, row.incidentId);
}

Status indexRow(Database& db, const RecordRow& row, bool pack)
{
    switch (row.entity) {
    case Entity::Incident:
        VIGIL_TRY(clockIncident(db, row));
        return indexIncident(db, row, pack);
    case Entity::Person:
        return indexPerson(db, row, pack);
    case Entity::Supervision:
        VIGIL_TRY(clockSupervision(db, row, pack));
        return indexEvent(db, row);
    case Entity::CaseEvent:
        VIGIL_TRY(packingCode(db, row, pack, clockCasePart));
        return indexEvent(db, row);
    case Entity::FeedbackForm:
        return indexEvent(db, row);
    case Entity::Case:
        return packingCode(db, row, pack, clockCase);
    case Entity::Contact:
        return packingCode(db, row, pack, clockCasePart);
    default:
        return {};
    }
}

}  // namespace

Status indexRow(Database& db, const RecordRow& row) { return indexRow(db, row, true); }

Status repackReferredPeople(Database& db)
{
    return db.exec("UPDATE figure_incident SET people = " + peopleOf("figure_incident.incident_id")
                   + " WHERE incident_id IN (SELECT incident_id FROM figure_marac);");
}

Status refreshMaracGaps(Database& db, const std::set<std::string>* names, std::set<std::string>* changedIncidents)
{
    // One name's referrals at a time (they come in name order), each person's by matchPersons as a
    // victim's history matches them (IncidentRepository::historyFor).
    struct Referral {
        std::string personId, incidentId;
        std::chrono::sys_days day;
        bool received = false;
        NormalisedPerson person;
        std::optional<std::int64_t> gap;
    };
    std::vector<Referral> group;
    std::vector<std::pair<std::string, std::optional<std::int64_t>>> changed;
    const auto work = [&] {
        std::sort(group.begin(), group.end(), [](const Referral& a, const Referral& b) { return a.day < b.day; });
        for (std::size_t i = 0; i < group.size(); ++i) {
            const Referral& me = group[i];
            // The nearest earlier (or same-day) referral of the same person on another received 124D.
            std::size_t end = i + 1;
            while (end < group.size() && group[end].day == me.day)
                ++end;
            std::optional<std::int64_t> gap;
            for (std::size_t j = end; j-- > 0;) {
                const Referral& other = group[j];
                if (j == i || !other.received || other.incidentId == me.incidentId)
                    continue;
                if (matchPersons(me.person, other.person) != MatchBasis::None) {
                    gap = (me.day - other.day).count();
                    break;
                }
            }
            if (gap != me.gap) {
                changed.emplace_back(me.personId, gap);
                if (changedIncidents)
                    changedIncidents->insert(me.incidentId);
            }
        }
        group.clear();
    };
    std::string sql = "SELECT person_id, incident_id, occurred, state, name_key, birth_date, postcode, house, gap"
                      " FROM figure_marac INDEXED BY figure_marac_name WHERE name_key ";
    sql += names ? "= ?1;" : "<> '' ORDER BY name_key;";
    auto q = db.prepare(sql);
    if (!q)
        return std::move(q).error();
    const auto read = [&](const Query& row) {
        const auto day = parseIsoDate(row.columnView(2));
        if (!day)
            return;  // no date: never a repeat, nor one a repeat is of
        if (!group.empty() && group.back().person.name != row.columnView(4))
            work();
        Referral r{row.columnText(0), row.columnText(1), *day, false,
                   NormalisedPerson{row.columnText(4), parseIsoDate(row.columnView(5)), row.columnText(6),
                                    row.columnText(7)}, std::nullopt};
        const std::string_view state = row.columnView(3);
        r.received = std::string_view(kReceivedStates).find("'" + std::string(state) + "'") != std::string_view::npos;
        if (!row.columnIsNull(8))
            r.gap = row.columnInt(8);
        group.push_back(std::move(r));
    };
    if (names) {
        for (const std::string& name : *names) {
            if (name.empty())
                continue;
            q->bind(1, name);
            VIGIL_TRY(q->forEach(read));
            work();
        }
    } else {
        VIGIL_TRY(q->forEach(read));
        work();
    }
    auto u = db.prepare("UPDATE figure_marac SET gap = ?2 WHERE person_id = ?1;");
    if (!u)
        return std::move(u).error();
    for (const auto& [personId, gap] : changed) {
        u->bind(1, personId);
        if (gap)
            u->bind(2, *gap);
        else
            u->bindNull(2);
        VIGIL_TRY(u->run());
    }
    return {};
}

Status dropIncident(Database& db, const std::string& incidentId)
{
    VIGIL_TRY(refreshMarac(db, "incident_id", incidentId, false));
    for (const char* table : {"figure_incident", "figure_person", "figure_event", "figure_clock"})
        VIGIL_TRY(removeRow(db, table, "incident_id", incidentId));
    return {};
}

Status rebuild(Database& db)
{
    VIGIL_TRY(db.exec("DELETE FROM figure_month; DELETE FROM figure_code_day; DELETE FROM figure_incident; DELETE FROM figure_person;"
                      " DELETE FROM figure_event; DELETE FROM figure_clock; DELETE FROM figure_marac;"));
    for (const Entity entity : {Entity::Incident, Entity::Person, Entity::CaseEvent, Entity::FeedbackForm,
                                Entity::Supervision, Entity::Case, Entity::Contact}) {
        auto q = db.prepare("SELECT id, coalesce(incident_id, ''), fields, coalesce(parent_id, ''), origin, created_hlc,"
                            " stamps FROM " + std::string(toString(entity)) + " WHERE deleted = 0;");
        if (!q)
            return std::move(q).error();
        // Written while the rows are read: SQLite lets a connection write other tables while one
        // of its statements reads, and a row at a time keeps a borough's rows out of memory.
        Status written;
        VIGIL_TRY(q->forEach([&](const Query& r) {
            if (!written.ok())
                return;
            RecordRow row;
            row.entity = entity;
            row.id = r.columnText(0);
            row.incidentId = entity == Entity::Incident ? row.id : r.columnText(1);
            row.fields = vigil::json::parse(r.columnText(2));
            if (!row.fields.is_object())
                row.fields = nlohmann::json::object();
            row.parentId = r.columnText(3);
            row.origin = r.columnText(4);
            row.createdHlc = hlcFromString(r.columnText(5)).value_or(0);
            if (entity == Entity::Incident)  // when it took its state (the review cadence's clock)
                row.stamps = stampsFromJson(vigil::json::parse(r.columnText(6)), row.origin);
            written = indexRow(db, row, false);
        }));
        VIGIL_TRY(written);
    }
    // Every referral kept, with how long after the same person's last one it came; then every
    // incident's people (with those gaps), review and Victims' Code clocks packed once, now that
    // they are all derived.
    VIGIL_TRY(db.exec(maracOf("")));
    VIGIL_TRY(refreshMaracGaps(db, nullptr));
    return repack(db);
}

Status repack(Database& db)
{
    return db.exec("UPDATE figure_incident SET people = " + peopleOf("figure_incident.incident_id") + ", state_at = "
                   + stateAtOf("figure_incident.incident_id") + ", review = " + reviewOf("figure_incident.incident_id")
                   + ", code = " + codeOf("figure_incident.incident_id") + ", code_last = "
                   + codeLastOf("figure_incident.incident_id") + ", code_first = "
                   + codeFirstOf("figure_incident.incident_id")
                   + "; DELETE FROM figure_month; DELETE FROM figure_code_day;");
}

}  // namespace vigil::figure_index
