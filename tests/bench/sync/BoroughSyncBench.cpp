// The supervisor's desk (issue 23): the first sync of a borough's 50,000 incidents to a fresh
// supervisor's device. Prints figures; asserts nothing about time.
//   build/ci/tests/bench/sync/vigil_bench_sync_borough                   50,000 incidents (about half an hour here)
//   VIGIL_BENCH_INCIDENTS=N build/ci/tests/bench/sync/vigil_bench_sync_borough
//   VIGIL_BENCH_SMOKE=1 build/ci/tests/bench/sync/vigil_bench_sync_borough   300 incidents, for CI
//   VIGIL_BENCH_KEEP=DIR VIGIL_BENCH_PORT=P ...   keep the server's folder in DIR/server (listening
//                                                 on P), with supervisor ds.app left unenrolled and a
//                                                 few submitted ids in DIR/submitted.txt, so a real
//                                                 vigil-server and the real app can be started on it
//                                                 afterwards (tests/bench/desk-real-app.sh)
//   VIGIL_BENCH_REUSE=DIR ...                     no seeding: open the server kept in DIR/server and
//                                                 measure the first sync again (a new device each run)
//
// A vigil-server runs in this process as in vigil_bench_sync (SyncBenchSupport.h). Seeding goes
// through the real protocol, as a borough's records would arrive: officers' devices (5,000
// incidents each, teams HK-RESPONSE-1..5 of borough Hackney) make realistic 124Ds with
// core/demo/DemoData (victims with DASH answers and grades, suspects, children with MERLIN
// references, CAD/CRIS references, arrests, RARA actions, MARAC referrals, repeat victims),
// drafts and submissions only (the moves an officer may push), and push them; then a QA
// supervisor's device first-syncs, and moves the submitted 124Ds on by their age as the demo
// data does locally (returned, approved, under investigation, closed; the last two weeks' mostly
// still waiting), and pushes that. There is no direct way into the server's store: every op
// goes through the authority policy and the rule re-check.
//
// Measured: a fresh supervisor's device (borough scope), from enrolment to fully synced (the
// snapshot), through a pass-through proxy that counts the bytes on the wire (TLS included, both
// ways); the compressed and plain body bytes of the same snapshot (asked of the request handler
// directly by a second supervisor); the device's SQLCipher file afterwards (as left, then
// checkpointed). Also the seeding: generating, and the officers' and the QA supervisor's pushes.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordDigest.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RulesConfig.h"
#include "sync/protocol/Compression.h"
#include "sync/protocol/SnapshotCodec.h"
#include "sync/server/Log.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/sync/SyncBenchSupport.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {

constexpr const char* kBorough = "Hackney";
constexpr int kTeams = 5;
const std::chrono::sys_days kLastDay{std::chrono::year{2026} / 11 / 23};  // DemoOptions' default

std::uintmax_t fileBytes(const std::filesystem::path& p)
{
    std::error_code ec;
    const auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : n;
}

double mb(std::uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }

void addUser(Server& server, const std::string& id, sync::Role role, sync::Scope scope, const std::string& team)
{
    sync::UserRecord u;
    u.info.id = id;
    u.info.displayName = id;
    u.info.role = role;
    u.info.team = team;
    u.info.borough = kBorough;
    u.info.scope = scope;
    must(server.admin->addUser(u));
}

/// One whole sync (start, drain, stop) that tolerates refusals and reports them.
struct SyncRun {
    double ms = 0;
    SyncReport report;
};
SyncRun syncOnce(Tablet& t, bool viaProxy)
{
    SyncEngine& e = viaProxy ? *t.proxiedEngine : *t.engine;
    const auto t0 = Steady::now();
    e.start(*t.store->records, t.actor);
    e.drain();
    SyncRun run{ms(Steady::now() - t0), e.totals()};
    const auto status = e.status();
    e.stop();
    if (status.lastError)
        die(*status.lastError);
    return run;
}

std::map<std::string, std::int64_t> statesOn(Database& db)
{
    std::map<std::string, std::int64_t> out;
    auto q = must(db.prepare("SELECT state, count(*) FROM incident_index GROUP BY state;"));
    must(q.forEach([&](const Query& r) { out[r.columnText(0)] = r.columnInt(1); }));
    return out;
}

std::string describe(const std::map<std::string, std::int64_t>& states)
{
    std::string s;
    for (const auto& [state, n] : states)
        s += (s.empty() ? "" : ", ") + state + " " + std::to_string(n);
    return s;
}

/// Days before DemoOptions' last day of an incident's "YYYY-MM-DD..." date.
int ageDays(const std::string& occurred)
{
    if (occurred.size() < 10)
        return 0;
    const int y = std::atoi(occurred.substr(0, 4).c_str());
    const unsigned m = static_cast<unsigned>(std::atoi(occurred.substr(5, 2).c_str()));
    const unsigned d = static_cast<unsigned>(std::atoi(occurred.substr(8, 2).c_str()));
    const std::chrono::sys_days day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
    return static_cast<int>((kLastDay - day).count());
}

}  // namespace

int main()
{
    int incidents = smoke() ? 300 : 50000;
    if (const char* n = std::getenv("VIGIL_BENCH_INCIDENTS"); n && !smoke())
        incidents = std::max(100, std::atoi(n));
    const int perOfficer = smoke() ? 150 : 5000;
    const int officers = (incidents + perOfficer - 1) / perOfficer;
    const char* reuseEnv = std::getenv("VIGIL_BENCH_REUSE");
    const char* keepEnv = reuseEnv ? reuseEnv : std::getenv("VIGIL_BENCH_KEEP");
    const char* portEnv = std::getenv("VIGIL_BENCH_PORT");
    std::printf("Vigil borough first-sync benchmark: %d synthetic 124Ds from %d officers in %d teams, HTTPS on "
                "127.0.0.1%s\n",
                incidents, officers, kTeams, smoke() ? " (smoke run: figures not meaningful)" : "");
    std::fflush(stdout);

    sync::Log::setLevel("warn");
    test::TempDir dir("vigil-bench-borough");
    const std::filesystem::path serverDir = keepEnv ? std::filesystem::path(keepEnv) / "server" : dir.path() / "server";
    if (keepEnv)
        std::filesystem::create_directories(keepEnv);
    Server server(serverDir, portEnv ? static_cast<std::uint16_t>(std::atoi(portEnv)) : 0);
    for (int k = 0; k < officers && !reuseEnv; ++k) {
        char id[16];
        std::snprintf(id, sizeof id, "pc.hk%02d", k + 1);
        addUser(server, id, sync::Role::Officer, sync::Scope::Team, "HK-RESPONSE-" + std::to_string(k % kTeams + 1));
    }
    for (const char* ds : {"ds.qa", "ds.hk", "ds.count", "ds.app"})
        if (!reuseEnv)
            addUser(server, ds, sync::Role::Supervisor, sync::Scope::Borough, "HK-SUPERVISION");
    const auto models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
    const auto rules = must(loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"));
    SyncClient client;
    test::FaultProxy proxy(server.port, 1);  // no faults: counts the bytes that pass

    // 1. Seeding: each officer's device makes its 124Ds and pushes them.
    std::int64_t made = 0;
    if (!reuseEnv) {
    double generateS = 0, pushS = 0, pushStoreS = 0;
    std::int64_t opsPushed = 0, refused = 0;
    std::map<RiskGrade, int> grades;
    for (int k = 0; k < officers; ++k) {
        char id[16];
        std::snprintf(id, sizeof id, "pc.hk%02d", k + 1);
        const auto officerDir = dir.path() / id;
        std::filesystem::create_directories(officerDir);
        {
            Tablet officer(server, client, proxy, id, officerDir);
            IncidentRepository repo(*officer.store->records);
            DemoOptions options;
            options.incidents = std::min(perOfficer, incidents - k * perOfficer);
            options.seed = 2026 + static_cast<std::uint64_t>(k);
            options.borough = kBorough;
            options.team = officer.info.team;
            options.owner = officer.info.id;
            options.ownerTransitionsOnly = true;  // what an officer's device may push
            auto t0 = Steady::now();
            const auto summary = must(generateDemoData(repo, *officer.store->records, models, rules, options,
                                                       Actor{officer.info.id, "synthetic demo data"}));
            const double gen = ms(Steady::now() - t0) / 1000;
            generateS += gen;
            made += summary.incidents;
            for (const auto& [g, n] : summary.grades)
                grades[g] += n;
            const auto pending = must(officer.store->records->pendingCount());
            const auto store0 = server.timing->pushNs.load();
            const auto run = syncOnce(officer, false);
            if (run.report.rejected != 0) {  // kept on the device with the server's words; say which
                refused += run.report.rejected;
                auto q = must(officer.store->db->prepare(
                    "SELECT entity, field, reason FROM rejected_op ORDER BY seq LIMIT 3;"));
                must(q.forEach([&](const Query& r) {
                    std::printf("  %s: the server refused a change (%s.%s): %s\n", id, r.columnText(0).c_str(),
                                r.columnText(1).c_str(), r.columnText(2).c_str());
                }));
            }
            pushS += run.ms / 1000;
            pushStoreS += seconds(server.timing->pushNs - store0);
            opsPushed += run.report.pushed;
            std::printf("  %s: %d 124Ds made in %.1f s (%lld ops), pushed in %.1f s\n", id, summary.incidents, gen,
                        static_cast<long long>(pending), run.ms / 1000);
            std::fflush(stdout);
        }
        std::filesystem::remove_all(officerDir);  // only the server keeps them (disk)
    }
    std::printf("seed, officers: %lld 124Ds generated in %.1f s; %lld ops pushed in %.1f s (server store %.1f s), "
                "%lld refused; officer grades standard %d, medium %d, high %d\n",
                static_cast<long long>(made), generateS, static_cast<long long>(opsPushed), pushS, pushStoreS,
                static_cast<long long>(refused),
                grades[RiskGrade::Standard], grades[RiskGrade::Medium], grades[RiskGrade::High]);
    std::fflush(stdout);

    // 2. Seeding: the QA supervisor's first sync, decisions by age, and its push.
    {
        const auto qaDir = dir.path() / "ds.qa";
        std::filesystem::create_directories(qaDir);
        Tablet qa(server, client, proxy, "ds.qa", qaDir);
        const auto first = syncOnce(qa, false);
        std::vector<std::pair<std::string, std::string>> submitted;  // id, occurred
        {
            auto q = must(qa.store->db->prepare(
                "SELECT incident_id, occurred FROM incident_index WHERE state = 'submitted' ORDER BY incident_id;"));
            must(q.forEach([&](const Query& r) { submitted.emplace_back(r.columnText(0), r.columnText(1)); }));
        }
        IncidentRepository repo(*qa.store->records);
        const Actor supervisor{"ds.qa", "quality assurance of a 124D"};
        std::mt19937_64 rng(23);
        const auto decide = [&](const std::string& id, LifecycleState to, const char* action, const char* note) {
            return repo.transition(supervisor, id, to, action, note);
        };
        const auto t0 = Steady::now();
        constexpr std::size_t kBatch = 200;
        for (std::size_t at = 0; at < submitted.size(); at += kBatch) {
            must(qa.store->records->transaction([&]() -> Status {
                for (std::size_t i = at; i < std::min(submitted.size(), at + kBatch); ++i) {
                    const auto& [id, occurred] = submitted[i];
                    const int age = ageDays(occurred);
                    const int r = std::uniform_int_distribution<int>(0, 9)(rng);
                    if (age < 2)
                        continue;  // waiting for QA
                    if (age < 14) {
                        if (r < 4)
                            continue;
                        if (r < 5) {
                            VIGIL_TRY(decide(id, LifecycleState::Returned, "return",
                                           "demo: the DASH notes do not say why question 11 is Yes"));
                            continue;
                        }
                        VIGIL_TRY(decide(id, LifecycleState::Approved, "approve", ""));
                        continue;
                    }
                    VIGIL_TRY(decide(id, LifecycleState::Approved, "approve", ""));
                    if (r >= 8)
                        VIGIL_TRY(decide(id, LifecycleState::Closed, "close", "demo: no further action"));
                    else if (r >= 6)
                        VIGIL_TRY(decide(id, LifecycleState::UnderInvestigation, "allocate for investigation", ""));
                }
                return {};
            }));
        }
        const double decideS = ms(Steady::now() - t0) / 1000;
        const auto push = syncOnce(qa, false);
        std::printf("seed, QA supervisor: first sync %.1f s (%lld rows); %zu submitted 124Ds decided by age in %.1f s; "
                    "pushed %lld ops in %.1f s, %lld refused\n",
                    first.ms / 1000, static_cast<long long>(first.report.pulled), submitted.size(), decideS,
                    static_cast<long long>(push.report.pushed), push.ms / 1000,
                    static_cast<long long>(push.report.rejected));
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir.path() / "ds.qa");
    } else {
        made = must(server.file().database().queryInt("SELECT count(*) FROM incidents;"));
    }

    // 3. The measurement: a fresh supervisor's device, from enrolment to fully synced.
    const auto deviceDir = dir.path() / "ds.hk";
    std::filesystem::create_directories(deviceDir);
    const Bytes before = bytesNow(proxy);
    const auto pulls0 = server.timing->pulls.load();
    const auto read0 = server.timing->pullNs.load();
    auto t0 = Steady::now();
    Tablet device(server, client, proxy, "ds.hk", deviceDir);  // enrol (HTTPS, direct) + a new SQLCipher store
    const double enrolMs = ms(Steady::now() - t0);
    const auto run = syncOnce(device, true);  // the first sync, through the counting proxy
    const double totalMs = ms(Steady::now() - t0);
    const Bytes after = bytesNow(proxy);
    const auto states = statesOn(*device.store->db);
    std::int64_t held = 0;
    for (const auto& [s, n] : states)
        held += n;
    const auto rows = must(digestRecords(*device.store->db)).total;
    const auto dbFile = deviceDir / (device.id + ".db");
    const auto dbBytes = fileBytes(dbFile);
    const auto walBytes = fileBytes(dbFile.string() + "-wal");
    must(device.store->db->checkpoint());
    must(device.store->db->exec("PRAGMA wal_checkpoint(TRUNCATE);"));
    const auto dbAfter = fileBytes(dbFile);
    const auto walAfter = fileBytes(dbFile.string() + "-wal");
    std::printf("\nfirst sync of the borough to a fresh supervisor's device: %.1f s from enrolment to fully synced "
                "(enrolment and a new store %.2f s, the sync %.1f s: %lld requests, server store %.1f s)\n",
                totalMs / 1000, enrolMs / 1000, run.ms / 1000,
                static_cast<long long>(server.timing->pulls - pulls0), seconds(server.timing->pullNs - read0));
    std::printf("  the device holds %lld incidents (%s), %lld records\n", static_cast<long long>(held),
                describe(states).c_str(), static_cast<long long>(rows));
    std::printf("  on the wire (TLS, both ways; the enrolment went direct, not counted): %.1f MB to the device, %.2f MB to the server\n",
                mb(after.down - before.down), mb(after.up - before.up));
    std::printf("  the device's SQLCipher file: %.1f MB + WAL %.1f MB as the sync left it; %.1f MB + WAL %.1f MB "
                "checkpointed\n",
                mb(dbBytes), mb(walBytes), mb(dbAfter), mb(walAfter));
    if (held != made)
        die(makeError(ErrorCode::Internal, "the supervisor's device holds " + std::to_string(held) + " incidents, not "
                                               + std::to_string(made)));
    std::fflush(stdout);

    // 4. The same snapshot's bodies, asked of the request handler directly by another supervisor:
    // compressed (as sent) and plain.
    {
        const auto countDir = dir.path() / "ds.count";
        std::filesystem::create_directories(countDir);
        Tablet e(server, client, proxy, "ds.count", countDir);
        const std::string bearer = "Bearer " + base64UrlEncode(e.token.span());
        std::string from;
        std::uint64_t compressed = 0, plainBytes = 0, requestBytes = 0;
        int pages = 0;
        std::string coding = "identity";
        for (;;) {
            HttpRequest req;
            req.method = "GET";
            req.target = "/v1/snapshot?limit=" + std::to_string(SyncEngineOptions{}.snapshotPage)
                       + (from.empty() ? std::string() : "&from=" + from);
            req.headers = {{"vigil-protocol", protocolVersionText()}, {"authorization", bearer},
                           {"accept-encoding", std::string(kAcceptEncodings)}};
            requestBytes += req.target.size();
            HttpResponse res = server.handler->handle(req);
            if (res.status != 200)
                die(makeError(ErrorCode::Internal, "snapshot answered " + std::to_string(res.status) + ": " + res.body));
            const auto c = parseContentEncoding(res.contentEncoding).value_or(ContentEncoding::Identity);
            if (c != ContentEncoding::Identity)
                coding = std::string(contentEncodingName(c));
            auto plain = must(decompressBody(res.body, c, 1u << 30));
            auto page = must(decodeSnapshotPage(plain));
            compressed += res.body.size();
            plainBytes += plain.size();
            ++pages;
            if (!page.more)
                break;
            from = page.next;
        }
        std::printf("  the snapshot's bodies (the request handler asked directly, %d pages): %.1f MB as sent (%s), "
                    "%.1f MB plain; %.0f bytes an incident on the wire\n",
                    pages, mb(compressed), coding.c_str(), mb(plainBytes),
                    static_cast<double>(after.down - before.down + after.up - before.up) / static_cast<double>(held));
    }
    if (keepEnv) {
        std::ofstream ids(std::filesystem::path(keepEnv) / "submitted.txt");
        auto q = must(device.store->db->prepare(
            "SELECT incident_id FROM incident_index WHERE state = 'submitted' ORDER BY occurred DESC LIMIT 20;"));
        must(q.forEach([&](const Query& r) { ids << r.columnText(0) << "\n"; }));
        std::printf("kept: the server's folder %s (port %u); supervisor ds.app is left for the real app (tests/bench/desk-real-app.sh)\n",
                    serverDir.string().c_str(), static_cast<unsigned>(server.port));
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("this process's peak resident memory: %.0f MB (server, officers' and supervisors' devices together)\n",
                static_cast<double>(usage.ru_maxrss) / 1024.0);
    return 0;
}
