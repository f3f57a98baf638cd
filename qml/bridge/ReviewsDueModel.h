#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include "core/records/SupervisionLists.h"
#include "core/risk/RulesConfig.h"

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The investigations due a supervisor's review on the device (issue 23 item 4): the overdue
/// first, in red, with how long overdue; then the soonest due. Read on the store worker by the
/// core (readReviewsDue, the cadence in core/risk/ReviewCadence.h).
class ReviewsDueModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The reviews due belong to Desk")
    Q_PROPERTY(int count READ count NOTIFY rowsChanged)
    Q_PROPERTY(int overdueCount READ overdueCount NOTIFY rowsChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// Why the list could not be read, in words ("" when it could).
    Q_PROPERTY(QString message READ message NOTIFY loadingChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ReferenceRole,
        OfficerRole,
        TeamRole,
        OccurredRole,
        InitialsRole,
        CadRole,
        CrisRole,
        StateRole,
        SeriousSexualOffenceRole,
        RestrictedRole,
        OverdueRole,
        DueRole,       ///< "06/12/2026 10:00"
        DueInRole,     ///< "Overdue by 2 days" / "Due in 5 hours"
        LevelRole,     ///< "Supervisor (DS)", ...
        BasisRole,     ///< "7 days after it was approved"
        LastReviewRole ///< "05/12/2026 09:30 by ds.e", or "Never reviewed"
    };
    Q_ENUM(Role)

    using NowSeconds = std::function<std::chrono::sys_seconds()>;
    /// `worker` and `access` may be null in tests that set rows directly.
    ReviewsDueModel(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr, NowSeconds now = {});

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void refresh();
    Q_INVOKABLE QString idAt(int row) const;
    void setRows(std::vector<ReviewDueRow> rows);

    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] int overdueCount() const;
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString message() const { return m_message; }

signals:
    void rowsChanged();
    void loadingChanged();

private:
    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    NowSeconds m_now;
    std::shared_ptr<const RulesConfig> m_rules;
    std::vector<ReviewDueRow> m_rows;
    bool m_loading = false;
    bool m_again = false;  ///< a refresh was asked for while one ran
    QString m_message;
};

/// QA decisions per officer for a period, and every return (issue 23 item 3: the boroughs'
/// "officers failing QA" spreadsheet). The officer's line manager is told of each return here:
/// returns made since the supervisor last looked are counted (`unseen`) until they look.
class ReturnsReport : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The QA returns belong to Desk")
    /// The period in days, counted back from now (7, 28 or 91).
    Q_PROPERTY(int days READ days WRITE setDays NOTIFY changed)
    /// [{officer, team, checked, returned, approved, rate ("67%"), sections ("DASH questions (2), …")}]
    Q_PROPERTY(QVariantList officers READ officers NOTIFY changed)
    /// [{incidentId, reference, officer, team, at, by, notes, sections, unseen}] newest first
    Q_PROPERTY(QVariantList returns READ returns NOTIFY changed)
    /// Returns made by others since this supervisor last looked.
    Q_PROPERTY(int unseen READ unseen NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY changed)

public:
    using NowSeconds = std::function<std::chrono::sys_seconds()>;
    /// `seenFile`: where the time of the last look is kept (a settings file; a time, nothing personal).
    ReturnsReport(StoreWorker* worker, RecordsAccess* access, QString seenFile, QObject* parent = nullptr,
                    NowSeconds now = {});

    Q_INVOKABLE void refresh();
    /// The supervisor has looked at the returns: none is unseen any more.
    Q_INVOKABLE void markSeen();
    /// Show a report read elsewhere (tests).
    void setReport(const vigil::QaReturnsReport& report, const std::string& me);

    [[nodiscard]] int days() const { return m_days; }
    void setDays(int days);
    [[nodiscard]] QVariantList officers() const { return m_officers; }
    [[nodiscard]] QVariantList returns() const { return m_returns; }
    [[nodiscard]] int unseen() const { return m_unseen; }
    [[nodiscard]] QString message() const { return m_message; }
    /// "DASH questions", "Incident and references", ... for a section id.
    [[nodiscard]] static QString sectionWords(const QString& id);

signals:
    void changed();

private:
    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    QString m_seenFile;
    NowSeconds m_now;
    int m_days = 28;
    QVariantList m_officers;
    QVariantList m_returns;
    int m_unseen = 0;
    QString m_message;
};

}  // namespace vigil::app
