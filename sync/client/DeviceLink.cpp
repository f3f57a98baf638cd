#include "sync/client/DeviceLink.h"

#include <chrono>
#include <ctime>

#include <sodium.h>

#include "core/store/SecureBytes.h"
#include "sync/common/WipeReceipt.h"
#include "sync/protocol/EnrolmentCode.h"

namespace vigil::sync {

namespace {

constexpr std::string_view kTokenEntry = "sync.token";
constexpr std::string_view kEnrolmentEntry = "sync.enrolment";
/// A wipe report still owed to the server: where to send it and the one-shot receipt. Kept in
/// the key store, the one thing that survives a wipe, until the server has recorded it.
constexpr std::string_view kWipeReportEntry = "sync.wipe-report";

std::string utcNow()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

nlohmann::json enrolmentToJson(const DeviceEnrolment& e)
{
    return {{"host", e.server.host},   {"port", e.server.port}, {"pin", pinToText(e.server.pin)},
            {"device_id", e.deviceId}, {"user", toJson(e.user)}};
}

Result<DeviceEnrolment> enrolmentFromJson(const nlohmann::json& j)
{
    const auto damaged = [] {
        return makeError(ErrorCode::Corrupt, "This device's enrolment record in the key store is damaged. Enrol the "
                                             "device again with a new code from your administrator.");
    };
    if (!j.is_object() || !j.contains("host") || !j["host"].is_string() || !j.contains("port")
        || !j["port"].is_number_unsigned() || !j.contains("pin") || !j["pin"].is_string() || !j.contains("device_id")
        || !j["device_id"].is_string() || !j.contains("user"))
        return damaged();
    DeviceEnrolment e;
    e.server.host = j["host"].get<std::string>();
    const auto port = j["port"].get<std::uint64_t>();
    auto pin = pinFromText(j["pin"].get<std::string>());
    auto user = userInfoFromJson(j["user"]);
    if (port == 0 || port > 65535 || !pin || !user)
        return damaged();
    e.server.port = static_cast<std::uint16_t>(port);
    e.server.pin = *pin;
    e.deviceId = j["device_id"].get<std::string>();
    e.user = std::move(user).value();
    return e;
}

}  // namespace

Error errorFromResponse(const ClientResponse& response)
{
    const std::string words = response.error ? response.error->message
                                             : "The server refused the request (HTTP " + std::to_string(response.status) + ").";
    const std::string_view kind = response.error ? std::string_view(response.error->error) : std::string_view();
    ErrorCode code = ErrorCode::Internal;
    if (response.status == 401 || kind == errors::kUserInactive || kind == errors::kDeviceExpired)
        code = ErrorCode::Unauthorised;
    else if (kind == errors::kDeviceRevoked)
        code = ErrorCode::Revoked;
    else if (response.status == 426)
        code = ErrorCode::UpdateRequired;
    else if (response.status == 403)
        code = ErrorCode::Rejected;  // e.g. an enrolment code refused: the words say which way
    else if (response.status == 408 || response.status == 429 || response.status == 502 || response.status == 503
             || response.status == 504)
        code = ErrorCode::Network;
    else if (response.status >= 400 && response.status < 500)
        code = ErrorCode::InvalidArgument;
    return makeError(code, words);
}

DeviceLink::DeviceLink(SyncClient& client, SecretStore& secrets, std::string profile)
    : m_client(client), m_secrets(secrets), m_profile(std::move(profile))
{
}

std::string DeviceLink::entry(std::string_view name) const
{
    return m_profile + "/" + std::string(name);
}

Result<DeviceEnrolment> DeviceLink::enrol(std::string_view codeText, std::string deviceName)
{
    auto existing = enrolment();
    if (!existing)
        return std::move(existing).error();
    std::string previousToken;
    if (*existing) {
        // Enrolled already: only a device whose credential expired enrols again (the old
        // credential names the device, so the server keeps its id). Anything else is refused here,
        // and nothing is sent.
        auto standing = checkStanding();
        if (!standing || standing->state != DeviceStanding::State::Expired) {
            return makeError(ErrorCode::AlreadyExists,
                             "This device is already enrolled (device " + (*existing)->deviceId
                                 + ")" + (standing && standing->state == DeviceStanding::State::Revoked
                                              ? " and was revoked; it cannot be enrolled again. Ask your administrator."
                                              : ". Nothing was changed."));
        }
        auto held = m_secrets.read(entry(kTokenEntry));
        if (!held)
            return std::move(held).error();
        if (!*held) {
            return makeError(ErrorCode::AlreadyExists, "This device is already enrolled (device " + (*existing)->deviceId
                                                           + "). Nothing was changed.");
        }
        previousToken = base64UrlEncode((*held)->span());
    }
    auto code = parseEnrolmentCode(codeText);
    if (!code) {
        sodium_memzero(previousToken.data(), previousToken.size());
        return std::move(code).error();
    }

    ServerEndpoint server{code->host, code->port, code->pin};
    EnrolRequest body{code->codeId, code->secret, std::move(deviceName), previousToken};
    sodium_memzero(previousToken.data(), previousToken.size());
    sodium_memzero(code->secret.data(), code->secret.size());
    ClientRequest request;
    request.method = "POST";
    request.target = "/v1/enrol";
    request.body = toJson(body).dump();
    sodium_memzero(body.secret.data(), body.secret.size());
    sodium_memzero(body.previousToken.data(), body.previousToken.size());
    auto response = m_client.send(server, std::move(request));
    if (!response)
        return std::move(response).error();
    if (response->status != 200)
        return errorFromResponse(*response);

    auto json = parseJson(response->body);
    sodium_memzero(response->body.data(), response->body.size());
    if (!json)
        return makeError(ErrorCode::Corrupt, "The server's enrolment answer is not valid JSON. Try again with a new code.");
    auto reply = enrolResponseFromJson(*json);
    if (!reply)
        return std::move(reply).error();
    auto token = base64UrlDecode(reply->token);
    sodium_memzero(reply->token.data(), reply->token.size());
    if (!token || token->size() != 32)
        return makeError(ErrorCode::Corrupt, "The server sent a malformed device credential. Try again with a new code.");

    if (*existing && reply->deviceId != (*existing)->deviceId) {
        sodium_memzero(token->data(), token->size());
        return makeError(ErrorCode::Corrupt, "The server enrolled this device under another id. Nothing was changed; "
                                             "tell your administrator.");
    }
    DeviceEnrolment enrolment{server, reply->deviceId, reply->user};
    const std::string record = enrolmentToJson(enrolment).dump();
    // Token first: an enrolment record without its token reads as "not enrolled".
    Status stored = m_secrets.write(entry(kTokenEntry), *token);
    sodium_memzero(token->data(), token->size());
    if (stored.ok())
        stored = m_secrets.write(entry(kEnrolmentEntry),
                                 {reinterpret_cast<const unsigned char*>(record.data()), record.size()});
    if (!stored.ok()) {
        (void)forget();
        return makeError(stored.error().code, "The device was enrolled but its credential could not be saved in the "
                                              "key store: "
                                                  + stored.error().message
                                                  + " Ask your administrator to revoke device " + enrolment.deviceId
                                                  + " and give you a new code.");
    }
    return enrolment;
}

Result<std::optional<DeviceEnrolment>> DeviceLink::enrolment()
{
    auto record = m_secrets.read(entry(kEnrolmentEntry));
    if (!record)
        return std::move(record).error();
    if (!*record)
        return std::optional<DeviceEnrolment>();
    auto token = m_secrets.read(entry(kTokenEntry));
    if (!token)
        return std::move(token).error();
    if (!*token)
        return std::optional<DeviceEnrolment>();
    auto json = parseJson((*record)->view());
    if (!json)
        return makeError(ErrorCode::Corrupt, "This device's enrolment record in the key store is damaged. Enrol again.");
    auto e = enrolmentFromJson(*json);
    if (!e)
        return std::move(e).error();
    return std::optional<DeviceEnrolment>(std::move(e).value());
}

Result<ClientResponse> DeviceLink::request(ClientRequest request)
{
    auto e = enrolment();
    if (!e)
        return std::move(e).error();
    if (!*e)
        return makeError(ErrorCode::NotFound, "This device is not enrolled. Enrol it with a code from your administrator.");
    auto token = m_secrets.read(entry(kTokenEntry));
    if (!token)
        return std::move(token).error();
    if (!*token)
        return makeError(ErrorCode::NotFound, "This device is not enrolled. Enrol it with a code from your administrator.");
    request.bearer = base64UrlEncode((*token)->span());
    return m_client.send((*e)->server, std::move(request));
}

Result<std::unique_ptr<SyncTransport>> DeviceLink::session()
{
    auto e = enrolment();
    if (!e)
        return std::move(e).error();
    auto token = m_secrets.read(entry(kTokenEntry));
    if (!token)
        return std::move(token).error();
    if (!*e || !*token)
        return makeError(ErrorCode::NotFound, "This device is not enrolled. Enrol it with a code from your administrator.");
    auto live = std::make_shared<LiveToken>();
    live->token = std::move(**token);
    m_live = live;
    return std::unique_ptr<SyncTransport>(new DeviceSession(m_client, (*e)->server, std::move(live)));
}

DeviceSession::DeviceSession(SyncClient& client, ServerEndpoint server, std::shared_ptr<DeviceLink::LiveToken> token)
    : m_client(client), m_server(std::move(server)), m_token(std::move(token))
{
}

DeviceSession::DeviceSession(SyncClient& client, ServerEndpoint server, SecureBytes token)
    : m_client(client), m_server(std::move(server)), m_token(std::make_shared<DeviceLink::LiveToken>())
{
    m_token->token = std::move(token);
}

Result<ClientResponse> DeviceSession::request(ClientRequest request)
{
    const auto current = [this] {
        std::lock_guard lock(m_token->mutex);
        return base64UrlEncode(m_token->token.span());
    };
    std::string sent = current();
    ClientRequest again = request;  // kept for one retry with a credential rotated meanwhile
    request.bearer = sent;
    auto response = m_client.send(m_server, std::move(request));
    if (response && response->status == 401) {
        std::string now = current();
        if (now != sent) {
            again.bearer = now;
            response = m_client.send(m_server, std::move(again));
        }
        sodium_memzero(now.data(), now.size());
    }
    sodium_memzero(sent.data(), sent.size());
    return response;
}

Status DeviceLink::rotateCredential()
{
    ClientRequest ask;
    ask.method = "POST";
    ask.target = std::string(kTokenPath);
    auto response = request(std::move(ask));
    if (!response)
        return std::move(response).error();
    if (response->status != 200)
        return errorFromResponse(*response);
    auto json = parseJson(response->body);
    sodium_memzero(response->body.data(), response->body.size());
    if (!json || !json->is_object() || !json->contains("token") || !(*json)["token"].is_string())
        return makeError(ErrorCode::Corrupt, "The server's new credential could not be read; the current one stays.");
    auto token = base64UrlDecode((*json)["token"].get_ref<std::string&>());
    sodium_memzero((*json)["token"].get_ref<std::string&>().data(), (*json)["token"].get_ref<std::string&>().size());
    if (!token || token->size() != 32)
        return makeError(ErrorCode::Corrupt, "The server's new credential is malformed; the current one stays.");
    // Kept before it is used: until the server sees it used, the old one still works.
    Status stored = m_secrets.write(entry(kTokenEntry), *token);
    if (!stored.ok()) {
        sodium_memzero(token->data(), token->size());
        return stored;
    }
    if (m_live) {
        std::lock_guard lock(m_live->mutex);
        m_live->token = SecureBytes(token->data(), token->size());
    }
    sodium_memzero(token->data(), token->size());
    // Used once now, so the server retires the old one at once (else at the next request).
    ClientRequest confirm;
    confirm.method = "GET";
    confirm.target = "/v1/device";
    (void)request(std::move(confirm));
    return {};
}

Result<DeviceStanding> DeviceLink::checkStanding()
{
    ClientRequest req;
    req.method = "GET";
    req.target = "/v1/device";
    auto response = request(std::move(req));
    if (!response)
        return std::move(response).error();
    DeviceStanding standing;
    if (response->status == 200) {
        auto json = parseJson(response->body);
        if (!json)
            return makeError(ErrorCode::Corrupt, "The server's answer is not valid JSON.");
        auto status = deviceStatusFromJson(*json);
        if (!status)
            return std::move(status).error();
        standing.wipe = status->wipe;
        const bool rotate = status->rotateToken;
        standing.status = std::move(status).value();
        if (rotate && !standing.wipe)
            standing.rotated = rotateCredential().ok();  // else the next check tries again
        return standing;
    }
    if (response->status == 403 && response->error && response->error->error == errors::kDeviceExpired) {
        standing.state = DeviceStanding::State::Expired;
        standing.message = response->error->message;
        return standing;
    }
    if (response->status == 403 && response->error && response->error->error == errors::kDeviceRevoked) {
        standing.state = DeviceStanding::State::Revoked;
        standing.wipe = response->wipe;
        standing.message = response->error->message;
        return standing;
    }
    if (response->status == 401) {
        standing.state = DeviceStanding::State::Unknown;
        standing.message = response->error ? response->error->message : "The server does not know this device.";
        return standing;
    }
    return errorFromResponse(*response);
}

Status DeviceLink::forget()
{
    Status a = m_secrets.remove(entry(kTokenEntry));
    Status b = m_secrets.remove(entry(kEnrolmentEntry));
    if (!a.ok())
        return a;
    return b;
}

Result<bool> DeviceLink::wipeReportPending()
{
    auto kept = m_secrets.read(entry(kWipeReportEntry));
    if (!kept)
        return std::move(kept).error();
    return kept->has_value();
}

Result<bool> DeviceLink::reportPendingWipe()
{
    auto kept = m_secrets.read(entry(kWipeReportEntry));
    if (!kept)
        return std::move(kept).error();
    if (!*kept)
        return false;
    auto json = parseJson((*kept)->view());
    const auto damaged = [this]() -> Error {
        (void)m_secrets.remove(entry(kWipeReportEntry));
        return makeError(ErrorCode::Corrupt, "The wipe report kept on this device is damaged and was dropped. The "
                                             "data was erased; tell your administrator so they can mark the device "
                                             "as wiped.");
    };
    if (!json || !json->is_object())
        return damaged();
    auto pin = pinFromText(json->value("pin", std::string()));
    const auto port = json->value("port", 0U);
    if (!pin || port == 0 || port > 65535 || !json->contains("report"))
        return damaged();
    ServerEndpoint server{json->value("host", std::string()), static_cast<std::uint16_t>(port), *pin};
    auto report = wipeReportFromJson((*json)["report"]);
    if (!report)
        return damaged();
    ClientRequest request;
    request.method = "POST";
    request.target = "/v1/wipe-report";
    request.body = toJson(*report).dump();
    sodium_memzero(report->receipt.data(), report->receipt.size());
    auto response = m_client.send(server, std::move(request));
    if (!response)
        return std::move(response).error();  // kept: sent again next time
    if (response->status == 200) {
        VIGIL_TRY(m_secrets.remove(entry(kWipeReportEntry)));
        return true;
    }
    if (response->status == 403 && response->error && response->error->error == errors::kWipeReceiptInvalid) {
        // The server will never accept this one: stop trying, say what to do.
        (void)m_secrets.remove(entry(kWipeReportEntry));
        return makeError(ErrorCode::Rejected, response->error->message);
    }
    return errorFromResponse(*response);  // e.g. rate limited: kept, sent again next time
}

Result<WipeOutcome> DeviceLink::wipe(WipeReason reason, const DestroyLocalData& destroy)
{
    WipeOutcome out;
    out.ordered = true;
    auto e = enrolment();
    auto token = m_secrets.read(entry(kTokenEntry));
    // 1. The one-shot receipt and where to send it, kept where the wipe does not reach.
    bool reportKept = false;
    if (e && *e && token && *token) {
        SecureBytes receipt = wipeReceiptFor((*token)->span());
        WipeReport report;
        report.deviceId = (*e)->deviceId;
        report.receipt = base64UrlEncode(receipt.span());
        report.reason = reason == WipeReason::Remote ? "remote" : "user";
        report.wipedAt = utcNow();
        report.destroyed = {"data key", "device secret", "records database", "device credential"};
        nlohmann::json record = {{"host", (*e)->server.host},
                                 {"port", (*e)->server.port},
                                 {"pin", pinToText((*e)->server.pin)},
                                 {"report", toJson(report)}};
        std::string text = record.dump();
        reportKept = m_secrets.write(entry(kWipeReportEntry),
                                     {reinterpret_cast<const unsigned char*>(text.data()), text.size()}).ok();
        sodium_memzero(text.data(), text.size());
        sodium_memzero(report.receipt.data(), report.receipt.size());
    }
    // 2. Destroy the data, 3. then the credential: whatever happened above, never wait.
    Status destroyed = destroy ? destroy() : Status();
    Status forgotten = forget();
    if (!destroyed.ok()) {
        return makeError(destroyed.error().code, "This device could not erase Vigil's data: " + destroyed.error().message
                                                     + " Turn the device off and hand it to your administrator.");
    }
    if (!forgotten.ok()) {
        return makeError(forgotten.error().code, "Vigil's records were erased, but the device credential could not be "
                                                 "removed from the key store: "
                                                     + forgotten.error().message
                                                     + " Tell your administrator, who will revoke the device.");
    }
    out.wiped = true;
    // 4. Report with the receipt (the credential is gone).
    if (!reportKept) {
        out.message = "Vigil's data on this device has been erased. The server could not be told (no receipt could be "
                      "kept); tell your administrator.";
        return out;
    }
    auto reported = reportPendingWipe();
    out.reported = reported && *reported;
    out.message = out.reported ? "Vigil's data on this device has been erased and the server has recorded it."
                               : "Vigil's data on this device has been erased. The server will be told the next time "
                                 "this device can reach it.";
    return out;
}

Result<WipeOutcome> DeviceLink::checkAndWipe(const DestroyLocalData& destroy)
{
    WipeOutcome out;
    auto owed = wipeReportPending();
    if (!owed)
        return std::move(owed).error();
    if (*owed) {
        // Already wiped; only the report is left to deliver.
        out.ordered = true;
        out.wiped = true;
        auto reported = reportPendingWipe();
        if (!reported)
            return std::move(reported).error();
        out.reported = *reported;
        out.message = "This device was wiped earlier; the server has now recorded it.";
        return out;
    }
    auto e = enrolment();
    if (!e)
        return std::move(e).error();
    if (!*e) {
        out.message = "This device is not enrolled: there is nothing to check.";
        return out;
    }
    auto standing = checkStanding();
    if (!standing)
        return std::move(standing).error();
    if (!standing->wipe) {
        out.message = standing->state == DeviceStanding::State::Active ? "No wipe ordered." : standing->message;
        return out;
    }
    return wipe(WipeReason::Remote, destroy);
}

}  // namespace vigil::sync
