#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/common/Result.h"

namespace vigil {

/// A photo with everything but the picture removed.
struct SanitisedImage {
    std::vector<std::uint8_t> bytes;
    std::string mimeType;           ///< "image/jpeg" or "image/png"
    std::size_t removedBytes = 0;   ///< how much metadata was dropped
    std::vector<std::string> removed;  ///< what was dropped, e.g. "EXIF (APP1)", "PNG tEXt"
};

/// Strip metadata from a JPEG or PNG in memory (never via a temp file): for JPEG every APPn
/// segment except JFIF (APP0) and the ICC colour profile (APP2), plus comments — so EXIF,
/// GPS, XMP, IPTC, maker notes and thumbnails go; for PNG every ancillary chunk except
/// colour information (gAMA, cHRM, sRGB, iCCP, pHYs), so eXIf, tEXt, zTXt, iTXt and tIME go.
/// The image data itself is copied byte for byte. Anything else is refused with a message.
[[nodiscard]] Result<SanitisedImage> sanitiseImage(std::span<const std::uint8_t> input);

}  // namespace vigil
