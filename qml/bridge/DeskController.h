#pragma once

#include <QObject>
#include <qqmlintegration.h>

#include "ConflictListModel.h"
#include "FiguresReport.h"
#include "OfficerDirectoryModel.h"
#include "QaQueueModel.h"
#include "ReviewsDueModel.h"
#include "RiskMeetingModel.h"

class QQmlEngine;
class QJSEngine;

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The supervisor's desk (QML singleton `Desk`, issue 23): the QA queue, the reviews due, the
/// QA returns per officer and the kept conflicts, read on the store worker. They follow the records: read again after every
/// refresh of the home list (a sync, a decision) while a supervisor is signed in, and emptied
/// when the app locks.
class DeskController : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Desk)
    QML_SINGLETON

    /// The submitted 124Ds on the device, High first.
    Q_PROPERTY(QaQueueModel* qaQueue READ qaQueue CONSTANT)
    /// Kept conflicts to settle.
    Q_PROPERTY(ConflictListModel* conflicts READ conflicts CONSTANT)
    /// Investigations due a review, the overdue first.
    Q_PROPERTY(ReviewsDueModel* reviewsDue READ reviewsDue CONSTANT)
    /// QA decisions per officer, and every return.
    Q_PROPERTY(ReturnsReport* returns READ returns CONSTANT)
    /// The daily risk management meeting: High risk of the last 24 hours, outstanding suspects.
    Q_PROPERTY(RiskMeetingModel* riskMeeting READ riskMeeting CONSTANT)
    /// Who an investigation can be allocated to (the officer in the case).
    Q_PROPERTY(OfficerDirectoryModel* officers READ officers CONSTANT)
    /// The dashboard: the figures of the records on the device for a period (issue 25).
    Q_PROPERTY(FiguresReport* figures READ figures CONSTANT)

public:
    /// `settingsFile`: where the desk keeps when the supervisor last looked at the returns.
    DeskController(StoreWorker& worker, RecordsAccess& access, const QString& settingsFile, QObject* parent = nullptr);

    /// QML's singleton: the session's (AppController's) instance.
    static DeskController* create(QQmlEngine* qml, QJSEngine* js);

    /// Read everything on the desk again (a supervisor only: the caller checks the role).
    void refresh();
    /// Forget everything shown (locked or wiped).
    void clear();

    [[nodiscard]] QaQueueModel* qaQueue() { return m_qaQueue; }
    [[nodiscard]] ConflictListModel* conflicts() { return m_conflicts; }
    [[nodiscard]] ReviewsDueModel* reviewsDue() { return m_reviewsDue; }
    [[nodiscard]] ReturnsReport* returns() { return m_returns; }
    [[nodiscard]] RiskMeetingModel* riskMeeting() { return m_riskMeeting; }
    [[nodiscard]] OfficerDirectoryModel* officers() { return m_officers; }
    [[nodiscard]] FiguresReport* figures() { return m_figures; }

signals:
    /// A decision on the desk changed the records (the home list reads them again).
    void recordsChanged();

private:
    QaQueueModel* m_qaQueue = nullptr;         ///< child of this
    ConflictListModel* m_conflicts = nullptr;  ///< child of this
    ReviewsDueModel* m_reviewsDue = nullptr;   ///< child of this
    ReturnsReport* m_returns = nullptr;        ///< child of this
    RiskMeetingModel* m_riskMeeting = nullptr; ///< child of this
    OfficerDirectoryModel* m_officers = nullptr;  ///< child of this
    FiguresReport* m_figures = nullptr;        ///< child of this
};

}  // namespace vigil::app
