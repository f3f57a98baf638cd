#pragma once

// Real devices for the store tests (issue 26): a device's own encrypted store (SQLCipher, device
// schema) whose outbox is pushed straight into a server store, as the request handler would after
// authenticating the device. The store decides; nothing here judges.

#include <catch2/catch.hpp>

#include <array>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <sodium.h>

#include "core/common/Uuid.h"
#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/server/ServerStore.h"
#include "tests/support/TempDir.h"

namespace vigil::test {

/// The server's clock for a push: now (devices stamp their changes with the real clock, and a
/// stamp far ahead of the server's is refused).
inline std::int64_t serverNow() { return std::time(nullptr); }

/// A user of team "north" in "camden" (where the demo 124Ds are made).
inline sync::UserRecord northUser(const std::string& id, sync::Role role = sync::Role::Officer)
{
    sync::UserRecord u;
    u.info.id = id;
    u.info.displayName = "Invented " + id;
    u.info.role = role;
    u.info.team = "north";
    u.info.borough = "camden";
    u.info.scope = sync::Scope::Team;
    u.createdAt = serverNow();
    u.updatedAt = u.createdAt;
    return u;
}

/// Enrol a device for `userId` (adding the user when missing) and return who it is, as the
/// request handler finds it by its token.
inline sync::DeviceIdentity enrolTablet(sync::ServerStore& s, const sync::UserRecord& user, const std::string& deviceId,
                                        unsigned char token)
{
    if (!s.findUser(user.info.id).value())
        REQUIRE(s.addUser(user).ok());
    sync::EnrolCodeRecord code;
    code.id = "code-" + deviceId;
    code.userId = user.info.id;
    code.secretHash.fill(7);
    code.createdAt = serverNow();
    code.expiresAt = code.createdAt + 3600;
    code.maxTries = 3;
    REQUIRE(s.addEnrolCode(code).ok());
    sync::RedeemAttempt a;
    a.codeId = code.id;
    a.secretHash.fill(7);
    a.now = serverNow();
    a.newDevice.id = deviceId;
    a.newDevice.name = "Tablet " + deviceId;
    a.tokenHash.fill(token);
    a.wipeReceiptHash.fill(static_cast<unsigned char>(token + 100));
    auto r = s.redeemEnrolCode(a);
    REQUIRE(r.ok());
    REQUIRE(r->outcome == sync::RedeemOutcome::Enrolled);
    sync::SecretHash t{};
    t.fill(token);
    auto who = s.findDeviceByToken(t);
    REQUIRE(who.ok());
    REQUIRE(who->has_value());
    return **who;
}

/// A device's own store (device schema, random key), writing as `user`.
struct Tablet {
    TempDir dir{"vigil-tablet"};
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
    sync::DeviceIdentity who;

    explicit Tablet(sync::DeviceIdentity identity) : who(std::move(identity))
    {
        std::array<unsigned char, 32> key{};
        randombytes_buf(key.data(), key.size());
        OpenOptions options;
        options.create = true;
        auto opened = Database::open(dir / "device.db", key, options);
        REQUIRE(opened.ok());
        db = std::move(opened).value();
        REQUIRE(migrate(*db, deviceSchema()).ok());
        auto rs = RecordStore::open(*db, systemClock());
        REQUIRE(rs.ok());
        records = std::move(rs).value();
        REQUIRE(records->setDeviceId(who.device.id).ok());
    }

    IncidentRepository repo() { return IncidentRepository(*records); }
    const std::string& user() const { return who.user.info.id; }

    /// A draft 124D with one victim, owned by this tablet's user in its team and borough.
    std::string draft(const std::string& victimName = "Invented Person")
    {
        IncidentRepository r = repo();
        Incident d;
        d.owner = user();
        d.team = who.user.info.team;
        d.borough = who.user.info.borough;
        d.date = "2026-11-20";
        d.refs.cris = "CRIS-" + newUuid().substr(0, 6);
        auto made = r.createDraft(Actor{user()}, d);
        REQUIRE(made.ok());
        Incident incident = *made;
        Victim v;
        v.person.name = victimName;
        v.consent.shareWithPartners = true;
        incident.victims.push_back(v);
        REQUIRE(r.save(Actor{user()}, incident).ok());
        return incident.id;
    }

    /// Complete 124Ds made as the app makes them, some submitted by their officer (the demo data
    /// passes the same rules). The user must be in "north", "camden".
    void submittedDemo(int incidents)
    {
        auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
        REQUIRE(models.ok());
        auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
        REQUIRE(rules.ok());
        DemoOptions options;
        options.incidents = incidents;
        options.owner = user();
        options.team = who.user.info.team;
        options.borough = who.user.info.borough;
        IncidentRepository r = repo();
        auto demo = generateDemoData(r, *records, *models, *rules, options, Actor{user(), "test"});
        REQUIRE(demo.ok());
        REQUIRE(demo->states[LifecycleState::Submitted] > 0);
    }

    /// A 124D the tablet holds in `state`.
    std::string incidentIn(LifecycleState state)
    {
        auto ids = records->incidentIds(1000);
        REQUIRE(ids.ok());
        for (const auto& id : *ids) {
            auto held = repo().stateOf(id);
            REQUIRE(held.ok());
            if (*held == state)
                return id;
        }
        FAIL("no 124D in that state on the tablet");
        return {};
    }

    /// The next batch from the outbox.
    std::vector<Op> batch(std::size_t limit = 200)
    {
        auto ops = records->pushBatch(limit);
        REQUIRE(ops.ok());
        return *ops;
    }

    /// Push `ops` and apply the answer as the sync engine does (acknowledge, keep refusals).
    sync::PushResponse push(sync::ServerStore& s, const std::vector<Op>& ops, std::int64_t now = serverNow())
    {
        auto answer = s.pushOps(who, ops, now);
        INFO((answer ? std::string() : answer.error().message));
        REQUIRE(answer.ok());
        for (const auto& r : answer->rejected)
            REQUIRE(records->markRejected(r.seq, r.message).ok());
        REQUIRE(records->acknowledge(answer->ackedUpto).ok());
        return *answer;
    }

    /// Push the whole outbox; every refusal met on the way.
    std::vector<sync::OpRejection> pushAll(sync::ServerStore& s)
    {
        std::vector<sync::OpRejection> refused;
        for (int round = 0; round < 1000; ++round) {
            auto ops = batch();
            if (ops.empty())
                return refused;
            auto answer = push(s, ops);
            refused.insert(refused.end(), answer.rejected.begin(), answer.rejected.end());
        }
        FAIL("the outbox never emptied");
        return refused;
    }

    /// One pull page from the cursor this tablet holds, applied as the sync engine applies it
    /// (ops and cursor in one transaction). `forget` is left to the test to look at.
    sync::PullResponse pull(sync::ServerStore& s, std::size_t limit = 500)
    {
        auto held = records->syncCursor();
        REQUIRE(held.ok());
        auto cursor = sync::parsePullCursor(held->empty() ? std::string("0") : *held);
        REQUIRE(cursor.has_value());
        auto page = s.pullOps(who, *cursor, limit, serverNow());
        INFO((page ? std::string() : page.error().message));
        REQUIRE(page.ok());
        REQUIRE(records->applyPulled(page->ops, page->cursor, page->refresh).ok());
        return *page;
    }

    /// Start from the server's snapshot, page by page (`maxBytes` each), as the sync engine does on
    /// a device that never pulled. The pages received.
    std::vector<sync::SnapshotPage> startFromSnapshot(sync::ServerStore& s, std::size_t maxBytes = 1 << 20)
    {
        std::vector<sync::SnapshotPage> pages;
        std::string next;
        for (int i = 0; i < 1000; ++i) {
            auto page = s.snapshotPage(who, next, 500, maxBytes, serverNow());
            INFO((page ? std::string() : page.error().message));
            REQUIRE(page.ok());
            REQUIRE(records->applySnapshot(page->rows, page->conflicts, page->users, page->next, page->cursor).ok());
            pages.push_back(*page);
            if (!page->more)
                return pages;
            next = page->next;
        }
        FAIL("the snapshot never ended");
        return pages;
    }

    /// An op of this device, numbered after everything it has sent, stamped now.
    Op handMade(const std::string& entity, const std::string& id, const std::string& field, nlohmann::json value,
                std::int64_t seq)
    {
        Op o;
        o.opId = newUuid();
        o.device = who.device.id;
        o.seq = seq;
        o.entity = entity;
        o.id = id;
        o.field = field;
        o.value = std::move(value);
        o.hlc = static_cast<std::uint64_t>(serverNow()) * 1000 << 16;
        return o;
    }
};

}  // namespace vigil::test
