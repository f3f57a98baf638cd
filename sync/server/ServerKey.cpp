#include "sync/server/ServerKey.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/store/Database.h"
#include "sync/server/ServerConfig.h"

namespace vigil::sync {

namespace {

Result<SecureBytes> readKeyText(const std::filesystem::path& file)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return makeError(ErrorCode::NotFound, "Cannot read the server key " + file.string()
                                                  + ": check the path in the configuration, or create it with "
                                                    "`vigil-admin init`.");
    }
    SecureBytes buf(129);
    ssize_t total = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf.data() + total, buf.size() - static_cast<std::size_t>(total));
        if (n <= 0)
            break;
        total += n;
        if (static_cast<std::size_t>(total) == buf.size())
            break;
    }
    ::close(fd);
    std::size_t len = static_cast<std::size_t>(total);
    while (len > 0 && (buf.data()[len - 1] == '\n' || buf.data()[len - 1] == '\r' || buf.data()[len - 1] == ' '))
        --len;
    SecureBytes key(kDataKeyBytes);
    if (len != 2 * kDataKeyBytes
        || !fromHex(std::string_view(reinterpret_cast<const char*>(buf.data()), len), {key.data(), key.size()})) {
        return makeError(ErrorCode::Corrupt, "The server key " + file.string()
                                                 + " is not 64 hexadecimal digits. Restore it from your backup; "
                                                   "without it the server store cannot be opened.");
    }
    return key;
}

}  // namespace

Status createServerKeyFile(const std::filesystem::path& file)
{
    SecureBytes key = SecureBytes::random(kDataKeyBytes);
    SecureBytes hex(2 * kDataKeyBytes + 1);
    sodium_bin2hex(reinterpret_cast<char*>(hex.data()), hex.size(), key.data(), key.size());
    hex.data()[2 * kDataKeyBytes] = '\n';
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return makeError(ErrorCode::AlreadyExists, file.string() + " already exists and was left untouched.");
        return makeError(ErrorCode::Io, "Cannot create the server key " + file.string() + ".");
    }
    ::fchmod(fd, 0600);
    const ssize_t n = ::write(fd, hex.data(), hex.size());
    const int synced = ::fsync(fd);
    ::close(fd);
    if (n != static_cast<ssize_t>(hex.size()) || synced != 0)
        return makeError(ErrorCode::Io, "Cannot write the server key " + file.string() + " (disk full?).");
    return {};
}

Result<SecureBytes> loadServerKey(const std::filesystem::path& file)
{
    if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY"); creds && *creds) {
        const std::filesystem::path credential = std::filesystem::path(creds) / kKeyCredentialName;
        std::error_code ec;
        if (std::filesystem::exists(credential, ec))
            return readKeyText(credential);
    }
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
        return makeError(ErrorCode::NotFound, "Cannot find the server key " + file.string()
                                                  + ". Check key_file in the configuration, or create a server with "
                                                    "`vigil-admin init`.");
    }
    if (!S_ISREG(st.st_mode))
        return makeError(ErrorCode::InvalidArgument, "The server key " + file.string() + " must be a regular file (not a link).");
    if ((st.st_mode & 077U) != 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "The server key " + file.string() + " can be read by other users (mode "
                             + std::to_string((st.st_mode >> 6) & 7U) + std::to_string((st.st_mode >> 3) & 7U)
                             + std::to_string(st.st_mode & 7U) + "). Run `chmod 600 " + file.string()
                             + "` and start again.");
    }
    if (st.st_uid != ::geteuid()) {
        const auto userName = [](uid_t uid) {
            const passwd* pw = ::getpwuid(uid);
            return pw ? std::string(pw->pw_name) : "uid " + std::to_string(uid);
        };
        return makeError(ErrorCode::InvalidArgument,
                         "The server key " + file.string() + " belongs to " + userName(st.st_uid)
                             + ", not to " + userName(::geteuid())
                             + ", who runs this program. Run vigil-server and vigil-admin as the key's owner (the "
                               "packaged server: `runuser -u vigil -- vigil-admin ...`); if the key should be this "
                               "user's, give it to them (chown) and start again.");
    }
    return readKeyText(file);
}

SecretHasher::SecretHasher(std::span<const unsigned char> serverKey)
    : m_tokenKey(crypto_generichash_KEYBYTES), m_codeKey(crypto_generichash_KEYBYTES),
      m_receiptKey(crypto_generichash_KEYBYTES)
{
    ensureSodium();
    static_assert(crypto_kdf_KEYBYTES == kDataKeyBytes);
    crypto_kdf_derive_from_key(m_tokenKey.data(), m_tokenKey.size(), 1, "vgltoken", serverKey.data());
    crypto_kdf_derive_from_key(m_codeKey.data(), m_codeKey.size(), 2, "vglenrol", serverKey.data());
    crypto_kdf_derive_from_key(m_receiptKey.data(), m_receiptKey.size(), 3, "vglwiper", serverKey.data());
}

SecretHash SecretHasher::receiptHash(std::span<const unsigned char> receipt) const
{
    SecretHash out{};
    crypto_generichash(out.data(), out.size(), receipt.data(), receipt.size(), m_receiptKey.data(), m_receiptKey.size());
    return out;
}

SecretHash SecretHasher::tokenHash(std::span<const unsigned char> token) const
{
    SecretHash out{};
    crypto_generichash(out.data(), out.size(), token.data(), token.size(), m_tokenKey.data(), m_tokenKey.size());
    return out;
}

SecretHash SecretHasher::codeHash(std::string_view codeId, std::string_view secret) const
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, m_codeKey.data(), m_codeKey.size(), 32);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(codeId.data()), codeId.size());
    const unsigned char sep = 0;
    crypto_generichash_update(&state, &sep, 1);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    SecretHash out{};
    crypto_generichash_final(&state, out.data(), out.size());
    sodium_memzero(&state, sizeof state);
    return out;
}

}  // namespace vigil::sync
