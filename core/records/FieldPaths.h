#pragma once

#include <nlohmann/json.hpp>

namespace vigil {

// A record row keeps its fields as a flat map of field paths ("person.address.postcode") to
// values; the domain's JSON (core/domain/Incident.h) nests them. The record store (its look-up
// indexes) and the repositories both convert, so the one definition lives here.

/// Flatten nested objects into "a.b.c" keys (arrays and scalars are leaves).
[[nodiscard]] nlohmann::json flattenFields(const nlohmann::json& tree);
/// The inverse of flattenFields.
[[nodiscard]] nlohmann::json unflattenFields(const nlohmann::json& flat);
/// The same, moving the values out of `flat` instead of copying them.
[[nodiscard]] nlohmann::json unflattenFields(nlohmann::json&& flat);

}  // namespace vigil
