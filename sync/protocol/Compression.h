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

/// How hard to compress. Fast (zlib level 1) packs sync pages of ~2 KB records within about
/// 10% of Default (level 6) at twice the speed: the server compresses every pull page it sends.
enum class CompressionLevel { Default, Fast };

/// Compress `data` as gzip (RFC 1952) or zlib-wrapped deflate (RFC 1950, what HTTP calls "deflate").
[[nodiscard]] Result<std::string> compressBody(std::string_view data, ContentEncoding encoding,
                                               CompressionLevel level = CompressionLevel::Default);

/// Why decoding failed, so the server can pick 413 or 400.
enum class DecodeFailure { None, TooLarge, Malformed };

/// Decode `data`; fails with DecodeFailure::TooLarge (reported in `failure`) as soon as the
/// output would pass `maxDecoded` bytes, before allocating more.
[[nodiscard]] Result<std::string> decompressBody(std::string_view data, ContentEncoding encoding,
                                                 std::size_t maxDecoded, DecodeFailure* failure = nullptr);

}  // namespace vigil::sync
