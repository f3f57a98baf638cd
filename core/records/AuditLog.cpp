#include "core/records/AuditLog.h"

#include <array>

#include <sodium.h>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"

namespace vigil {

namespace {

/// Constant-time comparison of two hex MACs.
bool sodium_memcmp_hex(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

constexpr std::array<std::string_view, 6> kActionNames = {"collection",  "alteration", "consultation",
                                                          "disclosure",  "combination", "erasure"};

AuditEntry readEntry(const Query& q)
{
    AuditEntry e;
    e.seq = q.columnInt(0);
    e.at = q.columnText(1);
    e.actor = q.columnText(2);
    e.device = q.columnText(3);
    e.action = auditActionFromString(q.columnText(4)).value_or(AuditAction::Consultation);
    e.entity = q.columnText(5);
    e.recordId = q.columnText(6);
    e.justification = q.columnText(7);
    const auto recipients = nlohmann::json::parse(q.columnText(8), nullptr, false);
    if (recipients.is_array()) {
        for (const auto& r : recipients)
            if (r.is_string())
                e.recipients.push_back(r.get<std::string>());
    }
    e.detail = q.columnText(9);
    e.prevHash = q.columnText(10);
    e.hash = q.columnText(11);
    e.mac = q.columnText(12);
    return e;
}

constexpr std::string_view kSelect = "SELECT seq, at, actor, device, action, entity, record_id, justification, "
                                     "recipients, detail, prev_hash, hash, mac FROM audit_log ";

}  // namespace

std::string_view toString(AuditAction action) noexcept { return kActionNames[static_cast<std::size_t>(action)]; }

std::optional<AuditAction> auditActionFromString(std::string_view text) noexcept
{
    for (std::size_t i = 0; i < kActionNames.size(); ++i)
        if (kActionNames[i] == text)
            return static_cast<AuditAction>(i);
    return std::nullopt;
}

nlohmann::json auditEntryToJson(const AuditEntry& e)
{
    return {{"seq", e.seq},       {"at", e.at},
            {"actor", e.actor},   {"device", e.device},
            {"action", toString(e.action)},
            {"entity", e.entity}, {"record_id", e.recordId},
            {"justification", e.justification},
            {"recipients", e.recipients},
            {"detail", e.detail}, {"prev_hash", e.prevHash},
            {"hash", e.hash}};
}

std::optional<AuditEntry> auditEntryFromJson(const nlohmann::json& v)
{
    static constexpr std::array<std::string_view, 12> kKeys = {"seq",     "at",         "actor",      "device",
                                                               "action",  "entity",     "record_id",  "justification",
                                                               "recipients", "detail",  "prev_hash",  "hash"};
    if (!v.is_object() || v.size() != kKeys.size())
        return std::nullopt;
    for (std::string_view key : kKeys) {
        auto it = v.find(std::string(key));
        if (it == v.end())
            return std::nullopt;
        if (key == "seq" ? !it->is_number_integer() : key == "recipients" ? !it->is_array() : !it->is_string())
            return std::nullopt;
    }
    AuditEntry e;
    e.seq = v["seq"].get<std::int64_t>();
    const auto action = auditActionFromString(v["action"].get<std::string>());
    if (!action)
        return std::nullopt;
    e.action = *action;
    e.at = v["at"].get<std::string>();
    e.actor = v["actor"].get<std::string>();
    e.device = v["device"].get<std::string>();
    e.entity = v["entity"].get<std::string>();
    e.recordId = v["record_id"].get<std::string>();
    e.justification = v["justification"].get<std::string>();
    for (const auto& r : v["recipients"]) {
        if (!r.is_string())
            return std::nullopt;
        e.recipients.push_back(r.get<std::string>());
    }
    e.detail = v["detail"].get<std::string>();
    e.prevHash = v["prev_hash"].get<std::string>();
    e.hash = v["hash"].get<std::string>();
    return e;
}

std::string AuditLog::chainHash(const AuditEntry& entry)
{
    // The hash covers the previous hash and every field but itself, in a fixed order.
    nlohmann::json content = auditEntryToJson(entry);
    content.erase("hash");
    const std::string text = content.dump();
    ensureSodium();
    std::array<unsigned char, 32> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
    return toHex(h);
}

namespace {
std::string macOf(std::span<const unsigned char> key, const std::string& text)
{
    static_assert(crypto_auth_KEYBYTES == 32);
    ensureSodium();
    std::array<unsigned char, crypto_auth_BYTES> mac{};
    std::array<unsigned char, crypto_auth_KEYBYTES> k{};
    std::copy_n(key.begin(), std::min(key.size(), k.size()), k.begin());
    crypto_auth(mac.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size(), k.data());
    sodium_memzero(k.data(), k.size());
    return toHex(mac);
}
}  // namespace

std::string AuditLog::entryMac(std::span<const unsigned char> key, std::int64_t seq, const std::string& hash)
{
    return macOf(key, "vigil audit entry v1:" + std::to_string(seq) + ":" + hash);
}

std::string AuditLog::headMac(std::span<const unsigned char> key, const std::string& head)
{
    return macOf(key, "vigil audit head v1:" + head);
}

Status AuditLog::keyExistingEntries(Database& db)
{
    // Idempotent: a store put back to an earlier version number (tests do) already has the column.
    bool hasMac = false;
    auto cols = db.prepare("PRAGMA table_info(audit_log);");
    if (!cols)
        return std::move(cols).error();
    VIGIL_TRY(cols->forEach([&](const Query& row) { hasMac = hasMac || row.columnText(1) == "mac"; }));
    if (!hasMac)
        VIGIL_TRY(db.exec("ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT '';"));
    std::vector<std::pair<std::int64_t, std::string>> entries;
    auto q = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq;");
    if (!q)
        return std::move(q).error();
    VIGIL_TRY(q->forEach([&](const Query& row) { entries.emplace_back(row.columnInt(0), row.columnText(1)); }));
    for (const auto& [seq, hash] : entries) {
        auto u = db.prepare("UPDATE audit_log SET mac = ?1 WHERE seq = ?2;");
        if (!u)
            return std::move(u).error();
        VIGIL_TRY(u->bind(1, entryMac(db.auditMacKey(), seq, hash)).bind(2, seq).run());
    }
    auto head = db.prepare("SELECT value FROM store_meta WHERE key = 'audit_head';");
    if (!head)
        return std::move(head).error();
    auto row = head->step();
    if (!row)
        return std::move(row).error();
    if (!*row)
        return {};
    const std::string value = head->columnText(0);
    auto mac = db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('audit_head_mac', ?1);");
    if (!mac)
        return std::move(mac).error();
    return mac->bind(1, headMac(db.auditMacKey(), value)).run();
}

Result<AuditEntry> AuditLog::append(AuditEntry entry)
{
    auto head = m_db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;");
    if (!head)
        return std::move(head).error();
    auto row = head->step();
    if (!row)
        return std::move(row).error();
    entry.seq = *row ? head->columnInt(0) + 1 : 1;
    entry.prevHash = *row ? head->columnText(1) : std::string();
    entry.hash = chainHash(entry);
    entry.mac = entryMac(m_db.auditMacKey(), entry.seq, entry.hash);

    auto insert = m_db.prepare("INSERT INTO audit_log (seq, at, actor, device, action, entity, record_id, justification, "
                               "recipients, detail, prev_hash, hash, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                               "?12, ?13);");
    if (!insert)
        return std::move(insert).error();
    insert->bind(1, entry.seq)
        .bind(2, entry.at)
        .bind(3, entry.actor)
        .bind(4, entry.device)
        .bind(5, toString(entry.action))
        .bind(6, entry.entity)
        .bind(7, entry.recordId)
        .bind(8, entry.justification)
        .bind(9, nlohmann::json(entry.recipients).dump())
        .bind(10, entry.detail)
        .bind(11, entry.prevHash)
        .bind(12, entry.hash)
        .bind(13, entry.mac);
    VIGIL_TRY(insert->run());
    const std::string headText = std::to_string(entry.seq) + ":" + entry.hash;
    auto anchor = m_db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('audit_head', ?1), "
                               "('audit_head_mac', ?2);");
    if (!anchor)
        return std::move(anchor).error();
    anchor->bind(1, headText).bind(2, headMac(m_db.auditMacKey(), headText));
    VIGIL_TRY(anchor->run());
    return entry;
}

Result<AuditVerification> AuditLog::verify()
{
    AuditVerification v;
    const auto fail = [&](std::int64_t seq, std::string problem) {
        v.intact = false;
        v.firstBadSeq = seq;
        v.problem = std::move(problem);
        return v;
    };
    auto q = m_db.prepare(std::string(kSelect) + "ORDER BY rowid;");
    if (!q)
        return std::move(q).error();
    std::string prev;
    std::int64_t expected = 1;
    for (;;) {
        auto row = q->step();
        if (!row)
            return std::move(row).error();
        if (!*row)
            break;
        const AuditEntry e = readEntry(*q);
        if (e.seq != expected) {
            return fail(expected, e.seq > expected ? "entry " + std::to_string(expected) + " is missing"
                                                   : "entry " + std::to_string(e.seq) + " is out of order");
        }
        if (e.prevHash != prev)
            return fail(e.seq, "entry " + std::to_string(e.seq) + " does not follow the entry before it");
        if (chainHash(e) != e.hash)
            return fail(e.seq, "entry " + std::to_string(e.seq) + " was altered");
        if (!sodium_memcmp_hex(entryMac(m_db.auditMacKey(), e.seq, e.hash), e.mac))
            return fail(e.seq, "entry " + std::to_string(e.seq) + " was rewritten without the store's key (its MAC does "
                                                                  "not match)");
        prev = e.hash;
        ++expected;
        ++v.entries;
    }
    auto head = m_db.prepare("SELECT value FROM store_meta WHERE key = 'audit_head';");
    if (!head)
        return std::move(head).error();
    auto hrow = head->step();
    if (!hrow)
        return std::move(hrow).error();
    const std::string wantHead = *hrow ? head->columnText(0) : std::string();
    const std::string haveHead = v.entries == 0 ? std::string() : std::to_string(v.entries) + ":" + prev;
    if (wantHead != haveHead) {
        // The newest entries were removed (the chain is consistent but shorter than recorded).
        return fail(v.entries + 1, "the newest entries after entry " + std::to_string(v.entries) + " were removed");
    }
    if (!wantHead.empty()) {
        auto mac = m_db.prepare("SELECT value FROM store_meta WHERE key = 'audit_head_mac';");
        if (!mac)
            return std::move(mac).error();
        auto mrow = mac->step();
        if (!mrow)
            return std::move(mrow).error();
        if (!*mrow || !sodium_memcmp_hex(headMac(m_db.auditMacKey(), wantHead), mac->columnText(0)))
            return fail(v.entries + 1, "the record of the chain's last entry was rewritten without the store's key");
    }
    return v;
}

Result<std::vector<AuditEntry>> AuditLog::forRecord(const std::string& recordId)
{
    auto q = m_db.prepare(std::string(kSelect) + "WHERE record_id = ?1 ORDER BY seq;");
    if (!q)
        return std::move(q).error();
    q->bind(1, recordId);
    std::vector<AuditEntry> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out.push_back(readEntry(row)); }));
    return out;
}

Result<std::int64_t> AuditLog::count() { return m_db.queryInt("SELECT count(*) FROM audit_log;"); }

}  // namespace vigil
