#pragma once

#include <filesystem>

#include "core/common/Result.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/OutcomeList.h"
#include "core/risk/SharingPolicy.h"
#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// The rules a server store enforces and counts by, read from the model folder (risk_model_dir)
/// when its rule re-check is turned on: the same files for every store backend.
struct ServerRules {
    AuthorityPolicy policy;          ///< rules-authority.json: who may write what
    SharingPolicy idvaSharing;       ///< sharing-idva.json: what an IDVA's device receives
    SharingPolicy policeSharing;     ///< sharing-police.json: what police users receive of an IDVA's casework
    DiversityCategories diversity;   ///< rules-diversity.json: the answers the figures count
    OutcomeList outcomes;            ///< rules-outcomes.json: the board category of each crime outcome
};

/// Read them; an error names the file to correct. Without the sharing policies the server does not
/// start: it would otherwise have to send IDVAs whole incidents or nothing, or police an IDVA's notes.
[[nodiscard]] Result<ServerRules> loadServerRules(const std::filesystem::path& modelDir);

/// The sharing policy that trims what `user` receives, or null when they receive whole incidents.
/// An error when one should apply and the store has none to apply (fail closed). `idva` and
/// `police` are the store's loaded policies (null before its rule re-check is on); `hasCopy`: the
/// store keeps a records copy to judge rows by.
[[nodiscard]] Result<const SharingPolicy*> sharingPolicyFor(const UserInfo& user, const SharingPolicy* idva,
                                                            const SharingPolicy* police, bool hasCopy);

}  // namespace vigil::sync
