#include "sync/protocol/Protocol.h"

#include <array>
#include <charconv>
#include <limits>
#include <tuple>

#include "core/common/JsonText.h"
#include "core/records/DevicePolicy.h"
#include "sync/protocol/Encoding.h"

namespace vigil::sync {

namespace {

Error malformed(const std::string& what, const std::string& field = {})
{
    return makeError(ErrorCode::InvalidArgument, "The message is malformed: " + what + ".", field);
}

const std::string* textField(const nlohmann::json& json, const char* key)
{
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoles = {{
    {Role::Officer, "officer"},
    {Role::Investigator, "investigator"},
    {Role::Idva, "idva"},
    {Role::Supervisor, "supervisor"},
    {Role::Analyst, "analyst"},
    {Role::Admin, "admin"},
}};

constexpr std::array<std::pair<Scope, std::string_view>, 4> kScopes = {{
    {Scope::Self, "self"},
    {Scope::Team, "team"},
    {Scope::Borough, "borough"},
    {Scope::All, "all"},
}};

}  // namespace

std::optional<ProtocolVersion> parseProtocolVersion(std::string_view text) noexcept
{
    const auto number = [](std::string_view part) -> std::optional<int> {
        if (part.empty() || part.size() > 4)
            return std::nullopt;
        int value = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (ec != std::errc() || end != part.data() + part.size() || value < 0)
            return std::nullopt;
        return value;
    };
    const auto dot = text.find('.');
    auto major = number(text.substr(0, dot));
    if (!major)
        return std::nullopt;
    if (dot == std::string_view::npos)
        return ProtocolVersion{*major, 0};
    auto minor = number(text.substr(dot + 1));
    if (!minor)
        return std::nullopt;
    return ProtocolVersion{*major, *minor};
}

std::string protocolVersionText()
{
    return std::to_string(kProtocolMajor) + "." + std::to_string(kProtocolMinor);
}

std::string_view roleName(Role role) noexcept
{
    for (const auto& [r, name] : kRoles) {
        if (r == role)
            return name;
    }
    return "officer";
}

std::optional<Role> roleFromName(std::string_view name) noexcept
{
    for (const auto& [r, n] : kRoles) {
        if (n == name)
            return r;
    }
    return std::nullopt;
}

std::string_view scopeName(Scope scope) noexcept
{
    for (const auto& [s, name] : kScopes) {
        if (s == scope)
            return name;
    }
    return "self";
}

std::optional<Scope> scopeFromName(std::string_view name) noexcept
{
    for (const auto& [s, n] : kScopes) {
        if (n == name)
            return s;
    }
    return std::nullopt;
}

Scope defaultScope(Role role) noexcept
{
    switch (role) {
    case Role::Officer:
    case Role::Investigator:
        return Scope::Team;
    case Role::Supervisor:
        return Scope::Borough;
    case Role::Analyst:
        return Scope::All;
    case Role::Idva:
    case Role::Admin:
        break;
    }
    return Scope::Self;
}

nlohmann::json toJson(const ErrorBody& body)
{
    return {{"error", body.error}, {"message", body.message}};
}

nlohmann::json toJson(const UserInfo& user)
{
    return {
        {"id", user.id},
        {"display_name", user.displayName},
        {"role", roleName(user.role)},
        {"team", user.team},
        {"borough", user.borough},
        {"scope", scopeName(user.scope)},
        {"restricted_clearance", user.restrictedClearance},
    };
}

nlohmann::json toJson(const EnrolRequest& request)
{
    nlohmann::json j = {{"code_id", request.codeId}, {"secret", request.secret}, {"device_name", request.deviceName}};
    if (!request.previousToken.empty())
        j["previous_token"] = request.previousToken;
    return j;
}

nlohmann::json toJson(const EnrolResponse& response)
{
    return {{"device_id", response.deviceId}, {"token", response.token}, {"user", toJson(response.user)}};
}

nlohmann::json toJson(const DeviceStatus& status)
{
    nlohmann::json j = {{"device_id", status.deviceId}, {"user", toJson(status.user)}, {"wipe", status.wipe}};
    if (status.rotateToken)
        j["rotate_token"] = true;
    return j;
}

nlohmann::json toJson(const Health& health)
{
    return {{"status", health.status}, {"protocol", health.protocol}};
}

Result<ErrorBody> errorBodyFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("an error reply must be a JSON object");
    const std::string* error = textField(json, "error");
    const std::string* message = textField(json, "message");
    if (!error || !message)
        return malformed("an error reply needs text fields error and message", "error");
    return ErrorBody{*error, *message};
}

Result<UserInfo> userInfoFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("user must be a JSON object", "user");
    UserInfo user;
    for (auto [key, out] : {std::pair{"id", &user.id}, std::pair{"display_name", &user.displayName},
                            std::pair{"team", &user.team}, std::pair{"borough", &user.borough}}) {
        const std::string* v = textField(json, key);
        if (!v)
            return malformed(std::string("user.") + key + " missing or not text", std::string("user.") + key);
        *out = *v;
    }
    const std::string* role = textField(json, "role");
    auto r = role ? roleFromName(*role) : std::nullopt;
    if (!r)
        return malformed("user.role is not a known role", "user.role");
    user.role = *r;
    const std::string* scope = textField(json, "scope");
    auto s = scope ? scopeFromName(*scope) : std::nullopt;
    if (!s)
        return malformed("user.scope is not a known scope", "user.scope");
    user.scope = *s;
    auto clearance = json.find("restricted_clearance");
    if (clearance == json.end() || !clearance->is_boolean())
        return malformed("user.restricted_clearance must be true or false", "user.restricted_clearance");
    user.restrictedClearance = clearance->get<bool>();
    return user;
}

Result<EnrolRequest> enrolRequestFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("the enrolment request must be a JSON object");
    EnrolRequest request;
    for (auto [key, out] : {std::pair{"code_id", &request.codeId}, std::pair{"secret", &request.secret}}) {
        const std::string* v = textField(json, key);
        if (!v || v->empty() || v->size() > 64)
            return malformed(std::string(key) + " missing, empty or too long", key);
        *out = *v;
    }
    if (const std::string* name = textField(json, "device_name")) {
        if (name->size() > 128)
            return malformed("device_name is longer than 128 characters", "device_name");
        request.deviceName = *name;
    }
    if (const std::string* previous = textField(json, "previous_token")) {
        if (previous->size() > 64)
            return malformed("previous_token is too long", "previous_token");
        request.previousToken = *previous;
    }
    return request;
}

Result<EnrolResponse> enrolResponseFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("the enrolment reply must be a JSON object");
    EnrolResponse response;
    const std::string* device = textField(json, "device_id");
    const std::string* token = textField(json, "token");
    if (!device || device->empty())
        return malformed("device_id missing", "device_id");
    if (!token || token->empty())
        return malformed("token missing", "token");
    response.deviceId = *device;
    response.token = *token;
    auto user = json.find("user");
    if (user == json.end())
        return malformed("user missing", "user");
    auto info = userInfoFromJson(*user);
    if (!info)
        return std::move(info).error();
    response.user = std::move(info).value();
    return response;
}

Result<DeviceStatus> deviceStatusFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("the device status must be a JSON object");
    DeviceStatus status;
    const std::string* device = textField(json, "device_id");
    if (!device)
        return malformed("device_id missing", "device_id");
    status.deviceId = *device;
    auto user = json.find("user");
    if (user == json.end())
        return malformed("user missing", "user");
    auto info = userInfoFromJson(*user);
    if (!info)
        return std::move(info).error();
    status.user = std::move(info).value();
    auto wipe = json.find("wipe");
    if (wipe == json.end() || !wipe->is_boolean())
        return malformed("wipe must be true or false", "wipe");
    status.wipe = wipe->get<bool>();
    if (auto rotate = json.find("rotate_token"); rotate != json.end() && rotate->is_boolean())
        status.rotateToken = rotate->get<bool>();
    return status;
}

namespace {

void appendOps(std::string& out, const std::vector<Op>& ops)
{
    out += '[';
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (i > 0)
            out += ',';
        appendOpJson(out, ops[i]);
    }
    out += ']';
}

}  // namespace

std::string toText(const PushRequest& request)
{
    std::string out = "{\"ops\":";
    appendOps(out, request.ops);
    out += '}';
    return out;
}

nlohmann::json toJson(const PushResponse& response)
{
    nlohmann::json rejected = nlohmann::json::array();
    for (const auto& r : response.rejected)
        rejected.push_back({{"seq", r.seq}, {"error", r.error}, {"message", r.message}, {"field", r.field}});
    return {{"acked_upto", response.ackedUpto}, {"rejected", std::move(rejected)}};
}

std::string toText(const PullResponse& response)
{
    // Keys in nlohmann's (sorted) order.
    std::string out = "{";
    if (response.bankHolidays > 0)
        out += "\"bank_holidays\":" + std::to_string(response.bankHolidays) + ',';
    out += "\"cursor\":";
    vigil::json::appendString(out, response.cursor);
    out += ",\"forget\":[";
    for (std::size_t i = 0; i < response.forget.size(); ++i) {
        if (i > 0)
            out += ',';
        vigil::json::appendString(out, response.forget[i]);
    }
    out += ']';
    if (!response.incarnation.empty()) {
        out += ",\"incarnation\":";
        vigil::json::appendString(out, response.incarnation);
    }
    out += response.more ? ",\"more\":true,\"ops\":" : ",\"more\":false,\"ops\":";
    appendOps(out, response.ops);
    if (response.maxAutoLockMinutes > 0)
        out += ",\"policy\":{\"max_auto_lock_minutes\":" + std::to_string(response.maxAutoLockMinutes) + '}';
    if (!response.refresh.empty()) {
        out += ",\"refresh\":[";
        for (std::size_t i = 0; i < response.refresh.size(); ++i) {
            if (i > 0)
                out += ',';
            vigil::json::appendString(out, response.refresh[i]);
        }
        out += ']';
    }
    out += '}';
    return out;
}

namespace {
Result<std::vector<Op>> opsFromJson(const nlohmann::json& json, std::size_t maxOps)
{
    auto it = json.find("ops");
    if (it == json.end() || !it->is_array())
        return malformed("ops must be a list", "ops");
    if (it->size() > maxOps)
        return malformed("a batch may hold at most " + std::to_string(maxOps) + " ops", "ops");
    std::vector<Op> ops;
    ops.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
        auto op = opFromJson((*it)[i]);
        if (!op)
            return makeError(ErrorCode::InvalidArgument, op.error().message, "ops[" + std::to_string(i) + "]");
        ops.push_back(std::move(op).value());
    }
    return ops;
}
}  // namespace

Result<PushRequest> pushRequestFromJson(const nlohmann::json& json, std::size_t maxOps)
{
    if (!json.is_object())
        return malformed("a push must be a JSON object");
    auto ops = opsFromJson(json, maxOps);
    if (!ops)
        return std::move(ops).error();
    return PushRequest{std::move(ops).value()};
}

Result<PushResponse> pushResponseFromJson(const nlohmann::json& json)
{
    if (!json.is_object() || !json.contains("acked_upto") || !json["acked_upto"].is_number_integer()
        || !json.contains("rejected") || !json["rejected"].is_array())
        return malformed("a push answer needs acked_upto and rejected");
    PushResponse r;
    r.ackedUpto = json["acked_upto"].get<std::int64_t>();
    for (const auto& item : json["rejected"]) {
        if (!item.is_object() || !item.contains("seq") || !item["seq"].is_number_integer())
            return malformed("a rejection needs seq", "rejected");
        OpRejection rej;
        rej.seq = item["seq"].get<std::int64_t>();
        if (const std::string* v = textField(item, "error"))
            rej.error = *v;
        if (const std::string* v = textField(item, "message"))
            rej.message = *v;
        if (const std::string* v = textField(item, "field"))
            rej.field = *v;
        r.rejected.push_back(std::move(rej));
    }
    return r;
}

Result<PullResponse> pullResponseFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("a pull answer must be a JSON object");
    auto ops = opsFromJson(json, std::numeric_limits<std::size_t>::max());
    if (!ops)
        return std::move(ops).error();
    PullResponse r;
    r.ops = std::move(ops).value();
    const std::string* cursor = textField(json, "cursor");
    auto more = json.find("more");
    auto forget = json.find("forget");
    if (!cursor || more == json.end() || !more->is_boolean() || forget == json.end() || !forget->is_array())
        return malformed("a pull answer needs cursor, more and forget");
    r.cursor = *cursor;
    r.more = more->get<bool>();
    for (const auto& f : *forget) {
        if (!f.is_string())
            return malformed("forget must list incident ids", "forget");
        r.forget.push_back(f.get<std::string>());
    }
    if (auto refresh = json.find("refresh"); refresh != json.end()) {
        if (!refresh->is_array())
            return malformed("refresh must list incident ids", "refresh");
        for (const auto& f : *refresh) {
            if (!f.is_string())
                return malformed("refresh must list incident ids", "refresh");
            r.refresh.push_back(f.get<std::string>());
        }
    }
    if (auto holidays = json.find("bank_holidays"); holidays != json.end()) {
        if (!holidays->is_number_integer() || holidays->get<long long>() < 1
            || holidays->get<long long>() > kMaxBankHolidayVersion)
            return malformed("bank_holidays must be the version of the server's bank-holiday list", "bank_holidays");
        r.bankHolidays = static_cast<int>(holidays->get<long long>());
    }
    if (const std::string* incarnation = textField(json, "incarnation")) {
        if (incarnation->size() > 64)
            return malformed("incarnation is too long", "incarnation");
        r.incarnation = *incarnation;
    }
    if (auto policy = json.find("policy"); policy != json.end()) {
        const auto lock = policy->is_object() ? policy->find("max_auto_lock_minutes") : policy->end();
        if (!policy->is_object() || lock == policy->end() || !lock->is_number_integer() || lock->get<long long>() < 1
            || lock->get<long long>() > kAutoLockMinutesCeiling)
            return malformed("policy must name the longest auto-lock allowed, 1 to 60 minutes", "policy");
        r.maxAutoLockMinutes = static_cast<int>(lock->get<long long>());
    }
    return r;
}


Result<nlohmann::json> parseJson(std::string_view text, std::size_t maxDepth)
{
    // The fast reader gives nlohmann's value for nearly every message; what it declines (not
    // JSON, too deep, a number at a double's edge) gets nlohmann's own verdict below.
    if (auto fast = vigil::json::read(text, maxDepth))
        return std::move(*fast);
    if (vigil::json::nestsDeeperThan(text, maxDepth)) {
        return makeError(ErrorCode::InvalidArgument,
                         "The message is nested more than " + std::to_string(maxDepth) + " levels deep.");
    }
    auto json = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        return makeError(ErrorCode::InvalidArgument, "The message is not valid JSON.");
    return json;
}

bool isValidUserId(std::string_view id) noexcept
{
    if (id.empty() || id.size() > 64)
        return false;
    const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(id.front()))
        return false;
    for (char c : id) {
        if (!alnum(c) && c != '.' && c != '_' && c != '-')
            return false;
    }
    return true;
}

nlohmann::json toJson(const WipeReport& report)
{
    return {{"device_id", report.deviceId}, {"receipt", report.receipt}, {"reason", report.reason},
            {"wiped_at", report.wipedAt},   {"destroyed", report.destroyed}};
}

Result<WipeReport> wipeReportFromJson(const nlohmann::json& json)
{
    const auto bad = [](const std::string& what, const char* field) {
        return makeError(ErrorCode::InvalidArgument, "The wipe report is malformed: " + what + ".", field);
    };
    if (!json.is_object())
        return bad("not an object", "");
    WipeReport r;
    for (auto [key, out, max] : {std::tuple{"device_id", &r.deviceId, std::size_t{64}},
                                 std::tuple{"receipt", &r.receipt, std::size_t{64}},
                                 std::tuple{"reason", &r.reason, std::size_t{16}},
                                 std::tuple{"wiped_at", &r.wipedAt, std::size_t{40}}}) {
        auto it = json.find(key);
        if (it == json.end() || !it->is_string() || it->get_ref<const std::string&>().size() > max)
            return bad(std::string(key) + " missing, not text or too long", key);
        *out = it->get<std::string>();
    }
    if (r.reason != "remote" && r.reason != "user")
        return bad("reason must be remote or user", "reason");
    if (auto it = json.find("destroyed"); it != json.end()) {
        if (!it->is_array() || it->size() > 16)
            return bad("destroyed must be a list of at most 16 items", "destroyed");
        for (const auto& v : *it) {
            if (!v.is_string() || v.get_ref<const std::string&>().size() > 64)
                return bad("destroyed must hold short texts", "destroyed");
            r.destroyed.push_back(v.get<std::string>());
        }
    }
    return r;
}

nlohmann::json toJson(const AttachmentStatus& status)
{
    return {{"id", status.id},         {"size", status.size},         {"sha256", status.sha256},
            {"chunks", status.chunks}, {"received", status.received}, {"complete", status.complete}};
}

nlohmann::json toJson(const AttachmentChunk& chunk)
{
    return {{"id", chunk.id},     {"index", chunk.index},          {"data", chunk.data},    {"sha256", chunk.sha256},
            {"size", chunk.size}, {"file_sha256", chunk.fileSha256}, {"chunks", chunk.chunks}};
}

namespace {

bool isSha256Hex(const std::string& text)
{
    if (text.size() != 64)
        return false;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

/// An integer member within [min, max], else nullopt.
std::optional<std::int64_t> intField(const nlohmann::json& json, const char* key, std::int64_t min, std::int64_t max)
{
    auto it = json.find(key);
    if (it == json.end() || !it->is_number_integer())
        return std::nullopt;
    const auto v = it->get<std::int64_t>();
    if (v < min || v > max)
        return std::nullopt;
    return v;
}

}  // namespace

Result<AttachmentStatus> attachmentStatusFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("a photo status must be an object");
    AttachmentStatus s;
    const std::string* id = textField(json, "id");
    const std::string* sha = textField(json, "sha256");
    auto size = intField(json, "size", 0, kMaxAttachmentBytes);
    auto chunks = intField(json, "chunks", 0, kMaxAttachmentChunks);
    auto received = intField(json, "received", 0, kMaxAttachmentChunks);
    auto complete = json.find("complete");
    if (!id || !sha || !isSha256Hex(*sha) || !size || !chunks || !received || *received > *chunks
        || complete == json.end() || !complete->is_boolean())
        return malformed("a photo status needs id, size, sha256 (64 hex digits), chunks, received and complete", "id");
    s.id = *id;
    s.sha256 = *sha;
    s.size = *size;
    s.chunks = *chunks;
    s.received = *received;
    s.complete = complete->get<bool>();
    return s;
}

Result<AttachmentChunk> attachmentChunkFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return malformed("a photo part must be an object");
    AttachmentChunk c;
    const std::string* id = textField(json, "id");
    const std::string* data = textField(json, "data");
    const std::string* sha = textField(json, "sha256");
    const std::string* fileSha = textField(json, "file_sha256");
    auto index = intField(json, "index", 0, kMaxAttachmentChunks - 1);
    auto size = intField(json, "size", 1, kMaxAttachmentBytes);
    auto chunks = intField(json, "chunks", 1, kMaxAttachmentChunks);
    if (!id || !data || !sha || !fileSha || !index || !size || !chunks)
        return malformed("a photo part needs id, index, data, sha256, size, file_sha256 and chunks", "data");
    if (!isSha256Hex(*sha) || !isSha256Hex(*fileSha))
        return malformed("a photo part's checks must be 64 lower-case hex digits", "sha256");
    if (*index >= *chunks)
        return malformed("a photo part's index must be below its chunk count", "index");
    if (data->size() > (kMaxAttachmentChunkBytes * 4 + 2) / 3 + 4)
        return malformed("a photo part is larger than " + std::to_string(kMaxAttachmentChunkBytes / 1024) + " KiB", "data");
    c.id = *id;
    c.data = *data;
    c.sha256 = *sha;
    c.fileSha256 = *fileSha;
    c.index = *index;
    c.size = *size;
    c.chunks = *chunks;
    return c;
}

std::string sha256Hex(std::span<const unsigned char> bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const auto digest = sha256(bytes);
    std::string out;
    out.reserve(64);
    for (unsigned char b : digest) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
    }
    return out;
}

namespace {

std::string percentEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

}  // namespace

std::string figuresTarget(const std::string& from, const std::string& to, const std::vector<std::string>& boroughs)
{
    std::string target = std::string(kFiguresPath) + "?from=" + percentEncode(from) + "&to=" + percentEncode(to);
    for (const std::string& b : boroughs)
        target += "&borough=" + percentEncode(b);
    return target;
}

std::optional<std::string> percentDecode(std::string_view text)
{
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%') {
            if (i + 2 >= text.size())
                return std::nullopt;
            const int hi = hex(text[i + 1]);
            const int lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace vigil::sync
