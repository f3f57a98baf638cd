#include "core/figures/Figures.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <charconv>
#include <chrono>
#include <map>
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
    /// Days after the same person's nearest earlier referral on another received 124D (figure_marac.gap).
    std::optional<std::int64_t> maracGap;
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
    /// Add counts to one category of one dimension (a month's kept counts).
    void addCategory(std::size_t dimension, std::uint16_t category, const FigureCount& n)
    {
        if (category >= stride) [[unlikely]]
            widen(category + 1U);
        FigureCount& c = counts[dimension * stride + category];
        c.count += n.count;
        c.of += n.of;
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

/// What a request's boroughs share: the months worked out from the facts, kept when the request
/// is done.
struct SharedReads {
    struct Cell {
        std::string borough, month, team;
        std::vector<unsigned char> counts;
    };
    std::vector<Cell> cells;
    std::string countedWith;  ///< countedWith() of the request's lists
    /// The Victims' Code days worked out from the facts (figure_code_day).
    struct CodeDay {
        std::string borough, day, team, countedWith, counts;
    };
    std::vector<CodeDay> codeDays;
};

/// The 124Ds' figures counted from their facts (and kept a month at a time), in figureIds()'s order.
enum TallyId : std::size_t {
    TIncidents, TCrimes, TSso, TRepeat, THbv, TArrests, TPower, TArrestsPower, TCharged, TCris, TCrimint, TChildren,
    TMerlin, TCad, TCadCris, TVictims, THigh, TMedium, TMarac, TForms, TQa, TReturned, TOutcomes, TSanction,
    TCautioned, TUnsupported, TNfa, TWithdrew, TCourt, TConvicted, TLater, THomicide,
    TRepeatMarac,  ///< a casework figure (after the Victims' Code's in figureIds()), counted with the victims
    kCounted
};
enum class By { People, Officer, Kind };
struct TallySpec {
    std::string_view over;  ///< the figure it is a share of ("" for a plain count)
    By by;                  ///< what it is broken down by
};
constexpr std::array<TallySpec, kCounted> kSpecs{{
    {"", By::People}, {"incidents", By::People}, {"crimes", By::People}, {"incidents", By::People},
    {"incidents", By::People}, {"incidents", By::People}, {"crimes", By::People},
    {"power_of_arrest_crimes", By::People}, {"crimes", By::People}, {"crimes", By::People},
    {"incidents", By::People}, {"incidents", By::People}, {"incidents_with_children", By::People},
    {"incidents", By::People}, {"cad_recorded", By::People}, {"", By::People}, {"victims", By::People},
    {"victims", By::People}, {"victims", By::People}, {"", By::Kind}, {"", By::Officer}, {"qa_decisions", By::Officer},
    {"crimes", By::People}, {"crimes", By::People}, {"sanction_detections", By::People}, {"charged", By::People},
    {"crimes", By::People}, {"crimes", By::People}, {"charged", By::People}, {"court_results", By::People},
    {"incidents", By::People}, {"incidents", By::People}, {"marac_referrals", By::People},
}};

/// What a read of facts is restricted to: a borough ("" for none recorded), a team ("" for every
/// team) and the dates from (included) to (excluded), as ISO text ("0000" and "9999" for open ends).
struct Span {
    std::string borough, team, from, to;
};

/// The tallies of the 124Ds' figures with the dictionaries their categories are numbered in.
/// The breakdowns: the victim's and the first suspect's answers (one dictionary a question), the
/// officer for QA decisions, the kind of form for feedback forms.
struct Counting {
    const DiversityCategories* lists;
    const OutcomeList* outcomes;
    std::array<Dictionary, 6> answers;
    Dictionary officers, kinds;
    Dimensions people, byOfficer, byKind;
    Categories none{};
    /// An answer is worked out (checked against the lists, or "not_recorded") once per distinct
    /// answer, not once per person.
    std::array<std::unordered_map<std::string, std::uint16_t>, 6> answered;
    std::vector<Tally> tallies;

    /// The repeat MARAC window (rules-default.json "repeat_marac"), days.
    int maracWindow;

    Counting(bool keepIds, const DiversityCategories* l, const OutcomeList* o, int window)
        : lists(l), outcomes(o), maracWindow(window)
    {
        for (const char* who : {"victim.", "suspect."}) {
            for (std::size_t k = 0; k < kDiversityKeys.size(); ++k) {
                people.names.push_back(who + std::string(kDiversityKeys[k]));
                people.dictionaries.push_back(&answers[k]);
            }
        }
        for (std::size_t k = 0; k < kDiversityKeys.size(); ++k)
            none[k] = answers[k].id(std::string(kNotRecorded));
        byOfficer = {{"officer"}, {&officers}};
        byKind = {{"form.kind"}, {&kinds}};
        tallies.reserve(kCounted);
        for (std::size_t t = 0; t < kCounted; ++t) {
            const std::string_view id = t == TRepeatMarac ? std::string_view("repeat_marac_referrals") : figureIds()[t];
            tallies.emplace_back(std::string(id), std::string(kSpecs[t].over), keepIds, dimensions(t));
        }
    }
    Counting(const Counting&) = delete;
    Counting& operator=(const Counting&) = delete;

    const Dimensions& dimensions(std::size_t t) const
    {
        return kSpecs[t].by == By::People ? people : kSpecs[t].by == By::Officer ? byOfficer : byKind;
    }
    Tally& operator[](TallyId t) { return tallies[t]; }
    /// Every dictionary, in the order a month's counts list them.
    std::array<Dictionary*, 8> dictionaries()
    {
        return {&answers[0], &answers[1], &answers[2], &answers[3], &answers[4], &answers[5], &officers, &kinds};
    }
    /// The dictionary (of dictionaries()) of dimension `d` of tally `t`.
    static std::size_t dictionaryOf(std::size_t t, std::size_t d)
    {
        return kSpecs[t].by == By::People ? d % 6 : kSpecs[t].by == By::Officer ? 6 : 7;
    }

    std::uint16_t category(std::size_t k, std::string_view value)
    {
        auto& seen = answered[k];
        if (const auto it = seen.find(std::string(value)); it != seen.end())
            return it->second;
        const bool counts = !value.empty() && (!lists || lists->isAnswer(kDiversityKeys[k], value));
        const std::uint16_t id = counts ? answers[k].id(std::string(value)) : none[k];
        seen.emplace(std::string(value), id);
        return id;
    }
    /// The incident's victims (in order), first suspect and children from its packed people.
    void addPeople(IncidentFacts& inc, std::string_view packed)
    {
        std::array<std::string_view, figure_index::kPersonFields> field;
        while (!packed.empty()) {
            std::string_view person = packed.substr(0, packed.find(figure_index::kPerson));
            packed.remove_prefix(std::min(packed.size(), person.size() + 1));
            std::size_t n = 0;
            for (; n < field.size() && !person.empty(); ++n) {
                field[n] = person.substr(0, person.find(figure_index::kField));
                person.remove_prefix(std::min(person.size(), field[n].size() + 1));
            }
            if (n < field.size() - 1 || !person.empty())
                continue;  // not a person as packed (a pack from before step 28 has no gap)
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
            p.id = field[n - 1];
            p.grade = field[9];
            p.maracReferred = field[10] == "1";
            if (n == field.size() && !field[11].empty()) {
                std::int64_t gap = 0;
                if (std::from_chars(field[11].data(), field[11].data() + field[11].size(), gap).ec == std::errc{})
                    p.maracGap = gap;
            }
            inc.victims.push_back(std::move(p));
        }
        std::sort(inc.victims.begin(), inc.victims.end(),
                  [](const PersonFacts& a, const PersonFacts& b) { return a.ordinal < b.ordinal; });
    }
};

/// The condition on figure_incident (named `t` in the query) of the 124Ds counted: received, in
/// the borough (:borough) and, when one is named, the team (:team).
std::string scopeOf(const std::string& t, const std::string& team)
{
    std::string scope = " " + t + ".state IN " + figure_index::kReceivedStates + " AND " + t + ".borough = :borough";
    if (!team.empty())
        scope += " AND " + t + ".team = :team";
    return scope;
}

void bindScope(Query& q, const Span& span)
{
    q.bind(q.parameterIndex(":borough"), span.borough);
    if (!span.team.empty())
        q.bind(q.parameterIndex(":team"), span.team);
}

/// Count the 124Ds' figures of a span from the facts, row by row, into `c`.
Status countRows(Database& db, Counting& c, const Span& span)
{
    // Read from the facts derived beside the records (core/figures/FigureIndex.h): short indexed
    // columns, not every row's JSON.
    // 1. The incidents: received, dated in the span, in the scope, each with its people:
    // victims (with their standing grade and MARAC decision), the first suspect, and whether
    // children are on the record. One range of one index in (date, incident) order (device
    // schema step 21), the people packed on the incident's row (FigureIndex.h).
    std::vector<IncidentFacts> incidents;
    {
        auto q = db.prepare("SELECT incident_id, occurred, facts, outcome, court_result, people FROM figure_incident"
                            " INDEXED BY figure_incident_period WHERE" + scopeOf("figure_incident", span.team)
                            + " AND occurred >= :from AND occurred < :to ORDER BY occurred, incident_id;");
        if (!q)
            return std::move(q).error();
        bindScope(*q, span);
        q->bind(q->parameterIndex(":from"), span.from).bind(q->parameterIndex(":to"), span.to);
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
                f.outcome = c.outcomes ? c.outcomes->resultCategory(result) : outcomeCategoryFromString(result);
            if (!court.empty())
                f.court = c.outcomes ? c.outcomes->courtCategory(court) : courtCategoryFromString(court);
            f.charged = f.outcome && isCharge(*f.outcome);
            f.arrest = f.arrest || f.arrestLater;
            c.addPeople(f, row.columnView(5));
        }));
    }
    // The incident a row of a later read belongs to: rows come in the same (date, incident)
    // order, so the walk only moves forward; null for a row of an incident not counted (a draft,
    // another team).
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

    // 2. What the investigation recorded: an arrest made later, a charge.
    {
        auto q = db.prepare("SELECT occurred, incident_id, kind FROM figure_event INDEXED BY figure_event_period"
                            " WHERE borough = :borough AND occurred >= :from AND occurred < :to"
                            " AND kind IN ('arrest', 'charged') ORDER BY occurred, incident_id;");
        if (!q)
            return std::move(q).error();
        q->bind(q->parameterIndex(":borough"), span.borough);
        q->bind(q->parameterIndex(":from"), span.from).bind(q->parameterIndex(":to"), span.to);
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

    // 3. The incident figures and the victim figures.
    for (const IncidentFacts& inc : incidents) {
        const std::string& id = inc.id;
        const Categories& suspect = inc.firstSuspect ? inc.firstSuspect->diversity : c.none;
        const Unit unit = unitOf(inc.victims.empty() ? c.none : inc.victims.front().diversity, suspect);
        const bool crimePower = inc.crime && inc.powerOfArrest;
        c[TIncidents].add(unit, true, true, id);
        c[TCrimes].add(unit, true, inc.crime, id);
        c[TSso].add(unit, inc.crime, inc.sso, id);
        c[TRepeat].add(unit, true, inc.repeatVictim, id);
        c[THbv].add(unit, true, inc.hbvOrForcedMarriage, id);
        c[TArrests].add(unit, true, inc.arrest, id);
        c[TPower].add(unit, inc.crime, crimePower, id);
        c[TArrestsPower].add(unit, crimePower, inc.arrest, id);
        c[TCharged].add(unit, inc.crime, inc.charged, id);
        c[TCris].add(unit, inc.crime, inc.cris, id);
        c[TCrimint].add(unit, true, inc.crimint, id);
        c[TChildren].add(unit, true, inc.children, id);
        c[TMerlin].add(unit, inc.children, inc.merlin, id);
        c[TCad].add(unit, true, inc.cad, id);
        c[TCadCris].add(unit, inc.cad, inc.cris, id);
        // The crime's outcome: only a crime's counts (an outcome left on a 124D no longer a crime does not).
        const auto is = [&](OutcomeCategory o) { return inc.crime && inc.outcome == o; };
        const bool sanction = inc.crime && inc.outcome && isSanctionDetection(*inc.outcome);
        const bool chargedCrime = inc.crime && inc.charged;
        const bool courtResult = chargedCrime && inc.court.has_value();
        c[TOutcomes].add(unit, inc.crime, inc.outcomeRecorded, id);
        c[TSanction].add(unit, inc.crime, sanction, id);
        c[TCautioned].add(unit, sanction, is(OutcomeCategory::Cautioned), id);
        c[TUnsupported].add(unit, chargedCrime, is(OutcomeCategory::UnsupportedProsecution), id);
        c[TNfa].add(unit, inc.crime, is(OutcomeCategory::NoFurtherAction), id);
        c[TWithdrew].add(unit, inc.crime, is(OutcomeCategory::VictimWithdrew), id);
        c[TCourt].add(unit, chargedCrime, courtResult, id);
        c[TConvicted].add(unit, courtResult, inc.court == CourtCategory::Convicted, id);
        c[TLater].add(unit, true, inc.arrestLater, id);
        c[THomicide].add(unit, true, inc.daHomicide, id);
        for (const PersonFacts& v : inc.victims) {
            const Unit victimUnit = unitOf(v.diversity, suspect);
            c[TVictims].add(victimUnit, true, true, id);
            c[THigh].add(victimUnit, true, v.grade == "high", id);
            c[TMedium].add(victimUnit, true, v.grade == "medium", id);
            c[TMarac].add(victimUnit, true, v.maracReferred, id);
            // Repeat MARAC: referred again within the window after an earlier referral.
            c[TRepeatMarac].add(victimUnit, v.maracReferred,
                                v.maracReferred && v.maracGap && *v.maracGap <= c.maracWindow, id);
        }
    }

    // 4. Feedback forms issued and QA decisions made in the span, on incidents in the scope
    // (whatever the incident's date).
    {
        auto q = db.prepare("SELECT e.incident_id, e.kind, i.owner FROM figure_event e INDEXED BY figure_event_at"
                            " JOIN figure_incident i ON i.incident_id = e.incident_id"
                            " WHERE e.borough = :borough AND e.at >= :from AND e.at < :to"
                            " AND (e.kind LIKE 'form:%' OR e.kind LIKE 'qa:%') AND" + scopeOf("i", span.team) + ";");
        if (!q)
            return std::move(q).error();
        bindScope(*q, span);
        q->bind(q->parameterIndex(":from"), span.from).bind(q->parameterIndex(":to"), span.to);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const std::string incidentId = row.columnText(0);
            const std::string kind = row.columnText(1);
            if (kind.rfind("form:", 0) == 0) {
                c[TForms].add(std::array<std::uint16_t, 1>{c.kinds.id(kind.substr(5))}, true, true, incidentId);
                return;
            }
            const std::string owner = row.columnText(2);
            const std::array<std::uint16_t, 1> unit{c.officers.id(owner.empty() ? std::string(kNotRecorded) : owner)};
            c[TQa].add(unit, true, true, incidentId);
            c[TReturned].add(unit, true, kind == "qa:returned", incidentId);
        }));
    }
    return {};
}

// A month's counts (figure_month.counts): unsigned LEB128 numbers. Format 1, then each
// dictionary of Counting::dictionaries() as its size and its names (each its length and bytes),
// then each tally in TallyId order as its total's count and of, its number of entries, and each
// entry as its dimension, category (in the dimension's dictionary), count and of.
constexpr std::uint64_t kMonthFormat = 2;

void putNumber(std::vector<unsigned char>& out, std::uint64_t n)
{
    while (n >= 0x80) {
        out.push_back(static_cast<unsigned char>(n | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<unsigned char>(n));
}

std::vector<unsigned char> encodeMonth(Counting& c)
{
    std::vector<unsigned char> out;
    putNumber(out, kMonthFormat);
    for (const Dictionary* d : c.dictionaries()) {
        putNumber(out, d->names.size());
        for (const std::string& name : d->names) {
            putNumber(out, name.size());
            out.insert(out.end(), name.begin(), name.end());
        }
    }
    for (const Tally& t : c.tallies) {
        putNumber(out, static_cast<std::uint64_t>(t.figure.total.count));
        putNumber(out, static_cast<std::uint64_t>(t.figure.total.of));
        std::size_t entries = 0;
        for (const FigureCount& n : t.counts)
            entries += n.count != 0 || n.of != 0 ? 1 : 0;
        putNumber(out, entries);
        for (std::size_t i = 0; i < t.counts.size(); ++i) {
            const FigureCount& n = t.counts[i];
            if (n.count == 0 && n.of == 0)
                continue;
            putNumber(out, i / t.stride);
            putNumber(out, i % t.stride);
            putNumber(out, static_cast<std::uint64_t>(n.count));
            putNumber(out, static_cast<std::uint64_t>(n.of));
        }
    }
    return out;
}

/// Add a month's counts to `c`; false (and `c` unchanged) when they are not counts this code wrote.
bool addMonth(Counting& c, std::span<const unsigned char> in)
{
    std::size_t at = 0;
    bool bad = false;
    const auto number = [&]() -> std::uint64_t {
        std::uint64_t n = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= in.size()) {
                bad = true;
                return 0;
            }
            const unsigned char b = in[at++];
            n |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return n;
        }
        bad = true;
        return 0;
    };
    if (number() != kMonthFormat || bad)
        return false;
    // Read it all before adding any of it.
    std::array<std::vector<std::string>, 8> names;
    for (auto& list : names) {
        const std::uint64_t size = number();
        for (std::uint64_t i = 0; i < size && !bad; ++i) {
            const std::uint64_t length = number();
            if (bad || length > in.size() - at)
                return false;
            list.emplace_back(reinterpret_cast<const char*>(in.data() + at), length);
            at += length;
        }
        if (bad)
            return false;
    }
    struct Entry {
        std::size_t tally, dimension, category;
        FigureCount n;
    };
    std::vector<Entry> entries;
    std::array<FigureCount, kCounted> totals{};
    for (std::size_t t = 0; t < kCounted; ++t) {
        totals[t].count = static_cast<std::int64_t>(number());
        totals[t].of = static_cast<std::int64_t>(number());
        const std::uint64_t count = number();
        const std::size_t dims = c.dimensions(t).names.size();
        for (std::uint64_t e = 0; e < count && !bad; ++e) {
            Entry entry{t, number(), number(), {}};
            entry.n.count = static_cast<std::int64_t>(number());
            entry.n.of = static_cast<std::int64_t>(number());
            if (entry.dimension >= dims || entry.category >= names[Counting::dictionaryOf(t, entry.dimension)].size())
                return false;
            entries.push_back(entry);
        }
        if (bad)
            return false;
    }
    if (at != in.size())
        return false;
    // The month's category numbers in this count's dictionaries.
    std::array<std::vector<std::uint16_t>, 8> ids;
    const auto dictionaries = c.dictionaries();
    for (std::size_t d = 0; d < names.size(); ++d) {
        for (const std::string& name : names[d])
            ids[d].push_back(dictionaries[d]->id(name));
    }
    for (std::size_t t = 0; t < kCounted; ++t) {
        c.tallies[t].figure.total.count += totals[t].count;
        c.tallies[t].figure.total.of += totals[t].of;
    }
    for (const Entry& e : entries)
        c.tallies[e.tally].addCategory(e.dimension, ids[Counting::dictionaryOf(e.tally, e.dimension)][e.category], e.n);
    return true;
}

/// What a month's counts were counted with: this code's way of counting (kMonthFormat) and the
/// lists' ids and versions (versioned data: a list whose answers change takes a new version).
std::string countedWith(const DiversityCategories* lists, const OutcomeList* outcomes, int maracWindow)
{
    std::string out = "format " + std::to_string(kMonthFormat) + "; repeat MARAC within "
                      + std::to_string(maracWindow) + " days; diversity ";
    out += lists ? lists->id() + " " + lists->version() : std::string("any answer");
    out += "; outcomes ";
    out += outcomes ? outcomes->id() + " " + outcomes->version() : std::string("by category name");
    return out;
}

/// Count the 124Ds' figures of a span into `c`: without the incidents behind each number, whole
/// months are added up from their kept counts (figure_month), each worked out from the facts
/// when it has none (and kept, with the request's other new months, when it is done); the days
/// before the first whole month and after the last are counted from the facts.
Status countSpan(Database& db, Counting& c, const Span& span, bool keepIds, SharedReads& shared)
{
    const auto from = parseIsoDate(span.from);
    const auto to = parseIsoDate(span.to);
    if (keepIds || !from || !to || *from >= *to)
        return countRows(db, c, span);
    using namespace std::chrono;
    const auto monthStart = [](sys_days day) {
        const year_month_day d{day};
        return sys_days{d.year() / d.month() / 1};
    };
    const auto nextMonth = [](sys_days firstDay) {
        const year_month_day d{firstDay};
        return sys_days{(d.year() / d.month() + months(1)) / 1};
    };
    const sys_days firstWhole = monthStart(*from) == *from ? *from : nextMonth(monthStart(*from));
    const sys_days endWhole = monthStart(*to);
    if (firstWhole >= endWhole)
        return countRows(db, c, span);
    if (*from < firstWhole)
        VIGIL_TRY(countRows(db, c, Span{span.borough, span.team, span.from, formatIsoDate(firstWhole)}));
    if (endWhole < *to)
        VIGIL_TRY(countRows(db, c, Span{span.borough, span.team, formatIsoDate(endWhole), span.to}));

    const std::string with = countedWith(c.lists, c.outcomes, c.maracWindow);
    const auto monthOf = [](sys_days firstDay) { return formatIsoDate(firstDay).substr(0, 7); };
    std::set<std::string> counted;
    {
        auto q = db.prepare("SELECT month, lists, counts FROM figure_month WHERE borough = ?1 AND month >= ?2"
                            " AND month < ?3 AND team = ?4;");
        if (!q)
            return std::move(q).error();
        q->bind(1, span.borough).bind(2, monthOf(firstWhole)).bind(3, monthOf(endWhole)).bind(4, span.team);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            if (row.columnView(1) == with && addMonth(c, row.columnBlob(2)))
                counted.insert(row.columnText(0));
        }));
    }
    for (sys_days m = firstWhole; m < endWhole; m = nextMonth(m)) {
        const std::string month = monthOf(m);
        if (counted.count(month))
            continue;
        Counting one(false, c.lists, c.outcomes, c.maracWindow);
        VIGIL_TRY(countRows(db, one, Span{span.borough, span.team, formatIsoDate(m), formatIsoDate(nextMonth(m))}));
        auto counts = encodeMonth(one);
        if (!addMonth(c, counts))
            return Error{ErrorCode::Internal,
                         "The figures of " + month + " could not be added up: report this to your administrator with"
                         " the period you asked for.",
                         {}};
        shared.cells.push_back({span.borough, month, span.team, std::move(counts)});
    }
    return {};
}

/// Keep the months a request worked out from the facts, so the next request adds them up. Only
/// saves work: when they cannot be written (a store opened to read, or busy writing), they are
/// worked out again next time and the figures are the same.
void keepMonths(Database& db, SharedReads& shared)
{
    if (shared.cells.empty() && shared.codeDays.empty())
        return;
    const auto write = [&]() -> Status {
        auto q = db.prepare("INSERT OR REPLACE INTO figure_month (borough, month, team, lists, counts)"
                            " VALUES (?1, ?2, ?3, ?4, ?5);");
        if (!q)
            return std::move(q).error();
        for (const SharedReads::Cell& cell : shared.cells) {
            q->bind(1, cell.borough).bind(2, cell.month).bind(3, cell.team).bind(4, shared.countedWith);
            q->bindBlob(5, cell.counts);
            VIGIL_TRY(q->run());
        }
        auto d = db.prepare("INSERT OR REPLACE INTO figure_code_day (borough, day, team, rules, counts)"
                            " VALUES (?1, ?2, ?3, ?4, ?5);");
        if (!d)
            return std::move(d).error();
        for (const SharedReads::CodeDay& day : shared.codeDays) {
            d->bind(1, day.borough).bind(2, day.day).bind(3, day.team).bind(4, day.countedWith).bind(5, day.counts);
            VIGIL_TRY(d->run());
        }
        return {};
    };
    (void)(db.inTransaction() ? write() : db.transaction(write));
    shared.cells.clear();
    shared.codeDays.clear();
}

/// Every figure of one borough's 124Ds (`request.borough`, "" for those with none recorded).
Result<FigureSet> computeBorough(Database& db, const FigureRequest& request, const DiversityCategories* lists,
                                 const OutcomeList* outcomes, const FigureRules* given, SharedReads& shared)
{
    const Span span{request.borough, request.team, request.from.empty() ? std::string("0000") : request.from,
                    request.to.empty() ? std::string("9999") : request.to};
    const bool keep = request.keepIncidentIds;
    auto rules = figure_clocks::rulesOf(given);
    if (!rules)
        return std::move(rules).error();
    const int window = rules->rules->repeatMaracWindowDays;
    Counting c(keep, lists, outcomes, window);
    shared.countedWith = countedWith(lists, outcomes, window);
    VIGIL_TRY(countSpan(db, c, span, keep, shared));

    // Every figure counted from the 124Ds, in figureIds()'s order; the repeat MARAC referrals (of
    // the victims referred, those referred before within the window: their referral's gap, worked
    // out when a referral is derived, FigureIndex.h) among the casework figures below.
    FigureSet out;
    out.request = request;
    for (std::size_t t = 0; t < TRepeatMarac; ++t)
        out.figures.push_back(c.tallies[t].finish());
    if (!request.casework)
        return out;
    out.repeatMaracWindowDays = window;

    // 6. and 7. The Victims' Code items that fell due in the period, and the reviews due at its
    // end (or now, when sooner), on the 124Ds in the scope whatever their date.
    const auto now = request.now ? *request.now
                                 : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto start = figure_clocks::londonStartOf(request.from).value_or(std::chrono::sys_seconds{});
    const auto end = std::min(figure_clocks::londonStartOf(request.to).value_or(now), now);
    const figure_clocks::Scope clockScope{scopeOf("figure_incident", span.team), [&](Query& q) { bindScope(q, span); }};
    const auto fromDay = parseIsoDate(request.from), toDay = parseIsoDate(request.to);
    Result<std::pair<Figure, Figure>> code = Error{};
    if (!keep && fromDay && toDay) {
        // A day at a time (FigureClocks.h): the days over are added up from their kept counts.
        const figure_clocks::KeptDays kept{span.borough, span.team,
                                           figure_clocks::victimsCodeCountedWith(*rules->victimsCode, *rules->calendar)};
        std::vector<figure_clocks::KeptDay> made;
        code = figure_clocks::victimsCodeFiguresByDay(db, clockScope, kept, std::chrono::local_days{fromDay->time_since_epoch()},
                                                      std::chrono::local_days{toDay->time_since_epoch()},
                                                      *rules->victimsCode, *rules->calendar, now, made);
        for (figure_clocks::KeptDay& day : made)
            shared.codeDays.push_back({span.borough, std::move(day.day), span.team, kept.countedWith, std::move(day.counts)});
    } else {
        code = figure_clocks::victimsCodeFigures(db, clockScope, start, end, *rules->victimsCode, *rules->calendar, now,
                                                 keep);
    }
    if (!code)
        return std::move(code).error();
    auto reviews = figure_clocks::reviewFigures(db, clockScope, end, *rules->rules, keep);
    if (!reviews)
        return std::move(reviews).error();

    out.figures.push_back(std::move(code->first));
    out.figures.push_back(std::move(code->second));
    out.figures.push_back(c[TRepeatMarac].finish());
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
    keepMonths(db, shared);
    return out;
}

Result<FigureSet> computeFigures(Database& db, const FigureRequest& request, const DiversityCategories* lists,
                                 const OutcomeList* outcomes, const FigureRules* rules)
{
    if (!request.borough.empty()) {
        SharedReads shared;
        auto set = computeBorough(db, request, lists, outcomes, rules, shared);
        if (set)
            keepMonths(db, shared);
        return set;
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

Result<TeamWeeks> incidentsByTeamAndWeek(Database& db, const std::string& from, const std::string& to)
{
    using namespace std::chrono;
    const auto first = parseIsoDate(from), end = parseIsoDate(to);
    if (!first || !end || *end <= *first)
        return makeError(ErrorCode::InvalidArgument, "The 124Ds by team and week need a period of whole days (from \""
                                                      + from + "\" to \"" + to + "\"): choose the period again.");
    // Weeks from the Monday on or before the first day (1970-01-01 was a Thursday).
    const auto monday = [](sys_days d) { return d - days((d.time_since_epoch().count() + 3) % 7); };
    TeamWeeks out;
    for (sys_days w = monday(*first); w < *end; w += days(7))
        out.weeks.push_back(formatIsoDate(w));
    std::map<std::string, std::vector<std::int64_t>> byTeam;
    // A borough at a time, one range of the index the figures read (it holds the team).
    auto boroughs = boroughsHeld(db);
    if (!boroughs)
        return std::move(boroughs).error();
    auto q = db.prepare(std::string("SELECT team, occurred FROM figure_incident INDEXED BY figure_incident_period"
                                    " WHERE borough = ?1 AND occurred >= ?2 AND occurred < ?3 AND state IN ")
                        + figure_index::kReceivedStates + ";");
    if (!q)
        return std::move(q).error();
    for (const std::string& borough : *boroughs) {
        q->bind(1, borough).bind(2, from).bind(3, to);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const auto day = parseIsoDate(row.columnView(1));
            if (!day)
                return;
            auto& counts = byTeam[row.columnText(0)];
            counts.resize(out.weeks.size());
            ++counts.at(static_cast<std::size_t>((monday(*day) - monday(*first)).count() / 7));
        }));
    }
    for (auto& [team, counts] : byTeam) {
        TeamWeeks::Team t{team, std::move(counts), 0};
        for (const std::int64_t n : t.counts)
            t.total += n;
        out.teams.push_back(std::move(t));
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
