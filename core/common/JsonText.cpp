#include "core/common/JsonText.h"

#include <charconv>
#include <cstring>

#include "core/common/JsonScanner.h"

namespace vigil::json {

namespace {

/// Nesting read here before parse() hands a text to nlohmann (whose parser does not recurse).
constexpr std::size_t kParseDepth = 128;

/// False when a string is not UTF-8 (dump() throws for it: the caller lets nlohmann do so).
bool appendChecked(std::string& out, std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            while (i + 8 <= s.size()) {  // eight ASCII bytes at a time
                std::uint64_t w;
                std::memcpy(&w, s.data() + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            continue;
        }
        const std::size_t n = utf8Length(s, i);
        if (n == 0)
            return false;
        i += n;
    }
    appendString(out, s);
    return true;
}

template <typename Int>
void appendInt(std::string& out, Int v)
{
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(end - buf));
}

bool dumpFast(std::string& out, const nlohmann::json& j)
{
    using T = nlohmann::json::value_t;
    switch (j.type()) {
    case T::null: out += "null"; return true;
    case T::boolean: out += j.get<bool>() ? "true" : "false"; return true;
    case T::number_integer: appendInt(out, j.get<std::int64_t>()); return true;
    case T::number_unsigned: appendInt(out, j.get<std::uint64_t>()); return true;
    case T::number_float: out += j.dump(); return true;  // nlohmann's shortest round-trip form
    case T::string: return appendChecked(out, j.get_ref<const std::string&>());
    case T::array: {
        out += '[';
        bool first = true;
        for (const auto& element : j) {
            if (!first)
                out += ',';
            first = false;
            if (!dumpFast(out, element))
                return false;
        }
        out += ']';
        return true;
    }
    case T::object: {
        out += '{';
        bool first = true;
        for (const auto& [key, value] : j.get_ref<const nlohmann::json::object_t&>()) {
            if (!first)
                out += ',';
            first = false;
            if (!appendChecked(out, key))
                return false;
            out += ':';
            if (!dumpFast(out, value))
                return false;
        }
        out += '}';
        return true;
    }
    case T::binary:
    case T::discarded: return false;
    }
    return false;
}

}  // namespace

void appendString(std::string& out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        i += plainRun(s.data() + i, s.size() - i, false);
        if (i == s.size())
            break;
        const auto c = static_cast<unsigned char>(s[i]);
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void dumpTo(std::string& out, const nlohmann::json& j)
{
    const std::size_t before = out.size();
    if (!dumpFast(out, j)) {
        out.resize(before);
        out += j.dump();
    }
}

std::string dump(const nlohmann::json& j)
{
    std::string out;
    dumpTo(out, j);
    return out;
}

std::optional<nlohmann::json> read(std::string_view text, std::size_t maxDepth)
{
    Scanner s{text, 0, maxDepth};
    nlohmann::json value;
    if (!s.build(value, 0))
        return std::nullopt;
    s.ws();
    if (s.i != text.size())
        return std::nullopt;
    return value;
}

nlohmann::json parse(std::string_view text)
{
    if (auto value = read(text, kParseDepth))
        return std::move(*value);
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

bool nestsDeeperThan(std::string_view text, std::size_t limit) noexcept
{
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

std::vector<std::string> stringList(std::string_view text)
{
    std::vector<std::string> out;
    const nlohmann::json j = parse(text);
    if (j.is_array()) {
        for (const auto& v : j) {
            if (v.is_string())
                out.push_back(v.get<std::string>());
        }
    }
    return out;
}

}  // namespace vigil::json
