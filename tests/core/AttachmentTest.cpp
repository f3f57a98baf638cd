#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/common/Uuid.h"
#include "core/records/AttachmentRepository.h"
#include "core/records/ImageSanitiser.h"
#include "tests/support/FileScan.h"
#include "tests/support/RecordsFixture.h"

using namespace vigil;
using namespace vigil::test;
using Bytes = std::vector<std::uint8_t>;

namespace {

void append(Bytes& out, std::initializer_list<int> bytes)
{
    for (int b : bytes)
        out.push_back(static_cast<std::uint8_t>(b));
}

void append(Bytes& out, const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }

/// A JPEG segment: marker, big-endian length, payload.
void segment(Bytes& out, int marker, const std::string& payload)
{
    const std::size_t len = payload.size() + 2;
    append(out, {0xFF, marker, static_cast<int>(len >> 8), static_cast<int>(len & 0xFF)});
    append(out, payload);
}

const std::string kGpsCanary = "CANARY-GPS 51.5450N 0.0553W Hackney";
const std::string kCameraCanary = "CANARY-camera-serial-8841";
const std::string kPixelCanary = "CANARY-PIXELS-bruise-on-left-forearm";

/// A phone-camera-shaped JPEG: JFIF, EXIF with GPS, XMP, a comment, tables, one scan, EOI.
Bytes phonePhoto()
{
    Bytes b;
    append(b, {0xFF, 0xD8});
    segment(b, 0xE0, std::string("JFIF\0\x01\x02\x00\x00\x01\x00\x01\x00\x00", 14));
    segment(b, 0xE1, std::string("Exif\0\0", 6) + "MM*" + kCameraCanary + "GPSInfo" + kGpsCanary);
    segment(b, 0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + kGpsCanary + "</x:xmpmeta>");
    segment(b, 0xED, "Photoshop 3.0\0IPTC " + kCameraCanary);
    segment(b, 0xFE, "taken by " + kCameraCanary);
    segment(b, 0xDB, std::string(65, '\x01'));                  // quantisation table
    segment(b, 0xC0, std::string("\x08\x00\x10\x00\x10\x01\x01\x11\x00", 9));  // SOF0 16x16
    segment(b, 0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6));                // SOS
    append(b, kPixelCanary);                                     // entropy-coded data (no 0xFF)
    append(b, {0xFF, 0x00, 0x12, 0xFF, 0xD0, 0x34});             // a stuffed byte and a restart marker
    append(b, {0xFF, 0xD9});
    return b;
}

bool contains(const Bytes& hay, const std::string& needle)
{
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

}  // namespace

TEST_CASE("Importing a JPEG strips EXIF, GPS, XMP, IPTC and comments and keeps the picture", "[attachments]")
{
    const Bytes photo = phonePhoto();
    auto clean = sanitiseImage(photo);
    REQUIRE(clean.ok());
    CHECK(clean->mimeType == "image/jpeg");
    CHECK_FALSE(contains(clean->bytes, kGpsCanary));
    CHECK_FALSE(contains(clean->bytes, kCameraCanary));
    CHECK_FALSE(contains(clean->bytes, "Exif"));
    CHECK(contains(clean->bytes, "JFIF"));
    CHECK(contains(clean->bytes, kPixelCanary));
    CHECK(clean->bytes.front() == 0xFF);
    CHECK(clean->bytes[clean->bytes.size() - 1] == 0xD9);
    CHECK(clean->removed.size() == 4);
    CHECK(clean->bytes.size() + clean->removedBytes == photo.size());
}

TEST_CASE("Importing a PNG drops text, EXIF and time chunks", "[attachments]")
{
    Bytes png;
    append(png, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    const auto chunk = [&](const std::string& type, const std::string& data) {
        const auto n = data.size();
        append(png, {static_cast<int>(n >> 24), static_cast<int>((n >> 16) & 0xFF), static_cast<int>((n >> 8) & 0xFF),
                     static_cast<int>(n & 0xFF)});
        append(png, type + data);
        append(png, {0, 0, 0, 0});  // CRC (not checked by the sanitiser)
    };
    chunk("IHDR", std::string(13, '\x01'));
    chunk("tEXt", "Location\0" + kGpsCanary);
    chunk("eXIf", "MM*" + kCameraCanary);
    chunk("pHYs", std::string(9, '\x02'));
    chunk("IDAT", kPixelCanary);
    chunk("tIME", std::string(7, '\x03'));
    chunk("IEND", "");
    auto clean = sanitiseImage(png);
    REQUIRE(clean.ok());
    CHECK_FALSE(contains(clean->bytes, kGpsCanary));
    CHECK_FALSE(contains(clean->bytes, kCameraCanary));
    CHECK(contains(clean->bytes, kPixelCanary));
    CHECK(contains(clean->bytes, "pHYs"));
    CHECK(clean->removed == std::vector<std::string>{"PNG tEXt", "PNG eXIf", "PNG tIME"});
}

TEST_CASE("A file that is not a JPEG or PNG is refused with what to do", "[attachments]")
{
    const std::string text = "%PDF-1.4 not a photo";
    auto r = sanitiseImage(Bytes(text.begin(), text.end()));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("Attach a JPEG or PNG photo") != std::string::npos);
    Bytes cut = phonePhoto();
    cut.resize(cut.size() / 2);
    CHECK_FALSE(sanitiseImage(cut).ok());
}

TEST_CASE("A stored photo reads back exactly, and neither it nor its metadata is on disk in plaintext", "[attachments][security]")
{
    RecordsFixture f;
    const std::string incident = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, incident, incident, "", nlohmann::json::object(),
                              nlohmann::json::object()).ok());
    AttachmentLimits limits;
    limits.chunkBytes = 16;  // many chunks even for a small photo
    AttachmentRepository repo(*f.records, limits);
    const Bytes photo = phonePhoto();
    auto id = repo.import(f.officer, incident, photo, "injury, left forearm");
    REQUIRE(id.ok());
    auto list = repo.list(incident).value();
    REQUIRE(list.size() == 1);
    CHECK(list[0].chunks > 5);
    auto back = repo.read(f.officer, *id);
    REQUIRE(back.ok());
    CHECK(*back == sanitiseImage(photo).value().bytes);

    auto hits = scanForPlaintext(f.dir.path(), {kPixelCanary, kGpsCanary, kCameraCanary, "JFIF"});
    for (const auto& h : hits)
        UNSCOPED_INFO("found '" << h.needle << "' in " << h.file);
    CHECK(hits.empty());
    f.db.reset();  // lock, checkpoint
    CHECK(scanForPlaintext(f.dir.path(), {kPixelCanary, kGpsCanary, kCameraCanary, "JFIF"}).empty());
}

TEST_CASE("Photos over the per-file or per-incident limit are refused with the limit named", "[attachments]")
{
    RecordsFixture f;
    const std::string incident = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, incident, incident, "", nlohmann::json::object(),
                              nlohmann::json::object()).ok());
    AttachmentLimits limits;
    limits.maxFileBytes = 200;
    limits.maxIncidentBytes = 300;
    AttachmentRepository repo(*f.records, limits);
    Bytes big = phonePhoto();
    big.insert(big.end() - 2, 300, 0x11);  // a larger scan
    auto tooBig = repo.import(f.officer, incident, big, "");
    REQUIRE_FALSE(tooBig.ok());
    CHECK(tooBig.error().message.find("per photo") != std::string::npos);
    REQUIRE(repo.import(f.officer, incident, phonePhoto(), "").ok());
    auto second = repo.import(f.officer, incident, phonePhoto(), "");
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().message.find("per incident") != std::string::npos);
    CHECK(repo.list(incident).value().size() == 1);
}

TEST_CASE("A photo with a missing chunk is reported as incomplete, never returned partly", "[attachments]")
{
    RecordsFixture f;
    const std::string incident = newUuid();
    REQUIRE(f.records->create(f.officer, Entity::Incident, incident, incident, "", nlohmann::json::object(),
                              nlohmann::json::object()).ok());
    AttachmentLimits limits;
    limits.chunkBytes = 16;
    AttachmentRepository repo(*f.records, limits);
    auto id = repo.import(f.officer, incident, phonePhoto(), "");
    REQUIRE(id.ok());
    REQUIRE(f.db->exec("DELETE FROM attachment_chunk WHERE idx = 2;").ok());
    auto r = repo.read(f.officer, *id);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Corrupt);
    CHECK(r.error().message.find("incomplete") != std::string::npos);
}
