#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <qqmlintegration.h>

#include "core/common/Result.h"
#include "core/figures/FigureReport.h"
#include "core/risk/DiversityCategories.h"
#include "sync/client/SyncClient.h"
#include "sync/protocol/Protocol.h"

class QQmlEngine;
class QJSEngine;

namespace vigil::app {

class StoreWorker;

/// The analyst's Reports page (QML singleton `Reports`, issue 25): the board's figures for a
/// period and a borough, fetched from the server (GET /v1/figures), which counts them over its
/// copy of every record and publishes them with small counts withheld; shown as the board
/// report's narrative (the core's boardNarrative) and as a list. An analyst's device holds no
/// record: this is all it shows.
class AnalystReports : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Reports)
    QML_SINGLETON
    /// "last_month", "last_3_months", "last_12_months" or "this_year" (to the end of last month).
    Q_PROPERTY(QString period READ period WRITE setPeriod NOTIFY changed)
    /// "March 2026": the period in words.
    Q_PROPERTY(QString periodWords READ periodWords NOTIFY changed)
    /// The borough asked for ("" for every borough the server holds figures of).
    Q_PROPERTY(QString borough READ borough WRITE setBorough NOTIFY changed)
    /// The boroughs to choose from: those of the last answer for every borough, and the user's own.
    Q_PROPERTY(QStringList boroughs READ boroughs NOTIFY changed)
    /// The board report in words (title, paragraphs separated by blank lines).
    Q_PROPERTY(QString narrative READ narrative NOTIFY changed)
    /// [{scope, id, label, words, withheld}] for every scope of the answer, in its order.
    Q_PROPERTY(QVariantList figures READ figures NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY changed)

public:
    /// Sends a request to the server with this device's credential (on the store worker).
    using Fetch = std::function<Result<sync::ClientResponse>(sync::ClientRequest)>;
    using Today = std::function<std::chrono::sys_days()>;
    AnalystReports(StoreWorker& worker, Fetch fetch, std::shared_ptr<const DiversityCategories> lists,
                   QObject* parent = nullptr, Today today = {});

    static AnalystReports* create(QQmlEngine* qml, QJSEngine* js);

    /// Ask the server for the figures of the period and borough chosen.
    Q_INVOKABLE void refresh();
    /// Forget everything shown (locked or wiped).
    void clear();
    /// The user's own borough, always offered.
    void setOwnBorough(const QString& borough);

    [[nodiscard]] QString period() const { return m_period; }
    void setPeriod(const QString& period);
    [[nodiscard]] QString periodWords() const;
    [[nodiscard]] QString borough() const { return m_borough; }
    void setBorough(const QString& borough);
    [[nodiscard]] QStringList boroughs() const { return m_boroughs; }
    [[nodiscard]] QString narrative() const { return m_narrative; }
    [[nodiscard]] QVariantList figures() const { return m_figures; }
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString message() const { return m_message; }

    /// The first and last day of a period key, both included (ISO dates), counted back from
    /// `today`: whole months before the current one.
    [[nodiscard]] static std::pair<std::string, std::string> periodRange(const QString& period, std::chrono::sys_days today);
    /// A published count in words: "268 of 412 incidents (65%)", "fewer than 5 of 412 incidents".
    [[nodiscard]] static QString countWords(const PublishedFigure& figure);

signals:
    void changed();

private:
    void show(const BoardReport& report);

    StoreWorker& m_worker;
    Fetch m_fetch;
    std::shared_ptr<const DiversityCategories> m_lists;
    Today m_today;
    QString m_period = QStringLiteral("last_12_months");
    QString m_borough;
    QString m_ownBorough;
    QStringList m_boroughs;
    QString m_narrative;
    QVariantList m_figures;
    bool m_loading = false;
    QString m_message;
    quint64 m_generation = 0;
};

}  // namespace vigil::app
