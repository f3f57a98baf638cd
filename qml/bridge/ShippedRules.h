#pragma once

#include <memory>
#include <string>

#include <filesystem>
#include <optional>

#include "core/casework/OrdersRules.h"
#include "core/casework/VictimsCodeRules.h"
#include "core/casework/WorkingDays.h"
#include "core/records/RecordStore.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/OutcomeList.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RiskModelDir.h"
#include "core/risk/RulesConfig.h"

namespace vigil::app {

/// The installed risk models and rules, read from shippedRiskModelPath() (core/risk/RiskModelDir.h)
/// when not yet held (`held`): the desk's models read them once on the store worker, then keep them. nullptr
/// when they cannot be read (the caller says so in words: reinstall Vigil).
[[nodiscard]] inline std::shared_ptr<const RiskModelRegistry> shippedModels(std::shared_ptr<const RiskModelRegistry> held)
{
    if (held)
        return held;
    if (auto loaded = RiskModelRegistry::loadDirectory(shippedRiskModelPath()))
        return std::make_shared<const RiskModelRegistry>(std::move(*loaded));
    return nullptr;
}

[[nodiscard]] inline std::shared_ptr<const RulesConfig> shippedRules(std::shared_ptr<const RulesConfig> held)
{
    if (held)
        return held;
    if (auto loaded = loadRulesConfigFile(shippedRiskModelPath() / "rules-default.json"))
        return std::make_shared<const RulesConfig>(std::move(*loaded));
    return nullptr;
}

/// The diversity monitoring lists (rules-diversity.json), read once.
[[nodiscard]] inline std::shared_ptr<const DiversityCategories> shippedDiversity(std::shared_ptr<const DiversityCategories> held)
{
    if (held)
        return held;
    if (auto loaded = DiversityCategories::loadFile(shippedRiskModelPath() / "rules-diversity.json"))
        return std::make_shared<const DiversityCategories>(std::move(*loaded));
    return nullptr;
}

/// The crime outcome list (rules-outcomes.json), read once.
[[nodiscard]] inline std::shared_ptr<const OutcomeList> shippedOutcomes(std::shared_ptr<const OutcomeList> held)
{
    if (held)
        return held;
    if (auto loaded = OutcomeList::loadFile(shippedRiskModelPath() / "rules-outcomes.json"))
        return std::make_shared<const OutcomeList>(std::move(*loaded));
    return nullptr;
}

/// The Victims' Code deadlines (rules-default.json, "victims_code"), read once.
[[nodiscard]] inline std::shared_ptr<const VictimsCodeRules> shippedVictimsCode(std::shared_ptr<const VictimsCodeRules> held)
{
    if (held)
        return held;
    if (auto loaded = loadVictimsCodeRulesFile(shippedRiskModelPath() / "rules-default.json"))
        return std::make_shared<const VictimsCodeRules>(std::move(*loaded));
    return nullptr;
}

/// The protective orders' rules (rules-default.json, "orders"), read once.
[[nodiscard]] inline std::shared_ptr<const OrdersRules> shippedOrdersRules(std::shared_ptr<const OrdersRules> held)
{
    if (held)
        return held;
    if (auto loaded = loadOrdersRulesFile(shippedRiskModelPath() / "rules-default.json"))
        return std::make_shared<const OrdersRules>(std::move(*loaded));
    return nullptr;
}

/// The England and Wales bank holidays the Victims' Code clock uses: the newest of the shipped
/// list, the list received from the server (the sync engine keeps it in the encrypted store) and an
/// administrator's copy placed beside the app's data (`adminCopy`), each other than the shipped list
/// used only when it checks out (docs/victims-code.md). Made again only when the store holds another
/// version from the server than `held` was made with, so a list a sync brought is used from the
/// next refresh after it, without a restart. On the store worker, with the records open. nullptr
/// when no list can be read (the caller says so in words).
[[nodiscard]] inline std::shared_ptr<const BankHolidayChoice> currentCalendar(std::shared_ptr<const BankHolidayChoice> held,
                                                                           const std::optional<std::filesystem::path>& adminCopy,
                                                                           RecordStore& store)
{
    auto version = store.serverBankHolidaysVersion();
    const int received = version ? *version : 0;
    if (held && held->serverVersion == received)
        return held;
    std::optional<std::string> fromServer;
    if (received > 0) {
        if (auto text = store.serverBankHolidays())
            fromServer = std::move(text).value();
    }
    if (auto loaded = chooseBankHolidays(shippedBankHolidayFile(), fromServer, adminCopy))
        return std::make_shared<const BankHolidayChoice>(std::move(*loaded));
    return held;
}

}  // namespace vigil::app
