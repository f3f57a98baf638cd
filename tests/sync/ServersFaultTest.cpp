// Several vigil-server processes on one database (issue 26; docs/postgresql.md, decisions 5 and 6),
// under faults: two real vigil-server processes in front of ONE PostgreSQL schema (the same server
// key and configuration, each its own records copy and port), four devices with real SQLCipher
// stores syncing through fault-injecting proxies, each request to either server (a load balancer:
// a device switches servers between requests, so a push may go to one and the next pull to the
// other), and either server killed with SIGKILL at random moments — among them while it takes a
// push of a large batch — and restarted. After the faults stop, within 3 rounds of syncs:
//   - every device holds the records the op log makes (counts and content hashes), so no pull
//     cursor passed an op it did not deliver;
//   - every op each device wrote is in the op log exactly once (count = highest seq = the
//     acknowledged seq; (device, seq) is unique), none refused, none left in an outbox;
//   - the records copy of EACH server holds the same records: running, once a snapshot page has
//     caught it up from where the server believes it stands, and killed and opened as at a start.
//
// PostgreSQL only: ctest runs it as sync.pg.* (VIGIL_TEST_STORE=postgresql, the pg_cluster
// fixture); without it the test says it is skipped. VIGIL_FAULT_SERVERS_RUNS (default 10) sets the
// number of randomised runs, VIGIL_FAULT_SEED the seed (a failing run says how to repeat it alone
// with VIGIL_FAULT_FIRST), VIGIL_FAULT_VERBOSE=1 times each step.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sync/server/Admin.h"
#include "tests/support/FaultProxy.h"
#include "tests/sync/FaultDevices.h"
#include "tests/sync/FaultSupport.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::faulttest;
using namespace std::chrono_literals;
using test::FaultOptions;
using test::FaultProxy;
using test::RestartableServer;

namespace {

/// The two servers and the ports they listen on now (each start binds a new one). Kills come
/// from several threads (the armed device, the chaos thread): RestartableServer is thread-safe,
/// and the ports are read without waiting for a server that is starting.
struct Servers {
    std::array<std::unique_ptr<RestartableServer>, 2> server;
    std::array<std::atomic<std::uint16_t>, 2> port{};
    std::atomic<int> kills{0};
    std::atomic<int> starts{0};

    void start(int i)
    {
        port[static_cast<std::size_t>(i)] = server[static_cast<std::size_t>(i)]->start();
        ++starts;
    }
    /// SIGKILL server i, leave it down for `downFor`, start it again. False when it was down
    /// already (another kill is restarting it).
    bool killAndRestart(int i, std::chrono::milliseconds downFor)
    {
        if (!server[static_cast<std::size_t>(i)]->killNow())
            return false;
        ++kills;
        std::this_thread::sleep_for(downFor);
        start(i);
        return true;
    }
};

/// What all runs did, for the summary line and docs/performance.md.
struct ServersTotals {
    int runs = 0;
    int pushKills = 0;        ///< kills aimed at a push of the large batch
    int pushKillsStruck = 0;  ///< ... that struck it in flight (the push failed)
    int pushKillsMissed = 0;  ///< the armed push never came within the fault phase
    int chaosKills = 0;       ///< kills of either server at a random moment
    int requestsToEach[2] = {0, 0};
    int failedAttempts = 0;
    std::vector<std::string> failedAfterFaults;
    std::array<int, 4> roundsNeeded{};
    std::uint64_t connections = 0, cut = 0, reset = 0, stalled = 0, delayed = 0, refused = 0, upstreamFailures = 0;
    std::int64_t ops = 0;
    std::int64_t rows = 0;
    int copiesCompared = 0;
};

void serversRun(int run, std::uint64_t seed, Servers& servers, AdminSession& admin, SyncClient& client,
                RequestTimes& times, ServersTotals& totals)
{
    Rng rng(seed);
    const bool proxyFaults = run % 2 == 0;  // odd runs: kills alone, so they land on clean requests
    const std::string tag = "run " + std::to_string(run) + " (" + (proxyFaults ? "proxy faults and kills" : "kills")
        + ", seed " + std::to_string(seed) + ")";
    INFO(tag);
    const auto runStarted = std::chrono::steady_clock::now();
    const bool verbose = test::envInt("VIGIL_FAULT_VERBOSE", 0) != 0;
    const auto mark = [&](const std::string& what) {
        if (verbose)
            std::printf("  %s: %s at %.0f ms\n", tag.c_str(), what.c_str(),
                        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - runStarted).count());
    };

    SyncEngineOptions options;
    options.backoff.initial = 5ms;
    options.backoff.max = 40ms;
    options.backoff.jitter = 0.2;
    options.backoff.interval = std::chrono::hours(1);  // after a success, changes and the test sync again
    options.pushAfterChange = 20ms;                    // changes go out at once: pushes overlap on both servers
    auto jitter = std::make_shared<Rng>(rng());
    auto jitterMutex = std::make_shared<std::mutex>();
    options.random = [jitter, jitterMutex] {
        std::lock_guard lock(*jitterMutex);
        return uniform(*jitter);
    };

    // Each device its own proxy (its own faults), pointed at either server for each request. The
    // proxies outlive the devices (declared first): an engine stops before its proxy goes.
    constexpr int kDevices = 4;
    std::array<std::atomic<int>, 2> requests{};
    std::vector<std::unique_ptr<FaultProxy>> proxies;
    std::vector<std::unique_ptr<Device>> devices;
    const std::string team = "s" + std::to_string(run) + "-" + std::to_string(seed % 100000);
    for (int i = 0; i < kDevices; ++i) {
        proxies.push_back(std::make_unique<FaultProxy>(servers.port[static_cast<std::size_t>(i % 2)],
                                                       seed + static_cast<std::uint64_t>(i)));
        UserRecord user;
        user.info.id = "pc." + team + static_cast<char>('a' + i);
        // Officers a and c own what they make; supervisors b and d may edit any draft of the team
        // (docs/authority.md), so edits race across devices and servers and none is refused.
        user.info.role = i % 2 == 0 ? Role::Officer : Role::Supervisor;
        user.info.team = team;
        user.info.borough = "camden";
        user.info.scope = Scope::Team;
        REQUIRE(admin.addUser(user).ok());
        options.pushBatch = static_cast<std::size_t>(i == 0 ? between(rng, 150, 600) : between(rng, 2, 40));
        options.pullPage = static_cast<std::size_t>(between(rng, 2, 40));
        options.snapshotPage = static_cast<std::size_t>(between(rng, 1, 12));
        devices.push_back(std::make_unique<Device>(client, admin, times, user.info, proxies.back()->port(), options));
        FaultProxy& proxy = *proxies.back();
        auto route = std::make_shared<Rng>(rng());
        devices.back()->killSwitch.route([&servers, &proxy, &requests, route] {
            const int to = static_cast<int>((*route)() % 2);  // the engine's thread only: no lock
            proxy.setUpstream(servers.port[static_cast<std::size_t>(to)]);
            ++requests[static_cast<std::size_t>(to)];
            return to;
        });
    }
    mark("enrolled");

    // Offline work: device a (an officer back from a shift without signal) holds a large batch,
    // the others a little.
    std::set<std::string> incidents;
    std::vector<std::string> ids;
    std::mutex idsMutex;
    const auto create = [&](Device& d, int count) {
        d.withStore([&](RecordStore& store) -> Status {
            return store.transaction([&]() -> Status {
                for (int i = 0; i < count; ++i) {
                    auto id = createIncident(store, d, rng);
                    if (!id)
                        return std::move(id).error();
                    std::lock_guard lock(idsMutex);
                    incidents.insert(*id);
                    ids.push_back(*id);
                }
                return {};
            });
        });
    };
    Device& big = *devices[0];
    big.killSwitch.setTimesSuffix("#large");
    create(big, between(rng, 15, 40));
    for (int i = 1; i < kDevices; ++i)
        create(*devices[static_cast<std::size_t>(i)], between(rng, 0, 2));
    mark("offline work done");

    FaultOptions faults;
    if (proxyFaults) {
        faults.cut = 0.03 + 0.10 * uniform(rng);
        faults.reset = 0.03 + 0.10 * uniform(rng);
        faults.stall = 0.02 + 0.06 * uniform(rng);
        faults.refuse = 0.04 * uniform(rng);
    }
    faults.delay = 0.3 * uniform(rng);
    faults.maxStall = 1200ms;
    for (auto& p : proxies)
        p->setFaults(faults);

    // A kill inside the large push: at a random moment of how long such a push takes here, of
    // whichever server it went to.
    const auto within = times.median("/v1/push#large");
    const auto after = std::chrono::microseconds(static_cast<std::int64_t>(uniform(rng) * static_cast<double>(within.count())));
    const auto downFor = std::chrono::milliseconds(between(rng, 0, 150));
    std::atomic<int> killedServer{-1};
    big.killSwitch.arm("/v1/push", after, [&servers, &killedServer, downFor](int server) {
        if (servers.killAndRestart(server, downFor))
            killedServer = server;
    });

    // Kills of either server at random moments, whatever it is doing then.
    std::atomic<bool> phaseOver{false};
    std::atomic<int> chaosKills{0};
    std::string chaosFailure;
    std::vector<std::chrono::milliseconds> chaosAt;
    std::vector<int> chaosWhich;
    std::vector<std::chrono::milliseconds> chaosDown;
    for (int k = between(rng, 1, 3); k > 0; --k) {
        chaosAt.emplace_back(between(rng, 30, 1500));
        chaosWhich.push_back(between(rng, 0, 1));
        chaosDown.emplace_back(between(rng, 0, 150));
    }
    std::thread chaos;
    // Joined however the run ends (a failed REQUIRE unwinds through here).
    struct Joiner {
        std::atomic<bool>& over;
        std::thread& thread;
        ~Joiner()
        {
            over = true;
            if (thread.joinable())
                thread.join();
        }
    } joiner{phaseOver, chaos};
    chaos = std::thread([&] {
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t k = 0; k < chaosAt.size() && !phaseOver; ++k) {
            while (!phaseOver && std::chrono::steady_clock::now() - start < chaosAt[k])
                std::this_thread::sleep_for(1ms);
            if (phaseOver)
                break;
            try {
                if (servers.killAndRestart(chaosWhich[k], chaosDown[k]))
                    ++chaosKills;
            } catch (const std::exception& e) {
                chaosFailure = e.what();  // reported on the test thread
                return;
            }
        }
    });

    const auto phaseStart = std::chrono::steady_clock::now();
    for (auto& d : devices) {
        d->engine->start(*d->store->records, d->actor);
        d->running = true;
    }
    // Work goes on on every device while the faults strike: new 124Ds and edits of the team's.
    const auto phaseFor = std::chrono::milliseconds(between(rng, 1200, 2200));
    while (std::chrono::steady_clock::now() - phaseStart < phaseFor) {
        std::this_thread::sleep_for(std::chrono::milliseconds(between(rng, 10, 80)));
        Device& d = *devices[static_cast<std::size_t>(between(rng, 0, kDevices - 1))];
        if (uniform(rng) < 0.25) {
            create(d, 1);
        } else {
            std::vector<std::string> snapshot;
            {
                std::lock_guard lock(idsMutex);
                snapshot = ids;
            }
            d.withStore([&](RecordStore& store) { return editSome(store, d, snapshot, rng); });
        }
    }
    // The large push has had its kill (or the faults kept it from being sent in time).
    while (!big.killSwitch.fired() && std::chrono::steady_clock::now() - phaseStart < 4s)
        std::this_thread::sleep_for(2ms);
    phaseOver = true;
    chaos.join();
    big.killSwitch.join();
    {
        const std::string failure = big.killSwitch.failure() + chaosFailure;
        INFO(failure);
        REQUIRE(failure.empty());
    }
    mark("faults stopped");

    // The faults stop; both servers are up.
    for (auto& p : proxies) {
        p->setFaults(FaultOptions::none());
        p->resetAll();
    }
    servers.start(0);
    servers.start(1);

    int rounds = 0;
    Convergence c;
    std::string syncErrors;
    const auto syncRound = [&](int round) {
        for (auto& d : devices) {
            auto report = d->engine->syncOnce();
            if (!report) {
                ++totals.failedAttempts;
                const std::string said = "round " + std::to_string(round) + ", " + d->actor.userId + ": "
                    + report.error().message;
                syncErrors += "\n  " + said;
                totals.failedAfterFaults.push_back("run " + std::to_string(run) + ", " + said);
            }
        }
    };
    for (rounds = 1; rounds <= 3; ++rounds) {
        syncRound(rounds);
        c = compare(*servers.server[0], devices, incidents, false);
        mark(c.converged ? "converged" : "round without convergence");
        if (c.converged)
            break;
    }
    std::string afterwards;
    if (!c.converged) {
        c = compare(*servers.server[0], devices, incidents, true);
        Convergence later;
        int more = 0;
        for (more = 1; more <= 5 && !later.converged; ++more) {
            syncRound(3 + more);
            later = compare(*servers.server[0], devices, incidents, false);
        }
        afterwards = later.converged
            ? "converged " + std::to_string(more - 1) + " round(s) later: the records came late, none lost"
            : "still not converged after 5 more rounds: " + compare(*servers.server[0], devices, incidents, true).why;
    }
    const std::string repeat = "VIGIL_FAULT_SEED=" + std::to_string(seed - static_cast<std::uint64_t>(run))
        + " VIGIL_FAULT_FIRST=" + std::to_string(run) + " VIGIL_FAULT_SERVERS_RUNS=1 repeats this run";
    INFO(repeat);
    INFO((c.converged ? std::string("converged after ") + std::to_string(rounds) + " round(s)"
                      : "not converged after 3 rounds: " + c.why + "\nsyncs that failed after the faults:"
                            + (syncErrors.empty() ? std::string(" none") : syncErrors) + "\nthen: " + afterwards));
    REQUIRE(c.converged);

    // Each server's own records copy holds what the op log makes: (1) running, once a request that
    // reads the copy (a snapshot page, through device a) has caught it up from where the server
    // believes it stands; (2) stopped (SIGKILL, at rest) and opened as at a start, then caught up.
    DigestOptions only;
    only.incidents = incidents;
    DigestOptions perRow = only;
    perRow.perRow = true;
    const RecordDigest logMakes = test::readServer(*servers.server[0], {}, perRow).records;
    const auto checkCopy = [&](int i, const char* how, const RecordDigest& copy) {
        std::string differs;
        for (const auto& [key, h] : logMakes.rowHashes) {
            auto it = copy.rowHashes.find(key);
            differs += it == copy.rowHashes.end() ? "\n  missing in the copy: " + key
                       : it->second != h          ? "\n  different in the copy: " + key
                                                  : std::string();
        }
        for (const auto& [key, h] : copy.rowHashes)
            if (!logMakes.rowHashes.count(key))
                differs += "\n  only in the copy: " + key;
        INFO("server " << i << "'s records copy " << how << ": " << copy.total << " rows (hash "
                       << copy.hash.substr(0, 12) << "), the op log makes " << logMakes.total << " (hash "
                       << logMakes.hash.substr(0, 12) << ")" << differs);
        CHECK(copy == logMakes);
        CHECK(copy.rows == logMakes.rows);
        ++totals.copiesCompared;
    };
    for (int i = 0; i < 2; ++i) {
        proxies[0]->setUpstream(servers.port[static_cast<std::size_t>(i)]);  // the engines are idle now
        ClientRequest ask;
        ask.target = "/v1/snapshot?limit=1";
        auto answer = devices[0]->link.request(std::move(ask));
        INFO((answer ? std::to_string(answer->status) : answer.error().message));
        REQUIRE((answer.ok() && answer->status == 200));
        checkCopy(i, "running, caught up by a snapshot page", servers.server[static_cast<std::size_t>(i)]->runningCopy(perRow));
        servers.server[static_cast<std::size_t>(i)]->killNow();
        checkCopy(i, "opened as at a start", servers.server[static_cast<std::size_t>(i)]->caughtUpCopy(perRow));
        servers.start(i);
    }

    ++totals.runs;
    totals.roundsNeeded[static_cast<std::size_t>(rounds)]++;
    if (big.killSwitch.fired()) {
        ++totals.pushKills;
        if (big.killSwitch.struck())
            ++totals.pushKillsStruck;
    } else {
        ++totals.pushKillsMissed;
    }
    if (verbose)
        std::printf("  %s: the large push's kill came %lld us into it (usually %lld us) on server %d, which took %lld "
                    "us: %s; %d other kills\n",
                    tag.c_str(), static_cast<long long>(after.count()), static_cast<long long>(within.count()),
                    killedServer.load(), static_cast<long long>(big.killSwitch.armedTook().count()),
                    big.killSwitch.struck() ? "struck" : "missed", chaosKills.load());
    totals.chaosKills += chaosKills;
    totals.requestsToEach[0] += requests[0];
    totals.requestsToEach[1] += requests[1];
    for (auto& p : proxies) {
        const auto counters = p->counters();
        totals.connections += counters.connections;
        totals.cut += counters.cut;
        totals.reset += counters.reset;
        totals.stalled += counters.stalled;
        totals.delayed += counters.delayed;
        totals.refused += counters.refused;
        totals.upstreamFailures += counters.upstreamFailures;
    }
    for (auto& d : devices) {
        d->withStore([&](RecordStore& store) -> Status {
            auto seq = store.database().queryInt("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0);");
            if (seq)
                totals.ops += *seq;
            return {};
        });
    }
    totals.rows += logMakes.total;
}

}  // namespace

// (A colon late in a test's name makes Catch2's console reporter abort when it prints a failure.)
TEST_CASE("Two servers on one PostgreSQL database, either killed with SIGKILL (mid-push too), lose nothing and agree",
          "[sync][fault][servers]")
{
    if (const char* store = std::getenv("VIGIL_TEST_STORE"); !store || std::string(store) != "postgresql") {
        std::cout << "SKIPPED: several servers share a PostgreSQL database only: run with VIGIL_TEST_STORE=postgresql "
                     "(ctest sync.pg.*)\n";
        return;
    }
    const auto runs = test::envInt("VIGIL_FAULT_SERVERS_RUNS", 10);
    const auto first = test::envInt("VIGIL_FAULT_FIRST", 0);
    const auto seed = static_cast<std::uint64_t>(
        test::envInt("VIGIL_FAULT_SEED", static_cast<std::int64_t>(std::random_device{}() & 0x7FFFFFFF)));
    std::printf("two-server fault runs: %lld from %lld, VIGIL_FAULT_SEED=%llu\n", static_cast<long long>(runs),
                static_cast<long long>(first), static_cast<unsigned long long>(seed));
    std::fflush(stdout);

    Servers servers;
    servers.server[0] = std::make_unique<RestartableServer>();
    servers.server[1] = std::make_unique<RestartableServer>(test::SameDatabaseAs{*servers.server[0]});
    servers.start(0);
    servers.start(1);
    auto admin = AdminSession::open(servers.server[0]->configFile());
    REQUIRE(admin.ok());
    ClientOptions clientOptions;
    clientOptions.connectTimeout = 1000ms;
    clientOptions.requestTimeout = 1000ms;  // stalls last up to 1.2 s: some outlive it
    SyncClient client(clientOptions);

    ServersTotals totals;
    RequestTimes times;
    const auto started = std::chrono::steady_clock::now();
    for (std::int64_t run = first; run < first + runs; ++run)
        serversRun(static_cast<int>(run), seed + static_cast<std::uint64_t>(run), servers, **admin, client, times, totals);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::printf("two-server fault runs: %d in %.1f s; converged after 1/2/3 rounds: %d/%d/%d; %d server kills "
                "(%d aimed at a large push: %d struck it in flight, %d never armed; %d at random moments), %d server "
                "starts; requests to server 0/1: %d/%d; proxies: %llu connections, %llu cut, %llu reset, %llu stalled, "
                "%llu delayed, %llu refused, %llu found the server down; %d sync attempts failed after the faults "
                "stopped; %lld ops sent, %lld records compared, %d servers' records copies compared\n",
                totals.runs, seconds, totals.roundsNeeded[1], totals.roundsNeeded[2], totals.roundsNeeded[3],
                servers.kills.load(), totals.pushKills, totals.pushKillsStruck, totals.pushKillsMissed,
                totals.chaosKills, servers.starts.load(), totals.requestsToEach[0], totals.requestsToEach[1],
                static_cast<unsigned long long>(totals.connections), static_cast<unsigned long long>(totals.cut),
                static_cast<unsigned long long>(totals.reset), static_cast<unsigned long long>(totals.stalled),
                static_cast<unsigned long long>(totals.delayed), static_cast<unsigned long long>(totals.refused),
                static_cast<unsigned long long>(totals.upstreamFailures), totals.failedAttempts,
                static_cast<long long>(totals.ops), static_cast<long long>(totals.rows), totals.copiesCompared);
    for (const auto& said : totals.failedAfterFaults)
        std::printf("  a sync after the faults failed: %s\n", said.c_str());
    // The faults were real: both servers took requests, were killed, and a kill struck a large push.
    CHECK(totals.runs == runs);
    CHECK(totals.requestsToEach[0] > 0);
    CHECK(totals.requestsToEach[1] > 0);
    if (runs >= 6) {
        CHECK(totals.pushKillsStruck >= 1);
        CHECK(totals.chaosKills >= 1);
    }
}
