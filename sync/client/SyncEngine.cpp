#include "sync/client/SyncEngine.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sodium.h>

#include "core/casework/WorkingDays.h"
#include "core/common/JsonText.h"
#include "core/records/AttachmentRepository.h"
#include "core/risk/Dates.h"
#include "core/store/Database.h"
#include "sync/client/DeviceLink.h"
#include "sync/protocol/Encoding.h"
#include "sync/protocol/Protocol.h"
#include "sync/protocol/SnapshotCodec.h"

namespace vigil::sync {

namespace asio = boost::asio;

std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int failures, double random)
{
    using std::chrono::milliseconds;
    milliseconds base = policy.initial;
    for (int i = 1; i < failures && base < policy.max; ++i)
        base *= 2;
    base = std::min(base, policy.max);
    const double spread = 1.0 + policy.jitter * (2.0 * std::clamp(random, 0.0, 1.0) - 1.0);
    const auto jittered = milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * spread));
    return std::clamp(jittered, milliseconds(0), policy.max);
}

std::string_view toString(SyncStatus::State state) noexcept
{
    switch (state) {
    case SyncStatus::State::Stopped: return "stopped";
    case SyncStatus::State::Offline: return "offline";
    case SyncStatus::State::Idle: return "idle";
    case SyncStatus::State::Syncing: return "syncing";
    case SyncStatus::State::Failed: return "failed";
    }
    return "unknown";
}

std::string SyncStatus::text() const
{
    const auto changes = [](std::int64_t n) {
        return std::to_string(n) + (n == 1 ? " change" : " changes");
    };
    std::string out;
    switch (state) {
    case State::Stopped: out = "Sync paused (store locked)"; break;
    case State::Offline: out = "Offline"; break;
    case State::Syncing: out = "Syncing"; break;
    case State::Idle: out = lastSyncedAt.empty() ? "Not synced yet" : "Synced at " + lastSyncedAt; break;
    case State::Failed: out = "Sync failed: " + (lastError ? lastError->message : std::string("unknown error")); break;
    }
    out += "; " + (queued == 0 ? std::string("nothing waiting") : changes(queued) + " waiting to send");
    if (rejected > 0)
        out += "; " + changes(rejected) + " refused by the server (kept on this device)";
    if (photosToSend > 0)
        out += "; " + std::to_string(photosToSend) + (photosToSend == 1 ? " photo" : " photos") + " waiting to send";
    if (state != State::Idle && !lastSyncedAt.empty())
        out += "; last synced " + lastSyncedAt;
    return out;
}

struct SyncEngine::Impl {
    Impl(SyncTransport& t, SyncEngineOptions o)
        : transport(t), options(std::move(o)), guard(asio::make_work_guard(io)), timer(io)
    {
        if (!options.random) {
            auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
            options.random = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
        }
        if (!options.clock)
            options.clock = systemClock();
        thread = std::thread([this] { io.run(); });
    }

    template <typename T>
    T call(std::function<T()> work)
    {
        std::packaged_task<T()> task(std::move(work));
        auto future = task.get_future();
        asio::post(io, [&task] { task(); });
        return future.get();
    }

    // --- engine thread only ---
    [[nodiscard]] Result<SyncReport> runSync();
    [[nodiscard]] Result<SyncReport> pushAndPull();
    [[nodiscard]] Status push(SyncReport& report);
    [[nodiscard]] Status pull(SyncReport& report);
    [[nodiscard]] Status refreshDirectory();
    /// The server went back in time (a new incarnation), or refused this device's numbering
    /// (409 sequence_refused: this device's store went back, or the server's did): ask where the
    /// server's record of this device stands (GET /v1/sequence), put back what the server lost and
    /// number every waiting change on from there (RecordStore::resequence). Once per sync.
    [[nodiscard]] Status resequence();
    /// The server's incarnation as a pull answer named it; a change is acted on after the pull.
    [[nodiscard]] Status noteIncarnation(const std::string& incarnation);
    /// The server named a bank-holiday list (`bank_holidays` in a pull answer) newer than the one
    /// held here: fetch it, check it with the core's parser and keep it (docs/victims-code.md).
    [[nodiscard]] Status refreshBankHolidays(SyncReport& report);
    [[nodiscard]] Result<nlohmann::json> exchange(ClientRequest request);
    /// The JSON of a 200 answer; any other status as the server's error in words.
    [[nodiscard]] static Result<nlohmann::json> answerJson(const ClientResponse& response);
    /// A request with the bookkeeping every answer needs (wipe order, Retry-After).
    [[nodiscard]] Result<ClientResponse> call(ClientRequest request);
    /// Photo bytes: upload what the server lacks, download what is missing here (resumably).
    [[nodiscard]] Status transferPhotos(SyncReport& report);
    /// A first sync from the server's rows (GET /v1/snapshot); does nothing when the
    /// server has no snapshots (the op log is then replayed from the start).
    [[nodiscard]] Status snapshot(SyncReport& report);
    [[nodiscard]] Status uploadPhoto(AttachmentRepository& photos, const RecordRow& row, SyncReport& report);
    [[nodiscard]] Status downloadPhoto(AttachmentRepository& photos, const RecordRow& row, SyncReport& report);
    void schedule(std::chrono::milliseconds delay);
    void refreshCounts();
    void publish();

    SyncTransport& transport;
    SyncEngineOptions options;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard;
    asio::steady_timer timer;
    std::thread thread;

    RecordStore* store = nullptr;
    Actor actor;
    bool online = true;
    /// Retry-After from the server: no request before this (engine clock).
    std::optional<std::chrono::system_clock::time_point> notBefore;
    std::optional<Error> throttled;  ///< the server's words with that Retry-After
    std::atomic<std::int64_t> attempts{0};
    /// Ops in one push: options.pushBatch, halved for the rest of a sync when the server
    /// answers 413 (too big for it).
    std::size_t pushLimit = 0;
    /// The version of the bank-holiday list the server's last pull answer named (0: none).
    int offeredBankHolidays = 0;
    bool resequenced = false;      ///< resequence() ran in this sync
    bool serverWentBack = false;   ///< a pull answer named another incarnation than the one kept

    mutable std::mutex mutex;  // guards status, totals and callback for readers on other threads
    SyncStatus status;
    SyncReport totals;
    StatusCallback callback;
};

void SyncEngine::Impl::publish()
{
    SyncStatus copy;
    StatusCallback cb;
    {
        std::lock_guard lock(mutex);
        copy = status;
        cb = callback;
    }
    if (cb)
        cb(copy);
}

void SyncEngine::Impl::refreshCounts()
{
    if (!store)
        return;
    auto queued = store->pendingCount();
    auto rejected = store->rejectedOps();
    auto synced = store->lastSyncedAt();
    // Only the photo count: the status line does not show unsent records or changes, and
    // counting those reads the whole outbox (seconds, on a device that has not synced 5,000
    // incidents, on every refresh).
    auto photos = store->database().queryInt("SELECT count(*) FROM attachment_transfer WHERE direction = 'up';");
    std::lock_guard lock(mutex);
    if (photos)
        status.photosToSend = *photos;
    if (queued)
        status.queued = *queued;
    if (rejected)
        status.rejected = static_cast<std::int64_t>(rejected->size());
    if (synced)
        status.lastSyncedAt = *synced;
}

void SyncEngine::Impl::schedule(std::chrono::milliseconds delay)
{
    timer.expires_after(delay);
    timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec && store)
            (void)runSync();
    });
    std::lock_guard lock(mutex);
    status.nextAttemptIn = delay;
}

Result<ClientResponse> SyncEngine::Impl::call(ClientRequest request)
{
    auto response = transport.request(std::move(request));
    if (!response)
        return std::move(response).error();
    if (response->wipe) {
        std::lock_guard lock(mutex);
        status.wipeOrdered = true;
    }
    if (response->status == 403 && response->error && response->error->error == errors::kDeviceExpired) {
        std::lock_guard lock(mutex);
        status.credentialExpired = true;
    }
    if (response->retryAfter && (response->status == 429 || response->status == 503)) {
        notBefore = options.clock() + *response->retryAfter;
        throttled = errorFromResponse(*response);
    }
    return response;
}

Result<nlohmann::json> SyncEngine::Impl::exchange(ClientRequest request)
{
    auto response = call(std::move(request));
    if (!response)
        return std::move(response).error();
    return answerJson(*response);
}

Result<nlohmann::json> SyncEngine::Impl::answerJson(const ClientResponse& response)
{
    if (response.status != 200)
        return errorFromResponse(response);
    auto json = parseJson(response.body);
    if (!json)
        return makeError(ErrorCode::Corrupt, "The server's answer could not be read (not valid JSON). Sync will try "
                                             "again; if this keeps happening, tell your administrator.");
    return json;
}

Status SyncEngine::Impl::push(SyncReport& report)
{
    // One batch: read from the outbox (after `afterSeq`, which may still be waiting for its
    // acknowledgement) and encoded for the wire.
    struct Batch {
        std::vector<Op> ops;
        std::string body;
    };
    const auto prepare = [this](std::int64_t afterSeq, std::size_t limit) -> Result<Batch> {
        auto ops = store->pushBatch(limit, afterSeq);
        if (!ops)
            return std::move(ops).error();
        Batch batch{std::move(ops).value(), {}};
        if (!batch.ops.empty())
            batch.body = toText(PushRequest{batch.ops});
        return batch;
    };
    // The server's answer to a batch, recorded here: refused ops moved aside, the rest dropped
    // from the outbox. One local transaction.
    struct Settled {
        std::int64_t first = 0;
        std::int64_t last = 0;
        PushResponse answer;
    };
    const auto record = [this, &report](const Settled& s) -> Status {
        std::set<std::int64_t> refused;
        Status recorded = store->transaction([&]() -> Status {
            for (const auto& r : s.answer.rejected) {
                if (r.seq < s.first || r.seq > s.answer.ackedUpto || !refused.insert(r.seq).second)
                    continue;
                VIGIL_TRY(store->markRejected(r.seq, r.message.empty() ? r.error : r.message));
            }
            return store->acknowledge(s.answer.ackedUpto);
        });
        if (!recorded.ok())
            return recorded;
        const std::int64_t settled = std::min(s.answer.ackedUpto, s.last) - s.first + 1;
        report.rejected += static_cast<std::int64_t>(refused.size());
        report.pushed += settled - static_cast<std::int64_t>(refused.size());
        return {};
    };

    auto current = prepare(0, pushLimit);
    if (!current)
        return std::move(current).error();
    std::optional<Settled> unrecorded;  // answered by the server, not yet recorded here
    for (;;) {
        if (current->ops.empty())
            return unrecorded ? record(*unrecorded) : Status();
        ClientRequest request;
        request.method = "POST";
        request.target = "/v1/push";
        request.body = std::move(current->body);
        // While this batch travels and the server applies it, a helper thread records the
        // previous answer and reads and encodes the next batch: the store has no other user
        // meanwhile (this thread only talks to the server until it joins the helper).
        const std::int64_t lastSent = current->ops.back().seq;
        auto helper = std::async(std::launch::async, [&, lastSent]() -> Result<Batch> {
            if (unrecorded)
                VIGIL_TRY(record(*unrecorded));
            return prepare(lastSent, pushLimit);
        });
        auto response = call(std::move(request));
        auto next = helper.get();
        unrecorded.reset();  // recorded by the helper, or (on its error) sent again and answered the same
        if (!next)
            return std::move(next).error();
        if (!response)
            return std::move(response).error();
        if (response->status == 413 && current->ops.size() > 1) {
            // Too big for this server (bytes or ops in one message): the same changes again in
            // batches half the size; a later sync tries larger ones again.
            pushLimit = std::max<std::size_t>(1, current->ops.size() / 2);
            current = prepare(0, pushLimit);
            if (!current)
                return std::move(current).error();
            continue;
        }
        if (response->status == 409 && response->error && response->error->error == errors::kSequenceRefused && !resequenced) {
            // This device's numbering and the server's record of it disagree: after a restore of
            // either from a backup. Renumber from where the server stands and send again.
            VIGIL_TRY(resequence());
            current = prepare(0, pushLimit);
            if (!current)
                return std::move(current).error();
            continue;
        }
        if (response->status == 413) {
            return makeError(ErrorCode::InvalidArgument,
                             "One change is larger than the server accepts in one message, so it and the changes "
                             "after it could not be sent. They are all kept on this device; tell your administrator ("
                                 + (response->error ? response->error->message : std::string("HTTP 413")) + ").");
        }
        if (response->error
            && (response->error->error == errors::kQuotaExceeded || response->error->error == errors::kDeviceQuarantined)) {
            // Held back whole, nothing changed: the changes stay here (pushAndPull still pulls).
            return makeError(ErrorCode::Rejected, response->error->message, response->error->error);
        }
        auto json = answerJson(*response);
        if (!json)
            return std::move(json).error();
        auto answer = pushResponseFromJson(*json);
        if (!answer)
            return std::move(answer).error();
        const std::int64_t first = current->ops.front().seq;
        if (answer->ackedUpto < first) {
            return makeError(ErrorCode::Internal, "The server accepted none of this device's waiting changes (it "
                                                  "expected another sequence number). They are kept here; tell "
                                                  "your administrator.");
        }
        Settled settled{first, lastSent, std::move(answer).value()};
        if (settled.answer.ackedUpto < lastSent) {
            VIGIL_TRY(record(settled));
            return makeError(ErrorCode::Internal, "The server stopped part-way through this device's changes (at "
                                                  "change "
                                                      + std::to_string(settled.answer.ackedUpto)
                                                      + "). The rest are kept here and will be sent again.");
        }
        unrecorded = std::move(settled);
        current = std::move(next);
    }
}

Status SyncEngine::Impl::snapshot(SyncReport& report)
{
    bool offered = true;
    auto from = store->snapshotNext();
    if (!from)
        return std::move(from).error();
    // One page: asked for and read on this (the engine) thread, like every request. An answer
    // larger than this device takes is asked for again with half as many rows, down to one.
    std::size_t rowLimit = std::max<std::size_t>(1, options.snapshotPage);
    const auto fetch = [&](const std::string& at) -> Result<SnapshotPage> {
        const auto ask = [&] {
            ClientRequest request;
            request.target = "/v1/snapshot?limit=" + std::to_string(rowLimit) + (at.empty() ? std::string() : "&from=" + at);
            return call(std::move(request));
        };
        auto response = ask();
        while (!response && response.error().field == kAnswerTooLarge && rowLimit > 1) {
            rowLimit = std::max<std::size_t>(1, rowLimit / 2);
            ++report.smallerPages;
            response = ask();
        }
        if (!response)
            return std::move(response).error();
        if (response->status == 404 && at.empty()) {
            offered = false;  // an older server: replay the op log instead
            return SnapshotPage{};
        }
        if (response->status != 200)
            return errorFromResponse(*response);
        auto page = decodeSnapshotPage(response->body);
        if (!page) {
            return makeError(ErrorCode::Corrupt, "The server's answer could not be read (" + page.error().message
                                                     + "). Nothing of it was kept; sync will try again. If this keeps "
                                                       "happening, tell your administrator.");
        }
        if (!page->more && page->cursor.empty())
            return makeError(ErrorCode::Corrupt, "The server ended the first download of records without saying where "
                                                 "to go on. Sync will try again; if this keeps happening, tell your "
                                                 "administrator.");
        return page;
    };
    // The rows, their conflicts and where to go on: one local transaction a page.
    const auto apply = [&](const SnapshotPage& page) -> Status {
        return store->transaction([&]() -> Status {
            VIGIL_TRY(store->applySnapshot(page.rows, page.conflicts, page.users, page.next,
                                           page.more ? std::string() : page.cursor));
            // Photos made elsewhere: their bytes follow their record (transferPhotos).
            AttachmentRepository photos(*store);
            for (const auto& row : page.rows) {
                if (row.entity == "attachment" && !row.deleted)
                    VIGIL_TRY(photos.expectDownload(row.id));
            }
            return {};
        });
    };
    auto first = fetch(*from);
    if (!first && !from->empty() && first.error().code == ErrorCode::InvalidArgument) {
        // The server no longer knows where this device's snapshot stood (it was cut off and the
        // server changed meanwhile): start it again. Rows already here merge; nothing is lost.
        VIGIL_TRY(store->restartSnapshot());
        from->clear();
        first = fetch(*from);
    }
    if (!first)
        return std::move(first).error();
    if (!offered)
        return {};
    SnapshotPage page = std::move(first).value();
    for (;;) {
        // Each page is written on a helper thread while this thread asks for the next, so the
        // server's work and the device's overlap. The store has no other user meanwhile: during a
        // sync other code reaches it only through withStore, which runs on this thread.
        std::future<Status> applying = std::async(std::launch::async, [&] { return apply(page); });
        std::optional<Result<SnapshotPage>> following;
        if (page.more)
            following.emplace(fetch(page.next));
        Status applied = applying.get();
        if (!applied.ok())
            return applied;
        report.pulled += static_cast<std::int64_t>(page.rows.size());
        if (!page.more)
            return {};
        if (!*following)
            return std::move(*following).error();
        page = std::move(*following).value();
    }
}

Status SyncEngine::Impl::pull(SyncReport& report)
{
    // A device that has never pulled and holds no records starts from the server's rows (one
    // row each, not every change in its history); one whose snapshot was cut off goes on with it.
    {
        auto cursor = store->syncCursor();
        if (!cursor)
            return std::move(cursor).error();
        auto next = store->snapshotNext();
        if (!next)
            return std::move(next).error();
        bool fresh = !next->empty();
        if (cursor->empty() && !fresh) {
            auto none = store->holdsNoRecords();
            if (!none)
                return std::move(none).error();
            fresh = *none;
        }
        if (cursor->empty() && fresh && options.snapshotPage > 0) {
            VIGIL_TRY(snapshot(report));
        }
    }
    auto stored = store->syncCursor();
    if (!stored)
        return std::move(stored).error();
    std::string cursor = stored->empty() ? std::string("0") : *stored;
    std::size_t pageLimit = std::max<std::size_t>(1, options.pullPage);
    const auto ask = [this, &pageLimit](const std::string& from) {
        ClientRequest request;
        request.target = "/v1/pull?cursor=" + from + "&limit=" + std::to_string(pageLimit);
        return exchange(std::move(request));
    };
    std::optional<Result<nlohmann::json>> asked;  // the next page, asked for while this one was applied
    for (;;) {
        auto json = asked ? std::move(*asked) : ask(cursor);
        asked.reset();
        if (!json && json.error().field == kAnswerTooLarge && pageLimit > 1) {
            // A page larger than this device takes in one answer (ops pushed before the server
            // limited them, or a server with a larger page budget): the same cursor again, half as
            // many ops, down to one (issue 22). The next sync starts at the full size again.
            pageLimit = std::max<std::size_t>(1, pageLimit / 2);
            ++report.smallerPages;
            continue;
        }
        if (!json)
            return std::move(json).error();
        auto page = pullResponseFromJson(*json);
        if (!page)
            return std::move(page).error();
        const bool last = !page->more || page->cursor == cursor;
        // Forgetting, the page and its cursor: one local transaction, on a helper thread while
        // this one asks for the next page — only when asking for it changes nothing on the server:
        // a page that keeps the view (no history, no forget list) is not a delivery the server
        // waits to hear of (sync-protocol.md, "The view in the cursor"). The store has one user
        // at a time: this thread only talks to the server until it joins the helper.
        auto applying = std::async(std::launch::async, [&]() -> Status {
            return store->transaction([&]() -> Status {
                for (const auto& id : page->forget)
                    VIGIL_TRY(store->forgetIncident(actor, id, "the record left this user's access (server instruction)"));
                VIGIL_TRY(store->applyPulled(page->ops, page->cursor, page->refresh));
                // Photos made elsewhere: their bytes follow their record (transferPhotos). A
                // rebuilt incident's photos are here already (a rebuild keeps photo bytes).
                AttachmentRepository photos(*store);
                for (const auto& op : page->ops) {
                    if (op.entity != "attachment" || op.field != kFieldCreate)
                        continue;
                    if (!page->refresh.empty()) {
                        auto held = photos.storedChunks(op.id);
                        if (!held)
                            return std::move(held).error();
                        if (*held > 0)
                            continue;
                    }
                    VIGIL_TRY(photos.expectDownload(op.id));
                }
                return {};
            });
        });
        if (!last && page->forget.empty() && page->refresh.empty() && sameView(cursor, page->cursor))
            asked = ask(page->cursor);
        Status applied = applying.get();
        if (!applied.ok())
            return applied;  // a page asked for meanwhile is dropped: the next sync asks again
        report.pulled += static_cast<std::int64_t>(page->ops.size());
        report.forgotten += static_cast<std::int64_t>(page->forget.size());
        offeredBankHolidays = page->bankHolidays;
        VIGIL_TRY(noteIncarnation(page->incarnation));
        if (page->maxAutoLockMinutes > 0) {
            // The administrator's policy, kept when it changes (a store write per page otherwise).
            auto held = store->maxAutoLockMinutes();
            if (!held)
                return std::move(held).error();
            if (*held != page->maxAutoLockMinutes)
                VIGIL_TRY(store->setMaxAutoLockMinutes(page->maxAutoLockMinutes));
        }
        if (last)
            return {};
        cursor = page->cursor;
    }
}

namespace {

/// The photo facts its record carries (AttachmentRepository writes them at import).
struct PhotoFacts {
    std::int64_t size = 0;
    std::string sha256;
    std::int64_t chunks = 0;
};

PhotoFacts factsOf(const RecordRow& row)
{
    PhotoFacts f;
    const auto& size = row.field("size");
    const auto& sha = row.field("sha256");
    const auto& chunks = row.field("chunks");
    f.size = size.is_number_integer() ? size.get<std::int64_t>() : 0;
    f.sha256 = sha.is_string() ? sha.get<std::string>() : std::string();
    f.chunks = chunks.is_number_integer() ? chunks.get<std::int64_t>() : 0;
    return f;
}

bool isError(const ClientResponse& r, std::string_view code)
{
    return r.error && r.error->error == code;
}

Error damagedPart()
{
    return makeError(ErrorCode::Corrupt, "A part of a photo arrived damaged (its check does not match). It was not "
                                         "kept; Vigil fetches it again at the next sync.");
}

}  // namespace

Status SyncEngine::Impl::transferPhotos(SyncReport& report)
{
    AttachmentRepository photos(*store);
    for (const char* direction : {"up", "down"}) {
        auto pending = photos.pendingTransfers(direction);
        if (!pending)
            return std::move(pending).error();
        for (const auto& id : *pending) {
            auto row = store->get(Entity::Attachment, id);
            if (!row)
                return std::move(row).error();
            if (!row->has_value() || (*row)->deleted) {
                VIGIL_TRY(photos.dropTransfer(id));  // removed, or its incident left this device
                continue;
            }
            VIGIL_TRY(std::string_view(direction) == "up" ? uploadPhoto(photos, **row, report)
                                                          : downloadPhoto(photos, **row, report));
        }
    }
    return {};
}

Status SyncEngine::Impl::uploadPhoto(AttachmentRepository& photos, const RecordRow& row, SyncReport& report)
{
    const PhotoFacts facts = factsOf(row);
    ClientRequest ask;
    ask.target = "/v1/attachments/" + row.id;
    auto answer = call(ask);
    if (!answer)
        return std::move(answer).error();
    if (isError(*answer, errors::kAttachmentUnknown))
        return {};  // its record has not reached the server (or was refused): the bytes wait
    if (isError(*answer, errors::kAttachmentRemoved))
        return photos.dropTransfer(row.id);
    if (answer->status != 200)
        return errorFromResponse(*answer);
    auto json = parseJson(answer->body);
    auto server = json ? attachmentStatusFromJson(*json) : Result<AttachmentStatus>(json.error());
    if (!server)
        return std::move(server).error();
    // Resume from the last chunk the server confirmed, not from the start.
    std::int64_t next = server->received;
    bool complete = server->complete;
    while (!complete && next < facts.chunks) {
        auto bytes = photos.chunk(row.id, next);
        if (!bytes)
            return std::move(bytes).error();
        AttachmentChunk part;
        part.id = row.id;
        part.index = next;
        part.data = base64UrlEncode(*bytes);
        part.sha256 = sha256Hex(*bytes);
        part.size = facts.size;
        part.fileSha256 = facts.sha256;
        part.chunks = facts.chunks;
        ClientRequest put;
        put.method = "PUT";
        put.target = "/v1/attachments/" + row.id + "/chunks/" + std::to_string(next);
        put.body = vigil::json::dump(toJson(part));
        auto sent = call(std::move(put));
        if (!sent)
            return std::move(sent).error();
        if (sent->status != 200) {
            // The server says where it is: resume there (out of order), or give the reason.
            auto body = parseJson(sent->body);
            if (isError(*sent, errors::kChunkOutOfOrder) && body && body->contains("received")
                && (*body)["received"].is_number_integer()) {
                next = (*body)["received"].get<std::int64_t>();
                continue;
            }
            if (isError(*sent, errors::kAttachmentRemoved))
                return photos.dropTransfer(row.id);
            return errorFromResponse(*sent);
        }
        auto reply = parseJson(sent->body);
        auto state = reply ? attachmentStatusFromJson(*reply) : Result<AttachmentStatus>(reply.error());
        if (!state)
            return std::move(state).error();
        next = state->received;
        complete = state->complete;
    }
    if (!complete)
        return {};
    ++report.photosSent;
    return photos.markUploaded(row.id);
}

Status SyncEngine::Impl::downloadPhoto(AttachmentRepository& photos, const RecordRow& row, SyncReport& report)
{
    const PhotoFacts facts = factsOf(row);
    if (facts.sha256.empty() || facts.chunks <= 0)
        return {};  // its record has not fully arrived yet
    auto have = photos.storedChunks(row.id);
    if (!have)
        return std::move(have).error();
    if (*have < facts.chunks) {
        ClientRequest ask;
        ask.target = "/v1/attachments/" + row.id;
        auto answer = call(ask);
        if (!answer)
            return std::move(answer).error();
        if (isError(*answer, errors::kAttachmentUnknown))
            return {};
        if (isError(*answer, errors::kAttachmentRemoved))
            return photos.dropTransfer(row.id);
        if (answer->status != 200)
            return errorFromResponse(*answer);
        auto json = parseJson(answer->body);
        auto server = json ? attachmentStatusFromJson(*json) : Result<AttachmentStatus>(json.error());
        if (!server)
            return std::move(server).error();
        if (!server->complete)
            return {};  // the device that took it has not sent it all yet
        // Resume after the last chunk kept here; each chunk is kept as it arrives.
        for (std::int64_t index = *have; index < facts.chunks; ++index) {
            ClientRequest get;
            get.target = "/v1/attachments/" + row.id + "/chunks/" + std::to_string(index);
            auto part = exchange(std::move(get));
            if (!part)
                return std::move(part).error();
            auto chunk = attachmentChunkFromJson(*part);
            if (!chunk)
                return damagedPart();
            auto bytes = base64UrlDecode(chunk->data);
            if (!bytes || chunk->id != row.id || chunk->index != index || chunk->fileSha256 != facts.sha256
                || chunk->chunks != facts.chunks || sha256Hex(*bytes) != chunk->sha256)
                return damagedPart();  // nothing kept from this part
            Status kept = photos.storeChunk(row.id, index, *bytes);
            sodium_memzero(bytes->data(), bytes->size());
            VIGIL_TRY(kept);
        }
    }
    // The whole photo against the check its record carries; a mismatch drops it all.
    VIGIL_TRY(photos.finishDownload(row.id));
    ++report.photosReceived;
    return {};
}

Status SyncEngine::Impl::noteIncarnation(const std::string& incarnation)
{
    if (incarnation.empty())
        return {};  // an older server
    auto kept = store->serverIncarnation();
    if (!kept)
        return std::move(kept).error();
    if (kept->empty())
        return store->setServerIncarnation(incarnation);  // the first seen: nothing to compare
    if (*kept != incarnation)
        serverWentBack = true;
    return {};
}

Status SyncEngine::Impl::resequence()
{
    resequenced = true;
    ClientRequest request;
    request.method = "GET";
    request.target = std::string(kSequencePath);
    auto json = exchange(std::move(request));
    if (!json)
        return std::move(json).error();
    const auto last = json->find("last_seq");
    const auto incarnation = json->find("incarnation");
    if (last == json->end() || !last->is_number_integer() || last->get<std::int64_t>() < 0)
        return makeError(ErrorCode::Corrupt, "The server's answer about this device's changes could not be read. Sync "
                                             "will try again.");
    auto resent = store->resequence(last->get<std::int64_t>());
    if (!resent)
        return std::move(resent).error();
    // Photo bytes too: this device's photos are offered again; the server says what it holds
    // and only what it lost is sent (transferPhotos, at the end of this sync).
    auto photos = AttachmentRepository(*store).queueOwnUploads();
    if (!photos)
        return std::move(photos).error();
    if (incarnation != json->end() && incarnation->is_string() && !incarnation->get<std::string>().empty())
        VIGIL_TRY(store->setServerIncarnation(incarnation->get<std::string>()));
    serverWentBack = false;
    return {};
}

Result<SyncReport> SyncEngine::Impl::pushAndPull()
{
    SyncReport report;
    pushLimit = std::max<std::size_t>(1, options.pushBatch);
    offeredBankHolidays = 0;
    resequenced = false;
    serverWentBack = false;
    // A device whose pushes the server holds back (its storage quota used up, or quarantined by
    // an administrator) still receives its team's changes; the sync then fails with the server's
    // words, and its own changes stay in the outbox for a later sync.
    Status pushed = push(report);
    const bool held = !pushed.ok()
        && (pushed.error().field == errors::kQuotaExceeded || pushed.error().field == errors::kDeviceQuarantined);
    if (!pushed.ok() && !held)
        return std::move(pushed).error();
    VIGIL_TRY(pull(report));
    if (held)
        return std::move(pushed).error();
    // The server was restored from a backup since the last sync: what it lost of this device's
    // changes goes back into the outbox (the push below sends it); nothing is doubled.
    if (serverWentBack && !resequenced)
        VIGIL_TRY(resequence());
    // Pulling can add outbox entries of its own (the audit entry of a forgotten record).
    VIGIL_TRY(push(report));
    // Photo bytes last: their records must be on the server (and here) first.
    VIGIL_TRY(transferPhotos(report));
    if (options.fetchDirectory)
        VIGIL_TRY(refreshDirectory());
    VIGIL_TRY(refreshBankHolidays(report));
    return report;
}

Status SyncEngine::Impl::refreshBankHolidays(SyncReport& report)
{
    const int offered = offeredBankHolidays;
    if (offered <= 0)
        return {};  // the server holds none (or is older than 1.3): the shipped list stands
    auto held = store->serverBankHolidaysVersion();
    if (!held)
        return std::move(held).error();
    if (offered <= *held)
        return {};  // current: nothing is fetched
    auto refused = store->refusedBankHolidaysVersion();
    if (!refused)
        return std::move(refused).error();
    if (*refused == offered)
        return {};  // this one could not be used: not fetched again until the server offers another
    ClientRequest request;
    request.method = "GET";
    request.target = std::string(kBankHolidaysPath);
    auto response = call(std::move(request));
    if (!response)
        return std::move(response).error();
    if (response->status == 404)
        return {};  // none after all
    if (response->status != 200)
        return errorFromResponse(*response);
    // What the server sends is checked here with the core's own parser (size, nesting, every
    // date), as vigil-admin checked it: a list that fails is not kept, and the clock keeps the one
    // it has. A list no newer than the one held changes nothing.
    auto list = WorkingDays::parse(response->body, "from the server");
    if (!list || list->version() <= *held)
        return store->setRefusedBankHolidaysVersion(offered);
    VIGIL_TRY(store->setServerBankHolidays(response->body, list->version(), store->nowIso()));
    report.bankHolidays = list->version();
    return {};
}

Status SyncEngine::Impl::refreshDirectory()
{
    auto at = store->directoryFetchedAt();
    if (!at)
        return std::move(at).error();
    const auto fetched = parseIsoDateTime(*at);
    if (fetched && options.clock() - *fetched < options.directoryEvery)
        return {};
    ClientRequest request;
    request.method = "GET";
    request.target = "/v1/directory";
    auto response = call(std::move(request));
    if (!response)
        return std::move(response).error();
    if (response->status == 403 || response->status == 404) {
        // No longer a supervisor, or a server from before the directory: nobody to list.
        return store->setDirectory("[]", store->nowIso());
    }
    auto json = answerJson(*response);
    if (!json)
        return std::move(json).error();
    const auto users = json->find("users");
    if (users == json->end() || !users->is_array())
        return makeError(ErrorCode::Corrupt, "The server's list of officers could not be read. Sync will try again.");
    return store->setDirectory(users->dump(), store->nowIso());
}

Result<SyncReport> SyncEngine::Impl::runSync()
{
    if (!store) {
        return makeError(ErrorCode::InvalidArgument, "Sync is paused while the records are locked. Unlock to sync.");
    }
    timer.cancel();
    if (!online) {
        refreshCounts();
        {
            std::lock_guard lock(mutex);
            status.state = SyncStatus::State::Offline;
            status.nextAttemptIn.reset();
        }
        publish();
        return makeError(ErrorCode::Network, "This device is offline. Changes are kept and sent when the "
                                             "connection returns.");
    }
    if (notBefore && options.clock() < *notBefore) {
        // The server asked for a pause (429 Retry-After): do not ask it again before then.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(*notBefore - options.clock());
        Error error = throttled.value_or(makeError(ErrorCode::Network, "The server asked this device to wait."));
        error.message += " (next try in " + std::to_string((left.count() + 999) / 1000) + " s)";
        refreshCounts();
        {
            std::lock_guard lock(mutex);
            status.state = SyncStatus::State::Failed;
            status.lastError = error;
        }
        schedule(left);
        publish();
        return error;
    }
    ++attempts;
    refreshCounts();
    {
        std::lock_guard lock(mutex);
        status.state = SyncStatus::State::Syncing;
        status.nextAttemptIn.reset();
    }
    publish();

    auto result = pushAndPull();
    int failures = 0;
    if (result) {
        (void)store->setLastSyncedAt(store->nowIso());
        std::lock_guard lock(mutex);
        totals.pushed += result->pushed;
        totals.rejected += result->rejected;
        totals.pulled += result->pulled;
        totals.forgotten += result->forgotten;
        totals.photosSent += result->photosSent;
        totals.photosReceived += result->photosReceived;
        totals.smallerPages += result->smallerPages;
        totals.bankHolidays = std::max(totals.bankHolidays, result->bankHolidays);
        status.failures = 0;
        status.lastError.reset();
        status.state = SyncStatus::State::Idle;
        notBefore.reset();
        throttled.reset();
    } else {
        std::lock_guard lock(mutex);
        failures = ++status.failures;
        status.lastError = result.error();
        status.state = SyncStatus::State::Failed;
    }
    refreshCounts();
    if (result) {
        schedule(options.backoff.interval);
    } else {
        const ErrorCode code = result.error().code;
        const bool retryHelps = code != ErrorCode::Revoked && code != ErrorCode::Unauthorised
                             && code != ErrorCode::UpdateRequired && code != ErrorCode::ServerKeyMismatch;
        if (retryHelps) {
            auto delay = backoffDelay(options.backoff, failures, options.random());
            if (notBefore) {
                // Never before the server's Retry-After, whatever the backoff says.
                const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*notBefore - options.clock());
                delay = std::max(delay, wait);
            }
            schedule(delay);
        }
    }
    publish();
    return result;
}

SyncEngine::SyncEngine(SyncTransport& transport, SyncEngineOptions options)
    : m_impl(std::make_unique<Impl>(transport, std::move(options)))
{
}

SyncEngine::~SyncEngine()
{
    stop();
    m_impl->guard.reset();
    m_impl->io.stop();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

void SyncEngine::setStatusCallback(StatusCallback callback)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->callback = std::move(callback);
}

void SyncEngine::start(RecordStore& store, Actor actor)
{
    Impl* impl = m_impl.get();
    asio::post(impl->io, [impl, &store, actor = std::move(actor)]() mutable {
        impl->store = &store;
        impl->actor = std::move(actor);
        {
            std::lock_guard lock(impl->mutex);
            impl->status = SyncStatus{};
            impl->status.state = SyncStatus::State::Idle;
            impl->totals = SyncReport{};
        }
        (void)impl->runSync();  // at once on unlock
    });
}

void SyncEngine::stop()
{
    Impl* impl = m_impl.get();
    impl->call<int>([impl] {
        impl->timer.cancel();
        impl->store = nullptr;
        {
            std::lock_guard lock(impl->mutex);
            impl->status.state = SyncStatus::State::Stopped;
            impl->status.nextAttemptIn.reset();
        }
        impl->publish();
        return 0;
    });
}

void SyncEngine::connectivityChanged(bool online)
{
    Impl* impl = m_impl.get();
    asio::post(impl->io, [impl, online] {
        const bool cameBack = online && !impl->online;
        impl->online = online;
        if (!impl->store)
            return;
        if (cameBack || !online)
            (void)impl->runSync();  // back online: sync now; gone offline: show it
    });
}

void SyncEngine::localChange()
{
    Impl* impl = m_impl.get();
    asio::post(impl->io, [impl] {
        if (!impl->store)
            return;
        impl->refreshCounts();
        bool failing = false;
        {
            std::lock_guard lock(impl->mutex);
            failing = impl->status.state == SyncStatus::State::Failed;
        }
        // Send soon, once typing pauses; a failing server keeps its backoff, offline waits.
        if (impl->online && !failing)
            impl->schedule(impl->options.pushAfterChange);
        impl->publish();
    });
}

void SyncEngine::syncNow()
{
    Impl* impl = m_impl.get();
    asio::post(impl->io, [impl] {
        if (impl->store)
            (void)impl->runSync();
    });
}

SyncReport SyncEngine::totals() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->totals;
}

Result<SyncReport> SyncEngine::syncOnce()
{
    Impl* impl = m_impl.get();
    return impl->call<Result<SyncReport>>([impl] { return impl->runSync(); });
}

Status SyncEngine::withStore(const std::function<Status(RecordStore&)>& work)
{
    Impl* impl = m_impl.get();
    return impl->call<Status>([impl, &work]() -> Status {
        if (!impl->store)
            return makeError(ErrorCode::InvalidArgument, "The records are locked; unlock them first.");
        return work(*impl->store);
    });
}

void SyncEngine::drain()
{
    m_impl->call<int>([] { return 0; });
}

SyncStatus SyncEngine::status() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->status;
}

std::int64_t SyncEngine::attempts() const
{
    return m_impl->attempts.load();
}

}  // namespace vigil::sync
