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
#include "GuiThreadSecretStore.h"
#include "RecordsAccess.h"
#include "StoreWorker.h"

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

std::string todayIso()
{
    return QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm")).toStdString();
}

}  // namespace

std::string profileForDataDir(const QString& dataDir)
{
    const QByteArray path = QFileInfo(dataDir).absoluteFilePath().toUtf8();
    return "app-" + QCryptographicHash::hash(path, QCryptographicHash::Sha256).toHex().left(16).toStdString();
}

/// Everything the worker thread owns: the store, the records, the sync engine. Only ever
/// touched on the worker thread (constructed and destroyed on the GUI thread while idle).
struct WorkerState {
    WorkerState(const AppOptions& options, SecretStore& keyStore)
        : link(client, keyStore, options.profile),
          secure(std::filesystem::path(options.dataDir.toStdString()) / "store", keyStore,
                 StoreConfig{options.profile + "-records", options.kdf, options.policy}),
          secrets(keyStore),
          unsentEntry(options.profile + ".unsent-incidents"),
          backoff(options.backoff)
    {
    }

    /// Run `work` with the records: through the engine while it syncs (it owns the store
    /// then), directly otherwise.
    Status withRecords(const std::function<Status(RecordStore&)>& work)
    {
        if (!records)
            return makeError(ErrorCode::InvalidArgument, "Vigil is locked. Unlock it with your PIN and try again.");
        if (engine)
            return engine->withStore(work);
        return work(*records);
    }

    [[nodiscard]] Actor actor() const { return Actor{enrolment ? enrolment->user.id : std::string(), "recording the incident"}; }

    /// Remember how many 124Ds are unsent, in the key store, so the unlock screen can warn
    /// before a wipe while the store is closed. A count, not personal data.
    void rememberUnsent(int count)
    {
        if (count == lastUnsent)
            return;
        const std::string text = std::to_string(count);
        if (secrets.write(unsentEntry, {reinterpret_cast<const unsigned char*>(text.data()), text.size()}).ok())
            lastUnsent = count;
    }

    int recallUnsent()
    {
        auto stored = secrets.read(unsentEntry);
        if (!stored || !stored->has_value())
            return 0;
        const std::string text(reinterpret_cast<const char*>((*stored)->data()), (*stored)->size());
        try {
            return std::max(0, std::stoi(text));
        } catch (...) {
            return 0;
        }
    }

    int countUnsent()
    {
        int count = 0;
        (void)withRecords([&](RecordStore& store) -> Status {
            auto n = IncidentRepository(store).unsentIncidentCount();
            if (n)
                count = static_cast<int>(*n);
            return {};
        });
        return count;
    }

    /// The installed risk models, loaded once, for the home list's grades. nullptr when they
    /// cannot be read (the list then shows decided grades only; the form says what is wrong).
    const RiskModelRegistry* riskModels()
    {
        if (!modelsTried) {
            modelsTried = true;
            if (auto loaded = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR))
                models = std::make_unique<RiskModelRegistry>(std::move(loaded).value());
        }
        return models.get();
    }

    /// The app wrote something: the engine shows it waiting and sends it soon.
    void changed()
    {
        if (engine)
            engine->localChange();
    }

    /// Lock: stop syncing, close the database (SQLCipher zeroes its key), forget the session.
    void close()
    {
        if (engine) {
            engine->stop();  // returns when the engine no longer touches the store
            engine.reset();
        }
        if (records)
            rememberUnsent(countUnsent());
        transport.reset();
        records.reset();
        db.reset();
    }

    /// A wipe: stop syncing and drop the open store without writing anything more (the
    /// caller destroys the files and keys next).
    void discard()
    {
        if (engine) {
            engine->stop();
            engine.reset();
        }
        transport.reset();
        records.reset();
        db.reset();
    }

    sync::SyncClient client;
    sync::DeviceLink link;
    SecureStore secure;
    SecretStore& secrets;
    std::string unsentEntry;
    int lastUnsent = -1;
    sync::BackoffPolicy backoff;
    std::optional<sync::DeviceEnrolment> enrolment;
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
    std::unique_ptr<sync::SyncTransport> transport;
    std::unique_ptr<sync::SyncEngine> engine;
    std::unique_ptr<RiskModelRegistry> models;
    bool modelsTried = false;
};

/// The 124D editor's view of the worker state (worker thread only, like the state itself).
class WorkerRecordsAccess final : public RecordsAccess {
public:
    explicit WorkerRecordsAccess(WorkerState& state) : m_state(state) {}

    Status withRecords(const std::function<Status(RecordStore&)>& work) override { return m_state.withRecords(work); }
    [[nodiscard]] Actor actor() const override { return m_state.actor(); }
    [[nodiscard]] Role role() const override
    {
        if (!m_state.enrolment)
            return Role::Officer;
        switch (m_state.enrolment->user.role) {
        case sync::Role::Officer: return Role::Officer;
        case sync::Role::Investigator: return Role::Investigator;
        case sync::Role::Idva: return Role::Idva;
        case sync::Role::Supervisor: return Role::Supervisor;
        case sync::Role::Analyst: return Role::Analyst;
        case sync::Role::Admin: return Role::Admin;
        }
        return Role::Officer;
    }
    [[nodiscard]] HistorySource historySource() const override
    {
        HistorySource source;
        if (m_state.engine) {
            const std::string at = m_state.engine->status().lastSyncedAt;
            if (!at.empty())
                source.lastSynced = parseIsoDateTime(at);
        }
        source.displayOffsetMinutes = QDateTime::currentDateTime().offsetFromUtc() / 60;
        return source;
    }
    void changed() override { m_state.changed(); }

private:
    WorkerState& m_state;
};

struct AppController::UnlockOutcome {
    std::optional<Error> error;
    std::optional<UnlockStatus> status;
    HomeList home;
    int unsent = 0;
};

struct AppController::DraftFields {
    std::optional<Error> error;
    QString id, state, date, location, cad, reviewNote;
};

AppController::AppController(AppOptions options, SecretStore& secrets, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_secrets(secrets)
{
    QDir().mkpath(m_options.dataDir);
    m_workerSecrets = std::make_unique<GuiThreadSecretStore>(m_secrets, this);
    m_state = std::make_unique<WorkerState>(m_options, *m_workerSecrets);
    m_worker = std::make_unique<StoreWorker>();
    m_editorAccess = std::make_unique<WorkerRecordsAccess>(*m_state);
    m_editor = new IncidentEditor(*m_worker, *m_editorAccess, this);
    connect(m_editor, &IncidentEditor::saveStateChanged, this, [this] { setDraftSaveState(m_editor->saveState()); });
    m_qaQueue = new QaQueueModel(m_worker.get(), m_editorAccess.get(), this);
    // The queue follows the records: read again whenever the home list is (after a sync or a
    // decision), for a supervisor only; emptied when the app locks.
    m_conflicts = new ConflictListModel(m_worker.get(), m_editorAccess.get(), this);
    connect(this, &AppController::incidentsRefreshed, m_qaQueue, [this] {
        if (m_supervisor) {
            m_qaQueue->refresh();
            m_conflicts->refresh();
        }
    });
    connect(m_conflicts, &ConflictListModel::resolved, this, [this] { refreshList(); });
    connect(this, &AppController::stageChanged, m_qaQueue, [this] {
        if (m_stage != Stage::Home) {
            m_qaQueue->setRows({});
            m_conflicts->setRows({});
        }
    });
    connect(this, &AppController::stageChanged, m_editor, [this] {
        if (m_stage != Stage::Home)
            m_editor->close();  // locked or wiped: what was typed is saved first, then forgotten
    });

    QSettings settings(QDir(m_options.dataDir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_autoLockSeconds = std::clamp(settings.value(QStringLiteral("autoLockMinutes"), 5).toInt(), 1, 60) * 60;

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
    m_draftDebounce.setSingleShot(true);
    m_draftDebounce.setInterval(700);  // typed text is saved within a second of the last key
    connect(&m_draftDebounce, &QTimer::timeout, this, &AppController::flushDraft);
    m_syncText = tr("Locked: sync paused");
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

void AppController::shutdown()
{
    if (!m_worker)
        return;
    if (m_stage == Stage::Home)
        flushDraft();
    m_editor->shutdown();
    WorkerState* state = m_state.get();
    m_worker->post([state] { state->close(); });
    m_worker->shutdown();
    m_worker.reset();
    m_state.reset();
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
    m_acceptSync = true;
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
                state->engine = std::make_unique<sync::SyncEngine>(*state->transport, options);
                state->engine->setStatusCallback([self](const sync::SyncStatus& status) {
                    QMetaObject::invokeMethod(self, [self, status] { self->applySyncStatus(status); }, Qt::QueuedConnection);
                });
                state->engine->start(*state->records, state->actor());
            } else {
                // Unlocked but not syncing: the records are still there to work on.
                sync::SyncStatus status;
                status.state = sync::SyncStatus::State::Failed;
                status.lastError = session.error();
                QMetaObject::invokeMethod(self, [self, status] { self->applySyncStatus(status); }, Qt::QueuedConnection);
            }
            return out;
        },
        [this](UnlockOutcome out) { afterUnlock(out); });
}

void AppController::afterUnlock(const UnlockOutcome& out)
{
    setBusy(false);
    if (out.error) {
        m_acceptSync = false;
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
    m_incidents.setRows(out.home.rows, out.home.counts);
    setStage(Stage::Home);
    restartIdleTimer();
    emit incidentsRefreshed();
    if (!m_draftId.isEmpty())
        loadDraft(m_draftId);  // the 124D that was open when the app locked
}

void AppController::lock()
{
    if (m_stage != Stage::Home)
        return;
    flushDraft();  // queued before the close: what was typed is saved first
    m_idleTimer.stop();
    // Nothing personal stays on screen or in these objects once locked.
    m_incidents.clear();
    forgetDraftFields(true);  // the draft's id stays: it reopens after unlock
    setStage(Stage::Unlock);
    m_acceptSync = false;
    m_syncState = QStringLiteral("stopped");
    m_syncText = tr("Locked: sync paused");
    m_syncDetail.clear();
    emit syncChanged();
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

void AppController::syncNow()
{
    WorkerState* state = m_state.get();
    m_worker->post([state] {
        if (state->engine)
            state->engine->syncNow();
    });
}

void AppController::setOnline(bool online)
{
    WorkerState* state = m_state.get();
    m_worker->post([state, online] {
        if (state->engine)
            state->engine->connectivityChanged(online);
    });
}

void AppController::clearMessage() { setMessage({}); }

void AppController::refreshList()
{
    WorkerState* state = m_state.get();
    m_worker->run(
        this,
        [state] {
            std::pair<HomeList, int> out;
            (void)state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                if (auto home = readHomeList(repo, state->riskModels()))
                    out.first = std::move(home).value();
                return {};
            });
            out.second = state->records ? state->countUnsent() : -1;
            if (out.second >= 0)
                state->rememberUnsent(out.second);
            return out;
        },
        [this](std::pair<HomeList, int> out) {
            if (m_stage != Stage::Home)
                return;  // locked meanwhile: show nothing
            m_incidents.setRows(std::move(out.first.rows), std::move(out.first.counts));
            if (out.second >= 0 && out.second != m_unsentIncidents) {
                m_unsentIncidents = out.second;
                emit unlockStatusChanged();
            }
            emit incidentsRefreshed();
        });
}

void AppController::seedDemo(int incidents)
{
    WorkerState* state = m_state.get();
    m_worker->run(
        this,
        [state, incidents]() -> QString {
            auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
            if (!models)
                return q(models.error().message);
            auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
            if (!rules)
                return q(rules.error().message);
            DemoOptions options;
            options.incidents = incidents;
            if (state->enrolment) {
                options.owner = state->enrolment->user.id;
                options.team = state->enrolment->user.team;
                options.borough = state->enrolment->user.borough;
            }
            QString result;
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto summary = generateDemoData(repo, store, *models, *rules, options,
                                                Actor{options.owner, "synthetic demo data"});
                if (!summary)
                    return std::move(summary).error();
                result = tr("Made %1 synthetic incidents.").arg(summary->incidents);
                return {};
            });
            if (!s.ok())
                return q(s.error().message);
            state->changed();
            return result;
        },
        [this](QString result) {
            emit demoSeeded(result);
            refreshList();
        });
}

void AppController::newDraft()
{
    if (m_stage != Stage::Home || m_busy)
        return;
    setBusy(true);
    WorkerState* state = m_state.get();
    m_worker->run(
        this,
        [state]() -> Result<std::string> {
            std::string id;
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                Incident draft;
                draft.date = todayIso();
                if (state->enrolment) {
                    draft.owner = state->enrolment->user.id;
                    draft.team = state->enrolment->user.team;
                    draft.borough = state->enrolment->user.borough;
                }
                auto made = IncidentRepository(store).createDraft(state->actor(), std::move(draft));
                if (!made)
                    return std::move(made).error();
                id = made->id;
                return {};
            });
            if (!s.ok())
                return s.error();
            state->changed();
            return id;
        },
        [this](Result<std::string> id) {
            setBusy(false);
            if (!id) {
                setMessage(q(id.error().message));
                return;
            }
            loadDraft(q(*id));
            refreshList();
        });
}

void AppController::openIncident(const QString& id)
{
    if (m_stage != Stage::Home)
        return;
    flushDraft();
    loadDraft(id);
}

void AppController::loadDraft(const QString& id)
{
    WorkerState* state = m_state.get();
    const std::string incidentId = id.toStdString();
    m_draftId = id;
    m_worker->run(
        this,
        [state, incidentId] {
            DraftFields out;
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                // Not audited here: the editor opens it next and its load is the one audited
                // "124D opened" entry.
                auto incident = repo.read(incidentId);
                if (!incident)
                    return std::move(incident).error();
                out.id = q(incident->id);
                out.state = QString::fromUtf8(toString(incident->state).data());
                out.date = q(incident->date);
                out.location = q(incident->location);
                out.cad = q(incident->refs.cad);
                if (incident->state == LifecycleState::Returned) {
                    auto list = repo.list(500);
                    if (list) {
                        for (const auto& summary : *list) {
                            if (summary.id == incidentId)
                                out.reviewNote = q(summary.lastCommandNote);
                        }
                    }
                }
                return {};
            });
            if (!s.ok())
                out.error = s.error();
            return out;
        },
        [this](DraftFields out) {
            if (m_stage != Stage::Home)
                return;
            if (out.error) {
                m_draftId.clear();
                emit draftChanged();
                setMessage(q(out.error->message));
                return;
            }
            m_draftId = out.id;
            m_draftState = out.state;
            m_draftDate = out.date;
            m_draftLocation = out.location;
            m_draftCad = out.cad;
            m_draftReviewNote = out.reviewNote;
            m_draftDirty = false;
            setDraftSaveState(QStringLiteral("saved"));
            emit draftChanged();
            m_editor->open(m_draftId);
        });
}

bool AppController::draftEditable() const
{
    return m_draftState == QLatin1String("draft") || m_draftState == QLatin1String("returned");
}

void AppController::closeDraft()
{
    flushDraft();
    m_editor->close();
    forgetDraftFields(false);
    refreshList();
}

void AppController::forgetDraftFields(bool keepId)
{
    if (!keepId)
        m_draftId.clear();
    m_draftState.clear();
    m_draftDate.clear();
    m_draftLocation.clear();
    m_draftCad.clear();
    m_draftReviewNote.clear();
    emit draftChanged();
}

void AppController::setDraftField(const QString& field, const QString& value)
{
    if (m_draftId.isEmpty() || !draftEditable())
        return;
    QString* target = field == QLatin1String("date")       ? &m_draftDate
                      : field == QLatin1String("location") ? &m_draftLocation
                      : field == QLatin1String("cad")      ? &m_draftCad
                                                           : nullptr;
    if (!target || *target == value)
        return;
    *target = value;
    if (m_editor->incidentId() == m_draftId) {
        // The wizard has it open: one writer for the 124D, the editor.
        m_editor->setText(field == QLatin1String("date")       ? QStringLiteral("incident.date")
                          : field == QLatin1String("location") ? QStringLiteral("incident.location")
                                                               : QStringLiteral("refs.cad"),
                          value);
        emit draftChanged();
        return;
    }
    m_draftDirty = true;
    setDraftSaveState(QStringLiteral("saving"));
    emit draftChanged();
    m_draftDebounce.start();
}

void AppController::flushDraft()
{
    m_draftDebounce.stop();
    if (!m_draftDirty || m_draftId.isEmpty())
        return;
    m_draftDirty = false;
    WorkerState* state = m_state.get();
    const std::string id = m_draftId.toStdString();
    const std::string date = m_draftDate.toStdString();
    const std::string location = m_draftLocation.toStdString();
    const std::string cad = m_draftCad.toStdString();
    m_worker->run(
        this,
        [state, id, date, location, cad]() -> std::optional<Error> {
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.read(id);
                if (!incident)
                    return std::move(incident).error();
                incident->date = date;
                incident->location = location;
                incident->refs.cad = cad;
                return repo.save(state->actor(), *incident);
            });
            if (!s.ok())
                return s.error();
            state->changed();
            return std::nullopt;
        },
        [this](std::optional<Error> error) {
            if (error) {
                m_draftDirty = true;  // kept on screen; the next keystroke or lock tries again
                setDraftSaveState(QStringLiteral("failed"));
                setMessage(q(error->message));
                return;
            }
            if (!m_draftDirty)
                setDraftSaveState(QStringLiteral("saved"));
        });
}

void AppController::setDraftSaveState(const QString& state)
{
    if (state == m_draftSaveState)
        return;
    m_draftSaveState = state;
    emit draftSaveStateChanged();
}

void AppController::noteActivity()
{
    if (m_stage == Stage::Home)
        restartIdleTimer();
}

void AppController::restartIdleTimer() { m_idleTimer.start(m_autoLockSeconds * 1000); }

void AppController::setAutoLockMinutes(int minutes)
{
    minutes = std::clamp(minutes, 1, 60);
    QSettings settings(QDir(m_options.dataDir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("autoLockMinutes"), minutes);
    setAutoLockSeconds(minutes * 60);
}

void AppController::setAutoLockSeconds(int seconds)
{
    seconds = std::max(1, seconds);
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
    } else {
        m_serverAddress = q(e->server.host) + QLatin1Char(':') + QString::number(e->server.port);
        m_serverPin = pinToText(e->server.pin);
        m_deviceId = q(e->deviceId);
        m_userId = q(e->user.id);
        m_userName = q(e->user.displayName.empty() ? e->user.id : e->user.displayName);
        m_userRole = roleLabel(e->user.role);
        m_supervisor = e->user.role == sync::Role::Supervisor;
        m_userTeam = q(e->user.team);
    }
    emit enrolmentChanged();
}

void AppController::applySyncStatus(const sync::SyncStatus& status)
{
    if (!m_acceptSync)
        return;  // a late report from an engine closing after a lock
    if (status.wipeOrdered)
        checkRemoteWipe();  // on the worker thread, never from the engine's callback
    const bool wasSyncing = m_syncState == QLatin1String("syncing");
    m_syncState = QString::fromUtf8(sync::toString(status.state).data());
    m_syncQueued = static_cast<int>(status.queued);
    const int queued = m_syncQueued;
    QString at;
    if (!status.lastSyncedAt.empty()) {
        const QDateTime when = QDateTime::fromString(q(status.lastSyncedAt), Qt::ISODate).toLocalTime();
        at = when.date() == QDate::currentDate() ? when.toString(QStringLiteral("HH:mm"))
                                                 : when.toString(QStringLiteral("d MMM HH:mm"));
    }
    switch (status.state) {
    case sync::SyncStatus::State::Syncing: m_syncText = tr("Syncing…"); break;
    case sync::SyncStatus::State::Offline:
        m_syncText = queued > 0 ? tr("Offline: %n change(s) waiting", nullptr, queued) : tr("Offline");
        break;
    case sync::SyncStatus::State::Failed:
        m_syncText = queued > 0 ? tr("Not sent: %n change(s) waiting", nullptr, queued) : tr("Sync failed");
        break;
    case sync::SyncStatus::State::Idle:
        if (queued > 0)
            m_syncText = tr("%n change(s) waiting", nullptr, queued);
        else
            m_syncText = at.isEmpty() ? tr("Not synced yet") : tr("Synced at %1").arg(at);
        break;
    case sync::SyncStatus::State::Stopped: m_syncText = tr("Sync paused"); break;
    }
    QStringList detail;
    if (status.lastError)
        detail << q(status.lastError->message);
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
    m_syncDetail = detail.join(QLatin1Char('\n'));
    emit syncChanged();
    if (wasSyncing && status.state != sync::SyncStatus::State::Syncing)
        refreshList();  // pulled records and sent changes show in the list
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
        refreshList();  // recounts unsentIncidents from the store
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
        m_draftDebounce.stop();  // nothing more is written: the records are about to go
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
    m_acceptSync = false;
    m_incidents.clear();
    m_draftDirty = false;
    forgetDraftFields(false);
    m_unsentIncidents = 0;
    m_failedAttempts = 0;
    m_attemptsBeforeWipe = 0;
    emit unlockStatusChanged();
    m_syncState = QStringLiteral("stopped");
    m_syncText = tr("Wiped: nothing to sync");
    m_syncDetail.clear();
    emit syncChanged();
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
