#pragma once

namespace vigil {

/// Turn off core dumps and ptrace attach by other users' processes, so key material in
/// memory is not written to disk by a crash. Call first thing in every Vigil executable.
/// Returns false if the OS refused (the caller logs it; Vigil still runs).
bool hardenProcess() noexcept;

}  // namespace vigil
