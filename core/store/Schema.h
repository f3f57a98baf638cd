#pragma once

#include <span>

#include "core/store/Migrations.h"

namespace vigil {

/// The device store's schema steps, oldest first. Append only: never edit a released step.
[[nodiscard]] std::span<const Migration> deviceSchema();

}  // namespace vigil
