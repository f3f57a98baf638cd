#pragma once

// The synthetic store the figures benchmarks count from (vigil_bench_figures and, cloned to a
// force, vigil_bench_force_figures): the demo's records, generated once and kept in a folder when
// asked (VIGIL_BENCH_KEEP), with the key store's part kept in a file beside it.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/figures/FigureIndex.h"
#include "core/figures/Figures.h"
#include "core/risk/DiversityCategories.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordStore.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"

namespace vigil::bench {

/// The OS key store's part, kept in a file beside a kept store so the store opens on the next
/// run. Benchmark only: the data are synthetic and the folder is the caller's.
class BenchSecretStore final : public SecretStore {
public:
    Result<std::optional<SecureBytes>> read(const std::string& name) override
    {
        const auto it = m_entries.find(name);
        if (it == m_entries.end())
            return std::optional<SecureBytes>{};
        SecureBytes out(it->second.size());
        std::copy(it->second.begin(), it->second.end(), out.data());
        return std::optional<SecureBytes>{std::move(out)};
    }
    Status write(const std::string& name, std::span<const unsigned char> secret) override
    {
        m_entries[name].assign(secret.begin(), secret.end());
        return {};
    }
    Status remove(const std::string& name) override
    {
        m_entries.erase(name);
        return {};
    }
    void save(const std::filesystem::path& file) const
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        for (const auto& [name, bytes] : m_entries) {
            out << name << '\n' << bytes.size() << '\n';
            out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        }
    }
    bool load(const std::filesystem::path& file)
    {
        std::ifstream in(file, std::ios::binary);
        std::string name, size;
        while (std::getline(in, name) && std::getline(in, size)) {
            std::vector<unsigned char> bytes(std::stoul(size));
            in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
            m_entries[name] = std::move(bytes);
        }
        return !m_entries.empty();
    }

private:
    std::map<std::string, std::vector<unsigned char>> m_entries;
};

/// The passcode of every benchmark store.
inline constexpr const char* kBenchPasscode = "480516";

/// Open the store in `dir` (kept: its key store's part in dir/"secrets"), or set one up there and
/// fill it with `incidents` of the demo's 124Ds in every state of the lifecycle. Returns whether
/// it was kept from an earlier run.
/// The demo's records are all started (and take their states) when they are generated, so every
/// 124D's review and Victims' Code clock would run from that day: a year's casework as if every
/// incident had been reported yesterday. In the figures' derived clocks (not the records), move
/// each clock to its incident's date, keeping its time of day, as a real year's would run; then
/// pack them again. Done once a kept store (a marker file names the derivation it was done on).
inline void dateClocks(Database& db, const std::filesystem::path& dir)
{
    const auto marker = dir / ("clocks-dated-" + std::string(figure_index::kVersion));
    if (std::filesystem::exists(marker))
        return;
    const auto t0 = Steady::now();
    must(db.exec("BEGIN IMMEDIATE;"
                 "UPDATE figure_clock SET at = (SELECT occurred FROM figure_incident i WHERE i.incident_id ="
                 " figure_clock.incident_id) || substr(at, 11) WHERE length(at) > 10 AND incident_id IN"
                 " (SELECT incident_id FROM figure_incident WHERE length(occurred) = 10);"));
    must(figure_index::repack(db));
    must(db.exec("COMMIT;"));
    must(db.checkpoint());
    std::fclose(std::fopen(marker.c_str(), "w"));
    std::printf("clocks moved to their incidents' dates: %.1f s\n", ms(Steady::now() - t0) / 1000);
}

inline bool openOrGenerateFigureStore(const std::filesystem::path& dir, SecureStore& store, BenchSecretStore& secrets,
                                      int incidents, bool keep)
{
    const bool kept = keep && secrets.load(dir / "secrets");
    if (kept) {
        std::printf("using the store kept in %s\n", dir.c_str());
        const auto t0 = Steady::now();
        auto db = must(store.unlock(kBenchPasscode));
        must(RecordStore::open(*db, systemClock()));  // upgraded and derived again here if older
        std::printf("open (and upgrade, if the kept store is older): %.1f s\n", ms(Steady::now() - t0) / 1000);
        dateClocks(*db, dir);
        return true;
    }
    auto models = must(RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR));
    auto rules = must(loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"));
    must(store.setUp(kBenchPasscode));
    auto db = must(store.unlock(kBenchPasscode));
    auto records = must(RecordStore::open(*db, systemClock()));
    IncidentRepository repo(*records);
    DemoOptions options;
    options.incidents = incidents;
    options.ownerTransitionsOnly = false;  // every state, as a supervisor's scope holds them
    const auto t0 = Steady::now();
    must(generateDemoData(repo, *records, models, rules, options, Actor{"officer-demo", "benchmark"}));
    std::printf("generate: %.1f s\n", ms(Steady::now() - t0) / 1000);
    must(db->checkpoint());
    dateClocks(*db, dir);
    if (keep)
        secrets.save(dir / "secrets");
    return false;
}

/// How long every figure of `request` takes with no month's or day's counts kept (as in a store
/// just derived again: all worked out, and kept), then with one month's and its days' dropped (as
/// changes to it drop them), on a fresh unlock. Appends the two times (ms).
inline void measureKeptCounts(SecureStore& store, const FigureRequest& request, const DiversityCategories& lists,
                              std::vector<double>& none, std::vector<double>& oneMonth)
{
    auto db = must(store.unlock(kBenchPasscode));
    auto records = must(RecordStore::open(*db, systemClock()));
    must(db->exec("DELETE FROM figure_month; DELETE FROM figure_code_day;"));
    auto t0 = Steady::now();
    must(computeFigures(*records, request, &lists));
    none.push_back(ms(Steady::now() - t0));
    must(db->exec("DELETE FROM figure_month WHERE month = '2026-06';"
                  "DELETE FROM figure_code_day WHERE day >= '2026-06-01' AND day < '2026-07-01';"));
    t0 = Steady::now();
    must(computeFigures(*records, request, &lists));
    oneMonth.push_back(ms(Steady::now() - t0));
}

}  // namespace vigil::bench
