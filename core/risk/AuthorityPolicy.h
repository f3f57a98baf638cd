#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/Lifecycle.h"

namespace vigil {

/// Who may be granted a write (core/risk-models/rules-authority.json, "principals").
enum class Principal { Owner, Officer, Investigator, Supervisor, Idva, ClearedOnList, Anyone, OfficerInCase };

/// A further condition a write must meet, checked by code that knows the record
/// (the server's rule check; the device before it offers the action).
enum class AuthorityCheck {
    RestrictionReason,
    ClearedUserRemains,
    ConsentToShare,
    DeletionReason,
    AuthorIsSender,
    AppendOnly,  ///< a field written once is never written again (the supervision log)
    AllocatableUser,  ///< the officer in the case named is an active police user who may see the 124D
    SafeContact,      ///< a contact is by a method and at a time the victim's answers allow
};

[[nodiscard]] std::string_view toString(Principal principal) noexcept;
[[nodiscard]] std::string_view toString(AuthorityCheck check) noexcept;

/// One grant of a rule: these principals, in these states, with these extra checks.
struct AuthorityGrant {
    std::vector<Principal> who;
    std::vector<LifecycleState> states;  ///< empty = any state
    std::vector<AuthorityCheck> checks;
};

/// One row of the policy: an entity kind and field patterns, and who may write them.
struct AuthorityRule {
    std::string id;
    std::string entity;               ///< "incident", "person", … or "*"
    std::vector<std::string> fields;  ///< exact names, "prefix*" patterns, or "*"
    bool commandOnly = false;         ///< never a plain write: only through a lifecycle command
    std::vector<AuthorityGrant> grants;
    std::vector<AuthorityCheck> checks;  ///< for every grant
    std::string what;                    ///< what the fields are, for messages ("the supervisor's risk grade")
    std::string explain;                 ///< who may write them and when, in a user's words
};

/// Who is writing, and what they are writing to: everything the policy decides on.
struct WriteContext {
    Role role = Role::Officer;
    bool isOwner = false;        ///< the user created the 124D
    bool clearedOnList = false;  ///< cleared for restricted records and named on its access list
    LifecycleState state = LifecycleState::Draft;  ///< the 124D's state before this write
    bool officerInCase = false;  ///< the 124D's investigation is allocated to the user
};

/// The pseudo-field a removal's undoing is judged as: `@delete` with the value false.
inline constexpr std::string_view kFieldRestore = "@restore";

/// The verdict on one write: which rule decided, and the checks that still have to pass.
struct AuthorityDecision {
    const AuthorityRule* rule = nullptr;
    std::vector<AuthorityCheck> checks;
};

/// The authority policy (issue 21): which roles may write each entity's fields, in which
/// lifecycle states, and whether only through a lifecycle command. Data, like the risk
/// models: a force may ship its own. Rules are tried in order; the first whose entity and
/// field pattern match decides. The server enforces it on every op; the device uses it to
/// offer only what its user may do. docs/authority.md shows the default as a table.
class AuthorityPolicy {
public:
    [[nodiscard]] static Result<AuthorityPolicy> fromJson(const nlohmann::json& json, std::string_view fileName);
    [[nodiscard]] static Result<AuthorityPolicy> loadFile(const std::filesystem::path& path);

    /// The rule that decides writes of `field` on an `entity` row, or null when none does
    /// (a policy without a final catch-all rule refuses such writes).
    [[nodiscard]] const AuthorityRule* ruleFor(std::string_view entity, std::string_view field) const noexcept;
    /// May this user write this field now? The decision names the checks that must still
    /// pass; an error (Rejected) says in words who may write it and when.
    [[nodiscard]] Result<AuthorityDecision> decide(const WriteContext& who, std::string_view entity,
                                                   std::string_view field) const;
    /// decide() without the words, for offering an action in the UI.
    [[nodiscard]] bool mayWrite(const WriteContext& who, std::string_view entity, std::string_view field) const;

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    [[nodiscard]] const std::string& version() const noexcept { return m_version; }
    [[nodiscard]] const std::vector<AuthorityRule>& rules() const noexcept { return m_rules; }

private:
    std::string m_id;
    std::string m_version;
    std::vector<AuthorityRule> m_rules;
};

/// May this victim's details go to a partner agency (DOMAIN.md §2, consent before disclosure)?
/// With consent to share (for a MARAC referral, consent to the referral will do), or with a
/// recorded lawful basis and its justification. The device asks before it offers a referral;
/// the server asks again of the record as merged before it lets a referral disclose anything.
[[nodiscard]] bool sharingAllowed(const Consent& consent, std::string_view agency) noexcept;

/// On what a victim's details may go to a partner agency, in the order sharingAllowed() tries:
/// her consent to share, her consent to a MARAC referral (for the MARAC only), or a recorded
/// lawful basis with its justification. None: nothing may be shared with that agency. A lawful
/// basis written without its justification is None (PartialLawfulBasis says so, to word it).
enum class SharingBasis { None, PartialLawfulBasis, Consent, MaracConsent, LawfulBasis };
[[nodiscard]] SharingBasis sharingBasis(const Consent& consent, std::string_view agency) noexcept;

/// Does a field path match a policy pattern ("state", "review.*", "grade.supervisor*", "*")?
[[nodiscard]] bool fieldMatches(std::string_view pattern, std::string_view field) noexcept;

}  // namespace vigil
