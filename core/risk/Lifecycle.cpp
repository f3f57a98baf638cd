#include "core/risk/Lifecycle.h"

#include <array>

#include "core/common/Text.h"
#include "core/risk/OutcomeRules.h"
#include "core/risk/SubmissionValidator.h"

namespace vigil {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames{{{Role::Officer, "officer"},
                                                                       {Role::Investigator, "investigator"},
                                                                       {Role::Idva, "idva"},
                                                                       {Role::Supervisor, "supervisor"},
                                                                       {Role::Analyst, "analyst"},
                                                                       {Role::Admin, "admin"}}};

std::string_view roleLabel(Role role) noexcept
{
    switch (role) {
    case Role::Officer: return "an officer";
    case Role::Investigator: return "an investigator";
    case Role::Idva: return "an IDVA";
    case Role::Supervisor: return "a supervisor";
    case Role::Analyst: return "an analyst";
    case Role::Admin: return "an administrator";
    }
    return "this role";
}

std::string stateLabel(LifecycleState state)
{
    std::string s{toString(state)};
    for (char& c : s)
        if (c == '_')
            c = ' ';
    return s;
}

std::string rolesOf(const TransitionRule& rule)
{
    std::string out;
    for (const auto& [role, name] : kRoleNames) {
        if (!roleAllowed(rule, role))
            continue;
        if (!out.empty())
            out += " or ";
        out += roleLabel(role);
    }
    return out;
}

}  // namespace

std::string_view toString(Role role) noexcept
{
    for (const auto& [r, name] : kRoleNames)
        if (r == role)
            return name;
    return "unknown";
}

std::optional<Role> roleFromString(std::string_view text) noexcept
{
    for (const auto& [r, name] : kRoleNames)
        if (name == text)
            return r;
    return std::nullopt;
}

const std::vector<TransitionRule>& transitionTable()
{
    using S = LifecycleState;
    constexpr unsigned officer = roleBit(Role::Officer);
    constexpr unsigned investigator = roleBit(Role::Investigator);
    constexpr unsigned supervisor = roleBit(Role::Supervisor);
    // IDVAs, analysts and administrators never move a 124D: partner agencies and analysts
    // read it, administrators manage users, not casework.
    static const std::vector<TransitionRule> table{
        {S::Draft, S::Submitted, "submit", officer | investigator, false, true},
        {S::Submitted, S::Returned, "return", supervisor, true, false},
        {S::Returned, S::Submitted, "resubmit", officer | investigator, false, true},
        {S::Submitted, S::Approved, "approve", supervisor, false, true},
        {S::Approved, S::UnderInvestigation, "allocate for investigation", supervisor | investigator, false, false},
        {S::Approved, S::Closed, "close", supervisor, true, false},
        {S::UnderInvestigation, S::Closed, "close", supervisor, true, false},
        {S::Closed, S::UnderInvestigation, "reopen", supervisor, true, false},
    };
    return table;
}

Result<const TransitionRule*> findTransition(LifecycleState from, LifecycleState to, Role role)
{
    const auto& table = transitionTable();
    if (from == to)
        return makeError(ErrorCode::IllegalTransition, "This 124D is already " + stateLabel(from) + ": nothing to do.",
                         "state");
    for (const TransitionRule& rule : table) {
        if (rule.from != from || rule.to != to)
            continue;
        if (!roleAllowed(rule, role))
            return makeError(ErrorCode::IllegalTransition,
                             "Only " + rolesOf(rule) + " can " + std::string{rule.action} + " a " + stateLabel(from)
                                 + " 124D; you are signed in as " + std::string{roleLabel(role)} + ". Ask "
                                 + rolesOf(rule) + " to do it.",
                             "state");
        return &rule;
    }
    std::string options;
    for (const TransitionRule& rule : table) {
        if (rule.from != from)
            continue;
        if (!options.empty())
            options += "; ";
        options += std::string{rule.action} + " (to " + stateLabel(rule.to) + ", by " + rolesOf(rule) + ")";
    }
    return makeError(ErrorCode::IllegalTransition,
                     "A " + stateLabel(from) + " 124D cannot be moved to " + stateLabel(to) + ". "
                         + (options.empty() ? std::string{"Nothing can be done to it."}
                                            : "What can be done now: " + options + "."),
                     "state");
}

std::vector<Error> applyTransition(Incident& incident, const TransitionRequest& request, const RuleContext& context)
{
    auto rule = findTransition(incident.state, request.to, request.role);
    if (!rule.ok())
        return {std::move(rule).error()};
    std::vector<Error> errors;
    if ((*rule)->noteRequired && isBlank(request.note))
        errors.push_back(makeError(ErrorCode::Validation,
                                   "Write a note to " + std::string{(*rule)->action} + " this 124D"
                                       + ((*rule)->to == LifecycleState::Returned ? " (what the officer must put right)."
                                                                                  : " (the reason and the final risk review)."),
                                   "lifecycle.note"));
    if ((*rule)->runsValidation) {
        auto problems = validateSubmission(incident, context);
        errors.insert(errors.end(), std::make_move_iterator(problems.begin()), std::make_move_iterator(problems.end()));
    }
    if (request.to == LifecycleState::Closed) {
        auto problems = validateClosure(incident);
        errors.insert(errors.end(), std::make_move_iterator(problems.begin()), std::make_move_iterator(problems.end()));
    }
    if (errors.empty())
        incident.state = request.to;
    return errors;
}

}  // namespace vigil
