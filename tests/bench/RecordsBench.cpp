// Records benchmarks (records issue). Prints figures; asserts nothing about time.
//   build/dev/tests/bench/vigil_bench_records          5,000 synthetic incidents (figures in docs/performance.md)
//   VIGIL_BENCH_SMOKE=1 build/dev/tests/bench/vigil_bench_records   100 incidents, for CI
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/store/SecureStore.h"
#include "tests/support/HomeListReference.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {


double megabytes(const std::filesystem::path& p)
{
    std::error_code ec;
    const auto main = std::filesystem::file_size(p, ec);
    const auto wal = std::filesystem::file_size(p.string() + "-wal", ec);
    return static_cast<double>(main + (ec ? 0 : wal)) / 1e6;
}

/// The home tabs that list their own newest 500 (qml/bridge/IncidentListModel.cpp: the
/// officer's waiting work), and all four tabs (what that cost, measured and not adopted).
const std::vector<std::vector<LifecycleState>> kTabs{{LifecycleState::Draft}, {LifecycleState::Returned}};
const std::vector<std::vector<LifecycleState>> kAllTabs{{LifecycleState::Draft},
                                                        {LifecycleState::Submitted},
                                                        {LifecycleState::Returned},
                                                        {LifecycleState::Approved, LifecycleState::UnderInvestigation}};

/// What the app does between the unlock and the home screen, after the key derivation: the
/// tab counts, the newest 500 summaries with drafts and returns topped up to their newest 500
/// (each victim's DASH answers scored, as the app lists them) and the count of unsent 124Ds; each run on a fresh connection (an
/// empty page cache, as after an unlock). Then the newest 500 of all alone, scored and not
/// (decided grades only), and the per-incident assembly used before schema step 7
/// (tests/support/HomeListReference).
void homeList(SecureStore& store, const char* label, const RiskModelRegistry& models)
{
    std::vector<double> app, scored, undecided, everyTab;
    for (int i = 0; i < (smoke() ? 1 : 5); ++i) {
        for (int variant = 0; variant < 4; ++variant) {
            auto db = must(store.unlock("480516"));
            auto records = must(RecordStore::open(*db, systemClock()));
            IncidentRepository repo(*records);
            const auto t0 = Steady::now();
            auto counts = must(repo.countsByState());
            auto list = variant == 0   ? must(repo.listGroups(kTabs, counts, 500, &models))
                        : variant == 3 ? must(repo.listGroups(kAllTabs, counts, 500, &models))
                                       : must(repo.list(500, variant == 1 ? &models : nullptr));
            auto unsent = must(repo.unsentIncidentCount());
            (variant == 0 ? app : variant == 1 ? scored : variant == 2 ? undecided : everyTab)
                .push_back(ms(Steady::now() - t0));
            if (i == 0 && variant == 0) {
                std::int64_t changes = 0;
                for (const auto& s : list)
                    changes += s.unsentChanges;
                std::printf("home list, %s: %zu rows in the tabs, %zu states, %lld unsent 124Ds, %lld unsent changes in the rows\n",
                            label, list.size(), counts.size(), static_cast<long long>(unsent),
                            static_cast<long long>(changes));
            }
        }
    }
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        const auto t0 = Steady::now();
        const auto all = must(IncidentRepository(*records).list(1000000, &models));
        std::printf("home list, %s: every summary (%zu) in %.1f ms\n", label, all.size(), ms(Steady::now() - t0));
    }
    auto db = must(store.unlock("480516"));
    auto records = must(RecordStore::open(*db, systemClock()));
    const auto t0 = Steady::now();
    auto list = must(test::referenceHomeList(*records, 500, &models));
    auto unsent = must(test::referenceUnsentIncidentCount(*records));
    const double reference = ms(Steady::now() - t0);
    std::printf("home list, %s: tab counts + unsent 124Ds + the newest 500, drafts and returns topped up (as the app): "
                "median %.1f ms (max %.1f ms); every tab topped up: %.1f ms; the newest 500 of all only: %.1f ms scored, "
                "%.1f ms unscored; per-incident assembly before schema step 7: %.0f ms (%zu rows, %lld unsent)\n",
                label, stats(app).median, stats(app).max, stats(everyTab).median, stats(scored).median,
                stats(undecided).median, reference, list.size(), static_cast<long long>(unsent));
}

}  // namespace

int main()
{
    const int incidents = smoke() ? 100 : 5000;
    test::TempDir dir("vigil-bench-records");
    test::InMemorySecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Moderate;
    SecureStore store(dir.path() / "store", secrets, config);
    must(store.setUp("480516"));
    auto models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
    auto rules = must(loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"));
    const Actor officer{"officer-demo", "benchmark"};
    std::printf("Vigil records benchmark, %d synthetic incidents%s\n", incidents,
                smoke() ? " (smoke run: figures not meaningful)" : "");

    std::vector<std::string> ids;
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        DemoOptions options;
        options.incidents = incidents;
        options.ownerTransitionsOnly = false;
        const auto t0 = Steady::now();
        auto summary = must(generateDemoData(repo, *records, models, rules, options, officer));
        std::printf("generate: %.1f s (%d victims, %d repeat incidents; standard %d, medium %d, high %d)\n",
                    ms(Steady::now() - t0) / 1000, summary.victims, summary.repeatIncidents,
                    summary.grades[RiskGrade::Standard], summary.grades[RiskGrade::Medium], summary.grades[RiskGrade::High]);
        must(db->checkpoint());
        std::printf("store size with every change still queued for sync: %.1f MB (%.1f KB per incident), outbox %lld ops\n",
                    megabytes(store.databasePath()), megabytes(store.databasePath()) * 1000 / incidents,
                    static_cast<long long>(must(records->pendingCount())));
    }
    homeList(store, "nothing synced", models);
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        auto ops = must(records->pendingOps(100000000));
        must(records->acknowledge(ops.back().seq));
        must(db->exec("VACUUM;"));
        must(db->checkpoint());
        std::printf("store size once synced (outbox empty, vacuumed): %.1f MB (%.1f KB per incident)\n",
                    megabytes(store.databasePath()), megabytes(store.databasePath()) * 1000 / incidents);
        ids = must(records->incidentIds(100000));
    }
    homeList(store, "all synced", models);

    // Open: what the officer waits for between the PIN and the home screen.
    std::vector<double> opens, lists;
    for (int i = 0; i < (smoke() ? 1 : 5); ++i) {
        const auto t0 = Steady::now();
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        const auto t1 = Steady::now();
        IncidentRepository repo(*records);
        auto list = must(repo.list(50, &models));
        const auto t2 = Steady::now();
        opens.push_back(ms(t1 - t0));
        lists.push_back(ms(t2 - t1));
    }
    std::printf("unlock + open (Argon2id MODERATE, migrations checked): median %.0f ms; first 50 home-list rows: median %.1f ms\n",
                stats(opens).median, stats(lists).median);

    auto db = must(store.unlock("480516"));
    auto records = must(RecordStore::open(*db, systemClock()));
    IncidentRepository repo(*records);
    std::mt19937 rng(7);

    // Autosave: one tap on a DASH answer, through the repository (row, outbox op, audit entry, fsync).
    // The store runs with secure_delete on; for its cost, blocks of taps alternate with it turned
    // off by hand on this connection (A/B in one sitting, interleaved so drift hits both alike).
    {
        const Incident inc = must(repo.load(officer, ids[ids.size() / 2]));
        std::vector<double> times[2];  // [0] secure_delete off, [1] on (as shipped)
        const int n = smoke() ? 30 : 1000;
        const int block = smoke() ? 5 : 50;
        for (int i = 0; i < 2 * n; ++i) {
            const int secure = (i / block) % 2;
            if (i % block == 0)
                must(db->exec(secure ? "PRAGMA secure_delete = ON;" : "PRAGMA secure_delete = OFF;"));
            Answer a;
            a.value = i % 2 ? AnswerValue::Yes : AnswerValue::No;
            const std::string q = "q" + std::to_string(i % 27 + 1);
            const auto t0 = Steady::now();
            must(repo.saveAnswer(officer, inc.id, inc.victims[0].id, q, a));
            times[secure].push_back(ms(Steady::now() - t0));
        }
        must(db->exec("PRAGMA secure_delete = ON;"));
        for (int secure : {1, 0}) {
            const Stats s = stats(times[secure]);
            std::printf("autosave one answer (repository, synchronous=FULL, secure_delete %s), %d taps: median %.2f ms, "
                        "p99 %.2f ms, max %.2f ms\n",
                        secure ? "on, as shipped" : "off, for comparison", n, s.median, s.p99, s.max);
        }
    }

    // Open a record: the whole 124D with its assessment, plus each victim's history on the device.
    {
        std::vector<double> loads, histories;
        std::size_t historyHits = 0;
        const int n = smoke() ? 20 : 300;
        std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
        for (int i = 0; i < n; ++i) {
            const auto t0 = Steady::now();
            const Incident inc = must(repo.load(officer, ids[pick(rng)]));
            const auto t1 = Steady::now();
            for (std::size_t v = 0; v < inc.victims.size(); ++v)
                historyHits += must(repo.historyFor(inc, v, HistorySource{})).incidents.size();
            const auto t2 = Steady::now();
            loads.push_back(ms(t1 - t0));
            histories.push_back(ms(t2 - t0));
        }
        const Stats l = stats(loads);
        const Stats h = stats(histories);
        std::printf("load a 124D with its assessment: median %.2f ms, p99 %.2f ms; with each victim's history: median "
                    "%.2f ms, p99 %.2f ms (%zu earlier incidents found over %d loads)\n",
                    l.median, l.p99, h.median, h.p99, historyHits, n);
    }
    return 0;
}
