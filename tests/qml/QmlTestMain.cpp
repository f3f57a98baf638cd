// Qt Quick Tests of the officer's app: the real QML module and controller, a real
// vigil-server on 127.0.0.1 to enrol against, a real SQLCipher store in a temporary folder.
// The key store is the in-memory one (named as such): the OS key store has its own tests.
#include <memory>

#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include "bridge/AppController.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

Q_IMPORT_QML_PLUGIN(VigilPlugin)

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
    std::unique_ptr<vigil::app::AppController> m_controller;
};

QUICK_TEST_MAIN_WITH_SETUP(vigil_qml, Setup)

#include "QmlTestMain.moc"
