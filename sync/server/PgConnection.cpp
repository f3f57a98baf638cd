#include "sync/server/PgConnection.h"

#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

namespace vigil::sync {

namespace {

constexpr int kTransactionAttempts = 8;
constexpr std::size_t kMaxPasswordBytes = 1024;

std::string firstLine(const char* text)
{
    std::string s = text ? text : "";
    if (const auto nl = s.find('\n'); nl != std::string::npos)
        s.resize(nl);
    return s;
}

std::string userName(uid_t uid)
{
    const passwd* pw = ::getpwuid(uid);
    return pw ? std::string(pw->pw_name) : "uid " + std::to_string(uid);
}

Result<SecureBytes> readPasswordFile(const std::filesystem::path& file)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return makeError(ErrorCode::NotFound, "Cannot read the PostgreSQL password file " + file.string()
                                                  + ": check the path in the configuration.");
    }
    SecureBytes buf(kMaxPasswordBytes + 1);
    std::size_t total = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf.data() + total, buf.size() - total);
        if (n <= 0)
            break;
        total += static_cast<std::size_t>(n);
        if (total == buf.size())
            break;
    }
    ::close(fd);
    if (total > kMaxPasswordBytes) {
        return makeError(ErrorCode::InvalidArgument, "The PostgreSQL password file " + file.string()
                                                         + " is longer than a password (over 1 KB): it should hold "
                                                           "the password alone, on one line.");
    }
    std::size_t len = total;
    while (len > 0 && (buf.data()[len - 1] == '\n' || buf.data()[len - 1] == '\r'))
        --len;
    if (len == 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "The PostgreSQL password file " + file.string() + " is empty: put the password of the "
                                                                           "server's PostgreSQL role in it.");
    }
    return SecureBytes(buf.data(), len);
}

/// Is `host` this machine (a socket folder or a loopback address)?
bool isLocalHost(const std::string& host)
{
    if (host.empty() || host.front() == '/' || host.front() == '@')
        return true;  // unset: libpq's default socket
    // A list of hosts is local only when every one is.
    std::size_t start = 0;
    while (start <= host.size()) {
        const auto comma = host.find(',', start);
        const std::string h = host.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!(h.empty() || h.front() == '/' || h == "localhost" || h == "::1" || h.rfind("127.", 0) == 0))
            return false;
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return true;
}

ErrorCode codeForState(std::string_view state)
{
    if (state == "40001" || state == "40P01" || state == "55P03")
        return ErrorCode::Busy;
    if (state == "23505")
        return ErrorCode::AlreadyExists;
    if (state.rfind("23", 0) == 0)
        return ErrorCode::InvalidArgument;
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03")
        return ErrorCode::Network;
    if (state == "53100")
        return ErrorCode::DiskFull;
    if (state == "28000" || state == "28P01" || state == "42501")
        return ErrorCode::Unauthorised;
    return ErrorCode::Internal;
}

}  // namespace

Result<SecureBytes> loadPgPassword(const std::filesystem::path& file)
{
    if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY"); creds && *creds) {
        const std::filesystem::path credential = std::filesystem::path(creds) / kPgPasswordCredentialName;
        std::error_code ec;
        if (std::filesystem::exists(credential, ec))
            return readPasswordFile(credential);
    }
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
        return makeError(ErrorCode::NotFound, "Cannot find the PostgreSQL password file " + file.string()
                                                  + ". Check its path in the configuration, or give the password "
                                                    "as the systemd credential " + kPgPasswordCredentialName + ".");
    }
    if (!S_ISREG(st.st_mode)) {
        return makeError(ErrorCode::InvalidArgument,
                         "The PostgreSQL password file " + file.string() + " must be a regular file (not a link).");
    }
    if ((st.st_mode & 077U) != 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "The PostgreSQL password file " + file.string() + " can be read by other users (mode "
                             + std::to_string((st.st_mode >> 6) & 7U) + std::to_string((st.st_mode >> 3) & 7U)
                             + std::to_string(st.st_mode & 7U) + "). Run `chmod 600 " + file.string()
                             + "`, change the role's password in PostgreSQL (others may have read it) and start again.");
    }
    if (st.st_uid != ::geteuid()) {
        return makeError(ErrorCode::InvalidArgument,
                         "The PostgreSQL password file " + file.string() + " belongs to " + userName(st.st_uid)
                             + ", not to " + userName(::geteuid())
                             + ", who runs this program. Give it to the user that runs vigil-server (chown) and start "
                               "again.");
    }
    return readPasswordFile(file);
}

// ---------------------------------------------------------------------------------------------

PgResult& PgResult::operator=(PgResult&& other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = other.m_result;
        other.m_result = nullptr;
    }
    return *this;
}

PgResult::~PgResult()
{
    if (m_result)
        PQclear(m_result);
}

int PgResult::rows() const noexcept { return m_result ? PQntuples(m_result) : 0; }

std::int64_t PgResult::affected() const noexcept
{
    if (!m_result)
        return 0;
    const char* n = PQcmdTuples(m_result);
    return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

bool PgResult::isNull(int row, int column) const noexcept { return PQgetisnull(m_result, row, column) != 0; }

std::string PgResult::text(int row, int column) const
{
    return std::string(PQgetvalue(m_result, row, column), static_cast<std::size_t>(PQgetlength(m_result, row, column)));
}

std::int64_t PgResult::integer(int row, int column) const noexcept
{
    return std::strtoll(PQgetvalue(m_result, row, column), nullptr, 10);
}

bool PgResult::boolean(int row, int column) const noexcept
{
    const char* v = PQgetvalue(m_result, row, column);
    return v && v[0] == 't';
}

std::vector<unsigned char> PgResult::bytes(int row, int column) const
{
    // bytea in text format is "\x" and hex digits (bytea_output = hex, set at connect).
    const char* v = PQgetvalue(m_result, row, column);
    const auto len = static_cast<std::size_t>(PQgetlength(m_result, row, column));
    if (len < 2 || v[0] != '\\' || v[1] != 'x')
        return {};
    std::vector<unsigned char> out((len - 2) / 2);
    if (!fromHex(std::string_view(v + 2, len - 2), out))
        return {};
    return out;
}

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const PgSettings& settings)
{
    // What the configuration names: refuse a password in it, and find the host for the TLS default.
    char* parseError = nullptr;
    PQconninfoOption* options = PQconninfoParse(settings.conninfo.c_str(), &parseError);
    if (!options) {
        const std::string why = parseError ? firstLine(parseError) : "out of memory";
        if (parseError)
            PQfreemem(parseError);
        return makeError(ErrorCode::InvalidArgument, "The PostgreSQL connection string in the configuration is not valid ("
                                                         + why + "). Write it as `host=... dbname=... user=...`.");
    }
    std::string host;
    std::string hostaddr;
    bool hasSslMode = false;
    bool hasPassword = false;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const std::string_view key = o->keyword;
        if (key == "host")
            host = o->val;
        else if (key == "hostaddr")
            hostaddr = o->val;
        else if (key == "sslmode")
            hasSslMode = true;
        else if (key == "password")
            hasPassword = true;
    }
    PQconninfoFree(options);
    if (hasPassword) {
        return makeError(ErrorCode::InvalidArgument,
                         "The PostgreSQL connection string in the configuration holds a password. Remove it from the "
                         "configuration, put it in the password file (mode 0600) or the systemd credential "
                             + std::string(kPgPasswordCredentialName) + ", and change the role's password.");
    }
    const bool local = isLocalHost(host.empty() ? hostaddr : host);

    SecureBytes password;
    bool havePassword = false;
    if (!settings.passwordFile.empty()) {
        auto loaded = loadPgPassword(settings.passwordFile);
        if (!loaded)
            return std::move(loaded).error();
        password = std::move(loaded).value();
        havePassword = true;
    } else if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY"); creds && *creds) {
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::path(creds) / kPgPasswordCredentialName, ec)) {
            auto loaded = loadPgPassword({});
            if (!loaded)
                return std::move(loaded).error();
            password = std::move(loaded).value();
            havePassword = true;
        }
    }
    // NUL-terminated for libpq, in the wiped buffer.
    SecureBytes passwordText(password.size() + 1);
    if (havePassword)
        std::memcpy(passwordText.data(), password.data(), password.size());
    passwordText.data()[password.size()] = 0;
    password.wipe();

    std::vector<const char*> keys{"dbname", "application_name", "connect_timeout"};
    std::vector<const char*> values{settings.conninfo.c_str(), "vigil-server", "10"};
    if (havePassword) {
        keys.push_back("password");
        values.push_back(reinterpret_cast<const char*>(passwordText.data()));
    }
    if (!hasSslMode && !local) {
        keys.push_back("sslmode");
        values.push_back("verify-full");
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
    passwordText.wipe();
    if (!conn)
        return makeError(ErrorCode::Internal, "Out of memory while connecting to PostgreSQL.");
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = firstLine(PQerrorMessage(conn));
        PQfinish(conn);
        return makeError(ErrorCode::Network,
                         "The server cannot reach its PostgreSQL database (" + why
                             + "). Check that PostgreSQL runs there and accepts this server, the connection string "
                               "in the configuration, the password file, and (for TLS) the CA certificate "
                               "(sslrootcert).");
    }
    // Notices (e.g. "schema already exists") are not for the server's log.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);

    std::unique_ptr<PgConnection> c(new PgConnection(conn, settings.schema));
    char* quoted = PQescapeIdentifier(conn, settings.schema.c_str(), settings.schema.size());
    if (!quoted)
        return makeError(ErrorCode::InvalidArgument, "The PostgreSQL schema name " + settings.schema + " is not valid.");
    const std::string schema = quoted;
    PQfreemem(quoted);
    // The schema is made (when missing) by the store's first schema step, under its lock: two
    // servers starting together would otherwise race on CREATE SCHEMA IF NOT EXISTS.
    c->m_session = "SET client_min_messages = warning; SET bytea_output = hex; SET TIME ZONE 'UTC'; "
                   "SET search_path = " + schema + ";";
    VIGIL_TRY(c->script(c->m_session));
    c->m_quotedSchema = schema;
    return c;
}

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

std::string PgConnection::where() const
{
    const char* host = PQhost(m_conn);
    const char* port = PQport(m_conn);
    return std::string(host ? host : "?") + ":" + (port ? port : "?");
}

Result<PgResult> PgConnection::exec(std::string_view sql, std::initializer_list<PgParam> params)
{
    return run(sql, std::vector<PgParam>(params));
}

Result<PgResult> PgConnection::exec(std::string_view sql, const std::vector<PgParam>& params)
{
    return run(sql, params);
}

void PgConnection::reconnectIfLost()
{
    // A connection lost between transactions (PostgreSQL restarted, a fail-over) is opened again
    // once, with the session's settings (search path, bytea output); inside a transaction the
    // transaction is lost with it and the error goes up.
    if (PQstatus(m_conn) == CONNECTION_OK || m_depth > 0)
        return;
    PQreset(m_conn);
    m_prepared.clear();  // a new session holds none of them
    m_seenOnce.clear();
    if (PQstatus(m_conn) == CONNECTION_OK && !m_session.empty()) {
        pg_result* raw = PQexec(m_conn, m_session.c_str());
        if (raw)
            PQclear(raw);
    }
}

Error PgConnection::failure(pg_result* raw, const std::string& what)
{
    std::string state;
    std::string message;
    if (raw) {
        const char* s = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
        state = s ? s : "";
        // The primary message only: DETAIL can quote the values of a row.
        message = firstLine(PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY));
        PQclear(raw);
    }
    if (message.empty())
        message = firstLine(PQerrorMessage(m_conn));
    if (PQstatus(m_conn) != CONNECTION_OK) {
        return makeError(ErrorCode::Network, "The server lost its connection to PostgreSQL at " + where() + " (" + message
                                                 + "). Check that PostgreSQL runs; the server tries again on the "
                                                   "next request.");
    }
    if (state == "40001" || state == "40P01")
        m_retryable = true;
    const ErrorCode code = codeForState(state);
    if (code == ErrorCode::Busy) {
        return makeError(code, "PostgreSQL could not order this change with another one made at the same moment ("
                                   + message + "). Try again.");
    }
    if (code == ErrorCode::DiskFull)
        return makeError(code, "PostgreSQL's disk is full (" + message + "). Free space on the database server.");
    if (code == ErrorCode::Unauthorised) {
        return makeError(code, "PostgreSQL refused the server's role (" + message
                                   + "). Grant the role used by vigil-server the rights on its schema (docs/postgresql.md).");
    }
    return makeError(code, "PostgreSQL refused " + what + " (SQLSTATE " + state + ": " + message
                               + "). Report this to the Vigil team with the server's log.");
}

Result<PgResult> PgConnection::execPlannedEachTime(std::string_view sql, const std::vector<PgParam>& params)
{
    return run(sql, params, false);
}

Result<PgResult> PgConnection::run(std::string_view sql, const std::vector<PgParam>& params, bool mayPrepare)
{
    reconnectIfLost();
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p.value() ? p.value()->data() : nullptr);
        lengths.push_back(p.value() ? static_cast<int>(p.value()->size()) : 0);
        formats.push_back(p.binary() ? 1 : 0);
    }
    std::string text(sql);
    const auto nParams = static_cast<int>(params.size());
    auto prepared = m_prepared.find(text);
    if (mayPrepare && prepared == m_prepared.end() && m_prepared.size() < kMaxPrepared) {
        // Prepared on its second use: most of the store's statements are used over and over.
        if (m_seenOnce.size() > 4 * kMaxPrepared)
            m_seenOnce.clear();
        if (++m_seenOnce[text] >= 2) {
            const std::string name = "vigil_" + std::to_string(m_prepared.size() + 1);
            pg_result* made = PQprepare(m_conn, name.c_str(), text.c_str(), nParams, nullptr);
            if (!made || PQresultStatus(made) != PGRES_COMMAND_OK)
                return failure(made, "a statement");
            PQclear(made);
            m_seenOnce.erase(text);
            prepared = m_prepared.emplace(std::move(text), name).first;
        }
    }
    pg_result* raw = prepared != m_prepared.end()
                         ? PQexecPrepared(m_conn, prepared->second.c_str(), nParams, values.data(), lengths.data(),
                                          formats.data(), 0)
                         : PQexecParams(m_conn, text.c_str(), nParams, nullptr, values.data(), lengths.data(),
                                        formats.data(), 0);
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return PgResult(raw);
    return failure(raw, "a statement");
}

Status PgConnection::script(std::string_view sql)
{
    reconnectIfLost();
    const std::string text(sql);
    pg_result* raw = PQexec(m_conn, text.c_str());
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(raw);
        return {};
    }
    return failure(raw, "the server's statements");
}

Status PgConnection::lockForTransaction(std::int64_t key)
{
    auto r = exec("SELECT pg_advisory_xact_lock($1::bigint);", {PgParam(key)});
    if (!r)
        return std::move(r).error();
    return {};
}

Status PgConnection::transaction(const std::function<Status()>& work, PgIsolation isolation)
{
    if (m_depth > 0)
        return work();
    const char* begin = isolation == PgIsolation::Serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE;" : "BEGIN;";
    Error last = makeError(ErrorCode::Busy, "PostgreSQL kept refusing this change as concurrent with others. Try again.");
    for (int attempt = 0; attempt < kTransactionAttempts; ++attempt) {
        VIGIL_TRY(script(begin));
        m_retryable = false;
        ++m_depth;
        Status done = work();
        if (done.ok() && m_beforeCommit)
            m_beforeCommit();
        if (done.ok())
            done = script("COMMIT;");
        --m_depth;
        if (done.ok())
            return {};
        // After a failed COMMIT the transaction is over already; ROLLBACK then only warns.
        (void)script("ROLLBACK;");
        // Only what PostgreSQL could not order is run again; any other refusal (including the
        // store's own "try again" answers) goes to the caller.
        if (!m_retryable)
            return std::move(done).error();
        last = std::move(done).error();
        // Let the other transaction finish before trying again (a little jitter, no busy loop).
        ::usleep(1000U * static_cast<unsigned>(1 + attempt) + randombytes_uniform(2000));
    }
    return last;
}

std::string pgTextArray(const std::vector<std::string>& values)
{
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += i == 0 ? "\"" : ",\"";
        for (const char c : values[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::int64_t pgLockKey(std::string_view schema, std::string_view name)
{
    ensureSodium();
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, 8);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(schema.data()), schema.size());
    const unsigned char sep = 0;
    crypto_generichash_update(&state, &sep, 1);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(name.data()), name.size());
    unsigned char out[8] = {};
    crypto_generichash_final(&state, out, sizeof out);
    std::uint64_t v = 0;
    for (unsigned char b : out)
        v = (v << 8) | b;
    return static_cast<std::int64_t>(v);
}

}  // namespace vigil::sync
