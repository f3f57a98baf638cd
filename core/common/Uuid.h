#pragma once

#include <string>
#include <string_view>

namespace vigil {

/// A random (version 4) UUID in lower-case canonical form. Record ids are made on the
/// device, so two offline devices never collide.
[[nodiscard]] std::string newUuid();

/// True when `text` is a canonical lower-case UUID.
[[nodiscard]] bool isUuid(std::string_view text) noexcept;

}  // namespace vigil
