#pragma once

#include <map>
#include <vector>

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include "core/records/IncidentRepository.h"

namespace vigil::app {

/// One line of the officer's home list, as shown: initials only, never names.
struct IncidentRow {
    QString id;
    QString occurred;
    QString initials;     ///< "A.B., C.D."
    QString grade;        ///< standard | medium | high | "" (not graded yet)
    bool gradeFromChecklist = false;  ///< nobody has graded it: the DASH checklist's band
    QString state;        ///< lifecycle state id (draft, submitted, returned, ...)
    QString group;        ///< draft | submitted | returned | approved | closed
    int unsentChanges = 0;
    QString reviewNote;   ///< the supervisor's notes when returned
    QString reviewBy;
};

/// Build the row for a summary (pure: tests and the worker use it).
[[nodiscard]] IncidentRow toRow(const IncidentSummary& summary);

/// Live incidents per group (draft, submitted, returned, approved, closed): the tab counts.
using GroupCounts = std::map<QString, int>;
/// The groups' counts from the store's count per lifecycle state.
[[nodiscard]] GroupCounts groupCounts(const std::map<LifecycleState, std::int64_t>& byState);

/// What the home screen shows, read on the store thread: the newest `limit` rows of all,
/// with the newest `limit` drafts and returned 124Ds whatever their age (work waiting for
/// the officer is never out of sight), newest first; and the count of every group over the
/// whole store (a 5,000-incident store lists about 500; its tabs still count all 5,000).
struct HomeList {
    std::vector<IncidentRow> rows;
    GroupCounts counts;
};
/// `models` score each victim's checklist (IncidentRepository::list); nullptr: decisions only.
[[nodiscard]] Result<HomeList> readHomeList(IncidentRepository& repo, const RiskModelRegistry* models,
                                            std::size_t limit = 500);

/// "My incidents" on the home screen, newest first, optionally narrowed to one group.
/// The rows are set from the store worker's results; the model never touches the store.
class IncidentListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The incident list belongs to AppController")
    /// "" for all, or one of draft, submitted, returned, approved, closed.
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countsChanged)
    Q_PROPERTY(int draftCount READ draftCount NOTIFY countsChanged)
    Q_PROPERTY(int submittedCount READ submittedCount NOTIFY countsChanged)
    Q_PROPERTY(int returnedCount READ returnedCount NOTIFY countsChanged)
    Q_PROPERTY(int approvedCount READ approvedCount NOTIFY countsChanged)
    /// How many of the shown group (or of all) are on the device but not listed: older than
    /// the newest 500 the list holds.
    Q_PROPERTY(int notListedCount READ notListedCount NOTIFY listedChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        OccurredRole,
        InitialsRole,
        GradeRole,
        GradeLabelRole,
        StateRole,
        StateLabelRole,
        GroupRole,
        UnsentRole,
        SyncLabelRole,
        ReviewNoteRole,
        ReviewByRole,
        ReferenceRole,  ///< Vigil's short reference ("V-3F9A2C"): tells two rows with the same initials apart
    };
    Q_ENUM(Role)

    explicit IncidentListModel(QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// Rows that are the whole list: the counts are theirs.
    void setRows(std::vector<IncidentRow> rows);
    /// The newest rows and every group's count in the store (readHomeList).
    void setRows(std::vector<IncidentRow> rows, GroupCounts counts);
    void clear();

    [[nodiscard]] QString filter() const { return m_filter; }
    void setFilter(const QString& filter);
    [[nodiscard]] int totalCount() const;
    [[nodiscard]] int draftCount() const { return countOf(QStringLiteral("draft")); }
    [[nodiscard]] int submittedCount() const { return countOf(QStringLiteral("submitted")); }
    [[nodiscard]] int returnedCount() const { return countOf(QStringLiteral("returned")); }
    [[nodiscard]] int approvedCount() const { return countOf(QStringLiteral("approved")); }
    [[nodiscard]] int notListedCount() const;

signals:
    void filterChanged();
    void countsChanged();
    void listedChanged();

private:
    [[nodiscard]] int countOf(const QString& group) const;
    void refilter();
    void fillShown();

    std::vector<IncidentRow> m_all;
    GroupCounts m_counts;
    std::vector<const IncidentRow*> m_shown;
    QString m_filter;
};

}  // namespace vigil::app
