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
#include "IncidentEditor.h"
#include "IncidentListModel.h"
#include "ConflictListModel.h"
#include "QaQueueModel.h"

class QQmlEngine;
class QJSEngine;

namespace vigil {
class SecretStore;
}

namespace vigil::app {

class StoreWorker;
struct WorkerState;

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

/// The app as QML sees it: which screen (enrol, set PIN, unlock, home), the unlock state,
/// the sync indicator, the incident list and the open draft. It owns nothing QML could
/// block on: the store, the KDF and enrolment run on the store worker; sync on its own Asio
/// thread. The core decides (PIN rules, lockout, grades); this class only carries the
/// decisions to the screen, in words.
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

    /// offline | idle | syncing | failed | stopped
    Q_PROPERTY(QString syncState READ syncState NOTIFY syncChanged)
    /// One short line for the indicator: "Offline: 3 changes waiting", "Synced at 14:32".
    Q_PROPERTY(QString syncText READ syncText NOTIFY syncChanged)
    /// The full story for the details popup (the error in words, refused changes).
    Q_PROPERTY(QString syncDetail READ syncDetail NOTIFY syncChanged)
    Q_PROPERTY(int syncQueued READ syncQueued NOTIFY syncChanged)

    Q_PROPERTY(IncidentListModel* incidents READ incidents CONSTANT)

    /// The 124D open on screen ("" when none). Survives a lock: it reopens after unlock.
    Q_PROPERTY(QString draftId READ draftId NOTIFY draftChanged)
    Q_PROPERTY(QString draftState READ draftState NOTIFY draftChanged)
    Q_PROPERTY(bool draftEditable READ draftEditable NOTIFY draftChanged)
    Q_PROPERTY(QString draftDate READ draftDate NOTIFY draftChanged)
    Q_PROPERTY(QString draftLocation READ draftLocation NOTIFY draftChanged)
    Q_PROPERTY(QString draftCad READ draftCad NOTIFY draftChanged)
    Q_PROPERTY(QString draftReviewNote READ draftReviewNote NOTIFY draftChanged)
    /// saved | saving | failed
    Q_PROPERTY(QString draftSaveState READ draftSaveState NOTIFY draftSaveStateChanged)
    /// The open 124D in the wizard: sections, answers, live risk, submit, photos.
    Q_PROPERTY(IncidentEditor* editor READ editor CONSTANT)
    /// A supervisor's QA queue: the submitted 124Ds on the device, High first.
    Q_PROPERTY(QaQueueModel* qaQueue READ qaQueue CONSTANT)
    /// A supervisor's kept conflicts to settle.
    Q_PROPERTY(ConflictListModel* conflicts READ conflicts CONSTANT)

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

    /// Find out which screen to show (enrolled? store set up?). Called once by main().
    void start();
    /// Close the store and stop every thread (the app is quitting).
    void shutdown();

    Q_INVOKABLE QVariantMap parseCode(const QString& text) const;
    Q_INVOKABLE void enrol(const QString& code, const QString& deviceName);
    /// "" when the PIN is acceptable, else the rule it breaks.
    Q_INVOKABLE QString checkPin(const QString& pin) const;
    Q_INVOKABLE void setPin(const QString& pin, const QString& confirm);
    Q_INVOKABLE void unlock(const QString& pin);
    Q_INVOKABLE void lock();
    Q_INVOKABLE void syncNow();
    Q_INVOKABLE void clearMessage();

    Q_INVOKABLE void newDraft();
    /// Add synthetic incidents (invented people) to the unlocked store: demos and the
    /// start-up measurement (`vigil --seed-demo N`). Emits demoSeeded.
    void seedDemo(int incidents);
    Q_INVOKABLE void openIncident(const QString& id);
    Q_INVOKABLE void closeDraft();
    /// Typed text: kept at once, saved within a second of the last keystroke.
    Q_INVOKABLE void setDraftField(const QString& field, const QString& value);

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
    [[nodiscard]] QString syncState() const { return m_syncState; }
    [[nodiscard]] QString syncText() const { return m_syncText; }
    [[nodiscard]] QString syncDetail() const { return m_syncDetail; }
    [[nodiscard]] int syncQueued() const { return m_syncQueued; }
    [[nodiscard]] IncidentListModel* incidents() { return &m_incidents; }
    [[nodiscard]] QString draftId() const { return m_draftId; }
    [[nodiscard]] QString draftState() const { return m_draftState; }
    [[nodiscard]] bool draftEditable() const;
    [[nodiscard]] QString draftDate() const { return m_draftDate; }
    [[nodiscard]] QString draftLocation() const { return m_draftLocation; }
    [[nodiscard]] QString draftCad() const { return m_draftCad; }
    [[nodiscard]] QString draftReviewNote() const { return m_draftReviewNote; }
    [[nodiscard]] QString draftSaveState() const { return m_draftSaveState; }
    [[nodiscard]] IncidentEditor* editor() { return m_editor; }
    [[nodiscard]] QaQueueModel* qaQueue() { return m_qaQueue; }
    [[nodiscard]] ConflictListModel* conflicts() { return m_conflicts; }
    [[nodiscard]] QVariantList about() const;

    /// The sync engine's connectivity input (the screenshot mode and tests drive it too).
    Q_INVOKABLE void setOnline(bool online);

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
    void syncChanged();
    void draftChanged();
    void draftSaveStateChanged();
    /// The list was refreshed from the store (tests wait for it).
    void incidentsRefreshed();
    /// The store closed after a lock (tests wait for it).
    void locked();
    /// seedDemo finished: what it made, or why it failed.
    void demoSeeded(const QString& result);
    /// A wipe check finished without wiping (tests wait for it): the reason in words, if any.
    void wipeChecked(const QString& result);

private:
    struct UnlockOutcome;
    struct DraftFields;

    void setStage(Stage stage);
    void setBusy(bool busy);
    void setMessage(const QString& message);
    void applyEnrolment();
    void applyUnlockStatus(const std::optional<UnlockStatus>& status);
    void applySyncStatus(const sync::SyncStatus& status);
    void afterUnlock(const UnlockOutcome& outcome);
    void refreshList();
    void flushDraft();
    void loadDraft(const QString& id);
    void restartIdleTimer();
    void setDraftSaveState(const QString& state);
    /// Clear what the draft page shows (locked, closed or wiped); `keepId` to reopen it later.
    void forgetDraftFields(bool keepId);
    struct WipeResult;
    void runWipe(bool userChosen);
    void afterWipe(const WipeResult& result);

    AppOptions m_options;
    SecretStore& m_secrets;
    std::unique_ptr<SecretStore> m_workerSecrets;  ///< carries key-store calls to this thread
    std::unique_ptr<WorkerState> m_state;          ///< touched only on the worker thread
    std::unique_ptr<StoreWorker> m_worker;
    std::unique_ptr<RecordsAccess> m_editorAccess;  ///< the editor's view of m_state (worker thread)
    IncidentEditor* m_editor = nullptr;             ///< child of this
    QaQueueModel* m_qaQueue = nullptr;              ///< child of this
    ConflictListModel* m_conflicts = nullptr;       ///< child of this

    Stage m_stage = Stage::Starting;
    bool m_busy = false;
    QString m_message;
    QString m_serverAddress, m_serverPin, m_deviceId, m_userId, m_userName, m_userRole, m_userTeam;
    bool m_supervisor = false;
    int m_failedAttempts = 0;
    int m_attemptsBeforeWipe = 0;
    QDateTime m_lockedUntil;
    int m_unsentIncidents = 0;
    int m_autoLockSeconds = 300;
    QTimer m_idleTimer;
    QTimer m_lockoutTicker;
    bool m_acceptSync = false;  ///< sync reports count only between unlock and lock
    QString m_syncState = QStringLiteral("stopped");
    QString m_syncText;
    QString m_syncDetail;
    int m_syncQueued = 0;
    IncidentListModel m_incidents;

    QString m_draftId, m_draftState, m_draftDate, m_draftLocation, m_draftCad, m_draftReviewNote;
    QString m_draftSaveState = QStringLiteral("saved");
    bool m_draftDirty = false;
    QTimer m_draftDebounce;
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
