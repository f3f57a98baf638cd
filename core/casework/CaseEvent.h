#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vigil {

/// Something that happened in a victim's case that starts a Victims' Code clock
/// (DOMAIN.md §7). The names (toString) are the keys of rules-default.json's "victims_code".
enum class CaseEventKind {
    Report,                     ///< "report": the crime was reported
    Arrest,                     ///< "arrest"
    Interview,                  ///< "interview": the suspect was interviewed
    ReleaseNoFurtherAction,     ///< "release_no_further_action": released without charge, no further action
    ReleaseUnderInvestigation,  ///< "release_under_investigation": released without charge, inquiries go on
    Bail,                       ///< "bail": released on bail (pre-charge or after charge)
    BailChange,                 ///< "bail_change": bail conditions changed, or bail extended or cancelled
    ChargeDecision,             ///< "charge_decision": charged, or a decision not to charge
};

/// Every kind, in the order above.
[[nodiscard]] std::span<const CaseEventKind> allCaseEventKinds() noexcept;
[[nodiscard]] std::string_view toString(CaseEventKind kind) noexcept;
[[nodiscard]] std::optional<CaseEventKind> caseEventKindFromString(std::string_view text) noexcept;
/// "the arrest", "release under investigation", "the change to bail": fits "Tell the victim about ...".
[[nodiscard]] std::string caseEventWords(CaseEventKind kind);

/// One event as the casework records hold it. Plain data: the repository fills it from its rows.
struct CaseEvent {
    std::string id;  ///< unique within the case; a DutyDone names it
    CaseEventKind kind = CaseEventKind::Report;
    std::chrono::sys_seconds at{};  ///< when it happened (UTC)
};

}  // namespace vigil
