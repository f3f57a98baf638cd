#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QVariantList>
#include <qqmlintegration.h>

#include "core/store/KeyVault.h"
#include "sync/client/SyncEngine.h"

class QQmlEngine;
class QJSEngine;

namespace vigil {
class SecretStore;
}

namespace vigil::app {

class StoreWorker;
struct WorkerState;
class RecordsAccess;
class SyncStatusBridge;
class HomeListController;
class DraftController;
class DeskController;
class AnalystReports;
class CaseworkController;

/// How the app is set up: where its data lives and how hard the KDF works. main() fills it
/// from the command line and the environment; tests fill it directly.
struct AppOptions {
    QString dataDir;                 ///< the store folder and settings live here
    std::string profile;             ///< names this app's entries in the OS key store
    KdfStrength kdf = KdfStrength::Moderate;
    UnlockPolicy policy;
    QString prefillCode;             ///< an enrolment code handed over by the run script
    sync::BackoffPolicy backoff;
};

/// The key-store profile for a data folder: "app-" + 16 hex of SHA-256(absolute path), so
/// two data folders (a demo and a real one, tests) never share key-store entries.
[[nodiscard]] std::string profileForDataDir(const QString& dataDir);

/// The session as QML sees it: which screen (enrol, set PIN, unlock, home), who is signed in,
/// the unlock state, auto-lock and wipe. It owns the store worker and the bridge objects for
/// the other concerns, each its own QML singleton: `SyncStatus` (the sync indicator), `Home`
/// (the officer's list), `Draft` (the 124D open on screen and its editor) and `Desk` (the
/// supervisor's queue and conflicts); it opens them on unlock and empties them on lock. It
/// owns nothing QML could block on: the store, the KDF and enrolment run on the store worker;
/// sync on its own Asio thread. The core decides (PIN rules, lockout, grades); this class
/// only carries the decisions to the screen, in words.
class AppController : public QObject {  // not final: QML_ELEMENT derives from it
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

    Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// The last refusal or failure for the screen showing, in words that say what to do.
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(QString prefillCode READ prefillCode CONSTANT)

    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY enrolmentChanged)
    Q_PROPERTY(QString serverPin READ serverPin NOTIFY enrolmentChanged)
    Q_PROPERTY(QString deviceId READ deviceId NOTIFY enrolmentChanged)
    Q_PROPERTY(QString userId READ userId NOTIFY enrolmentChanged)
    Q_PROPERTY(QString userName READ userName NOTIFY enrolmentChanged)
    Q_PROPERTY(QString userRole READ userRole NOTIFY enrolmentChanged)
    /// The user supervises (the server's role): the home screen opens on the QA queue.
    Q_PROPERTY(bool supervisor READ supervisor NOTIFY enrolmentChanged)
    /// An IDVA or an investigator: home opens on the caseload (victim casework).
    Q_PROPERTY(bool caseworker READ caseworker NOTIFY enrolmentChanged)
    /// An IDVA (a partner agency): no 124Ds of their own, only their caseload.
    Q_PROPERTY(bool idva READ idva NOTIFY enrolmentChanged)
    /// An analyst or administrator (issue 25): figures only, the Reports page, never casework.
    Q_PROPERTY(bool figuresOnly READ figuresOnly NOTIFY enrolmentChanged)
    Q_PROPERTY(QString userTeam READ userTeam NOTIFY enrolmentChanged)

    Q_PROPERTY(int failedAttempts READ failedAttempts NOTIFY unlockStatusChanged)
    Q_PROPERTY(int attemptsBeforeWipe READ attemptsBeforeWipe NOTIFY unlockStatusChanged)
    Q_PROPERTY(int lockoutSeconds READ lockoutSeconds NOTIFY unlockStatusChanged)
    /// 124Ds with changes the station has not received (known while locked: kept at lock).
    Q_PROPERTY(int unsentIncidents READ unsentIncidents NOTIFY unlockStatusChanged)
    /// The warning before the attempt that would erase the device, or "".
    Q_PROPERTY(QString wipeWarning READ wipeWarning NOTIFY unlockStatusChanged)

    Q_PROPERTY(int autoLockMinutes READ autoLockMinutes WRITE setAutoLockMinutes NOTIFY autoLockChanged)
    /// Seconds of inactivity before locking (the minutes setting × 60; tests set it lower).
    Q_PROPERTY(int autoLockSeconds READ autoLockSeconds WRITE setAutoLockSeconds NOTIFY autoLockChanged)
    /// The longest auto-lock the force's policy allows, in minutes (from the server, kept in the
    /// store; core/records/DevicePolicy.h's default until the first sync says).
    Q_PROPERTY(int autoLockMaxMinutes READ autoLockMaxMinutes NOTIFY autoLockChanged)

    /// Versions of Vigil and the libraries it stands on, with their licences.
    Q_PROPERTY(QVariantList about READ about CONSTANT)

public:
    enum class Stage { Starting, Enrol, SetPin, Unlock, Home, Wiped, Failed };
    Q_ENUM(Stage)

    /// `secrets` is the OS key store, used on this (the GUI) thread only.
    AppController(AppOptions options, SecretStore& secrets, QObject* parent = nullptr);
    ~AppController() override;

    /// QML's singleton: the instance main() (or the test setup) made.
    static AppController* create(QQmlEngine* qml, QJSEngine* js);
    static void setInstance(AppController* controller);
    /// The instance main() (or the test setup) made; the other singletons are its children.
    static AppController* instance();

    /// Find out which screen to show (enrolled? store set up?). Called once by main().
    void start();
    /// Close the store and stop every thread (the app is quitting).
    void shutdown();

    Q_INVOKABLE QVariantMap parseCode(const QString& text) const;
    Q_INVOKABLE void enrol(const QString& code, const QString& deviceName);
    /// The device's sign-in expired (the sync details say so): lock, and show the enrolment page
    /// so a new code can be entered. The device keeps its id, records and unsent changes.
    Q_INVOKABLE void enrolAgain();
    /// "" when the PIN is acceptable, else the rule it breaks.
    Q_INVOKABLE QString checkPin(const QString& pin) const;
    Q_INVOKABLE void setPin(const QString& pin, const QString& confirm);
    Q_INVOKABLE void unlock(const QString& pin);
    Q_INVOKABLE void lock();
    Q_INVOKABLE void clearMessage();

    /// Note user activity (the app's event filter calls this on every input event).
    void noteActivity();

    [[nodiscard]] Stage stage() const { return m_stage; }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] QString prefillCode() const { return m_options.prefillCode; }
    [[nodiscard]] QString serverAddress() const { return m_serverAddress; }
    [[nodiscard]] QString serverPin() const { return m_serverPin; }
    [[nodiscard]] QString deviceId() const { return m_deviceId; }
    [[nodiscard]] QString userId() const { return m_userId; }
    [[nodiscard]] QString userName() const { return m_userName; }
    [[nodiscard]] QString userRole() const { return m_userRole; }
    [[nodiscard]] bool supervisor() const { return m_supervisor; }
    [[nodiscard]] bool caseworker() const { return m_caseworker; }
    [[nodiscard]] bool idva() const { return m_idva; }
    [[nodiscard]] bool figuresOnly() const { return m_figuresOnly; }
    [[nodiscard]] QString userTeam() const { return m_userTeam; }
    [[nodiscard]] int failedAttempts() const { return m_failedAttempts; }
    [[nodiscard]] int attemptsBeforeWipe() const { return m_attemptsBeforeWipe; }
    [[nodiscard]] int lockoutSeconds() const;
    [[nodiscard]] int unsentIncidents() const { return m_unsentIncidents; }
    [[nodiscard]] QString wipeWarning() const;
    [[nodiscard]] int autoLockMinutes() const { return (m_autoLockSeconds + 59) / 60; }
    void setAutoLockMinutes(int minutes);
    [[nodiscard]] int autoLockSeconds() const { return m_autoLockSeconds; }
    void setAutoLockSeconds(int seconds);
    [[nodiscard]] int autoLockMaxMinutes() const;
    /// Read the administrator's policy from the store (after unlock and each sync) and apply it.
    void refreshPolicy();
    [[nodiscard]] SyncStatusBridge* syncStatus() { return m_sync; }
    [[nodiscard]] HomeListController* home() { return m_home; }
    [[nodiscard]] DraftController* draft() { return m_draft; }
    [[nodiscard]] DeskController* desk() { return m_desk; }
    [[nodiscard]] CaseworkController* casework() { return m_casework; }
    [[nodiscard]] AnalystReports* reports() { return m_reports; }
    [[nodiscard]] QVariantList about() const;

    // --- wipe (remote, ordered with vigil-admin; or chosen by the user in settings) ---
    /// Count the 124Ds not yet accepted by the server afresh (unsentIncidents), before the
    /// settings page asks the user to confirm a wipe.
    Q_INVOKABLE void countUnsent();
    /// The user chose to wipe this device: destroys its records and keys, tells the server.
    Q_INVOKABLE void wipeDevice();
    /// Ask the server whether this device must wipe itself (works while locked: it uses the
    /// device credential only). Runs at start, every minute while locked, and when a sync is
    /// refused with a wipe order. Tests call it to avoid waiting.
    Q_INVOKABLE void checkRemoteWipe();

signals:
    void stageChanged();
    void busyChanged();
    void messageChanged();
    void enrolmentChanged();
    void unlockStatusChanged();
    void autoLockChanged();
    /// The store closed after a lock (tests wait for it).
    void locked();
    /// A wipe check finished without wiping (tests wait for it): the reason in words, if any.
    void wipeChecked(const QString& result);

private:
    struct UnlockOutcome;

    void setStage(Stage stage);
    void setBusy(bool busy);
    void setMessage(const QString& message);
    void applyEnrolment();
    void applyUnlockStatus(const std::optional<UnlockStatus>& status);
    void afterUnlock(const UnlockOutcome& outcome);
    void restartIdleTimer();
    struct WipeResult;
    void runWipe(bool userChosen);
    void afterWipe(const WipeResult& result);

    AppOptions m_options;
    SecretStore& m_secrets;
    std::unique_ptr<SecretStore> m_workerSecrets;  ///< carries key-store calls to this thread
    std::unique_ptr<WorkerState> m_state;          ///< touched only on the worker thread
    std::unique_ptr<StoreWorker> m_worker;
    std::unique_ptr<RecordsAccess> m_access;   ///< the bridge objects' view of m_state (worker thread)
    SyncStatusBridge* m_sync = nullptr;        ///< child of this
    HomeListController* m_home = nullptr;      ///< child of this
    DraftController* m_draft = nullptr;        ///< child of this
    DeskController* m_desk = nullptr;          ///< child of this
    CaseworkController* m_casework = nullptr;  ///< child of this
    AnalystReports* m_reports = nullptr;       ///< child of this

    Stage m_stage = Stage::Starting;
    bool m_busy = false;
    QString m_message;
    QString m_serverAddress, m_serverPin, m_deviceId, m_userId, m_userName, m_userRole, m_userTeam;
    bool m_supervisor = false;
    bool m_shutDown = false;  ///< shutdown() ran: the worker's thread is stopped
    bool m_caseworker = false;
    bool m_idva = false;
    bool m_figuresOnly = false;
    bool m_officerRole = false;  ///< an officer: may be an officer in the case too
    int m_failedAttempts = 0;
    int m_attemptsBeforeWipe = 0;
    QDateTime m_lockedUntil;
    int m_unsentIncidents = 0;
    int m_autoLockSeconds = 300;
    int m_chosenAutoLockMinutes = 5;  ///< the user's choice (settings.ini); applied within the policy
    int m_policyMaxMinutes = 0;       ///< from the server via the store; 0 until known
    QTimer m_idleTimer;
    QTimer m_lockoutTicker;

    QTimer m_wipeCheckTimer;   ///< the wipe check while locked
    bool m_wipeRunning = false;
};

/// Counts every input event as activity for the auto-lock.
class ActivityFilter final : public QObject {
    Q_OBJECT
public:
    explicit ActivityFilter(AppController& controller) : m_controller(controller) {}
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    AppController& m_controller;
};

}  // namespace vigil::app
