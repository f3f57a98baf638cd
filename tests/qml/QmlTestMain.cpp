// Qt Quick Tests of the officer's app: the real QML module and controller, a real
// vigil-server on 127.0.0.1 to enrol against, a real SQLCipher store in a temporary folder.
// The key store is the in-memory one (named as such): the OS key store has its own tests.
#include <array>
#include <memory>
#include <thread>

#include <QMetaObject>
#include <QPointer>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include <sodium.h>

#include "bridge/AppController.h"
#include "core/records/IncidentRepository.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncClient.h"
#include "sync/client/SyncEngine.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

Q_IMPORT_QML_PLUGIN(VigilPlugin)

/// A supervisor's desktop for the tests: its own enrolled device (a real SQLCipher store, its
/// own sync engine) against the same vigil-server. It pulls the team's 124Ds, returns one
/// with QA notes through the lifecycle command, and pushes it, as a real supervisor would.
/// The work runs on its own thread; QML waits on `busy`.
class SupervisorDesk : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY finished)
    Q_PROPERTY(QString error READ error NOTIFY finished)

public:
    explicit SupervisorDesk(vigil::test::ServerProcess& server) : m_server(server) {}
    ~SupervisorDesk() override
    {
        if (m_thread.joinable())
            m_thread.join();
    }

    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString error() const { return m_error; }

    /// Pull, send the "return" command with `note` for the 124D `id`, push.
    Q_INVOKABLE void returnIncident(const QString& id, const QString& note)
    {
        if (m_busy)
            return;
        if (m_thread.joinable())
            m_thread.join();
        m_busy = true;
        m_error.clear();
        const std::string code = m_server.enrolCode("ds.1907");
        QPointer<SupervisorDesk> self(this);
        m_thread = std::thread([self, code, incident = id.toStdString(), text = note.toStdString(), this] {
            const std::string error = run(code, incident, text);
            QMetaObject::invokeMethod(
                self.data(),
                [self, error] {
                    if (!self)
                        return;
                    self->m_busy = false;
                    self->m_error = QString::fromStdString(error);
                    emit self->finished();
                },
                Qt::QueuedConnection);
        });
    }

signals:
    void finished();

private:
    std::string run(const std::string& code, const std::string& id, const std::string& note)
    {
        using namespace vigil;
        if (!m_link) {
            m_link = std::make_unique<sync::DeviceLink>(m_client, m_secrets, "supervisor");
            auto e = m_link->enrol(code, "Supervisor desktop");
            if (!e)
                return "enrol: " + e.error().message;
            std::array<unsigned char, 32> key{};
            randombytes_buf(key.data(), key.size());
            OpenOptions options;
            options.create = true;
            auto db = Database::open(m_dir.path() / "supervisor.db", key, options);
            if (!db)
                return "open: " + db.error().message;
            m_db = std::move(*db);
            if (Status s = migrate(*m_db, deviceSchema()); !s.ok())
                return "migrate: " + s.error().message;
            auto records = RecordStore::open(*m_db, systemClock());
            if (!records)
                return "records: " + records.error().message;
            m_records = std::move(*records);
            if (Status s = m_records->setDeviceId(e->deviceId); !s.ok())
                return s.error().message;
        }
        const Actor actor{"ds.1907", "quality assurance"};
        const auto syncOnce = [&]() -> std::string {
            sync::SyncEngine engine(*m_link);
            engine.start(*m_records, actor);
            auto report = engine.syncOnce();
            engine.stop();
            return report ? std::string() : "sync: " + report.error().message;
        };
        if (auto e = syncOnce(); !e.empty())
            return e;
        IncidentRepository repo(*m_records);
        auto incident = repo.read(id);
        if (!incident)
            return "read: " + incident.error().message;
        if (incident->state != LifecycleState::Submitted)
            return "the 124D reached the supervisor as " + std::string(toString(incident->state));
        if (Status s = repo.transition(actor, id, LifecycleState::Returned, "return", note); !s.ok())
            return "return: " + s.error().message;
        return syncOnce();
    }

    vigil::test::ServerProcess& m_server;
    vigil::test::TempDir m_dir{"vigil-supervisor"};
    vigil::test::InMemorySecretStore m_secrets;
    vigil::sync::SyncClient m_client;
    std::unique_ptr<vigil::sync::DeviceLink> m_link;
    std::unique_ptr<vigil::Database> m_db;
    std::unique_ptr<vigil::RecordStore> m_records;
    bool m_busy = false;
    QString m_error;
    std::thread m_thread;
};

class Setup : public QObject {
    Q_OBJECT

public slots:
    void qmlEngineAvailable(QQmlEngine* engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (m_controller)
            return;
        m_server = std::make_unique<vigil::test::ServerProcess>();
        m_server->addUser("pc.4821");
        m_server->addUser("ds.1907", "supervisor");
        m_supervisor = std::make_unique<SupervisorDesk>(*m_server);
        qmlRegisterSingletonInstance("VigilTest", 1, 0, "Supervisor", m_supervisor.get());
        vigil::app::AppOptions options;
        options.dataDir = QString::fromStdString((m_dir.path() / "app").string());
        options.profile = vigil::app::profileForDataDir(options.dataDir);
        options.kdf = vigil::KdfStrength::Interactive;
        options.policy.lockoutAfter = 3;  // small numbers keep the lockout test short
        options.policy.wipeAfter = 5;
        options.policy.firstLockout = std::chrono::seconds(3);
        options.prefillCode = QString::fromStdString(m_server->enrolCode("pc.4821"));
        m_controller = std::make_unique<vigil::app::AppController>(options, m_secrets);
        vigil::app::AppController::setInstance(m_controller.get());
        m_controller->start();
    }

    void cleanupTestCase()
    {
        if (m_controller)
            m_controller->shutdown();
    }

private:
    vigil::test::TempDir m_dir{"vigil-qml"};
    vigil::test::InMemorySecretStore m_secrets;
    std::unique_ptr<vigil::test::ServerProcess> m_server;
    std::unique_ptr<SupervisorDesk> m_supervisor;
    std::unique_ptr<vigil::app::AppController> m_controller;
};

QUICK_TEST_MAIN_WITH_SETUP(vigil_qml, Setup)

#include "QmlTestMain.moc"
