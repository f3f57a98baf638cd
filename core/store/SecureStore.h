#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/Database.h"
#include "core/store/KeyVault.h"
#include "core/store/Migrations.h"
#include "core/store/SecretStore.h"

namespace vigil {

/// How a device store is protected.
struct StoreConfig {
    std::string profile = "default";        ///< names this store's entries in the OS key store
    KdfStrength kdf = KdfStrength::Moderate;
    UnlockPolicy policy;
};

/// The encrypted device store as the app sees it: one folder (0700) holding `vault.json`
/// (the wrapped data key) and `vigil.db` (+ -wal, -shm; SQLCipher, 0600).
///
/// There is no "unlocked" state in here: unlock() hands back an open Database, and locking
/// is destroying that object, which closes the connection (SQLCipher zeroes its key copy).
/// The unwrapped data key itself is wiped as soon as the database is open.
class SecureStore {
public:
    SecureStore(std::filesystem::path dir, SecretStore& secrets, StoreConfig config = {}, Clock clock = systemClock(),
                std::span<const Migration> schema = {});

    /// True when this device has a store (a wrapped key on disk).
    [[nodiscard]] bool isSetUp() const;
    /// First use: check the PIN rules, make the data key, create and migrate the database.
    [[nodiscard]] Status setUp(std::string_view pin);
    /// Unwrap the key with `pin`, open and migrate the database.
    [[nodiscard]] Result<std::unique_ptr<Database>> unlock(std::string_view pin);
    /// Check the new PIN's rules, verify the old one (a counted attempt), re-wrap the key.
    [[nodiscard]] Status changePin(std::string_view oldPin, std::string_view newPin);
    /// Failed attempts, lockout, attempts left before wipe: for the unlock screen.
    [[nodiscard]] Result<UnlockStatus> unlockStatus() const;
    /// Destroy the key and the database files (user- or remote-initiated, or at the wipe
    /// threshold). Irreversible.
    [[nodiscard]] Status wipe();

    [[nodiscard]] std::filesystem::path databasePath() const { return m_dir / "vigil.db"; }
    [[nodiscard]] std::filesystem::path vaultPath() const { return m_dir / "vault.json"; }
    [[nodiscard]] const std::filesystem::path& directory() const noexcept { return m_dir; }

private:
    [[nodiscard]] Result<std::unique_ptr<Database>> openWith(const SecureBytes& key, bool create);
    void removeDatabaseFiles();

    std::filesystem::path m_dir;
    StoreConfig m_config;
    std::span<const Migration> m_schema;
    KeyVault m_vault;
};

}  // namespace vigil
