#pragma once

#include <string>

namespace vigil {

/// One record row exactly as a store keeps it: links, tombstone, stamps and the field map as
/// stored. A snapshot (GET /v1/snapshot) carries these from the server's materialised copy to
/// a device that has never pulled. `fields` and `stamps` are JSON
/// object text (carried as strings: neither end parses what it only passes on).
struct StoredRow {
    std::string entity;  ///< "incident", "person", "answer", "rara_item", "referral", "attachment", "supervision"
    std::string id;
    std::string incident;
    std::string parent;
    std::string origin;
    bool deleted = false;
    std::string created;  ///< HLC stamp text
    std::string updated;
    std::string fields;
    std::string stamps;
    friend bool operator==(const StoredRow&, const StoredRow&) = default;
};

/// A conflict as a store keeps it (both values, who, when, and any resolution), so a
/// device that starts from a snapshot shows the same conflicts as one that replayed every op.
/// Values are JSON text; "" for resolvedBy/resolvedAt/resolution while unresolved.
struct StoredConflict {
    std::string kind;  ///< "field" or "command"
    std::string entity;
    std::string record;
    std::string incident;
    std::string field;
    std::string winner;
    std::string keptValue;
    std::string keptHlc;
    std::string keptOrigin;
    std::string keptBy;
    std::string lostValue;
    std::string lostHlc;
    std::string lostOrigin;
    std::string lostBy;
    std::string detectedAt;
    std::string resolvedBy;
    std::string resolvedAt;
    std::string resolution;
    friend bool operator==(const StoredConflict&, const StoredConflict&) = default;
};

}  // namespace vigil
