#pragma once

#include <memory>
#include <string>

#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"

namespace vigil::app {

/// The installed risk models and rules, read from VIGIL_RISK_MODEL_DIR when not yet held
/// (`held`): the desk's models read them once on the store worker, then keep them. nullptr
/// when they cannot be read (the caller says so in words: reinstall Vigil).
[[nodiscard]] inline std::shared_ptr<const RiskModelRegistry> shippedModels(std::shared_ptr<const RiskModelRegistry> held)
{
    if (held)
        return held;
    if (auto loaded = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR))
        return std::make_shared<const RiskModelRegistry>(std::move(*loaded));
    return nullptr;
}

[[nodiscard]] inline std::shared_ptr<const RulesConfig> shippedRules(std::shared_ptr<const RulesConfig> held)
{
    if (held)
        return held;
    if (auto loaded = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"))
        return std::make_shared<const RulesConfig>(std::move(*loaded));
    return nullptr;
}

}  // namespace vigil::app
