#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace vigil::sync {

/// The text as a QR code drawn with UTF-8 half blocks (two modules per character row),
/// light modules as blocks, for a dark terminal; with a 2-module quiet zone.
[[nodiscard]] Result<std::string> qrForTerminal(std::string_view text);
/// The text as a QR code in a greyscale PNG (8 px per module, 4-module quiet zone),
/// written with mode 0600: it holds an enrolment secret.
[[nodiscard]] Status writeQrPng(std::string_view text, const std::filesystem::path& file);

}  // namespace vigil::sync
