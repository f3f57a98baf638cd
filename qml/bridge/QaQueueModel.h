#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include "core/records/QaQueue.h"
#include "core/risk/RulesConfig.h"

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The supervisor's QA queue (issue 23): every submitted 124D on the device, High first, then
/// the longest waiting, read on the store worker by the core (readQaQueue). Narrowed by grade,
/// team and officer, and found by CAD or CRIS reference; the rows never hold a victim's name.
class QaQueueModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The QA queue belongs to AppController")
    /// Rows shown (after the filters), and all rows waiting.
    Q_PROPERTY(int count READ count NOTIFY rowsChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY rowsChanged)
    Q_PROPERTY(int highCount READ highCount NOTIFY rowsChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// Why the queue could not be read, in words ("" when it could).
    Q_PROPERTY(QString message READ message NOTIFY loadingChanged)
    /// "" for every grade, or high | medium | standard.
    Q_PROPERTY(QString grade READ grade WRITE setGrade NOTIFY filterChanged)
    Q_PROPERTY(QString team READ team WRITE setTeam NOTIFY filterChanged)
    Q_PROPERTY(QString officer READ officer WRITE setOfficer NOTIFY filterChanged)
    /// Part of a CAD or CRIS reference (or of Vigil's short reference).
    Q_PROPERTY(QString find READ find WRITE setFind NOTIFY filterChanged)
    /// The teams and officers in the queue, for the filters' choices.
    Q_PROPERTY(QStringList teams READ teams NOTIFY rowsChanged)
    Q_PROPERTY(QStringList officers READ officers NOTIFY rowsChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ReferenceRole,
        OfficerRole,
        TeamRole,
        OccurredRole,
        InitialsRole,
        BandRole,
        OfficerGradeRole,
        StandingRole,
        MaracRole,
        ChildrenRole,
        HbvFmRole,
        RestrictedRole,
        WaitingRole,
        CadRole,
        CrisRole,
    };
    Q_ENUM(Role)

    using NowMs = std::function<qint64()>;
    /// `worker` and `access` may be null in tests that set rows directly.
    QaQueueModel(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr, NowMs now = {});

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// Read the queue again from the store (after a sync, or when the desk opens).
    Q_INVOKABLE void refresh();
    /// The id of the row shown at `row`, or "".
    Q_INVOKABLE QString idAt(int row) const;

    /// All rows, in queue order (the worker's result; tests set them directly).
    void setRows(std::vector<QaRow> rows);

    [[nodiscard]] int count() const { return static_cast<int>(m_shown.size()); }
    [[nodiscard]] int totalCount() const { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] int highCount() const;
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] QString grade() const { return m_grade; }
    [[nodiscard]] QString team() const { return m_team; }
    [[nodiscard]] QString officer() const { return m_officer; }
    [[nodiscard]] QString find() const { return m_find; }
    void setGrade(const QString& grade);
    void setTeam(const QString& team);
    void setOfficer(const QString& officer);
    void setFind(const QString& find);
    [[nodiscard]] QStringList teams() const;
    [[nodiscard]] QStringList officers() const;

    /// "2 h 15 min", "3 days": how long a 124D has waited, in words.
    [[nodiscard]] static QString waitingWords(qint64 ms);

signals:
    void rowsChanged();
    void loadingChanged();
    void filterChanged();

private:
    void applyFilters();
    /// Set one filter and show the rows that pass them all.
    void setFilter(QString& filter, const QString& value);
    [[nodiscard]] bool passes(const QaRow& row) const;

    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    NowMs m_now;
    std::shared_ptr<const RiskModelRegistry> m_models;  ///< read on the first refresh, then kept
    std::shared_ptr<const RulesConfig> m_rules;
    std::vector<QaRow> m_rows;
    std::vector<std::size_t> m_shown;  ///< indexes into m_rows passing the filters
    bool m_loading = false;
    QString m_message;
    QString m_grade;
    QString m_team;
    QString m_officer;
    QString m_find;
};

}  // namespace vigil::app
