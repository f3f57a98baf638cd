#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"

namespace vigil {

/// Reads a whole text file; NotFound/Io errors name the file and say what to do.
/// `what` is "risk model", "rules configuration" or similar, for the message.
[[nodiscard]] Result<std::string> readTextFile(const std::filesystem::path& path, std::string_view what);

/// Parses JSON without letting an exception escape; a syntax error becomes MalformedModel
/// naming the file and the byte where parsing stopped. `label` starts the message
/// ("Risk model file").
[[nodiscard]] Result<nlohmann::json> parseJsonText(std::string_view text, std::string_view fileName,
                                                   std::string_view label);

}  // namespace vigil
