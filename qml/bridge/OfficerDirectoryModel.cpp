#include "OfficerDirectoryModel.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "RecordsAccess.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

namespace {
QString text(const nlohmann::json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}
}  // namespace

OfficerDirectoryModel::OfficerDirectoryModel(StoreWorker* worker, RecordsAccess* access, QObject* parent)
    : QAbstractListModel(parent), m_worker(worker), m_access(access)
{
}

int OfficerDirectoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant OfficerDirectoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const Person& p = m_all[static_cast<std::size_t>(m_shown[static_cast<std::size_t>(index.row())])];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return p.name.isEmpty() ? p.id : p.name;
    case UserIdRole: return p.id;
    case RoleWordsRole:
        return p.role == QLatin1String("investigator") ? tr("Investigator")
             : p.role == QLatin1String("supervisor")   ? tr("Supervisor")
                                                       : tr("Officer");
    case TeamRole: return p.team.isEmpty() ? p.borough : tr("%1, %2").arg(p.team, p.borough);
    case ClearedRole: return p.cleared;
    default: return {};
    }
}

QHash<int, QByteArray> OfficerDirectoryModel::roleNames() const
{
    return {{UserIdRole, "userId"}, {NameRole, "name"}, {RoleWordsRole, "roleWords"}, {TeamRole, "team"},
            {ClearedRole, "cleared"}};
}

void OfficerDirectoryModel::setList(const std::string& usersJson, const QString& fetchedAtIso, const QString& error)
{
    std::vector<Person> people;
    const auto list = nlohmann::json::parse(usersJson.empty() ? std::string("[]") : usersJson, nullptr, false);
    if (list.is_array()) {
        for (const auto& u : list) {
            if (!u.is_object())
                continue;
            Person p{text(u, "id"), text(u, "display_name"), text(u, "role"), text(u, "team"), text(u, "borough"),
                     u.value("restricted_clearance", false)};
            if (!p.id.isEmpty())
                people.push_back(std::move(p));
        }
    }
    // Investigators first (they usually take the case), then by name.
    std::stable_sort(people.begin(), people.end(), [](const Person& a, const Person& b) {
        const bool ai = a.role == QLatin1String("investigator"), bi = b.role == QLatin1String("investigator");
        if (ai != bi)
            return ai;
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    m_all = std::move(people);
    m_fetchedAt = fetchedAtIso;
    m_error = error;
    applyFilter();
}

void OfficerDirectoryModel::setFilter(const QString& filter)
{
    if (filter.trimmed() == m_filter)
        return;
    m_filter = filter.trimmed();
    applyFilter();
}

void OfficerDirectoryModel::applyFilter()
{
    beginResetModel();
    m_shown.clear();
    for (std::size_t i = 0; i < m_all.size(); ++i) {
        const Person& p = m_all[i];
        if (m_filter.isEmpty() || p.name.contains(m_filter, Qt::CaseInsensitive) || p.id.contains(m_filter, Qt::CaseInsensitive)
            || p.team.contains(m_filter, Qt::CaseInsensitive))
            m_shown.push_back(static_cast<int>(i));
    }
    endResetModel();
    emit rowsChanged();
}

QString OfficerDirectoryModel::nameOf(const QString& userId) const
{
    for (const Person& p : m_all)
        if (p.id == userId)
            return p.name.isEmpty() ? p.id : p.name;
    return {};
}

QString OfficerDirectoryModel::fetchedWords() const
{
    return m_fetchedAt.isEmpty() ? QString() : tr("List of officers from the server, %1").arg(dateTimeWords(m_fetchedAt));
}

QString OfficerDirectoryModel::message() const
{
    if (!m_error.isEmpty())
        return m_error;
    if (m_fetchedAt.isEmpty())
        return tr("The list of officers arrives with this device's next sync. Connect to the network and sync, then "
                  "choose the officer in the case.");
    if (m_all.empty())
        return tr("The server lists nobody you can allocate to. Ask your administrator to check your scope.");
    if (m_shown.empty())
        return tr("Nobody in the list matches \"%1\". Try part of the name, the user id or the team.").arg(m_filter);
    return {};
}

void OfficerDirectoryModel::refresh()
{
    if (!m_worker || !m_access || m_busy)
        return;
    m_busy = true;
    RecordsAccess* access = m_access;
    struct Out {
        std::string list;
        QString at;
        QString error;
    };
    m_worker->run(
        this,
        [access] {
            Out out;
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                auto list = store.directory();
                if (!list)
                    return std::move(list).error();
                auto at = store.directoryFetchedAt();
                if (!at)
                    return std::move(at).error();
                out.list = std::move(list).value();
                out.at = QString::fromStdString(*at);
                return {};
            });
            if (!s.ok())
                out.error = tr("The list of officers could not be read: %1. Lock Vigil and unlock it; if this "
                               "repeats, tell your IT service desk.")
                                .arg(QString::fromStdString(s.error().message));
            return out;
        },
        [this](Out out) {
            m_busy = false;
            setList(out.list, out.at, out.error);
        });
}

}  // namespace vigil::app
