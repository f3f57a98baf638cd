#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/common/Result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vigil {

/// SQLCipher page size used for every Vigil store. Chosen by measurement with ~2 KB rows
/// (see docs/performance.md, "Page size"); it must be repeated on every open.
inline constexpr int kCipherPageSize = 8192;
/// Raw data-key length: 256 bits.
inline constexpr std::size_t kDataKeyBytes = 32;

/// How to open a store file.
struct OpenOptions {
    bool create = false;                ///< create the file if missing (mode 0600)
    int pageSize = kCipherPageSize;     ///< cipher_page_size (or page_size when unencrypted)
    /// The key-check value recorded with the wrapped key. When given, a key that does not
    /// match it is reported as WrongPin before SQLCipher is asked, and SQLITE_NOTADB with a
    /// matching key is reported as Corrupt (SQLCipher 3.4.1 reports both as NOTADB).
    std::optional<std::string> keyCheck;
};

class Database;

/// A prepared statement borrowed from the Database's cache. On destruction it is reset and
/// its bindings cleared, so the cached statement is ready for the next user.
class Query {
public:
    Query(Database& db, sqlite3_stmt* stmt) noexcept : m_db(&db), m_stmt(stmt) {}
    ~Query();
    Query(Query&& other) noexcept;
    Query& operator=(Query&&) = delete;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    /// Parameters are 1-based, as in SQLite.
    Query& bind(int index, std::int64_t value);
    Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Query& bind(int index, double value);
    Query& bind(int index, std::string_view text);
    Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Query& bindBlob(int index, std::span<const unsigned char> blob);
    Query& bindNull(int index);
    /// The index of a named parameter (":name") of the statement; 0 when it has none by that name.
    [[nodiscard]] int parameterIndex(const char* name) const noexcept;

    /// Advance: true when a row is available, false when done, or an error.
    [[nodiscard]] Result<bool> step();
    /// Run to completion, ignoring rows (for INSERT/UPDATE/DELETE).
    [[nodiscard]] Status run();
    /// Call `onRow` for every row, then reset; the first error stops it.
    [[nodiscard]] Status forEach(const std::function<void(const Query&)>& onRow);

    [[nodiscard]] std::int64_t columnInt(int col) const;
    [[nodiscard]] double columnDouble(int col) const;
    [[nodiscard]] std::string columnText(int col) const;
    /// The text of `col` without a copy: valid until the next step or reset of this query.
    [[nodiscard]] std::string_view columnView(int col) const;
    [[nodiscard]] std::span<const unsigned char> columnBlob(int col) const;
    [[nodiscard]] bool columnIsNull(int col) const;

private:
    Database* m_db;
    sqlite3_stmt* m_stmt;
    Error m_bindError;
    bool m_bindFailed = false;
};

/// An open SQLCipher database: RAII over sqlite3*, keyed with a raw 256-bit key, WAL,
/// synchronous=FULL, foreign keys on, temp store in memory, prepared statements cached.
/// Not thread-safe: one Database belongs to one thread (the store worker).
class Database {
public:
    /// Open (or with options.create, create) an encrypted store with a raw 32-byte key.
    [[nodiscard]] static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path,
                                                                std::span<const unsigned char> rawKey,
                                                                const OpenOptions& options = {});
    /// An UNENCRYPTED database, for benchmarks that compare against encryption only.
    /// Never used for user data.
    [[nodiscard]] static Result<std::unique_ptr<Database>> openPlaintextForBenchmark(
        const std::filesystem::path& path, const OpenOptions& options = {});

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Run one or more statements without parameters (schema changes, pragmas).
    [[nodiscard]] Status exec(std::string_view sql);
    /// A cached prepared statement for `sql`.
    [[nodiscard]] Result<Query> prepare(std::string_view sql);
    /// Run `body` inside BEGIN IMMEDIATE … COMMIT; any error rolls everything back.
    [[nodiscard]] Status transaction(const std::function<Status()>& body);
    /// The single integer of a one-row, one-column query (e.g. `PRAGMA user_version`).
    [[nodiscard]] Result<std::int64_t> queryInt(std::string_view sql);

    /// `PRAGMA integrity_check`: "ok" or the problems found (as an error value).
    [[nodiscard]] Status integrityCheck();
    /// Copy the WAL into the main file and truncate it.
    [[nodiscard]] Status checkpoint();

    [[nodiscard]] std::int64_t lastInsertRowId() const;
    /// True between BEGIN and COMMIT/ROLLBACK.
    [[nodiscard]] bool inTransaction() const;
    [[nodiscard]] int changes() const;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    /// Checkpoints run by the background thread so far (0 when it could not start and SQLite
    /// checkpoints inside commits instead). For tests and diagnostics.
    [[nodiscard]] std::int64_t backgroundCheckpoints() const noexcept;
    [[nodiscard]] sqlite3* handle() const noexcept { return m_db; }
    /// The key of the device audit chain's MACs: derived from the store's data key
    /// (crypto_kdf_derive_from_key, context "VigilAud", subkey 1), so rewriting the chain needs
    /// the key, not only the file. All zero on a plaintext benchmark store.
    [[nodiscard]] std::span<const unsigned char> auditMacKey() const noexcept { return m_auditKey; }

    /// Map an SQLite result code (and the connection's message) to a user-facing Error.
    [[nodiscard]] Error errorFrom(int rc, std::string_view doing) const;

private:
    Database(sqlite3* db, std::filesystem::path path) noexcept;
    [[nodiscard]] static Result<std::unique_ptr<Database>> openImpl(const std::filesystem::path& path,
                                                                    std::span<const unsigned char> rawKey,
                                                                    const OpenOptions& options,
                                                                    bool encrypted);
    [[nodiscard]] Status configure();

    /// A second connection to the same file, on its own thread, that copies the WAL into the
    /// main file after commits have grown it (instead of the committing thread doing it).
    struct Checkpointer;
    void startCheckpointer(std::span<const unsigned char> rawKey, const OpenOptions& options, bool encrypted);

    sqlite3* m_db = nullptr;
    std::unique_ptr<Checkpointer> m_checkpointer;
    std::filesystem::path m_path;
    std::unordered_map<std::string, sqlite3_stmt*> m_cache;
    bool m_keyVerified = false;
    std::array<unsigned char, 32> m_auditKey{};
};

/// The key-check value of a data key: a keyed BLAKE2b of a fixed label. Stored beside the
/// wrapped key so that a wrong key can be told from a damaged file.
[[nodiscard]] std::string keyCheckValue(std::span<const unsigned char> rawKey);

/// Error for an SQLite result code outside a Database (used by open and tests).
[[nodiscard]] Error sqliteError(int rc, std::string_view detail, std::string_view doing, bool keyVerified);

}  // namespace vigil
