#include "core/records/OpLimits.h"

#include <algorithm>
#include <array>

#include "core/records/Op.h"

namespace vigil {

namespace {

std::string sizeText(std::size_t bytes)
{
    if (bytes >= 1024 * 1024)
        return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
    if (bytes >= 1024)
        return std::to_string((bytes + 512) / 1024) + " KB";
    return std::to_string(bytes) + " bytes";
}

bool endsWith(std::string_view text, std::string_view tail) noexcept
{
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

ValueKind valueKindOf(std::string_view field, const nlohmann::json& value) noexcept
{
    if (value.is_object() || value.is_array())
        return ValueKind::Structure;
    if (!value.is_string())
        return ValueKind::Scalar;
    const auto dot = field.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? field : field.substr(dot + 1);
    static constexpr std::array<std::string_view, 13> kNarrative = {
        "note", "notes", "reason", "description", "justification", "text", "narrative",
        "details", "summary", "actions", "comments", "circumstances", "outcome_notes"};
    for (const auto tail : kNarrative) {
        if (endsWith(last, tail))
            return ValueKind::LongText;
    }
    return ValueKind::ShortText;
}

int maxTextInputChars(const OpLimits& limits) noexcept
{
    return static_cast<int>(std::max({limits.shortTextBytes, limits.longTextBytes, limits.structureBytes}));
}

std::size_t valueBytes(const nlohmann::json& value)
{
    if (value.is_string())
        return value.get_ref<const std::string&>().size();
    if (value.is_object() || value.is_array()) {
        try {
            return value.dump().size();
        } catch (const nlohmann::json::exception&) {
            return static_cast<std::size_t>(-1);  // text that is not UTF-8: never within a limit
        }
    }
    return 32;
}

namespace {

std::optional<OpLimitBreach> checkSized(std::string_view entity, std::string_view id, std::string_view field,
                                        const nlohmann::json& value, std::size_t bytes, const OpLimits& limits)
{
    const auto bug = [](std::string what, std::string_view name, std::size_t max) {
        return OpLimitBreach{std::move(what), "This change names a " + std::string(name) + " longer than Vigil "
                                                   "ever makes (at most " + sizeText(max) + "). It was not "
                                                   "accepted; report this to support."};
    };
    if (id.size() > limits.idBytes)
        return bug("id", "record id", limits.idBytes);
    if (entity.size() > limits.entityBytes)
        return bug("entity", "record kind", limits.entityBytes);
    if (field.size() > limits.fieldPathBytes)
        return bug("field", "field", limits.fieldPathBytes);
    const ValueKind kind = valueKindOf(field, value);
    std::size_t max = limits.structureBytes;
    std::string what = "This entry";
    switch (kind) {
    case ValueKind::ShortText:
        max = limits.shortTextBytes;
        what = "This short field (a name, address, code or date)";
        break;
    case ValueKind::LongText:
        max = limits.longTextBytes;
        what = "This text";
        break;
    case ValueKind::Structure:
        max = limits.structureBytes;
        what = "This entry";
        break;
    case ValueKind::Scalar:
        return std::nullopt;
    }
    if (bytes > max) {
        return OpLimitBreach{std::string(field),
                             what + " (" + std::string(field) + ") is " + sizeText(bytes) + "; at most " + sizeText(max)
                                 + " can be kept and shared. Shorten it, or put long material in several notes "
                                   "or a photo."};
    }
    return std::nullopt;
}

}  // namespace

std::optional<OpLimitBreach> checkOpLimits(std::string_view entity, std::string_view id, std::string_view field,
                                           const nlohmann::json& value, const OpLimits& limits)
{
    return checkSized(entity, id, field, value, valueBytes(value), limits);
}

std::optional<OpLimitBreach> checkOpLimits(const Op& op, const OpLimits& limits)
{
    return checkOpLimits(op, valueBytes(op.value), limits);
}

std::optional<OpLimitBreach> checkOpLimits(const Op& op, std::size_t bytes, const OpLimits& limits)
{
    if (op.opId.size() > limits.idBytes || op.device.size() > limits.idBytes) {
        return OpLimitBreach{"id", "This change names a device or change id longer than Vigil ever makes (at most "
                                       + sizeText(limits.idBytes) + "). It was not accepted; report this to support."};
    }
    if (auto breach = checkSized(op.entity, op.id, op.field, op.value, bytes, limits))
        return breach;
    // The whole op: a structure within its limit is still one op of a page.
    if (op.value.is_object() || op.value.is_array() || op.value.is_string()) {
        const std::size_t whole = bytes + op.entity.size() + op.id.size() + op.field.size() + 256;
        if (whole > limits.anyOpBytes) {
            return OpLimitBreach{op.field, "This change (" + op.field + ") is " + sizeText(whole) + "; at most "
                                               + sizeText(limits.anyOpBytes) + " can be shared in one change. "
                                               "Shorten it."};
        }
    }
    return std::nullopt;
}

}  // namespace vigil
