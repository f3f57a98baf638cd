#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/casework/CaseEvent.h"
#include "core/common/Result.h"

namespace vigil {

/// How soon the victim is told of one kind of event, in working days.
struct UpdateDeadline {
    int enhancedWorkingDays = 1;  ///< enhanced rights: every victim of domestic abuse
    int standardWorkingDays = 5;

    friend bool operator==(const UpdateDeadline&, const UpdateDeadline&) = default;
};

/// The Victims' Code deadlines (DOMAIN.md §7), read from the "victims_code" section of
/// core/risk-models/rules-default.json, which is authoritative; the initialisers mirror it so a
/// hand-built configuration in a test starts from the same defaults (a test checks they agree).
/// A force's copy of the rules may change any number here.
struct VictimsCodeRules {
    /// Which edition of the Code the numbers follow, for the record.
    std::string code = "Code of Practice for Victims of Crime in England and Wales (2020, in force 1 April 2021)";
    int firstContactHours = 24;        ///< after the report
    /// After the report. The Code sets no fixed time (the police assess needs when they first
    /// deal with the victim), so the default asks for it with the first contact.
    int needsAssessmentHours = 24;
    int victimServicesWorkingDays = 2;  ///< the victim's details to victim services, after the report
    /// Domestic abuse victims' details go to victim services only with their consent; others'
    /// go unless they refuse.
    bool victimServicesConsentForDomesticAbuse = true;
    /// The events the victim is told of, and how soon. A kind not listed starts no update.
    std::map<CaseEventKind, UpdateDeadline> updates{
        {CaseEventKind::Arrest, {}},
        {CaseEventKind::Interview, {}},
        {CaseEventKind::ReleaseNoFurtherAction, {}},
        {CaseEventKind::ReleaseUnderInvestigation, {}},
        {CaseEventKind::Bail, {}},
        {CaseEventKind::BailChange, {}},
        {CaseEventKind::ChargeDecision, {}},
    };
    /// Decisions the victim is consulted before (their views on bail and its conditions).
    std::vector<CaseEventKind> consultBefore{CaseEventKind::Bail, CaseEventKind::BailChange};
};

/// Reads the "victims_code" section of a rules configuration file (the same file RulesConfig
/// reads; each ignores the other's sections). A copy of the rules made before the section
/// existed gets the defaults above. Errors name the file and the JSON path, as RulesConfig's do.
[[nodiscard]] Result<VictimsCodeRules> parseVictimsCodeRules(std::string_view jsonText, std::string_view fileName);
[[nodiscard]] Result<VictimsCodeRules> loadVictimsCodeRulesFile(const std::filesystem::path& path);

}  // namespace vigil
