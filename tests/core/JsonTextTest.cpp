// core/common/JsonText: the fast JSON reader and writer must give exactly nlohmann's results,
// because records written by one build are read by another, hashed for digests, and compared
// field by field in conflict detection. A value that differed only in a number's type (1 read
// as a signed integer instead of unsigned) would compare equal in nlohmann yet print and hash
// differently elsewhere, so the checks here compare types at every level, not only ==.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "core/common/JsonText.h"

namespace {

using nlohmann::json;

/// Same type at every node, same values (nlohmann's == treats 1 and 1u as equal: not enough).
bool identical(const json& a, const json& b)
{
    if (a.type() != b.type())
        return false;
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
            if (ia.key() != ib.key() || !identical(*ia, *ib))
                return false;
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!identical(a[i], b[i]))
                return false;
        }
        return true;
    }
    if (a.is_number_float())
        return a.dump() == b.dump();  // NaN never comes from text; -0.0 and 0.0 differ in text
    return a == b;
}

/// parse() reads what nlohmann reads, and dump() writes what nlohmann writes, for `text`.
void sameAsNlohmann(const std::string& text)
{
    INFO("text: " << text);
    const json theirs = json::parse(text, nullptr, false);
    const json ours = vigil::json::parse(text);
    REQUIRE(ours.is_discarded() == theirs.is_discarded());
    if (theirs.is_discarded())
        return;
    CHECK(identical(ours, theirs));
    CHECK(vigil::json::dump(ours) == theirs.dump());
}

/// Random JSON-ish text: valid documents, and documents with a byte changed, cut or added.
class TextMaker {
public:
    explicit TextMaker(std::uint64_t seed) : m_rng(seed) {}
    std::string value(int depth)
    {
        switch (pick(depth > 4 ? 6 : 8)) {
        case 0: return "null";
        case 1: return pick(2) ? "true" : "false";
        case 2: return number();
        case 3:
        case 4:
        case 5: return string();
        case 6: {
            std::string out = "[";
            for (int n = pick(4); n > 0; --n)
                out += value(depth + 1) + (n > 1 ? "," : "");
            return out + space() + "]";
        }
        default: {
            std::string out = "{";
            for (int n = pick(4); n > 0; --n)
                out += space() + string() + space() + ":" + value(depth + 1) + (n > 1 ? "," : "");
            return out + "}";
        }
        }
    }
    std::string damaged(std::string text)
    {
        if (text.empty())
            return text;
        const std::size_t at = static_cast<std::size_t>(pick(static_cast<int>(text.size())));
        switch (pick(3)) {
        case 0: text[at] = static_cast<char>(pick(256)); break;
        case 1: text.resize(at); break;
        default: text.insert(at, 1, "{}[],:\"\\0-eE.u "[pick(15)]);
        }
        return text;
    }
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }

private:
    std::string space() { return pick(4) == 0 ? " \n\t\r"[static_cast<std::size_t>(pick(4))] + std::string() : ""; }
    std::string number()
    {
        static const char* kNumbers[] = {"0", "-0", "1", "-1", "42", "0.5", "-0.0", "1e3", "1E-3", "2.5e+10",
                                         "18446744073709551615", "18446744073709551616", "-9223372036854775808",
                                         "-9223372036854775809", "9223372036854775807", "9223372036854775808",
                                         "1e308", "1e309", "-1e309", "1e-400", "4.9e-324", "2.2250738585072014e-308",
                                         "0.1", "3.141592653589793", "123456789012345678901234567890", "01", "1.",
                                         ".5", "+1", "1e", "-", "0x10"};
        return kNumbers[pick(static_cast<int>(std::size(kNumbers)))];
    }
    std::string string()
    {
        static const char* kPieces[] = {"plain words ", "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0000",
                                        "\\u001f", "\\u00e9", "\\ud83d\\ude00", "\\ud83d", "\\ude00x", "é", "😀",
                                        "\x7f", "\x01", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
                                        "\t", "\\x"};
        std::string out = "\"";
        for (int n = pick(5); n > 0; --n)
            out += kPieces[pick(static_cast<int>(std::size(kPieces)))];
        if (pick(6) == 0)
            out += std::string(static_cast<std::size_t>(pick(3000)), 'w');
        return out + "\"";
    }
    std::mt19937_64 m_rng;
};

}  // namespace

TEST_CASE("JSON text reads and writes exactly as nlohmann does", "[json]")
{
    for (const char* text :
         {"null", "true", "false", "0", "-0", "-0.0", "1.5", "1e2", "18446744073709551615", "18446744073709551616",
          "-9223372036854775808", "-9223372036854775809", "1e400", "1e-400", "\"\"", "\"a\\u0000b\"", "\"\\ud83d\\ude00\"",
          "\"\x7f\x01\"", "[]", "{}", " [1, 2 ,3 ] ", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":[null,{}]}}",
          "[1,]", "{\"a\" 1}", "\"\\x\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "01", "[1] x", "", " ", "nul", "\"\\ud800\""})
        sameAsNlohmann(text);
}

TEST_CASE("Random and damaged JSON text reads and writes exactly as nlohmann does", "[json]")
{
    TextMaker maker(20261124);
    int accepted = 0;
    for (int n = 0; n < 20000; ++n) {
        std::string text = maker.value(0);
        if (maker.pick(3) == 0)
            text = maker.damaged(text);
        sameAsNlohmann(text);
        accepted += json::parse(text, nullptr, false).is_discarded() ? 0 : 1;
    }
    // Both kinds were exercised: neither "all refused" nor "all accepted" would test much.
    CHECK(accepted > 5000);
    CHECK(accepted < 19000);
}

TEST_CASE("Writing a value built in memory gives nlohmann's text, and refuses what it refuses", "[json]")
{
    json note = {{"value", "yes"}, {"note", std::string("line one\nline \"two\"\ttab \x01 é 😀 ") + std::string(4000, 'x')},
                 {"n", -3}, {"u", 7u}, {"f", 0.1}, {"big", 1e300}, {"list", {1, "two", nullptr, false, {{"k", 2.5}}}}};
    CHECK(vigil::json::dump(note) == note.dump());
    std::string out = "prefix";
    vigil::json::dumpTo(out, note);
    CHECK(out == "prefix" + note.dump());
    // Text that is not UTF-8 cannot be written as JSON: the same refusal as nlohmann's.
    const json broken = {{"k", std::string("bad \xc3(")}};
    CHECK_THROWS_AS(broken.dump(), json::type_error);
    CHECK_THROWS_AS(vigil::json::dump(broken), json::type_error);
    const json brokenKey = {{std::string("\xff"), 1}};
    CHECK_THROWS_AS(vigil::json::dump(brokenKey), json::type_error);
}

TEST_CASE("read() stops at the nesting limit it is given", "[json]")
{
    const std::string deep65 = std::string(65, '[') + std::string(65, ']');
    const std::string deep64 = std::string(64, '[') + std::string(64, ']');
    CHECK_FALSE(vigil::json::read(deep65, 64).has_value());
    CHECK(vigil::json::read(deep64, 64).has_value());
    // parse() hands deeper text to nlohmann: the value is still read.
    const std::string deep500 = std::string(500, '[') + std::string(500, ']');
    CHECK(identical(vigil::json::parse(deep500), json::parse(deep500)));
}

TEST_CASE("An id list kept as JSON text reads back as its strings, and anything else as none", "[json]")
{
    CHECK(vigil::json::stringList(R"(["a", "b-1", "é"])") == std::vector<std::string>{"a", "b-1", "é"});
    CHECK(vigil::json::stringList(R"(["a", 3, null, "c"])") == std::vector<std::string>{"a", "c"});
    CHECK(vigil::json::stringList("").empty());
    CHECK(vigil::json::stringList(R"({"a": "b"})").empty());
    CHECK(vigil::json::stringList("[\"unterminated").empty());
}
