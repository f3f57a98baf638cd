#include "core/store/Schema.h"

#include <array>

#include "core/store/Database.h"

namespace vigil {

namespace {

Status v1StoreMeta(Database& db)
{
    // Facts about the store itself (device id, enrolment, settings); never personal data.
    return db.exec("CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;");
}

constexpr std::array kSteps = {
    Migration{1, "store_meta: facts about the store", &v1StoreMeta},
};

}  // namespace

std::span<const Migration> deviceSchema() { return kSteps; }

}  // namespace vigil
