#pragma once

#include "core/common/Result.h"
#include "sync/client/SyncClient.h"

namespace vigil::sync {

/// Where the sync engine sends its requests: the device's authenticated, pinned link to its
/// server (DeviceLink). An interface so tests can count or fail requests.
class SyncTransport {
public:
    virtual ~SyncTransport() = default;
    /// An authenticated request; blocking. Called on the engine thread only.
    [[nodiscard]] virtual Result<ClientResponse> request(ClientRequest request) = 0;
};

}  // namespace vigil::sync
