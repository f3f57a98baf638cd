#include "core/records/ImageSanitiser.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace vigil {

namespace {

Error notAnImage(const std::string& why)
{
    return makeError(ErrorCode::InvalidArgument,
                     "This file is not a photo Vigil can store (" + why
                         + "). Attach a JPEG or PNG photo; take it again with the camera if needed.");
}

std::uint32_t be32(const std::uint8_t* p)
{
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

Result<SanitisedImage> sanitiseJpeg(std::span<const std::uint8_t> in)
{
    SanitisedImage out;
    out.mimeType = "image/jpeg";
    out.bytes.reserve(in.size());
    out.bytes.insert(out.bytes.end(), in.begin(), in.begin() + 2);  // SOI
    std::size_t pos = 2;
    while (pos < in.size()) {
        if (in[pos] != 0xFF)
            return notAnImage("damaged JPEG: a segment does not start with a marker");
        // Fill bytes (0xFF padding) may precede a marker.
        std::size_t m = pos;
        while (m < in.size() && in[m] == 0xFF)
            ++m;
        if (m >= in.size())
            return notAnImage("damaged JPEG: ends inside a marker");
        const std::uint8_t marker = in[m];
        if (marker == 0xD9) {  // EOI
            out.bytes.insert(out.bytes.end(), {0xFF, 0xD9});
            return out;
        }
        if (marker >= 0xD0 && marker <= 0xD7) {  // RSTn outside scan: no length
            out.bytes.insert(out.bytes.end(), {0xFF, marker});
            pos = m + 1;
            continue;
        }
        if (m + 2 >= in.size())
            return notAnImage("damaged JPEG: segment header cut off");
        const std::size_t len = (std::size_t{in[m + 1]} << 8) | in[m + 2];
        if (len < 2 || m + 1 + len > in.size())
            return notAnImage("damaged JPEG: a segment is longer than the file");
        const std::size_t segEnd = m + 1 + len;
        const bool isApp = marker >= 0xE0 && marker <= 0xEF;
        bool keep = true;
        if (isApp) {
            const auto payload = in.subspan(m + 3, len - 2);
            const auto startsWith = [&](std::string_view sig) {
                return payload.size() >= sig.size() && std::memcmp(payload.data(), sig.data(), sig.size()) == 0;
            };
            keep = (marker == 0xE0 && startsWith(std::string_view("JFIF\0", 5)))
                || (marker == 0xE2 && startsWith(std::string_view("ICC_PROFILE\0", 12)));
            if (!keep)
                out.removed.push_back(marker == 0xE1 ? "EXIF/XMP (APP1)" : "APP" + std::to_string(marker - 0xE0));
        } else if (marker == 0xFE) {
            keep = false;
            out.removed.emplace_back("comment (COM)");
        }
        if (keep)
            out.bytes.insert(out.bytes.end(), in.begin() + static_cast<std::ptrdiff_t>(m - 1),
                             in.begin() + static_cast<std::ptrdiff_t>(segEnd));
        else
            out.removedBytes += segEnd - (m - 1);
        pos = segEnd;
        if (marker == 0xDA) {
            // Start of scan: entropy-coded data follows until the next non-RST marker. Copy it
            // verbatim; metadata cannot live inside it.
            std::size_t scan = pos;
            while (scan + 1 < in.size()) {
                if (in[scan] == 0xFF && in[scan + 1] != 0x00 && !(in[scan + 1] >= 0xD0 && in[scan + 1] <= 0xD7)
                    && in[scan + 1] != 0xFF)
                    break;
                ++scan;
            }
            out.bytes.insert(out.bytes.end(), in.begin() + static_cast<std::ptrdiff_t>(pos),
                             in.begin() + static_cast<std::ptrdiff_t>(scan));
            pos = scan;
        }
    }
    return notAnImage("damaged JPEG: no end-of-image marker");
}

Result<SanitisedImage> sanitisePng(std::span<const std::uint8_t> in)
{
    static constexpr std::array<std::string_view, 5> kKeepAncillary = {"gAMA", "cHRM", "sRGB", "iCCP", "pHYs"};
    SanitisedImage out;
    out.mimeType = "image/png";
    out.bytes.reserve(in.size());
    out.bytes.insert(out.bytes.end(), in.begin(), in.begin() + 8);
    std::size_t pos = 8;
    bool sawEnd = false;
    while (pos + 12 <= in.size()) {
        const std::size_t len = be32(&in[pos]);
        if (len > in.size() - pos - 12)
            return notAnImage("damaged PNG: a chunk is longer than the file");
        const std::string type(reinterpret_cast<const char*>(&in[pos + 4]), 4);
        const std::size_t chunkEnd = pos + 12 + len;
        const bool critical = (type[0] & 0x20) == 0;  // upper-case first letter
        const bool keep = critical || std::find(kKeepAncillary.begin(), kKeepAncillary.end(), type) != kKeepAncillary.end();
        if (keep) {
            out.bytes.insert(out.bytes.end(), in.begin() + static_cast<std::ptrdiff_t>(pos),
                             in.begin() + static_cast<std::ptrdiff_t>(chunkEnd));
        } else {
            out.removedBytes += chunkEnd - pos;
            out.removed.push_back("PNG " + type);
        }
        pos = chunkEnd;
        if (type == "IEND") {
            sawEnd = true;
            break;
        }
    }
    if (!sawEnd)
        return notAnImage("damaged PNG: no end chunk");
    return out;
}

}  // namespace

Result<SanitisedImage> sanitiseImage(std::span<const std::uint8_t> input)
{
    static constexpr std::array<std::uint8_t, 8> kPng = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (input.size() >= 4 && input[0] == 0xFF && input[1] == 0xD8 && input[2] == 0xFF)
        return sanitiseJpeg(input);
    if (input.size() >= 8 && std::equal(kPng.begin(), kPng.end(), input.begin()))
        return sanitisePng(input);
    return notAnImage("only JPEG and PNG photos are accepted");
}

}  // namespace vigil
