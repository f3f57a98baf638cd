#include "IncidentListModel.h"

#include <algorithm>

#include "Words.h"

namespace vigil::app {

namespace {

QString groupOf(LifecycleState state)
{
    switch (state) {
    case LifecycleState::Draft: return QStringLiteral("draft");
    case LifecycleState::Submitted: return QStringLiteral("submitted");
    case LifecycleState::Returned: return QStringLiteral("returned");
    case LifecycleState::Approved:
    case LifecycleState::UnderInvestigation: return QStringLiteral("approved");
    case LifecycleState::Closed: return QStringLiteral("closed");
    }
    return QStringLiteral("draft");
}

QString gradeLabel(const QString& grade, bool fromChecklist)
{
    QString word;
    if (grade == QLatin1String("high"))
        word = IncidentListModel::tr("High");
    else if (grade == QLatin1String("medium"))
        word = IncidentListModel::tr("Medium");
    else if (grade == QLatin1String("standard"))
        word = IncidentListModel::tr("Standard");
    else
        return IncidentListModel::tr("Not graded");
    // Nobody has graded it yet (or the officer's grade is below the answers' band): say that
    // this is the checklist's band, not someone's decision.
    return fromChecklist ? IncidentListModel::tr("Checklist: %1").arg(word) : word;
}

}  // namespace

IncidentRow toRow(const IncidentSummary& summary)
{
    IncidentRow row;
    row.id = QString::fromStdString(summary.id);
    row.occurred = QString::fromStdString(summary.occurred);
    QStringList initials;
    for (const auto& i : summary.victimInitials)
        initials << QString::fromStdString(i);
    row.initials = initials.join(QStringLiteral(", "));
    row.grade = summary.grade ? QString::fromUtf8(toString(summary.grade->grade).data()) : QString();
    row.gradeFromChecklist = summary.grade && summary.grade->checklistOnly;
    row.state = QString::fromUtf8(toString(summary.state).data());
    row.group = groupOf(summary.state);
    row.unsentChanges = static_cast<int>(summary.unsentChanges);
    if (summary.state == LifecycleState::Returned) {
        row.reviewNote = QString::fromStdString(summary.lastCommandNote);
        row.reviewBy = QString::fromStdString(summary.lastCommandBy);
    }
    return row;
}

GroupCounts groupCounts(const std::map<LifecycleState, std::int64_t>& byState)
{
    GroupCounts out;
    for (const auto& [state, count] : byState)
        out[groupOf(state)] += static_cast<int>(count);
    return out;
}

Result<HomeList> readHomeList(IncidentRepository& repo, const RiskModelRegistry* models, std::size_t limit)
{
    auto byState = repo.countsByState();
    if (!byState)
        return std::move(byState).error();
    // The tabs of work waiting for the officer, Drafts and Returned, list their own newest
    // `limit` even when newer records of other tabs fill the newest of all: an old draft or
    // return is never out of sight. (Usually no extra read: these groups are small.) Submitted
    // and Approved, waiting for others or done, show theirs among the newest of all; the
    // list says how many older ones it leaves out. Topping those up too cost ~70 ms at
    // unlock on a 5,000-incident store (docs/performance.md).
    auto list = repo.listGroups({{LifecycleState::Draft}, {LifecycleState::Returned}}, *byState, limit, models);
    if (!list)
        return std::move(list).error();
    HomeList out;
    out.rows.reserve(list->size());
    for (const auto& s : *list)
        out.rows.push_back(toRow(s));
    out.counts = groupCounts(*byState);
    return out;
}

IncidentListModel::IncidentListModel(QObject* parent) : QAbstractListModel(parent) {}

int IncidentListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_shown.size());
}

QVariant IncidentListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IncidentRow& r = *m_shown[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case InitialsRole: return r.initials.isEmpty() ? tr("No victim recorded yet") : r.initials;
    case IdRole: return r.id;
    case OccurredRole: return r.occurred.isEmpty() ? QString() : dateTimeWords(r.occurred);
    case ReferenceRole: return shortReference(r.id);
    case GradeRole: return r.grade;
    case GradeLabelRole: return gradeLabel(r.grade, r.gradeFromChecklist);
    case StateRole: return r.state;
    case StateLabelRole: return stateWords(r.state);
    case GroupRole: return r.group;
    case UnsentRole: return r.unsentChanges;
    case SyncLabelRole:
        return r.unsentChanges > 0 ? tr("Not sent: %n change(s)", nullptr, r.unsentChanges) : tr("Sent");
    case ReviewNoteRole: return r.reviewNote;
    case ReviewByRole: return r.reviewBy;
    default: return {};
    }
}

QHash<int, QByteArray> IncidentListModel::roleNames() const
{
    return {
        {IdRole, "incidentId"},         {OccurredRole, "occurred"}, {ReferenceRole, "reference"},     {InitialsRole, "initials"},
        {GradeRole, "grade"},           {GradeLabelRole, "gradeLabel"}, {StateRole, "state"},
        {StateLabelRole, "stateLabel"}, {GroupRole, "group"},           {UnsentRole, "unsent"},
        {SyncLabelRole, "syncLabel"},   {ReviewNoteRole, "reviewNote"}, {ReviewByRole, "reviewBy"},
    };
}

void IncidentListModel::setRows(std::vector<IncidentRow> rows)
{
    GroupCounts counts;
    for (const auto& r : rows)
        ++counts[r.group];
    setRows(std::move(rows), std::move(counts));
}

void IncidentListModel::setRows(std::vector<IncidentRow> rows, GroupCounts counts)
{
    beginResetModel();
    m_all = std::move(rows);
    m_counts = std::move(counts);
    fillShown();
    endResetModel();
    emit countsChanged();
    emit listedChanged();
}

void IncidentListModel::clear() { setRows({}); }

void IncidentListModel::setFilter(const QString& filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    refilter();
    emit filterChanged();
    emit listedChanged();
}

void IncidentListModel::refilter()
{
    beginResetModel();
    fillShown();
    endResetModel();
}

void IncidentListModel::fillShown()
{
    m_shown.clear();
    for (const auto& r : m_all) {
        if (m_filter.isEmpty() || r.group == m_filter)
            m_shown.push_back(&r);
    }
}

int IncidentListModel::countOf(const QString& group) const
{
    const auto it = m_counts.find(group);
    return it == m_counts.end() ? 0 : it->second;
}

int IncidentListModel::notListedCount() const
{
    const int inGroup = m_filter.isEmpty() ? totalCount() : countOf(m_filter);
    return std::max(0, inGroup - static_cast<int>(m_shown.size()));
}

int IncidentListModel::totalCount() const
{
    int total = 0;
    for (const auto& [group, count] : m_counts)
        total += count;
    return total;
}

}  // namespace vigil::app
