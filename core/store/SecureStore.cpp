#include "core/store/SecureStore.h"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include "core/store/PinPolicy.h"
#include "core/store/Schema.h"

namespace vigil {

SecureStore::SecureStore(std::filesystem::path dir, SecretStore& secrets, StoreConfig config, Clock clock,
                         std::span<const Migration> schema)
    : m_dir(std::move(dir)), m_config(std::move(config)), m_schema(schema.empty() ? deviceSchema() : schema),
      m_vault(m_dir / "vault.json", secrets, m_config.profile, m_config.kdf, m_config.policy, std::move(clock))
{
}

bool SecureStore::isSetUp() const { return m_vault.exists(); }

Status SecureStore::setUp(std::string_view pin)
{
    VIGIL_TRY(checkNewPin(pin));
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec || ::chmod(m_dir.c_str(), S_IRWXU) != 0) {
        return makeError(ErrorCode::Io, "Could not create the private folder " + m_dir.string() + " for the store: "
                                            + (ec ? ec.message() : std::strerror(errno)) + ". Check free space and try again.");
    }
    // Leftovers of a store whose key is gone cannot be read by anyone: clear them first.
    if (!isSetUp())
        removeDatabaseFiles();
    auto key = m_vault.create(pin);
    if (!key)
        return std::move(key).error();
    auto db = openWith(*key, true);
    if (!db) {
        // Do not leave a key for a store that was never made.
        (void)m_vault.destroy();
        removeDatabaseFiles();
        return std::move(db).error();
    }
    return {};
}

Result<std::unique_ptr<Database>> SecureStore::openWith(const SecureBytes& key, bool create)
{
    auto check = m_vault.keyCheck();
    if (!check)
        return std::move(check).error();
    OpenOptions options;
    options.create = create;
    options.keyCheck = *check;
    auto db = Database::open(databasePath(), key.span(), options);
    if (!db)
        return std::move(db).error();
    VIGIL_TRY(migrate(**db, m_schema));
    return db;
}

Result<std::unique_ptr<Database>> SecureStore::unlock(std::string_view pin)
{
    auto key = m_vault.unlock(pin);
    if (!key) {
        if (key.error().code == ErrorCode::Wiped)
            removeDatabaseFiles();
        return std::move(key).error();
    }
    return openWith(*key, false);  // `key` is wiped when it goes out of scope here
}

Status SecureStore::changePin(std::string_view oldPin, std::string_view newPin)
{
    VIGIL_TRY(checkNewPin(newPin));
    Status changed = m_vault.changePin(oldPin, newPin);
    if (!changed.ok() && changed.error().code == ErrorCode::Wiped)
        removeDatabaseFiles();
    return changed;
}

Result<UnlockStatus> SecureStore::unlockStatus() const { return m_vault.status(); }

Status SecureStore::wipe()
{
    Status destroyed = m_vault.destroy();
    removeDatabaseFiles();
    return destroyed;
}

void SecureStore::removeDatabaseFiles()
{
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(databasePath().string() + suffix, ec);
}

}  // namespace vigil
