// The wire format without any network: enrolment codes, versions, codec, compression limits.
#include <catch2/catch.hpp>

#include <set>

#include "sync/protocol/Compression.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/protocol/Protocol.h"

using namespace vigil;
using namespace vigil::sync;

namespace {
SpkiPin somePin()
{
    SpkiPin pin{};
    for (std::size_t i = 0; i < pin.size(); ++i)
        pin[i] = static_cast<unsigned char>(i * 7 + 1);
    return pin;
}
}  // namespace

TEST_CASE("An enrolment code round-trips through its printed form", "[protocol][code]")
{
    EnrolmentCode code{"127.0.0.1", 8443, somePin(), "ABC123", "WXYZ0123456Q"};
    const std::string line = formatEnrolmentCode(code);
    CHECK(line.rfind("vigil1:127.0.0.1:8443:", 0) == 0);
    CHECK(line.substr(line.rfind(':') + 1) == "ABC123-WXYZ-0123-456Q");
    auto parsed = parseEnrolmentCode(line);
    REQUIRE(parsed.ok());
    CHECK(parsed->host == "127.0.0.1");
    CHECK(parsed->port == 8443);
    CHECK(parsed->pin == somePin());
    CHECK(parsed->codeId == "ABC123");
    CHECK(parsed->secret == "WXYZ0123456Q");
}

TEST_CASE("A typed code forgives case, dashes, spaces and look-alike letters", "[protocol][code]")
{
    EnrolmentCode code{"localhost", 9000, somePin(), "ABC1Z0", "WXYZ0123456Q"};
    std::string line = formatEnrolmentCode(code);
    const auto tail = line.rfind(':') + 1;
    line = line.substr(0, tail) + "abcLz o-wxyz 0123-456q\n";
    auto parsed = parseEnrolmentCode(line);
    REQUIRE(parsed.ok());
    CHECK(parsed->codeId == "ABC1Z0");
    CHECK(parsed->secret == "WXYZ0123456Q");
}

TEST_CASE("An IPv6 server address is carried in brackets", "[protocol][code]")
{
    EnrolmentCode code{"::1", 8443, somePin(), "ABC123", "WXYZ0123456Q"};
    auto parsed = parseEnrolmentCode(formatEnrolmentCode(code));
    REQUIRE(parsed.ok());
    CHECK(parsed->host == "::1");
}

TEST_CASE("Damaged enrolment codes are refused with the part that is wrong", "[protocol][code]")
{
    const std::string good = formatEnrolmentCode({"127.0.0.1", 8443, somePin(), "ABC123", "WXYZ0123456Q"});
    const auto bad = [](const std::string& text) {
        auto r = parseEnrolmentCode(text);
        REQUIRE_FALSE(r.ok());
        return r.error().message;
    };
    CHECK_THAT(bad("http://x"), Catch::Contains("vigil1:"));
    CHECK_THAT(bad("vigil1:127.0.0.1:99999:" + good.substr(good.find(':', 17) + 1)), Catch::Contains("port"));
    CHECK_THAT(bad("vigil1:127.0.0.1:8443:short:ABC123-WXYZ-0123-456Q"), Catch::Contains("fingerprint"));
    CHECK_THAT(bad(good.substr(0, good.size() - 1)), Catch::Contains("18 letters"));
    CHECK_THAT(bad(good.substr(0, good.size() - 1) + "U"), Catch::Contains("not used"));
    CHECK_THAT(bad("vigil1:bad host:8443:x:y"), Catch::Contains("address"));
}

TEST_CASE("Random code secrets use the whole Crockford alphabet and do not repeat", "[protocol][code]")
{
    std::set<std::string> seen;
    std::set<char> chars;
    for (int i = 0; i < 2000; ++i) {
        const std::string s = randomCrockford(kCodeSecretChars);
        REQUIRE(s.size() == 12);
        seen.insert(s);
        chars.insert(s.begin(), s.end());
    }
    CHECK(seen.size() == 2000);
    CHECK(chars.size() == 32);
    static_assert(kCodeSecretChars * 5 >= 50, "at least 50 bits of randomness");
}

TEST_CASE("Protocol versions parse as major.minor", "[protocol]")
{
    CHECK(parseProtocolVersion("1.0")->major == 1);
    CHECK(parseProtocolVersion("1")->minor == 0);
    CHECK(parseProtocolVersion("2.7")->minor == 7);
    CHECK_FALSE(parseProtocolVersion(""));
    CHECK_FALSE(parseProtocolVersion("one"));
    CHECK_FALSE(parseProtocolVersion("1."));
    CHECK_FALSE(parseProtocolVersion("-1.0"));
    CHECK(protocolVersionText() == "1.1");
}

TEST_CASE("Messages round-trip and malformed ones name the field", "[protocol][codec]")
{
    UserInfo user{"pc.4821", "PC Example", Role::Idva, "north", "camden", Scope::Self, true};
    EnrolResponse reply{"dev-1", "token", user};
    auto back = enrolResponseFromJson(toJson(reply));
    REQUIRE(back.ok());
    CHECK(back->user.role == Role::Idva);
    CHECK(back->user.restrictedClearance);

    auto j = toJson(reply);
    j["user"]["role"] = "sheriff";
    auto bad = enrolResponseFromJson(j);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().field == "user.role");

    CHECK_FALSE(enrolRequestFromJson(nlohmann::json::array()).ok());
    CHECK_FALSE(enrolRequestFromJson({{"code_id", "A"}}).ok());
    CHECK_FALSE(enrolRequestFromJson({{"code_id", "A"}, {"secret", std::string(65, 'x')}}).ok());
    CHECK(enrolRequestFromJson({{"code_id", "A"}, {"secret", "B"}}).ok());
    CHECK_FALSE(parseJson("{").ok());
    CHECK_FALSE(parseJson(std::string(100000, '[')).ok());
}

TEST_CASE("Bodies compress and decompress within the limit", "[protocol][compression]")
{
    const std::string text(50000, 'a');
    for (auto enc : {ContentEncoding::Gzip, ContentEncoding::Deflate}) {
        auto packed = compressBody(text, enc);
        REQUIRE(packed.ok());
        CHECK(packed->size() < 1000);
        auto unpacked = decompressBody(*packed, enc, 1 << 20);
        REQUIRE(unpacked.ok());
        CHECK(*unpacked == text);
    }
}

TEST_CASE("A zip bomb stops at the decoded-size limit", "[protocol][compression]")
{
    const std::string zeros(64 * 1024 * 1024, '\0');
    auto packed = compressBody(zeros, ContentEncoding::Gzip);
    REQUIRE(packed.ok());
    CHECK(packed->size() < 100 * 1024);
    DecodeFailure why = DecodeFailure::None;
    auto r = decompressBody(*packed, ContentEncoding::Gzip, 8 * 1024 * 1024, &why);
    REQUIRE_FALSE(r.ok());
    CHECK(why == DecodeFailure::TooLarge);
}

TEST_CASE("Damaged or truncated compressed bodies are refused", "[protocol][compression]")
{
    auto packed = compressBody(std::string(10000, 'x'), ContentEncoding::Gzip);
    REQUIRE(packed.ok());
    DecodeFailure why = DecodeFailure::None;
    CHECK_FALSE(decompressBody(packed->substr(0, packed->size() / 2), ContentEncoding::Gzip, 1 << 20, &why).ok());
    CHECK(why == DecodeFailure::Malformed);
    CHECK_FALSE(decompressBody("not gzip at all", ContentEncoding::Gzip, 1 << 20, &why).ok());
    CHECK_FALSE(decompressBody(*packed + "trailing", ContentEncoding::Gzip, 1 << 20, &why).ok());
    CHECK_FALSE(parseContentEncoding("br"));
    CHECK_FALSE(parseContentEncoding("gzip, gzip"));
    CHECK(acceptsGzip("deflate, gzip;q=0.5"));
    CHECK_FALSE(acceptsGzip("gzip;q=0"));
}
