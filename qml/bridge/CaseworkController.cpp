#include "CaseworkController.h"

#include <QJSEngine>

#include "AppController.h"
#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"

namespace vigil::app {

CaseworkController::CaseworkController(StoreWorker& worker, RecordsAccess& access, QString adminCalendar, QObject* parent)
    : QObject(parent), m_worker(worker), m_access(access), m_adminCalendar(std::move(adminCalendar)),
      m_caseload(new CaseloadModel(this)), m_current(new CaseView(&worker, &access, this)),
      m_reassessment(new CaseReassessment(m_current, this))
{
    connect(m_current, &CaseView::saved, this, &CaseworkController::refresh);
}

CaseworkController* CaseworkController::create(QQmlEngine*, QJSEngine*)
{
    auto* self = AppController::instance()->casework();
    QJSEngine::setObjectOwnership(self, QJSEngine::CppOwnership);
    return self;
}

void CaseworkController::refresh()
{
    if (m_busy)
        return;
    m_busy = true;
    emit busyChanged();
    RecordsAccess* access = &m_access;
    auto heldRules = m_rules;
    auto heldCalendar = m_calendar;
    auto heldOrders = m_orderRules;
    auto heldModels = m_reassessment->models();
    const std::optional<std::filesystem::path> admin =
        m_adminCalendar.isEmpty() ? std::nullopt : std::optional(std::filesystem::path(m_adminCalendar.toStdString()));
    struct Out {
        std::vector<CaseloadEntry> rows;
        std::shared_ptr<const VictimsCodeRules> rules;
        std::shared_ptr<const BankHolidayChoice> calendar;
        std::shared_ptr<const OrdersRules> orders;
        std::shared_ptr<const RiskModelRegistry> models;  ///< the checklists a re-assessment asks
        std::chrono::sys_seconds now{};
        QString error;
    };
    m_worker.run(
        this,
        [access, heldRules, heldCalendar, heldOrders, heldModels, admin] {
            Out out;
            out.rules = shippedVictimsCode(heldRules);
            out.orders = shippedOrdersRules(heldOrders);
            out.models = shippedModels(heldModels);
            out.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            bool unreadable = false;
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                // The newest bank-holiday list: a sync may have brought one from the server.
                out.calendar = currentCalendar(heldCalendar, admin, store);
                if (!out.rules || !out.calendar || !out.orders) {
                    unreadable = true;
                    return {};
                }
                auto rows = CaseRepository(store).caseload(access->actor().userId, access->role(), *out.rules,
                                                           out.calendar->calendar, out.now, *out.orders);
                if (!rows)
                    return std::move(rows).error();
                out.rows = std::move(rows).value();
                return {};
            });
            if (unreadable)
                out.error = tr("The Victims' Code deadlines, the order rules or the bank-holiday list could not be "
                               "read. Reinstall Vigil, or tell your administrator.");
            else if (!s.ok())
                out.error = tr("The caseload could not be read: %1. Lock Vigil and unlock it; if this repeats, tell "
                               "your IT service desk.").arg(QString::fromStdString(s.error().message));
            return out;
        },
        [this](Out out) {
            m_busy = false;
            if (out.rules)
                m_rules = out.rules;
            if (out.calendar)
                m_calendar = out.calendar;
            if (out.orders)
                m_orderRules = out.orders;
            m_current->setRules(m_rules, m_calendar, m_orderRules);
            if (out.models)
                m_reassessment->setModels(out.models);
            m_caseload->setRows(std::move(out.rows), out.now, out.error);
            emit busyChanged();
        });
}

void CaseworkController::clear()
{
    m_current->close();
    m_caseload->setRows({}, {});
}

}  // namespace vigil::app
