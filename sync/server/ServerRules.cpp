#include "sync/server/ServerRules.h"

#include <string>

#include "sync/server/PushAuthority.h"

namespace vigil::sync {

Result<ServerRules> loadServerRules(const std::filesystem::path& modelDir)
{
    auto policy = AuthorityPolicy::loadFile(modelDir / "rules-authority.json");
    if (!policy)
        return std::move(policy).error();
    // What an IDVA's device receives (issue 24). Without it the server does not start: it would
    // otherwise have to send IDVAs whole incidents or nothing.
    auto sharing = SharingPolicy::loadFile(modelDir / std::string(kIdvaSharingFileName));
    if (!sharing)
        return std::move(sharing).error();
    if (!sharing->isFor(vigil::Role::Idva))
        return makeError(ErrorCode::MalformedModel,
                         "Sharing policy " + std::string(kIdvaSharingFileName)
                             + " is not for IDVAs (\"recipient\": \"idva\"). Correct the file, or reinstall Vigil's defaults.");
    // What police users receive of an IDVA's casework (issue 24, item 5): without it the server
    // does not start either, or it would send police an IDVA's notes.
    auto police = SharingPolicy::loadFile(modelDir / std::string(kPoliceSharingFileName));
    if (!police)
        return std::move(police).error();
    if (police->isFor(vigil::Role::Idva))
        return makeError(ErrorCode::MalformedModel,
                         "Sharing policy " + std::string(kPoliceSharingFileName)
                             + " is for IDVAs: it must name police roles (\"recipients\": [\"officer\", \"investigator\", "
                               "\"supervisor\"]). Correct the file, or reinstall Vigil's defaults.");
    // The answers the figures count (issue 25): the same list the devices use.
    auto diversity = DiversityCategories::loadFile(modelDir / "rules-diversity.json");
    if (!diversity)
        return std::move(diversity).error();
    auto outcomes = OutcomeList::loadFile(modelDir / "rules-outcomes.json");
    if (!outcomes)
        return std::move(outcomes).error();
    return ServerRules{std::move(policy).value(), std::move(sharing).value(), std::move(police).value(),
                       std::move(diversity).value(), std::move(outcomes).value()};
}

Result<const SharingPolicy*> sharingPolicyFor(const UserInfo& user, const SharingPolicy* idva,
                                              const SharingPolicy* police, bool hasCopy)
{
    if (user.role != Role::Idva) {
        // Police users: the police policy trims the casework IDVAs write. A store without the rule
        // re-check (vigil-admin's) keeps no copy to judge rows by and sends no pages.
        if (police && hasCopy && police->isFor(coreRole(user.role)))
            return police;
        return static_cast<const SharingPolicy*>(nullptr);
    }
    if (!idva || !hasCopy)
        return makeError(ErrorCode::Internal,
                         "This server has no sharing policy for IDVAs loaded, so it sends them nothing. Start it with "
                         "the rule re-check and sharing-idva.json in its risk_model_dir.");
    return idva;
}

}  // namespace vigil::sync
