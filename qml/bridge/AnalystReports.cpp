#include "AnalystReports.h"

#include <QJSEngine>

#include "AppController.h"
#include "FiguresReport.h"
#include "StoreWorker.h"
#include "core/risk/Dates.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

AnalystReports::AnalystReports(StoreWorker& worker, Fetch fetch, std::shared_ptr<const DiversityCategories> lists,
                               QObject* parent, Today today)
    : QObject(parent), m_worker(worker), m_fetch(std::move(fetch)), m_lists(std::move(lists)), m_today(std::move(today))
{
    if (!m_today) {
        m_today = [] { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); };
    }
}

AnalystReports* AnalystReports::create(QQmlEngine*, QJSEngine*)
{
    auto* self = AppController::instance()->reports();
    QJSEngine::setObjectOwnership(self, QJSEngine::CppOwnership);
    return self;
}

std::pair<std::string, std::string> AnalystReports::periodRange(const QString& period, std::chrono::sys_days today)
{
    using namespace std::chrono;
    const year_month_day t{today};
    const year_month thisMonth{t.year(), t.month()};
    const auto firstOf = [](year_month ym) { return sys_days{ym / day{1}}; };
    const sys_days lastDay = firstOf(thisMonth) - days{1};  // the end of last month
    int months = 1;
    if (period == QLatin1String("last_3_months"))
        months = 3;
    else if (period == QLatin1String("last_12_months"))
        months = 12;
    sys_days first = firstOf(thisMonth - std::chrono::months{months});
    if (period == QLatin1String("this_year")) {
        first = sys_days{year_month_day{lastDay}.year() / January / day{1}};
    }
    return {formatIsoDate(first), formatIsoDate(lastDay)};
}

QString AnalystReports::countWords(const PublishedFigure& f)
{
    const QString number = f.count ? QString::number(*f.count)
                         : f.withheld == Withheld::Small   ? tr("fewer than 5")
                         : f.withheld == Withheld::Remainder ? tr("all but fewer than 5")
                                                              : tr("withheld");
    if (f.over.empty())
        return number;
    const QString of = FiguresReport::denominatorWords(q(f.over));
    if (!f.of)
        return tr("%1 (of a withheld number of %2)").arg(number, of);
    if (f.ratePercent)
        return tr("%1 of %2 %3 (%4%)").arg(number).arg(*f.of).arg(of).arg(*f.ratePercent);
    return tr("%1 of %2 %3").arg(number).arg(*f.of).arg(of);
}

void AnalystReports::setPeriod(const QString& period)
{
    static const QStringList known{QStringLiteral("last_month"), QStringLiteral("last_3_months"),
                                   QStringLiteral("last_12_months"), QStringLiteral("this_year")};
    if (period == m_period || !known.contains(period))
        return;
    m_period = period;
    emit changed();
}

QString AnalystReports::periodWords() const
{
    const auto [from, to] = periodRange(m_period, m_today());
    return q(periodInWords(from, to));
}

void AnalystReports::setBorough(const QString& borough)
{
    if (borough == m_borough)
        return;
    m_borough = borough;
    emit changed();
}

void AnalystReports::setOwnBorough(const QString& borough)
{
    m_ownBorough = borough;
    if (!borough.isEmpty() && !m_boroughs.contains(borough)) {
        m_boroughs.append(borough);
        m_boroughs.sort();
    }
    emit changed();
}

void AnalystReports::clear()
{
    ++m_generation;
    m_narrative.clear();
    m_figures.clear();
    m_message.clear();
    m_loading = false;
    emit changed();
}

void AnalystReports::refresh()
{
    const auto [from, to] = periodRange(m_period, m_today());
    std::vector<std::string> asked;
    if (!m_borough.isEmpty())
        asked.push_back(m_borough.toStdString());
    sync::ClientRequest request;
    request.method = "GET";
    request.target = sync::figuresTarget(from, to, asked);
    m_loading = true;
    m_message.clear();
    emit changed();
    const quint64 generation = ++m_generation;
    m_worker.run(
        this,
        [fetch = m_fetch, request]() -> Result<BoardReport> {
            auto answer = fetch(request);
            if (!answer)
                return std::move(answer).error();
            auto json = sync::parseJson(answer->body);
            if (answer->status != 200) {
                // The server's words say what went wrong and what to do.
                std::string words = json ? json->value("message", std::string()) : std::string();
                if (words.empty())
                    words = "The server could not give the figures (" + std::to_string(answer->status)
                          + "). Try again later, and tell your administrator if it keeps happening.";
                return makeError(ErrorCode::Rejected, words);
            }
            if (!json)
                return makeError(ErrorCode::InvalidArgument,
                                 "The server's figures could not be read. Update Vigil, or tell your administrator.");
            return boardReportFromJson(*json);
        },
        [this, generation](Result<BoardReport> report) {
            if (generation != m_generation)
                return;  // a newer request, or the device locked meanwhile
            m_loading = false;
            if (!report) {
                m_message = q(report.error().message);
                emit changed();
                return;
            }
            show(*report);
        });
}

void AnalystReports::show(const BoardReport& report)
{
    m_narrative = report.scopes.empty()
                    ? tr("No 124D was received in %1 in the boroughs asked for.").arg(q(periodInWords(report.from, report.to)))
                    : q(boardNarrative(report, m_lists.get()));
    m_figures.clear();
    for (const PublishedFigures& scope : report.scopes) {
        const QString name = scope.borough.empty() ? tr("The boroughs together") : q(scope.borough);
        if (m_borough.isEmpty() && !scope.borough.empty() && !m_boroughs.contains(q(scope.borough)))
            m_boroughs.append(q(scope.borough));
        for (const PublishedFigure& f : scope.figures) {
            QVariantMap row;
            row[QStringLiteral("scope")] = name;
            row[QStringLiteral("id")] = q(f.id);
            row[QStringLiteral("label")] = FiguresReport::figureLabel(q(f.id));
            row[QStringLiteral("words")] = countWords(f);
            row[QStringLiteral("withheld")] = q(std::string(withheldCode(f.withheld)));
            m_figures.append(row);
        }
    }
    m_boroughs.sort();
    emit changed();
}

}  // namespace vigil::app
