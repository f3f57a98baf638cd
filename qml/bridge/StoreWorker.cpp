#include "StoreWorker.h"

#include <QCoreApplication>

namespace vigil::app {

StoreWorker::StoreWorker()
{
    m_thread.setObjectName(QStringLiteral("vigil-store"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

StoreWorker::~StoreWorker() { shutdown(); }

void StoreWorker::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void StoreWorker::shutdown()
{
    if (!m_thread.isRunning())
        return;
    m_thread.quit();  // runs after everything already queued
    while (!m_thread.wait(10))
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
}

}  // namespace vigil::app
