#pragma once

#include <chrono>
#include <functional>

namespace vigil {

/// The time source. Injected everywhere a rule or a lockout depends on "now", so tests
/// can move time without sleeping.
using Clock = std::function<std::chrono::system_clock::time_point()>;

[[nodiscard]] inline Clock systemClock()
{
    return [] { return std::chrono::system_clock::now(); };
}

}  // namespace vigil
