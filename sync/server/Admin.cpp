#include "sync/server/Admin.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <fstream>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "core/casework/WorkingDays.h"
#include "core/figures/FigureIndex.h"
#include "core/risk/Dates.h"
#include "core/risk/DiversityCategories.h"
#include "core/store/Database.h"
#include "core/risk/JsonFile.h"
#include "core/risk/OutcomeList.h"
#include "sync/server/Log.h"
#include "sync/server/SqlCipherServerStore.h"
#include "sync/server/StoreLock.h"
#include "sync/server/StoreOpen.h"

namespace vigil::sync {

namespace {

Status copyPrivate(const std::filesystem::path& from, const std::filesystem::path& to, mode_t mode)
{
    std::ifstream in(from, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::NotFound, "Cannot read " + from.string() + ": check the path.");
    const int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return makeError(ErrorCode::Io, "Cannot create " + to.string() + ".");
    ::fchmod(fd, mode);
    char buf[4096];
    bool ok = true;
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        const auto n = static_cast<std::size_t>(in.gcount());
        if (::write(fd, buf, n) != static_cast<ssize_t>(n)) {
            ok = false;
            break;
        }
    }
    sodium_memzero(buf, sizeof buf);
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok)
        return makeError(ErrorCode::Io, "Cannot write " + to.string() + " (disk full?).");
    return {};
}

Status writeNewFile(const std::filesystem::path& file, const std::string& text, mode_t mode)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return makeError(ErrorCode::Io, "Cannot create " + file.string() + ".");
    ::fchmod(fd, mode);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        return makeError(ErrorCode::Io, "Cannot write " + file.string() + " (disk full?).");
    return {};
}

/// The TLS identity (a copy of the given pair, or a new self-signed one), the server key and the
/// empty store, at the paths `config` names. Returns the TLS key's SPKI pin.
Result<SpkiPin> createServerFiles(const ServerConfig& config, const InitOptions& options)
{
    namespace fs = std::filesystem;
    const fs::path cert = config.resolve(config.tlsCertificate);
    const fs::path key = config.resolve(config.tlsKey);
    if (options.certFile) {
        VIGIL_TRY(checkKeyMatchesCertificate(*options.certFile, *options.keyFile));
        VIGIL_TRY(copyPrivate(*options.keyFile, key, 0600));
        VIGIL_TRY(copyPrivate(*options.certFile, cert, 0644));
    } else {
        CertificateNames names = options.names;
        VIGIL_TRY(generateSelfSignedCertificate(cert, key, names));
    }
    auto pin = spkiPinOfCertificateFile(cert);
    if (!pin)
        return std::move(pin).error();

    const fs::path keyFile = config.resolve(config.keyFile);
    VIGIL_TRY(createServerKeyFile(keyFile));
    auto serverKey = loadServerKey(keyFile);
    if (!serverKey)
        return std::move(serverKey).error();
    auto store = openServerStore(config, serverKey->span(), /*create=*/true);
    if (!store)
        return std::move(store).error();
    return *pin;
}

}  // namespace

Status validateUser(const UserRecord& user)
{
    if (!isValidUserId(user.info.id)) {
        return makeError(ErrorCode::InvalidArgument,
                         "The user id \"" + user.info.id.substr(0, 64)
                             + "\" is not allowed: use 1 to 64 lower-case letters, digits, '.', '_' or '-', starting "
                               "with a letter or digit (e.g. pc.4821).",
                         "id");
    }
    const auto plain = [](const std::string& s) {
        for (char c : s) {
            if ((c >= 0 && c < 0x20) || c == 0x7F)
                return false;
        }
        return true;
    };
    if (user.info.team.empty() || user.info.team.size() > 64 || !plain(user.info.team))
        return makeError(ErrorCode::InvalidArgument, "Give the user's team (--team, 1 to 64 characters).", "team");
    if (user.info.borough.empty() || user.info.borough.size() > 64 || !plain(user.info.borough))
        return makeError(ErrorCode::InvalidArgument, "Give the user's borough (--borough, 1 to 64 characters).", "borough");
    if (user.info.displayName.size() > 128 || !plain(user.info.displayName))
        return makeError(ErrorCode::InvalidArgument, "The display name must be at most 128 printable characters.", "name");
    return {};
}

Result<InitResult> initServer(const InitOptions& options)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (options.dataDir.empty())
        return makeError(ErrorCode::InvalidArgument, "Give the server folder with --data-dir DIR.", "data-dir");
    if (options.certFile.has_value() != options.keyFile.has_value())
        return makeError(ErrorCode::InvalidArgument, "Give both --cert and --key, or neither (for a self-signed certificate).", "cert");
    const fs::path dir = fs::absolute(options.dataDir, ec);
    if (fs::exists(dir / kConfigFileName, ec)) {
        return makeError(ErrorCode::AlreadyExists, dir.string() + " already holds a Vigil server (" + kConfigFileName
                                                       + "). Nothing was changed; choose an empty folder.");
    }
    fs::create_directories(dir, ec);
    if (ec)
        return makeError(ErrorCode::Io, "Cannot create the folder " + dir.string() + ": " + ec.message() + ".");
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    fs::create_directories(dir / "tls", ec);
    fs::permissions(dir / "tls", fs::perms::owner_all, fs::perm_options::replace, ec);

    ServerConfig config;
    config.dataDir = dir;
    config.listenAddress = options.listenAddress;
    config.port = options.port;
    config.publicHost = options.publicHost;
    // "Any free port" for the server means the same for its metrics (tests run many at once).
    if (options.port == 0)
        config.metricsPort = 0;

    auto pin = createServerFiles(config, options);
    if (!pin)
        return std::move(pin).error();

    const fs::path configFile = dir / kConfigFileName;
    ServerConfig written = config;
    written.dataDir.clear();
    VIGIL_TRY(writeNewFile(configFile, defaultConfigText(written), 0600));
    return InitResult{configFile, *pin};
}

Result<InitResult> initServerFromConfig(const std::filesystem::path& configFile, const InitOptions& options)
{
    namespace fs = std::filesystem;
    if (options.certFile.has_value() != options.keyFile.has_value())
        return makeError(ErrorCode::InvalidArgument, "Give both --cert and --key, or neither (for a self-signed certificate).", "cert");
    auto config = loadServerConfig(configFile);
    if (!config)
        return std::move(config).error();
    std::error_code ec;
    if (!fs::is_directory(config->dataDir, ec)) {
        return makeError(ErrorCode::NotFound, "The server folder " + config->dataDir.string() + " (\"data_dir\" in "
                                                  + configFile.string()
                                                  + ") does not exist. Create it, owned by the user vigil-server runs "
                                                    "as and readable by that user only, then run init again.");
    }
    for (const fs::path& p : {config->resolve(config->keyFile), config->resolve(config->database),
                              config->resolve(config->tlsKey), config->resolve(config->tlsCertificate)}) {
        if (fs::exists(fs::symlink_status(p, ec))) {
            return makeError(ErrorCode::AlreadyExists,
                             p.string() + " already exists: this server has been set up before. Nothing was changed. "
                                          "(To start again from nothing, stop vigil-server and move the server folder's "
                                          "contents aside.)");
        }
    }
    // The certificate names the addresses devices use: the listen address and the public host.
    InitOptions named = options;
    for (const std::string& host : {config->listenAddress, config->publicHost}) {
        if (host.empty() || host == "127.0.0.1" || host == "0.0.0.0" || host == "::" || host == "localhost")
            continue;
        bool ip = true;
        for (char c : host)
            ip = ip && ((c >= '0' && c <= '9') || c == '.' || c == ':');
        auto& list = ip ? named.names.ips : named.names.dns;
        if (std::find(list.begin(), list.end(), host) == list.end())
            list.push_back(host);
    }
    for (const fs::path& p : {config->resolve(config->tlsKey), config->resolve(config->tlsCertificate)}) {
        if (!fs::exists(p.parent_path(), ec)) {
            fs::create_directories(p.parent_path(), ec);
            if (ec)
                return makeError(ErrorCode::Io, "Cannot create the folder " + p.parent_path().string() + ": " + ec.message() + ".");
            fs::permissions(p.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
        }
    }
    auto pin = createServerFiles(*config, named);
    if (!pin)
        return std::move(pin).error();
    return InitResult{configFile, *pin};
}

AdminSession::AdminSession(ServerConfig config, std::unique_ptr<ServerStore> store, SecureBytes key, SpkiPin pin,
                           Clock clock)
    : m_config(std::move(config)),
      m_store(std::move(store)),
      m_hasher(key.span()),
      m_key(std::move(key)),
      m_pin(pin),
      m_clock(std::move(clock))
{
}

Result<std::unique_ptr<AdminSession>> AdminSession::open(const std::filesystem::path& configFile, Clock clock)
{
    auto config = loadServerConfig(configFile);
    if (!config)
        return std::move(config).error();
    auto key = loadServerKey(config->resolve(config->keyFile));
    if (!key)
        return std::move(key).error();
    auto store = openServerStore(*config, key->span(), /*create=*/false);
    if (!store)
        return std::move(store).error();
    auto pin = spkiPinOfCertificateFile(config->resolve(config->tlsCertificate));
    if (!pin)
        return std::move(pin).error();
    // The server's clock, moved on as the configuration says (clock_offset_seconds: drills, tests).
    const auto offset = std::chrono::seconds(config->clockOffsetSeconds);
    Clock offsetClock = offset.count() == 0 ? std::move(clock) : Clock([clock, offset] { return clock() + offset; });
    return std::unique_ptr<AdminSession>(new AdminSession(std::move(config).value(), std::move(store).value(),
                                                          std::move(key).value(), *pin, std::move(offsetClock)));
}

std::int64_t AdminSession::now() const
{
    return std::chrono::duration_cast<std::chrono::seconds>(m_clock().time_since_epoch()).count();
}

Status AdminSession::addUser(UserRecord user)
{
    VIGIL_TRY(validateUser(user));
    user.createdAt = now();
    user.updatedAt = user.createdAt;
    return m_store->addUser(user);
}

Status AdminSession::updateUser(const UserRecord& user)
{
    VIGIL_TRY(validateUser(user));
    UserRecord u = user;
    u.updatedAt = now();
    return m_store->updateUser(u);
}

Result<std::optional<UserRecord>> AdminSession::findUser(const std::string& id)
{
    return m_store->findUser(id);
}

Result<std::vector<UserRecord>> AdminSession::listUsers()
{
    return m_store->listUsers();
}

Result<CreatedCode> AdminSession::createEnrolCode(const std::string& userId, std::chrono::seconds lifetime, int tries,
                                                  const std::string& host, std::uint16_t port)
{
    if (lifetime < std::chrono::seconds(1) || lifetime > std::chrono::hours(24))
        return makeError(ErrorCode::InvalidArgument, "A code must expire within 1 second to 24 hours (e.g. --expires 15m).", "expires");
    if (tries < 1 || tries > 10)
        return makeError(ErrorCode::InvalidArgument, "Allow from 1 to 10 tries (--tries).", "tries");
    auto user = m_store->findUser(userId);
    if (!user)
        return std::move(user).error();
    if (!*user)
        return makeError(ErrorCode::NotFound, "There is no user with id " + userId + ". See `vigil-admin user list`.", "user");
    if (!(*user)->active)
        return makeError(ErrorCode::InvalidArgument, "User " + userId + " is disabled; enable them first (user update --active yes).", "user");

    CreatedCode created;
    created.code.host = host.empty() ? m_config.advertisedHost() : host;
    created.code.port = port != 0 ? port : m_config.advertisedPort();
    if (created.code.port == 0)
        return makeError(ErrorCode::InvalidArgument, "The server listens on a random port (port 0): give the address devices use with --server HOST:PORT.", "server");
    if (created.code.host == "0.0.0.0" || created.code.host == "::")
        return makeError(ErrorCode::InvalidArgument, "The server listens on all addresses: set public_host in the configuration or give --server HOST:PORT.", "server");
    created.code.pin = m_pin;
    created.tries = tries;
    created.expiresAt = now() + lifetime.count();
    for (int attempt = 0; attempt < 5; ++attempt) {
        EnrolCodeRecord record;
        record.id = randomCrockford(kCodeIdChars);
        std::string secret = randomCrockford(kCodeSecretChars);
        record.userId = userId;
        record.secretHash = m_hasher.codeHash(record.id, secret);
        record.createdAt = now();
        record.expiresAt = created.expiresAt;
        record.maxTries = tries;
        auto added = m_store->addEnrolCode(record);
        if (added.ok()) {
            created.code.codeId = record.id;
            created.code.secret = std::move(secret);
            return created;
        }
        sodium_memzero(secret.data(), secret.size());
        if (added.error().code != ErrorCode::AlreadyExists && added.error().code != ErrorCode::Validation
            && added.error().code != ErrorCode::InvalidArgument)
            return std::move(added).error();
    }
    return makeError(ErrorCode::Internal, "Could not make a unique code; try again.");
}

Result<std::vector<DeviceRecord>> AdminSession::listDevices()
{
    return m_store->listDevices();
}

Status AdminSession::revokeDevice(const std::string& deviceId, bool wipe)
{
    return m_store->revokeDevice(deviceId, now(), wipe);
}

Result<std::vector<FutureStamp>> AdminSession::futureStamps(std::int64_t aheadSeconds)
{
    return m_store->futureStamps(aheadSeconds);
}

Result<StampRepair> AdminSession::repairStamps(std::int64_t aheadSeconds)
{
    const std::filesystem::path database = m_config.resolve(m_config.database);
    auto lock = StoreLock::acquire(database);
    if (!lock)
        return std::move(lock).error();
    auto repair = m_store->repairStamps(aheadSeconds);
    if (!repair)
        return std::move(repair).error();
    if (!repair->restamped.empty()) {
        // The copy merged the old stamps: the server builds it again from the op log at start.
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::error_code ec;
            std::filesystem::remove(database.string() + ".records" + suffix, ec);
            if (ec)
                return makeError(ErrorCode::Io, "The stamps are repaired, but " + database.string() + ".records" + suffix
                                                    + " could not be removed (" + ec.message()
                                                    + "): remove it by hand before starting vigil-server.");
        }
    }
    return repair;
}

namespace {

/// SHA-256 of a file (hex), read in pieces.
Result<std::string> fileSha256(const std::filesystem::path& file, std::int64_t& bytes)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io, "Could not read " + file.string() + ".");
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::vector<char> buf(1 << 16);
    bytes = 0;
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = in.gcount();
        if (n > 0) {
            crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()),
                                      static_cast<unsigned long long>(n));
            bytes += n;
        }
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state, digest.data());
    return toHex(digest);
}

/// Open a store file and check its audit chain; the highest op-log position it holds.
Result<std::pair<std::int64_t, std::int64_t>> checkStoreFile(const std::filesystem::path& file,
                                                             std::span<const unsigned char> key)
{
    auto store = SqlCipherServerStore::open(file, key, /*create=*/false);
    if (!store)
        return makeError(ErrorCode::Corrupt, "The backup " + file.string() + " cannot be opened with this server's key ("
                                                 + store.error().message + "). Nothing was changed.");
    auto chain = (*store)->verifyAudit();
    if (!chain)
        return std::move(chain).error();
    if (!chain->intact) {
        return makeError(ErrorCode::Corrupt, "The server's audit chain in " + file.string() + " is broken at entry "
                                                 + std::to_string(chain->firstBadSeq.value_or(0)) + " (" + chain->problem
                                                 + "). Nothing was changed; use another backup.");
    }
    auto cursor = (*store)->database().queryInt("SELECT coalesce(max(cursor), 0) FROM op_log;");
    if (!cursor)
        return std::move(cursor).error();
    return std::make_pair(*cursor, chain->entries);
}

std::string utcStamp(std::int64_t unixSeconds)
{
    const std::time_t t = unixSeconds;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

}  // namespace

Result<BackupResult> AdminSession::backup(const std::filesystem::path& out)
{
    std::error_code ec;
    if (std::filesystem::exists(out, ec) || std::filesystem::exists(out.string() + "-wal", ec))
        return makeError(ErrorCode::AlreadyExists, out.string() + " exists already. Name a new file; nothing was written.");
    auto* store = dynamic_cast<SqlCipherServerStore*>(m_store.get());
    if (!store)
        return makeError(ErrorCode::InvalidArgument,
                         "vigil-admin backup copies the SQLCipher store; this server's store is PostgreSQL. Back it up "
                         "with PostgreSQL's own tools (pg_dump, or the force's replication) and keep the server key "
                         "with it: without the key the sealed values do not open. Nothing was written.");
    {
        OpenOptions options;
        options.create = true;
        auto target = Database::open(out, m_key.span(), options);
        if (!target)
            return makeError(ErrorCode::Io, "Could not create the backup " + out.string() + ": " + target.error().message);
        // SQLite's online backup, in one step: it reads the store in one read transaction (a
        // consistent copy, whatever the server commits meanwhile) and copies its pages as they
        // are, encrypted with the same key (SQLCipher 3.4.1 copies between databases keyed alike).
        sqlite3_backup* copy = sqlite3_backup_init((*target)->handle(), "main", store->database().handle(), "main");
        if (!copy) {
            const std::string why = sqlite3_errmsg((*target)->handle());
            target->reset();
            std::filesystem::remove(out, ec);
            return makeError(ErrorCode::Io, "The backup could not start: " + why + ". Nothing was written.");
        }
        int rc = SQLITE_OK;
        for (int attempt = 0; attempt < 50; ++attempt) {
            rc = sqlite3_backup_step(copy, -1);
            if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
                break;
            sqlite3_sleep(100);
        }
        const int finished = sqlite3_backup_finish(copy);
        if (rc != SQLITE_DONE || finished != SQLITE_OK) {
            target->reset();
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(out.string() + suffix, ec);
            return makeError(ErrorCode::Io, "The backup could not be completed (" + std::string(sqlite3_errstr(rc))
                                                + "). Nothing was kept; try again.");
        }
    }  // closed: the file is whole, without a -wal beside it
    auto checked = checkStoreFile(out, m_key.span());
    if (!checked)
        return std::move(checked).error();
    BackupResult result;
    result.file = out;
    result.opLogCursor = checked->first;
    result.auditEntries = checked->second;
    auto sum = fileSha256(out, result.bytes);
    if (!sum)
        return std::move(sum).error();
    result.sha256 = *sum;
    VIGIL_TRY(store->appendServerAudit([&] {
        ServerAuditEntry e;
        e.at = now();
        e.actor = "vigil-admin";
        e.action = "backup_taken";
        e.detail = {{"file", out.filename().string()}, {"sha256", result.sha256}, {"op_log_cursor", result.opLogCursor},
                    {"audit_entries", result.auditEntries}};
        return e;
    }()));
    return result;
}

Result<RestoreResult> restoreServer(const std::filesystem::path& configFile, const std::filesystem::path& backupFile,
                                    const std::string& actor, Clock clock)
{
    auto config = loadServerConfig(configFile);
    if (!config)
        return std::move(config).error();
    auto key = loadServerKey(config->resolve(config->keyFile));
    if (!key)
        return std::move(key).error();
    if (config->onPostgresql())
        return makeError(ErrorCode::InvalidArgument,
                         "vigil-admin restore puts back a backup of the SQLCipher store; this server's store is "
                         "PostgreSQL. Restore the database with PostgreSQL's own tools, with every server stopped. "
                         "Nothing was changed.");
    const std::filesystem::path database = config->resolve(config->database);
    auto lock = StoreLock::acquire(database);
    if (!lock)
        return std::move(lock).error();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(backupFile, ec))
        return makeError(ErrorCode::NotFound, backupFile.string() + " is not a backup file. Nothing was changed.");
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(clock().time_since_epoch()).count();
    // A working copy of the backup: the backup itself is never changed (a newer vigil-server
    // upgrades the copy's schema when it opens it).
    const std::filesystem::path incoming = database.string() + ".restoring";
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(incoming.string() + suffix, ec);
    std::filesystem::copy_file(backupFile, incoming, ec);
    if (ec)
        return makeError(ErrorCode::Io, "Could not copy " + backupFile.string() + " (" + ec.message() + "). Nothing was changed.");
    std::filesystem::permissions(incoming, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    std::int64_t bytes = 0;
    auto sum = fileSha256(backupFile, bytes);
    if (!sum)
        return std::move(sum).error();
    auto checked = checkStoreFile(incoming, key->span());
    if (!checked) {
        std::filesystem::remove(incoming, ec);
        return std::move(checked).error();
    }
    // The store being replaced is kept aside, never deleted: what it holds after the backup is
    // evidence, and the devices send their part of it again anyway.
    RestoreResult result;
    result.keptAside = database.string() + ".before-restore-" + utcStamp(now);
    if (std::filesystem::exists(database, ec)) {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const std::filesystem::path from = database.string() + suffix;
            if (!std::filesystem::exists(from, ec))
                continue;
            std::filesystem::rename(from, result.keptAside.string() + suffix, ec);
            if (ec)
                return makeError(ErrorCode::Io, "Could not move " + from.string() + " aside (" + ec.message()
                                                    + "). Put it back by hand if it moved partly; then try again.");
        }
    } else {
        result.keptAside.clear();
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(database.string() + ".records" + suffix, ec);
    std::filesystem::rename(incoming, database, ec);
    if (ec)
        return makeError(ErrorCode::Io, "Could not put the backup in place (" + ec.message() + "): move "
                                            + incoming.string() + " to " + database.string() + " by hand.");
    auto store = SqlCipherServerStore::open(database, key->span(), /*create=*/false);
    if (!store)
        return std::move(store).error();
    (*store)->setAuditActor(actor);
    VIGIL_TRY((*store)->markRestored(now, {{"backup", backupFile.filename().string()}, {"sha256", *sum},
                                           {"kept_aside", result.keptAside.filename().string()}}));
    auto incarnation = (*store)->incarnation();
    if (!incarnation)
        return std::move(incarnation).error();
    result.incarnation = *incarnation;
    result.opLogCursor = checked->first;
    auto chain = (*store)->verifyAudit();
    if (!chain)
        return std::move(chain).error();
    result.auditEntries = chain->entries;
    return result;
}

namespace {

/// "version 2, 2006 to 2029".
std::string describeList(const WorkingDays& list)
{
    return "version " + std::to_string(list.version()) + ", " + list.coverageWords();
}

/// "2027-06-07 (Coronation)".
std::string dateAndTitle(const BankHoliday& h)
{
    return formatCivilDate(h.date) + " (" + h.title + ")";
}

std::string joined(const std::vector<std::string>& items, std::size_t most)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < most; ++i)
        out += (i == 0 ? "" : ", ") + items[i];
    if (items.size() > most)
        out += " and " + std::to_string(items.size() - most) + " more";
    return out;
}

Error importRefused(const std::string& why)
{
    return makeError(ErrorCode::InvalidArgument, "The bank-holiday list was not imported: " + why + ". Nothing was changed.",
                     "bank-holidays");
}

}  // namespace

Result<BankHolidayImportResult> AdminSession::importBankHolidays(const std::filesystem::path& file, bool allowRemovals,
                                                                 const std::string& importedBy)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec)
        return makeError(ErrorCode::NotFound, "Cannot read " + file.string() + ": check the path. Nothing was changed.",
                         "file");
    if (size > 4 * 1024 * 1024)
        return importRefused(file.string() + " is " + std::to_string(size / 1024)
                             + " KiB, far larger than any bank-holiday list (gov.uk's whole file is about 20 KiB)");
    auto text = readTextFile(file, "bank-holiday list");
    if (!text)
        return std::move(text).error();
    // The core's own parser: what devices will accept, and nothing else.
    auto list = WorkingDays::parse(*text, file.string());
    if (!list)
        return makeError(list.error().code, list.error().message + " Nothing was imported.", list.error().field);

    auto shipped = WorkingDays::loadFile(shippedBankHolidayFile());
    if (!shipped)
        return makeError(shipped.error().code, "The list shipped with this vigil-admin cannot be read, so the new list "
                                                   "cannot be checked against it: " + shipped.error().message
                                                   + " Reinstall vigil-server. Nothing was changed.");
    auto heldRow = m_store->bankHolidays();
    if (!heldRow)
        return std::move(heldRow).error();
    std::optional<WorkingDays> held;
    if (*heldRow) {
        auto parsed = WorkingDays::parse((*heldRow)->text, "held by the server");
        if (!parsed)
            return makeError(ErrorCode::Corrupt, "The server's own bank-holiday list (version "
                                                     + std::to_string((*heldRow)->version)
                                                     + ") cannot be read: " + parsed.error().message
                                                     + " Restore the server folder from a backup. Nothing was changed.");
        held = std::move(parsed).value();
    }

    const WorkingDays& fresh = *list;
    // Newer than what devices already have: the server's list and the list they shipped with.
    if (held && fresh.version() <= held->version())
        return importRefused("its version (" + std::to_string(fresh.version()) + ") is not newer than the list the "
                             "server holds (" + describeList(*held) + ", imported "
                             + ((*heldRow)->importedBy.empty() ? std::string() : "by " + (*heldRow)->importedBy + " ")
                             + "from " + (*heldRow)->fileName + "): raise \"version\" in the \"vigil\" block to "
                             + std::to_string(held->version() + 1) + " or more");
    if (fresh.version() <= shipped->version())
        return importRefused("its version (" + std::to_string(fresh.version()) + ") is not newer than the list shipped "
                             "with Vigil (" + describeList(*shipped) + "), so devices would not use it: raise \"version\" "
                             "in the \"vigil\" block to " + std::to_string(shipped->version() + 1) + " or more");
    // Never fewer dates covered than devices already have (they would refuse it too).
    for (const WorkingDays* before : {&*shipped, held ? &*held : nullptr}) {
        if (!before)
            continue;
        const std::string whose = before == &*shipped ? "the list shipped with Vigil" : "the server's list";
        if (fresh.coversTo() < before->coversTo())
            return importRefused("it covers only to " + formatCivilDate(fresh.coversTo()) + ", and " + whose
                                 + " covers to " + formatCivilDate(before->coversTo())
                                 + ": keep those years and add the new ones from gov.uk");
        if (fresh.coversFrom() > before->coversFrom())
            return importRefused("it starts at " + formatCivilDate(fresh.coversFrom()) + ", and " + whose
                                 + " goes back to " + formatCivilDate(before->coversFrom())
                                 + ": keep the earlier years (start from a copy of the list shipped with Vigil)");
    }

    // A list only grows, unless a day was moved or cancelled by proclamation.
    const WorkingDays& before = held ? *held : *shipped;
    std::set<CivilDate> freshDates;
    for (const BankHoliday& h : fresh.holidays())
        freshDates.insert(h.date);
    std::set<CivilDate> beforeDates;
    BankHolidayImportResult result;
    for (const BankHoliday& h : before.holidays()) {
        beforeDates.insert(h.date);
        if (freshDates.count(h.date) == 0)
            result.removed.push_back(dateAndTitle(h));
    }
    for (const BankHoliday& h : fresh.holidays()) {
        if (beforeDates.count(h.date) == 0)
            result.added.push_back(dateAndTitle(h));
    }
    result.replaces = (held ? "the server's list (" : "the list shipped with Vigil (") + describeList(before) + ")";
    if (!result.removed.empty() && !allowRemovals)
        return importRefused("it drops " + std::to_string(result.removed.size()) + " bank holiday"
                             + (result.removed.size() == 1 ? "" : "s") + " that " + result.replaces + " holds: "
                             + joined(result.removed, 8)
                             + ". A day leaves the list only when a proclamation moved or cancelled it: check gov.uk, "
                               "and if so import the file again with --allow-removals");

    BankHolidayImport& stored = result.stored;
    stored.version = fresh.version();
    stored.text = std::move(text).value();
    stored.sha256 = sha256Hex(std::span(reinterpret_cast<const unsigned char*>(stored.text.data()), stored.text.size()));
    stored.coversFrom = formatCivilDate(fresh.coversFrom());
    stored.coversTo = formatCivilDate(fresh.coversTo());
    stored.holidays = static_cast<std::int64_t>(fresh.holidays().size());
    stored.importedAt = now();
    stored.importedBy = importedBy;
    stored.fileName = file.filename().string();
    nlohmann::json removed = nlohmann::json::array();
    for (const std::string& r : result.removed)
        removed.push_back(r.substr(0, 10));
    stored.removed = removed.dump();
    VIGIL_TRY(m_store->addBankHolidays(stored));
    // The import is in the server's audit chain (who and when, in the encrypted store); this line
    // goes to the log, vigil-admin's standard error (no account name in it: the log holds no user
    // names, Log.h).
    Log::write(LogLevel::Info, "bank_holidays_imported",
               {{"version", stored.version},
                {"sha256", stored.sha256},
                {"added", result.added.size()},
                {"removed", result.removed.size()}});
    return result;
}

Result<std::optional<BankHolidayImport>> AdminSession::bankHolidays()
{
    return m_store->bankHolidays();
}

Result<std::vector<BankHolidayImport>> AdminSession::bankHolidayImports()
{
    return m_store->bankHolidayImports();
}

Result<ReportFigures> AdminSession::reportFigures(const std::string& from, const std::string& to,
                                                 const std::vector<std::string>& boroughs)
{
    const auto first = parseIsoDate(from);
    const auto last = parseIsoDate(to);
    if (!first || !last || *first > *last)
        return makeError(ErrorCode::InvalidArgument,
                         "Give the period as --from YYYY-MM-DD --to YYYY-MM-DD (both days included, the first not after "
                         "the last).",
                         "from");
    const std::string end = formatIsoDate(*last + std::chrono::days(1));
    const std::filesystem::path database = m_config.resolve(m_config.database);
    const std::filesystem::path copy = database.string() + ".records";
    const std::filesystem::path modelDir = m_config.resolve(m_config.riskModelDir);
    ReportFigures out;
    auto lock = StoreLock::acquire(database);
    if (lock) {
        // vigil-server is stopped: bring its copy up to the op log first, exactly as it does at start.
        VIGIL_TRY(enableStoreRuleCheck(*m_store, m_config, m_key.span()));
        out.server = "stopped";
        std::vector<std::string> names = boroughs;
        if (names.empty()) {
            auto held = m_store->figureBoroughs(from, end);
            if (!held)
                return std::move(held).error();
            names = std::move(held).value();
        }
        auto sets = storeFiguresByBorough(*m_store, FigureRequest{from, end, "", "", false}, names);
        if (!sets)
            return std::move(sets).error();
        out.boroughs = std::move(sets).value();
        return out;
    }
    if (lock.error().code != ErrorCode::Busy)
        return std::move(lock).error();
    // vigil-server runs and keeps its copy up to the op log: read it on a connection of our own.
    out.server = "running";
    std::error_code ec;
    if (!std::filesystem::exists(copy, ec)) {
        return makeError(ErrorCode::NotFound, "The server has no copy of the records yet (" + copy.string()
                                                  + "): wait until vigil-server has finished starting, then run the "
                                                    "report again.");
    }
    auto lists = DiversityCategories::loadFile(modelDir / "rules-diversity.json");
    if (!lists)
        return std::move(lists).error();
    auto outcomes = OutcomeList::loadFile(modelDir / "rules-outcomes.json");
    if (!outcomes)
        return std::move(outcomes).error();
    OpenOptions options;
    auto db = Database::open(copy, m_key.span(), options);
    if (!db)
        return std::move(db).error();
    auto derived = (*db)->prepare("SELECT value FROM store_meta WHERE key = 'figure_index';");
    if (!derived)
        return std::move(derived).error();
    std::string version;
    VIGIL_TRY(derived->forEach([&](const Query& row) { version = row.columnText(0); }));
    if (version != figure_index::kVersion) {
        return makeError(ErrorCode::SchemaTooNew,
                         "The running vigil-server derived its figures with another version of Vigil. Restart "
                         "vigil-server with this version (it derives them again at start), then run the report again.");
    }
    // One read transaction: every borough counted from the same moment of the copy, whatever the
    // server commits meanwhile (WAL readers see one snapshot and never block it).
    VIGIL_TRY((*db)->exec("BEGIN;"));
    const auto count = [&]() -> Status {
        std::vector<std::string> names = boroughs;
        if (names.empty()) {
            auto held = boroughsWithFigures(**db, from, end);
            if (!held)
                return std::move(held).error();
            names = std::move(held).value();
        }
        // Each borough counted alone, the MARAC referrals read once for all of them.
        auto sets = computeFiguresByBorough(**db, FigureRequest{from, end, "", "", false}, names, &*lists, &*outcomes);
        if (!sets)
            return std::move(sets).error();
        out.boroughs = std::move(sets).value();
        return {};
    };
    const Status counted = count();
    (void)(*db)->exec("ROLLBACK;");  // nothing was written: only the snapshot ends
    if (!counted.ok())
        return counted.error();
    return out;
}

}  // namespace vigil::sync
