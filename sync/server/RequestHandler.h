#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/common/Clock.h"
#include "core/records/DevicePolicy.h"
#include "sync/protocol/Protocol.h"
#include "sync/server/Metrics.h"
#include "sync/server/RateLimiter.h"
#include "sync/server/ServerKey.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// A request as the transport hands it over: already size-limited, not yet decompressed.
/// Header names are lower case.
struct HttpRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string remoteAddress;  ///< the peer's IP address (for limits on requests without a credential)

    [[nodiscard]] std::string_view header(std::string_view lowerName) const;
};

/// A response for the transport to send. `sensitive` bodies (a new device token) are wiped
/// from memory once written.
struct HttpResponse {
    unsigned status = 200;
    std::string body;  ///< JSON, possibly compressed (then contentEncoding says how)
    std::string contentEncoding;
    std::vector<std::pair<std::string, std::string>> headers;
    bool sensitive = false;
    bool close = false;
    // For the log line only: never personal data.
    std::string deviceId;
    std::string errorCode;
};

/// A JSON error response: `{"error": code, "message": words}` (plus `extra` members).
[[nodiscard]] HttpResponse errorResponse(unsigned status, std::string_view code, std::string message,
                                         nlohmann::json extra = nlohmann::json::object());

/// A request admitted before its body is read: the endpoint (from the request line) and, for
/// every endpoint but enrolment and wipe reports, the authenticated device.
struct Admission {
    enum class Endpoint { Enrol, WipeReport, Device, Directory, Push, Pull, Snapshot, BankHolidays, Attachment, Token, Sequence, Figures };
    Endpoint endpoint = Endpoint::Device;
    std::optional<DeviceIdentity> who;
    bool needsBody = false;
};

/// Routes and answers requests: protocol version, decompression, authentication,
/// enrolment. No network code here (the Beast transport is in HttpServer), so every rule can
/// be tested without sockets. Used from the server's one store thread (HttpServer).
class RequestHandler {
public:
    RequestHandler(ServerStore& store, const SecretHasher& hasher, Limits limits, Clock clock = systemClock());

    /// All of a request at once (begin, decode, finish): tests and the fuzz target.
    [[nodiscard]] HttpResponse handle(const HttpRequest& request);

    /// The cheap part, on the store thread: version, encoding name, endpoint and method,
    /// address limits and authentication, in that order, with no byte of the body decoded.
    /// Either the answer (a refusal; or the whole answer when the body needs no decoding), or
    /// the admitted request whose compressed body the caller decodes with decode() off the
    /// store thread and then answers with finish().
    using Begun = std::variant<HttpResponse, Admission>;
    [[nodiscard]] Begun begin(const HttpRequest& request);
    /// The request body decoded within max_decoded_body_bytes, or the refusal. Any thread: it
    /// touches only the limits and the (locked) metrics.
    [[nodiscard]] std::variant<std::string, HttpResponse> decode(const HttpRequest& request) const;
    /// The rest of an admitted request, on the store thread. `body` (decoded) is wiped.
    [[nodiscard]] HttpResponse finish(const HttpRequest& request, const Admission& admitted, std::string& body);

    /// Per-device limits (keyed by the credential, checked before the store is asked) and
    /// limits per address for requests without a credential (enrolment, wipe reports).
    /// Off until set: vigil-server sets them from its configuration.
    void setRateLimits(RateLimit perDevice, RateLimit perAddress);
    /// Requests with no, a malformed or an unknown credential, per address (an IPv6 /64): when
    /// the bucket is empty, every request needing a credential from there gets 429 before the
    /// credential is read. Off until set.
    void setAuthFailureLimit(RateLimit perAddress);
    /// Count requests, ops, syncs and devices here (vigil-server's /metrics).
    void setMetrics(Metrics* metrics) noexcept { m_metrics = metrics; }
    /// The administrator's device policy sent in every pull answer (ServerConfig).
    void setMaxAutoLockMinutes(int minutes) noexcept { m_maxAutoLockMinutes = minutes; }
    /// Credentials (issue 22): replaced after `rotationDays` in use, expired after `expiryDays`
    /// without contact; 0 = never. Off until set.
    void setCredentialPolicy(std::int64_t rotationDays, std::int64_t expiryDays) noexcept
    {
        m_rotationSeconds = rotationDays * 86400;
        m_expirySeconds = expiryDays * 86400;
    }

private:
    [[nodiscard]] HttpResponse route(const HttpRequest& request, const Admission& admitted, const std::string& body);
    [[nodiscard]] HttpResponse enrol(const std::string& body);
    [[nodiscard]] HttpResponse wipeReport(const std::string& body);
    /// GET /v1/attachments/{id}, PUT and GET /v1/attachments/{id}/chunks/{n}.
    [[nodiscard]] HttpResponse attachment(const DeviceIdentity& who, const HttpRequest& request, std::string_view rest,
                                          const std::string& body);
    [[nodiscard]] HttpResponse deviceStatus(const DeviceIdentity& identity);
    [[nodiscard]] HttpResponse directory(const DeviceIdentity& who);
    /// GET /v1/bank-holidays: the list the administrator imported, as imported (1.3).
    [[nodiscard]] HttpResponse bankHolidays(const DeviceIdentity& who);
    [[nodiscard]] HttpResponse push(const DeviceIdentity& who, const std::string& body);
    [[nodiscard]] HttpResponse pull(const DeviceIdentity& who, const std::string& target);
    [[nodiscard]] HttpResponse snapshot(const DeviceIdentity& who, const std::string& target);
    /// POST /v1/token: a new credential beside the one in use (issue 22).
    [[nodiscard]] HttpResponse token(const DeviceIdentity& who);
    /// GET /v1/sequence: the last seq decided for the device and the store's incarnation.
    [[nodiscard]] HttpResponse sequence(const DeviceIdentity& who);
    /// GET /v1/figures: the board's figures, published (small counts withheld), for analysts and
    /// administrators only (issue 25). Audited.
    [[nodiscard]] HttpResponse figures(const DeviceIdentity& who, const std::string& target);
    [[nodiscard]] bool rotationDue(const DeviceIdentity& who) const;
    /// The device behind the Authorization header, or the error response to send.
    [[nodiscard]] std::variant<DeviceIdentity, HttpResponse> authenticate(const HttpRequest& request);
    [[nodiscard]] std::int64_t now() const;
    /// The 429 answer when `key` has no token left in `limiter`, else nullopt.
    [[nodiscard]] std::optional<HttpResponse> throttle(RateLimiter* limiter, const std::string& key, bool device);

    ServerStore& m_store;
    const SecretHasher& m_hasher;
    Limits m_limits;
    Clock m_clock;
    std::unique_ptr<RateLimiter> m_deviceLimiter;
    std::unique_ptr<RateLimiter> m_addressLimiter;
    std::unique_ptr<RateLimiter> m_failureLimiter;
    Metrics* m_metrics = nullptr;
    int m_maxAutoLockMinutes = vigil::kDefaultMaxAutoLockMinutes;
    std::int64_t m_rotationSeconds = 0;
    std::int64_t m_expirySeconds = 0;
};

}  // namespace vigil::sync
