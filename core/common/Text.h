#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil {

/// Nothing but spaces, tabs and line ends: a note, reason or justification not written.
[[nodiscard]] inline bool isBlank(std::string_view text) noexcept
{
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// A JSON value that is text with something written in it (a field of a stored row).
[[nodiscard]] inline bool hasText(const nlohmann::json& value) noexcept
{
    return value.is_string() && !isBlank(value.get_ref<const std::string&>());
}

}  // namespace vigil
