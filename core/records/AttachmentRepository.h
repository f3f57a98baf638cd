#pragma once

#include <cstdint>
#include <span>
#include <string>
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

private:
    RecordStore& m_store;
    AttachmentLimits m_limits;
};

}  // namespace vigil
