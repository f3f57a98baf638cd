#include "core/store/Database.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store/SecureBytes.h"

namespace vigil {

namespace {

constexpr std::string_view kKeyCheckLabel = "vigil key check v1";

/// Key a connection with a raw 32-byte key, in the form x'<64 hex>' (SQLCipher then skips its
/// passphrase KDF), built in a wiped buffer.
int keyConnection(sqlite3* connection, std::span<const unsigned char> rawKey)
{
    SecureBytes keySpec(3 + 2 * kDataKeyBytes);
    auto* p = reinterpret_cast<char*>(keySpec.data());
    p[0] = 'x';
    p[1] = '\'';
    sodium_bin2hex(p + 2, 2 * kDataKeyBytes + 1, rawKey.data(), rawKey.size());
    p[2 + 2 * kDataKeyBytes] = '\'';
    return sqlite3_key(connection, keySpec.data(), static_cast<int>(keySpec.size()));
}

/// Create the file with mode 0600 before SQLite sees it. SQLite gives the -wal and -shm
/// files the same mode as the database file, so they are private too.
Status createPrivateFile(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        return makeError(ErrorCode::Io, "Could not create the store file " + path.string() + ": "
                                            + std::strerror(errno) + ". Check that the folder exists and is writable.");
    }
    ::fchmod(fd, S_IRUSR | S_IWUSR);
    ::close(fd);
    return {};
}

}  // namespace

std::string keyCheckValue(std::span<const unsigned char> rawKey)
{
    ensureSodium();
    std::array<unsigned char, 16> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(kKeyCheckLabel.data()),
                       kKeyCheckLabel.size(), rawKey.data(), rawKey.size());
    return toHex(out);
}

Error sqliteError(int rc, std::string_view detail, std::string_view doing, bool keyVerified)
{
    const int primary = rc & 0xff;
    std::string what = std::string(doing);
    std::string tail = detail.empty() ? std::string() : " (" + std::string(detail) + ")";
    switch (primary) {
    case SQLITE_NOTADB:
        if (!keyVerified) {
            return makeError(ErrorCode::WrongPin,
                             "The key does not open this store, or the store file is damaged" + tail
                                 + ". Check the PIN; if it is right, contact your administrator.");
        }
        [[fallthrough]];
    case SQLITE_CORRUPT:
        return makeError(ErrorCode::Corrupt,
                         "The encrypted store on this device is damaged or has been tampered with, while " + what + tail
                             + ". Nothing was read from the damaged part. Stop using this device for records and "
                               "contact your administrator: records already synced are safe on the server.");
    case SQLITE_FULL:
        return makeError(ErrorCode::DiskFull,
                         "The device storage is full, so the last change was not saved while " + what
                             + ". Everything saved before it is safe. Free some space (delete other apps' files) "
                               "and try again.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return makeError(ErrorCode::Busy, "The store is in use by another Vigil process while " + what + tail
                                              + ". Close the other copy of Vigil and try again.");
    case SQLITE_CANTOPEN:
        return makeError(ErrorCode::NotFound, "The store file could not be opened while " + what + tail
                                                  + ". If this device was wiped or never set up, enrol it again.");
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return makeError(ErrorCode::Io, "The device refused to read or write the store while " + what + tail
                                            + ". Restart the device; if this repeats, contact your administrator.");
    case SQLITE_CONSTRAINT:
        return makeError(ErrorCode::InvalidArgument, "The change was refused because it conflicts with saved data, while "
                                                         + what + tail + ". Nothing was changed; report this to support.");
    case SQLITE_NOMEM:
        if (keyVerified) {
            // SQLCipher 3.4.1 reports a page whose HMAC fails as an out-of-memory error from
            // the pager (its codec hook returns NULL). With a verified key that means a
            // damaged or altered page, never a real allocation failure worth retrying.
            return sqliteError(SQLITE_CORRUPT, detail, doing, keyVerified);
        }
        break;
    default:
        break;
    }
    return makeError(ErrorCode::Internal, "Unexpected storage error while " + what + tail + " [sqlite " + std::to_string(rc)
                                              + "]. Your saved records are unchanged; report this to support.");
}

// ---------------------------------------------------------------------------------------
// Query

Query::~Query()
{
    if (m_stmt != nullptr) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

Query::Query(Query&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_bindError(std::move(other.m_bindError)),
      m_bindFailed(other.m_bindFailed)
{
}

#define VIGIL_BIND(call)                                                                   \
    do {                                                                                   \
        if (!m_bindFailed) {                                                               \
            if (const int rc_ = (call); rc_ != SQLITE_OK) {                                \
                m_bindFailed = true;                                                       \
                m_bindError = m_db->errorFrom(rc_, "binding a value");                     \
            }                                                                              \
        }                                                                                  \
    } while (false)

Query& Query::bind(int index, std::int64_t value)
{
    VIGIL_BIND(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Query& Query::bind(int index, double value)
{
    VIGIL_BIND(sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Query& Query::bind(int index, std::string_view text)
{
    VIGIL_BIND(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Query& Query::bindBlob(int index, std::span<const unsigned char> blob)
{
    VIGIL_BIND(sqlite3_bind_blob64(m_stmt, index, blob.data(), blob.size(), SQLITE_TRANSIENT));
    return *this;
}

Query& Query::bindNull(int index)
{
    VIGIL_BIND(sqlite3_bind_null(m_stmt, index));
    return *this;
}

#undef VIGIL_BIND

int Query::parameterIndex(const char* name) const noexcept { return sqlite3_bind_parameter_index(m_stmt, name); }

Result<bool> Query::step()
{
    if (m_bindFailed)
        return m_bindError;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return m_db->errorFrom(rc, "running a query");
}

Status Query::run()
{
    return forEach([](const Query&) {});
}

Status Query::forEach(const std::function<void(const Query&)>& onRow)
{
    for (;;) {
        auto more = step();
        if (!more.ok() || !*more) {
            // Ready for the next set of bindings (SQLite refuses binds until reset).
            sqlite3_reset(m_stmt);
            if (!more)
                return std::move(more).error();
            return {};
        }
        onRow(*this);
    }
}

std::int64_t Query::columnInt(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Query::columnDouble(int col) const { return sqlite3_column_double(m_stmt, col); }

std::string Query::columnText(int col) const
{
    const auto* text = sqlite3_column_text(m_stmt, col);
    const int len = sqlite3_column_bytes(m_stmt, col);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(len)) : std::string();
}

std::string_view Query::columnView(int col) const
{
    const auto* text = sqlite3_column_text(m_stmt, col);
    const int len = sqlite3_column_bytes(m_stmt, col);
    return text ? std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(len)) : std::string_view();
}

std::span<const unsigned char> Query::columnBlob(int col) const
{
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(m_stmt, col));
    const int len = sqlite3_column_bytes(m_stmt, col);
    return blob ? std::span<const unsigned char>(blob, static_cast<std::size_t>(len)) : std::span<const unsigned char>();
}

bool Query::columnIsNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

// ---------------------------------------------------------------------------------------
// Database

Database::Database(sqlite3* db, std::filesystem::path path) noexcept : m_db(db), m_path(std::move(path)) {}

/// Checkpoints off the committing thread. SQLite's own (wal_autocheckpoint) runs inside the
/// COMMIT that takes the WAL past 1,000 pages: that commit then also copies those pages into
/// the main file, a third of a large push's time on the server. Here the commit only wakes this
/// thread, which runs a PASSIVE checkpoint on its own connection: it copies what no reader
/// still needs, alongside new commits, and never blocks them. Should the WAL still grow past
/// kForcedFrames (the thread starved), the committing connection checkpoints itself, as SQLite
/// would.
struct Database::Checkpointer {
    static constexpr int kWakeFrames = 1000;     // SQLite's default autocheckpoint
    static constexpr int kForcedFrames = 16000;  // 128 MiB of 8 KiB pages

    sqlite3* db = nullptr;
    std::mutex mutex;
    std::condition_variable wake;
    bool wanted = false;
    bool stopping = false;
    std::atomic<std::int64_t> done{0};
    /// Held while a checkpoint runs here, and by Database::checkpoint(): SQLite answers a second
    /// checkpoint BUSY at once, without waiting, while one is running.
    std::mutex running;
    std::thread thread;

    explicit Checkpointer(sqlite3* connection) : db(connection)
    {
        thread = std::thread([this] { run(); });
    }
    ~Checkpointer()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_one();
        thread.join();
        sqlite3_close_v2(db);
    }
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    void run()
    {
        for (;;) {
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [this] { return wanted || stopping; });
                if (stopping)
                    return;
                wanted = false;
            }
            // BUSY (another checkpoint running) or an I/O error: the next commit asks again,
            // and the WAL keeps every page safe meanwhile.
            std::lock_guard busy(running);
            if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK)
                ++done;
        }
    }

    /// sqlite3_wal_hook: called by the committing connection after each commit.
    static int onCommit(void* self, sqlite3* committing, const char* schema, int frames)
    {
        auto* c = static_cast<Checkpointer*>(self);
        if (frames >= kForcedFrames) {
            (void)sqlite3_wal_checkpoint_v2(committing, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } else if (frames >= kWakeFrames) {
            {
                std::lock_guard lock(c->mutex);
                c->wanted = true;
            }
            c->wake.notify_one();
        }
        return SQLITE_OK;
    }
};

void Database::startCheckpointer(std::span<const unsigned char> rawKey, const OpenOptions& options, bool encrypted)
{
    // Any failure here leaves SQLite's own autocheckpoint in place: slower commits, nothing lost.
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(m_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(raw);
        return;
    }
    bool ready = true;
    if (encrypted) {
        ready = keyConnection(raw, rawKey) == SQLITE_OK
             && sqlite3_exec(raw, ("PRAGMA cipher_page_size = " + std::to_string(options.pageSize) + ";").c_str(), nullptr,
                             nullptr, nullptr)
                    == SQLITE_OK;
    }
    // A first read opens the WAL for this connection (and proves the key); small cache: a
    // checkpoint copies pages without them passing through it.
    ready = ready
         && sqlite3_exec(raw, "PRAGMA cache_size = 16; SELECT count(*) FROM sqlite_master;", nullptr, nullptr, nullptr)
                == SQLITE_OK;
    if (!ready) {
        sqlite3_close_v2(raw);
        return;
    }
    m_checkpointer = std::make_unique<Checkpointer>(raw);
    sqlite3_wal_hook(m_db, &Checkpointer::onCommit, m_checkpointer.get());
}

std::int64_t Database::backgroundCheckpoints() const noexcept
{
    return m_checkpointer ? m_checkpointer->done.load() : 0;
}

Database::~Database()
{
    sodium_memzero(m_auditKey.data(), m_auditKey.size());
    if (m_checkpointer) {
        sqlite3_wal_hook(m_db, nullptr, nullptr);
        m_checkpointer.reset();
    }
    for (auto& [sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    // SQLCipher zeroes its copy of the key when the connection closes.
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path,
                                                 std::span<const unsigned char> rawKey, const OpenOptions& options)
{
    if (rawKey.size() != kDataKeyBytes) {
        return makeError(ErrorCode::InvalidArgument, "The data key must be 32 bytes; this is a bug in the caller.");
    }
    if (options.keyCheck) {
        const std::string expected = keyCheckValue(rawKey);
        const auto bytes = [](const std::string& s) {
            return std::span(reinterpret_cast<const unsigned char*>(s.data()), s.size());
        };
        if (!constantTimeEqual(bytes(*options.keyCheck), bytes(expected)))
            return makeError(ErrorCode::WrongPin, "The key does not open this store. Check the PIN and try again.");
    }
    return openImpl(path, rawKey, options, true);
}

Result<std::unique_ptr<Database>> Database::openPlaintextForBenchmark(const std::filesystem::path& path,
                                                                      const OpenOptions& options)
{
    return openImpl(path, {}, options, false);
}

Result<std::unique_ptr<Database>> Database::openImpl(const std::filesystem::path& path,
                                                     std::span<const unsigned char> rawKey, const OpenOptions& options,
                                                     bool encrypted)
{
    std::error_code ec;
    const bool existed = std::filesystem::exists(path, ec);
    if (!existed && !options.create) {
        return makeError(ErrorCode::NotFound, "No Vigil store at " + path.string()
                                                  + ". If this device was wiped or is new, set it up (enrol) again.");
    }
    if (!existed) {
        VIGIL_TRY(createPrivateFile(path));
    }

    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;  // one thread per Database; never CREATE: we made the file
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    std::unique_ptr<Database> db(new Database(raw, path));  // closes `raw` even when open failed
    if (rc != SQLITE_OK)
        return sqliteError(rc, sqlite3_errmsg(raw), "opening the store", false);
    sqlite3_extended_result_codes(raw, 1);

    if (encrypted && rawKey.size() == crypto_kdf_KEYBYTES) {
        static_assert(crypto_kdf_KEYBYTES == 32);
        ensureSodium();
        if (crypto_kdf_derive_from_key(db->m_auditKey.data(), db->m_auditKey.size(), 1, "VigilAud", rawKey.data()) != 0)
            return makeError(ErrorCode::Internal, "The store's audit key could not be derived. Restart Vigil.");
    }
    if (encrypted) {
        rc = keyConnection(raw, rawKey);
        if (rc != SQLITE_OK)
            return sqliteError(rc, sqlite3_errmsg(raw), "setting the store key", false);
        VIGIL_TRY(db->exec("PRAGMA cipher_page_size = " + std::to_string(options.pageSize) + ";"));
    } else if (!existed) {
        VIGIL_TRY(db->exec("PRAGMA page_size = " + std::to_string(options.pageSize) + ";"));
    }

    // The first read is where a wrong key or a damaged first page shows (not at PRAGMA key).
    db->m_keyVerified = options.keyCheck.has_value();
    if (auto probe = db->queryInt("SELECT count(*) FROM sqlite_master;"); !probe)
        return std::move(probe).error();
    db->m_keyVerified = true;  // from here on a NOTADB/HMAC failure is damage, not a wrong key
    VIGIL_TRY(db->configure());
    db->startCheckpointer(rawKey, options, encrypted);
    return db;
}

Status Database::configure()
{
    // WAL for crash safety with concurrent readers; FULL sync so an acknowledged commit
    // survives power loss; temp data never touches the disk.
    if (auto mode = prepare("PRAGMA journal_mode = WAL;"); !mode) {
        return std::move(mode).error();
    } else {
        auto row = mode->step();
        if (!row)
            return std::move(row).error();
        if (!*row || mode->columnText(0) != "wal")
            return makeError(ErrorCode::Io, "The store could not switch to write-ahead logging. Restart the device and try again.");
    }
    // Page cache 32 MiB (SQLite's default is 2 MiB): every page read from the file is
    // decrypted (SQLCipher), and applying a pulled page of records touches rows all over the
    // tables; with 2 MiB most of that time went to decrypting the same pages again
    // (docs/performance.md, "Sync"). Memory, not disk: nothing more is written.
    // secure_delete: what a removal or an overwrite frees is zeroed before the page is written
    // (and encrypted), so a removed victim's details do not stay readable in free pages to anyone
    // who later holds the key (issue 22; its cost on autosave: docs/performance.md).
    VIGIL_TRY(exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                   "PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768; PRAGMA secure_delete = ON;"));
    auto secure = queryInt("PRAGMA secure_delete;");
    if (!secure)
        return std::move(secure).error();
    if (*secure != 1)
        return makeError(ErrorCode::Io, "The store could not turn on secure deletion. Reinstall Vigil; if this repeats, "
                                        "tell your IT service desk.");
    return {};
}

Error Database::errorFrom(int rc, std::string_view doing) const
{
    return sqliteError(rc, m_db ? sqlite3_errmsg(m_db) : "", doing, m_keyVerified);
}

Status Database::exec(std::string_view sql)
{
    const std::string text(sql);
    char* msg = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) {
        std::string detail = msg ? msg : "";
        sqlite3_free(msg);
        return sqliteError(rc, detail, "updating the store", m_keyVerified);
    }
    return {};
}

Result<Query> Database::prepare(std::string_view sql)
{
    std::string key(sql);
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v2(m_db, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(stmt);
            return errorFrom(rc, "preparing a query");
        }
        it = m_cache.emplace(std::move(key), stmt).first;
    }
    return Query(*this, it->second);
}

Status Database::transaction(const std::function<Status()>& body)
{
    VIGIL_TRY(exec("BEGIN IMMEDIATE;"));
    Status result;
    try {
        result = body();
    } catch (...) {
        // A throw leaves nothing half-done either: rolled back, then passed on.
        if (!sqlite3_get_autocommit(m_db))
            sqlite3_exec(m_db, "ROLLBACK;", nullptr, nullptr, nullptr);
        throw;
    }
    if (result.ok()) {
        result = exec("COMMIT;");
        if (result.ok())
            return result;
    }
    // Roll back whatever part was applied; if the connection already rolled back, that is fine.
    if (!sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK;", nullptr, nullptr, nullptr);
    return result;
}

Result<std::int64_t> Database::queryInt(std::string_view sql)
{
    auto q = prepare(sql);
    if (!q)
        return std::move(q).error();
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return makeError(ErrorCode::Internal, "A query that should return a number returned nothing. Report this to support.");
    return q->columnInt(0);
}

Status Database::integrityCheck()
{
    auto q = prepare("PRAGMA integrity_check;");
    if (!q)
        return std::move(q).error();
    std::string problems;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        const std::string line = row.columnText(0);
        if (line != "ok")
            problems += (problems.empty() ? "" : "; ") + line;
    }));
    if (!problems.empty())
        return sqliteError(SQLITE_CORRUPT, problems, "checking the store", true);
    return {};
}

Status Database::checkpoint()
{
    int logFrames = 0;
    int checkpointed = 0;
    std::unique_lock<std::mutex> background;
    if (m_checkpointer)
        background = std::unique_lock(m_checkpointer->running);
    const int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &checkpointed);
    if (rc != SQLITE_OK)
        return errorFrom(rc, "checkpointing the store");
    return {};
}

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
bool Database::inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }
int Database::changes() const { return sqlite3_changes(m_db); }

}  // namespace vigil
