#pragma once

#include <string_view>

#include "core/common/Result.h"

namespace vigil {

/// The rules a new PIN must meet: 6–12 digits, not one repeated digit, not a run up or down
/// by one (123456, 987654), not on a short deny-list of common PINs. A refusal names the
/// rule that failed, so the officer knows what to change.
[[nodiscard]] Status checkNewPin(std::string_view pin);

inline constexpr std::size_t kMinPinLength = 6;
inline constexpr std::size_t kMaxPinLength = 12;

}  // namespace vigil
