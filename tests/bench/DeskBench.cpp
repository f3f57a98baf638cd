// The supervisor's desk (issue 23): how long the QA queue takes to read on a supervisor's
// device, and how long one review takes to open. Prints figures; asserts nothing about time.
//   build/ci/tests/bench/vigil_bench_desk                        5,000 synthetic incidents
//   VIGIL_BENCH_INCIDENTS=50000 build/ci/tests/bench/vigil_bench_desk   a borough's worth
//   VIGIL_BENCH_SMOKE=1 build/ci/tests/bench/vigil_bench_desk    100 incidents, for CI
// The demo data makes every state of the lifecycle (under 2% submitted, waiting for QA),
// as a borough supervisor's device would hold after its first sync. Also: a supervisor's
// decision saved (approve, as the desk's editor does it), the process's resident memory after
// the queue, and the one-off re-derivation of person_index on an upgraded store.
#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/records/QaQueue.h"
#include "core/records/RiskMeeting.h"
#include "core/records/SupervisionLists.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {

/// A "VmHWM:"-style line of /proc/self/status, in MB (-1 when not there).
double statusMb(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind(key + ":", 0) == 0)
            return std::atof(line.c_str() + key.size() + 1) / 1024.0;  // the kernel says kB
    }
    return -1;
}

/// Start the peak (VmHWM) again from the current resident size (Linux 4.0+); false if refused.
bool resetPeakResident()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

/// Bytes malloc holds for the program now (every arena), in MB.
double heapInUseMb()
{
    const struct mallinfo2 info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

/// One of the desk's lists read on a fresh unlock: its time, the process's peak while it ran
/// and its resident size after (both from just before the step), and the heap it keeps.
struct ListCost {
    const char* name = "";
    std::size_t rows = 0;
    double ms = 0, peakMb = 0, beforeMb = 0, afterMb = 0, heapBeforeMb = 0, heapPeakMb = 0;
};

}  // namespace

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
    // Resident memory (issue 23: the app under 400 MB) on the first pass: generating the store
    // used memory the app never holds, so each peak is measured from just before its step.
    struct Memory {
        bool measured = false;
        double unlockPeak = 0, afterUnlock = 0, queuePeak = 0, afterQueue = 0;
    } memory;
    std::vector<double> cold, warm, review;
    std::size_t rows = 0;
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < (smoke() ? 1 : 5); ++i) {
        const bool measure = i == 0 && resetPeakResident();
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        if (measure) {
            memory.unlockPeak = statusMb("VmHWM");
            memory.afterUnlock = statusMb("VmRSS");
            memory.measured = resetPeakResident();
        }
        auto t0 = Steady::now();
        auto queue = must(readQaQueue(repo, models, rules, HistorySource{}, now));
        cold.push_back(ms(Steady::now() - t0));
        if (measure && memory.measured) {
            memory.queuePeak = statusMb("VmHWM");
            memory.afterQueue = statusMb("VmRSS");
        }
        t0 = Steady::now();
        queue = must(readQaQueue(repo, models, rules, HistorySource{}, now));
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
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    // The desk's other lists, as the app reads them all after an unlock (issue 23: the app under
    // 400 MB): each on a fresh connection, its time, the resident peak while it ran and after,
    // and what the heap held at its largest (the rows it returns and what it read on the way).
    std::vector<ListCost> lists;
    {
        const auto measureList = [&](const char* name, auto&& read) {
            auto db = must(store.unlock("480516"));
            auto records = must(RecordStore::open(*db, systemClock()));
            IncidentRepository repo(*records);
            malloc_trim(0);
            ListCost cost;
            cost.name = name;
            cost.beforeMb = statusMb("VmRSS");
            cost.heapBeforeMb = heapInUseMb();
            resetPeakResident();
            const auto t0 = Steady::now();
            cost.rows = read(repo, *records, cost);
            cost.ms = ms(Steady::now() - t0);
            cost.peakMb = statusMb("VmHWM");
            cost.afterMb = statusMb("VmRSS");
            lists.push_back(cost);
        };
        const auto heapPeak = [](ListCost& cost) { cost.heapPeakMb = std::max(cost.heapPeakMb, heapInUseMb()); };
        measureList("home list (newest 500, drafts and returns)", [&](IncidentRepository& repo, RecordStore&, ListCost& cost) {
            const auto counts = must(repo.countsByState());
            auto read = must(repo.listGroups({{LifecycleState::Draft}, {LifecycleState::Returned}}, counts, 500, &models));
            heapPeak(cost);
            return read.size();
        });
        measureList("reviews due", [&](IncidentRepository&, RecordStore& records, ListCost& cost) {
            auto read = must(readReviewsDue(records, rules, now));
            heapPeak(cost);
            return read.size();
        });
        measureList("risk meeting (24 h)", [&](IncidentRepository& repo, RecordStore& records, ListCost& cost) {
            RiskMeetingOptions options;
            options.now = now;
            auto meeting = must(readRiskMeeting(repo, records, models, rules, HistorySource{}, options));
            heapPeak(cost);
            return meeting.highRisk.size() + meeting.suspects.size();
        });
        measureList("QA returns (28 days)", [&](IncidentRepository&, RecordStore& records, ListCost& cost) {
            auto report = must(readQaReturns(records, now - std::chrono::days(28), now + std::chrono::hours(1)));
            heapPeak(cost);
            return report.returns.size();
        });
        measureList("conflicts", [&](IncidentRepository&, RecordStore& records, ListCost& cost) {
            auto read = must(records.conflicts());
            heapPeak(cost);
            return read.size();
        });
    }
    // Where a queue read goes: the same steps as readQaQueue, each timed (warm connection).
    double readMs = 0, historyMs = 0, rulesMs = 0;
    std::vector<std::string> toDecide;
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        for (int pass = 0; pass < 2; ++pass) {  // the first pass warms the page cache
            readMs = historyMs = rulesMs = 0;
            auto t0 = Steady::now();
            const auto submitted = must(repo.readAllIn(LifecycleState::Submitted));
            readMs = ms(Steady::now() - t0);
            for (const auto& read : submitted) {
                t0 = Steady::now();
                auto history = must(repo.historyForIncident(read.incident, HistorySource{}));
                historyMs += ms(Steady::now() - t0);
                t0 = Steady::now();
                const RuleContext context{models, rules, history, now};
                for (std::size_t v = 0; v < read.incident.victims.size(); ++v)
                    (void)evaluateVictim(read.incident, v, context);
                rulesMs += ms(Steady::now() - t0);
            }
            toDecide.clear();
            for (const auto& read : submitted)
                toDecide.push_back(read.incident.id);
        }
    }
    // A supervisor's decision saved: approve, as IncidentEditor::transitionTo does it on the
    // store worker (read the 124D, its history, check the move and the submission rules, write
    // the command), each timed whole; the command's write (op, audit, index) timed alone too.
    std::vector<double> decide, write;
    int approved = 0, refused = 0;
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        IncidentRepository repo(*records);
        const Actor supervisor{"ds.bench", "quality assurance of a 124D"};
        toDecide.resize(std::min<std::size_t>(toDecide.size(), smoke() ? 5 : 200));
        for (const std::string& id : toDecide) {
            auto t0 = Steady::now();
            const Incident stored = must(repo.read(id));
            const History history = must(repo.historyForIncident(stored, HistorySource{}));
            const RuleContext context{models, rules, history, now};
            Incident checked = stored;
            const auto problems =
                applyTransition(checked, TransitionRequest{LifecycleState::Approved, Role::Supervisor, ""}, context);
            if (!problems.empty()) {
                ++refused;
                continue;
            }
            const auto* rule = must(findTransition(stored.state, LifecycleState::Approved, Role::Supervisor));
            const auto w0 = Steady::now();
            must(repo.transition(supervisor, id, LifecycleState::Approved, std::string(rule->action), ""));
            write.push_back(ms(Steady::now() - w0));
            decide.push_back(ms(Steady::now() - t0));
            ++approved;
        }
    }
    // The one-off cost of an upgrade: person_index derived again from every person row (what
    // opening a store from before schema step 11 does once).
    double rebuildMs = 0;
    std::int64_t people = 0;
    {
        auto db = must(store.unlock("480516"));
        must(db->exec("DELETE FROM store_meta WHERE key = 'person_index';"));
        people = must(db->queryInt("SELECT count(*) FROM person WHERE deleted = 0;"));
        const auto t0 = Steady::now();
        auto records = must(RecordStore::open(*db, systemClock()));
        rebuildMs = ms(Steady::now() - t0);
    }
    std::printf("QA queue, where the time goes (warm): read the submitted 124Ds %.1f ms, their history %.1f ms, "
                "the rules %.1f ms\n",
                readMs, historyMs, rulesMs);
    const Stats c = stats(cold), w = stats(warm), r = stats(review);
    std::printf("QA queue: %zu rows; cold (after an unlock) median %.1f ms, max %.1f ms; warm median %.1f ms\n", rows,
                c.median, c.max, w.median);
    std::printf("open one for review (read, history, rules): median %.2f ms, p99 %.2f ms over %zu\n", r.median, r.p99,
                review.size());
    const Stats d = stats(decide), dw = stats(write);
    std::printf("approve one (read, history, rules, save): median %.2f ms, p99 %.2f ms, max %.2f ms over %d approved "
                "(%d refused by the rules); the save alone median %.2f ms, p99 %.2f ms\n",
                d.median, d.p99, d.max, approved, refused, dw.median, dw.p99);
    if (memory.measured) {
        std::printf("resident memory: unlock (Argon2id interactive) peak %.0f MB, then %.0f MB; reading the queue "
                    "cold peak %.0f MB, then %.0f MB (this process's peak, generating the store included: %.0f MB)\n",
                    memory.unlockPeak, memory.afterUnlock, memory.queuePeak, memory.afterQueue,
                    static_cast<double>(usage.ru_maxrss) / 1024.0);
    } else {
        std::printf("resident memory: peak %.0f MB (ru_maxrss: the whole run, generating included; the peak could "
                    "not be reset here)\n",
                    static_cast<double>(usage.ru_maxrss) / 1024.0);
    }
    for (const ListCost& l : lists) {
        std::printf("%s: %zu rows in %.0f ms; resident %.0f MB before, peak %.0f MB, %.0f MB after; heap %.1f MB "
                    "before, %.1f MB holding the result\n",
                    l.name, l.rows, l.ms, l.beforeMb, l.peakMb, l.afterMb, l.heapBeforeMb, l.heapPeakMb);
    }
    std::printf("upgrade: person_index derived again from %lld person rows in %.0f ms\n", static_cast<long long>(people),
                rebuildMs);
    return 0;
}
