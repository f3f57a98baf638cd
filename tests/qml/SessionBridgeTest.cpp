// The bridge objects split out of the session (issue 23, "make room"), tested without QML.
#include <catch2/catch.hpp>

#include <QSignalSpy>

#include "bridge/AppController.h"
#include "bridge/StoreWorker.h"
#include "bridge/SyncStatusBridge.h"
#include "bridge/WorkerState.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using vigil::app::AppOptions;
using vigil::app::StoreWorker;
using vigil::app::SyncStatusBridge;
using vigil::app::WorkerState;
using vigil::sync::SyncStatus;

TEST_CASE("The sync indicator says in words what the engine reports, and only between unlock and lock", "[app][session]")
{
    vigil::test::TempDir dir("vigil-session-bridge");
    vigil::test::InMemorySecretStore secrets;
    AppOptions options;
    options.dataDir = QString::fromStdString(dir.path().string());
    options.profile = "session-bridge-test";
    StoreWorker worker;
    WorkerState state(options, secrets);
    SyncStatusBridge bridge(worker, state);
    QSignalSpy finished(&bridge, &SyncStatusBridge::finished);
    QSignalSpy wipe(&bridge, &SyncStatusBridge::wipeOrdered);

    SyncStatus offline;
    offline.state = SyncStatus::State::Offline;
    offline.queued = 3;
    bridge.apply(offline);  // locked: a late report from a closing engine is dropped
    CHECK(bridge.state() == QStringLiteral("stopped"));
    CHECK(bridge.text() == QStringLiteral("Locked: sync paused"));

    bridge.accept();
    bridge.apply(offline);
    CHECK(bridge.state() == QStringLiteral("offline"));
    CHECK(bridge.text() == QStringLiteral("Offline: 3 change(s) waiting"));
    CHECK(bridge.queued() == 3);

    SyncStatus syncing;
    syncing.state = SyncStatus::State::Syncing;
    bridge.apply(syncing);
    CHECK(finished.count() == 0);
    SyncStatus failed;
    failed.state = SyncStatus::State::Failed;
    failed.lastError = vigil::Error{vigil::ErrorCode::Io, "The station did not answer. Vigil keeps trying.", ""};
    failed.rejected = 2;
    bridge.apply(failed);
    CHECK(finished.count() == 1);  // the round ended: the list reads the store again
    CHECK(bridge.text() == QStringLiteral("Sync failed"));
    CHECK(bridge.detail().contains(QStringLiteral("The station did not answer")));
    CHECK(bridge.detail().contains(QStringLiteral("2 change(s) were refused by the server")));
    CHECK(bridge.detail().contains(QStringLiteral("has not completed a sync yet")));

    SyncStatus ordered;
    ordered.state = SyncStatus::State::Failed;
    ordered.wipeOrdered = true;
    bridge.apply(ordered);
    CHECK(wipe.count() == 1);

    bridge.stop(QStringLiteral("Locked: sync paused"));
    CHECK(bridge.state() == QStringLiteral("stopped"));
    CHECK(bridge.detail().isEmpty());
    bridge.apply(offline);
    CHECK(bridge.state() == QStringLiteral("stopped"));
    worker.shutdown();
}
