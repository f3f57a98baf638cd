// The 124D wizard's save path (issue 8). Prints figures; asserts nothing about time.
//   build/dev/tests/bench/vigil_bench_wizard                      5,000 synthetic incidents, 500 taps
//   VIGIL_BENCH_SMOKE=1 build/dev/tests/bench/vigil_bench_wizard  200 incidents, 20 taps, for CI
//   VIGIL_BENCH_TAPS=N changes the number of taps.
// Through the real IncidentEditor (the wizard's bridge) and its store worker thread, on a real
// SQLCipher store seeded with core/demo/DemoData as `vigil --seed-demo` does:
//   - tap to saved: a DASH answer tapped (IncidentEditor::setAnswer, as the Yes/No buttons do)
//     until the editor reports the save committed (its `saved` signal, back on the GUI thread);
//   - typed text: the last key press (IncidentEditor::setText, as a text field does on every
//     key) until saved, which includes the 700 ms debounce.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include "bridge/IncidentEditor.h"
#include "bridge/RecordsAccess.h"
#include "bridge/StoreWorker.h"
#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;
using vigil::app::IncidentEditor;

namespace {

/// The app's records access without a sync engine: the editor's work runs on its worker
/// directly against the store (as in the app while no sync holds the store).
class BenchAccess final : public app::RecordsAccess {
public:
    BenchAccess(RecordStore& records, Actor actor) : m_records(records), m_actor(std::move(actor)) {}
    Status withRecords(const std::function<Status(RecordStore&)>& work) override { return work(m_records); }
    [[nodiscard]] Actor actor() const override { return m_actor; }
    [[nodiscard]] Role role() const override { return Role::Officer; }
    [[nodiscard]] HistorySource historySource() const override { return {}; }
    void changed() override {}

private:
    RecordStore& m_records;
    Actor m_actor;
};

/// Run the event loop until `done`, sleeping between events (no busy wait: the machine's
/// other core belongs to the store worker).
bool spinUntil(const std::function<bool()>& done, int timeoutMs = 30000)
{
    QElapsedTimer clock;
    clock.start();
    QTimer wake;  // notices the timeout when nothing else happens
    wake.start(50);
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

/// Keep the event loop running for `msec` (between key presses).
void pause(int msec)
{
    QEventLoop loop;
    QTimer::singleShot(msec, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

void settleOrDie(IncidentEditor& editor, const char* what)
{
    if (!spinUntil([&] { return editor.saveState() == QLatin1String("saved"); })) {
        std::fprintf(stderr, "benchmark failed: %s was not saved (%s)\n", what, qPrintable(editor.saveMessage()));
        std::exit(1);
    }
}

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
    return v[i];
}

void print(const char* label, const std::vector<double>& v)
{
    std::printf("%-44s n=%zu  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms\n", label, v.size(),
                percentile(v, 0.5), percentile(v, 0.95), percentile(v, 0.99),
                v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

int envInt(const char* name, int fallback)
{
    const char* s = std::getenv(name);
    return s && *s ? std::max(1, std::atoi(s)) : fallback;
}

}  // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int incidents = envInt("VIGIL_BENCH_INCIDENTS", smoke() ? 200 : 5000);
    const int taps = envInt("VIGIL_BENCH_TAPS", smoke() ? 20 : 500);
    const int phrases = smoke() ? 2 : 30;
    std::printf("Vigil wizard benchmark: %d synthetic incidents, %d taps, %d typed phrases%s\n", incidents, taps,
                phrases, smoke() ? " (smoke run: figures not meaningful)" : "");

    test::TempDir dir("vigil-bench-wizard");
    test::InMemorySecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Interactive;  // the key derivation is not what is measured
    SecureStore secure(dir.path() / "store", secrets, config);
    must(secure.setUp("480516"));
    auto db = must(secure.unlock("480516"));
    auto records = must(RecordStore::open(*db, systemClock()));
    const Actor officer{"officer-demo", "recording the incident"};

    std::string id;
    {
        auto models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
        auto rules = must(loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"));
        IncidentRepository repo(*records);
        DemoOptions options;  // as `vigil --seed-demo`: the officer's own moves only
        options.incidents = incidents;
        const auto t0 = Steady::now();
        auto summary = must(generateDemoData(repo, *records, models, rules, options, Actor{options.owner, "synthetic demo data"}));
        std::printf("seeded %d incidents (%d victims) in %.1f s\n", summary.incidents, summary.victims,
                    ms(Steady::now() - t0) / 1000);
        must(db->checkpoint());
        // A new 124D, as DraftController::createNew makes it.
        Incident draft;
        draft.date = "2026-11-23T21:40";
        draft.owner = officer.userId;
        draft.team = options.team;
        draft.borough = options.borough;
        id = must(repo.createDraft(officer, std::move(draft))).id;
    }

    app::StoreWorker worker;
    BenchAccess access(*records, officer);
    IncidentEditor editor(worker, access);
    editor.open(QString::fromStdString(id));
    if (!spinUntil([&] { return editor.incidentId() == QString::fromStdString(id) && !editor.loading(); })) {
        std::fprintf(stderr, "benchmark failed: the 124D did not open (%s)\n", qPrintable(editor.message()));
        return 1;
    }
    editor.addVictim();
    settleOrDie(editor, "adding a victim");

    // Taps: one at a time, each waited for (an officer's taps are seconds apart).
    Steady::time_point tappedAt{};
    std::vector<double> tapToSaved;
    std::vector<double> editorReported;  // the editor's own lastSaveMs (whole ms), for comparison
    bool waiting = false;
    QObject::connect(&editor, &IncidentEditor::saved, &editor, [&](double reportedMs, bool tap) {
        if (!waiting || !tap)
            return;
        tapToSaved.push_back(ms(Steady::now() - tappedAt));
        editorReported.push_back(reportedMs);
        waiting = false;
    });
    static const char* const kValues[] = {"yes", "no", "dont_know"};
    for (int i = 0; i < taps; ++i) {
        const QString question = QStringLiteral("q%1").arg(i % 27 + 1);
        waiting = true;
        tappedAt = Steady::now();
        editor.setAnswer(0, question, QString::fromLatin1(kValues[(i / 27 + i) % 3]));
        if (!spinUntil([&] { return !waiting; })) {
            std::fprintf(stderr, "benchmark failed: tap %d was not saved (%s)\n", i, qPrintable(editor.saveMessage()));
            return 1;
        }
        settleOrDie(editor, "a tap");
    }
    print("tap on an answer to saved", tapToSaved);
    std::printf("  taps over 50 ms: %td of %zu\n",
                std::count_if(tapToSaved.begin(), tapToSaved.end(), [](double x) { return x > 50; }), tapToSaved.size());
    print("  (the editor's own lastSaveMs, whole ms)", editorReported);

    // Typed text, a key every 60 ms as IncidentEditor::setText gets it from a text field:
    //  - a short word (5 keys, 0.24 s) then a pause: last key to saved (the 700 ms debounce);
    //  - a long phrase (40 keys, 2.4 s) without a pause: each first key not yet saved to its
    //    save while the typing goes on (the 800 ms cap).
    std::vector<double> lastKeyToSaved;
    std::vector<double> firstKeyToSavedWhileTyping;
    Steady::time_point firstKey{};
    Steady::time_point lastKey{};
    bool typing = false;
    bool allTyped = false;
    QObject::connect(&editor, &IncidentEditor::saved, &editor, [&](double, bool tap) {
        if (!typing || tap)
            return;
        if (!allTyped || editor.saveState() != QLatin1String("saved")) {  // more text still waits
            if (firstKey != Steady::time_point{})
                firstKeyToSavedWhileTyping.push_back(ms(Steady::now() - firstKey));
            firstKey = Steady::time_point{};  // the next key starts the next wait
            return;
        }
        lastKeyToSaved.push_back(ms(Steady::now() - lastKey));
        typing = false;
    });
    const auto type = [&](const QString& field, const QString& text) {
        typing = true;
        allTyped = false;
        firstKey = Steady::time_point{};
        for (int i = 1; i <= text.size(); ++i) {
            lastKey = Steady::now();
            if (firstKey == Steady::time_point{})
                firstKey = lastKey;
            editor.setText(field, text.left(i));
            pause(60);
        }
        allTyped = true;
        if (!spinUntil([&] { return !typing; }, 5000)) {
            std::fprintf(stderr, "benchmark failed: typed text was not saved (%s)\n", qPrintable(editor.saveMessage()));
            std::exit(1);
        }
        settleOrDie(editor, "typed text");
    };
    std::vector<double> shortWords;
    for (int p = 0; p < phrases; ++p)
        type(p % 2 == 0 ? QStringLiteral("refs.cad") : QStringLiteral("refs.crimint"), QStringLiteral("C%1").arg(1000 + p));
    shortWords.swap(lastKeyToSaved);
    for (int p = 0; p < std::max(1, phrases / 3); ++p)
        type(QStringLiteral("incident.location"), QStringLiteral("Flat %1 Example Road by the corner shop north").arg(p));
    print("a word (5 keys): last key press to saved", shortWords);
    print("typing on (40 keys): first unsaved key to saved", firstKeyToSavedWhileTyping);

    editor.shutdown();
    worker.shutdown();
    return 0;
}
