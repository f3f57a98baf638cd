// The figures (issue 25): how long the core takes to work out every figure of a borough-year
// on a device, and what the supervisor's dashboard asks for on each look (the period's figures
// with the 124Ds behind each number, and the six months of the trend). Prints figures; asserts
// nothing about time.
//   build/ci/tests/bench/vigil_bench_figures                         100,000 synthetic incidents
//   VIGIL_BENCH_INCIDENTS=N build/ci/tests/bench/vigil_bench_figures
//   VIGIL_BENCH_SMOKE=1 ...       300 incidents, for CI
//   VIGIL_BENCH_KEEP=DIR ...      keep the generated store (synthetic data only) in DIR and use it
//                                 again on the next run with the same number of incidents, so an
//                                 A/B of the counting does not wait for the generation (100,000
//                                 incidents take about 15 minutes); a store kept by an older build
//                                 is upgraded when opened, as a device's would be
// The demo data spreads the incidents over the year before its last day (2026-11-23), in every
// state of the lifecycle, with victims, suspects and their diversity, as a borough's device
// would hold after its first sync.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/figures/FigureClocks.h"
#include "core/figures/FigureIndex.h"
#include "core/figures/Figures.h"
#include "core/risk/Dates.h"
#include "core/risk/DiversityCategories.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/FigureBenchStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

int main()
{
    int incidents = smoke() ? 300 : 100'000;
    if (const char* n = std::getenv("VIGIL_BENCH_INCIDENTS"); n && !smoke())
        incidents = std::max(100, std::atoi(n));
    test::TempDir temp("vigil-bench-figures");
    const char* keepDir = smoke() ? nullptr : std::getenv("VIGIL_BENCH_KEEP");
    const std::filesystem::path dir = keepDir && *keepDir
        ? std::filesystem::path(keepDir) / ("incidents-" + std::to_string(incidents))
        : temp.path();
    std::filesystem::create_directories(dir);
    BenchSecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Interactive;  // the unlock is not what is measured here
    SecureStore store(dir / "store", secrets, config);
    auto lists = must(DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json"));
    std::printf("Vigil figures benchmark, %d synthetic incidents%s\n", incidents,
                smoke() ? " (smoke run: figures not meaningful)" : "");
    openOrGenerateFigureStore(dir, store, secrets, incidents, keepDir && *keepDir);

    // A borough-year: the demo's whole year, every borough the store holds (one). Each run on a
    // fresh unlock (an empty page cache, as the first look after an unlock), then warm.
    // The year runs to tomorrow: the demo's records were started (their review and Victims' Code
    // clocks run from then) when the store was generated, so the casework figures have work to do.
    const auto tomorrow = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(1);
    const FigureRequest year{"2025-11-23", formatIsoDate(tomorrow), "", ""};
    // The year to the start of today: every day of it over (a board report's period).
    const FigureRequest pastYear{formatIsoDate(tomorrow - std::chrono::days(366)), formatIsoDate(tomorrow - std::chrono::days(1)),
                                 "", ""};
    FigureRequest dashboard{"2026-08-01", "2026-11-01", "", ""};  // "the last 3 months" as the desk asks
    dashboard.keepIncidentIds = true;
    std::vector<double> none, oneMonth, past, cold, warm, look, noCasework, reviews, victimsCode;
    std::int64_t counted = 0, codeDue = 0, reviewsDue = 0, repeats = 0;
    for (int i = 0; i < (smoke() ? 1 : 5); ++i) {
        measureKeptCounts(store, year, lists, none, oneMonth);
        auto db = must(store.unlock(kBenchPasscode));
        auto records = must(RecordStore::open(*db, systemClock()));
        auto t0 = Steady::now();
        auto set = must(computeFigures(*records, year, &lists));
        cold.push_back(ms(Steady::now() - t0));
        t0 = Steady::now();
        must(computeFigures(*records, pastYear, &lists));
        past.push_back(ms(Steady::now() - t0));
        counted = set.find("incidents")->total.count;
        codeDue = set.find("victims_code_due")->total.count;
        reviewsDue = set.find("reviews_due")->total.count;
        repeats = set.find("repeat_marac_referrals")->total.count;
        t0 = Steady::now();
        set = must(computeFigures(*records, year, &lists));
        warm.push_back(ms(Steady::now() - t0));
        FigureRequest records124d = year;
        records124d.casework = false;
        t0 = Steady::now();
        must(computeFigures(*records, records124d, &lists));
        noCasework.push_back(ms(Steady::now() - t0));
        // Two of the casework figures alone, over the year's scope (every received 124D), warm.
        const auto rulesNow = must(figure_clocks::rulesOf(nullptr));
        const std::string borough = must(boroughsWithFigures(records->database(), year.from, year.to)).at(0);
        const figure_clocks::Scope everyReceived{std::string(" figure_incident.state IN ") + figure_index::kReceivedStates
                                                     + " AND figure_incident.borough = :borough",
                                                 [&](Query& q) { q.bind(q.parameterIndex(":borough"), borough); }};
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto start = figure_clocks::londonStartOf(year.from).value();
        const auto end = std::min(figure_clocks::londonStartOf(year.to).value(), now);
        t0 = Steady::now();
        must(figure_clocks::reviewFigures(records->database(), everyReceived, end, *rulesNow.rules, false));
        reviews.push_back(ms(Steady::now() - t0));
        t0 = Steady::now();
        must(figure_clocks::victimsCodeFigures(records->database(), everyReceived, start, end, *rulesNow.victimsCode,
                                               *rulesNow.calendar, now, false));
        victimsCode.push_back(ms(Steady::now() - t0));
        // The dashboard's look: the period with its 124Ds, and six months of the trend.
        t0 = Steady::now();
        must(computeFigures(*records, dashboard, &lists));
        const char* months[] = {"2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01",
                                "2026-12-01"};
        for (int m = 0; m < 6; ++m)
        {
            FigureRequest trend{months[m], months[m + 1], "", ""};
            trend.casework = false;  // as the desk asks for its trend
            must(computeFigures(*records, trend, &lists));
        }
        look.push_back(ms(Steady::now() - t0));
    }
    const Stats c = stats(cold), w = stats(warm), l = stats(look);
    std::printf("incidents counted in the year: %lld (the demo's received 124Ds)\n", static_cast<long long>(counted));
    std::printf("Victims' Code items due in the year: %lld; reviews due at its end: %lld; repeat MARAC referrals: %lld\n",
                static_cast<long long>(codeDue), static_cast<long long>(reviewsDue), static_cast<long long>(repeats));
    const Stats z = stats(none), o = stats(oneMonth);
    std::printf("every figure of the borough-year, no month's counts kept (each worked out and kept): median %.1f ms,"
                " max %.1f ms\n", z.median, z.max);
    std::printf("every figure of the borough-year, one month's counts dropped (a change to one of its 124Ds): median"
                " %.1f ms, max %.1f ms\n", o.median, o.max);
    std::printf("every figure of the borough-year, cold (fresh unlock): median %.1f ms, max %.1f ms\n", c.median, c.max);
    std::printf("every figure of the borough-year, warm: median %.1f ms, max %.1f ms\n", w.median, w.max);
    const Stats p = stats(past);
    std::printf("every figure of the 12 months to the start of today (every day over), warm: median %.1f ms, max %.1f ms\n",
                p.median, p.max);
    const Stats n = stats(noCasework);
    std::printf("the borough-year's figures of the 124Ds alone (no casework figures), warm: median %.1f ms, max %.1f ms\n",
                n.median, n.max);
    const Stats r = stats(reviews), v = stats(victimsCode);
    std::printf("  the reviews due at the year's end alone, warm: median %.1f ms, max %.1f ms\n", r.median, r.max);
    std::printf("  the Victims' Code items due in the year alone, worked out from the facts (no day kept), warm: median"
                " %.1f ms, max %.1f ms\n", v.median,
                v.max);
    std::printf("the dashboard's look (3 months with their 124Ds, and 6 months of trend): median %.1f ms, max %.1f ms\n",
                l.median, l.max);
    return 0;
}
