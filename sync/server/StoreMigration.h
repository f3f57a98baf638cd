#pragma once

// `vigil-admin migrate-store` (issue 26, item 4): a borough's SQLCipher server store moved into
// PostgreSQL, every table row for row, proved by counts and digests before anything is committed
// (docs/postgresql.md, "Moving a SQLCipher store to PostgreSQL").

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/Clock.h"
#include "core/common/Result.h"

namespace vigil::sync {

/// One table as moved: its rows, and the SHA-256 of its rows in key order as the SQLCipher store
/// holds them and as PostgreSQL gave them back (sealed values opened again).
struct MovedTable {
    std::string name;
    std::int64_t rows = 0;
    std::int64_t targetRows = 0;
    std::string sourceDigest;  ///< hex
    std::string targetDigest;  ///< hex
};

/// What a move did.
struct StoreMove {
    std::vector<MovedTable> tables;
    std::string incarnation;       ///< unchanged: devices carry on with their cursors
    std::int64_t opLogCursor = 0;  ///< the op log's last position (PostgreSQL's sequence goes on after it)
    std::int64_t auditEntries = 0; ///< the server's audit chain after the move (the move is its last entry)
    /// Where the chain was already broken in the SQLCipher store (moved as it was), or "".
    std::string auditProblem;
    std::string target;            ///< "schema S at HOST:PORT"
    std::filesystem::path source;  ///< the SQLCipher file
};

/// What the move reports as it goes: a table's name and the rows copied so far.
using MoveProgress = std::function<void(const std::string& table, std::int64_t rows)>;

/// Move the SQLCipher store named by `sourceConfig` into the PostgreSQL schema named by
/// `targetConfig` ("store": "postgresql", the same key_file). Refused, with nothing changed, while
/// vigil-server runs on the source, when the target is not PostgreSQL, names another server key,
/// or already holds a server store, or when either store has a table or column this code does not
/// know. Every table is copied in one PostgreSQL transaction (values sealed as the PostgreSQL store
/// seals them), read back in it and compared with the source, row count and digest; only then is
/// it committed. The move is then appended to the audit chain, and the SQLCipher store is marked
/// moved, so no vigil-server serves it again.
[[nodiscard]] Result<StoreMove> moveStoreToPostgresql(const std::filesystem::path& sourceConfig,
                                                      const std::filesystem::path& targetConfig,
                                                      const std::string& actor, const MoveProgress& progress = {},
                                                      Clock clock = systemClock());

}  // namespace vigil::sync
