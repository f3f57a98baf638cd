#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"

namespace vigil {

/// A format check for a reference number (CAD, CRIS, CRIMINT, MERLIN PAC).
struct ReferenceFormat {
    std::string pattern;  ///< ECMAScript regex, matched case-insensitively against the whole text
    std::string example;  ///< shown in the error message so the officer sees the expected shape
    std::shared_ptr<const std::regex> regex;  ///< compiled once at load
};

/// The numbers DOMAIN.md calls configurable, per force or borough. The shipped
/// core/risk-models/rules-default.json is authoritative; the initialisers below mirror it so
/// a hand-built configuration in a test starts from the same defaults (a test checks they agree).
/// Bands live in the risk model instead, so a grade never changes when this file does.
struct RulesConfig {
    std::string id = "rules-default";
    std::string version = "1.0";
    int escalationCallOuts = 3;       ///< call-outs in the window, counting the current incident
    int escalationWindowDays = 365;
    int repeatVictimWindowDays = 365;
    int repeatMaracWindowDays = 365;
    std::vector<std::string> automaticMaracFlags{"hbv", "forced_marriage"};
    bool crimesRuleEnabled = false;
    int crimesRuleCount = 5;
    int crimesRuleWindowDays = 365;
    /// The supervisor's review of an open investigation (DOMAIN.md §6): every this many days.
    int reviewEveryDays = 7;
    /// Serious sexual offences: reviews due this long after the 124D was started, by a
    /// supervisor (hours), an inspector and a chief inspector (days), then every so many days.
    int ssoSupervisorHours = 10;
    int ssoInspectorDays = 7;
    int ssoChiefInspectorDays = 28;
    int ssoThenEveryDays = 28;
    /// Keyed by reference name as in field paths: cad, cris, crimint, merlin_pac.
    std::map<std::string, ReferenceFormat, std::less<>> referenceFormats;
};

/// The flag names an automatic MARAC rule may use (as in the incident JSON "flags").
[[nodiscard]] const std::vector<std::string_view>& knownIncidentFlagNames();

/// Parses and validates a rules configuration; errors name the file and JSON path.
[[nodiscard]] Result<RulesConfig> parseRulesConfig(std::string_view jsonText, std::string_view fileName);
[[nodiscard]] Result<RulesConfig> loadRulesConfigFile(const std::filesystem::path& path);

/// Builds a ReferenceFormat; InvalidArgument if the pattern is not a valid regex.
[[nodiscard]] Result<ReferenceFormat> makeReferenceFormat(std::string pattern, std::string example);

}  // namespace vigil
