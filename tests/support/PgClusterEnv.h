#pragma once

// The settings `scripts/pg-test-cluster.sh start DIR` writes to DIR/env (NAME=value lines, a value
// perhaps in single quotes), read by the store tests (tests/sync/StoreBackends.h) and the
// benchmarks' cluster (tests/bench/sync/PgBenchCluster.h).

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

namespace vigil::test {

/// DIR/env as NAME -> value; nullopt when there is no such file (the cluster was not started).
inline std::optional<std::map<std::string, std::string>> readClusterEnv(const std::filesystem::path& dir)
{
    std::ifstream in(dir / "env");
    if (!in)
        return std::nullopt;
    std::map<std::string, std::string> env;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        std::string value = line.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'')
            value = value.substr(1, value.size() - 2);
        env[line.substr(0, eq)] = value;
    }
    return env;
}

}  // namespace vigil::test
