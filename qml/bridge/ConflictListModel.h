#pragma once

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include "core/records/RecordStore.h"

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The kept conflicts on the device, unresolved (issue 23): the same field written on two
/// devices without either seeing the other. Sync kept one value and this list keeps the other,
/// with who wrote each and when; a supervisor keeps the shown value or takes the other
/// (RecordStore::resolveConflict, which the server accepts only from a supervisor).
class ConflictListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The conflict list belongs to AppController")
    Q_PROPERTY(int count READ count NOTIFY rowsChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// What went wrong with the last read or decision, in words ("" when nothing).
    Q_PROPERTY(QString message READ message NOTIFY busyChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        IncidentRole,
        ReferenceRole,
        FieldRole,
        ShownValueRole,
        ShownByRole,
        ShownAtRole,
        OtherValueRole,
        OtherByRole,
        OtherAtRole,
        CommandRole,
    };
    Q_ENUM(Role)

    ConflictListModel(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// Read the unresolved conflicts again.
    Q_INVOKABLE void refresh();
    /// The supervisor's decision on the conflict at `row`: "keep" the shown value, or take the
    /// "other". The list is read again after it.
    Q_INVOKABLE void resolve(int row, const QString& choice);

    void setRows(std::vector<Conflict> rows);
    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString message() const { return m_message; }

    /// A stored value as a person reads it ("Yes", "No", "(empty)", the text, a list joined).
    [[nodiscard]] static QString valueWords(const nlohmann::json& value);

signals:
    void rowsChanged();
    void busyChanged();
    /// A decision was written (the sync engine sends it; other lists may change).
    void resolved();

private:
    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    std::vector<Conflict> m_rows;
    bool m_busy = false;
    QString m_message;
};

}  // namespace vigil::app
