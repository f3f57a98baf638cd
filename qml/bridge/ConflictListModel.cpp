#include "ConflictListModel.h"

#include "RecordsAccess.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

ConflictListModel::ConflictListModel(StoreWorker* worker, RecordsAccess* access, QObject* parent)
    : QAbstractListModel(parent), m_worker(worker), m_access(access)
{
}

int ConflictListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QString ConflictListModel::valueWords(const nlohmann::json& value)
{
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty()))
        return tr("(empty)");
    if (value.is_boolean())
        return value.get<bool>() ? tr("Yes") : tr("No");
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_array()) {
        QStringList parts;
        for (const auto& item : value)
            parts << valueWords(item);
        return parts.join(QStringLiteral(", "));
    }
    return QString::fromStdString(value.dump());
}

QVariant ConflictListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const Conflict& c = m_rows[static_cast<std::size_t>(index.row())];
    const auto who = [](const std::string& by) { return by.empty() ? tr("another device") : QString::fromStdString(by); };
    switch (role) {
    case IdRole: return QVariant::fromValue(c.id);
    case IncidentRole: return QString::fromStdString(c.incidentId);
    case ReferenceRole: return shortReference(QString::fromStdString(c.incidentId));
    case Qt::DisplayRole:
    case FieldRole: return QString::fromStdString(c.field);
    case ShownValueRole: return valueWords(c.keptValue);
    case ShownByRole: return who(c.keptBy);
    case ShownAtRole: return c.keptAt.empty() ? QString() : dateTimeWords(QString::fromStdString(c.keptAt));
    case OtherValueRole: return valueWords(c.lostValue);
    case OtherByRole: return who(c.lostBy);
    case OtherAtRole: return c.lostAt.empty() ? QString() : dateTimeWords(QString::fromStdString(c.lostAt));
    case CommandRole: return c.kind == ConflictKind::Command;
    default: return {};
    }
}

QHash<int, QByteArray> ConflictListModel::roleNames() const
{
    return {{IdRole, "conflictId"},       {IncidentRole, "incidentId"},   {ReferenceRole, "reference"},
            {FieldRole, "field"},         {ShownValueRole, "shownValue"}, {ShownByRole, "shownBy"},
            {ShownAtRole, "shownAt"},     {OtherValueRole, "otherValue"}, {OtherByRole, "otherBy"},
            {OtherAtRole, "otherAt"},     {CommandRole, "command"}};
}

void ConflictListModel::setRows(std::vector<Conflict> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    emit rowsChanged();
}

void ConflictListModel::refresh()
{
    if (!m_worker || !m_access || m_busy)
        return;
    m_busy = true;
    emit busyChanged();
    RecordsAccess* access = m_access;
    struct Out {
        std::vector<Conflict> rows;
        QString error;
    };
    m_worker->run(
        this,
        [access] {
            Out out;
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                auto rows = store.conflicts();
                if (!rows)
                    return std::move(rows).error();
                out.rows = std::move(rows).value();
                return {};
            });
            if (!s.ok())
                out.error = tr("The conflicts could not be read: %1. Lock Vigil, unlock it and open the list again; if "
                               "this repeats, tell your IT service desk.")
                                .arg(QString::fromStdString(s.error().message));
            return out;
        },
        [this](Out out) {
            m_busy = false;
            m_message = out.error;
            if (out.error.isEmpty())
                setRows(std::move(out.rows));
            emit busyChanged();
        });
}

void ConflictListModel::resolve(int row, const QString& choice)
{
    if (!m_worker || !m_access || m_busy || row < 0 || row >= count())
        return;
    const std::int64_t id = m_rows[static_cast<std::size_t>(row)].id;
    const ConflictChoice decided = choice == QLatin1String("other") ? ConflictChoice::UseOther : ConflictChoice::KeepShown;
    m_busy = true;
    emit busyChanged();
    RecordsAccess* access = m_access;
    m_worker->run(
        this,
        [access, id, decided] {
            Status s = access->withRecords(
                [&](RecordStore& store) { return store.resolveConflict(access->actor(), id, decided); });
            if (s.ok())
                access->changed();
            return s.ok() ? QString() : tr("Not resolved: %1").arg(QString::fromStdString(s.error().message));
        },
        [this](QString error) {
            m_busy = false;
            m_message = error;
            emit busyChanged();
            if (error.isEmpty())
                emit resolved();
            refresh();
        });
}

}  // namespace vigil::app
