#pragma once

#include <memory>

#include <QObject>
#include <QString>
#include <QVariantList>
#include <qqmlintegration.h>

#include "core/risk/RulesConfig.h"

namespace vigil::app {

class IncidentEditor;
class RecordsAccess;
class StoreWorker;

/// The supervision log of the 124D open on screen (issue 23 item 4), beside the review: each
/// QA decision, review of the investigation and final risk review (who, when, the risk, the
/// notes), when the next review is due and who it is asked of, and "record a review" for a
/// supervisor. The cadence is the core's (nextReviewDue); the log is append-only, on the
/// server too. Follows the editor: read again whenever a 124D opens or changes state.
class SupervisionPanel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The supervision panel belongs to Draft")

    /// Oldest first: [{kind, title, at, by, level, risk, notes, sections, nextDue}] in words.
    Q_PROPERTY(QVariantList entries READ entries NOTIFY changed)
    /// "Review due by 08/12/2026 10:00: 7 days after it was approved", or "" when none is due.
    Q_PROPERTY(QString due READ due NOTIFY changed)
    Q_PROPERTY(bool overdue READ overdue NOTIFY changed)
    /// "Overdue by 2 days", "Due in 5 hours", or "".
    Q_PROPERTY(QString dueIn READ dueIn NOTIFY changed)
    /// supervisor | inspector | chief_inspector: who the next review is asked of ("" when none).
    Q_PROPERTY(QString dueLevel READ dueLevel NOTIFY changed)
    /// The signed-in supervisor may record a review now.
    Q_PROPERTY(bool mayReview READ mayReview NOTIFY changed)
    Q_PROPERTY(bool saving READ saving NOTIFY savingChanged)
    /// The outcome of the last "record a review", in words.
    Q_PROPERTY(QString message READ message NOTIFY savingChanged)

public:
    SupervisionPanel(StoreWorker& worker, RecordsAccess& access, IncidentEditor& editor, QObject* parent = nullptr);

    /// Read the open 124D's log and cadence again.
    Q_INVOKABLE void refresh();
    /// Log a review of the investigation: the level it is made at, the risk as re-assessed
    /// (high | medium | standard) and what was reviewed. Refused in words without notes or a
    /// risk, or when no review is due (a draft, closed).
    Q_INVOKABLE void recordReview(const QString& level, const QString& risk, const QString& notes);

    [[nodiscard]] QVariantList entries() const { return m_entries; }
    [[nodiscard]] QString due() const { return m_due; }
    [[nodiscard]] bool overdue() const { return m_overdue; }
    [[nodiscard]] QString dueIn() const { return m_dueIn; }
    [[nodiscard]] QString dueLevel() const { return m_dueLevel; }
    [[nodiscard]] bool mayReview() const { return m_mayReview; }
    [[nodiscard]] bool saving() const { return m_saving; }
    [[nodiscard]] QString message() const { return m_message; }

signals:
    void changed();
    void savingChanged();
    /// A review was logged (the desk's list of reviews due reads again).
    void recorded();

private:
    struct Read;
    void apply(const Read& read);
    void clear();

    StoreWorker& m_worker;
    RecordsAccess& m_access;
    IncidentEditor& m_editor;
    std::shared_ptr<const RulesConfig> m_rules;
    quint64 m_generation = 0;
    std::string m_incidentId;  ///< the 124D shown
    QVariantList m_entries;
    QString m_due, m_dueIn, m_dueLevel, m_message;
    bool m_overdue = false;
    bool m_mayReview = false;
    bool m_saving = false;
};

}  // namespace vigil::app
