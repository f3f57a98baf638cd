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
    // Once shutdown() has begun the thread takes nothing more: its context object is deleted
    // when the thread finishes, so a job handed over then (a list refreshed by a signal still
    // queued at exit) would be invoked on a deleted object. A job dropped here would have found
    // no thread to run it on either.
    if (m_stopping.load())
        return;
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void StoreWorker::shutdown()
{
    if (!m_stopping.exchange(true)) {
        // The quit is queued behind every job already posted, so those all run first.
        QThread* thread = &m_thread;
        QMetaObject::invokeMethod(m_context, [thread] { thread->quit(); }, Qt::QueuedConnection);
    }
    while (!m_thread.wait(10))
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
}

}  // namespace vigil::app
