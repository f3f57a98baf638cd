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

namespace {

/// Call `onItem` with each Victims' Code item (worked out at `now`) of the victims of the 124Ds in
/// `scope` whose latest moment an item runs from is `lookFrom` or later, and a function giving the
/// item's incident.
Status forEachCodeItem(Database& db, const Scope& scope, sys_seconds lookFrom, const VictimsCodeRules& rules,
                       const WorkingDays& calendar, sys_seconds now,
                       const std::function<void(const DueItem&, const std::function<std::string()>&)>& onItem)
{
    // The 124Ds in the scope with a report, an event or a consent recent enough to give an item
    // due in the period (their latest, code_last, is), each with its packed Victims' Code clock
    // and its people: one range of one index (FigureIndex.h), counted as it is read.
    auto q = db.prepare("SELECT incident_id, people, code FROM figure_incident INDEXED BY figure_incident_code"
                        " WHERE borough = :borough AND code_last >= :look_from AND" + scope.where + ";");
    if (!q)
        return std::move(q).error();
    scope.bind(*q);
    q->bind(q->parameterIndex(":look_from"), iso(lookFrom));
    std::vector<std::pair<std::int64_t, std::string>> victims;
    std::vector<std::pair<std::string, CaseFacts>> cases;  // by case id: an incident has a few
    std::string started;
    return q->forEach([&](const Query& row) {
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
        const std::function<std::string()> incidentId = [&] { return row.columnText(0); };
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
            const auto code = victimsCodeCaseOf(c);
            if (!code)
                continue;
            const auto items = victimsCodeItems(*code, rules, calendar, now, ItemWords::Omitted);
            if (!items)
                continue;  // records the clock cannot read (two events with one id): the case shows the fault
            for (const DueItem& item : *items)
                onItem(item, incidentId);
        }
    });
}

/// Items due and done on time, by duty (toString(VictimDuty)'s order).
using DutyCounts = std::array<std::pair<std::int64_t, std::int64_t>, 5>;

void countItem(DutyCounts& counts, const DueItem& item)
{
    auto& d = counts.at(static_cast<std::size_t>(item.duty));
    ++d.first;
    d.second += item.status == DueStatus::DoneOnTime ? 1 : 0;
}

/// The two figures from counts by duty (a duty's breakdown only when an item of it fell due).
std::pair<Figure, Figure> codeFiguresOf(const DutyCounts& counts)
{
    Figure due, onTime;
    due.id = "victims_code_due";
    onTime.id = "victims_code_on_time";
    onTime.over = due.id;
    for (VictimDuty duty : {VictimDuty::FirstContact, VictimDuty::NeedsAssessment, VictimDuty::VictimServices,
                            VictimDuty::Update, VictimDuty::BailConsultation}) {
        const auto& d = counts.at(static_cast<std::size_t>(duty));
        if (d.first > 0)
            addCounted(due, onTime, "duty", std::string(toString(duty)), d.first, d.second);
    }
    return {std::move(due), std::move(onTime)};
}

std::string encodeDay(const DutyCounts& counts)
{
    std::string out;
    for (const auto& [due, onTime] : counts)
        out += (out.empty() ? "" : ";") + std::to_string(due) + "," + std::to_string(onTime);
    return out;
}

/// Add a day's kept counts; false (nothing added) when they are not counts this code wrote.
bool addDay(DutyCounts& counts, std::string_view text)
{
    DutyCounts day{};
    for (std::size_t i = 0; i < day.size(); ++i) {
        const char* p = text.data();
        const char* end = text.data() + text.size();
        auto r = std::from_chars(p, end, day[i].first);
        if (r.ec != std::errc{} || r.ptr == end || *r.ptr != ',')
            return false;
        r = std::from_chars(r.ptr + 1, end, day[i].second);
        if (r.ec != std::errc{} || day[i].first < 0 || day[i].second < 0 || day[i].second > day[i].first)
            return false;
        const bool last = i + 1 == day.size();
        if (last ? r.ptr != end : (r.ptr == end || *r.ptr != ';'))
            return false;
        text.remove_prefix(static_cast<std::size_t>(r.ptr - text.data()) + (last ? 0 : 1));
    }
    for (std::size_t i = 0; i < day.size(); ++i) {
        counts[i].first += day[i].first;
        counts[i].second += day[i].second;
    }
    return true;
}

}  // namespace

Result<std::pair<Figure, Figure>> victimsCodeFigures(Database& db, const Scope& scope, sys_seconds from,
                                                     sys_seconds until, const VictimsCodeRules& rules,
                                                     const WorkingDays& calendar, sys_seconds now, bool keepIds)
{
    DutyCounts counts{};
    std::vector<std::string> dueIds, onTimeIds;
    if (until > from) {
        VIGIL_TRY(forEachCodeItem(db, scope, from - longestWait(rules), rules, calendar, now,
                                  [&](const DueItem& item, const std::function<std::string()>& incidentId) {
            // Due after the period's first instant and by its last: an item "due by the end of
            // 31 March" (its due instant 1 April 00:00) is March's.
            if (!item.dueAt || *item.dueAt <= from || *item.dueAt > until)
                return;  // waiting, not required, cannot tell, or due outside the period
            countItem(counts, item);
            if (keepIds) {
                dueIds.push_back(incidentId());
                if (item.status == DueStatus::DoneOnTime)
                    onTimeIds.push_back(dueIds.back());
            }
        }));
    }
    auto out = codeFiguresOf(counts);
    for (auto* ids : {&dueIds, &onTimeIds}) {
        std::sort(ids->begin(), ids->end());
        ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    }
    out.first.incidentIds = std::move(dueIds);
    out.second.incidentIds = std::move(onTimeIds);
    return out;
}

std::string victimsCodeCountedWith(const VictimsCodeRules& rules, const WorkingDays& calendar)
{
    std::string out = "format 1; hours " + std::to_string(rules.firstContactHours) + " "
                      + std::to_string(rules.needsAssessmentHours) + "; services "
                      + std::to_string(rules.victimServicesWorkingDays)
                      + (rules.victimServicesConsentForDomesticAbuse ? " with consent" : " unless refused") + "; updates";
    for (const auto& [kind, deadline] : rules.updates)
        out += " " + std::string(toString(kind)) + " " + std::to_string(deadline.enhancedWorkingDays) + "/"
               + std::to_string(deadline.standardWorkingDays);
    out += "; consult";
    for (CaseEventKind kind : rules.consultBefore)
        out += " " + std::string(toString(kind));
    out += "; bank holidays " + std::to_string(calendar.version()) + " " + calendar.source();
    return out;
}

Result<std::pair<Figure, Figure>> victimsCodeFiguresByDay(Database& db, const Scope& scope, const KeptDays& kept,
                                                          std::chrono::local_days fromDay, std::chrono::local_days toDay,
                                                          const VictimsCodeRules& rules, const WorkingDays& calendar,
                                                          sys_seconds now, std::vector<KeptDay>& made)
{
    using std::chrono::days;
    DutyCounts counts{};
    const sys_seconds until = std::min(londonDayStart(toDay), now);
    if (until <= londonDayStart(fromDay))
        return codeFiguresOf(counts);
    // The days over by now (their items settled) are counted a day at a time; the rest of the
    // period (today, until now) from the facts.
    std::chrono::local_days open = fromDay;
    while (open < toDay && londonDayStart(open + days(1)) <= now)
        ++open;
    std::map<std::chrono::local_days, DutyCounts> missing;
    for (auto d = fromDay; d < open; d += days(1))
        missing.emplace(d, DutyCounts{});
    if (fromDay < open) {
        auto q = db.prepare("SELECT day, rules, counts FROM figure_code_day WHERE borough = ?1 AND day >= ?2"
                            " AND day < ?3 AND team = ?4;");
        if (!q)
            return std::move(q).error();
        q->bind(1, kept.borough).bind(2, formatCivilDate(fromDay)).bind(3, formatCivilDate(open)).bind(4, kept.team);
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const auto day = parseIsoDate(row.columnView(0));
            if (!day || row.columnView(1) != kept.countedWith)
                return;
            const auto it = missing.find(std::chrono::local_days{day->time_since_epoch()});
            if (it != missing.end() && addDay(counts, row.columnView(2)))
                missing.erase(it);
        }));
    }
    const bool openSpan = open < toDay && londonDayStart(open) < until;
    if (!missing.empty() || openSpan) {
        const auto earliest = missing.empty() ? open : missing.begin()->first;
        const sys_seconds openFrom = londonDayStart(open);
        VIGIL_TRY(forEachCodeItem(db, scope, londonDayStart(earliest) - longestWait(rules), rules, calendar, now,
                                  [&](const DueItem& item, const std::function<std::string()>&) {
            if (!item.dueAt || *item.dueAt > until)
                return;
            // The London day an item is due by the end of (due at its midnight: that day's).
            const auto day = londonDate(*item.dueAt - std::chrono::seconds(1));
            if (const auto it = missing.find(day); it != missing.end())
                countItem(it->second, item);
            else if (openSpan && *item.dueAt > openFrom)
                countItem(counts, item);
        }));
        for (const auto& [day, dayCounts] : missing) {
            for (std::size_t i = 0; i < counts.size(); ++i) {
                counts[i].first += dayCounts[i].first;
                counts[i].second += dayCounts[i].second;
            }
            made.push_back({formatCivilDate(day), encodeDay(dayCounts)});
        }
    }
    return codeFiguresOf(counts);
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
