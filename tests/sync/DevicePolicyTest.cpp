// The administrator's device policy reaches every device through the server (issue 22): the
// longest auto-lock a user may choose is set in the server's configuration
// (`max_auto_lock_minutes`), sent in every pull answer and kept in the device's encrypted store,
// where the app reads it (AppController::refreshPolicy). Real vigil-server processes on
// 127.0.0.1, real TLS, a real SQLCipher store on the device.
#include <catch2/catch.hpp>

#include "core/records/DevicePolicy.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::ServerProcess;

TEST_CASE("The force's longest auto-lock comes from the server's configuration and caps what a user may choose",
          "[sync][policy]")
{
    ServerProcess server([](nlohmann::json& c) { c["max_auto_lock_minutes"] = 3; });
    server.addUser("pc.p", "officer", "north", "camden");
    SyncClient client;
    test::Handset device(client, server, "pc.p");
    // Before its first sync the device applies the default.
    CHECK(*device.records().maxAutoLockMinutes() == 0);
    CHECK(effectiveAutoLockMinutes(30, 0) == kDefaultMaxAutoLockMinutes);
    device.sync();
    CHECK(*device.records().maxAutoLockMinutes() == 3);
    // A user who chose 30 minutes (or edited the settings file to say so) gets the policy's 3;
    // a shorter choice stands.
    CHECK(effectiveAutoLockMinutes(30, *device.records().maxAutoLockMinutes()) == 3);
    CHECK(effectiveAutoLockMinutes(2, *device.records().maxAutoLockMinutes()) == 2);
    CHECK(effectiveAutoLockMinutes(0, 3) == 1);
}

TEST_CASE("A server without the setting sends its default, and a setting out of range stops it starting with words",
          "[sync][policy]")
{
    {
        ServerProcess server;
        server.addUser("pc.q", "officer", "north", "camden");
        SyncClient client;
        test::Handset device(client, server, "pc.q");
        device.sync();
        CHECK(*device.records().maxAutoLockMinutes() == kDefaultMaxAutoLockMinutes);
    }
    for (int bad : {0, 61}) {
        INFO(bad);
        bool refused = false;
        std::string why;
        try {
            ServerProcess server([bad](nlohmann::json& c) { c["max_auto_lock_minutes"] = bad; });
        } catch (const std::exception& e) {
            refused = true;
            why = e.what();
        }
        CHECK(refused);
        CHECK_THAT(why, Catch::Contains("max_auto_lock_minutes"));
    }
}
