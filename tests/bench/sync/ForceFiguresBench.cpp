// The figures of a force (issue 25): a year of 1,000,000 incidents in 32 boroughs on the server,
// and the board report of every borough (its figures, narrative, CSV and PDF), counted by the
// code vigil-server and vigil-admin run (computeFigures, computeFiguresByBorough, the report's
// words and ReportPdf) over a records copy with the device schema. Prints figures; asserts
// nothing about time.
//   VIGIL_BENCH_KEEP=DIR build/ci/tests/bench/sync/vigil_bench_force_figures
//       needs DIR/incidents-100000 (kept by vigil_bench_figures with the same DIR); the first run
//       copies it to DIR/force-1000000 and clones its figure tables ten times over 32 boroughs
//       (1,000,000 incidents with their people, events, clocks and MARAC referrals), which later
//       runs use again
//   VIGIL_BENCH_SMOKE=1 ...   300 incidents cloned the same way, for CI
// Generating a million incidents through the records would take hours; the figures read only
// their derived tables (core/figures/FigureIndex.h), so those are what is cloned. Each copy gets
// new ids (incident, person, row) and its incidents are dealt at random among the 32 boroughs.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/figures/FigureIndex.h"
#include "core/figures/FigureReport.h"
#include "core/figures/Figures.h"
#include "core/risk/Dates.h"
#include "core/risk/DiversityCategories.h"
#include "sync/admin/ReportPdf.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/FigureBenchStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {

constexpr int kCopies = 10;
constexpr int kBoroughs = 32;

/// Deal the store's incidents among the boroughs and add copies 1..kCopies-1 of every figure row.
void cloneToForce(Database& db)
{
    const auto t0 = Steady::now();
    must(db.exec("BEGIN IMMEDIATE;"));
    const std::string deal = "printf('Borough %02d', abs(random()) % " + std::to_string(kBoroughs) + ")";
    must(db.exec("CREATE TEMP TABLE originals AS SELECT incident_id AS id FROM figure_incident;"));
    for (int k = 1; k < kCopies; ++k) {
        const std::string s = "'-k" + std::to_string(k) + "'";
        must(db.exec("CREATE TEMP TABLE dealt AS SELECT id, " + deal + " AS borough FROM originals;"
                     "INSERT INTO figure_incident (incident_id, occurred, state, borough, team, owner, facts, outcome,"
                     " court_result, people, state_at, review, code, code_last, code_first) SELECT f.incident_id || " + s
                     + ", occurred, state, d.borough, team, owner, facts, outcome, court_result, CASE WHEN people = ''"
                     " THEN '' ELSE replace(people, char(30), " + s + " || char(30)) || " + s + " END, state_at, review,"
                     " code, code_last, code_first FROM figure_incident f JOIN dealt d ON d.id = f.incident_id;"
                     "INSERT INTO figure_person (person_id, incident_id, role, ordinal, birth_date, age_band, gender,"
                     " ethnicity, disability, religion, sexual_orientation, grade, marac_referred) SELECT person_id || " + s
                     + ", incident_id || " + s + ", role, ordinal, birth_date, age_band, gender, ethnicity, disability,"
                     " religion, sexual_orientation, grade, marac_referred FROM figure_person WHERE incident_id IN"
                     " (SELECT id FROM originals);"
                     "INSERT INTO figure_event (row_id, incident_id, kind, at, occurred, borough) SELECT row_id || " + s
                     + ", e.incident_id || " + s + ", kind, at, occurred, d.borough FROM figure_event e JOIN dealt d"
                     " ON d.id = e.incident_id;"
                     "INSERT INTO figure_clock (row_id, incident_id, case_id, kind, at, detail) SELECT row_id || " + s
                     + ", incident_id || " + s + ", case_id, kind, at, detail FROM figure_clock WHERE incident_id IN"
                     " (SELECT id FROM originals);"
                     "INSERT INTO figure_marac (person_id, incident_id, occurred, state, name_key, birth_date, postcode,"
                     " house, borough) SELECT person_id || " + s + ", m.incident_id || " + s + ", occurred, state,"
                     " name_key, birth_date, postcode, house, d.borough FROM figure_marac m JOIN dealt d ON"
                     " d.id = m.incident_id;"
                     "DROP TABLE dealt;"));
    }
    // The originals dealt too.
    must(db.exec("CREATE TEMP TABLE dealt AS SELECT id, " + deal + " AS borough FROM originals;"
                 "UPDATE figure_incident SET borough = (SELECT borough FROM dealt WHERE id = incident_id)"
                 " WHERE incident_id IN (SELECT id FROM originals);"
                 "UPDATE figure_event SET borough = (SELECT borough FROM dealt WHERE id = incident_id)"
                 " WHERE incident_id IN (SELECT id FROM originals);"
                 "UPDATE figure_marac SET borough = (SELECT borough FROM dealt WHERE id = incident_id)"
                 " WHERE incident_id IN (SELECT id FROM originals);"
                 "DROP TABLE dealt; DROP TABLE originals;"));
    // The repeat MARAC referrals among the copies (the same people in each), and no figures kept
    // from before the copies.
    must(figure_index::refreshMaracGaps(db, nullptr));
    must(db.exec("DELETE FROM figure_month; DELETE FROM figure_code_day; COMMIT;"));
    must(db.checkpoint());
    std::printf("cloned to a force: %.1f s\n", ms(Steady::now() - t0) / 1000);
}

}  // namespace

int main()
{
    test::TempDir temp("vigil-bench-force-figures");
    const char* keepDir = smoke() ? nullptr : std::getenv("VIGIL_BENCH_KEEP");
    if (!smoke() && !(keepDir && *keepDir)) {
        std::fprintf(stderr, "Set VIGIL_BENCH_KEEP to the folder where vigil_bench_figures kept incidents-100000 "
                             "(or VIGIL_BENCH_SMOKE=1 for a small run).\n");
        return 2;
    }
    const int incidents = smoke() ? 300 : 100'000;
    std::filesystem::path dir = temp.path() / "force";
    BenchSecretStore secrets;
    bool cloned = false;
    if (keepDir) {
        dir = std::filesystem::path(keepDir) / "force-1000000";
        const auto source = std::filesystem::path(keepDir) / ("incidents-" + std::to_string(incidents));
        cloned = std::filesystem::exists(dir / "cloned");
        if (!cloned) {
            if (!std::filesystem::exists(source / "secrets")) {
                std::fprintf(stderr, "%s holds no kept store: run vigil_bench_figures with VIGIL_BENCH_KEEP=%s first.\n",
                             source.c_str(), keepDir);
                return 2;
            }
            std::filesystem::remove_all(dir);
            std::filesystem::copy(source, dir, std::filesystem::copy_options::recursive);
        }
    }
    std::filesystem::create_directories(dir);
    StoreConfig config;
    config.kdf = KdfStrength::Interactive;  // the unlock is not what is measured here
    SecureStore store(dir / "store", secrets, config);
    auto lists = must(DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json"));
    std::printf("Vigil force figures benchmark: %d incidents cloned %d times over %d boroughs%s\n", incidents, kCopies,
                kBoroughs, smoke() ? " (smoke run: figures not meaningful)" : "");
    openOrGenerateFigureStore(dir, store, secrets, incidents, keepDir != nullptr);
    if (!cloned) {
        auto db = must(store.unlock(kBenchPasscode));
        must(RecordStore::open(*db, systemClock()));
        cloneToForce(*db);
        if (keepDir)
            std::fclose(std::fopen((dir / "cloned").c_str(), "w"));
    }

    // The force's year (to tomorrow: the casework clocks of the demo's records run from when the
    // store was generated), as GET /v1/figures counts it for an analyst of the force; and the board
    // report of that year for every borough, as vigil-admin report writes it.
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const FigureRequest year{"2025-11-23", formatIsoDate(today + std::chrono::days(1)), "", ""};
    std::vector<double> none, oneMonth, cold, warm, alone, reportAll, reportFigures, reportWords, reportPdf;
    std::int64_t counted = 0;
    std::size_t boroughCount = 0, narrativeBytes = 0;
    for (int i = 0; i < (smoke() ? 1 : 3); ++i) {
        measureKeptCounts(store, year, lists, none, oneMonth);
        auto db = must(store.unlock(kBenchPasscode));
        auto records = must(RecordStore::open(*db, systemClock()));
        auto t0 = Steady::now();
        auto set = must(computeFigures(*records, year, &lists));
        cold.push_back(ms(Steady::now() - t0));
        counted = set.find("incidents")->total.count;
        t0 = Steady::now();
        must(computeFigures(*records, year, &lists));
        warm.push_back(ms(Steady::now() - t0));
        FigureRequest records124d = year;
        records124d.casework = false;
        t0 = Steady::now();
        must(computeFigures(*records, records124d, &lists));
        alone.push_back(ms(Steady::now() - t0));

        t0 = Steady::now();
        const auto boroughs = must(boroughsWithFigures(*db, year.from, year.to));
        const auto sets = must(computeFiguresByBorough(*db, FigureRequest{year.from, year.to, "", "", false}, boroughs,
                                                       &lists));
        const auto t1 = Steady::now();
        const BoardReport report = publishBoardReport(year.from, formatIsoDate(today), sets);
        const std::string narrative = boardNarrative(report, &lists);
        const std::string csv = boardCsv(report);
        const auto t2 = Steady::now();
        must(sync::writeReportPdf(temp.path() / ("report-" + std::to_string(i) + ".pdf"), narrative));
        const auto t3 = Steady::now();
        reportFigures.push_back(ms(t1 - t0));
        reportWords.push_back(ms(t2 - t1));
        reportPdf.push_back(ms(t3 - t2));
        reportAll.push_back(ms(t3 - t0));
        boroughCount = boroughs.size();
        narrativeBytes = narrative.size() + csv.size();
    }
    const Stats c = stats(cold), w = stats(warm), a = stats(alone), r = stats(reportAll), rf = stats(reportFigures),
                rw = stats(reportWords), rp = stats(reportPdf);
    std::printf("incidents counted in the force's year: %lld in %zu boroughs\n", static_cast<long long>(counted),
                boroughCount);
    const Stats z = stats(none), o = stats(oneMonth);
    std::printf("every figure of the force's year, no month's or day's counts kept (all worked out and kept): median"
                " %.1f ms, max %.1f ms\n", z.median, z.max);
    std::printf("every figure of the force's year, one month's counts dropped in every borough: median %.1f ms, max"
                " %.1f ms\n", o.median, o.max);
    std::printf("every figure of the force's year, cold (fresh unlock): median %.1f ms, max %.1f ms\n", c.median, c.max);
    std::printf("every figure of the force's year, warm: median %.1f ms, max %.1f ms\n", w.median, w.max);
    std::printf("the force's figures of the 124Ds alone (no casework figures), warm: median %.1f ms, max %.1f ms\n",
                a.median, a.max);
    std::printf("the board report of every borough (figures, narrative, CSV, PDF): median %.1f ms, max %.1f ms\n",
                r.median, r.max);
    std::printf("  of which the figures of each borough: median %.1f ms; the words and CSV: %.1f ms (%zu bytes);"
                " the PDF: %.1f ms\n", rf.median, rw.median, narrativeBytes, rp.median);
    return 0;
}
