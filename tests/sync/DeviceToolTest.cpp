// vigil-device as a real process with the real OS key store (gnome-keyring on a private
// D-Bus session, as scripts/vigil.sh test runs it). Fails, never skips, without one.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

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

TEST_CASE("vigil-device makes demo records offline, syncs them to a team-mate and reports status and conflicts",
          "[device][keystore][engine]")
{
    ::setenv("VIGIL_DEVICE_PIN", "480516", 1);
    ::setenv("VIGIL_DEVICE_KDF", "interactive", 1);
    ServerProcess server;
    server.addUser("pc.a");
    server.addUser("pc.b");
    test::TempDir dir("vigil-device");
    const std::string a = (dir.path() / "a").string();
    const std::string b = (dir.path() / "b").string();
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", a, "--code", server.enrolCode("pc.a")}).exitCode == 0);
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", b, "--code", server.enrolCode("pc.b")}).exitCode == 0);

    auto demo = runProcess(VIGIL_DEVICE_EXE, {"demo", "--dir", a, "--incidents", "3"});
    INFO(demo.err);
    REQUIRE(demo.exitCode == 0);
    CHECK_THAT(demo.out, Catch::Contains("Made 3 synthetic incidents"));
    auto waiting = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", a});
    INFO(waiting.out << waiting.err);
    REQUIRE(waiting.exitCode == 0);
    CHECK_THAT(waiting.out, Catch::Contains("3 incident(s)") && Catch::Contains("last synced never"));

    auto syncA = runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", a});
    INFO(syncA.out << syncA.err);
    REQUIRE(syncA.exitCode == 0);
    CHECK_THAT(syncA.out, Catch::Contains("Synced at"));
    auto statusA = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", a});
    INFO(statusA.out);
    CHECK_THAT(statusA.out, Catch::Contains("0 change(s) waiting") && !Catch::Contains("last synced never"));

    auto syncB = runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", b});
    INFO(syncB.out << syncB.err);
    REQUIRE(syncB.exitCode == 0);
    auto statusB = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", b});
    INFO(statusB.out);
    CHECK_THAT(statusB.out, Catch::Contains("3 incident(s)"));
    auto conflicts = runProcess(VIGIL_DEVICE_EXE, {"conflicts", "--dir", b});
    CHECK(conflicts.exitCode == 0);
    CHECK_THAT(conflicts.out, Catch::Contains("0 conflict(s)"));
    CHECK(runProcess(VIGIL_DEVICE_EXE, {"demo", "--dir", a}).exitCode == 2);
}

TEST_CASE("vigil-device return sends a submitted 124D back to its officer with QA notes, checked by the server",
          "[device][keystore][engine]")
{
    ::setenv("VIGIL_DEVICE_PIN", "480516", 1);
    ::setenv("VIGIL_DEVICE_KDF", "interactive", 1);
    ServerProcess server;
    server.addUser("pc.a");
    server.addUser("sgt.s", "supervisor");
    test::TempDir dir("vigil-device");
    const std::string a = (dir.path() / "a").string();
    const std::string s = (dir.path() / "s").string();
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", a, "--code", server.enrolCode("pc.a")}).exitCode == 0);
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", s, "--code", server.enrolCode("sgt.s")}).exitCode == 0);

    // Nothing to return before the supervisor's device has the officer's records: words, not a guess.
    auto early = runProcess(VIGIL_DEVICE_EXE, {"return", "--dir", s, "--note", "refs.cad: the CAD number is missing"});
    CHECK(early.exitCode == 1);
    CHECK_THAT(early.err + early.out, Catch::Contains("No submitted 124D on this device to return: sync first."));

    // Demo data holds drafts and submitted 124Ds (seeded: the same every run).
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"demo", "--dir", a, "--incidents", "8", "--seed", "11"}).exitCode == 0);
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", a}).exitCode == 0);
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", s}).exitCode == 0);

    auto returned = runProcess(VIGIL_DEVICE_EXE, {"return", "--dir", s, "--note", "refs.cad: the CAD number is missing"});
    INFO(returned.out << returned.err);
    REQUIRE(returned.exitCode == 0);
    CHECK_THAT(returned.out, Catch::Contains("to its officer; sync to send it."));
    const auto at = returned.out.find("Returned ");
    REQUIRE(at != std::string::npos);
    const std::string incident = returned.out.substr(at + 9, 36);

    // The server checks the move with the core's lifecycle rules and takes it; the officer receives it.
    auto sent = runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", s});
    INFO(sent.out << sent.err);
    REQUIRE(sent.exitCode == 0);
    CHECK_THAT(sent.out, Catch::Contains("refused 0") && !Catch::Contains("Sent 0,"));
    auto received = runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", a});
    INFO(received.out << received.err);
    REQUIRE(received.exitCode == 0);
    CHECK_THAT(received.out, !Catch::Contains("received 0,"));

    // A returned 124D cannot be returned again: the lifecycle's words, nothing queued.
    auto again = runProcess(VIGIL_DEVICE_EXE, {"return", "--dir", s, "--incident", incident, "--note", "again"});
    INFO(again.out << again.err);
    CHECK(again.exitCode == 1);
    CHECK_THAT(again.err, Catch::Contains("This 124D is already returned: nothing to do."));
    auto status = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", s});
    CHECK_THAT(status.out, Catch::Contains("0 change(s) waiting"));
}

TEST_CASE("vigil-device wipe-check erases a device flagged with vigil-admin without its PIN, and the server records it",
          "[device][keystore][wipe]")
{
    ::setenv("VIGIL_DEVICE_PIN", "480516", 1);
    ::setenv("VIGIL_DEVICE_KDF", "interactive", 1);
    ServerProcess server;
    server.addUser("pc.a");
    test::TempDir dir("vigil-device");
    const std::string a = (dir.path() / "a").string();
    auto enrol = runProcess(VIGIL_DEVICE_EXE, {"enrol", "--dir", a, "--code", server.enrolCode("pc.a")});
    REQUIRE(enrol.exitCode == 0);
    const std::string deviceId = enrol.out.substr(enrol.out.find("device ") + 7, 36);
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"demo", "--dir", a, "--incidents", "2"}).exitCode == 0);
    auto status = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", a});
    CHECK_THAT(status.out, Catch::Contains("Not yet sent (lost if this device were wiped now)"));
    REQUIRE(runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", a}).exitCode == 0);

    auto nothing = runProcess(VIGIL_DEVICE_EXE, {"wipe-check", "--dir", a});
    CHECK(nothing.exitCode == 0);
    CHECK_THAT(nothing.out, Catch::Contains("No wipe ordered"));

    REQUIRE(server.admin({"device", "wipe", deviceId}).exitCode == 0);
    ::unsetenv("VIGIL_DEVICE_PIN");  // locked: the check needs only the key store
    auto wiped = runProcess(VIGIL_DEVICE_EXE, {"wipe-check", "--dir", a});
    INFO(wiped.out << wiped.err);
    CHECK(wiped.exitCode == 4);
    CHECK_THAT(wiped.out, Catch::Contains("erased and the server has recorded it"));
    std::vector<std::string> left;
    for (const auto& f : std::filesystem::recursive_directory_iterator(a)) {
        if (f.is_regular_file())
            left.push_back(f.path().string());
    }
    CHECK(left.empty());
    auto after = runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", a});
    CHECK(after.exitCode == 3);
    CHECK_THAT(after.out, Catch::Contains("Not enrolled"));
    auto onServer = server.admin({"device", "status", deviceId});
    CHECK_THAT(onServer.out, Catch::Contains("confirmed by the device (ordered by an administrator)"));
}
