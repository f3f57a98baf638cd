// The figures (issue 25): how long the core takes to work out every figure of a borough-year
// on a device, and what the supervisor's dashboard asks for on each look (the period's figures
// with the 124Ds behind each number, and the six months of the trend). Prints figures; asserts
// nothing about time.
//   build/ci/tests/bench/vigil_bench_figures                         100,000 synthetic incidents
//   VIGIL_BENCH_INCIDENTS=N build/ci/tests/bench/vigil_bench_figures
//   VIGIL_BENCH_SMOKE=1 ...       300 incidents, for CI
// The demo data spreads the incidents over the year before its last day (2026-11-23), in every
// state of the lifecycle, with victims, suspects and their diversity, as a borough's device
// would hold after its first sync.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/figures/Figures.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/RulesConfig.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

int main()
{
    int incidents = smoke() ? 300 : 100'000;
    if (const char* n = std::getenv("VIGIL_BENCH_INCIDENTS"); n && !smoke())
        incidents = std::max(100, std::atoi(n));
    test::TempDir dir("vigil-bench-figures");
    test::InMemorySecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Interactive;  // the unlock is not what is measured here
    SecureStore store(dir.path() / "store", secrets, config);
    auto models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
    auto rules = must(loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"));
    auto lists = must(DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json"));
    std::printf("Vigil figures benchmark, %d synthetic incidents%s\n", incidents,
                smoke() ? " (smoke run: figures not meaningful)" : "");
    must(store.setUp("480516"));
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        DemoOptions options;
        options.incidents = incidents;
        options.ownerTransitionsOnly = false;  // every state, as a supervisor's scope holds them
        const auto t0 = Steady::now();
        must(generateDemoData(repo, *records, models, rules, options, Actor{"officer-demo", "benchmark"}));
        std::printf("generate: %.1f s\n", ms(Steady::now() - t0) / 1000);
        must(db->checkpoint());
    }

    // A borough-year: the demo's whole year, every borough the store holds (one). Each run on a
    // fresh unlock (an empty page cache, as the first look after an unlock), then warm.
    const FigureRequest year{"2025-11-23", "2026-11-24", "", ""};
    FigureRequest dashboard{"2026-08-01", "2026-11-01", "", ""};  // "the last 3 months" as the desk asks
    dashboard.keepIncidentIds = true;
    std::vector<double> cold, warm, look;
    std::int64_t counted = 0;
    for (int i = 0; i < (smoke() ? 1 : 5); ++i) {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        auto t0 = Steady::now();
        auto set = must(computeFigures(*records, year, &lists));
        cold.push_back(ms(Steady::now() - t0));
        counted = set.find("incidents")->total.count;
        t0 = Steady::now();
        set = must(computeFigures(*records, year, &lists));
        warm.push_back(ms(Steady::now() - t0));
        // The dashboard's look: the period with its 124Ds, and six months of the trend.
        t0 = Steady::now();
        must(computeFigures(*records, dashboard, &lists));
        const char* months[] = {"2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01",
                                "2026-12-01"};
        for (int m = 0; m < 6; ++m)
            must(computeFigures(*records, FigureRequest{months[m], months[m + 1], "", ""}, &lists));
        look.push_back(ms(Steady::now() - t0));
    }
    const Stats c = stats(cold), w = stats(warm), l = stats(look);
    std::printf("incidents counted in the year: %lld (the demo's received 124Ds)\n", static_cast<long long>(counted));
    std::printf("every figure of the borough-year, cold (fresh unlock): median %.1f ms, max %.1f ms\n", c.median, c.max);
    std::printf("every figure of the borough-year, warm: median %.1f ms, max %.1f ms\n", w.median, w.max);
    std::printf("the dashboard's look (3 months with their 124Ds, and 6 months of trend): median %.1f ms, max %.1f ms\n",
                l.median, l.max);
    return 0;
}
