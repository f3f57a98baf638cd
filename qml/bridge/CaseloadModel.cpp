#include "CaseloadModel.h"

#include "Words.h"

namespace vigil::app {

namespace {
QString spanWords(std::chrono::seconds s)
{
    const auto minutes = std::max<std::int64_t>(1, s.count() / 60);
    if (minutes < 60)
        return CaseloadModel::tr("%n minute(s)", nullptr, static_cast<int>(minutes));
    const auto hours = minutes / 60;
    if (hours < 48)
        return CaseloadModel::tr("%n hour(s)", nullptr, static_cast<int>(hours));
    return CaseloadModel::tr("%n day(s)", nullptr, static_cast<int>(hours / 24));
}
}  // namespace

CaseloadModel::CaseloadModel(QObject* parent) : QAbstractListModel(parent) {}

int CaseloadModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QString CaseloadModel::dueWords(std::optional<std::chrono::sys_seconds> at, const std::string& what,
                                std::chrono::sys_seconds now)
{
    if (!at)
        return tr("Nothing due");
    const QString thing = QString::fromStdString(what);
    return *at < now ? tr("Overdue by %1: %2").arg(spanWords(now - *at), thing)
                     : tr("Due in %1: %2").arg(spanWords(*at - now), thing);
}

QString CaseloadModel::dueInWords(std::chrono::sys_seconds at, std::chrono::sys_seconds now)
{
    return at < now ? tr("Overdue by %1").arg(spanWords(now - at)) : tr("Due in %1").arg(spanWords(at - now));
}

QString CaseloadModel::safeSummary(const SafeContact& a)
{
    QStringList safe, unsafe;
    const std::pair<const std::optional<bool>*, QString> methods[] = {
        {&a.phone, tr("phone")}, {&a.text, tr("text")}, {&a.voicemail, tr("voicemail")}, {&a.email, tr("email")},
        {&a.visit, tr("visit")}};
    for (const auto& [answer, name] : methods) {
        if (*answer == true)
            safe << name;
        else if (*answer == false)
            unsafe << name;
    }
    QStringList parts;
    parts << (safe.isEmpty() ? tr("No method recorded as safe") : tr("Safe: %1").arg(safe.join(QStringLiteral(", "))));
    if (!a.safeTimes.empty()) {
        auto windows = parseSafeTimes(a.safeTimes);
        parts << (windows && !windows->empty() ? QString::fromStdString(safeTimesWords(*windows))
                                               : QString::fromStdString(a.safeTimes));
    }
    if (!unsafe.isEmpty())
        parts << tr("NOT %1").arg(unsafe.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral(" · "));
}

QVariant CaseloadModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const CaseloadEntry& e = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case VictimRole: return e.victimName.empty() ? tr("(victim not named)") : QString::fromStdString(e.victimName);
    case CaseIdRole: return QString::fromStdString(e.caseId);
    case ReferenceRole: return shortReference(QString::fromStdString(e.incidentId));
    case StatusRole: return QString::fromStdString(caseStatusWords(e.status));
    case RiskRole: return e.risk ? QString::fromStdString(std::string(toString(*e.risk))) : QString();
    case RiskWordsRole: return e.risk ? gradeWords(QString::fromStdString(std::string(toString(*e.risk)))) : tr("Not graded");
    case DueWordsRole: return isOpen(e.status) ? dueWords(e.nextDueAt, e.nextDueWhat, m_now) : QString();
    case OverdueRole: return e.overdue > 0;
    case DueTodayRole: return e.dueToday > 0;
    case LastContactRole:
        return e.lastContactAt.empty() ? tr("No contact yet")
                                       : tr("Last contact %1").arg(instantWords(QString::fromStdString(e.lastContactAt)));
    case SafeSummaryRole: return safeSummary(e.safeContact);
    case KindRole: return QString::fromStdString(e.key.kind);
    case SourceRole: return QString::fromStdString(e.key.source);
    default: return {};
    }
}

QHash<int, QByteArray> CaseloadModel::roleNames() const
{
    return {{CaseIdRole, "caseId"},         {VictimRole, "victim"},       {ReferenceRole, "reference"},
            {StatusRole, "status"},         {RiskRole, "risk"},           {RiskWordsRole, "riskWords"},
            {DueWordsRole, "dueWords"},     {OverdueRole, "overdue"},     {DueTodayRole, "dueToday"},
            {LastContactRole, "lastContact"}, {SafeSummaryRole, "safeSummary"}, {KindRole, "kind"},
            {SourceRole, "source"}};
}

QString CaseloadModel::idAt(int row) const
{
    return row >= 0 && row < count() ? QString::fromStdString(m_rows[static_cast<std::size_t>(row)].caseId) : QString();
}

void CaseloadModel::setRows(std::vector<CaseloadEntry> rows, std::chrono::sys_seconds now, const QString& error)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_now = now;
    m_error = error;
    endResetModel();
    emit rowsChanged();
}

int CaseloadModel::overdueCount() const
{
    int n = 0;
    for (const auto& e : m_rows)
        n += e.overdue > 0 && isOpen(e.status) ? 1 : 0;
    return n;
}

int CaseloadModel::dueTodayCount() const
{
    int n = 0;
    for (const auto& e : m_rows)
        n += e.overdue == 0 && e.dueToday > 0 && isOpen(e.status) ? 1 : 0;
    return n;
}

QString CaseloadModel::message() const
{
    if (!m_error.isEmpty())
        return m_error;
    if (m_rows.empty())
        return tr("No cases on this device. A victim referred to you, or an investigation allocated to you, arrives "
                  "when this device syncs.");
    return {};
}

}  // namespace vigil::app
