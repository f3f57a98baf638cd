#pragma once

#include <span>

#include "core/store/SecureBytes.h"

namespace vigil::sync {

/// A device's wipe receipt: BLAKE2b-256 keyed with its device credential over a fixed label.
/// Both ends can compute it while the credential exists (the server when the device presents
/// its token, the device before it destroys it); afterwards the device keeps only the receipt,
/// which can do one thing: prove to the server that this device reports its own wipe. It opens
/// no records and cannot be turned back into the credential.
[[nodiscard]] SecureBytes wipeReceiptFor(std::span<const unsigned char> deviceToken);

}  // namespace vigil::sync
