// vigil-device as a real process with the real OS key store (gnome-keyring on a private
// D-Bus session, as scripts/vigil.sh test runs it). Fails, never skips, without one.
#include <catch2/catch.hpp>

#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

using namespace vigil;
using vigil::test::runProcess;
using vigil::test::ServerProcess;

TEST_CASE("vigil-device enrols into the OS key store, shows its standing and sees revocation", "[device][keystore]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    test::TempDir dir("vigil-device");
    const std::string deviceDir = (dir.path() / "tablet").string();

    auto before = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", deviceDir});
    INFO(before.err);
    REQUIRE(before.exitCode == 3);
    CHECK_THAT(before.out, Catch::Contains("Not enrolled"));

    auto enrol = runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", deviceDir, "--code", server.enrolCode("pc.4821")});
    INFO(enrol.err);
    REQUIRE(enrol.exitCode == 0);
    CHECK_THAT(enrol.out, Catch::Contains("Enrolled as device"));
    // Nothing secret is left in the device folder: the credential is in the key store.
    CHECK(std::filesystem::is_empty(deviceDir));

    auto status = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", deviceDir});
    INFO(status.err);
    REQUIRE(status.exitCode == 0);
    CHECK_THAT(status.out, Catch::Contains("active") && Catch::Contains("pc.4821"));

    const std::string deviceId = enrol.out.substr(enrol.out.find("device ") + 7, 36);
    REQUIRE(server.admin({"device", "revoke", deviceId}).exitCode == 0);
    auto revoked = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", deviceDir});
    CHECK(revoked.exitCode == 3);
    CHECK_THAT(revoked.out, Catch::Contains("REVOKED"));

    CHECK(runProcess(VIGIL_DEVICE_EXE, {"forget", "--dir", deviceDir}).exitCode == 0);
    CHECK(runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", deviceDir}).exitCode == 2);
    CHECK(runProcess(VIGIL_DEVICE_EXE, {"--help"}).exitCode == 0);
}
