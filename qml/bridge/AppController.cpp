#include "AppController.h"

#include <algorithm>
#include <chrono>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QJSEngine>
#include <QSettings>
#include <QtGlobal>

#include <boost/version.hpp>
#include <openssl/crypto.h>
#include <sodium.h>
#include <sqlite3.h>
#include <zlib.h>

#include "core/demo/DemoData.h"
#include "core/records/DevicePolicy.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/Dates.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"
#include "core/records/RecordStore.h"
#include "core/store/Database.h"
#include "core/store/PinPolicy.h"
#include "core/store/SecureStore.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncClient.h"
#include "sync/protocol/EnrolmentCode.h"
#include "AnalystReports.h"
#include "DeskController.h"
#include "ShippedRules.h"
#include "core/figures/FigureReport.h"
#include "CaseworkController.h"
#include "DraftController.h"
#include "GuiThreadSecretStore.h"
#include "HomeListController.h"
#include "SupervisionPanel.h"
#include "RecordsAccess.h"
#include "StoreWorker.h"
#include "SyncStatusBridge.h"
#include "WorkerState.h"

namespace vigil::app {

namespace {

AppController* g_instance = nullptr;

QString q(const std::string& s) { return QString::fromStdString(s); }

/// A PIN leaves QML as a QString (beyond our reach to wipe); our own copy is wiped.
struct PinCopy {
    explicit PinCopy(const QString& pin) : text(pin.toStdString()) {}
    ~PinCopy() { sodium_memzero(text.data(), text.size()); }
    PinCopy(const PinCopy&) = delete;
    PinCopy& operator=(const PinCopy&) = delete;
    std::string text;
};

QString roleLabel(sync::Role role)
{
    switch (role) {
    case sync::Role::Officer: return AppController::tr("Response officer");
    case sync::Role::Investigator: return AppController::tr("Investigator");
    case sync::Role::Idva: return AppController::tr("IDVA");
    case sync::Role::Supervisor: return AppController::tr("Supervisor");
    case sync::Role::Analyst: return AppController::tr("Analyst");
    case sync::Role::Admin: return AppController::tr("Administrator");
    }
    return {};
}

QString pinToText(const sync::SpkiPin& pin)
{
    const QByteArray raw(reinterpret_cast<const char*>(pin.data()), static_cast<qsizetype>(pin.size()));
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

}  // namespace

std::string profileForDataDir(const QString& dataDir)
{
    const QByteArray path = QFileInfo(dataDir).absoluteFilePath().toUtf8();
    return "app-" + QCryptographicHash::hash(path, QCryptographicHash::Sha256).toHex().left(16).toStdString();
}

struct AppController::UnlockOutcome {
    std::optional<Error> error;
    std::optional<UnlockStatus> status;
    HomeList home;
    int unsent = 0;
};

AppController::AppController(AppOptions options, SecretStore& secrets, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_secrets(secrets)
{
    QDir().mkpath(m_options.dataDir);
    m_workerSecrets = std::make_unique<GuiThreadSecretStore>(m_secrets, this);
    m_state = std::make_unique<WorkerState>(m_options, *m_workerSecrets);
    m_worker = std::make_unique<StoreWorker>();
    m_access = std::make_unique<WorkerRecordsAccess>(*m_state);
    m_sync = new SyncStatusBridge(*m_worker, *m_state, this);
    m_home = new HomeListController(*m_worker, *m_state, this);
    m_draft = new DraftController(*m_worker, *m_state, *m_access, this);
    m_desk = new DeskController(*m_worker, *m_access, QDir(m_options.dataDir).filePath(QStringLiteral("settings.ini")), this);
    // An administrator's newer bank-holiday list may be placed beside the app's data
    // (docs/victims-code.md); it is used only when it checks out.
    m_casework = new CaseworkController(*m_worker, *m_access,
                                        QDir(m_options.dataDir).filePath(QStringLiteral("bank-holidays-england-and-wales.json")),
                                        this);
    // An analyst's Reports page: the figures from the server (GET /v1/figures), asked with this
    // device's credential on the store worker, as the wipe check asks.
    m_reports = new AnalystReports(
        *m_worker, [state = m_state.get()](sync::ClientRequest request) { return state->link.request(std::move(request)); },
        shippedDiversity({}), this);
    // How the concerns follow each other: a sync round or a change the app makes reads the
    // list again; the desk follows the list for a supervisor; errors reach the screen.
    connect(m_sync, &SyncStatusBridge::finished, m_home, &HomeListController::refresh);
    connect(m_sync, &SyncStatusBridge::wipeOrdered, this, &AppController::checkRemoteWipe);
    connect(m_draft, &DraftController::listChanged, m_home, &HomeListController::refresh);
    connect(m_draft, &DraftController::failed, this, &AppController::setMessage);
    connect(m_desk, &DeskController::recordsChanged, m_home, &HomeListController::refresh);
    connect(m_draft->supervision(), &SupervisionPanel::recorded, m_desk->reviewsDue(), &ReviewsDueModel::refresh);
    connect(m_home, &HomeListController::unsentCounted, this, [this](int count) {
        if (count != m_unsentIncidents) {
            m_unsentIncidents = count;
            emit unlockStatusChanged();
        }
    });
    connect(m_home, &HomeListController::refreshed, this, [this] {
        if (m_supervisor && m_stage == Stage::Home)
            m_desk->refresh();
        if ((m_caseworker || m_officerRole) && m_stage == Stage::Home)
            m_casework->refresh();
    });

    QSettings settings(QDir(m_options.dataDir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    // The user's choice, applied within the force's policy (refreshPolicy): a settings file
    // edited by hand cannot raise it past what the administrator allows.
    m_chosenAutoLockMinutes = std::clamp(settings.value(QStringLiteral("autoLockMinutes"), 5).toInt(), 1,
                                         kAutoLockMinutesCeiling);
    m_autoLockSeconds = effectiveAutoLockMinutes(m_chosenAutoLockMinutes, m_policyMaxMinutes) * 60;
    connect(m_sync, &SyncStatusBridge::finished, this, &AppController::refreshPolicy);
    connect(this, &AppController::stageChanged, this, [this] {
        if (m_stage == Stage::Home)
            refreshPolicy();
    });

    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_stage == Stage::Home)
            lock();
    });
    m_lockoutTicker.setInterval(1000);
    connect(&m_lockoutTicker, &QTimer::timeout, this, [this] {
        if (lockoutSeconds() <= 0)
            m_lockoutTicker.stop();
        emit unlockStatusChanged();
    });
    m_wipeCheckTimer.setInterval(std::chrono::minutes(1));
    connect(&m_wipeCheckTimer, &QTimer::timeout, this, [this] {
        if (m_stage != Stage::Home)  // unlocked, the sync engine hears of a wipe order
            checkRemoteWipe();
    });
}

AppController::~AppController() { shutdown(); }

AppController* AppController::create(QQmlEngine*, QJSEngine*)
{
    Q_ASSERT(g_instance);
    // main() owns the controller: the QML engine must not delete it.
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void AppController::setInstance(AppController* controller) { g_instance = controller; }

AppController* AppController::instance()
{
    Q_ASSERT(g_instance);
    return g_instance;
}

void AppController::shutdown()
{
    if (!m_worker || m_shutDown)
        return;
    m_shutDown = true;
    if (m_stage == Stage::Home)
        m_draft->flush();
    m_draft->editor()->shutdown();
    WorkerState* state = m_state.get();
    m_worker->post([state] { state->close(); });
    m_worker->shutdown();
    // The worker and its state stay until this object goes: a signal still queued (a sync round
    // that ended while shutting down refreshes the lists and the desk) may hand the worker a job,
    // which its stopped thread drops. Destroying them here made that a use after free.
}

void AppController::start()
{
    WorkerState* state = m_state.get();
    struct Startup {
        std::optional<Error> error;
        bool enrolled = false;
        bool storeReady = false;
        std::optional<UnlockStatus> status;
        int unsent = 0;
    };
    m_worker->run(
        this,
        [state] {
            Startup out;
            auto enrolment = state->link.enrolment();
            if (!enrolment) {
                out.error = enrolment.error();
                return out;
            }
            state->enrolment = *enrolment;
            out.enrolled = enrolment->has_value();
            out.storeReady = state->secure.isSetUp();
            if (out.storeReady) {
                if (auto s = state->secure.unlockStatus())
                    out.status = *s;
                out.unsent = state->recallUnsent();
            }
            return out;
        },
        [this](Startup out) {
            if (out.error) {
                setMessage(q(out.error->message));
                setStage(Stage::Failed);
                return;
            }
            applyEnrolment();
            m_unsentIncidents = out.unsent;
            applyUnlockStatus(out.status);
            if (!out.enrolled)
                setStage(Stage::Enrol);
            else
                setStage(out.storeReady ? Stage::Unlock : Stage::SetPin);
            // A device reported lost must wipe itself even if nobody unlocks it again.
            checkRemoteWipe();
            m_wipeCheckTimer.start();
        });
}

QVariantMap AppController::parseCode(const QString& text) const
{
    QVariantMap out;
    auto code = sync::parseEnrolmentCode(text.trimmed().toStdString());
    out[QStringLiteral("ok")] = code.ok();
    if (code) {
        out[QStringLiteral("server")] = q(code->host) + QLatin1Char(':') + QString::number(code->port);
        sodium_memzero(code->secret.data(), code->secret.size());
    } else {
        out[QStringLiteral("message")] = q(code.error().message);
    }
    return out;
}

void AppController::enrol(const QString& code, const QString& deviceName)
{
    if (m_busy || m_stage != Stage::Enrol)
        return;
    setBusy(true);
    setMessage({});
    WorkerState* state = m_state.get();
    const std::string name = deviceName.trimmed().isEmpty() ? std::string("Vigil tablet") : deviceName.trimmed().toStdString();
    auto text = std::make_shared<PinCopy>(code.trimmed());
    m_worker->run(
        this,
        [state, text, name]() -> std::pair<std::optional<Error>, bool> {
            auto enrolled = state->link.enrol(text->text, name);
            if (!enrolled)
                return {enrolled.error(), false};
            state->enrolment = *enrolled;
            return {std::nullopt, state->secure.isSetUp()};
        },
        [this](std::pair<std::optional<Error>, bool> out) {
            setBusy(false);
            if (out.first) {
                setMessage(q(out.first->message));
                return;
            }
            applyEnrolment();
            setStage(out.second ? Stage::Unlock : Stage::SetPin);
        });
}

void AppController::enrolAgain()
{
    if (m_busy || !m_sync->credentialExpired())
        return;
    lock();  // the records close; a new credential is used from the next unlock
    setStage(Stage::Enrol);
}

QString AppController::checkPin(const QString& pin) const
{
    PinCopy copy(pin);
    const Status s = checkNewPin(copy.text);
    return s.ok() ? QString() : q(s.error().message);
}

void AppController::setPin(const QString& pin, const QString& confirm)
{
    if (m_busy || m_stage != Stage::SetPin)
        return;
    if (const QString rule = checkPin(pin); !rule.isEmpty()) {
        setMessage(rule);
        return;
    }
    if (pin != confirm) {
        setMessage(tr("The two PINs are different. Type the same PIN in both boxes."));
        return;
    }
    setBusy(true);
    setMessage({});
    WorkerState* state = m_state.get();
    auto copy = std::make_shared<PinCopy>(pin);
    m_worker->run(
        this,
        [state, copy]() -> std::optional<Error> {
            if (Status s = state->secure.setUp(copy->text); !s.ok())
                return s.error();
            return std::nullopt;
        },
        [this, copy](std::optional<Error> error) {
            if (error) {
                setBusy(false);
                setMessage(q(error->message));
                return;
            }
            setStage(Stage::Unlock);
            setBusy(false);
            unlock(QString::fromStdString(copy->text));  // straight in: the officer just chose it
        });
}

void AppController::unlock(const QString& pin)
{
    if (m_busy || m_stage != Stage::Unlock)
        return;
    setBusy(true);
    setMessage({});
    m_sync->accept();
    WorkerState* state = m_state.get();
    auto copy = std::make_shared<PinCopy>(pin);
    AppController* self = this;
    m_worker->run(
        this,
        [state, copy, self]() {
            UnlockOutcome out;
            auto db = state->secure.unlock(copy->text);
            if (!db) {
                out.error = db.error();
                if (auto s = state->secure.unlockStatus())
                    out.status = *s;
                if (db.error().code == ErrorCode::Wiped)
                    (void)state->link.forget();  // a wiped device must be enrolled again
                return out;
            }
            auto records = RecordStore::open(**db, systemClock());
            if (!records) {
                out.error = records.error();
                return out;
            }
            const std::string deviceId = state->enrolment ? state->enrolment->deviceId : std::string();
            if ((*records)->deviceId() != deviceId) {
                // Ops carry the device id: it must be the enrolled one before anything is written.
                auto pending = (*records)->pendingCount();
                auto ids = (*records)->incidentIds(1);
                if (!pending || !ids || *pending > 0 || !ids->empty()) {
                    out.error = makeError(ErrorCode::InvalidArgument,
                                          "The records on this device were written under an earlier enrolment. "
                                          "Ask your administrator to check this device before using it.");
                    return out;
                }
                if (Status s = (*records)->setDeviceId(deviceId); !s.ok()) {
                    out.error = s.error();
                    return out;
                }
            }
            state->db = std::move(*db);
            state->records = std::move(*records);
            // The list first, before the engine takes the store for its first sync: home must
            // not wait for a push or pull.
            IncidentRepository repo(*state->records);
            if (auto home = readHomeList(repo, state->riskModels()))
                out.home = std::move(home).value();
            out.unsent = state->countUnsent();
            state->rememberUnsent(out.unsent);
            auto session = state->link.session();
            if (session) {
                state->transport = std::move(*session);
                sync::SyncEngineOptions options;
                options.backoff = state->backoff;
                options.fetchDirectory = state->role() == Role::Supervisor;  // who investigations go to
                state->engine = std::make_unique<sync::SyncEngine>(*state->transport, options);
                state->engine->setStatusCallback([self](const sync::SyncStatus& status) {
                    QMetaObject::invokeMethod(self, [self, status] { self->syncStatus()->apply(status); }, Qt::QueuedConnection);
                });
                state->engine->start(*state->records, state->actor());
            } else {
                // Unlocked but not syncing: the records are still there to work on.
                sync::SyncStatus status;
                status.state = sync::SyncStatus::State::Failed;
                status.lastError = session.error();
                QMetaObject::invokeMethod(self, [self, status] { self->syncStatus()->apply(status); }, Qt::QueuedConnection);
            }
            return out;
        },
        [this](UnlockOutcome out) { afterUnlock(out); });
}

void AppController::afterUnlock(const UnlockOutcome& out)
{
    setBusy(false);
    if (out.error) {
        m_sync->stop(tr("Locked: sync paused"));
        applyUnlockStatus(out.status);
        setMessage(q(out.error->message));
        if (out.error->code == ErrorCode::Wiped)
            setStage(Stage::Wiped);
        return;
    }
    m_failedAttempts = 0;
    m_lockedUntil = {};
    m_unsentIncidents = out.unsent;
    emit unlockStatusChanged();
    m_home->setOpen(true);
    setStage(Stage::Home);
    restartIdleTimer();
    m_home->show(out.home);
    m_draft->reopen();  // the 124D that was open when the app locked
}

void AppController::lock()
{
    if (m_stage != Stage::Home)
        return;
    m_idleTimer.stop();
    // Nothing personal stays on screen or in these objects once locked. What was typed is
    // saved first (queued before the store closes); the draft's id stays to reopen it.
    m_draft->forget(true);
    m_home->setOpen(false);
    m_desk->clear();
    m_reports->clear();
    m_casework->clear();
    setStage(Stage::Unlock);
    m_sync->stop(tr("Locked: sync paused"));
    WorkerState* state = m_state.get();
    m_worker->run(
        this,
        [state] {
            state->close();
            std::pair<std::optional<UnlockStatus>, int> out{std::nullopt, state->lastUnsent};
            if (auto s = state->secure.unlockStatus())
                out.first = *s;
            return out;
        },
        [this](std::pair<std::optional<UnlockStatus>, int> out) {
            if (out.second >= 0)
                m_unsentIncidents = out.second;
            applyUnlockStatus(out.first);
            emit locked();
        });
}

void AppController::clearMessage() { setMessage({}); }

void AppController::noteActivity()
{
    if (m_stage == Stage::Home)
        restartIdleTimer();
}

void AppController::restartIdleTimer() { m_idleTimer.start(m_autoLockSeconds * 1000); }

void AppController::setAutoLockMinutes(int minutes)
{
    minutes = effectiveAutoLockMinutes(minutes, m_policyMaxMinutes);
    m_chosenAutoLockMinutes = minutes;
    QSettings settings(QDir(m_options.dataDir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("autoLockMinutes"), minutes);
    setAutoLockSeconds(minutes * 60);
}

int AppController::autoLockMaxMinutes() const { return effectiveAutoLockMinutes(kAutoLockMinutesCeiling, m_policyMaxMinutes); }

void AppController::refreshPolicy()
{
    if (!m_worker || m_shutDown)
        return;
    RecordsAccess* access = m_access.get();
    m_worker->run(
        this,
        [access] {
            int minutes = 0;
            (void)access->withRecords([&](RecordStore& store) -> Status {
                auto held = store.maxAutoLockMinutes();
                if (held)
                    minutes = *held;
                return {};
            });
            return minutes;
        },
        [this](int minutes) {
            if (minutes <= 0 || minutes == m_policyMaxMinutes)
                return;
            m_policyMaxMinutes = minutes;
            // The user's choice stands where the policy allows it; above, the policy's maximum.
            setAutoLockSeconds(effectiveAutoLockMinutes(m_chosenAutoLockMinutes, m_policyMaxMinutes) * 60);
            emit autoLockChanged();
        });
}

void AppController::setAutoLockSeconds(int seconds)
{
    // Never longer than the policy allows (tests set seconds to lock quickly).
    seconds = std::clamp(seconds, 1, autoLockMaxMinutes() * 60);
    if (seconds == m_autoLockSeconds)
        return;
    m_autoLockSeconds = seconds;
    if (m_idleTimer.isActive())
        restartIdleTimer();
    emit autoLockChanged();
}

int AppController::lockoutSeconds() const
{
    if (!m_lockedUntil.isValid())
        return 0;
    // Rounded up: the screen must not offer an attempt while the core still refuses it.
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(m_lockedUntil);
    return ms <= 0 ? 0 : static_cast<int>((ms + 999) / 1000);
}

QString AppController::wipeWarning() const
{
    if (m_attemptsBeforeWipe != 1)
        return {};
    if (m_unsentIncidents > 0) {
        return tr("One more wrong PIN will erase all Vigil data on this device, including %n 124D(s) not yet sent "
                  "to the station. If you are not sure of your PIN, stop and contact your supervisor.",
                  nullptr, m_unsentIncidents);
    }
    return tr("One more wrong PIN will erase all Vigil data on this device. If you are not sure of your PIN, "
              "stop and contact your supervisor.");
}

void AppController::applyUnlockStatus(const std::optional<UnlockStatus>& status)
{
    if (status) {
        m_failedAttempts = status->failedAttempts;
        m_attemptsBeforeWipe = status->attemptsBeforeWipe;
        m_lockedUntil = status->lockedUntil
                            ? QDateTime::fromSecsSinceEpoch(std::chrono::duration_cast<std::chrono::seconds>(
                                                                status->lockedUntil->time_since_epoch())
                                                                .count(),
                                                            Qt::UTC)
                            : QDateTime();
        if (lockoutSeconds() > 0)
            m_lockoutTicker.start();
    }
    emit unlockStatusChanged();
}

void AppController::applyEnrolment()
{
    const auto& e = m_state->enrolment;  // set on the worker before this runs (queued after it)
    if (!e) {
        m_serverAddress.clear();
        m_deviceId.clear();
        m_userId.clear();
        m_userName.clear();
        m_userRole.clear();
        m_userTeam.clear();
        m_serverPin.clear();
        m_supervisor = false;
        m_caseworker = false;
        m_idva = false;
        m_officerRole = false;
        m_figuresOnly = false;
    } else {
        m_serverAddress = q(e->server.host) + QLatin1Char(':') + QString::number(e->server.port);
        m_serverPin = pinToText(e->server.pin);
        m_deviceId = q(e->deviceId);
        m_userId = q(e->user.id);
        m_userName = q(e->user.displayName.empty() ? e->user.id : e->user.displayName);
        m_userRole = roleLabel(e->user.role);
        m_supervisor = e->user.role == sync::Role::Supervisor;
        m_idva = e->user.role == sync::Role::Idva;
        m_caseworker = m_idva || e->user.role == sync::Role::Investigator;
        m_officerRole = e->user.role == sync::Role::Officer;
        const auto role = roleFromString(sync::roleName(e->user.role));
        m_figuresOnly = role && seesFiguresOnly(*role);
        m_reports->setOwnBorough(q(e->user.borough));
        m_userTeam = q(e->user.team);
    }
    emit enrolmentChanged();
}

QVariantList AppController::about() const
{
    const auto entry = [](const QString& name, const QString& version, const QString& licence) {
        return QVariantMap{{QStringLiteral("name"), name}, {QStringLiteral("version"), version},
                           {QStringLiteral("licence"), licence}};
    };
    QString boost = QStringLiteral(BOOST_LIB_VERSION);
    boost.replace(QLatin1Char('_'), QLatin1Char('.'));
    return {
        entry(QStringLiteral("Vigil"), QStringLiteral(VIGIL_VERSION), tr("Proprietary, for police and partner agencies")),
        entry(QStringLiteral("Qt"), QString::fromLatin1(qVersion()), QStringLiteral("LGPL-3.0")),
        entry(QStringLiteral("SQLCipher (SQLite)"), QString::fromLatin1(sqlite3_libversion()), QStringLiteral("BSD-3-Clause")),
        entry(QStringLiteral("OpenSSL"), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION_STRING)), QStringLiteral("Apache-2.0")),
        entry(QStringLiteral("libsodium"), QString::fromLatin1(sodium_version_string()), QStringLiteral("ISC")),
        entry(QStringLiteral("Boost"), boost, QStringLiteral("BSL-1.0")),
        entry(QStringLiteral("nlohmann-json"), QStringLiteral("3.11"), QStringLiteral("MIT")),
        entry(QStringLiteral("QtKeychain"), QStringLiteral("0.13"), QStringLiteral("BSD-3-Clause")),
        entry(QStringLiteral("zlib"), QStringLiteral(ZLIB_VERSION), QStringLiteral("Zlib")),
    };
}

void AppController::setStage(Stage stage)
{
    if (stage == m_stage)
        return;
    m_stage = stage;
    emit stageChanged();
}

void AppController::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void AppController::setMessage(const QString& message)
{
    if (message == m_message)
        return;
    m_message = message;
    emit messageChanged();
}

struct AppController::WipeResult {
    bool userChosen = false;
    std::optional<Error> error;
    sync::WipeOutcome outcome;
};

void AppController::countUnsent()
{
    if (m_stage == Stage::Home)
        m_home->refresh();  // recounts unsentIncidents from the store
}

void AppController::wipeDevice()
{
    if (m_stage != Stage::Home || m_wipeRunning)
        return;
    runWipe(true);
}

void AppController::checkRemoteWipe()
{
    if (m_wipeRunning || m_stage == Stage::Starting || m_stage == Stage::Failed)
        return;
    runWipe(false);
}

void AppController::runWipe(bool userChosen)
{
    m_wipeRunning = true;
    if (userChosen) {
        m_draft->dropUnsaved();  // nothing more is written: the records are about to go
        setBusy(true);
    }
    WorkerState* state = m_state.get();
    m_worker->run(
        this,
        [state, userChosen] {
            WipeResult out;
            out.userChosen = userChosen;
            const sync::DestroyLocalData destroy = [state] {
                state->discard();
                return state->secure.wipe();
            };
            Result<sync::WipeOutcome> done = sync::WipeOutcome{};
            if (userChosen) {
                done = state->link.wipe(sync::WipeReason::User, destroy);
            } else if (state->enrolment) {
                done = state->link.checkAndWipe(destroy);
            } else if (auto owed = state->link.wipeReportPending(); owed && *owed) {
                // Wiped earlier, the report not yet delivered: deliver it now.
                auto sent = state->link.reportPendingWipe();
                if (!sent)
                    done = sent.error();
                else
                    done->message = *sent ? "The earlier wipe was reported to the server." : "";
            }
            if (!done) {
                out.error = done.error();
                return out;
            }
            out.outcome = *done;
            if (out.outcome.wiped) {
                (void)state->secrets.remove(state->unsentEntry);
                state->lastUnsent = -1;
                state->enrolment.reset();
            }
            return out;
        },
        [this](WipeResult out) { afterWipe(out); });
}

void AppController::afterWipe(const WipeResult& out)
{
    m_wipeRunning = false;
    if (out.userChosen)
        setBusy(false);
    if (out.error || !out.outcome.wiped) {
        const QString why = out.error ? q(out.error->message) : q(out.outcome.message);
        if (out.userChosen) {
            setMessage(tr("Vigil could not wipe this device: %1 Nothing was erased; try again, or ask your "
                          "administrator to wipe it remotely.")
                           .arg(why));
        }
        emit wipeChecked(why);  // a background check offline is normal: it runs again later
        return;
    }
    // Nothing of the records stays on screen or in these objects.
    m_idleTimer.stop();
    m_draft->dropUnsaved();
    m_draft->forget(false);
    m_home->setOpen(false);
    m_desk->clear();
    m_reports->clear();
    m_casework->clear();
    m_unsentIncidents = 0;
    m_failedAttempts = 0;
    m_attemptsBeforeWipe = 0;
    emit unlockStatusChanged();
    m_sync->stop(tr("Wiped: nothing to sync"));
    applyEnrolment();
    const QString what = out.userChosen
                             ? tr("You wiped Vigil from this device: its records and keys are destroyed.")
                             : tr("Your administrator ordered Vigil wiped from this device (for example because it "
                                  "was reported lost): its records and keys are destroyed.");
    const QString told = out.outcome.reported
                             ? tr("The station has been told.")
                             : tr("The station could not be told yet; Vigil tells it the next time it starts with a "
                                  "connection. Keep Vigil installed until then.");
    setMessage(what + QLatin1Char(' ') + told);
    setStage(Stage::Wiped);
}

bool ActivityFilter::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::KeyPress:
    case QEvent::TouchBegin:
    case QEvent::Wheel: m_controller.noteActivity(); break;
    default: break;
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace vigil::app
