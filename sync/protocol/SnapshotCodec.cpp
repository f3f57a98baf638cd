#include "sync/protocol/SnapshotCodec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/records/Hlc.h"

namespace vigil::sync {

namespace {

Error malformed(const std::string& what, const std::string& field = {})
{
    return makeError(ErrorCode::InvalidArgument, "The message is malformed: " + what + ".", field);
}

constexpr std::array<std::string_view, 6> kRowEntities = {"incident", "person", "answer", "rara_item", "referral",
                                                         "attachment"};

// Conflict columns on the wire, in one table so the writer and the reader cannot drift apart.
constexpr std::array<std::pair<std::string_view, std::string SnapshotConflict::*>, 18> kConflictKeys = {{
    {"kind", &SnapshotConflict::kind},
    {"entity", &SnapshotConflict::entity},
    {"record", &SnapshotConflict::record},
    {"incident", &SnapshotConflict::incident},
    {"field", &SnapshotConflict::field},
    {"winner", &SnapshotConflict::winner},
    {"kept_value", &SnapshotConflict::keptValue},
    {"kept_hlc", &SnapshotConflict::keptHlc},
    {"kept_origin", &SnapshotConflict::keptOrigin},
    {"kept_by", &SnapshotConflict::keptBy},
    {"lost_value", &SnapshotConflict::lostValue},
    {"lost_hlc", &SnapshotConflict::lostHlc},
    {"lost_origin", &SnapshotConflict::lostOrigin},
    {"lost_by", &SnapshotConflict::lostBy},
    {"detected_at", &SnapshotConflict::detectedAt},
    {"resolved_by", &SnapshotConflict::resolvedBy},
    {"resolved_at", &SnapshotConflict::resolvedAt},
    {"resolution", &SnapshotConflict::resolution},
}};

// --- writing ---

void putString(std::string& out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
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

void putKey(std::string& out, std::string_view key, bool first)
{
    if (!first)
        out += ',';
    putString(out, key);
    out += ':';
}

// --- reading: a strict RFC 8259 reader that copies runs of plain characters in bulk ---

struct Reader {
    std::string_view t;
    std::size_t i = 0;
    std::size_t maxDepth = Limits{}.maxJsonDepth;

    void ws()
    {
        while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
            ++i;
    }
    bool eat(char c)
    {
        ws();
        if (i < t.size() && t[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
    bool at(char c)
    {
        ws();
        return i < t.size() && t[i] == c;
    }
    int hex4()
    {
        if (t.size() - i < 4)
            return -1;
        int v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = t[i++];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                return -1;
        }
        return v;
    }
    static void putUtf8(std::string& out, std::uint32_t cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    /// Length of the valid UTF-8 sequence at i (RFC 3629: no overlong forms, no surrogates,
    /// at most U+10FFFF), 0 when invalid.
    std::size_t utf8At() const
    {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(t[i + k]); };
        const std::size_t left = t.size() - i;
        const unsigned char c = b(0);
        const auto cont = [&](std::size_t k) { return k < left && (b(k) & 0xC0) == 0x80; };
        if (c >= 0xC2 && c <= 0xDF)
            return cont(1) ? 2 : 0;
        if (c >= 0xE0 && c <= 0xEF) {
            if (!cont(1) || !cont(2))
                return 0;
            if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F))
                return 0;
            return 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (!cont(1) || !cont(2) || !cont(3))
                return 0;
            if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F))
                return 0;
            return 4;
        }
        return 0;
    }
    /// A string at the current position; its text appended to `out` unless null.
    bool string(std::string* out)
    {
        if (!eat('"'))
            return false;
        for (;;) {
            const std::size_t run = i;
            while (i < t.size()) {
                const auto c = static_cast<unsigned char>(t[i]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                    break;
                ++i;
            }
            if (out)
                out->append(t.data() + run, i - run);
            if (i >= t.size())
                return false;
            const auto c = static_cast<unsigned char>(t[i]);
            if (c == '"') {
                ++i;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c >= 0x80) {
                const std::size_t n = utf8At();
                if (n == 0)
                    return false;
                if (out)
                    out->append(t.data() + i, n);
                i += n;
                continue;
            }
            // An escape.
            if (++i >= t.size())
                return false;
            const char e = t[i++];
            char plain = 0;
            switch (e) {
            case '"': plain = '"'; break;
            case '\\': plain = '\\'; break;
            case '/': plain = '/'; break;
            case 'b': plain = '\b'; break;
            case 'f': plain = '\f'; break;
            case 'n': plain = '\n'; break;
            case 'r': plain = '\r'; break;
            case 't': plain = '\t'; break;
            case 'u': {
                int cp = hex4();
                if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                    return false;  // not hex, or a low surrogate without its high one
                std::uint32_t code = static_cast<std::uint32_t>(cp);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (t.size() - i < 2 || t[i] != '\\' || t[i + 1] != 'u')
                        return false;
                    i += 2;
                    const int low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF)
                        return false;
                    code = 0x10000 + ((static_cast<std::uint32_t>(cp) - 0xD800) << 10)
                         + (static_cast<std::uint32_t>(low) - 0xDC00);
                }
                if (out)
                    putUtf8(*out, code);
                continue;
            }
            default: return false;
            }
            if (out)
                *out += plain;
        }
    }
    bool literal(std::string_view word)
    {
        if (t.substr(i, word.size()) != word)
            return false;
        i += word.size();
        return true;
    }
    bool digits()
    {
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9')
            ++i;
        return i > start;
    }
    bool number()
    {
        const std::size_t start = i;
        if (!numberSyntax())
            return false;
        // nlohmann refuses a number that overflows a double: so does this reader.
        if (i - start > 15 || t.substr(start, i - start).find_first_of("eE") != std::string_view::npos) {
            const std::string text(t.substr(start, i - start));
            if (!std::isfinite(std::strtod(text.c_str(), nullptr)))
                return false;
        }
        return true;
    }
    bool numberSyntax()
    {
        if (i < t.size() && t[i] == '-')
            ++i;
        if (i < t.size() && t[i] == '0')
            ++i;
        else if (!(i < t.size() && t[i] >= '1' && t[i] <= '9' && digits()))
            return false;
        if (i < t.size() && t[i] == '.') {
            ++i;
            if (!digits())
                return false;
        }
        if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
            ++i;
            if (i < t.size() && (t[i] == '+' || t[i] == '-'))
                ++i;
            if (!digits())
                return false;
        }
        return true;
    }
    bool boolean(bool& out)
    {
        ws();
        if (literal("true")) {
            out = true;
            return true;
        }
        if (literal("false")) {
            out = false;
            return true;
        }
        return false;
    }
    /// Any value, checked and skipped; `depth` containers already open around it.
    bool value(std::size_t depth)
    {
        ws();
        if (i >= t.size())
            return false;
        const char c = t[i];
        if (c == '{' || c == '[') {
            if (depth + 1 > maxDepth)
                return false;
            ++i;
            const char close = c == '{' ? '}' : ']';
            if (eat(close))
                return true;
            for (;;) {
                if (c == '{' && (!string(nullptr) || !eat(':')))
                    return false;
                if (!value(depth + 1))
                    return false;
                if (eat(','))
                    continue;
                return eat(close);
            }
        }
        if (c == '"')
            return string(nullptr);
        if (c == 't')
            return literal("true");
        if (c == 'f')
            return literal("false");
        if (c == 'n')
            return literal("null");
        return number();
    }
    /// The members of an object at `depth` (its own level), each handed to `member(key)`, which
    /// reads the value or returns false.
    template <typename F>
    bool object(F&& member)
    {
        if (!eat('{'))
            return false;
        if (eat('}'))
            return true;
        std::string key;
        for (;;) {
            key.clear();
            if (!string(&key) || !eat(':') || !member(key))
                return false;
            if (eat(','))
                continue;
            return eat('}');
        }
    }
    template <typename F>
    bool array(F&& element)
    {
        if (!eat('['))
            return false;
        if (eat(']'))
            return true;
        for (;;) {
            if (!element())
                return false;
            if (eat(','))
                continue;
            return eat(']');
        }
    }
};

bool isObjectText(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{' && isJsonText(text, Limits{}.maxJsonDepth);
}

}  // namespace

bool isJsonText(std::string_view text, std::size_t maxDepth)
{
    Reader r{text, 0, maxDepth};
    if (!r.value(0))
        return false;
    r.ws();
    return r.i == text.size();
}

std::string encodeSnapshotPage(const SnapshotPage& page)
{
    std::size_t size = 256;
    for (const auto& r : page.rows)
        size += r.fields.size() + r.stamps.size() + 300;
    std::string out;
    out.reserve(size + size / 8);
    out += "{\"rows\":[";
    for (std::size_t n = 0; n < page.rows.size(); ++n) {
        const auto& r = page.rows[n];
        out += n ? ",{" : "{";
        putKey(out, "e", true);
        putString(out, r.entity);
        putKey(out, "id", false);
        putString(out, r.id);
        putKey(out, "i", false);
        putString(out, r.incident);
        putKey(out, "p", false);
        putString(out, r.parent);
        putKey(out, "o", false);
        putString(out, r.origin);
        putKey(out, "d", false);
        out += r.deleted ? "true" : "false";
        putKey(out, "c", false);
        putString(out, r.created);
        putKey(out, "u", false);
        putString(out, r.updated);
        putKey(out, "f", false);
        putString(out, r.fields);
        putKey(out, "s", false);
        putString(out, r.stamps);
        out += '}';
    }
    out += "],\"conflicts\":[";
    for (std::size_t n = 0; n < page.conflicts.size(); ++n) {
        out += n ? ",{" : "{";
        bool first = true;
        for (const auto& [key, member] : kConflictKeys) {
            putKey(out, key, first);
            putString(out, page.conflicts[n].*member);
            first = false;
        }
        out += '}';
    }
    out += "],\"users\":{";
    for (std::size_t n = 0; n < page.users.size(); ++n) {
        putKey(out, page.users[n].first, n == 0);
        putString(out, page.users[n].second);
    }
    out += "},\"next\":";
    putString(out, page.next);
    out += ",\"cursor\":";
    putString(out, page.cursor);
    out += ",\"more\":";
    out += page.more ? "true" : "false";
    out += '}';
    return out;
}

Result<SnapshotPage> decodeSnapshotPage(std::string_view text)
{
    SnapshotPage page;
    Reader r{text};
    bool rows = false, conflicts = false, users = false, next = false, cursor = false, more = false;
    std::string where;
    std::string problem = "a snapshot page must be one JSON object";
    const auto once = [&](bool& seen) {
        if (seen)
            problem = "a snapshot page names a part twice";
        const bool fresh = !seen;
        seen = true;
        return fresh;
    };
    const bool read = r.object([&](const std::string& key) -> bool {
        where.clear();
        problem = "a snapshot page is not JSON of the expected shape";
        if (key == "rows") {
            if (!once(rows))
                return false;
            return r.array([&]() -> bool {
                SnapshotRow row;
                bool e = false, id = false, i = false, p = false, o = false, d = false, c = false, u = false,
                     f = false, s = false;
                where = "rows[" + std::to_string(page.rows.size()) + "]";
                problem = "a row needs e, id, i, p, o, d, c, u, f and s of the right kinds";
                const bool ok = r.object([&](const std::string& k) -> bool {
                    const auto column = [&](std::string& out, bool& seen) {
                        if (seen)
                            return false;
                        seen = true;
                        return r.string(&out);
                    };
                    if (k == "e")
                        return column(row.entity, e);
                    if (k == "id")
                        return column(row.id, id);
                    if (k == "i")
                        return column(row.incident, i);
                    if (k == "p")
                        return column(row.parent, p);
                    if (k == "o")
                        return column(row.origin, o);
                    if (k == "c")
                        return column(row.created, c);
                    if (k == "u")
                        return column(row.updated, u);
                    if (k == "f")
                        return column(row.fields, f);
                    if (k == "s")
                        return column(row.stamps, s);
                    if (k == "d") {
                        if (d)
                            return false;
                        d = true;
                        return r.boolean(row.deleted);
                    }
                    return r.value(3);  // a later version's addition
                });
                if (!ok || !(e && id && i && p && o && d && c && u && f && s))
                    return false;
                if (std::find(kRowEntities.begin(), kRowEntities.end(), row.entity) == kRowEntities.end()) {
                    problem = "a row must name a known kind of record";
                    return false;
                }
                if (row.id.empty() || row.origin.empty()) {
                    problem = "a row needs an id and an origin";
                    return false;
                }
                if (!hlcFromString(row.created) || !hlcFromString(row.updated)) {
                    problem = "a row's created and updated stamps must be HLC stamps";
                    return false;
                }
                if (!isObjectText(row.fields) || !isObjectText(row.stamps)) {
                    problem = "a row's fields and stamps must be JSON objects";
                    return false;
                }
                page.rows.push_back(std::move(row));
                return true;
            });
        }
        if (key == "conflicts") {
            if (!once(conflicts))
                return false;
            return r.array([&]() -> bool {
                SnapshotConflict c;
                std::array<bool, kConflictKeys.size()> seen{};
                where = "conflicts[" + std::to_string(page.conflicts.size()) + "]";
                problem = "a conflict needs each of its columns as text";
                const bool ok = r.object([&](const std::string& k) -> bool {
                    for (std::size_t n = 0; n < kConflictKeys.size(); ++n) {
                        if (kConflictKeys[n].first == k) {
                            if (seen[n])
                                return false;
                            seen[n] = true;
                            return r.string(&(c.*kConflictKeys[n].second));
                        }
                    }
                    return r.value(3);
                });
                if (!ok || std::find(seen.begin(), seen.end(), false) != seen.end())
                    return false;
                const std::size_t depth = Limits{}.maxJsonDepth - 1;  // each value sits in the conflict
                if (c.record.empty() || c.field.empty() || !hlcFromString(c.keptHlc) || !hlcFromString(c.lostHlc)
                    || !isJsonText(c.keptValue, depth) || !isJsonText(c.lostValue, depth)
                    || (!c.resolution.empty() && !isJsonText(c.resolution, depth))) {
                    problem = "a conflict needs its record, field, both stamps and both values as JSON";
                    return false;
                }
                page.conflicts.push_back(std::move(c));
                return true;
            });
        }
        if (key == "users") {
            if (!once(users))
                return false;
            where = "users";
            problem = "users must map device ids to user ids";
            return r.object([&](const std::string& device) -> bool {
                std::string user;
                if (device.empty() || !r.string(&user))
                    return false;
                page.users.emplace_back(device, std::move(user));
                return true;
            });
        }
        if (key == "next" || key == "cursor") {
            if (!once(key == "next" ? next : cursor))
                return false;
            return r.string(key == "next" ? &page.next : &page.cursor);
        }
        if (key == "more") {
            if (!once(more))
                return false;
            return r.boolean(page.more);
        }
        return r.value(1);
    });
    if (!read) {
        return malformed(problem, where);
    }
    r.ws();
    if (r.i != text.size())
        return malformed("a snapshot page must be one JSON object");
    if (!(rows && conflicts && users && next && cursor && more))
        return malformed("a snapshot page needs rows, conflicts, users, next, cursor and more");
    if (page.more && page.next.empty())
        return malformed("a snapshot page with more to come must say where to go on", "next");
    return page;
}

}  // namespace vigil::sync
