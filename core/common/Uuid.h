#pragma once

#include <string>
#include <string_view>

namespace vigil {

/// A random (version 4) UUID in lower-case canonical form. Record ids are made on the
/// device, so two offline devices never collide.
[[nodiscard]] std::string newUuid();

/// A time-ordered (version 7, RFC 9562) UUID: the current Unix time in milliseconds, then
/// random bits; strictly increasing within a process. Ids made later sort after earlier ones
/// (as text too), so an index on them grows
/// at its end instead of touching a random page for each new id (op ids: docs/sync-protocol.md).
[[nodiscard]] std::string newTimeOrderedUuid();

/// True when `text` is a canonical UUID of version 7 (newTimeOrderedUuid).
[[nodiscard]] bool isTimeOrderedUuid(std::string_view text) noexcept;

/// A UUID derived from a name (BLAKE2b of it; version 8, RFC 9562): the same name gives the
/// same id on every device, so two devices that make "the case of this referral" make one record.
[[nodiscard]] std::string uuidFromName(std::string_view name);

/// True when `text` is a canonical lower-case UUID.
[[nodiscard]] bool isUuid(std::string_view text) noexcept;

}  // namespace vigil
