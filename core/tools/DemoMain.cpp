// vigil-demo: fill a device store with synthetic 124Ds (never real data), for demos,
// screenshots and benchmarks. The store is protected like any other: PIN + OS key store.
//
//   vigil-demo --dir ~/.local/share/vigil --incidents 200 [--seed 7] [--profile default]
//   (the PIN is read from the environment variable VIGIL_DEMO_PIN, or from standard input)
#include <cstdlib>
#include <iostream>
#include <string>

#include <QCoreApplication>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RiskModelDir.h"
#include "core/store/SecureStore.h"
#include "platform/ProcessHardening.h"
#include "platform/QtKeychainSecretStore.h"

using namespace vigil;

namespace {

int usage(const char* problem = nullptr)
{
    if (problem)
        std::cerr << "vigil-demo: " << problem << "\n\n";
    std::cerr << "Usage: vigil-demo --dir DIR --incidents N [--seed S] [--profile NAME] [--owner USER] [--team TEAM]\n"
                 "Fill the Vigil device store in DIR with N synthetic incidents (invented people, never real data).\n"
                 "The store is created if DIR has none. The PIN comes from VIGIL_DEMO_PIN or standard input;\n"
                 "the device secret is kept in the OS key store (Secret Service).\n";
    return problem ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv)
{
    hardenProcess();
    QCoreApplication app(argc, argv);
    std::string dir, profile = "default", owner = "officer-demo", team = "HK-RESPONSE-1";
    DemoOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (arg == "--help" || arg == "-h")
            return usage();
        if (arg == "--dir")
            dir = next();
        else if (arg == "--incidents")
            options.incidents = std::atoi(next().c_str());
        else if (arg == "--seed")
            options.seed = std::strtoull(next().c_str(), nullptr, 10);
        else if (arg == "--profile")
            profile = next();
        else if (arg == "--owner")
            owner = next();
        else if (arg == "--team")
            team = next();
        else
            return usage(("unknown option " + arg).c_str());
    }
    if (dir.empty())
        return usage("--dir is required");
    if (options.incidents < 1 || options.incidents > 100000)
        return usage("--incidents must be between 1 and 100000");
    options.owner = owner;
    options.team = team;
    std::string pin;
    if (const char* env = std::getenv("VIGIL_DEMO_PIN"))
        pin = env;
    else
        std::getline(std::cin, pin);

    QtKeychainSecretStore secrets;
    StoreConfig config;
    config.profile = profile;
    SecureStore store(dir, secrets, config);
    if (!store.isSetUp()) {
        if (Status s = store.setUp(pin); !s.ok()) {
            std::cerr << "vigil-demo: " << s.error().message << "\n";
            return 1;
        }
        std::cout << "Created a new device store in " << dir << "\n";
    }
    auto db = store.unlock(pin);
    if (!db) {
        std::cerr << "vigil-demo: " << db.error().message << "\n";
        return 1;
    }
    auto modelDir = shippedRiskModelDir();
    if (!modelDir) {
        std::cerr << "vigil-demo: " << modelDir.error().message << "\n";
        return 1;
    }
    auto models = RiskModelRegistry::loadDirectory(*modelDir);
    if (!models) {
        std::cerr << "vigil-demo: " << models.error().message << "\n";
        return 1;
    }
    auto rules = loadRulesConfigFile(*modelDir / "rules-default.json");
    if (!rules) {
        std::cerr << "vigil-demo: " << rules.error().message << "\n";
        return 1;
    }
    auto records = RecordStore::open(**db, systemClock());
    if (!records) {
        std::cerr << "vigil-demo: " << records.error().message << "\n";
        return 1;
    }
    IncidentRepository repo(**records);
    auto summary = generateDemoData(repo, **records, *models, *rules, options, Actor{owner, "synthetic demo data"});
    if (!summary) {
        std::cerr << "vigil-demo: " << summary.error().message << "\n";
        return 1;
    }
    std::cout << "Made " << summary->incidents << " synthetic incidents (" << summary->victims << " victims, "
              << summary->repeatIncidents << " repeat incidents). Officer grades: standard "
              << summary->grades[RiskGrade::Standard] << ", medium " << summary->grades[RiskGrade::Medium] << ", high "
              << summary->grades[RiskGrade::High] << ".\n";
    return 0;
}
