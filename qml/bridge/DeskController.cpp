#include "DeskController.h"

#include <QJSEngine>

#include "AppController.h"

namespace vigil::app {

DeskController::DeskController(StoreWorker& worker, RecordsAccess& access, const QString& settingsFile, QObject* parent)
    : QObject(parent),
      m_qaQueue(new QaQueueModel(&worker, &access, this)),
      m_conflicts(new ConflictListModel(&worker, &access, this)),
      m_reviewsDue(new ReviewsDueModel(&worker, &access, this)),
      m_returns(new ReturnsReport(&worker, &access, settingsFile, this)),
      m_riskMeeting(new RiskMeetingModel(&worker, &access, this)),
      m_officers(new OfficerDirectoryModel(&worker, &access, this)),
      m_figures(new FiguresReport(&worker, &access, this))
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
    m_reviewsDue->refresh();
    m_returns->refresh();
    m_riskMeeting->refresh();
    m_officers->refresh();
    m_figures->recordsChanged();
}

void DeskController::clear()
{
    m_qaQueue->setRows({});
    m_conflicts->setRows({});
    m_reviewsDue->setRows({});
    m_returns->setReport({}, {});
    m_riskMeeting->clear();
    m_officers->setList({}, {});
    m_figures->clear();
}

}  // namespace vigil::app
