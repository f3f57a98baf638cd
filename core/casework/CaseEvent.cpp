#include "core/casework/CaseEvent.h"

#include <array>

namespace vigil {

namespace {

constexpr std::array<CaseEventKind, 8> kKinds{
    CaseEventKind::Report,  CaseEventKind::Arrest,     CaseEventKind::Interview,      CaseEventKind::ReleaseNoFurtherAction,
    CaseEventKind::ReleaseUnderInvestigation, CaseEventKind::Bail, CaseEventKind::BailChange, CaseEventKind::ChargeDecision};

}  // namespace

std::span<const CaseEventKind> allCaseEventKinds() noexcept
{
    return kKinds;
}

std::string_view toString(CaseEventKind kind) noexcept
{
    switch (kind) {
    case CaseEventKind::Report: return "report";
    case CaseEventKind::Arrest: return "arrest";
    case CaseEventKind::Interview: return "interview";
    case CaseEventKind::ReleaseNoFurtherAction: return "release_no_further_action";
    case CaseEventKind::ReleaseUnderInvestigation: return "release_under_investigation";
    case CaseEventKind::Bail: return "bail";
    case CaseEventKind::BailChange: return "bail_change";
    case CaseEventKind::ChargeDecision: return "charge_decision";
    }
    return "report";
}

std::optional<CaseEventKind> caseEventKindFromString(std::string_view text) noexcept
{
    for (CaseEventKind kind : kKinds)
        if (toString(kind) == text)
            return kind;
    return std::nullopt;
}

std::string caseEventWords(CaseEventKind kind)
{
    switch (kind) {
    case CaseEventKind::Report: return "the report";
    case CaseEventKind::Arrest: return "the arrest";
    case CaseEventKind::Interview: return "the interview";
    case CaseEventKind::ReleaseNoFurtherAction: return "release with no further action";
    case CaseEventKind::ReleaseUnderInvestigation: return "release under investigation";
    case CaseEventKind::Bail: return "bail";
    case CaseEventKind::BailChange: return "the change to bail";
    case CaseEventKind::ChargeDecision: return "the charge decision";
    }
    return "the event";
}

}  // namespace vigil
