#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/common/Result.h"

namespace vigil {

class Database;

/// Row counts and a content hash of the synced records in a store with the device schema:
/// what two replicas (a device, another device, the server's materialised copy) must agree on
/// once they have synced. Each row counts with its links, tombstone, creation stamp, fields
/// and per-field stamps (hlc and device); `updated_hlc` (a local "last activity" for lists),
/// the row's `origin` (a local shorthand base for the stamps, see RecordDigest.cpp), the
/// derived indexes, conflicts, the outbox and the audit chain are not part of it.
/// Used by the fault tests and by `vigil-device digest`.
struct RecordDigest {
    std::map<std::string, std::int64_t> rows;  ///< entity table → rows, tombstones included
    std::int64_t total = 0;
    std::string hash;  ///< BLAKE2b-256 (hex) over every row in (entity, id) order
    /// "entity/id" → that row's hash, when asked for (to name the rows that differ).
    std::map<std::string, std::string> rowHashes;

    friend bool operator==(const RecordDigest& a, const RecordDigest& b) { return a.total == b.total && a.hash == b.hash; }
};

struct DigestOptions {
    /// Only rows of these incidents (an incident row by its id, others by incident_id); all when empty.
    std::set<std::string> incidents;
    bool perRow = false;  ///< fill RecordDigest::rowHashes
};

[[nodiscard]] Result<RecordDigest> digestRecords(Database& db, const DigestOptions& options = {});

}  // namespace vigil
