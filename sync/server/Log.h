#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil::sync {

enum class LogLevel { Debug, Info, Warn, Error };

/// Structured logs: one JSON object per line on stderr, with "time" (UTC, ms), "level" and
/// "event" first. Callers pass only operational facts (request id, device id, status,
/// latency, error codes). Never personal data, user names, codes or tokens.
class Log {
public:
    static void setLevel(LogLevel level) noexcept;
    static void setLevel(std::string_view name) noexcept;
    [[nodiscard]] static bool enabled(LogLevel level) noexcept;
    static void write(LogLevel level, std::string_view event, nlohmann::json fields = nlohmann::json::object());
};

}  // namespace vigil::sync
