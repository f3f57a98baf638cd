#pragma once

// JSON text in and out, as nlohmann reads and writes it, without its character-at-a-time cost.
//
// Records, ops and sync messages are JSON whose bulk is free text (a ~2 KB note per answer).
// nlohmann's dump() escapes and its parser unescapes that a character at a time: measured, it
// was a quarter to a half of a sync's time on both ends. These functions move runs of plain
// characters in bulk and give exactly nlohmann's results (the same text from dump, the same
// value from parse); anything they do not handle themselves (a double's text, a number at the
// edge of a double's range, text that is not UTF-8, nesting deeper than they go) is handed to
// nlohmann, so the result cannot differ. tests/core/JsonTextTest.cpp and the protocol fuzz
// target hold them to that.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::json {

/// `j.dump()`: the same compact text (keys in order, non-ASCII as is, control characters as
/// \u00xx). Throws what dump() throws (text that is not UTF-8).
[[nodiscard]] std::string dump(const nlohmann::json& j);
/// dump(j) appended to `out`.
void dumpTo(std::string& out, const nlohmann::json& j);
/// `s` as a JSON string literal, escaped as dump() escapes it. `s` must be UTF-8 (not checked).
void appendString(std::string& out, std::string_view s);

/// `nlohmann::json::parse(text, nullptr, false)`: the same value, discarded when `text` is not JSON.
[[nodiscard]] nlohmann::json parse(std::string_view text);
/// The value of `text` when it is one JSON value (RFC 8259, UTF-8) nested at most `maxDepth`
/// deep and every number in it is one this reader converts itself; nullopt otherwise (the
/// caller decides with nlohmann). Never throws.
[[nodiscard]] std::optional<nlohmann::json> read(std::string_view text, std::size_t maxDepth);
/// The strings of a JSON array of strings (an id list kept as text); other values, and text that
/// is not an array, give none.
[[nodiscard]] std::vector<std::string> stringList(std::string_view text);
/// True when arrays and objects in `text` nest deeper than `limit` (strings skipped). A linear
/// scan, so hostile text is refused before nlohmann builds anything from it.
[[nodiscard]] bool nestsDeeperThan(std::string_view text, std::size_t limit) noexcept;

}  // namespace vigil::json
