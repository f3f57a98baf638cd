#include "tests/support/HomeListReference.h"

#include <algorithm>
#include <cctype>

#include "core/store/Database.h"

namespace vigil::test {

namespace {

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

std::string initials(const std::string& name)
{
    std::string out;
    bool start = true;
    for (char c : name) {
        if (c == ' ' || c == '-') {
            start = true;
        } else if (start) {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            start = false;
        }
    }
    return out.empty() ? "?" : out;
}

}  // namespace

namespace {

/// One victim's grade from the whole incident: the band of the answers given (none without
/// answers or an installed model), put through effectiveGrade.
std::optional<StandingGrade> gradeOf(const Victim& v, const RiskModelRegistry* models)
{
    std::optional<RiskGrade> computed;
    if (models != nullptr && !v.dash.answers.empty()) {
        if (auto score = scoreAssessment(v.dash, *models))
            computed = score->computed;
    }
    if (!computed) {
        if (v.supervisorGrade.grade)
            return StandingGrade{*v.supervisorGrade.grade, false};
        if (v.officerGrade.grade)
            return StandingGrade{*v.officerGrade.grade, false};
        return std::nullopt;
    }
    const RiskGrade grade = effectiveGrade(*computed, v.officerGrade, v.supervisorGrade);
    const bool decided = v.supervisorGrade.grade || (v.officerGrade.grade && *v.officerGrade.grade == grade);
    return StandingGrade{grade, !decided};
}

}  // namespace

Result<std::vector<IncidentSummary>> referenceHomeList(RecordStore& store, std::size_t limit, const RiskModelRegistry* models)
{
    IncidentRepository repo(store);
    auto ids = store.incidentIds(limit);
    if (!ids)
        return std::move(ids).error();
    auto unsent = store.database().prepare(
        "SELECT count(*) FROM outbox WHERE record_id = ?1 OR record_id IN (SELECT id FROM person WHERE incident_id = ?1"
        " UNION ALL SELECT id FROM answer WHERE incident_id = ?1 UNION ALL SELECT id FROM rara_item WHERE incident_id = ?1"
        " UNION ALL SELECT id FROM referral WHERE incident_id = ?1 UNION ALL SELECT id FROM attachment WHERE incident_id = ?1);");
    if (!unsent)
        return std::move(unsent).error();
    std::vector<IncidentSummary> out;
    for (const auto& id : *ids) {
        auto head = store.get(Entity::Incident, id);
        if (!head)
            return std::move(head).error();
        if (!head->has_value())
            continue;
        IncidentSummary s;
        s.id = id;
        s.state = lifecycleStateFromString(textOf(**head, "state")).value_or(LifecycleState::Draft);
        s.occurred = textOf(**head, "incident.date");
        s.lastCommand = textOf(**head, kReviewCommandField.data());
        s.lastCommandBy = textOf(**head, kReviewByField.data());
        s.lastCommandNote = textOf(**head, kReviewNoteField.data());
        auto persons = store.rowsOfIncident(Entity::Person, id);
        if (!persons)
            return std::move(persons).error();
        std::stable_sort(persons->begin(), persons->end(),
                         [](const RecordRow& a, const RecordRow& b) { return ordinalOf(a) < ordinalOf(b); });
        for (const auto& p : *persons) {
            if (textOf(p, "role") == "victim")
                s.victimInitials.push_back(initials(textOf(p, "person.name")));
        }
        auto whole = repo.read(id);
        if (!whole)
            return std::move(whole).error();
        for (const auto& v : whole->victims) {
            const auto grade = gradeOf(v, models);
            if (grade && (!s.grade || grade->grade > s.grade->grade
                          || (grade->grade == s.grade->grade && s.grade->checklistOnly && !grade->checklistOnly)))
                s.grade = grade;
        }
        unsent->bind(1, id);
        auto row = unsent->step();
        if (!row)
            return std::move(row).error();
        s.unsentChanges = unsent->columnInt(0);
        VIGIL_TRY(unsent->run());
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::int64_t> referenceUnsentIncidentCount(RecordStore& store)
{
    return store.database().queryInt(
        "SELECT count(DISTINCT inc) FROM (SELECT o.record_id AS inc FROM outbox o JOIN incident i ON i.id = o.record_id"
        " UNION ALL SELECT p.incident_id FROM outbox o JOIN person p ON p.id = o.record_id"
        " UNION ALL SELECT a.incident_id FROM outbox o JOIN answer a ON a.id = o.record_id"
        " UNION ALL SELECT r.incident_id FROM outbox o JOIN rara_item r ON r.id = o.record_id"
        " UNION ALL SELECT f.incident_id FROM outbox o JOIN referral f ON f.id = o.record_id"
        " UNION ALL SELECT t.incident_id FROM outbox o JOIN attachment t ON t.id = o.record_id);");
}

}  // namespace vigil::test
