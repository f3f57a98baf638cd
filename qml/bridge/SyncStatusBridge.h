#pragma once

#include <QObject>
#include <QString>
#include <qqmlintegration.h>

#include "sync/client/SyncEngine.h"

class QQmlEngine;
class QJSEngine;

namespace vigil::app {

class StoreWorker;
struct WorkerState;

/// The sync indicator (QML singleton `SyncStatus`): the engine's reports in words, and the
/// "Sync now" and connectivity inputs. Reports count only while the session accepts them
/// (between unlock and lock); a late report from an engine closing after a lock is dropped.
class SyncStatusBridge : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(SyncStatus)
    QML_SINGLETON

    /// offline | idle | syncing | failed | stopped
    Q_PROPERTY(QString state READ state NOTIFY changed)
    /// One short line for the indicator: "Offline: 3 changes waiting", "Synced at 14:32".
    Q_PROPERTY(QString text READ text NOTIFY changed)
    /// The full story for the details popup (the error in words, refused changes).
    Q_PROPERTY(QString detail READ detail NOTIFY changed)
    Q_PROPERTY(int queued READ queued NOTIFY changed)
    /// The server said this device's sign-in expired: the details offer to enter a new code.
    Q_PROPERTY(bool credentialExpired READ credentialExpired NOTIFY changed)

public:
    SyncStatusBridge(StoreWorker& worker, WorkerState& state, QObject* parent = nullptr);

    /// QML's singleton: the session's (AppController's) instance.
    static SyncStatusBridge* create(QQmlEngine* qml, QJSEngine* js);

    Q_INVOKABLE void syncNow();
    /// The sync engine's connectivity input (the screenshot mode and tests drive it too).
    Q_INVOKABLE void setOnline(bool online);

    /// Start taking the engine's reports (after unlock).
    void accept() { m_accepting = true; }
    /// Stop taking reports and show `why` sync is not running ("Locked: sync paused").
    void stop(const QString& why);
    /// A report from the engine (queued onto the GUI thread).
    void apply(const sync::SyncStatus& status);

    [[nodiscard]] QString state() const { return m_state; }
    [[nodiscard]] QString text() const { return m_text; }
    [[nodiscard]] QString detail() const { return m_detail; }
    [[nodiscard]] int queued() const { return m_queued; }
    [[nodiscard]] bool credentialExpired() const { return m_credentialExpired; }

signals:
    void changed();
    /// The server ordered this device wiped (the session checks and wipes).
    void wipeOrdered();
    /// A sync round ended: pulled records and sent changes are in the store.
    void finished();

private:
    StoreWorker& m_worker;
    WorkerState& m_workerState;
    bool m_accepting = false;
    QString m_state = QStringLiteral("stopped");
    QString m_text;
    QString m_detail;
    int m_queued = 0;
    bool m_credentialExpired = false;
};

}  // namespace vigil::app
