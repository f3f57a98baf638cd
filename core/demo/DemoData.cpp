#include "core/demo/DemoData.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <vector>

#include "core/risk/Dates.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/RiskEngine.h"

namespace vigil {

namespace {

// Invented names: common given names and surnames combined at random. Any resemblance to a
// real person is coincidence, as with any synthetic data set.
constexpr std::array<std::string_view, 32> kFemaleNames = {
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Chloe", "Ella", "Lily", "Zara", "Aisha",
    "Fatima", "Maria", "Anna", "Niamh", "Chantelle", "Precious", "Shanice", "Gemma", "Kelly", "Leanne", "Joanne",
    "Sadia", "Priya", "Agnieszka", "Ewa", "Delphine", "Yetunde", "Roxanne", "Bethany", "Holly"};
constexpr std::array<std::string_view, 24> kMaleNames = {
    "James", "Liam", "Noah", "Jack", "Oliver", "Mohammed", "Daniel", "Ryan", "Connor", "Kyle", "Dean", "Lee",
    "Marcus", "Tyrone", "Jamal", "Tomasz", "Piotr", "Darren", "Craig", "Wayne", "Imran", "Kwame", "Sean", "Aaron"};
constexpr std::array<std::string_view, 40> kSurnames = {
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Ahmed",
    "Begum", "Okafor", "Mensah", "Campbell", "Murphy", "O'Connor", "Kowalski", "Nowak", "Hussain", "Ali", "Clarke",
    "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis",
    "Martin", "Jackson", "Clark", "Okonkwo", "Hart", "Reid", "Fraser"};
constexpr std::array<std::string_view, 20> kStreets = {
    "Orchid Row", "Larkspur Mews", "Tanner's Yard", "Quill Street", "Bramble Close", "Heron Walk", "Cobalt Road",
    "Saffron Terrace", "Fenwick Place", "Mallow Lane", "Juniper Court", "Osier Way", "Kestrel House", "Pike Lane",
    "Thistle Gardens", "Willowmere Road", "Ember Street", "Rook Square", "Linden Parade", "Marigold Avenue"};
constexpr std::array<std::string_view, 6> kDistricts = {"E5", "E8", "E9", "N1", "N16", "E2"};

struct Profile {
    Person person;
    int baseYes = 0;   ///< how many DASH factors this victim's situation raises now
    int seen = 0;      ///< incidents so far
    std::string relationship;
};

class Generator {
public:
    Generator(const RiskModel& model, const DemoOptions& options) : m_model(model), m_options(options), m_rng(options.seed)
    {
        for (const auto& q : model.questions)
            if (q.countsTowardTotal)
                m_mainQuestions.push_back(q.id);
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }
    template <typename A>
    std::string pick(const A& list)
    {
        return std::string(list[static_cast<std::size_t>(uniform(0, static_cast<int>(list.size()) - 1))]);
    }

    std::string postcode()
    {
        static constexpr std::string_view kLetters = "ABDEFGHJLNPQRSTUWXYZ";
        std::string pc = pick(kDistricts) + " " + std::to_string(uniform(1, 9));
        pc += kLetters[static_cast<std::size_t>(uniform(0, static_cast<int>(kLetters.size()) - 1))];
        pc += kLetters[static_cast<std::size_t>(uniform(0, static_cast<int>(kLetters.size()) - 1))];
        return pc;
    }

    Person person(bool female, int minAge, int maxAge, std::chrono::sys_days onDay)
    {
        Person p;
        p.name = (female ? pick(kFemaleNames) : pick(kMaleNames)) + " " + pick(kSurnames);
        const auto born = onDay - std::chrono::days(uniform(minAge * 365, maxAge * 365));
        p.dateOfBirth = formatIsoDate(born);
        const std::string house = std::to_string(uniform(1, 180));
        p.address = Address{house + " " + pick(kStreets), house, postcode()};
        p.phone = "07700 9" + std::to_string(uniform(10000, 99999));
        p.diversity.gender = female ? "female" : "male";
        // Codes of core/risk-models/rules-diversity.json (the police self-defined ethnicity list).
        p.diversity.ethnicity = chance(0.15) ? "not_stated" : pick(std::array<std::string_view, 8>{
            "W1", "W1", "B1", "A2", "W9", "M1", "B2", "A1"});
        p.diversity.religion = "not_stated";
        p.diversity.sexualOrientation = chance(0.8) ? "heterosexual" : "not_stated";
        p.diversity.disability = chance(0.1) ? "yes" : "no";
        return p;
    }

    /// A yes count for a new victim: about half standard, a third medium, the rest high.
    int initialYes()
    {
        const double r = std::uniform_real_distribution<double>(0, 1)(m_rng);
        if (r < 0.52)
            return uniform(1, 9);
        if (r < 0.85)
            return uniform(10, 13);
        return uniform(14, 20);
    }

    DashAssessment answers(int yes)
    {
        DashAssessment a;
        a.modelId = m_model.id;
        a.modelVersion = m_model.version;
        std::vector<std::string> order = m_mainQuestions;
        std::shuffle(order.begin(), order.end(), m_rng);
        yes = std::min<int>(yes, static_cast<int>(order.size()));
        for (std::size_t i = 0; i < order.size(); ++i) {
            Answer ans;
            if (static_cast<int>(i) < yes) {
                ans.value = AnswerValue::Yes;
                if (chance(0.3))
                    ans.note = "victim's account";
            } else if (chance(0.06)) {
                ans.value = AnswerValue::DontKnow;
            } else if (chance(0.02)) {
                ans.value = AnswerValue::NotAsked;
                ans.reason = "victim too distressed to continue";
            } else {
                ans.value = AnswerValue::No;
            }
            a.answers[order[i]] = ans;
        }
        return a;
    }

    const RiskModel& m_model;
    const DemoOptions& m_options;
    std::mt19937_64 m_rng;
    std::vector<std::string> m_mainQuestions;
};

std::string twoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

/// The date part of a CAD reference: 12MAR10.
std::string cadDate(std::chrono::sys_days day)
{
    static constexpr std::array<std::string_view, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    const std::chrono::year_month_day ymd{day};
    return twoDigits(static_cast<int>(static_cast<unsigned>(ymd.day())))
        + std::string(kMonths[static_cast<unsigned>(ymd.month()) - 1]) + twoDigits(static_cast<int>(ymd.year()) % 100);
}

LifecycleState pickState(Generator& g, int ageDays)
{
    // Older incidents are further along their life.
    if (ageDays < 2)
        return g.chance(0.5) ? LifecycleState::Draft : LifecycleState::Submitted;
    if (ageDays < 14) {
        const int r = g.uniform(0, 9);
        return r < 4 ? LifecycleState::Submitted : r < 5 ? LifecycleState::Returned : LifecycleState::Approved;
    }
    const int r = g.uniform(0, 9);
    return r < 6 ? LifecycleState::Approved : r < 8 ? LifecycleState::UnderInvestigation : LifecycleState::Closed;
}

/// Walk the lifecycle table from Draft to `target`, each move made by the first role the table
/// allows among officer, supervisor, investigator (with a note where one is required).
Status moveTo(IncidentRepository& repo, const std::string& id, LifecycleState target, const DemoOptions& options,
              LifecycleState& reached)
{
    reached = LifecycleState::Draft;
    // Breadth-first over the table: the shortest legal path.
    std::map<LifecycleState, std::pair<LifecycleState, const TransitionRule*>> via;
    std::vector<LifecycleState> frontier{LifecycleState::Draft};
    via[LifecycleState::Draft] = {LifecycleState::Draft, nullptr};
    while (!frontier.empty() && !via.count(target)) {
        std::vector<LifecycleState> next;
        for (LifecycleState from : frontier) {
            for (const auto& rule : transitionTable()) {
                if (rule.from == from && !via.count(rule.to)) {
                    via[rule.to] = {from, &rule};
                    next.push_back(rule.to);
                }
            }
        }
        frontier = std::move(next);
    }
    if (!via.count(target))
        return {};
    std::vector<const TransitionRule*> path;
    for (LifecycleState s = target; s != LifecycleState::Draft; s = via[s].first)
        path.insert(path.begin(), via[s].second);
    for (const TransitionRule* rule : path) {
        std::optional<std::pair<Role, std::string>> who;
        for (auto [role, user] : {std::pair{Role::Officer, options.owner}, std::pair{Role::Supervisor, std::string("supervisor-demo")},
                                  std::pair{Role::Investigator, std::string("investigator-demo")}}) {
            if (roleAllowed(*rule, role)) {
                who = {role, user};
                break;
            }
        }
        if (!who || (options.ownerTransitionsOnly && who->first != Role::Officer))
            return {};  // stop where the owner's own moves end
        const std::string note = rule->noteRequired ? "demo: " + std::string(rule->action) : std::string();
        if (rule->to == LifecycleState::Closed) {
            // A crime closes with its outcome recorded (validateClosure), as a supervisor would.
            auto incident = repo.read(id);
            if (!incident)
                return std::move(incident).error();
            if (incident->crime == true) {
                CrimeOutcome outcome;
                outcome.result = "charged";
                outcome.decidedOn = incident->date.substr(0, 10);
                VIGIL_TRY(repo.recordOutcome(Actor{who->second, "synthetic demo data"}, id, outcome));
            }
        }
        VIGIL_TRY(repo.transition(Actor{who->second, "synthetic demo data"}, id, rule->to, std::string(rule->action), note));
        reached = rule->to;
    }
    return {};
}

}  // namespace

Result<DemoSummary> generateDemoData(IncidentRepository& repo, RecordStore& store, const RiskModelRegistry& models,
                                     const RulesConfig& rules, const DemoOptions& options, const Actor& actor)
{
    const RiskModel* model = models.latest("dash-2009");
    if (model == nullptr) {
        return makeError(ErrorCode::NotFound, "The DASH 2009 risk model is not installed, so no demo data can be made. "
                                              "Reinstall Vigil.");
    }
    Generator g(*model, options);
    // Dates first, in order, so repeat victims escalate over time.
    std::vector<int> offsets;
    for (int i = 0; i < options.incidents; ++i)
        offsets.push_back(g.uniform(0, options.spanDays - 1));
    std::sort(offsets.begin(), offsets.end(), std::greater<>());

    DemoSummary summary;
    std::vector<Profile> pool;
    constexpr int kBatch = 50;  // one transaction per batch: far fewer fsyncs
    for (int start = 0; start < options.incidents; start += kBatch) {
        Status batch = store.transaction([&]() -> Status {
            for (int i = start; i < std::min(options.incidents, start + kBatch); ++i) {
                const int ageDays = offsets[static_cast<std::size_t>(i)];
                const auto day = options.lastDay - std::chrono::days(ageDays);
                Profile* victim = nullptr;
                if (!pool.empty() && g.chance(options.repeatShare)) {
                    victim = &pool[static_cast<std::size_t>(g.uniform(0, static_cast<int>(pool.size()) - 1))];
                    victim->baseYes = std::min(24, victim->baseYes + g.uniform(1, 3));  // escalation
                    ++summary.repeatIncidents;
                } else {
                    Profile p;
                    p.person = g.person(g.chance(0.9), 18, 60, day);
                    p.baseYes = g.initialYes();
                    p.relationship = g.chance(0.6) ? "intimate_partner" : g.chance(0.7) ? "ex_partner" : "family_member";
                    pool.push_back(std::move(p));
                    victim = &pool.back();
                    ++summary.victims;
                }
                ++victim->seen;

                Incident inc;
                inc.date = formatIsoDate(day) + "T" + twoDigits(g.uniform(0, 23)) + ":" + twoDigits(g.uniform(0, 59));
                inc.borough = options.borough;
                inc.team = options.team;
                inc.owner = options.owner;
                inc.location = victim->person.address.line;
                inc.officers = {"PC " + std::to_string(g.uniform(100, 9999))};
                inc.refs.cad = std::to_string(g.uniform(1000, 9999)) + "/" + cadDate(day);
                inc.crime = g.chance(0.6);
                if (*inc.crime) {
                    inc.refs.cris = std::to_string(g.uniform(4000000, 4999999)) + "/" + formatIsoDate(day).substr(2, 2);
                    inc.offences = {g.chance(0.5) ? "Common assault" : "ABH s.47"};
                }
                inc.positiveAction.powerOfArrest = *inc.crime || g.chance(0.3);
                inc.positiveAction.arrestMade = *inc.positiveAction.powerOfArrest && g.chance(0.75);
                if (*inc.positiveAction.powerOfArrest && !*inc.positiveAction.arrestMade)
                    inc.positiveAction.noArrestJustification = "Suspect left before police arrived; circulated as wanted";
                if (g.chance(0.4)) {
                    for (int c = g.uniform(1, 3); c > 0; --c)
                        inc.children.push_back(Child{g.pick(kFemaleNames), g.uniform(0, 15), true, g.chance(0.5), {}});
                    inc.refs.merlinPac = "MPAC-" + std::to_string(g.uniform(100000, 999999));
                }
                inc.flags.repeatVictim = victim->seen > 1;
                inc.flags.stalking = g.chance(0.1);
                inc.evidence.firstAccount = true;
                inc.evidence.bodyWornVideo = g.chance(0.7);
                inc.evidence.photosInjuries = g.chance(0.4);

                Victim v;
                v.person = victim->person;
                v.relationship = victim->relationship;
                v.safeContact = SafeContact{true, g.chance(0.5), false, g.chance(0.3), true, "weekdays 10:00-15:00", "the suspect"};
                v.consent.shareWithPartners = g.chance(0.8);
                v.dash = g.answers(victim->baseYes);
                const RiskGrade computed = model->gradeFor(std::min(victim->baseYes, 27));
                v.officerGrade.grade = computed;
                v.officerGrade.by = actor.userId;
                if (computed != RiskGrade::High && g.chance(0.1)) {
                    v.officerGrade.grade = static_cast<RiskGrade>(static_cast<int>(computed) + 1);
                    v.officerGrade.reason = "professional judgement: victim's fear and recent escalation";
                }
                if (*v.officerGrade.grade == RiskGrade::High) {
                    v.rara.push_back(RaraItem{RaraKind::Reduce, "Personal attack alarm and address tag", "CSU",
                                              formatIsoDate(day + std::chrono::days(1)), {}});
                    v.rara.push_back(RaraItem{RaraKind::Remove, "Arrest and charge decision", "OIC",
                                              formatIsoDate(day + std::chrono::days(2)), {}});
                }
                inc.victims.push_back(std::move(v));
                Suspect s;
                s.person = g.person(false, 18, 65, day);
                inc.suspects.push_back(std::move(s));

                auto created = repo.createDraft(actor, inc);
                if (!created)
                    return std::move(created).error();
                // Decide MARAC as the officer would: by the core's criteria on the device's history.
                auto history = repo.historyFor(*created, 0, HistorySource{});
                if (!history)
                    return std::move(history).error();
                const RuleContext context{models, rules, *history,
                                          std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::sys_days(day))
                                              + std::chrono::hours(23)};
                auto evaluation = evaluateVictim(*created, 0, context);
                if (!evaluation)
                    return std::move(evaluation).error();
                if (evaluation->marac.any() || evaluation->effective == RiskGrade::High) {
                    created->victims[0].marac.decision = MaracDecisionKind::Refer;
                    // A referral discloses the victim's details: with consent, or (high risk, as
                    // MARACs do) on a lawful basis with its justification.
                    Consent& consent = created->victims[0].consent;
                    if (!consent.shareWithPartners.value_or(false)) {
                        consent.lawfulBasis = "Crime and Disorder Act 1998 s.115; Data Protection Act 2018 sch.8";
                        consent.justification = "high risk of serious harm: sharing is necessary to protect the victim";
                    }
                    created->referrals.push_back(Referral{{}, created->victims[0].id, "marac", "", formatIsoDate(day),
                                                          evaluation->marac.criteria.empty() ? "high risk" : evaluation->marac.criteria[0].reason});
                    VIGIL_TRY(repo.save(actor, *created));
                }
                LifecycleState state = LifecycleState::Draft;
                VIGIL_TRY(moveTo(repo, created->id, pickState(g, ageDays), options, state));
                ++summary.incidents;
                ++summary.grades[*created->victims[0].officerGrade.grade];
                ++summary.states[state];
            }
            return {};
        });
        if (!batch.ok())
            return std::move(batch).error();
    }
    return summary;
}

}  // namespace vigil
