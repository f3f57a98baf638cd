#pragma once

#include <filesystem>
#include <optional>
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

/// A non-empty string member of `j`, or nullopt.
[[nodiscard]] std::optional<std::string> nonEmptyText(const nlohmann::json& j, const char* name);

/// A MalformedModel error for a versioned list file: "<label> <file>, <path>: <problem>. Reinstall
/// Vigil or ask your administrator."
[[nodiscard]] Error malformedListFile(std::string_view label, std::string_view fileName, const std::string& path,
                                      const std::string& problem);

/// The id and version a versioned list file (format 1: a JSON object with "format", "id" and
/// "version") names, or the malformedListFile error that says what is wrong.
struct ListFileHeader {
    std::string id;
    std::string version;
};
[[nodiscard]] Result<ListFileHeader> readListFileHeader(const nlohmann::json& j, std::string_view label,
                                                        std::string_view fileName);

}  // namespace vigil
