#pragma once

// Devices for the sync part 2 tests (conflicts, wipe, attachments, limits): real SQLCipher
// device stores (device schema, random key) with their own enrolled DeviceLink and SyncEngine,
// talking to a real vigil-server process over loopback TLS.

#include <catch2/catch.hpp>

#include <array>
#include <functional>
#include <memory>
#include <string>

#include <sodium.h>

#include "core/common/Uuid.h"
#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncEngine.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

namespace vigil::test {

/// A real encrypted device store (SQLCipher, device schema) with a random key.
struct PlainDeviceStore {
    TempDir dir{"vigil-dev"};
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;

    std::array<unsigned char, 32> key{};  ///< for a second connection of a test's own

    explicit PlainDeviceStore(const std::string& deviceId)
    {
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
        REQUIRE(records->setDeviceId(deviceId).ok());
    }
};

/// An enrolled device with its own store and engine, for one user.
struct Handset {
    Handset(sync::SyncClient& client, ServerProcess& server, const std::string& user,
            sync::SyncEngineOptions options = {})
        : link(client, secrets, user), actor{user}
    {
        auto e = link.enrol(server.enrolCode(user), user + "-tablet");
        INFO((e ? std::string() : e.error().message));
        REQUIRE(e.ok());
        deviceId = e->deviceId;
        store = std::make_unique<PlainDeviceStore>(e->deviceId);
        engine = std::make_unique<sync::SyncEngine>(link, std::move(options));
    }

    /// Sync (start() syncs at once, then one more complete sync); the store is the engine's
    /// only while it runs. Returns everything both did (SyncEngine::totals).
    Result<sync::SyncReport> trySync()
    {
        engine->start(*store->records, actor);
        auto report = engine->syncOnce();
        const sync::SyncReport totals = engine->totals();
        engine->stop();
        if (!report)
            return std::move(report).error();
        return totals;
    }

    sync::SyncReport sync()
    {
        auto report = trySync();
        INFO((report ? std::string() : report.error().message));
        REQUIRE(report.ok());
        return *report;
    }

    RecordStore& records() { return *store->records; }
    IncidentRepository repo() { return IncidentRepository(*store->records); }

    InMemorySecretStore secrets;
    sync::DeviceLink link;
    Actor actor;
    std::string deviceId;
    std::unique_ptr<PlainDeviceStore> store;
    std::unique_ptr<sync::SyncEngine> engine;
};

/// Complete 124Ds of pc.a (north, camden), made as the app makes them (the demo data passes
/// the same rules), some of them submitted by their officer.
inline void makeSubmittedDemo(IncidentRepository& repo, RecordStore& records, int incidents)
{
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
    REQUIRE(models.ok());
    auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
    REQUIRE(rules.ok());
    DemoOptions options;
    options.incidents = incidents;
    options.owner = "pc.a";
    options.team = "north";
    options.borough = "camden";
    auto demo = generateDemoData(repo, records, *models, *rules, options, Actor{"pc.a", "test"});
    REQUIRE(demo.ok());
    REQUIRE(demo->states[LifecycleState::Submitted] > 0);
}

/// A draft 124D owned by `user` in team/borough, with one victim; returns its id.
inline std::string makeIncidentWithVictim(RecordStore& store, const std::string& user, const std::string& team,
                                          const std::string& borough,
                                          const std::function<void(Incident&)>& edit = {})
{
    IncidentRepository repo(store);
    Incident draft;
    draft.owner = user;
    draft.team = team;
    draft.borough = borough;
    draft.date = "2026-11-20";
    draft.refs.cris = "CRIS-" + newUuid().substr(0, 6);
    auto made = repo.createDraft(Actor{user}, draft);
    REQUIRE(made.ok());
    Incident incident = *made;
    Victim v;
    v.person.name = "Invented Person";
    v.consent.shareWithPartners = true;  // so a referral to a partner agency may follow
    incident.victims.push_back(v);
    if (edit)
        edit(incident);
    REQUIRE(repo.save(Actor{user}, incident).ok());
    return incident.id;
}

}  // namespace vigil::test
