// The wire format without any network: enrolment codes, versions, codec, compression limits.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <set>

#include <zstd.h>

#include "sync/protocol/Compression.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/protocol/Protocol.h"
#include "sync/protocol/SnapshotCodec.h"
#include "core/records/Hlc.h"

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
    CHECK(protocolVersionText() == "1.3");
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

TEST_CASE("A push and a pull answer are written as the same JSON nlohmann writes, and read back exactly",
          "[protocol][codec]")
{
    // Ops of every shape a device sends or a server returns: with and without a base and a
    // user, values of every JSON kind, text with quotes, control characters and non-ASCII.
    std::vector<Op> ops;
    const std::vector<nlohmann::json> values = {
        nullptr, true, 42, -7, 2.5, "plain", std::string("quote \" backslash \\ tab \t bell \x07 end"),
        "Zo\xc3\xab \xe2\x80\x94 \xf0\x9f\x93\x9e", nlohmann::json::array({1, "two", nullptr}),
        {{"incident", "7d0c1a3e-0000-4000-8000-000000000001"}, {"note", "line one\nline two"}}};
    for (std::size_t i = 0; i < values.size(); ++i) {
        Op op;
        op.opId = "7d0c1a3e-0000-4000-8000-00000000010" + std::to_string(i);
        op.device = "dev-" + std::to_string(i);
        op.seq = static_cast<std::int64_t>(i + 1);
        op.entity = i % 2 ? "person" : "incident";
        op.id = "7d0c1a3e-0000-4000-8000-000000000002";
        op.field = i % 3 ? "answers.q" + std::to_string(i) : std::string(kFieldCreate);
        op.value = values[i];
        op.hlc = 0x0123456789abcdefULL + i;
        if (i % 2)
            op.base = 0x0123456789abcd00ULL;
        if (i % 3 == 2)
            op.user = "pc.4821";
        ops.push_back(op);
    }

    nlohmann::json pushJson = {{"ops", nlohmann::json::array()}};
    for (const auto& op : ops)
        pushJson["ops"].push_back(opToJson(op));
    const std::string push = toText(PushRequest{ops});
    CHECK(push == pushJson.dump());
    auto pushed = pushRequestFromJson(nlohmann::json::parse(push), 100);
    REQUIRE(pushed.ok());
    CHECK(pushed->ops == ops);

    PullResponse page{ops, "12.3", true, {"7d0c1a3e-0000-4000-8000-000000000009", "gone \"soon\""}, {}, 0, 0, {}};
    nlohmann::json pageJson = {{"ops", pushJson["ops"]}, {"cursor", page.cursor}, {"more", true}, {"forget", page.forget}};
    const std::string pull = toText(page);
    CHECK(pull == pageJson.dump());
    auto pulled = pullResponseFromJson(nlohmann::json::parse(pull));
    REQUIRE(pulled.ok());
    CHECK(pulled->ops == ops);
    CHECK(pulled->cursor == "12.3");
    CHECK(pulled->more);
    CHECK(pulled->forget == page.forget);
    CHECK(pulled->refresh.empty());

    // Incidents to build again whole: listed only when there are some.
    page.refresh = {"7d0c1a3e-0000-4000-8000-00000000000a"};
    pageJson["refresh"] = page.refresh;
    CHECK(toText(page) == pageJson.dump());
    pulled = pullResponseFromJson(nlohmann::json::parse(toText(page)));
    REQUIRE(pulled.ok());
    CHECK(pulled->refresh == page.refresh);

    // The administrator's device policy: sent when the server has one, read back; out of range refused.
    page.maxAutoLockMinutes = 3;
    pageJson["policy"] = {{"max_auto_lock_minutes", 3}};
    CHECK(toText(page) == pageJson.dump());
    pulled = pullResponseFromJson(nlohmann::json::parse(toText(page)));
    REQUIRE(pulled.ok());
    CHECK(pulled->maxAutoLockMinutes == 3);
    for (const nlohmann::json& bad : {nlohmann::json{{"max_auto_lock_minutes", 0}}, nlohmann::json{{"max_auto_lock_minutes", 61}},
                                      nlohmann::json{{"max_auto_lock_minutes", "10"}}, nlohmann::json::array()}) {
        pageJson["policy"] = bad;
        auto refused = pullResponseFromJson(pageJson);
        REQUIRE_FALSE(refused.ok());
        CHECK_THAT(refused.error().message, Catch::Contains("longest auto-lock"));
    }

    page = PullResponse{};
    CHECK(toText(page) == R"({"cursor":"","forget":[],"more":false,"ops":[]})");
    CHECK(toText(PushRequest{}) == R"({"ops":[]})");
}

TEST_CASE("Bodies compress and decompress within the limit", "[protocol][compression]")
{
    const std::string text(50000, 'a');
    for (auto enc : {ContentEncoding::Gzip, ContentEncoding::Deflate, ContentEncoding::Zstd}) {
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
    for (auto enc : {ContentEncoding::Gzip, ContentEncoding::Zstd}) {
        auto packed = compressBody(zeros, enc);
        REQUIRE(packed.ok());
        CHECK(packed->size() < 100 * 1024);
        DecodeFailure why = DecodeFailure::None;
        auto r = decompressBody(*packed, enc, 8 * 1024 * 1024, &why);
        REQUIRE_FALSE(r.ok());
        CHECK(why == DecodeFailure::TooLarge);
    }
}

TEST_CASE("A zstd frame that asks for a large window is refused before it is decoded", "[protocol][compression]")
{
    // Streamed without a declared size, a frame carries the window it was made with (here
    // 128 MiB): the decoder would have to allocate that much for a few bytes of input.
    std::unique_ptr<ZSTD_CCtx, std::size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
    REQUIRE(!ZSTD_isError(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_windowLog, 27)));
    const std::string text(1 << 20, 'w');
    std::string out(ZSTD_compressBound(text.size()), '\0');
    ZSTD_inBuffer in{text.data(), text.size(), 0};
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    REQUIRE(ZSTD_compressStream2(cctx.get(), &o, &in, ZSTD_e_continue) == 0);
    REQUIRE(ZSTD_compressStream2(cctx.get(), &o, &in, ZSTD_e_end) == 0);
    out.resize(o.pos);
    DecodeFailure why = DecodeFailure::None;
    CHECK_FALSE(decompressBody(out, ContentEncoding::Zstd, 64 << 20, &why).ok());
    CHECK(why == DecodeFailure::Malformed);
    // Vigil's own frames of a few MB stay within the cap.
    auto own = compressBody(std::string(6 << 20, 'w'), ContentEncoding::Zstd);
    REQUIRE(own.ok());
    CHECK(decompressBody(*own, ContentEncoding::Zstd, 8 << 20).ok());
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
    auto zst = compressBody(std::string(10000, 'x') + "tail", ContentEncoding::Zstd);
    REQUIRE(zst.ok());
    CHECK_FALSE(decompressBody(zst->substr(0, zst->size() - 3), ContentEncoding::Zstd, 1 << 20, &why).ok());
    CHECK(why == DecodeFailure::Malformed);
    CHECK_FALSE(decompressBody(*zst + "trailing", ContentEncoding::Zstd, 1 << 20, &why).ok());
    CHECK(why == DecodeFailure::Malformed);
    CHECK_FALSE(decompressBody("not zstd at all", ContentEncoding::Zstd, 1 << 20, &why).ok());
    CHECK_FALSE(decompressBody("", ContentEncoding::Zstd, 1 << 20, &why).ok());
    CHECK_FALSE(parseContentEncoding("br"));
    CHECK_FALSE(parseContentEncoding("gzip, gzip"));
    CHECK(parseContentEncoding("ZSTD") == ContentEncoding::Zstd);
    CHECK(acceptsGzip("deflate, gzip;q=0.5"));
    CHECK_FALSE(acceptsGzip("gzip;q=0"));
    // zstd first when offered, gzip for peers that only speak gzip, nothing otherwise.
    CHECK(preferredEncoding("gzip, zstd") == ContentEncoding::Zstd);
    CHECK(preferredEncoding(kAcceptEncodings) == ContentEncoding::Zstd);
    CHECK(preferredEncoding("gzip") == ContentEncoding::Gzip);
    CHECK(preferredEncoding("zstd;q=0, gzip") == ContentEncoding::Gzip);
    CHECK_FALSE(preferredEncoding("br, identity"));
}

namespace {

SnapshotPage samplePage()
{
    SnapshotPage page;
    StoredRow r;
    r.entity = "incident";
    r.id = "5b0f2d9e-1c3a-4e5f-8a7b-9c0d1e2f3a4b";
    r.incident = r.id;
    r.origin = "d1";
    r.created = hlcToString(1ull << 20);
    r.updated = hlcToString(1ull << 21);
    // Quotes, backslashes, control characters, accents and a character outside the BMP.
    r.fields = nlohmann::json{{"incident.summary", "Zo\u00eb said \"no\"\n\\ \x01 \xF0\x9F\x98\x80"}, {"n", 3}}.dump();
    r.stamps = nlohmann::json{{"incident.summary", hlcToString(1ull << 21) + " d2"}}.dump();
    page.rows.push_back(r);
    r.entity = "answer";
    r.id = "a1";
    r.deleted = true;
    r.fields = "{}";
    page.rows.push_back(r);
    StoredConflict c;
    c.kind = "field";
    c.entity = "incident";
    c.record = page.rows[0].id;
    c.field = "incident.summary";
    c.winner = "remote";
    c.keptValue = "\"Seen by A\"";
    c.keptHlc = hlcToString(1ull << 21);
    c.keptOrigin = "d2";
    c.lostValue = "[1,{\"x\":null}]";
    c.lostHlc = hlcToString(1ull << 20);
    c.lostOrigin = "d1";
    page.conflicts.push_back(c);
    page.users = {{"d1", "pc.a"}, {"d2", "pc.b"}};
    page.next = "12.3.6162";
    page.more = true;
    return page;
}

}  // namespace

TEST_CASE("A snapshot page is standard JSON and reads back exactly, escapes and all", "[sync][protocol][snapshot]")
{
    const SnapshotPage page = samplePage();
    const std::string text = encodeSnapshotPage(page);
    auto json = parseJson(text);
    REQUIRE(json.ok());  // nlohmann reads the writer's output
    CHECK((*json)["rows"][0]["f"].get<std::string>() == page.rows[0].fields);
    auto back = decodeSnapshotPage(text);
    REQUIRE(back.ok());
    REQUIRE(back->rows.size() == 2);
    CHECK(back->rows[0].fields == page.rows[0].fields);
    CHECK(back->rows[0].stamps == page.rows[0].stamps);
    CHECK(back->rows[1].deleted);
    CHECK(back->rows[1].entity == "answer");
    REQUIRE(back->conflicts.size() == 1);
    CHECK(back->conflicts[0].lostValue == page.conflicts[0].lostValue);
    CHECK(back->users == page.users);
    CHECK(back->next == "12.3.6162");
    CHECK(back->more);
    // What nlohmann writes (other spacing, \u escapes, other key order) reads the same.
    auto fromNlohmann = decodeSnapshotPage(json->dump(2, ' ', true));
    REQUIRE(fromNlohmann.ok());
    CHECK(fromNlohmann->rows[0].fields == page.rows[0].fields);
    // A later version's additions are passed over.
    (*json)["extra"] = {{"nested", {1, 2, 3}}};
    (*json)["rows"][0]["later"] = "x";
    auto extended = decodeSnapshotPage(json->dump());
    REQUIRE(extended.ok());
    CHECK(extended->rows.size() == 2);
}

TEST_CASE("A snapshot page that is not exactly right is refused with words, never half read", "[sync][protocol][snapshot]")
{
    const std::string good = encodeSnapshotPage(samplePage());
    const auto refused = [](const std::string& text) {
        auto page = decodeSnapshotPage(text);
        if (page.ok())
            return false;
        CHECK_THAT(page.error().message, Catch::Contains("malformed"));
        return true;
    };
    CHECK(refused(""));
    CHECK(refused(good + "x"));                                      // trailing bytes
    CHECK(refused(good.substr(0, good.size() - 1)));                 // cut short
    CHECK(refused(std::string(good).replace(good.find("incident"), 8, "incidenX")));  // unknown kind
    auto json = *parseJson(good);
    const auto with = [&](const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = json;
        edit(j);
        return j.dump();
    };
    CHECK(refused(with([](auto& j) { j.erase("more"); })));
    CHECK(refused(with([](auto& j) { j["rows"][0]["c"] = "not a stamp"; })));
    CHECK(refused(with([](auto& j) { j["rows"][0]["f"] = "[1,2]"; })));                   // not an object
    CHECK(refused(with([](auto& j) { j["rows"][0]["f"] = "{\"a\":1"; })));                // not JSON
    CHECK(refused(with([](auto& j) { j["rows"][0]["f"] = "{\"a\":" + std::string(70, '[') + std::string(70, ']') + "}"; })));
    CHECK(refused(with([](auto& j) { j["rows"][0]["s"] = "{\"a\":\"\\ud800\"}"; })));     // a lone surrogate
    CHECK(refused(with([](auto& j) { j["rows"][0]["d"] = "yes"; })));
    CHECK(refused(with([](auto& j) { j["rows"][0]["f"] = "{\"a\":1e400}"; })));  // nlohmann refuses it too
    CHECK(decodeSnapshotPage(with([](auto& j) { j["rows"][0]["f"] = "{\"a\":1.5e300,\"b\":-0}"; })).ok());
    CHECK(refused(with([](auto& j) { j["conflicts"][0]["kept_value"] = "not json"; })));
    CHECK(refused(with([](auto& j) { j["more"] = true; j["next"] = ""; })));
    // Invalid UTF-8 and a raw control character inside a string.
    CHECK(refused(std::string(good).insert(good.find("pc.a"), "\xC3\x28")));
    CHECK(refused(std::string(good).insert(good.find("pc.a"), "\x01")));
    // A name given twice.
    CHECK(refused(good.substr(0, good.size() - 1) + ",\"more\":false}"));
}
