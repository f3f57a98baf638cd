// The supervisor's desk (issue 23): how long the QA queue takes to read on a supervisor's
// device, and how long one review takes to open. Prints figures; asserts nothing about time.
//   build/ci/tests/bench/vigil_bench_desk                        5,000 synthetic incidents
//   VIGIL_BENCH_INCIDENTS=50000 build/ci/tests/bench/vigil_bench_desk   a borough's worth
//   VIGIL_BENCH_SMOKE=1 build/ci/tests/bench/vigil_bench_desk    100 incidents, for CI
// The demo data makes every state of the lifecycle (under 2% submitted, waiting for QA),
// as a borough supervisor's device would hold after its first sync.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/records/QaQueue.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RulesConfig.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

int main()
{
    int incidents = smoke() ? 100 : 5000;
    if (const char* n = std::getenv("VIGIL_BENCH_INCIDENTS"); n && !smoke())
        incidents = std::max(100, std::atoi(n));
    test::TempDir dir("vigil-bench-desk");
    test::InMemorySecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Interactive;  // the unlock is not what is measured here
    SecureStore store(dir.path() / "store", secrets, config);
    must(store.setUp("480516"));
    auto models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
    auto rules = must(loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"));
    std::printf("Vigil desk benchmark, %d synthetic incidents%s\n", incidents,
                smoke() ? " (smoke run: figures not meaningful)" : "");
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        DemoOptions options;
        options.incidents = incidents;
        options.ownerTransitionsOnly = false;  // every state, as a supervisor's scope holds them
        const auto t0 = Steady::now();
        auto summary = must(generateDemoData(repo, *records, models, rules, options, Actor{"officer-demo", "benchmark"}));
        std::printf("generate: %.1f s; %d submitted (waiting for QA)\n", ms(Steady::now() - t0) / 1000,
                    summary.states[LifecycleState::Submitted]);
        must(db->checkpoint());
    }
    // The queue, as the desk reads it after an unlock (a fresh connection each time: an empty
    // page cache), then warm (read again on the same connection, as after a sync).
    std::vector<double> cold, warm, review;
    std::size_t rows = 0;
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < (smoke() ? 1 : 5); ++i) {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        auto t0 = Steady::now();
        auto queue = must(readQaQueue(repo, *records, models, rules, HistorySource{}, now));
        cold.push_back(ms(Steady::now() - t0));
        t0 = Steady::now();
        queue = must(readQaQueue(repo, *records, models, rules, HistorySource{}, now));
        warm.push_back(ms(Steady::now() - t0));
        rows = queue.size();
        // Opening one for review: the incident with its history, evaluated (what the editor does).
        for (std::size_t k = 0; k < std::min<std::size_t>(queue.size(), 20); ++k) {
            t0 = Steady::now();
            auto incident = must(repo.load(Actor{"ds.bench", "benchmark"}, queue[k].id));
            auto history = must(repo.historyForIncident(incident, HistorySource{}));
            const RuleContext context{models, rules, history, now};
            for (std::size_t v = 0; v < incident.victims.size(); ++v)
                (void)evaluateVictim(incident, v, context);
            review.push_back(ms(Steady::now() - t0));
        }
    }
    // Where a queue read goes: the same steps as readQaQueue, each timed (warm connection).
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        double listMs = 0, readMs = 0, historyMs = 0, rulesMs = 0;
        for (int pass = 0; pass < 2; ++pass) {  // the first pass warms the page cache
            listMs = readMs = historyMs = rulesMs = 0;
            auto t0 = Steady::now();
            const auto counts = must(repo.countsByState());
            const auto waiting = counts.count(LifecycleState::Submitted) ? counts.at(LifecycleState::Submitted) : 0;
            const auto summaries =
                must(repo.list(static_cast<std::size_t>(waiting), nullptr, ListScope{{LifecycleState::Submitted}, 0}));
            listMs = ms(Steady::now() - t0);
            for (const auto& summary : summaries) {
                t0 = Steady::now();
                auto incident = must(repo.read(summary.id));
                readMs += ms(Steady::now() - t0);
                t0 = Steady::now();
                auto history = must(repo.historyForIncident(incident, HistorySource{}));
                historyMs += ms(Steady::now() - t0);
                t0 = Steady::now();
                const RuleContext context{models, rules, history, now};
                for (std::size_t v = 0; v < incident.victims.size(); ++v)
                    (void)evaluateVictim(incident, v, context);
                rulesMs += ms(Steady::now() - t0);
            }
        }
        std::printf("QA queue, where the time goes (warm): list %.1f ms, read the 124Ds %.1f ms, their history %.1f ms, "
                    "the rules %.1f ms\n",
                    listMs, readMs, historyMs, rulesMs);
    }
    const Stats c = stats(cold), w = stats(warm), r = stats(review);
    std::printf("QA queue: %zu rows; cold (after an unlock) median %.1f ms, max %.1f ms; warm median %.1f ms\n", rows,
                c.median, c.max, w.median);
    std::printf("open one for review (read, history, rules): median %.2f ms, p99 %.2f ms over %zu\n", r.median, r.p99,
                review.size());
    return 0;
}
