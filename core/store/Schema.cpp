#include "core/store/Schema.h"

#include <array>
#include <initializer_list>
#include <set>
#include <string>

#include "core/figures/FigureIndex.h"
#include "core/records/AuditLog.h"
#include "core/store/Database.h"

namespace vigil {

namespace {

Status v1StoreMeta(Database& db)
{
    // Facts about the store itself (device id, enrolment, settings); never personal data.
    return db.exec("CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;");
}

// Records: one table per aggregate, each row holding its fields as a flat JSON map and, per
// field, the HLC stamp and origin of its last write (see core/records/RecordStore.h).
Status v2Records(Database& db)
{
    std::string sql;
    for (const char* table : {"incident", "person", "answer", "rara_item", "referral", "attachment"}) {
        const std::string t = table;
        sql += "CREATE TABLE " + t + " (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT, parent_id TEXT,"
               " origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
               " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL) WITHOUT ROWID;"
               "CREATE INDEX " + t + "_incident ON " + t + " (incident_id);";
    }
    sql += "CREATE INDEX incident_updated ON incident (updated_hlc);"
           // Every local write, exactly as the sync protocol sends it; removed once acknowledged.
           // op_id is derived from (device, seq) when read, so it costs no space here.
           "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
           " base TEXT, hlc TEXT NOT NULL);"
           // Two writes to one field from the same base: both kept, the loser here, for a supervisor.
           "CREATE TABLE conflict (id INTEGER PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL,"
           " incident_id TEXT, field TEXT NOT NULL, winner TEXT NOT NULL, kept_value TEXT NOT NULL,"
           " kept_hlc TEXT NOT NULL, kept_origin TEXT NOT NULL, lost_value TEXT NOT NULL, lost_hlc TEXT NOT NULL,"
           " lost_origin TEXT NOT NULL, detected_at TEXT NOT NULL, resolved_by TEXT, resolved_at TEXT);"
           "CREATE INDEX conflict_incident ON conflict (incident_id);"
           // DPA 2018 s.62 processing log, hash-chained (core/records/AuditLog.h).
           "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
           " device TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, record_id TEXT NOT NULL,"
           " justification TEXT NOT NULL, recipients TEXT NOT NULL, detail TEXT NOT NULL,"
           " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
           "CREATE INDEX audit_record ON audit_log (record_id);"
           // Photo bytes, chunked, inside the encrypted store (never a temp file).
           "CREATE TABLE attachment_chunk (attachment_id TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,"
           " PRIMARY KEY (attachment_id, idx)) WITHOUT ROWID;";
    return db.exec(sql);
}

// Derived look-up tables for history and lists, rebuilt from the record rows whenever one is
// saved (core/records/RecordStore.cpp, indexRow): names normalised for person matching.
Status v3Indexes(Database& db)
{
    return db.exec("CREATE TABLE person_index (person_id TEXT PRIMARY KEY NOT NULL, incident_id TEXT NOT NULL,"
                   " role TEXT NOT NULL, name_key TEXT NOT NULL) WITHOUT ROWID;"
                   "CREATE INDEX person_index_name ON person_index (name_key, role);"
                   "CREATE TABLE incident_index (incident_id TEXT PRIMARY KEY NOT NULL, occurred TEXT NOT NULL,"
                   " state TEXT NOT NULL, crime INTEGER NOT NULL, owner TEXT NOT NULL) WITHOUT ROWID;"
                   "CREATE INDEX incident_index_occurred ON incident_index (occurred);");
}

// Changes the server refused (rules or access): kept on the device, with the server's words,
// out of the outbox so they no longer hold back the changes behind them.
Status v4RejectedOps(Database& db)
{
    return db.exec("CREATE TABLE rejected_op (seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL,"
                   " field TEXT NOT NULL, value TEXT NOT NULL, base TEXT, hlc TEXT NOT NULL, reason TEXT NOT NULL,"
                   " rejected_at TEXT NOT NULL);");
}

// Sync part 2: who wrote each side of a conflict, conflicts between a lifecycle command and an
// edit, resolutions; which user each device belongs to (learnt from pulled ops); photos whose
// bytes still have to travel (up: not yet confirmed by the server; down: not yet all here).
Status v5ConflictsAndTransfers(Database& db)
{
    return db.exec("ALTER TABLE conflict ADD COLUMN kind TEXT NOT NULL DEFAULT 'field';"
                   "ALTER TABLE conflict ADD COLUMN kept_by TEXT NOT NULL DEFAULT '';"
                   "ALTER TABLE conflict ADD COLUMN lost_by TEXT NOT NULL DEFAULT '';"
                   "ALTER TABLE conflict ADD COLUMN resolution TEXT;"
                   "CREATE INDEX conflict_record ON conflict (record_id, field);"
                   "CREATE TABLE device_user (device TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL) WITHOUT ROWID;"
                   "CREATE TABLE attachment_transfer (attachment_id TEXT PRIMARY KEY NOT NULL,"
                   " direction TEXT NOT NULL) WITHOUT ROWID;");
}

// The home list counts each incident's unsent changes: without this index that is a scan
// of the whole outbox per incident (minutes for a 5,000-incident store that has not synced).
Status v6OutboxByRecord(Database& db)
{
    return db.exec("CREATE INDEX outbox_record ON outbox (record_id);");
}

// Unsent changes per incident without reading the outbox: each op names its incident (NULL
// for the device's audit chain), and a counter per incident is kept in step with the outbox
// by triggers, in the same transaction as every insert and delete (append, acknowledge,
// refuse), whichever code does it (step 8 replaced the triggers with RecordStore's own
// bookkeeping). Ops already queued are given their incident from the
// rows they change (an op whose row is no longer on the device stays uncounted, as before).
Status v7OutboxPerIncident(Database& db)
{
    std::string byEntity;
    for (const char* table : {"person", "answer", "rara_item", "referral", "attachment"}) {
        byEntity += std::string(" WHEN '") + table + "' THEN (SELECT incident_id FROM " + table
            + " WHERE id = outbox.record_id)";
    }
    return db.exec("ALTER TABLE outbox ADD COLUMN incident_id TEXT;"
                   "UPDATE outbox SET incident_id = CASE entity WHEN 'incident' THEN"
                   " (SELECT id FROM incident WHERE id = outbox.record_id)" + byEntity + " END;"
                   "CREATE TABLE outbox_incident (incident_id TEXT PRIMARY KEY NOT NULL, ops INTEGER NOT NULL)"
                   " WITHOUT ROWID;"
                   "INSERT INTO outbox_incident (incident_id, ops) SELECT incident_id, count(*) FROM outbox"
                   " WHERE incident_id IS NOT NULL GROUP BY incident_id;"
                   "CREATE TRIGGER outbox_incident_add AFTER INSERT ON outbox WHEN NEW.incident_id IS NOT NULL BEGIN"
                   " INSERT OR IGNORE INTO outbox_incident (incident_id, ops) VALUES (NEW.incident_id, 0);"
                   " UPDATE outbox_incident SET ops = ops + 1 WHERE incident_id = NEW.incident_id;"
                   " END;"
                   "CREATE TRIGGER outbox_incident_remove AFTER DELETE ON outbox WHEN OLD.incident_id IS NOT NULL BEGIN"
                   " UPDATE outbox_incident SET ops = ops - 1 WHERE incident_id = OLD.incident_id;"
                   " DELETE FROM outbox_incident WHERE incident_id = OLD.incident_id AND ops <= 0;"
                   " END;");
}

// The number of changes waiting to be sent, without counting the outbox: the sync engine shows
// it after every change, and `SELECT count(*) FROM outbox` on a device that has not synced a
// large store (~800,000 queued ops) took tens of milliseconds each time, on the thread that
// saves the officer's next tap. One row beside the per-incident counts of step 7.
//
// Both are now kept by RecordStore (appendOp, acknowledge, markRejected: the only code that
// writes the outbox), in the same transaction, and step 7's triggers go: a statement that
// fires a trigger runs under a statement journal, and SQLCipher encrypts every page written
// to it — for each queued op the outbox, index and counter pages, which made appending an op
// most of the cost of saving a record (docs/performance.md, "Record tables").
Status v8OutboxTotal(Database& db)
{
    return db.exec("CREATE TABLE outbox_total (one INTEGER PRIMARY KEY CHECK (one = 1), ops INTEGER NOT NULL);"
                   "INSERT INTO outbox_total (one, ops) SELECT 1, count(*) FROM outbox;"
                   "DROP TRIGGER outbox_incident_add;"
                   "DROP TRIGGER outbox_incident_remove;");
}

// Record rows and photo chunks in ordinary (rowid) tables, their ids in a unique index. A
// WITHOUT ROWID table keeps each row inside its primary-key B-tree, which is built for small
// rows: a ~2 KB record (a DASH answer with its note) spills to an overflow page, only a few fit
// on a leaf, and every insert or update rebalances leaves full of large cells — each of those
// pages decrypted, re-encrypted and written again. Measured on a real SQLCipher file with
// 100,000 rows of 2.2 KB (vigil_bench_table_layout, docs/performance.md "Record tables"):
// inserting them took 30.0 s and made a 943 MB file; as a rowid table 4.1 s and 281 MB;
// 1,000 updates 373 ms against 121 ms.
// Columns, ids and indexes stay as they were; rows are copied in id order.
Status v9RowidRecordTables(Database& db)
{
    static constexpr std::string_view kColumns =
        "id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc, fields, stamps";
    std::string sql;
    for (const char* table : {"incident", "person", "answer", "rara_item", "referral", "attachment"}) {
        const std::string t = table;
        sql += "CREATE TABLE " + t + "_v9 (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT, parent_id TEXT,"
               " origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
               " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL);"
               "INSERT INTO " + t + "_v9 (" + std::string(kColumns) + ") SELECT " + std::string(kColumns) + " FROM " + t
            + " ORDER BY id;"
              "DROP TABLE " + t + ";"
              "ALTER TABLE " + t + "_v9 RENAME TO " + t + ";"
              "CREATE INDEX " + t + "_incident ON " + t + " (incident_id);";
    }
    sql += "CREATE INDEX incident_updated ON incident (updated_hlc);"
           "CREATE TABLE attachment_chunk_v9 (attachment_id TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,"
           " PRIMARY KEY (attachment_id, idx));"
           "INSERT INTO attachment_chunk_v9 (attachment_id, idx, data) SELECT attachment_id, idx, data"
           " FROM attachment_chunk ORDER BY attachment_id, idx;"
           "DROP TABLE attachment_chunk;"
           "ALTER TABLE attachment_chunk_v9 RENAME TO attachment_chunk;";
    return db.exec(sql);
}

// The supervision log (issue 23): QA decisions, reviews of the investigation and final risk
// reviews, one row each, append-only. A record table like the others. (IF NOT EXISTS: the
// upgrade test of step 9 writes with today's code, which reads the log, before it migrates.)
Status v10SupervisionLog(Database& db)
{
    return db.exec("CREATE TABLE IF NOT EXISTS supervision (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT, parent_id TEXT,"
                   " origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
                   " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS supervision_incident ON supervision (incident_id);");
}

// What person matching compares, kept beside each name in person_index so a victim's history
// is matched from the index: each candidate of the same name was a whole person row read and
// decoded (≈1.6 ms a queued 124D on a store of 50,000 incidents, docs/performance.md "The
// supervisor's desk"). Normalised as core/risk/PersonMatch does; '' when unknown. The values
// are derived, so this step only adds the columns: RecordStore fills them from the person rows
// when it opens a store whose index is older than its code (RecordStore::open, "person_index").
// The name index holds them too, so a name's candidates are read from it alone, in person id
// order as before, without a look-up of each one in the table (scattered pages by person id).
Status v11PersonIndexFacts(Database& db)
{
    return db.exec("ALTER TABLE person_index ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';"
                   "ALTER TABLE person_index ADD COLUMN postcode TEXT NOT NULL DEFAULT '';"
                   "ALTER TABLE person_index ADD COLUMN house TEXT NOT NULL DEFAULT '';"
                   "DROP INDEX person_index_name;"
                   "CREATE INDEX person_index_match ON person_index (name_key, role, person_id, incident_id, birth_date,"
                   " postcode, house);");
}

// The incidents in one lifecycle state without a scan of every incident's index row: the QA
// queue reads all the submitted ones (a few hundred of 50,000) in five statements, each of
// which scanned incident_index; the home list's tabs and counts ask by state too.
Status v12IncidentsByState(Database& db)
{
    return db.exec("CREATE INDEX incident_index_state ON incident_index (state);");
}

// Victim casework (issue 24): a victim's case and what is done in it, each a record table like
// the others, every row under the incident the case was opened from (so access and sync follow
// the incident): the case, contacts (append-only), Victims' Code events, safety-plan items,
// protective orders and their breaches (append-only).
Status v13Casework(Database& db)
{
    std::string sql;
    for (const char* table : {"victim_case", "contact", "case_event", "safety_item", "protective_order", "order_breach"}) {
        const std::string t = table;
        sql += "CREATE TABLE IF NOT EXISTS " + t + " (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT, parent_id TEXT,"
               " origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
               " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL);"
               "CREATE INDEX IF NOT EXISTS " + t + "_incident ON " + t + " (incident_id);"
               "CREATE INDEX IF NOT EXISTS " + t + "_parent ON " + t + " (parent_id);";
    }
    return db.exec(sql);
}

// A victim's risk re-assessed by the IDVA or the officer in the case (issue 24): a new
// assessment on the case, never an edit of the officer's 124D.
Status v14RiskReassessment(Database& db)
{
    return db.exec("CREATE TABLE IF NOT EXISTS risk_assessment (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT,"
                   " parent_id TEXT, origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
                   " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS risk_assessment_incident ON risk_assessment (incident_id);"
                   "CREATE INDEX IF NOT EXISTS risk_assessment_parent ON risk_assessment (parent_id);");
}

// Victim feedback forms (issue 24): a form issued after charge or at the conclusion of a case,
// a record table like the other casework kinds, each row under the incident its case was opened
// from (append-only). The anonymous responses are only counted, on the case row: no table.
Status v15FeedbackForms(Database& db)
{
    return db.exec("CREATE TABLE IF NOT EXISTS feedback_form (id TEXT PRIMARY KEY NOT NULL, incident_id TEXT, parent_id TEXT,"
                   " origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_hlc TEXT NOT NULL,"
                   " updated_hlc TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS feedback_form_incident ON feedback_form (incident_id);"
                   "CREATE INDEX IF NOT EXISTS feedback_form_parent ON feedback_form (parent_id);");
}

// Issue 22, item 5 (restores): each change keeps its op id (a random one from now on; NULL for
// changes made before, whose id is derived from device and seq as it always was), so it can be
// renumbered and still be recognised by the server; and changes the server acknowledged stay
// here for a while (sent_op), so what a server restored from a backup lost can be sent again.
Status v17SentOps(Database& db)
{
    // Idempotent, like step 16: a store whose version is put back (tests do) has the columns.
    for (const char* table : {"outbox", "rejected_op"}) {
        bool has = false;
        auto cols = db.prepare(std::string("PRAGMA table_info(") + table + ");");
        if (!cols)
            return std::move(cols).error();
        VIGIL_TRY(cols->forEach([&](const Query& row) { has = has || row.columnText(1) == "op_id"; }));
        if (!has)
            VIGIL_TRY(db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN op_id TEXT;"));
    }
    return db.exec("CREATE TABLE IF NOT EXISTS sent_op (device TEXT NOT NULL, seq INTEGER NOT NULL, op_id TEXT, entity TEXT NOT NULL,"
                   " record_id TEXT NOT NULL, incident_id TEXT, field TEXT NOT NULL, value TEXT NOT NULL, base TEXT,"
                   " hlc TEXT NOT NULL, acked_at TEXT NOT NULL, PRIMARY KEY (device, seq)) WITHOUT ROWID;"
                   "CREATE INDEX IF NOT EXISTS sent_op_acked ON sent_op (acked_at);");
}

// The figures (issue 25): the facts they count, derived from the rows like incident_index
// (core/figures/FigureIndex.h), so a borough-year is counted from short indexed columns. Filled
// when the store is next opened (store_meta "figure_index").
Status v18FigureIndex(Database& db)
{
    return db.exec("CREATE TABLE IF NOT EXISTS figure_incident (incident_id TEXT PRIMARY KEY NOT NULL,"
                   " occurred TEXT NOT NULL, state TEXT NOT NULL, borough TEXT NOT NULL, team TEXT NOT NULL,"
                   " owner TEXT NOT NULL, facts INTEGER NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS figure_incident_occurred ON figure_incident (occurred);"
                   "CREATE TABLE IF NOT EXISTS figure_person (person_id TEXT PRIMARY KEY NOT NULL,"
                   " incident_id TEXT NOT NULL, role TEXT NOT NULL, ordinal INTEGER NOT NULL, birth_date TEXT NOT NULL,"
                   " age_band TEXT NOT NULL, gender TEXT NOT NULL, ethnicity TEXT NOT NULL, disability TEXT NOT NULL,"
                   " religion TEXT NOT NULL, sexual_orientation TEXT NOT NULL, grade TEXT NOT NULL,"
                   " marac_referred INTEGER NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS figure_person_incident ON figure_person (incident_id);"
                   "CREATE TABLE IF NOT EXISTS figure_event (row_id TEXT PRIMARY KEY NOT NULL, incident_id TEXT NOT NULL,"
                   " kind TEXT NOT NULL, at TEXT NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS figure_event_incident ON figure_event (incident_id);"
                   "CREATE INDEX IF NOT EXISTS figure_event_at ON figure_event (at);");
}

// Issue 25, the crime's outcome: the figures count each crime's outcome and its court result by
// the codes recorded (core/risk-models/rules-outcomes.json). Filled when the store is next opened
// (store_meta "figure_index" 2). Idempotent, like step 17.
Status v19FigureOutcomes(Database& db)
{
    std::set<std::string> has;
    auto cols = db.prepare("PRAGMA table_info(figure_incident);");
    if (!cols)
        return std::move(cols).error();
    VIGIL_TRY(cols->forEach([&](const Query& row) { has.insert(row.columnText(1)); }));
    for (const char* column : {"outcome", "court_result"}) {
        if (!has.count(column))
            VIGIL_TRY(db.exec(std::string("ALTER TABLE figure_incident ADD COLUMN ") + column
                              + " TEXT NOT NULL DEFAULT '';"));
    }
    return {};
}

// Issue 22, the push A/B: acknowledged changes kept as an ordinary (rowid) table. Their values
// (a note can be kilobytes) made the WITHOUT ROWID table, whose rows live in its key's B-tree,
// about twice as slow to add a push's worth to at every acknowledgement. Idempotent: a table
// already with a rowid is left as it is.
Status v20SentOpRowid(Database& db)
{
    auto kind = db.queryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sent_op' "
                            "AND sql LIKE '%WITHOUT ROWID%';");
    if (!kind)
        return std::move(kind).error();
    if (*kind == 0)
        return {};
    return db.exec(
        "CREATE TABLE sent_op_rowid (device TEXT NOT NULL, seq INTEGER NOT NULL, op_id TEXT, entity TEXT NOT NULL,"
        " record_id TEXT NOT NULL, incident_id TEXT, field TEXT NOT NULL, value TEXT NOT NULL, base TEXT,"
        " hlc TEXT NOT NULL, acked_at TEXT NOT NULL, UNIQUE (device, seq));"
        "INSERT INTO sent_op_rowid SELECT device, seq, op_id, entity, record_id, incident_id, field, value, base, hlc,"
        " acked_at FROM sent_op ORDER BY device, seq;"
        "DROP TABLE sent_op;"
        "ALTER TABLE sent_op_rowid RENAME TO sent_op;"
        "CREATE INDEX sent_op_acked ON sent_op (acked_at);");
}

// Issue 25, the Victims' Code, repeat MARAC and review figures: the times their clocks run from,
// derived from the rows (core/figures/FigureIndex.h): when each 124D was started, took its state
// and was allocated; its supervision log; each victim's investigation case (the report, her consent
// to victim services, its events and what its contacts did). Filled when the store is next opened
// (store_meta "figure_index" 3).
Status v21FigureClocks(Database& db)
{
    return db.exec("CREATE TABLE IF NOT EXISTS figure_clock (row_id TEXT PRIMARY KEY NOT NULL, incident_id TEXT NOT NULL,"
                   " case_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, detail TEXT NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS figure_clock_incident ON figure_clock (incident_id);"
                   "CREATE INDEX IF NOT EXISTS figure_clock_kind_at ON figure_clock (kind, at);");
}

/// Add each (table, column) a store does not have yet as TEXT NOT NULL DEFAULT '' (the figures'
/// steps are idempotent: a step run again, or on a table some other step already widened, adds
/// nothing).
Status addTextColumns(Database& db, std::initializer_list<std::pair<const char*, const char*>> columns)
{
    for (const auto& [table, column] : columns) {
        std::set<std::string> has;
        auto cols = db.prepare(std::string("PRAGMA table_info(") + table + ");");
        if (!cols)
            return std::move(cols).error();
        VIGIL_TRY(cols->forEach([&](const Query& row) { has.insert(row.columnText(1)); }));
        if (!has.count(column))
            VIGIL_TRY(db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN " + column
                              + " TEXT NOT NULL DEFAULT '';"));
    }
    return {};
}

// Issue 25, the figures' speed: a borough-year (100,000 incidents) read as one range of one index
// in the order of the incident's date, not a B-tree seek (nor a row) per person. The people the
// figures count are kept packed on their incident's row (`people`, one short text: see
// core/figures/FigureIndex.cpp), the incident's date on its events, and each index holds every
// column the figures read, so the rows themselves are not visited. Filled when the store is
// next opened (store_meta "figure_index" 4). Idempotent, like step 19.
Status v22FigurePeriodIndexes(Database& db)
{
    VIGIL_TRY(addTextColumns(db, {{"figure_incident", "people"}, {"figure_event", "occurred"}}));
    return db.exec("DROP INDEX IF EXISTS figure_incident_occurred;"
                   "CREATE INDEX IF NOT EXISTS figure_incident_period ON figure_incident (occurred, incident_id, state,"
                   " borough, team, facts, outcome, court_result, people);"
                   "CREATE INDEX IF NOT EXISTS figure_event_period ON figure_event (occurred, kind, incident_id);"
                   // The victims referred to MARAC, with what matches a person across incidents
                   // (person_index's), so the repeat referrals read one range, not a join a victim.
                   "CREATE TABLE IF NOT EXISTS figure_marac (person_id TEXT PRIMARY KEY NOT NULL,"
                   " incident_id TEXT NOT NULL, occurred TEXT NOT NULL, state TEXT NOT NULL, name_key TEXT NOT NULL,"
                   " birth_date TEXT NOT NULL, postcode TEXT NOT NULL, house TEXT NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS figure_marac_incident ON figure_marac (incident_id);"
                   "CREATE INDEX IF NOT EXISTS figure_marac_period ON figure_marac (occurred, state, person_id,"
                   " incident_id, name_key, birth_date, postcode, house);");
}

// Issue 25, the review figures' speed: what a 124D's review cadence counts from (when it was
// started, took its state and was allocated; its supervision log) packed on its figure row
// (`review`, from figure_clock: see core/figures/FigureIndex.cpp) with when it took its state
// (`state_at`), and one index in (state, state_at) order holding every column the figure reads, so
// the investigations open at a moment are one or two ranges of it, not a join of every clock row.
// Filled when the store is next opened (store_meta "figure_index" 5). Idempotent, like step 22.
Status v23FigureReviewClocks(Database& db)
{
    VIGIL_TRY(addTextColumns(db, {{"figure_incident", "state_at"}, {"figure_incident", "review"}}));
    return db.exec("CREATE INDEX IF NOT EXISTS figure_incident_review ON figure_incident (state, state_at, incident_id,"
                   " borough, team, owner, facts, review);");
}

// Issue 25, a force's figures (1,000,000 incidents, 32 boroughs, on the server): every read of the
// figures is one borough's (a force's figures are its boroughs' added up), so each index the
// figures read leads with the borough, and the events carry their incident's borough as they
// carry its date; each 124D's Victims' Code clocks are packed on its row like its review clock. Filled when the store is next opened (store_meta "figure_index" 6).
// Idempotent, like step 22.
Status v24FigureBoroughIndexes(Database& db)
{
    VIGIL_TRY(addTextColumns(db, {{"figure_event", "borough"}, {"figure_incident", "code"},
                                  {"figure_incident", "code_last"}}));
    return db.exec("DROP INDEX IF EXISTS figure_incident_period;"
                   "CREATE INDEX figure_incident_period ON figure_incident (borough, occurred, incident_id, state, team,"
                   " facts, outcome, court_result, people);"
                   "DROP INDEX IF EXISTS figure_incident_review;"
                   "CREATE INDEX figure_incident_review ON figure_incident (borough, state, state_at, incident_id, team,"
                   " owner, facts, review);"
                   // The Victims' Code clocks of each 124D packed on its row (`code`), read from the
                   // last moment one of them runs from (`code_last`).
                   "CREATE INDEX IF NOT EXISTS figure_incident_code ON figure_incident (borough, code_last, incident_id,"
                   " state, team, people, code);"
                   "DROP INDEX IF EXISTS figure_event_period;"
                   "CREATE INDEX figure_event_period ON figure_event (borough, occurred, kind, incident_id);"
                   "DROP INDEX IF EXISTS figure_event_at;"
                   "CREATE INDEX figure_event_at ON figure_event (borough, at, kind, incident_id);"
                   // The Victims' Code figures read the clocks packed on the incident's row now.
                   "DROP INDEX IF EXISTS figure_clock_kind_at;");
}

// Issue 25, the figures' speed: the 124Ds' figures of each borough's month (and of each team's),
// kept once worked out (`figure_month`, core/figures/Figures.cpp): a period's whole months are
// added up from them, so a force's year reads hundreds of small rows, not a million incidents.
// Derived, and dropped by triggers whenever a fact they count changes (an incident's or an
// event's row written, changed or removed), so a month is worked out from the facts again when
// next asked for. `lists` names the lists it was counted with (the diversity and outcome lists'
// ids and versions): counted with others, it is worked out again.
Status v25FigureMonths(Database& db)
{
    // The cells a row of figure_incident counts in: its borough's month, that of its team and
    // that of every team (team ''), and the months its feedback forms and QA decisions were made.
    const auto dropIncident = [](const char* row) {
        const std::string r(row);
        return "DELETE FROM figure_month WHERE borough = " + r + ".borough AND team IN (" + r
               + ".team, '') AND (month = substr(" + r + ".occurred, 1, 7) OR month IN (SELECT substr(at, 1, 7) FROM"
               " figure_event WHERE incident_id = " + r + ".incident_id));";
    };
    // Those of an event's row: the month of its incident's date and the month it was made, in its
    // incident's borough and team.
    const auto dropEvent = [](const char* row) {
        const std::string r(row);
        return "DELETE FROM figure_month WHERE borough = " + r + ".borough AND team IN (coalesce((SELECT team FROM"
               " figure_incident WHERE incident_id = " + r + ".incident_id), ''), '') AND month IN (substr(" + r
               + ".occurred, 1, 7), substr(" + r + ".at, 1, 7));";
    };
    // Looked up by key, not by scanning the cells: a pull writes thousands of rows.
    const auto of = [](const char* table, const char* column, const char* key, const char* value) {
        return std::string("(SELECT ") + column + " FROM " + table + " WHERE " + key + " = new." + value + ")";
    };
    const std::string replacedIncident =
        "DELETE FROM figure_month WHERE borough = " + of("figure_incident", "borough", "incident_id", "incident_id")
        + " AND team IN (" + of("figure_incident", "team", "incident_id", "incident_id") + ", '') AND (month = "
        + of("figure_incident", "substr(occurred, 1, 7)", "incident_id", "incident_id")
        + " OR month IN (SELECT substr(at, 1, 7) FROM figure_event WHERE incident_id = new.incident_id));";
    const std::string replacedEvent =
        "DELETE FROM figure_month WHERE borough = " + of("figure_event", "borough", "row_id", "row_id")
        + " AND team IN (coalesce((SELECT i.team FROM figure_event e JOIN figure_incident i ON i.incident_id ="
        " e.incident_id WHERE e.row_id = new.row_id), ''), '') AND month IN ("
        + of("figure_event", "substr(occurred, 1, 7)", "row_id", "row_id") + ", "
        + of("figure_event", "substr(at, 1, 7)", "row_id", "row_id") + ");";
    // The MARAC referrals carry their incident's borough, as its events do: the repeat referrals
    // of a borough are read as one range, without reading its every incident.
    VIGIL_TRY(addTextColumns(db, {{"figure_marac", "borough"}}));
    VIGIL_TRY(db.exec("UPDATE figure_marac SET borough = coalesce((SELECT borough FROM figure_incident WHERE"
                      " incident_id = figure_marac.incident_id), '');"
                      "CREATE INDEX IF NOT EXISTS figure_marac_borough ON figure_marac (borough, occurred, state,"
                      " person_id, incident_id);"));
    return db.exec(
        "CREATE TABLE IF NOT EXISTS figure_month (borough TEXT NOT NULL, month TEXT NOT NULL, team TEXT NOT NULL,"
        " lists TEXT NOT NULL, counts BLOB NOT NULL, PRIMARY KEY (borough, month, team)) WITHOUT ROWID;"
        // INSERT OR REPLACE removes the row it replaces without firing a delete trigger: the
        // replaced row's cells are dropped before.
        "CREATE TRIGGER IF NOT EXISTS figure_month_incident_replaced BEFORE INSERT ON figure_incident BEGIN "
        + replacedIncident + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_incident_added AFTER INSERT ON figure_incident BEGIN "
        + dropIncident("new") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_incident_changed AFTER UPDATE OF occurred, state, borough, team,"
        " owner, facts, outcome, court_result, people ON figure_incident BEGIN " + dropIncident("old")
        + dropIncident("new") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_incident_removed AFTER DELETE ON figure_incident BEGIN "
        + dropIncident("old") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_event_replaced BEFORE INSERT ON figure_event BEGIN "
        + replacedEvent + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_event_added AFTER INSERT ON figure_event BEGIN "
        + dropEvent("new") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_event_changed AFTER UPDATE ON figure_event BEGIN " + dropEvent("old")
        + dropEvent("new") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_month_event_removed AFTER DELETE ON figure_event BEGIN "
        + dropEvent("old") + " END;");
}

// Issue 25, the repeat MARAC referrals' speed: each referral keeps how many days after the nearest
// earlier referral of the same person on another received 124D it came (`gap`, worked out when a
// referral is derived: figure_index::refreshMaracGaps), so the repeats within the window are a
// range of one index, not every referral of two years matched at read time.
Status v26MaracGaps(Database& db)
{
    bool has = false;
    auto cols = db.prepare("PRAGMA table_info(figure_marac);");
    if (!cols)
        return std::move(cols).error();
    VIGIL_TRY(cols->forEach([&](const Query& row) { has = has || row.columnView(1) == "gap"; }));
    if (!has)
        VIGIL_TRY(db.exec("ALTER TABLE figure_marac ADD COLUMN gap INTEGER;"));
    VIGIL_TRY(db.exec("CREATE INDEX IF NOT EXISTS figure_marac_name ON figure_marac (name_key);"
                      "DROP INDEX IF EXISTS figure_marac_borough;"
                      "CREATE INDEX figure_marac_borough ON figure_marac (borough, occurred, state, gap, person_id,"
                      " incident_id);"));
    return figure_index::refreshMaracGaps(db, nullptr);
}

// Issue 25, the Victims' Code figures' speed: the items that fell due on each London day, by duty,
// kept once worked out for the day (`figure_code_day`, counted only for days over when worked
// out: their items are settled), so a year adds up 365 short rows and works out only the days a
// change dropped. Each 124D carries the earliest moment one of its items runs from (`code_first`):
// no item of it falls due before, so a change to it drops that day's counts and every later day's.
Status v27FigureCodeDays(Database& db)
{
    VIGIL_TRY(addTextColumns(db, {{"figure_incident", "code_first"}}));
    VIGIL_TRY(db.exec("UPDATE figure_incident SET code_first = coalesce((SELECT min(at) FROM figure_clock WHERE"
                      " incident_id = figure_incident.incident_id AND kind IN ('started', 'report', 'consent',"
                      " 'case_event')), '');"));
    // The days an incident's row counts in: its borough's, of its team and of every team (''),
    // from its code_first on (none when it has no clock).
    const auto drop = [](const std::string& borough, const std::string& team, const std::string& first) {
        return "DELETE FROM figure_code_day WHERE borough = " + borough + " AND team IN (" + team + ", '') AND "
               + first + " <> '' AND day >= substr(" + first + ", 1, 10);";
    };
    const auto existing = [](const char* column) {
        return std::string("(SELECT ") + column + " FROM figure_incident WHERE incident_id = new.incident_id)";
    };
    return db.exec(
        "CREATE TABLE IF NOT EXISTS figure_code_day (borough TEXT NOT NULL, day TEXT NOT NULL, team TEXT NOT NULL,"
        " rules TEXT NOT NULL, counts TEXT NOT NULL, PRIMARY KEY (borough, day, team)) WITHOUT ROWID;"
        "CREATE TRIGGER IF NOT EXISTS figure_code_day_incident_replaced BEFORE INSERT ON figure_incident BEGIN "
        + drop(existing("borough"), existing("team"), "coalesce(" + existing("code_first") + ", '')") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_code_day_incident_added AFTER INSERT ON figure_incident BEGIN "
        + drop("new.borough", "new.team", "new.code_first") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_code_day_incident_changed AFTER UPDATE OF state, borough, team, people,"
        " code, code_first ON figure_incident BEGIN " + drop("old.borough", "old.team", "old.code_first")
        + drop("new.borough", "new.team", "new.code_first") + " END;"
        "CREATE TRIGGER IF NOT EXISTS figure_code_day_incident_removed AFTER DELETE ON figure_incident BEGIN "
        + drop("old.borough", "old.team", "old.code_first") + " END;");
}

// Issue 25, the repeat MARAC referrals counted with the 124Ds' figures: each victim packed on an
// incident carries its referral's gap (FigureIndex.h), so a month's kept counts hold its repeat
// referrals too and nothing is read for them at request time.
Status v28PeopleWithGaps(Database& db)
{
    return figure_index::repackReferredPeople(db);
}

constexpr std::array kSteps = {
    Migration{1, "store_meta: facts about the store", &v1StoreMeta},
    Migration{2, "records, outbox, conflicts, audit chain, attachment chunks", &v2Records},
    Migration{3, "person and incident look-up indexes", &v3Indexes},
    Migration{4, "changes refused by the server, kept", &v4RejectedOps},
    Migration{5, "conflict authors, kinds and resolutions; device users; photo transfers", &v5ConflictsAndTransfers},
    Migration{6, "outbox looked up by record", &v6OutboxByRecord},
    Migration{7, "unsent changes counted per incident", &v7OutboxPerIncident},
    Migration{8, "unsent changes counted in all, by the record store", &v8OutboxTotal},
    Migration{9, "record rows and photo chunks in rowid tables", &v9RowidRecordTables},
    Migration{10, "the supervision log", &v10SupervisionLog},
    Migration{11, "person matching facts in the person index", &v11PersonIndexFacts},
    Migration{12, "incidents looked up by lifecycle state", &v12IncidentsByState},
    Migration{13, "victim casework: cases, contacts, events, safety plans, orders, breaches", &v13Casework},
    Migration{14, "risk re-assessments on a victim's case", &v14RiskReassessment},
    Migration{15, "victim feedback forms issued", &v15FeedbackForms},
    Migration{16, "the audit chain keyed: a MAC on every entry and on its head", &AuditLog::keyExistingEntries},
    Migration{17, "op ids kept with each change; acknowledged changes kept to send again after a server restore",
              &v17SentOps},
    Migration{18, "the facts the figures count, derived from the records", &v18FigureIndex},
    Migration{19, "the crime's outcome and court result among the figures' facts", &v19FigureOutcomes},
    Migration{20, "acknowledged changes kept in an ordinary table (quicker to add to)", &v20SentOpRowid},
    Migration{21, "the times the Victims' Code and review figures count from, derived from the records",
              &v21FigureClocks},
    Migration{22, "the figures' facts read in the order of the incident's date", &v22FigurePeriodIndexes},
    Migration{23, "the review figures' clocks packed on each 124D's facts", &v23FigureReviewClocks},
    Migration{24, "the figures' facts read a borough at a time", &v24FigureBoroughIndexes},
    Migration{25, "the 124Ds' figures of each month kept once worked out", &v25FigureMonths},
    Migration{26, "each MARAC referral with how long after the same person's last one it came", &v26MaracGaps},
    Migration{27, "the Victims' Code items due each day kept once worked out", &v27FigureCodeDays},
    Migration{28, "the repeat MARAC referrals counted with each month's figures", &v28PeopleWithGaps},
};

}  // namespace

std::span<const Migration> deviceSchema() { return kSteps; }

}  // namespace vigil
