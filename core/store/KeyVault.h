#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/SecretStore.h"
#include "core/store/SecureBytes.h"

namespace vigil {

/// Argon2id cost. Production uses Moderate (~0.5 s here); tests may use Interactive.
enum class KdfStrength { Interactive, Moderate };

/// What happens after wrong PINs (defaults from the design; configurable per force).
struct UnlockPolicy {
    int lockoutAfter = 5;                           ///< failures before unlocking is delayed
    int wipeAfter = 10;                             ///< failures that destroy the key and data
    std::chrono::seconds firstLockout{60};          ///< delay after `lockoutAfter` failures, doubled per further one
    std::chrono::seconds maxLockout{std::chrono::hours(1)};
};

/// The failed-PIN state, for the unlock screen.
struct UnlockStatus {
    int failedAttempts = 0;
    int attemptsBeforeWipe = 0;
    std::optional<std::chrono::system_clock::time_point> lockedUntil;  ///< set while unlocking is refused
};

/// Holds the store's random 256-bit data key, wrapped (XChaCha20-Poly1305) under a
/// key-encryption key = BLAKE2b keyed by the device secret (OS key store) over
/// Argon2id(PIN, salt). Neither the PIN nor the files alone can unwrap it.
///
/// The failed-PIN counter lives in the SecretStore and is increased *before* the KDF runs,
/// so killing the app mid-attempt cannot reset it. Entries in the SecretStore are named
/// `<profile>.device-secret` and `<profile>.pin-failures`.
class KeyVault {
public:
    KeyVault(std::filesystem::path vaultFile, SecretStore& secrets, std::string profile, KdfStrength strength,
             UnlockPolicy policy, Clock clock);

    /// True when a wrapped key exists on disk.
    [[nodiscard]] bool exists() const;
    /// Make a new random data key wrapped under `pin` (the PIN rules are checked by the
    /// caller). Refuses to overwrite an existing vault.
    [[nodiscard]] Result<SecureBytes> create(std::string_view pin);
    /// Unwrap the data key. Wrong PINs are counted; lockout and wipe thresholds enforced.
    /// On reaching the wipe threshold the vault and device secret are destroyed and the
    /// error code is Wiped (the caller then removes the database files).
    [[nodiscard]] Result<SecureBytes> unlock(std::string_view pin);
    /// Re-wrap the same data key under a new PIN (the data is not re-encrypted). The old PIN
    /// is checked as an ordinary, counted attempt.
    [[nodiscard]] Status changePin(std::string_view oldPin, std::string_view newPin);
    /// Failed attempts, lockout, attempts before wipe.
    [[nodiscard]] Result<UnlockStatus> status() const;
    /// The key-check value recorded with the wrapped key (hex), for Database::open.
    [[nodiscard]] Result<std::string> keyCheck() const;
    /// Destroy the wrapped key (overwritten, then removed) and the SecretStore entries.
    [[nodiscard]] Status destroy();

private:
    struct Attempts {
        int failures = 0;
        std::int64_t lastFailureUnix = 0;
    };
    struct VaultFile;

    [[nodiscard]] Result<Attempts> readAttempts() const;
    [[nodiscard]] Status writeAttempts(const Attempts& attempts);
    [[nodiscard]] std::chrono::seconds lockoutDelay(int failures) const;
    [[nodiscard]] Result<SecureBytes> deviceSecret(bool createIfMissing);
    [[nodiscard]] Result<SecureBytes> unwrapCounted(std::string_view pin, VaultFile& vault);
    [[nodiscard]] Status writeVault(const VaultFile& vault);
    [[nodiscard]] Result<VaultFile> readVault() const;
    [[nodiscard]] Status wrapInto(VaultFile& vault, std::string_view pin, const SecureBytes& dataKey,
                                  const SecureBytes& secret) const;
    [[nodiscard]] std::string wrongPinMessage(int failures) const;

    std::filesystem::path m_file;
    SecretStore& m_secrets;
    std::string m_profile;
    KdfStrength m_strength;
    UnlockPolicy m_policy;
    Clock m_clock;
};

/// "1 minute", "5 minutes", "1 hour 30 minutes": for messages.
[[nodiscard]] std::string describeDuration(std::chrono::seconds duration);

}  // namespace vigil
