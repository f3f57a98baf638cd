// vigil: the officer's app. Wiring only: options from the command line and environment,
// the OS key store, the controller, the QML engine. Everything else lives in vigil_app.
//
// Built twice (qml/CMakeLists.txt): `vigil`, the app users get, and `vigil-test`
// (VIGIL_TEST_BUILD), which adds the switches that tests, benchmarks and the screenshot run use
// to seed, drive and photograph a store: --script, --seed-demo, --measure-startup,
// --screenshots, --enrol-code and VIGIL_KDF=interactive. None of them is in `vigil`, so a
// user's store cannot be seeded or driven from the command line (issue 22; tested by
// app.shipped_app_has_no_test_switches).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>
#include <QQuickStyle>
#include <QStandardPaths>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>

#include <sodium.h>

#include "bridge/AppController.h"
#include "bridge/HomeListController.h"
#include "bridge/SyncStatusBridge.h"
#ifdef VIGIL_TEST_BUILD
#include "bridge/ScreenshotDirector.h"
#include "bridge/ScriptDriver.h"
#endif
#include "core/risk/RiskModelDir.h"
#include "platform/ProcessHardening.h"
#include "platform/QtKeychainSecretStore.h"

Q_IMPORT_QML_PLUGIN(VigilPlugin)

namespace {

/// `--enrol-code-file FILE`: the one-time enrolment code, handed over without the command
/// line (which every user can read in `ps`). The file must be a regular file of this user
/// that no one else may read (mode 0600 or stricter); it is read, then removed. On a refusal
/// or error, says why on stderr and returns nothing.
std::optional<QString> readEnrolCodeFile(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    const auto fail = [&](const char* why) {
        std::fprintf(stderr, "vigil: --enrol-code-file %s: %s\n", name.constData(), why);
        return std::nullopt;
    };
    const int fd = ::open(name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return fail(errno == ELOOP ? "a symbolic link: refusing it (name the file itself)" : std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail("not a regular file");
    }
    if (st.st_uid != ::getuid()) {
        ::close(fd);
        return fail("the file belongs to another user; refusing it");
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return fail("other users may read this file, so the code may have been seen: refusing it "
                    "(make a new code and write it to a file only you can read: chmod 600)");
    }
    char buf[1024];
    std::size_t used = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf + used, sizeof buf - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return fail(std::strerror(err));
        }
        if (n == 0)
            break;
        used += static_cast<std::size_t>(n);
        if (used == sizeof buf) {
            ::close(fd);
            sodium_memzero(buf, sizeof buf);
            return fail("too long for an enrolment code");
        }
    }
    ::close(fd);
    const QString code = QString::fromUtf8(buf, static_cast<qsizetype>(used)).trimmed();
    sodium_memzero(buf, sizeof buf);
    // One use only: the file goes once read, whatever happens next.
    if (::unlink(name.constData()) != 0)
        std::fprintf(stderr, "vigil: --enrol-code-file %s: read, but could not remove it: %s\n", name.constData(),
                     std::strerror(errno));
    if (code.isEmpty())
        return fail("the file is empty");
    return code;
}

#ifdef VIGIL_TEST_BUILD
/// `--measure-startup` / `--seed-demo N` (docs/performance.md): unlock with the PIN in
/// VIGIL_MEASURE_PIN, then either time cold start → unlock screen drawn and unlock → home
/// drawn, or add N synthetic incidents; print the result and quit.
void measure(vigil::app::AppController& controller, QQmlApplicationEngine& engine, const QElapsedTimer& sinceStart,
             int seed, bool untilSynced)
{
    using Stage = vigil::app::AppController::Stage;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().value(0));
    auto unlockShownMs = std::make_shared<qint64>(-1);
    auto unlockAsked = std::make_shared<QElapsedTimer>();
    QObject::connect(window, &QQuickWindow::frameSwapped, &controller, [=, &controller] {
        if (controller.stage() == Stage::Unlock && *unlockShownMs < 0) {
            *unlockShownMs = sinceStart.elapsed();
            unlockAsked->start();
            controller.unlock(qEnvironmentVariable("VIGIL_MEASURE_PIN"));
        } else if (controller.stage() == Stage::Home && unlockAsked->isValid() && seed == 0) {
            std::printf("cold start to unlock screen drawn: %lld ms\nunlock to home drawn: %lld ms (%d incidents listed of %d;"
                        " %d with unsent changes)\n",
                        *unlockShownMs, unlockAsked->elapsed(), controller.home()->incidents()->rowCount(),
                        controller.home()->incidents()->totalCount(), controller.unsentIncidents());
            unlockAsked->invalidate();
            if (!untilSynced) {
                QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(0); });
                return;
            }
            // Stay until the server has everything (to measure a synced store next time).
            auto syncing = std::make_shared<QElapsedTimer>();
            syncing->start();
            const auto check = [=, &controller] {
                if (controller.syncStatus()->state() == QLatin1String("idle") && controller.syncStatus()->queued() == 0
                    && controller.unsentIncidents() == 0 && syncing->isValid()) {
                    std::printf("synced: nothing waiting after %lld ms\n", syncing->elapsed());
                    syncing->invalidate();
                    QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(0); });
                }
            };
            QObject::connect(controller.syncStatus(), &vigil::app::SyncStatusBridge::changed, &controller, check);
            QObject::connect(&controller, &vigil::app::AppController::unlockStatusChanged, &controller, check);
            controller.syncStatus()->syncNow();
        }
    });
    QObject::connect(&controller, &vigil::app::AppController::stageChanged, &controller, [=, &controller] {
        if (controller.stage() == Stage::Home && seed > 0)
            controller.home()->seedDemo(seed);
        if (controller.stage() == Stage::Unlock && !controller.message().isEmpty()) {
            std::fprintf(stderr, "vigil: %s\n", qPrintable(controller.message()));
            QCoreApplication::exit(1);
        }
    });
    QObject::connect(controller.home(), &vigil::app::HomeListController::demoSeeded, &controller, [](const QString& result) {
        std::printf("%s\n", qPrintable(result));
        QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(0); });
    });
}
#endif

}  // namespace

int main(int argc, char** argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
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
    // The desktop entry's name: Wayland compositors find the window's icon and entry by it.
    QApplication::setDesktopFileName(QStringLiteral(VIGIL_APP_ID));
    QQuickStyle::setStyle(QStringLiteral("Material"));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Vigil: domestic abuse risk assessment for response officers."));
    cli.addHelpOption();
    cli.addVersionOption();
    QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Where Vigil keeps its encrypted store."),
                               QStringLiteral("DIR"));
    QCommandLineOption codeFile(
        QStringLiteral("enrol-code-file"),
        QStringLiteral("Fill in the enrolment code read from FILE on the first-run screen. FILE must be yours and "
                       "readable by you only (chmod 600); it is removed once read. (The environment variable "
                       "VIGIL_ENROL_CODE works too.)"),
        QStringLiteral("FILE"));
    cli.addOptions({dataDir, codeFile});
#ifdef VIGIL_TEST_BUILD
    QCommandLineOption code(QStringLiteral("enrol-code"),
                            QStringLiteral("Testing only: fill in CODE on the first-run screen. Every user of this "
                                           "machine can see a command line: use --enrol-code-file."),
                            QStringLiteral("CODE"));
    QCommandLineOption shots(QStringLiteral("screenshots"),
                             QStringLiteral("Render the review screenshots into DIR and quit (needs a demo server)."),
                             QStringLiteral("DIR"));
    QCommandLineOption shotPin(QStringLiteral("screenshot-pin"), QStringLiteral("The PIN the screenshot run sets."),
                               QStringLiteral("PIN"), QStringLiteral("582914"));
    QCommandLineOption measureStart(QStringLiteral("measure-startup"),
                                    QStringLiteral("Time start-up and unlock (PIN in VIGIL_MEASURE_PIN), print, quit."));
    QCommandLineOption seedDemo(QStringLiteral("seed-demo"),
                                QStringLiteral("Unlock (PIN in VIGIL_MEASURE_PIN), add N synthetic incidents, quit."),
                                QStringLiteral("N"));
    QCommandLineOption untilSynced(QStringLiteral("until-synced"),
                                   QStringLiteral("With --measure-startup: then stay until nothing waits to be sent."));
    // Tests only (tests/app): drive the app from a script of steps; the PIN comes on standard
    // input and goes through the normal unlock (see bridge/ScriptDriver.h).
    QCommandLineOption script(QStringLiteral("script"),
                              QStringLiteral("Testing only: run the steps in FILE; the PIN is read from standard input."),
                              QStringLiteral("FILE"));
    cli.addOptions({code, shots, shotPin, measureStart, seedDemo, untilSynced, script});
#endif
    cli.process(app);
    // The risk models and rules are data beside the program (/usr/share/vigil/risk-models): without
    // them no 124D can be scored, so say where they were looked for and stop.
    if (auto models = vigil::shippedRiskModelDir(); !models) {
        std::fprintf(stderr, "vigil: %s\n", models.error().message.c_str());
        return 1;
    }

    vigil::app::AppOptions options;
    options.dataDir = cli.isSet(dataDir) ? cli.value(dataDir)
                      : qEnvironmentVariableIsSet("VIGIL_DATA_DIR")
                          ? qEnvironmentVariable("VIGIL_DATA_DIR")
                          : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(options.dataDir);
    ::chmod(QFile::encodeName(options.dataDir).constData(), 0700);
    options.profile = vigil::app::profileForDataDir(options.dataDir);
    if (cli.isSet(codeFile)) {
        const auto fromFile = readEnrolCodeFile(cli.value(codeFile));
        if (!fromFile)
            return 2;
        options.prefillCode = *fromFile;
    } else {
        options.prefillCode = qEnvironmentVariable("VIGIL_ENROL_CODE");
#ifdef VIGIL_TEST_BUILD
        if (cli.isSet(code))
            options.prefillCode = cli.value(code);
#endif
    }
    qunsetenv("VIGIL_ENROL_CODE");  // not handed on to anything this process starts
#ifdef VIGIL_TEST_BUILD
    if (qEnvironmentVariable("VIGIL_KDF") == QLatin1String("interactive"))
        options.kdf = vigil::KdfStrength::Interactive;  // tests only: a faster key derivation
#endif

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
#ifdef VIGIL_TEST_BUILD
    if (cli.isSet(measureStart) || cli.isSet(seedDemo))
        measure(controller, engine, sinceStart, cli.isSet(seedDemo) ? cli.value(seedDemo).toInt() : 0,
                cli.isSet(untilSynced));
#endif
    controller.start();

#ifdef VIGIL_TEST_BUILD
    std::unique_ptr<vigil::app::ScreenshotDirector> director;
    if (cli.isSet(shots)) {
        director = std::make_unique<vigil::app::ScreenshotDirector>(controller, engine, cli.value(shots),
                                                                     cli.value(shotPin));
        director->begin();
    }
    std::unique_ptr<vigil::app::ScriptDriver> driver;
    if (cli.isSet(script)) {
        std::string pin;
        std::getline(std::cin, pin);
        driver = std::make_unique<vigil::app::ScriptDriver>(controller, engine, QString::fromStdString(pin));
        sodium_memzero(pin.data(), pin.size());
        QString error;
        if (!driver->load(cli.value(script), &error)) {
            std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
            controller.shutdown();
            return 2;
        }
        driver->begin();
    }
#endif
    const int rc = QApplication::exec();
    controller.shutdown();
#ifdef VIGIL_TEST_BUILD
    if (director)
        return director->exitCode();
#endif
    return rc;
}
