#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/RiskEngine.h"

namespace vigil {

/// Who is acting (ARCHITECTURE.md, Access).
enum class Role { Officer, Investigator, Idva, Supervisor, Analyst, Admin };

[[nodiscard]] std::string_view toString(Role role) noexcept;
[[nodiscard]] std::optional<Role> roleFromString(std::string_view text) noexcept;

/// One row of the lifecycle table: a move, who may make it, and what it needs.
struct TransitionRule {
    LifecycleState from;
    LifecycleState to;
    std::string_view action;  ///< "submit", "return", "resubmit", ...
    unsigned roles;           ///< bit set of Role values (see roleBit)
    bool noteRequired;        ///< e.g. QA notes when returning, the final review when closing
    bool runsValidation;      ///< the submission rules must pass first
};

[[nodiscard]] constexpr unsigned roleBit(Role role) noexcept { return 1U << static_cast<unsigned>(role); }
[[nodiscard]] constexpr bool roleAllowed(const TransitionRule& rule, Role role) noexcept
{
    return (rule.roles & roleBit(role)) != 0U;
}

/// The one table of allowed transitions (docs/risk-model.md shows it).
[[nodiscard]] const std::vector<TransitionRule>& transitionTable();

/// The rule for from -> to made by `role`, or IllegalTransition saying what is allowed instead.
[[nodiscard]] Result<const TransitionRule*> findTransition(LifecycleState from, LifecycleState to, Role role);

/// A request to move a 124D.
struct TransitionRequest {
    LifecycleState to = LifecycleState::Submitted;
    Role role = Role::Officer;
    std::string note;  ///< QA notes, closing review, reason for reopening
};

/// Applies a transition: checks the table, the note, and for submit/resubmit/approve the
/// submission rules. On success the state changes and the list is empty; otherwise the
/// state is unchanged and the list says every reason (IllegalTransition or Validation).
[[nodiscard]] std::vector<Error> applyTransition(Incident& incident, const TransitionRequest& request,
                                                 const RuleContext& context);

}  // namespace vigil
