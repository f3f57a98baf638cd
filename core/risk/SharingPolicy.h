#pragma once

#include <filesystem>
#include <optional>
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

/// What a policy does with a row no share is for: an IDVA's allow-list never sends it; the
/// police policy sends it whole (it only trims the rows it lists, e.g. an IDVA's contacts).
enum class Unlisted { Never, Whole };

/// One row of the policy: a record kind (a person role for person rows; the author's role for
/// casework rows, when given), which of its rows, and which of their fields the recipient receives.
struct ShareRule {
    std::string entity;  ///< "incident", "person", "answer", … (casework kinds too)
    std::string role;    ///< person rows only: "victim", "suspect" or "child"
    /// Rows whose author (authorField: the `by` the server checks is the sender) holds one of
    /// these roles; empty: whoever wrote it. A row whose author the server cannot name is
    /// judged by this share (fail closed).
    std::vector<Role> writtenBy;
    ShareRows rows = ShareRows::All;
    std::vector<std::string> fields;  ///< exact names, "prefix*" patterns, or "*"
    std::string why;
    std::vector<ShareWithheld> withheld;

    /// Does this share pass `field` of a row it passes? `@create` and `@delete` follow the row.
    [[nodiscard]] bool passes(std::string_view field) const noexcept;
    /// Does it pass every field ("*")?
    [[nodiscard]] bool passesAll() const noexcept;
};

/// A record kind never shared, with the reason.
struct ShareNever {
    std::string entity;
    std::string why;
};

/// A sharing policy (issue 24): what users of some roles receive of a 124D, row kind by row
/// kind and field by field. Data, like the authority policy: a force may ship its own.
/// - An IDVA's allow-list (core/risk-models/sharing-idva.json, unlisted rows never sent): what a
///   partner-agency adviser receives of a 124D referred to them.
/// - The police policy (core/risk-models/sharing-police.json, unlisted rows sent whole): what
///   officers, investigators and supervisors receive of rows an IDVA wrote (a contact: that it
///   happened and its outcome, not its notes).
/// The server applies each to every page it sends its recipients; docs/authority.md ("What an
/// IDVA receives", "What police users receive of an IDVA's casework") shows the defaults as tables.
class SharingPolicy {
public:
    [[nodiscard]] static Result<SharingPolicy> fromJson(const nlohmann::json& json, std::string_view fileName);
    [[nodiscard]] static Result<SharingPolicy> loadFile(const std::filesystem::path& path);

    /// The share for a row of `entity` (person rows: with their `role`; casework rows: written by
    /// a user of role `author`, nullopt when the author is not known), or null: the row is never
    /// sent (unlisted: never) or sent whole (unlisted: whole).
    [[nodiscard]] const ShareRule* ruleFor(std::string_view entity, std::string_view role = {},
                                           std::optional<Role> author = std::nullopt) const noexcept;
    /// Does any share pass rows of `entity` (any role)?
    [[nodiscard]] bool sharesEntity(std::string_view entity) const noexcept;
    /// May a recipient receive any row of `entity` at all (a photo's bytes follow its record)?
    [[nodiscard]] bool mayReceive(std::string_view entity) const noexcept;
    /// Does what a recipient receives of `entity` depend on the row (its role, author or links),
    /// so the row must be read first? Rows of other kinds pass whole (unlisted: whole).
    [[nodiscard]] bool judgesRows(std::string_view entity) const noexcept;
    /// Is the share for `entity` chosen by the row's author?
    [[nodiscard]] bool needsAuthor(std::string_view entity) const noexcept;
    /// Is this policy for users of `role`?
    [[nodiscard]] bool isFor(Role role) const noexcept;

    [[nodiscard]] const std::string& id() const noexcept { return m_id; }
    [[nodiscard]] const std::string& version() const noexcept { return m_version; }
    /// "sharing-idva 1.0": how the disclosure log names it.
    [[nodiscard]] std::string label() const { return m_id + " " + m_version; }
    [[nodiscard]] const std::vector<Role>& recipients() const noexcept { return m_recipients; }
    [[nodiscard]] Unlisted unlisted() const noexcept { return m_unlisted; }
    [[nodiscard]] const std::vector<ShareRule>& shares() const noexcept { return m_shares; }
    [[nodiscard]] const std::vector<ShareNever>& never() const noexcept { return m_never; }

private:
    std::string m_id;
    std::string m_version;
    std::vector<Role> m_recipients;
    Unlisted m_unlisted = Unlisted::Never;
    std::vector<ShareRule> m_shares;
    std::vector<ShareNever> m_never;
};

/// The field of a row of `entity` naming who wrote it, which the server checks is the sender
/// (the casework parts and the supervision log: `by`), or "" when the kind has none.
[[nodiscard]] std::string_view authorField(std::string_view entity) noexcept;

/// The file names of the sharing policies in the risk model folder.
inline constexpr std::string_view kIdvaSharingFileName = "sharing-idva.json";
inline constexpr std::string_view kPoliceSharingFileName = "sharing-police.json";

}  // namespace vigil
