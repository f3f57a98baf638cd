#pragma once

// Body compression (Content-Encoding zstd / gzip / deflate) with a hard limit on the decoded
// size, so a small hostile body cannot expand into gigabytes (zip bomb). No network code.
//
// zstd (RFC 8878) is preferred both ways when the peer takes it: on sync pages of ~2 KB records
// it packs as well as gzip's default level at about ten times the speed and unpacks several
// times faster (zlib was a third of a 1,000-record pull, measured). gzip stays for older peers.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace vigil::sync {

enum class ContentEncoding { Identity, Gzip, Deflate, Zstd };

/// Parse a Content-Encoding header value. Nullopt for anything Vigil does not speak
/// (including stacked encodings such as "gzip, gzip").
[[nodiscard]] std::optional<ContentEncoding> parseContentEncoding(std::string_view value) noexcept;
[[nodiscard]] std::string_view contentEncodingName(ContentEncoding encoding) noexcept;
/// True when an Accept-Encoding header value allows gzip.
[[nodiscard]] bool acceptsGzip(std::string_view acceptEncoding) noexcept;
/// True when an Accept-Encoding header value allows zstd.
[[nodiscard]] bool acceptsZstd(std::string_view acceptEncoding) noexcept;
/// The coding to answer in for an Accept-Encoding header value: zstd, else gzip, else none.
[[nodiscard]] std::optional<ContentEncoding> preferredEncoding(std::string_view acceptEncoding) noexcept;
/// What Vigil sends as Accept-Encoding: in requests (for answers) and, per RFC 7694, in the
/// server's answers (for request bodies).
inline constexpr std::string_view kAcceptEncodings = "zstd, gzip";

/// How hard to compress. Fast (zlib level 1, zstd level 1) packs sync pages of ~2 KB records
/// within about 10% of Default (zlib level 6, zstd level 3) at twice the speed: the server
/// compresses every pull page it sends.
enum class CompressionLevel { Default, Fast };

/// Compress `data` as gzip (RFC 1952), zlib-wrapped deflate (RFC 1950, what HTTP calls
/// "deflate") or one zstd frame (RFC 8878).
[[nodiscard]] Result<std::string> compressBody(std::string_view data, ContentEncoding encoding,
                                               CompressionLevel level = CompressionLevel::Default);

/// Why decoding failed, so the server can pick 413 or 400.
enum class DecodeFailure { None, TooLarge, Malformed };

/// Decode `data`; fails with DecodeFailure::TooLarge (reported in `failure`) as soon as the
/// output would pass `maxDecoded` bytes, before allocating more.
[[nodiscard]] Result<std::string> decompressBody(std::string_view data, ContentEncoding encoding,
                                                 std::size_t maxDecoded, DecodeFailure* failure = nullptr);

}  // namespace vigil::sync
