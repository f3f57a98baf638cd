#include "FiguresReport.h"

#include <algorithm>
#include <cmath>

#include <QDate>
#include <QLocale>

#include "core/risk/Dates.h"
#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::chrono::sys_seconds systemNow()
{
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string isoOf(std::chrono::year_month_day d) { return formatIsoDate(std::chrono::sys_days{d}); }

/// The first day of the month `back` months before the month of `now`.
std::chrono::year_month_day monthStart(std::chrono::sys_seconds now, int back)
{
    const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
    const auto ym = std::chrono::year_month{today.year(), today.month()} - std::chrono::months{back};
    return ym / std::chrono::day{1};
}

QString monthWords(std::chrono::year_month_day d)
{
    const QDate date(static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())), 1);
    return QLocale().toString(date, QStringLiteral("MMM yyyy"));
}

/// Plain counts (no denominator) and the dimension words of a breakdown.
QString dimensionLabel(const QString& id)
{
    static const std::pair<const char*, const char*> questions[] = {
        {"age_band", QT_TRANSLATE_NOOP("FiguresReport", "age band")},
        {"gender", QT_TRANSLATE_NOOP("FiguresReport", "gender")},
        {"ethnicity", QT_TRANSLATE_NOOP("FiguresReport", "ethnicity")},
        {"disability", QT_TRANSLATE_NOOP("FiguresReport", "disability")},
        {"religion", QT_TRANSLATE_NOOP("FiguresReport", "religion or belief")},
        {"sexual_orientation", QT_TRANSLATE_NOOP("FiguresReport", "sexual orientation")}};
    if (id == QLatin1String("officer"))
        return FiguresReport::tr("Officer");
    if (id == QLatin1String("form.kind"))
        return FiguresReport::tr("Kind of form");
    if (id == QLatin1String("duty"))
        return FiguresReport::tr("Victims' Code duty");
    for (const auto& [key, words] : questions) {
        if (id == QLatin1String("victim.") + QLatin1String(key))
            return FiguresReport::tr("Victim's %1").arg(FiguresReport::tr(words));
        if (id == QLatin1String("suspect.") + QLatin1String(key))
            return FiguresReport::tr("Suspect's %1").arg(FiguresReport::tr(words));
    }
    return id;
}

/// A Victims' Code duty (toString(VictimDuty)) in words.
QString dutyLabel(const QString& duty)
{
    static const std::pair<const char*, const char*> duties[] = {
        {"first_contact", QT_TRANSLATE_NOOP("FiguresReport", "First contact")},
        {"needs_assessment", QT_TRANSLATE_NOOP("FiguresReport", "Needs assessment")},
        {"victim_services", QT_TRANSLATE_NOOP("FiguresReport", "Details to victim services")},
        {"update", QT_TRANSLATE_NOOP("FiguresReport", "Updates")},
        {"bail_consultation", QT_TRANSLATE_NOOP("FiguresReport", "Views sought before bail")}};
    for (const auto& [key, words] : duties) {
        if (duty == QLatin1String(key))
            return FiguresReport::tr(words);
    }
    return duty;
}

}  // namespace

FiguresReport::FiguresReport(StoreWorker* worker, RecordsAccess* access, QObject* parent, NowSeconds now)
    : QObject(parent), m_worker(worker), m_access(access), m_now(std::move(now))
{
    if (!m_now)
        m_now = systemNow;
}

QString FiguresReport::figureLabel(const QString& id)
{
    static const std::pair<const char*, const char*> labels[] = {
        {"incidents", QT_TR_NOOP("Domestic abuse incidents (124Ds received)")},
        {"crimes", QT_TR_NOOP("Crimes")},
        {"sso_crimes", QT_TR_NOOP("Serious sexual offences")},
        {"repeat_victim_incidents", QT_TR_NOOP("Repeat victims")},
        {"hbv_fm_incidents", QT_TR_NOOP("Honour-based violence or forced marriage")},
        {"arrests", QT_TR_NOOP("Arrests")},
        {"power_of_arrest_crimes", QT_TR_NOOP("Crimes with a power of arrest")},
        {"arrests_where_power", QT_TR_NOOP("Arrests where a power existed")},
        {"charged", QT_TR_NOOP("Charged")},
        {"cris_linked", QT_TR_NOOP("CRIS reference recorded")},
        {"crimint_linked", QT_TR_NOOP("CRIMINT reference recorded")},
        {"incidents_with_children", QT_TR_NOOP("Incidents with children")},
        {"merlin_linked", QT_TR_NOOP("MERLIN reference recorded")},
        {"cad_recorded", QT_TR_NOOP("CAD reference recorded")},
        {"cad_to_cris", QT_TR_NOOP("CAD to CRIS")},
        {"victims", QT_TR_NOOP("Victims")},
        {"high_risk_victims", QT_TR_NOOP("High-risk victims")},
        {"medium_risk_victims", QT_TR_NOOP("Medium-risk victims")},
        {"marac_referrals", QT_TR_NOOP("MARAC referrals")},
        {"feedback_forms", QT_TR_NOOP("Feedback forms issued")},
        {"qa_decisions", QT_TR_NOOP("QA decisions")},
        {"qa_returned", QT_TR_NOOP("124Ds returned at QA")},
        {"outcomes_recorded", QT_TR_NOOP("Crimes with an outcome recorded")},
        {"sanction_detections", QT_TR_NOOP("Sanction detections")},
        {"cautioned", QT_TR_NOOP("Cautioned")},
        {"unsupported_prosecutions", QT_TR_NOOP("Prosecutions without the victim's support")},
        {"no_further_action", QT_TR_NOOP("No further action")},
        {"victim_withdrew", QT_TR_NOOP("Victim withdrew their support")},
        {"court_results", QT_TR_NOOP("Charged crimes with a court result")},
        {"court_convictions", QT_TR_NOOP("Convictions")},
        {"arrests_later", QT_TR_NOOP("Arrests made later (after the scene)")},
        {"da_homicides", QT_TR_NOOP("Domestic abuse homicides")},
        {"victims_code_due", QT_TR_NOOP("Victims' Code duties due")},
        {"victims_code_on_time", QT_TR_NOOP("Victims' Code duties done on time")},
        {"repeat_marac_referrals", QT_TR_NOOP("Repeat MARAC referrals (within 12 months)")},
        {"reviews_due", QT_TR_NOOP("Investigations due a review (at the period's end)")},
        {"reviews_overdue", QT_TR_NOOP("Overdue reviews")}};
    for (const auto& [key, words] : labels) {
        if (id == QLatin1String(key))
            return tr(words);
    }
    return {};
}

QString FiguresReport::denominatorWords(const QString& over)
{
    static const std::pair<const char*, const char*> words[] = {
        {"incidents", QT_TR_NOOP("incidents")},
        {"crimes", QT_TR_NOOP("crimes")},
        {"power_of_arrest_crimes", QT_TR_NOOP("crimes with a power of arrest")},
        {"incidents_with_children", QT_TR_NOOP("incidents with children")},
        {"cad_recorded", QT_TR_NOOP("incidents with a CAD reference")},
        {"victims", QT_TR_NOOP("victims")},
        {"qa_decisions", QT_TR_NOOP("QA decisions")},
        {"charged", QT_TR_NOOP("crimes charged")},
        {"sanction_detections", QT_TR_NOOP("sanction detections")},
        {"court_results", QT_TR_NOOP("court results")},
        {"victims_code_due", QT_TR_NOOP("Victims' Code duties due")},
        {"marac_referrals", QT_TR_NOOP("MARAC referrals")},
        {"reviews_due", QT_TR_NOOP("investigations due a review")}};
    for (const auto& [key, text] : words) {
        if (over == QLatin1String(key))
            return tr(text);
    }
    return figureLabel(over);
}

QString FiguresReport::countWords(const vigil::FigureCount& count, const QString& over)
{
    if (over.isEmpty())
        return QString::number(count.count);
    const QString of = denominatorWords(over);
    if (count.of == 0)
        return tr("%1 of %2 %3").arg(count.count).arg(count.of).arg(of);
    const long percent = std::lround(100.0 * static_cast<double>(count.count) / static_cast<double>(count.of));
    return tr("%1 of %2 %3 (%4%)").arg(count.count).arg(count.of).arg(of).arg(percent);
}

void FiguresReport::setPeriod(const QString& period)
{
    static const QStringList known{QStringLiteral("this_month"), QStringLiteral("last_month"),
                                   QStringLiteral("last_3_months"), QStringLiteral("last_12_months")};
    if (period == m_period || !known.contains(period))
        return;
    m_period = period;
    emit changed();
    refresh();
}

void FiguresReport::setTeam(const QString& team)
{
    if (team == m_team)
        return;
    m_team = team;
    emit changed();
    refresh();
}

std::pair<std::string, std::string> FiguresReport::range() const
{
    const auto now = m_now();
    if (m_period == QLatin1String("this_month"))
        return {isoOf(monthStart(now, 0)), isoOf(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now) + std::chrono::days{1}})};
    const int months = m_period == QLatin1String("last_12_months") ? 12 : m_period == QLatin1String("last_3_months") ? 3 : 1;
    return {isoOf(monthStart(now, months)), isoOf(monthStart(now, 0))};
}

QString FiguresReport::periodWords() const
{
    const auto [from, to] = range();
    const QDate first = QDate::fromString(q(from), Qt::ISODate);
    const QDate last = QDate::fromString(q(to), Qt::ISODate).addDays(-1);
    const QLocale locale;
    return tr("%1 to %2").arg(locale.toString(first, QStringLiteral("d MMMM yyyy")),
                              locale.toString(last, QStringLiteral("d MMMM yyyy")));
}

QVariantList FiguresReport::figures() const
{
    QVariantList out;
    for (const Figure& f : m_set.figures) {
        const QString id = q(f.id);
        const QString over = q(f.over);
        const double rate = f.total.of > 0 ? static_cast<double>(f.total.count) / static_cast<double>(f.total.of) : 0.0;
        out.append(QVariantMap{{QStringLiteral("id"), id},
                               {QStringLiteral("label"), figureLabel(id)},
                               {QStringLiteral("count"), static_cast<qlonglong>(f.total.count)},
                               {QStringLiteral("of"), static_cast<qlonglong>(f.total.of)},
                               {QStringLiteral("over"), over},
                               {QStringLiteral("overLabel"), figureLabel(over)},
                               {QStringLiteral("words"), countWords(f.total, over)},
                               {QStringLiteral("rate"), rate}});
    }
    return out;
}

QVariantList FiguresReport::dimensions(const QString& figure) const
{
    QVariantList out;
    const Figure* f = m_set.find(figure.toStdString());
    if (!f)
        return out;
    for (const auto& [dimension, categories] : f->breakdowns)
        out.append(QVariantMap{{QStringLiteral("id"), q(dimension)}, {QStringLiteral("label"), dimensionLabel(q(dimension))}});
    return out;
}

QVariantList FiguresReport::breakdown(const QString& figure, const QString& dimension) const
{
    QVariantList out;
    const Figure* f = m_set.find(figure.toStdString());
    if (!f)
        return out;
    const auto d = f->breakdowns.find(dimension.toStdString());
    if (d == f->breakdowns.end())
        return out;
    std::vector<std::pair<std::string, FigureCount>> rows(d->second.begin(), d->second.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
    const std::string dim = dimension.toStdString();
    const std::string key = dim.substr(dim.find('.') + 1);
    for (const auto& [category, count] : rows) {
        QString label = q(category);
        if (category == "not_recorded")
            label = tr("Not recorded");
        else if (dim == "duty")
            label = dutyLabel(q(category));
        else if (m_lists && (dim.rfind("victim.", 0) == 0 || dim.rfind("suspect.", 0) == 0))
            label = q(m_lists->labelFor(key, category));
        out.append(QVariantMap{{QStringLiteral("category"), q(category)},
                               {QStringLiteral("label"), label},
                               {QStringLiteral("count"), static_cast<qlonglong>(count.count)},
                               {QStringLiteral("of"), static_cast<qlonglong>(count.of)},
                               {QStringLiteral("words"), countWords(count, q(f->over))}});
    }
    return out;
}

QVariantList FiguresReport::recordsOf(const QString& figure) const
{
    QVariantList out;
    const Figure* f = m_set.find(figure.toStdString());
    if (!f)
        return out;
    for (const std::string& id : f->incidentIds)
        out.append(QVariantMap{{QStringLiteral("incidentId"), q(id)}, {QStringLiteral("reference"), shortReference(q(id))}});
    return out;
}

void FiguresReport::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    emit changed();
    if (m_active)
        refresh();
}

void FiguresReport::recordsChanged()
{
    if (m_active)
        refresh();
}

void FiguresReport::clear()
{
    ++m_generation;
    m_set = {};
    m_trend.clear();
    m_trendMax = 0;
    m_team.clear();
    m_teams.clear();
    m_weeks.clear();
    m_teamWeeks.clear();
    m_loading = false;
    m_message.clear();
    emit changed();
}

void FiguresReport::refresh()
{
    if (!m_worker || !m_access)
        return;
    RecordsAccess* access = m_access;
    const auto [from, to] = range();
    const auto now = m_now();
    std::vector<std::pair<std::string, std::string>> months;  // the trend's six months, oldest first
    std::vector<QString> monthNames;
    for (int back = 5; back >= 0; --back) {
        const auto start = monthStart(now, back);
        const auto next = monthStart(now, back - 1);
        months.emplace_back(isoOf(start), isoOf(next));
        monthNames.push_back(monthWords(start));
    }
    const std::string team = m_team.toStdString();
    struct Out {
        FigureSet set;
        std::vector<FigureSet> months;
        TeamWeeks weeks;
        std::shared_ptr<const DiversityCategories> lists;
        std::shared_ptr<const OutcomeList> outcomes;
        QString error;
    };
    auto held = m_lists;
    auto heldOutcomes = m_outcomes;
    const quint64 generation = ++m_generation;
    m_loading = true;
    emit changed();
    m_worker->run(
        this,
        [access, from, to, team, months, held, heldOutcomes]() {
            Out out;
            out.lists = shippedDiversity(held);
            out.outcomes = shippedOutcomes(heldOutcomes);
            if (!out.outcomes) {
                out.error = tr("The crime outcome list of this installation cannot be read: reinstall Vigil or ask your "
                               "administrator.");
                return out;
            }
            if (!out.lists) {
                out.error = tr("The diversity lists of this installation cannot be read: reinstall Vigil or ask your "
                               "administrator.");
                return out;
            }
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                FigureRequest request{from, to, "", team};
                request.keepIncidentIds = true;
                auto set = computeFigures(store, request, out.lists.get(), out.outcomes.get());
                if (!set)
                    return std::move(set).error();
                out.set = std::move(*set);
                for (const auto& [start, end] : months) {
                    FigureRequest trend{start, end, "", team};
                    trend.casework = false;  // the trend shows incidents, crimes and High-risk victims
                    auto month = computeFigures(store, trend, out.lists.get(), out.outcomes.get());
                    if (!month)
                        return std::move(month).error();
                    out.months.push_back(std::move(*month));
                }
                auto weeks = incidentsByTeamAndWeek(store.database(), from, to);
                if (!weeks)
                    return std::move(weeks).error();
                out.weeks = std::move(*weeks);
                return {};
            });
            if (!s.ok())
                out.error = tr("The figures could not be worked out: %1. Lock Vigil, unlock it and look again.")
                                .arg(q(s.error().message));
            return out;
        },
        [this, generation, monthNames](Out out) {
            if (generation != m_generation)
                return;  // cleared, or asked again meanwhile
            m_loading = false;
            m_message = out.error;
            if (out.error.isEmpty()) {
                m_lists = out.lists;
                m_outcomes = out.outcomes;
                m_set = std::move(out.set);
                m_trend.clear();
                m_trendMax = 0;
                for (std::size_t i = 0; i < out.months.size(); ++i) {
                    const FigureSet& m = out.months[i];
                    const auto count = [&](const char* id) {
                        const Figure* f = m.find(id);
                        return f ? static_cast<int>(f->total.count) : 0;
                    };
                    m_trendMax = std::max(m_trendMax, count("incidents"));
                    m_trend.append(QVariantMap{{QStringLiteral("month"), monthNames[i]},
                                               {QStringLiteral("incidents"), count("incidents")},
                                               {QStringLiteral("crimes"), count("crimes")},
                                               {QStringLiteral("highRisk"), count("high_risk_victims")}});
                }
                m_weeks.clear();
                for (const std::string& monday : out.weeks.weeks)
                    m_weeks.append(QDate::fromString(q(monday), Qt::ISODate).toString(QStringLiteral("d MMM")));
                m_teams.clear();
                m_teamWeeks.clear();
                for (const TeamWeeks::Team& t : out.weeks.teams) {
                    QVariantList counts;
                    for (const std::int64_t n : t.counts)
                        counts.append(static_cast<int>(n));
                    m_teams.append(q(t.team));
                    m_teamWeeks.append(QVariantMap{{QStringLiteral("team"), q(t.team)},
                                                   {QStringLiteral("label"), t.team.empty() ? tr("No team recorded")
                                                                                            : q(t.team)},
                                                   {QStringLiteral("counts"), counts},
                                                   {QStringLiteral("total"), static_cast<int>(t.total)}});
                }
                if (!m_team.isEmpty() && !m_teams.contains(m_team))
                    m_teams.append(m_team);  // chosen, with no 124D in this period: still shown as chosen
            }
            emit changed();
        });
}

}  // namespace vigil::app
