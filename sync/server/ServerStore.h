#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/figures/Figures.h"
#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// A keyed hash as stored for device tokens and enrolment-code secrets.
using SecretHash = std::array<unsigned char, 32>;

/// A person who may use Vigil. `id` is chosen by the administrator (isValidUserId).
struct UserRecord {
    UserInfo info;
    bool active = true;
    std::int64_t createdAt = 0;  ///< Unix seconds
    std::int64_t updatedAt = 0;
};

/// An enrolled device. The token itself is never stored, only its keyed hash.
struct DeviceRecord {
    std::string id;
    std::string userId;
    std::string name;
    std::int64_t enrolledAt = 0;
    std::optional<std::int64_t> revokedAt;
    bool wipe = false;
    std::int64_t lastSeenAt = 0;
    bool hasWipeReceipt = false;          ///< the server can verify this device's wipe report
    std::optional<std::int64_t> wipedAt;  ///< when the device confirmed its wipe
    std::string wipeReason;               ///< "remote" (ordered) or "user" (wiped on the device)
    std::string wipeReport;               ///< what the device said it destroyed (JSON list)
    std::int64_t tokenIssuedAt = 0;       ///< when its credential in use was issued (rotation)
    std::optional<std::int64_t> expiredAt;  ///< when its credential expired unused (re-enrol)
};

/// What a user may do with a photo's bytes (from its record's incident and the access rules).
enum class AttachmentAccess {
    Unknown,   ///< no such record, its record is not complete yet, or outside the user's scope
    Readable,  ///< may download
    Writable,  ///< may download and upload
    Removed,   ///< the photo was removed (tombstone)
};

/// A photo as the server knows it: what its record declares, and what bytes it holds.
struct AttachmentState {
    AttachmentAccess access = AttachmentAccess::Unknown;
    std::string incidentId;
    AttachmentStatus file;  ///< size, sha256 and chunks from the record; received/complete from the store
};

/// What storing a chunk did.
struct ChunkStored {
    AttachmentStatus file;
    bool wholeMismatch = false;  ///< the last chunk made a photo that does not match its record: all dropped
};

/// What a wipe report did.
enum class WipeRecordOutcome { Recorded, AlreadyRecorded, NotVerified };

/// A one-time enrolment code (the secret only as a keyed hash).
struct EnrolCodeRecord {
    std::string id;
    std::string userId;
    SecretHash secretHash{};
    std::int64_t createdAt = 0;
    std::int64_t expiresAt = 0;
    int maxTries = 5;
    int failures = 0;
    std::optional<std::int64_t> usedAt;
    std::string deviceId;  ///< the device it enrolled, once used
};

/// What redeeming a code did. Anything but Enrolled leaves no device behind.
enum class RedeemOutcome {
    Enrolled, UnknownCode, WrongSecret, Expired, AlreadyUsed, TooManyTries, UserInactive,
    ReenrolRefused,  ///< the previous credential names no device of the code's user that may come back
};

/// A redemption attempt: all of it happens in one transaction in the store.
struct RedeemAttempt {
    std::string codeId;
    SecretHash secretHash{};
    std::int64_t now = 0;
    DeviceRecord newDevice;  ///< id, name; userId is filled from the code
    SecretHash tokenHash{};
    SecretHash wipeReceiptHash{};  ///< of the receipt derived from the new token
    /// Re-enrolment: the keyed hash of the device's previous (expired) credential. The device
    /// keeps its id; only an expired device of the code's user, not revoked, comes back this way.
    std::optional<SecretHash> previousTokenHash;
};

struct RedeemResult {
    RedeemOutcome outcome = RedeemOutcome::UnknownCode;
    int triesLeft = 0;
    std::optional<UserRecord> user;  ///< set when Enrolled
    std::string deviceId;            ///< the device enrolled (the same one on a re-enrolment)
};

/// The device and the user behind a presented token.
struct DeviceIdentity {
    DeviceRecord device;
    UserRecord user;
    /// The request came with the device's new credential, not yet used (token rotation): its
    /// first use confirms the device holds it, and the old one stops working (confirmToken).
    bool pendingToken = false;
};

/// The server's persistent state behind one interface, so a PostgreSQL backend can replace
/// the embedded SQLCipher file for a force that outgrows one machine. Implementations are
/// used from one thread at a time.
/// An op of the log stamped ahead of its arrival (`vigil-admin stamps`).
struct FutureStamp {
    std::int64_t cursor = 0;
    std::string device;
    std::string userId;
    std::string incidentId;
    std::string entity;
    std::string field;
    std::uint64_t hlc = 0;
    std::int64_t receivedAt = 0;  ///< seconds since the epoch
};

/// What `vigil-admin stamps --repair` did.
struct StampRepair {
    std::vector<FutureStamp> restamped;
    std::int64_t incidents = 0;  ///< incidents queued to be sent again
    std::int64_t deliveries = 0;  ///< (device, incident) pairs queued
};

/// A bank-holiday list an administrator imported (`vigil-admin bank-holidays import`): the file as
/// given, and who imported it. Each import is kept; the highest version is the one handed out.
struct BankHolidayImport {
    int version = 0;
    std::string text;      ///< the file as imported (gov.uk format with Vigil's "vigil" block)
    std::string sha256;    ///< hex, of `text`
    std::string coversFrom;  ///< YYYY-MM-DD
    std::string coversTo;
    std::int64_t holidays = 0;  ///< England and Wales events in it
    std::int64_t importedAt = 0;  ///< Unix seconds
    std::string importedBy;  ///< the server account that ran vigil-admin ("root", "vigil-admin", ...)
    std::string fileName;    ///< the file's name as given
    std::string removed;     ///< JSON list of the dates it dropped from the list before it (--allow-removals)
};

/// One entry of the server's own hash-chained log (table `server_audit`, DPA 2018 s.62):
/// disclosures, denials and every administrator's change. seq, prevHash and hash are filled
/// in when it is appended.
struct ServerAuditEntry {
    std::int64_t at = 0;       ///< Unix seconds
    std::string actor;         ///< the user, or the OS account that ran vigil-admin
    std::string action;        ///< e.g. "disclosure", "access_denied", "user_changed"
    std::string userId;        ///< the user concerned ("" for none)
    std::string deviceId;      ///< the device concerned ("" for none)
    std::vector<std::string> incidents;  ///< the records concerned
    nlohmann::json detail = nlohmann::json::object();  ///< metadata only, never record values
    std::int64_t seq = 0;
    std::string prevHash;
    std::string hash;
};

/// An entry to append to the server's audit chain, at `at` (Unix seconds).
inline ServerAuditEntry serverEntry(std::int64_t at, std::string actor, std::string action, std::string userId,
                                    std::string deviceId, std::vector<std::string> incidents, nlohmann::json detail)
{
    ServerAuditEntry e;
    e.at = at;
    e.actor = std::move(actor);
    e.action = std::move(action);
    e.userId = std::move(userId);
    e.deviceId = std::move(deviceId);
    e.incidents = std::move(incidents);
    e.detail = std::move(detail);
    return e;
}

/// What `vigil-admin audit verify` found.
struct ServerAuditVerification {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> firstBadSeq;
    std::string problem;
};

/// Which trail `vigil-admin audit export` writes.
struct AuditTrailFilter {
    std::string record;   ///< a record id (an incident or any record of one)
    std::string person;   ///< a person record id
    std::string user;     ///< a user id (as actor or as the one concerned)
    std::int64_t from = 0;                 ///< Unix seconds, inclusive
    std::int64_t to = INT64_MAX;           ///< Unix seconds, exclusive
};

/// One line of an exported trail: from the server's chain or from a device's chain.
struct AuditTrailRow {
    std::string source;  ///< "server" or "device"
    std::int64_t seq = 0;
    std::int64_t at = 0;   ///< Unix seconds (server) or 0 (device: see atText)
    std::string atText;    ///< UTC, ISO 8601
    std::string actor;
    std::string action;
    std::string userId;
    std::string deviceId;
    std::vector<std::string> records;
    std::string detail;    ///< JSON text (server) or the device's words
    std::string hash;
};

/// A device whose ops an administrator holds back (`vigil-admin quarantine list`).
struct QuarantinedDevice {
    std::string deviceId;
    std::int64_t at = 0;
    std::string by;      ///< who quarantined it (the OS account that ran vigil-admin)
    std::string reason;
    std::int64_t ops = 0;  ///< its ops in the op log, held back
};

class ServerStore {
public:
    virtual ~ServerStore() = default;

    [[nodiscard]] virtual Status addUser(const UserRecord& user) = 0;
    [[nodiscard]] virtual Status updateUser(const UserRecord& user) = 0;
    [[nodiscard]] virtual Result<std::optional<UserRecord>> findUser(const std::string& id) = 0;
    [[nodiscard]] virtual Result<std::vector<UserRecord>> listUsers() = 0;

    [[nodiscard]] virtual Status addEnrolCode(const EnrolCodeRecord& code) = 0;
    /// Check and (on success) consume a code and create the device, atomically. A wrong
    /// secret for a live code counts a failure; the code dies after maxTries failures.
    /// Secret hashes are compared in constant time.
    [[nodiscard]] virtual Result<RedeemResult> redeemEnrolCode(const RedeemAttempt& attempt) = 0;

    /// The device holding this token, active or revoked; nullopt for an unknown token.
    [[nodiscard]] virtual Result<std::optional<DeviceIdentity>> findDeviceByToken(const SecretHash& tokenHash) = 0;
    [[nodiscard]] virtual Result<std::vector<DeviceRecord>> listDevices() = 0;
    /// Revoke (and optionally order a wipe of) a device. NotFound for an unknown id.
    [[nodiscard]] virtual Status revokeDevice(const std::string& deviceId, std::int64_t now, bool wipe) = 0;
    [[nodiscard]] virtual Status touchDevice(const std::string& deviceId, std::int64_t now) = 0;
    /// Keep the hash of a device's wipe receipt (devices enrolled before receipts existed get
    /// it on their next authenticated request). Sync part 2; a store without it says so.
    [[nodiscard]] virtual Status setWipeReceipt(const std::string& deviceId, const SecretHash& receiptHash)
    {
        (void)deviceId;
        (void)receiptHash;
        return makeError(ErrorCode::Internal, "This server store cannot keep wipe receipts. Use the SQLCipher store.");
    }
    /// A device reports it has wiped itself: verify the receipt (constant time), record when
    /// and why, revoke the device and retire its credential, in one transaction. A repeated
    /// report of the same wipe is AlreadyRecorded; an unknown device or receipt NotVerified.
    [[nodiscard]] virtual Result<WipeRecordOutcome> recordWipe(const std::string& deviceId, const SecretHash& receiptHash,
                                                               std::int64_t now, const std::string& reason,
                                                               const std::string& report)
    {
        (void)deviceId;
        (void)receiptHash;
        (void)now;
        (void)reason;
        (void)report;
        return makeError(ErrorCode::Internal, "This server store cannot record wipes. Use the SQLCipher store.");
    }

    // --- credentials (issue 22) ---
    /// Keep the hash of a new credential for the device beside the one in use (replacing a new
    /// one never used). Both work until the device uses the new one.
    [[nodiscard]] virtual Status issuePendingToken(const std::string& deviceId, const SecretHash& pendingHash,
                                                   std::int64_t now)
    {
        (void)deviceId;
        (void)pendingHash;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot rotate credentials. Use the SQLCipher store.");
    }
    /// The device used its new credential: it becomes the only one (the old stops working), with
    /// the wipe receipt derived from it. Audited.
    [[nodiscard]] virtual Status confirmToken(const std::string& deviceId, const SecretHash& receiptHash,
                                              std::int64_t now)
    {
        (void)deviceId;
        (void)receiptHash;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot rotate credentials. Use the SQLCipher store.");
    }
    /// Mark a device's credential expired (not in contact for too long). Audited once.
    [[nodiscard]] virtual Status expireDevice(const std::string& deviceId, std::int64_t now)
    {
        (void)deviceId;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot expire credentials. Use the SQLCipher store.");
    }

    // --- restore (issue 22) ---
    /// The store's incarnation: set when the store is made, replaced by `vigil-admin restore`.
    [[nodiscard]] virtual Result<std::string> incarnation() { return std::string(); }
    /// The last seq decided for the device (0 for none).
    [[nodiscard]] virtual Result<std::int64_t> lastSeq(const std::string& deviceId)
    {
        (void)deviceId;
        return makeError(ErrorCode::Internal, "This server store keeps no sequence. Use the SQLCipher store.");
    }

    /// Commit a batch of ops from `who.device` in one transaction: deduplicated by
    /// (device, seq) — a retried op changes nothing and gets the same answer — checked
    /// against the access rules (an op outside the user's scope is rejected and audited),
    /// then appended to the op log under a new monotonic cursor. Ops must come in seq order;
    /// processing stops at a gap. Returns only after commit.
    [[nodiscard]] virtual Result<PushResponse> pushOps(const DeviceIdentity& who, const std::vector<Op>& ops,
                                                       std::int64_t now) = 0;
    /// Photo `id` as `who` may see it (access by its incident, like its record).
    [[nodiscard]] virtual Result<AttachmentState> attachment(const DeviceIdentity& who, const std::string& id)
    {
        (void)who;
        (void)id;
        return makeError(ErrorCode::Internal, "This server store cannot keep photos. Use the SQLCipher store.");
    }
    /// Store chunk `index` of photo `id` (the caller checked access, order and the chunk's own
    /// hash). The chunk that completes the photo has the whole photo checked against its record;
    /// on a mismatch every chunk is dropped (the upload starts again) and wholeMismatch is set.
    [[nodiscard]] virtual Result<ChunkStored> storeAttachmentChunk(const DeviceIdentity& who, const AttachmentState& state,
                                                                   std::int64_t index,
                                                                   std::span<const unsigned char> bytes, std::int64_t now)
    {
        (void)who;
        (void)state;
        (void)index;
        (void)bytes;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot keep photos. Use the SQLCipher store.");
    }
    /// Chunk `index` of a complete photo; sending chunk 0 is logged as a disclosure.
    [[nodiscard]] virtual Result<std::optional<std::vector<unsigned char>>> attachmentChunk(
        const DeviceIdentity& who, const AttachmentState& state, std::int64_t index, std::int64_t now)
    {
        (void)who;
        (void)state;
        (void)index;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot keep photos. Use the SQLCipher store.");
    }

    /// Ops the user may see after `cursor.position`, at most `limit` (plus the full history of
    /// an incident that has just become visible), the next cursor, and the incidents that left
    /// the user's scope. History and `forget` are computed against the view the cursor names
    /// and count as delivered only once a later pull names the view of their page (see
    /// PullCursor). Logged as a disclosure (DPA 2018 s.62).
    [[nodiscard]] virtual Result<PullResponse> pullOps(const DeviceIdentity& who, const PullCursor& cursor,
                                                       std::size_t limit, std::int64_t now) = 0;

    /// Ops in the log stamped more than `aheadSeconds` past the moment they arrived (pushed
    /// before the server refused such stamps, or let in by a wide `clock_tolerance_seconds`).
    [[nodiscard]] virtual Result<std::vector<FutureStamp>> futureStamps(std::int64_t aheadSeconds) = 0;
    /// Re-stamp those ops at the moment they arrived (and the bases that named them), and queue
    /// every incident they touch to be sent again whole to each device holding it. The caller
    /// discards the materialised records copy, which the server then rebuilds at start.
    [[nodiscard]] virtual Result<StampRepair> repairStamps(std::int64_t aheadSeconds) = 0;

    /// The highest version of the bank-holiday lists imported, 0 when none (every pull answer names it).
    [[nodiscard]] virtual Result<int> bankHolidaysVersion() { return 0; }
    /// The list of that version with who imported it; nullopt when none.
    [[nodiscard]] virtual Result<std::optional<BankHolidayImport>> bankHolidays() { return std::optional<BankHolidayImport>{}; }
    /// Every import, newest first, without the text.
    [[nodiscard]] virtual Result<std::vector<BankHolidayImport>> bankHolidayImports()
    {
        return std::vector<BankHolidayImport>{};
    }
    /// Keep an imported list. AlreadyExists (nothing kept) when its version is not above every list
    /// imported before: checked in the same transaction, so two imports at once cannot both win.
    [[nodiscard]] virtual Status addBankHolidays(const BankHolidayImport& list)
    {
        (void)list;
        return makeError(ErrorCode::Internal, "This server store cannot keep a bank-holiday list. Use the SQLCipher store.");
    }

    /// Who the administrator's changes made through this store are recorded as (vigil-admin: the
    /// OS account that ran it). The server's own entries name the user of each request.
    virtual void setAuditActor(std::string actor) { (void)actor; }
    /// Walk the server's hash-chained log and name the first entry removed, altered or moved.
    [[nodiscard]] virtual Result<ServerAuditVerification> verifyAudit()
    {
        return makeError(ErrorCode::Internal, "This server store keeps no audit chain. Use the SQLCipher store.");
    }
    /// The trail of one record, person or user in a period: the server's entries and the devices'.
    [[nodiscard]] virtual Result<std::vector<AuditTrailRow>> auditTrail(const AuditTrailFilter& filter)
    {
        (void)filter;
        return makeError(ErrorCode::Internal, "This server store keeps no audit chain. Use the SQLCipher store.");
    }

    /// A page of the snapshot a device that has never pulled starts from (GET /v1/snapshot):
    /// every row of the incidents the user may see now, whole incidents, in incident-id order,
    /// after the position `from` names ("" to start), about `limit` rows. Starting registers the
    /// incidents as a pending view and fixes the op-log position the device then pulls from
    /// (PullCursor), so no history is sent twice. Logged as a disclosure. NotFound when this store
    /// keeps no materialised records (the device then replays the op log).
    [[nodiscard]] virtual Result<SnapshotPage> snapshotPage(const DeviceIdentity& who, const std::string& from,
                                                            std::size_t limit, std::size_t maxBytes, std::int64_t now)
    {
        (void)who;
        (void)from;
        (void)limit;
        (void)maxBytes;
        (void)now;
        return makeError(ErrorCode::NotFound, "This server store offers no snapshot.");
    }

    /// Quarantine (issue 22, `vigil-admin quarantine`): hold a device's ops back from every other
    /// device, refuse its pushes, and record it in the server's audit chain.
    [[nodiscard]] virtual Status quarantineDevice(const std::string& deviceId, const std::string& reason, std::int64_t now)
    {
        (void)deviceId;
        (void)reason;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot quarantine a device. Use the SQLCipher store.");
    }
    /// Serve its ops again (the incidents they touch are sent again whole to the devices holding
    /// them); the number of such deliveries queued. Audited.
    [[nodiscard]] virtual Result<std::int64_t> releaseDevice(const std::string& deviceId, std::int64_t now)
    {
        (void)deviceId;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store cannot quarantine a device. Use the SQLCipher store.");
    }
    [[nodiscard]] virtual Result<std::vector<QuarantinedDevice>> quarantinedDevices()
    {
        return std::vector<QuarantinedDevice>{};
    }

    /// The figures of docs/figures.md for `request` (numbers only; never incident ids) over the
    /// copy of every record, with the code a device runs (issue 25). NotFound when this store
    /// keeps no copy of the records.
    [[nodiscard]] virtual Result<FigureSet> figures(const FigureRequest& request)
    {
        (void)request;
        return makeError(ErrorCode::NotFound, "This server store keeps no copy of the records to count figures from.");
    }
    /// The boroughs with a received incident dated from `from` (included) to `to` (excluded).
    [[nodiscard]] virtual Result<std::vector<std::string>> figureBoroughs(const std::string& from, const std::string& to)
    {
        (void)from;
        (void)to;
        return makeError(ErrorCode::NotFound, "This server store keeps no copy of the records to count figures from.");
    }
    /// Record in the server's audit chain that figures were handed out (GET /v1/figures, or a
    /// board report written by vigil-admin): `action`, who, and what was asked (never a count).
    [[nodiscard]] virtual Status auditFigures(const std::string& action, const std::string& userId,
                                              const std::string& deviceId, const nlohmann::json& detail, std::int64_t now)
    {
        (void)action;
        (void)userId;
        (void)deviceId;
        (void)detail;
        (void)now;
        return makeError(ErrorCode::Internal, "This server store keeps no audit chain. Use the SQLCipher store.");
    }
};

}  // namespace vigil::sync
