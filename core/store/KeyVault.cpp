#include "core/store/KeyVault.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store/Database.h"

namespace vigil {

namespace {

constexpr int kVaultVersion = 1;
constexpr std::string_view kAlg = "argon2id13";
constexpr std::string_view kAead = "xchacha20poly1305-ietf";
constexpr std::size_t kSecretBytes = 32;

std::span<const unsigned char> bytesOf(std::string_view s)
{
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

Error vaultDamaged(const std::filesystem::path& file, const std::string& problem)
{
    return makeError(ErrorCode::Corrupt, "The key file " + file.filename().string() + " is damaged (" + problem
                                             + "), so the store cannot be unlocked. Contact your administrator: "
                                               "records already synced are safe on the server; enrol this device again.");
}

Error ioError(const std::string& doing, const std::filesystem::path& file)
{
    return makeError(ErrorCode::Io, "Could not " + doing + " " + file.string() + ": " + std::strerror(errno)
                                        + ". Check free space and try again.");
}

/// Write a small file atomically: a private temporary next to it, fsync, rename, fsync the
/// folder. Only ever used for the wrapped key, never for personal data.
Status writeFileAtomically(const std::filesystem::path& file, std::string_view content)
{
    const std::filesystem::path tmp = file.string() + ".new";
    const int fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0)
        return ioError("create", tmp);
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int saved = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            errno = saved;
            if (saved == ENOSPC)
                return makeError(ErrorCode::DiskFull, "The device storage is full, so the key file could not be saved. "
                                                      "Your PIN was not changed. Free some space and try again.");
            return ioError("write", tmp);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        return ioError("flush", tmp);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), file.c_str()) != 0)
        return ioError("replace", file);
    const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

/// Overwrite a file's bytes with random data, then remove it.
void shredFile(const std::filesystem::path& file)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            std::vector<unsigned char> noise(static_cast<std::size_t>(st.st_size));
            randombytes_buf(noise.data(), noise.size());
            [[maybe_unused]] const auto n = ::write(fd, noise.data(), noise.size());
            ::fsync(fd);
        }
        ::close(fd);
    }
    ::unlink(file.c_str());
}

}  // namespace

struct KeyVault::VaultFile {
    std::uint64_t opslimit = 0;
    std::size_t memlimit = 0;
    std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
    std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
    std::array<unsigned char, kDataKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES> wrapped{};
    std::string keyCheck;

    /// Everything that must not be swapped or downgraded is bound to the ciphertext.
    [[nodiscard]] std::string associatedData() const
    {
        return "vigil-vault/" + std::to_string(kVaultVersion) + "|" + std::string(kAlg) + "|" + std::to_string(opslimit)
            + "|" + std::to_string(memlimit) + "|" + toHex(salt) + "|" + keyCheck;
    }
};

std::string describeDuration(std::chrono::seconds duration)
{
    using namespace std::chrono;
    const auto plural = [](long long n, const char* unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    const long long total = duration.count();
    if (total < 60)
        return plural(std::max<long long>(total, 1), "second");
    const long long minutes = (total + 59) / 60;  // round up: never promise less than the wait
    if (minutes < 60)
        return plural(minutes, "minute");
    const long long hours = minutes / 60;
    const long long rest = minutes % 60;
    return plural(hours, "hour") + (rest ? " " + plural(rest, "minute") : "");
}

KeyVault::KeyVault(std::filesystem::path vaultFile, SecretStore& secrets, std::string profile, KdfStrength strength,
                   UnlockPolicy policy, Clock clock)
    : m_file(std::move(vaultFile)), m_secrets(secrets), m_profile(std::move(profile)), m_strength(strength),
      m_policy(policy), m_clock(std::move(clock))
{
    ensureSodium();
}

bool KeyVault::exists() const
{
    std::error_code ec;
    return std::filesystem::exists(m_file, ec);
}

Result<SecureBytes> KeyVault::deviceSecret(bool createIfMissing)
{
    const std::string name = m_profile + ".device-secret";
    auto stored = m_secrets.read(name);
    if (!stored)
        return std::move(stored).error();
    if (stored->has_value()) {
        if ((*stored)->size() != kSecretBytes) {
            return makeError(ErrorCode::Corrupt, "The device secret in the key store has the wrong size, so the store "
                                                 "cannot be unlocked. Contact your administrator to enrol this device again.");
        }
        return std::move(**stored);
    }
    if (!createIfMissing) {
        return makeError(ErrorCode::Corrupt,
                         "This device's key store no longer holds Vigil's device secret (was the key store reset?), so "
                         "the store cannot be unlocked. Records already synced are safe on the server: contact your "
                         "administrator to enrol this device again.");
    }
    SecureBytes secret = SecureBytes::random(kSecretBytes);
    VIGIL_TRY(m_secrets.write(name, secret.span()));
    return secret;
}

Result<KeyVault::Attempts> KeyVault::readAttempts() const
{
    auto stored = m_secrets.read(m_profile + ".pin-failures");
    if (!stored)
        return std::move(stored).error();
    Attempts a;
    if (!stored->has_value())
        return a;
    // Stored as "<failures>:<unix seconds of the last failure>".
    const std::string_view text = (*stored)->view();
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return a;
    std::from_chars(text.data(), text.data() + colon, a.failures);
    std::from_chars(text.data() + colon + 1, text.data() + text.size(), a.lastFailureUnix);
    return a;
}

Status KeyVault::writeAttempts(const Attempts& attempts)
{
    const std::string text = std::to_string(attempts.failures) + ":" + std::to_string(attempts.lastFailureUnix);
    return m_secrets.write(m_profile + ".pin-failures", bytesOf(text));
}

std::chrono::seconds KeyVault::lockoutDelay(int failures) const
{
    if (failures < m_policy.lockoutAfter)
        return std::chrono::seconds(0);
    auto delay = m_policy.firstLockout;
    for (int i = m_policy.lockoutAfter; i < failures && delay < m_policy.maxLockout; ++i)
        delay *= 2;
    return std::min(delay, m_policy.maxLockout);
}

Result<UnlockStatus> KeyVault::status() const
{
    auto attempts = readAttempts();
    if (!attempts)
        return std::move(attempts).error();
    UnlockStatus s;
    s.failedAttempts = attempts->failures;
    s.attemptsBeforeWipe = std::max(0, m_policy.wipeAfter - attempts->failures);
    const auto delay = lockoutDelay(attempts->failures);
    if (delay.count() > 0) {
        const auto until = std::chrono::system_clock::time_point(std::chrono::seconds(attempts->lastFailureUnix)) + delay;
        if (m_clock() < until)
            s.lockedUntil = until;
    }
    return s;
}

Status KeyVault::wrapInto(VaultFile& vault, std::string_view pin, const SecureBytes& dataKey,
                          const SecureBytes& secret) const
{
    vault.opslimit = m_strength == KdfStrength::Moderate ? crypto_pwhash_OPSLIMIT_MODERATE
                                                         : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    vault.memlimit = m_strength == KdfStrength::Moderate ? crypto_pwhash_MEMLIMIT_MODERATE
                                                         : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    randombytes_buf(vault.salt.data(), vault.salt.size());
    randombytes_buf(vault.nonce.data(), vault.nonce.size());
    vault.keyCheck = keyCheckValue(dataKey.span());

    SecureBytes stretched(kDataKeyBytes);
    if (crypto_pwhash(stretched.data(), stretched.size(), pin.data(), pin.size(), vault.salt.data(), vault.opslimit,
                      vault.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return makeError(ErrorCode::Internal, "Not enough memory to protect the key. Close other apps and try again.");
    }
    SecureBytes kek(kDataKeyBytes);
    crypto_generichash(kek.data(), kek.size(), stretched.data(), stretched.size(), secret.data(), secret.size());
    const std::string ad = vault.associatedData();
    unsigned long long outLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(vault.wrapped.data(), &outLen, dataKey.data(), dataKey.size(),
                                               bytesOf(ad).data(), ad.size(), nullptr, vault.nonce.data(), kek.data());
    return {};
}

Status KeyVault::writeVault(const VaultFile& vault)
{
    nlohmann::json j = {
        {"format", "vigil-vault"},
        {"version", kVaultVersion},
        {"kdf", {{"alg", kAlg}, {"opslimit", vault.opslimit}, {"memlimit", vault.memlimit}, {"salt", toHex(vault.salt)}}},
        {"aead", kAead},
        {"nonce", toHex(vault.nonce)},
        {"wrapped_key", toHex(vault.wrapped)},
        {"key_check", vault.keyCheck},
    };
    return writeFileAtomically(m_file, j.dump(2) + "\n");
}

Result<KeyVault::VaultFile> KeyVault::readVault() const
{
    std::ifstream in(m_file, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::NotFound, "This device has no Vigil key file (" + m_file.string()
                                                  + "). If it was wiped, enrol it again.");
    }
    std::stringstream buf;
    buf << in.rdbuf();
    VaultFile v;
    try {
        const auto j = nlohmann::json::parse(buf.str());
        if (j.at("format") != "vigil-vault")
            return vaultDamaged(m_file, "not a Vigil key file");
        if (j.at("version").get<int>() > kVaultVersion) {
            return makeError(ErrorCode::SchemaTooNew, "The key file was written by a newer Vigil. Update Vigil to unlock "
                                                      "this device; nothing has been changed.");
        }
        if (j.at("kdf").at("alg") != kAlg || j.at("aead") != kAead)
            return vaultDamaged(m_file, "unknown algorithm");
        v.opslimit = j.at("kdf").at("opslimit").get<std::uint64_t>();
        v.memlimit = j.at("kdf").at("memlimit").get<std::size_t>();
        v.keyCheck = j.at("key_check").get<std::string>();
        if (!fromHex(j.at("kdf").at("salt").get<std::string>(), v.salt) || !fromHex(j.at("nonce").get<std::string>(), v.nonce)
            || !fromHex(j.at("wrapped_key").get<std::string>(), v.wrapped)) {
            return vaultDamaged(m_file, "a field is not valid hex");
        }
        // Refuse parameters weaker than libsodium's interactive minimum (a downgrade attempt).
        if (v.opslimit < crypto_pwhash_OPSLIMIT_INTERACTIVE || v.memlimit < crypto_pwhash_MEMLIMIT_INTERACTIVE)
            return vaultDamaged(m_file, "key-derivation parameters below the minimum");
    } catch (const nlohmann::json::exception& e) {
        return vaultDamaged(m_file, e.what());
    }
    return v;
}

Result<std::string> KeyVault::keyCheck() const
{
    auto v = readVault();
    if (!v)
        return std::move(v).error();
    return v->keyCheck;
}

Result<SecureBytes> KeyVault::create(std::string_view pin)
{
    if (exists()) {
        return makeError(ErrorCode::AlreadyExists, "This device already has a Vigil store. Unlock it with its PIN, or "
                                                   "wipe it before setting up again.");
    }
    auto secret = deviceSecret(true);
    if (!secret)
        return std::move(secret).error();
    VIGIL_TRY(writeAttempts({}));
    SecureBytes dataKey = SecureBytes::random(kDataKeyBytes);
    VaultFile vault;
    VIGIL_TRY(wrapInto(vault, pin, dataKey, *secret));
    VIGIL_TRY(writeVault(vault));
    return dataKey;
}

std::string KeyVault::wrongPinMessage(int failures) const
{
    const int beforeWipe = m_policy.wipeAfter - failures;
    if (failures < m_policy.lockoutAfter) {
        const int beforeLock = m_policy.lockoutAfter - failures;
        return "PIN incorrect: " + std::to_string(beforeLock) + (beforeLock == 1 ? " attempt" : " attempts")
            + " left before Vigil locks for " + describeDuration(lockoutDelay(m_policy.lockoutAfter)) + ".";
    }
    const std::string locked = "PIN incorrect. Vigil is locked for " + describeDuration(lockoutDelay(failures)) + ". ";
    if (beforeWipe == 1) {
        return locked + "One more wrong PIN will erase all Vigil data on this device, including records not yet sent "
                        "to the station. If you are not sure of the PIN, ask your supervisor before trying again.";
    }
    return locked + "After " + std::to_string(beforeWipe)
        + " more wrong PINs all Vigil data on this device will be erased, including records not yet sent.";
}

Result<SecureBytes> KeyVault::unwrapCounted(std::string_view pin, VaultFile& vault)
{
    auto attempts = readAttempts();
    if (!attempts)
        return std::move(attempts).error();
    const auto now = m_clock();
    const auto delay = lockoutDelay(attempts->failures);
    const auto until = std::chrono::system_clock::time_point(std::chrono::seconds(attempts->lastFailureUnix)) + delay;
    if (delay.count() > 0 && now < until) {
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(until - now);
        return makeError(ErrorCode::LockedOut,
                         "Too many wrong PINs: try again in " + describeDuration(left) + ". "
                             + std::to_string(m_policy.wipeAfter - attempts->failures)
                             + " more wrong PINs will erase all Vigil data on this device.");
    }

    // Count the attempt before the expensive KDF: a kill during it still counts.
    Attempts next{attempts->failures + 1,
                  std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()};
    VIGIL_TRY(writeAttempts(next));

    auto secret = deviceSecret(false);
    if (!secret)
        return std::move(secret).error();
    SecureBytes stretched(kDataKeyBytes);
    if (crypto_pwhash(stretched.data(), stretched.size(), pin.data(), pin.size(), vault.salt.data(), vault.opslimit,
                      vault.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return makeError(ErrorCode::Internal, "Not enough memory to check the PIN. Close other apps and try again.");
    }
    SecureBytes kek(kDataKeyBytes);
    crypto_generichash(kek.data(), kek.size(), stretched.data(), stretched.size(), secret->data(), secret->size());
    SecureBytes dataKey(kDataKeyBytes);
    unsigned long long outLen = 0;
    const std::string ad = vault.associatedData();
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(dataKey.data(), &outLen, nullptr, vault.wrapped.data(),
                                                              vault.wrapped.size(), bytesOf(ad).data(), ad.size(),
                                                              vault.nonce.data(), kek.data());
    if (rc != 0) {
        if (next.failures >= m_policy.wipeAfter) {
            VIGIL_TRY(destroy());
            return makeError(ErrorCode::Wiped,
                             "PIN incorrect " + std::to_string(next.failures)
                                 + " times. To protect the people in these records, all Vigil data on this device "
                                   "has been erased. Contact your administrator to enrol the device again.");
        }
        return makeError(ErrorCode::WrongPin, wrongPinMessage(next.failures), "pin");
    }
    if (keyCheckValue(dataKey.span()) != vault.keyCheck)
        return vaultDamaged(m_file, "key check value does not match");
    VIGIL_TRY(writeAttempts({}));
    return dataKey;
}

Result<SecureBytes> KeyVault::unlock(std::string_view pin)
{
    auto vault = readVault();
    if (!vault)
        return std::move(vault).error();
    return unwrapCounted(pin, *vault);
}

Status KeyVault::changePin(std::string_view oldPin, std::string_view newPin)
{
    auto vault = readVault();
    if (!vault)
        return std::move(vault).error();
    auto dataKey = unwrapCounted(oldPin, *vault);
    if (!dataKey)
        return std::move(dataKey).error();
    auto secret = deviceSecret(false);
    if (!secret)
        return std::move(secret).error();
    VaultFile fresh;
    VIGIL_TRY(wrapInto(fresh, newPin, *dataKey, *secret));
    return writeVault(fresh);
}

Status KeyVault::destroy()
{
    // Crypto-erase: without the device secret and the wrapped key, the database is noise.
    Status removedSecret = m_secrets.remove(m_profile + ".device-secret");
    shredFile(m_file);
    shredFile(m_file.string() + ".new");
    Status removedCounter = m_secrets.remove(m_profile + ".pin-failures");
    if (!removedSecret.ok())
        return removedSecret;
    return removedCounter;
}

}  // namespace vigil
