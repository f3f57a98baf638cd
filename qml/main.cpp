// vigil: the officer's app. Wiring only: options from the command line and environment,
// the OS key store, the controller, the QML engine. Everything else lives in vigil_app.
#include <cstdio>
#include <cstdlib>

#include <sys/stat.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QStandardPaths>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>

#include <sodium.h>

#include "bridge/AppController.h"
#include "bridge/ScreenshotDirector.h"
#include "platform/ProcessHardening.h"
#include "platform/QtKeychainSecretStore.h"

Q_IMPORT_QML_PLUGIN(VigilPlugin)

int main(int argc, char** argv)
{
    vigil::hardenProcess();
    ::umask(077);
    if (sodium_init() < 0) {
        std::fputs("vigil: the cryptography library could not start. Reinstall Vigil.\n", stderr);
        return 1;
    }
    // Qt Charts (supervisor screens) needs QApplication, not QGuiApplication.
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Vigil"));
    QApplication::setOrganizationName(QStringLiteral("Vigil"));
    QApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
    QQuickStyle::setStyle(QStringLiteral("Material"));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Vigil: domestic abuse risk assessment for response officers."));
    cli.addHelpOption();
    cli.addVersionOption();
    QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Where Vigil keeps its encrypted store."),
                               QStringLiteral("DIR"));
    QCommandLineOption code(QStringLiteral("enrol-code"),
                            QStringLiteral("Fill in this enrolment code on the first-run screen."), QStringLiteral("CODE"));
    QCommandLineOption shots(QStringLiteral("screenshots"),
                             QStringLiteral("Render the review screenshots into DIR and quit (needs a demo server)."),
                             QStringLiteral("DIR"));
    QCommandLineOption shotPin(QStringLiteral("screenshot-pin"), QStringLiteral("The PIN the screenshot run sets."),
                               QStringLiteral("PIN"), QStringLiteral("582914"));
    cli.addOptions({dataDir, code, shots, shotPin});
    cli.process(app);

    vigil::app::AppOptions options;
    options.dataDir = cli.isSet(dataDir) ? cli.value(dataDir)
                      : qEnvironmentVariableIsSet("VIGIL_DATA_DIR")
                          ? qEnvironmentVariable("VIGIL_DATA_DIR")
                          : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(options.dataDir);
    ::chmod(QFile::encodeName(options.dataDir).constData(), 0700);
    options.profile = vigil::app::profileForDataDir(options.dataDir);
    options.prefillCode = cli.isSet(code) ? cli.value(code) : qEnvironmentVariable("VIGIL_ENROL_CODE");
    if (qEnvironmentVariable("VIGIL_KDF") == QLatin1String("interactive"))
        options.kdf = vigil::KdfStrength::Interactive;  // demos and tests only: a faster key derivation

    QTranslator translator;
    // The British English file is also the fallback: it holds the plural forms.
    if (translator.load(QLocale(), QStringLiteral("vigil"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral("vigil_en_GB"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    vigil::QtKeychainSecretStore secrets("Vigil");
    vigil::app::AppController controller(options, secrets);
    vigil::app::AppController::setInstance(&controller);
    vigil::app::ActivityFilter activity(controller);
    app.installEventFilter(&activity);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.load(QUrl(QStringLiteral("qrc:/Vigil/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        std::fputs("vigil: the user interface could not be loaded. Reinstall Vigil.\n", stderr);
        return 1;
    }
    controller.start();

    std::unique_ptr<vigil::app::ScreenshotDirector> director;
    if (cli.isSet(shots)) {
        director = std::make_unique<vigil::app::ScreenshotDirector>(controller, engine, cli.value(shots),
                                                                     cli.value(shotPin));
        director->begin();
    }
    const int rc = QApplication::exec();
    controller.shutdown();
    return director ? director->exitCode() : rc;
}
