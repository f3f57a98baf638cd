#pragma once

#include <memory>
#include <string>

#include <filesystem>
#include <optional>

#include "core/casework/OrdersRules.h"
#include "core/casework/VictimsCodeRules.h"
#include "core/casework/WorkingDays.h"
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

/// The Victims' Code deadlines (rules-default.json, "victims_code"), read once.
[[nodiscard]] inline std::shared_ptr<const VictimsCodeRules> shippedVictimsCode(std::shared_ptr<const VictimsCodeRules> held)
{
    if (held)
        return held;
    if (auto loaded = loadVictimsCodeRulesFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"))
        return std::make_shared<const VictimsCodeRules>(std::move(*loaded));
    return nullptr;
}

/// The protective orders' rules (rules-default.json, "orders"), read once.
[[nodiscard]] inline std::shared_ptr<const OrdersRules> shippedOrdersRules(std::shared_ptr<const OrdersRules> held)
{
    if (held)
        return held;
    if (auto loaded = loadOrdersRulesFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json"))
        return std::make_shared<const OrdersRules>(std::move(*loaded));
    return nullptr;
}

/// The England and Wales bank holidays: the shipped list, or an administrator's newer copy
/// placed beside the app's data (`adminCopy`, used only when it checks out: docs/victims-code.md).
[[nodiscard]] inline std::shared_ptr<const BankHolidayChoice> shippedCalendar(std::shared_ptr<const BankHolidayChoice> held,
                                                                           const std::optional<std::filesystem::path>& adminCopy)
{
    if (held)
        return held;
    if (auto loaded = loadBankHolidays(shippedBankHolidayFile(), adminCopy))
        return std::make_shared<const BankHolidayChoice>(std::move(*loaded));
    return nullptr;
}

}  // namespace vigil::app
