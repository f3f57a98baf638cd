#pragma once

// What the sync fault tests share (FaultTest.cpp, ServersFaultTest.cpp): real encrypted device
// stores, 124Ds made and edited as the app makes them, a transport that can kill a server while a
// request is in flight (and choose the server each request goes to), and the comparison of every
// device with what the server holds.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sodium.h>

#include "core/common/Uuid.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordDigest.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncEngine.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/server/Admin.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/FaultSupport.h"

namespace vigil::faulttest {

using namespace vigil::sync;
using test::RestartableServer;

using Rng = std::mt19937_64;

inline double uniform(Rng& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
inline int between(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

inline std::string words(Rng& rng, int count)
{
    static constexpr std::array<const char*, 16> kWords = {"called", "police", "address", "neighbour", "heard",
                                                           "shouting", "door", "children", "upstairs", "left",
                                                           "before", "arrival", "injury", "arm", "statement", "taken"};
    std::string out;
    for (int i = 0; i < count; ++i)
        out += std::string(i ? " " : "") + kWords[static_cast<std::size_t>(between(rng, 0, 15))];
    return out;
}

/// A real encrypted device store (SQLCipher, device schema, random key).
struct DeviceStore {
    test::TempDir dir{"vigil-fault-device"};
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;

    explicit DeviceStore(const std::string& deviceId)
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
        REQUIRE(records->setDeviceId(deviceId).ok());
    }
};

/// How long push and pull requests take here (successful ones), so kills can be timed to
/// land inside one whatever the speed of the machine.
class RequestTimes {
public:
    void add(const std::string& target, std::chrono::microseconds took)
    {
        std::lock_guard lock(m_mutex);
        auto& v = m_times[kind(target)];
        v.push_back(took);
        if (v.size() > 200)
            v.erase(v.begin());
    }
    /// The median so far (10 ms before anything was measured).
    std::chrono::microseconds median(const std::string& target)
    {
        std::lock_guard lock(m_mutex);
        auto v = m_times[kind(target)];
        if (v.empty())
            return std::chrono::microseconds(10000);
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    }

private:
    static std::string kind(const std::string& target) { return target.substr(0, target.find('?')); }
    std::mutex m_mutex;
    std::map<std::string, std::vector<std::chrono::microseconds>> m_times;
};

/// Sits between a sync engine and its link and, when armed, runs an action (killing the
/// server) a moment after the next request to the armed endpoint has gone out. Records
/// whether that request then failed, i.e. the action struck while it was in flight. With a
/// router, each request first goes to a server of the router's choice (a load balancer: the
/// device's proxy pointed at it), and the action is told which one the armed request went to.
class KillSwitch final : public SyncTransport {
public:
    KillSwitch(SyncTransport& inner, RequestTimes& times) : m_inner(inner), m_times(times) {}
    ~KillSwitch() override { join(); }

    /// `choose` runs before each request and returns the server it goes to (set up by it).
    void route(std::function<int()> choose)
    {
        std::lock_guard lock(m_mutex);
        m_choose = std::move(choose);
    }
    /// Successful requests' times are kept under their target plus `suffix` (a device whose
    /// pushes are much larger than the others' keeps its own).
    void setTimesSuffix(std::string suffix)
    {
        std::lock_guard lock(m_mutex);
        m_suffix = std::move(suffix);
    }

    /// `action` gets the server the armed request went to (0 without a router).
    void arm(std::string target, std::chrono::microseconds after, std::function<void(int)> action)
    {
        std::lock_guard lock(m_mutex);
        m_target = std::move(target);
        m_after = after;
        m_action = std::move(action);
    }

    Result<ClientResponse> request(ClientRequest request) override
    {
        bool fire = false;
        std::string suffix;
        {
            std::lock_guard lock(m_mutex);
            suffix = m_suffix;
            const int server = m_choose ? m_choose() : 0;
            if (m_action && request.target.rfind(m_target, 0) == 0) {
                fire = true;
                m_thread = std::thread([this, after = m_after, action = std::move(m_action), server] {
                    std::this_thread::sleep_for(after);
                    try {
                        action(server);
                    } catch (const std::exception& e) {
                        std::lock_guard failureLock(m_mutex);
                        m_failure = e.what();  // reported on the test thread (Catch2 asserts there only)
                    }
                });
                m_action = nullptr;
                m_fired = true;
            }
        }
        const std::string target = request.target;
        const auto started = std::chrono::steady_clock::now();
        auto result = m_inner.request(std::move(request));
        const bool ok = result.ok() && result->status == 200;
        if (fire) {
            m_struck = !ok;
            m_armedTook = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
        }
        else if (ok)
            m_times.add(target + suffix, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
        return result;
    }

    /// Wait for the action; disarm when it has not fired.
    void join()
    {
        std::thread t;
        {
            std::lock_guard lock(m_mutex);
            m_action = nullptr;
            t = std::move(m_thread);
        }
        if (t.joinable())
            t.join();
    }
    [[nodiscard]] bool fired() const { return m_fired; }
    /// Why the action failed (e.g. the server did not come back), or "".
    [[nodiscard]] std::string failure()
    {
        std::lock_guard lock(m_mutex);
        return m_failure;
    }
    [[nodiscard]] bool struck() const { return m_struck; }
    /// How long the armed request took (to its answer or its failure).
    [[nodiscard]] std::chrono::microseconds armedTook() const { return m_armedTook; }

private:
    SyncTransport& m_inner;
    RequestTimes& m_times;
    std::mutex m_mutex;
    std::string m_target;
    std::chrono::microseconds m_after{0};
    std::function<void(int)> m_action;
    std::function<int()> m_choose;
    std::string m_suffix;
    std::thread m_thread;
    std::atomic<bool> m_struck{false};
    std::atomic<bool> m_fired{false};
    std::atomic<std::chrono::microseconds> m_armedTook{std::chrono::microseconds(0)};
    std::string m_failure;
};

/// One enrolled device of a run: its key store, link, kill switch, store and engine.
struct Device {
    Device(SyncClient& client, AdminSession& admin, RequestTimes& times, const UserInfo& user, std::uint16_t proxyPort,
           SyncEngineOptions options)
        : link(client, secrets, user.id), killSwitch(link, times), actor{user.id}, team(user.team), borough(user.borough),
          supervisor(user.role == Role::Supervisor)
    {
        auto code = admin.createEnrolCode(user.id, std::chrono::minutes(15), 5, "127.0.0.1", proxyPort);
        REQUIRE(code.ok());
        auto enrolled = link.enrol(formatEnrolmentCode(code->code), user.id + "-tablet");
        INFO((enrolled ? std::string() : enrolled.error().message));
        REQUIRE(enrolled.ok());
        id = enrolled->deviceId;
        store = std::make_unique<DeviceStore>(id);
        engine = std::make_unique<SyncEngine>(killSwitch, std::move(options));
    }
    ~Device()
    {
        engine.reset();  // stops first: the engine no longer touches the store
        killSwitch.join();
    }

    /// Run `work` on the store: directly while the engine is stopped, else on its thread.
    void withStore(const std::function<Status(RecordStore&)>& work)
    {
        Status s = running ? engine->withStore(work) : work(*store->records);
        INFO((s.ok() ? std::string() : s.error().message));
        REQUIRE(s.ok());  // on the test thread: withStore waits for the engine thread
    }

    test::InMemorySecretStore secrets;
    DeviceLink link;
    KillSwitch killSwitch;
    Actor actor;
    std::string team;
    std::string borough;
    bool supervisor = false;  ///< may edit the team's drafts; an officer edits only their own
    std::string id;
    std::unique_ptr<DeviceStore> store;
    std::unique_ptr<SyncEngine> engine;
    bool running = false;
};

/// A 124D with victims, a suspect, answers and a RARA plan, made the way the app makes it.
/// (No REQUIRE here: this runs on engine threads, and Catch2 asserts from the test thread only.)
inline Result<std::string> createIncident(RecordStore& store, const Device& device, Rng& rng)
{
    IncidentRepository repo(store);
    Incident draft;
    draft.owner = device.actor.userId;
    draft.team = device.team;
    draft.borough = device.borough;
    draft.date = "2026-11-" + std::to_string(between(rng, 10, 28));
    draft.refs.cris = "CRIS-" + std::to_string(between(rng, 100000, 999999));
    draft.location = words(rng, between(rng, 2, 6));
    auto made = repo.createDraft(device.actor, draft);
    if (!made)
        return std::move(made).error();
    Incident incident = *made;
    for (int v = between(rng, 1, 2); v > 0; --v) {
        Victim victim;
        victim.person.name = "Victim " + words(rng, 2);
        victim.person.phone = "07700 9" + std::to_string(between(rng, 10000, 99999));
        victim.relationship = "intimate_partner";
        for (int q = between(rng, 0, 6); q > 0; --q) {
            Answer a;
            a.value = uniform(rng) < 0.5 ? AnswerValue::Yes : AnswerValue::No;
            a.note = words(rng, between(rng, 0, 12));
            victim.dash.answers["q" + std::to_string(between(rng, 1, 27))] = a;
        }
        for (int r = between(rng, 0, 2); r > 0; --r)
            victim.rara.push_back(RaraItem{RaraKind::Reduce, words(rng, 5), device.actor.userId, "2026-12-01", {}});
        incident.victims.push_back(victim);
    }
    Suspect suspect;
    suspect.person.name = "Suspect " + words(rng, 2);
    incident.suspects.push_back(suspect);
    incident.evidence.notes = words(rng, between(rng, 5, 60));
    VIGIL_TRY(repo.save(device.actor, incident));
    return incident.id;
}

/// Change some of what this device holds of `ids`: reference numbers, notes, phone numbers,
/// answers, RARA items added and removed. Both devices do this to the same records, as the
/// authority policy lets them: the officer to their own drafts, the supervisor to any.
inline Status editSome(RecordStore& store, const Device& device, const std::vector<std::string>& ids, Rng& rng)
{
    IncidentRepository repo(store);
    for (const auto& id : ids) {
        if (uniform(rng) < 0.4)
            continue;
        auto row = store.get(Entity::Incident, id);
        if (!row)
            return std::move(row).error();
        if (!row->has_value())
            continue;  // not pulled here yet
        auto read = repo.read(id);
        if (!read)
            return std::move(read).error();
        Incident incident = *read;
        if (incident.owner != device.actor.userId && !device.supervisor)
            continue;  // the server would refuse it: not a sync fault
        incident.refs.cad = "CAD-" + std::to_string(between(rng, 1000, 9999));
        incident.evidence.notes += " " + words(rng, between(rng, 1, 8));
        if (!incident.victims.empty()) {
            Victim& victim = incident.victims[static_cast<std::size_t>(between(rng, 0, int(incident.victims.size()) - 1))];
            victim.person.phone = "07700 9" + std::to_string(between(rng, 10000, 99999));
            if (uniform(rng) < 0.5)
                victim.rara.push_back(RaraItem{RaraKind::Avoid, words(rng, 4), device.actor.userId, "2026-12-02", {}});
            else if (!victim.rara.empty())
                victim.rara.erase(victim.rara.begin());
            Answer a;
            a.value = AnswerValue::DontKnow;
            a.note = words(rng, 3);
            victim.dash.answers["q" + std::to_string(between(rng, 1, 27))] = a;
        }
        VIGIL_TRY(repo.save(device.actor, incident));
    }
    return {};
}

struct Convergence {
    bool converged = false;
    std::string why;
};

inline Convergence compare(RestartableServer& server, std::vector<std::unique_ptr<Device>>& devices,
                    const std::set<std::string>& incidents, bool verbose)
{
    Convergence c;
    std::vector<std::string> ids;
    for (auto& d : devices)
        ids.push_back(d->id);
    DigestOptions digestOptions;
    digestOptions.incidents = incidents;
    digestOptions.perRow = verbose;
    const test::ServerView view = test::readServer(server, ids, digestOptions);
    if (view.rejections != 0) {
        c.why = std::to_string(view.rejections) + " ops rejected by the server";
        for (const auto& words : view.rejectionWords)
            c.why += "\n    " + words;
        return c;
    }
    const std::int64_t serverIncidents = view.records.rows.count("incident") ? view.records.rows.at("incident") : 0;
    if (serverIncidents != static_cast<std::int64_t>(incidents.size())) {
        c.why = "server holds " + std::to_string(serverIncidents) + " of " + std::to_string(incidents.size())
            + " incidents";
        return c;
    }
    for (auto& d : devices) {
        std::int64_t pending = -1;
        std::int64_t lastSeq = -1;
        RecordDigest digest;
        d->withStore([&](RecordStore& store) -> Status {
            auto p = store.pendingCount();
            if (!p)
                return std::move(p).error();
            pending = *p;
            auto seq = store.database().queryInt("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0);");
            if (!seq)
                return std::move(seq).error();
            lastSeq = *seq;
            auto refused = store.rejectedOps();
            if (!refused)
                return std::move(refused).error();
            if (!refused->empty())
                return makeError(ErrorCode::Internal, "the device holds refused ops: " + refused->front().second);
            DigestOptions all;
            all.perRow = verbose;
            auto dg = digestRecords(store.database(), all);
            if (!dg)
                return std::move(dg).error();
            digest = std::move(dg).value();
            return {};
        });
        const std::string who = "device " + d->actor.userId;
        if (pending != 0) {
            c.why = who + " still has " + std::to_string(pending) + " ops to send";
            return c;
        }
        // Every op the device ever wrote is in the op log, once: nothing lost, nothing twice.
        if (view.ops.at(d->id) != lastSeq || view.maxSeq.at(d->id) != lastSeq || view.ackedSeq.at(d->id) != lastSeq) {
            c.why = who + " wrote " + std::to_string(lastSeq) + " ops; the server logged " + std::to_string(view.ops.at(d->id))
                + " (highest " + std::to_string(view.maxSeq.at(d->id)) + ", acknowledged "
                + std::to_string(view.ackedSeq.at(d->id)) + ")";
            return c;
        }
        if (!(digest == view.records) || digest.rows != view.records.rows) {
            c.why = who + " holds " + std::to_string(digest.total) + " rows (hash " + digest.hash.substr(0, 12)
                + "), the server " + std::to_string(view.records.total) + " (hash " + view.records.hash.substr(0, 12) + ")";
            if (verbose) {
                for (const auto& [key, h] : view.records.rowHashes) {
                    auto it = digest.rowHashes.find(key);
                    if (it == digest.rowHashes.end())
                        c.why += "\n  missing on the device: " + key;
                    else if (it->second != h)
                        c.why += "\n  different: " + key;
                }
                for (const auto& [key, h] : digest.rowHashes) {
                    if (!view.records.rowHashes.count(key))
                        c.why += "\n  only on the device: " + key;
                }
            }
            return c;
        }
    }
    c.converged = true;
    return c;
}

}  // namespace vigil::faulttest
