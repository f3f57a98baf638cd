#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/store/SecureStore.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

namespace vigil::test {

/// A clock the test moves by hand.
struct ManualClock {
    std::chrono::system_clock::time_point now{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours(9)};
    [[nodiscard]] Clock clock()
    {
        return [this] { return now; };
    }
    void advance(std::chrono::seconds by) { now += by; }
};

/// A device store in a temporary folder with the in-memory secret store and the fast
/// (interactive) KDF. `restart()` drops the SecureStore object as a process restart would;
/// the secret store (the "OS key store") survives, as it does on a real device.
struct StoreFixture {
    TempDir dir{"vigil-store"};
    InMemorySecretStore secrets;
    ManualClock time;
    StoreConfig config = [] {
        StoreConfig c;
        c.profile = "test";
        c.kdf = KdfStrength::Interactive;
        return c;
    }();
    std::unique_ptr<SecureStore> store = make();

    [[nodiscard]] std::unique_ptr<SecureStore> make()
    {
        return std::make_unique<SecureStore>(dir.path() / "store", secrets, config, time.clock());
    }
    void restart() { store = make(); }
};

inline constexpr const char* kGoodPin = "480516";
inline constexpr const char* kOtherPin = "739208";

}  // namespace vigil::test
