#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/records/RecordStore.h"

namespace vigil {

/// Size limits for photos (configurable per force).
struct AttachmentLimits {
    std::size_t maxFileBytes = 15 * 1024 * 1024;       ///< one photo after metadata removal
    std::size_t maxIncidentBytes = 100 * 1024 * 1024;  ///< all photos of one incident
    std::size_t chunkBytes = 256 * 1024;               ///< storage and sync unit
};

/// What the list shows about a stored photo.
struct AttachmentInfo {
    std::string id;
    std::string incidentId;
    std::string mimeType;
    std::string caption;
    std::string sha256;  ///< hex of the stored (sanitised) bytes, checked on every read
    std::int64_t size = 0;
    std::int64_t chunks = 0;
};

/// Photos of injuries and scenes, stored inside the encrypted store as chunked blobs with
/// EXIF and location stripped on import, never written to a temporary file.
class AttachmentRepository {
public:
    AttachmentRepository(RecordStore& store, AttachmentLimits limits = {}) : m_store(store), m_limits(limits) {}

    /// Sanitise and store a photo for an incident; returns its id.
    [[nodiscard]] Result<std::string> import(const Actor& actor, const std::string& incidentId,
                                             std::span<const std::uint8_t> photo, const std::string& caption);
    /// The stored bytes (audited as a consultation). A hash mismatch is reported as damage.
    [[nodiscard]] Result<std::vector<std::uint8_t>> read(const Actor& actor, const std::string& attachmentId);
    [[nodiscard]] Result<std::vector<AttachmentInfo>> list(const std::string& incidentId);
    /// Remove a photo: tombstone for sync, bytes deleted now.
    [[nodiscard]] Status remove(const Actor& actor, const std::string& attachmentId);

    // --- sync: photo bytes travel in chunks, resumably (docs/sync-protocol.md) ---
    /// Photos whose bytes must still go to the server ("up") or come from it ("down").
    [[nodiscard]] Result<std::vector<std::string>> pendingTransfers(std::string_view direction);
    /// A photo made elsewhere arrived as a record: fetch its bytes. Ignored when they are here.
    [[nodiscard]] Status expectDownload(const std::string& attachmentId);
    /// The server has all of this photo (its hash checked): nothing more to send.
    [[nodiscard]] Status markUploaded(const std::string& attachmentId);
    /// Forget a transfer whose photo is gone (removed, or its incident left this device).
    [[nodiscard]] Status dropTransfer(const std::string& attachmentId);
    /// Upload again every photo this device took whose bytes it holds (after the server was
    /// restored from a backup: it may have lost them). Each upload first asks the server what it
    /// holds and sends only what is missing, so a photo the server kept costs one question.
    /// How many were queued.
    [[nodiscard]] Result<std::int64_t> queueOwnUploads();
    /// Chunks 0..n-1 held here, in one unbroken run from the first: where a download resumes.
    [[nodiscard]] Result<std::int64_t> storedChunks(const std::string& attachmentId);
    /// One stored chunk, as stored (for upload).
    [[nodiscard]] Result<std::vector<std::uint8_t>> chunk(const std::string& attachmentId, std::int64_t index);
    /// Keep one downloaded chunk (its own check already done). `index` must be the next one
    /// (storedChunks); each chunk is its own transaction, so a cut download keeps what came.
    [[nodiscard]] Status storeChunk(const std::string& attachmentId, std::int64_t index, std::span<const std::uint8_t> bytes);
    /// All chunks are here: check the whole photo against the SHA-256 its record carries. On a
    /// mismatch the chunks are dropped (fetched again from the start) and Corrupt is returned.
    [[nodiscard]] Status finishDownload(const std::string& attachmentId);

private:
    RecordStore& m_store;
    AttachmentLimits m_limits;
};

}  // namespace vigil
