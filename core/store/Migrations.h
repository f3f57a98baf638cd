#pragma once

#include <span>
#include <string_view>

#include "core/common/Result.h"

namespace vigil {

class Database;

/// One numbered schema step. Steps are plain functions (Kaidan style), run in order, each
/// in its own transaction together with the `user_version` bump, so a crash mid-upgrade
/// leaves the store at the previous version, never half-way.
struct Migration {
    int version;                    ///< the schema version after this step (1, 2, 3, …)
    std::string_view description;  ///< for logs and docs
    Status (*apply)(Database& db);
};

/// Bring `db` to the last version in `steps` (which must be numbered 1, 2, 3… in order).
/// A store newer than the code refuses with SchemaTooNew and is left untouched.
[[nodiscard]] Status migrate(Database& db, std::span<const Migration> steps);

/// The schema version recorded in the store (`PRAGMA user_version`).
[[nodiscard]] Result<int> schemaVersion(Database& db);

}  // namespace vigil
