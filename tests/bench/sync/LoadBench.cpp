// Sync load run (issue 6), by hand: many simulated devices syncing every few seconds against
// real vigil-server processes on 127.0.0.1 over HTTPS. Prints request and sync latency
// percentiles, errors, and each server's memory (RSS) and CPU. Asserts nothing about time.
//   build/dev/tests/bench/sync/vigil_bench_sync_load                 500 devices, 60 s, every 2-4 s
//   VIGIL_LOAD_DEVICES=N VIGIL_LOAD_SECONDS=S VIGIL_LOAD_PERIOD_MS=P  other shapes
//   VIGIL_LOAD_STORE=postgresql VIGIL_LOAD_SERVERS=2                 issue 26: N vigil-server processes on one
//                                                                    PostgreSQL schema, the devices spread over them
//                                                                    (device i on server i mod N); PostgreSQL's CPU
//                                                                    and how often a server waits for the op log's
//                                                                    lock (pg_stat_activity sampled every
//                                                                    VIGIL_LOAD_PG_SAMPLE_MS, default 20; 0: off)
//   VIGIL_BENCH_PG_CLUSTER=DIR, VIGIL_BENCH_PG_FAST=1                the cluster, as for vigil_bench_sync
//                                                                    (tests/bench/sync/PgBenchCluster.h)
//   VIGIL_LOAD_ACTIVE_PERCENT=P                                      the field's shape: only P% of the devices have an
//                                                                    officer typing a 124D (each syncing every 2-4 s,
//                                                                    as the app's engine sends 2 s after a pause);
//                                                                    the rest sync as the engine does between changes,
//                                                                    every VIGIL_LOAD_IDLE_PERIOD_MS (default 300000:
//                                                                    SyncEngine's 5 minutes, +-1/3), pull only.
//                                                                    Default 100: every device typing all the time
//   VIGIL_BENCH_SMOKE=1 ...                                          20 devices for 5 s (ctest)
//
// A simulated device is the protocol without a store: it keeps its cursor and sequence number
// in memory. It owns one incident (made on its first sync); every sync it pushes a few changes
// to it (~1.5 KB of text) and pulls its team's changes (teams of 10 officers) until nothing is
// left. Every user and device is real on the server (vigil-admin provisioning, real enrolment).
// With several servers they share everything but their TLS ports and their records copies (each
// its own data folder holding the same key, certificate and configuration), as a force's would.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "core/common/Uuid.h"
#include "core/records/Hlc.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncClient.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/server/Admin.h"
#include "sync/server/PgConnection.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/sync/PgBenchCluster.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/sync/FaultSupport.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::bench;
using namespace std::chrono_literals;

namespace {

std::int64_t env(const char* name, std::int64_t fallback)
{
    return test::envInt(name, fallback);
}

/// /proc/<pid>/status fields in kB (VmRSS, VmHWM).
std::int64_t procStatusKb(pid_t pid, const std::string& field)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0)
            return std::atoll(line.c_str() + field.size() + 1);
    }
    return -1;
}

/// The machine's CPU time so far (every core): busy and total, in clock ticks (/proc/stat).
std::pair<std::int64_t, std::int64_t> machineTicks()
{
    std::ifstream in("/proc/stat");
    std::string cpu;
    in >> cpu;
    std::int64_t total = 0, idle = 0;
    for (int i = 0; i < 8; ++i) {
        std::int64_t v = 0;
        in >> v;
        total += v;
        if (i == 3 || i == 4)  // idle, iowait
            idle += v;
    }
    return {total - idle, total};
}

/// utime + stime of a process, in seconds.
double procCpuSeconds(pid_t pid)
{
    return static_cast<double>(std::max<std::int64_t>(0, procCpuTicks(pid))) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

struct Sim {
    std::size_t server = 0;  ///< which server it syncs with
    std::string id;
    std::string user;
    std::string team;
    std::string token;
    std::string incident;
    std::int64_t seq = 0;
    std::string cursor = "0";
    HlcStamp hlc = 0;
    bool created = false;
    bool active = true;  ///< an officer typing a 124D (pushes every sync); else pull only, seldom
    std::chrono::steady_clock::time_point syncStarted;
    std::vector<Op> pending;  ///< sent but not acknowledged
};

struct Results {
    std::mutex mutex;
    std::vector<double> pushMs, pullMs, syncMs;
    std::vector<double> typingSyncMs;  ///< the syncs of devices with an officer typing (push, then pull)
    std::map<std::string, int> errors;
    std::int64_t syncs = 0;
    std::int64_t opsPushed = 0;
    std::int64_t opsPulled = 0;
};

/// Drives every simulated device from one scheduler thread; requests run on the client's
/// Asio thread, and their completions continue the device's sync there.
class Load {
public:
    Load(SyncClient& client, std::vector<ServerEndpoint> endpoints, std::vector<Sim>& sims,
         std::chrono::milliseconds period, std::chrono::milliseconds idlePeriod, std::chrono::steady_clock::time_point until)
        : m_client(client), m_endpoints(std::move(endpoints)), m_sims(sims), m_period(period), m_idlePeriod(idlePeriod),
          m_until(until), m_rng(7)
    {
    }

    void run()
    {
        const auto start = std::chrono::steady_clock::now();
        // Spread the first syncs over one period (of its kind).
        for (std::size_t i = 0; i < m_sims.size(); ++i)
            schedule(i, start + periodOf(i) * static_cast<std::int64_t>(i) / static_cast<std::int64_t>(m_sims.size()));
        std::unique_lock lock(m_mutex);
        while (true) {
            if (m_queue.empty()) {
                if (m_inFlight == 0 && std::chrono::steady_clock::now() >= m_until)
                    break;
                m_wake.wait_for(lock, 50ms);
                continue;
            }
            const auto [when, index] = m_queue.top();
            if (when >= m_until) {
                m_queue.pop();  // the run is over for this device
                continue;
            }
            if (when > std::chrono::steady_clock::now()) {
                m_wake.wait_until(lock, when);
                continue;
            }
            m_queue.pop();
            ++m_inFlight;
            lock.unlock();
            beginSync(index);
            lock.lock();
        }
    }

    Results results;

private:
    using Entry = std::pair<std::chrono::steady_clock::time_point, std::size_t>;

    std::chrono::milliseconds periodOf(std::size_t index) const { return m_sims[index].active ? m_period : m_idlePeriod; }

    void schedule(std::size_t index, std::chrono::steady_clock::time_point when)
    {
        std::lock_guard lock(m_mutex);
        m_queue.emplace(when, index);
        m_wake.notify_one();
    }

    void finish(std::size_t index, bool ok, const std::string& error)
    {
        Sim& s = m_sims[index];
        const double took = ms(std::chrono::steady_clock::now() - s.syncStarted);
        {
            std::lock_guard lock(results.mutex);
            if (ok) {
                results.syncMs.push_back(took);
                if (s.active)
                    results.typingSyncMs.push_back(took);
                ++results.syncs;
            } else {
                results.errors[error]++;
            }
        }
        std::chrono::milliseconds next;
        {
            std::lock_guard lock(m_mutex);
            const std::int64_t period = periodOf(index).count();
            next = std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(period * 2 / 3, period * 4 / 3)(m_rng));
            --m_inFlight;
        }
        schedule(index, std::chrono::steady_clock::now() + next);
    }

    std::string text(std::size_t bytes)
    {
        std::lock_guard lock(m_mutex);
        static constexpr std::string_view kWords[] = {"called", "police", "address", "neighbour", "heard", "shouting",
                                                       "door", "children", "upstairs", "left", "before", "arrival"};
        std::string out;
        while (out.size() < bytes)
            out += std::string(kWords[std::uniform_int_distribution<std::size_t>(0, 11)(m_rng)]) + " ";
        return out;
    }

    Op op(Sim& s, const std::string& field, nlohmann::json value)
    {
        const auto now = static_cast<HlcStamp>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count())
            << 16;
        s.hlc = std::max(now, s.hlc + 1);
        Op o;
        o.opId = newUuid();
        o.device = s.id;
        o.seq = ++s.seq;
        o.entity = "incident";
        o.id = s.incident;
        o.field = field;
        o.value = std::move(value);
        o.hlc = s.hlc;
        return o;
    }

    void beginSync(std::size_t index)
    {
        Sim& s = m_sims[index];
        s.syncStarted = std::chrono::steady_clock::now();
        if (!s.active) {
            // Nothing typed since the last sync: the engine only pulls.
            pull(index);
            return;
        }
        if (!s.created) {
            s.incident = newUuid();
            s.pending.push_back(op(s, "@create", {{"owner", s.user}, {"team", s.team}, {"borough", "camden"}}));
            s.pending.push_back(op(s, "date", "2026-11-20"));
            s.created = true;
        }
        // A few changes a sync: what an officer types between two syncs, about 1.5 KB.
        s.pending.push_back(op(s, "location", text(60)));
        s.pending.push_back(op(s, "evidence.notes", text(1400)));
        s.pending.push_back(op(s, "refs.cad", "CAD-" + std::to_string(s.seq)));
        push(index);
    }

    ClientRequest request(const Sim& s, std::string method, std::string target, std::string body = {})
    {
        ClientRequest r;
        r.method = std::move(method);
        r.target = std::move(target);
        r.body = std::move(body);
        r.bearer = s.token;
        return r;
    }

    void push(std::size_t index)
    {
        Sim& s = m_sims[index];
        const auto t0 = std::chrono::steady_clock::now();
        const std::size_t count = s.pending.size();
        m_client.sendAsync(m_endpoints[s.server], request(s, "POST", "/v1/push", toText(PushRequest{s.pending})),
                           [this, index, t0, count](Result<ClientResponse> r) {
                               Sim& sim = m_sims[index];
                               if (!r || r->status != 200) {
                                   finish(index, false, !r ? "push: " + r.error().message.substr(0, 60)
                                                           : "push: HTTP " + std::to_string(r->status));
                                   return;
                               }
                               auto answer = pushResponseFromJson(*parseJson(r->body));
                               if (!answer || !answer->rejected.empty() || answer->ackedUpto != sim.seq) {
                                   finish(index, false, "push: not all acknowledged");
                                   return;
                               }
                               sim.pending.clear();
                               {
                                   std::lock_guard lock(results.mutex);
                                   results.pushMs.push_back(ms(std::chrono::steady_clock::now() - t0));
                                   results.opsPushed += static_cast<std::int64_t>(count);
                               }
                               pull(index);
                           });
    }

    void pull(std::size_t index)
    {
        Sim& s = m_sims[index];
        const auto t0 = std::chrono::steady_clock::now();
        m_client.sendAsync(m_endpoints[s.server], request(s, "GET", "/v1/pull?cursor=" + s.cursor + "&limit=500"),
                           [this, index, t0](Result<ClientResponse> r) {
                               Sim& sim = m_sims[index];
                               if (!r || r->status != 200) {
                                   finish(index, false, !r ? "pull: " + r.error().message.substr(0, 60)
                                                           : "pull: HTTP " + std::to_string(r->status));
                                   return;
                               }
                               auto json = parseJson(r->body);
                               auto page = json ? pullResponseFromJson(*json) : Result<PullResponse>(json.error());
                               if (!page) {
                                   finish(index, false, "pull: unreadable page");
                                   return;
                               }
                               {
                                   std::lock_guard lock(results.mutex);
                                   results.pullMs.push_back(ms(std::chrono::steady_clock::now() - t0));
                                   results.opsPulled += static_cast<std::int64_t>(page->ops.size());
                               }
                               const bool again = page->more && page->cursor != sim.cursor;
                               sim.cursor = page->cursor;
                               if (again)
                                   pull(index);
                               else
                                   finish(index, true, {});
                           });
    }

    SyncClient& m_client;
    std::vector<ServerEndpoint> m_endpoints;
    std::vector<Sim>& m_sims;
    std::chrono::milliseconds m_period;
    std::chrono::milliseconds m_idlePeriod;
    std::chrono::steady_clock::time_point m_until;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> m_queue;
    std::int64_t m_inFlight = 0;
    std::mt19937_64 m_rng;
};

/// What the op log's lock costs (docs/postgresql.md, decision 5), from PostgreSQL's own view:
/// pg_stat_activity and pg_locks sampled on a connection of its own while the load runs.
class LockSampler {
public:
    LockSampler(const sync::PgSettings& settings, std::chrono::milliseconds every)
        : m_conn(must(sync::PgConnection::connect(settings))),
          m_opLogKey(sync::pgLockKey(settings.schema, "op_log")), m_every(every)
    {
        m_thread = std::thread([this] { run(); });
    }
    ~LockSampler() { stop(); }
    void stop()
    {
        m_done = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    /// Sums over the samples: server connections waiting for the op log's lock, waiting for
    /// another advisory lock, running a statement (waiting or not), inside a transaction.
    std::int64_t samples = 0, opLogWaits = 0, otherLockWaits = 0, active = 0, inTransaction = 0;
    std::int64_t samplesWithOpLogWait = 0;
    /// Where the server connections were, by sample: "statement: <its start>" while one runs
    /// (with what it waits for, if anything), "in a transaction, between statements" while the
    /// server works on its side of a transaction. A profile of the database's share by statement.
    std::map<std::string, std::int64_t> where;

private:
    void run()
    {
        while (!m_done) {
            auto r = m_conn->exec(
                "SELECT a.state, COALESCE(a.wait_event_type, ''), COALESCE(a.wait_event, ''), "
                "       regexp_replace(left(a.query, 90), '\\s+', ' ', 'g'), "
                "       (SELECT (k.classid::bigint << 32) | k.objid::bigint FROM pg_locks k "
                "        WHERE k.pid = a.pid AND NOT k.granted AND k.locktype = 'advisory' LIMIT 1) "
                "FROM pg_stat_activity a "
                "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
                "AND a.backend_type = 'client backend'",
                {});
            if (r) {
                ++samples;
                bool opLogWaited = false;
                for (int row = 0; row < r->rows(); ++row) {
                    const std::string state = r->text(row, 0);
                    const std::string waitType = r->text(row, 1);
                    const std::string wait = r->text(row, 2);
                    if (!r->isNull(row, 4)) {
                        if (r->integer(row, 4) == m_opLogKey) {
                            ++opLogWaits;
                            opLogWaited = true;
                        } else {
                            ++otherLockWaits;
                        }
                    }
                    if (state == "active") {
                        ++active;
                        ++inTransaction;
                        where["statement: " + r->text(row, 3) + (waitType.empty() ? "" : " [" + waitType + ":" + wait + "]")]++;
                    } else if (state == "idle in transaction") {
                        ++inTransaction;
                        where["in a transaction, between statements"]++;
                    }
                }
                samplesWithOpLogWait += opLogWaited ? 1 : 0;
            }
            std::this_thread::sleep_for(m_every);
        }
    }

    std::unique_ptr<sync::PgConnection> m_conn;
    std::int64_t m_opLogKey;
    std::chrono::milliseconds m_every;
    std::atomic<bool> m_done{false};
    std::thread m_thread;
};

}  // namespace

int main()
{
    const int devices = static_cast<int>(env("VIGIL_LOAD_DEVICES", smoke() ? 20 : 500));
    const int seconds = static_cast<int>(env("VIGIL_LOAD_SECONDS", smoke() ? 5 : 60));
    const auto period = std::chrono::milliseconds(env("VIGIL_LOAD_PERIOD_MS", 3000));
    const int serverCount = static_cast<int>(std::max<std::int64_t>(1, env("VIGIL_LOAD_SERVERS", 1)));
    const int activePercent = static_cast<int>(std::clamp<std::int64_t>(env("VIGIL_LOAD_ACTIVE_PERCENT", 100), 0, 100));
    const auto idlePeriod = std::chrono::milliseconds(env("VIGIL_LOAD_IDLE_PERIOD_MS", 300000));
    const char* storeEnv = std::getenv("VIGIL_LOAD_STORE");
    const std::string storeName = storeEnv && *storeEnv ? storeEnv : "sqlcipher";
    if (storeName != "sqlcipher" && storeName != "postgresql")
        die(makeError(ErrorCode::InvalidArgument, "VIGIL_LOAD_STORE is sqlcipher or postgresql, not " + storeName));
    const bool onPostgresql = storeName == "postgresql";
    if (serverCount > 1 && !onPostgresql)
        die(makeError(ErrorCode::InvalidArgument, "several servers share one store on PostgreSQL only: set "
                                                  "VIGIL_LOAD_STORE=postgresql (a SQLCipher file has one server)"));
    constexpr int kTeam = 10;
    std::printf("Vigil sync load: %d simulated devices (teams of %d), each syncing every %.1f-%.1f s for %d s, "
                "against %d vigil-server process%s on %s, 127.0.0.1 over HTTPS%s\n",
                devices, kTeam, static_cast<double>(period.count()) * 2 / 3000, static_cast<double>(period.count()) * 4 / 3000,
                seconds, serverCount, serverCount == 1 ? "" : "es", onPostgresql ? "one PostgreSQL schema" : "SQLCipher",
                smoke() ? " (smoke run: figures not meaningful)" : "");
    if (activePercent < 100)
        std::printf("the field's shape: %d%% of the devices have an officer typing (the syncs above); the others pull "
                    "every %.0f-%.0f s, nothing typed\n",
                    activePercent, static_cast<double>(idlePeriod.count()) * 2 / 3000,
                    static_cast<double>(idlePeriod.count()) * 4 / 3000);
    if (onPostgresql && !postgresInstalled()) {
        reportPostgresSkipped();
        return 0;
    }
    std::optional<BenchCluster> cluster;
    std::optional<sync::PgSettings> pg;
    if (onPostgresql) {
        cluster.emplace();
        pg = cluster->settings(BenchCluster::freshSchema("load_"));
    }

    std::vector<std::unique_ptr<test::RestartableServer>> servers;
    for (int i = 0; i < serverCount; ++i)
        servers.push_back(std::make_unique<test::RestartableServer>());
    {
        // Provisioning enrols every device from 127.0.0.1 at once: lift the per-address limit
        // on requests without a credential (1 a second, bursts of 30, by default).
        std::ifstream in(servers.front()->configFile());
        auto config = nlohmann::json::parse(in);
        in.close();
        config["address_rate_per_second"] = 10000;
        config["address_rate_burst"] = 10000;
        // Every simulated device connects from 127.0.0.1: lift the per-address connection cap
        // (32 by default) so the global cap is the only one, as for devices on many addresses.
        config["max_connections_per_address"] = 0;
        if (pg) {
            config["store"] = "postgresql";
            config["postgresql_conninfo"] = pg->conninfo;
            config["postgresql_password_file"] = pg->passwordFile.string();
            config["postgresql_schema"] = pg->schema;
        }
        std::ofstream(servers.front()->configFile(), std::ios::trunc) << config.dump(2);
    }
    // The other servers: the first one's key, certificate and configuration (paths in it are
    // relative to each folder, so each keeps its own records copy and lock).
    for (int i = 1; i < serverCount; ++i)
        std::filesystem::copy(servers.front()->dataDir(), servers[static_cast<std::size_t>(i)]->dataDir(),
                              std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    std::vector<ServerEndpoint> endpoints;
    for (auto& server : servers) {
        const std::uint16_t port = server->start();
        endpoints.push_back({"127.0.0.1", port, servers.front()->pin()});  // one TLS identity for all
    }
    auto admin = must(AdminSession::open(servers.front()->configFile()));
    SyncClient client;

    // Provisioning: real users and real enrolments (not timed).
    std::vector<Sim> sims(static_cast<std::size_t>(devices));
    const auto setup0 = Steady::now();
    for (int i = 0; i < devices; ++i) {
        Sim& s = sims[static_cast<std::size_t>(i)];
        s.server = static_cast<std::size_t>(i % serverCount);
        s.user = "pc.load" + std::to_string(i);
        s.team = "t" + std::to_string(i / kTeam);
        // Spread over the teams (not whole teams typing and whole teams idle).
        s.active = static_cast<int>((static_cast<std::int64_t>(i) * 37 + 11) % 100) < activePercent;
        UserRecord u;
        u.info.id = s.user;
        u.info.team = s.team;
        u.info.borough = "camden";
        u.info.scope = Scope::Team;
        must(admin->addUser(u));
        const auto code = must(admin->createEnrolCode(s.user, std::chrono::minutes(15), 5, "127.0.0.1",
                                                      endpoints[s.server].port));
        test::InMemorySecretStore secrets;
        DeviceLink link(client, secrets, s.user);
        const auto e = must(link.enrol(formatEnrolmentCode(code.code), s.user));
        s.id = e.deviceId;
        const auto token = must(secrets.read(s.user + "/sync.token"));
        s.token = base64UrlEncode(token->span());
    }
    std::vector<pid_t> pids;
    for (auto& server : servers)
        pids.push_back(server->pid());
    std::printf("setup: %d users and devices enrolled in %.1f s; server RSS", devices, ms(Steady::now() - setup0) / 1000);
    for (const pid_t pid : pids)
        std::printf(" %lld kB", static_cast<long long>(procStatusKb(pid, "VmRSS")));
    std::printf("\n");
    std::fflush(stdout);

    const auto start = Steady::now();
    std::vector<double> cpu0;
    for (const pid_t pid : pids)
        cpu0.push_back(procCpuSeconds(pid));
    const double dbCpu0 = cluster ? cluster->cpuSeconds() : 0;
    const double selfCpu0 = procCpuSeconds(::getpid());
    const auto machine0 = machineTicks();
    std::optional<LockSampler> sampler;
    const auto sampleEvery = std::chrono::milliseconds(env("VIGIL_LOAD_PG_SAMPLE_MS", 20));
    if (pg && sampleEvery.count() > 0)
        sampler.emplace(*pg, sampleEvery);
    Load load(client, endpoints, sims, period, idlePeriod, start + std::chrono::seconds(seconds));
    std::atomic<bool> done{false};
    std::vector<std::int64_t> rssMax(pids.size(), 0);
    std::thread rssSampler([&] {
        while (!done) {
            for (std::size_t i = 0; i < pids.size(); ++i)
                rssMax[i] = std::max(rssMax[i], procStatusKb(pids[i], "VmRSS"));
            std::this_thread::sleep_for(200ms);
        }
    });
    load.run();
    const double wall = ms(Steady::now() - start) / 1000;
    std::vector<double> cpu;
    for (std::size_t i = 0; i < pids.size(); ++i)
        cpu.push_back(procCpuSeconds(pids[i]) - cpu0[i]);
    const double dbCpu = cluster ? cluster->cpuSeconds() - dbCpu0 : 0;
    const double selfCpu = procCpuSeconds(::getpid()) - selfCpu0;
    const auto machine1 = machineTicks();
    if (sampler)
        sampler->stop();
    done = true;
    rssSampler.join();

    Results& r = load.results;
    std::lock_guard lock(r.mutex);
    const auto sync = stats(r.syncMs);
    const auto push = stats(r.pushMs);
    const auto pull = stats(r.pullMs);
    std::int64_t errors = 0;
    for (const auto& [what, n] : r.errors)
        errors += n;
    std::printf("\n%lld syncs in %.1f s (%.0f a second), %lld ops pushed, %lld ops pulled\n",
                static_cast<long long>(r.syncs), wall, static_cast<double>(r.syncs) / wall,
                static_cast<long long>(r.opsPushed), static_cast<long long>(r.opsPulled));
    std::printf("whole sync (push, then pull until done): median %.1f ms, p99 %.1f ms, max %.1f ms\n", sync.median,
                sync.p99, sync.max);
    if (r.typingSyncMs.size() != r.syncMs.size()) {
        const auto typing = stats(r.typingSyncMs);
        std::printf("  of which the typing devices' syncs (push, then pull): median %.1f ms, p99 %.1f ms, max %.1f ms "
                    "(%zu); the others' (pull only): %zu\n",
                    typing.median, typing.p99, typing.max, r.typingSyncMs.size(), r.syncMs.size() - r.typingSyncMs.size());
    }
    std::printf("push request: median %.1f ms, p99 %.1f ms, max %.1f ms (%zu)\n", push.median, push.p99, push.max,
                r.pushMs.size());
    std::printf("pull request: median %.1f ms, p99 %.1f ms, max %.1f ms (%zu)\n", pull.median, pull.p99, pull.max,
                r.pullMs.size());
    std::printf("errors: %lld (target 0)\n", static_cast<long long>(errors));
    for (const auto& [what, n] : r.errors)
        std::printf("  %d x %s\n", n, what.c_str());
    for (std::size_t i = 0; i < pids.size(); ++i) {
        std::printf("server %zu: RSS at most %lld kB during the run (peak since start %lld kB); CPU %.1f s in %.1f s "
                    "(%.0f%% of one core)\n",
                    i + 1, static_cast<long long>(rssMax[i]), static_cast<long long>(procStatusKb(pids[i], "VmHWM")),
                    cpu[i], wall, 100 * cpu[i] / wall);
    }
    if (cluster)
        std::printf("PostgreSQL (every process of the cluster): CPU %.1f s in %.1f s (%.0f%% of one core)%s\n", dbCpu,
                    wall, 100 * dbCpu / wall, cluster->durable() ? "" : "; fsync off (VIGIL_BENCH_PG_FAST)");
    // On a small machine the devices' side (TLS handshakes, JSON) competes with the servers.
    std::printf("the simulated devices (this process): CPU %.1f s (%.0f%% of one core); the whole machine %.0f%% busy "
                "(%ld cores)\n",
                selfCpu, 100 * selfCpu / wall,
                100 * static_cast<double>(machine1.first - machine0.first)
                    / static_cast<double>(std::max<std::int64_t>(1, machine1.second - machine0.second)),
                ::sysconf(_SC_NPROCESSORS_ONLN));
    if (sampler && sampler->samples > 0) {
        const auto n = static_cast<double>(sampler->samples);
        std::printf("op log lock (pg_stat_activity every %lld ms, %lld samples): on average %.2f server connections "
                    "waiting for it (in %.0f%% of samples at least one); %.2f waiting for another advisory lock; "
                    "%.2f running a statement; %.2f inside a transaction (of %d servers)\n",
                    static_cast<long long>(sampleEvery.count()), static_cast<long long>(sampler->samples),
                    static_cast<double>(sampler->opLogWaits) / n, 100 * static_cast<double>(sampler->samplesWithOpLogWait) / n,
                    static_cast<double>(sampler->otherLockWaits) / n, static_cast<double>(sampler->active) / n,
                    static_cast<double>(sampler->inTransaction) / n, serverCount);
        std::vector<std::pair<std::int64_t, std::string>> top;
        for (const auto& [what, count] : sampler->where)
            top.emplace_back(count, what);
        std::sort(top.rbegin(), top.rend());
        std::printf("where the server connections were (share of samples x connections, top 12):\n");
        for (std::size_t i = 0; i < std::min<std::size_t>(12, top.size()); ++i)
            std::printf("  %5.1f%%  %s\n", 100 * static_cast<double>(top[i].first) / n / serverCount, top[i].second.c_str());
    }
    return errors == 0 ? 0 : 1;
}
