#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vigil::test {

/// One place a needle was found.
struct ScanHit {
    std::filesystem::path file;
    std::string needle;
};

/// Search every regular file under `dir` (recursively) for each needle, byte for byte.
[[nodiscard]] std::vector<ScanHit> scanForPlaintext(const std::filesystem::path& dir,
                                                    const std::vector<std::string>& needles);

/// The whole content of a file.
[[nodiscard]] std::string readFile(const std::filesystem::path& file);

/// Unix permission bits of a file (e.g. 0600).
[[nodiscard]] unsigned permissions(const std::filesystem::path& file);

}  // namespace vigil::test
