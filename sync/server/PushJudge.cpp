// The decisions of a push, written once for both server stores (moved here from
// SqlCipherServerStore::pushOps, acceptOp and acceptDeviceAudit, unchanged in behaviour): the
// stores differ only in the SQL behind PushLedger and in how they log and commit.
#include "sync/server/PushJudge.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/common/JsonText.h"
#include "core/common/Uuid.h"
#include "core/records/AuditLog.h"
#include "core/records/OpLimits.h"
#include "sync/server/Log.h"
#include "sync/server/PushAuthority.h"

namespace vigil::sync {

namespace {

using Rejected = std::optional<OpRejection>;

OpRejection reject(const Op& op, std::string error, std::string message)
{
    return OpRejection{op.seq, std::move(error), std::move(message), op.field};
}


/// A device audit entry (`@append` on "audit"): kept only when it continues the pushing device's
/// own chain, written by the pushing user; otherwise refused (audit_chain_broken) and logged.
Result<Rejected> acceptDeviceAudit(PushLedger& store, const DeviceIdentity& who, const Op& op, std::int64_t now,
                                   DeviceAuditHead& head)
{
    const UserInfo& user = who.user.info;
    // DPA 2018 s.62: the chain is the device's evidence. An entry is kept only when it continues
    // the pushing device's own chain exactly, written by the pushing user.
    const auto refuse = [&](const std::string& problem, const char* kind) -> Result<Rejected> {
        VIGIL_TRY(store.recordDenial(now, user.id, who.device.id, "", op.seq, "audit entry refused: " + problem));
        VIGIL_TRY(store.appendServerAudit(serverEntry(now, user.id, "audit_entry_refused", user.id, who.device.id, {},
                                                      {{"op_seq", op.seq}, {"problem", problem}})));
        Log::write(LogLevel::Warn, "audit_entry_refused", {{"problem", kind}});
        return Rejected(reject(op, std::string(errors::kAuditChainBroken),
                               "This device's audit entry was not accepted: " + problem
                                   + ". Nothing of it was kept on the server; this attempt was logged. "
                                     "Report this to support."));
    };
    const auto entry = auditEntryFromJson(op.value);
    if (!entry)
        return refuse("it is not a well-formed audit entry", "malformed");
    if (entry->actor != user.id)
        return refuse("it names another user than the one signed in on this device", "actor");
    if (entry->device != who.device.id)
        return refuse("it names another device than this one", "device");

    if (!head.loaded) {
        auto held = store.deviceAuditHead(who.device.id);
        if (!held)
            return std::move(held).error();
        head.loaded = true;
        head.held = held->has_value();
        if (*held) {
            head.seq = (*held)->first;
            head.hash = (*held)->second;
        }
    }
    std::optional<std::int64_t> forkedFrom;  // the head this entry branches back from
    if (head.held) {
        const std::int64_t lastSeq = head.seq;
        const std::string& lastHash = head.hash;
        if (entry->seq <= lastSeq && !(entry->seq == lastSeq + 1 && entry->prevHash == lastHash)) {
            // A branch back in the chain: the device's store was restored from a backup of its own
            // and goes on from an entry the server holds. Kept (both branches stay, nothing is
            // replaced) and recorded in the server's chain; an entry following no entry held is not.
            Result<bool> branches = entry->seq - 1 == 0
                                        ? Result<bool>(entry->prevHash.empty())  // from the very start of the chain
                                        : store.heldDeviceAuditEntry(who.device.id, entry->seq - 1, entry->prevHash);
            if (!branches)
                return std::move(branches).error();
            if (*branches)
                forkedFrom = lastSeq;
        }
        if (!forkedFrom) {
            if (entry->seq != lastSeq + 1)
                return refuse("its number (" + std::to_string(entry->seq) + ") does not follow the last one accepted ("
                                  + std::to_string(lastSeq) + ")",
                              "seq");
            if (entry->prevHash != lastHash)
                return refuse("it does not follow the last entry accepted (prev_hash)", "prev_hash");
        }
    } else if (entry->seq != 1 || !entry->prevHash.empty()) {
        // A device's first entry starts the chain, or continues the chain the same store kept under
        // an earlier enrolment of the same user (a device enrolled again keeps its records store).
        auto found = store.userAuditHeadAt(user.id, entry->seq - 1, entry->prevHash);
        if (!found)
            return std::move(found).error();
        if (!*found)
            return refuse("it is number " + std::to_string(entry->seq)
                              + " but the server holds no earlier entry of this device's chain",
                          entry->seq != 1 ? "seq" : "prev_hash");
    }
    if (AuditLog::chainHash(*entry) != entry->hash)
        return refuse("its hash does not match its content (it was altered)", "hash");

    if (forkedFrom) {
        VIGIL_TRY(store.appendServerAudit(serverEntry(now, user.id, "audit_chain_forked", user.id, who.device.id, {},
                                                      {{"entry_seq", entry->seq}, {"head_seq", *forkedFrom}})));
        Log::write(LogLevel::Warn, "audit_chain_forked", {{"device", who.device.id}});
    }
    // Written once, before the push commits (by the store).
    head.held = true;
    head.moved = true;
    head.seq = entry->seq;
    head.hash = entry->hash;
    return Rejected();
}

/// Whether `op` may be kept: access, scope and the small index tables (incidents, records) kept up
/// to date. Sets `incidentId` to the incident it belongs to ("" for an audit entry).
Result<Rejected> acceptOp(PushLedger& store, const DeviceIdentity& who, const Op& op, std::int64_t now,
                          std::string& incidentId, PushAuthority& authority, DeviceAuditHead& auditHead)
{
    const UserInfo& user = who.user.info;
    const bool isIncident = op.entity == "incident";
    const bool isCreate = op.field == kFieldCreate;

    // A device's audit chain: append-only, kept under no incident so it is never pulled.
    incidentId.clear();
    if (op.entity == "audit") {
        if (op.field != kFieldAppend || !op.value.is_object())
            return Rejected(reject(op, "malformed_op", "An audit entry can only be appended, so this change was not "
                                                       "accepted. Report this to support."));
        return acceptDeviceAudit(store, who, op, now, auditHead);
    }

    // A stamp far ahead of the server's clock would win every merge and wrap the clocks of
    // devices that pull it: refused before anything else.
    if (auto ahead = authority.clockCheck(op))
        return ahead;

    // Which incident the op belongs to.
    if (isIncident) {
        incidentId = op.id;
    } else if (isCreate) {
        auto link = op.value.is_object() ? op.value.find("incident") : op.value.end();
        if (!op.value.is_object() || link == op.value.end() || !link->is_string())
            return Rejected(reject(op, "malformed_op", "This record does not say which incident it belongs to, so it "
                                                       "was not accepted. Report this to support."));
        incidentId = link->get<std::string>();
    } else {
        auto found = store.incidentOf(op.entity, op.id);
        if (!found)
            return std::move(found).error();
        if (!*found)
            return Rejected(reject(op, "unknown_record", "This change is to a record the server has never received, "
                                                         "so it was not accepted. Sync again; report it if it stays."));
        incidentId = **found;
    }

    auto access = store.loadAccess(incidentId);
    if (!access)
        return std::move(access).error();
    // DPA 2018 s.62: every refused change is logged, with who, which incident and why.
    const auto logDenial = [&](const std::string& reason) -> Status {
        VIGIL_TRY(store.recordDenial(now, user.id, who.device.id, incidentId, op.seq, reason));
        return store.appendServerAudit(
            serverEntry(now, user.id, "access_denied", user.id, who.device.id, {incidentId},
                        {{"op_seq", op.seq}, {"entity", op.entity}, {"field", op.field}, {"reason", reason}}));
    };
    const auto deny = [&](const std::string& reason) -> Result<Rejected> {
        VIGIL_TRY(logDenial(reason));
        return Rejected(reject(op, "outside_scope",
                               "You are not allowed to change this record (" + reason
                                   + "). The change was kept on this device but not shared; this attempt was logged."));
    };

    if (isIncident && isCreate) {
        if (*access)
            return deny("the incident already exists");
        if (user.role == Role::Admin || user.role == Role::Analyst || user.role == Role::Idva)
            return deny("your role does not create incidents");
        const auto text = [&](const char* key) {
            auto it = op.value.is_object() ? op.value.find(key) : op.value.end();
            return it != op.value.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        std::string owner = text("owner");
        std::string team = text("team");
        std::string borough = text("borough");
        if (owner.empty())
            owner = user.id;
        if (team.empty())
            team = user.team;
        if (borough.empty())
            borough = user.borough;
        if (owner != user.id)
            return deny("an incident can only be created by its owner");
        if (team != user.team || borough != user.borough)
            return deny("an incident must be created in your own team and borough");
        VIGIL_TRY(store.addIncident(incidentId, owner, team, borough));
    } else {
        if (!*access)
            return Rejected(reject(op, "unknown_incident", "This change belongs to an incident the server has never "
                                                           "received, so it was not accepted. Sync again."));
        if (!canWrite(user, **access))
            return deny("outside your scope");
    }

    // Marking a conflict resolved is a supervisor's decision (the value itself, if any, came
    // as an ordinary write, checked like any other).
    if (op.field == kFieldResolve && user.role != Role::Supervisor)
        return deny("only a supervisor can mark a conflict resolved");

    // Authority: who may write this field, in the state the 124D stands in (issue 21).
    const IncidentAccess created{incidentId, user.id, user.team, user.borough, false, {}, {}, {}};
    auto verdict = authority.check(op, *access ? **access : created);
    if (!verdict)
        return std::move(verdict).error();
    if (*verdict) {
        VIGIL_TRY(logDenial((*verdict)->error + ": " + op.entity + " " + op.field));
        return verdict;
    }

    // Where each record belongs, for the ops that follow it. The restricted flag, the access
    // list and referral recipients are not taken from the op: they come from the record as
    // merged (the store's refreshAccess, after the rule check), so an older write arriving late,
    // a refused referral or a withdrawn consent cannot open an incident.
    if (!isIncident && isCreate)
        VIGIL_TRY(store.indexRecord(op.entity, op.id, incidentId));
    return Rejected();
}

}  // namespace

Result<JudgedPush> judgePush(PushLedger& store, const DeviceIdentity& who, const std::vector<Op>& ops,
                             std::int64_t now, PushAuthority& authority, std::int64_t deviceQuota)
{
    JudgedPush out;
    const std::string& device = who.device.id;
    // A device whose changes an administrator quarantined: refused whole, nothing changed; the
    // changes stay on the device until it is released (docs/sync-protocol.md, "Quarantine").
    auto isHeld = store.quarantined(device);
    if (!isHeld)
        return std::move(isHeld).error();
    if (*isHeld)
        return makeError(ErrorCode::Rejected, "the device's changes are quarantined", "quarantined");
    VIGIL_TRY(store.prefetch(ops));
    std::int64_t used = 0;
    if (deviceQuota > 0) {
        auto usage = store.usage(device);
        if (!usage)
            return std::move(usage).error();
        used = *usage;
    }
    auto seqs = store.deviceSeq(device);
    if (!seqs)
        return std::move(seqs).error();
    std::int64_t last = seqs->first;
    std::string topOpId = seqs->second;  // the newest time-ordered op id held from this device
    // Is this op held already (under another number)? A time-ordered op id newer than every
    // one held from the device cannot be: only older ones are looked up (the ops a device
    // sends again after a restore), so an ordinary push costs no look-up.
    // The device's ids are read once, the first time one is looked up (after a restore), and
    // kept up to date through the push.
    std::optional<std::unordered_set<std::string>> heldIds;
    const auto maybeHeld = [&](const Op& op) -> Result<bool> {
        if (op.opId.empty() || (isTimeOrderedUuid(op.opId) && op.opId > topOpId))
            return false;
        if (!heldIds) {
            auto read = store.heldOpIds(device);
            if (!read)
                return std::move(read).error();
            heldIds = std::move(read).value();
        }
        return heldIds->count(op.opId) > 0;
    };
    const auto nowHeld = [&](const Op& op) {
        if (isTimeOrderedUuid(op.opId) && op.opId > topOpId)
            topOpId = op.opId;
        if (heldIds)
            heldIds->insert(op.opId);
    };
    // A seq already decided is answered only for the same op (the device resending a batch
    // whose answer it lost). Anything else under a decided seq, or a batch that starts past
    // the next seq, is refused whole, with one answer for both that names no number: the
    // answer says nothing the request did not already hold (docs/sync-protocol.md).
    const auto refuseSequence = [] {
        return makeError(ErrorCode::Rejected, "the batch's sequence numbers do not follow this device's", "sequence");
    };
    for (const Op& op : ops) {
        if (op.seq > last)
            continue;
        bool same = false;
        auto logged = store.loggedOpId(device, op.seq);
        if (!logged)
            return std::move(logged).error();
        if (*logged) {
            same = **logged == op.opId;
        } else {
            auto refused = store.refusalAt(device, op.seq);
            if (!refused)
                return std::move(refused).error();
            // A refusal kept before op ids were (empty) cannot be checked: answered as before.
            if (*refused) {
                same = (*refused)->opId.empty() || (*refused)->opId == op.opId;
            } else {
                // A seq decided by an op the server already held under another number (sent
                // again, renumbered, after a restore): the same op when its id is held.
                auto known = maybeHeld(op);
                if (!known)
                    return std::move(known).error();
                same = *known;
            }
        }
        if (!same)
            return refuseSequence();
    }
    if (!ops.empty() && std::none_of(ops.begin(), ops.end(), [&](const Op& op) { return op.seq <= last + 1; }))
        return refuseSequence();  // a gap before the whole batch
    std::string incidentId;
    for (const Op& op : ops) {
        if (op.seq <= last) {
            // Already decided: a retry gets the same answer and changes nothing.
            auto refused = store.refusalAt(device, op.seq);
            if (!refused)
                return std::move(refused).error();
            if (*refused) {
                OpRejection again = (*refused)->rejection;
                again.seq = op.seq;
                out.response.rejected.push_back(std::move(again));
            }
            continue;
        }
        if (op.seq != last + 1)
            break;  // a gap: the missing ops must come first
        {
            // Held already under another number: a device sending again, renumbered, what it
            // cannot know the server kept (after either end was restored from a backup). Not
            // logged twice; a refused one gets its refusal again (docs/sync-protocol.md).
            auto known = maybeHeld(op);
            if (!known)
                return std::move(known).error();
            if (*known) {
                auto refused = store.refusalOf(device, op.opId);
                if (!refused)
                    return std::move(refused).error();
                if (*refused) {
                    OpRejection again = **refused;
                    again.seq = op.seq;
                    VIGIL_TRY(store.keepRejection(device, op.opId, again, now));
                    out.response.rejected.push_back(std::move(again));
                }
                last = op.seq;
                continue;
            }
        }
        // Over the size limits of its kind (core/records/OpLimits.h): refused with words, kept
        // nowhere here. Within them, it counts towards the device's quota: a batch that would
        // pass it is refused whole, so nothing of it is kept and the device keeps it all.
        // The value's text is made once: its size for the limits and the quota, and what the
        // op log keeps.
        std::string text;
        std::size_t size = static_cast<std::size_t>(-1);  // not UTF-8: over every limit
        try {
            vigil::json::dumpTo(text, op.value);
            size = op.value.is_string() ? op.value.get_ref<const std::string&>().size()
                                        : (op.value.is_structured() ? text.size() : valueBytes(op.value));
        } catch (const nlohmann::json::exception&) {
        }
        Result<Rejected> rejected = Rejected();
        if (auto breach = checkOpLimits(op, size)) {
            OpRejection r = reject(op, std::string(errors::kTooLarge),
                                   "The server did not take this change: " + breach->message
                                       + " It is kept on this device.");
            r.field = breach->field;
            rejected = Rejected(std::move(r));
        } else {
            used += static_cast<std::int64_t>(size) + kOpOverheadBytes;
            if (deviceQuota > 0 && used > deviceQuota)
                return makeError(ErrorCode::Rejected, "the device's storage quota is used up", "quota");
            rejected = acceptOp(store, who, op, now, incidentId, authority, out.auditHead);
        }
        if (!rejected)
            return std::move(rejected).error();
        nowHeld(op);  // logged, or its refusal kept
        if (!*rejected) {
            authority.accepted(op, incidentId);
            out.accepted.push_back(op);
            out.incidents.push_back(incidentId);
            out.texts.push_back(std::move(text));
            // Who pushed it: the materialised copy learns each device's user from its ops, as a
            // device does from pulled ones (conflict authors; the users a snapshot names).
            out.accepted.back().user = who.user.info.id;
        } else {
            VIGIL_TRY(store.keepRejection(device, op.opId, **rejected, now));
            out.response.rejected.push_back(**rejected);
        }
        last = op.seq;
    }
    out.lastSeq = last;
    out.topOpId = std::move(topOpId);
    return out;
}

std::int64_t ackedUpto(const std::vector<Op>& ops, std::int64_t lastSeq)
{
    std::int64_t upto = 0;
    for (const Op& op : ops)
        if (op.seq <= lastSeq)
            upto = std::max(upto, op.seq);
    return upto;
}

bool touchesAccess(const Op& op)
{
    if (op.entity == "referral")
        return true;
    if (op.field == kFieldCreate || op.field == kFieldDelete)
        return op.entity == "incident" || op.entity == "person";
    if (op.entity == "incident")
        return op.field == "flags.police_staff_involved" || op.field == "access_list"
            || op.field == "investigation.officer_in_case";
    return op.entity == "person" && op.field.rfind("consent.", 0) == 0;
}

std::vector<std::string> changedShareRecipients(const std::vector<std::pair<std::string, std::string>>& before,
                                                const std::vector<std::pair<std::string, std::string>>& after)
{
    // Each recipient's live referrals on this incident, before and after. A recipient who keeps
    // the incident but whose referrals changed (another victim referred to them, one withdrawn,
    // a victim's consent given or taken back) holds rows trimmed to the old share. Gaining or
    // losing the incident as a whole is the view's business (history, forget).
    std::map<std::string, std::set<std::string>> was;
    std::map<std::string, std::set<std::string>> now;
    for (const auto& [referral, to] : before)
        if (!to.empty())
            was[to].insert(referral);
    for (const auto& [referral, to] : after)
        if (!to.empty())
            now[to].insert(referral);
    std::vector<std::string> changed;
    for (const auto& [user, referrals] : now) {
        auto old = was.find(user);
        if (old != was.end() && old->second != referrals)
            changed.push_back(user);
    }
    return changed;
}

}  // namespace vigil::sync
