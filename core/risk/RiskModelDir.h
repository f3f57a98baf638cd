#pragma once

#include <filesystem>
#include <vector>

#include "core/common/Result.h"

namespace vigil {

/// The folders a program looks in for the risk models and rules shipped with Vigil (the files of
/// core/risk-models), in order:
///  1. `<prefix>/share/vigil/risk-models` beside the program (`<prefix>/bin/..`), so a package or a
///     `cmake --install --prefix P` copy finds its own files wherever it was installed;
///  2. for a program inside the build tree it was built in, the source tree's core/risk-models, so
///     builds run from the build folder need no install step.
/// The source tree is never a candidate for an installed program: a copy installed without its
/// models fails, naming where it looked, instead of quietly reading a checkout that happens to be
/// on the machine.
[[nodiscard]] std::vector<std::filesystem::path> riskModelDirCandidates(const std::filesystem::path& executable);

/// riskModelDirCandidates for the running program (its path from /proc/self/exe).
[[nodiscard]] std::vector<std::filesystem::path> riskModelDirCandidates();

/// The first of `candidates` that holds the shipped rules (rules-default.json); else an error that
/// names every folder tried and says what to do.
[[nodiscard]] Result<std::filesystem::path> findRiskModelDir(const std::vector<std::filesystem::path>& candidates);

/// findRiskModelDir for the running program, looked up once per process.
[[nodiscard]] Result<std::filesystem::path> shippedRiskModelDir();

/// shippedRiskModelDir() when found; else the first folder tried, so that a loader's refusal names
/// where the files were expected. Programs check shippedRiskModelDir() as they start, which names
/// every folder tried, so this fallback is only met when the files vanish while a program runs.
[[nodiscard]] std::filesystem::path shippedRiskModelPath();

}  // namespace vigil
