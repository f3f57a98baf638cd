// The home list (issue 7): summaries read in a few queries and unsent changes counted per
// incident beside the outbox (schema step 7) must say exactly what the per-incident assembly
// said — tests/support/HomeListReference — on real SQLCipher stores.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/common/Uuid.h"
#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "core/store/SecureBytes.h"
#include "tests/support/Check.h"
#include "tests/support/HomeListReference.h"
#include "tests/support/RecordsFixture.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::test;
using nlohmann::json;

namespace Catch {
template <>
struct StringMaker<std::optional<StandingGrade>> {
    static std::string convert(const std::optional<StandingGrade>& g)
    {
        return g ? std::string(toString(g->grade)) + (g->checklistOnly ? " (checklist only)" : " (decided)") : "not graded";
    }
};
template <>
struct StringMaker<StandingGrade> {
    static std::string convert(const StandingGrade& g) { return StringMaker<std::optional<StandingGrade>>::convert(g); }
};
}  // namespace Catch

namespace {

std::string describe(const IncidentSummary& s)
{
    std::ostringstream o;
    o << s.id << " state=" << toString(s.state) << " occurred=" << s.occurred << " initials=";
    for (const auto& i : s.victimInitials)
        o << i << ",";
    o << " grade=" << (s.grade ? std::string(toString(s.grade->grade)) + (s.grade->checklistOnly ? "(checklist)" : "") : "-")
      << " unsent=" << s.unsentChanges
      << " command=" << s.lastCommand << " by=" << s.lastCommandBy << " note=" << s.lastCommandNote;
    return o.str();
}

std::vector<std::string> describeAll(const std::vector<IncidentSummary>& list)
{
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(describe(s));
    return out;
}

const RiskModelRegistry& installedModels()
{
    static const RiskModelRegistry models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    return models;
}

/// The fast list and count equal the reference, for a long and a short list, with the
/// checklists scored and without.
void checkSameAsReference(RecordStore& store)
{
    IncidentRepository repo(store);
    for (const RiskModelRegistry* models : {&installedModels(), static_cast<const RiskModelRegistry*>(nullptr)}) {
        for (std::size_t limit : {std::size_t{1000}, std::size_t{7}}) {
            auto fast = repo.list(limit, models);
            auto slow = referenceHomeList(store, limit, models);
            REQUIRE_OK(fast);
            REQUIRE_OK(slow);
            CHECK(describeAll(*fast) == describeAll(*slow));
        }
    }
    auto fastCount = repo.unsentIncidentCount();
    auto slowCount = referenceUnsentIncidentCount(store);
    REQUIRE_OK(fastCount);
    REQUIRE_OK(slowCount);
    CHECK(*fastCount == *slowCount);
    // The total the sync status shows (schema step 8) is the outbox's own count.
    CHECK(store.pendingCount().value() == store.database().queryInt("SELECT count(*) FROM outbox;").value());
}

std::int64_t totalUnsent(const std::vector<IncidentSummary>& list)
{
    std::int64_t n = 0;
    for (const auto& s : list)
        n += s.unsentChanges;
    return n;
}

struct Demo : RecordsFixture {
    RiskModelRegistry models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR).value();
    RulesConfig rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json").value();
    IncidentRepository repo{*records};

    explicit Demo(int incidents)
    {
        DemoOptions options;
        options.incidents = incidents;
        options.ownerTransitionsOnly = false;  // every state, returns with notes included
        REQUIRE_OK(generateDemoData(repo, *records, models, rules, options, Actor{"officer-demo", "demo"}));
    }
};

Op pulled(const std::string& entity, const std::string& id, const std::string& field, json value, HlcStamp hlc)
{
    static std::int64_t seq = 0;
    Op op;
    op.opId = newUuid();
    op.device = "device-of-another-officer";
    op.seq = ++seq;
    op.entity = entity;
    op.id = id;
    op.field = field;
    op.value = std::move(value);
    op.hlc = hlc;
    op.user = "officer-2211";
    return op;
}

}  // namespace

TEST_CASE("The home list read in a few queries says what the per-incident assembly said", "[records][incident][home]")
{
    Demo d(60);
    IncidentRepository& repo = d.repo;

    // Edge cases the demo does not make: a nameless victim and a hyphenated one, a victim
    // removed again, a supervisor's grade above the officer's, a returned 124D with notes.
    Incident odd;
    odd.date = "2026-11-22";
    Victim nameless;
    nameless.officerGrade.grade = RiskGrade::Standard;
    Victim hyphen;
    hyphen.person.name = "anne-marie o'neill";
    hyphen.officerGrade.grade = RiskGrade::Medium;
    hyphen.supervisorGrade.grade = RiskGrade::High;
    Victim gone;
    gone.person.name = "Removed Later";
    gone.officerGrade.grade = RiskGrade::High;
    odd.victims = {nameless, hyphen, gone};
    auto created = repo.createDraft(d.officer, odd);
    REQUIRE_OK(created);
    Incident stored = *created;
    stored.victims.pop_back();
    REQUIRE_OK(repo.save(d.officer, stored));
    REQUIRE_OK(repo.transition(d.officer, stored.id, LifecycleState::Submitted, "submit", ""));
    REQUIRE_OK(repo.transition(Actor{"sgt-1907", "quality assurance"}, stored.id, LifecycleState::Returned, "return",
                               "Ask the victim for a date of birth"));

    // A 124D pulled from another officer's device: on the device, nothing of it unsent.
    const std::string theirs = newUuid();
    const std::string theirVictim = newUuid();
    // Stamped a second before the fixture's clock: older than everything written here.
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(d.time.now.time_since_epoch()).count();
    const HlcStamp t = static_cast<HlcStamp>(millis - 1000) << 16;
    std::vector<Op> theirOps{
        pulled("incident", theirs, "@create", {{"owner", "officer-2211"}, {"team", "HK-RESPONSE-1"}}, t),
        pulled("incident", theirs, "state", "submitted", t + 1),
        pulled("incident", theirs, "incident.date", "2026-11-01", t + 2),
        pulled("person", theirVictim, "@create", {{"incident", theirs}}, t + 3),
        pulled("person", theirVictim, "role", "victim", t + 4),
        pulled("person", theirVictim, "ordinal", 0, t + 5),
        pulled("person", theirVictim, "person.name", "Zoe Quinn", t + 6),
        pulled("person", theirVictim, "grade.officer", "medium", t + 7),
        pulled("person", theirVictim, "dash.model", "dash-2009", t + 8),
        pulled("person", theirVictim, "dash.model_version", d.models.latest("dash-2009")->version, t + 9)};
    // Their checklist, as another device wrote it: 14 Yes to counted questions, and a No whose
    // note quotes "yes". The officer's Medium is below that band: the list shows High.
    HlcStamp at = t + 10;
    int yes = 0;
    for (const auto& q : d.models.latest("dash-2009")->questions) {
        if (!q.countsTowardTotal)
            continue;
        const std::string id = IncidentRepository::answerId(theirVictim, q.id);
        theirOps.push_back(pulled("answer", id, "@create", {{"incident", theirs}, {"parent", theirVictim}}, ++at));
        theirOps.push_back(pulled("answer", id, "question", q.id, ++at));
        theirOps.push_back(pulled("answer", id, "answer", yes < 14 ? "yes" : "no", ++at));
        if (yes >= 14)
            theirOps.push_back(pulled("answer", id, "note", "she said \"yes\" at first", ++at));
        ++yes;
    }
    REQUIRE_OK(d.records->applyPulled(theirOps, "cursor-1"));

    // A 124D taken out of this officer's scope: gone from the device, its queued ops not
    // counted (they are still in the outbox, as before).
    Incident leaving;
    leaving.date = "2026-10-01";
    auto left = repo.createDraft(d.officer, leaving);
    REQUIRE_OK(left);
    REQUIRE_OK(d.records->forgetIncident(d.officer, left->id, "moved to another borough"));

    auto list = repo.list(1000);
    REQUIRE_OK(list);
    REQUIRE(list->size() == 62);
    const auto find = [&](const std::string& id) {
        auto it = std::find_if(list->begin(), list->end(), [&](const IncidentSummary& s) { return s.id == id; });
        REQUIRE(it != list->end());
        return *it;
    };
    const IncidentSummary mine = find(stored.id);
    CHECK(mine.victimInitials == std::vector<std::string>{"?", "AMO"});
    CHECK(mine.grade == StandingGrade{RiskGrade::High, false});  // the supervisor's, on the second victim
    CHECK(mine.state == LifecycleState::Returned);
    CHECK(mine.lastCommandNote == "Ask the victim for a date of birth");
    CHECK(mine.unsentChanges > 10);
    const IncidentSummary other = find(theirs);
    CHECK(other.victimInitials == std::vector<std::string>{"ZQ"});
    CHECK(other.grade == StandingGrade{RiskGrade::Medium, false});  // this list had no models
    const auto scored = repo.list(1000, &installedModels()).value();
    CHECK(std::find_if(scored.begin(), scored.end(), [&](const IncidentSummary& s) { return s.id == theirs; })->grade
          == StandingGrade{RiskGrade::High, true});
    CHECK(other.unsentChanges == 0);
    std::map<LifecycleState, int> states;
    for (const auto& s : *list)
        ++states[s.state];
    CHECK(states.size() >= 4);  // the demo's mix: drafts, submitted, returned, approved…
    checkSameAsReference(*d.records);

    // One group's window (a tab's rows past those the newest of all held): the same summaries
    // as the whole list narrowed to those states, after the skipped ones.
    for (const std::vector<LifecycleState>& group :
         {std::vector<LifecycleState>{LifecycleState::Draft}, {LifecycleState::Approved, LifecycleState::UnderInvestigation},
          {LifecycleState::Submitted, LifecycleState::Returned}}) {
        std::vector<IncidentSummary> expected;
        for (const auto& s : *list) {
            if (std::find(group.begin(), group.end(), s.state) != group.end())
                expected.push_back(s);
        }
        REQUIRE(!expected.empty());
        for (const std::size_t skip : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
            const auto window = repo.list(3, nullptr, ListScope{group, skip});
            REQUIRE_OK(window);
            const auto from = std::min(skip, expected.size());
            const auto to = std::min(skip + 3, expected.size());
            const std::vector<IncidentSummary> want(expected.begin() + static_cast<std::ptrdiff_t>(from),
                                                    expected.begin() + static_cast<std::ptrdiff_t>(to));
            CHECK(describeAll(*window) == describeAll(want));
        }
    }

    // Tab counts: every live incident by state, whatever the list's length.
    auto counts = repo.countsByState();
    REQUIRE_OK(counts);
    std::map<LifecycleState, std::int64_t> expected;
    for (const auto& s : *list)
        ++expected[s.state];
    CHECK(*counts == expected);

    SECTION("Half sent, one refused, then everything acknowledged: the counts follow the outbox")
    {
        auto ops = d.records->pendingOps(1000000).value();
        REQUIRE(ops.size() > 100);
        REQUIRE_OK(d.records->acknowledge(ops[ops.size() / 2].seq));
        checkSameAsReference(*d.records);
        auto rest = d.records->pendingOps(1000000).value();
        REQUIRE_OK(d.records->markRejected(rest[rest.size() / 3].seq, "outside your area"));
        checkSameAsReference(*d.records);
        CHECK(totalUnsent(repo.list(1000).value()) > 0);

        REQUIRE_OK(d.records->acknowledge(rest.back().seq));  // the server has the rest
        checkSameAsReference(*d.records);
        CHECK(totalUnsent(repo.list(1000).value()) == 0);
        CHECK(repo.unsentIncidentCount().value() == 0);
        CHECK(d.db->queryInt("SELECT count(*) FROM outbox_incident;").value() == 0);

        // A new change after the sync: that incident waits again, with exactly its change.
        REQUIRE_OK(d.records->write(d.officer, Entity::Person, theirVictim, {{"person.name", "Zoe Quinn-Adams"}}));
        checkSameAsReference(*d.records);
        CHECK(repo.unsentIncidentCount().value() == 1);
        const auto after = repo.list(1).value();
        REQUIRE(after.size() == 1);
        CHECK(after[0].id == other.id);  // most recently changed first
        CHECK(after[0].victimInitials == std::vector<std::string>{"ZQA"});
        CHECK(after[0].unsentChanges == 1);  // the name; the audit entry's op is no incident's change
    }
}

TEST_CASE("The home list shows the grade a 124D stands at: the checklist's band until someone grades it", "[records][incident][home][risk]")
{
    RecordsFixture f;
    IncidentRepository repo(*f.records);
    const RiskModelRegistry& models = installedModels();
    const RiskModel& dash = *models.latest("dash-2009");
    std::vector<std::string> counted;
    for (const auto& q : dash.questions) {
        if (q.countsTowardTotal)
            counted.push_back(q.id);
    }
    const int high = dash.highRiskThreshold();
    REQUIRE(static_cast<int>(counted.size()) >= high);
    const auto answer = [&](const std::string& victimId, const std::string& incidentId, int yes, int no) {
        for (int i = 0; i < yes + no; ++i) {
            Answer a;
            a.value = i < yes ? AnswerValue::Yes : AnswerValue::No;
            REQUIRE_OK(repo.saveAnswer(f.officer, incidentId, victimId, counted.at(static_cast<std::size_t>(i)), a));
        }
    };
    const auto victimOn = [&](const std::string& name) {
        Victim v;
        v.person.name = name;
        v.dash.modelId = dash.id;
        v.dash.modelVersion = dash.version;
        return v;
    };
    Incident entered;
    entered.date = "2026-11-23";
    entered.victims = {victimOn("Ann Lee"), victimOn("Bea Moss")};
    Incident inc = repo.createDraft(f.officer, entered).value();
    const auto shown = [&]() -> std::optional<StandingGrade> {
        checkSameAsReference(*f.records);
        auto list = repo.list(10, &models);
        REQUIRE_OK(list);
        REQUIRE(list->size() == 1);
        return list->front().grade;
    };

    // A new draft with no answers and no grade: not graded.
    CHECK(shown() == std::nullopt);
    // The officer is half-way through the checklist: the band so far, marked as the checklist's.
    answer(inc.victims[0].id, inc.id, 2, 3);
    CHECK(shown() == StandingGrade{RiskGrade::Standard, true});
    // 14 Yes and no grade chosen yet: High, not "Not graded".
    answer(inc.victims[0].id, inc.id, high, 0);
    CHECK(shown() == StandingGrade{RiskGrade::High, true});
    // The list without models says only what people decided: nothing yet.
    CHECK(repo.list(10).value().front().grade == std::nullopt);

    // The officer grades it High: now a decision.
    inc = repo.read(inc.id).value();
    inc.victims[0].officerGrade = GradeDecision{RiskGrade::High, "", f.officer.userId};
    REQUIRE_OK(repo.save(f.officer, inc));
    CHECK(shown() == StandingGrade{RiskGrade::High, false});

    // An officer's grade left below the band by later answers does not hide the band.
    inc.victims[0].officerGrade = GradeDecision{RiskGrade::Medium, "", f.officer.userId};
    REQUIRE_OK(repo.save(f.officer, inc));
    CHECK(shown() == StandingGrade{RiskGrade::High, true});

    // A supervisor who amends the grade down, with a reason, decides it: Medium, not the
    // higher of the two grades.
    inc.victims[0].officerGrade = GradeDecision{RiskGrade::High, "", f.officer.userId};
    inc.victims[0].supervisorGrade = GradeDecision{RiskGrade::Medium, "Two answers were about an earlier partner", "sgt-1907"};
    REQUIRE_OK(repo.save(f.officer, inc));
    CHECK(shown() == StandingGrade{RiskGrade::Medium, false});

    // The second victim's checklist alone gives High: the record shows the higher grade, and
    // that nobody has graded it.
    answer(inc.victims[1].id, inc.id, high + 1, 0);
    CHECK(shown() == StandingGrade{RiskGrade::High, true});
    // Of two High grades, the decided one.
    inc = repo.read(inc.id).value();
    inc.victims[0].supervisorGrade = GradeDecision{RiskGrade::High, "", "sgt-1907"};
    REQUIRE_OK(repo.save(f.officer, inc));
    CHECK(shown() == StandingGrade{RiskGrade::High, false});

    // Answers made with a model this device does not have are not scored with another one:
    // only decisions count for that victim.
    Incident foreign;
    foreign.date = "2026-11-23";
    Victim v = victimOn("Cy Dee");
    v.dash.modelVersion = "99.0";
    v.officerGrade = GradeDecision{RiskGrade::Medium, "", f.officer.userId};
    foreign.victims = {v};
    Incident other = repo.createDraft(f.officer, foreign).value();
    answer(other.victims[0].id, other.id, high, 0);
    checkSameAsReference(*f.records);
    const auto list = repo.list(10, &models).value();
    REQUIRE(list.size() == 2);
    CHECK(list.front().id == other.id);
    CHECK(list.front().grade == StandingGrade{RiskGrade::Medium, false});
}

TEST_CASE("Upgrading to schemas 7 and 8 counts the changes already queued, per incident and in all", "[records][migrate][home]")
{
    TempDir dir("vigil-home-migrate");
    const SecureBytes key = SecureBytes::random(kDataKeyBytes);
    OpenOptions o;
    o.create = true;
    auto opened = Database::open(dir / "device.db", key.span(), o);
    REQUIRE_OK(opened);
    Database& db = **opened;
    REQUIRE_OK(migrate(db, deviceSchema().first(6)));

    // Rows and queued ops as a schema-6 device wrote them: two incidents, parts of each, the
    // audit chain, and an op whose row has since left the device.
    const std::string a = newUuid(), b = newUuid(), victimA = newUuid(), answerA = newUuid(), victimB = newUuid();
    const auto row = [&](const char* table, const std::string& id, const std::string& incident, const json& fields,
                         int hlc) {
        auto q = db.prepare(std::string("INSERT INTO ") + table
                            + " (id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc, fields, stamps)"
                              " VALUES (?1, ?2, '', 'dev-1', 0, ?3, ?3, ?4, '{}');");
        REQUIRE_OK(q);
        q->bind(1, id).bind(2, incident).bind(3, hlcToString(static_cast<HlcStamp>(hlc))).bind(4, fields.dump());
        REQUIRE_OK(q->run());
    };
    row("incident", a, a, {{"state", "draft"}, {"incident.date", "2026-11-20"}}, 100);
    row("incident", b, b, {{"state", "submitted"}, {"incident.date", "2026-11-21"}}, 200);
    row("person", victimA, a, {{"role", "victim"}, {"ordinal", 0}, {"person.name", "Ada Byron"}}, 101);
    row("answer", answerA, a, {{"question", "q1"}, {"answer", "yes"}}, 102);
    row("person", victimB, b, {{"role", "victim"}, {"ordinal", 0}, {"person.name", "Cy Dee"}}, 201);
    int hlc = 300;
    const auto op = [&](const char* entity, const std::string& id) {
        auto q = db.prepare("INSERT INTO outbox (entity, record_id, field, value, base, hlc) VALUES (?1, ?2, 'f', '1', NULL, ?3);");
        REQUIRE_OK(q);
        q->bind(1, entity).bind(2, id).bind(3, hlcToString(static_cast<HlcStamp>(++hlc)));
        REQUIRE_OK(q->run());
    };
    for (int i = 0; i < 3; ++i)
        op("incident", a);
    op("person", victimA);
    op("answer", answerA);
    op("answer", answerA);
    op("person", victimB);
    op("audit", newUuid());
    op("rara_item", newUuid());  // its row is no longer here

    REQUIRE_OK(migrate(db, deviceSchema()));
    CHECK(db.queryInt("SELECT count(*) FROM outbox WHERE incident_id IS NULL;").value() == 2);
    auto store = RecordStore::open(db, systemClock());
    REQUIRE_OK(store);
    checkSameAsReference(**store);
    IncidentRepository repo(**store);
    const auto list = repo.list(10).value();
    REQUIRE(list.size() == 2);
    CHECK(list[0].id == b);
    CHECK(list[0].unsentChanges == 1);
    CHECK(list[1].id == a);
    CHECK(list[1].unsentChanges == 6);
    CHECK(list[1].victimInitials == std::vector<std::string>{"AB"});
    CHECK(repo.unsentIncidentCount().value() == 2);
    // Step 8: the total the sync status shows counts every queued op, audit and orphan included.
    CHECK((*store)->pendingCount().value() == 9);

    // The counters keep following the outbox once upgraded.
    REQUIRE_OK((*store)->acknowledge(3));  // the first three ops: a's incident row
    checkSameAsReference(**store);
    CHECK(repo.list(10).value()[1].unsentChanges == 3);
    CHECK((*store)->pendingCount().value() == 6);
    REQUIRE_OK((*store)->markRejected(4, "refused for the test"));  // victimA's op leaves the outbox
    CHECK((*store)->pendingCount().value() == 5);
    REQUIRE_OK((*store)->write(Actor{"pc.test"}, Entity::Person, victimB, json{{"person.name", "Cy Dee-Ray"}}));
    CHECK((*store)->pendingCount().value() == db.queryInt("SELECT count(*) FROM outbox;").value());
    CHECK((*store)->pendingCount().value() > 5);
}
