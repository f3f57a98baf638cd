#include "sync/server/RequestHandler.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <utility>
#include <vector>

#include <sodium.h>

#include "core/common/JsonText.h"
#include "core/common/Uuid.h"
#include "core/figures/FigureReport.h"
#include "core/risk/Dates.h"
#include "core/store/SecureBytes.h"
#include "sync/common/WipeReceipt.h"
#include "sync/protocol/Compression.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/protocol/SnapshotCodec.h"
#include "sync/server/Log.h"

namespace vigil::sync {

namespace {

/// The key=value pairs of a request target's query, in order (values as sent, not decoded).
std::vector<std::pair<std::string_view, std::string_view>> queryParameters(std::string_view target)
{
    std::vector<std::pair<std::string_view, std::string_view>> out;
    const auto q = target.find('?');
    std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        out.emplace_back(pair.substr(0, eq), eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    }
    return out;
}

HttpResponse jsonResponse(unsigned status, const nlohmann::json& body)
{
    HttpResponse r;
    r.status = status;
    r.body = vigil::json::dump(body);
    return r;
}

HttpResponse internalError(const Error& error, std::string_view doing)
{
    // The detail goes to the log (no personal data in store errors); the device gets words.
    Log::write(LogLevel::Error, "internal_error", {{"doing", doing}, {"error", errorCodeName(error.code)}});
    return errorResponse(500, errors::kInternal,
                         "The server could not complete this request. Nothing was changed; try again later, and tell "
                         "your administrator if it keeps happening.");
}

std::string dateOf(std::int64_t unixSeconds)
{
    const std::time_t t = unixSeconds;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

}  // namespace

std::string_view HttpRequest::header(std::string_view lowerName) const
{
    for (const auto& [name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

HttpResponse errorResponse(unsigned status, std::string_view code, std::string message, nlohmann::json extra)
{
    nlohmann::json body = {{"error", code}, {"message", std::move(message)}};
    if (extra.is_object()) {
        for (auto& [k, v] : extra.items())
            body[k] = v;
    }
    HttpResponse r = jsonResponse(status, body);
    r.errorCode = std::string(code);
    return r;
}

RequestHandler::RequestHandler(ServerStore& store, const SecretHasher& hasher, Limits limits, Clock clock)
    : m_store(store), m_hasher(hasher), m_limits(limits), m_clock(std::move(clock))
{
}

void RequestHandler::setAuthFailureLimit(RateLimit perAddress)
{
    m_failureLimiter = perAddress.enabled() ? std::make_unique<RateLimiter>(perAddress) : nullptr;
}

void RequestHandler::setRateLimits(RateLimit perDevice, RateLimit perAddress)
{
    m_deviceLimiter = perDevice.enabled() ? std::make_unique<RateLimiter>(perDevice) : nullptr;
    m_addressLimiter = perAddress.enabled() ? std::make_unique<RateLimiter>(perAddress) : nullptr;
}

std::optional<HttpResponse> RequestHandler::throttle(RateLimiter* limiter, const std::string& key, bool device)
{
    if (!limiter)
        return std::nullopt;
    const auto wait = limiter->take(key);
    if (!wait)
        return std::nullopt;
    const auto seconds = std::max<std::int64_t>(1, (wait->count() + 999) / 1000);
    const RateLimit& l = limiter->limit();
    const auto perSecond = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    HttpResponse r = errorResponse(
        429, errors::kRateLimited,
        std::string(device ? "This device is" : "Requests from this network address are")
            + " sending requests faster than the server allows (" + perSecond(l.perSecond) + " a second, bursts of "
            + perSecond(l.burst) + "). Nothing was changed. Wait " + std::to_string(seconds)
            + (seconds == 1 ? " second" : " seconds")
            + " before trying again (Vigil does this by itself); if it keeps happening, tell your administrator.",
        {{"retry_after", seconds}});
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
}

std::int64_t RequestHandler::now() const
{
    return std::chrono::duration_cast<std::chrono::seconds>(m_clock().time_since_epoch()).count();
}

RequestHandler::Begun RequestHandler::begin(const HttpRequest& request)
{
    std::string_view path = request.target;
    if (const auto q = path.find('?'); q != std::string_view::npos)
        path = path.substr(0, q);

    if (path == "/healthz") {
        if (request.method != "GET" && request.method != "HEAD")
            return errorResponse(405, errors::kMethodNotAllowed, "Use GET for /healthz.");
        return jsonResponse(200, toJson(Health{}));
    }
    if (path.substr(0, 4) != "/v1/") {
        return errorResponse(404, errors::kNotFound,
                             "There is nothing at this address on a Vigil server. Check the server address.");
    }

    // The wire format version, before anything else is read.
    const std::string_view versionText = request.header("vigil-protocol");
    if (versionText.empty()) {
        return errorResponse(400, errors::kMissingProtocol,
                             "The request does not say which sync protocol it speaks (Vigil-Protocol header). "
                             "Use a Vigil app or vigil-device to talk to this server.");
    }
    const auto version = parseProtocolVersion(versionText);
    if (!version || version->major != kProtocolMajor) {
        HttpResponse r = errorResponse(
            426, errors::kUpdateRequired,
            "Update required: this server speaks sync protocol " + protocolVersionText() + " and this device speaks "
                + std::string(versionText.substr(0, 16))
                + ". Install the Vigil version your administrator provides, then sync again. Nothing was sent.",
            {{"server_protocol", protocolVersionText()}});
        r.headers.emplace_back("Upgrade", "Vigil-Protocol/" + protocolVersionText());
        return r;
    }
    const auto encoding = parseContentEncoding(request.header("content-encoding"));
    if (!encoding) {
        return errorResponse(415, errors::kUnsupportedEncoding,
                             "The request body is compressed in a way this server does not accept; use zstd, gzip "
                             "or deflate. Nothing was changed.");
    }

    // Which endpoint, and the method: from the request line alone.
    using E = Admission::Endpoint;
    const auto wrongMethod = [](std::string_view words) {
        return errorResponse(405, errors::kMethodNotAllowed, std::string(words));
    };
    Admission admitted;
    if (path == "/v1/enrol") {
        if (request.method != "POST")
            return wrongMethod("Use POST for /v1/enrol.");
        admitted.endpoint = E::Enrol;
    } else if (path == "/v1/wipe-report") {
        // No bearer token: a wiped device has destroyed it. The wipe receipt authenticates.
        if (request.method != "POST")
            return wrongMethod("Use POST for /v1/wipe-report.");
        admitted.endpoint = E::WipeReport;
    } else if (path == "/v1/device") {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/device.");
        admitted.endpoint = E::Device;
    } else if (path == "/v1/directory") {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/directory.");
        admitted.endpoint = E::Directory;
    } else if (path == "/v1/push") {
        if (request.method != "POST")
            return wrongMethod("Use POST for /v1/push.");
        admitted.endpoint = E::Push;
    } else if (path == "/v1/pull") {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/pull.");
        admitted.endpoint = E::Pull;
    } else if (path == "/v1/snapshot") {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/snapshot.");
        admitted.endpoint = E::Snapshot;
    } else if (path == kBankHolidaysPath) {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/bank-holidays.");
        admitted.endpoint = E::BankHolidays;
    } else if (path == kTokenPath) {
        if (request.method != "POST")
            return wrongMethod("Use POST for /v1/token.");
        admitted.endpoint = E::Token;
    } else if (path == kSequencePath) {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/sequence.");
        admitted.endpoint = E::Sequence;
    } else if (path == kFiguresPath) {
        if (request.method != "GET")
            return wrongMethod("Use GET for /v1/figures.");
        admitted.endpoint = E::Figures;
    } else if (path.substr(0, 16) == "/v1/attachments/") {
        admitted.endpoint = E::Attachment;  // the method depends on the rest of the path: attachment()
    } else {
        return errorResponse(404, errors::kNotFound,
                             "This server does not offer " + std::string(path.substr(0, 64))
                                 + ". The device may be newer than the server; tell your administrator.");
    }

    // Who is asking, before a byte of the body is decoded: a stranger's compressed body costs
    // no inflation (docs/sync-protocol.md, "Cheap refusals first").
    if (admitted.endpoint == E::Enrol || admitted.endpoint == E::WipeReport) {
        if (auto limited = throttle(m_addressLimiter.get(), "addr " + addressKey(request.remoteAddress), false))
            return std::move(*limited);
    } else {
        auto who = authenticate(request);
        if (auto* refused = std::get_if<HttpResponse>(&who))
            return std::move(*refused);
        admitted.who = std::move(std::get<DeviceIdentity>(who));
    }

    // Only these read a body; the others never decode one.
    admitted.needsBody = admitted.endpoint == E::Enrol || admitted.endpoint == E::WipeReport
                      || admitted.endpoint == E::Push || (admitted.endpoint == E::Attachment && request.method == "PUT");
    if (admitted.needsBody && *encoding != ContentEncoding::Identity && !request.body.empty())
        return admitted;  // the caller decodes (off this thread), then calls finish()
    std::string body;
    if (admitted.needsBody) {
        auto plain = decode(request);
        if (auto* refused = std::get_if<HttpResponse>(&plain))
            return std::move(*refused);
        body = std::move(std::get<std::string>(plain));
    }
    return finish(request, admitted, body);
}

std::variant<std::string, HttpResponse> RequestHandler::decode(const HttpRequest& request) const
{
    // Decompressed within the limit (zip bombs stop here).
    const auto encoding = parseContentEncoding(request.header("content-encoding"));
    if (!encoding) {
        return errorResponse(415, errors::kUnsupportedEncoding,
                             "The request body is compressed in a way this server does not accept; use zstd, gzip "
                             "or deflate. Nothing was changed.");
    }
    DecodeFailure failure = DecodeFailure::None;
    auto body = decompressBody(request.body, *encoding, m_limits.maxDecodedBodyBytes, &failure);
    if (m_metrics && *encoding != ContentEncoding::Identity) {
        m_metrics->countBodyDecoded(static_cast<std::int64_t>(request.body.size()),
                                    body ? static_cast<std::int64_t>(body->size()) : 0);
    }
    if (!body) {
        if (failure == DecodeFailure::TooLarge) {
            return errorResponse(413, errors::kBodyTooLarge,
                                 "The request is larger than this server accepts once decompressed (limit "
                                     + std::to_string(m_limits.maxDecodedBodyBytes / 1024)
                                     + " KiB). Nothing was changed; send smaller batches.");
        }
        return errorResponse(400, errors::kBadRequest,
                             "The request body could not be decompressed: " + body.error().message
                                 + " Nothing was changed.");
    }
    return std::move(body).value();
}

HttpResponse RequestHandler::finish(const HttpRequest& request, const Admission& admitted, std::string& body)
{
    HttpResponse response = route(request, admitted, body);
    sodium_memzero(body.data(), body.size());  // an enrolment secret may be in there

    const auto coding = preferredEncoding(request.header("accept-encoding"));
    if (response.body.size() >= m_limits.compressAbove && coding) {
        auto packed = compressBody(response.body, *coding, CompressionLevel::Fast);
        if (packed) {
            if (response.sensitive)
                sodium_memzero(response.body.data(), response.body.size());
            response.body = std::move(packed).value();
            response.contentEncoding = std::string(contentEncodingName(*coding));
        }
    }
    return response;
}

HttpResponse RequestHandler::handle(const HttpRequest& request)
{
    auto begun = begin(request);
    if (auto* answered = std::get_if<HttpResponse>(&begun))
        return std::move(*answered);
    const Admission& admitted = std::get<Admission>(begun);
    auto plain = decode(request);
    if (auto* refused = std::get_if<HttpResponse>(&plain))
        return std::move(*refused);
    return finish(request, admitted, std::get<std::string>(plain));
}

HttpResponse RequestHandler::route(const HttpRequest& request, const Admission& admitted, const std::string& body)
{
    using E = Admission::Endpoint;
    switch (admitted.endpoint) {
    case E::Enrol:
        return enrol(body);
    case E::WipeReport:
        return wipeReport(body);
    case E::Device:
        return deviceStatus(*admitted.who);
    case E::Directory:
        return directory(*admitted.who);
    case E::Push:
        return push(*admitted.who, body);
    case E::Pull:
        return pull(*admitted.who, request.target);
    case E::Snapshot:
        return snapshot(*admitted.who, request.target);
    case E::BankHolidays:
        return bankHolidays(*admitted.who);
    case E::Token:
        return token(*admitted.who);
    case E::Sequence:
        return sequence(*admitted.who);
    case E::Figures:
        return figures(*admitted.who, request.target);
    case E::Attachment: {
        std::string_view path = request.target;
        path = path.substr(0, path.find('?'));
        return attachment(*admitted.who, request, path.substr(16), body);
    }
    }
    return internalError(makeError(ErrorCode::Internal, "no route"), "route");
}

std::variant<DeviceIdentity, HttpResponse> RequestHandler::authenticate(const HttpRequest& request)
{
    // An address that sent too many credentials this server does not accept is refused before
    // the credential is even read: a stranger's guesses cost no hashing and no store work.
    const std::string failureKey = "fail " + addressKey(request.remoteAddress);
    if (m_failureLimiter) {
        if (const auto wait = m_failureLimiter->wait(failureKey)) {
            const auto seconds = std::max<std::int64_t>(1, (wait->count() + 999) / 1000);
            HttpResponse r = errorResponse(
                429, errors::kRateLimited,
                "Too many requests from this network address came with a device credential this server does not "
                "accept. Nothing was changed. Wait "
                    + std::to_string(seconds) + (seconds == 1 ? " second" : " seconds")
                    + " before trying again; if it keeps happening, tell your administrator.",
                {{"retry_after", seconds}});
            r.headers.emplace_back("Retry-After", std::to_string(seconds));
            return r;
        }
    }
    // One answer for no credential, a malformed one and an unknown one: the words, status and
    // headers do not say which (docs/sync-protocol.md, "Cheap refusals first").
    const auto unauthenticated = [&] {
        if (m_failureLimiter)
            (void)m_failureLimiter->take(failureKey);
        HttpResponse r = errorResponse(401, errors::kUnauthenticated,
                                       "This server does not accept this device's credential. Enrol this device "
                                       "again with a new code from your administrator (it may have been enrolled "
                                       "with another server, or its enrolment removed).");
        r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigil\"");
        return r;
    };
    std::string_view auth = request.header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer)
        return unauthenticated();
    auth.remove_prefix(kBearer.size());
    auto token = auth.size() <= 64 ? base64UrlDecode(auth) : std::nullopt;
    if (!token || token->size() != 32) {
        if (token)
            sodium_memzero(token->data(), token->size());
        return unauthenticated();
    }
    const SecretHash hash = m_hasher.tokenHash(*token);
    const SecretHash receiptHash = m_hasher.receiptHash(wipeReceiptFor(*token).span());
    sodium_memzero(token->data(), token->size());
    // Limited per credential before the store is asked, so a flood costs no database work.
    if (auto limited = throttle(m_deviceLimiter.get(), toHex(std::span(hash).first(16)), true))
        return std::move(*limited);
    auto found = m_store.findDeviceByToken(hash);
    if (!found)
        return internalError(found.error(), "authenticate");
    if (!*found)
        return unauthenticated();
    DeviceIdentity identity = std::move(**found);
    if (!identity.device.hasWipeReceipt) {
        // Enrolled before wipe receipts existed: keep it now, so a later wipe can be reported.
        if (auto kept = m_store.setWipeReceipt(identity.device.id, receiptHash); !kept.ok())
            Log::write(LogLevel::Warn, "wipe_receipt_not_kept", {{"device", identity.device.id}});
    }
    if (identity.device.revokedAt) {
        HttpResponse r = errorResponse(403, errors::kDeviceRevoked,
                                       "This device was revoked by an administrator on " + dateOf(*identity.device.revokedAt)
                                           + " and can no longer sync. Contact your administrator.",
                                       {{"wipe", identity.device.wipe}});
        r.deviceId = identity.device.id;
        return r;
    }
    const std::int64_t t = now();
    // Not in contact for too long: the credential expires (issue 22). Never a wipe — what the
    // device holds unsent is precious — and re-enrolment keeps the device, its numbering and its
    // records (POST /v1/enrol with previous_token).
    const bool stale = m_expirySeconds > 0 && t - identity.device.lastSeenAt > m_expirySeconds;
    if (identity.device.expiredAt || stale) {
        if (!identity.device.expiredAt) {
            if (auto expired = m_store.expireDevice(identity.device.id, t); !expired.ok())
                return internalError(expired.error(), "expire device");
            Log::write(LogLevel::Info, "device_expired", {{"device", identity.device.id}});
        }
        const std::int64_t days = std::max<std::int64_t>(1, m_expirySeconds / 86400);
        HttpResponse r = errorResponse(
            403, errors::kDeviceExpired,
            "This device has not synced for more than " + std::to_string(days) + (days == 1 ? " day" : " days")
                + ", so its sign-in to the server has expired. Ask your administrator for a new enrolment code and "
                  "enter it on this device; nothing on the device is lost, and changes not yet sent go to the server "
                  "once it is enrolled again.",
            {{"wipe", false}});
        r.deviceId = identity.device.id;
        return r;
    }
    if (!identity.user.active) {
        HttpResponse r = errorResponse(403, errors::kUserInactive,
                                       "The account this device belongs to has been disabled. Contact your "
                                       "administrator.");
        r.deviceId = identity.device.id;
        return r;
    }
    if (m_metrics)
        m_metrics->deviceSeen(identity.device.id);
    if (identity.pendingToken) {
        // The device used its new credential: it holds it, so the old one stops working now.
        if (auto confirmed = m_store.confirmToken(identity.device.id, receiptHash, t); !confirmed.ok())
            return internalError(confirmed.error(), "confirm token");
        identity.pendingToken = false;
        identity.device.tokenIssuedAt = t;
        Log::write(LogLevel::Info, "device_token_rotated", {{"device", identity.device.id}});
    }
    // Last seen, at most once a minute (each write is an fsync).
    if (t - identity.device.lastSeenAt >= 60) {
        if (auto touched = m_store.touchDevice(identity.device.id, t); !touched.ok())
            return internalError(touched.error(), "touch device");
    }
    return identity;
}

HttpResponse RequestHandler::deviceStatus(const DeviceIdentity& identity)
{
    DeviceStatus status;
    status.deviceId = identity.device.id;
    status.user = identity.user.info;
    status.wipe = identity.device.wipe;
    status.rotateToken = rotationDue(identity);
    HttpResponse r = jsonResponse(200, toJson(status));
    r.deviceId = identity.device.id;
    return r;
}

bool RequestHandler::rotationDue(const DeviceIdentity& who) const
{
    return m_rotationSeconds > 0 && now() - who.device.tokenIssuedAt >= m_rotationSeconds;
}

HttpResponse RequestHandler::token(const DeviceIdentity& who)
{
    // The new credential is kept beside the one in use; the old one keeps working until the
    // device uses the new one, so a device that lost this answer is never stranded: it asks
    // again, and that replaces the new one it never received.
    SecureBytes fresh = SecureBytes::random(32);
    if (auto kept = m_store.issuePendingToken(who.device.id, m_hasher.tokenHash(fresh.span()), now()); !kept.ok())
        return internalError(kept.error(), "issue token");
    std::string text = base64UrlEncode(fresh.span());
    HttpResponse r = jsonResponse(200, nlohmann::json{{"token", text}});
    sodium_memzero(text.data(), text.size());
    r.sensitive = true;
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::sequence(const DeviceIdentity& who)
{
    // Asked by the device's credential holder only, and only here: a replayed push still learns
    // nothing (docs/sync-protocol.md, "A replayed or out-of-order push").
    auto last = m_store.lastSeq(who.device.id);
    if (!last)
        return internalError(last.error(), "sequence");
    auto incarnation = m_store.incarnation();
    if (!incarnation)
        return internalError(incarnation.error(), "incarnation");
    HttpResponse r = jsonResponse(200, nlohmann::json{{"last_seq", *last}, {"incarnation", *incarnation}});
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::directory(const DeviceIdentity& who)
{
    // The people a supervisor may allocate an investigation to: active police users in the
    // supervisor's scope. Only supervisors allocate, so only they are told who is there.
    const UserInfo& me = who.user.info;
    if (me.role != Role::Supervisor) {
        HttpResponse r = errorResponse(403, errors::kNotPermitted,
                                       "Only a supervisor allocates investigations, so only a supervisor's device "
                                       "receives the list of officers.");
        r.deviceId = who.device.id;
        return r;
    }
    auto users = m_store.listUsers();
    if (!users)
        return internalError(users.error(), "directory");
    nlohmann::json list = nlohmann::json::array();
    for (const UserRecord& u : *users) {
        const UserInfo& i = u.info;
        if (!u.active || (i.role != Role::Officer && i.role != Role::Investigator && i.role != Role::Supervisor))
            continue;
        const bool inScope = i.id == me.id || me.scope == Scope::All
                          || (me.scope == Scope::Borough && !me.borough.empty() && i.borough == me.borough)
                          || (me.scope == Scope::Team && !me.team.empty() && i.team == me.team && i.borough == me.borough);
        if (inScope)
            list.push_back(toJson(i));
    }
    HttpResponse r = jsonResponse(200, nlohmann::json{{"users", std::move(list)}});
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::figures(const DeviceIdentity& who, const std::string& target)
{
    // Figures only, never a record (issue 25): analysts and administrators, whose devices
    // receive no record at all (AccessRules), get counts already published as the board report
    // publishes them; anyone else sees figures on their own device, over what they may see.
    const UserInfo& me = who.user.info;
    const auto refuse = [&](unsigned status, std::string_view code, std::string words) {
        HttpResponse r = errorResponse(status, code, std::move(words));
        r.deviceId = who.device.id;
        return r;
    };
    if (me.role != Role::Analyst && me.role != Role::Admin) {
        return refuse(403, errors::kNotPermitted,
                      "The board's figures are for analysts and administrators. A supervisor's desk shows the figures "
                      "of the 124Ds you may see; ask your administrator if you need a borough's or the force's figures.");
    }
    std::string from;
    std::string to;
    std::vector<std::string> boroughs;
    for (const auto& [key, value] : queryParameters(target)) {
        auto text = value.size() <= 256 ? percentDecode(value) : std::nullopt;
        if (!text)
            return refuse(400, errors::kBadRequest, "A value of the figures request is malformed. Nothing was sent.");
        if (key == "from")
            from = *text;
        else if (key == "to")
            to = *text;
        else if (key == "borough" && !text->empty())
            boroughs.push_back(*text);
    }
    const auto first = parseIsoDate(from);
    const auto last = parseIsoDate(to);
    if (!first || !last || *first > *last || *last - *first > std::chrono::days(3660)) {
        return refuse(400, errors::kBadRequest,
                      "Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD, both days included, the first not after the "
                      "last and at most ten years apart. Nothing was sent.");
    }
    if (boroughs.size() > 64)
        return refuse(400, errors::kBadRequest, "Ask for at most 64 boroughs at a time. Nothing was sent.");
    // An analyst of one borough (any scope but "all") sees that borough's figures only.
    if (me.role == Role::Analyst && me.scope != Scope::All) {
        if (boroughs.empty())
            boroughs.push_back(me.borough);
        for (const std::string& b : boroughs) {
            if (b != me.borough) {
                return refuse(403, errors::kNotPermitted,
                              "Your account may see the figures of " + me.borough + " only. Ask your administrator "
                              "to widen your scope if you need other boroughs' figures.");
            }
        }
    }
    const std::string end = formatIsoDate(*last + std::chrono::days(1));
    if (boroughs.empty()) {
        auto held = m_store.figureBoroughs(from, end);
        if (!held) {
            if (held.error().code == ErrorCode::NotFound)
                return refuse(404, errors::kNotFound, "This server keeps no copy of the records to count figures from.");
            return internalError(held.error(), "figure boroughs");
        }
        boroughs = std::move(held).value();
    }
    std::vector<FigureSet> sets;
    for (const std::string& b : boroughs) {
        auto set = m_store.figures(FigureRequest{from, end, b, "", false});
        if (!set) {
            if (set.error().code == ErrorCode::NotFound)
                return refuse(404, errors::kNotFound, "This server keeps no copy of the records to count figures from.");
            return internalError(set.error(), "figures");
        }
        sets.push_back(std::move(set).value());
    }
    const BoardReport report = publishBoardReport(from, to, sets);
    if (auto audited = m_store.auditFigures("figures_disclosed", me.id, who.device.id,
                                            {{"from", from}, {"to", to}, {"boroughs", boroughs}}, now());
        !audited.ok())
        return internalError(audited.error(), "audit figures");
    HttpResponse r = jsonResponse(200, toJson(report));
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::bankHolidays(const DeviceIdentity& who)
{
    // The file as the administrator imported it (vigil-admin checked it with the core's parser);
    // the server passes it on without parsing it, and the device checks it again.
    auto held = m_store.bankHolidays();
    if (!held)
        return internalError(held.error(), "bank holidays");
    if (!*held) {
        HttpResponse r = errorResponse(404, errors::kNotFound,
                                       "This server holds no bank-holiday list of its own; the device keeps using the "
                                       "list it has.");
        r.deviceId = who.device.id;
        return r;
    }
    HttpResponse r;
    r.status = 200;
    r.body = std::move((*held)->text);
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::push(const DeviceIdentity& who, const std::string& body)
{
    auto json = parseJson(body);
    if (!json)
        return errorResponse(400, errors::kMalformedJson, "The sync batch is not valid JSON. Nothing was changed.");
    if (const auto ops = json->find("ops"); ops != json->end() && ops->is_array() && ops->size() > m_limits.maxOpsPerPush) {
        // Too big, not malformed: a device sends the same changes again in smaller batches.
        return errorResponse(413, errors::kBodyTooLarge,
                             "The sync batch holds " + std::to_string(ops->size()) + " changes; this server takes at most "
                                 + std::to_string(m_limits.maxOpsPerPush) + " at a time. Nothing was changed; send "
                                 "them in smaller batches.");
    }
    auto request = pushRequestFromJson(*json, m_limits.maxOpsPerPush);
    if (!request) {
        return errorResponse(400, errors::kBadRequest,
                             request.error().message + " (" + request.error().field + "). Nothing was changed.");
    }
    for (const auto& op : request->ops) {
        if (op.device != who.device.id) {
            return errorResponse(400, errors::kBadRequest,
                                 "The batch holds changes from another device. Nothing was changed; report this to "
                                 "support.");
        }
    }
    auto result = m_store.pushOps(who, request->ops, now());
    if (!result && result.error().code == ErrorCode::Rejected && result.error().field == "sequence") {
        // The same answer for a gap and for another op under a decided seq, naming no number
        // (docs/sync-protocol.md, "A replayed or out-of-order push").
        Log::write(LogLevel::Warn, "push_sequence_refused", {{"device", who.device.id}});
        HttpResponse r = errorResponse(409, errors::kSequenceRefused,
                                       "The server did not take these changes: their numbers do not follow on from "
                                       "the changes it holds from this device. Nothing was changed; they are kept on "
                                       "this device. Tell your administrator.");
        r.deviceId = who.device.id;
        return r;
    }
    if (!result && result.error().code == ErrorCode::Rejected && result.error().field == "quarantined") {
        // An administrator holds this device's changes back (vigil-admin quarantine): its pulls go
        // on, its pushes wait, and it says so in words (docs/sync-protocol.md, "Quarantine").
        Log::write(LogLevel::Warn, "push_quarantined", {{"device", who.device.id}});
        HttpResponse r = errorResponse(403, errors::kDeviceQuarantined,
                                       "Your administrator has put this device's changes on hold, so the server did "
                                       "not take them. Nothing was lost: they are kept on this device, and you still "
                                       "receive your team's changes. Contact your administrator to have the hold "
                                       "lifted.");
        r.deviceId = who.device.id;
        return r;
    }
    if (!result && result.error().code == ErrorCode::Rejected && result.error().field == "quota") {
        Log::write(LogLevel::Warn, "push_quota_exceeded", {{"device", who.device.id}});
        HttpResponse r = errorResponse(507, errors::kQuotaExceeded,
                                       "This device has used all the space the server keeps for one device, so the "
                                       "server did not take these changes. Nothing was lost: they are kept on this "
                                       "device, and you still receive your team's changes. Contact your "
                                       "administrator.");
        r.deviceId = who.device.id;
        return r;
    }
    if (!result)
        return internalError(result.error(), "push");
    HttpResponse r = jsonResponse(200, toJson(*result));
    r.deviceId = who.device.id;
    if (m_metrics) {
        std::int64_t settled = 0;
        for (const auto& op : request->ops)
            settled += op.seq <= result->ackedUpto ? 1 : 0;
        const auto refused = static_cast<std::int64_t>(result->rejected.size());
        m_metrics->countOpsPushed(settled - refused, refused);
    }
    if (!result->rejected.empty()) {
        Log::write(LogLevel::Warn, "ops_rejected",
                   {{"device", who.device.id}, {"count", result->rejected.size()}, {"first_error", result->rejected.front().error}});
    }
    return r;
}

HttpResponse RequestHandler::pull(const DeviceIdentity& who, const std::string& target)
{
    PullCursor cursor;
    std::size_t limit = m_limits.maxOpsPerPull;
    for (const auto& [key, value] : queryParameters(target)) {
        std::uint64_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        const bool number = ec == std::errc() && end == value.data() + value.size() && !value.empty()
            && n < (std::uint64_t{1} << 62);
        if (key == "cursor") {
            auto parsed = parsePullCursor(value);
            if (!parsed)
                return errorResponse(400, errors::kBadRequest, "The sync position (cursor) is malformed. Nothing was sent.");
            cursor = *parsed;
        } else if (key == "limit") {
            if (!number || n == 0)
                return errorResponse(400, errors::kBadRequest, "The page size (limit) must be a positive number.");
            limit = std::min<std::size_t>(n, m_limits.maxOpsPerPull);
        }
    }
    auto page = m_store.pullOps(who, cursor, limit, now());
    if (!page)
        return internalError(page.error(), "pull");
    // Which bank-holiday list the server holds: a device with an older one fetches it (1.3).
    auto holidays = m_store.bankHolidaysVersion();
    if (!holidays)
        return internalError(holidays.error(), "bank-holiday version");
    page->bankHolidays = *holidays;
    page->maxAutoLockMinutes = m_maxAutoLockMinutes;
    auto incarnation = m_store.incarnation();
    if (!incarnation)
        return internalError(incarnation.error(), "incarnation");
    page->incarnation = *incarnation;
    if (m_metrics) {
        m_metrics->countOpsPulled(static_cast<std::int64_t>(page->ops.size()));
        if (!page->more)
            m_metrics->countSync();
    }
    HttpResponse r;
    r.status = 200;
    r.body = toText(*page);
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::snapshot(const DeviceIdentity& who, const std::string& target)
{
    std::string from;
    std::size_t limit = m_limits.maxRowsPerSnapshot;
    for (const auto& [key, value] : queryParameters(target)) {
        if (key == "from") {
            if (value.size() > 1100)  // P.V and the hex of an incident id and a row's kind and id
                return errorResponse(400, errors::kBadRequest, "The snapshot position (from) is malformed. Nothing was sent; "
                                                                "the device starts its first download again.");
            from = std::string(value);
        } else if (key == "limit") {
            std::uint64_t n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || end != value.data() + value.size() || value.empty() || n == 0)
                return errorResponse(400, errors::kBadRequest, "The page size (limit) must be a positive number.");
            limit = std::min<std::size_t>(n, m_limits.maxRowsPerSnapshot);
        }
    }
    auto page = m_store.snapshotPage(who, from, limit, m_limits.snapshotPageBytes, now());
    if (!page) {
        if (page.error().code == ErrorCode::NotFound)
            return errorResponse(404, errors::kNotFound, "This server does not offer snapshots of the records. Nothing was "
                                                          "sent; the device downloads every change instead.");
        if (page.error().code == ErrorCode::InvalidArgument)
            return errorResponse(400, errors::kBadRequest, "The snapshot position (from) is malformed. Nothing was sent; "
                                                            "the device starts its first download again.");
        return internalError(page.error(), "snapshot");
    }
    if (m_metrics)
        m_metrics->countSnapshotRows(static_cast<std::int64_t>(page->rows.size()));
    HttpResponse r;
    r.status = 200;
    r.body = encodeSnapshotPage(*page);
    r.deviceId = who.device.id;
    return r;
}

HttpResponse RequestHandler::enrol(const std::string& body)
{
    auto json = parseJson(body);
    if (!json)
        return errorResponse(400, errors::kMalformedJson, "The enrolment request is not valid JSON. Nothing was changed.");
    auto request = enrolRequestFromJson(*json);
    if (!request)
        return errorResponse(400, errors::kBadRequest, request.error().message + " Nothing was changed.");
    auto codeId = normaliseCrockford(request->codeId);
    auto secret = normaliseCrockford(request->secret);
    sodium_memzero(request->secret.data(), request->secret.size());
    const auto invalid = [] {
        return errorResponse(403, errors::kCodeInvalid,
                             "This enrolment code is not valid. Check it was entered exactly as given; codes stop "
                             "working after a few wrong tries. Ask your administrator for a new code if it still fails.");
    };
    if (!codeId || !secret || codeId->size() != kCodeIdChars || secret->size() != kCodeSecretChars) {
        if (secret)
            sodium_memzero(secret->data(), secret->size());
        return invalid();
    }

    RedeemAttempt attempt;
    attempt.codeId = *codeId;
    attempt.secretHash = m_hasher.codeHash(*codeId, *secret);
    sodium_memzero(secret->data(), secret->size());
    attempt.now = now();
    attempt.newDevice.id = newUuid();
    attempt.newDevice.name = request->deviceName;
    SecureBytes token = SecureBytes::random(32);
    attempt.tokenHash = m_hasher.tokenHash(token.span());
    attempt.wipeReceiptHash = m_hasher.receiptHash(wipeReceiptFor(token.span()).span());
    if (!request->previousToken.empty()) {
        auto previous = request->previousToken.size() <= 64 ? base64UrlDecode(request->previousToken) : std::nullopt;
        sodium_memzero(request->previousToken.data(), request->previousToken.size());
        if (!previous || previous->size() != 32) {
            if (previous)
                sodium_memzero(previous->data(), previous->size());
            return invalid();
        }
        attempt.previousTokenHash = m_hasher.tokenHash(*previous);
        sodium_memzero(previous->data(), previous->size());
    }

    auto redeemed = m_store.redeemEnrolCode(attempt);
    if (!redeemed)
        return internalError(redeemed.error(), "redeem enrolment code");
    switch (redeemed->outcome) {
    case RedeemOutcome::Enrolled:
        break;
    case RedeemOutcome::UnknownCode:
    case RedeemOutcome::WrongSecret:
        return invalid();
    case RedeemOutcome::Expired:
        return errorResponse(403, errors::kCodeExpired,
                             "This enrolment code has expired. Ask your administrator for a new one and use it "
                             "straight away.");
    case RedeemOutcome::AlreadyUsed:
        return errorResponse(403, errors::kCodeUsed,
                             "This enrolment code has already been used; each code enrols one device once. Ask your "
                             "administrator for a new one.");
    case RedeemOutcome::TooManyTries:
        return errorResponse(403, errors::kCodeLocked,
                             "This enrolment code was entered wrongly too many times and no longer works. Ask your "
                             "administrator for a new one.");
    case RedeemOutcome::UserInactive:
        return errorResponse(403, errors::kUserInactive,
                             "The account this code was made for has been disabled. Contact your administrator.");
    case RedeemOutcome::ReenrolRefused:
        return errorResponse(403, errors::kReenrolRefused,
                             "This device cannot be enrolled again with this code: the code is for another user, or "
                             "the device was revoked. The code was not used. Ask your administrator to check the "
                             "device with `vigil-admin device status`.");
    }

    EnrolResponse reply;
    reply.deviceId = redeemed->deviceId.empty() ? attempt.newDevice.id : redeemed->deviceId;
    reply.token = base64UrlEncode(token.span());
    reply.user = redeemed->user->info;
    HttpResponse r = jsonResponse(200, toJson(reply));
    sodium_memzero(reply.token.data(), reply.token.size());
    r.sensitive = true;
    r.deviceId = reply.deviceId;
    Log::write(LogLevel::Info, "device_enrolled", {{"device", reply.deviceId}, {"code_id", attempt.codeId}});
    return r;
}

HttpResponse RequestHandler::wipeReport(const std::string& body)
{
    const auto notVerified = [] {
        return errorResponse(403, errors::kWipeReceiptInvalid,
                             "The server could not verify this wipe report, so it was not recorded. The data on "
                             "this device has already been erased; tell your administrator, who can check the "
                             "device with `vigil-admin device status`.");
    };
    auto json = parseJson(body);
    if (!json)
        return errorResponse(400, errors::kMalformedJson, "The wipe report is not valid JSON. Nothing was recorded.");
    auto report = wipeReportFromJson(*json);
    if (!report)
        return errorResponse(400, errors::kBadRequest, report.error().message + " Nothing was recorded.");
    auto receipt = report->receipt.size() <= 64 ? base64UrlDecode(report->receipt) : std::nullopt;
    if (!isUuid(report->deviceId) || !receipt || receipt->size() != 32) {
        if (receipt)
            sodium_memzero(receipt->data(), receipt->size());
        return notVerified();
    }
    const SecretHash hash = m_hasher.receiptHash(*receipt);
    sodium_memzero(receipt->data(), receipt->size());
    const nlohmann::json destroyed(report->destroyed);
    auto outcome = m_store.recordWipe(report->deviceId, hash, now(), report->reason, destroyed.dump());
    if (!outcome)
        return internalError(outcome.error(), "record wipe");
    if (*outcome == WipeRecordOutcome::NotVerified)
        return notVerified();
    if (*outcome == WipeRecordOutcome::Recorded) {
        Log::write(LogLevel::Info, "device_wiped", {{"device", report->deviceId}, {"reason", report->reason}});
        if (m_metrics)
            m_metrics->countWipeConfirmed();
    }
    HttpResponse r = jsonResponse(200, {{"recorded", true}});
    r.deviceId = report->deviceId;
    return r;
}

HttpResponse RequestHandler::attachment(const DeviceIdentity& who, const HttpRequest& request, std::string_view rest,
                                        const std::string& body)
{
    // rest: "{id}" or "{id}/chunks/{n}"
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    std::optional<std::int64_t> index;
    if (slash != std::string_view::npos) {
        constexpr std::string_view kChunks = "/chunks/";
        const std::string_view tail = rest.substr(slash);
        std::int64_t n = -1;
        const std::string_view digits = tail.substr(std::min(tail.size(), kChunks.size()));
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (tail.substr(0, kChunks.size()) != kChunks || ec != std::errc() || end != digits.data() + digits.size()
            || n < 0 || n >= kMaxAttachmentChunks)
            return errorResponse(404, errors::kNotFound, "There is nothing at this address on a Vigil server.");
        index = n;
    }
    if (!isUuid(id))
        return errorResponse(404, errors::kNotFound, "There is nothing at this address on a Vigil server.");
    const bool put = request.method == "PUT";
    if (request.method != "GET" && !(put && index)) {
        return errorResponse(405, errors::kMethodNotAllowed, index ? "Use GET or PUT for a photo part."
                                                                   : "Use GET for a photo's status.");
    }
    auto state = m_store.attachment(who, id);
    if (!state)
        return internalError(state.error(), "photo status");
    const auto done = [&](HttpResponse r) {
        r.deviceId = who.device.id;
        return r;
    };
    if (state->access == AttachmentAccess::Unknown) {
        return done(errorResponse(404, errors::kAttachmentUnknown,
                                  "The server has no record of this photo (or it is not yours to see). Sync the 124D "
                                  "first: the photo's record travels before its bytes."));
    }
    if (state->access == AttachmentAccess::Removed) {
        return done(errorResponse(410, errors::kAttachmentRemoved,
                                  "This photo was removed from the 124D, so it is not sent any more. Nothing to do."));
    }
    const AttachmentStatus& file = state->file;
    if (!index)
        return done(jsonResponse(200, toJson(file)));
    const std::string part = "part " + std::to_string(*index + 1) + " of " + std::to_string(file.chunks);

    if (!put) {
        if (!file.complete) {
            return done(errorResponse(409, errors::kAttachmentIncomplete,
                                      "This photo has not fully reached the server yet (" + std::to_string(file.received)
                                          + " of " + std::to_string(file.chunks)
                                          + " parts). The device that took it sends the rest when it syncs; try later.",
                                      {{"received", file.received}}));
        }
        auto bytes = m_store.attachmentChunk(who, *state, *index, now());
        if (!bytes)
            return internalError(bytes.error(), "read photo part");
        if (!*bytes)
            return done(errorResponse(404, errors::kNotFound, "This photo has no " + part + ". Check the part number."));
        AttachmentChunk chunk;
        chunk.id = id;
        chunk.index = *index;
        chunk.data = base64UrlEncode(**bytes);
        chunk.sha256 = sha256Hex(**bytes);
        chunk.size = file.size;
        chunk.fileSha256 = file.sha256;
        chunk.chunks = file.chunks;
        if (m_metrics)
            m_metrics->countAttachmentChunk(false, static_cast<std::int64_t>((*bytes)->size()));
        HttpResponse r = jsonResponse(200, toJson(chunk));
        r.sensitive = true;  // a photo of an injury: wiped from memory once written
        sodium_memzero((*bytes)->data(), (*bytes)->size());
        sodium_memzero(chunk.data.data(), chunk.data.size());
        return done(std::move(r));
    }

    // Upload.
    if (state->access != AttachmentAccess::Writable) {
        return done(errorResponse(403, errors::kNotAllowed,
                                  "You may see this photo but not add to it, so it was not accepted. Nothing was "
                                  "changed."));
    }
    if (file.complete)
        return done(jsonResponse(200, toJson(file)));  // a retried last part: already done
    auto json = parseJson(body);
    if (!json)
        return done(errorResponse(400, errors::kMalformedJson, "The photo part is not valid JSON. Nothing was kept."));
    auto chunk = attachmentChunkFromJson(*json);
    if (!chunk)
        return done(errorResponse(400, errors::kBadRequest, chunk.error().message + " Nothing was kept."));
    if (chunk->id != id || chunk->index != *index || chunk->size != file.size || chunk->fileSha256 != file.sha256
        || chunk->chunks != file.chunks) {
        return done(errorResponse(409, errors::kAttachmentMismatch,
                                  "This photo part does not match the photo's record on the server (size, check or "
                                  "number of parts). Nothing was kept; sync the 124D, then the photo is sent again.",
                                  {{"received", file.received}}));
    }
    if (*index < file.received)
        return done(jsonResponse(200, toJson(file)));  // already confirmed (a lost answer): nothing to do
    if (*index > file.received) {
        return done(errorResponse(409, errors::kChunkOutOfOrder,
                                  "The server has " + std::to_string(file.received) + " of " + std::to_string(file.chunks)
                                      + " parts of this photo and expected part " + std::to_string(file.received + 1)
                                      + " next. Nothing was kept; sending resumes from there.",
                                  {{"received", file.received}}));
    }
    auto bytes = base64UrlDecode(chunk->data);
    if (!bytes || bytes->empty() || bytes->size() > kMaxAttachmentChunkBytes || sha256Hex(*bytes) != chunk->sha256) {
        if (bytes)
            sodium_memzero(bytes->data(), bytes->size());
        return done(errorResponse(422, errors::kChunkDamaged,
                                  "The photo's " + part
                                      + " arrived damaged (its check does not match). It was not kept; it is sent "
                                        "again.",
                                  {{"received", file.received}}));
    }
    auto stored = m_store.storeAttachmentChunk(who, *state, *index, *bytes, now());
    const auto size = static_cast<std::int64_t>(bytes->size());
    sodium_memzero(bytes->data(), bytes->size());
    if (!stored)
        return internalError(stored.error(), "store photo part");
    if (m_metrics)
        m_metrics->countAttachmentChunk(true, size);
    if (stored->wholeMismatch) {
        Log::write(LogLevel::Warn, "attachment_hash_mismatch", {{"device", who.device.id}});
        return done(errorResponse(422, errors::kAttachmentHashMismatch,
                                  "The photo's parts do not add up to the photo its record describes (its content "
                                  "check failed). The server kept none of it; the device sends it again from the "
                                  "start.",
                                  {{"received", 0}}));
    }
    return done(jsonResponse(200, toJson(stored->file)));
}

}  // namespace vigil::sync
