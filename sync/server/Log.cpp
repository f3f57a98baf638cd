#include "sync/server/Log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace vigil::sync {

namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::Info)};
std::mutex g_mutex;

const char* levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    case LogLevel::Info:
        break;
    }
    return "info";
}

std::string utcNow()
{
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%.*s.%03dZ", static_cast<int>(n), buf, static_cast<int>(ms));
    return out;
}

}  // namespace

void Log::setLevel(LogLevel level) noexcept
{
    g_level.store(static_cast<int>(level));
}

void Log::setLevel(std::string_view name) noexcept
{
    if (name == "debug")
        setLevel(LogLevel::Debug);
    else if (name == "warn")
        setLevel(LogLevel::Warn);
    else if (name == "error")
        setLevel(LogLevel::Error);
    else
        setLevel(LogLevel::Info);
}

bool Log::enabled(LogLevel level) noexcept
{
    return static_cast<int>(level) >= g_level.load();
}

void Log::write(LogLevel level, std::string_view event, nlohmann::json fields)
{
    if (!enabled(level))
        return;
    nlohmann::ordered_json line;
    line["time"] = utcNow();
    line["level"] = levelName(level);
    line["event"] = event;
    if (fields.is_object()) {
        for (auto& [key, value] : fields.items())
            line[key] = value;
    }
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(g_mutex);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

}  // namespace vigil::sync
