#include "core/records/AttachmentRepository.h"

#include <array>

#include <sodium.h>

#include "core/common/Uuid.h"
#include "core/records/ImageSanitiser.h"
#include "core/store/Database.h"
#include "core/store/SecureBytes.h"

namespace vigil {

namespace {

std::string sha256Hex(std::span<const std::uint8_t> bytes)
{
    ensureSodium();
    std::array<unsigned char, crypto_hash_sha256_BYTES> h{};
    crypto_hash_sha256(h.data(), bytes.data(), bytes.size());
    return toHex(h);
}

std::string megabytes(std::size_t bytes)
{
    return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

AttachmentInfo infoFrom(const RecordRow& row)
{
    AttachmentInfo info;
    info.id = row.id;
    info.incidentId = row.incidentId;
    info.mimeType = row.field("mime").is_string() ? row.field("mime").get<std::string>() : "";
    info.caption = row.field("caption").is_string() ? row.field("caption").get<std::string>() : "";
    info.sha256 = row.field("sha256").is_string() ? row.field("sha256").get<std::string>() : "";
    info.size = row.field("size").is_number_integer() ? row.field("size").get<std::int64_t>() : 0;
    info.chunks = row.field("chunks").is_number_integer() ? row.field("chunks").get<std::int64_t>() : 0;
    return info;
}

}  // namespace

Result<std::vector<AttachmentInfo>> AttachmentRepository::list(const std::string& incidentId)
{
    auto rows = m_store.rowsOfIncident(Entity::Attachment, incidentId);
    if (!rows)
        return std::move(rows).error();
    std::vector<AttachmentInfo> out;
    for (const auto& row : *rows)
        out.push_back(infoFrom(row));
    return out;
}

Result<std::string> AttachmentRepository::import(const Actor& actor, const std::string& incidentId,
                                                 std::span<const std::uint8_t> photo, const std::string& caption)
{
    auto clean = sanitiseImage(photo);
    if (!clean)
        return std::move(clean).error();
    const std::size_t size = clean->bytes.size();
    if (size > m_limits.maxFileBytes) {
        return makeError(ErrorCode::InvalidArgument, "This photo is " + megabytes(size) + "; the limit is "
                                                         + megabytes(m_limits.maxFileBytes)
                                                         + " per photo. Take it again at a lower resolution.", "evidence.photos");
    }
    auto existing = list(incidentId);
    if (!existing)
        return std::move(existing).error();
    std::size_t total = size;
    for (const auto& a : *existing)
        total += static_cast<std::size_t>(a.size);
    if (total > m_limits.maxIncidentBytes) {
        return makeError(ErrorCode::InvalidArgument,
                         "This incident's photos would take " + megabytes(total) + "; the limit is "
                             + megabytes(m_limits.maxIncidentBytes)
                             + " per incident. Remove a photo you no longer need, or attach fewer.",
                         "evidence.photos");
    }
    const std::string id = newUuid();
    const auto chunkCount = static_cast<std::int64_t>((size + m_limits.chunkBytes - 1) / m_limits.chunkBytes);
    Status stored = m_store.transaction([&]() -> Status {
        nlohmann::json removed = clean->removed;
        // The parent goes in the links as for every other record, so other devices hold it too.
        VIGIL_TRY(m_store.create(actor, Entity::Attachment, id, incidentId, incidentId,
                                 {{"incident", incidentId}, {"parent", incidentId}},
                                 {{"mime", clean->mimeType},
                                  {"caption", caption},
                                  {"size", static_cast<std::int64_t>(size)},
                                  {"sha256", sha256Hex(clean->bytes)},
                                  {"chunks", chunkCount},
                                  {"metadata_removed", removed}}));
        auto q = m_store.database().prepare("INSERT INTO attachment_chunk (attachment_id, idx, data) VALUES (?1, ?2, ?3);");
        if (!q)
            return std::move(q).error();
        for (std::int64_t i = 0; i < chunkCount; ++i) {
            const std::size_t from = static_cast<std::size_t>(i) * m_limits.chunkBytes;
            const std::size_t n = std::min(m_limits.chunkBytes, size - from);
            q->bind(1, id).bind(2, i).bindBlob(3, std::span(clean->bytes).subspan(from, n));
            VIGIL_TRY(q->run());
        }
        // The bytes still have to reach the server (the sync engine sends them after the record).
        auto up = m_store.database().prepare("INSERT OR REPLACE INTO attachment_transfer (attachment_id, direction)"
                                             " VALUES (?1, 'up');");
        if (!up)
            return std::move(up).error();
        up->bind(1, id);
        return up->run();
    });
    sodium_memzero(clean->bytes.data(), clean->bytes.size());
    if (!stored.ok())
        return std::move(stored).error();
    return id;
}

Result<std::vector<std::uint8_t>> AttachmentRepository::read(const Actor& actor, const std::string& attachmentId)
{
    auto row = m_store.get(Entity::Attachment, attachmentId);
    if (!row)
        return std::move(row).error();
    if (!row->has_value() || (*row)->deleted) {
        return makeError(ErrorCode::NotFound, "That photo is not on this device (it may have been removed, or its "
                                              "upload has not finished). Sync and try again.");
    }
    const AttachmentInfo info = infoFrom(**row);
    auto q = m_store.database().prepare("SELECT idx, data FROM attachment_chunk WHERE attachment_id = ?1 ORDER BY idx;");
    if (!q)
        return std::move(q).error();
    q->bind(1, attachmentId);
    std::vector<std::uint8_t> bytes;
    bytes.reserve(static_cast<std::size_t>(info.size));
    std::int64_t expected = 0;
    for (;;) {
        auto step = q->step();
        if (!step)
            return std::move(step).error();
        if (!*step)
            break;
        if (q->columnInt(0) != expected)
            break;
        const auto blob = q->columnBlob(1);
        bytes.insert(bytes.end(), blob.begin(), blob.end());
        ++expected;
    }
    if (expected != info.chunks || static_cast<std::int64_t>(bytes.size()) != info.size || sha256Hex(bytes) != info.sha256) {
        return makeError(ErrorCode::Corrupt, "This photo is incomplete on this device (" + std::to_string(expected) + " of "
                                                 + std::to_string(info.chunks)
                                                 + " parts). Sync to fetch the rest; if that does not help, attach it again.");
    }
    VIGIL_TRY(m_store.audit(actor, AuditAction::Consultation, Entity::Attachment, info.incidentId,
                            "photo " + attachmentId + " viewed"));
    return bytes;
}

Status AttachmentRepository::remove(const Actor& actor, const std::string& attachmentId)
{
    return m_store.transaction([&]() -> Status {
        VIGIL_TRY(m_store.remove(actor, Entity::Attachment, attachmentId));
        auto q = m_store.database().prepare("DELETE FROM attachment_chunk WHERE attachment_id = ?1;");
        if (!q)
            return std::move(q).error();
        q->bind(1, attachmentId);
        VIGIL_TRY(q->run());
        return dropTransfer(attachmentId);
    });
}

Result<std::vector<std::string>> AttachmentRepository::pendingTransfers(std::string_view direction)
{
    auto q = m_store.database().prepare(
        "SELECT attachment_id FROM attachment_transfer WHERE direction = ?1 ORDER BY attachment_id;");
    if (!q)
        return std::move(q).error();
    q->bind(1, direction);
    std::vector<std::string> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.push_back(row.columnText(0)); }));
    return out;
}

Status AttachmentRepository::expectDownload(const std::string& attachmentId)
{
    auto q = m_store.database().prepare("INSERT OR IGNORE INTO attachment_transfer (attachment_id, direction)"
                                        " VALUES (?1, 'down');");
    if (!q)
        return std::move(q).error();
    q->bind(1, attachmentId);
    return q->run();
}

Status AttachmentRepository::markUploaded(const std::string& attachmentId)
{
    return dropTransfer(attachmentId);
}

Result<std::int64_t> AttachmentRepository::queueOwnUploads()
{
    auto q = m_store.database().prepare(
        "INSERT OR IGNORE INTO attachment_transfer (attachment_id, direction)"
        " SELECT a.id, 'up' FROM attachment a WHERE a.deleted = 0 AND a.origin = ?1"
        " AND EXISTS (SELECT 1 FROM attachment_chunk c WHERE c.attachment_id = a.id);");
    if (!q)
        return std::move(q).error();
    q->bind(1, m_store.deviceId());
    VIGIL_TRY(q->run());
    return static_cast<std::int64_t>(m_store.database().changes());
}

Status AttachmentRepository::dropTransfer(const std::string& attachmentId)
{
    auto q = m_store.database().prepare("DELETE FROM attachment_transfer WHERE attachment_id = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, attachmentId);
    return q->run();
}

Result<std::int64_t> AttachmentRepository::storedChunks(const std::string& attachmentId)
{
    auto q = m_store.database().prepare("SELECT idx FROM attachment_chunk WHERE attachment_id = ?1 ORDER BY idx;");
    if (!q)
        return std::move(q).error();
    q->bind(1, attachmentId);
    std::int64_t run = 0;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        if (row.columnInt(0) == run)
            ++run;
    }));
    return run;
}

Result<std::vector<std::uint8_t>> AttachmentRepository::chunk(const std::string& attachmentId, std::int64_t index)
{
    auto q = m_store.database().prepare("SELECT data FROM attachment_chunk WHERE attachment_id = ?1 AND idx = ?2;");
    if (!q)
        return std::move(q).error();
    q->bind(1, attachmentId).bind(2, index);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row) {
        return makeError(ErrorCode::NotFound, "Part " + std::to_string(index + 1)
                                                  + " of this photo is not on this device, so it cannot be sent. "
                                                    "Attach the photo again.");
    }
    const auto blob = q->columnBlob(0);
    return std::vector<std::uint8_t>(blob.begin(), blob.end());
}

Status AttachmentRepository::storeChunk(const std::string& attachmentId, std::int64_t index,
                                        std::span<const std::uint8_t> bytes)
{
    return m_store.transaction([&]() -> Status {
        auto have = storedChunks(attachmentId);
        if (!have)
            return std::move(have).error();
        if (index != *have) {
            return makeError(ErrorCode::InvalidArgument, "Photo parts must arrive in order (expected part "
                                                             + std::to_string(*have + 1) + "); sync again.");
        }
        auto q = m_store.database().prepare("INSERT INTO attachment_chunk (attachment_id, idx, data) VALUES (?1, ?2, ?3);");
        if (!q)
            return std::move(q).error();
        q->bind(1, attachmentId).bind(2, index).bindBlob(3, bytes);
        return q->run();
    });
}

Status AttachmentRepository::finishDownload(const std::string& attachmentId)
{
    auto row = m_store.get(Entity::Attachment, attachmentId);
    if (!row)
        return std::move(row).error();
    if (!row->has_value() || (*row)->deleted)
        return dropTransfer(attachmentId);
    const AttachmentInfo info = infoFrom(**row);
    auto q = m_store.database().prepare("SELECT data FROM attachment_chunk WHERE attachment_id = ?1 ORDER BY idx;");
    if (!q)
        return std::move(q).error();
    q->bind(1, attachmentId);
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::int64_t size = 0;
    std::int64_t count = 0;
    VIGIL_TRY(q->forEach([&](const Query& r) {
        const auto blob = r.columnBlob(0);
        crypto_hash_sha256_update(&state, blob.data(), blob.size());
        size += static_cast<std::int64_t>(blob.size());
        ++count;
    }));
    std::array<unsigned char, crypto_hash_sha256_BYTES> h{};
    crypto_hash_sha256_final(&state, h.data());
    if (count != info.chunks || size != info.size || toHex(h) != info.sha256) {
        VIGIL_TRY(m_store.transaction([&]() -> Status {
            auto del = m_store.database().prepare("DELETE FROM attachment_chunk WHERE attachment_id = ?1;");
            if (!del)
                return std::move(del).error();
            del->bind(1, attachmentId);
            return del->run();
        }));
        return makeError(ErrorCode::Corrupt, "A photo arrived damaged: its content does not match the check in its "
                                             "record. It was not kept; Vigil fetches it again at the next sync.");
    }
    return dropTransfer(attachmentId);
}

}  // namespace vigil
