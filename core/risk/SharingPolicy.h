#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/Result.h"
#include "core/risk/Lifecycle.h"

namespace vigil {

/// Which rows of a record kind a share passes to its recipient.
enum class ShareRows {
    All,                   ///< every row of the kind on the 124D (the 124D itself, suspects, children, casework)
    ReferredVictim,        ///< a victim named by a live referral to the recipient, with consent or a lawful basis
    OfReferredVictim,      ///< a row whose parent is such a victim (her DASH answers, her RARA items)
    AddressedToRecipient,  ///< a referral to the recipient of such a victim
    InCaseOfReferredVictim,  ///< a row under a victim's case (victim_case) of such a victim: her contacts, events, plan, orders
};

[[nodiscard]] std::string_view toString(ShareRows rows) noexcept;

/// Fields a share leaves out on purpose, with the reason (for the docs and whoever edits the file).
struct ShareWithheld {
    std::vector<std::string> fields;
    std::string why;
};

/// One row of the policy: a record kind (a person role for person rows), which of its rows,
/// and which of their fields the recipient receives.
struct ShareRule {
    std::string entity;  ///< "incident", "person", "answer", … (casework kinds too)
    std::string role;    ///< person rows only: "victim", "suspect" or "child"
    ShareRows rows = ShareRows::All;
    std::vector<std::string> fields;  ///< exact names, "prefix*" patterns, or "*"
    std::string why;
    std::vector<ShareWithheld> withheld;

    /// Does this share pass `field` of a row it passes? `@create` and `@delete` follow the row.
    [[nodiscard]] bool passes(std::string_view field) const noexcept;
};

/// A record kind never shared, with the reason.
struct ShareNever {
    std::string entity;
    std::string why;
};

/// A sharing allow-list (issue 24): what a partner-agency user (an IDVA) receives of a 124D
/// referred to them, row kind by row kind and field by field. Data, like the authority
/// policy (core/risk-models/sharing-idva.json): a force may ship its own. Anything it does not
/// list is never sent. The server applies it to every page it sends such a user;
/// docs/authority.md ("What an IDVA receives") shows the default as a table.
class SharingPolicy {
public:
    [[nodiscard]] static Result<SharingPolicy> fromJson(const nlohmann::json& json, std::string_view fileName);
    [[nodiscard]] static Result<SharingPolicy> loadFile(const std::filesystem::path& path);

    /// The share for a row of `entity` (person rows: with their `role`), or null: never sent.
    [[nodiscard]] const ShareRule* ruleFor(std::string_view entity, std::string_view role = {}) const noexcept;
    /// Does any share pass rows of `entity` (any role)?
    [[nodiscard]] bool sharesEntity(std::string_view entity) const noexcept;

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    [[nodiscard]] const std::string& version() const noexcept { return m_version; }
    [[nodiscard]] Role recipient() const noexcept { return m_recipient; }
    [[nodiscard]] const std::vector<ShareRule>& shares() const noexcept { return m_shares; }
    [[nodiscard]] const std::vector<ShareNever>& never() const noexcept { return m_never; }

private:
    std::string m_id;
    std::string m_version;
    Role m_recipient = Role::Idva;
    std::vector<ShareRule> m_shares;
    std::vector<ShareNever> m_never;
};

/// The file name of the IDVA sharing policy in the risk model folder.
inline constexpr std::string_view kIdvaSharingFileName = "sharing-idva.json";

}  // namespace vigil
