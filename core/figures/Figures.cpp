#include "core/figures/Figures.h"

#include <array>
#include <charconv>
#include <optional>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/records/RecordStore.h"
#include "core/risk/DiversityCategories.h"

namespace vigil {

namespace {

using json = nlohmann::json;

/// The states of a 124D that has been received (submitted at least once).
const std::vector<std::string> kReceived{"submitted", "returned", "approved", "under_investigation", "closed"};

constexpr std::array<std::string_view, 6> kDiversityKeys{"age_band", "gender", "ethnicity", "disability", "religion",
                                                          "sexual_orientation"};
constexpr std::string_view kNotRecorded = "not_recorded";

std::string textOf(const RecordRow& row, const std::string& field)
{
    const json& v = row.field(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

bool isTrue(const RecordRow& row, const std::string& field) { return row.field(field) == true; }

/// An ISO date's first ten characters, when they are one ("2026-03-04T10:00" -> "2026-03-04").
std::optional<std::string> isoDay(std::string_view text)
{
    if (text.size() < 10)
        return std::nullopt;
    for (std::size_t i = 0; i < 10; ++i) {
        const bool dash = i == 4 || i == 7;
        if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9'))
            return std::nullopt;
    }
    return std::string(text.substr(0, 10));
}

bool inPeriod(const std::string& day, const FigureRequest& r)
{
    return (r.from.empty() || day >= r.from) && (r.to.empty() || day < r.to);
}

int number(std::string_view s)
{
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

/// One person's diversity, category by category (the dimension's key without "victim."),
/// with age from the date of birth on the incident's date first.
using Categories = std::map<std::string, std::string>;

Categories diversityOf(const RecordRow& person, const std::string& incidentDay, const DiversityCategories* lists)
{
    Categories out;
    for (std::string_view key : kDiversityKeys) {
        std::string value = textOf(person, "person.diversity." + std::string(key));
        if (key == "age_band") {
            const std::string fromBirth = ageBandOn(textOf(person, "person.date_of_birth"), incidentDay);
            if (!fromBirth.empty())
                value = fromBirth;
        }
        if (value.empty() || (lists && !lists->isAnswer(key, value)))
            value = std::string(kNotRecorded);
        out.emplace(std::string(key), std::move(value));
    }
    return out;
}

Categories notRecorded()
{
    Categories out;
    for (std::string_view key : kDiversityKeys)
        out.emplace(std::string(key), std::string(kNotRecorded));
    return out;
}

struct PersonFacts {
    std::string id;
    int ordinal = 0;
    Categories diversity;
    std::string grade;       ///< the standing grade: the supervisor's, else the officer's; "" ungraded
    bool maracReferred = false;
};

struct IncidentFacts {
    std::string day;
    std::string owner;
    bool crime = false;
    bool sso = false;
    bool repeatVictim = false;
    bool hbvOrForcedMarriage = false;
    bool powerOfArrest = false;
    bool arrest = false;  ///< at the scene, or later (an arrest recorded in the investigation)
    bool charged = false;
    bool cad = false, cris = false, crimint = false, merlin = false;
    bool children = false;
    std::vector<PersonFacts> victims;
    std::optional<PersonFacts> firstSuspect;
};

/// The categories a unit is counted under: "victim.<key>" and "suspect.<key>" (and any more).
using Unit = std::map<std::string, std::string>;

Unit unitOf(const Categories* victim, const Categories* suspect)
{
    Unit u;
    static const Categories none = notRecorded();
    for (const auto& [k, v] : victim ? *victim : none)
        u.emplace("victim." + k, v);
    for (const auto& [k, v] : suspect ? *suspect : none)
        u.emplace("suspect." + k, v);
    return u;
}

/// Adds units to a figure: in its denominator (for a share) and, when the numerator holds, to
/// its count, in total and in each of the unit's categories.
struct Tally {
    Figure figure;
    bool share = false;
    bool keepIds = false;
    std::set<std::string> ids;

    Tally(std::string id, std::string over, bool keep) : share(!over.empty()), keepIds(keep)
    {
        figure.id = std::move(id);
        figure.over = std::move(over);
    }
    void add(const Unit& unit, bool inDenominator, bool counted, const std::string& incidentId)
    {
        if (share && !inDenominator)
            return;
        if (!share && !counted)
            return;
        if (share)
            ++figure.total.of;
        if (counted) {
            ++figure.total.count;
            if (keepIds)
                ids.insert(incidentId);
        }
        for (const auto& [dimension, category] : unit) {
            FigureCount& c = figure.breakdowns[dimension][category];
            if (share)
                ++c.of;
            if (counted)
                ++c.count;
        }
    }
};

}  // namespace

const std::vector<std::string_view>& figureIds() noexcept
{
    static const std::vector<std::string_view> ids{
        "incidents",         "crimes",          "sso_crimes",           "repeat_victim_incidents",
        "hbv_fm_incidents",  "arrests",         "power_of_arrest_crimes", "arrests_where_power",
        "charged",           "cris_linked",     "crimint_linked",       "incidents_with_children",
        "merlin_linked",     "cad_recorded",    "cad_to_cris",          "victims",
        "high_risk_victims", "medium_risk_victims", "marac_referrals",  "feedback_forms",
        "qa_decisions",      "qa_returned"};
    return ids;
}

const Figure* FigureSet::find(std::string_view id) const noexcept
{
    for (const Figure& f : figures) {
        if (f.id == id)
            return &f;
    }
    return nullptr;
}

std::string ageBandOn(std::string_view dateOfBirth, std::string_view onDate)
{
    const auto born = isoDay(dateOfBirth);
    const auto on = isoDay(onDate);
    if (!born || !on || *born > *on)
        return {};
    int age = number(on->substr(0, 4)) - number(born->substr(0, 4));
    if (on->substr(5) < born->substr(5))
        --age;  // the birthday is later in the year
    if (age < 16)
        return "under_16";
    if (age < 18)
        return "16_17";
    if (age < 25)
        return "18_24";
    if (age < 35)
        return "25_34";
    if (age < 45)
        return "35_44";
    if (age < 55)
        return "45_54";
    if (age < 65)
        return "55_64";
    return "65_plus";
}

Result<FigureSet> computeFigures(RecordStore& store, const FigureRequest& request, const DiversityCategories* lists)
{
    // 1. The incidents: received, dated in the period, in the scope.
    std::unordered_map<std::string, IncidentFacts> incidents;
    VIGIL_TRY(store.forEachLiveRow(
        Entity::Incident, kReceived,
        {"incident.date", "incident.borough", "incident.team", "incident.owner", "incident.crime",
         "flags.serious_sexual_offence", "flags.repeat_victim", "flags.hbv", "flags.forced_marriage",
         "positive_action.power_of_arrest", "positive_action.arrest_made", "refs.cad", "refs.cris", "refs.crimint",
         "refs.merlin_pac"},
        [&](RecordRow&& row) {
            const auto day = isoDay(textOf(row, "incident.date"));
            if (!day || !inPeriod(*day, request))
                return;
            if (!request.borough.empty() && textOf(row, "incident.borough") != request.borough)
                return;
            if (!request.team.empty() && textOf(row, "incident.team") != request.team)
                return;
            IncidentFacts f;
            f.day = *day;
            f.owner = textOf(row, "incident.owner");
            f.crime = isTrue(row, "incident.crime");
            f.sso = isTrue(row, "flags.serious_sexual_offence");
            f.repeatVictim = isTrue(row, "flags.repeat_victim");
            f.hbvOrForcedMarriage = isTrue(row, "flags.hbv") || isTrue(row, "flags.forced_marriage");
            f.powerOfArrest = isTrue(row, "positive_action.power_of_arrest");
            f.arrest = isTrue(row, "positive_action.arrest_made");
            f.cad = !textOf(row, "refs.cad").empty();
            f.cris = !textOf(row, "refs.cris").empty();
            f.crimint = !textOf(row, "refs.crimint").empty();
            f.merlin = !textOf(row, "refs.merlin_pac").empty();
            incidents.emplace(row.id, std::move(f));
        }));

    // 2. Their people: victims (with their standing grade and MARAC decision), the first
    // suspect, and whether children are on the record.
    std::vector<std::string_view> personFields{"role", "ordinal", "person.date_of_birth", "grade.officer",
                                               "grade.supervisor", "marac.decision", "marac.supervisor"};
    std::vector<std::string> diversityFields;
    for (std::string_view key : kDiversityKeys)
        diversityFields.push_back("person.diversity." + std::string(key));
    for (const std::string& f : diversityFields)
        personFields.push_back(f);
    VIGIL_TRY(store.forEachLiveRow(Entity::Person, kReceived, personFields, [&](RecordRow&& row) {
        const auto it = incidents.find(row.incidentId);
        if (it == incidents.end())
            return;
        IncidentFacts& inc = it->second;
        const std::string role = textOf(row, "role");
        if (role == "child") {
            inc.children = true;
            return;
        }
        PersonFacts p;
        p.id = row.id;
        p.ordinal = row.field("ordinal").is_number_integer() ? row.field("ordinal").get<int>() : 0;
        p.diversity = diversityOf(row, inc.day, lists);
        if (role == "suspect") {
            if (!inc.firstSuspect || p.ordinal < inc.firstSuspect->ordinal)
                inc.firstSuspect = std::move(p);
            return;
        }
        if (role != "victim")
            return;
        const std::string bySupervisor = textOf(row, "grade.supervisor");
        p.grade = bySupervisor.empty() ? textOf(row, "grade.officer") : bySupervisor;
        // The MARAC decision that stands: the supervisor's when they made one.
        const std::string maracBySupervisor = textOf(row, "marac.supervisor");
        p.maracReferred = maracBySupervisor.empty() || maracBySupervisor == "undecided"
                              ? textOf(row, "marac.decision") == "refer"
                              : maracBySupervisor == "refer";
        inc.victims.push_back(std::move(p));
    }));
    for (auto& [id, inc] : incidents) {
        std::sort(inc.victims.begin(), inc.victims.end(),
                  [](const PersonFacts& a, const PersonFacts& b) { return a.ordinal < b.ordinal; });
    }

    // 3. What the investigation recorded: an arrest made later, a charge.
    VIGIL_TRY(store.forEachLiveRow(Entity::CaseEvent, kReceived, {"kind", "charged"}, [&](RecordRow&& row) {
        const auto it = incidents.find(row.incidentId);
        if (it == incidents.end())
            return;
        const std::string kind = textOf(row, "kind");
        if (kind == "arrest")
            it->second.arrest = true;
        else if (kind == "charge_decision" && isTrue(row, "charged"))
            it->second.charged = true;
    }));

    // 4. The incident figures and the victim figures.
    const bool keep = request.keepIncidentIds;
    Tally incidentsT("incidents", "", keep), crimesT("crimes", "incidents", keep), ssoT("sso_crimes", "crimes", keep),
        repeatT("repeat_victim_incidents", "incidents", keep), hbvT("hbv_fm_incidents", "incidents", keep),
        arrestsT("arrests", "incidents", keep), powerT("power_of_arrest_crimes", "crimes", keep),
        arrestsPowerT("arrests_where_power", "power_of_arrest_crimes", keep), chargedT("charged", "crimes", keep),
        crisT("cris_linked", "crimes", keep), crimintT("crimint_linked", "incidents", keep),
        childrenT("incidents_with_children", "incidents", keep),
        merlinT("merlin_linked", "incidents_with_children", keep), cadT("cad_recorded", "incidents", keep),
        cadCrisT("cad_to_cris", "cad_recorded", keep), victimsT("victims", "", keep),
        highT("high_risk_victims", "victims", keep), mediumT("medium_risk_victims", "victims", keep),
        maracT("marac_referrals", "victims", keep);
    for (const auto& [id, inc] : incidents) {
        const Categories* suspect = inc.firstSuspect ? &inc.firstSuspect->diversity : nullptr;
        const Unit unit = unitOf(inc.victims.empty() ? nullptr : &inc.victims.front().diversity, suspect);
        const bool crimePower = inc.crime && inc.powerOfArrest;
        incidentsT.add(unit, true, true, id);
        crimesT.add(unit, true, inc.crime, id);
        ssoT.add(unit, inc.crime, inc.sso, id);
        repeatT.add(unit, true, inc.repeatVictim, id);
        hbvT.add(unit, true, inc.hbvOrForcedMarriage, id);
        arrestsT.add(unit, true, inc.arrest, id);
        powerT.add(unit, inc.crime, crimePower, id);
        arrestsPowerT.add(unit, crimePower, inc.arrest, id);
        chargedT.add(unit, inc.crime, inc.charged, id);
        crisT.add(unit, inc.crime, inc.cris, id);
        crimintT.add(unit, true, inc.crimint, id);
        childrenT.add(unit, true, inc.children, id);
        merlinT.add(unit, inc.children, inc.merlin, id);
        cadT.add(unit, true, inc.cad, id);
        cadCrisT.add(unit, inc.cad, inc.cris, id);
        for (const PersonFacts& v : inc.victims) {
            const Unit victimUnit = unitOf(&v.diversity, suspect);
            victimsT.add(victimUnit, true, true, id);
            highT.add(victimUnit, true, v.grade == "high", id);
            mediumT.add(victimUnit, true, v.grade == "medium", id);
            maracT.add(victimUnit, true, v.maracReferred, id);
        }
    }

    // 5. Feedback forms issued and QA decisions made in the period, on incidents in the scope
    // (whatever the incident's date).
    std::unordered_map<std::string, std::string> ownerOf;  // incident -> owner, in scope, any date
    VIGIL_TRY(store.forEachLiveRow(Entity::Incident, kReceived, {"incident.borough", "incident.team", "incident.owner"},
                                   [&](RecordRow&& row) {
                                       if (!request.borough.empty() && textOf(row, "incident.borough") != request.borough)
                                           return;
                                       if (!request.team.empty() && textOf(row, "incident.team") != request.team)
                                           return;
                                       ownerOf.emplace(row.id, textOf(row, "incident.owner"));
                                   }));
    Tally formsT("feedback_forms", "", keep), qaT("qa_decisions", "", keep),
        returnedT("qa_returned", "qa_decisions", keep);
    VIGIL_TRY(store.forEachLiveRow(Entity::FeedbackForm, {}, {"kind", "at"}, [&](RecordRow&& row) {
        const auto day = isoDay(textOf(row, "at"));
        if (!day || !inPeriod(*day, request) || !ownerOf.contains(row.incidentId))
            return;
        formsT.add({{"form.kind", textOf(row, "kind")}}, true, true, row.incidentId);
    }));
    VIGIL_TRY(store.forEachLiveRow(Entity::Supervision, {}, {"kind", "outcome", "at"}, [&](RecordRow&& row) {
        const auto day = isoDay(textOf(row, "at"));
        const auto owner = ownerOf.find(row.incidentId);
        if (textOf(row, "kind") != "qa" || !day || !inPeriod(*day, request) || owner == ownerOf.end())
            return;
        const Unit unit{{"officer", owner->second.empty() ? std::string(kNotRecorded) : owner->second}};
        qaT.add(unit, true, true, row.incidentId);
        returnedT.add(unit, true, textOf(row, "outcome") == "returned", row.incidentId);
    }));

    FigureSet out;
    out.request = request;
    for (Tally* t : {&incidentsT, &crimesT, &ssoT, &repeatT, &hbvT, &arrestsT, &powerT, &arrestsPowerT, &chargedT,
                     &crisT, &crimintT, &childrenT, &merlinT, &cadT, &cadCrisT, &victimsT, &highT, &mediumT, &maracT,
                     &formsT, &qaT, &returnedT}) {
        t->figure.incidentIds.assign(t->ids.begin(), t->ids.end());
        out.figures.push_back(std::move(t->figure));
    }
    return out;
}

}  // namespace vigil
