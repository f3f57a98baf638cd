// Photos as a user may see them, written once for both server stores (moved here from
// SqlCipherServerStore::attachment and storeAttachmentChunk, unchanged in behaviour).
#include "sync/server/PhotoAccess.h"

#include <array>

#include "core/store/SecureBytes.h"

namespace vigil::sync {

Result<AttachmentState> describePhoto(const DeviceIdentity& who, const std::string& id, const PhotoSource& source)
{
    AttachmentState state;
    state.file.id = id;
    auto incident = source.incidentOf(id);
    if (!incident)
        return std::move(incident).error();
    if (!*incident)
        return state;
    state.incidentId = **incident;
    auto access = source.loadAccess(state.incidentId);
    if (!access)
        return std::move(access).error();
    if (!*access || !canRead(who.user.info, **access))
        return state;  // what the user may not see does not exist for them
    {
        // A photo whose record the user's sharing policy never sends them does not exist for them either.
        auto sharing = source.sharingFor(who.user.info);
        if (!sharing)
            return std::move(sharing).error();
        if (*sharing && !(*sharing)->mayReceive("attachment"))
            return state;
    }
    // What the record declares: the newest write of each field (photos are written once).
    PhotoRecordFields fields;
    VIGIL_TRY(source.recordWrites(state.incidentId, id, [&](const std::string& field, HlcStamp hlc, nlohmann::json v) {
        auto& slot = fields[field];
        if (hlc >= slot.first)
            slot = {hlc, std::move(v)};
    }));
    if (fields.count("@delete") && fields["@delete"].second == true) {
        state.access = AttachmentAccess::Removed;
        return state;
    }
    const auto& size = fields["size"].second;
    const auto& sha = fields["sha256"].second;
    const auto& chunks = fields["chunks"].second;
    if (!size.is_number_integer() || !sha.is_string() || !chunks.is_number_integer())
        return state;  // the record has not fully arrived
    state.file.size = size.get<std::int64_t>();
    state.file.sha256 = sha.get<std::string>();
    state.file.chunks = chunks.get<std::int64_t>();
    auto stored = source.storedFile(id);
    if (!stored)
        return std::move(stored).error();
    if (*stored) {
        state.file.received = (*stored)->first;
        state.file.complete = (*stored)->second;
    }
    state.access = canWrite(who.user.info, **access) ? AttachmentAccess::Writable : AttachmentAccess::Readable;
    return state;
}

bool WholePhotoCheck::matches(const AttachmentStatus& declared)
{
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&m_hash, digest.data());
    return m_size == declared.size && toHex(digest) == declared.sha256;
}

}  // namespace vigil::sync
