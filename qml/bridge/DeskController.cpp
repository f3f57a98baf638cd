#include "DeskController.h"

#include <QJSEngine>

#include "AppController.h"

namespace vigil::app {

DeskController::DeskController(StoreWorker& worker, RecordsAccess& access, QObject* parent)
    : QObject(parent),
      m_qaQueue(new QaQueueModel(&worker, &access, this)),
      m_conflicts(new ConflictListModel(&worker, &access, this))
{
    connect(m_conflicts, &ConflictListModel::resolved, this, &DeskController::recordsChanged);
}

DeskController* DeskController::create(QQmlEngine*, QJSEngine*)
{
    auto* self = AppController::instance()->desk();
    QJSEngine::setObjectOwnership(self, QJSEngine::CppOwnership);
    return self;
}

void DeskController::refresh()
{
    m_qaQueue->refresh();
    m_conflicts->refresh();
}

void DeskController::clear()
{
    m_qaQueue->setRows({});
    m_conflicts->setRows({});
}

}  // namespace vigil::app
