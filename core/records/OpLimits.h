#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil {

struct Op;

/// How big one change may be, by what it holds (issue 22, "Limits everywhere"). One rule for
/// the device (RecordStore refuses such a change before it is queued) and the server (a pushed
/// op over a limit is refused `too_large` and changes nothing), so a value the device accepts
/// is one the server takes.
///
/// Why these sizes: ids are UUIDs (36 characters) and device ids the server's own; a field path
/// is a few dotted names (docs/records.md). A name, a postcode, a date or a phone number fits
/// in far less than `shortText`; a narrative (a DASH answer's note, a RARA action's
/// description, a supervisor's notes, a reason or justification) is free text an officer may
/// write at length — `longText` is about 40,000 words. A structured value (the links of a new
/// record, a lifecycle command with its note, an access list, an audit entry) holds at most one
/// narrative and some ids. `anyOp` caps the whole op as it travels, so a pull page of
/// `pullPageBytes` never grows past its budget by more than one op.
struct OpLimits {
    std::size_t idBytes = 128;           ///< op_id, id, device (UUIDs: 36)
    std::size_t entityBytes = 64;        ///< the record kind ("incident", "dash_answer", …)
    std::size_t fieldPathBytes = 256;    ///< "victim.safe_contact.text" and the like
    std::size_t shortTextBytes = 4 * 1024;       ///< a name, an address line, a code, a date
    std::size_t longTextBytes = 256 * 1024;      ///< a note, reason, description, justification
    std::size_t structureBytes = 320 * 1024;     ///< an object or array value, as JSON text
    std::size_t anyOpBytes = 384 * 1024;         ///< the whole op on the wire (value and all)
};

/// What kind of value a field holds, for its limit: narrative text by the last name of its
/// path ("…note", "…notes", "…reason", "…description", "…justification", "…text", "…narrative",
/// "…details", "…summary", "…actions", "…comments", "…circumstances"), every other text short.
enum class ValueKind { ShortText, LongText, Structure, Scalar };
[[nodiscard]] ValueKind valueKindOf(std::string_view field, const nlohmann::json& value) noexcept;

/// The most characters a text input takes: never fewer than a value the store keeps has (a
/// character is at least one byte), so a stored value is never cut short on screen, while text
/// pasted by the megabyte stops there. Within it, the field's own limit is checked in bytes
/// before a change is queued (checkOpLimits), in words.
[[nodiscard]] int maxTextInputChars(const OpLimits& limits = {}) noexcept;

/// The size counted for a value: a string's UTF-8 bytes, anything else its JSON text.
[[nodiscard]] std::size_t valueBytes(const nlohmann::json& value);

/// Why a change is over a limit, in words the officer can act on; nullopt when it is within
/// them. `field` names the field path (or "id", "entity", "field") for the caller's error.
struct OpLimitBreach {
    std::string field;
    std::string message;
};
[[nodiscard]] std::optional<OpLimitBreach> checkOpLimits(std::string_view entity, std::string_view id,
                                                         std::string_view field, const nlohmann::json& value,
                                                         const OpLimits& limits = {});
/// The same for a whole op as pushed (its op_id and device too).
[[nodiscard]] std::optional<OpLimitBreach> checkOpLimits(const Op& op, const OpLimits& limits = {});
/// The same, its value's size (valueBytes) already known: the server counts it once an op.
[[nodiscard]] std::optional<OpLimitBreach> checkOpLimits(const Op& op, std::size_t valueBytes,
                                                         const OpLimits& limits = {});

}  // namespace vigil
