// PgServerStore's photos: the decisions are describePhoto's and WholePhotoCheck's
// (sync/server/PhotoAccess.cpp), the same code the SQLCipher store runs; each chunk is sealed.
#include "core/common/JsonText.h"
#include "sync/server/PgServerStore.h"
#include "sync/server/PhotoAccess.h"

namespace vigil::sync {

namespace {

std::string chunkAt(const std::string& photoId, std::int64_t index) { return photoId + '\0' + std::to_string(index); }

}  // namespace

Result<AttachmentState> PgServerStore::attachment(const DeviceIdentity& who, const std::string& id)
{
    PhotoSource source;
    source.incidentOf = [this](const std::string& photoId) -> Result<std::optional<std::string>> {
        auto r = m_conn->exec("SELECT incident_id FROM record_index WHERE entity = 'attachment' AND id = $1;",
                              {PgParam(photoId)});
        if (!r)
            return std::move(r).error();
        return r->empty() ? std::nullopt : std::optional<std::string>(r->text(0, 0));
    };
    source.loadAccess = [this](const std::string& incidentId) { return loadAccess(incidentId); };
    source.sharingFor = [this](const UserInfo& user) { return sharingFor(user); };
    source.recordWrites = [this](const std::string& incidentId, const std::string& photoId,
                                 const std::function<void(const std::string&, HlcStamp, nlohmann::json)>& keep) -> Status {
        auto r = m_conn->exec("SELECT field, value, hlc, device, seq FROM op_log WHERE incident_id = $1 "
                              "AND entity = 'attachment' AND record_id = $2 "
                              "AND field IN ('size', 'sha256', 'chunks', '@delete');",
                              {PgParam(incidentId), PgParam(photoId)});
        if (!r)
            return std::move(r).error();
        for (int i = 0; i < r->rows(); ++i) {
            auto value = unseal(r->bytes(i, 1), pgSealedAt("op_log.value", r->text(i, 3) + '\0' + r->text(i, 4)));
            if (!value)
                return std::move(value).error();
            keep(r->text(i, 0), hlcFromString(r->text(i, 2)).value_or(0), vigil::json::parse(*value));
        }
        return {};
    };
    source.storedFile = [this](const std::string& photoId) -> Result<std::optional<std::pair<std::int64_t, bool>>> {
        auto r = m_conn->exec("SELECT received, complete FROM attachment_files WHERE id = $1;", {PgParam(photoId)});
        if (!r)
            return std::move(r).error();
        if (r->empty())
            return std::optional<std::pair<std::int64_t, bool>>();
        return std::optional<std::pair<std::int64_t, bool>>(std::make_pair(r->integer(0, 0), r->boolean(0, 1)));
    };
    return describePhoto(who, id, source);
}

Result<ChunkStored> PgServerStore::storeAttachmentChunk(const DeviceIdentity& who, const AttachmentState& state,
                                                        std::int64_t index, std::span<const unsigned char> bytes,
                                                        std::int64_t now)
{
    ChunkStored out;
    Status done = m_conn->transaction([&]() -> Status {
        out = ChunkStored{};
        out.file = state.file;
        auto file = m_conn->exec("INSERT INTO attachment_files (id, incident_id, size, sha256, chunks, uploaded_by, "
                                 "created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING;",
                                 {PgParam(state.file.id), PgParam(state.incidentId), PgParam(state.file.size),
                                  PgParam(state.file.sha256), PgParam(state.file.chunks), PgParam(who.device.id),
                                  PgParam(now)});
        if (!file)
            return std::move(file).error();
        // The photo's row: an upload of the same photo through another server waits here.
        auto locked = m_conn->exec("SELECT 1 FROM attachment_files WHERE id = $1 FOR UPDATE;", {PgParam(state.file.id)});
        if (!locked)
            return std::move(locked).error();
        auto chunk = m_conn->exec(
            "INSERT INTO attachment_chunks (attachment_id, idx, data) VALUES ($1,$2,$3) "
            "ON CONFLICT (attachment_id, idx) DO UPDATE SET data = excluded.data;",
            {PgParam(state.file.id), PgParam(index),
             PgParam::bytes(seal(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                                 pgSealedAt("attachment_chunks.data", chunkAt(state.file.id, index))))});
        if (!chunk)
            return std::move(chunk).error();
        out.file.received = index + 1;
        if (out.file.received == out.file.chunks) {
            // The whole photo against its record: size and SHA-256, a chunk at a time.
            WholePhotoCheck whole;
            for (std::int64_t i = 0; i < state.file.chunks; ++i) {
                auto r = m_conn->exec("SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND idx = $2;",
                                      {PgParam(state.file.id), PgParam(i)});
                if (!r)
                    return std::move(r).error();
                if (r->empty())
                    continue;
                auto plain = unseal(r->bytes(0, 0), pgSealedAt("attachment_chunks.data", chunkAt(state.file.id, i)));
                if (!plain)
                    return std::move(plain).error();
                whole.add(std::span(reinterpret_cast<const unsigned char*>(plain->data()), plain->size()));
                sodium_memzero(plain->data(), plain->size());
            }
            if (!whole.matches(state.file)) {
                out.wholeMismatch = true;
                out.file.received = 0;
                auto drop = m_conn->exec("DELETE FROM attachment_chunks WHERE attachment_id = $1;",
                                         {PgParam(state.file.id)});
                if (!drop)
                    return std::move(drop).error();
            } else {
                out.file.complete = true;
            }
        }
        auto update = m_conn->exec("UPDATE attachment_files SET received = $1, complete = $2, completed_at = $3 "
                                   "WHERE id = $4;",
                                   {PgParam(out.file.received), PgParam(out.file.complete),
                                    out.file.complete ? PgParam(now) : PgParam::null(), PgParam(state.file.id)});
        if (!update)
            return std::move(update).error();
        return {};
    });
    if (!done.ok())
        return std::move(done).error();
    return out;
}

Result<std::optional<std::vector<unsigned char>>> PgServerStore::attachmentChunk(const DeviceIdentity& who,
                                                                                 const AttachmentState& state,
                                                                                 std::int64_t index, std::int64_t now)
{
    using Bytes = std::optional<std::vector<unsigned char>>;
    Bytes out;
    Status done = m_conn->transaction([&]() -> Status {
        out.reset();
        auto r = m_conn->exec("SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND idx = $2;",
                              {PgParam(state.file.id), PgParam(index)});
        if (!r)
            return std::move(r).error();
        if (r->empty())
            return {};
        auto plain = unseal(r->bytes(0, 0), pgSealedAt("attachment_chunks.data", chunkAt(state.file.id, index)));
        if (!plain)
            return std::move(plain).error();
        std::vector<unsigned char> bytes(plain->begin(), plain->end());
        sodium_memzero(plain->data(), plain->size());
        if (index == 0) {
            // DPA 2018 s.62: a photo sent to a device is a disclosure, like a pulled record.
            auto d = m_conn->exec("INSERT INTO disclosures (at, user_id, device_id, incidents, ops, forgotten) "
                                  "VALUES ($1,$2,$3,$4,0,'[]');",
                                  {PgParam(now), PgParam(who.user.info.id), PgParam(who.device.id),
                                   PgParam(nlohmann::json::array({state.incidentId}).dump())});
            if (!d)
                return std::move(d).error();
        }
        // Every part sent is in the server's chain (a device that fetches parts again is seen doing so).
        ServerAuditEntry e;
        e.at = now;
        e.actor = who.user.info.id;
        e.action = "disclosure";
        e.userId = who.user.info.id;
        e.deviceId = who.device.id;
        e.incidents = {state.incidentId};
        e.detail = {{"kind", "photo_part"}, {"attachment", state.file.id}, {"part", index},
                    {"bytes", static_cast<std::int64_t>(bytes.size())}};
        VIGIL_TRY(appendServerAudit(std::move(e)));
        out = std::move(bytes);
        return {};
    });
    if (!done.ok())
        return std::move(done).error();
    return out;
}

}  // namespace vigil::sync
