// libFuzzer target for the wire decoders of vigil_sync_protocol, and the core's bank-holiday
// parser the device runs on the list the server sends (free of Asio, so clang can
// build it with -fsanitize=fuzzer,address,undefined; see the `fuzz` preset). Under g++ the same
// function is driven by ReplayMain.cpp over the committed corpus as a ctest.
//
// The first byte of an input picks the decoder; the rest is what a hostile peer could send.
// Besides "no crash, no sanitizer report", each decoder must keep the promises its callers
// rely on: what decodes re-encodes to the same value, limits hold, and nothing throws.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/casework/WorkingDays.h"
#include "core/common/JsonText.h"
#include "core/records/OpLimits.h"
#include "sync/protocol/Compression.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/protocol/Protocol.h"
#include "sync/protocol/SnapshotCodec.h"

namespace {

using namespace vigil;
using namespace vigil::sync;

/// Which decoder an input is for (its first byte, modulo the count).
enum class Decoder : std::uint8_t {
    PushRequest,
    PushResponse,
    PullResponse,
    EnrolmentCode,
    Gzip,
    Deflate,
    OtherMessages,
    HeaderValues,
    SnapshotPage,
    Zstd,
    BankHolidays,
    OpLimitChecks,
    Count
};

/// A broken promise is a bug: report it the way the fuzzer reports a crash.
void require(bool holds, const char* promise)
{
    if (!holds) {
        std::fprintf(stderr, "property violated: %s\n", promise);
        std::abort();
    }
}

std::size_t depthOf(const nlohmann::json& j)
{
    std::size_t deepest = 0;
    if (j.is_structured()) {
        for (const auto& child : j)
            deepest = std::max(deepest, depthOf(child));
        return deepest + 1;
    }
    return 0;
}

/// Same type at every node (nlohmann's == takes 1 and 1u as equal).
bool sameTypes(const nlohmann::json& a, const nlohmann::json& b)
{
    if (a.type() != b.type() || a.size() != b.size())
        return false;
    if (a.is_object()) {
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
            if (ia.key() != ib.key() || !sameTypes(*ia, *ib))
                return false;
        }
    } else if (a.is_array()) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!sameTypes(a[i], b[i]))
                return false;
        }
    }
    return true;
}

/// What parseJson accepts is never nested deeper than the limit (deeper values overflow the
/// stack of code that copies or prints them).
Result<nlohmann::json> parse(std::string_view text)
{
    auto json = parseJson(text);
    if (json)
        require(depthOf(*json) <= Limits{}.maxJsonDepth, "parsed JSON is within the depth limit");
    // core/common/JsonText gives exactly nlohmann's value and text (records written by one
    // build are read, hashed and compared by another). Only for text within the depth limit:
    // a deeper value overflows the stack of whoever destroys it (nlohmann included).
    if (!json) {
        require(!vigil::json::read(text, Limits{}.maxJsonDepth), "the fast reader refuses what parseJson refuses");
        return json;
    }
    const auto theirs = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    const auto ours = vigil::json::parse(text);
    require(!ours.is_discarded() && !theirs.is_discarded(), "the fast reader accepts what nlohmann accepts");
    require(ours == theirs && vigil::json::dump(ours) == theirs.dump(), "the fast reader and writer match nlohmann");
    require(sameTypes(ours, theirs) && sameTypes(*json, theirs), "the fast reader gives nlohmann's number types");
    return json;
}

/// Decoded → encoded → decoded must give the same value (an asymmetric codec loses data).
/// Messages written as text directly (toText) or through nlohmann (toJson).
template <typename T>
std::string encoded(const T& value)
{
    if constexpr (requires { toText(value); })
        return toText(value);
    else
        return toJson(value).dump();
}

template <typename T, typename Decode>
void roundTrips(const T& value, Decode decode, const char* what)
{
    const std::string text = encoded(value);
    auto again = parseJson(text);
    require(again.ok(), what);
    auto decoded = decode(*again);
    require(decoded.ok(), what);
    require(encoded(*decoded) == text, what);
}

void pushRequest(std::string_view text)
{
    auto json = parse(text);
    if (!json)
        return;
    const Limits limits;
    auto request = pushRequestFromJson(*json, limits.maxOpsPerPush);
    if (!request) {
        require(!request.error().message.empty(), "a refused push says why");
        return;
    }
    require(request->ops.size() <= limits.maxOpsPerPush, "a push holds at most maxOpsPerPush ops");
    for (const Op& op : request->ops) {
        require(op.seq >= 1, "a decoded op has a positive seq");
        // What the server judges next: the size limits of each op (never throws).
        if (auto breach = checkOpLimits(op))
            require(!breach->message.empty(), "a refused op says why");
    }
    roundTrips(*request, [&](const nlohmann::json& j) { return pushRequestFromJson(j, limits.maxOpsPerPush); },
               "a push request round-trips");
}

/// The size limits of one change (issue 22), the rule device and server share: never throws,
/// and refuses exactly what is over a limit, naming the field, in words. Small limits here, so
/// short inputs reach every boundary.
void opLimitChecks(std::string_view text)
{
    auto json = parse(text);
    if (!json)
        return;
    const nlohmann::json& opJson = json->is_object() && json->contains("op") ? json->at("op") : *json;
    auto op = opFromJson(opJson);
    if (!op)
        return;
    for (const OpLimits& limits : {OpLimits{}, OpLimits{8, 8, 12, 16, 64, 96, 160}}) {
        const auto breach = checkOpLimits(*op, limits);
        const std::size_t bytes = valueBytes(op->value);
        const ValueKind kind = valueKindOf(op->field, op->value);
        const std::size_t kindMax = kind == ValueKind::ShortText ? limits.shortTextBytes
                                  : kind == ValueKind::LongText  ? limits.longTextBytes
                                  : kind == ValueKind::Structure ? limits.structureBytes
                                                                 : static_cast<std::size_t>(-1);
        const bool idsOver = op->opId.size() > limits.idBytes || op->device.size() > limits.idBytes
                          || op->id.size() > limits.idBytes || op->entity.size() > limits.entityBytes
                          || op->field.size() > limits.fieldPathBytes;
        const bool wholeOver = (op->value.is_string() || op->value.is_structured())
                            && bytes + op->entity.size() + op->id.size() + op->field.size() + 256 > limits.anyOpBytes;
        require(breach.has_value() == (idsOver || (kind != ValueKind::Scalar && bytes > kindMax) || wholeOver),
                "an op is refused exactly when it is over a limit");
        if (breach) {
            require(!breach->message.empty() && !breach->field.empty(), "a refused op says why and names the field");
            require(breach->message.find("at most") != std::string::npos, "a refusal names the limit");
        }
        // Growing a refused text value never makes it pass.
        if (breach && op->value.is_string() && !idsOver) {
            Op longer = *op;
            longer.value = op->value.get<std::string>() + "x";
            require(checkOpLimits(longer, limits).has_value(), "a longer value than a refused one is refused");
        }
    }
}

void pushResponse(std::string_view text)
{
    auto json = parse(text);
    if (!json)
        return;
    auto response = pushResponseFromJson(*json);
    if (response)
        roundTrips(*response, [](const nlohmann::json& j) { return pushResponseFromJson(j); }, "a push answer round-trips");
}

void pullResponse(std::string_view text)
{
    auto json = parse(text);
    if (!json)
        return;
    auto response = pullResponseFromJson(*json);
    if (response)
        roundTrips(*response, [](const nlohmann::json& j) { return pullResponseFromJson(j); }, "a pull page round-trips");
}

bool samePage(const SnapshotPage& a, const SnapshotPage& b)
{
    return a.rows == b.rows && a.conflicts == b.conflicts && a.users == b.users && a.next == b.next
        && a.cursor == b.cursor && a.more == b.more;
}

void snapshotPage(std::string_view text)
{
    // The snapshot's own reader: what it calls JSON nlohmann reads too (a device stores row text
    // it accepted, and reads it back with nlohmann); a page it accepts re-encodes to itself.
    if (isJsonText(text, Limits{}.maxJsonDepth))
        require(parseJson(text).ok(), "text the snapshot reader accepts is JSON to nlohmann too");
    auto page = decodeSnapshotPage(text);
    if (!page)
        return;
    const std::string again = encodeSnapshotPage(*page);
    require(parseJson(again).ok(), "an encoded snapshot page is JSON");
    auto back = decodeSnapshotPage(again);
    require(back.ok() && samePage(*page, *back), "a snapshot page round-trips");
    for (const auto& r : page->rows) {
        auto fields = parseJson(r.fields);
        require(fields.ok() && fields->is_object(), "an accepted row's fields are a JSON object");
    }
}

/// The bank-holiday list a device receives from GET /v1/bank-holidays (1.3), read with the core's
/// parser (WorkingDays::parse). A list it accepts keeps the promises the clock relies on.
void bankHolidayList(std::string_view text)
{
    auto list = WorkingDays::parse(text, "from the server");
    if (!list) {
        require(!list.error().message.empty(), "a refused bank-holiday list says why");
        return;
    }
    require(list->version() >= 1 && list->version() <= kMaxBankHolidayVersion, "a list's version is in range");
    require(list->coversFrom() <= list->coversTo(), "a list covers a range of dates");
    const auto& days = list->holidays();
    for (std::size_t i = 0; i < days.size(); ++i) {
        require(days[i].date >= list->coversFrom() && days[i].date <= list->coversTo(), "every holiday is covered");
        require(i == 0 || days[i - 1].date < days[i].date, "holidays are sorted, none twice");
        const std::chrono::weekday wd{days[i].date};
        require(wd != std::chrono::Saturday && wd != std::chrono::Sunday, "no holiday at a weekend");
        auto holiday = list->bankHoliday(days[i].date);
        require(holiday.ok() && *holiday != nullptr, "a listed holiday is found");
    }
    // The questions the clock asks: answered within the coverage, refused in words past it.
    for (const int n : {0, 1, 5}) {
        auto day = list->addWorkingDays(list->coversFrom(), n);
        require(day.ok() || !day.error().message.empty(), "a working-day sum is answered or refused in words");
    }
    auto outside = list->isWorkingDay(list->coversTo() + std::chrono::days{1});
    require(!outside.ok(), "a day past the coverage is refused");
}

void enrolmentCode(std::string_view text)
{
    auto code = parseEnrolmentCode(text);
    if (!code)
        return;
    require(code->port != 0, "a parsed code has a port");
    require(code->codeId.size() == kCodeIdChars && code->secret.size() == kCodeSecretChars,
            "a parsed code has the id and secret lengths");
    auto again = parseEnrolmentCode(formatEnrolmentCode(*code));
    require(again.ok(), "a formatted code parses");
    require(again->host == code->host && again->port == code->port && again->pin == code->pin
                && again->codeId == code->codeId && again->secret == code->secret,
            "an enrolment code round-trips");
}

void decompress(std::string_view data, ContentEncoding encoding)
{
    // Small limit: the fuzzer should find the bomb checks, not spend its time inflating.
    constexpr std::size_t kLimit = 256 * 1024;
    DecodeFailure failure = DecodeFailure::None;
    auto out = decompressBody(data, encoding, kLimit, &failure);
    if (!out) {
        require(failure != DecodeFailure::None, "a failed decompression says whether too large or damaged");
        return;
    }
    require(failure == DecodeFailure::None, "a successful decompression reports no failure");
    require(out->size() <= kLimit, "decompression stops at the limit");
    auto packed = compressBody(*out, encoding);
    require(packed.ok(), "what was decompressed compresses");
    auto again = decompressBody(*packed, encoding, kLimit);
    require(again.ok() && *again == *out, "compression round-trips");
}

void otherMessages(std::string_view text)
{
    auto json = parse(text);
    if (!json)
        return;
    if (auto e = errorBodyFromJson(*json))
        roundTrips(*e, [](const nlohmann::json& j) { return errorBodyFromJson(j); }, "an error body round-trips");
    if (auto r = enrolRequestFromJson(*json)) {
        require(!r->codeId.empty() && r->codeId.size() <= 64 && r->deviceName.size() <= 128,
                "an enrolment request is within its limits");
        roundTrips(*r, [](const nlohmann::json& j) { return enrolRequestFromJson(j); }, "an enrolment request round-trips");
    }
    if (auto r = enrolResponseFromJson(*json))
        roundTrips(*r, [](const nlohmann::json& j) { return enrolResponseFromJson(j); }, "an enrolment answer round-trips");
    if (auto s = deviceStatusFromJson(*json))
        roundTrips(*s, [](const nlohmann::json& j) { return deviceStatusFromJson(j); }, "a device status round-trips");
    if (json->is_object()) {
        if (auto it = json->find("op"); it != json->end()) {
            if (auto op = opFromJson(*it)) {
                auto again = opFromJson(opToJson(*op));
                require(again.ok() && *again == *op, "an op round-trips");
                std::string written;
                appendOpJson(written, *op);
                require(written == vigil::json::dump(opToJson(*op)), "an op is written as text as nlohmann writes it");
            }
        }
    }
}

void headerValues(std::string_view text)
{
    if (auto v = parseProtocolVersion(text)) {
        auto again = parseProtocolVersion(std::to_string(v->major) + "." + std::to_string(v->minor));
        require(again && again->major == v->major && again->minor == v->minor, "a protocol version round-trips");
    }
    if (auto e = parseContentEncoding(text))
        require(parseContentEncoding(contentEncodingName(*e)) == e, "a content encoding round-trips");
    (void)acceptsGzip(text);
    if (auto bytes = base64UrlDecode(text)) {
        auto again = base64UrlDecode(base64UrlEncode(*bytes));
        require(again && *again == *bytes, "base64url round-trips");
    }
    if (auto pin = pinFromText(text))
        require(pinFromText(pinToText(*pin)) == pin, "a pin round-trips");
    if (auto code = normaliseCrockford(text)) {
        require(normaliseCrockford(*code) == code, "normalised Crockford text is stable");
        for (char c : *code)
            require(kCrockford.find(c) != std::string_view::npos, "normalised Crockford uses the alphabet only");
    }
    (void)isValidUserId(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const auto decoder = static_cast<Decoder>(data[0] % static_cast<std::uint8_t>(Decoder::Count));
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (decoder) {
    case Decoder::PushRequest: pushRequest(rest); break;
    case Decoder::PushResponse: pushResponse(rest); break;
    case Decoder::PullResponse: pullResponse(rest); break;
    case Decoder::EnrolmentCode: enrolmentCode(rest); break;
    case Decoder::Gzip: decompress(rest, ContentEncoding::Gzip); break;
    case Decoder::Deflate: decompress(rest, ContentEncoding::Deflate); break;
    case Decoder::OtherMessages: otherMessages(rest); break;
    case Decoder::HeaderValues: headerValues(rest); break;
    case Decoder::SnapshotPage: snapshotPage(rest); break;
    case Decoder::Zstd: decompress(rest, ContentEncoding::Zstd); break;
    case Decoder::BankHolidays: bankHolidayList(rest); break;
    case Decoder::OpLimitChecks: opLimitChecks(rest); break;
    case Decoder::Count: break;
    }
    return 0;
}
