#include "core/figures/FigureClocks.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <unordered_map>

#include "core/casework/Case.h"
#include "core/casework/LondonTime.h"
#include "core/casework/VictimsCode.h"
#include "core/casework/VictimsCodeRules.h"
#include "core/casework/WorkingDays.h"
#include "core/figures/FigureIndex.h"
#include "core/records/CaseRepository.h"
#include "core/records/SupervisionLists.h"
#include "core/risk/Dates.h"
#include "core/risk/ReviewCadence.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"

namespace vigil::figure_clocks {

namespace {

using std::chrono::sys_seconds;

std::string iso(sys_seconds t) { return formatIsoDateTime(t); }

std::optional<sys_seconds> instant(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    return parseIsoDateTime(text);
}

/// How long after the event it follows (the report, an event, her consent) a Victims' Code item
/// can fall due at the latest: the hours deadlines, and n working days (never more than 2n + 10
/// calendar days, whatever weekends and bank holidays fall in them). Only the incidents with
/// something in that span before the period are read.
std::chrono::days longestWait(const VictimsCodeRules& rules)
{
    int hours = std::max(rules.firstContactHours, rules.needsAssessmentHours);
    int workingDays = rules.victimServicesWorkingDays;
    for (const auto& [kind, deadline] : rules.updates)
        workingDays = std::max({workingDays, deadline.enhancedWorkingDays, deadline.standardWorkingDays});
    return std::chrono::days{std::max(hours / 24 + 2, 2 * workingDays + 10)};
}

/// What one incident's figure_clock rows hold for the Victims' Code.
struct CaseFacts {
    std::string report;  ///< the case's report time ("" when the case was never opened)
    std::string consent;  ///< "given", "refused" or ""
    std::string consentAt;
    std::vector<CaseEventRecord> events;
    std::vector<CaseContact> contacts;
};

std::vector<std::string> split(std::string_view text, char by)
{
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto at = text.find(by);
        if (at != 0)
            out.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos)
            break;
        text.remove_prefix(at + 1);
    }
    return out;
}

/// The rules of FigureRules a caller did not give: the shipped ones, read once.
struct ShippedFigureRules {
    std::optional<RulesConfig> rules;
    std::optional<VictimsCodeRules> victimsCode;
    std::optional<WorkingDays> calendar;
    std::string problem;  ///< why one could not be read ("" when all were)
};

const ShippedFigureRules& shippedFigureRules()
{
    static const ShippedFigureRules shipped = [] {
        ShippedFigureRules out;
        const std::string file = std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json";
        auto rules = loadRulesConfigFile(file);
        auto code = loadVictimsCodeRulesFile(file);
        auto calendar = WorkingDays::loadFile(shippedBankHolidayFile());
        if (rules)
            out.rules = std::move(rules).value();
        else
            out.problem = rules.error().message;
        if (code)
            out.victimsCode = std::move(code).value();
        else
            out.problem = code.error().message;
        if (calendar)
            out.calendar = std::move(calendar).value();
        else
            out.problem = calendar.error().message;
        return out;
    }();
    return shipped;
}


/// Add `n` items of one category to a count (`all`) and, of them, `m` to its share (`some`), in
/// the totals and in the breakdown by `dimension`.
void addCounted(Figure& all, Figure& some, const std::string& dimension, const std::string& category, std::int64_t n,
                std::int64_t m)
{
    all.total.count += n;
    some.total.of += n;
    some.total.count += m;
    all.breakdowns[dimension][category].count += n;
    FigureCount& c = some.breakdowns[dimension][category];
    c.of += n;
    c.count += m;
}

}  // namespace

Result<FigureRules> rulesOf(const FigureRules* given)
{
    const ShippedFigureRules& shipped = shippedFigureRules();
    FigureRules out;
    out.rules = given && given->rules ? given->rules : shipped.rules ? &*shipped.rules : nullptr;
    out.victimsCode = given && given->victimsCode ? given->victimsCode
                      : shipped.victimsCode       ? &*shipped.victimsCode
                                                  : nullptr;
    out.calendar = given && given->calendar ? given->calendar : shipped.calendar ? &*shipped.calendar : nullptr;
    if (!out.rules || !out.victimsCode || !out.calendar)
        return makeError(ErrorCode::MalformedModel, "The figures could not be worked out: the rules shipped with Vigil "
                                                    "cannot be read (" + shipped.problem + "). Reinstall Vigil.");
    return out;
}

std::optional<sys_seconds> londonStartOf(const std::string& isoDate)
{
    const auto day = parseIsoDate(isoDate);
    if (!day)
        return std::nullopt;
    return londonDayStart(CivilDate{day->time_since_epoch()});
}

Result<std::pair<Figure, Figure>> victimsCodeFigures(Database& db, const Scope& scope, sys_seconds from,
                                                     sys_seconds until, const VictimsCodeRules& rules,
                                                     const WorkingDays& calendar, sys_seconds now, bool keepIds)
{
    Figure due, onTime;
    due.id = "victims_code_due";
    onTime.id = "victims_code_on_time";
    onTime.over = due.id;
    if (until <= from)
        return std::make_pair(std::move(due), std::move(onTime));

    // The items due, counted by duty (written into the breakdowns once, at the end).
    struct DutyCount {
        bool seen = false;
        std::int64_t due = 0;
        std::int64_t onTime = 0;
    };
    std::array<DutyCount, 5> byDuty{};
    const auto countItems = [&](const VictimCase& c, const std::function<std::string()>& incidentId) {
        const auto code = victimsCodeCaseOf(c);
        if (!code)
            return;
        const auto items = victimsCodeItems(*code, rules, calendar, now, ItemWords::Omitted);
        if (!items)
            return;  // records the clock cannot read (two events with one id): the case shows the fault
        for (const DueItem& item : *items) {
            // Due after the period's first instant and by its last: an item "due by the end of
            // 31 March" (its due instant 1 April 00:00) is March's.
            if (!item.dueAt || *item.dueAt <= from || *item.dueAt > until)
                continue;  // waiting, not required, cannot tell, or due outside the period
            const bool inTime = item.status == DueStatus::DoneOnTime;
            DutyCount& d = byDuty.at(static_cast<std::size_t>(item.duty));
            d.seen = true;
            ++d.due;
            d.onTime += inTime ? 1 : 0;
            if (keepIds) {
                due.incidentIds.push_back(incidentId());
                if (inTime)
                    onTime.incidentIds.push_back(due.incidentIds.back());
            }
        }
    };

    // The 124Ds in the scope with a report, an event or a consent recent enough to give an item
    // due in the period (their latest, code_last, is), each with its packed Victims' Code clock
    // and its people: one range of one index (FigureIndex.h), counted as it is read.
    auto q = db.prepare("SELECT incident_id, people, code FROM figure_incident INDEXED BY figure_incident_code"
                        " WHERE borough = :borough AND code_last >= :look_from AND" + scope.where + ";");
    if (!q)
        return std::move(q).error();
    scope.bind(*q);
    q->bind(q->parameterIndex(":look_from"), iso(from - longestWait(rules)));
    std::vector<std::pair<std::int64_t, std::string>> victims;
    std::vector<std::pair<std::string, CaseFacts>> cases;  // by case id: an incident has a few
    std::string started;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        // The victims, from the people packed on the row (FigureIndex.h: role, ordinal, ..., id).
        victims.clear();
        std::string_view people = row.columnView(1);
        while (!people.empty()) {
            std::string_view person = people.substr(0, people.find(figure_index::kPerson));
            people.remove_prefix(std::min(people.size(), person.size() + 1));
            const auto role = person.substr(0, person.find(figure_index::kField));
            const auto last = person.rfind(figure_index::kField);
            if (role != "victim" || last == std::string_view::npos)
                continue;
            std::int64_t ordinal = 0;
            std::from_chars(person.data() + role.size() + 1, person.data() + person.size(), ordinal);
            victims.emplace_back(ordinal, std::string(person.substr(last + 1)));
        }
        if (victims.empty())
            return;  // no victim: no Victims' Code item
        std::sort(victims.begin(), victims.end());

        // Its clocks: when it was started, and each victim's case (FigureIndex.h: kind, case id, at,
        // detail, row id).
        started.clear();
        cases.clear();
        std::string_view packed = row.columnView(2);
        std::array<std::string_view, 5> field;
        while (!packed.empty()) {
            std::string_view entry = packed.substr(0, packed.find(figure_index::kPerson));
            packed.remove_prefix(std::min(packed.size(), entry.size() + 1));
            std::size_t n = 0;
            for (; n < field.size() && !entry.empty(); ++n) {
                field[n] = entry.substr(0, entry.find(figure_index::kField));
                entry.remove_prefix(std::min(entry.size(), field[n].size() + 1));
            }
            if (n < 4)
                continue;  // not a clock as packed
            if (n == 4)
                field[4] = {};
            const std::string_view kind = field[0], at = field[2], detail = field[3];
            if (kind == figure_index::kStarted) {
                started = std::string(at);
                continue;
            }
            auto it = std::find_if(cases.begin(), cases.end(), [&](const auto& c) { return c.first == field[1]; });
            if (it == cases.end())
                it = cases.insert(cases.end(), {std::string(field[1]), CaseFacts{}});
            CaseFacts& c = it->second;
            if (kind == figure_index::kReport) {
                c.report = std::string(at);
            } else if (kind == figure_index::kConsent) {
                c.consent = std::string(detail);
                c.consentAt = std::string(at);
            } else if (kind == figure_index::kCaseEvent) {
                const auto eventKind = caseEventKindFromString(detail);
                const auto t = instant(std::string(at));
                if (eventKind && t)
                    c.events.push_back(CaseEventRecord{CaseEvent{std::string(field[4]), *eventKind, *t}, {}, {}, {}});
            } else if (kind == figure_index::kContact) {
                CaseContact contact;
                contact.at = std::string(at);
                const auto semi = detail.find(';');
                contact.outcome = contactOutcomeFromString(detail.substr(0, semi)).value_or(ContactOutcome::NoAnswer);
                if (semi != std::string_view::npos)
                    contact.duties = split(detail.substr(semi + 1), ',');
                c.contacts.push_back(std::move(contact));
            }
        }

        // Each victim's investigation case, read as the caseload reads it (victimsCodeCaseOf), on
        // the Victims' Code clock (victimsCodeItems). A case never opened has only the report's items.
        const auto incidentId = [&] { return row.columnText(0); };
        for (const auto& victim : victims) {
            const std::string& victimId = victim.second;
            VictimCase c;
            c.kind = "investigation";
            c.referredAt = started;
            if (!cases.empty()) {
                const std::string caseId = caseIdFor(investigationCase(victimId));
                const auto it = std::find_if(cases.begin(), cases.end(), [&](const auto& k) { return k.first == caseId; });
                if (it != cases.end()) {
                    CaseFacts& facts = it->second;
                    if (!facts.report.empty())
                        c.referredAt = facts.report;
                    c.servicesConsent = facts.consent == "given";
                    c.servicesConsentRefused = facts.consent == "refused";
                    c.servicesConsentAt = facts.consentAt;
                    std::stable_sort(facts.contacts.begin(), facts.contacts.end(),
                                     [](const CaseContact& x, const CaseContact& y) { return x.at < y.at; });
                    c.events = facts.events;
                    c.contacts = facts.contacts;
                }
            }
            countItems(c, incidentId);
        }
    }));
    for (VictimDuty duty : {VictimDuty::FirstContact, VictimDuty::NeedsAssessment, VictimDuty::VictimServices,
                            VictimDuty::Update, VictimDuty::BailConsultation}) {
        const DutyCount& d = byDuty.at(static_cast<std::size_t>(duty));
        if (!d.seen)
            continue;
        addCounted(due, onTime, "duty", std::string(toString(duty)), d.due, d.onTime);
    }
    for (Figure* f : {&due, &onTime}) {
        std::sort(f->incidentIds.begin(), f->incidentIds.end());
        f->incidentIds.erase(std::unique(f->incidentIds.begin(), f->incidentIds.end()), f->incidentIds.end());
    }
    return std::make_pair(std::move(due), std::move(onTime));
}

Result<std::pair<Figure, Figure>> reviewFigures(Database& db, const Scope& scope, sys_seconds asOf,
                                                const RulesConfig& rules, bool keepIds)
{
    Figure due, overdue;
    due.id = "reviews_due";
    overdue.id = "reviews_overdue";
    overdue.over = due.id;

    // The 124Ds in the scope open for review now, and those that took their present state after
    // the moment counted (they may have been open then): two ranges of one index holding each
    // one's packed review clock (FigureIndex.h).
    const std::string asOfText = iso(asOf);
    struct Tallied {
        std::int64_t due = 0;
        std::int64_t late = 0;
    };
    std::unordered_map<std::string, Tallied> byOfficer;
    std::vector<std::string> dueIds, lateIds;
    const auto count = [&](const Query& row) {
        const std::string_view stateText = row.columnView(1);
        const std::string_view stateAt = row.columnView(2);
        std::optional<sys_seconds> started, allocatedAt;
        std::string_view allocatedText;
        // The log by then: the reviews, the last QA decision and whether it was closed.
        ReviewLog log;
        std::string_view lastQa, lastQaAt;
        bool closed = false;
        std::string_view packed = row.columnView(5);
        while (!packed.empty()) {
            const auto end = packed.find(figure_index::kPerson);
            std::string_view entry = packed.substr(0, end);
            packed = end == std::string_view::npos ? std::string_view() : packed.substr(end + 1);
            const auto a = entry.find(figure_index::kField);
            const auto b = a == std::string_view::npos ? a : entry.find(figure_index::kField, a + 1);
            if (b == std::string_view::npos)
                continue;
            const std::string_view kind = entry.substr(0, a), at = entry.substr(a + 1, b - a - 1),
                                   detail = entry.substr(b + 1);
            if (kind == figure_index::kStarted) {
                started = parseIsoDateTime(at);
            } else if (kind == figure_index::kAllocated) {
                allocatedText = at;
            } else if (kind == figure_index::kSupervision && at <= asOfText) {
                if (detail.rfind("review:", 0) == 0) {
                    if (const auto t = parseIsoDateTime(at))
                        log.add(reviewLevelFromString(detail.substr(7)).value_or(ReviewLevel::Supervisor), *t);
                } else if (detail.rfind("qa:", 0) == 0 && at >= lastQaAt) {
                    lastQa = detail.substr(3);
                    lastQaAt = at;
                } else {
                    closed = closed || detail.rfind("final:", 0) == 0;
                }
            }
        }
        if (!started || *started > asOf)
            return;  // not yet started then
        LifecycleState state = LifecycleState::Draft;
        ReviewClock clock{*started, *started};
        if (!stateAt.empty() && stateAt <= asOfText) {
            state = lifecycleStateFromString(stateText).value_or(LifecycleState::Draft);
            clock.stateSince = parseIsoDateTime(stateAt).value_or(*started);
        } else if (closed) {
            // It took its present state after that moment: what it was then, from its log (the
            // last QA decision by then; closed by then) and its allocation.
            state = LifecycleState::Closed;
        } else if (lastQa == "approved") {
            const bool allocated = !allocatedText.empty() && allocatedText <= asOfText && allocatedText >= lastQaAt;
            state = allocated ? LifecycleState::UnderInvestigation : LifecycleState::Approved;
            clock.stateSince = parseIsoDateTime(allocated ? allocatedText : lastQaAt).value_or(*started);
        } else {
            state = lastQa == "returned" ? LifecycleState::Returned : LifecycleState::Submitted;
        }
        const auto next = nextReviewAt(state, (row.columnInt(4) & figure_index::SeriousSexualOffence) != 0, log, clock,
                                       rules);
        if (!next)
            return;
        // The desk's own rule for an overdue review (its Reviews tab: ReviewDueRow::overdue).
        const bool late = next->due < asOf;
        const std::string_view owner = row.columnView(3);
        Tallied& t = byOfficer[owner.empty() ? std::string("not_recorded") : std::string(owner)];
        ++t.due;
        t.late += late ? 1 : 0;
        if (keepIds) {
            dueIds.push_back(row.columnText(0));
            if (late)
                lateIds.push_back(dueIds.back());
        }
    };
    // The states a 124D is open for review in (nextReviewDue), and the other received states.
    const std::string columns = "SELECT incident_id, state, state_at, owner, facts, review FROM figure_incident"
                                " INDEXED BY figure_incident_review WHERE borough = :borough AND";
    for (const char* range : {" state IN ('submitted', 'approved', 'under_investigation') AND",
                              " state IN ('returned', 'closed') AND state_at > :as_of AND"}) {
        auto q = db.prepare(columns + std::string(range) + scope.where + ";");
        if (!q)
            return std::move(q).error();
        scope.bind(*q);
        if (const int at = q->parameterIndex(":as_of"); at > 0)
            q->bind(at, asOfText);
        VIGIL_TRY(q->forEach(count));
    }
    for (const auto& [officer, t] : byOfficer)
        addCounted(due, overdue, "officer", officer, t.due, t.late);
    std::sort(dueIds.begin(), dueIds.end());
    std::sort(lateIds.begin(), lateIds.end());
    due.incidentIds = std::move(dueIds);
    overdue.incidentIds = std::move(lateIds);
    return std::make_pair(std::move(due), std::move(overdue));
}

}  // namespace vigil::figure_clocks
