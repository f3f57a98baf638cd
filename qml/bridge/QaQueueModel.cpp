#include "QaQueueModel.h"

#include <memory>

#include <QDateTime>

#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"
#include "Words.h"
#include "core/risk/RulesConfig.h"

namespace vigil::app {

namespace {

QString gradeText(const std::optional<RiskGrade>& grade)
{
    if (!grade)
        return {};
    return QString::fromUtf8(toString(*grade).data());
}

}  // namespace

QaQueueModel::QaQueueModel(StoreWorker* worker, RecordsAccess* access, QObject* parent, NowMs now)
    : QAbstractListModel(parent), m_worker(worker), m_access(access), m_now(std::move(now))
{
    if (!m_now)
        m_now = [] { return QDateTime::currentMSecsSinceEpoch(); };
}

int QaQueueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant QaQueueModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const QaRow& r = m_rows[m_shown[static_cast<std::size_t>(index.row())]];
    switch (role) {
    case Qt::DisplayRole:
    case IdRole: return QString::fromStdString(r.id);
    case ReferenceRole: return shortReference(QString::fromStdString(r.id));
    case OfficerRole: return QString::fromStdString(r.officer);
    case TeamRole: return QString::fromStdString(r.team);
    case OccurredRole: return r.occurred.empty() ? QString() : dateTimeWords(QString::fromStdString(r.occurred));
    case InitialsRole: {
        QStringList all;
        for (const auto& i : r.initials)
            all << QString::fromStdString(i);
        return all.join(QStringLiteral(", "));
    }
    case BandRole: return gradeText(r.computed);
    case OfficerGradeRole: return gradeText(r.officerGrade);
    case StandingRole: return gradeText(r.standing);
    case MaracRole: return r.maracCriteria;
    case ChildrenRole: return r.children;
    case HbvFmRole: return r.hbv || r.forcedMarriage;
    case RestrictedRole: return r.restricted;
    case WaitingRole: return r.submittedAtMs > 0 ? waitingWords(m_now() - r.submittedAtMs) : QString();
    case CadRole: return QString::fromStdString(r.cad);
    case CrisRole: return QString::fromStdString(r.cris);
    default: return {};
    }
}

QHash<int, QByteArray> QaQueueModel::roleNames() const
{
    return {{IdRole, "incidentId"},       {ReferenceRole, "reference"},   {OfficerRole, "officer"},
            {TeamRole, "team"},           {OccurredRole, "occurred"},     {InitialsRole, "initials"},
            {BandRole, "band"},           {OfficerGradeRole, "officerGrade"}, {StandingRole, "standing"},
            {MaracRole, "maracCriteria"}, {ChildrenRole, "children"},     {HbvFmRole, "hbvOrForcedMarriage"},
            {RestrictedRole, "restricted"}, {WaitingRole, "waiting"},     {CadRole, "cad"},
            {CrisRole, "cris"}};
}

QString QaQueueModel::waitingWords(qint64 ms)
{
    const qint64 minutes = std::max<qint64>(0, ms / 60000);
    if (minutes < 60)
        return tr("%n min", nullptr, static_cast<int>(minutes));
    const qint64 hours = minutes / 60;
    if (hours < 48)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    return tr("%n days", nullptr, static_cast<int>(hours / 24));
}

void QaQueueModel::refresh()
{
    if (!m_worker || !m_access || m_loading)
        return;
    m_loading = true;
    emit loadingChanged();
    RecordsAccess* access = m_access;
    struct Out {
        std::vector<QaRow> rows;
        QString error;
        std::shared_ptr<const RiskModelRegistry> models;
        std::shared_ptr<const RulesConfig> rules;
    };
    m_worker->run(
        this,
        [access, models = m_models, rules = m_rules]() mutable {
            Out out;
            // Read once, then kept: the queue is read again after every sync.
            models = shippedModels(std::move(models));
            rules = shippedRules(std::move(rules));
            out.models = models;
            out.rules = rules;
            if (!models || !rules) {
                out.error = tr("The risk rules could not be read, so the queue cannot be graded. Reinstall Vigil.");
                return out;
            }
            const HistorySource source = access->historySource();
            const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto rows = readQaQueue(repo, *models, *rules, source, now);
                if (!rows)
                    return std::move(rows).error();
                out.rows = std::move(rows).value();
                return {};
            });
            if (!s.ok())
                out.error = tr("The queue could not be read: %1. Lock Vigil, unlock it and open the queue again; if this "
                               "repeats, tell your IT service desk.")
                                .arg(QString::fromStdString(s.error().message));
            return out;
        },
        [this](Out out) {
            m_loading = false;
            m_message = out.error;
            m_models = std::move(out.models);
            m_rules = std::move(out.rules);
            if (out.error.isEmpty())
                setRows(std::move(out.rows));
            emit loadingChanged();
        });
}

QString QaQueueModel::idAt(int row) const
{
    if (row < 0 || row >= count())
        return {};
    return QString::fromStdString(m_rows[m_shown[static_cast<std::size_t>(row)]].id);
}

void QaQueueModel::setRows(std::vector<QaRow> rows)
{
    m_rows = std::move(rows);
    applyFilters();
}

int QaQueueModel::highCount() const
{
    return static_cast<int>(
        std::count_if(m_rows.begin(), m_rows.end(), [](const QaRow& r) { return r.standing == RiskGrade::High; }));
}

bool QaQueueModel::passes(const QaRow& row) const
{
    if (!m_grade.isEmpty() && gradeText(row.standing) != m_grade)
        return false;
    if (!m_team.isEmpty() && QString::fromStdString(row.team) != m_team)
        return false;
    if (!m_officer.isEmpty() && QString::fromStdString(row.officer) != m_officer)
        return false;
    if (!m_find.trimmed().isEmpty()) {
        const QString needle = m_find.trimmed();
        const auto has = [&](const std::string& text) {
            return QString::fromStdString(text).contains(needle, Qt::CaseInsensitive);
        };
        if (!has(row.cad) && !has(row.cris) && !shortReference(QString::fromStdString(row.id)).contains(needle, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

void QaQueueModel::applyFilters()
{
    beginResetModel();
    m_shown.clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (passes(m_rows[i]))
            m_shown.push_back(i);
    }
    endResetModel();
    emit rowsChanged();
}

void QaQueueModel::setFilter(QString& filter, const QString& value)
{
    if (value == filter)
        return;
    filter = value;
    applyFilters();
    emit filterChanged();
}

void QaQueueModel::setGrade(const QString& grade) { setFilter(m_grade, grade); }

void QaQueueModel::setTeam(const QString& team) { setFilter(m_team, team); }

void QaQueueModel::setOfficer(const QString& officer) { setFilter(m_officer, officer); }

void QaQueueModel::setFind(const QString& find) { setFilter(m_find, find); }

namespace {

/// The distinct values of one field of the rows, sorted (a filter's choices).
QStringList distinct(const std::vector<QaRow>& rows, std::string QaRow::*field)
{
    QStringList out;
    for (const auto& r : rows) {
        const QString value = QString::fromStdString(r.*field);
        if (!value.isEmpty() && !out.contains(value))
            out << value;
    }
    out.sort();
    return out;
}

}  // namespace

QStringList QaQueueModel::teams() const { return distinct(m_rows, &QaRow::team); }

QStringList QaQueueModel::officers() const { return distinct(m_rows, &QaRow::officer); }

}  // namespace vigil::app
