#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"
#include "core/records/Hlc.h"

namespace vigil {

/// One change, exactly as it is stored in the device outbox and sent by the sync protocol
/// (docs/sync-protocol.md):
///
///   {"op_id": uuid, "device": device id, "seq": n, "entity": "incident", "id": uuid,
///    "field": "refs.cris", "value": <json>, "base": hlc or null, "hlc": hlc}
///
/// - `seq` counts from 1 per device with no gaps; the server deduplicates by (device, seq).
/// - `field` is a field path inside the entity (docs/records.md). Special fields:
///   `@create` (value: the entity's parent links, e.g. {"incident": id}), `@delete`
///   (tombstone, value true), `@command` (a lifecycle command, value {"command": "submit",
///   "by": user, "note": text}; validated by the server with the core rules, never a plain
///   write), `@append` (append-only kinds such as audit entries: value is the whole entry).
/// - `base` is the HLC of the value this write replaced on the device (null when the field
///   had no value): two writes to one field from the same base are a conflict.
/// - The winner of two writes to one field is the greater (hlc, device).
/// - `user` is filled in by the server on pulled ops only (from its own record of which user
///   pushed the op, never from the device's word): conflicts can say who wrote each value.
///   Devices never send it; the server ignores it on push.
/// - Special fields of sync part 2: `@conflict` (on an incident: an edit made without seeing
///   a lifecycle command, reported by the editing device so a supervisor sees it) and
///   `@resolve` (on the conflicted record: a supervisor resolved a conflict).
struct Op {
    std::string opId;
    std::string device;
    std::int64_t seq = 0;
    std::string entity;
    std::string id;
    std::string field;
    nlohmann::json value;
    std::optional<HlcStamp> base;
    HlcStamp hlc = 0;
    std::string user{};  ///< who pushed it (server-filled on pull), "" otherwise; {} so older aggregate initialisers stay warning-free

    friend bool operator==(const Op&, const Op&) = default;
};

[[nodiscard]] nlohmann::json opToJson(const Op& op);
/// The text of opToJson(op) (nlohmann's key order), written straight out: a push of 2,000 ops
/// spent most of its encoding building the JSON objects it then wrote. The value throws what
/// dump() throws (text that is not UTF-8); the other texts (ids, field path, device, user) are
/// written as they are, so they must be UTF-8: they were checked when they were read or made.
void appendOpJson(std::string& out, const Op& op);
/// Never throws: a malformed op comes back as an error naming the problem.
[[nodiscard]] Result<Op> opFromJson(const nlohmann::json& json);

inline constexpr std::string_view kFieldCreate = "@create";
inline constexpr std::string_view kFieldDelete = "@delete";
inline constexpr std::string_view kFieldCommand = "@command";
inline constexpr std::string_view kFieldAppend = "@append";
inline constexpr std::string_view kFieldConflict = "@conflict";
inline constexpr std::string_view kFieldResolve = "@resolve";

}  // namespace vigil
