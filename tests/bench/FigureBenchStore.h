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
    if (keep)
        secrets.save(dir / "secrets");
    return false;
}

}  // namespace vigil::bench
