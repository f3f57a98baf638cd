// vigil-admin migrate-store: a SQLCipher server store moved into PostgreSQL, proved by counts and
// digests before it is committed (docs/postgresql.md, "Moving a SQLCipher store to PostgreSQL").
//
// The two schemas hold the same tables and columns (PgServerStore's steps were ported from the
// SQLCipher store's), so the move is table by table, row by row, in one transaction: what the
// op log, the devices' views and the audit chain hold keeps its numbers, so devices carry on with
// their cursors and credentials as if nothing happened. Each table below says how each column is
// carried; the move refuses a store with a table or column this list does not name, so a later
// schema step cannot be left behind silently.
#include "sync/server/StoreMigration.h"

#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include <sodium.h>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "sync/server/StoreLock.h"
#include "sync/server/StoreOpen.h"

namespace vigil::sync {

namespace {

/// How a column is carried. Sealed columns are plain in the SQLCipher file (the whole file is
/// encrypted) and sealed in PostgreSQL, for the row they belong to (docs/postgresql.md, decision 3).
enum class Kind {
    Integer,
    Boolean,           ///< 0/1 in SQLite, boolean in PostgreSQL
    Text,
    Blob,
    SealedText,
    SealedTextOrNull,  ///< '' in SQLite is NULL in PostgreSQL (devices.wipe_report: none yet)
    SealedBlob,
};

struct Column {
    const char* name;
    Kind kind;
    bool nullable = false;
};

struct Table {
    const char* name;
    std::vector<Column> columns;
    std::vector<const char*> key;      ///< the primary key: the order rows are read and compared in
    std::vector<const char*> sealRow = {};  ///< the columns naming a sealed value's row, joined by '\0'
    bool serialId = false;             ///< `id` comes from a sequence that must go on after the rows
};

constexpr Kind I = Kind::Integer;
constexpr Kind B = Kind::Boolean;
constexpr Kind T = Kind::Text;
constexpr Kind X = Kind::Blob;

/// Every table of both stores but server_meta (of which the incarnation is carried), in an order
/// that satisfies the foreign keys (users, devices, codes).
const std::vector<Table>& movedTables()
{
    static const std::vector<Table> tables = {
        {"users",
         {{"id", T}, {"display_name", Kind::SealedText}, {"role", T}, {"team", T}, {"borough", T}, {"scope", T},
          {"restricted_clearance", B}, {"active", B}, {"created_at", I}, {"updated_at", I}},
         {"id"},
         {"id"}},
        {"devices",
         {{"id", T}, {"user_id", T}, {"name", Kind::SealedText}, {"token_hash", X}, {"pending_token_hash", X, true},
          {"token_issued_at", I}, {"expired_at", I, true}, {"enrolled_at", I}, {"revoked_at", I, true}, {"wipe", B},
          {"last_seen_at", I}, {"wipe_receipt_hash", X, true}, {"wiped_at", I, true}, {"wipe_reason", T},
          {"wipe_report", Kind::SealedTextOrNull}},
         {"id"},
         {"id"}},
        {"enrol_codes",
         {{"id", T}, {"user_id", T}, {"secret_hash", X}, {"created_at", I}, {"expires_at", I}, {"max_tries", I},
          {"failures", I}, {"used_at", I, true}, {"device_id", T, true}},
         {"id"}},
        {"server_audit",
         {{"seq", I}, {"at", I}, {"actor", T}, {"action", T}, {"user_id", T}, {"device_id", T}, {"incidents", T},
          {"detail", T}, {"prev_hash", T}, {"hash", T}},
         {"seq"}},
        {"op_log",
         {{"cursor", I}, {"device", T}, {"seq", I}, {"op_id", T}, {"entity", T}, {"record_id", T}, {"incident_id", T},
          {"field", T}, {"value", Kind::SealedText}, {"base", T, true}, {"hlc", T}, {"user_id", T},
          {"received_at", I}},
         {"cursor"},
         {"device", "seq"}},
        {"device_seq", {{"device", T}, {"last_seq", I}, {"top_op_id", T}}, {"device"}},
        {"bank_holidays",
         {{"version", I}, {"list", T}, {"sha256", T}, {"covers_from", T}, {"covers_to", T}, {"holidays", I},
          {"imported_at", I}, {"imported_by", T}, {"file_name", T}, {"removed", T}},
         {"version"}},
        {"push_rejections",
         {{"device", T}, {"seq", I}, {"op_id", T}, {"error", T}, {"message", Kind::SealedText}, {"field", T},
          {"at", I}},
         {"device", "seq"},
         {"device", "seq"}},
        {"incidents",
         {{"id", T}, {"owner", T}, {"team", T}, {"borough", T}, {"restricted", B}, {"access_list", T},
          {"allocated_to", T}},
         {"id"}},
        {"record_index", {{"entity", T}, {"id", T}, {"incident_id", T}}, {"entity", "id"}},
        {"referrals", {{"id", T}, {"incident_id", T}, {"to_user", T}}, {"id"}},
        {"access_denials",
         {{"id", I}, {"at", I}, {"user_id", T}, {"device_id", T}, {"incident_id", T}, {"seq", I}, {"reason", T}},
         {"id"},
         {},
         true},
        {"device_audit_head", {{"device", T}, {"user_id", T}, {"seq", I}, {"hash", T}}, {"device"}},
        {"device_usage", {{"device", T}, {"bytes", I}}, {"device"}},
        {"device_quarantine",
         {{"device", T}, {"at", I}, {"by_actor", T}, {"reason", Kind::SealedText}},
         {"device"},
         {"device"}},
        {"device_visible", {{"device", T}, {"incident_id", T}}, {"device", "incident_id"}},
        {"view_pending",
         {{"device", T}, {"view", I}, {"incident_id", T}, {"forget", I}, {"upto", I}},
         {"device", "view", "incident_id"}},
        {"device_refresh", {{"device", T}, {"incident_id", T}}, {"device", "incident_id"}},
        {"device_view", {{"device", T}, {"confirmed", I}, {"issued", I}}, {"device"}},
        {"device_history",
         {{"device", T}, {"incident_id", T}, {"upto", I}, {"whole", B}},
         {"device", "incident_id"}},
        {"disclosures",
         {{"id", I}, {"at", I}, {"user_id", T}, {"device_id", T}, {"incidents", T}, {"ops", I}, {"forgotten", T},
          {"sharing", T}},
         {"id"},
         {},
         true},
        {"attachment_files",
         {{"id", T}, {"incident_id", T}, {"size", I}, {"sha256", T}, {"chunks", I}, {"received", I}, {"complete", B},
          {"uploaded_by", T}, {"created_at", I}, {"completed_at", I, true}},
         {"id"}},
        {"attachment_chunks",
         {{"attachment_id", T}, {"idx", I}, {"data", Kind::SealedBlob}},
         {"attachment_id", "idx"},
         {"attachment_id", "idx"}},
    };
    return tables;
}

/// A value as both sides compare it: NULL, or bytes (integers and booleans as decimal text,
/// sealed values opened).
struct Value {
    bool null = false;
    std::string bytes;
};

/// SHA-256 of a table's rows in key order: each value a tag (N, I, T or B), its length and bytes.
class RowDigest {
public:
    RowDigest() { crypto_hash_sha256_init(&m_state); }
    void add(Kind kind, const Value& v)
    {
        char tag = 'T';
        if (v.null)
            tag = 'N';
        else if (kind == Kind::Integer || kind == Kind::Boolean)
            tag = 'I';
        else if (kind == Kind::Blob || kind == Kind::SealedBlob)
            tag = 'B';
        std::array<unsigned char, 9> head{};
        head[0] = static_cast<unsigned char>(tag);
        const std::uint64_t n = v.bytes.size();
        for (std::size_t i = 0; i < 8; ++i)
            head[1 + i] = static_cast<unsigned char>(n >> (8 * i));
        crypto_hash_sha256_update(&m_state, head.data(), head.size());
        crypto_hash_sha256_update(&m_state, reinterpret_cast<const unsigned char*>(v.bytes.data()), v.bytes.size());
    }
    std::string hex()
    {
        std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
        crypto_hash_sha256_final(&m_state, out.data());
        return toHex(out);
    }

private:
    crypto_hash_sha256_state m_state{};
};

std::string columnList(const Table& t, const char* prefix = "")
{
    std::string out;
    for (const Column& c : t.columns)
        out += (out.empty() ? "" : ", ") + std::string(prefix) + c.name;
    return out;
}

bool isTextKey(const Table& t, const char* key)
{
    for (const Column& c : t.columns) {
        if (std::strcmp(c.name, key) == 0)
            return c.kind == Kind::Text;
    }
    return false;
}

/// ORDER BY the key, text compared as bytes on both sides (SQLite's BINARY; "C" in PostgreSQL).
std::string orderBy(const Table& t, bool postgresql)
{
    std::string out;
    for (const char* k : t.key) {
        out += (out.empty() ? "" : ", ") + std::string(k);
        if (postgresql && isTextKey(t, k))
            out += " COLLATE \"C\"";
    }
    return out;
}

int columnIndex(const Table& t, const char* name)
{
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (std::strcmp(t.columns[i].name, name) == 0)
            return static_cast<int>(i);
    }
    return -1;
}

/// The row a sealed value of this row belongs to (PgServerStore's convention: key values joined by '\0').
std::string sealRowOf(const Table& t, const std::vector<Value>& row)
{
    std::string out;
    for (std::size_t i = 0; i < t.sealRow.size(); ++i) {
        if (i > 0)
            out += '\0';
        out += row[static_cast<std::size_t>(columnIndex(t, t.sealRow[i]))].bytes;
    }
    return out;
}

std::string sealedAt(const Table& t, const Column& c)
{
    return std::string(t.name) + "." + c.name;
}

Error unknownSchema(const std::string& which, const std::string& what)
{
    return makeError(ErrorCode::InvalidArgument,
                     "The " + which + " has " + what + ", which this vigil-admin does not know how to move: it is "
                         "newer or older than this vigil-admin. Run the migrate-store of the vigil-admin that came "
                         "with the vigil-server that last ran on it. Nothing was changed.");
}

/// The tables and columns a store holds must be exactly those movedTables names (server_meta aside).
Status checkColumns(const std::map<std::string, std::set<std::string>>& found, const std::string& which)
{
    std::map<std::string, std::set<std::string>> expected;
    for (const Table& t : movedTables()) {
        for (const Column& c : t.columns)
            expected[t.name].insert(c.name);
    }
    for (const auto& [table, columns] : found) {
        if (table == "server_meta")
            continue;
        auto it = expected.find(table);
        if (it == expected.end())
            return unknownSchema(which, "a table " + table);
        for (const std::string& c : columns) {
            if (it->second.count(c) == 0)
                return unknownSchema(which, "a column " + table + "." + c);
        }
        for (const std::string& c : it->second) {
            if (columns.count(c) == 0)
                return unknownSchema(which, "no column " + table + "." + c);
        }
    }
    for (const auto& [table, columns] : expected) {
        if (found.count(table) == 0)
            return unknownSchema(which, "no table " + table);
    }
    return {};
}

Result<std::map<std::string, std::set<std::string>>> sqliteColumns(Database& db)
{
    std::map<std::string, std::set<std::string>> out;
    std::vector<std::string> tables;
    auto q = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';");
    if (!q)
        return std::move(q).error();
    VIGIL_TRY(q->forEach([&](const Query& row) { tables.push_back(row.columnText(0)); }));
    for (const std::string& table : tables) {
        auto cols = db.prepare("PRAGMA table_info(\"" + table + "\");");
        if (!cols)
            return std::move(cols).error();
        auto& set = out[table];
        VIGIL_TRY(cols->forEach([&](const Query& row) { set.insert(row.columnText(1)); }));
    }
    return out;
}

Result<std::map<std::string, std::set<std::string>>> pgColumns(PgConnection& c)
{
    auto r = c.exec("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1;",
                    {PgParam(c.schema())});
    if (!r)
        return std::move(r).error();
    std::map<std::string, std::set<std::string>> out;
    for (int i = 0; i < r->rows(); ++i)
        out[r->text(i, 0)].insert(r->text(i, 1));
    return out;
}

/// One column of the current SQLite row, as both sides compare it.
Value sqliteValue(const Query& q, int col, Kind kind)
{
    Value v;
    if (q.columnIsNull(col)) {
        v.null = true;
        if (kind == Kind::SealedTextOrNull) {  // never NULL in SQLite; '' there
            v.null = false;
        }
        return v;
    }
    switch (kind) {
    case Kind::Integer:
        v.bytes = std::to_string(q.columnInt(col));
        break;
    case Kind::Boolean:
        v.bytes = q.columnInt(col) != 0 ? "1" : "0";
        break;
    case Kind::Blob:
    case Kind::SealedBlob: {
        const auto blob = q.columnBlob(col);
        v.bytes.assign(reinterpret_cast<const char*>(blob.data()), blob.size());
        break;
    }
    default:
        v.bytes = q.columnText(col);
        break;
    }
    return v;
}

/// The parameter PostgreSQL is sent for a value.
PgParam pgParam(const PgServerStore& store, const Table& t, const Column& c, const Value& v, const std::string& row)
{
    if (v.null)
        return PgParam::null();
    const auto asBytes = [](const std::string& s) {
        return std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(s.data()), s.size());
    };
    switch (c.kind) {
    case Kind::Boolean:
        return PgParam(v.bytes == "1");
    case Kind::Blob:
        return PgParam::bytes(asBytes(v.bytes));
    case Kind::SealedTextOrNull:
        if (v.bytes.empty())
            return PgParam::null();
        [[fallthrough]];
    case Kind::SealedText:
    case Kind::SealedBlob:
        return PgParam::bytes(store.seal(v.bytes, pgSealedAt(sealedAt(t, c), row)));
    default:
        return PgParam(v.bytes);
    }
}

/// One column of a PostgreSQL row as both sides compare it (sealed values opened for their row).
Result<Value> pgValue(const PgServerStore& store, const Table& t, const Column& c, const PgResult& r, int row, int col,
                      const std::string& sealRow)
{
    Value v;
    if (r.isNull(row, col)) {
        v.null = c.kind != Kind::SealedTextOrNull;
        return v;
    }
    switch (c.kind) {
    case Kind::Integer:
        v.bytes = std::to_string(r.integer(row, col));
        break;
    case Kind::Boolean:
        v.bytes = r.boolean(row, col) ? "1" : "0";
        break;
    case Kind::Blob: {
        const auto b = r.bytes(row, col);
        v.bytes.assign(reinterpret_cast<const char*>(b.data()), b.size());
        break;
    }
    case Kind::SealedText:
    case Kind::SealedTextOrNull:
    case Kind::SealedBlob: {
        auto plain = store.unseal(r.bytes(row, col), pgSealedAt(sealedAt(t, c), sealRow));
        if (!plain)
            return std::move(plain).error();
        v.bytes = std::move(plain).value();
        break;
    }
    default:
        v.bytes = r.text(row, col);
        break;
    }
    return v;
}

/// Copy one table's rows into PostgreSQL (multi-row INSERTs), digesting them as read.
Status copyTable(Database& db, PgServerStore& store, const Table& t, MovedTable& moved, const MoveProgress& progress)
{
    const std::size_t width = t.columns.size();
    // Well under PostgreSQL's 65,535 parameters a statement, and ~1 MB of op values a batch.
    const std::size_t batchRows = std::max<std::size_t>(1, std::min<std::size_t>(500, 30000 / width));
    auto q = db.prepare("SELECT " + columnList(t) + " FROM " + t.name + " ORDER BY " + orderBy(t, false) + ";");
    if (!q)
        return std::move(q).error();
    RowDigest digest;
    std::vector<PgParam> params;
    std::size_t pending = 0;
    const auto flush = [&]() -> Status {
        if (pending == 0)
            return {};
        std::string sql = "INSERT INTO " + std::string(t.name) + " (" + columnList(t) + ") VALUES ";
        int n = 0;
        for (std::size_t r = 0; r < pending; ++r) {
            sql += r == 0 ? "(" : ", (";
            for (std::size_t c = 0; c < width; ++c)
                sql += (c == 0 ? "$" : ", $") + std::to_string(++n);
            sql += ")";
        }
        auto done = store.connection().exec(sql, params);
        if (!done)
            return std::move(done).error();
        params.clear();
        pending = 0;
        if (progress)
            progress(t.name, moved.rows);
        return {};
    };
    std::vector<Value> row(width);
    for (;;) {
        auto more = q->step();
        if (!more)
            return std::move(more).error();
        if (!*more)
            break;
        for (std::size_t c = 0; c < width; ++c) {
            row[c] = sqliteValue(*q, static_cast<int>(c), t.columns[c].kind);
            digest.add(t.columns[c].kind, row[c]);
        }
        const std::string sealRow = t.sealRow.empty() ? std::string() : sealRowOf(t, row);
        for (std::size_t c = 0; c < width; ++c)
            params.push_back(pgParam(store, t, t.columns[c], row[c], sealRow));
        ++moved.rows;
        if (++pending == batchRows)
            VIGIL_TRY(flush());
    }
    VIGIL_TRY(flush());
    moved.sourceDigest = digest.hex();
    return {};
}

/// Read a table back from PostgreSQL in key order (a cursor, a page at a time) and digest it.
Status readBack(PgServerStore& store, const Table& t, MovedTable& moved)
{
    PgConnection& c = store.connection();
    VIGIL_TRY(c.script("DECLARE vigil_move NO SCROLL CURSOR FOR SELECT " + columnList(t) + " FROM " + t.name
                       + " ORDER BY " + orderBy(t, true) + ";"));
    RowDigest digest;
    std::vector<Value> row(t.columns.size());
    for (;;) {
        auto page = c.exec("FETCH FORWARD 2000 FROM vigil_move;");
        if (!page)
            return std::move(page).error();
        if (page->empty())
            break;
        for (int r = 0; r < page->rows(); ++r) {
            // The seal row's columns are never sealed themselves: read them first.
            for (std::size_t col = 0; col < t.columns.size(); ++col) {
                if (t.columns[col].kind == Kind::SealedText || t.columns[col].kind == Kind::SealedTextOrNull
                    || t.columns[col].kind == Kind::SealedBlob)
                    continue;
                auto v = pgValue(store, t, t.columns[col], *page, r, static_cast<int>(col), {});
                if (!v)
                    return std::move(v).error();
                row[col] = std::move(v).value();
            }
            const std::string sealRow = t.sealRow.empty() ? std::string() : sealRowOf(t, row);
            for (std::size_t col = 0; col < t.columns.size(); ++col) {
                const Kind k = t.columns[col].kind;
                if (k == Kind::SealedText || k == Kind::SealedTextOrNull || k == Kind::SealedBlob) {
                    auto v = pgValue(store, t, t.columns[col], *page, r, static_cast<int>(col), sealRow);
                    if (!v)
                        return std::move(v).error();
                    row[col] = std::move(v).value();
                }
                digest.add(k, row[col]);
            }
            ++moved.targetRows;
        }
    }
    VIGIL_TRY(c.script("CLOSE vigil_move;"));
    moved.targetDigest = digest.hex();
    return {};
}

std::string utcMinute(std::int64_t unixSeconds)
{
    const std::time_t t = unixSeconds;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%MZ", &tm);
    return buf;
}

}  // namespace

Result<StoreMove> moveStoreToPostgresql(const std::filesystem::path& sourceConfig,
                                        const std::filesystem::path& targetConfig, const std::string& actor,
                                        const MoveProgress& progress, Clock clock)
{
    auto from = loadServerConfig(sourceConfig);
    if (!from)
        return std::move(from).error();
    auto to = loadServerConfig(targetConfig);
    if (!to)
        return std::move(to).error();
    if (from->onPostgresql())
        return makeError(ErrorCode::InvalidArgument,
                         "The server's configuration (" + sourceConfig.string() + ") already names PostgreSQL: "
                             "there is no SQLCipher store to move. Nothing was changed.");
    if (!to->onPostgresql())
        return makeError(ErrorCode::InvalidArgument,
                         "The configuration to move to (" + targetConfig.string() + ") does not say \"store\": "
                             "\"postgresql\". Copy the server's configuration, set store, postgresql_conninfo, "
                             "postgresql_password_file and postgresql_schema in the copy, and give that. Nothing was "
                             "changed.");
    auto key = loadServerKey(from->resolve(from->keyFile));
    if (!key)
        return std::move(key).error();
    {
        auto targetKey = loadServerKey(to->resolve(to->keyFile));
        if (!targetKey)
            return std::move(targetKey).error();
        if (targetKey->size() != key->size() || sodium_memcmp(targetKey->data(), key->data(), key->size()) != 0)
            return makeError(ErrorCode::InvalidArgument,
                             "The configuration to move to names another server key (key_file) than the server's. "
                             "Devices' credentials and every sealed value belong to the server key: give it the "
                             "same key_file. Nothing was changed.");
    }
    const std::filesystem::path database = from->resolve(from->database);
    // No vigil-server may change the store while it moves (the lock vigil-server holds for its life).
    auto lock = StoreLock::acquire(database);
    if (!lock)
        return std::move(lock).error();
    auto source = SqlCipherServerStore::open(database, key->span(), /*create=*/false);
    if (!source)
        return std::move(source).error();
    auto moved = (*source)->movedTo();
    if (!moved)
        return std::move(moved).error();
    if (*moved)
        return makeError(ErrorCode::InvalidArgument,
                         "This SQLCipher store was moved " + **moved + " already. Nothing was changed.");
    Database& db = (*source)->database();
    auto sourceColumns = sqliteColumns(db);
    if (!sourceColumns)
        return std::move(sourceColumns).error();
    VIGIL_TRY(checkColumns(*sourceColumns, "SQLCipher store " + database.string()));

    auto target = PgServerStore::open(pgSettingsOf(*to), key->span());
    if (!target)
        return std::move(target).error();
    PgServerStore& pg = **target;
    PgConnection& c = pg.connection();
    auto targetColumns = pgColumns(c);
    if (!targetColumns)
        return std::move(targetColumns).error();
    VIGIL_TRY(checkColumns(*targetColumns, "PostgreSQL schema " + c.schema()));

    // The chain is evidence: moved as it is, and checked to verify on PostgreSQL exactly as here.
    auto sourceChain = (*source)->verifyAudit();
    if (!sourceChain)
        return std::move(sourceChain).error();

    StoreMove result;
    result.source = database;
    result.target = "schema " + c.schema() + " at " + c.where();
    auto incarnation = (*source)->incarnation();
    if (!incarnation)
        return std::move(incarnation).error();
    result.incarnation = *incarnation;

    Status copied = c.transaction([&]() -> Status {
        result.tables.clear();
        // What servers on this schema would take for pushes, the audit chain and schema steps:
        // none may start changing it half-way.
        for (const char* name : {"migrate", "op_log", "server_audit", "bank_holidays"})
            VIGIL_TRY(c.lockForTransaction(pgLockKey(c.schema(), name)));
        for (const Table& t : movedTables()) {
            auto any = c.exec("SELECT EXISTS (SELECT 1 FROM " + std::string(t.name) + ");");
            if (!any)
                return std::move(any).error();
            if (any->boolean(0, 0))
                return makeError(ErrorCode::AlreadyExists,
                                 "PostgreSQL " + result.target + " already holds a server store (its table "
                                     + t.name + " has rows). migrate-store only fills an empty schema: name a new "
                                     "postgresql_schema, or drop this one if it holds nothing anyone needs. Nothing "
                                     "was changed.");
        }
        for (const Table& t : movedTables()) {
            MovedTable& m = result.tables.emplace_back();
            m.name = t.name;
            VIGIL_TRY(copyTable(db, pg, t, m, progress));
        }
        // The incarnation is the store's: devices carry on with their cursors and seqs.
        auto meta = c.exec("UPDATE server_meta SET value = $1 WHERE key = 'incarnation';", {PgParam(result.incarnation)});
        if (!meta)
            return std::move(meta).error();
        // The op log's cursors and the logs' ids go on after the rows moved.
        auto top = c.exec("SELECT COALESCE(MAX(cursor), 0) FROM op_log;");
        if (!top)
            return std::move(top).error();
        result.opLogCursor = top->integer(0, 0);
        if (result.opLogCursor > 0) {
            auto set = c.exec("SELECT setval('op_log_cursor', $1);", {PgParam(result.opLogCursor)});
            if (!set)
                return std::move(set).error();
        }
        for (const Table& t : movedTables()) {
            if (!t.serialId)
                continue;
            const std::string table = t.name;
            auto set = c.exec("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), MAX(id)) FROM " + table
                              + " HAVING MAX(id) IS NOT NULL;");
            if (!set)
                return std::move(set).error();
        }
        // The proof, before anything is committed: every table read back equals the source.
        for (std::size_t i = 0; i < movedTables().size(); ++i) {
            const Table& t = movedTables()[i];
            MovedTable& m = result.tables[i];
            VIGIL_TRY(readBack(pg, t, m));
            if (m.targetRows != m.rows || m.targetDigest != m.sourceDigest)
                return makeError(ErrorCode::Corrupt,
                                 "Table " + m.name + " read back from PostgreSQL differs from the SQLCipher store ("
                                     + std::to_string(m.rows) + " rows, SHA-256 " + m.sourceDigest.substr(0, 16)
                                     + "…; PostgreSQL " + std::to_string(m.targetRows) + " rows, "
                                     + m.targetDigest.substr(0, 16) + "…). Nothing was committed: the SQLCipher "
                                     "store is unchanged and stays in use. Report this to support.");
        }
        auto chain = pg.verifyAudit();
        if (!chain)
            return std::move(chain).error();
        if (chain->intact != sourceChain->intact || chain->entries != sourceChain->entries
            || chain->firstBadSeq != sourceChain->firstBadSeq)
            return makeError(ErrorCode::Corrupt,
                             "The server's audit chain read back from PostgreSQL does not verify as it does in the "
                             "SQLCipher store (" + (chain->intact ? std::string("intact") : chain->problem) + "; there: "
                                 + (sourceChain->intact ? std::string("intact") : sourceChain->problem)
                                 + "). Nothing was committed: the SQLCipher store is unchanged and stays in use. "
                                   "Report this to support.");
        return {};
    });
    if (!copied.ok())
        return std::move(copied).error();
    // Fresh statistics, so the planner knows the tables are no longer empty from the first push
    // (autovacuum would get there, later).
    for (const Table& t : movedTables())
        VIGIL_TRY(c.script(std::string("ANALYZE ") + t.name + ";"));

    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(clock().time_since_epoch()).count();
    nlohmann::json rows = nlohmann::json::object();
    crypto_hash_sha256_state all{};
    crypto_hash_sha256_init(&all);
    for (const MovedTable& m : result.tables) {
        rows[m.name] = m.rows;
        crypto_hash_sha256_update(&all, reinterpret_cast<const unsigned char*>(m.sourceDigest.data()),
                                  m.sourceDigest.size());
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> allDigest{};
    crypto_hash_sha256_final(&all, allDigest.data());
    const nlohmann::json detail = {{"from", database.filename().string()}, {"to", result.target},
                                   {"rows", rows}, {"sha256", toHex(allDigest)}};
    // The move in both chains: the new store's (which carries on from the old one's) and the old's.
    pg.setAuditActor(actor);
    VIGIL_TRY(pg.appendServerAudit(serverEntry(now, actor, "store_moved_in", "", "", {}, detail)));
    result.auditEntries = sourceChain->entries + 1;
    if (!sourceChain->intact)
        result.auditProblem = sourceChain->problem;
    (*source)->setAuditActor(actor);
    VIGIL_TRY((*source)->appendServerAudit(serverEntry(now, actor, "store_moved_out", "", "", {}, detail)));
    VIGIL_TRY((*source)->markMoved("to PostgreSQL (" + result.target + ") on " + utcMinute(now)));
    // The SQLCipher server's records copy is derived, and may be ahead of its op log when that
    // server was killed: each server on PostgreSQL builds its own from the moved op log instead.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::error_code ignored;
        std::filesystem::remove(database.string() + ".records" + suffix, ignored);
    }
    return result;
}

}  // namespace vigil::sync
