// The server's audit chain (issue 22): how long `vigil-admin audit verify` takes over a long
// log. Seeds a real server folder's store with N chained entries shaped like the ones the
// server writes most (disclosures of pull pages, refused changes, administrators' changes),
// closes it, then runs the real `vigil-admin audit verify` as a child process and times it
// (process start, opening the store with its key, reading and checking every entry).
//   build/ci/tests/bench/sync/vigil_bench_audit                1,000,000 entries (~2 minutes to seed)
//   VIGIL_BENCH_AUDIT_ENTRIES=N build/ci/tests/bench/sync/vigil_bench_audit
//   VIGIL_BENCH_SMOKE=1 ...                                    2,000 entries (ctest)
// Prints figures; asserts only that verify found the chain intact with every entry.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "core/common/Uuid.h"
#include "sync/server/Admin.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::bench;

namespace {

/// One entry as the server writes it, cycling through its common kinds.
ServerAuditEntry entryFor(std::int64_t i, const std::array<std::string, 50>& users,
                          const std::array<std::string, 200>& incidents)
{
    ServerAuditEntry e;
    e.at = 1'780'000'000 + i;
    const std::string& user = users[static_cast<std::size_t>(i) % users.size()];
    e.userId = user;
    e.deviceId = "device-" + user;
    switch (i % 10) {
    case 9:  // a refused change
        e.actor = user;
        e.action = "access_denied";
        e.incidents = {incidents[static_cast<std::size_t>(i * 7) % incidents.size()]};
        e.detail = {{"error", "outside_scope"}, {"entity", "answer"}, {"field", "value"}};
        break;
    case 8:  // an administrator's change
        e.actor = "root (sudo by admin)";
        e.action = "user_changed";
        e.deviceId.clear();
        e.detail = {{"role", {{"from", "officer"}, {"to", "supervisor"}}}, {"team", {{"from", "H1"}, {"to", "H2"}}}};
        break;
    default:  // a pull page that disclosed records
        e.actor = user;
        e.action = "disclosure";
        for (std::int64_t k = 0; k < 3; ++k)
            e.incidents.push_back(incidents[static_cast<std::size_t>(i * 3 + k) % incidents.size()]);
        e.detail = {{"endpoint", "pull"}, {"ops", 40 + i % 300}, {"history", 0}, {"sharing", ""}};
        break;
    }
    return e;
}

std::int64_t auditEntries()
{
    if (const char* n = std::getenv("VIGIL_BENCH_AUDIT_ENTRIES"); n && *n)
        return std::atoll(n);
    return smoke() ? 2'000 : 1'000'000;
}

}  // namespace

int main()
{
    const std::int64_t entries = auditEntries();
    test::TempDir dir("vigil-bench-audit");
    InitOptions init;
    init.dataDir = dir.path() / "server";
    const auto configFile = must(initServer(init)).configFile;
    const auto config = must(loadServerConfig(configFile));

    std::array<std::string, 50> users;
    for (auto& u : users)
        u = newUuid();
    std::array<std::string, 200> incidents;
    for (auto& id : incidents)
        id = newUuid();

    {
        auto key = must(loadServerKey(config.resolve(config.keyFile)));
        auto store = must(SqlCipherServerStore::open(config.resolve(config.database), key.span(), false));
        const auto t0 = Steady::now();
        constexpr std::int64_t kBatch = 10'000;
        for (std::int64_t done = 0; done < entries;) {
            const std::int64_t end = std::min(entries, done + kBatch);
            must(store->database().transaction([&]() -> Status {
                for (std::int64_t i = done; i < end; ++i)
                    VIGIL_TRY(store->appendServerAudit(entryFor(i, users, incidents)));
                return {};
            }));
            done = end;
        }
        std::printf("seeded %lld entries in %.1f s (plus any the folder's set-up wrote)\n",
                    static_cast<long long>(entries), ms(Steady::now() - t0) / 1000.0);
    }
    std::printf("store file: %.1f MB\n",
                static_cast<double>(std::filesystem::file_size(config.resolve(config.database))) / 1e6);

    const std::string command = std::string(VIGIL_ADMIN_EXE) + " --config '" + configFile.string() + "' audit verify 2>&1";
    for (int run = 1; run <= (smoke() ? 1 : 3); ++run) {
        const auto t0 = Steady::now();
        std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
        if (!pipe) {
            std::fprintf(stderr, "benchmark failed: could not run %s\n", command.c_str());
            return 1;
        }
        std::string out;
        std::array<char, 512> buf{};
        while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe.get()))
            out += buf.data();
        const int status = pclose(pipe.release());
        const double took = ms(Steady::now() - t0);
        std::printf("run %d: vigil-admin audit verify took %.2f s: %s", run, took / 1000.0, out.c_str());
        if (status != 0 || out.find("intact") == std::string::npos || out.find("BROKEN") != std::string::npos) {
            std::fprintf(stderr, "benchmark failed: verify did not find the chain intact (exit %d)\n", status);
            return 1;
        }
    }
    return 0;
}
