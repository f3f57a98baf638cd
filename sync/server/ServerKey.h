#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "core/common/Result.h"
#include "core/store/SecureBytes.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// Create a new random 256-bit server key as 64 hex digits in `file`, mode 0600.
/// Refuses to replace an existing file.
[[nodiscard]] Status createServerKeyFile(const std::filesystem::path& file);

/// Read the server key: from the systemd credential `vigil-server.key` when
/// $CREDENTIALS_DIRECTORY is set and holds it, else from `file`, which must be a regular
/// file of mode 0600 or 0400 owned by this user (anything more open is refused, with the
/// chmod to run).
[[nodiscard]] Result<SecureBytes> loadServerKey(const std::filesystem::path& file);

/// Keyed hashes of device tokens and enrolment secrets (BLAKE2b with subkeys derived from
/// the server key), so a copy of the database alone does not let anyone test guesses.
class SecretHasher {
public:
    explicit SecretHasher(std::span<const unsigned char> serverKey);

    [[nodiscard]] SecretHash tokenHash(std::span<const unsigned char> token) const;
    [[nodiscard]] SecretHash codeHash(std::string_view codeId, std::string_view secret) const;
    /// A device's wipe receipt (sync/common/WipeReceipt.h), kept so a wiped device can report.
    [[nodiscard]] SecretHash receiptHash(std::span<const unsigned char> receipt) const;

private:
    SecureBytes m_tokenKey;
    SecureBytes m_codeKey;
    SecureBytes m_receiptKey;
};

}  // namespace vigil::sync
