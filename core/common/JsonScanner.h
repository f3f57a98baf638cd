#pragma once

// A strict RFC 8259 JSON scanner that moves runs of plain characters in bulk (nlohmann's lexer
// takes a character at a time, which made JSON half the time of a sync). Internal to
// core/common/JsonText.cpp and the snapshot codec; everything else uses JsonText.h.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <locale.h>
#include <stdlib.h>
#include <string>
#include <string_view>
#include <system_error>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <nlohmann/json.hpp>

namespace vigil::json {

/// Nesting of arrays and objects accepted unless a caller says otherwise (as the wire's limit).
inline constexpr std::size_t kMaxDepth = 64;

/// Length of the valid UTF-8 sequence at t[i] (RFC 3629: no overlong forms, no surrogates, at
/// most U+10FFFF), 0 when invalid.
inline std::size_t utf8Length(std::string_view t, std::size_t i)
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

/// How many bytes from `p` (of `n`) need no attention in a JSON string: not '"', not '\\', not a
/// control character, and (when `asciiOnly`) below 0x80. Sixteen at a time where SSE2 is there
/// (every x86-64): notes are kilobytes of plain text.
inline std::size_t plainRun(const char* p, std::size_t n, bool asciiOnly)
{
    std::size_t k = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
    for (; k + 16 <= n; k += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
        // Signed, bytes >= 0x80 are below 0x20 too; unsigned (flipped) they are not.
        const __m128i control = asciiOnly ? _mm_cmplt_epi8(v, space)
                                          : _mm_cmplt_epi8(_mm_xor_si128(v, flip), _mm_xor_si128(space, flip));
        const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control);
        if (const int mask = _mm_movemask_epi8(stop); mask != 0)
            return k + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#endif
    for (; k < n; ++k) {
        const auto c = static_cast<unsigned char>(p[k]);
        if (c == '"' || c == '\\' || c < 0x20 || (asciiOnly && c >= 0x80))
            break;
    }
    return k;
}

/// strtod in the "C" locale whatever the process's locale (Qt sets the user's: a German one
/// reads "1.5e400" as 1). Overflow gives infinity, underflow zero, as nlohmann's lexer reads.
inline double strtodC(const char* text)
{
    static const locale_t c = newlocale(LC_NUMERIC_MASK, "C", static_cast<locale_t>(nullptr));
    return strtod_l(text, nullptr, c);
}

struct Scanner {
    std::string_view t;
    std::size_t i = 0;
    std::size_t maxDepth = kMaxDepth;

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
    std::size_t utf8At() const { return utf8Length(t, i); }
    /// A string at the current position; its text appended to `out` unless null.
    bool string(std::string* out)
    {
        if (!eat('"'))
            return false;
        for (;;) {
            const std::size_t run = i;
            i += plainRun(t.data() + i, t.size() - i, true);
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
            if (!std::isfinite(strtodC(text.c_str())))
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

    /// The value at the current position built as nlohmann would build it from the same text
    /// (same types, same numbers, the last of repeated keys kept); false when the text is not
    /// JSON within `maxDepth`, or holds a number this reader leaves to nlohmann (see number()).
    bool build(nlohmann::json& out, std::size_t depth)
    {
        ws();
        if (i >= t.size())
            return false;
        const char c = t[i];
        if (c == '{') {
            if (depth + 1 > maxDepth)
                return false;
            ++i;
            out = nlohmann::json::object();
            auto& members = out.get_ref<nlohmann::json::object_t&>();
            if (eat('}'))
                return true;
            for (;;) {
                std::string key;
                if (!string(&key) || !eat(':'))
                    return false;
                nlohmann::json v;
                if (!build(v, depth + 1))
                    return false;
                members.insert_or_assign(std::move(key), std::move(v));
                if (eat(','))
                    continue;
                return eat('}');
            }
        }
        if (c == '[') {
            if (depth + 1 > maxDepth)
                return false;
            ++i;
            out = nlohmann::json::array();
            auto& elements = out.get_ref<nlohmann::json::array_t&>();
            if (eat(']'))
                return true;
            for (;;) {
                elements.emplace_back();
                if (!build(elements.back(), depth + 1))
                    return false;
                if (eat(','))
                    continue;
                return eat(']');
            }
        }
        if (c == '"') {
            std::string s;
            if (!string(&s))
                return false;
            out = std::move(s);
            return true;
        }
        if (c == 't' || c == 'f') {
            bool b = false;
            if (!boolean(b))
                return false;
            out = b;
            return true;
        }
        if (c == 'n') {
            if (!literal("null"))
                return false;
            out = nullptr;
            return true;
        }
        return numberValue(out);
    }
    /// A number as nlohmann's lexer types it: no fraction or exponent gives an unsigned (or,
    /// with a minus, a signed) integer when it fits, else a double.
    bool numberValue(nlohmann::json& out)
    {
        const std::size_t start = i;
        if (!numberSyntax())
            return false;
        const char* first = t.data() + start;
        const char* last = t.data() + i;
        const std::string_view text(first, i - start);
        if (text.find_first_of(".eE") == std::string_view::npos) {
            if (text.front() == '-') {
                std::int64_t v = 0;
                if (auto [p, ec] = std::from_chars(first, last, v); ec == std::errc() && p == last) {
                    out = v;
                    return true;
                }
            } else {
                std::uint64_t v = 0;
                if (auto [p, ec] = std::from_chars(first, last, v); ec == std::errc() && p == last) {
                    out = v;
                    return true;
                }
            }
        }
        double d = 0;
        auto [p, ec] = std::from_chars(first, last, d);
        if (ec != std::errc() || p != last || !std::isfinite(d))
            return false;  // out of a double's range either way: left to nlohmann (refused or rounded as it does)
        out = d;
        return true;
    }
};

}  // namespace vigil::json
