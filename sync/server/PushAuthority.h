#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/records/Op.h"
#include "core/records/RecordStore.h"
#include "core/risk/AuthorityPolicy.h"
#include "sync/protocol/Protocol.h"
#include "sync/server/AccessRules.h"

namespace vigil::sync {

/// The server's authority check of one push (issue 21): every op against the authority
/// policy (core/risk-models/rules-authority.json) for the user who sent it, in the state the
/// 124D stands in before that op — earlier ops of the same batch included — plus the
/// policy's checks that need the record: the author named in a value is the sender, a
/// supervisor's removal has a reason, a restriction has a reason and keeps a cleared user on
/// the access list, an investigation is allocated to a police user who may see it. Clock stamps too far ahead of the server's clock are refused first.
///
/// It reads the records as they stand from the server's materialised copy (`readRow`), once
/// per record a batch, and knows nothing of SQL: any store backend can use it. One object
/// per push, on the store thread.
class PushAuthority {
public:
    using ReadRow = std::function<Result<std::optional<RecordRow>>(Entity, const std::string&)>;
    /// An active user by id (nullopt: no such user, or no longer active).
    using FindUser = std::function<Result<std::optional<UserInfo>>(const std::string& userId)>;
    /// A live incident's state without reading its row (nullopt: not held, or removed).
    using ReadState = std::function<Result<std::optional<LifecycleState>>(const std::string& incidentId)>;

    /// `copySeq`: the highest seq of the sending device the materialised copy already holds.
    PushAuthority(const AuthorityPolicy& policy, const UserInfo& user, std::int64_t nowSeconds,
                  std::int64_t clockToleranceSeconds, std::int64_t copySeq, ReadRow readRow, ReadState readState,
                  FindUser findUser);

    /// Look over the whole batch first: a restriction's reason may come after the flag it
    /// explains (a device writes a save's fields in name order).
    void prescan(const std::vector<Op>& ops);
    /// Is the op's stamp too far ahead of the server's clock? Checked before anything else.
    [[nodiscard]] std::optional<OpRejection> clockCheck(const Op& op) const;
    /// May this user make this change to the incident described by `access`? A refusal says
    /// why in words, with a named error: `not_permitted` (the policy), `attribution_mismatch`,
    /// `reason_required`, `cleared_user_required`, `append_only`, `not_allocatable`. `nullopt`: accepted (call accepted()).
    [[nodiscard]] Result<std::optional<OpRejection>> check(const Op& op, const IncidentAccess& access);
    /// An op was accepted: later ops of the batch see what it changed (state, access list,
    /// fields written, rows created).
    void accepted(const Op& op, const std::string& incidentId);

private:
    [[nodiscard]] Result<LifecycleState> stateOf(const std::string& incidentId);
    [[nodiscard]] Result<const RecordRow*> row(Entity entity, const std::string& id);
    /// A write that only sets a field never written before to its empty value (a new 124D's
    /// "draft" state, its flags false): it changes nothing, so no grant is needed.
    [[nodiscard]] Result<bool> initialDefault(const Op& op, Entity entity);
    [[nodiscard]] Result<std::vector<std::string>> accessListOf(const std::string& incidentId);

    const AuthorityPolicy& m_policy;
    const UserInfo& m_user;
    vigil::Role m_role;
    std::int64_t m_now;
    std::int64_t m_tolerance;
    std::int64_t m_copySeq;
    ReadRow m_readRow;
    ReadState m_readState;
    FindUser m_findUser;

    std::map<std::pair<Entity, std::string>, std::optional<RecordRow>> m_rows;  ///< read once a batch
    std::map<std::string, LifecycleState> m_state;                            ///< incident -> state now
    std::map<std::string, std::vector<std::string>> m_accessList;             ///< incident -> list now
    std::set<std::string> m_reasonInBatch;                                    ///< incidents with a restriction reason
    std::set<std::pair<std::string, std::string>> m_written;                  ///< (record id, field) this batch
    std::set<std::string> m_createdHere;                                      ///< record ids created this batch
    std::set<std::pair<std::string, std::string>> m_valued;                   ///< (record id, field) given a value this batch
};

/// The sender's role in the core's terms.
[[nodiscard]] vigil::Role coreRole(Role role) noexcept;

}  // namespace vigil::sync
