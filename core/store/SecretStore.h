#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/common/Result.h"
#include "core/store/SecureBytes.h"

namespace vigil {

/// Small secrets that must not live in ordinary files: the per-device secret mixed into the
/// key-encryption key, and the failed-PIN counter (so deleting files cannot reset it).
/// Production: the OS key store (platform/QtKeychainSecretStore). Tests may use
/// InMemorySecretStore from tests/support, which is named as such and never shipped.
///
/// Every method returns KeyStoreUnavailable when the key store cannot be reached: Vigil
/// then refuses to start rather than fall back to plaintext.
class SecretStore {
public:
    virtual ~SecretStore() = default;

    /// The secret stored under `name`, or nullopt when there is none.
    [[nodiscard]] virtual Result<std::optional<SecureBytes>> read(const std::string& name) = 0;
    /// Store (or replace) a secret.
    [[nodiscard]] virtual Status write(const std::string& name, std::span<const unsigned char> secret) = 0;
    /// Remove a secret; removing one that is absent is not an error.
    [[nodiscard]] virtual Status remove(const std::string& name) = 0;
};

}  // namespace vigil
