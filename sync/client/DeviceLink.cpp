#include "sync/client/DeviceLink.h"

#include <sodium.h>

#include "core/store/SecureBytes.h"
#include "sync/protocol/EnrolmentCode.h"

namespace vigil::sync {

namespace {

constexpr std::string_view kTokenEntry = "sync.token";
constexpr std::string_view kEnrolmentEntry = "sync.enrolment";

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
    if (response.status == 401 || kind == errors::kUserInactive)
        code = ErrorCode::Unauthorised;
    else if (kind == errors::kDeviceRevoked)
        code = ErrorCode::Revoked;
    else if (response.status == 426)
        code = ErrorCode::UpdateRequired;
    else if (response.status == 403)
        code = ErrorCode::Rejected;  // e.g. an enrolment code refused: the words say which way
    else if (response.status == 408 || response.status == 502 || response.status == 503 || response.status == 504)
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
    if (*existing) {
        return makeError(ErrorCode::AlreadyExists, "This device is already enrolled (device " + (*existing)->deviceId
                                                       + "). Nothing was changed.");
    }
    auto code = parseEnrolmentCode(codeText);
    if (!code)
        return std::move(code).error();

    ServerEndpoint server{code->host, code->port, code->pin};
    EnrolRequest body{code->codeId, code->secret, std::move(deviceName)};
    sodium_memzero(code->secret.data(), code->secret.size());
    ClientRequest request;
    request.method = "POST";
    request.target = "/v1/enrol";
    request.body = toJson(body).dump();
    sodium_memzero(body.secret.data(), body.secret.size());
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
    return std::unique_ptr<SyncTransport>(new DeviceSession(m_client, (*e)->server, std::move(**token)));
}

DeviceSession::DeviceSession(SyncClient& client, ServerEndpoint server, SecureBytes token)
    : m_client(client), m_server(std::move(server)), m_token(std::move(token))
{
}

Result<ClientResponse> DeviceSession::request(ClientRequest request)
{
    request.bearer = base64UrlEncode(m_token.span());
    return m_client.send(m_server, std::move(request));
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
        standing.status = std::move(status).value();
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

}  // namespace vigil::sync
