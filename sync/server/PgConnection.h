#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/common/Result.h"
#include "core/store/SecureBytes.h"

// libpq's handles, declared here so only PgConnection.cpp includes <libpq-fe.h>.
struct pg_conn;
struct pg_result;

namespace vigil::sync {

/// Where the server's PostgreSQL database is and how to log in (docs/postgresql.md).
struct PgSettings {
    /// A libpq connection string from the server's configuration, without the password
    /// ("host=db.force.internal dbname=vigil user=vigil"). A host that is not local gets
    /// `sslmode=verify-full` unless the string names an sslmode itself.
    std::string conninfo;
    /// The password file: mode 0600 or 0400, owned by the user running the server. Empty: only
    /// the systemd credential `vigil-server.pgpass` (LoadCredential=), or no password at all.
    std::filesystem::path passwordFile;
    /// The schema the tables live in (created when missing).
    std::string schema = "vigil";
};

/// The name of the systemd credential holding the PostgreSQL password.
inline constexpr const char* kPgPasswordCredentialName = "vigil-server.pgpass";

/// Read the PostgreSQL password: the systemd credential when $CREDENTIALS_DIRECTORY holds it,
/// else `file`, which must be a regular file of mode 0600 or 0400 owned by this user (anything
/// more open is refused, with the chmod to run). Trailing newlines are dropped.
[[nodiscard]] Result<SecureBytes> loadPgPassword(const std::filesystem::path& file);

/// One parameter of a query ($1, $2, ...): text, bytes (sent binary, for bytea) or NULL.
class PgParam {
public:
    PgParam(std::string_view text) : m_value(text) {}  // NOLINT: implicit by design
    PgParam(const std::string& text) : m_value(text) {}  // NOLINT
    PgParam(const char* text) : m_value(std::string(text)) {}  // NOLINT
    PgParam(std::int64_t n) : m_value(std::to_string(n)) {}  // NOLINT
    PgParam(int n) : m_value(std::to_string(n)) {}  // NOLINT
    PgParam(bool b) : m_value(std::string(b ? "t" : "f")) {}  // NOLINT
    [[nodiscard]] static PgParam bytes(std::span<const unsigned char> b)
    {
        PgParam p{std::string(reinterpret_cast<const char*>(b.data()), b.size())};
        p.m_binary = true;
        return p;
    }
    [[nodiscard]] static PgParam null()
    {
        PgParam p{std::string()};
        p.m_value.reset();
        return p;
    }
    template <typename T>
    [[nodiscard]] static PgParam optional(const std::optional<T>& v)
    {
        return v ? PgParam(*v) : null();
    }

    [[nodiscard]] const std::optional<std::string>& value() const noexcept { return m_value; }
    [[nodiscard]] bool binary() const noexcept { return m_binary; }

private:
    std::optional<std::string> m_value;
    bool m_binary = false;
};

/// A query's rows (text format). Owns the PGresult.
class PgResult {
public:
    PgResult() = default;
    explicit PgResult(pg_result* result) noexcept : m_result(result) {}
    PgResult(PgResult&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
    PgResult& operator=(PgResult&& other) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    ~PgResult();

    [[nodiscard]] int rows() const noexcept;
    [[nodiscard]] bool empty() const noexcept { return rows() == 0; }
    /// Rows an INSERT, UPDATE or DELETE changed.
    [[nodiscard]] std::int64_t affected() const noexcept;
    [[nodiscard]] bool isNull(int row, int column) const noexcept;
    [[nodiscard]] std::string text(int row, int column) const;
    [[nodiscard]] std::int64_t integer(int row, int column) const noexcept;
    [[nodiscard]] bool boolean(int row, int column) const noexcept;
    /// A bytea column (hex text on the wire), decoded.
    [[nodiscard]] std::vector<unsigned char> bytes(int row, int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInteger(int row, int column) const noexcept
    {
        return isNull(row, column) ? std::nullopt : std::optional<std::int64_t>(integer(row, column));
    }

private:
    pg_result* m_result = nullptr;
};

/// How a transaction isolates itself. The server store uses ReadCommitted with explicit locks
/// (row locks, advisory locks) where the SQLCipher store relied on being the only writer: each
/// statement then sees what committed before it, including after it waited for a lock.
enum class PgIsolation { ReadCommitted, Serializable };

/// One connection to PostgreSQL (libpq), used from one thread at a time. Errors become
/// vigil::Error values with a message the operator can act on; a serialisation failure or a
/// deadlock inside transaction() runs the transaction again.
class PgConnection {
public:
    /// Connect with `settings` (the password from loadPgPassword) and set the search path to
    /// the settings' schema (created when missing).
    [[nodiscard]] static Result<std::unique_ptr<PgConnection>> connect(const PgSettings& settings);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    /// One statement with $1, $2... bound to `params`.
    [[nodiscard]] Result<PgResult> exec(std::string_view sql, std::initializer_list<PgParam> params = {});
    [[nodiscard]] Result<PgResult> exec(std::string_view sql, const std::vector<PgParam>& params);
    /// One statement planned for its parameters every time, never prepared: for a statement whose
    /// best plan depends on them (the access index by a user's scope: a team's few incidents through
    /// indexes, a borough's through one scan), which the generic plan PostgreSQL settles on for a
    /// prepared statement would not tell apart.
    [[nodiscard]] Result<PgResult> execPlannedEachTime(std::string_view sql, const std::vector<PgParam>& params);
    /// Statements without parameters, separated by semicolons (schema steps).
    [[nodiscard]] Status script(std::string_view sql);

    /// Run `work` in a transaction: committed when it returns success, rolled back when it
    /// returns an error. Run again (at most a few times) when PostgreSQL reports a serialisation
    /// failure or a deadlock, so `work` must set everything it reports afresh each time. Inside
    /// a transaction already, `work` simply runs in it.
    [[nodiscard]] Status transaction(const std::function<Status()>& work,
                                     PgIsolation isolation = PgIsolation::ReadCommitted);
    [[nodiscard]] bool inTransaction() const noexcept { return m_depth > 0; }

    /// Hold a transaction-scoped advisory lock (pg_advisory_xact_lock) until commit or rollback.
    [[nodiscard]] Status lockForTransaction(std::int64_t key);

    /// Called between the last statement of an outermost transaction and its COMMIT (tests hold a
    /// transaction open there to make commits finish out of order).
    void setBeforeCommit(std::function<void()> hook) { m_beforeCommit = std::move(hook); }

    /// The schema this connection's tables live in, as named and as an SQL identifier (quoted).
    [[nodiscard]] const std::string& schema() const noexcept { return m_schema; }
    [[nodiscard]] const std::string& quotedSchema() const noexcept { return m_quotedSchema; }
    /// Where it is connected (host and port, for messages; never the password).
    [[nodiscard]] std::string where() const;

private:
    explicit PgConnection(pg_conn* conn, std::string schema) : m_conn(conn), m_schema(std::move(schema)) {}
    [[nodiscard]] Result<PgResult> run(std::string_view sql, const std::vector<PgParam>& params, bool mayPrepare = true);
    /// Outside a transaction, open a lost connection again with the session's settings.
    void reconnectIfLost();
    /// An error for a failed statement; notes a serialisation failure or deadlock for transaction().
    [[nodiscard]] Error failure(pg_result* raw, const std::string& what);

    pg_conn* m_conn = nullptr;
    std::string m_schema;
    std::string m_quotedSchema;
    std::string m_session;  ///< the SET statements every (re)connection runs
    /// Statements prepared on this connection (their SQL → name), so PostgreSQL parses and plans
    /// each of the store's statements once per connection, not once per call. A statement is
    /// prepared on its second use (SQL built with varying text, e.g. multi-row INSERTs of a move,
    /// is then mostly never prepared), at most kMaxPrepared of them; lost with the connection.
    std::unordered_map<std::string, std::string> m_prepared;
    std::unordered_map<std::string, int> m_seenOnce;
    static constexpr std::size_t kMaxPrepared = 512;
    int m_depth = 0;
    bool m_retryable = false;  ///< the transaction met a serialisation failure or a deadlock
    std::function<void()> m_beforeCommit;
};

/// An advisory-lock key of its own for `name` in `schema` (several stores may share a database
/// under different schemas without waiting for each other).
[[nodiscard]] std::int64_t pgLockKey(std::string_view schema, std::string_view name);

/// A PostgreSQL text[] literal ("{\"a\",\"b\"}"), each element quoted: a list as one parameter
/// (`= ANY($1::text[])`).
[[nodiscard]] std::string pgTextArray(const std::vector<std::string>& values);

}  // namespace vigil::sync
