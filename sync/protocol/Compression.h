#pragma once

// Body compression (Content-Encoding gzip / deflate) with a hard limit on the decoded size,
// so a small hostile body cannot expand into gigabytes (zip bomb). No network code.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace vigil::sync {

enum class ContentEncoding { Identity, Gzip, Deflate };

/// Parse a Content-Encoding header value. Nullopt for anything Vigil does not speak
/// (including stacked encodings such as "gzip, gzip").
[[nodiscard]] std::optional<ContentEncoding> parseContentEncoding(std::string_view value) noexcept;
[[nodiscard]] std::string_view contentEncodingName(ContentEncoding encoding) noexcept;
/// True when an Accept-Encoding header value allows gzip.
[[nodiscard]] bool acceptsGzip(std::string_view acceptEncoding) noexcept;

/// Compress `data` as gzip (RFC 1952) or zlib-wrapped deflate (RFC 1950, what HTTP calls "deflate").
[[nodiscard]] Result<std::string> compressBody(std::string_view data, ContentEncoding encoding);

/// Why decoding failed, so the server can pick 413 or 400.
enum class DecodeFailure { None, TooLarge, Malformed };

/// Decode `data`; fails with DecodeFailure::TooLarge (reported in `failure`) as soon as the
/// output would pass `maxDecoded` bytes, before allocating more.
[[nodiscard]] Result<std::string> decompressBody(std::string_view data, ContentEncoding encoding,
                                                 std::size_t maxDecoded, DecodeFailure* failure = nullptr);

}  // namespace vigil::sync
