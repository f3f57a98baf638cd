// Photos sync in chunks, resumably, with the SHA-256 checked on arrival on both sides
// (issue 6), through a real vigil-server: a cut upload resumes from the last chunk the server
// confirmed and a cut download from the last chunk kept on the device; the server refuses
// bytes that do not match the photo's record, the device refuses parts and photos that do not
// match their checks; only users who may see the record get the photo.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "core/records/AttachmentRepository.h"
#include "sync/protocol/Encoding.h"
#include "tests/sync/SyncDevices.h"
#include "tests/sync/TestPhotos.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

/// Between a device's engine and its link: records what reached the server, and can cut a
/// request before it is sent, lose its answer, or change the answer.
struct FaultyTransport final : SyncTransport {
    explicit FaultyTransport(SyncTransport& next) : inner(next) {}

    Result<ClientResponse> request(ClientRequest req) override
    {
        const std::string what = req.method + " " + req.target;
        if (cutBefore && cutBefore(req))
            return makeError(ErrorCode::Network, "Connection cut (test) before " + what + ". Vigil will try again.");
        auto r = inner.request(std::move(req));
        if (r)
            reached.push_back(what);
        if (r && dropAnswer && dropAnswer(what))
            return makeError(ErrorCode::Network, "Connection cut (test) after " + what + ". Vigil will try again.");
        if (r && tamper)
            tamper(what, *r);
        return r;
    }

    /// Chunk indexes of requests `method` that reached the server, in order.
    std::vector<std::int64_t> chunks(const std::string& method) const
    {
        std::vector<std::int64_t> out;
        for (const auto& r : reached) {
            const auto at = r.find("/chunks/");
            if (r.rfind(method + " ", 0) == 0 && at != std::string::npos)
                out.push_back(std::stoll(r.substr(at + 8)));
        }
        return out;
    }

    SyncTransport& inner;
    std::function<bool(const ClientRequest&)> cutBefore;
    std::function<bool(const std::string&)> dropAnswer;
    std::function<void(const std::string&, ClientResponse&)> tamper;
    std::vector<std::string> reached;
};

bool isChunk(const std::string& what, const std::string& method, std::int64_t index)
{
    return what.rfind(method + " ", 0) == 0 && what.size() > 8
        && what.substr(what.rfind('/') + 1) == std::to_string(index) && what.find("/chunks/") != std::string::npos;
}

/// Exactly one sync of `device` through `transport` (the one start() runs at once).
Result<SyncReport> syncVia(Handset& device, SyncTransport& transport)
{
    SyncEngineOptions options;
    options.backoff.initial = std::chrono::minutes(10);  // no retry by timer within the test
    SyncEngine engine(transport, options);
    engine.start(device.records(), device.actor);
    engine.drain();
    const SyncStatus status = engine.status();
    const SyncReport totals = engine.totals();
    engine.stop();
    if (status.state != SyncStatus::State::Idle) {
        REQUIRE(status.lastError);
        return *status.lastError;
    }
    return totals;
}

struct Scene {
    ServerProcess server;
    SyncClient client;
    std::unique_ptr<Handset> a;  // takes the photo
    std::unique_ptr<Handset> b;  // team-mate
    std::string incident;
    std::string photoId;
    Bytes original;

    Scene()
    {
        server.addUser("pc.a", "officer", "north", "camden");
        server.addUser("pc.b", "officer", "north", "camden");
        server.addUser("pc.c", "officer", "south", "camden");
        a = std::make_unique<Handset>(client, server, "pc.a");
        b = std::make_unique<Handset>(client, server, "pc.b");
        incident = makeIncidentWithVictim(a->records(), "pc.a", "north", "camden");
        AttachmentRepository photos(a->records(), smallChunks());
        auto id = photos.import(Actor{"pc.a"}, incident, photo(7), "bruising, left forearm");
        REQUIRE(id.ok());
        photoId = *id;
        auto stored = photos.read(Actor{"pc.a"}, photoId);
        REQUIRE(stored.ok());
        original = *stored;
        auto info = photos.list(incident);
        REQUIRE(info.ok());
        REQUIRE(info->at(0).chunks == 10);
    }

    AttachmentStatus serverStatus(Handset& device)
    {
        ClientRequest ask;
        ask.target = "/v1/attachments/" + photoId;
        auto r = device.link.request(ask);
        REQUIRE(r.ok());
        REQUIRE(r->status == 200);
        auto s = attachmentStatusFromJson(*parseJson(r->body));
        REQUIRE(s.ok());
        return *s;
    }
};

}  // namespace

TEST_CASE("A photo travels in chunks with its hash checked on both sides, and only to users who may see its record",
          "[sync][attachments]")
{
    Scene s;
    auto unsent = s.a->records().unsentSummary();
    REQUIRE(unsent.ok());
    CHECK(unsent->photos == 1);
    auto sent = s.a->sync();
    CHECK(sent.photosSent == 1);
    unsent = s.a->records().unsentSummary();
    CHECK(unsent->photos == 0);
    const AttachmentStatus onServer = s.serverStatus(*s.a);
    CHECK(onServer.complete);
    CHECK(onServer.received == 10);
    CHECK(onServer.size == static_cast<std::int64_t>(s.original.size()));
    CHECK(onServer.sha256 == sha256Hex(s.original));

    auto received = s.b->sync();
    CHECK(received.photosReceived == 1);
    auto copy = AttachmentRepository(s.b->records()).read(Actor{"pc.b"}, s.photoId);
    REQUIRE(copy.ok());
    CHECK(*copy == s.original);
    CHECK(s.b->sync().photosReceived == 0);  // once only

    // Another team: neither the record nor the photo, not even by asking directly.
    Handset c(s.client, s.server, "pc.c");
    c.sync();
    auto none = c.records().get(Entity::Attachment, s.photoId);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    for (const std::string& target :
         {"/v1/attachments/" + s.photoId, "/v1/attachments/" + s.photoId + "/chunks/0"}) {
        ClientRequest ask;
        ask.target = target;
        auto r = c.link.request(ask);
        REQUIRE(r.ok());
        CHECK(r->status == 404);
        REQUIRE(r->error);
        CHECK(r->error->error == "attachment_unknown");
        CHECK_THAT(r->error->message, Catch::Contains("Sync the 124D first"));
    }
    ClientRequest put;
    put.method = "PUT";
    put.target = "/v1/attachments/" + s.photoId + "/chunks/0";
    put.body = "{}";
    auto refused = c.link.request(put);
    REQUIRE(refused.ok());
    CHECK(refused->status == 404);
}

TEST_CASE("A cut upload resumes from the last chunk the server confirmed, never from zero", "[sync][attachments]")
{
    Scene s;
    FaultyTransport cut(s.a->link);
    // 1. The connection drops before part 4 is sent: parts 1-3 are confirmed.
    cut.cutBefore = [](const ClientRequest& r) { return isChunk(r.method + " " + r.target, "PUT", 3); };
    auto first = syncVia(*s.a, cut);
    REQUIRE_FALSE(first.ok());
    CHECK(first.error().code == ErrorCode::Network);
    CHECK(s.serverStatus(*s.a).received == 3);
    // 2. Part 6 reaches the server but its answer is lost.
    cut.cutBefore = nullptr;
    cut.dropAnswer = [](const std::string& what) { return isChunk(what, "PUT", 5); };
    auto second = syncVia(*s.a, cut);
    REQUIRE_FALSE(second.ok());
    CHECK(s.serverStatus(*s.a).received == 6);
    // 3. A clean sync finishes it from part 7.
    cut.dropAnswer = nullptr;
    auto third = syncVia(*s.a, cut);
    INFO((third ? std::string() : third.error().message));
    REQUIRE(third.ok());
    CHECK(third->photosSent == 1);
    // Every part reached the server exactly once.
    CHECK(cut.chunks("PUT") == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(s.serverStatus(*s.a).complete);
    s.b->sync();
    auto copy = AttachmentRepository(s.b->records()).read(Actor{"pc.b"}, s.photoId);
    REQUIRE(copy.ok());
    CHECK(*copy == s.original);
}

TEST_CASE("A cut download resumes from the last chunk kept on the device", "[sync][attachments]")
{
    Scene s;
    s.a->sync();
    FaultyTransport cut(s.b->link);
    cut.cutBefore = [](const ClientRequest& r) { return isChunk(r.method + " " + r.target, "GET", 4); };
    auto first = syncVia(*s.b, cut);
    REQUIRE_FALSE(first.ok());
    AttachmentRepository photos(s.b->records());
    CHECK(photos.storedChunks(s.photoId).value() == 4);
    CHECK_FALSE(photos.read(Actor{"pc.b"}, s.photoId).ok());  // not shown while incomplete
    cut.cutBefore = nullptr;
    auto second = syncVia(*s.b, cut);
    INFO((second ? std::string() : second.error().message));
    REQUIRE(second.ok());
    CHECK(second->photosReceived == 1);
    CHECK(cut.chunks("GET") == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    auto copy = photos.read(Actor{"pc.b"}, s.photoId);
    REQUIRE(copy.ok());
    CHECK(*copy == s.original);
}

TEST_CASE("The server refuses photo bytes that do not match their check or the photo's record", "[sync][attachments]")
{
    Scene s;
    // The record reaches the server, the bytes do not (every photo request is cut).
    FaultyTransport noPhotos(s.a->link);
    noPhotos.cutBefore = [](const ClientRequest& r) { return r.target.rfind("/v1/attachments/", 0) == 0; };
    REQUIRE_FALSE(syncVia(*s.a, noPhotos).ok());
    CHECK(s.serverStatus(*s.a).received == 0);

    AttachmentRepository photos(s.a->records(), smallChunks());
    const auto put = [&](std::int64_t index, Bytes bytes, bool honestCheck) {
        AttachmentChunk part;
        part.id = s.photoId;
        part.index = index;
        part.size = static_cast<std::int64_t>(s.original.size());
        part.fileSha256 = sha256Hex(s.original);
        part.chunks = 10;
        part.sha256 = sha256Hex(bytes);
        if (!honestCheck)
            bytes[0] ^= 0x01;  // damaged after its check was taken
        part.data = base64UrlEncode(bytes);
        ClientRequest req;
        req.method = "PUT";
        req.target = "/v1/attachments/" + s.photoId + "/chunks/" + std::to_string(index);
        req.body = toJson(part).dump();
        auto r = s.a->link.request(req);
        REQUIRE(r.ok());
        return *r;
    };
    // A part that does not match its own check.
    auto damaged = put(0, photos.chunk(s.photoId, 0).value(), false);
    CHECK(damaged.status == 422);
    REQUIRE(damaged.error);
    CHECK(damaged.error->error == "chunk_damaged");
    CHECK_THAT(damaged.error->message, Catch::Contains("part 1 of 10") && Catch::Contains("sent again"));
    CHECK(s.serverStatus(*s.a).received == 0);
    // Parts out of order are refused, saying where to resume.
    auto skipped = put(2, photos.chunk(s.photoId, 2).value(), true);
    CHECK(skipped.status == 409);
    CHECK(skipped.error->error == "chunk_out_of_order");
    // Honest parts of a different photo: each part passes, the whole does not match the record.
    for (std::int64_t i = 0; i < 10; ++i) {
        Bytes bytes = photos.chunk(s.photoId, i).value();
        if (i == 4)
            bytes[100] ^= 0x40;
        auto r = put(i, bytes, true);
        if (i < 9) {
            REQUIRE(r.status == 200);
        } else {
            CHECK(r.status == 422);
            REQUIRE(r.error);
            CHECK(r.error->error == "attachment_hash_mismatch");
            CHECK_THAT(r.error->message, Catch::Contains("kept none of it"));
        }
    }
    const AttachmentStatus after = s.serverStatus(*s.a);
    CHECK(after.received == 0);
    CHECK_FALSE(after.complete);
    // The device's own bytes are then accepted, and the team-mate gets exactly those.
    auto fixed = s.a->sync();
    CHECK(fixed.photosSent == 1);
    s.b->sync();
    auto copy = AttachmentRepository(s.b->records()).read(Actor{"pc.b"}, s.photoId);
    REQUIRE(copy.ok());
    CHECK(*copy == s.original);
}

TEST_CASE("A device refuses a photo part that does not match its check, and a photo that does not match its record",
          "[sync][attachments]")
{
    Scene s;
    s.a->sync();
    const auto corrupt = [](ClientResponse& r, bool fixCheck) {
        auto part = attachmentChunkFromJson(*parseJson(r.body));
        REQUIRE(part.ok());
        auto bytes = base64UrlDecode(part->data);
        REQUIRE(bytes);
        (*bytes)[10] ^= 0x20;
        part->data = base64UrlEncode(*bytes);
        if (fixCheck)
            part->sha256 = sha256Hex(*bytes);
        r.body = toJson(*part).dump();
    };
    FaultyTransport tampering(s.b->link);
    AttachmentRepository photos(s.b->records());

    // Part 3 altered on the way: refused, parts 1-2 kept, nothing of part 3.
    tampering.tamper = [&](const std::string& what, ClientResponse& r) {
        if (isChunk(what, "GET", 2))
            corrupt(r, false);
    };
    auto first = syncVia(*s.b, tampering);
    REQUIRE_FALSE(first.ok());
    CHECK(first.error().code == ErrorCode::Corrupt);
    CHECK_THAT(first.error().message, Catch::Contains("arrived damaged") && Catch::Contains("next sync"));
    CHECK(photos.storedChunks(s.photoId).value() == 2);

    // Part 6 altered with a matching part check: the whole photo fails its record's check and
    // is dropped entirely.
    tampering.tamper = [&](const std::string& what, ClientResponse& r) {
        if (isChunk(what, "GET", 5))
            corrupt(r, true);
    };
    auto second = syncVia(*s.b, tampering);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ErrorCode::Corrupt);
    CHECK_THAT(second.error().message, Catch::Contains("does not match the check in its record"));
    CHECK(photos.storedChunks(s.photoId).value() == 0);
    CHECK_FALSE(photos.read(Actor{"pc.b"}, s.photoId).ok());
    auto pending = photos.pendingTransfers("down");
    REQUIRE(pending.ok());
    CHECK(pending->size() == 1);

    // Untouched, it arrives whole.
    tampering.tamper = nullptr;
    auto third = syncVia(*s.b, tampering);
    INFO((third ? std::string() : third.error().message));
    REQUIRE(third.ok());
    auto copy = photos.read(Actor{"pc.b"}, s.photoId);
    REQUIRE(copy.ok());
    CHECK(*copy == s.original);
    CHECK(photos.pendingTransfers("down").value().empty());
}
