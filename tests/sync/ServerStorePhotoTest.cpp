// Photos, asserted once and run on both server stores (issue 26): a real device store imports a
// photo, pushes its record and uploads its bytes in chunks; another device downloads them.
#include <catch2/catch.hpp>

#include "tests/sync/StoreBackends.h"
#include "tests/sync/StorePushSupport.h"
#include "tests/sync/TestPhotos.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

#define STORE_TEST(name, tags) TEMPLATE_TEST_CASE(name, tags, vigil::test::SqlCipherBackend, vigil::test::PgBackend)

STORE_TEST("A photo's bytes are taken chunk by chunk, checked whole against its record, and sent only to users who "
           "may see it",
           "[store][photos]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    Tablet cyd(enrolTablet(s, northUser("pc.c"), "dev-c", 13));
    UserRecord southern = northUser("pc.b");
    southern.info.team = "south";
    Tablet bob(enrolTablet(s, southern, "dev-b", 12));
    const std::string incident = ada.draft();
    AttachmentRepository photos(*ada.records, smallChunks());
    auto id = photos.import(Actor{"pc.a"}, incident, photo(7), "bruising, left forearm");
    REQUIRE(id.ok());
    // Before its record arrives the photo does not exist on the server.
    CHECK(s.attachment(ada.who, *id).value().access == AttachmentAccess::Unknown);
    CHECK(ada.pushAll(s).empty());

    auto state = s.attachment(ada.who, *id);
    REQUIRE(state.ok());
    CHECK(state->access == AttachmentAccess::Writable);
    CHECK(state->incidentId == incident);
    CHECK(state->file.chunks == 10);
    CHECK(state->file.received == 0);
    CHECK_FALSE(state->file.complete);
    CHECK(s.attachment(bob.who, *id).value().access == AttachmentAccess::Unknown);
    // A teammate in scope may write what she may see (canWrite), a user outside it neither.
    CHECK(s.attachment(cyd.who, *id).value().access == AttachmentAccess::Writable);

    for (std::int64_t i = 0; i < state->file.chunks; ++i) {
        auto stored = s.storeAttachmentChunk(ada.who, *state, i, photos.chunk(*id, i).value(), serverNow());
        REQUIRE(stored.ok());
        CHECK_FALSE(stored->wholeMismatch);
        CHECK(stored->file.received == i + 1);
        CHECK(stored->file.complete == (i + 1 == state->file.chunks));
    }
    auto held = s.attachment(cyd.who, *id).value();
    CHECK(held.file.complete);
    CHECK(held.file.received == 10);

    const auto disclosed = b.count("SELECT count(*) FROM disclosures WHERE device_id = 'dev-c';");
    for (std::int64_t i = 0; i < held.file.chunks; ++i) {
        auto part = s.attachmentChunk(cyd.who, held, i, serverNow());
        REQUIRE(part.ok());
        REQUIRE(part->has_value());
        CHECK(**part == photos.chunk(*id, i).value());
    }
    CHECK_FALSE(s.attachmentChunk(cyd.who, held, 10, serverNow()).value().has_value());
    // The photo once a disclosure (its first part), every part in the server's chain.
    CHECK(b.count("SELECT count(*) FROM disclosures WHERE device_id = 'dev-c';") == disclosed + 1);
    CHECK(s.verifyAudit().value().intact);
}

STORE_TEST("Photo bytes that do not make the photo its record declares are all dropped and the upload starts again",
           "[store][photos]")
{
    TestType b;
    if (!b.start())
        return;
    b.enableRules();
    ServerStore& s = b.get();
    Tablet ada(enrolTablet(s, northUser("pc.a"), "dev-a", 11));
    const std::string incident = ada.draft();
    AttachmentRepository photos(*ada.records, smallChunks());
    auto id = photos.import(Actor{"pc.a"}, incident, photo(8), "a door");
    REQUIRE(id.ok());
    CHECK(ada.pushAll(s).empty());
    auto state = s.attachment(ada.who, *id).value();
    REQUIRE(state.access == AttachmentAccess::Writable);
    for (std::int64_t i = 0; i + 1 < state.file.chunks; ++i)
        REQUIRE(s.storeAttachmentChunk(ada.who, state, i, photos.chunk(*id, i).value(), serverNow()).ok());
    auto last = photos.chunk(*id, state.file.chunks - 1).value();
    last[0] ^= 0x01;
    auto stored = s.storeAttachmentChunk(ada.who, state, state.file.chunks - 1, last, serverNow());
    REQUIRE(stored.ok());
    CHECK(stored->wholeMismatch);
    CHECK(stored->file.received == 0);
    CHECK_FALSE(stored->file.complete);
    CHECK(s.attachment(ada.who, *id).value().file.received == 0);
    CHECK_FALSE(s.attachmentChunk(ada.who, state, 0, serverNow()).value().has_value());
}
