#pragma once

#include <algorithm>

namespace vigil {

/// The administrator's policy for devices that the server hands out (issue 22): the longest a
/// device may stay unlocked while no one touches it. A user may choose a shorter auto-lock,
/// never a longer one. The server sends it in every pull answer (`policy`), the device keeps it
/// in its encrypted store (RecordStore::maxAutoLockMinutes), so it cannot be raised by editing
/// a settings file.
inline constexpr int kAutoLockMinutesCeiling = 60;  ///< no policy may allow more
/// What a device allows until its server has said (a new device before its first sync), and
/// the server's default when its configuration does not set `max_auto_lock_minutes`.
inline constexpr int kDefaultMaxAutoLockMinutes = 10;

/// The auto-lock a device applies: the user's choice, at least a minute, never above the
/// force's maximum (`policyMax`; 0 when the server has not said yet: the default applies).
[[nodiscard]] constexpr int effectiveAutoLockMinutes(int chosen, int policyMax) noexcept
{
    const int most = policyMax > 0 ? std::min(policyMax, kAutoLockMinutesCeiling) : kDefaultMaxAutoLockMinutes;
    return std::clamp(chosen, 1, most);
}

}  // namespace vigil
