#include "core/records/IncidentRepository.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "core/common/Text.h"
#include "core/common/Uuid.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/Dates.h"
#include "core/risk/PersonMatch.h"
#include "core/store/Database.h"

namespace vigil {

using nlohmann::json;

namespace {

std::string ensureId(std::string& id)
{
    if (id.empty())
        id = newUuid();
    return id;
}

json without(json object, std::initializer_list<const char*> keys)
{
    for (const char* k : keys)
        object.erase(k);
    return object;
}

std::int64_t ordinalOf(const RecordRow& row)
{
    const auto& v = row.field("ordinal");
    return v.is_number_integer() ? v.get<std::int64_t>() : 0;
}

std::string textOf(const RecordRow& row, const char* field)
{
    const auto& v = row.field(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

/// A string field of a parsed row, or "" (what textOf gives for a missing or non-text field).
std::string textIn(const json& fields, std::string_view name)
{
    const auto it = fields.find(name);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string personInitials(const std::string& name)
{
    // A letter outside ASCII is several UTF-8 bytes: keep all of them ("Émile" gives "É", not
    // half a character that no screen or PDF can show). Only ASCII is upper-cased here.
    std::string out;
    bool start = true;
    bool inInitial = false;
    for (char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == ' ' || c == '-') {
            start = true;
            inInitial = false;
        } else if (start) {
            out += byte < 0x80 ? static_cast<char>(std::toupper(byte)) : c;
            start = false;
            inInitial = byte >= 0xC0;  // a multi-byte character begins
        } else if (inInitial && (byte & 0xC0) == 0x80) {
            out += c;  // its continuation bytes
        } else {
            inInitial = false;
        }
    }
    return out.empty() ? "?" : out;
}

std::string IncidentRepository::answerId(const std::string& victimId, const std::string& questionId)
{
    return deterministicId(victimId + "/dash/" + questionId);
}

Result<Incident> IncidentRepository::createDraft(const Actor& actor, Incident draft)
{
    draft.id = newUuid();
    draft.state = LifecycleState::Draft;
    if (draft.owner.empty())
        draft.owner = actor.userId;
    Status s = m_store.transaction([&]() -> Status {
        // The create op carries what the server needs to decide who may see the record.
        VIGIL_TRY(m_store.create(actor, Entity::Incident, draft.id, draft.id, "",
                                 {{"owner", draft.owner}, {"team", draft.team}, {"borough", draft.borough}},
                                 {{"state", std::string(toString(LifecycleState::Draft))}}));
        return save(actor, draft);
    });
    if (!s.ok())
        return std::move(s).error();
    return draft;
}

Status IncidentRepository::syncParts(const Actor& actor, Entity entity, const std::string& incidentId,
                                     const std::vector<std::pair<std::string, json>>& rows)
{
    auto existing = m_store.rowsOfIncident(entity, incidentId);
    if (!existing)
        return std::move(existing).error();
    std::set<std::string> keep;
    for (const auto& [id, row] : rows) {
        keep.insert(id);
        const std::string parent = row.value("parent", std::string());
        json links = {{"incident", incidentId}};
        if (!parent.empty())
            links["parent"] = parent;
        VIGIL_TRY(m_store.upsert(actor, entity, id, incidentId, parent, links, row.at("fields")));
    }
    for (const auto& row : *existing) {
        if (!keep.count(row.id))
            VIGIL_TRY(m_store.remove(actor, entity, row.id));
    }
    return {};
}

namespace {

/// What a referral's disclosure rests on, for its audit entry (AuthorityPolicy's sharingBasis):
/// the victim's consent, or the lawful basis named (its justification stays in the record).
std::string sharedOn(const Incident& incident, const Referral& r)
{
    auto v = std::find_if(incident.victims.begin(), incident.victims.end(),
                          [&](const Victim& x) { return x.id == r.victimId; });
    if (v == incident.victims.end())
        return {};
    switch (sharingBasis(v->consent, r.agency)) {
    case SharingBasis::Consent:
        return ", on the victim's consent";
    case SharingBasis::MaracConsent:
        return ", on the victim's consent to a MARAC referral";
    case SharingBasis::LawfulBasis:
        return ", without the victim's consent, on a lawful basis: " + v->consent.lawfulBasis;
    case SharingBasis::None:
    case SharingBasis::PartialLawfulBasis:
        break;
    }
    return ", with neither the victim's consent nor a lawful basis recorded";
}

}  // namespace

Status IncidentRepository::auditDisclosures(const Actor& actor, const Incident& incident,
                                            const std::vector<RecordRow>& before)
{
    // DPA 2018 s.62: a referral made (or sent to someone else) discloses the victim's details to
    // the partner agency and, when named, to the receiving user.
    for (const Referral& r : incident.referrals) {
        if (isBlank(r.agency) && isBlank(r.toUser))
            continue;
        auto was = std::find_if(before.begin(), before.end(), [&](const RecordRow& row) { return row.id == r.id; });
        const auto text = [&](const char* field) {
            const json& v = was->field(field);
            return v.is_string() ? v.get<std::string>() : std::string();
        };
        if (was != before.end() && text("agency") == r.agency && text("to_user") == r.toUser)
            continue;
        std::vector<std::string> recipients;
        if (!isBlank(r.agency))
            recipients.push_back("agency: " + r.agency);
        if (!isBlank(r.toUser))
            recipients.push_back(r.toUser);
        VIGIL_TRY(m_store.audit(Actor{actor.userId, "referral to a partner agency" + sharedOn(incident, r)},
                                AuditAction::Disclosure, Entity::Referral, incident.id, "referral " + r.id, recipients));
    }
    return {};
}

Status IncidentRepository::dropUnheldDefaults(const std::string& incidentId, json& fields)
{
    auto stored = m_store.get(Entity::Incident, incidentId);
    if (!stored)
        return std::move(stored).error();
    if (!*stored)
        return {};
    // The stored row as the domain reads it: an absent flag reads as false, an absent list as empty.
    json tree = unflattenFields((*stored)->fields);
    tree["id"] = incidentId;
    if (!tree.contains("state"))
        tree["state"] = toString(LifecycleState::Draft);
    auto asRead = incidentFromJson(tree);
    if (!asRead)
        return {};  // a row the domain cannot read: write everything, as before
    const json held = flattenFields(without(incidentToJson(*asRead), {"id", "state", "victims", "suspects", "children",
                                                                       "referrals"}));
    for (auto it = fields.begin(); it != fields.end();) {
        const bool unheldDefault = !(*stored)->fields.contains(it.key()) && held.contains(it.key())
            && held[it.key()] == it.value();
        it = unheldDefault ? fields.erase(it) : std::next(it);
    }
    return {};
}

Status IncidentRepository::save(const Actor& actor, Incident& incident)
{
    if (incident.id.empty()) {
        return makeError(ErrorCode::InvalidArgument, "This 124D has not been created on this device yet, so it cannot be "
                                                     "saved. Start a new 124D from the home screen.");
    }
    for (auto& v : incident.victims) {
        ensureId(v.id);
        for (auto& r : v.rara)
            ensureId(r.id);
    }
    for (auto& s : incident.suspects)
        ensureId(s.id);
    for (auto& c : incident.children)
        ensureId(c.id);
    for (auto& r : incident.referrals)
        ensureId(r.id);

    const json full = incidentToJson(incident);
    std::vector<std::pair<std::string, json>> persons;
    std::vector<std::pair<std::string, json>> answers;
    std::vector<std::pair<std::string, json>> rara;
    std::vector<std::pair<std::string, json>> referrals;
    const auto add = [](auto& list, const std::string& id, const std::string& parent, json fields) {
        list.emplace_back(id, json{{"parent", parent}, {"fields", std::move(fields)}});
    };
    for (std::size_t i = 0; i < incident.victims.size(); ++i) {
        const json& v = full["victims"][i];
        const std::string& vid = incident.victims[i].id;
        json fields = flattenFields(without(v, {"id", "rara"}));
        for (auto it = fields.begin(); it != fields.end();) {
            it = it.key().rfind("dash.answers.", 0) == 0 ? fields.erase(it) : std::next(it);
        }
        fields["role"] = "victim";
        fields["ordinal"] = i;
        add(persons, vid, "", std::move(fields));
        for (const auto& [qid, answer] : v["dash"]["answers"].items()) {
            // The domain JSON writes a bare answer as shorthand ("q2": "yes").
            json af = flattenFields(answer.is_string() ? json{{"answer", answer}} : answer);
            af["question"] = qid;
            add(answers, answerId(vid, qid), vid, std::move(af));
        }
        for (std::size_t k = 0; k < v["rara"].size(); ++k) {
            json rf = flattenFields(without(v["rara"][k], {"id"}));
            rf["ordinal"] = k;
            add(rara, incident.victims[i].rara[k].id, vid, std::move(rf));
        }
    }
    for (std::size_t i = 0; i < incident.suspects.size(); ++i) {
        json fields = flattenFields(without(full["suspects"][i], {"id"}));
        fields["role"] = "suspect";
        fields["ordinal"] = i;
        add(persons, incident.suspects[i].id, "", std::move(fields));
    }
    for (std::size_t i = 0; i < incident.children.size(); ++i) {
        json fields = flattenFields(without(full["children"][i], {"id"}));
        fields["role"] = "child";
        fields["ordinal"] = i;
        add(persons, incident.children[i].id, "", std::move(fields));
    }
    for (std::size_t i = 0; i < incident.referrals.size(); ++i) {
        json fields = flattenFields(without(full["referrals"][i], {"id"}));
        add(referrals, incident.referrals[i].id, incident.referrals[i].victimId, std::move(fields));
    }
    // The crime's outcome is the investigation's, written only by recordOutcome: a 124D saved from
    // a screen opened before the outcome was recorded never writes it back as it was.
    json incidentFields =
        flattenFields(without(full, {"id", "state", "victims", "suspects", "children", "referrals", "outcome"}));

    return m_store.transaction([&]() -> Status {
        VIGIL_TRY(dropUnheldDefaults(incident.id, incidentFields));
        VIGIL_TRY(m_store.write(actor, Entity::Incident, incident.id, incidentFields));
        VIGIL_TRY(syncParts(actor, Entity::Person, incident.id, persons));
        VIGIL_TRY(syncParts(actor, Entity::Answer, incident.id, answers));
        VIGIL_TRY(syncParts(actor, Entity::Rara, incident.id, rara));
        auto before = m_store.rowsOfIncident(Entity::Referral, incident.id);
        if (!before)
            return std::move(before).error();
        VIGIL_TRY(syncParts(actor, Entity::Referral, incident.id, referrals));
        return auditDisclosures(actor, incident, *before);
    });
}

Status IncidentRepository::saveAnswer(const Actor& actor, const std::string& incidentId, const std::string& victimId,
                                      const std::string& questionId, const Answer& answer)
{
    json a = {{"answer", toString(answer.value)},
              {"note", answer.note},
              {"source", answer.source},
              {"reason", answer.reason},
              {"options", answer.options},
              {"question", questionId}};
    return m_store.upsert(actor, Entity::Answer, answerId(victimId, questionId), incidentId, victimId,
                          {{"incident", incidentId}, {"parent", victimId}}, a);
}

Status IncidentRepository::clearAnswer(const Actor& actor, const std::string& incidentId, const std::string& victimId,
                                       const std::string& questionId)
{
    (void)incidentId;
    auto row = m_store.get(Entity::Answer, answerId(victimId, questionId));
    if (!row)
        return std::move(row).error();
    if (!row->has_value() || (*row)->deleted)
        return {};
    return m_store.remove(actor, Entity::Answer, answerId(victimId, questionId));
}

Result<Incident> IncidentRepository::load(const Actor& actor, const std::string& incidentId)
{
    auto incident = read(incidentId);
    if (!incident)
        return std::move(incident).error();
    VIGIL_TRY(m_store.audit(actor, AuditAction::Consultation, Entity::Incident, incidentId, "124D opened"));
    return incident;
}

namespace {

/// An incident from its rows: the incident row's fields and its live parts, each kind in the
/// order rowsOfIncident gives them (creation order). The one assembly for read() and readAllIn();
/// the rows are taken, so their fields move into the incident's tree rather than being copied.
Result<Incident> assemble(const std::string& incidentId, json headFields, std::vector<RecordRow> persons,
                          std::vector<RecordRow> answers, std::vector<RecordRow> rara, std::vector<RecordRow> referrals)
{
    json tree = unflattenFields(without(std::move(headFields), {kReviewCommandField.data(), kReviewByField.data(),
                                                                kReviewNoteField.data()}));
    tree["id"] = incidentId;
    if (!tree.contains("state"))
        tree["state"] = toString(LifecycleState::Draft);

    // Stable: rows of equal ordinal (two devices each adding a victim) stay in creation order,
    // as the home list shows them.
    const auto byOrdinal = [](const RecordRow& a, const RecordRow& b) { return ordinalOf(a) < ordinalOf(b); };
    std::stable_sort(persons.begin(), persons.end(), byOrdinal);
    std::stable_sort(rara.begin(), rara.end(), byOrdinal);

    std::map<std::string, json> answersByVictim;
    for (auto& row : answers) {
        const std::string q = textOf(row, "question");
        if (!q.empty())
            answersByVictim[row.parentId][q] = unflattenFields(without(std::move(row.fields), {"question"}));
    }
    std::map<std::string, json> raraByVictim;
    for (auto& row : rara) {
        json item = unflattenFields(without(std::move(row.fields), {"ordinal"}));
        item["id"] = row.id;
        raraByVictim[row.parentId].push_back(std::move(item));
    }
    tree["victims"] = json::array();
    tree["suspects"] = json::array();
    tree["children"] = json::array();
    for (auto& row : persons) {
        const std::string role = textOf(row, "role");
        json part = unflattenFields(without(std::move(row.fields), {"role", "ordinal"}));
        part["id"] = row.id;
        if (role == "victim") {
            if (!part.contains("dash"))
                part["dash"] = json::object();
            // Each victim's answers and plan once: a victim id is a row id, so never twice.
            const auto given = answersByVictim.find(row.id);
            part["dash"]["answers"] = given != answersByVictim.end() ? std::move(given->second) : json::object();
            const auto plan = raraByVictim.find(row.id);
            part["rara"] = plan != raraByVictim.end() ? std::move(plan->second) : json::array();
            tree["victims"].push_back(std::move(part));
        } else if (role == "suspect") {
            tree["suspects"].push_back(std::move(part));
        } else if (role == "child") {
            tree["children"].push_back(std::move(part));
        }
    }
    tree["referrals"] = json::array();
    for (auto& row : referrals) {
        json part = unflattenFields(std::move(row.fields));
        part["id"] = row.id;
        tree["referrals"].push_back(std::move(part));
    }
    return incidentFromJson(tree);
}

}  // namespace

Result<Incident> IncidentRepository::read(const std::string& incidentId)
{
    auto head = m_store.get(Entity::Incident, incidentId);
    if (!head)
        return std::move(head).error();
    if (!head->has_value() || (*head)->deleted) {
        return makeError(ErrorCode::NotFound, "That 124D is not on this device (it may have been removed, or moved out of "
                                              "your area). Go back to the list; sync to fetch the latest.");
    }
    auto persons = m_store.rowsOfIncident(Entity::Person, incidentId);
    auto answers = m_store.rowsOfIncident(Entity::Answer, incidentId);
    auto rara = m_store.rowsOfIncident(Entity::Rara, incidentId);
    auto referrals = m_store.rowsOfIncident(Entity::Referral, incidentId);
    for (auto* r : {&persons, &answers, &rara, &referrals}) {
        if (!*r)
            return r->error();
    }
    auto incident = assemble(incidentId, std::move((*head)->fields), std::move(*persons), std::move(*answers),
                             std::move(*rara), std::move(*referrals));
    if (!incident)
        return incident;
    auto log = supervisionOf(incidentId);
    if (!log)
        return std::move(log).error();
    incident->supervision = std::move(log).value();
    return incident;
}

SupervisionEntry supervisionEntryFromRow(const RecordRow& row)
{
    SupervisionEntry e;
    e.id = row.id;
    e.kind = textOf(row, "kind");
    e.outcome = textOf(row, "outcome");
    e.at = textOf(row, "at");
    e.by = textOf(row, "by");
    e.level = textOf(row, "level");
    e.risk = riskGradeFromString(textOf(row, "risk"));
    e.notes = textOf(row, "notes");
    e.nextDue = textOf(row, "next_due");
    if (const json& sections = row.field("sections"); sections.is_array())
        for (const json& s : sections)
            if (s.is_string())
                e.sections.push_back(s.get<std::string>());
    return e;
}

Result<std::vector<SupervisionEntry>> IncidentRepository::supervisionOf(const std::string& incidentId)
{
    auto rows = m_store.rowsOfIncident(Entity::Supervision, incidentId);
    if (!rows)
        return std::move(rows).error();
    std::vector<SupervisionEntry> out;
    out.reserve(rows->size());
    for (const RecordRow& row : *rows)
        out.push_back(supervisionEntryFromRow(row));
    std::stable_sort(out.begin(), out.end(), [](const SupervisionEntry& a, const SupervisionEntry& b) { return a.at < b.at; });
    return out;
}

Result<SupervisionEntry> IncidentRepository::appendSupervision(const Actor& actor, const std::string& incidentId,
                                                               SupervisionEntry entry)
{
    entry.id = newUuid();
    if (entry.at.empty())
        entry.at = m_store.nowIso();
    json fields = {{"kind", entry.kind}, {"outcome", entry.outcome}, {"at", entry.at}, {"by", entry.by}};
    // Only what the entry holds: an empty field is never written, so the log has nothing to fill in later.
    if (!entry.level.empty())
        fields["level"] = entry.level;
    if (entry.risk)
        fields["risk"] = std::string(toString(*entry.risk));
    if (!entry.notes.empty())
        fields["notes"] = entry.notes;
    if (!entry.sections.empty())
        fields["sections"] = entry.sections;
    if (!entry.nextDue.empty())
        fields["next_due"] = entry.nextDue;
    VIGIL_TRY(m_store.create(actor, Entity::Supervision, entry.id, incidentId, incidentId, {{"incident", incidentId}},
                             fields));
    return entry;
}

Status IncidentRepository::allocate(const Actor& actor, const std::string& incidentId, Investigation investigation)
{
    if (investigation.officerInCase.empty())
        return makeError(ErrorCode::InvalidArgument, "Not allocated: choose the officer in the case from the list.");
    if (investigation.allocatedAt.empty())
        investigation.allocatedAt = m_store.nowIso();
    return m_store.write(actor, Entity::Incident, incidentId,
                         {{"investigation.officer_in_case", investigation.officerInCase},
                          {"investigation.officer_in_case_name", investigation.officerInCaseName},
                          {"investigation.allocated_by", investigation.allocatedBy},
                          {"investigation.allocated_at", investigation.allocatedAt}});
}

Status IncidentRepository::recordOutcome(const Actor& actor, const std::string& incidentId, CrimeOutcome outcome)
{
    outcome.recordedBy = actor.userId;
    outcome.recordedAt = m_store.nowIso();
    Incident carrier;
    carrier.outcome = std::move(outcome);
    // Every outcome.* field, as the domain writes it; only those that changed become ops.
    return m_store.write(actor, Entity::Incident, incidentId, flattenFields(json{{"outcome", incidentToJson(carrier).at("outcome")}}));
}

Result<std::vector<StateIncident>> IncidentRepository::readAllIn(LifecycleState state)
{
    // Five reads for all of them, not five per incident, and the parts' stamps left unread (only
    // the incident row's "state" stamp is wanted: when its state was set). The state is the
    // core's own name (never user text), so it goes into the SQL as a literal.
    const std::string inState =
        " IN (SELECT incident_id FROM incident_index WHERE state = '" + std::string(toString(state)) + "')";
    // Each part table's live rows of those incidents, by incident, in creation order (as
    // rowsOfIncident gives them: created_hlc, then id, compared as SQLite compares text).
    std::array<std::map<std::string, std::vector<RecordRow>>, 4> parts;
    const std::array<std::pair<Entity, const char*>, 4> tables = {
        {{Entity::Person, "person"}, {Entity::Answer, "answer"}, {Entity::Rara, "rara_item"}, {Entity::Referral, "referral"}}};
    for (std::size_t t = 0; t < tables.size(); ++t) {
        auto q = m_store.database().prepare(std::string("SELECT incident_id, id, parent_id, created_hlc, fields FROM ")
                                            + tables[t].second + " WHERE deleted = 0 AND incident_id" + inState + ";");
        if (!q)
            return std::move(q).error();
        std::map<std::string, std::vector<std::pair<std::string, RecordRow>>> rows;  // incident -> (created, row)
        VIGIL_TRY(q->forEach([&](const Query& r) {
            RecordRow row;
            row.entity = tables[t].first;
            row.id = r.columnText(1);
            row.incidentId = r.columnText(0);
            row.parentId = r.columnText(2);
            row.fields = vigil::json::parse(r.columnText(4));
            if (!row.fields.is_object())
                row.fields = json::object();
            rows[row.incidentId].emplace_back(r.columnText(3), std::move(row));
        }));
        for (auto& [incidentId, list] : rows) {
            std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
                return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
            });
            auto& out = parts[t][incidentId];
            out.reserve(list.size());
            for (auto& entry : list)
                out.push_back(std::move(entry.second));
        }
    }
    // The incidents, most recently changed first (as the list reads them).
    auto heads = m_store.database().prepare("SELECT id, origin, fields, stamps FROM incident WHERE deleted = 0 AND id"
                                            + inState + " ORDER BY updated_hlc DESC;");
    if (!heads)
        return std::move(heads).error();
    std::vector<StateIncident> out;
    out.reserve(parts[0].size());  // about one per incident with people: no Incident moved on growth
    std::optional<Error> failed;
    VIGIL_TRY(heads->forEach([&](const Query& r) {
        if (failed)
            return;
        const std::string id = r.columnText(0);
        json fields = vigil::json::parse(r.columnText(2));
        if (!fields.is_object())
            fields = json::object();
        const auto partsOf = [&](std::size_t t) {
            auto it = parts[t].find(id);
            return it == parts[t].end() ? std::vector<RecordRow>() : std::move(it->second);
        };
        std::vector<RecordRow> persons = partsOf(0);
        // The victims' initials as the home list makes them (IncidentRepository::list).
        std::vector<std::pair<std::int64_t, std::string>> victims;
        for (const RecordRow& person : persons) {
            if (textOf(person, "role") == "victim")
                victims.emplace_back(ordinalOf(person), personInitials(textOf(person, "person.name")));
        }
        std::stable_sort(victims.begin(), victims.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        auto incident = assemble(id, std::move(fields), std::move(persons), partsOf(1), partsOf(2), partsOf(3));
        if (!incident) {
            failed = incident.error();
            return;
        }
        StateIncident read{std::move(*incident), 0, {}};
        for (auto& v : victims)
            read.victimInitials.push_back(std::move(v.second));
        const auto stamps = stampsFromJson(vigil::json::parse(r.columnText(3)), r.columnText(1));
        if (const auto stamp = stamps.find("state"); stamp != stamps.end())
            read.stateStamp = stamp->second.hlc;
        out.push_back(std::move(read));
    }));
    if (failed)
        return std::move(*failed);
    return out;
}

Status IncidentRepository::transition(const Actor& actor, const std::string& incidentId, LifecycleState to,
                                      const std::string& command, const std::string& note)
{
    return m_store.command(actor, incidentId, command, std::string(toString(to)), note);
}

Result<std::vector<IncidentSummary>> IncidentRepository::list(std::size_t limit, const RiskModelRegistry* models,
                                                              const ListScope& scope)
{
    // The states are the core's own names (never user text), so they go into the SQL as literals.
    std::string inStates;
    for (const LifecycleState state : scope.states)
        inStates += std::string(inStates.empty() ? "" : ",") + "'" + std::string(toString(state)) + "'";
    const auto inScope = [&](const char* idColumn) {
        return inStates.empty() ? std::string()
                                : std::string(" AND ") + idColumn
                                      + " IN (SELECT incident_id FROM incident_index WHERE state IN (" + inStates + "))";
    };
    // Three reads for the whole list (four with risk models), not several per incident: the
    // newest incident rows with their unsent counts (kept per incident beside the outbox,
    // schema step 7), then the people of those incidents (and their DASH answers), then the
    // victims are attached in memory. Only the fields a summary shows are kept from each
    // row's JSON.
    // The newest incidents in scope; the later reads take their parts by the same subquery.
    const std::string newest =
        " (SELECT id FROM incident WHERE deleted = 0" + inScope("id") + " ORDER BY updated_hlc DESC LIMIT ?1 OFFSET ?2)";
    auto heads = m_store.database().prepare(
        "SELECT i.id, i.fields, coalesce(c.ops, 0), i.updated_hlc FROM incident i LEFT JOIN outbox_incident c"
        " ON c.incident_id = i.id WHERE i.deleted = 0" + inScope("i.id") + " ORDER BY i.updated_hlc DESC LIMIT ?1 OFFSET ?2;");
    if (!heads)
        return std::move(heads).error();
    const auto bindWindow = [&](Query& q) {
        q.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(scope.skip));
    };
    bindWindow(*heads);
    std::vector<IncidentSummary> out;
    std::map<std::string, std::size_t> position;
    VIGIL_TRY(heads->forEach([&](const Query& row) {
        const json fields = parseSomeFields(row.columnText(1), {"state", "incident.date", kReviewCommandField,
                                                               kReviewByField, kReviewNoteField});
        IncidentSummary s;
        s.id = row.columnText(0);
        s.state = lifecycleStateFromString(textIn(fields, "state")).value_or(LifecycleState::Draft);
        s.occurred = textIn(fields, "incident.date");
        s.lastCommand = textIn(fields, kReviewCommandField);
        s.lastCommandBy = textIn(fields, kReviewByField);
        s.lastCommandNote = textIn(fields, kReviewNoteField);
        s.unsentChanges = row.columnInt(2);
        s.updatedHlc = row.columnText(3);
        position.emplace(s.id, out.size());
        out.push_back(std::move(s));
    }));
    if (out.empty())
        return out;

    // The same rows and order as rowsOfIncident: live, in creation order; then by ordinal.
    auto people = m_store.database().prepare("SELECT incident_id, fields, id FROM person WHERE deleted = 0 AND incident_id IN"
                                             + newest + " ORDER BY incident_id, created_hlc, id;");
    if (!people)
        return std::move(people).error();
    bindWindow(*people);
    struct VictimLine {
        std::int64_t ordinal;
        std::string id;
        std::string name;
        GradeDecision officer;
        GradeDecision supervisor;
        std::string modelId;
        std::string modelVersion;
    };
    std::map<std::string, std::vector<VictimLine>> victims;
    VIGIL_TRY(people->forEach([&](const Query& row) {
        const json fields = parseSomeFields(row.columnText(1), {"role", "ordinal", "person.name", "grade.officer",
                                                                "grade.supervisor", "dash.model", "dash.model_version"});
        if (textIn(fields, "role") != "victim")
            return;
        const auto ordinal = fields.find("ordinal");
        VictimLine v{ordinal != fields.end() && ordinal->is_number_integer() ? ordinal->get<std::int64_t>() : 0,
                     row.columnText(2), textIn(fields, "person.name"), {}, {}, textIn(fields, "dash.model"),
                     textIn(fields, "dash.model_version")};
        v.officer.grade = riskGradeFromString(textIn(fields, "grade.officer"));
        v.supervisor.grade = riskGradeFromString(textIn(fields, "grade.supervisor"));
        victims[row.columnText(0)].push_back(std::move(v));
    }));
    // The victims' DASH answers, by victim: only the answer itself counts towards the band.
    std::map<std::string, std::map<std::string, Answer>> answers;
    if (models != nullptr && !victims.empty()) {
        auto q = m_store.database().prepare("SELECT parent_id, fields FROM answer WHERE deleted = 0 AND incident_id IN" + newest
                                            + ";");
        if (!q)
            return std::move(q).error();
        bindWindow(*q);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const json fields = parseSomeFields(row.columnText(1), {"question", "answer"});
            const std::string question = textIn(fields, "question");
            const auto value = answerValueFromString(textIn(fields, "answer"));
            if (!question.empty() && value)
                answers[row.columnText(0)][question].value = *value;
        }));
    }
    for (auto& [incidentId, list] : victims) {
        const auto at = position.find(incidentId);
        if (at == position.end())
            continue;  // changed between the two reads (cannot happen on the store thread)
        IncidentSummary& s = out[at->second];
        std::stable_sort(list.begin(), list.end(), [](const VictimLine& a, const VictimLine& b) { return a.ordinal < b.ordinal; });
        for (auto& v : list) {
            s.victimInitials.push_back(personInitials(v.name));
            std::optional<RiskGrade> computed;
            if (auto given = answers.find(v.id); given != answers.end()) {
                // A model that is not installed scores nothing: only decisions count then.
                auto score = scoreAssessment(DashAssessment{v.modelId, v.modelVersion, std::move(given->second)}, *models);
                if (score)
                    computed = score->computed;
            }
            const auto standing = standingGrade(computed, v.officer, v.supervisor);
            if (standing && (!s.grade || outranks(*standing, *s.grade)))
                s.grade = standing;
        }
    }
    return out;
}

Result<std::vector<IncidentSummary>> IncidentRepository::listGroups(const std::vector<std::vector<LifecycleState>>& groups,
                                                                    const std::map<LifecycleState, std::int64_t>& counts,
                                                                    std::size_t limit, const RiskModelRegistry* models)
{
    // The newest `limit` of all hold each group's newest k; the rest of a group's newest
    // `limit` come after skipping those k. Usually one read: only a group with more than its
    // share outside the newest of all costs another.
    auto newest = list(limit, models);
    if (!newest)
        return std::move(newest).error();
    std::vector<IncidentSummary> all = std::move(newest).value();
    const std::size_t first = all.size();
    for (const auto& group : groups) {
        std::size_t have = 0;
        std::int64_t total = 0;
        for (const LifecycleState state : group) {
            have += static_cast<std::size_t>(std::count_if(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(first),
                                                           [state](const IncidentSummary& s) { return s.state == state; }));
            if (auto it = counts.find(state); it != counts.end())
                total += it->second;
        }
        if (have >= limit || static_cast<std::int64_t>(have) >= total)
            continue;
        auto more = list(limit - have, models, ListScope{group, have});
        if (!more)
            return std::move(more).error();
        for (auto& s : *more)
            all.push_back(std::move(s));
    }
    if (all.size() > first) {
        // Two incidents changed at the same instant may fall either side of a window: list once.
        std::set<std::string> seen;
        std::erase_if(all, [&seen](const IncidentSummary& s) { return !seen.insert(s.id).second; });
        std::stable_sort(all.begin(), all.end(),
                         [](const IncidentSummary& a, const IncidentSummary& b) { return a.updatedHlc > b.updatedHlc; });
    }
    return all;
}

Result<std::optional<LifecycleState>> IncidentRepository::stateOf(const std::string& incidentId)
{
    auto q = m_store.database().prepare("SELECT state FROM incident_index WHERE incident_id = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<LifecycleState>();
    return std::optional<LifecycleState>(lifecycleStateFromString(q->columnText(0)).value_or(LifecycleState::Draft));
}

Result<std::map<LifecycleState, std::int64_t>> IncidentRepository::countsByState()
{
    // incident_index holds every live incident's state (kept with the row, RecordStore::indexRow).
    auto q = m_store.database().prepare("SELECT state, count(*) FROM incident_index GROUP BY state;");
    if (!q)
        return std::move(q).error();
    std::map<LifecycleState, std::int64_t> out;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        out[lifecycleStateFromString(row.columnText(0)).value_or(LifecycleState::Draft)] += row.columnInt(1);
    }));
    return out;
}

Result<std::int64_t> IncidentRepository::unsentIncidentCount()
{
    // Incidents with ops in the outbox (counted per incident as they are queued and
    // acknowledged), of those still on this device.
    return m_store.database().queryInt(
        "SELECT count(*) FROM outbox_incident c WHERE EXISTS (SELECT 1 FROM incident i WHERE i.id = c.incident_id);");
}

Result<History> IncidentRepository::historyFor(const Incident& incident, std::size_t victimIndex,
                                               const HistorySource& source)
{
    History history;
    history.source = source;
    if (victimIndex >= incident.victims.size())
        return history;
    const Person& victim = incident.victims[victimIndex].person;
    const NormalisedPerson me = normalisePerson(victim);
    const std::string& key = me.name;
    if (key.empty())
        return history;
    // The index holds what matching compares (RecordStore::indexRow), so only the people who
    // match are read; each candidate of the same name was read and decoded whole before. In the
    // order the index on (name_key, role) gives them, as before the columns were added. The SQL
    // passes only those who could match (matchPersons decides): with the victim's date of birth,
    // the same date or none; without it, the same postcode and house.
    const std::string born = me.dateOfBirth ? formatIsoDate(*me.dateOfBirth) : std::string();
    auto candidates = m_store.database().prepare(
        "SELECT person_id, incident_id, birth_date, postcode, house FROM person_index WHERE name_key = ?1"
        " AND role = 'victim' AND incident_id != ?2 AND (?3 = '' OR birth_date = ?3 OR birth_date = '')"
        " AND (?3 <> '' OR (postcode = ?4 AND house = ?5)) ORDER BY person_id;");
    if (!candidates)
        return std::move(candidates).error();
    candidates->bind(1, key).bind(2, incident.id).bind(3, born).bind(4, me.postcode).bind(5, me.house);
    std::vector<std::pair<std::string, std::string>> matched;  // person, incident
    VIGIL_TRY(candidates->forEach([&](const Query& row) {
        const NormalisedPerson them{key, parseIsoDate(row.columnText(2)), row.columnText(3), row.columnText(4)};
        if (matchPersons(me, them) != MatchBasis::None)
            matched.emplace_back(row.columnText(0), row.columnText(1));
    }));
    // Their incidents' date and crime flag (a person whose incident is no longer here has none).
    struct Candidate {
        std::string personId, incidentId, occurred;
        bool crime;
    };
    std::vector<Candidate> found;
    for (auto& [personId, incidentId] : matched) {
        auto q = m_store.database().prepare("SELECT occurred, crime FROM incident_index WHERE incident_id = ?1;");
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId);
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (*row)
            found.push_back({std::move(personId), std::move(incidentId), q->columnText(0), q->columnInt(1) != 0});
    }
    std::set<std::string> seen;
    for (const auto& c : found) {
        const auto date = parseIsoDate(c.occurred.substr(0, 10));
        if (!date)
            continue;  // an undated draft says nothing about a 12-month window
        // The record itself, as the rules take it; matched again on it, as it always was.
        auto personRow = m_store.get(Entity::Person, c.personId);
        if (!personRow)
            return std::move(personRow).error();
        if (!personRow->has_value())
            continue;
        const json tree = unflattenFields((*personRow)->fields);
        auto person = personFromJson(tree.value("person", json::object()), "person");
        if (!person || matchPersons(victim, *person) == MatchBasis::None)
            continue;
        if (seen.insert(c.incidentId).second) {
            HistoryIncident h;
            h.id = c.incidentId;
            h.date = *date;
            h.crime = c.crime;
            h.victims.push_back(*person);
            history.incidents.push_back(std::move(h));
        }
        // The decision that stands: the supervisor's at review when they made one (MaracDecision::standing).
        const std::string bySupervisor = textOf(**personRow, "marac.supervisor");
        const bool referred = bySupervisor.empty() || bySupervisor == "undecided"
                                  ? textOf(**personRow, "marac.decision") == "refer"
                                  : bySupervisor == "refer";
        if (referred)
            history.maracReferrals.push_back({c.incidentId, *date, *person});
    }
    return history;
}

}  // namespace vigil

namespace vigil {

Result<History> IncidentRepository::historyForIncident(const Incident& incident, const HistorySource& source)
{
    History merged;
    merged.source = source;
    std::set<std::string> seenIncidents;
    std::set<std::pair<std::string, std::string>> seenReferrals;
    for (std::size_t i = 0; i < incident.victims.size(); ++i) {
        auto h = historyFor(incident, i, source);
        if (!h)
            return std::move(h).error();
        for (auto& earlier : h->incidents) {
            if (seenIncidents.insert(earlier.id).second)
                merged.incidents.push_back(std::move(earlier));
        }
        for (auto& referral : h->maracReferrals) {
            if (seenReferrals.insert({referral.id, referral.victim.name}).second)
                merged.maracReferrals.push_back(std::move(referral));
        }
    }
    return merged;
}

}  // namespace vigil
