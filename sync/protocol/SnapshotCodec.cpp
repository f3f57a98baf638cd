#include "sync/protocol/SnapshotCodec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/common/JsonScanner.h"
#include "core/common/JsonText.h"
#include "core/records/Hlc.h"
#include "core/records/RecordStore.h"

namespace vigil::sync {

namespace {

Error malformed(const std::string& what, const std::string& field = {})
{
    return makeError(ErrorCode::InvalidArgument, "The message is malformed: " + what + ".", field);
}

// Conflict columns on the wire, in one table so the writer and the reader cannot drift apart.
constexpr std::array<std::pair<std::string_view, std::string SnapshotConflict::*>, 18> kConflictKeys = {{
    {"kind", &SnapshotConflict::kind},
    {"entity", &SnapshotConflict::entity},
    {"record", &SnapshotConflict::record},
    {"incident", &SnapshotConflict::incident},
    {"field", &SnapshotConflict::field},
    {"winner", &SnapshotConflict::winner},
    {"kept_value", &SnapshotConflict::keptValue},
    {"kept_hlc", &SnapshotConflict::keptHlc},
    {"kept_origin", &SnapshotConflict::keptOrigin},
    {"kept_by", &SnapshotConflict::keptBy},
    {"lost_value", &SnapshotConflict::lostValue},
    {"lost_hlc", &SnapshotConflict::lostHlc},
    {"lost_origin", &SnapshotConflict::lostOrigin},
    {"lost_by", &SnapshotConflict::lostBy},
    {"detected_at", &SnapshotConflict::detectedAt},
    {"resolved_by", &SnapshotConflict::resolvedBy},
    {"resolved_at", &SnapshotConflict::resolvedAt},
    {"resolution", &SnapshotConflict::resolution},
}};

// --- writing ---

using vigil::json::appendString;

void putKey(std::string& out, std::string_view key, bool first)
{
    if (!first)
        out += ',';
    appendString(out, key);
    out += ':';
}

// --- reading: core/common/JsonScanner.h, nested at most as deep as the wire allows ---

struct Reader : vigil::json::Scanner {
    explicit Reader(std::string_view text, std::size_t depth = Limits{}.maxJsonDepth) : vigil::json::Scanner{text, 0, depth} {}
};

bool isObjectText(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{' && isJsonText(text, Limits{}.maxJsonDepth);
}

}  // namespace

bool isJsonText(std::string_view text, std::size_t maxDepth)
{
    Reader r(text, maxDepth);
    if (!r.value(0))
        return false;
    r.ws();
    return r.i == text.size();
}

std::string encodeSnapshotPage(const SnapshotPage& page)
{
    std::size_t size = 256;
    for (const auto& r : page.rows)
        size += r.fields.size() + r.stamps.size() + 300;
    std::string out;
    out.reserve(size + size / 8);
    out += "{\"rows\":[";
    for (std::size_t n = 0; n < page.rows.size(); ++n) {
        const auto& r = page.rows[n];
        out += n ? ",{" : "{";
        putKey(out, "e", true);
        appendString(out, r.entity);
        putKey(out, "id", false);
        appendString(out, r.id);
        putKey(out, "i", false);
        appendString(out, r.incident);
        putKey(out, "p", false);
        appendString(out, r.parent);
        putKey(out, "o", false);
        appendString(out, r.origin);
        putKey(out, "d", false);
        out += r.deleted ? "true" : "false";
        putKey(out, "c", false);
        appendString(out, r.created);
        putKey(out, "u", false);
        appendString(out, r.updated);
        putKey(out, "f", false);
        appendString(out, r.fields);
        putKey(out, "s", false);
        appendString(out, r.stamps);
        out += '}';
    }
    out += "],\"conflicts\":[";
    for (std::size_t n = 0; n < page.conflicts.size(); ++n) {
        out += n ? ",{" : "{";
        bool first = true;
        for (const auto& [key, member] : kConflictKeys) {
            putKey(out, key, first);
            appendString(out, page.conflicts[n].*member);
            first = false;
        }
        out += '}';
    }
    out += "],\"users\":{";
    for (std::size_t n = 0; n < page.users.size(); ++n) {
        putKey(out, page.users[n].first, n == 0);
        appendString(out, page.users[n].second);
    }
    out += "},\"next\":";
    appendString(out, page.next);
    out += ",\"cursor\":";
    appendString(out, page.cursor);
    out += ",\"more\":";
    out += page.more ? "true" : "false";
    out += '}';
    return out;
}

Result<SnapshotPage> decodeSnapshotPage(std::string_view text)
{
    SnapshotPage page;
    Reader r(text);
    bool rows = false, conflicts = false, users = false, next = false, cursor = false, more = false;
    std::string where;
    std::string problem = "a snapshot page must be one JSON object";
    const auto once = [&](bool& seen) {
        if (seen)
            problem = "a snapshot page names a part twice";
        const bool fresh = !seen;
        seen = true;
        return fresh;
    };
    const bool read = r.object([&](const std::string& key) -> bool {
        where.clear();
        problem = "a snapshot page is not JSON of the expected shape";
        if (key == "rows") {
            if (!once(rows))
                return false;
            return r.array([&]() -> bool {
                SnapshotRow row;
                bool e = false, id = false, i = false, p = false, o = false, d = false, c = false, u = false,
                     f = false, s = false;
                where = "rows[" + std::to_string(page.rows.size()) + "]";
                problem = "a row needs e, id, i, p, o, d, c, u, f and s of the right kinds";
                const bool ok = r.object([&](const std::string& k) -> bool {
                    const auto column = [&](std::string& out, bool& seen) {
                        if (seen)
                            return false;
                        seen = true;
                        return r.string(&out);
                    };
                    if (k == "e")
                        return column(row.entity, e);
                    if (k == "id")
                        return column(row.id, id);
                    if (k == "i")
                        return column(row.incident, i);
                    if (k == "p")
                        return column(row.parent, p);
                    if (k == "o")
                        return column(row.origin, o);
                    if (k == "c")
                        return column(row.created, c);
                    if (k == "u")
                        return column(row.updated, u);
                    if (k == "f")
                        return column(row.fields, f);
                    if (k == "s")
                        return column(row.stamps, s);
                    if (k == "d") {
                        if (d)
                            return false;
                        d = true;
                        return r.boolean(row.deleted);
                    }
                    return r.value(3);  // a later version's addition
                });
                if (!ok || !(e && id && i && p && o && d && c && u && f && s))
                    return false;
                if (!entityFromString(row.entity)) {
                    problem = "a row must name a known kind of record";
                    return false;
                }
                if (row.id.empty() || row.origin.empty()) {
                    problem = "a row needs an id and an origin";
                    return false;
                }
                if (!hlcFromString(row.created) || !hlcFromString(row.updated)) {
                    problem = "a row's created and updated stamps must be HLC stamps";
                    return false;
                }
                if (!isObjectText(row.fields) || !isObjectText(row.stamps)) {
                    problem = "a row's fields and stamps must be JSON objects";
                    return false;
                }
                page.rows.push_back(std::move(row));
                return true;
            });
        }
        if (key == "conflicts") {
            if (!once(conflicts))
                return false;
            return r.array([&]() -> bool {
                SnapshotConflict c;
                std::array<bool, kConflictKeys.size()> seen{};
                where = "conflicts[" + std::to_string(page.conflicts.size()) + "]";
                problem = "a conflict needs each of its columns as text";
                const bool ok = r.object([&](const std::string& k) -> bool {
                    for (std::size_t n = 0; n < kConflictKeys.size(); ++n) {
                        if (kConflictKeys[n].first == k) {
                            if (seen[n])
                                return false;
                            seen[n] = true;
                            return r.string(&(c.*kConflictKeys[n].second));
                        }
                    }
                    return r.value(3);
                });
                if (!ok || std::find(seen.begin(), seen.end(), false) != seen.end())
                    return false;
                const std::size_t depth = Limits{}.maxJsonDepth - 1;  // each value sits in the conflict
                if (c.record.empty() || c.field.empty() || !hlcFromString(c.keptHlc) || !hlcFromString(c.lostHlc)
                    || !isJsonText(c.keptValue, depth) || !isJsonText(c.lostValue, depth)
                    || (!c.resolution.empty() && !isJsonText(c.resolution, depth))) {
                    problem = "a conflict needs its record, field, both stamps and both values as JSON";
                    return false;
                }
                page.conflicts.push_back(std::move(c));
                return true;
            });
        }
        if (key == "users") {
            if (!once(users))
                return false;
            where = "users";
            problem = "users must map device ids to user ids";
            return r.object([&](const std::string& device) -> bool {
                std::string user;
                if (device.empty() || !r.string(&user))
                    return false;
                page.users.emplace_back(device, std::move(user));
                return true;
            });
        }
        if (key == "next" || key == "cursor") {
            if (!once(key == "next" ? next : cursor))
                return false;
            return r.string(key == "next" ? &page.next : &page.cursor);
        }
        if (key == "more") {
            if (!once(more))
                return false;
            return r.boolean(page.more);
        }
        return r.value(1);
    });
    if (!read) {
        return malformed(problem, where);
    }
    r.ws();
    if (r.i != text.size())
        return malformed("a snapshot page must be one JSON object");
    if (!(rows && conflicts && users && next && cursor && more))
        return malformed("a snapshot page needs rows, conflicts, users, next, cursor and more");
    if (page.more && page.next.empty())
        return malformed("a snapshot page with more to come must say where to go on", "next");
    return page;
}

}  // namespace vigil::sync
