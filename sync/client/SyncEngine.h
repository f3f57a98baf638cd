#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/records/RecordStore.h"
#include "sync/client/SyncTransport.h"

namespace vigil::sync {

/// Retry delays after failed syncs: exponential from `initial`, capped at `max`, each spread
/// by ±`jitter` (a fraction) so a fleet of tablets coming back online does not retry in step.
struct BackoffPolicy {
    std::chrono::milliseconds initial{5000};
    std::chrono::milliseconds max{std::chrono::minutes(10)};
    double jitter = 0.2;
    /// Between successful syncs the engine still pulls now and then.
    std::chrono::milliseconds interval{std::chrono::minutes(5)};
};

/// The delay before retry number `failures` (1 = after the first failure). `random` is a
/// value in [0, 1) (0.5 = no jitter). Pure, for tests.
[[nodiscard]] std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int failures, double random);

/// What the UI shows about sync. Plain values, copied to the UI thread.
struct SyncStatus {
    enum class State { Stopped, Offline, Idle, Syncing, Failed } state = State::Stopped;
    std::int64_t queued = 0;     ///< local changes not yet accepted by the server
    std::int64_t rejected = 0;   ///< changes the server refused (kept on the device)
    std::int64_t photosToSend = 0;  ///< photos whose bytes the server has not confirmed yet
    std::string lastSyncedAt;    ///< ISO 8601 UTC of the last complete sync, "" if never
    std::optional<Error> lastError;  ///< the last failure, in words (cleared by a success)
    int failures = 0;            ///< failed attempts in a row
    std::optional<std::chrono::milliseconds> nextAttemptIn;  ///< when the timer will try again
    /// The server said this device must wipe itself (a 403 with "wipe": true). The engine
    /// cannot wipe (it does not own the store's keys): the app reacts by running
    /// DeviceLink::checkAndWipe on its own thread (never from the status callback).
    bool wipeOrdered = false;
    /// The server said this device's sign-in expired (403 device_expired, issue 22): it must be
    /// enrolled again with a new code (the app offers it); nothing is wiped.
    bool credentialExpired = false;

    /// One line for a status bar, e.g. "Offline: 3 changes waiting".
    [[nodiscard]] std::string text() const;
};

[[nodiscard]] std::string_view toString(SyncStatus::State state) noexcept;

struct SyncEngineOptions {
    BackoffPolicy backoff;
    Clock clock = systemClock();
    /// Jitter source: values in [0, 1). Injected for tests.
    std::function<double()> random;
    /// Delay between a local change and sending it (each change restarts it).
    std::chrono::milliseconds pushAfterChange{2000};
    std::size_t pushBatch = 2000;
    std::size_t pullPage = 1000;
    /// Rows a snapshot page asks for (a first sync into an empty device); 0 replays the op log.
    std::size_t snapshotPage = 2000;
    /// A supervisor's device: after a sync, fetch the officers investigations can be allocated
    /// to (GET /v1/directory) when the kept list is older than `directoryEvery`.
    bool fetchDirectory = false;
    std::chrono::minutes directoryEvery{15};
};

/// What one complete sync did.
struct SyncReport {
    std::int64_t pushed = 0;     ///< ops accepted by the server
    std::int64_t rejected = 0;   ///< ops refused (kept on the device with the reason)
    std::int64_t pulled = 0;     ///< ops received (rows, for a first sync from a snapshot)
    std::int64_t forgotten = 0;  ///< incidents removed because they left the user's scope
    std::int64_t photosSent = 0;      ///< photos whose bytes the server now holds complete
    std::int64_t photosReceived = 0;  ///< photos whose bytes arrived here complete and checked
    /// The version of the bank-holiday list received from the server and kept (0: none came).
    int bankHolidays = 0;
    /// Pull pages asked for again with half the limit: an answer was larger than this device takes
    /// (ClientOptions::maxResponseBytes).
    std::int64_t smallerPages = 0;
};

/// The device sync engine: pushes the outbox, pulls what the user may see, and keeps the
/// UI told. It runs on ONE Asio thread of its own (an io_context kept alive by a work guard).
///
/// Transport: give it DeviceLink::session() (the credential read once on the caller's
/// thread), not the DeviceLink itself, when the key store answers only on the Qt thread.
///
/// Store access: between start() and stop() the engine uses the RecordStore from its own
/// thread, and the caller promises not to touch that store concurrently; to read or write it
/// meanwhile, hand a closure to withStore(), which runs it on the engine thread. The app
/// calls start() at once on unlock and stop() before locking (stop() returns only when the
/// engine no longer touches the store).
///
/// Triggers: start(), connectivityChanged(true), syncNow(), and a timer: after a failure
/// it retries with exponential backoff and jitter; after a success it syncs again after
/// `interval`. Failures a retry cannot fix (revoked, unauthorised, update required, another
/// server key) stop the timer; syncNow() still tries. A server that answers 429 with
/// Retry-After is not asked again before then, by the timer or by syncNow() (which then
/// fails at once with the server's words and the time left).
class SyncEngine {
public:
    explicit SyncEngine(SyncTransport& transport, SyncEngineOptions options = {});
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    using StatusCallback = std::function<void(const SyncStatus&)>;
    /// Called on the engine thread on every status change (the UI re-posts it to its thread).
    /// It must not call stop(), syncOnce(), withStore() or drain(): they wait for that thread.
    void setStatusCallback(StatusCallback callback);

    /// Begin syncing `store` (unlocked) on behalf of `actor`; syncs at once when online.
    void start(RecordStore& store, Actor actor);
    /// Stop syncing: cancels the timer and waits for a sync in progress to finish.
    void stop();
    /// The connectivity monitor's signal. Going online triggers a sync.
    void connectivityChanged(bool online);
    /// The app wrote to the store (through withStore): update the waiting count and, when
    /// online and not backing off, send after `pushAfterChange` (restarted by each change).
    void localChange();
    /// "Sync now": try at once, whatever the backoff says.
    void syncNow();

    /// One complete push and pull, waited for (not from the engine thread). For the
    /// headless device tool and tests; the status is updated as for any sync.
    [[nodiscard]] Result<SyncReport> syncOnce();
    /// Everything sent, refused, received and removed since start(), over all syncs (the one
    /// start() runs at once included).
    [[nodiscard]] SyncReport totals() const;
    /// Run `work` with the store on the engine thread and wait for it.
    [[nodiscard]] Status withStore(const std::function<Status(RecordStore&)>& work);
    /// Wait until the engine has handled everything posted so far (tests).
    void drain();

    [[nodiscard]] SyncStatus status() const;
    /// Attempts made so far (tests: a trigger happened).
    [[nodiscard]] std::int64_t attempts() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vigil::sync
