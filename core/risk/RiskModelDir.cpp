#include "core/risk/RiskModelDir.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <system_error>

namespace vigil {

namespace {

/// Whether `path` lies inside `folder` (both made absolute and normalised first).
bool isInside(const std::filesystem::path& path, const std::filesystem::path& folder)
{
    std::error_code ec;
    const auto p = std::filesystem::weakly_canonical(path, ec);
    const auto f = std::filesystem::weakly_canonical(folder, ec);
    if (f.empty())
        return false;
    auto [fEnd, pEnd] = std::mismatch(f.begin(), f.end(), p.begin(), p.end());
    // A trailing separator of `f` shows up as one empty last element.
    return fEnd == f.end() || (std::next(fEnd) == f.end() && fEnd->empty());
}

}  // namespace

std::vector<std::filesystem::path> riskModelDirCandidates(const std::filesystem::path& executable)
{
    std::vector<std::filesystem::path> out;
    if (!executable.empty())
        out.push_back((executable.parent_path() / VIGIL_RISK_MODEL_DIR_FROM_BIN).lexically_normal());
    if (executable.empty() || isInside(executable, VIGIL_BUILD_DIR))
        out.emplace_back(VIGIL_RISK_MODEL_DIR);
    return out;
}

std::vector<std::filesystem::path> riskModelDirCandidates()
{
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return riskModelDirCandidates(ec ? std::filesystem::path{} : self);
}

Result<std::filesystem::path> findRiskModelDir(const std::vector<std::filesystem::path>& candidates)
{
    std::string tried;
    for (const auto& dir : candidates) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(dir / "rules-default.json", ec))
            return dir;
        tried += (tried.empty() ? "" : ", ") + dir.string();
    }
    return makeError(ErrorCode::NotFound,
                     "Vigil's risk models and rules (rules-default.json and the files beside it) were not found: "
                     "looked in "
                         + (tried.empty() ? std::string{"no folder"} : tried)
                         + ". Reinstall Vigil (the vigil-common package holds them in /usr/share/vigil/risk-models), "
                           "or run the program from the build folder it was built in.");
}

Result<std::filesystem::path> shippedRiskModelDir()
{
    static const Result<std::filesystem::path> found = findRiskModelDir(riskModelDirCandidates());
    return found;
}

std::filesystem::path shippedRiskModelPath()
{
    const auto& found = shippedRiskModelDir();
    return found ? *found : riskModelDirCandidates().front();
}

}  // namespace vigil
