#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/Result.h"
#include "sync/protocol/Encoding.h"
#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// Which server, and the key it must prove it holds (SPKI SHA-256 pin). There is no
/// unpinned mode: the pin comes from the enrolment code on the very first connection.
struct ServerEndpoint {
    std::string host;
    std::uint16_t port = 0;
    SpkiPin pin{};
};

/// One HTTP request. The body is JSON text; it is compressed when large enough.
struct ClientRequest {
    std::string method = "GET";
    std::string target = "/healthz";
    std::string body;
    std::string bearer;  ///< device token (base64url); wiped after sending
    /// Tests only: send this protocol version instead of ours.
    std::optional<std::string> protocolOverride;
    /// Tests only: the body is already encoded with this Content-Encoding; send as is.
    std::optional<std::string> preEncoded;
};

/// An HTTP answer, decompressed. `error` is set for a JSON error body.
struct ClientResponse {
    unsigned status = 0;
    std::string body;
    std::string requestId;
    std::string serverProtocol;
    std::optional<ErrorBody> error;
    bool wipe = false;  ///< a revoked device was told to wipe
    /// Retry-After (seconds) on a 429 or 503: do not ask again before then.
    std::optional<std::chrono::seconds> retryAfter;
    std::string requestEncoding;  ///< how the request body went ("zstd", "gzip", "identity"; empty: no body)
    std::string answerEncoding;   ///< how the answer came ("zstd", "gzip", ...; empty: as is)
};

/// Error::field of a request whose answer was larger than ClientOptions::maxResponseBytes (as
/// sent) or maxDecodedResponseBytes (unpacked): the sync engine then asks for smaller pages.
inline constexpr std::string_view kAnswerTooLarge = "answer_too_large";

struct ClientOptions {
    std::chrono::milliseconds connectTimeout{10000};
    std::chrono::milliseconds requestTimeout{30000};
    std::uint64_t maxResponseBytes = 16 * 1024 * 1024;
    std::size_t maxDecodedResponseBytes = 64 * 1024 * 1024;
    std::size_t compressAbove = Limits{}.compressAbove;
    /// Tests only: connect from this local IP address (e.g. 127.0.0.2, to be another address
    /// to a server on 127.0.0.1). Empty: the system's choice.
    std::string sourceAddress;
};

/// The device side of the transport: HTTPS with Boost.Beast on ONE Asio thread that this
/// object owns (io_context kept alive by a work guard), TLS 1.2+ with the server certificate
/// checked against the pin by a custom verify callback (the pin replaces CA validation).
/// A server presenting any other key is refused before anything is sent.
///
/// Transport failures are errors (Io: unreachable, timeout, not TLS; Corrupt: wrong server
/// key); HTTP statuses, including errors, come back as a ClientResponse.
class SyncClient {
public:
    explicit SyncClient(ClientOptions options = {});
    ~SyncClient();
    SyncClient(const SyncClient&) = delete;
    SyncClient& operator=(const SyncClient&) = delete;

    using Completion = std::function<void(Result<ClientResponse>)>;
    /// Run the request on the client thread; `done` is called there.
    void sendAsync(ServerEndpoint endpoint, ClientRequest request, Completion done);
    /// Run the request and wait for it. Must not be called from the client thread.
    [[nodiscard]] Result<ClientResponse> send(const ServerEndpoint& endpoint, ClientRequest request);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vigil::sync
