#include "sync/protocol/Compression.h"

#include <array>
#include <climits>
#include <memory>

#include <zlib.h>
#include <zstd.h>

namespace vigil::sync {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x - 'A' + 'a');
        if (x != b[i])
            return false;
    }
    return true;
}

// zlib takes uInt lengths; bodies are limited far below 4 GiB before they get here.
constexpr std::size_t kMaxInput = UINT_MAX / 2;

}  // namespace

std::optional<ContentEncoding> parseContentEncoding(std::string_view value) noexcept
{
    value = trim(value);
    if (value.empty() || equalsNoCase(value, "identity"))
        return ContentEncoding::Identity;
    if (equalsNoCase(value, "gzip") || equalsNoCase(value, "x-gzip"))
        return ContentEncoding::Gzip;
    if (equalsNoCase(value, "deflate"))
        return ContentEncoding::Deflate;
    if (equalsNoCase(value, "zstd"))
        return ContentEncoding::Zstd;
    return std::nullopt;
}

std::string_view contentEncodingName(ContentEncoding encoding) noexcept
{
    switch (encoding) {
    case ContentEncoding::Gzip:
        return "gzip";
    case ContentEncoding::Deflate:
        return "deflate";
    case ContentEncoding::Zstd:
        return "zstd";
    case ContentEncoding::Identity:
        break;
    }
    return "identity";
}

namespace {

/// True when the Accept-Encoding list names `wanted` without refusing it ("gzip;q=0").
bool accepts(std::string_view acceptEncoding, std::string_view wanted) noexcept
{
    while (!acceptEncoding.empty()) {
        const auto comma = acceptEncoding.find(',');
        std::string_view item = acceptEncoding.substr(0, comma);
        acceptEncoding = comma == std::string_view::npos ? std::string_view() : acceptEncoding.substr(comma + 1);
        const auto semi = item.find(';');
        const std::string_view coding = trim(item.substr(0, semi));
        if (equalsNoCase(coding, wanted))
            return semi == std::string_view::npos || trim(item.substr(semi + 1)) != "q=0";
    }
    return false;
}

Result<std::string> compressZstd(std::string_view data, CompressionLevel level)
{
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t written =
        ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level == CompressionLevel::Fast ? 1 : 3);
    if (ZSTD_isError(written))
        return makeError(ErrorCode::Internal, std::string("Compression failed (zstd: ") + ZSTD_getErrorName(written)
                                                  + "). Report this to support.");
    out.resize(written);
    return out;
}

}  // namespace

bool acceptsGzip(std::string_view acceptEncoding) noexcept
{
    return accepts(acceptEncoding, "gzip");
}

bool acceptsZstd(std::string_view acceptEncoding) noexcept
{
    return accepts(acceptEncoding, "zstd");
}

std::optional<ContentEncoding> preferredEncoding(std::string_view acceptEncoding) noexcept
{
    if (acceptsZstd(acceptEncoding))
        return ContentEncoding::Zstd;
    if (acceptsGzip(acceptEncoding))
        return ContentEncoding::Gzip;
    return std::nullopt;
}

Result<std::string> compressBody(std::string_view data, ContentEncoding encoding, CompressionLevel level)
{
    if (encoding == ContentEncoding::Identity)
        return std::string(data);
    if (data.size() > kMaxInput)
        return makeError(ErrorCode::InvalidArgument, "The message is too large to compress.");
    if (encoding == ContentEncoding::Zstd)
        return compressZstd(data, level);
    z_stream zs{};
    const int windowBits = encoding == ContentEncoding::Gzip ? 15 + 16 : 15;
    const int zlevel = level == CompressionLevel::Fast ? Z_BEST_SPEED : Z_DEFAULT_COMPRESSION;
    if (deflateInit2(&zs, zlevel, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return makeError(ErrorCode::Internal, "Compression could not start (zlib). Report this to support.");
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto written = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return makeError(ErrorCode::Internal, "Compression failed (zlib). Report this to support.");
    out.resize(written);
    return out;
}

namespace {

/// One zstd frame, decoded a chunk at a time within `maxDecoded`. The window a frame may ask
/// for is capped (2^kMaxWindowLog bytes): a hostile frame header cannot make the decoder
/// allocate a large window; Vigil's own frames (levels 1 and 3, bodies of a few MB) stay below.
template <typename Fail>
Result<std::string> decompressZstd(std::string_view data, std::size_t maxDecoded, const Fail& fail)
{
    constexpr int kMaxWindowLog = 23;  // 8 MiB
    std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    if (!dctx || ZSTD_isError(ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, kMaxWindowLog)))
        return fail(DecodeFailure::Malformed, "Decompression could not start (zstd).");
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    std::string out;
    std::array<char, 64 * 1024> chunk{};
    std::size_t left = 1;  // bytes the frame still needs (0: the frame is complete)
    while (left != 0) {
        ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
        const std::size_t before = in.pos;
        left = ZSTD_decompressStream(dctx.get(), &o, &in);
        if (ZSTD_isError(left))
            return fail(DecodeFailure::Malformed, "The compressed message is damaged (zstd).");
        if (out.size() + o.pos > maxDecoded)
            return fail(DecodeFailure::TooLarge, "The message is larger than the limit once decompressed.");
        out.append(chunk.data(), o.pos);
        if (left != 0 && o.pos == 0 && in.pos == before && in.pos == in.size)
            return fail(DecodeFailure::Malformed, "The compressed message is cut short.");
    }
    if (in.pos != in.size)
        return fail(DecodeFailure::Malformed, "The compressed message has data after its end.");
    return out;
}

}  // namespace

Result<std::string> decompressBody(std::string_view data, ContentEncoding encoding, std::size_t maxDecoded,
                                   DecodeFailure* failure)
{
    const auto fail = [&](DecodeFailure why, std::string message) {
        if (failure)
            *failure = why;
        return makeError(why == DecodeFailure::TooLarge ? ErrorCode::InvalidArgument : ErrorCode::Corrupt,
                         std::move(message));
    };
    if (failure)
        *failure = DecodeFailure::None;
    if (encoding == ContentEncoding::Identity) {
        if (data.size() > maxDecoded)
            return fail(DecodeFailure::TooLarge, "The message is larger than the limit.");
        return std::string(data);
    }
    if (data.size() > kMaxInput)
        return fail(DecodeFailure::TooLarge, "The message is larger than the limit.");
    if (encoding == ContentEncoding::Zstd)
        return decompressZstd(data, maxDecoded, fail);

    z_stream zs{};
    const int windowBits = encoding == ContentEncoding::Gzip ? 15 + 16 : 15;
    if (inflateInit2(&zs, windowBits) != Z_OK)
        return fail(DecodeFailure::Malformed, "Decompression could not start (zlib).");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());

    std::string out;
    std::array<char, 16 * 1024> chunk{};
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
        zs.avail_out = static_cast<uInt>(chunk.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            return fail(DecodeFailure::Malformed,
                        "The compressed message is damaged (" + std::string(contentEncodingName(encoding)) + ").");
        }
        const std::size_t produced = chunk.size() - zs.avail_out;
        if (out.size() + produced > maxDecoded) {
            inflateEnd(&zs);
            return fail(DecodeFailure::TooLarge, "The message is larger than the limit once decompressed.");
        }
        out.append(chunk.data(), produced);
        if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
            inflateEnd(&zs);
            return fail(DecodeFailure::Malformed, "The compressed message is cut short.");
        }
    }
    const bool trailing = zs.avail_in != 0;
    inflateEnd(&zs);
    if (trailing)
        return fail(DecodeFailure::Malformed, "The compressed message has data after its end.");
    return out;
}

}  // namespace vigil::sync
