// The real `vigil` process (offscreen, its own data folder, the OS key store of the test's
// keyring session) enrolled against a real vigil-server on 127.0.0.1, driven from outside
// with `vigil --script` (qml/bridge/ScriptDriver.h: the PIN on standard input, through the
// normal unlock; typed text as key presses into the wizard's own text fields):
//   - SIGKILLed mid-wizard at random moments, restarted and unlocked: every tapped DASH
//     answer is in the store, and typed text loses at most the last second of typing;
//   - a 124D completed and submitted with the server stopped reaches the server when it
//     returns (a supervisor's device receives it, submitted) and the home list shows it synced.
// The app's store is read back the way the app opens it: SecureStore with the key-store
// entries named from the data folder, and the PIN.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <QCoreApplication>
#include <QString>

#include "bridge/AppController.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordStore.h"
#include "core/store/SecureStore.h"
#include "platform/QtKeychainSecretStore.h"
#include "tests/support/KillableChild.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

using namespace std::chrono_literals;
using vigil::test::KillableChild;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPin = "582914";
using Clock = std::chrono::steady_clock;

void prepareEnvironment()
{
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    ::setenv("VIGIL_KDF", "interactive", 1);
    ::setenv("VIGIL_DEVICE_PIN", "480516", 1);
    ::setenv("VIGIL_DEVICE_KDF", "interactive", 1);
}

std::string appExe() { return KillableChild::resolve("VIGIL_APP_EXE", VIGIL_APP_EXE); }

/// A script for `vigil --script`, keeping count of the numbers the app prints (one per
/// counted action) so the test knows which action each number stands for.
struct Script {
    std::vector<std::string> lines;
    long long counted = 0;

    /// Add a step that prints `counts` numbers; returns the number printed by its last.
    long long add(const std::string& line, long long counts = 1)
    {
        lines.push_back(line);
        counted += counts;
        return counted;
    }
    [[nodiscard]] std::string write(const fs::path& file) const
    {
        std::ofstream out(file);
        for (const auto& l : lines)
            out << l << '\n';
        return file.string();
    }
};

/// The app's own store, opened as the app opens it (the OS key store, the PIN).
struct AppStore {
    vigil::QtKeychainSecretStore keys{"Vigil"};
    std::unique_ptr<vigil::SecureStore> secure;
    std::unique_ptr<vigil::Database> db;
    std::unique_ptr<vigil::RecordStore> records;

    explicit AppStore(const fs::path& dataDir)
    {
        const std::string profile = vigil::app::profileForDataDir(QString::fromStdString(dataDir.string()));
        secure = std::make_unique<vigil::SecureStore>(
            dataDir / "store", keys, vigil::StoreConfig{profile + "-records", vigil::KdfStrength::Interactive, {}});
        auto opened = secure->unlock(kPin);
        INFO((opened ? std::string() : opened.error().message));
        REQUIRE(opened.ok());
        db = std::move(opened).value();
        auto rs = vigil::RecordStore::open(*db, vigil::systemClock());
        INFO((rs ? std::string() : rs.error().message));
        REQUIRE(rs.ok());
        records = std::move(rs).value();
    }

    std::vector<vigil::IncidentSummary> list()
    {
        auto listed = vigil::IncidentRepository(*records).list();
        INFO((listed ? std::string() : listed.error().message));
        REQUIRE(listed.ok());
        return *listed;
    }

    vigil::Incident read(const std::string& id)
    {
        auto incident = vigil::IncidentRepository(*records).read(id);
        INFO((incident ? std::string() : incident.error().message));
        REQUIRE(incident.ok());
        return *incident;
    }
};

/// The app's progress with the time each number was first seen.
struct Progress {
    std::vector<Clock::time_point> seen{Clock::time_point{}};  ///< [n]: when n was first seen

    long long pump(KillableChild& child, std::chrono::milliseconds wait)
    {
        const long long n = child.pump(wait);
        const auto now = Clock::now();
        while (static_cast<long long>(seen.size()) <= n)
            seen.push_back(now);
        return n;
    }
    [[nodiscard]] long long last() const { return static_cast<long long>(seen.size()) - 1; }

    /// Pump until the app reported `n` (false on timeout or if it stopped).
    bool waitFor(KillableChild& child, long long n, std::chrono::seconds timeout)
    {
        const auto deadline = Clock::now() + timeout;
        while (pump(child, 20ms) < n) {
            if (Clock::now() > deadline || !child.running())
                return false;
        }
        return true;
    }
};

const char* answerName(vigil::AnswerValue v)
{
    switch (v) {
    case vigil::AnswerValue::Yes: return "yes";
    case vigil::AnswerValue::No: return "no";
    case vigil::AnswerValue::DontKnow: return "dont_know";
    case vigil::AnswerValue::NotAsked: return "not_asked";
    }
    return "?";
}

std::map<std::string, vigil::AnswerValue> answersOf(const vigil::Incident& incident)
{
    std::map<std::string, vigil::AnswerValue> out;
    for (const auto& [q, a] : incident.victims.at(0).dash.answers)
        out[q] = a.value;
    return out;
}

std::string answersText(const std::map<std::string, vigil::AnswerValue>& answers)
{
    std::string s;
    for (const auto& [q, v] : answers)
        s += q + "=" + answerName(v) + " ";
    return s;
}

std::uint32_t seedFromEnvironment()
{
    if (const char* s = std::getenv("VIGIL_KILL_SEED"); s && *s)
        return static_cast<std::uint32_t>(std::stoul(s));
    return std::random_device{}();
}

int runsFromEnvironment(const char* name, int fallback)
{
    const char* s = std::getenv(name);
    return s && *s ? std::max(1, std::atoi(s)) : fallback;
}

}  // namespace

TEST_CASE("The real vigil process killed mid-wizard keeps every tap and all but the last second of typing",
          "[app][process][keystore][kill]")
{
    prepareEnvironment();
    vigil::test::ServerProcess server;
    server.addUser("pc.7001");
    vigil::test::TempDir dir("vigil-app-kill");
    const fs::path data = dir.path() / "app";

    // First run: enrol, choose the PIN, open a new 124D with one victim, quit normally.
    {
        Script setup;
        for (const char* step : {"enrol", "set-pin", "new-draft", "add-victim", "wait-saved", "quit"})
            setup.add(step);
        KillableChild app(appExe(),
                          {"--data-dir", data.string(), "--enrol-code", server.enrolCode("pc.7001"), "--script",
                           setup.write(dir.path() / "setup.script")},
                          kPin);
        REQUIRE(app.waitForExit(180s) == 0);
    }
    std::string id;
    std::string text;  // incident.location as stored
    std::map<std::string, vigil::AnswerValue> answers;
    {
        AppStore store(data);
        const auto listed = store.list();
        REQUIRE(listed.size() == 1);
        id = listed[0].id;
        const auto incident = store.read(id);
        REQUIRE(incident.victims.size() == 1);
        CHECK(incident.victims[0].dash.answers.empty());
    }

    const std::uint32_t seed = seedFromEnvironment();
    const int kills = runsFromEnvironment("VIGIL_KILL_RUNS", 5);
    std::mt19937 rng(seed);
    INFO("seed " << seed << " (VIGIL_KILL_SEED repeats a run)");
    const std::vector<vigil::AnswerValue> values{vigil::AnswerValue::Yes, vigil::AnswerValue::No,
                                                 vigil::AnswerValue::DontKnow};
    const std::vector<std::string> words{"Flat", "House", "Road", "Street", "Close", "Court", "North", "East",
                                         "Garden", "Lane", "Park", "Square", "Green", "View", "Hill"};
    int nextQuestion = 1;
    int tapsWellBefore = 0;
    int charsWellBefore = 0;
    int killsWithinASecondOfTyping = 0;

    for (int run = 1; run <= kills + 1; ++run) {
        const bool last = run == kills + 1;
        INFO("run " << run << " of " << kills + 1);
        Script script;
        script.add("unlock");
        script.add("open " + id);
        script.add("section 0");
        // Taps: five DASH answers (questions cycle once all 27 have one).
        struct Tap {
            long long number;
            std::string question;
            vigil::AnswerValue value;
        };
        std::vector<Tap> taps;
        for (int i = 0; i < 5; ++i) {
            const std::string q = "q" + std::to_string(nextQuestion);
            nextQuestion = nextQuestion % 27 + 1;
            const auto v = values[rng() % values.size()];
            taps.push_back({script.add("answer 0 " + q + " " + answerName(v)), q, v});
        }
        // Typing: a few words into the location field, a key press every 40-80 ms.
        std::string chunk = " " + words[rng() % words.size()] + " " + std::to_string(rng() % 90 + 10) + " "
                            + words[rng() % words.size()] + " " + words[rng() % words.size()];
        const int interval = 40 + static_cast<int>(rng() % 41);
        // One space after the interval, then the text as typed (its own leading space too).
        const long long firstCharNumber = script.counted + 1;
        const long long lastChar = script.add("type locationField " + std::to_string(interval) + " " + chunk,
                                              static_cast<long long>(chunk.size()));
        if (last) {
            script.add("wait-saved");
            script.add("quit", 0);
        } else {
            script.add("sleep 3000", 0);
        }

        KillableChild app(appExe(), {"--data-dir", data.string(), "--script",
                                     script.write(dir.path() / ("run" + std::to_string(run) + ".script"))},
                          kPin);
        Progress progress;
        const std::string base = text;
        const std::string typed = base + chunk;  // the field once every key press has landed

        Clock::time_point killedAt{};
        long long reported = 0;
        if (last) {
            REQUIRE(app.waitForExit(120s) == 0);
            reported = progress.pump(app, 0ms);
        } else {
            // Kill somewhere between the last taps and a moment after the last key press.
            const long long from = taps.back().number - 1;
            const long long target = from + static_cast<long long>(rng() % static_cast<unsigned>(lastChar - from + 1));
            REQUIRE(progress.waitFor(app, target, 120s));
            const auto extra = std::chrono::milliseconds(rng() % 900);
            const auto until = Clock::now() + extra;
            while (Clock::now() < until)
                progress.pump(app, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
            killedAt = Clock::now();
            reported = std::max<long long>(progress.last(), app.killNow());
            CHECK(app.killedBySignal());
            if (reported >= lastChar && killedAt - progress.seen[static_cast<std::size_t>(lastChar)] < 1s)
                ++killsWithinASecondOfTyping;
        }
        // The numbers read at the kill itself count as seen then.
        while (progress.last() < reported)
            progress.seen.push_back(killedAt);

        // Read back what the app stored, with the app's own key-store entries and PIN.
        AppStore store(data);
        const auto incident = store.read(id);
        REQUIRE(incident.victims.size() == 1);
        const auto stored = answersOf(incident);
        const std::string storedText = incident.location;
        INFO("reported " << reported << " actions; taps end at " << taps.back().number << ", typing "
                         << firstCharNumber << ".." << lastChar << "; stored answers: " << answersText(stored));

        // Taps: each one reported at least 200 ms before the kill is stored with its value; a
        // tap in the last 200 ms (or done but not yet reported) may be either old or new.
        for (const auto& tap : taps) {
            const auto was = answers.find(tap.question);
            const auto now = stored.find(tap.question);
            const bool reportedTap = tap.number <= reported;
            const bool wellBefore = last || (reportedTap && killedAt - progress.seen[static_cast<std::size_t>(tap.number)] >= 200ms);
            INFO(tap.question << " tapped " << answerName(tap.value) << (reportedTap ? " (reported)" : " (not reported)"));
            if (wellBefore) {
                ++tapsWellBefore;
                REQUIRE(now != stored.end());
                CHECK(now->second == tap.value);
            } else if (now != stored.end()) {
                const bool old = was != answers.end() && was->second == now->second;
                CHECK((old || now->second == tap.value));
            } else {
                CHECK(was == answers.end());
            }
        }
        // Answers from earlier runs are never lost.
        for (const auto& [q, v] : answers)
            CHECK(stored.count(q) == 1);

        // Typed text: a prefix of what was typed, never shorter than before this run, and
        // holding every key press made more than a second before the kill.
        INFO("typed '" << typed << "', stored '" << storedText << "'");
        REQUIRE(typed.compare(0, storedText.size(), storedText) == 0);
        REQUIRE(storedText.size() >= base.size());
        long long mustHave = 0;
        for (long long n = firstCharNumber; n <= std::min(reported, lastChar); ++n) {
            if (last || killedAt - progress.seen[static_cast<std::size_t>(n)] > 1s)
                mustHave = n - firstCharNumber + 1;
        }
        charsWellBefore += static_cast<int>(mustHave);
        CHECK(static_cast<long long>(storedText.size()) >= static_cast<long long>(base.size()) + mustHave);
        if (last) {
            CHECK(storedText == typed);
        }

        text = storedText;
        answers = stored;
    }
    // The runs were real: answers and text had time to be saved before some kills.
    CHECK(tapsWellBefore >= 5);
    CHECK(charsWellBefore > 0);
    WARN(kills << " kills (seed " << seed << "), " << killsWithinASecondOfTyping
                << " within a second of the last key press; " << answers.size() << " answers and "
                << text.size() << " characters kept");
}

TEST_CASE("A 124D submitted with the server stopped reaches it when it returns, and home shows it synced",
          "[app][process][keystore][offline]")
{
    prepareEnvironment();
    vigil::test::ServerProcess server;
    server.addUser("pc.7002");
    server.addUser("sgt.7002", "supervisor");
    vigil::test::TempDir dir("vigil-app-offline");
    const fs::path data = dir.path() / "app";
    const fs::path stopped = dir.path() / "server-stopped";
    const fs::path started = dir.path() / "server-started";

    // A supervisor's device in the same team, enrolled while the server is up.
    const std::string sergeant = (dir.path() / "sergeant").string();
    {
        auto enrol = vigil::test::runProcess(VIGIL_DEVICE_EXE,
                                             {"enrol", "--dir", sergeant, "--code", server.enrolCode("sgt.7002")});
        INFO(enrol.out << enrol.err);
        REQUIRE(enrol.exitCode == 0);
    }

    Script script;
    script.add("enrol");
    const long long pinSet = script.add("set-pin");
    script.add("wait-file " + stopped.string());
    script.add("new-draft");
    script.add("choice incident.crime false");
    script.add("choice positive_action.power_of_arrest true");
    script.add("choice positive_action.arrest_made true");
    script.add("add-victim");
    script.add("section 1");
    const std::string name = "Invented Person";
    script.add("type victimNameField 30 " + name, static_cast<long long>(name.size()));
    for (const char* way : {"phone", "text", "voicemail", "email", "visit"})
        script.add(std::string("choice victims[0].safe_contact.") + way + " true");
    for (int q = 1; q <= 27; ++q)
        script.add("answer 0 q" + std::to_string(q) + (q <= 14 ? " yes" : " no"));
    script.add("choice victims[0].grade.officer high");
    script.add("choice victims[0].marac.decision refer");
    script.add("wait-saved");
    script.add("submit");
    const long long closed = script.add("close-draft");
    script.add("wait-file " + started.string());
    script.add("sync-now");
    script.add("wait-synced");
    script.add("quit", 0);

    KillableChild app(appExe(),
                      {"--data-dir", data.string(), "--enrol-code", server.enrolCode("pc.7002"), "--script",
                       script.write(dir.path() / "offline.script")},
                      kPin);
    Progress progress;
    REQUIRE(progress.waitFor(app, pinSet, 180s));
    // The station goes away before the officer starts.
    REQUIRE(server.stop() >= 0);
    std::ofstream(stopped) << "stopped\n";
    // Completed and submitted offline, back on the home list.
    REQUIRE(progress.waitFor(app, closed, 180s));
    std::this_thread::sleep_for(1s);  // the app tries the server meanwhile and fails
    server.restart();
    std::ofstream(started) << "started\n";
    // The app exits 0 only once its home list shows the 124D submitted, with nothing unsent,
    // and the sync line reads "Synced at …" (the script's wait-synced).
    REQUIRE(app.waitForExit(180s) == 0);

    std::string id;
    {
        AppStore store(data);
        const auto listed = store.list();
        REQUIRE(listed.size() == 1);
        id = listed[0].id;
        CHECK(listed[0].state == vigil::LifecycleState::Submitted);
        CHECK(listed[0].unsentChanges == 0);
        const auto incident = store.read(id);
        REQUIRE(incident.victims.size() == 1);
        CHECK(incident.victims[0].person.name == name);
        CHECK(incident.victims[0].dash.answers.size() >= 27);
    }

    // The server has it: the supervisor's device receives the 124D, submitted (only a
    // submitted 124D can be returned).
    auto synced = vigil::test::runProcess(VIGIL_DEVICE_EXE, {"sync", "--dir", sergeant});
    INFO(synced.out << synced.err);
    REQUIRE(synced.exitCode == 0);
    auto status = vigil::test::runProcess(VIGIL_DEVICE_EXE, {"status", "--dir", sergeant});
    INFO(status.out);
    CHECK_THAT(status.out, Catch::Contains("1 incident(s)"));
    auto returned = vigil::test::runProcess(
        VIGIL_DEVICE_EXE, {"return", "--dir", sergeant, "--incident", id, "--note", "victims[0].person.phone: add a number"});
    INFO(returned.out << returned.err);
    CHECK(returned.exitCode == 0);
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);  // QtKeychain talks D-Bus through Qt
    return Catch::Session().run(argc, argv);
}
