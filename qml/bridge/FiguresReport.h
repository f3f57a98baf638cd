#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <qqmlintegration.h>

#include "core/figures/Figures.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/OutcomeList.h"

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The supervisor's dashboard (issue 25; docs/figures.md): the figures of DOMAIN.md §8 over the
/// records on this device (the supervisor's scope) for a period, each a count of a named
/// figure, with the month-on-month trend, each figure's breakdowns, and the 124Ds behind each
/// number. Worked out by the core (computeFigures) on the store worker.
class FiguresReport : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The figures belong to Desk")
    /// "this_month", "last_month", "last_3_months" or "last_12_months" (whole months before this one).
    Q_PROPERTY(QString period READ period WRITE setPeriod NOTIFY changed)
    /// "1 March 2026 to 31 March 2026": the period in words.
    Q_PROPERTY(QString periodWords READ periodWords NOTIFY changed)
    /// [{id, label, count, of, over, overLabel, words, rate}] in docs/figures.md's order.
    Q_PROPERTY(QVariantList figures READ figures NOTIFY changed)
    /// The last six months, oldest first: [{month ("Mar 2026"), incidents, crimes, highRisk}].
    Q_PROPERTY(QVariantList trend READ trend NOTIFY changed)
    /// The largest count in the trend (the chart's scale).
    Q_PROPERTY(int trendMax READ trendMax NOTIFY changed)
    /// The team the figures are of ("" for every team on this device).
    Q_PROPERTY(QString team READ team WRITE setTeam NOTIFY changed)
    /// The teams with a 124D in the period, by name (the team chooser; "" stands for none recorded).
    Q_PROPERTY(QStringList teams READ teams NOTIFY changed)
    /// The period's weeks, Monday to Sunday: ["2 Mar", ...].
    Q_PROPERTY(QStringList weeks READ weeks NOTIFY changed)
    /// The 124Ds received in each week by team (every team, whichever is chosen):
    /// [{team, label, counts: [n a week], total}], by name.
    Q_PROPERTY(QVariantList teamWeeks READ teamWeeks NOTIFY changed)
    /// Whether the dashboard is on screen: the figures are worked out only then (on showing it,
    /// and after each sync or decision while it shows), never for a tab nobody looks at.
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY changed)

public:
    using NowSeconds = std::function<std::chrono::sys_seconds()>;
    FiguresReport(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr, NowSeconds now = {});

    Q_INVOKABLE void refresh();
    /// The records changed (a sync, a decision): work the figures out again if they show.
    void recordsChanged();
    /// The dimensions a figure can be broken down by: [{id, label}].
    Q_INVOKABLE QVariantList dimensions(const QString& figure) const;
    /// A figure broken down: [{category, label, count, of, words}], the largest first.
    Q_INVOKABLE QVariantList breakdown(const QString& figure, const QString& dimension) const;
    /// The 124Ds behind a figure's count: [{incidentId, reference}].
    Q_INVOKABLE QVariantList recordsOf(const QString& figure) const;
    /// Forget everything shown (locked or wiped).
    void clear();

    [[nodiscard]] QString period() const { return m_period; }
    void setPeriod(const QString& period);
    [[nodiscard]] QString periodWords() const;
    [[nodiscard]] QVariantList figures() const;
    [[nodiscard]] QVariantList trend() const { return m_trend; }
    [[nodiscard]] QString team() const { return m_team; }
    void setTeam(const QString& team);
    [[nodiscard]] QStringList teams() const { return m_teams; }
    [[nodiscard]] QStringList weeks() const { return m_weeks; }
    [[nodiscard]] QVariantList teamWeeks() const { return m_teamWeeks; }
    [[nodiscard]] int trendMax() const { return m_trendMax; }
    [[nodiscard]] bool active() const { return m_active; }
    void setActive(bool active);
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString message() const { return m_message; }

    /// "Crimes", "High-risk victims", ... for a figure id ("" for an unknown one).
    [[nodiscard]] static QString figureLabel(const QString& id);
    /// What a figure is a share of, as it follows "of": "incidents", "crimes with a power of arrest".
    [[nodiscard]] static QString denominatorWords(const QString& over);
    /// "268 of 412 incidents (65%)", "412", "0 of 0 crimes".
    [[nodiscard]] static QString countWords(const vigil::FigureCount& count, const QString& over);

signals:
    void changed();

private:
    /// The period's first day and the day after its last (ISO dates).
    [[nodiscard]] std::pair<std::string, std::string> range() const;

    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    NowSeconds m_now;
    QString m_period = QStringLiteral("last_month");
    std::shared_ptr<const DiversityCategories> m_lists;
    std::shared_ptr<const OutcomeList> m_outcomes;
    vigil::FigureSet m_set;
    QVariantList m_trend;
    int m_trendMax = 0;
    QString m_team;
    QStringList m_teams;
    QStringList m_weeks;
    QVariantList m_teamWeeks;
    bool m_active = false;
    bool m_loading = false;
    QString m_message;
    quint64 m_generation = 0;
};

}  // namespace vigil::app
