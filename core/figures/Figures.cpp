#include "core/figures/Figures.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <charconv>
#include <chrono>
#include <optional>
#include <unordered_map>

#include "core/figures/FigureClocks.h"
#include "core/figures/FigureIndex.h"
#include "core/records/RecordStore.h"
#include "core/risk/RulesConfig.h"
#include "core/risk/Dates.h"
#include "core/store/Database.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/OutcomeList.h"

namespace vigil {

namespace {

constexpr std::array<std::string_view, 6> kDiversityKeys{"age_band", "gender", "ethnicity", "disability", "religion",
                                                          "sexual_orientation"};
constexpr std::string_view kNotRecorded = "not_recorded";

/// Categories as small numbers: each dimension's answers are numbered as first met, so counting
/// is indexing, not looking strings up (a borough-year is millions of additions).
struct Dictionary {
    std::vector<std::string> names;
    std::unordered_map<std::string, std::uint16_t> index;
    std::uint16_t id(const std::string& name)
    {
        const auto [it, added] = index.try_emplace(name, static_cast<std::uint16_t>(names.size()));
        if (added)
            names.push_back(name);
        return it->second;
    }
};

/// The dimensions a set of figures is broken down by, each with its dictionary.
struct Dimensions {
    std::vector<std::string> names;
    std::vector<Dictionary*> dictionaries;  ///< per dimension (victims' and suspects' share one per question)
};

/// One person's diversity: the category number of each question, in kDiversityKeys's order.
using Categories = std::array<std::uint16_t, 6>;

struct PersonFacts {
    std::string id;  ///< the person row's (repeat MARAC referrals are found by person)
    int ordinal = 0;
    Categories diversity{};
    std::string grade;       ///< the standing grade: the supervisor's, else the officer's; "" ungraded
    bool maracReferred = false;
};

struct IncidentFacts {
    std::string id;
    std::string day;
    bool crime = false;
    bool sso = false;
    bool repeatVictim = false;
    bool hbvOrForcedMarriage = false;
    bool powerOfArrest = false;
    bool arrest = false;  ///< at the scene, or later (an arrest recorded in the investigation)
    bool charged = false;  ///< a charge decision in the investigation, or an outcome that is a charge
    bool arrestLater = false;  ///< an arrest in the investigation, or the outcome's arrest made later
    bool daHomicide = false;
    std::optional<OutcomeCategory> outcome;  ///< the crime's outcome as recorded, by its board category
    bool outcomeRecorded = false;            ///< any outcome recorded (in the list or not)
    std::optional<CourtCategory> court;
    bool cad = false, cris = false, crimint = false, merlin = false;
    bool children = false;
    std::vector<PersonFacts> victims;
    std::optional<PersonFacts> firstSuspect;
};

/// The category of each dimension a unit is counted under (victim's six, then suspect's six).
using Unit = std::array<std::uint16_t, 12>;

Unit unitOf(const Categories& victim, const Categories& suspect)
{
    Unit u{};
    std::copy(victim.begin(), victim.end(), u.begin());
    std::copy(suspect.begin(), suspect.end(), u.begin() + 6);
    return u;
}

/// Adds units to a figure: in its denominator (for a share) and, when the numerator holds, to
/// its count, in total and in each of the unit's categories.
struct Tally {
    Figure figure;
    bool share = false;
    bool keepIds = false;
    std::vector<std::string> ids;  ///< with repeats (an incident's victims); sorted and made unique at the end
    const Dimensions* dimensions = nullptr;
    /// [dimension * stride + category], one flat block: a borough-year adds to it tens of millions
    /// of times. `stride` covers every category the dictionaries held when the tally was made, and
    /// grows if they grow while it counts.
    std::vector<FigureCount> counts;
    std::size_t stride = 0;

    Tally(std::string id, std::string over, bool keep, const Dimensions& dims)
        : share(!over.empty()), keepIds(keep), dimensions(&dims)
    {
        figure.id = std::move(id);
        figure.over = std::move(over);
        for (const Dictionary* d : dims.dictionaries)
            stride = std::max(stride, d->names.size());
        counts.resize(dims.names.size() * stride);
    }
    template <typename Categories>
    void add(const Categories& unit, bool inDenominator, bool counted, const std::string& incidentId)
    {
        if (share ? !inDenominator : !counted)
            return;
        figure.total.of += share ? 1 : 0;
        if (counted) {
            ++figure.total.count;
            if (keepIds && (ids.empty() || ids.back() != incidentId))
                ids.push_back(incidentId);
        }
        const std::size_t dims = dimensions->names.size();
        for (std::size_t d = 0; d < dims; ++d) {
            if (unit[d] >= stride) [[unlikely]]
                widen(unit[d] + 1U);
        }
        const std::int64_t of = share ? 1 : 0;
        const std::int64_t count = counted ? 1 : 0;
        for (std::size_t d = 0; d < dims; ++d) {
            FigureCount& c = counts[d * stride + unit[d]];
            c.of += of;
            c.count += count;
        }
    }
    /// Room for `categories` in every dimension.
    void widen(std::size_t categories)
    {
        const std::size_t wider = std::max(categories, stride * 2);
        std::vector<FigureCount> moved(dimensions->names.size() * wider);
        for (std::size_t d = 0; d < dimensions->names.size(); ++d)
            std::copy_n(counts.begin() + static_cast<std::ptrdiff_t>(d * stride), stride,
                        moved.begin() + static_cast<std::ptrdiff_t>(d * wider));
        counts = std::move(moved);
        stride = wider;
    }
    /// The figure with its breakdowns named.
    Figure finish()
    {
        for (std::size_t d = 0; d < dimensions->names.size(); ++d) {
            for (std::size_t c = 0; c < stride; ++c) {
                const FigureCount& n = counts[d * stride + c];
                if (share ? n.of > 0 : n.count > 0)
                    figure.breakdowns[dimensions->names[d]][dimensions->dictionaries[d]->names[c]] = n;
            }
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        figure.incidentIds = std::move(ids);
        return std::move(figure);
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
        "qa_decisions",      "qa_returned",
        // The crime's outcome (issue 25, "the record first").
        "outcomes_recorded", "sanction_detections", "cautioned", "unsupported_prosecutions", "no_further_action",
        "victim_withdrew", "court_results", "court_convictions", "arrests_later", "da_homicides",
        // The casework and supervision figures (issue 25: the Victims' Code, repeat MARAC, reviews).
        "victims_code_due", "victims_code_on_time", "repeat_marac_referrals", "reviews_due", "reviews_overdue"};
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
    const auto born = parseIsoDate(dateOfBirth);
    const auto on = parseIsoDate(onDate);
    if (!born || !on || *born > *on)
        return {};
    const std::chrono::year_month_day b{*born};
    const std::chrono::year_month_day d{*on};
    int age = static_cast<int>(d.year()) - static_cast<int>(b.year());
    if (std::chrono::month_day{d.month(), d.day()} < std::chrono::month_day{b.month(), b.day()})
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

Result<FigureSet> computeFigures(RecordStore& store, const FigureRequest& request, const DiversityCategories* lists,
                                 const OutcomeList* outcomes, const FigureRules* rules)
{
    return computeFigures(store.database(), request, lists, outcomes, rules);
}

namespace {

/// What a request's boroughs share: the MARAC referrals the repeat referrals are matched against
/// (every borough's), read once when the first borough asks.
struct SharedReads {
    std::optional<figure_clocks::MaracHistory> marac;
};

/// Every figure of one borough's 124Ds (`request.borough`, "" for those with none recorded).
Result<FigureSet> computeBorough(Database& db, const FigureRequest& request, const DiversityCategories* lists,
                                 const OutcomeList* outcomes, const FigureRules* given, SharedReads& shared)
{
    // Read from the facts derived beside the records (core/figures/FigureIndex.h): short indexed
    // columns, not every row's JSON.
    // `t`: the incident table's name in the query ("figure_incident", or its alias in a join).
    const auto scopeOf = [&](const std::string& t) {
        std::string scope = " " + t + ".state IN " + figure_index::kReceivedStates + " AND " + t + ".borough = :borough";
        if (!request.team.empty())
            scope += " AND " + t + ".team = :team";
        return scope;
    };
    const std::string dated = scopeOf("figure_incident") + " AND occurred >= :from AND occurred < :to";
    const auto bindScope = [&](Query& q, bool withDates) {
        q.bind(q.parameterIndex(":borough"), request.borough);
        if (!request.team.empty())
            q.bind(q.parameterIndex(":team"), request.team);
        if (withDates) {
            q.bind(q.parameterIndex(":from"), request.from.empty() ? std::string("0000") : request.from);
            q.bind(q.parameterIndex(":to"), request.to.empty() ? std::string("9999") : request.to);
        }
    };

    // The breakdowns: the victim's and the first suspect's answers (one dictionary a question),
    // the officer for QA decisions, the kind of form for feedback forms.
    std::array<Dictionary, 6> answers;
    Dimensions people;
    for (const char* who : {"victim.", "suspect."}) {
        for (std::size_t k = 0; k < kDiversityKeys.size(); ++k) {
            people.names.push_back(who + std::string(kDiversityKeys[k]));
            people.dictionaries.push_back(&answers[k]);
        }
    }
    Categories none{};
    for (std::size_t k = 0; k < kDiversityKeys.size(); ++k)
        none[k] = answers[k].id(std::string(kNotRecorded));
    Dictionary officers, kinds;
    const Dimensions byOfficer{{"officer"}, {&officers}};
    const Dimensions byKind{{"form.kind"}, {&kinds}};

    // 1. The incidents: received, dated in the period, in the scope, each with its people:
    // victims (with their standing grade and MARAC decision), the first suspect, and whether
    // children are on the record. One range of one index in (date, incident) order (device
    // schema step 21), the people packed on the incident's row (FigureIndex.h).
    // An answer is worked out (checked against the lists, or "not_recorded") once per distinct
    // answer, not once per person.
    std::array<std::unordered_map<std::string, std::uint16_t>, 6> answered;
    const auto category = [&](std::size_t k, std::string_view value) -> std::uint16_t {
        auto& seen = answered[k];
        if (const auto it = seen.find(std::string(value)); it != seen.end())
            return it->second;
        const bool counts = !value.empty() && (!lists || lists->isAnswer(kDiversityKeys[k], value));
        const std::uint16_t id = counts ? answers[k].id(std::string(value)) : none[k];
        seen.emplace(std::string(value), id);
        return id;
    };
    const auto addPeople = [&](IncidentFacts& inc, std::string_view packed) {
        std::array<std::string_view, figure_index::kPersonFields> field;
        while (!packed.empty()) {
            std::string_view person = packed.substr(0, packed.find(figure_index::kPerson));
            packed.remove_prefix(std::min(packed.size(), person.size() + 1));
            std::size_t n = 0;
            for (; n < field.size() && !person.empty(); ++n) {
                field[n] = person.substr(0, person.find(figure_index::kField));
                person.remove_prefix(std::min(person.size(), field[n].size() + 1));
            }
            if (n != field.size())
                continue;  // not a person as packed
            const std::string_view role = field[0];
            if (role == "child") {
                inc.children = true;
                continue;
            }
            PersonFacts p;
            std::from_chars(field[1].data(), field[1].data() + field[1].size(), p.ordinal);
            for (std::size_t k = 0; k < kDiversityKeys.size(); ++k) {
                std::string_view value = field[3 + k];
                std::string fromBirth;
                if (k == 0) {  // the age band: from the date of birth on the incident's date first
                    fromBirth = ageBandOn(field[2], inc.day);
                    if (!fromBirth.empty())
                        value = fromBirth;
                }
                p.diversity[k] = category(k, value);
            }
            if (role == "suspect") {
                if (!inc.firstSuspect || p.ordinal < inc.firstSuspect->ordinal)
                    inc.firstSuspect = p;
                continue;
            }
            p.id = field[11];
            p.grade = field[9];
            p.maracReferred = field[10] == "1";
            inc.victims.push_back(std::move(p));
        }
        std::sort(inc.victims.begin(), inc.victims.end(),
                  [](const PersonFacts& a, const PersonFacts& b) { return a.ordinal < b.ordinal; });
    };
    const std::string from = request.from.empty() ? std::string("0000") : request.from;
    const std::string to = request.to.empty() ? std::string("9999") : request.to;
    std::vector<IncidentFacts> incidents;
    {
        auto q = db.prepare("SELECT incident_id, occurred, facts, outcome, court_result, people FROM figure_incident"
                            " INDEXED BY figure_incident_period WHERE" + dated + " ORDER BY occurred, incident_id;");
        if (!q)
            return std::move(q).error();
        bindScope(*q, true);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            using namespace figure_index;
            const auto facts = row.columnInt(2);
            const auto has = [&](Fact f) { return (facts & f) != 0; };
            IncidentFacts& f = incidents.emplace_back();
            f.id = row.columnText(0);
            f.day = row.columnText(1);
            f.crime = has(Crime);
            f.sso = has(SeriousSexualOffence);
            f.repeatVictim = has(RepeatVictim);
            f.hbvOrForcedMarriage = has(HbvOrForcedMarriage);
            f.powerOfArrest = has(PowerOfArrest);
            f.arrest = has(ArrestAtScene);
            f.cad = has(Cad);
            f.cris = has(Cris);
            f.crimint = has(Crimint);
            f.merlin = has(Merlin);
            f.arrestLater = has(ArrestLater);
            f.daHomicide = has(DaHomicide);
            const std::string_view result = row.columnView(3);
            const std::string_view court = row.columnView(4);
            f.outcomeRecorded = !result.empty();
            if (!result.empty())
                f.outcome = outcomes ? outcomes->resultCategory(result) : outcomeCategoryFromString(result);
            if (!court.empty())
                f.court = outcomes ? outcomes->courtCategory(court) : courtCategoryFromString(court);
            f.charged = f.outcome && isCharge(*f.outcome);
            f.arrest = f.arrest || f.arrestLater;
            addPeople(f, row.columnView(5));
        }));
    }
    // The incident a row of a later read belongs to: rows come in the same (date, incident)
    // order, so the walk only moves forward; null for a row of an incident not counted (a draft,
    // another borough).
    struct Walk {
        std::vector<IncidentFacts>& incidents;
        std::size_t at = 0;
        IncidentFacts* find(std::string_view day, std::string_view id)
        {
            while (at < incidents.size()) {
                const IncidentFacts& i = incidents[at];
                const int byDay = std::string_view(i.day).compare(day);
                if (byDay > 0 || (byDay == 0 && std::string_view(i.id).compare(id) >= 0))
                    break;
                ++at;
            }
            if (at < incidents.size() && incidents[at].day == day && incidents[at].id == id)
                return &incidents[at];
            return nullptr;
        }
    };

    // 3. What the investigation recorded: an arrest made later, a charge.
    {
        auto q = db.prepare("SELECT occurred, incident_id, kind FROM figure_event INDEXED BY figure_event_period"
                            " WHERE borough = :borough AND occurred >= :from AND occurred < :to"
                            " AND kind IN ('arrest', 'charged') ORDER BY occurred, incident_id;");
        if (!q)
            return std::move(q).error();
        q->bind(q->parameterIndex(":borough"), request.borough);
        q->bind(q->parameterIndex(":from"), from).bind(q->parameterIndex(":to"), to);
        Walk walk{incidents};
        VIGIL_TRY(q->forEach([&](const Query& row) {
            IncidentFacts* inc = walk.find(row.columnView(0), row.columnView(1));
            if (!inc)
                return;
            if (row.columnView(2) == "arrest")
                inc->arrest = inc->arrestLater = true;
            else
                inc->charged = true;
        }));
    }

    // 4. The incident figures and the victim figures.
    const bool keep = request.keepIncidentIds;
    const Dimensions& P = people;
    Tally incidentsT("incidents", "", keep, P), crimesT("crimes", "incidents", keep, P),
        ssoT("sso_crimes", "crimes", keep, P), repeatT("repeat_victim_incidents", "incidents", keep, P),
        hbvT("hbv_fm_incidents", "incidents", keep, P), arrestsT("arrests", "incidents", keep, P),
        powerT("power_of_arrest_crimes", "crimes", keep, P),
        arrestsPowerT("arrests_where_power", "power_of_arrest_crimes", keep, P), chargedT("charged", "crimes", keep, P),
        crisT("cris_linked", "crimes", keep, P), crimintT("crimint_linked", "incidents", keep, P),
        childrenT("incidents_with_children", "incidents", keep, P),
        merlinT("merlin_linked", "incidents_with_children", keep, P), cadT("cad_recorded", "incidents", keep, P),
        cadCrisT("cad_to_cris", "cad_recorded", keep, P), victimsT("victims", "", keep, P),
        highT("high_risk_victims", "victims", keep, P), mediumT("medium_risk_victims", "victims", keep, P),
        maracT("marac_referrals", "victims", keep, P);
    Tally outcomesT("outcomes_recorded", "crimes", keep, P), sanctionT("sanction_detections", "crimes", keep, P),
        cautionedT("cautioned", "sanction_detections", keep, P),
        unsupportedT("unsupported_prosecutions", "charged", keep, P), nfaT("no_further_action", "crimes", keep, P),
        withdrewT("victim_withdrew", "crimes", keep, P), courtT("court_results", "charged", keep, P),
        convictedT("court_convictions", "court_results", keep, P), laterT("arrests_later", "incidents", keep, P),
        homicideT("da_homicides", "incidents", keep, P);
    for (const IncidentFacts& inc : incidents) {
        const std::string& id = inc.id;
        const Categories& suspect = inc.firstSuspect ? inc.firstSuspect->diversity : none;
        const Unit unit = unitOf(inc.victims.empty() ? none : inc.victims.front().diversity, suspect);
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
        // The crime's outcome: only a crime's counts (an outcome left on a 124D no longer a crime does not).
        const auto is = [&](OutcomeCategory c) { return inc.crime && inc.outcome == c; };
        const bool sanction = inc.crime && inc.outcome && isSanctionDetection(*inc.outcome);
        const bool chargedCrime = inc.crime && inc.charged;
        const bool courtResult = chargedCrime && inc.court.has_value();
        outcomesT.add(unit, inc.crime, inc.outcomeRecorded, id);
        sanctionT.add(unit, inc.crime, sanction, id);
        cautionedT.add(unit, sanction, is(OutcomeCategory::Cautioned), id);
        unsupportedT.add(unit, chargedCrime, is(OutcomeCategory::UnsupportedProsecution), id);
        nfaT.add(unit, inc.crime, is(OutcomeCategory::NoFurtherAction), id);
        withdrewT.add(unit, inc.crime, is(OutcomeCategory::VictimWithdrew), id);
        courtT.add(unit, chargedCrime, courtResult, id);
        convictedT.add(unit, courtResult, inc.court == CourtCategory::Convicted, id);
        laterT.add(unit, true, inc.arrestLater, id);
        homicideT.add(unit, true, inc.daHomicide, id);
        for (const PersonFacts& v : inc.victims) {
            const Unit victimUnit = unitOf(v.diversity, suspect);
            victimsT.add(victimUnit, true, true, id);
            highT.add(victimUnit, true, v.grade == "high", id);
            mediumT.add(victimUnit, true, v.grade == "medium", id);
            maracT.add(victimUnit, true, v.maracReferred, id);
        }
    }

    // 5. Feedback forms issued and QA decisions made in the period, on incidents in the scope
    // (whatever the incident's date).
    Tally formsT("feedback_forms", "", keep, byKind), qaT("qa_decisions", "", keep, byOfficer),
        returnedT("qa_returned", "qa_decisions", keep, byOfficer);
    {
        auto q = db.prepare("SELECT e.incident_id, e.kind, i.owner FROM figure_event e INDEXED BY figure_event_at"
                            " JOIN figure_incident i ON i.incident_id = e.incident_id"
                            " WHERE e.borough = :borough AND e.at >= :from AND e.at < :to"
                            " AND (e.kind LIKE 'form:%' OR e.kind LIKE 'qa:%') AND" + scopeOf("i") + ";");
        if (!q)
            return std::move(q).error();
        bindScope(*q, false);
        q->bind(q->parameterIndex(":from"), request.from.empty() ? std::string("0000") : request.from);
        q->bind(q->parameterIndex(":to"), request.to.empty() ? std::string("9999") : request.to);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const std::string incidentId = row.columnText(0);
            const std::string kind = row.columnText(1);
            if (kind.rfind("form:", 0) == 0) {
                formsT.add(std::array<std::uint16_t, 1>{kinds.id(kind.substr(5))}, true, true, incidentId);
                return;
            }
            const std::string owner = row.columnText(2);
            const std::array<std::uint16_t, 1> unit{officers.id(owner.empty() ? std::string(kNotRecorded) : owner)};
            qaT.add(unit, true, true, incidentId);
            returnedT.add(unit, true, kind == "qa:returned", incidentId);
        }));
    }

    FigureSet out;
    out.request = request;
    for (Tally* t : {&incidentsT, &crimesT, &ssoT, &repeatT, &hbvT, &arrestsT, &powerT, &arrestsPowerT, &chargedT,
                     &crisT, &crimintT, &childrenT, &merlinT, &cadT, &cadCrisT, &victimsT, &highT, &mediumT, &maracT,
                     &formsT, &qaT, &returnedT, &outcomesT, &sanctionT, &cautionedT, &unsupportedT, &nfaT, &withdrewT,
                     &courtT, &convictedT, &laterT, &homicideT})
        out.figures.push_back(t->finish());
    if (!request.casework)
        return out;

    // 6. Repeat MARAC referrals: of the victims referred, those the store knows were referred
    // before, within the window before this incident (rules-default.json "repeat_marac").
    auto rules = figure_clocks::rulesOf(given);
    if (!rules)
        return std::move(rules).error();
    Tally repeatMaracT("repeat_marac_referrals", "marac_referrals", keep, P);
    {
        std::vector<std::pair<std::string, std::string>> referred;
        for (const IncidentFacts& inc : incidents) {
            for (const PersonFacts& v : inc.victims) {
                if (v.maracReferred)
                    referred.emplace_back(v.id, inc.day);
            }
        }
        const int window = rules->rules->repeatMaracWindowDays;
        if (!shared.marac) {
            // The span every borough's referred victims need: the period, and the window before it.
            const auto first = parseIsoDate(request.from);
            auto read = figure_clocks::MaracHistory::read(
                db, first ? formatIsoDate(*first - std::chrono::days(window)) : std::string(), to);
            if (!read)
                return std::move(read).error();
            shared.marac = std::move(read).value();
        }
        const std::set<std::string> repeats = shared.marac->repeats(referred, window);
        out.repeatMaracWindowDays = window;
        for (const IncidentFacts& inc : incidents) {
            const Categories& suspect = inc.firstSuspect ? inc.firstSuspect->diversity : none;
            for (const PersonFacts& v : inc.victims)
                repeatMaracT.add(unitOf(v.diversity, suspect), v.maracReferred, repeats.count(v.id) != 0, inc.id);
        }
    }

    // 7. and 8. The Victims' Code items that fell due in the period, and the reviews due at its
    // end (or now, when sooner), on the 124Ds in the scope whatever their date.
    const auto now = request.now ? *request.now
                                 : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto start = figure_clocks::londonStartOf(request.from).value_or(std::chrono::sys_seconds{});
    const auto end = std::min(figure_clocks::londonStartOf(request.to).value_or(now), now);
    const figure_clocks::Scope clockScope{scopeOf("figure_incident"), [&](Query& q) { bindScope(q, false); }};
    auto code = figure_clocks::victimsCodeFigures(db, clockScope, start, end, *rules->victimsCode, *rules->calendar, now,
                                                  keep);
    if (!code)
        return std::move(code).error();
    auto reviews = figure_clocks::reviewFigures(db, clockScope, end, *rules->rules, keep);
    if (!reviews)
        return std::move(reviews).error();

    out.figures.push_back(std::move(code->first));
    out.figures.push_back(std::move(code->second));
    out.figures.push_back(repeatMaracT.finish());
    out.figures.push_back(std::move(reviews->first));
    out.figures.push_back(std::move(reviews->second));
    return out;
}

/// The boroughs the figures hold ("" for 124Ds with none recorded), in order: one seek of the
/// borough-first index a borough, not a read of every row.
Result<std::vector<std::string>> boroughsHeld(Database& db)
{
    auto q = db.prepare("WITH RECURSIVE b(name) AS (SELECT (SELECT min(borough) FROM figure_incident"
                        " INDEXED BY figure_incident_period) UNION ALL SELECT (SELECT min(borough) FROM figure_incident"
                        " INDEXED BY figure_incident_period WHERE borough > b.name) FROM b WHERE b.name IS NOT NULL)"
                        " SELECT name FROM b WHERE name IS NOT NULL;");
    if (!q)
        return std::move(q).error();
    std::vector<std::string> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.push_back(row.columnText(0)); }));
    return out;
}

}  // namespace

Result<std::vector<FigureSet>> computeFiguresByBorough(Database& db, const FigureRequest& request,
                                                       const std::vector<std::string>& boroughs,
                                                       const DiversityCategories* lists, const OutcomeList* outcomes,
                                                       const FigureRules* rules)
{
    SharedReads shared;
    std::vector<FigureSet> out;
    FigureRequest one = request;
    if (!one.now)  // every borough counted at the same moment
        one.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (const std::string& borough : boroughs) {
        one.borough = borough;
        auto set = computeBorough(db, one, lists, outcomes, rules, shared);
        if (!set)
            return std::move(set).error();
        set->request.now = request.now;
        out.push_back(std::move(set).value());
    }
    return out;
}

Result<FigureSet> computeFigures(Database& db, const FigureRequest& request, const DiversityCategories* lists,
                                 const OutcomeList* outcomes, const FigureRules* rules)
{
    if (!request.borough.empty()) {
        SharedReads shared;
        return computeBorough(db, request, lists, outcomes, rules, shared);
    }
    // Every borough the records hold, each counted alone and added up: the figures of the
    // boroughs together are the sums of theirs (each incident is in one borough).
    auto boroughs = boroughsHeld(db);
    if (!boroughs)
        return std::move(boroughs).error();
    if (boroughs->empty())
        boroughs->push_back("");  // no 124D yet: every figure, at nought
    auto sets = computeFiguresByBorough(db, request, *boroughs, lists, outcomes, rules);
    if (!sets)
        return std::move(sets).error();
    if (sets->size() == 1) {
        FigureSet one = std::move(sets->front());
        one.request = request;
        return one;
    }
    FigureSet sum = addFigureSets(*sets);
    sum.request = request;
    for (Figure& f : sum.figures)
        std::sort(f.incidentIds.begin(), f.incidentIds.end());
    return sum;
}

FigureSet addFigureSets(const std::vector<FigureSet>& sets)
{
    FigureSet out;
    if (sets.empty())
        return out;
    out.request = sets.front().request;
    out.request.borough.clear();
    out.repeatMaracWindowDays = sets.front().repeatMaracWindowDays;
    for (const FigureSet& s : sets) {
        for (const Figure& f : s.figures) {
            Figure* sum = nullptr;
            for (Figure& g : out.figures) {
                if (g.id == f.id)
                    sum = &g;
            }
            if (!sum) {
                Figure blank;
                blank.id = f.id;
                blank.over = f.over;
                out.figures.push_back(std::move(blank));
                sum = &out.figures.back();
            }
            sum->total.count += f.total.count;
            sum->total.of += f.total.of;
            for (const auto& [dimension, categories] : f.breakdowns) {
                for (const auto& [category, c] : categories) {
                    FigureCount& into = sum->breakdowns[dimension][category];
                    into.count += c.count;
                    into.of += c.of;
                }
            }
            sum->incidentIds.insert(sum->incidentIds.end(), f.incidentIds.begin(), f.incidentIds.end());
        }
    }
    return out;
}

Result<std::vector<std::string>> boroughsWithFigures(Database& db, const std::string& from, const std::string& to)
{
    auto held = boroughsHeld(db);
    if (!held)
        return std::move(held).error();
    auto q = db.prepare(std::string("SELECT 1 FROM figure_incident INDEXED BY figure_incident_period WHERE borough = ?1"
                                    " AND occurred >= ?2 AND occurred < ?3 AND state IN ")
                        + figure_index::kReceivedStates + " LIMIT 1;");
    if (!q)
        return std::move(q).error();
    std::vector<std::string> out;
    for (const std::string& borough : *held) {
        if (borough.empty())
            continue;
        q->bind(1, borough).bind(2, from.empty() ? std::string("0000") : from).bind(3, to.empty() ? std::string("9999") : to);
        bool any = false;
        VIGIL_TRY(q->forEach([&](const Query&) { any = true; }));
        if (any)
            out.push_back(borough);
    }
    return out;
}

}  // namespace vigil
