#pragma once

#include <QObject>
#include <qqmlintegration.h>

#include "CaseReassessment.h"
#include "CaseView.h"
#include "CaseloadModel.h"

class QQmlEngine;
class QJSEngine;

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// Victim casework (QML singleton `Casework`, issue 24): the caseload of an IDVA or an officer
/// in the case, and the case open on screen. The caseload follows the records: read again
/// after every refresh of the home list (a sync, a change) while a caseworker is signed in.
class CaseworkController : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Casework)
    QML_SINGLETON
    Q_PROPERTY(CaseloadModel* caseload READ caseload CONSTANT)
    Q_PROPERTY(CaseView* current READ current CONSTANT)
    /// Re-assessing the risk of the victim of the case open on screen.
    Q_PROPERTY(CaseReassessment* reassessment READ reassessment CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

public:
    /// `adminCalendar`: where an administrator may place a newer bank-holiday list.
    CaseworkController(StoreWorker& worker, RecordsAccess& access, QString adminCalendar, QObject* parent = nullptr);
    static CaseworkController* create(QQmlEngine* qml, QJSEngine* js);

    /// Read the caseload again (an IDVA, an investigator or a supervisor: the caller checks).
    Q_INVOKABLE void refresh();
    void clear();

    [[nodiscard]] CaseloadModel* caseload() { return m_caseload; }
    [[nodiscard]] CaseView* current() { return m_current; }
    [[nodiscard]] CaseReassessment* reassessment() { return m_reassessment; }
    [[nodiscard]] bool busy() const { return m_busy; }

signals:
    void busyChanged();

private:
    StoreWorker& m_worker;
    RecordsAccess& m_access;
    QString m_adminCalendar;
    CaseloadModel* m_caseload = nullptr;  ///< child of this
    CaseView* m_current = nullptr;        ///< child of this
    CaseReassessment* m_reassessment = nullptr;  ///< child of this
    std::shared_ptr<const VictimsCodeRules> m_rules;
    std::shared_ptr<const BankHolidayChoice> m_calendar;
    std::shared_ptr<const OrdersRules> m_orderRules;
    bool m_busy = false;
};

}  // namespace vigil::app
