// Sync load run (issue 6), by hand: many simulated devices syncing every few seconds against a
// real vigil-server process on 127.0.0.1 over HTTPS. Prints request and sync latency
// percentiles, errors, and the server's memory (RSS) and CPU. Asserts nothing about time.
//   build/dev/tests/bench/sync/vigil_bench_sync_load                 500 devices, 60 s, every 2-4 s
//   VIGIL_LOAD_DEVICES=N VIGIL_LOAD_SECONDS=S VIGIL_LOAD_PERIOD_MS=P  other shapes
//   VIGIL_BENCH_SMOKE=1 ...                                          20 devices for 5 s (ctest)
//
// A simulated device is the protocol without a store: it keeps its cursor and sequence number
// in memory. It owns one incident (made on its first sync); every sync it pushes a few changes
// to it (~1.5 KB of text) and pulls its team's changes (teams of 10 officers) until nothing is
// left. Every user and device is real on the server (vigil-admin provisioning, real enrolment).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
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
#include "tests/bench/BenchSupport.h"
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

/// utime + stime of a process, in seconds.
double procCpuSeconds(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    std::vector<std::string> fields;
    while (rest >> field)
        fields.push_back(field);
    if (fields.size() < 13)
        return 0;
    const double ticks = static_cast<double>(std::atoll(fields[11].c_str()) + std::atoll(fields[12].c_str()));
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

struct Sim {
    std::string id;
    std::string user;
    std::string team;
    std::string token;
    std::string incident;
    std::int64_t seq = 0;
    std::string cursor = "0";
    HlcStamp hlc = 0;
    bool created = false;
    std::chrono::steady_clock::time_point syncStarted;
    std::vector<Op> pending;  ///< sent but not acknowledged
};

struct Results {
    std::mutex mutex;
    std::vector<double> pushMs, pullMs, syncMs;
    std::map<std::string, int> errors;
    std::int64_t syncs = 0;
    std::int64_t opsPushed = 0;
    std::int64_t opsPulled = 0;
};

/// Drives every simulated device from one scheduler thread; requests run on the client's
/// Asio thread, and their completions continue the device's sync there.
class Load {
public:
    Load(SyncClient& client, ServerEndpoint endpoint, std::vector<Sim>& sims, std::chrono::milliseconds period,
         std::chrono::steady_clock::time_point until)
        : m_client(client), m_endpoint(endpoint), m_sims(sims), m_period(period), m_until(until), m_rng(7)
    {
    }

    void run()
    {
        const auto start = std::chrono::steady_clock::now();
        // Spread the first syncs over one period.
        for (std::size_t i = 0; i < m_sims.size(); ++i)
            schedule(i, start + m_period * static_cast<std::int64_t>(i) / static_cast<std::int64_t>(m_sims.size()));
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
                ++results.syncs;
            } else {
                results.errors[error]++;
            }
        }
        std::chrono::milliseconds next;
        {
            std::lock_guard lock(m_mutex);
            next = std::chrono::milliseconds(
                std::uniform_int_distribution<std::int64_t>(m_period.count() * 2 / 3, m_period.count() * 4 / 3)(m_rng));
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
        m_client.sendAsync(m_endpoint, request(s, "POST", "/v1/push", toText(PushRequest{s.pending})),
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
        m_client.sendAsync(m_endpoint, request(s, "GET", "/v1/pull?cursor=" + s.cursor + "&limit=500"),
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
    ServerEndpoint m_endpoint;
    std::vector<Sim>& m_sims;
    std::chrono::milliseconds m_period;
    std::chrono::steady_clock::time_point m_until;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> m_queue;
    std::int64_t m_inFlight = 0;
    std::mt19937_64 m_rng;
};

}  // namespace

int main()
{
    const int devices = static_cast<int>(env("VIGIL_LOAD_DEVICES", smoke() ? 20 : 500));
    const int seconds = static_cast<int>(env("VIGIL_LOAD_SECONDS", smoke() ? 5 : 60));
    const auto period = std::chrono::milliseconds(env("VIGIL_LOAD_PERIOD_MS", 3000));
    constexpr int kTeam = 10;
    std::printf("Vigil sync load: %d simulated devices (teams of %d), each syncing every %.1f-%.1f s for %d s, "
                "against vigil-server on 127.0.0.1 over HTTPS%s\n",
                devices, kTeam, static_cast<double>(period.count()) * 2 / 3000, static_cast<double>(period.count()) * 4 / 3000,
                seconds, smoke() ? " (smoke run: figures not meaningful)" : "");

    test::RestartableServer server;
    {
        // Provisioning enrols every device from 127.0.0.1 at once: lift the per-address limit
        // on requests without a credential (1 a second, bursts of 30, by default).
        std::ifstream in(server.configFile());
        auto config = nlohmann::json::parse(in);
        config["address_rate_per_second"] = 10000;
        config["address_rate_burst"] = 10000;
        // Every simulated device connects from 127.0.0.1: lift the per-address connection cap
        // (32 by default) so the global cap is the only one, as for devices on many addresses.
        config["max_connections_per_address"] = 0;
        std::ofstream(server.configFile(), std::ios::trunc) << config.dump(2);
    }
    const std::uint16_t port = server.start();
    auto admin = must(AdminSession::open(server.configFile()));
    SyncClient client;
    const ServerEndpoint endpoint{"127.0.0.1", port, server.pin()};

    // Provisioning: real users and real enrolments (not timed).
    std::vector<Sim> sims(static_cast<std::size_t>(devices));
    const auto setup0 = Steady::now();
    for (int i = 0; i < devices; ++i) {
        Sim& s = sims[static_cast<std::size_t>(i)];
        s.user = "pc.load" + std::to_string(i);
        s.team = "t" + std::to_string(i / kTeam);
        UserRecord u;
        u.info.id = s.user;
        u.info.team = s.team;
        u.info.borough = "camden";
        u.info.scope = Scope::Team;
        must(admin->addUser(u));
        const auto code = must(admin->createEnrolCode(s.user, std::chrono::minutes(15), 5, "127.0.0.1", port));
        test::InMemorySecretStore secrets;
        DeviceLink link(client, secrets, s.user);
        const auto e = must(link.enrol(formatEnrolmentCode(code.code), s.user));
        s.id = e.deviceId;
        const auto token = must(secrets.read(s.user + "/sync.token"));
        s.token = base64UrlEncode(token->span());
    }
    const pid_t pid = server.pid();
    std::printf("setup: %d users and devices enrolled in %.1f s; server RSS %lld kB\n", devices,
                ms(Steady::now() - setup0) / 1000, static_cast<long long>(procStatusKb(pid, "VmRSS")));

    const auto start = Steady::now();
    const double cpu0 = procCpuSeconds(pid);
    Load load(client, endpoint, sims, period, start + std::chrono::seconds(seconds));
    std::atomic<bool> done{false};
    std::int64_t rssMax = 0;
    std::thread sampler([&] {
        while (!done) {
            rssMax = std::max(rssMax, procStatusKb(pid, "VmRSS"));
            std::this_thread::sleep_for(200ms);
        }
    });
    load.run();
    const double wall = ms(Steady::now() - start) / 1000;
    const double cpu = procCpuSeconds(pid) - cpu0;
    done = true;
    sampler.join();

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
    std::printf("push request: median %.1f ms, p99 %.1f ms, max %.1f ms (%zu)\n", push.median, push.p99, push.max,
                r.pushMs.size());
    std::printf("pull request: median %.1f ms, p99 %.1f ms, max %.1f ms (%zu)\n", pull.median, pull.p99, pull.max,
                r.pullMs.size());
    std::printf("errors: %lld (target 0)\n", static_cast<long long>(errors));
    for (const auto& [what, n] : r.errors)
        std::printf("  %d x %s\n", n, what.c_str());
    std::printf("server: RSS at most %lld kB during the run (peak since start %lld kB); CPU %.1f s in %.1f s (%.0f%% of "
                "one core)\n",
                static_cast<long long>(rssMax), static_cast<long long>(procStatusKb(pid, "VmHWM")), cpu, wall,
                100 * cpu / wall);
    return errors == 0 ? 0 : 1;
}
