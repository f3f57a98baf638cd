#include "core/records/Op.h"

#include "core/common/JsonText.h"
#include "core/common/Uuid.h"

namespace vigil {

nlohmann::json opToJson(const Op& op)
{
    nlohmann::json j = {
        {"op_id", op.opId},
        {"device", op.device},
        {"seq", op.seq},
        {"entity", op.entity},
        {"id", op.id},
        {"field", op.field},
        {"value", op.value},
        {"base", op.base ? nlohmann::json(hlcToString(*op.base)) : nlohmann::json(nullptr)},
        {"hlc", hlcToString(op.hlc)},
    };
    if (!op.user.empty())
        j["user"] = op.user;
    return j;
}

void appendOpJson(std::string& out, const Op& op)
{
    const auto text = [&](std::string_view key, std::string_view value) {
        out += key;
        json::appendString(out, value);
    };
    out += "{\"base\":";
    if (op.base)
        json::appendString(out, hlcToString(*op.base));
    else
        out += "null";
    text(",\"device\":", op.device);
    text(",\"entity\":", op.entity);
    text(",\"field\":", op.field);
    text(",\"hlc\":", hlcToString(op.hlc));
    text(",\"id\":", op.id);
    text(",\"op_id\":", op.opId);
    out += ",\"seq\":";
    out += std::to_string(op.seq);
    if (!op.user.empty())
        text(",\"user\":", op.user);
    out += ",\"value\":";
    json::dumpTo(out, op.value);
    out += '}';
}

Result<Op> opFromJson(const nlohmann::json& json)
{
    const auto bad = [](const std::string& what) {
        return makeError(ErrorCode::InvalidArgument, "A change record is malformed (" + what + ") and was not applied.");
    };
    if (!json.is_object())
        return bad("not an object");
    const auto text = [&](const char* key) -> const std::string* {
        auto it = json.find(key);
        return it != json.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    };
    Op op;
    for (auto [key, out] : {std::pair{"op_id", &op.opId}, std::pair{"device", &op.device}, std::pair{"entity", &op.entity},
                            std::pair{"id", &op.id}, std::pair{"field", &op.field}}) {
        const std::string* v = text(key);
        if (!v)
            return bad(std::string(key) + " missing or not text");
        *out = *v;
    }
    if (!isUuid(op.opId) || !isUuid(op.id))
        return bad("op_id and id must be UUIDs");
    auto seq = json.find("seq");
    if (seq == json.end() || !seq->is_number_integer() || seq->get<std::int64_t>() < 1)
        return bad("seq must be a positive integer");
    op.seq = seq->get<std::int64_t>();
    const std::string* hlc = text("hlc");
    auto stamp = hlc ? hlcFromString(*hlc) : std::nullopt;
    if (!stamp)
        return bad("hlc must be 16 hex digits");
    op.hlc = *stamp;
    auto base = json.find("base");
    if (base != json.end() && !base->is_null()) {
        auto b = base->is_string() ? hlcFromString(base->get<std::string>()) : std::nullopt;
        if (!b)
            return bad("base must be null or 16 hex digits");
        op.base = *b;
    }
    auto value = json.find("value");
    if (value == json.end())
        return bad("value missing");
    op.value = *value;
    if (auto user = json.find("user"); user != json.end() && !user->is_null()) {
        if (!user->is_string() || user->get_ref<const std::string&>().size() > 64)
            return bad("user must be text of at most 64 characters");
        op.user = user->get<std::string>();
    }
    return op;
}

}  // namespace vigil
