#include "core/store/Migrations.h"

#include <string>

#include "core/store/Database.h"

namespace vigil {

Result<int> schemaVersion(Database& db)
{
    auto v = db.queryInt("PRAGMA user_version;");
    if (!v)
        return std::move(v).error();
    return static_cast<int>(*v);
}

Status migrate(Database& db, std::span<const Migration> steps)
{
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].version != static_cast<int>(i) + 1) {
            return makeError(ErrorCode::Internal, "Schema steps are misnumbered at step " + std::to_string(i + 1)
                                                      + "; this is a bug in this build of Vigil. Report it to support.");
        }
    }
    auto current = schemaVersion(db);
    if (!current)
        return std::move(current).error();
    const int latest = static_cast<int>(steps.size());
    if (*current > latest) {
        return makeError(ErrorCode::SchemaTooNew,
                         "This store was written by a newer version of Vigil (schema " + std::to_string(*current)
                             + "; this version knows up to " + std::to_string(latest)
                             + "). Update Vigil to open it; nothing has been changed.");
    }
    for (int version = *current + 1; version <= latest; ++version) {
        const Migration& step = steps[static_cast<std::size_t>(version - 1)];
        // Table rebuilds need foreign keys off outside the transaction (SQLite's documented
        // 12-step procedure); foreign_key_check inside verifies the result before commit.
        VIGIL_TRY(db.exec("PRAGMA foreign_keys = OFF;"));
        Status applied = db.transaction([&]() -> Status {
            VIGIL_TRY(step.apply(db));
            auto fkq = db.prepare("PRAGMA foreign_key_check;");
            if (!fkq)
                return std::move(fkq).error();
            auto violation = fkq->step();
            if (!violation)
                return std::move(violation).error();
            if (*violation) {
                return makeError(ErrorCode::Internal, "Upgrading the store to schema " + std::to_string(version)
                                                          + " broke a link between records, so it was undone. "
                                                            "Report this to support; your data is unchanged.");
            }
            return db.exec("PRAGMA user_version = " + std::to_string(version) + ";");
        });
        VIGIL_TRY(db.exec("PRAGMA foreign_keys = ON;"));
        if (!applied.ok())
            return applied;
    }
    return {};
}

}  // namespace vigil
