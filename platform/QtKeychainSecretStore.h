#pragma once

#include <chrono>
#include <string>

#include "core/store/SecretStore.h"

namespace vigil {

/// SecretStore backed by the OS key store through QtKeychain (Secret Service on Linux,
/// Keychain on macOS, Credential Manager on Windows). QtKeychain's insecure plaintext
/// fallback is never enabled: with no key store, every call fails with
/// KeyStoreUnavailable and Vigil refuses to start.
///
/// Calls block until the key store answers (they run on the store worker thread, never the
/// GUI thread). A QCoreApplication must exist, as QtKeychain talks D-Bus through Qt.
class QtKeychainSecretStore final : public SecretStore {
public:
    /// `service` groups Vigil's entries in the key store (e.g. "Vigil").
    explicit QtKeychainSecretStore(std::string service = "Vigil",
                                   std::chrono::milliseconds timeout = std::chrono::seconds(20));

    [[nodiscard]] Result<std::optional<SecureBytes>> read(const std::string& name) override;
    [[nodiscard]] Status write(const std::string& name, std::span<const unsigned char> secret) override;
    [[nodiscard]] Status remove(const std::string& name) override;

private:
    std::string m_service;
    std::chrono::milliseconds m_timeout;
};

}  // namespace vigil
