#include "IncidentListModel.h"

#include <algorithm>

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

QString stateLabel(const QString& state)
{
    if (state == QLatin1String("draft"))
        return IncidentListModel::tr("Draft");
    if (state == QLatin1String("submitted"))
        return IncidentListModel::tr("Submitted for review");
    if (state == QLatin1String("returned"))
        return IncidentListModel::tr("Returned to you");
    if (state == QLatin1String("approved"))
        return IncidentListModel::tr("Approved");
    if (state == QLatin1String("under_investigation"))
        return IncidentListModel::tr("Under investigation");
    if (state == QLatin1String("closed"))
        return IncidentListModel::tr("Closed");
    return state;
}

QString gradeLabel(const QString& grade)
{
    if (grade == QLatin1String("high"))
        return IncidentListModel::tr("High");
    if (grade == QLatin1String("medium"))
        return IncidentListModel::tr("Medium");
    if (grade == QLatin1String("standard"))
        return IncidentListModel::tr("Standard");
    return IncidentListModel::tr("Not graded");
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
    row.grade = summary.highestGrade ? QString::fromUtf8(toString(*summary.highestGrade).data()) : QString();
    row.state = QString::fromUtf8(toString(summary.state).data());
    row.group = groupOf(summary.state);
    row.unsentChanges = static_cast<int>(summary.unsentChanges);
    if (summary.state == LifecycleState::Returned) {
        row.reviewNote = QString::fromStdString(summary.lastCommandNote);
        row.reviewBy = QString::fromStdString(summary.lastCommandBy);
    }
    return row;
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
    case OccurredRole: return r.occurred;
    case GradeRole: return r.grade;
    case GradeLabelRole: return gradeLabel(r.grade);
    case StateRole: return r.state;
    case StateLabelRole: return stateLabel(r.state);
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
        {IdRole, "incidentId"},         {OccurredRole, "occurred"},     {InitialsRole, "initials"},
        {GradeRole, "grade"},           {GradeLabelRole, "gradeLabel"}, {StateRole, "state"},
        {StateLabelRole, "stateLabel"}, {GroupRole, "group"},           {UnsentRole, "unsent"},
        {SyncLabelRole, "syncLabel"},   {ReviewNoteRole, "reviewNote"}, {ReviewByRole, "reviewBy"},
    };
}

void IncidentListModel::setRows(std::vector<IncidentRow> rows)
{
    beginResetModel();
    m_all = std::move(rows);
    fillShown();
    endResetModel();
    emit countsChanged();
}

void IncidentListModel::clear() { setRows({}); }

void IncidentListModel::setFilter(const QString& filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    refilter();
    emit filterChanged();
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
    return static_cast<int>(std::count_if(m_all.begin(), m_all.end(), [&](const IncidentRow& r) { return r.group == group; }));
}

}  // namespace vigil::app
