// The app's side of a wipe (issue 6): the real AppController, a real vigil-server on
// 127.0.0.1 and vigil-admin, a real SQLCipher store in a temporary folder. A device flagged
// with `vigil-admin device wipe` must wipe itself while it sits locked at the unlock screen;
// an officer who wipes the device in settings is first told how many 124Ds are unsent.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <functional>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>

#include "bridge/AppController.h"
#include "bridge/DraftController.h"
#include "bridge/HomeListController.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

using vigil::app::AppController;
using vigil::app::HomeListController;

namespace {

constexpr const char* kPin = "582914";

/// Spin the event loop (the controller answers on it) until `done` or the timeout.
bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20))
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeout.count())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

/// Files left under the app's store folder (the database and the wrapped key live there).
std::size_t storeFiles(const std::filesystem::path& dataDir)
{
    const auto dir = dataDir / "store";
    if (!std::filesystem::exists(dir))
        return 0;
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        n += entry.is_regular_file() ? 1U : 0U;
    return n;
}

/// An officer's app enrolled against the server, PIN set, unlocked at home.
struct App {
    vigil::test::TempDir dir{"vigil-app-wipe"};
    vigil::test::InMemorySecretStore secrets;
    std::filesystem::path dataDir = dir.path() / "app";
    std::unique_ptr<AppController> controller;

    explicit App(vigil::test::ServerProcess& server, const std::string& user)
    {
        server.addUser(user);
        vigil::app::AppOptions options;
        options.dataDir = QString::fromStdString(dataDir.string());
        options.profile = vigil::app::profileForDataDir(options.dataDir);
        options.kdf = vigil::KdfStrength::Interactive;
        controller = std::make_unique<AppController>(options, secrets);
        controller->start();
        REQUIRE(waitFor([&] { return controller->stage() == AppController::Stage::Enrol; }));
        controller->enrol(QString::fromStdString(server.enrolCode(user)), QStringLiteral("test tablet"));
        REQUIRE(waitFor([&] { return controller->stage() == AppController::Stage::SetPin; }));
        controller->setPin(QString::fromLatin1(kPin), QString::fromLatin1(kPin));
        REQUIRE(waitFor([&] { return controller->stage() == AppController::Stage::Home; }));
    }

    ~App()
    {
        if (controller)
            controller->shutdown();
    }

    void newDraft()
    {
        QSignalSpy refreshed(controller->home(), &HomeListController::refreshed);
        controller->draft()->createNew();
        REQUIRE(waitFor([&] { return !controller->draft()->incidentId().isEmpty() && refreshed.count() > 0; }));
    }
};

std::string statusOf(vigil::test::ServerProcess& server, const QString& deviceId)
{
    auto r = server.admin({"device", "status", deviceId.toStdString()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return r.out;
}

}  // namespace

TEST_CASE("A locked app wipes itself when an administrator orders it, and the server records the report",
          "[app][wipe]")
{
    vigil::test::ServerProcess server;
    App app(server, "pc.5001");
    app.newDraft();
    const QString deviceId = app.controller->deviceId();
    REQUIRE_FALSE(deviceId.isEmpty());
    REQUIRE(storeFiles(app.dataDir) > 0);

    QSignalSpy locked(app.controller.get(), &AppController::locked);
    app.controller->lock();
    REQUIRE(waitFor([&] { return locked.count() > 0; }));
    REQUIRE(app.controller->stage() == AppController::Stage::Unlock);

    // Not yet ordered: the check leaves everything in place.
    QSignalSpy checked(app.controller.get(), &AppController::wipeChecked);
    app.controller->checkRemoteWipe();
    REQUIRE(waitFor([&] { return checked.count() > 0; }));
    CHECK(app.controller->stage() == AppController::Stage::Unlock);
    CHECK(storeFiles(app.dataDir) > 0);

    auto order = server.admin({"device", "wipe", deviceId.toStdString()});
    INFO(order.err);
    REQUIRE(order.exitCode == 0);

    // Nobody unlocks it: the check uses the device credential alone.
    app.controller->checkRemoteWipe();
    REQUIRE(waitFor([&] { return app.controller->stage() == AppController::Stage::Wiped; }));
    CHECK(app.controller->message().contains(QStringLiteral("administrator ordered")));
    CHECK(app.controller->message().contains(QStringLiteral("The station has been told")));
    CHECK(storeFiles(app.dataDir) == 0);
    CHECK(app.controller->deviceId().isEmpty());
    CHECK(app.controller->home()->incidents()->rowCount() == 0);
    CHECK_THAT(statusOf(server, deviceId), Catch::Contains("wiped"));

    // The wiped app cannot be unlocked into anything: the PIN screen is gone for good.
    app.controller->unlock(QString::fromLatin1(kPin));
    CHECK(app.controller->stage() == AppController::Stage::Wiped);
}

TEST_CASE("An officer wiping the device in settings is told first how many 124Ds are unsent", "[app][wipe]")
{
    vigil::test::ServerProcess server;
    App app(server, "pc.5002");
    const QString deviceId = app.controller->deviceId();

    // Offline: a new 124D cannot reach the station.
    REQUIRE(server.stop() >= 0);
    app.newDraft();
    QSignalSpy counted(app.controller->home(), &HomeListController::refreshed);
    app.controller->countUnsent();
    REQUIRE(waitFor([&] { return counted.count() > 0; }));
    CHECK(app.controller->unsentIncidents() == 1);

    // The wipe never waits for the network: with the server down it still destroys everything
    // and keeps the report owed.
    app.controller->wipeDevice();
    REQUIRE(waitFor([&] { return app.controller->stage() == AppController::Stage::Wiped; }));
    CHECK(app.controller->message().contains(QStringLiteral("You wiped Vigil")));
    CHECK(app.controller->message().contains(QStringLiteral("could not be told yet")));
    CHECK(storeFiles(app.dataDir) == 0);
    CHECK(app.controller->unsentIncidents() == 0);

    // The server comes back: the next check delivers the report owed.
    server.restart();
    QSignalSpy checked(app.controller.get(), &AppController::wipeChecked);
    app.controller->checkRemoteWipe();
    REQUIRE(waitFor([&] { return checked.count() > 0; }));
    CHECK_THAT(statusOf(server, deviceId), Catch::Contains("wiped"));
}
