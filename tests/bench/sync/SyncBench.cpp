// Sync benchmarks (issue 6). Prints figures; asserts nothing about time.
//   build/dev/tests/bench/sync/vigil_bench_sync                  100,000 records of ~2 KB (docs/performance.md)
//   VIGIL_BENCH_SMOKE=1 build/dev/tests/bench/sync/vigil_bench_sync   1,000 records, for CI
//   VIGIL_BENCH_RECORDS=N                                        another number of records (multiple of 20)
//   VIGIL_BENCH_REPLAY=1                                         also time the first sync replaying the op log
//                                                                (protocol 1.0's way, without the snapshot)
//   VIGIL_BENCH_CHANGES_ONLY=1                                   skip the staged and proxied initial pulls (to profile
//                                                                the push and incremental pull: it prints "changes:" first)
//   VIGIL_BENCH_REPS=N                                           N push/pull runs instead of 5 (a steadier median)
//   VIGIL_BENCH_STORE=sqlcipher|postgresql|both                  the server's store (default sqlcipher); "both" runs
//                                                                the same figures on each, one after the other, and
//                                                                prints them side by side at the end
//   VIGIL_BENCH_PG_CLUSTER=DIR                                   PostgreSQL: a running cluster of
//                                                                scripts/pg-test-cluster.sh (default: a throwaway one
//                                                                started in a temporary folder and removed after)
//   VIGIL_BENCH_PG_FAST=1                                        PostgreSQL: keep the test cluster's fsync=off
//                                                                (default: restarted durable, PgBenchCluster.h)
//
// A vigil-server runs in this process (HttpServer, RequestHandler, the store opened and prepared
// by sync/server/StoreOpen with the rule re-check, exactly as vigil-server wires them: the
// SQLCipher file, or PostgreSQL in a schema of its own) on 127.0.0.1 with real TLS; devices
// are real SQLCipher stores synced by the real SyncEngine over HTTPS. A record is one row of
// the device schema: per incident the incident row, one victim and 18 DASH answers, the
// incident and answer rows carrying a ~1.9 KB note (text of words, compressible like prose).
//
// Measured: the initial pull of every record into an empty device (end to end, and broken down
// into server read, encode, transfer, decode and local write), the push and the incremental
// pull of 1,000 changed records, a sync with nothing to do, and bytes on the wire per record
// (TLS included, counted by a pass-through proxy in front of the server).
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sodium.h>

#include "core/records/IncidentRepository.h"
#include "core/records/RecordDigest.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncEngine.h"
#include "sync/protocol/Compression.h"
#include "sync/protocol/SnapshotCodec.h"
#include "sync/protocol/EnrolmentCode.h"
#include "sync/server/Admin.h"
#include "sync/server/HttpServer.h"
#include "sync/server/Log.h"
#include "sync/server/RequestHandler.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/sync/PgBenchCluster.h"
#include "tests/bench/sync/SyncBenchSupport.h"
#include "tests/support/FaultProxy.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::bench;

namespace {

constexpr int kRowsPerIncident = 20;  // incident, victim, 18 answers
constexpr int kAnswersPerIncident = 18;
constexpr int kChanged = 1000;

using Rng = std::mt19937_64;

/// Free text of about `bytes` characters from a fixed vocabulary of invented words.
class Prose {
public:
    explicit Prose(std::uint64_t seed) : m_rng(seed)
    {
        static constexpr std::string_view kLetters = "abcdeeeefghiiijklmnoooprssttuuvwy";
        for (int i = 0; i < 600; ++i) {
            std::string w;
            for (int n = std::uniform_int_distribution<int>(2, 9)(m_rng); n > 0; --n)
                w.push_back(kLetters[std::uniform_int_distribution<std::size_t>(0, kLetters.size() - 1)(m_rng)]);
            m_words.push_back(w);
        }
    }
    std::string text(std::size_t bytes)
    {
        std::string out;
        out.reserve(bytes + 12);
        while (out.size() < bytes) {
            out += m_words[std::uniform_int_distribution<std::size_t>(0, m_words.size() - 1)(m_rng)];
            out += std::uniform_int_distribution<int>(0, 11)(m_rng) == 0 ? ". " : " ";
        }
        return out;
    }
    Rng& rng() { return m_rng; }

private:
    Rng m_rng;
    std::vector<std::string> m_words;
};

/// Every record on device `t`: incidents of a victim and 18 answers, notes of ~1.9 KB.
std::vector<std::pair<std::string, std::string>> generate(Tablet& t, int incidents, Prose& prose)
{
    std::vector<std::pair<std::string, std::string>> answers;  // (incident, victim) per incident
    IncidentRepository repo(*t.store->records);
    constexpr int kPerTransaction = 25;
    for (int first = 0; first < incidents; first += kPerTransaction) {
        must(t.store->records->transaction([&]() -> Status {
            for (int i = first; i < std::min(incidents, first + kPerTransaction); ++i) {
                Incident draft;
                draft.owner = t.info.id;
                draft.team = t.info.team;
                draft.borough = t.info.borough;
                draft.date = "2026-11-20";
                draft.refs.cris = "CRIS-" + std::to_string(100000 + i);
                auto made = repo.createDraft(t.actor, draft);
                if (!made)
                    return std::move(made).error();
                Incident incident = *made;
                incident.evidence.notes = prose.text(1900);
                Victim victim;
                victim.person.name = "Victim " + prose.text(12);
                victim.person.phone = "07700 900" + std::to_string(100 + i % 900);
                victim.relationship = "intimate_partner";
                incident.victims.push_back(victim);
                VIGIL_TRY(repo.save(t.actor, incident));
                const std::string victimId = incident.victims.front().id;
                for (int q = 1; q <= kAnswersPerIncident; ++q) {
                    Answer a;
                    a.value = (i + q) % 3 == 0 ? AnswerValue::Yes : AnswerValue::No;
                    a.note = prose.text(1900);
                    VIGIL_TRY(repo.saveAnswer(t.actor, incident.id, victimId, "q" + std::to_string(q), a));
                }
                answers.emplace_back(incident.id, victimId);
            }
            return {};
        }));
    }
    return answers;
}

/// Change the note of `count` answers (one op each, ~1.9 KB), spread over the incidents.
void change(Tablet& t, const std::vector<std::pair<std::string, std::string>>& incidents, int count, Prose& prose,
            int round)
{
    IncidentRepository repo(*t.store->records);
    must(t.store->records->transaction([&]() -> Status {
        for (int n = 0; n < count; ++n) {
            const auto& [incident, victim] = incidents[static_cast<std::size_t>((n * 7 + round * 13) % static_cast<int>(incidents.size()))];
            Answer a;
            a.value = AnswerValue::Yes;
            a.note = prose.text(1900);
            const int question = 1 + (n / static_cast<int>(incidents.size()) + round) % kAnswersPerIncident;
            VIGIL_TRY(repo.saveAnswer(t.actor, incident, victim, "q" + std::to_string(question), a));
        }
        return {};
    }));
}

std::int64_t rowsOn(Tablet& t)
{
    return must(digestRecords(*t.store->db)).total;
}

/// What one run measures (one store).
struct Figures {
    std::string store;
    double generateS = 0, pushAllS = 0, pushAllStoreS = 0, pushAllDbCpuS = -1;
    long long ops = 0;
    double initialS = 0, initialReadS = 0;
    bool staged = false;
    double readS = 0, encodeS = 0, inflateS = 0, decodeS = 0, writeS = 0;
    double initialBytesPerRecord = 0;
    Stats push, pull, noop;
    double pushStoreMs = 0, pullStoreMs = 0, changesDbCpuS = -1;
    double pushBytes = 0, pullBytes = 0, noopBytes = 0;
};

struct Shape {
    int incidents = 0;
    int changed = 0;
    int reps = 0;
    bool changesOnly = false;
    bool replay = false;
};

/// Every figure on one store. `pg`: the server's store on PostgreSQL with these settings;
/// `dbCpu`: the database's CPU seconds so far (PostgreSQL), to count its share of the work.
Figures measure(const Shape& shape, const std::optional<PgSettings>& pg, const std::function<double()>& dbCpu)
{
    Figures f;
    f.store = pg ? "postgresql" : "sqlcipher";
    const int incidents = shape.incidents;
    const int changed = shape.changed;
    const int reps = shape.reps;
    std::printf("\n=== store: %s%s ===\n", f.store.c_str(), pg ? (" (schema " + pg->schema + ")").c_str() : "");
    std::fflush(stdout);
    test::TempDir dir("vigil-bench-sync");
    Server server(dir.path() / "server", 0, pg);
    for (const char* user : {"pc.a", "pc.b", "pc.c", "pc.e", "pc.r"}) {
        UserRecord u;
        u.info.id = user;
        u.info.team = "north";
        u.info.borough = "camden";
        u.info.scope = Scope::Team;
        must(server.admin->addUser(u));
    }
    SyncClient client;
    test::FaultProxy proxy(server.port, 1);  // no faults: counts the bytes that pass
    Tablet a(server, client, proxy, "pc.a", dir.path());
    Tablet b(server, client, proxy, "pc.b", dir.path());
    // The owner's second device: it changes A's 124Ds too (the authority policy refuses a
    // colleague's changes to them, docs/authority.md).
    Tablet c(server, client, proxy, "pc.a", dir.path());
    Prose prose(2026);

    // The records, made on A and pushed.
    auto t0 = Steady::now();
    const auto made = generate(a, incidents, prose);
    f.generateS = ms(Steady::now() - t0) / 1000;
    f.ops = must(a.store->records->pendingCount());
    const auto pushNs0 = server.timing->pushNs.load();
    const double dbCpu0 = dbCpu ? dbCpu() : 0;
    f.pushAllS = a.sync() / 1000;
    f.pushAllStoreS = seconds(server.timing->pushNs - pushNs0);
    if (dbCpu)
        f.pushAllDbCpuS = dbCpu() - dbCpu0;
    std::printf("setup: made %d records on device A in %.1f s (%lld ops); A pushed them all in %.1f s "
                "(server store %.1f s%s)\n",
                incidents * kRowsPerIncident, f.generateS, f.ops, f.pushAllS, f.pushAllStoreS,
                dbCpu ? (", PostgreSQL CPU " + std::to_string(static_cast<int>(f.pushAllDbCpuS + 0.5)) + " s").c_str() : "");
    std::fflush(stdout);

    // 1. Initial pull into an empty device, end to end.
    const auto pullNs0 = server.timing->pullNs.load();
    const auto pulls0 = server.timing->pulls.load();
    f.initialS = b.sync() / 1000;
    f.initialReadS = seconds(server.timing->pullNs - pullNs0);
    const auto pagesB = server.timing->pulls - pulls0;
    const auto rowsB = rowsOn(b);
    std::printf("\ninitial pull into an empty device (snapshot): %.2f s for %lld records (%lld rows, %lld requests); target <= 10 s\n",
                f.initialS, static_cast<long long>(rowsB), static_cast<long long>(b.last.pulled),
                static_cast<long long>(pagesB));
    if (rowsB != incidents * kRowsPerIncident)
        die(makeError(ErrorCode::Internal, "device B holds " + std::to_string(rowsB) + " records, not all"));

    // 2. The same pull in stages, without the network: server read and encode (the request
    //    handler called directly), then decompress, decode and local write on a fresh store.
    if (!shape.changesOnly) {
        Tablet e(server, client, proxy, "pc.e", dir.path());
        const std::string bearer = "Bearer " + base64UrlEncode(e.token.span());
        std::vector<std::pair<std::string, ContentEncoding>> bodies;  // body, its coding (small answers are as is)
        std::string from;
        double handleS = 0;
        const auto readNs0 = server.timing->pullNs.load();
        for (;;) {
            HttpRequest req;
            req.method = "GET";
            req.target = "/v1/snapshot?limit=" + std::to_string(SyncEngineOptions{}.snapshotPage)
                       + (from.empty() ? std::string() : "&from=" + from);
            req.headers = {{"vigil-protocol", protocolVersionText()}, {"authorization", bearer},
                           {"accept-encoding", std::string(kAcceptEncodings)}};
            const auto h0 = Steady::now();
            HttpResponse res = server.handler->handle(req);
            handleS += ms(Steady::now() - h0) / 1000;
            if (res.status != 200)
                die(makeError(ErrorCode::Internal, "snapshot answered " + std::to_string(res.status) + ": " + res.body));
            // Where to go on (not timed: the device's decode below is).
            const auto coding = parseContentEncoding(res.contentEncoding).value_or(ContentEncoding::Identity);
            auto plain = must(decompressBody(res.body, coding, 1u << 30));
            auto page = must(decodeSnapshotPage(plain));
            bodies.push_back({std::move(res.body), coding});
            if (!page.more)
                break;
            from = page.next;
        }
        const double readS = seconds(server.timing->pullNs - readNs0);
        std::uint64_t compressed = 0;
        for (const auto& body : bodies)
            compressed += body.first.size();

        DeviceStore fresh(dir.path() / "fresh.db", e.id);
        double inflateS = 0, decodeS = 0, writeS = 0;
        std::uint64_t plainBytes = 0;
        for (const auto& [body, coding] : bodies) {
            auto s0 = Steady::now();
            auto plain = must(decompressBody(body, coding, 1u << 30));
            auto s1 = Steady::now();
            auto page = must(decodeSnapshotPage(plain));
            auto s2 = Steady::now();
            must(fresh.records->applySnapshot(page.rows, page.conflicts, page.users, page.next,
                                              page.more ? std::string() : page.cursor));
            auto s3 = Steady::now();
            inflateS += ms(s1 - s0) / 1000;
            decodeS += ms(s2 - s1) / 1000;
            writeS += ms(s3 - s2) / 1000;
            plainBytes += plain.size();
        }
        const double stagesS = handleS + inflateS + decodeS + writeS;
        f.staged = true;
        f.readS = readS;
        f.encodeS = handleS - readS;
        f.inflateS = inflateS;
        f.decodeS = decodeS;
        f.writeS = writeS;
        std::printf("  by stage (the same snapshot without the network, %zu pages):\n", bodies.size());
        std::printf("    server read (store: access rules, rows of the copy) %6.2f s\n", readS);
        std::printf("    server encode (JSON + %s, %5.1f MB -> %5.1f MB) %6.2f s\n",
                    std::string(contentEncodingName(bodies.front().second)).c_str(), static_cast<double>(plainBytes) / 1e6,
                    static_cast<double>(compressed) / 1e6, handleS - readS);
        std::printf("    device decompress                                 %6.2f s\n", inflateS);
        std::printf("    device decode (JSON parse, rows checked)          %6.2f s\n", decodeS);
        std::printf("    device local write (rows + indexes, SQLCipher)    %6.2f s\n", writeS);
        std::printf("    stages in sequence %.2f s; the real sync %.2f s: it writes each page while the next is asked for\n"
                    "    and read (server and device overlap), and also carries TLS, HTTP and the engine's own work\n",
                    stagesS, f.initialS);
        std::printf("    (server read during the end-to-end pull: %.2f s)\n", f.initialReadS);
        if (must(digestRecords(*fresh.db)) != must(digestRecords(*b.store->db)))
            die(makeError(ErrorCode::Internal, "the staged pull did not give the same records as the real one"));
    }

    // 2b. For comparison, the first sync replaying the op log (protocol 1.0's only way).
    if (!shape.changesOnly && shape.replay) {
        SyncEngineOptions replay;
        replay.snapshotPage = 0;
        Tablet r(server, client, proxy, "pc.r", dir.path(), replay);
        const auto readNs0 = server.timing->pullNs.load();
        const double took = r.sync();
        std::printf("  the same first sync replaying the op log: %.2f s (%lld ops; server read %.2f s)\n", took / 1000,
                    static_cast<long long>(r.last.pulled), seconds(server.timing->pullNs - readNs0));
        if (must(digestRecords(*r.store->db)) != must(digestRecords(*b.store->db)))
            die(makeError(ErrorCode::Internal, "the replayed pull did not give the same records as the snapshot"));
    }

    // 3. Bytes on the wire for the initial pull (through the counting proxy; timed too).
    if (!shape.changesOnly) {
        const Bytes before = bytesNow(proxy);
        const double took = c.sync(true);
        const Bytes after = bytesNow(proxy);
        const auto down = after.down - before.down;
        const auto up = after.up - before.up;
        f.initialBytesPerRecord = static_cast<double>(down + up) / incidents / kRowsPerIncident;
        std::printf("  on the wire (TLS, through a pass-through proxy): %.1f MB to the device, %.2f MB to the server: "
                    "%.0f bytes a record (that pull took %.2f s with the proxy in the path)\n",
                    static_cast<double>(down) / 1e6, static_cast<double>(up) / 1e6, f.initialBytesPerRecord, took / 1000);
    }

    // 4. Push and incremental pull of 1,000 changed records; then a sync with nothing to do.
    std::vector<double> pushMs, pullMs, noopMs, pushStoreMs, pullStoreMs;
    std::printf("changes:\n");
    std::fflush(stdout);
    const double changesCpu0 = dbCpu ? dbCpu() : 0;
    for (int r = 0; r < reps; ++r) {
        change(a, made, changed, prose, r);
        auto store0 = server.timing->pushNs.load() + server.timing->pullNs.load();
        pushMs.push_back(a.sync());
        pushStoreMs.push_back(static_cast<double>(server.timing->pushNs + server.timing->pullNs - store0) / 1e6);
        store0 = server.timing->pushNs.load() + server.timing->pullNs.load();
        pullMs.push_back(b.sync());
        pullStoreMs.push_back(static_cast<double>(server.timing->pushNs + server.timing->pullNs - store0) / 1e6);
        if (b.last.pulled < changed)
            die(makeError(ErrorCode::Internal, "the incremental pull brought " + std::to_string(b.last.pulled) + " ops"));
    }
    for (int r = 0; r < (smoke() ? 3 : 30); ++r)
        noopMs.push_back(b.sync());
    if (dbCpu)
        f.changesDbCpuS = dbCpu() - changesCpu0;
    f.push = stats(pushMs);
    f.pull = stats(pullMs);
    f.noop = stats(noopMs);
    f.pushStoreMs = stats(pushStoreMs).median;
    f.pullStoreMs = stats(pullStoreMs).median;
    std::printf("\npush of %d changed records (A's whole sync: push, empty pull, push): median %.0f ms, max %.0f ms "
                "(%d runs; server store %.0f ms of it); target <= 300 ms\n",
                changed, f.push.median, f.push.max, reps, f.pushStoreMs);
    std::printf("incremental pull of %d changed records (B's whole sync): median %.0f ms, max %.0f ms (server store "
                "%.0f ms of it); target <= 200 ms\n",
                changed, f.pull.median, f.pull.max, f.pullStoreMs);
    std::printf("sync with nothing to do: median %.1f ms, p99 %.1f ms, max %.1f ms (%zu runs); target <= 20 ms\n",
                f.noop.median, f.noop.p99, f.noop.max, noopMs.size());
    if (dbCpu)
        std::printf("PostgreSQL CPU over the pushes, pulls and syncs with nothing to do: %.1f s\n", f.changesDbCpuS);

    // 5. Bytes for those, through the proxy (device C, the owner's other device, pushes changes;
    // A's reach C).
    {
        (void)c.sync(true);  // C catches up with the changes above
        const auto cMade = std::vector<std::pair<std::string, std::string>>(made.begin(), made.end());
        change(c, cMade, changed, prose, 99);
        Bytes before = bytesNow(proxy);
        (void)c.sync(true);
        Bytes after = bytesNow(proxy);
        f.pushBytes = static_cast<double>((after.up - before.up) + (after.down - before.down));
        change(a, made, changed, prose, 77);
        (void)a.sync();
        before = bytesNow(proxy);
        (void)c.sync(true);
        after = bytesNow(proxy);
        f.pullBytes = static_cast<double>((after.up - before.up) + (after.down - before.down));
        before = bytesNow(proxy);
        (void)c.sync(true);
        after = bytesNow(proxy);
        f.noopBytes = static_cast<double>((after.up - before.up) + (after.down - before.down));
        std::printf("on the wire: push of %d changed records %.0f bytes a record; incremental pull %.0f bytes a "
                    "record; a sync with nothing to do %.0f bytes\n",
                    changed, f.pushBytes / changed, f.pullBytes / changed, f.noopBytes);
    }
    std::fflush(stdout);
    return f;
}

__attribute__((format(printf, 1, 2))) std::string fmt(const char* format, ...)
{
    char buf[96];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    return buf;
}

/// The figures of each store in columns.
void printSideBySide(const std::vector<Figures>& runs, const Shape& shape)
{
    std::printf("\n=== side by side: %d records, push and pull of %d, %d runs each ===\n",
                shape.incidents * kRowsPerIncident, shape.changed, shape.reps);
    std::printf("%-58s", "measure");
    for (const auto& f : runs)
        std::printf(" | %-24s", f.store.c_str());
    std::printf("\n");
    const auto row = [&](const char* name, const std::function<std::string(const Figures&)>& cell) {
        std::printf("%-58s", name);
        for (const auto& f : runs)
            std::printf(" | %-24s", cell(f).c_str());
        std::printf("\n");
    };
    row("setup: A pushes every record (s; server store s)",
        [&](const Figures& f) { return fmt("%.1f (%.1f)", f.pushAllS, f.pushAllStoreS); });
    row("initial pull into an empty device (s; server read s)",
        [&](const Figures& f) { return fmt("%.2f (%.2f)", f.initialS, f.initialReadS); });
    if (!shape.changesOnly) {
        row("  staged: server read / encode (s)", [&](const Figures& f) { return fmt("%.2f / %.2f", f.readS, f.encodeS); });
        row("  staged: device decompress / decode / write (s)",
            [&](const Figures& f) { return fmt("%.2f / %.2f / %.2f", f.inflateS, f.decodeS, f.writeS); });
    }
    row("push of 1,000: median / max ms (server store)",
        [&](const Figures& f) { return fmt("%.0f / %.0f (%.0f)", f.push.median, f.push.max, f.pushStoreMs); });
    row("incremental pull of 1,000: median / max ms (server store)",
        [&](const Figures& f) { return fmt("%.0f / %.0f (%.0f)", f.pull.median, f.pull.max, f.pullStoreMs); });
    row("no-op sync: median / p99 / max ms",
        [&](const Figures& f) { return fmt("%.1f / %.1f / %.1f", f.noop.median, f.noop.p99, f.noop.max); });
    row("bytes a record: push / incremental pull", [&](const Figures& f) {
        return fmt("%.0f / %.0f", f.pushBytes / shape.changed, f.pullBytes / shape.changed);
    });
    row("PostgreSQL CPU: setup push / the changes (s)", [&](const Figures& f) {
        return f.pushAllDbCpuS < 0 ? std::string("-") : fmt("%.1f / %.1f", f.pushAllDbCpuS, f.changesDbCpuS);
    });
}

}  // namespace

int main()
{
    const char* recordsEnv = std::getenv("VIGIL_BENCH_RECORDS");
    const int records = recordsEnv ? std::max(kRowsPerIncident, std::atoi(recordsEnv)) : smoke() ? 1000 : 100000;
    Shape shape;
    shape.incidents = records / kRowsPerIncident;
    shape.changed = std::min(kChanged, records / 2);
    const char* repsEnv = std::getenv("VIGIL_BENCH_REPS");
    shape.reps = smoke() ? 1 : (repsEnv ? std::max(1, std::atoi(repsEnv)) : 5);
    shape.changesOnly = std::getenv("VIGIL_BENCH_CHANGES_ONLY") != nullptr;
    shape.replay = std::getenv("VIGIL_BENCH_REPLAY") != nullptr;
    const char* storeEnv = std::getenv("VIGIL_BENCH_STORE");
    const std::string which = storeEnv && *storeEnv ? storeEnv : "sqlcipher";
    if (which != "sqlcipher" && which != "postgresql" && which != "both")
        die(makeError(ErrorCode::InvalidArgument, "VIGIL_BENCH_STORE is sqlcipher, postgresql or both, not " + which));
    const bool onSqlCipher = which != "postgresql";
    const bool onPostgresql = which != "sqlcipher";
    std::printf("Vigil sync benchmark: %d records (%d incidents x %d rows), HTTPS on 127.0.0.1, store: %s%s\n",
                shape.incidents * kRowsPerIncident, shape.incidents, kRowsPerIncident, which.c_str(),
                smoke() ? " (smoke run: figures not meaningful)" : "");
    if (onPostgresql && !postgresInstalled()) {
        reportPostgresSkipped();
        return 0;
    }

    Log::setLevel("warn");  // the server's per-request log lines would swamp the figures
    std::optional<BenchCluster> cluster;
    if (onPostgresql)
        cluster.emplace();
    std::vector<Figures> runs;
    if (onSqlCipher)
        runs.push_back(measure(shape, std::nullopt, {}));
    if (onPostgresql) {
        const auto settings = cluster->settings(BenchCluster::freshSchema("bench_"));
        runs.push_back(measure(shape, settings, [&] { return cluster->cpuSeconds(); }));
        // A named cluster outlives the run: leave it as found.
        auto conn = must(PgConnection::connect(settings));
        must(conn->script("DROP SCHEMA IF EXISTS " + conn->quotedSchema() + " CASCADE;"));
    }
    if (runs.size() > 1)
        printSideBySide(runs, shape);
    return 0;
}
