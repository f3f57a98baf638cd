// vigil-server: the sync hub. Wiring only; the work is in vigil_sync.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "sync/server/HttpServer.h"
#include "sync/server/Log.h"
#include "sync/server/Metrics.h"
#include "sync/server/RequestHandler.h"
#include "sync/server/ServerConfig.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "sync/server/StoreOpen.h"
#include "sync/server/StoreLock.h"

namespace {

constexpr const char* kUsage = R"(Usage: vigil-server [--config FILE] [--port-file FILE]

Runs the Vigil sync server (HTTPS, TLS 1.3 preferred, 1.2 minimum).

Options:
  --config FILE     configuration file (JSON). Default: ./server.json
                    Create a server folder with its configuration, keys and store with
                    `vigil-admin init --data-dir DIR`, then run
                    `vigil-server --config DIR/server.json`.
  --port-file FILE  after binding, write the port number here (overrides port_file;
                    useful with "port": 0)
  --check           load the configuration, key, TLS identity and store, then exit
  --help            show this help

Logs: one JSON object per line on stderr (time, level, event, request id, device id,
status, latency). No personal data, codes or tokens are ever logged.
The server key is read from $CREDENTIALS_DIRECTORY/vigil-server.key (systemd
LoadCredential=) when present, else from key_file, which must be mode 0600.
See docs/operations.md.
)";

int usageError(const std::string& message)
{
    std::fprintf(stderr, "vigil-server: %s\nRun `vigil-server --help` for usage.\n", message.c_str());
    return 2;
}

int startupError(const vigil::Error& error)
{
    vigil::sync::Log::write(vigil::sync::LogLevel::Error, "startup_failed", {{"message", error.message}});
    std::fprintf(stderr, "vigil-server: %s\n", error.message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace vigil::sync;
    std::filesystem::path configFile = "server.json";
    std::filesystem::path portFile;
    bool checkOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--check") {
            checkOnly = true;
        } else if (arg == "--config" || arg == "--port-file") {
            if (i + 1 >= argc)
                return usageError(arg + " needs a file name");
            (arg == "--config" ? configFile : portFile) = argv[++i];
        } else {
            return usageError("unknown option \"" + arg + "\"");
        }
    }

    // No core dumps (they would hold the server key and personal data); files private.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    ::umask(077);

    auto config = loadServerConfig(configFile);
    if (!config)
        return startupError(config.error());
    if (!portFile.empty())
        config->portFile = std::filesystem::absolute(portFile);
    Log::setLevel(config->logLevel);

    auto key = loadServerKey(config->resolve(config->keyFile));
    if (!key)
        return startupError(key.error());
    // One server per store, and no repair under a running one (`--check` only reads: it may
    // run beside the server it checks).
    std::optional<StoreLock> lock;
    if (!checkOnly) {
        auto held = StoreLock::acquire(config->resolve(config->database));
        if (!held)
            return startupError(held.error());
        lock.emplace(std::move(held).value());
    }
    // The SQLCipher file, or PostgreSQL ("store" in the configuration); either way this server's
    // own records copy beside `database`, which the lock above also guards.
    auto store = openServerStore(*config, key->span(), /*create=*/false);
    if (!store)
        return startupError(store.error());
    if (vigil::Status ready = prepareServerStore(**store, *config, key->span()); !ready.ok())
        return startupError(ready.error());
    const SecretHasher hasher(key->span());
    key->wipe();  // SQLCipher and the hasher hold what they need

    Metrics metrics;
    // clock_offset_seconds moves the server's clock on (tests and drills only; 0 in service).
    const auto offset = std::chrono::seconds(config->clockOffsetSeconds);
    RequestHandler handler(**store, hasher, config->limits,
                           [offset] { return std::chrono::system_clock::now() + offset; });
    handler.setCredentialPolicy(config->tokenRotationDays, config->deviceExpiryDays);
    handler.setRateLimits(config->deviceRate, config->addressRate);
    handler.setAuthFailureLimit(config->authFailureRate());
    handler.setMetrics(&metrics);
    handler.setMaxAutoLockMinutes(static_cast<int>(config->maxAutoLockMinutes));
    HttpServer server(*config, handler);
    server.setMetrics(&metrics);
    auto port = server.start();
    if (!port)
        return startupError(port.error());
    if (checkOnly) {
        std::printf("Configuration, key, TLS identity and store are usable.\n");
        return 0;
    }
    nlohmann::json listening = {{"address", config->listenAddress}, {"port", *port}, {"protocol", protocolVersionText()}};
    if (server.metricsPort() != 0) {
        listening["metrics_address"] = config->metricsListenAddress;
        listening["metrics_port"] = server.metricsPort();
    }
    Log::write(LogLevel::Info, "listening", std::move(listening));
    server.run();
    Log::write(LogLevel::Info, "stopped");
    return 0;
}
