#pragma once

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include <vector>

#include "core/records/CaseRepository.h"

namespace vigil::app {

/// A caseload (issue 24): an IDVA's referred victims, or the victims of the investigations
/// allocated to an officer in the case; overdue and due-today first, then High risk first.
class CaseloadModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The caseload belongs to Casework")
    Q_PROPERTY(int count READ count NOTIFY rowsChanged)
    Q_PROPERTY(int overdueCount READ overdueCount NOTIFY rowsChanged)
    Q_PROPERTY(int dueTodayCount READ dueTodayCount NOTIFY rowsChanged)
    /// What went wrong, or why the list is empty, in words.
    Q_PROPERTY(QString message READ message NOTIFY rowsChanged)

public:
    enum Role {
        CaseIdRole = Qt::UserRole + 1,
        VictimRole,
        ReferenceRole,
        StatusRole,
        RiskRole,
        RiskWordsRole,
        DueWordsRole,
        OverdueRole,
        DueTodayRole,
        LastContactRole,
        SafeSummaryRole,
        KindRole,
        SourceRole,
    };
    Q_ENUM(Role)

    explicit CaseloadModel(QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE QString idAt(int row) const;

    void setRows(std::vector<CaseloadEntry> rows, std::chrono::sys_seconds now, const QString& error = {});
    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] int overdueCount() const;
    [[nodiscard]] int dueTodayCount() const;
    [[nodiscard]] QString message() const;

    /// "Phone, email · weekdays 10:00–15:00 · NOT text, voicemail, visit": the safe-contact rules in a line.
    [[nodiscard]] static QString safeSummary(const SafeContact& answers);
    /// "Due in 5 hours", "Overdue by 2 days".
    [[nodiscard]] static QString dueInWords(std::chrono::sys_seconds at, std::chrono::sys_seconds now);
    /// "Due in 5 hours: first contact attempt", "Overdue by 2 days: next contact".
    [[nodiscard]] static QString dueWords(std::optional<std::chrono::sys_seconds> at, const std::string& what,
                                          std::chrono::sys_seconds now);

signals:
    void rowsChanged();

private:
    std::vector<CaseloadEntry> m_rows;
    std::chrono::sys_seconds m_now{};
    QString m_error;
};

}  // namespace vigil::app
