// The snapshot a device that has never pulled starts from (GET /v1/snapshot), written once for
// both server stores (moved here from SqlCipherServerStore::snapshotPage, unchanged in behaviour).
#include <algorithm>
#include <set>

#include "sync/server/PullPage.h"
#include "sync/server/SharingFilter.h"

namespace vigil::sync {

namespace {

/// Where a snapshot goes on: "P.V.H" — the op-log position and view it started at, and the hex
/// of the last incident id sent (ids come from devices: hex keeps the token safe in a URL).
struct SnapshotToken {
    std::int64_t position = 0;
    std::int64_t view = 0;
    std::string after;
};

std::string formatSnapshotToken(const SnapshotToken& t)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (const char ch : t.after) {
        const auto c = static_cast<unsigned char>(ch);
        hex += kHex[c >> 4];
        hex += kHex[c & 15];
    }
    return std::to_string(t.position) + "." + std::to_string(t.view) + "." + hex;
}

std::optional<SnapshotToken> parseSnapshotToken(std::string_view text)
{
    // "P.V" as a pull cursor (the view always written), then the hex after the last dot.
    SnapshotToken t;
    const auto last = text.rfind('.');
    if (last == std::string_view::npos || text.substr(0, last).find('.') == std::string_view::npos)
        return std::nullopt;
    auto cursor = parsePullCursor(text.substr(0, last));
    if (!cursor)
        return std::nullopt;
    t.position = cursor->position;
    t.view = cursor->view;
    const std::string_view hex = text.substr(last + 1);
    if (hex.empty() || hex.size() % 2 != 0 || hex.size() > 1024)
        return std::nullopt;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]);
        const int lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        t.after += static_cast<char>(hi * 16 + lo);
    }
    return t;
}

/// The devices a stored row names: its creator and the writer of each field.
void originsOf(const StoredRow& row, std::set<std::string>& out)
{
    out.insert(row.origin);
    const auto stamps = nlohmann::json::parse(row.stamps, nullptr, false);
    if (!stamps.is_object())
        return;
    for (const auto& [field, v] : stamps.items()) {
        if (!v.is_string())
            continue;
        const std::string& text = v.get_ref<const std::string&>();
        if (const auto space = text.find(' '); space != std::string::npos)
            out.insert(text.substr(space + 1));
    }
}

ServerAuditEntry disclosureEntry(std::int64_t at, const UserInfo& user, const std::string& deviceId,
                                 std::vector<std::string> incidents, nlohmann::json detail)
{
    ServerAuditEntry e;
    e.at = at;
    e.actor = user.id;
    e.action = "disclosure";
    e.userId = user.id;
    e.deviceId = deviceId;
    e.incidents = std::move(incidents);
    e.detail = std::move(detail);
    return e;
}

}  // namespace

Result<SnapshotPage> serveSnapshotPage(PullLedger& store, RecordStore& copy, const DeviceIdentity& who,
                                       const std::string& from, std::size_t limit, std::size_t maxBytes,
                                       std::int64_t now, const SharingPolicy* sharing,
                                       const std::function<std::optional<vigil::Role>(const std::string&)>& roleOf,
                                       const std::function<Status()>& caughtUp)
{
    {
        // The records copy holds every device's changes merged, a quarantined device's too: while
        // one is quarantined a new device replays the op log instead, which leaves them out.
        auto held = store.quarantined();
        if (!held)
            return std::move(held).error();
        held->erase(who.device.id);
        if (!held->empty())
            return makeError(ErrorCode::NotFound, "A device's changes are quarantined: no snapshot until it is released.");
    }
    SnapshotToken token;
    const bool start = from.empty();
    if (!start) {
        auto parsed = parseSnapshotToken(from);
        if (!parsed)
            return makeError(ErrorCode::InvalidArgument, "The snapshot position is malformed.");
        token = std::move(*parsed);
    }
    SnapshotPage page;
    RecordStore& records = copy;
    if (!start && caughtUp)
        VIGIL_TRY(caughtUp());
    {
    const UserInfo& user = who.user.info;
    auto all = store.accessFor(user);
    if (!all)
        return std::move(all).error();
    std::set<std::string> visible;
    for (const auto& a : *all) {
        if (canRead(user, a))
            visible.insert(a.id);
    }
    if (start) {
        // The op-log position the snapshot stands for, and the incidents it delivers as a
        // pending view: the first pull names it ("P.V"), which confirms the view, so the pull
        // sends no history for them (and forgets any that leave scope meanwhile).
        auto max = store.lastCursor();
        if (!max)
            return std::move(max).error();
        token.position = *max;
        // The copy must hold every op up to the position (with several servers another one may
        // have taken them): caught up after the position is fixed.
        if (caughtUp)
            VIGIL_TRY(caughtUp());
        if (!visible.empty()) {
            auto view = store.deviceView(who.device.id);
            if (!view)
                return std::move(view).error();
            auto [confirmed, issued] = view->value_or(std::make_pair(std::int64_t{0}, std::int64_t{0}));
            token.view = ++issued;
            for (const auto& id : visible)
                VIGIL_TRY(store.keepPending(who.device.id, token.view, PendingViewChange{id, 0, 0}));
            VIGIL_TRY(store.storeView(who.device.id, confirmed, issued));
        }
    }
    // Incidents in id order, until the page is full. An incident that left scope since the
    // start is not sent (the first pull forgets it); one that came into scope is sent. A page
    // ends before the row that would take it past `maxBytes` (one row a page at least), in the
    // middle of an incident if need be (issue 22): the token then names the incident and its
    // last row sent ("H\x1fentity\x1fid"), and the next page goes on after that row. Rows keep
    // their order (by kind, then as stored), so a row the copy gained meanwhile comes later in
    // it or was made after P (the first pull brings it as an op).
    std::set<std::string> origins;
    std::vector<std::string> disclosed;
    bool governed = sharing && sharing->isFor(vigil::Role::Idva);
    std::size_t bytes = 0;
    const auto sep = token.after.find('\x1f');
    const std::string resumeIncident = sep == std::string::npos ? token.after : token.after.substr(0, sep);
    std::string resumeRow = sep == std::string::npos ? std::string() : token.after.substr(sep + 1);
    auto it = start ? visible.begin()
                    : (resumeRow.empty() ? visible.upper_bound(resumeIncident) : visible.lower_bound(resumeIncident));
    bool cut = false;
    for (; it != visible.end() && page.rows.size() < limit && bytes < maxBytes && !cut; ++it) {
        auto rows = records.storedRowsOfIncident(*it);
        if (!rows)
            return std::move(rows).error();
        // Going on inside an incident cut off by the last page: after the row it ended with.
        bool continued = false;
        std::size_t skip = 0;  // rows sent on the page before
        if (!resumeRow.empty() && *it == resumeIncident) {
            const auto at = std::find_if(rows->begin(), rows->end(), [&](const StoredRow& r) {
                return r.entity + '\x1f' + r.id == resumeRow;
            });
            if (at != rows->end()) {
                skip = static_cast<std::size_t>(at - rows->begin()) + 1;
                continued = true;
            }
        }
        resumeRow.clear();
        std::vector<StoredConflict> conflicts;
        std::vector<StoredRow> sendable;
        const bool idva = sharing && sharing->isFor(vigil::Role::Idva);
        bool incidentGoverned = false;
        if (sharing) {
            // Trimmed to the sharing policy (as pull pages are): rows it does not pass are not
            // sent, the others only with the fields it passes. An IDVA gets no conflicts (police
            // bookkeeping); police users those about fields they receive. The incident is learnt
            // only when it holds rows the policy judges (for police users: an IDVA's casework).
            SharingFilter filter(*sharing, user.id, roleOf);
            if (std::any_of(rows->begin(), rows->end(), [&](const StoredRow& r) { return filter.judges(r.entity); }))
                filter.learn(*it, *rows);
            for (std::size_t i = skip; i < rows->size(); ++i) {
                StoredRow& r = (*rows)[i];
                if (!filter.trim(r))
                    continue;
                incidentGoverned = incidentGoverned || filter.governed(r.entity, r.id);
                sendable.push_back(std::move(r));
            }
            if (!idva && !continued) {
                auto kept = records.storedConflictsOfIncident(*it);
                if (!kept)
                    return std::move(kept).error();
                for (auto& c : *kept)
                    if (filter.passes(c))
                        conflicts.push_back(std::move(c));
            }
        } else {
            if (!continued) {
                auto kept = records.storedConflictsOfIncident(*it);
                if (!kept)
                    return std::move(kept).error();
                conflicts = std::move(kept).value();
            }
            sendable.assign(std::make_move_iterator(rows->begin() + static_cast<std::ptrdiff_t>(skip)),
                            std::make_move_iterator(rows->end()));
        }
        std::size_t sent = 0;
        for (auto& r : sendable) {
            const std::size_t size = r.fields.size() + r.stamps.size() + 200;
            // Rows are counted by whole incidents (`limit`, as before); bytes cut inside one.
            if (!page.rows.empty() && bytes + size > maxBytes) {
                cut = true;
                break;
            }
            bytes += size;
            originsOf(r, origins);
            token.after = *it + '\x1f' + r.entity + '\x1f' + r.id;
            page.rows.push_back(std::move(r));
            ++sent;
        }
        if (cut && sent == 0)
            break;  // not a row of it on this page: it starts the next one (token: the one before)
        governed = governed || incidentGoverned;
        if (!continued) {
            for (auto& c : conflicts) {
                origins.insert(c.keptOrigin);
                origins.insert(c.lostOrigin);
                page.conflicts.push_back(std::move(c));
            }
        }
        if (sent != 0)
            disclosed.push_back(*it);
        if (!start && token.view != 0) {
            // Come into scope since the start: the rows are its state now, so the first pull
            // must not replay its history onto them (old ops on newer rows look like conflicts).
            VIGIL_TRY(store.keepPending(who.device.id, token.view, PendingViewChange{*it, 0, 0}));
        }
        if (cut)
            break;  // part of it sent: the next page goes on inside it (the token names its last row)
        token.after = *it;
    }
    for (const auto& device : origins) {
        auto u = records.userOfDevice(device);
        if (!u)
            return std::move(u).error();
        if (!u->empty())
            page.users.emplace_back(device, *u);
    }
    page.more = it != visible.end();
    if (page.more)
        page.next = formatSnapshotToken(token);
    else
        page.cursor = formatPullCursor({token.position, token.view});
    if (!disclosed.empty()) {
        nlohmann::json ids(disclosed);
        const std::string sharedBy = governed ? sharing->label() : std::string();
        VIGIL_TRY(store.recordDisclosure(now, user.id, who.device.id, ids.dump(),
                                         static_cast<std::int64_t>(page.rows.size()), "[]", sharedBy));
        VIGIL_TRY(store.appendServerAudit(disclosureEntry(now, user, who.device.id,
                                                          std::vector<std::string>(disclosed.begin(), disclosed.end()),
                                                          {{"kind", "snapshot"}, {"rows", page.rows.size()},
                                                           {"sharing", sharedBy}})));
    }
    }
    return page;
}

}  // namespace vigil::sync
