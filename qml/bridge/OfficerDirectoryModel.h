#pragma once

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include <vector>

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The people a supervisor may allocate an investigation to (issue 23): the active officers,
/// investigators and supervisors in the supervisor's scope, as the server last listed them
/// (GET /v1/directory, fetched by the sync engine and kept in the encrypted store), so the
/// desk can allocate offline. Filtered as the supervisor types a name, a user id or a team.
class OfficerDirectoryModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The officer directory belongs to the desk")
    Q_PROPERTY(int count READ count NOTIFY rowsChanged)
    /// Every person in the list, before filtering.
    Q_PROPERTY(int total READ total NOTIFY rowsChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY rowsChanged)
    /// When the list came from the server, in words ("" when never).
    Q_PROPERTY(QString fetchedWords READ fetchedWords NOTIFY rowsChanged)
    /// What is wrong, or why the list is empty, in words ("" when it has people).
    Q_PROPERTY(QString message READ message NOTIFY rowsChanged)

public:
    enum Role { UserIdRole = Qt::UserRole + 1, NameRole, RoleWordsRole, TeamRole, ClearedRole };
    Q_ENUM(Role)

    struct Person {
        QString id;
        QString name;
        QString role;  ///< officer | investigator | supervisor
        QString team;
        QString borough;
        bool cleared = false;  ///< cleared for restricted records
    };

    OfficerDirectoryModel(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// Read the kept list again (after a sync).
    Q_INVOKABLE void refresh();
    /// The name shown for a user id ("" when not in the list).
    Q_INVOKABLE QString nameOf(const QString& userId) const;

    /// The list as the server gave it (a JSON array of users), and when ("" for never).
    void setList(const std::string& usersJson, const QString& fetchedAtIso, const QString& error = {});
    [[nodiscard]] int count() const { return static_cast<int>(m_shown.size()); }
    [[nodiscard]] int total() const { return static_cast<int>(m_all.size()); }
    [[nodiscard]] QString filter() const { return m_filter; }
    void setFilter(const QString& filter);
    [[nodiscard]] QString fetchedWords() const;
    [[nodiscard]] QString message() const;

signals:
    void rowsChanged();

private:
    void applyFilter();

    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    std::vector<Person> m_all;    ///< by name
    std::vector<int> m_shown;     ///< indexes into m_all matching the filter
    QString m_filter;
    QString m_fetchedAt;
    QString m_error;
    bool m_busy = false;
};

}  // namespace vigil::app
