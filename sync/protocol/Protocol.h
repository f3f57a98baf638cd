#pragma once

// The Vigil sync wire protocol: version, limits, message types and their JSON codec.
// Free of Asio and of any network code on purpose: this is what the fuzz targets link
// (clang cannot build Asio 1.74 coroutines), and what both ends share.
// docs/sync-protocol.md is the written form of this file.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"
#include "core/records/Op.h"
#include "core/records/StoredRow.h"

namespace vigil::sync {

/// Wire format version. A peer with another major version is refused with 426 and an
/// "update required" message; a newer minor version is accepted (additions only).
inline constexpr int kProtocolMajor = 1;
/// 1.1: GET /v1/snapshot (a first sync from rows); 1.2: zstd bodies; 1.3: the bank-holiday list
/// (`bank_holidays` in the pull answer, GET /v1/bank-holidays).
inline constexpr int kProtocolMinor = 3;
/// Header carrying "major.minor" on every request and response.
inline constexpr std::string_view kProtocolHeader = "Vigil-Protocol";
/// Header carrying the server's request id on every response (for support calls).
inline constexpr std::string_view kRequestIdHeader = "Vigil-Request-Id";

struct ProtocolVersion {
    int major = kProtocolMajor;
    int minor = kProtocolMinor;
};

/// "1.0" style text; a bare major ("1") is accepted as minor 0. Nullopt when not a version.
[[nodiscard]] std::optional<ProtocolVersion> parseProtocolVersion(std::string_view text) noexcept;
[[nodiscard]] std::string protocolVersionText();

/// Size and count limits shared by both ends. Every one is enforced before any work is done.
struct Limits {
    std::uint32_t maxHeaderBytes = 8 * 1024;            ///< request line + headers
    std::uint64_t maxBodyBytes = 4 * 1024 * 1024;       ///< body as sent (possibly compressed)
    std::size_t maxDecodedBodyBytes = 16 * 1024 * 1024; ///< body after decompression (zip bombs)
    std::size_t maxOpsPerPush = 2000;                   ///< ops in one push batch
    std::size_t maxOpsPerPull = 1000;                   ///< ops in one pull page
    std::size_t maxRowsPerSnapshot = 2000;              ///< record rows in one snapshot page
    /// A snapshot page ends before the row that would pass this (one row a page at least), inside
    /// an incident if need be (issue 22; before, only after the incident that passed it).
    std::size_t snapshotPageBytes = 6 * 1024 * 1024;
    /// A pull page stops before the op that would take its ops past this many bytes (at least one
    /// op a page): with every op within OpLimits::anyOpBytes, a page stays well under the
    /// device's 16 MiB answer limit (issue 22). History of a newly visible incident counts too,
    /// and is spread over pages when it does not fit.
    std::size_t pullPageBytes = 4 * 1024 * 1024;
    std::size_t compressAbove = 1024;                   ///< bodies at least this big are compressed
    /// JSON nesting (arrays and objects) in any message. nlohmann's parser is iterative but
    /// copying, printing and comparing a value recurse: a deeply nested value in a small body
    /// would otherwise overflow the stack of whoever handles it (found by the fuzz harness).
    std::size_t maxJsonDepth = 64;
};

/// Machine-readable error codes carried in `{"error": code, "message": words}`.
namespace errors {
inline constexpr std::string_view kBadRequest = "bad_request";
inline constexpr std::string_view kMalformedJson = "malformed_json";
inline constexpr std::string_view kBodyTooLarge = "body_too_large";
inline constexpr std::string_view kHeadersTooLarge = "headers_too_large";
inline constexpr std::string_view kUnsupportedEncoding = "unsupported_encoding";
inline constexpr std::string_view kMissingProtocol = "protocol_version_missing";
inline constexpr std::string_view kUpdateRequired = "update_required";
inline constexpr std::string_view kUnauthenticated = "unauthenticated";
inline constexpr std::string_view kDeviceRevoked = "device_revoked";
inline constexpr std::string_view kUserInactive = "user_inactive";
inline constexpr std::string_view kCodeInvalid = "enrol_code_invalid";
inline constexpr std::string_view kCodeExpired = "enrol_code_expired";
inline constexpr std::string_view kCodeUsed = "enrol_code_used";
inline constexpr std::string_view kCodeLocked = "enrol_code_locked";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kMethodNotAllowed = "method_not_allowed";
inline constexpr std::string_view kTimeout = "timeout";
inline constexpr std::string_view kInternal = "internal";
inline constexpr std::string_view kWipeReceiptInvalid = "wipe_receipt_invalid";
inline constexpr std::string_view kRateLimited = "rate_limited";
inline constexpr std::string_view kNotAllowed = "not_allowed";
inline constexpr std::string_view kAttachmentUnknown = "attachment_unknown";
inline constexpr std::string_view kAttachmentRemoved = "attachment_removed";
inline constexpr std::string_view kAttachmentIncomplete = "attachment_incomplete";
inline constexpr std::string_view kAttachmentMismatch = "attachment_mismatch";
inline constexpr std::string_view kAttachmentHashMismatch = "attachment_hash_mismatch";
inline constexpr std::string_view kChunkOutOfOrder = "chunk_out_of_order";
inline constexpr std::string_view kChunkDamaged = "chunk_damaged";
/// A push whose seqs do not follow the device's last accepted one, or that names a decided seq
/// with another op (issue 22). One answer for both, naming no number.
inline constexpr std::string_view kSequenceRefused = "sequence_refused";
/// A device not in contact for longer than the server's `device_expiry_days` (issue 22): its
/// credential no longer works; it re-enrols with a new code and keeps everything it holds.
inline constexpr std::string_view kDeviceExpired = "device_expired";
/// A re-enrolment naming a credential the server will not re-issue (revoked, another user's).
inline constexpr std::string_view kReenrolRefused = "reenrol_refused";
// Refusals of one pushed op (issue 21: authority); the op is kept on the device with the words.
inline constexpr std::string_view kNotPermitted = "not_permitted";               ///< the authority policy
inline constexpr std::string_view kAttributionMismatch = "attribution_mismatch"; ///< names another user as author
inline constexpr std::string_view kReasonRequired = "reason_required";           ///< a removal or restriction without a reason
inline constexpr std::string_view kAppendOnly = "append_only";                   ///< a change to a supervision log entry already written
inline constexpr std::string_view kNotReferred = "not_referred";                  ///< an IDVA's change about someone not referred to them
inline constexpr std::string_view kUnsafeContact = "unsafe_contact";              ///< a contact the victim's safe-contact answers forbid
inline constexpr std::string_view kNotAllocatable = "not_allocatable";            ///< an officer in the case who may not be one
inline constexpr std::string_view kClearedUserRequired = "cleared_user_required";///< an access list with no cleared user
inline constexpr std::string_view kClockAhead = "clock_ahead";                   ///< stamped too far ahead of the server
inline constexpr std::string_view kConsentRequired = "consent_required";         ///< a referral without consent or lawful basis
/// A device audit entry that does not continue the pushing device's own chain (another user or
/// device named, a gap in seq, a wrong prev_hash, a hash that does not recompute): not kept.
inline constexpr std::string_view kAuditChainBroken = "audit_chain_broken";
/// A pushed op over the size limits of core/records/OpLimits.h (a value too long for its kind of
/// field, an id or field path too long): refused, kept on the device with words (issue 22).
inline constexpr std::string_view kTooLarge = "too_large";
/// A push that would take the device past its storage quota (`device_quota_bytes`): refused whole
/// (507), nothing changed, the changes stay on the device; its pulls go on.
inline constexpr std::string_view kQuotaExceeded = "quota_exceeded";
/// A push from a device whose changes an administrator quarantined (`vigil-admin quarantine`):
/// refused whole (403), nothing changed, the changes stay on the device; its pulls go on.
inline constexpr std::string_view kDeviceQuarantined = "device_quarantined";
}  // namespace errors

/// Roles and scopes (ARCHITECTURE.md, Access). Stored and sent as lower-case words.
enum class Role { Officer, Investigator, Idva, Supervisor, Analyst, Admin };
enum class Scope { Self, Team, Borough, All };

[[nodiscard]] std::string_view roleName(Role role) noexcept;
[[nodiscard]] std::optional<Role> roleFromName(std::string_view name) noexcept;
[[nodiscard]] std::string_view scopeName(Scope scope) noexcept;
[[nodiscard]] std::optional<Scope> scopeFromName(std::string_view name) noexcept;
/// The scope a role gets when the administrator does not name one.
[[nodiscard]] Scope defaultScope(Role role) noexcept;

/// `{"error": code, "message": words a user can act on}`.
struct ErrorBody {
    std::string error;
    std::string message;
};

/// Who a device acts for, as the server tells the device. No secrets.
struct UserInfo {
    std::string id;
    std::string displayName;
    Role role = Role::Officer;
    std::string team;
    std::string borough;
    Scope scope = Scope::Self;
    bool restrictedClearance = false;
};

/// POST /v1/enrol. `secret` is the 60-bit secret part of the code (Crockford base32,
/// normalised); the caller wipes its copy after sending.
struct EnrolRequest {
    std::string codeId;
    std::string secret;
    std::string deviceName;
    /// Re-enrolment (issue 22): the device's expired credential (base64url), so the server issues
    /// a new one for the same device id and its numbering, audit chain and records go on. Empty
    /// for a first enrolment.
    std::string previousToken;
};

/// The reply to a successful enrolment. `token` (base64url of 32 random bytes) is shown
/// once; the server keeps only a keyed hash of it.
struct EnrolResponse {
    std::string deviceId;
    std::string token;
    UserInfo user;
};

/// GET /v1/device: the device's standing. Also the wipe check (runs while the app is locked).
struct DeviceStatus {
    std::string deviceId;
    UserInfo user;
    bool wipe = false;
    /// The credential is due to be replaced: the device asks POST /v1/token (issue 22).
    bool rotateToken = false;
};

/// POST /v1/token: a new credential for the device (issue 22). The one it asked with keeps
/// working until the device uses the new one; asking again replaces a new one never used.
inline constexpr std::string_view kTokenPath = "/v1/token";
/// GET /v1/sequence: where this device's numbering stands on the server, and the server store's
/// incarnation (issue 22; docs/sync-protocol.md, "After a restore"). Answer
/// `{"last_seq": N, "incarnation": "<hex>"}`.
inline constexpr std::string_view kSequencePath = "/v1/sequence";

/// GET /v1/figures?from=YYYY-MM-DD&to=YYYY-MM-DD[&borough=B]... (issue 25): the board's figures
/// for a period (both days included) and boroughs (none: every borough with an incident in the
/// period), published as the board report publishes them (core/figures/FigureReport.h: counts
/// from 1 to 4 withheld, no incident ids, no person data). Analysts and administrators only;
/// anyone else 403 not_permitted. Answer: toJson(BoardReport).
inline constexpr std::string_view kFiguresPath = "/v1/figures";
/// The request target of GET /v1/figures, each value percent-encoded.
[[nodiscard]] std::string figuresTarget(const std::string& from, const std::string& to,
                                        const std::vector<std::string>& boroughs);
/// A query value as sent (percent-encoded, '+' for a space) decoded; nullopt when malformed.
[[nodiscard]] std::optional<std::string> percentDecode(std::string_view text);

/// GET /healthz.
struct Health {
    std::string status = "ok";
    std::string protocol = protocolVersionText();
};

[[nodiscard]] nlohmann::json toJson(const ErrorBody& body);
[[nodiscard]] nlohmann::json toJson(const UserInfo& user);
[[nodiscard]] nlohmann::json toJson(const EnrolRequest& request);
[[nodiscard]] nlohmann::json toJson(const EnrolResponse& response);
[[nodiscard]] nlohmann::json toJson(const DeviceStatus& status);
[[nodiscard]] nlohmann::json toJson(const Health& health);

/// Decoders never throw: malformed input comes back as an InvalidArgument error naming
/// the field that is wrong.
[[nodiscard]] Result<ErrorBody> errorBodyFromJson(const nlohmann::json& json);
[[nodiscard]] Result<UserInfo> userInfoFromJson(const nlohmann::json& json);
[[nodiscard]] Result<EnrolRequest> enrolRequestFromJson(const nlohmann::json& json);
[[nodiscard]] Result<EnrolResponse> enrolResponseFromJson(const nlohmann::json& json);
[[nodiscard]] Result<DeviceStatus> deviceStatusFromJson(const nlohmann::json& json);

/// Where a device stands in the pull, as the cursor it sends says: the op-log position it has
/// applied up to, and the view it holds — the generation of the last page it applied that
/// brought it incidents (their history) or withdrew incidents (`forget`); 0 before any. The
/// server counts such a page as delivered only when a later pull names its view, so a page whose
/// answer was lost is sent again. On the wire "P" (view 0) or "P.V". A device reads only
/// whether two cursors name the same view (sameView): then a pull with the newer one changes
/// nothing of its view on the server, so it may ask for it before applying the page it came with.
struct PullCursor {
    std::int64_t position = 0;
    std::int64_t view = 0;
};

/// The wire form of a cursor: "P", or "P.V" when the view is not 0.
[[nodiscard]] inline std::string formatPullCursor(const PullCursor& c)
{
    return c.view == 0 ? std::to_string(c.position) : std::to_string(c.position) + "." + std::to_string(c.view);
}

/// A cursor from its wire form: "P" or "P.V", both plain decimal numbers below 2^62; nullopt
/// for anything else.
[[nodiscard]] inline std::optional<PullCursor> parsePullCursor(std::string_view text)
{
    const auto decimal = [](std::string_view part, std::int64_t& out) {
        std::uint64_t v = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc() || end != part.data() + part.size() || part.empty() || v >= (std::uint64_t{1} << 62))
            return false;
        out = static_cast<std::int64_t>(v);
        return true;
    };
    PullCursor c;
    const auto dot = text.find('.');
    if (!decimal(text.substr(0, dot), c.position)
        || (dot != std::string_view::npos && !decimal(text.substr(dot + 1), c.view)))
        return std::nullopt;
    return c;
}

/// Whether two wire cursors name the same view (both unreadable: false).
[[nodiscard]] inline bool sameView(std::string_view a, std::string_view b)
{
    const auto x = parsePullCursor(a);
    const auto y = parsePullCursor(b);
    return x && y && x->view == y->view;
}

/// POST /v1/push: a batch of outbox ops, oldest first, all from the pushing device.
struct PushRequest {
    std::vector<Op> ops;
};

/// One op the server refused (kept on the device, shown to the user in these words).
struct OpRejection {
    std::int64_t seq = 0;
    std::string error;
    std::string message;
    std::string field;
};

/// The answer to a push: every op up to `ackedUpto` is committed (or rejected, listed).
struct PushResponse {
    std::int64_t ackedUpto = 0;
    std::vector<OpRejection> rejected;
};

/// GET /v1/pull?cursor=C&limit=N: what the user may see since C, and the next cursor.
/// `forget` lists incidents that left the user's scope: the device removes them.
struct PullResponse {
    std::vector<Op> ops;
    std::string cursor;
    bool more = false;
    std::vector<std::string> forget;
    /// Incidents the device drops and builds again from `ops`, which then hold their whole
    /// history, the device's own changes too (after `vigil-admin stamps --repair` re-stamped
    /// some of their ops). Sent only when not empty; changes kept only on the device survive.
    std::vector<std::string> refresh;
    /// The version of the bank-holiday list the server holds (imported by its administrator with
    /// `vigil-admin bank-holidays import`); 0 when it holds none (then not sent). A device holding
    /// an older one fetches it from GET /v1/bank-holidays (1.3).
    int bankHolidays = 0;
    /// The administrator's device policy (`policy` in the answer): the longest auto-lock a user
    /// may choose, in minutes (core/records/DevicePolicy.h); 0 when not sent (an older server).
    int maxAutoLockMinutes = 0;
    /// The server store's incarnation (issue 22): a new one after every restore from a backup.
    /// A device that sees it change asks GET /v1/sequence and sends again what the server lost.
    /// Empty when not sent (an older server).
    std::string incarnation;
};

/// GET /v1/bank-holidays (1.3): the list the server holds, the file as imported (gov.uk format with
/// Vigil's block); 404 not_found when it holds none. The device checks it with the core's own
/// parser before keeping it.
inline constexpr std::string_view kBankHolidaysPath = "/v1/bank-holidays";
/// The largest version a list may carry (WorkingDays::parse refuses more).
inline constexpr int kMaxBankHolidayVersion = 1000000;

/// Rows and conflicts as stored on both ends (core/records/StoredRow.h), carried as they are.
using SnapshotRow = vigil::StoredRow;
using SnapshotConflict = vigil::StoredConflict;

/// GET /v1/snapshot?from=T&limit=N: a device that has never pulled starts from the rows the
/// server holds instead of replaying the op log: every row of the incidents the user may see,
/// whole incidents a page, in incident-id order. `from` is "" for the first page, then the
/// previous page's `next`. When `more` is false the device stores `cursor` as its pull cursor
/// (the op-log position the snapshot started at, with the view it delivered) and pulls ops
/// from there. `users` maps the devices named in the rows to their users (for conflicts).
struct SnapshotPage {
    std::vector<SnapshotRow> rows;
    std::vector<SnapshotConflict> conflicts;
    std::vector<std::pair<std::string, std::string>> users;
    std::string next;
    std::string cursor;
    bool more = false;
};

/// Its codec: sync/protocol/SnapshotCodec.h (not nlohmann: a snapshot is mostly row text).

/// A push and a pull answer are mostly ops: written as text directly (appendOpJson), the same
/// text as nlohmann would write for the same JSON.
[[nodiscard]] std::string toText(const PushRequest& request);
[[nodiscard]] nlohmann::json toJson(const PushResponse& response);
[[nodiscard]] std::string toText(const PullResponse& response);
[[nodiscard]] Result<PushRequest> pushRequestFromJson(const nlohmann::json& json, std::size_t maxOps);
[[nodiscard]] Result<PushResponse> pushResponseFromJson(const nlohmann::json& json);
[[nodiscard]] Result<PullResponse> pullResponseFromJson(const nlohmann::json& json);

/// Parse a body as JSON without throwing. Nesting deeper than `maxDepth` is refused before
/// parsing (see Limits::maxJsonDepth); size is limited before this is called.
[[nodiscard]] Result<nlohmann::json> parseJson(std::string_view text, std::size_t maxDepth = Limits{}.maxJsonDepth);

/// POST /v1/wipe-report, sent without a bearer token (the credential is already destroyed): a
/// device confirms it wiped itself. `receipt` is the base64url wipe receipt
/// (sync/common/WipeReceipt.h), which the server checks against the hash it keeps.
struct WipeReport {
    std::string deviceId;
    std::string receipt;
    std::string reason;                  ///< "remote" (ordered by an administrator) or "user"
    std::string wipedAt;                 ///< the device's clock, ISO 8601 (for the record only)
    std::vector<std::string> destroyed;  ///< what it destroyed, in words ("database", "data key"…)
};

[[nodiscard]] nlohmann::json toJson(const WipeReport& report);
[[nodiscard]] Result<WipeReport> wipeReportFromJson(const nlohmann::json& json);

/// Photo bytes travel in chunks (the device's storage chunks), each at most this big.
inline constexpr std::size_t kMaxAttachmentChunkBytes = 512 * 1024;
/// A photo is at most this big and this many chunks on the wire (the device limits are lower).
inline constexpr std::int64_t kMaxAttachmentBytes = 64 * 1024 * 1024;
inline constexpr std::int64_t kMaxAttachmentChunks = 4096;

/// GET /v1/attachments/{id}: what the server holds of a photo's bytes. `received` chunks
/// (0..received-1) are stored and confirmed: an upload resumes there. `complete` once every
/// chunk is there and the whole photo matched the SHA-256 its record carries.
struct AttachmentStatus {
    std::string id;
    std::int64_t size = 0;
    std::string sha256;  ///< hex, of the whole photo, as its record says
    std::int64_t chunks = 0;
    std::int64_t received = 0;
    bool complete = false;
};

/// PUT /v1/attachments/{id}/chunks/{n} (upload) and its GET answer (download): one chunk,
/// base64url, with its own SHA-256, and the whole photo's size, SHA-256 and chunk count.
struct AttachmentChunk {
    std::string id;
    std::int64_t index = 0;
    std::string data;    ///< base64url of the chunk's bytes
    std::string sha256;  ///< hex SHA-256 of this chunk's bytes
    std::int64_t size = 0;
    std::string fileSha256;
    std::int64_t chunks = 0;
};

[[nodiscard]] nlohmann::json toJson(const AttachmentStatus& status);
[[nodiscard]] nlohmann::json toJson(const AttachmentChunk& chunk);
[[nodiscard]] Result<AttachmentStatus> attachmentStatusFromJson(const nlohmann::json& json);
[[nodiscard]] Result<AttachmentChunk> attachmentChunkFromJson(const nlohmann::json& json);
/// Lower-case hex SHA-256 (photo and chunk checks).
[[nodiscard]] std::string sha256Hex(std::span<const unsigned char> bytes);

/// Identifiers chosen by administrators (user ids): 1–64 of [a-z0-9._-], starting with a
/// letter or digit. Keeps ids safe in logs, file names and command lines.
[[nodiscard]] bool isValidUserId(std::string_view id) noexcept;

}  // namespace vigil::sync
