#pragma once

// The snapshot page's own JSON codec. A snapshot carries a device's whole first sync (100,000
// rows of ~2 KB is 250 MB of JSON), almost all of it row text passed on as JSON strings. nlohmann
// escapes and unescapes those a character at a time (half the time of a first sync, measured);
// this writer and reader move runs of plain characters in bulk. The reader accepts exactly
// RFC 8259 JSON (UTF-8 checked, nesting limited), so it is held to the same standard as
// parseJson and fuzzed with the other decoders (tests/fuzz/ProtocolFuzzer.cpp).

#include <string>
#include <string_view>

#include "core/common/Result.h"
#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// The page as JSON text (the same document toJson(SnapshotPage) gives).
[[nodiscard]] std::string encodeSnapshotPage(const SnapshotPage& page);
/// Parse and check a page (the checks of snapshotPageFromJson: shapes, kinds, stamps, and that
/// fields, stamps and conflict values are JSON within the nesting limit). Never throws.
[[nodiscard]] Result<SnapshotPage> decodeSnapshotPage(std::string_view text);
/// True when `text` is one JSON value (RFC 8259, valid UTF-8) nested at most `maxDepth` deep.
[[nodiscard]] bool isJsonText(std::string_view text, std::size_t maxDepth);

}  // namespace vigil::sync
