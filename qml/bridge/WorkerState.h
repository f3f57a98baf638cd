#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/records/RecordStore.h"
#include "core/risk/RiskModel.h"
#include "core/store/Database.h"
#include "core/store/SecureStore.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncClient.h"
#include "sync/client/SyncEngine.h"
#include "RecordsAccess.h"

namespace vigil::app {

struct AppOptions;

/// The unlocked device as the store worker thread holds it: the store, the records, the
/// enrolment and the sync engine. Only ever touched on the worker thread (constructed and
/// destroyed on the GUI thread while the worker is idle). The session (AppController) opens
/// and closes it; the other bridge objects reach the records through RecordsAccess.
struct WorkerState {
    WorkerState(const AppOptions& options, SecretStore& keyStore);

    /// Run `work` with the records: through the engine while it syncs (it owns the store
    /// then), directly otherwise. An error in words when the device is locked.
    Status withRecords(const std::function<Status(RecordStore&)>& work);

    /// The signed-in user, for attribution and audit.
    [[nodiscard]] Actor actor() const;
    /// The signed-in user's role, for the lifecycle table and the authority policy.
    [[nodiscard]] Role role() const;

    /// Remember how many 124Ds are unsent, in the key store, so the unlock screen can warn
    /// before a wipe while the store is closed. A count, not personal data.
    void rememberUnsent(int count);
    int recallUnsent();
    int countUnsent();

    /// The installed risk models, loaded once, for the home list's grades. nullptr when they
    /// cannot be read (the list then shows decided grades only; the form says what is wrong).
    const RiskModelRegistry* riskModels();

    /// The app wrote something: the engine shows it waiting and sends it soon.
    void changed();

    /// Lock: stop syncing, close the database (SQLCipher zeroes its key), forget the session.
    void close();
    /// A wipe: stop syncing and drop the open store without writing anything more (the
    /// caller destroys the files and keys next).
    void discard();

    sync::SyncClient client;
    sync::DeviceLink link;
    SecureStore secure;
    SecretStore& secrets;
    std::string unsentEntry;
    int lastUnsent = -1;
    sync::BackoffPolicy backoff;
    std::optional<sync::DeviceEnrolment> enrolment;
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
    std::unique_ptr<sync::SyncTransport> transport;
    std::unique_ptr<sync::SyncEngine> engine;
    std::unique_ptr<RiskModelRegistry> models;
    bool modelsTried = false;
};

/// The bridge objects' view of the worker state (worker thread only, like the state itself).
class WorkerRecordsAccess final : public RecordsAccess {
public:
    explicit WorkerRecordsAccess(WorkerState& state) : m_state(state) {}

    Status withRecords(const std::function<Status(RecordStore&)>& work) override { return m_state.withRecords(work); }
    [[nodiscard]] Actor actor() const override { return m_state.actor(); }
    [[nodiscard]] Role role() const override { return m_state.role(); }
    [[nodiscard]] HistorySource historySource() const override;
    void changed() override { m_state.changed(); }

private:
    WorkerState& m_state;
};

}  // namespace vigil::app
