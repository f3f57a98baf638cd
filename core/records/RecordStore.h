#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/records/AuditLog.h"
#include "core/records/Hlc.h"
#include "core/records/Op.h"
#include "core/records/StoredRow.h"

namespace vigil {

class Database;
class Query;
struct NormalisedPerson;

/// Who is acting. Every write and every audit entry is attributed to a user on a device.
struct Actor {
    std::string userId;
    std::string justification = "recording the incident";  ///< default purpose for audit entries
};

/// Fields on an incident row holding its last lifecycle command (who, which, the note: e.g. a
/// supervisor's QA notes on a return). Set from the @command op, locally and when pulled.
inline constexpr std::string_view kReviewCommandField = "review.command";
inline constexpr std::string_view kReviewByField = "review.by";
inline constexpr std::string_view kReviewNoteField = "review.note";

/// The kinds of record row, one table each.
/// The record kinds. A 124D: the incident and its parts (people, DASH answers, RARA actions,
/// referrals, photos, the supervision log). A victim's casework (issue 24), each row under the
/// incident the case was opened from: the case, its contacts (append-only), Victims' Code
/// events, safety-plan items, protective orders and their breaches (append-only), and the
/// victim feedback forms issued (append-only).
enum class Entity {
    Incident, Person, Answer, Rara, Referral, Attachment, Supervision,
    Case, Contact, CaseEvent, SafetyItem, Order, Breach, Assessment, FeedbackForm
};

[[nodiscard]] std::string_view toString(Entity entity) noexcept;
[[nodiscard]] std::optional<Entity> entityFromString(std::string_view text) noexcept;
/// Every kind's name, in the order of Entity (each is a table of the store).
[[nodiscard]] std::span<const std::string_view> allEntityNames() noexcept;

/// The last write to one field: its HLC stamp and the device that made it.
struct FieldStamp {
    HlcStamp hlc = 0;
    std::string origin;
    friend bool operator==(const FieldStamp&, const FieldStamp&) = default;
};

/// One stored row: its links, tombstone, fields (a flat map field path → JSON value) and
/// the stamp of each field's last write.
struct RecordRow {
    Entity entity = Entity::Incident;
    std::string id;
    std::string incidentId;
    std::string parentId;
    std::string origin;
    bool deleted = false;
    HlcStamp createdHlc = 0;
    HlcStamp updatedHlc = 0;
    nlohmann::json fields = nlohmann::json::object();
    std::map<std::string, FieldStamp> stamps;

    /// A field's value, or null.
    [[nodiscard]] const nlohmann::json& field(const std::string& name) const;
};

/// A row's stamps column as stored (parsed JSON), field by field: {"field": "<hlc>"} when the
/// row's own device wrote the field, else {"field": "<hlc> <origin>"}.
[[nodiscard]] std::map<std::string, FieldStamp> stampsFromJson(const nlohmann::json& stored, const std::string& rowOrigin);

/// A row's stored JSON object (fields or stamps) with only the named top-level keys built; the
/// others are read past (a 124D's row holds ~2 KB of fields; a list needs a few). Every key when
/// `keep` is empty. Unreadable JSON gives an empty object, as a row read whole does.
[[nodiscard]] nlohmann::json parseSomeFields(const std::string& text, const std::vector<std::string_view>& keep);

/// What kind of conflict a supervisor is looking at.
enum class ConflictKind {
    /// One field written on two devices from the same base: `kept` is the value shown (the
    /// greater (hlc, origin) wins, the same on every device), `lost` the other, kept here.
    Field,
    /// A lifecycle command (submit, return, approve…) given without seeing an edit made
    /// meanwhile on another device: both stand (they touch different fields); `kept` is the
    /// edit (field, value, who, when), `lost` the command ({command, state, by, note}).
    Command,
};

/// A conflict kept for a supervisor: both values, who and when, and which one is shown.
struct Conflict {
    std::int64_t id = 0;
    ConflictKind kind = ConflictKind::Field;
    Entity entity = Entity::Incident;
    std::string recordId;
    std::string incidentId;
    std::string field;
    std::string winner;  ///< "local" or "remote": which value is shown now ("both" for a Command conflict)
    nlohmann::json keptValue;
    FieldStamp kept;
    std::string keptBy;  ///< user who wrote the shown value ("" when this device never learnt it)
    std::string keptAt;  ///< when (ISO 8601 UTC, from its HLC stamp)
    nlohmann::json lostValue;
    FieldStamp lost;
    std::string lostBy;
    std::string lostAt;
    std::string detectedAt;
    std::string resolvedBy;  ///< "" while unresolved
    std::string resolvedAt;
    nlohmann::json resolution;  ///< the value chosen (null while unresolved)
};

/// A supervisor's decision on a conflict.
enum class ConflictChoice {
    KeepShown,  ///< the shown value stands (for a Command conflict: reviewed, both stand)
    UseOther,   ///< write the other value as a new change, which syncs like any edit
};

/// What would be lost if this device were wiped now (shown before a user-initiated wipe).
struct UnsentSummary {
    std::int64_t records = 0;  ///< distinct record rows (incident, person, answer…) with unsent changes
    std::int64_t changes = 0;  ///< unsent field changes (ops), audit entries not counted
    std::int64_t photos = 0;   ///< photos whose bytes the server has not confirmed yet
};

/// The device's records: every aggregate's rows, the outbox, conflicts and the audit chain,
/// over one open Database. This is the only code that writes record rows; typed repositories
/// (IncidentRepository, …) map domain values to fields through it.
///
/// Every write (a) sets the per-field HLC stamps, (b) appends exactly the op the sync
/// protocol sends to the outbox, and (c) appends an audit entry — all in one transaction,
/// so a crash can never leave a write without its op or its audit entry.
/// Not thread-safe: it lives on the store worker thread with its Database.
class RecordStore {
public:
    /// Open over an unlocked, migrated store. Reads (or on first use makes) the device id.
    [[nodiscard]] static Result<std::unique_ptr<RecordStore>> open(Database& db, Clock clock);

    [[nodiscard]] const std::string& deviceId() const noexcept { return m_device; }
    /// Set the device id given by the server at enrolment (before any record is written).
    [[nodiscard]] Status setDeviceId(const std::string& deviceId);

    /// Run `body` as one transaction: several writes become one atomic unit. Audit entries
    /// are gathered while it runs and written when it commits: one entry per record and kind
    /// of processing (a whole 124D saved is one alteration entry, not one per field).
    [[nodiscard]] Status transaction(const std::function<Status()>& body);

    /// Make a new row with its first fields. `links` (e.g. {"incident": id, "victim": id})
    /// travel in the `@create` op. Audited as a collection.
    [[nodiscard]] Status create(const Actor& actor, Entity entity, const std::string& id, const std::string& incidentId,
                                const std::string& parentId, const nlohmann::json& links, const nlohmann::json& fields);
    /// Write fields of an existing row; unchanged values write nothing. Audited as an
    /// alteration naming the fields (not their values).
    [[nodiscard]] Status write(const Actor& actor, Entity entity, const std::string& id, const nlohmann::json& fields);
    /// Create the row if missing, else write the changed fields.
    [[nodiscard]] Status upsert(const Actor& actor, Entity entity, const std::string& id, const std::string& incidentId,
                                const std::string& parentId, const nlohmann::json& links, const nlohmann::json& fields);
    /// Tombstone a row (kept for sync, hidden from reads). Audited as an erasure. `reason`: a
    /// supervisor's written reason, which the server requires once a 124D has been submitted
    /// (docs/authority.md); it travels in the `@delete` op as {"reason": …}.
    [[nodiscard]] Status remove(const Actor& actor, Entity entity, const std::string& id, const std::string& reason = {});
    /// Bring back a tombstoned row (a supervisor's undo of a removal). Audited as an alteration.
    [[nodiscard]] Status restore(const Actor& actor, Entity entity, const std::string& id);
    /// A lifecycle command on an incident (submit, return, approve…), already checked by
    /// the core rules. Sets `state` and records the command op for the server to re-check.
    [[nodiscard]] Status command(const Actor& actor, const std::string& incidentId, const std::string& command,
                                 const std::string& newState, const std::string& note);
    /// Record an audit entry (e.g. a consultation when a record is opened). Within a
    /// transaction, entries of the same actor, action and record are merged.
    [[nodiscard]] Status audit(const Actor& actor, AuditAction action, Entity entity, const std::string& recordId,
                               const std::string& detail, const std::vector<std::string>& recipients = {});

    [[nodiscard]] Result<std::optional<RecordRow>> get(Entity entity, const std::string& id);
    /// Live (not deleted) rows of one incident, in creation order.
    [[nodiscard]] Result<std::vector<RecordRow>> rowsOfIncident(Entity entity, const std::string& incidentId);
    /// Every live row of a kind whose incident stands in one of `states` (state names, as the
    /// look-up table holds them; every live row when empty), in one read: the desk's lists over
    /// a supervisor's scope.
    [[nodiscard]] Result<std::vector<RecordRow>> liveRowsInStates(Entity entity, const std::vector<std::string>& states);
    /// The same rows as liveRowsInStates, handed to `visit` one at a time and never held
    /// together, with only the named fields (and their stamps) parsed; the rest of each row's
    /// JSON is read past. Every field when `fields` is empty. The desk's lists over a borough's
    /// 50,000 incidents keep what they show, not every row whole (issue 23: under 400 MB).
    [[nodiscard]] Status forEachLiveRow(Entity entity, const std::vector<std::string>& states,
                                        const std::vector<std::string_view>& fields,
                                        const std::function<void(RecordRow&&)>& visit);
    /// Ids of live incidents, most recently changed first.
    [[nodiscard]] Result<std::vector<std::string>> incidentIds(std::size_t limit = 1000);

    // --- sync ---
    /// Outbox ops, oldest first.
    [[nodiscard]] Result<std::vector<Op>> pendingOps(std::size_t limit);
    /// The next push: outbox ops, oldest first, at most `limit`, never ending part-way through
    /// a run of one incident's ops when more of that run wait (unless the run alone fills the
    /// batch). The server checks the rules on each batch as the record then stands: a grade
    /// must not arrive in one batch and the answers it rests on in the next. `afterSeq`: only
    /// ops after it (the batch before, sent but not yet acknowledged).
    [[nodiscard]] Result<std::vector<Op>> pushBatch(std::size_t limit, std::int64_t afterSeq = 0);
    [[nodiscard]] Result<std::int64_t> pendingCount();
    /// Distinct records (incident, person, answer… rows; not audit entries) with changes the
    /// server has not accepted yet: what a wipe now would lose.
    [[nodiscard]] Result<std::int64_t> unsentRecordCount();
    /// Records, changes and photos not yet sent (for the confirmation before a wipe).
    [[nodiscard]] Result<UnsentSummary> unsentSummary();
    /// The server committed every op up to `seq`: drop them from the outbox.
    [[nodiscard]] Status acknowledge(std::int64_t uptoSeq);
    /// After the server went back in time (restored from a backup) or this device did (its
    /// store restored from a backup of its own), with the server holding this device's changes up
    /// to `serverLastSeq`: the changes kept after the server acknowledged them and past that seq
    /// go back into the outbox, and every change waiting is numbered on from `serverLastSeq + 1`
    /// in order, keeping its op id (the server does not keep one it holds twice). New changes
    /// follow on. Returns how many acknowledged changes are sent again. One transaction.
    [[nodiscard]] Result<std::int64_t> resequence(std::int64_t serverLastSeq);
    /// The server store's incarnation last seen in a pull answer ("" before any).
    [[nodiscard]] Result<std::string> serverIncarnation();
    [[nodiscard]] Status setServerIncarnation(const std::string& incarnation);
    /// How long changes the server acknowledged are kept, to send again after a server restore.
    static constexpr std::chrono::hours kKeepSentOps{24 * 90};
    /// The server refused op `seq` (its words in `reason`): move it out of the outbox into
    /// the kept list, so nothing is lost and later changes are not held back.
    [[nodiscard]] Status markRejected(std::int64_t seq, const std::string& reason);
    /// Ops the server refused, oldest first, with its reasons.
    [[nodiscard]] Result<std::vector<std::pair<Op, std::string>>> rejectedOps();
    /// Apply a pulled page and store its cursor, in one transaction. Fields are merged last
    /// writer wins by (hlc, origin); concurrent writes to one field are kept as conflicts.
    /// `rebuilt`: incidents the server sends again whole (after a stamp repair on the server):
    /// their rows are dropped first and built again from `ops`, which then carry this device's
    /// own changes too; changes still in the outbox are laid over them again. Photo bytes and
    /// kept conflicts stay.
    [[nodiscard]] Status applyPulled(const std::vector<Op>& ops, const std::string& cursor,
                                     const std::vector<std::string>& rebuilt = {});
    [[nodiscard]] Result<std::string> syncCursor();
    // --- a first sync from a snapshot (GET /v1/snapshot) ---
    /// Every row of an incident exactly as stored, tombstones too, each table in rowid order
    /// (the server reads its materialised copy with this).
    [[nodiscard]] Result<std::vector<StoredRow>> storedRowsOfIncident(const std::string& incidentId);
    /// The conflicts kept for an incident, resolved ones too, as stored.
    [[nodiscard]] Result<std::vector<StoredConflict>> storedConflictsOfIncident(const std::string& incidentId);
    /// True when no record row (any kind, tombstones too) is on this device.
    [[nodiscard]] Result<bool> holdsNoRecords();
    /// Where an unfinished snapshot goes on ("" when none is under way).
    [[nodiscard]] Result<std::string> snapshotNext();
    /// Forget where an unfinished snapshot stood (the server refused it): it starts again.
    [[nodiscard]] Status restartSnapshot();
    /// Apply one snapshot page in one transaction: rows inserted as they are (a row already
    /// here is merged field by field, last writer wins, an unsent local write that differs kept
    /// as a conflict), conflicts the device does not hold yet, who each device is, and where the
    /// snapshot goes on — or, on its last page (`finalCursor` not empty), the pull cursor.
    [[nodiscard]] Status applySnapshot(const std::vector<StoredRow>& rows, const std::vector<StoredConflict>& conflicts,
                                       const std::vector<std::pair<std::string, std::string>>& users,
                                       const std::string& next, const std::string& finalCursor);
    /// When a full sync (push and pull) last completed (ISO 8601 UTC, "" if never), kept in
    /// store_meta so the status survives a lock. Set by the sync engine.
    [[nodiscard]] Status setLastSyncedAt(const std::string& iso);
    [[nodiscard]] Result<std::string> lastSyncedAt();
    /// The officers a supervisor may allocate investigations to, as the server last listed them
    /// (GET /v1/directory: a JSON array of users), and when (ISO 8601 UTC). Kept in the
    /// encrypted store so the desk can allocate offline. "" when never fetched.
    [[nodiscard]] Status setDirectory(const std::string& usersJson, const std::string& atIso);
    [[nodiscard]] Result<std::string> directory();
    [[nodiscard]] Result<std::string> directoryFetchedAt();
    /// The bank-holiday list the administrator imported on the server (GET /v1/bank-holidays), as
    /// the device received it: its text (gov.uk format with Vigil's block, checked by the sync
    /// engine with WorkingDays::parse before it is kept), its version, and when it came. Public
    /// data, kept in the encrypted store so no one with the disk alone can change the clock's list
    /// (docs/victims-code.md). "" and 0 when none has come.
    [[nodiscard]] Status setServerBankHolidays(const std::string& text, int version, const std::string& atIso);
    [[nodiscard]] Result<std::string> serverBankHolidays();
    [[nodiscard]] Result<int> serverBankHolidaysVersion();
    /// A list the server offered that this device could not use (unreadable, or not newer than the
    /// one held), so it is not fetched again until the server offers another version; 0 when none.
    [[nodiscard]] Status setRefusedBankHolidaysVersion(int version);
    [[nodiscard]] Result<int> refusedBankHolidaysVersion();
    /// The administrator's policy as the server last sent it (core/records/DevicePolicy.h): the
    /// longest auto-lock a user may choose, in minutes; 0 before the first pull that named one.
    /// Kept in the encrypted store, so it cannot be raised by editing a settings file.
    [[nodiscard]] Status setMaxAutoLockMinutes(int minutes);
    [[nodiscard]] Result<int> maxAutoLockMinutes();
    /// The record left this user's scope: remove it and everything under it from the device.
    [[nodiscard]] Status forgetIncident(const Actor& actor, const std::string& incidentId, const std::string& reason);

    // --- conflicts and audit ---
    /// Conflicts kept for a supervisor, oldest first: unresolved ones, or all with
    /// `includeResolved`; of one incident, or of all when `incidentId` is empty.
    [[nodiscard]] Result<std::vector<Conflict>> conflicts(const std::string& incidentId = {}, bool includeResolved = false);
    /// Resolve conflict `conflictId`. UseOther writes the other value as a new change (an op
    /// that syncs and wins everywhere: its stamp is newer than both); either way a `@resolve`
    /// op tells the other devices and the server the conflict is settled, and an audit entry
    /// records who decided. A lifecycle state is changed only by a command, so UseOther is
    /// refused for state and Command conflicts (the message says what to do instead).
    [[nodiscard]] Status resolveConflict(const Actor& actor, std::int64_t conflictId, ConflictChoice choice);
    /// The user a device belongs to, as learnt from pulled ops (this device's own from its
    /// writes); "" when not known.
    [[nodiscard]] Result<std::string> userOfDevice(const std::string& deviceId);
    [[nodiscard]] AuditLog& auditLog() noexcept { return m_audit; }
    [[nodiscard]] Database& database() noexcept { return m_db; }
    /// "Now" from the injected clock, as ISO 8601 UTC.
    [[nodiscard]] std::string nowIso() const;

private:
    RecordStore(Database& db, Clock clock, std::string device, HlcStamp last);
    [[nodiscard]] Status saveRow(const RecordRow& row, bool insert);
    /// Remove (value true, or {"reason": …}) or bring back (false) a row: its `@delete` op and audit entry.
    [[nodiscard]] Status setTombstone(const Actor& actor, Entity entity, const std::string& id, const nlohmann::json& value);
    /// Keep the derived look-up tables (person_index, incident_index) in step with a row.
    [[nodiscard]] Status indexRow(const RecordRow& row);
    [[nodiscard]] Status indexOwnRow(const RecordRow& row);
    /// One person_index row: the normalised name and what matching compares (`facts`).
    [[nodiscard]] Status insertPersonIndex(const std::string& personId, const std::string& incidentId,
                                           const std::string& role, const std::string& nameKey,
                                           const NormalisedPerson& facts);
    /// Derive person_index again from every live person row (a store indexed by an older version).
    [[nodiscard]] Status rebuildPersonIndex();
    /// Queue an op; `incidentId` is the incident whose unsent count it adds to ("" for none).
    [[nodiscard]] Status appendOp(std::string_view entity, const std::string& id, const std::string& incidentId,
                                  const std::string& field, const nlohmann::json& value, std::optional<HlcStamp> base,
                                  HlcStamp hlc);
    [[nodiscard]] Status persistClock();
    [[nodiscard]] Status applyOne(const Op& op);
    /// A snapshot row for a row already on this device: merged field by field.
    [[nodiscard]] Status mergeSnapshotRow(Entity entity, const StoredRow& incoming);
    [[nodiscard]] Status importConflict(const StoredConflict& c);
    /// The conflict kept for this pair of writes, if any: its id and whether it is still open.
    [[nodiscard]] Result<std::optional<std::pair<std::int64_t, bool>>> findConflict(
        const std::string& recordId, const std::string& field, const std::string& keptHlc, const std::string& keptOrigin,
        const std::string& lostHlc, const std::string& lostOrigin);
    /// A conflict row, unless the same one (record, field, both stamps) is already kept.
    struct NewConflict {
        ConflictKind kind = ConflictKind::Field;
        std::string entity;
        std::string recordId;
        std::string incidentId;
        std::string field;
        std::string winner;
        nlohmann::json keptValue;
        FieldStamp kept;
        nlohmann::json lostValue;
        FieldStamp lost;
    };
    [[nodiscard]] Status recordConflict(const NewConflict& c);
    /// A command of this incident as a conflict shows it: this device's own in full (from its
    /// outbox or refused list), else the state it set.
    [[nodiscard]] Result<nlohmann::json> localCommand(const std::string& incidentId, const FieldStamp& stamp);
    /// A remote lifecycle command: every field of the incident written on another device
    /// that the commander had not seen (its `seen` vector) is a Command conflict.
    [[nodiscard]] Status detectCommandRace(const Op& op, const std::string& incidentId);
    [[nodiscard]] Status applyConflictReport(const Op& op);
    [[nodiscard]] Status applyResolution(const Op& op);
    /// Per origin device, the newest stamp among the incident's rows (a command's `seen`).
    [[nodiscard]] Result<nlohmann::json> seenVector(const std::string& incidentId);
    [[nodiscard]] Status noteDeviceUser(const std::string& deviceId, const std::string& userId);
    /// An op from an outbox or rejected_op row (seq, entity, record_id, field, value, base, hlc).
    [[nodiscard]] Op opFromRow(const Query& row, int opIdColumn = -1) const;
    /// The op id of a change made before op ids were kept: derived from device and seq.
    [[nodiscard]] std::string legacyOpId(std::int64_t seq) const;
    [[nodiscard]] Status meta(const std::string& key, const std::string& value);
    /// A store_meta value, "" when not set.
    [[nodiscard]] Result<std::string> metaValue(const std::string& key);

    /// An audit entry being gathered until its transaction commits.
    struct PendingAudit {
        Actor actor;
        AuditAction action;
        Entity entity;
        std::string recordId;
        std::vector<std::string> details;
        std::vector<std::string> recipients;
    };
    void noteAudit(const Actor& actor, AuditAction action, Entity entity, const std::string& recordId,
                   std::string detail, const std::vector<std::string>& recipients = {});
    [[nodiscard]] Status flushAudit();

    /// Unsent-change counters (outbox_total, outbox_incident: schema steps 7 and 8) follow
    /// every outbox insert and delete in the same transaction. Appends within a transaction
    /// are counted in memory and written once when it commits (per-op counter writes cost as
    /// much as the op); deletes adjust them at once.
    [[nodiscard]] Status countOutbox(const std::map<std::string, std::int64_t>& perIncident, std::int64_t total);
    [[nodiscard]] Status flushOutboxCounts();
    /// Every row of an incident (all kinds) and its index entries; photo bytes and conflicts stay.
    [[nodiscard]] Status dropIncidentRows(const std::string& incidentId);
    /// Delete the outbox ops matching `where` (SQL with one parameter ?1 = `seq`), their counts with them.
    [[nodiscard]] Status dropFromOutbox(std::string_view where, std::int64_t seq);
    std::map<std::string, std::int64_t> m_outboxAdded;  ///< incident id -> ops appended, not yet counted
    std::int64_t m_outboxAddedTotal = 0;
    bool m_deferCounts = false;  ///< inside transaction(): appends counted at its end

    Database& m_db;
    Clock m_clock;
    std::vector<PendingAudit> m_pendingAudit;
    std::string m_device;
    HlcClock m_hlc;
    AuditLog m_audit;
    std::map<std::string, std::string> m_deviceUsers;  ///< cache of device_user

    // While applyPulled runs: rows read once, merged in memory, written once when the page is
    // done (a record arrives as its @create and one op per field; reading and rewriting an
    // encrypted ~2 KB row for every op was most of the cost of a pull). get() and saveRow()
    // go through it; anything that reads rows with its own SQL runs after flushRows().
    struct CachedRow {
        RecordRow row;
        bool insert = false;  ///< not in the table yet
    };
    bool m_batching = false;
    std::map<std::pair<Entity, std::string>, CachedRow> m_rowCache;  ///< written in key order
    [[nodiscard]] Status flushRows();
};

/// A deterministic UUID-shaped id from a name (BLAKE2b), so two devices that create "the
/// answer to q14 for victim X" offline make the same row and their edits meet as one field.
[[nodiscard]] std::string deterministicId(std::string_view name);

}  // namespace vigil
