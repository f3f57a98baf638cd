// Test 6 of the foundation issue: the device secret in a real OS key store (Secret Service).
#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <csignal>
#include <sodium.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store/SecureStore.h"
#include "platform/QtKeychainSecretStore.h"
#include "tests/support/TempDir.h"

extern char** environ;

using namespace vigil;
using namespace vigil::test;

namespace {

std::string uniqueProfile()
{
    unsigned char r[8];
    randombytes_buf(r, sizeof r);
    return "test-" + toHex(r);
}

/// Run vigil_store_probe and return its one-line answer.
std::string probe(const std::filesystem::path& dir, const std::string& profile, const std::string& command,
                  const std::string& pin = "")
{
    const std::string cmd = std::string(VIGIL_STORE_PROBE) + " '" + dir.string() + "' " + profile + " " + command + " " + pin;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::array<char, 1024> buf{};
    std::string out;
    while (std::fgets(buf.data(), buf.size(), p) != nullptr)
        out += buf.data();
    ::pclose(p);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

}  // namespace

TEST_CASE("A secret written to the OS key store reads back identical and can be removed", "[keystore]")
{
    QtKeychainSecretStore store("Vigil-test");
    const std::string name = uniqueProfile() + ".roundtrip";
    SecureBytes secret = SecureBytes::random(32);

    REQUIRE(store.write(name, secret.span()).ok());
    auto back = store.read(name);
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    CHECK(constantTimeEqual((*back)->span(), secret.span()));

    REQUIRE(store.remove(name).ok());
    auto gone = store.read(name);
    REQUIRE(gone.ok());
    CHECK_FALSE(gone->has_value());
    CHECK(store.remove(name).ok());  // removing twice is fine
}

TEST_CASE("A store set up with the OS key store unlocks in a new process and refuses a wrong PIN", "[keystore]")
{
    TempDir dir;
    const std::string profile = uniqueProfile();
    REQUIRE(probe(dir.path(), profile, "setup", "480516") == "ok");
    CHECK(probe(dir.path(), profile, "unlock", "480516") == "ok");
    CHECK(probe(dir.path(), profile, "unlock", "739208")
          == "error wrong_pin PIN incorrect: 4 attempts left before Vigil locks for 1 minute.");
    // Counted across process restarts, because the counter lives in the key store.
    CHECK(probe(dir.path(), profile, "status") == "status 1 9");
    CHECK(probe(dir.path(), profile, "unlock", "739208")
          == "error wrong_pin PIN incorrect: 3 attempts left before Vigil locks for 1 minute.");
    CHECK(probe(dir.path(), profile, "status") == "status 2 8");
    QtKeychainSecretStore cleanup("Vigil-test");
    (void)cleanup.remove(profile + ".device-secret");
    (void)cleanup.remove(profile + ".pin-failures");
}

TEST_CASE("Killing the app while it checks a PIN still counts the attempt", "[keystore]")
{
    TempDir dir;
    const std::string profile = uniqueProfile();
    REQUIRE(probe(dir.path(), profile, "setup", "480516") == "ok");

    for (int attempt = 1; attempt <= 2; ++attempt) {
        std::string exe = VIGIL_STORE_PROBE;
        std::string path = dir.path().string();
        std::string cmd = "unlock";
        std::string pin = "739208";
        char* argv[] = {exe.data(), path.data(), const_cast<char*>(profile.c_str()), cmd.data(), pin.data(), nullptr};
        pid_t pid = -1;
        REQUIRE(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, environ) == 0);
        // Argon2id MODERATE takes ~0.5 s: 250 ms after start the process is inside the KDF.
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));
        CHECK(probe(dir.path(), profile, "status") == "status " + std::to_string(attempt) + " " + std::to_string(10 - attempt));
    }
    QtKeychainSecretStore cleanup("Vigil-test");
    (void)cleanup.remove(profile + ".device-secret");
    (void)cleanup.remove(profile + ".pin-failures");
}

// Run only by the ctest entry platform.no_key_store_refuses_to_start, which points D-Bus at
// nothing. It fails (never skips) if a key store answers.
TEST_CASE("With no OS key store the device store refuses to start, saying why", "[.][nokeystore]")
{
    QtKeychainSecretStore secrets("Vigil-test", std::chrono::seconds(5));
    TempDir dir;
    StoreConfig config;
    config.profile = uniqueProfile();
    config.kdf = KdfStrength::Interactive;
    SecureStore store(dir.path() / "store", secrets, config);
    Status s = store.setUp("480516");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::KeyStoreUnavailable);
    CHECK(s.error().message.find("will not start without it") != std::string::npos);
    CHECK_FALSE(store.isSetUp());
    CHECK_FALSE(std::filesystem::exists(store.databasePath()));
}
