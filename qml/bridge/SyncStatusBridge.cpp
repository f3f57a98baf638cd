#include "SyncStatusBridge.h"

#include <QDateTime>
#include <QJSEngine>
#include <QStringList>

#include "AppController.h"
#include "StoreWorker.h"
#include "WorkerState.h"

namespace vigil::app {

SyncStatusBridge::SyncStatusBridge(StoreWorker& worker, WorkerState& state, QObject* parent)
    : QObject(parent), m_worker(worker), m_workerState(state), m_text(tr("Locked: sync paused"))
{
}

SyncStatusBridge* SyncStatusBridge::create(QQmlEngine*, QJSEngine*)
{
    auto* self = AppController::instance()->syncStatus();
    QJSEngine::setObjectOwnership(self, QJSEngine::CppOwnership);
    return self;
}

void SyncStatusBridge::syncNow()
{
    WorkerState* state = &m_workerState;
    m_worker.post([state] {
        if (state->engine)
            state->engine->syncNow();
    });
}

void SyncStatusBridge::setOnline(bool online)
{
    WorkerState* state = &m_workerState;
    m_worker.post([state, online] {
        if (state->engine)
            state->engine->connectivityChanged(online);
    });
}

void SyncStatusBridge::stop(const QString& why)
{
    m_accepting = false;
    m_state = QStringLiteral("stopped");
    m_text = why;
    m_detail.clear();
    emit changed();
}

void SyncStatusBridge::apply(const sync::SyncStatus& status)
{
    if (!m_accepting)
        return;  // a late report from an engine closing after a lock
    if (status.wipeOrdered)
        emit wipeOrdered();
    const bool wasSyncing = m_state == QLatin1String("syncing");
    m_state = QString::fromUtf8(sync::toString(status.state).data());
    m_queued = static_cast<int>(status.queued);
    m_credentialExpired = status.credentialExpired;
    const int queued = m_queued;
    QString at;
    if (!status.lastSyncedAt.empty()) {
        const QDateTime when = QDateTime::fromString(QString::fromStdString(status.lastSyncedAt), Qt::ISODate).toLocalTime();
        at = when.date() == QDate::currentDate() ? when.toString(QStringLiteral("HH:mm"))
                                                 : when.toString(QStringLiteral("d MMM HH:mm"));
    }
    switch (status.state) {
    case sync::SyncStatus::State::Syncing: m_text = tr("Syncing…"); break;
    case sync::SyncStatus::State::Offline:
        m_text = queued > 0 ? tr("Offline: %n change(s) waiting", nullptr, queued) : tr("Offline");
        break;
    case sync::SyncStatus::State::Failed:
        m_text = queued > 0 ? tr("Not sent: %n change(s) waiting", nullptr, queued) : tr("Sync failed");
        break;
    case sync::SyncStatus::State::Idle:
        if (queued > 0)
            m_text = tr("%n change(s) waiting", nullptr, queued);
        else
            m_text = at.isEmpty() ? tr("Not synced yet") : tr("Synced at %1").arg(at);
        break;
    case sync::SyncStatus::State::Stopped: m_text = tr("Sync paused"); break;
    }
    QStringList detail;
    if (status.lastError)
        detail << QString::fromStdString(status.lastError->message);
    if (status.rejected > 0) {
        detail << tr("%n change(s) were refused by the server and are kept on this device; your supervisor can see why.",
                     nullptr, static_cast<int>(status.rejected));
    }
    detail << (at.isEmpty() ? tr("This device has not completed a sync yet.") : tr("Last complete sync: %1.").arg(at));
    if (status.nextAttemptIn && status.state != sync::SyncStatus::State::Syncing) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*status.nextAttemptIn).count();
        detail << tr("Vigil will try again by itself in %n second(s); \"Sync now\" tries at once.", nullptr,
                     static_cast<int>(seconds));
    }
    m_detail = detail.join(QLatin1Char('\n'));
    emit changed();
    if (wasSyncing && status.state != sync::SyncStatus::State::Syncing)
        emit finished();
}

}  // namespace vigil::app
