// Test 2 of the foundation issue: wrong PIN and wrong key, counting, lockout, wipe.
#include <catch2/catch.hpp>

#include <fstream>

#include <sodium.h>

#include "core/store/Database.h"
#include "core/store/PinPolicy.h"
#include "tests/support/FileScan.h"
#include "tests/support/StoreFixture.h"

using namespace vigil;
using namespace vigil::test;
using namespace std::chrono_literals;

namespace {

void putRecord(SecureStore& store, const std::string& pin)
{
    auto db = store.unlock(pin);
    REQUIRE(db.ok());
    REQUIRE((*db)->exec("CREATE TABLE IF NOT EXISTS r (v TEXT); INSERT INTO r VALUES ('kept');").ok());
}

std::string fileDigest(const std::filesystem::path& p)
{
    const std::string content = readFile(p);
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(content.data()), content.size(), nullptr, 0);
    return toHex(h);
}

}  // namespace

TEST_CASE("The right PIN unlocks the store and the data written before is there", "[store][pin]")
{
    StoreFixture f;
    REQUIRE_FALSE(f.store->isSetUp());
    REQUIRE(f.store->setUp(kGoodPin).ok());
    REQUIRE(f.store->isSetUp());
    putRecord(*f.store, kGoodPin);
    f.restart();
    auto db = f.store->unlock(kGoodPin);
    REQUIRE(db.ok());
    CHECK((*db)->queryInt("SELECT count(*) FROM r WHERE v = 'kept';").value() == 1);
}

TEST_CASE("A wrong PIN is refused with the attempts left, and changes nothing in the database", "[store][pin]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    putRecord(*f.store, kGoodPin);
    const std::string before = fileDigest(f.store->databasePath());

    auto r = f.store->unlock(kOtherPin);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::WrongPin);
    CHECK(r.error().message == "PIN incorrect: 4 attempts left before Vigil locks for 1 minute.");

    auto r2 = f.store->unlock(kOtherPin);
    CHECK(r2.error().message == "PIN incorrect: 3 attempts left before Vigil locks for 1 minute.");

    CHECK(fileDigest(f.store->databasePath()) == before);
    CHECK_FALSE(std::filesystem::exists(f.store->databasePath().string() + "-wal"));
    CHECK(f.store->unlockStatus().value().failedAttempts == 2);
}

TEST_CASE("Failed attempts are still counted after a restart, and a right PIN resets the count", "[store][pin]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    REQUIRE_FALSE(f.store->unlock(kOtherPin).ok());
    REQUIRE_FALSE(f.store->unlock(kOtherPin).ok());
    f.restart();
    auto r = f.store->unlock(kOtherPin);
    CHECK(r.error().message == "PIN incorrect: 2 attempts left before Vigil locks for 1 minute.");
    REQUIRE(f.store->unlock(kGoodPin).ok());
    CHECK(f.store->unlockStatus().value().failedAttempts == 0);
}

TEST_CASE("After 5 wrong PINs unlocking is refused, even with the right PIN, for an increasing delay", "[store][pin]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    for (int i = 0; i < 4; ++i)
        REQUIRE(f.store->unlock(kOtherPin).error().code == ErrorCode::WrongPin);
    auto fifth = f.store->unlock(kOtherPin);
    CHECK(fifth.error().code == ErrorCode::WrongPin);
    CHECK(fifth.error().message
          == "PIN incorrect. Vigil is locked for 1 minute. After 5 more wrong PINs all Vigil data on this device will be "
             "erased, including records not yet sent.");

    auto locked = f.store->unlock(kGoodPin);
    REQUIRE_FALSE(locked.ok());
    CHECK(locked.error().code == ErrorCode::LockedOut);
    CHECK(locked.error().message == "Too many wrong PINs: try again in 1 minute. 5 more wrong PINs will erase all Vigil data on this device.");
    // A refused attempt during lockout is not counted and runs no KDF.
    CHECK(f.store->unlockStatus().value().failedAttempts == 5);
    REQUIRE(f.store->unlockStatus().value().lockedUntil.has_value());

    f.time.advance(61s);
    auto sixth = f.store->unlock(kOtherPin);
    CHECK(sixth.error().message.find("locked for 2 minutes") != std::string::npos);
    f.time.advance(119s);
    CHECK(f.store->unlock(kGoodPin).error().code == ErrorCode::LockedOut);
    f.time.advance(2s);
    CHECK(f.store->unlock(kGoodPin).ok());
}

TEST_CASE("The 10th wrong PIN destroys the key and the database, after a last warning", "[store][pin][wipe]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    putRecord(*f.store, kGoodPin);
    for (int i = 0; i < 8; ++i) {
        REQUIRE(f.store->unlock(kOtherPin).error().code == ErrorCode::WrongPin);
        f.time.advance(2h);
    }
    auto ninth = f.store->unlock(kOtherPin);
    CHECK(ninth.error().message.find("One more wrong PIN will erase all Vigil data on this device") != std::string::npos);
    f.time.advance(2h);

    auto tenth = f.store->unlock(kOtherPin);
    REQUIRE_FALSE(tenth.ok());
    CHECK(tenth.error().code == ErrorCode::Wiped);
    CHECK_FALSE(std::filesystem::exists(f.store->vaultPath()));
    CHECK_FALSE(std::filesystem::exists(f.store->databasePath()));
    CHECK_FALSE(f.secrets.contains("test.device-secret"));
    CHECK_FALSE(f.store->isSetUp());
    // The right PIN can no longer open anything.
    auto after = f.store->unlock(kGoodPin);
    CHECK(after.error().code == ErrorCode::NotFound);
}

TEST_CASE("Thresholds come from configuration", "[store][pin]")
{
    StoreFixture f;
    f.config.policy.lockoutAfter = 2;
    f.config.policy.wipeAfter = 3;
    f.config.policy.firstLockout = 30s;
    f.restart();
    REQUIRE(f.store->setUp(kGoodPin).ok());
    CHECK(f.store->unlock(kOtherPin).error().message == "PIN incorrect: 1 attempt left before Vigil locks for 30 seconds.");
    REQUIRE(f.store->unlock(kOtherPin).error().code == ErrorCode::WrongPin);
    f.time.advance(31s);
    CHECK(f.store->unlock(kOtherPin).error().code == ErrorCode::Wiped);
}

TEST_CASE("A wrong raw key is told apart from a damaged database by the key-check value", "[store][key]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    putRecord(*f.store, kGoodPin);
    const std::string kcv = KeyVault(f.store->vaultPath(), f.secrets, "test", KdfStrength::Interactive, {}, f.time.clock())
                                .keyCheck()
                                .value();
    SecureBytes wrongKey = SecureBytes::random(kDataKeyBytes);

    OpenOptions withCheck;
    withCheck.keyCheck = kcv;
    auto wrong = Database::open(f.store->databasePath(), wrongKey.span(), withCheck);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == ErrorCode::WrongPin);

    // Without the check value SQLCipher cannot tell; the message says both and what to do.
    auto ambiguous = Database::open(f.store->databasePath(), wrongKey.span());
    REQUIRE_FALSE(ambiguous.ok());
    CHECK(ambiguous.error().code == ErrorCode::WrongPin);
    CHECK(ambiguous.error().message.find("or the store file is damaged") != std::string::npos);

    // Damage the first page: the right PIN now reports damage, not a wrong PIN.
    {
        std::fstream io(f.store->databasePath(), std::ios::in | std::ios::out | std::ios::binary);
        io.seekp(100);
        io.put('\x5a').put('\xa5').put('\x11');
    }
    auto damaged = f.store->unlock(kGoodPin);
    REQUIRE_FALSE(damaged.ok());
    CHECK(damaged.error().code == ErrorCode::Corrupt);
    CHECK(f.store->unlockStatus().value().failedAttempts == 0);  // the PIN was right
}

TEST_CASE("Changing the PIN re-wraps the key without re-encrypting the data", "[store][pin]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    putRecord(*f.store, kGoodPin);
    const std::string before = fileDigest(f.store->databasePath());

    CHECK(f.store->changePin(kGoodPin, "111111").error().field == "pin");  // new PIN rules first
    CHECK(f.store->changePin(kOtherPin, "505283").error().code == ErrorCode::WrongPin);
    REQUIRE(f.store->changePin(kGoodPin, kOtherPin).ok());

    CHECK(fileDigest(f.store->databasePath()) == before);
    CHECK(f.store->unlock(kGoodPin).error().code == ErrorCode::WrongPin);
    auto db = f.store->unlock(kOtherPin);
    REQUIRE(db.ok());
    CHECK((*db)->queryInt("SELECT count(*) FROM r;").value() == 1);
}

TEST_CASE("Without a key store the store refuses to start, with a clear message", "[store][keystore]")
{
    StoreFixture f;
    f.secrets.setAvailable(false);
    auto setup = f.store->setUp(kGoodPin);
    REQUIRE_FALSE(setup.ok());
    CHECK(setup.error().code == ErrorCode::KeyStoreUnavailable);
    CHECK_FALSE(f.store->isSetUp());

    f.secrets.setAvailable(true);
    REQUIRE(f.store->setUp(kGoodPin).ok());
    f.secrets.setAvailable(false);
    auto unlock = f.store->unlock(kGoodPin);
    CHECK(unlock.error().code == ErrorCode::KeyStoreUnavailable);
}

TEST_CASE("The key file holds neither the PIN nor the data key", "[store][security]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    const std::string vault = readFile(f.store->vaultPath());
    CHECK(vault.find(kGoodPin) == std::string::npos);
    CHECK(vault.find("\"opslimit\"") != std::string::npos);  // KDF parameters stored with the key
}

TEST_CASE("Setting up twice is refused and keeps the existing store", "[store]")
{
    StoreFixture f;
    REQUIRE(f.store->setUp(kGoodPin).ok());
    putRecord(*f.store, kGoodPin);
    CHECK(f.store->setUp(kOtherPin).error().code == ErrorCode::AlreadyExists);
    auto db = f.store->unlock(kGoodPin);
    REQUIRE(db.ok());
    CHECK((*db)->queryInt("SELECT count(*) FROM r;").value() == 1);
}
