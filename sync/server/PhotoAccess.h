#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include <sodium.h>

#include "core/common/Result.h"
#include "core/records/Hlc.h"
#include "core/risk/SharingPolicy.h"
#include "sync/server/AccessRules.h"
#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// The newest write of each field of a photo's record that says what its bytes must be
/// (size, sha256, chunks, @delete): field -> (stamp, value).
using PhotoRecordFields = std::map<std::string, std::pair<HlcStamp, nlohmann::json>>;

/// What describing a photo reads from a server store (each in its own SQL).
struct PhotoSource {
    /// The incident the photo's record belongs to, when the server has received the record.
    std::function<Result<std::optional<std::string>>(const std::string& photoId)> incidentOf;
    std::function<Result<std::optional<IncidentAccess>>(const std::string& incidentId)> loadAccess;
    /// The sharing policy that trims what the user receives (null: whole incidents).
    std::function<Result<const SharingPolicy*>(const UserInfo& user)> sharingFor;
    /// Every write to the record's size, sha256, chunks and @delete, fed to `keep` (newest wins).
    std::function<Status(const std::string& incidentId, const std::string& photoId,
                         const std::function<void(const std::string& field, HlcStamp, nlohmann::json)>& keep)>
        recordWrites;
    /// (chunks received, complete) of the bytes the store holds, when it holds any.
    std::function<Result<std::optional<std::pair<std::int64_t, bool>>>(const std::string& photoId)> storedFile;
};

/// Photo `id` as `who` may see it (ServerStore::attachment), written once for both stores: access
/// by its incident, like its record; a photo whose record the user's sharing policy never sends
/// them does not exist for them; removed; not yet complete; readable or writable.
[[nodiscard]] Result<AttachmentState> describePhoto(const DeviceIdentity& who, const std::string& id,
                                                    const PhotoSource& source);

/// The check of a whole photo against its record once its last chunk arrives: size and SHA-256
/// over the chunks in order.
class WholePhotoCheck {
public:
    WholePhotoCheck() { crypto_hash_sha256_init(&m_hash); }
    void add(std::span<const unsigned char> chunk)
    {
        crypto_hash_sha256_update(&m_hash, chunk.data(), chunk.size());
        m_size += static_cast<std::int64_t>(chunk.size());
    }
    /// Do the bytes added make the photo its record declares?
    [[nodiscard]] bool matches(const AttachmentStatus& declared);

private:
    crypto_hash_sha256_state m_hash{};
    std::int64_t m_size = 0;
};

}  // namespace vigil::sync
