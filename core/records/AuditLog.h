#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"

namespace vigil {

class Database;

/// The processing kinds the Data Protection Act 2018 s.62 requires logs of.
enum class AuditAction { Collection, Alteration, Consultation, Disclosure, Combination, Erasure };

[[nodiscard]] std::string_view toString(AuditAction action) noexcept;
[[nodiscard]] std::optional<AuditAction> auditActionFromString(std::string_view text) noexcept;

/// One audit entry: who did what to which record, when, why, and to whom it was disclosed.
/// Entries hold metadata only (field names, never values): an erasure entry must not keep
/// what was erased.
struct AuditEntry {
    std::int64_t seq = 0;     ///< position in this device's chain, from 1
    std::string at;           ///< UTC, ISO 8601 with milliseconds
    std::string actor;        ///< user id
    std::string device;       ///< device id
    AuditAction action = AuditAction::Consultation;
    std::string entity;       ///< e.g. "incident"
    std::string recordId;     ///< the record concerned (the incident for its parts)
    std::string justification;
    std::vector<std::string> recipients;  ///< for disclosures
    std::string detail;       ///< metadata, e.g. "fields: refs.cris, flags.hbv"
    std::string prevHash;     ///< hex hash of the previous entry ("" for the first)
    std::string hash;         ///< hex BLAKE2b-256 over prevHash and this entry's content
    std::string mac;          ///< hex HMAC-SHA-512-256 of seq and hash under the store's audit key
                              ///< (Database::auditMacKey); kept on the device, never sent

    friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

[[nodiscard]] nlohmann::json auditEntryToJson(const AuditEntry& entry);
/// The entry an `@append` op carries, read strictly: exactly the keys auditEntryToJson writes,
/// each of its type, and a known action. Nullopt for anything else (the server refuses it).
[[nodiscard]] std::optional<AuditEntry> auditEntryFromJson(const nlohmann::json& value);

/// What the verifier found.
struct AuditVerification {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> firstBadSeq;  ///< the first removed, altered or reordered entry
    std::string problem;                       ///< in words
};

/// The device's audit chain (table `audit_log`). Each entry is hash-chained to the one
/// before; the head (count and last hash) is kept in `store_meta`, so removing the newest
/// entries is detected too. Append within the caller's transaction.
class AuditLog {
public:
    explicit AuditLog(Database& db) : m_db(db) {}

    /// Append an entry (seq, prevHash and hash are filled in). Returns the stored entry.
    [[nodiscard]] Result<AuditEntry> append(AuditEntry entry);
    /// Walk the whole chain and report the first entry that was removed, altered or moved.
    [[nodiscard]] Result<AuditVerification> verify();
    /// Entries about one record, oldest first.
    [[nodiscard]] Result<std::vector<AuditEntry>> forRecord(const std::string& recordId);
    [[nodiscard]] Result<std::int64_t> count();

    /// The chain hash of an entry given the previous hash (exposed for the verifier's tests).
    /// Unkeyed: the server recomputes it for every entry pushed to it.
    [[nodiscard]] static std::string chainHash(const AuditEntry& entry);
    /// The entry's MAC under `key` (crypto_auth over its seq and chain hash): only a holder of the
    /// store's data key can write an entry, or the head, that verifies.
    [[nodiscard]] static std::string entryMac(std::span<const unsigned char> key, std::int64_t seq,
                                              const std::string& hash);
    [[nodiscard]] static std::string headMac(std::span<const unsigned char> key, const std::string& head);
    /// Schema step: MAC every entry written before the chain was keyed, and the head.
    [[nodiscard]] static Status keyExistingEntries(Database& db);

private:
    Database& m_db;
};

}  // namespace vigil
