#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "core/common/Result.h"
#include "sync/server/PgConnection.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// The PostgreSQL settings a configuration names (its password file resolved against data_dir).
[[nodiscard]] PgSettings pgSettingsOf(const ServerConfig& config);

/// The server's store as its configuration names it ("store": "sqlcipher" or "postgresql").
/// `create`: make the SQLCipher file (vigil-admin init); a PostgreSQL schema is made when missing.
[[nodiscard]] Result<std::unique_ptr<ServerStore>> openServerStore(const ServerConfig& config,
                                                                   std::span<const unsigned char> key, bool create);

/// What vigil-server sets on its store before it serves: the page cache, the clock tolerance, the
/// quota, the pull page budget, and the rule re-check with its records copy (`<database>.records`,
/// this server's own with either store).
[[nodiscard]] Status prepareServerStore(ServerStore& store, const ServerConfig& config,
                                        std::span<const unsigned char> key);

/// The rule re-check alone, with the records copy (vigil-admin's board report on a stopped server).
[[nodiscard]] Status enableStoreRuleCheck(ServerStore& store, const ServerConfig& config,
                                          std::span<const unsigned char> key);

/// Each borough's figures from a store with its rule re-check on (either backend).
[[nodiscard]] Result<std::vector<FigureSet>> storeFiguresByBorough(ServerStore& store, const FigureRequest& request,
                                                                   const std::vector<std::string>& boroughs);

}  // namespace vigil::sync
