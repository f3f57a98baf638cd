// Which store a server runs on is its configuration's choice (docs/postgresql.md); everything past
// opening it and setting it up speaks ServerStore.
#include "sync/server/StoreOpen.h"

#include "sync/server/PgServerStore.h"
#include "sync/server/SqlCipherServerStore.h"

namespace vigil::sync {

PgSettings pgSettingsOf(const ServerConfig& config)
{
    PgSettings s;
    s.conninfo = config.postgresqlConninfo;
    if (!config.postgresqlPasswordFile.empty())
        s.passwordFile = config.resolve(config.postgresqlPasswordFile);
    s.schema = config.postgresqlSchema;
    return s;
}

Result<std::unique_ptr<ServerStore>> openServerStore(const ServerConfig& config, std::span<const unsigned char> key,
                                                     bool create)
{
    if (config.onPostgresql()) {
        auto pg = PgServerStore::open(pgSettingsOf(config), key);
        if (!pg)
            return std::move(pg).error();
        return std::unique_ptr<ServerStore>(std::move(pg).value());
    }
    auto file = SqlCipherServerStore::open(config.resolve(config.database), key, create);
    if (!file)
        return std::move(file).error();
    auto moved = (*file)->movedTo();
    if (!moved)
        return std::move(moved).error();
    if (*moved)
        return makeError(ErrorCode::InvalidArgument,
                         "This server's SQLCipher store (" + config.resolve(config.database).string() + ") was moved "
                             + **moved + " by vigil-admin migrate-store: it is kept as it was then, and is not used "
                             "again, or changes would be split between two stores. Use the configuration the store "
                             "was moved with (\"store\": \"postgresql\"), e.g. install it as /etc/vigil/server.json.");
    return std::unique_ptr<ServerStore>(std::move(file).value());
}

Status enableStoreRuleCheck(ServerStore& store, const ServerConfig& config, std::span<const unsigned char> key)
{
    const std::filesystem::path copy = config.resolve(config.database).string() + ".records";
    const std::filesystem::path models = config.resolve(config.riskModelDir);
    if (auto* pg = dynamic_cast<PgServerStore*>(&store))
        return pg->enableRuleCheck(copy, key, models);
    if (auto* file = dynamic_cast<SqlCipherServerStore*>(&store))
        return file->enableRuleCheck(copy, key, models);
    return makeError(ErrorCode::Internal, "This server store keeps no copy of the records. Report this to support.");
}

Status prepareServerStore(ServerStore& store, const ServerConfig& config, std::span<const unsigned char> key)
{
    const auto settings = [&](auto& s) -> Status {
        VIGIL_TRY(s.setPageCache(config.storeCacheMb));
        s.setClockTolerance(config.clockToleranceSeconds);
        s.setDeviceQuota(config.deviceQuotaMb * 1024 * 1024);
        s.setPullPageBytes(config.limits.pullPageBytes);
        return {};
    };
    if (auto* pg = dynamic_cast<PgServerStore*>(&store))
        VIGIL_TRY(settings(*pg));
    else if (auto* file = dynamic_cast<SqlCipherServerStore*>(&store))
        VIGIL_TRY(settings(*file));
    // The rule re-check keeps its materialised records beside the store, under the same key.
    return enableStoreRuleCheck(store, config, key);
}

Result<std::vector<FigureSet>> storeFiguresByBorough(ServerStore& store, const FigureRequest& request,
                                                     const std::vector<std::string>& boroughs)
{
    if (auto* pg = dynamic_cast<PgServerStore*>(&store))
        return pg->figuresByBorough(request, boroughs);
    if (auto* file = dynamic_cast<SqlCipherServerStore*>(&store))
        return file->figuresByBorough(request, boroughs);
    return makeError(ErrorCode::Internal, "This server store keeps no copy of the records. Report this to support.");
}

}  // namespace vigil::sync
