#include "core/records/RecordStore.h"

#include "core/figures/FigureIndex.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include <sodium.h>

#include "core/common/JsonText.h"
#include "core/common/Uuid.h"
#include "core/records/FieldPaths.h"
#include "core/records/OpLimits.h"
#include "core/risk/Dates.h"
#include "core/risk/PersonMatch.h"
#include "core/store/Database.h"
#include "core/store/SecureBytes.h"

namespace vigil {

namespace {

/// The last lifecycle command on an incident, kept beside its state so lists can show it
/// (a returned 124D with the supervisor's notes). Derived from the @command op: no stamps,
/// never pushed as fields; the op itself is what syncs.
void noteCommand(RecordRow& row, const std::string& command, const std::string& by, const std::string& note)
{
    row.fields[std::string(kReviewCommandField)] = command;
    row.fields[std::string(kReviewByField)] = by;
    row.fields[std::string(kReviewNoteField)] = note;
}

constexpr std::array<std::string_view, 15> kEntityNames = {
    "incident", "person", "answer", "rara_item", "referral", "attachment", "supervision",
    "victim_case", "contact", "case_event", "safety_item", "protective_order", "order_breach",
    "risk_assessment", "feedback_form"};

/// The SQL for one entity table, built once.
struct TableSql {
    std::string select;
    std::string selectByIncident;
    std::string stampsByIncident;  ///< id, origin, stamps of every row of an incident, tombstones too
    std::string insert;
    std::string update;
    std::string deleteByIncident;
};

const TableSql& sqlFor(Entity entity)
{
    static const auto tables = [] {
        std::array<TableSql, kEntityNames.size()> t;
        for (std::size_t i = 0; i < kEntityNames.size(); ++i) {
            const std::string name(kEntityNames[i]);
            const std::string cols = "id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc, fields, stamps";
            t[i].select = "SELECT " + cols + " FROM " + name + " WHERE id = ?1;";
            t[i].selectByIncident = "SELECT " + cols + " FROM " + name
                + " WHERE incident_id = ?1 AND deleted = 0 ORDER BY created_hlc, id;";
            // Stamps only: the values (≈2 KB a row) are read just for the rows that matter.
            t[i].stampsByIncident = "SELECT id, origin, stamps FROM " + name + " WHERE incident_id = ?1;";
            t[i].insert = "INSERT INTO " + name + " (" + cols + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);";
            t[i].update = "UPDATE " + name + " SET incident_id = ?2, parent_id = ?3, origin = ?4, deleted = ?5,"
                " created_hlc = ?6, updated_hlc = ?7, fields = ?8, stamps = ?9 WHERE id = ?1;";
            t[i].deleteByIncident = "DELETE FROM " + name + " WHERE incident_id = ?1 OR id = ?1;";
        }
        return t;
    }();
    return tables[static_cast<std::size_t>(entity)];
}

/// Stamps as {"field": "<hlc>"} when the row's own device wrote the field (the common case),
/// else {"field": "<hlc> <origin>"}: the per-field metadata stays small next to the values.
nlohmann::json stampsToJson(const std::map<std::string, FieldStamp>& stamps, const std::string& rowOrigin)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [field, s] : stamps)
        j[field] = s.origin == rowOrigin ? hlcToString(s.hlc) : hlcToString(s.hlc) + " " + s.origin;
    return j;
}

/// How this code derives person_index from the person rows (indexRow). A store whose index an
/// older version derived is derived again when opened: version 2 added what matching compares
/// (schema step 11), version 1 (no "person_index" in store_meta) held names only.
constexpr std::string_view kPersonIndexVersion = "2";

/// What person matching compares of a person row, taken as history takes it: the row's
/// "person" fields read as the domain's Person, then normalised. A row the domain cannot read
/// gives nothing, which matches nobody (history skips such a row too).
NormalisedPerson matchFacts(const nlohmann::json& fields)
{
    nlohmann::json personFields = nlohmann::json::object();
    for (const auto& [path, value] : fields.items()) {
        if (path.rfind("person", 0) == 0 && (path.size() == 6 || path[6] == '.'))
            personFields[path] = value;
    }
    const nlohmann::json tree = unflattenFields(personFields);
    auto person = personFromJson(tree.value("person", nlohmann::json::object()), "person");
    return person ? normalisePerson(*person) : NormalisedPerson{};
}

/// A row as selected (id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc,
/// fields, stamps). With `only`, just those fields and their stamps are built (parseSomeFields).
RecordRow readRow(Entity entity, const Query& q, const std::vector<std::string_view>* only = nullptr)
{
    RecordRow r;
    r.entity = entity;
    r.id = q.columnText(0);
    r.incidentId = q.columnText(1);
    r.parentId = q.columnText(2);
    r.origin = q.columnText(3);
    r.deleted = q.columnInt(4) != 0;
    r.createdHlc = hlcFromString(q.columnText(5)).value_or(0);
    r.updatedHlc = hlcFromString(q.columnText(6)).value_or(0);
    if (only != nullptr && !only->empty()) {
        r.fields = parseSomeFields(q.columnText(7), *only);
        r.stamps = stampsFromJson(parseSomeFields(q.columnText(8), *only), r.origin);
        return r;
    }
    r.fields = vigil::json::parse(q.columnText(7));
    if (!r.fields.is_object())
        r.fields = nlohmann::json::object();
    r.stamps = stampsFromJson(vigil::json::parse(q.columnText(8)), r.origin);
    return r;
}

/// (hlc, origin) ordering: the greater write wins.
bool laterThan(HlcStamp hlc, const std::string& origin, const FieldStamp& other)
{
    return hlc != other.hlc ? hlc > other.hlc : origin > other.origin;
}

/// Empty text, null and empty lists are what an untouched field looks like.
bool isEmptyValue(const nlohmann::json& v)
{
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) || (v.is_array() && v.empty());
}

std::string fieldList(const std::vector<std::string>& names)
{
    std::string out = "fields: ";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out;
}

/// ISO 8601 UTC with milliseconds.
std::string isoFromMillis(std::int64_t millis)
{
    using namespace std::chrono;
    const sys_time<milliseconds> now{milliseconds(millis)};
    const auto day = floor<days>(now);
    const year_month_day ymd{day};
    const hh_mm_ss hms{now - day};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                  static_cast<int>(hms.subseconds().count()));
    return buf;
}

std::string whenOf(HlcStamp stamp)
{
    return stamp == 0 ? std::string() : isoFromMillis(static_cast<std::int64_t>(hlcMillis(stamp)));
}

/// "<hlc> <origin>": how a stamp is named inside `@resolve` and `@conflict` values.
std::string stampText(const FieldStamp& s)
{
    return hlcToString(s.hlc) + " " + s.origin;
}

std::optional<FieldStamp> stampFromText(const nlohmann::json& v)
{
    if (!v.is_string())
        return std::nullopt;
    const std::string& text = v.get_ref<const std::string&>();
    const auto space = text.find(' ');
    if (space == std::string::npos)
        return std::nullopt;
    auto hlc = hlcFromString(text.substr(0, space));
    if (!hlc || space + 1 >= text.size())
        return std::nullopt;
    return FieldStamp{*hlc, text.substr(space + 1)};
}

/// A command's value as a conflict shows it: without the `seen` bookkeeping.
nlohmann::json commandShown(const nlohmann::json& value)
{
    nlohmann::json v = value.is_object() ? value : nlohmann::json::object();
    v.erase("seen");
    return v;
}

std::string_view kindName(ConflictKind kind)
{
    return kind == ConflictKind::Command ? "command" : "field";
}

/// The incident a row belongs to (an incident row is its own).
std::string incidentOf(const RecordRow& row)
{
    return row.entity == Entity::Incident ? row.id : row.incidentId;
}

/// A change over the size limits (core/records/OpLimits.h) is refused before it is queued: the
/// server would refuse it too, and the officer can shorten it while it is still in front of them.
Status withinLimits(Entity entity, const std::string& id, std::string_view field, const nlohmann::json& value)
{
    if (auto breach = checkOpLimits(toString(entity), id, field, value))
        return makeError(ErrorCode::Validation, std::move(breach->message), std::move(breach->field));
    return {};
}

Error notOnDevice(Entity entity, const std::string& id)
{
    return makeError(ErrorCode::NotFound, "The " + std::string(toString(entity)) + " record " + id
                                              + " is not on this device (it may have been removed or not synced yet). "
                                                "Go back to the list and open the record again.");
}

}  // namespace

std::map<std::string, FieldStamp> stampsFromJson(const nlohmann::json& j, const std::string& rowOrigin)
{
    std::map<std::string, FieldStamp> out;
    if (!j.is_object())
        return out;
    for (const auto& [field, v] : j.items()) {
        if (!v.is_string())
            continue;
        const std::string& text = v.get_ref<const std::string&>();
        const auto space = text.find(' ');
        out[field] = FieldStamp{hlcFromString(text.substr(0, space)).value_or(0),
                                space == std::string::npos ? rowOrigin : text.substr(space + 1)};
    }
    return out;
}

std::string_view toString(Entity entity) noexcept { return kEntityNames[static_cast<std::size_t>(entity)]; }

std::span<const std::string_view> allEntityNames() noexcept
{
    return kEntityNames;
}

std::optional<Entity> entityFromString(std::string_view text) noexcept
{
    for (std::size_t i = 0; i < kEntityNames.size(); ++i)
        if (kEntityNames[i] == text)
            return static_cast<Entity>(i);
    return std::nullopt;
}

const nlohmann::json& RecordRow::field(const std::string& name) const
{
    static const nlohmann::json null;
    auto it = fields.find(name);
    return it == fields.end() ? null : *it;
}

std::string deterministicId(std::string_view name)
{
    ensureSodium();
    std::array<unsigned char, 16> b{};
    static constexpr std::string_view kKey = "vigil deterministic id v1";
    crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(name.data()), name.size(),
                       reinterpret_cast<const unsigned char*>(kKey.data()), kKey.size());
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x80);  // "version 8": custom, name-based
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
    const std::string hex = toHex(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-"
        + hex.substr(20, 12);
}

RecordStore::RecordStore(Database& db, Clock clock, std::string device, HlcStamp last)
    : m_db(db), m_clock(clock), m_device(std::move(device)), m_hlc(std::move(clock), last), m_audit(db)
{
}

Result<std::unique_ptr<RecordStore>> RecordStore::open(Database& db, Clock clock)
{
    auto q = db.prepare(
        "SELECT key, value FROM store_meta WHERE key IN ('device_id', 'hlc_last', 'person_index', 'figure_index');");
    if (!q)
        return std::move(q).error();
    std::string device;
    std::string personIndex;
    std::string figureIndex;
    HlcStamp last = 0;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        if (row.columnText(0) == "device_id")
            device = row.columnText(1);
        else if (row.columnText(0) == "person_index")
            personIndex = row.columnText(1);
        else if (row.columnText(0) == "figure_index")
            figureIndex = row.columnText(1);
        else
            last = hlcFromString(row.columnText(1)).value_or(0);
    }));
    std::unique_ptr<RecordStore> store(new RecordStore(db, std::move(clock), device, last));
    if (device.empty()) {
        // Until enrolment gives one, the device names itself; ids only need to be unique.
        VIGIL_TRY(store->setDeviceId(newUuid()));
    }
    if (personIndex != kPersonIndexVersion) {
        VIGIL_TRY(store->rebuildPersonIndex());
        figureIndex.clear();  // the figures keep the person index's match facts (figure_marac)
    }
    if (figureIndex != figure_index::kVersion) {
        // Once per store, as the person index: every fact derived again, with the version, in
        // one transaction.
        Status derived = store->transaction([&]() -> Status {
            VIGIL_TRY(figure_index::rebuild(db));
            return store->meta("figure_index", figure_index::kVersion);
        });
        VIGIL_TRY(derived);
    }
    return store;
}

Status RecordStore::rebuildPersonIndex()
{
    // Once per store (an upgrade, or a new store's empty index): every live person row, read
    // and written in one transaction with the version, so no save from another connection falls
    // between the two, and an interrupted rebuild is simply done again next time.
    return transaction([&]() -> Status {
        struct Entry {
            std::string id, incidentId, role, name;
            NormalisedPerson facts;
        };
        std::vector<Entry> entries;
        auto q = m_db.prepare("SELECT id, coalesce(incident_id, ''), fields FROM person WHERE deleted = 0;");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const nlohmann::json fields = vigil::json::parse(row.columnText(2));
            if (!fields.is_object())
                return;
            const auto text = [&](const char* name) {
                const auto it = fields.find(name);
                return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
            };
            entries.push_back({row.columnText(0), row.columnText(1), text("role"), normaliseName(text("person.name")),
                               matchFacts(fields)});
        }));
        VIGIL_TRY(m_db.exec("DELETE FROM person_index;"));
        for (const Entry& e : entries)
            VIGIL_TRY(insertPersonIndex(e.id, e.incidentId, e.role, e.name, e.facts));
        return meta("person_index", std::string(kPersonIndexVersion));
    });
}

Status RecordStore::insertPersonIndex(const std::string& personId, const std::string& incidentId, const std::string& role,
                                      const std::string& nameKey, const NormalisedPerson& facts)
{
    if (nameKey.empty() || incidentId.empty())
        return {};
    auto ins = m_db.prepare("INSERT INTO person_index (person_id, incident_id, role, name_key, birth_date, postcode, house)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);");
    if (!ins)
        return std::move(ins).error();
    ins->bind(1, personId)
        .bind(2, incidentId)
        .bind(3, role)
        .bind(4, nameKey)
        .bind(5, facts.dateOfBirth ? formatIsoDate(*facts.dateOfBirth) : std::string())
        .bind(6, facts.postcode)
        .bind(7, facts.house);
    return ins->run();
}

Status RecordStore::setDeviceId(const std::string& deviceId)
{
    if (deviceId.empty())
        return makeError(ErrorCode::InvalidArgument, "A device id cannot be empty. Enrol the device again.");
    VIGIL_TRY(meta("device_id", deviceId));
    m_device = deviceId;
    return {};
}

Status RecordStore::meta(const std::string& key, const std::string& value)
{
    auto q = m_db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES (?1, ?2);");
    if (!q)
        return std::move(q).error();
    q->bind(1, key).bind(2, value);
    return q->run();
}

std::string RecordStore::nowIso() const
{
    using namespace std::chrono;
    return isoFromMillis(duration_cast<milliseconds>(m_clock().time_since_epoch()).count());
}

Status RecordStore::transaction(const std::function<Status()>& body)
{
    // Nested calls join the outer transaction: a repository can group several writes.
    if (m_db.inTransaction())
        return body();
    struct Reset {
        RecordStore& store;
        void operator()() const
        {
            store.m_pendingAudit.clear();
            store.m_outboxAdded.clear();
            store.m_outboxAddedTotal = 0;
        }
        ~Reset()  // also when the body throws (the database rolled back)
        {
            store.m_deferCounts = false;
            (*this)();
        }
    } reset{*this};
    reset();
    m_deferCounts = true;
    return m_db.transaction([&]() -> Status {
        VIGIL_TRY(body());
        VIGIL_TRY(flushAudit());  // appends the audit chain's ops: counted below
        return flushOutboxCounts();
    });
}

Status RecordStore::countOutbox(const std::map<std::string, std::int64_t>& perIncident, std::int64_t total)
{
    for (const auto& [incident, delta] : perIncident) {
        if (delta == 0)
            continue;
        if (delta < 0) {
            // Usually every unsent op of the incident went (an acknowledged batch): one statement.
            auto del = m_db.prepare("DELETE FROM outbox_incident WHERE incident_id = ?1 AND ops + ?2 <= 0;");
            if (!del)
                return std::move(del).error();
            del->bind(1, incident).bind(2, delta);
            VIGIL_TRY(del->run());
            if (m_db.changes() > 0)
                continue;
        }
        auto up = m_db.prepare("UPDATE outbox_incident SET ops = ops + ?2 WHERE incident_id = ?1;");
        if (!up)
            return std::move(up).error();
        up->bind(1, incident).bind(2, delta);
        VIGIL_TRY(up->run());
        if (m_db.changes() == 0 && delta > 0) {
            auto ins = m_db.prepare("INSERT INTO outbox_incident (incident_id, ops) VALUES (?1, ?2);");
            if (!ins)
                return std::move(ins).error();
            ins->bind(1, incident).bind(2, delta);
            VIGIL_TRY(ins->run());
        }
    }
    if (total == 0)
        return {};
    auto q = m_db.prepare("UPDATE outbox_total SET ops = ops + ?1 WHERE one = 1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, total);
    return q->run();
}

Status RecordStore::flushOutboxCounts()
{
    Status s = countOutbox(m_outboxAdded, m_outboxAddedTotal);
    m_outboxAdded.clear();
    m_outboxAddedTotal = 0;
    return s;
}

void RecordStore::noteAudit(const Actor& actor, AuditAction action, Entity entity, const std::string& recordId,
                            std::string detail, const std::vector<std::string>& recipients)
{
    for (auto& p : m_pendingAudit) {
        if (p.actor.userId == actor.userId && p.action == action && p.recordId == recordId) {
            p.details.push_back(std::move(detail));
            p.recipients.insert(p.recipients.end(), recipients.begin(), recipients.end());
            return;
        }
    }
    m_pendingAudit.push_back({actor, action, entity, recordId, {std::move(detail)}, recipients});
}

Status RecordStore::flushAudit()
{
    constexpr std::size_t kMaxDetails = 8;
    for (const auto& p : m_pendingAudit) {
        if (!p.actor.userId.empty())
            VIGIL_TRY(noteDeviceUser(m_device, p.actor.userId));  // who writes on this device, for conflicts
        std::string detail;
        for (std::size_t i = 0; i < p.details.size() && i < kMaxDetails; ++i)
            detail += (i ? "; " : "") + p.details[i];
        if (p.details.size() > kMaxDetails)
            detail += "; and " + std::to_string(p.details.size() - kMaxDetails) + " more parts";
        AuditEntry e;
        e.at = nowIso();
        e.actor = p.actor.userId;
        e.device = m_device;
        e.action = p.action;
        e.entity = std::string(toString(p.entity));
        e.recordId = p.recordId;
        e.justification = p.actor.justification;
        e.recipients = p.recipients;
        e.detail = detail;
        auto stored = m_audit.append(std::move(e));
        if (!stored)
            return std::move(stored).error();
        // The device's chain travels to the server like any other append-only record.
        VIGIL_TRY(appendOp("audit", newUuid(), {}, std::string(kFieldAppend), auditEntryToJson(*stored), std::nullopt,
                           m_hlc.tick()));
    }
    m_pendingAudit.clear();
    return persistClock();
}

Status RecordStore::persistClock() { return meta("hlc_last", hlcToString(m_hlc.last())); }

Status RecordStore::indexRow(const RecordRow& row)
{
    // The figures' facts last: a MARAC referral is kept with the person index's match facts.
    VIGIL_TRY(indexOwnRow(row));
    return figure_index::indexRow(m_db, row);
}

Status RecordStore::indexOwnRow(const RecordRow& row)
{
    const auto text = [&](const char* field) {
        const auto& v = row.field(field);
        return v.is_string() ? v.get<std::string>() : std::string();
    };
    if (row.entity == Entity::Person) {
        auto del = m_db.prepare("DELETE FROM person_index WHERE person_id = ?1;");
        if (!del)
            return std::move(del).error();
        del->bind(1, row.id);
        VIGIL_TRY(del->run());
        const std::string name = normaliseName(text("person.name"));
        if (row.deleted || name.empty() || row.incidentId.empty())
            return {};
        return insertPersonIndex(row.id, row.incidentId, text("role"), name, matchFacts(row.fields));
    }
    if (row.entity == Entity::Incident) {
        auto q = m_db.prepare(row.deleted ? "DELETE FROM incident_index WHERE incident_id = ?1;"
                                          : "INSERT OR REPLACE INTO incident_index (incident_id, occurred, state, crime, owner)"
                                            " VALUES (?1, ?2, ?3, ?4, ?5);");
        if (!q)
            return std::move(q).error();
        q->bind(1, row.id);
        if (!row.deleted) {
            const auto& crime = row.field("incident.crime");
            q->bind(2, text("incident.date")).bind(3, text("state")).bind(4, crime.is_boolean() && crime.get<bool>() ? 1 : 0)
                .bind(5, text("incident.owner"));
        }
        return q->run();
    }
    return {};
}

Status RecordStore::saveRow(const RecordRow& row, bool insert)
{
    if (m_batching) {
        auto [it, added] = m_rowCache.try_emplace(std::make_pair(row.entity, row.id));
        if (added)
            it->second.insert = insert;
        it->second.row = row;
        return {};
    }
    const TableSql& sql = sqlFor(row.entity);
    auto q = m_db.prepare(insert ? sql.insert : sql.update);
    if (!q)
        return std::move(q).error();
    q->bind(1, row.id)
        .bind(2, row.incidentId)
        .bind(3, row.parentId)
        .bind(4, row.origin)
        .bind(5, row.deleted ? 1 : 0)
        .bind(6, hlcToString(row.createdHlc))
        .bind(7, hlcToString(row.updatedHlc))
        .bind(8, vigil::json::dump(row.fields))
        .bind(9, vigil::json::dump(stampsToJson(row.stamps, row.origin)));
    VIGIL_TRY(q->run());
    return indexRow(row);
}

Status RecordStore::appendOp(std::string_view entity, const std::string& id, const std::string& incidentId,
                             const std::string& field, const nlohmann::json& value, std::optional<HlcStamp> base, HlcStamp hlc)
{
    // An op id, kept with the change: it stays the change's id when the change is sent again
    // under another number (after a restore of the server or of this device). Time-ordered, so
    // the server's index of op ids grows at its end, and the server looks up only an id not
    // newer than every id it holds from this device (docs/sync-protocol.md, "After a restore").
    auto q = m_db.prepare("INSERT INTO outbox (entity, record_id, incident_id, field, value, base, hlc, op_id)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
    if (!q)
        return std::move(q).error();
    q->bind(1, entity).bind(2, id);
    if (incidentId.empty())
        q->bindNull(3);  // the audit chain: no incident's unsent count
    else
        q->bind(3, incidentId);
    q->bind(4, field).bind(5, vigil::json::dump(value));
    if (base)
        q->bind(6, hlcToString(*base));
    else
        q->bindNull(6);
    q->bind(7, hlcToString(hlc));
    q->bind(8, newTimeOrderedUuid());
    VIGIL_TRY(q->run());
    if (!m_deferCounts)
        return countOutbox(incidentId.empty() ? std::map<std::string, std::int64_t>{}
                                              : std::map<std::string, std::int64_t>{{incidentId, 1}},
                           1);
    if (!incidentId.empty())
        ++m_outboxAdded[incidentId];
    ++m_outboxAddedTotal;
    return {};
}

Status RecordStore::audit(const Actor& actor, AuditAction action, Entity entity, const std::string& recordId,
                          const std::string& detail, const std::vector<std::string>& recipients)
{
    return transaction([&]() -> Status {
        noteAudit(actor, action, entity, recordId, detail, recipients);
        return {};
    });
}

Result<std::optional<RecordRow>> RecordStore::get(Entity entity, const std::string& id)
{
    if (m_batching) {
        if (auto it = m_rowCache.find({entity, id}); it != m_rowCache.end())
            return std::optional<RecordRow>(it->second.row);
    }
    auto q = m_db.prepare(sqlFor(entity).select);
    if (!q)
        return std::move(q).error();
    q->bind(1, id);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<RecordRow>();
    return std::optional<RecordRow>(readRow(entity, *q));
}

Result<std::vector<RecordRow>> RecordStore::rowsOfIncident(Entity entity, const std::string& incidentId)
{
    auto q = m_db.prepare(sqlFor(entity).selectByIncident);
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    std::vector<RecordRow> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.push_back(readRow(entity, row)); }));
    return out;
}

Result<std::vector<RecordRow>> RecordStore::liveRowsInStates(Entity entity, const std::vector<std::string>& states)
{
    std::vector<RecordRow> out;
    VIGIL_TRY(forEachLiveRow(entity, states, {}, [&out](RecordRow&& row) { out.push_back(std::move(row)); }));
    return out;
}

Status RecordStore::forEachLiveRow(Entity entity, const std::vector<std::string>& states,
                                   const std::vector<std::string_view>& fields, const std::function<void(RecordRow&&)>& visit)
{
    std::string in;
    for (std::size_t i = 0; i < states.size(); ++i)
        in += (i == 0 ? "?" : ",?") + std::to_string(i + 1);
    const std::string scope =
        states.empty() ? std::string()
                       : " AND incident_id IN (SELECT incident_id FROM incident_index WHERE state IN (" + in + "))";
    auto q = m_db.prepare("SELECT id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc, fields, stamps FROM "
                          + std::string(toString(entity)) + " WHERE deleted = 0" + scope + ";");
    if (!q)
        return std::move(q).error();
    for (std::size_t i = 0; i < states.size(); ++i)
        q->bind(static_cast<int>(i + 1), states[i]);
    return q->forEach([&](const Query& row) { visit(readRow(entity, row, &fields)); });
}

nlohmann::json parseSomeFields(const std::string& text, const std::vector<std::string_view>& keep)
{
    const nlohmann::json::parser_callback_t onlyKept = [&keep](int depth, nlohmann::json::parse_event_t event,
                                                               nlohmann::json& parsed) {
        if (keep.empty() || event != nlohmann::json::parse_event_t::key || depth != 1)
            return true;
        const auto& key = parsed.get_ref<const std::string&>();
        return std::find(keep.begin(), keep.end(), key) != keep.end();
    };
    nlohmann::json fields = nlohmann::json::parse(text, onlyKept, false);
    return fields.is_object() ? fields : nlohmann::json::object();
}

Result<std::vector<std::string>> RecordStore::incidentIds(std::size_t limit)
{
    auto q = m_db.prepare("SELECT id FROM incident WHERE deleted = 0 ORDER BY updated_hlc DESC LIMIT ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, static_cast<std::int64_t>(limit));
    std::vector<std::string> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.push_back(row.columnText(0)); }));
    return out;
}

Status RecordStore::create(const Actor& actor, Entity entity, const std::string& id, const std::string& incidentId,
                           const std::string& parentId, const nlohmann::json& links, const nlohmann::json& fields)
{
    if (!isUuid(id))
        return makeError(ErrorCode::InvalidArgument, "A record id must be a UUID; this is a bug in Vigil. Report it to support.");
    return transaction([&]() -> Status {
        auto existing = get(entity, id);
        if (!existing)
            return std::move(existing).error();
        if (existing->has_value()) {
            return makeError(ErrorCode::AlreadyExists, "That " + std::string(toString(entity))
                                                           + " record already exists on this device; nothing was changed.");
        }
        VIGIL_TRY(withinLimits(entity, id, kFieldCreate, links));
        for (const auto& [field, value] : fields.items())
            VIGIL_TRY(withinLimits(entity, id, field, value));
        RecordRow row;
        row.entity = entity;
        row.id = id;
        row.incidentId = entity == Entity::Incident ? id : incidentId;
        row.parentId = parentId;
        row.origin = m_device;
        row.createdHlc = m_hlc.tick();
        row.updatedHlc = row.createdHlc;
        VIGIL_TRY(appendOp(toString(entity), id, row.incidentId, std::string(kFieldCreate), links, std::nullopt,
                           row.createdHlc));
        std::vector<std::string> names;
        for (const auto& [field, value] : fields.items()) {
            if (isEmptyValue(value))
                continue;  // an empty field is the same as an absent one: no op for it
            const HlcStamp hlc = m_hlc.tick();
            row.fields[field] = value;
            row.stamps[field] = FieldStamp{hlc, m_device};
            row.updatedHlc = hlc;
            names.push_back(field);
            VIGIL_TRY(appendOp(toString(entity), id, row.incidentId, field, value, std::nullopt, hlc));
        }
        VIGIL_TRY(saveRow(row, true));
        noteAudit(actor, AuditAction::Collection, entity, row.incidentId,
                        std::string(toString(entity)) + " " + id + " created; " + fieldList(names));
        return {};
    });
}

Status RecordStore::write(const Actor& actor, Entity entity, const std::string& id, const nlohmann::json& fields)
{
    return transaction([&]() -> Status {
        auto existing = get(entity, id);
        if (!existing)
            return std::move(existing).error();
        if (!existing->has_value() || (*existing)->deleted)
            return notOnDevice(entity, id);
        RecordRow& row = **existing;
        for (const auto& [field, value] : fields.items())
            VIGIL_TRY(withinLimits(entity, id, field, value));
        std::vector<std::string> changed;
        for (const auto& [field, value] : fields.items()) {
            if (row.field(field) == value || (!row.fields.contains(field) && isEmptyValue(value)))
                continue;
            const HlcStamp hlc = m_hlc.tick();
            std::optional<HlcStamp> base;
            if (auto s = row.stamps.find(field); s != row.stamps.end())
                base = s->second.hlc;
            row.fields[field] = value;
            row.stamps[field] = FieldStamp{hlc, m_device};
            row.updatedHlc = hlc;
            changed.push_back(field);
            VIGIL_TRY(appendOp(toString(entity), id, incidentOf(row), field, value, base, hlc));
        }
        if (changed.empty())
            return {};
        VIGIL_TRY(saveRow(row, false));
        if (entity != Entity::Incident) {
            // Keep the incident's "last changed" current so lists sort by real activity.
            auto touch = m_db.prepare("UPDATE incident SET updated_hlc = ?2 WHERE id = ?1;");
            if (!touch)
                return std::move(touch).error();
            touch->bind(1, row.incidentId).bind(2, hlcToString(row.updatedHlc));
            VIGIL_TRY(touch->run());
        }
        noteAudit(actor, AuditAction::Alteration, entity, row.incidentId,
                        std::string(toString(entity)) + " " + id + "; " + fieldList(changed));
        return {};
    });
}

Status RecordStore::upsert(const Actor& actor, Entity entity, const std::string& id, const std::string& incidentId,
                           const std::string& parentId, const nlohmann::json& links, const nlohmann::json& fields)
{
    return transaction([&]() -> Status {
        auto existing = get(entity, id);
        if (!existing)
            return std::move(existing).error();
        if (existing->has_value() && !(*existing)->deleted)
            return write(actor, entity, id, fields);
        if (existing->has_value()) {
            // Re-creating a tombstoned row (e.g. an answer cleared then given again).
            VIGIL_TRY(restore(actor, entity, id));
            return write(actor, entity, id, fields);
        }
        return create(actor, entity, id, incidentId, parentId, links, fields);
    });
}

Status RecordStore::remove(const Actor& actor, Entity entity, const std::string& id, const std::string& reason)
{
    return setTombstone(actor, entity, id, reason.empty() ? nlohmann::json(true) : nlohmann::json{{"reason", reason}});
}

Status RecordStore::restore(const Actor& actor, Entity entity, const std::string& id)
{
    return setTombstone(actor, entity, id, false);
}

Status RecordStore::setTombstone(const Actor& actor, Entity entity, const std::string& id, const nlohmann::json& value)
{
    const bool deleted = !(value.is_boolean() && !value.get<bool>());
    return transaction([&]() -> Status {
        auto existing = get(entity, id);
        if (!existing)
            return std::move(existing).error();
        if (!existing->has_value())
            return notOnDevice(entity, id);
        RecordRow& row = **existing;
        if (row.deleted == deleted)
            return {};
        const HlcStamp hlc = m_hlc.tick();
        row.deleted = deleted;
        row.updatedHlc = hlc;
        row.stamps["@delete"] = FieldStamp{hlc, m_device};
        VIGIL_TRY(appendOp(toString(entity), id, incidentOf(row), std::string(kFieldDelete), value, std::nullopt, hlc));
        VIGIL_TRY(saveRow(row, false));
        const std::string what = std::string(toString(entity)) + " " + id;
        if (deleted)
            noteAudit(actor, AuditAction::Erasure, entity, row.incidentId,
                      what + " removed" + (value.is_object() ? " with a reason" : ""));
        else
            noteAudit(actor, AuditAction::Alteration, entity, row.incidentId, what + " restored");
        return {};
    });
}

Status RecordStore::command(const Actor& actor, const std::string& incidentId, const std::string& command,
                            const std::string& newState, const std::string& note)
{
    return transaction([&]() -> Status {
        auto existing = get(Entity::Incident, incidentId);
        if (!existing)
            return std::move(existing).error();
        if (!existing->has_value() || (*existing)->deleted)
            return notOnDevice(Entity::Incident, incidentId);
        RecordRow& row = **existing;
        const HlcStamp hlc = m_hlc.tick();
        std::optional<HlcStamp> base;
        if (auto s = row.stamps.find("state"); s != row.stamps.end())
            base = s->second.hlc;
        row.fields["state"] = newState;
        row.stamps["state"] = FieldStamp{hlc, m_device};
        noteCommand(row, command, actor.userId, note);
        row.updatedHlc = hlc;
        // `seen`: what this device held of the record when the command was given, so a device
        // holding an edit the commander had not seen records the race (detectCommandRace).
        auto seen = seenVector(incidentId);
        if (!seen)
            return std::move(seen).error();
        const nlohmann::json value = {{"command", command}, {"state", newState}, {"by", actor.userId},
                                      {"note", note},       {"seen", std::move(seen).value()}};
        VIGIL_TRY(withinLimits(Entity::Incident, incidentId, "lifecycle.note", nlohmann::json(note)));
        VIGIL_TRY(withinLimits(Entity::Incident, incidentId, kFieldCommand, value));
        VIGIL_TRY(appendOp(toString(Entity::Incident), incidentId, incidentId, std::string(kFieldCommand), value, base, hlc));
        VIGIL_TRY(saveRow(row, false));
        noteAudit(actor, AuditAction::Alteration, Entity::Incident, incidentId,
                        "command " + command + " -> " + newState);
        return {};
    });
}

std::string RecordStore::legacyOpId(std::int64_t seq) const
{
    return deterministicId("op/" + m_device + "/" + std::to_string(seq));
}

Op RecordStore::opFromRow(const Query& row, int opIdColumn) const
{
    // Columns: seq, entity, record_id, field, value, base, hlc (outbox and rejected_op alike).
    Op op;
    op.seq = row.columnInt(0);
    op.device = m_device;
    // Unique and stable: the same op always carries the same id, however often it is resent (a
    // change made before op ids were kept has its id derived from device and seq, as then).
    op.opId = opIdColumn >= 0 && !row.columnIsNull(opIdColumn) ? row.columnText(opIdColumn) : legacyOpId(op.seq);
    op.entity = row.columnText(1);
    op.id = row.columnText(2);
    op.field = row.columnText(3);
    op.value = vigil::json::parse(row.columnText(4));
    if (!row.columnIsNull(5))
        op.base = hlcFromString(row.columnText(5));
    op.hlc = hlcFromString(row.columnText(6)).value_or(0);
    return op;
}

Result<std::vector<Op>> RecordStore::pendingOps(std::size_t limit)
{
    auto q = m_db.prepare("SELECT seq, entity, record_id, field, value, base, hlc, op_id FROM outbox ORDER BY seq LIMIT ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, static_cast<std::int64_t>(limit));
    std::vector<Op> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.push_back(opFromRow(row, 7)); }));
    return out;
}

Result<std::vector<Op>> RecordStore::pushBatch(std::size_t limit, std::int64_t afterSeq)
{
    if (limit == 0)
        return std::vector<Op>{};
    auto q = m_db.prepare("SELECT seq, entity, record_id, field, value, base, hlc, coalesce(incident_id, ''), op_id"
                          " FROM outbox WHERE seq > ?2 ORDER BY seq LIMIT ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, static_cast<std::int64_t>(limit) + 1);  // one more: does the last incident's run go on?
    q->bind(2, afterSeq);
    std::vector<Op> out;
    std::vector<std::string> incidentOf;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        out.push_back(opFromRow(row, 8));
        incidentOf.push_back(row.columnText(7));
    }));
    if (out.size() <= limit)
        return out;
    const std::string& next = incidentOf[limit];
    std::size_t keep = limit;
    if (!next.empty()) {
        while (keep > 0 && incidentOf[keep - 1] == next)
            --keep;
        if (keep == 0)
            keep = limit;  // one incident's run fills the batch: send it in pieces
    }
    out.resize(keep);
    return out;
}

Result<std::int64_t> RecordStore::pendingCount()
{
    // Kept beside the outbox in the same transactions (schema step 8): no scan, however much is queued.
    return m_db.queryInt("SELECT ops FROM outbox_total WHERE one = 1;");
}

Status RecordStore::acknowledge(std::int64_t uptoSeq)
{
    return transaction([&]() -> Status {
        // Kept for a while after the server took them: a server restored from a backup taken
        // before may have lost them, and they are sent again (resequence).
        auto keep = m_db.prepare("INSERT OR REPLACE INTO sent_op (device, seq, op_id, entity, record_id, incident_id,"
                                 " field, value, base, hlc, acked_at) SELECT ?2, seq, op_id, entity, record_id,"
                                 " incident_id, field, value, base, hlc, ?3 FROM outbox WHERE seq <= ?1;");
        if (!keep)
            return std::move(keep).error();
        VIGIL_TRY(keep->bind(1, uptoSeq).bind(2, m_device).bind(3, nowIso()).run());
        using namespace std::chrono;
        const auto cutoff = duration_cast<milliseconds>((m_clock() - kKeepSentOps).time_since_epoch()).count();
        auto prune = m_db.prepare("DELETE FROM sent_op WHERE acked_at < ?1;");
        if (!prune)
            return std::move(prune).error();
        VIGIL_TRY(prune->bind(1, isoFromMillis(cutoff)).run());
        return dropFromOutbox("seq <= ?1", uptoSeq);
    });
}

Result<std::int64_t> RecordStore::resequence(std::int64_t serverLastSeq)
{
    std::int64_t resent = 0;
    Status done = transaction([&]() -> Status {
        // 1. What the server lost: changes it had acknowledged past the seq it holds now.
        auto lost = m_db.prepare("SELECT seq, op_id, entity, record_id, incident_id, field, value, base, hlc FROM sent_op"
                                 " WHERE device = ?1 AND seq > ?2 AND seq NOT IN (SELECT seq FROM outbox) ORDER BY seq;");
        if (!lost)
            return std::move(lost).error();
        lost->bind(1, m_device).bind(2, serverLastSeq);
        struct Back {
            std::int64_t seq;
            std::string opId;
            std::vector<std::string> text;  // entity, record_id, incident_id, field, value, base, hlc
            bool nullIncident;
            bool nullBase;
        };
        std::vector<Back> back;
        VIGIL_TRY(lost->forEach([&](const Query& row) {
            Back b{row.columnInt(0), row.columnIsNull(1) ? legacyOpId(row.columnInt(0)) : row.columnText(1), {},
                   row.columnIsNull(4), row.columnIsNull(7)};
            for (int c = 2; c <= 8; ++c)
                b.text.push_back(row.columnText(c));
            back.push_back(std::move(b));
        }));
        std::map<std::string, std::int64_t> perIncident;
        for (const Back& b : back) {
            auto ins = m_db.prepare("INSERT INTO outbox (seq, op_id, entity, record_id, incident_id, field, value, base, hlc)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);");
            if (!ins)
                return std::move(ins).error();
            ins->bind(1, b.seq).bind(2, b.opId).bind(3, b.text[0]).bind(4, b.text[1]);
            if (b.nullIncident)
                ins->bindNull(5);
            else {
                ins->bind(5, b.text[2]);
                ++perIncident[b.text[2]];
            }
            ins->bind(6, b.text[3]).bind(7, b.text[4]);
            if (b.nullBase)
                ins->bindNull(8);
            else
                ins->bind(8, b.text[5]);
            ins->bind(9, b.text[6]);
            VIGIL_TRY(ins->run());
            auto del = m_db.prepare("DELETE FROM sent_op WHERE device = ?1 AND seq = ?2;");
            if (!del)
                return std::move(del).error();
            VIGIL_TRY(del->bind(1, m_device).bind(2, b.seq).run());
        }
        if (!back.empty())
            VIGIL_TRY(countOutbox(perIncident, static_cast<std::int64_t>(back.size())));
        resent = static_cast<std::int64_t>(back.size());

        // 2. Every change waiting, numbered on from the server's seq, in order, each keeping its
        // op id (the server recognises one it holds already and does not keep it twice).
        std::vector<std::int64_t> seqs;
        auto all = m_db.prepare("SELECT seq, op_id FROM outbox ORDER BY seq;");
        if (!all)
            return std::move(all).error();
        std::vector<std::pair<std::int64_t, bool>> rows;
        VIGIL_TRY(all->forEach([&](const Query& row) { rows.emplace_back(row.columnInt(0), row.columnIsNull(1)); }));
        bool inPlace = true;
        for (std::size_t i = 0; i < rows.size(); ++i)
            inPlace = inPlace && rows[i].first == serverLastSeq + 1 + static_cast<std::int64_t>(i);
        if (!inPlace) {
            for (const auto& [seq, nullId] : rows) {
                if (!nullId)
                    continue;
                auto fix = m_db.prepare("UPDATE outbox SET op_id = ?2 WHERE seq = ?1;");
                if (!fix)
                    return std::move(fix).error();
                VIGIL_TRY(fix->bind(1, seq).bind(2, legacyOpId(seq)).run());
            }
            // Two passes (negative numbers first), so no number is held twice on the way.
            for (std::size_t i = 0; i < rows.size(); ++i) {
                auto move = m_db.prepare("UPDATE outbox SET seq = ?2 WHERE seq = ?1;");
                if (!move)
                    return std::move(move).error();
                VIGIL_TRY(move->bind(1, rows[i].first).bind(2, -(serverLastSeq + 1 + static_cast<std::int64_t>(i))).run());
            }
            VIGIL_TRY(m_db.exec("UPDATE outbox SET seq = -seq WHERE seq < 0;"));
        }
        // New changes are numbered on from there (AUTOINCREMENT remembers the highest ever used).
        const std::int64_t highest = serverLastSeq + static_cast<std::int64_t>(rows.size());
        auto next = m_db.prepare("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'outbox';");
        if (!next)
            return std::move(next).error();
        VIGIL_TRY(next->bind(1, highest).run());
        auto first = m_db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', ?1"
                                  " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox');");
        if (!first)
            return std::move(first).error();
        return first->bind(1, highest).run();
    });
    if (!done.ok())
        return std::move(done).error();
    return resent;
}

Result<std::string> RecordStore::serverIncarnation()
{
    return metaValue("server_incarnation");
}

Status RecordStore::setServerIncarnation(const std::string& incarnation)
{
    return meta("server_incarnation", incarnation);
}

Status RecordStore::dropFromOutbox(std::string_view where, std::int64_t seq)
{
    // The counters first, from the ops about to go (one read of them), then the ops.
    const std::string condition(where);
    auto counts = m_db.prepare("SELECT incident_id, count(*) FROM outbox WHERE " + condition + " GROUP BY incident_id;");
    if (!counts)
        return std::move(counts).error();
    counts->bind(1, seq);
    std::map<std::string, std::int64_t> perIncident;
    std::int64_t total = 0;
    VIGIL_TRY(counts->forEach([&](const Query& row) {
        total += row.columnInt(1);
        if (!row.columnIsNull(0))
            perIncident[row.columnText(0)] -= row.columnInt(1);
    }));
    VIGIL_TRY(countOutbox(perIncident, -total));
    auto q = m_db.prepare("DELETE FROM outbox WHERE " + condition + ";");
    if (!q)
        return std::move(q).error();
    q->bind(1, seq);
    return q->run();
}

Status RecordStore::markRejected(std::int64_t seq, const std::string& reason)
{
    return transaction([&]() -> Status {
        auto move = m_db.prepare("INSERT OR REPLACE INTO rejected_op (seq, entity, record_id, field, value, base, hlc, reason,"
                                 " rejected_at, op_id) SELECT seq, entity, record_id, field, value, base, hlc, ?2, ?3, op_id"
                                 " FROM outbox WHERE seq = ?1;");
        if (!move)
            return std::move(move).error();
        move->bind(1, seq).bind(2, reason).bind(3, nowIso());
        VIGIL_TRY(move->run());
        return dropFromOutbox("seq = ?1", seq);
    });
}

Result<std::vector<std::pair<Op, std::string>>> RecordStore::rejectedOps()
{
    auto q = m_db.prepare("SELECT seq, entity, record_id, field, value, base, hlc, reason, op_id FROM rejected_op ORDER BY seq;");
    if (!q)
        return std::move(q).error();
    std::vector<std::pair<Op, std::string>> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.emplace_back(opFromRow(row, 8), row.columnText(7)); }));
    return out;
}

Result<std::string> RecordStore::metaValue(const std::string& key)
{
    auto q = m_db.prepare("SELECT value FROM store_meta WHERE key = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, key);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    return *row ? q->columnText(0) : std::string();
}

Result<std::string> RecordStore::syncCursor()
{
    return metaValue("sync_cursor");
}

Status RecordStore::setLastSyncedAt(const std::string& iso)
{
    return meta("last_synced", iso);
}

Result<std::string> RecordStore::lastSyncedAt()
{
    return metaValue("last_synced");
}

Status RecordStore::setDirectory(const std::string& usersJson, const std::string& atIso)
{
    return transaction([&]() -> Status {
        VIGIL_TRY(meta("directory", usersJson));
        return meta("directory_at", atIso);
    });
}

Result<std::string> RecordStore::directory()
{
    return metaValue("directory");
}

Result<std::string> RecordStore::directoryFetchedAt()
{
    return metaValue("directory_at");
}

namespace {
/// A store_meta number written by this store ("" or anything else: 0).
int metaNumber(const std::string& text)
{
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc() && end == text.data() + text.size() && n > 0 ? n : 0;
}
}  // namespace

Status RecordStore::setServerBankHolidays(const std::string& text, int version, const std::string& atIso)
{
    return transaction([&]() -> Status {
        VIGIL_TRY(meta("bank_holidays", text));
        VIGIL_TRY(meta("bank_holidays_version", std::to_string(version)));
        return meta("bank_holidays_at", atIso);
    });
}

Result<std::string> RecordStore::serverBankHolidays()
{
    return metaValue("bank_holidays");
}

Result<int> RecordStore::serverBankHolidaysVersion()
{
    auto text = metaValue("bank_holidays_version");
    if (!text)
        return std::move(text).error();
    return metaNumber(*text);
}

Status RecordStore::setRefusedBankHolidaysVersion(int version)
{
    return meta("bank_holidays_refused", std::to_string(version));
}

Result<int> RecordStore::refusedBankHolidaysVersion()
{
    auto text = metaValue("bank_holidays_refused");
    if (!text)
        return std::move(text).error();
    return metaNumber(*text);
}

Status RecordStore::setMaxAutoLockMinutes(int minutes)
{
    return meta("policy_max_auto_lock_minutes", std::to_string(minutes));
}

Result<int> RecordStore::maxAutoLockMinutes()
{
    auto text = metaValue("policy_max_auto_lock_minutes");
    if (!text)
        return std::move(text).error();
    return metaNumber(*text);
}

Status RecordStore::flushRows()
{
    // In key order: neighbouring ids share B-tree pages, so each page is read and written once.
    m_batching = false;
    for (const auto& [key, cached] : m_rowCache)
        VIGIL_TRY(saveRow(cached.row, cached.insert));
    m_rowCache.clear();
    return {};
}

Status RecordStore::applyPulled(const std::vector<Op>& ops, const std::string& cursor,
                                const std::vector<std::string>& rebuilt)
{
    // Whatever happens, the next caller finds no batch open and no rows held back.
    struct EndBatch {
        RecordStore& store;
        ~EndBatch()
        {
            store.m_batching = false;
            store.m_rowCache.clear();
        }
    } endBatch{*this};
    return transaction([&]() -> Status {
        for (const std::string& id : rebuilt)
            VIGIL_TRY(dropIncidentRows(id));
        for (const Op& op : ops) {
            // Commands, resolutions and conflict reports read other rows with their own SQL:
            // they see every row written before them, and are applied one by one.
            const bool plain = op.field != kFieldCommand && op.field != kFieldResolve && op.field != kFieldConflict;
            if (!plain)
                VIGIL_TRY(flushRows());
            m_batching = plain;
            VIGIL_TRY(applyOne(op));
        }
        VIGIL_TRY(flushRows());
        // What this device changed in a rebuilt incident and has not sent yet wins as it did.
        for (const std::string& id : rebuilt) {
            auto q = m_db.prepare("SELECT seq, entity, record_id, field, value, base, hlc FROM outbox"
                                  " WHERE incident_id = ?1 ORDER BY seq;");
            if (!q)
                return std::move(q).error();
            q->bind(1, id);
            std::vector<Op> unsent;
            VIGIL_TRY(q->forEach([&](const Query& row) { unsent.push_back(opFromRow(row)); }));
            for (const Op& op : unsent)
                VIGIL_TRY(applyOne(op));
        }
        VIGIL_TRY(meta("sync_cursor", cursor));
        return persistClock();
    });
}

Status RecordStore::applyOne(const Op& op)
{
    // Audit chains are kept by the server. This device's own changes come back only when the
    // server sends an incident again whole (a stamp repair): they merge like any other, but the
    // conflicts and command races they met were recorded when they were made.
    const bool own = op.device == m_device;
    if (op.field == kFieldAppend || (own && (op.field == kFieldResolve || op.field == kFieldConflict)))
        return {};
    const auto entity = entityFromString(op.entity);
    if (!entity)
        return {};  // a kind this version does not know: a newer server; ignore rather than stall sync
    m_hlc.observe(op.hlc);
    if (!op.user.empty())
        VIGIL_TRY(noteDeviceUser(op.device, op.user));
    // Conflict bookkeeping travels as ops but is not a field of the record.
    if (op.field == kFieldResolve)
        return applyResolution(op);
    if (op.field == kFieldConflict)
        return applyConflictReport(op);
    auto existing = get(*entity, op.id);
    if (!existing)
        return std::move(existing).error();
    const bool insert = !existing->has_value();
    RecordRow row;
    if (insert) {
        row.entity = *entity;
        row.id = op.id;
        row.incidentId = *entity == Entity::Incident ? op.id : std::string();
        row.origin = op.device;
        row.createdHlc = op.hlc;
    } else {
        row = std::move(**existing);
    }
    row.updatedHlc = std::max(row.updatedHlc, op.hlc);

    if (op.field == kFieldCreate) {
        if (op.value.is_object()) {
            if (auto it = op.value.find("incident"); it != op.value.end() && it->is_string() && row.incidentId.empty())
                row.incidentId = it->get<std::string>();
            if (auto it = op.value.find("parent"); it != op.value.end() && it->is_string() && row.parentId.empty())
                row.parentId = it->get<std::string>();
        }
        row.createdHlc = std::min(row.createdHlc, op.hlc);
        return saveRow(row, insert);
    }
    if (op.field == kFieldDelete) {
        const FieldStamp local = row.stamps.count("@delete") ? row.stamps["@delete"] : FieldStamp{};
        if (laterThan(op.hlc, op.device, local)) {
            row.deleted = op.value.is_boolean() ? op.value.get<bool>() : true;
            row.stamps["@delete"] = FieldStamp{op.hlc, op.device};
        }
        return saveRow(row, insert);
    }
    // A command carries the new state; as a field it merges like any other.
    const std::string field = op.field == kFieldCommand ? std::string("state") : op.field;
    const nlohmann::json value = op.field == kFieldCommand ? op.value.value("state", nlohmann::json()) : op.value;

    auto stamp = row.stamps.find(field);
    const bool remoteWins = stamp == row.stamps.end() || laterThan(op.hlc, op.device, stamp->second);
    if (op.field == kFieldCommand && !insert && !own
        && (stamp == row.stamps.end() || !(stamp->second == FieldStamp{op.hlc, op.device})))
        VIGIL_TRY(detectCommandRace(op, row.incidentId));
    if (!own && stamp != row.stamps.end() && stamp->second.origin != op.device && op.base != stamp->second.hlc
        && row.field(field) != value) {
        // Written on two devices without either seeing the other: keep both. For two lifecycle
        // commands, keep each command whole (who, which, the note), not only the state.
        nlohmann::json remoteValue = op.field == kFieldCommand ? commandShown(op.value) : value;
        nlohmann::json localValue = row.field(field);
        if (op.field == kFieldCommand) {
            auto local = localCommand(op.id, stamp->second);
            if (!local)
                return std::move(local).error();
            localValue = std::move(local).value();
        }
        const FieldStamp remote{op.hlc, op.device};
        NewConflict c;
        c.entity = std::string(toString(*entity));
        c.recordId = op.id;
        c.incidentId = row.incidentId;
        c.field = field;
        c.winner = remoteWins ? "remote" : "local";
        c.keptValue = remoteWins ? remoteValue : localValue;
        c.kept = remoteWins ? remote : stamp->second;
        c.lostValue = remoteWins ? localValue : remoteValue;
        c.lost = remoteWins ? stamp->second : remote;
        VIGIL_TRY(recordConflict(c));
    }
    if (remoteWins) {
        row.fields[field] = value;
        row.stamps[field] = FieldStamp{op.hlc, op.device};
        if (op.field == kFieldCommand && op.value.is_object())
            noteCommand(row, op.value.value("command", ""), op.value.value("by", ""), op.value.value("note", ""));
    }
    return saveRow(row, insert);
}

Result<std::vector<StoredRow>> RecordStore::storedRowsOfIncident(const std::string& incidentId)
{
    std::vector<StoredRow> out;
    for (std::size_t i = 0; i < kEntityNames.size(); ++i) {
        auto q = m_db.prepare("SELECT id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc, fields, stamps"
                              " FROM " + std::string(kEntityNames[i]) + " WHERE incident_id = ?1 ORDER BY rowid;");
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId);
        VIGIL_TRY(q->forEach([&](const Query& r) {
            out.push_back(StoredRow{std::string(kEntityNames[i]), r.columnText(0), r.columnText(1), r.columnText(2),
                                    r.columnText(3), r.columnInt(4) != 0, r.columnText(5), r.columnText(6),
                                    r.columnText(7), r.columnText(8)});
        }));
    }
    return out;
}

Result<std::vector<StoredConflict>> RecordStore::storedConflictsOfIncident(const std::string& incidentId)
{
    auto q = m_db.prepare("SELECT kind, entity, record_id, incident_id, field, winner, kept_value, kept_hlc, kept_origin,"
                          " kept_by, lost_value, lost_hlc, lost_origin, lost_by, detected_at, resolved_by, resolved_at,"
                          " resolution FROM conflict WHERE incident_id = ?1 ORDER BY id;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId);
    std::vector<StoredConflict> out;
    VIGIL_TRY(q->forEach([&](const Query& r) {
        StoredConflict c;
        std::string* columns[] = {&c.kind,      &c.entity,     &c.record,    &c.incident,   &c.field,      &c.winner,
                                  &c.keptValue, &c.keptHlc,    &c.keptOrigin, &c.keptBy,    &c.lostValue,  &c.lostHlc,
                                  &c.lostOrigin, &c.lostBy,    &c.detectedAt, &c.resolvedBy, &c.resolvedAt, &c.resolution};
        for (int i = 0; i < 18; ++i)
            *columns[i] = r.columnIsNull(i) ? std::string() : r.columnText(i);
        out.push_back(std::move(c));
    }));
    return out;
}

Result<bool> RecordStore::holdsNoRecords()
{
    for (const auto name : kEntityNames) {
        auto any = m_db.queryInt("SELECT EXISTS (SELECT 1 FROM " + std::string(name) + ");");
        if (!any)
            return std::move(any).error();
        if (*any != 0)
            return false;
    }
    return true;
}

Result<std::string> RecordStore::snapshotNext()
{
    return metaValue("snapshot_next");
}

Status RecordStore::restartSnapshot()
{
    auto drop = m_db.prepare("DELETE FROM store_meta WHERE key = 'snapshot_next';");
    if (!drop)
        return std::move(drop).error();
    return drop->run();
}

Status RecordStore::applySnapshot(const std::vector<StoredRow>& rows, const std::vector<StoredConflict>& conflicts,
                                  const std::vector<std::pair<std::string, std::string>>& users, const std::string& next,
                                  const std::string& finalCursor)
{
    return transaction([&]() -> Status {
        // Who each device is first: conflicts found later name the users.
        for (const auto& [device, user] : users)
            VIGIL_TRY(noteDeviceUser(device, user));
        HlcStamp newest = 0;
        for (const StoredRow& r : rows) {
            const auto entity = entityFromString(r.entity);
            if (!entity)
                continue;  // a kind this version does not know (a newer server)
            newest = std::max(newest, hlcFromString(r.updated).value_or(0));
            auto q = m_db.prepare("INSERT OR IGNORE INTO " + std::string(r.entity)
                                  + " (id, incident_id, parent_id, origin, deleted, created_hlc, updated_hlc, fields, stamps)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);");
            if (!q)
                return std::move(q).error();
            q->bind(1, r.id).bind(2, r.incident).bind(3, r.parent).bind(4, r.origin).bind(5, r.deleted ? 1 : 0)
                .bind(6, r.created).bind(7, r.updated).bind(8, r.fields).bind(9, r.stamps);
            VIGIL_TRY(q->run());
            if (m_db.changes() == 0) {
                // Already here: written on this device while the snapshot was interrupted.
                VIGIL_TRY(mergeSnapshotRow(*entity, r));
                continue;
            }
            if (*entity == Entity::Incident || *entity == Entity::Person || *entity == Entity::CaseEvent
                || *entity == Entity::FeedbackForm || *entity == Entity::Supervision || *entity == Entity::Case
                || *entity == Entity::Contact) {
                RecordRow row;
                row.entity = *entity;
                row.id = r.id;
                row.incidentId = r.incident;
                row.parentId = r.parent;
                row.origin = r.origin;
                row.deleted = r.deleted;
                row.createdHlc = hlcFromString(r.created).value_or(0);
                row.fields = vigil::json::parse(r.fields);
                if (!row.fields.is_object())
                    row.fields = nlohmann::json::object();
                if (*entity == Entity::Incident)  // when it took its state (the figures' review clock)
                    row.stamps = stampsFromJson(vigil::json::parse(r.stamps), r.origin);
                VIGIL_TRY(indexRow(row));
            }
        }
        m_hlc.observe(newest);
        for (const StoredConflict& c : conflicts)
            VIGIL_TRY(importConflict(c));
        if (finalCursor.empty()) {
            VIGIL_TRY(meta("snapshot_next", next));
        } else {
            auto drop = m_db.prepare("DELETE FROM store_meta WHERE key = 'snapshot_next';");
            if (!drop)
                return std::move(drop).error();
            VIGIL_TRY(drop->run());
            VIGIL_TRY(meta("sync_cursor", finalCursor));
        }
        return persistClock();
    });
}

Status RecordStore::mergeSnapshotRow(Entity entity, const StoredRow& incoming)
{
    auto existing = get(entity, incoming.id);
    if (!existing)
        return std::move(existing).error();
    if (!*existing)
        return {};  // not insertable and not here: nothing sensible to merge into
    RecordRow row = std::move(**existing);
    const nlohmann::json fields = vigil::json::parse(incoming.fields);
    const auto stamps = stampsFromJson(vigil::json::parse(incoming.stamps), incoming.origin);
    // A write still in this outbox that the incoming one did not come from: the server cannot
    // have had it when the other was made. (The device's own earlier write coming back, or a
    // write made on top of the incoming one, is no conflict.)
    const auto unsentAndApart = [&](const std::string& field, const FieldStamp& stamp, const FieldStamp& remote) -> Result<bool> {
        if (stamp.origin != m_device || remote.origin == m_device)
            return false;
        auto q = m_db.prepare("SELECT base FROM outbox WHERE record_id = ?1 AND field = ?2 AND hlc = ?3;");
        if (!q)
            return std::move(q).error();
        q->bind(1, row.id).bind(2, field).bind(3, hlcToString(stamp.hlc));
        auto found = q->step();
        if (!found)
            return std::move(found).error();
        if (!*found)
            return false;
        return q->columnIsNull(0) || q->columnText(0) != hlcToString(remote.hlc);
    };
    for (const auto& [field, remote] : stamps) {
        auto local = row.stamps.find(field);
        const bool remoteWins = local == row.stamps.end() || laterThan(remote.hlc, remote.origin, local->second);
        if (field == "@delete") {
            if (remoteWins) {
                row.deleted = incoming.deleted;
                row.stamps[field] = remote;
            }
            continue;
        }
        const nlohmann::json value = fields.is_object() && fields.contains(field) ? fields[field] : nlohmann::json();
        if (local != row.stamps.end() && !(local->second == remote) && row.field(field) != value) {
            // The server cannot have had a write still in this outbox when the other was made.
            auto mine = unsentAndApart(field, local->second, remote);
            if (!mine)
                return std::move(mine).error();
            if (*mine) {
                NewConflict c;
                c.entity = std::string(toString(entity));
                c.recordId = row.id;
                c.incidentId = row.incidentId;
                c.field = field;
                c.winner = remoteWins ? "remote" : "local";
                c.keptValue = remoteWins ? value : row.field(field);
                c.kept = remoteWins ? remote : local->second;
                c.lostValue = remoteWins ? row.field(field) : value;
                c.lost = remoteWins ? local->second : remote;
                VIGIL_TRY(recordConflict(c));
            }
        }
        if (remoteWins) {
            row.fields[field] = value;
            row.stamps[field] = remote;
        }
    }
    row.createdHlc = std::min(row.createdHlc, hlcFromString(incoming.created).value_or(row.createdHlc));
    row.updatedHlc = std::max(row.updatedHlc, hlcFromString(incoming.updated).value_or(0));
    if (row.incidentId.empty())
        row.incidentId = incoming.incident;
    if (row.parentId.empty())
        row.parentId = incoming.parent;
    return saveRow(row, false);
}

Result<std::optional<std::pair<std::int64_t, bool>>> RecordStore::findConflict(
    const std::string& recordId, const std::string& field, const std::string& keptHlc, const std::string& keptOrigin,
    const std::string& lostHlc, const std::string& lostOrigin)
{
    auto q = m_db.prepare("SELECT id, resolved_at IS NULL FROM conflict WHERE record_id = ?1 AND field = ?2"
                          " AND kept_hlc = ?3 AND kept_origin = ?4 AND lost_hlc = ?5 AND lost_origin = ?6;");
    if (!q)
        return std::move(q).error();
    q->bind(1, recordId).bind(2, field).bind(3, keptHlc).bind(4, keptOrigin).bind(5, lostHlc).bind(6, lostOrigin);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::optional<std::pair<std::int64_t, bool>>();
    return std::optional<std::pair<std::int64_t, bool>>(std::make_pair(q->columnInt(0), q->columnInt(1) != 0));
}

Status RecordStore::importConflict(const StoredConflict& c)
{
    auto found = findConflict(c.record, c.field, c.keptHlc, c.keptOrigin, c.lostHlc, c.lostOrigin);
    if (!found)
        return std::move(found).error();
    const auto bindResolution = [&](Query& q, int first) {
        for (int i = 0; i < 3; ++i) {
            const std::string& v = i == 0 ? c.resolvedBy : i == 1 ? c.resolvedAt : c.resolution;
            if (c.resolvedAt.empty())
                q.bindNull(first + i);
            else
                q.bind(first + i, v);
        }
    };
    if (*found) {
        const auto [id, open] = **found;
        if (!open || c.resolvedAt.empty())
            return {};  // the same conflict, already here
        auto q = m_db.prepare("UPDATE conflict SET resolved_by = ?1, resolved_at = ?2, resolution = ?3 WHERE id = ?4;");
        if (!q)
            return std::move(q).error();
        bindResolution(*q, 1);
        q->bind(4, id);
        return q->run();
    }
    auto q = m_db.prepare("INSERT INTO conflict (kind, entity, record_id, incident_id, field, winner, kept_value, kept_hlc,"
                          " kept_origin, kept_by, lost_value, lost_hlc, lost_origin, lost_by, detected_at, resolved_by,"
                          " resolved_at, resolution) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                          " ?14, ?15, ?16, ?17, ?18);");
    if (!q)
        return std::move(q).error();
    q->bind(1, c.kind == "command" ? std::string("command") : std::string("field"))
        .bind(2, c.entity)
        .bind(3, c.record)
        .bind(4, c.incident)
        .bind(5, c.field)
        .bind(6, c.winner)
        .bind(7, c.keptValue)
        .bind(8, c.keptHlc)
        .bind(9, c.keptOrigin)
        .bind(10, c.keptBy)
        .bind(11, c.lostValue)
        .bind(12, c.lostHlc)
        .bind(13, c.lostOrigin)
        .bind(14, c.lostBy)
        .bind(15, c.detectedAt);
    bindResolution(*q, 16);
    return q->run();
}

Status RecordStore::noteDeviceUser(const std::string& deviceId, const std::string& userId)
{
    if (auto it = m_deviceUsers.find(deviceId); it != m_deviceUsers.end() && it->second == userId)
        return {};
    auto q = m_db.prepare("INSERT OR REPLACE INTO device_user (device, user_id) VALUES (?1, ?2);");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId).bind(2, userId);
    VIGIL_TRY(q->run());
    m_deviceUsers[deviceId] = userId;
    return {};
}

Result<std::string> RecordStore::userOfDevice(const std::string& deviceId)
{
    if (auto it = m_deviceUsers.find(deviceId); it != m_deviceUsers.end())
        return it->second;
    auto q = m_db.prepare("SELECT user_id FROM device_user WHERE device = ?1;");
    if (!q)
        return std::move(q).error();
    q->bind(1, deviceId);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return std::string();
    std::string user = q->columnText(0);
    m_deviceUsers[deviceId] = user;
    return user;
}

Result<nlohmann::json> RecordStore::localCommand(const std::string& incidentId, const FieldStamp& stamp)
{
    // This device's own command is still in its outbox (or kept as refused) with everything it
    // said; one from elsewhere, or already sent, is known here by the state it set.
    if (stamp.origin == m_device) {
        for (const char* sql : {"SELECT value FROM outbox WHERE record_id = ?1 AND field = '@command' AND hlc = ?2;",
                                "SELECT value FROM rejected_op WHERE record_id = ?1 AND field = '@command' AND hlc = ?2;"}) {
            auto q = m_db.prepare(sql);
            if (!q)
                return std::move(q).error();
            q->bind(1, incidentId).bind(2, hlcToString(stamp.hlc));
            auto row = q->step();
            if (!row)
                return std::move(row).error();
            if (*row)
                return commandShown(vigil::json::parse(q->columnText(0)));
        }
    }
    auto row = get(Entity::Incident, incidentId);
    if (!row)
        return std::move(row).error();
    return nlohmann::json{{"state", row->has_value() ? (*row)->field("state") : nlohmann::json()}};
}

Status RecordStore::recordConflict(const NewConflict& c)
{
    auto found = findConflict(c.recordId, c.field, hlcToString(c.kept.hlc), c.kept.origin, hlcToString(c.lost.hlc),
                              c.lost.origin);
    if (!found)
        return std::move(found).error();
    if (*found)
        return {};  // the same conflict, seen again (a report from another device, a page applied twice)
    auto keptBy = userOfDevice(c.kept.origin);
    if (!keptBy)
        return std::move(keptBy).error();
    auto lostBy = userOfDevice(c.lost.origin);
    if (!lostBy)
        return std::move(lostBy).error();
    std::string lostUser = *lostBy;
    if (c.kind == ConflictKind::Command && c.lostValue.is_object() && c.lostValue.contains("by")
        && c.lostValue["by"].is_string())
        lostUser = c.lostValue["by"].get<std::string>();
    auto q = m_db.prepare("INSERT INTO conflict (entity, record_id, incident_id, field, winner, kept_value, kept_hlc,"
                          " kept_origin, lost_value, lost_hlc, lost_origin, detected_at, kind, kept_by, lost_by)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15);");
    if (!q)
        return std::move(q).error();
    q->bind(1, c.entity)
        .bind(2, c.recordId)
        .bind(3, c.incidentId)
        .bind(4, c.field)
        .bind(5, c.winner)
        .bind(6, vigil::json::dump(c.keptValue))
        .bind(7, hlcToString(c.kept.hlc))
        .bind(8, c.kept.origin)
        .bind(9, vigil::json::dump(c.lostValue))
        .bind(10, hlcToString(c.lost.hlc))
        .bind(11, c.lost.origin)
        .bind(12, nowIso())
        .bind(13, kindName(c.kind))
        .bind(14, *keptBy)
        .bind(15, lostUser);
    return q->run();
}

Result<nlohmann::json> RecordStore::seenVector(const std::string& incidentId)
{
    nlohmann::json seen = nlohmann::json::object();
    std::map<std::string, HlcStamp> newest;
    for (std::size_t i = 0; i < kEntityNames.size(); ++i) {
        auto q = m_db.prepare(sqlFor(static_cast<Entity>(i)).stampsByIncident);
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId);
        VIGIL_TRY(q->forEach([&](const Query& r) {
            const std::string origin = r.columnText(1);
            for (const auto& [field, stamp] : stampsFromJson(vigil::json::parse(r.columnText(2)), origin))
                newest[stamp.origin] = std::max(newest[stamp.origin], stamp.hlc);
        }));
    }
    for (const auto& [origin, hlc] : newest)
        seen[origin] = hlcToString(hlc);
    return seen;
}

Status RecordStore::detectCommandRace(const Op& op, const std::string& incidentId)
{
    if (!op.value.is_object() || !op.value.contains("seen") || !op.value["seen"].is_object())
        return {};  // a command from a version that did not say what it had seen: nothing to compare
    const nlohmann::json& seen = op.value["seen"];
    const auto seenFrom = [&](const std::string& origin) -> HlcStamp {
        auto it = seen.find(origin);
        return it != seen.end() && it->is_string() ? hlcFromString(it->get<std::string>()).value_or(0) : 0;
    };
    // A pass over the stamps only (commands are common in a first sync); the rows holding a
    // write the commander had not seen are then read whole.
    std::vector<std::pair<Entity, std::string>> candidates;
    for (std::size_t i = 0; i < kEntityNames.size(); ++i) {
        const auto entity = static_cast<Entity>(i);
        auto q = m_db.prepare(sqlFor(entity).stampsByIncident);
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId);
        VIGIL_TRY(q->forEach([&](const Query& r) {
            const std::string origin = r.columnText(1);
            for (const auto& [field, stamp] : stampsFromJson(vigil::json::parse(r.columnText(2)), origin)) {
                if (field != "state" && stamp.origin != op.device && stamp.hlc > seenFrom(stamp.origin)) {
                    candidates.emplace_back(entity, r.columnText(0));
                    break;
                }
            }
        }));
    }
    std::vector<RecordRow> rows;
    for (const auto& [entity, id] : candidates) {
        auto row = get(entity, id);
        if (!row)
            return std::move(row).error();
        if (row->has_value())
            rows.push_back(std::move(**row));
    }
    const nlohmann::json command = commandShown(op.value);
    for (const RecordRow& row : rows) {
        for (const auto& [field, stamp] : row.stamps) {
            if (field == "state" || stamp.origin == op.device || stamp.hlc <= seenFrom(stamp.origin))
                continue;
            if (stamp.origin == m_device) {
                // Our own edit that the server refused (e.g. made on a 124D the command had
                // already moved on): it never reached anyone, so there is no race to report.
                auto q = m_db.prepare("SELECT count(*) FROM rejected_op WHERE record_id = ?1 AND field = ?2 AND hlc = ?3;");
                if (!q)
                    return std::move(q).error();
                q->bind(1, row.id).bind(2, field).bind(3, hlcToString(stamp.hlc));
                auto found = q->step();
                if (!found)
                    return std::move(found).error();
                if (*found && q->columnInt(0) > 0)
                    continue;
            }
            // Written on another device, and not in what the commander had seen.
            NewConflict c;
            c.kind = ConflictKind::Command;
            c.entity = std::string(toString(row.entity));
            c.recordId = row.id;
            c.incidentId = incidentId;
            c.field = field;
            c.winner = "both";
            c.keptValue = field == kFieldDelete ? nlohmann::json(row.deleted) : row.field(field);
            c.kept = stamp;
            c.lostValue = command;
            c.lost = FieldStamp{op.hlc, op.device};
            VIGIL_TRY(recordConflict(c));
            if (stamp.origin == m_device) {
                // Our own edit: only this device knows for sure the commander had not seen it,
                // so it tells everyone (the supervisor who gave the command included).
                const nlohmann::json report = {
                    {"entity", c.entity},       {"id", row.id},
                    {"field", field},           {"value", c.keptValue},
                    {"stamp", stampText(stamp)}, {"command", command},
                    {"command_stamp", stampText(c.lost)}};
                VIGIL_TRY(appendOp(toString(Entity::Incident), incidentId, incidentId, std::string(kFieldConflict),
                                   report, std::nullopt, m_hlc.tick()));
            }
        }
    }
    return {};
}

Status RecordStore::applyConflictReport(const Op& op)
{
    const nlohmann::json& v = op.value;
    if (!v.is_object() || !v.contains("entity") || !v["entity"].is_string() || !v.contains("id") || !v["id"].is_string()
        || !v.contains("field") || !v["field"].is_string() || !v.contains("value") || !v.contains("command"))
        return {};  // malformed: nothing to record (the server keeps the op itself)
    const auto kept = stampFromText(v.value("stamp", nlohmann::json()));
    const auto lost = stampFromText(v.value("command_stamp", nlohmann::json()));
    if (!kept || !lost || !entityFromString(v["entity"].get<std::string>()))
        return {};
    NewConflict c;
    c.kind = ConflictKind::Command;
    c.entity = v["entity"].get<std::string>();
    c.recordId = v["id"].get<std::string>();
    c.incidentId = op.id;
    c.field = v["field"].get<std::string>();
    c.winner = "both";
    c.keptValue = v["value"];
    c.kept = *kept;
    c.lostValue = commandShown(v["command"]);
    c.lost = *lost;
    return recordConflict(c);
}

Status RecordStore::applyResolution(const Op& op)
{
    const nlohmann::json& v = op.value;
    const auto kept = stampFromText(v.is_object() ? v.value("kept", nlohmann::json()) : nlohmann::json());
    const auto lost = stampFromText(v.is_object() ? v.value("lost", nlohmann::json()) : nlohmann::json());
    if (!kept || !lost || !v.contains("field") || !v["field"].is_string())
        return {};
    auto by = userOfDevice(op.device);
    if (!by)
        return std::move(by).error();
    std::string who = v.contains("by") && v["by"].is_string() ? v["by"].get<std::string>() : *by;
    auto q = m_db.prepare("UPDATE conflict SET resolved_by = ?1, resolved_at = ?2, resolution = ?3 WHERE record_id = ?4"
                          " AND field = ?5 AND kept_hlc = ?6 AND kept_origin = ?7 AND lost_hlc = ?8 AND lost_origin = ?9"
                          " AND resolved_at IS NULL;");
    if (!q)
        return std::move(q).error();
    q->bind(1, who)
        .bind(2, whenOf(op.hlc))
        .bind(3, vigil::json::dump(v.value("value", nlohmann::json())))
        .bind(4, op.id)
        .bind(5, v["field"].get<std::string>())
        .bind(6, hlcToString(kept->hlc))
        .bind(7, kept->origin)
        .bind(8, hlcToString(lost->hlc))
        .bind(9, lost->origin);
    return q->run();
}

Status RecordStore::resolveConflict(const Actor& actor, std::int64_t conflictId, ConflictChoice choice)
{
    return transaction([&]() -> Status {
        auto all = conflicts({}, true);
        if (!all)
            return std::move(all).error();
        const Conflict* found = nullptr;
        for (const auto& c : *all) {
            if (c.id == conflictId)
                found = &c;
        }
        if (!found) {
            return makeError(ErrorCode::NotFound, "That conflict is not on this device (its record may have left your "
                                                  "area). Go back to the list of conflicts and sync.");
        }
        const Conflict& c = *found;
        if (!c.resolvedAt.empty()) {
            return makeError(ErrorCode::AlreadyExists, "This conflict was already resolved by " + c.resolvedBy + " at "
                                                           + c.resolvedAt + ". Nothing was changed.");
        }
        nlohmann::json chosen = c.keptValue;
        if (choice == ConflictChoice::UseOther) {
            if (c.kind == ConflictKind::Command) {
                return makeError(ErrorCode::InvalidArgument,
                                 "Both changes in this conflict already stand (an edit and a lifecycle command). Mark "
                                 "it reviewed by keeping what is shown; to change the record, edit it or give the "
                                 "command again.");
            }
            if (c.field == "state") {
                return makeError(ErrorCode::InvalidArgument,
                                 "A 124D's state changes only by a lifecycle command (submit, return, approve…). Give "
                                 "the command you want from the record, then keep what is shown here.");
            }
            auto row = get(c.entity, c.recordId);
            if (!row)
                return std::move(row).error();
            if (!row->has_value() || (*row)->deleted)
                return notOnDevice(c.entity, c.recordId);
            auto now = (*row)->stamps.find(c.field);
            if (now == (*row)->stamps.end() || !(now->second == c.kept)) {
                return makeError(ErrorCode::InvalidArgument,
                                 "The field " + c.field
                                     + " has been changed again since this conflict. Open the record, check the "
                                       "current value and edit it if needed, then keep what is shown here.",
                                 c.field);
            }
            chosen = c.lostValue;
            VIGIL_TRY(write(actor, c.entity, c.recordId, {{c.field, chosen}}));
        }
        const nlohmann::json value = {{"field", c.field},
                                      {"kept", stampText(c.kept)},
                                      {"lost", stampText(c.lost)},
                                      {"choice", choice == ConflictChoice::UseOther ? "other" : "shown"},
                                      {"value", chosen},
                                      {"by", actor.userId}};
        auto resolved = get(c.entity, c.recordId);  // its incident, for the unsent count
        if (!resolved)
            return std::move(resolved).error();
        VIGIL_TRY(appendOp(toString(c.entity), c.recordId, resolved->has_value() ? incidentOf(**resolved) : std::string(),
                           std::string(kFieldResolve), value, std::nullopt, m_hlc.tick()));
        auto q = m_db.prepare("UPDATE conflict SET resolved_by = ?1, resolved_at = ?2, resolution = ?3 WHERE id = ?4;");
        if (!q)
            return std::move(q).error();
        q->bind(1, actor.userId).bind(2, nowIso()).bind(3, vigil::json::dump(chosen)).bind(4, c.id);
        VIGIL_TRY(q->run());
        noteAudit(actor, AuditAction::Alteration, c.entity, c.incidentId,
                  "conflict on " + std::string(toString(c.entity)) + " " + c.recordId + " field " + c.field + " resolved ("
                      + (choice == ConflictChoice::UseOther ? "the other value written" : "the shown value kept") + ")");
        return {};
    });
}

Result<std::int64_t> RecordStore::unsentRecordCount()
{
    return m_db.queryInt("SELECT count(*) FROM (SELECT DISTINCT entity, record_id FROM outbox WHERE entity <> 'audit');");
}

Result<UnsentSummary> RecordStore::unsentSummary()
{
    UnsentSummary s;
    auto records = unsentRecordCount();
    if (!records)
        return std::move(records).error();
    s.records = *records;
    auto changes = m_db.queryInt("SELECT count(*) FROM outbox WHERE entity <> 'audit';");
    if (!changes)
        return std::move(changes).error();
    s.changes = *changes;
    auto photos = m_db.queryInt("SELECT count(*) FROM attachment_transfer WHERE direction = 'up';");
    if (!photos)
        return std::move(photos).error();
    s.photos = *photos;
    return s;
}

Status RecordStore::dropIncidentRows(const std::string& incidentId)
{
    VIGIL_TRY(figure_index::dropIncident(m_db, incidentId));
    for (const char* derived : {"DELETE FROM person_index WHERE incident_id = ?1;",
                                "DELETE FROM incident_index WHERE incident_id = ?1;"}) {
        auto q = m_db.prepare(derived);
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId);
        VIGIL_TRY(q->run());
    }
    for (std::size_t i = 0; i < kEntityNames.size(); ++i) {
        auto q = m_db.prepare(sqlFor(static_cast<Entity>(i)).deleteByIncident);
        if (!q)
            return std::move(q).error();
        q->bind(1, incidentId);
        VIGIL_TRY(q->run());
    }
    return {};
}

Status RecordStore::forgetIncident(const Actor& actor, const std::string& incidentId, const std::string& reason)
{
    return transaction([&]() -> Status {
        auto chunks = m_db.prepare("DELETE FROM attachment_chunk WHERE attachment_id IN "
                                   "(SELECT id FROM attachment WHERE incident_id = ?1);");
        if (!chunks)
            return std::move(chunks).error();
        chunks->bind(1, incidentId);
        VIGIL_TRY(chunks->run());
        VIGIL_TRY(dropIncidentRows(incidentId));
        auto conflicts = m_db.prepare("DELETE FROM conflict WHERE incident_id = ?1;");
        if (!conflicts)
            return std::move(conflicts).error();
        conflicts->bind(1, incidentId);
        VIGIL_TRY(conflicts->run());
        return audit(actor, AuditAction::Erasure, Entity::Incident, incidentId, "removed from this device: " + reason);
    });
}

Result<std::vector<Conflict>> RecordStore::conflicts(const std::string& incidentId, bool includeResolved)
{
    auto q = m_db.prepare("SELECT id, entity, record_id, incident_id, field, winner, kept_value, kept_hlc, kept_origin,"
                          " lost_value, lost_hlc, lost_origin, detected_at, kind, kept_by, lost_by, resolved_by,"
                          " resolved_at, resolution FROM conflict"
                          " WHERE (?2 = 1 OR resolved_at IS NULL) AND (?1 = '' OR incident_id = ?1) ORDER BY id;");
    if (!q)
        return std::move(q).error();
    q->bind(1, incidentId).bind(2, includeResolved ? 1 : 0);
    std::vector<Conflict> out;
    VIGIL_TRY(q->forEach([&](const Query& row) {
        Conflict c;
        c.id = row.columnInt(0);
        c.entity = entityFromString(row.columnText(1)).value_or(Entity::Incident);
        c.recordId = row.columnText(2);
        c.incidentId = row.columnText(3);
        c.field = row.columnText(4);
        c.winner = row.columnText(5);
        c.keptValue = vigil::json::parse(row.columnText(6));
        c.kept = FieldStamp{hlcFromString(row.columnText(7)).value_or(0), row.columnText(8)};
        c.lostValue = vigil::json::parse(row.columnText(9));
        c.lost = FieldStamp{hlcFromString(row.columnText(10)).value_or(0), row.columnText(11)};
        c.detectedAt = row.columnText(12);
        c.kind = row.columnText(13) == "command" ? ConflictKind::Command : ConflictKind::Field;
        c.keptBy = row.columnText(14);
        c.lostBy = row.columnText(15);
        c.keptAt = whenOf(c.kept.hlc);
        c.lostAt = whenOf(c.lost.hlc);
        if (!row.columnIsNull(17)) {
            c.resolvedBy = row.columnText(16);
            c.resolvedAt = row.columnText(17);
            c.resolution = vigil::json::parse(row.columnText(18));
        }
        out.push_back(std::move(c));
    }));
    return out;
}

}  // namespace vigil
