#include "sync/server/RuleCheck.h"

#include "core/casework/FeedbackForms.h"
#include "core/casework/SafeContactRules.h"
#include "core/casework/VictimsCode.h"
#include "core/risk/Dates.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "core/common/Text.h"
#include "core/records/CaseRepository.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordStore.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/OutcomeList.h"
#include "core/risk/OutcomeRules.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RiskScorer.h"
#include "core/risk/RulesConfig.h"
#include "core/risk/SubmissionValidator.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"

namespace vigil::sync {

namespace {

constexpr const char* kServerDevice = "server";

OpRejection refuse(const Op& op, const std::string& words, const std::string& field = {},
                   std::string error = "rule_violation")
{
    return {op.seq, std::move(error),
            "The server refused this change: " + words + " The change is kept on this device; correct it and save again.",
            field};
}

bool startsWith(const std::string& text, std::string_view prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

bool consentAllowsSharing(const nlohmann::json& victim, const std::string& agency)
{
    // The victim row's flat fields, read as the core's Consent, so one rule decides on both ends.
    const auto flag = [&](const char* name) -> std::optional<bool> {
        auto it = victim.find(name);
        return it != victim.end() && it->is_boolean() ? std::optional<bool>(it->get<bool>()) : std::nullopt;
    };
    const auto text = [&](const char* name) {
        auto it = victim.find(name);
        return it != victim.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    Consent consent;
    consent.shareWithPartners = flag("consent.share_with_partners");
    consent.maracReferral = flag("consent.marac_referral");
    consent.lawfulBasis = text("consent.lawful_basis");
    consent.justification = text("consent.justification");
    return sharingAllowed(consent, agency);
}

struct RuleCheck::Impl {
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
    RiskModelRegistry models;
    RulesConfig rules;
    OutcomeList outcomes;
};

RuleCheck::RuleCheck(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RuleCheck::~RuleCheck() = default;

Result<std::unique_ptr<RuleCheck>> RuleCheck::open(const std::filesystem::path& file, std::span<const unsigned char> key,
                                                   const std::filesystem::path& modelDir)
{
    auto models = RiskModelRegistry::loadDirectory(modelDir.string());
    if (!models)
        return std::move(models).error();
    auto rules = loadRulesConfigFile(modelDir / "rules-default.json");
    if (!rules)
        return std::move(rules).error();
    auto outcomes = OutcomeList::loadFile(modelDir / "rules-outcomes.json");
    if (!outcomes)
        return std::move(outcomes).error();
    OpenOptions options;
    options.create = true;
    auto db = Database::open(file, key, options);
    if (!db)
        return std::move(db).error();
    VIGIL_TRY(migrate(**db, deviceSchema()));
    // The server's own bookkeeping beside the device schema: how far each device's ops reach.
    VIGIL_TRY((*db)->exec("CREATE TABLE IF NOT EXISTS copy_applied (device TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL) "
                          "WITHOUT ROWID;"));
    auto records = RecordStore::open(**db, systemClock());
    if (!records)
        return std::move(records).error();
    if ((*records)->deviceId() != kServerDevice)
        VIGIL_TRY((*records)->setDeviceId(kServerDevice));
    auto impl = std::make_unique<Impl>(Impl{std::move(db).value(), std::move(records).value(), std::move(models).value(),
                                            std::move(rules).value(), std::move(outcomes).value()});
    return std::unique_ptr<RuleCheck>(new RuleCheck(std::move(impl)));
}

RecordStore& RuleCheck::records() noexcept { return *m_impl->records; }

namespace {

/// The highest seq of each device among `ops`.
std::map<std::string, std::int64_t> highestSeqs(const std::vector<Op>& ops)
{
    std::map<std::string, std::int64_t> out;
    for (const Op& op : ops) {
        auto& seq = out[op.device];
        seq = std::max(seq, op.seq);
    }
    return out;
}

}  // namespace

Status RuleCheck::apply(const std::vector<Op>& ops)
{
    if (ops.empty())
        return {};
    return m_impl->records->transaction([&]() -> Status {
        VIGIL_TRY(m_impl->records->applyPulled(ops, "server"));
        return noteApplied(highestSeqs(ops));
    });
}

Status RuleCheck::noteApplied(const std::map<std::string, std::int64_t>& seqs)
{
    for (const auto& [device, seq] : seqs) {
        // SQLCipher 3.4 is SQLite 3.15: no upsert.
        auto q = m_impl->db->prepare("INSERT OR REPLACE INTO copy_applied (device, seq) VALUES "
                                     "(?1, max(?2, coalesce((SELECT seq FROM copy_applied WHERE device = ?1), 0)));");
        if (!q)
            return std::move(q).error();
        VIGIL_TRY(q->bind(1, device).bind(2, seq).run());
    }
    return {};
}

Result<std::int64_t> RuleCheck::appliedSeq(const std::string& device)
{
    auto q = m_impl->db->prepare("SELECT seq FROM copy_applied WHERE device = ?;");
    if (!q)
        return std::move(q).error();
    q->bind(1, device);
    auto row = q->step();
    if (!row)
        return std::move(row).error();
    return *row ? q->columnInt(0) : std::int64_t{0};
}

Result<std::map<std::string, std::int64_t>> RuleCheck::appliedSeqs()
{
    auto q = m_impl->db->prepare("SELECT device, seq FROM copy_applied;");
    if (!q)
        return std::move(q).error();
    std::map<std::string, std::int64_t> out;
    VIGIL_TRY(q->forEach([&](const Query& row) { out[row.columnText(0)] = row.columnInt(1); }));
    return out;
}

Result<std::vector<AccessFacts>> RuleCheck::accessFacts(const std::set<std::string>& incidentIds)
{
    RecordStore& records = *m_impl->records;
    std::vector<AccessFacts> out;
    for (const auto& id : incidentIds) {
        auto incident = records.get(Entity::Incident, id);
        if (!incident)
            return std::move(incident).error();
        if (!*incident)
            continue;
        AccessFacts f;
        f.incidentId = id;
        const auto& flag = (*incident)->field("flags.police_staff_involved");
        f.restricted = flag.is_boolean() && flag.get<bool>();
        const auto& list = (*incident)->field("access_list");
        if (list.is_array())
            for (const auto& name : list)
                if (hasText(name))
                    f.accessList.push_back(name.get<std::string>());
        if (const auto& oic = (*incident)->field("investigation.officer_in_case"); hasText(oic) && !(*incident)->deleted)
            f.allocatedTo = oic.get<std::string>();
        if (!(*incident)->deleted) {
            auto referrals = records.rowsOfIncident(Entity::Referral, id);  // live rows only
            if (!referrals)
                return std::move(referrals).error();
            for (const RecordRow& r : *referrals) {
                const auto& to = r.field("to_user");
                if (!hasText(to))
                    continue;
                auto victim = records.get(Entity::Person, r.parentId);
                if (!victim)
                    return std::move(victim).error();
                if (*victim && !(*victim)->deleted
                    && consentAllowsSharing((*victim)->fields, r.field("agency").is_string() ? r.field("agency").get<std::string>() : ""))
                    f.referrals.emplace_back(r.id, to.get<std::string>());
            }
        }
        out.push_back(std::move(f));
    }
    return out;
}

Result<RuleCheck::Refusals> RuleCheck::check(const UserInfo& user, const std::vector<Op>& ops,
                                             const std::function<void(const Refusals&)>& decided,
                                             AccessQuery* access)
{
    Refusals refused;
    RecordStore& records = *m_impl->records;
    IncidentRepository repo(records);
    const auto role = vigil::roleFromString(roleName(user.role));
    const Error dryRun = makeError(ErrorCode::Internal, "dry run");

    Status s = records.transaction([&]() -> Status {
        // Lifecycle commands are checked against the state before each command.
        std::map<std::string, LifecycleState> stateBefore;
        std::set<std::int64_t> alreadyApplied;  // a batch sent again whose first answer was lost
        std::set<std::int64_t> validated;       // commands whose move runs the submission rules (submit, resubmit, approve)
        std::set<std::int64_t> closing;         // close commands: a crime needs its outcome
        for (const Op& op : ops) {
            if (op.entity != "incident" || op.field != kFieldCommand)
                continue;
            auto existing = records.get(Entity::Incident, op.id);
            if (!existing)
                return std::move(existing).error();
            if (*existing) {
                // This very command is already in the copy (the copy committed and the op log did
                // not, so the device sent the batch again): it passed the rules then.
                auto stamp = (*existing)->stamps.find("state");
                if (stamp != (*existing)->stamps.end() && stamp->second == FieldStamp{op.hlc, op.device})
                    alreadyApplied.insert(op.seq);
            }
            if (stateBefore.count(op.id))
                continue;
            LifecycleState state = LifecycleState::Draft;
            if (*existing) {
                const auto& text = (*existing)->field("state");
                if (text.is_string())
                    state = lifecycleStateFromString(text.get<std::string>()).value_or(LifecycleState::Draft);
            }
            stateBefore[op.id] = state;
        }
        for (const Op& op : ops) {
            if (op.entity != "incident" || op.field != kFieldCommand || alreadyApplied.count(op.seq))
                continue;
            const auto to = op.value.is_object() && op.value.contains("state") && op.value["state"].is_string()
                                ? lifecycleStateFromString(op.value["state"].get<std::string>())
                                : std::nullopt;
            if (!to || !role) {
                refused.emplace(op.seq, refuse(op, "this lifecycle command does not say which state it moves the "
                                                   "record to, or your role is unknown."));
                continue;
            }
            auto rule = findTransition(stateBefore[op.id], *to, *role);
            if (!rule) {
                refused.emplace(op.seq, refuse(op, rule.error().message));
                continue;
            }
            if ((*rule)->noteRequired && !hasText(op.value.value("note", nlohmann::json()))) {
                refused.emplace(op.seq, refuse(op, "to " + std::string((*rule)->action)
                                                       + " a 124D a note is needed (what must be put right, or the "
                                                         "reason and the final risk review).",
                                               "lifecycle.note"));
                continue;
            }
            if ((*rule)->runsValidation)
                validated.insert(op.seq);
            if (*to == LifecycleState::Closed)
                closing.insert(op.seq);
            stateBefore[op.id] = *to;
        }

        VIGIL_TRY(records.applyPulled(ops, "server"));

        // Submission (and resubmission): the same validation the device ran, on the record as it
        // now stands and the history the server holds.
        for (const Op& op : ops) {
            if (op.entity != "incident" || op.field != kFieldCommand || refused.count(op.seq))
                continue;
            if (!validated.count(op.seq))
                continue;
            auto incident = repo.read(op.id);
            if (!incident) {
                refused.emplace(op.seq, refuse(op, "the 124D has not fully reached the server yet, so it cannot be "
                                                   "checked for submission. Sync again, then submit."));
                continue;
            }
            HistorySource source;
            source.description = "the server";
            auto history = repo.historyForIncident(*incident, source);
            if (!history)
                return std::move(history).error();
            const RuleContext context{m_impl->models, m_impl->rules, *history,
                                      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
            const auto errors = validateSubmission(*incident, context);
            if (!errors.empty()) {
                std::string words = "the 124D is not complete (" + std::to_string(errors.size()) + " problem"
                    + (errors.size() == 1 ? "" : "s") + "): " + errors.front().message;
                if (errors.size() > 1)
                    words += " (and " + std::to_string(errors.size() - 1) + " more; open the 124D to see them all)";
                refused.emplace(op.seq, refuse(op, words, errors.front().field));
            }
        }

        // Closing (validateClosure, as the device asked before it offered the close): a crime closes
        // only with its outcome recorded, on the record as it now stands (the outcome may come in
        // the same batch, before the command).
        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        for (const Op& op : ops) {
            if (!closing.count(op.seq) || refused.count(op.seq))
                continue;
            auto incident = repo.read(op.id);
            if (!incident) {
                refused.emplace(op.seq, refuse(op, "the 124D has not fully reached the server yet, so it cannot be "
                                                   "checked for closing. Sync again, then close it."));
                continue;
            }
            if (const auto errors = validateClosure(*incident); !errors.empty())
                refused.emplace(op.seq, refuse(op, errors.front().message, errors.front().field));
        }
        // The crime's outcome: from the list, with its dates, on a crime (validateOutcome, the rules
        // the device ran before it recorded it), and never cleared from a closed crime. A device's
        // day may be ahead of the server's (London after midnight in summer): a day's grace.
        std::map<std::string, std::vector<const Op*>> outcomeOps;  // incident id -> ops
        for (const Op& op : ops)
            if (op.entity == "incident" && startsWith(op.field, "outcome.") && !refused.count(op.seq))
                outcomeOps[op.id].push_back(&op);
        for (const auto& [incidentId, list] : outcomeOps) {
            auto incident = repo.read(incidentId);
            if (!incident)
                continue;  // not assembled (a part missing): nothing to judge against
            std::vector<Error> errors;
            if (incident->state == LifecycleState::Closed) {
                errors = validateClosure(*incident);
                for (Error& e : errors)
                    e.message = "a closed 124D keeps its crime's outcome: correct it, never clear it. " + e.message;
            }
            if (errors.empty())
                errors = validateOutcome(*incident, incident->outcome, m_impl->outcomes, today + std::chrono::days{1});
            if (errors.empty())
                continue;
            std::string words = "the crime's outcome is not complete: " + errors.front().message;
            if (errors.size() > 1)
                words += " (and " + std::to_string(errors.size() - 1) + " more; open the 124D to see them all)";
            for (const Op* op : list)
                refused.emplace(op->seq, refuse(*op, words, errors.front().field));
        }

        // Grades: every person whose grade this batch touched, checked as it now stands.
        std::map<std::string, std::vector<const Op*>> gradeOps;  // person id -> ops
        for (const Op& op : ops) {
            if (op.entity == "person" && startsWith(op.field, "grade."))
                gradeOps[op.id].push_back(&op);
        }
        std::map<std::string, std::string> incidentOf;
        for (const auto& [personId, list] : gradeOps) {
            auto row = records.get(Entity::Person, personId);
            if (!row)
                return std::move(row).error();
            if (*row)
                incidentOf[personId] = (*row)->incidentId;
        }
        std::set<std::string> incidents;
        for (const auto& [person, incident] : incidentOf)
            incidents.insert(incident);
        for (const auto& incidentId : incidents) {
            auto incident = repo.read(incidentId);
            if (!incident)
                continue;  // not assembled (e.g. a part missing): nothing to compare with
            for (std::size_t i = 0; i < incident->victims.size(); ++i) {
                const Victim& v = incident->victims[i];
                auto touched = gradeOps.find(v.id);
                if (touched == gradeOps.end() || v.dash.answers.empty())
                    continue;
                auto score = scoreAssessment(v.dash, m_impl->models);
                if (!score)
                    continue;  // a model this server does not have: cannot judge, do not refuse
                const std::string prefix = "victims[" + std::to_string(i) + "].grade";
                Status officer = v.officerGrade.grade ? checkOfficerGrade(score->computed, v.officerGrade, prefix) : Status();
                Status supervisor = checkSupervisorGrade(score->computed, v.officerGrade, v.supervisorGrade, prefix);
                for (const Op* op : touched->second) {
                    const bool isOfficer = startsWith(op->field, "grade.officer");
                    const Status& verdict = isOfficer ? officer : supervisor;
                    if (!verdict.ok() && startsWith(op->field, isOfficer ? "grade.officer" : "grade.supervisor"))
                        refused.emplace(op->seq, refuse(*op, verdict.error().message, verdict.error().field));
                }
            }
        }
        // Consent before disclosure: a referral to a partner agency only with the victim's
        // consent to share, or a lawful basis with its justification (as the record now stands).
        std::map<std::string, std::vector<const Op*>> referralOps;
        for (const Op& op : ops)
            if (op.entity == "referral")
                referralOps[op.id].push_back(&op);
        for (const auto& [referralId, list] : referralOps) {
            auto row = records.get(Entity::Referral, referralId);
            if (!row)
                return std::move(row).error();
            if (!*row || (*row)->deleted)
                continue;  // withdrawn: nothing is disclosed
            auto victim = records.get(Entity::Person, (*row)->parentId);
            if (!victim)
                return std::move(victim).error();
            const nlohmann::json& agency = (*row)->field("agency");
            if (*victim && consentAllowsSharing((*victim)->fields, agency.is_string() ? agency.get<std::string>() : ""))
                continue;
            for (const Op* op : list)
                if (!refused.count(op->seq))
                    refused.emplace(op->seq, refuse(*op, "a referral to a partner agency needs the victim's consent to "
                                                         "share, or a lawful basis for sharing without it with its "
                                                         "justification. Record the victim's consent (or the lawful "
                                                         "basis and why) first, then make the referral.",
                                                    "consent", "consent_required"));
        }

        // An IDVA works only with the victim referred to them: a write to a person row, a case
        // or a case's parts must be that victim's (the access rule lets an IDVA reach the whole
        // 124D; the sharing filter limits what is sent, this limits what is accepted).
        if (user.role == Role::Idva) {
            std::map<std::string, bool> referredVictim;  // victim id -> referred to this IDVA
            const auto isReferred = [&](const std::string& victimId) -> Result<bool> {
                if (auto it = referredVictim.find(victimId); it != referredVictim.end())
                    return it->second;
                auto victim = records.get(Entity::Person, victimId);
                if (!victim)
                    return std::move(victim).error();
                bool ok = false;
                if (*victim && !(*victim)->deleted) {
                    auto referrals = records.rowsOfIncident(Entity::Referral, (*victim)->incidentId);
                    if (!referrals)
                        return std::move(referrals).error();
                    for (const RecordRow& r : *referrals) {
                        const auto& to = r.field("to_user");
                        const auto& agency = r.field("agency");
                        if (r.parentId == victimId && to.is_string() && to.get<std::string>() == user.id
                            && consentAllowsSharing((*victim)->fields, agency.is_string() ? agency.get<std::string>() : ""))
                            ok = true;
                    }
                }
                referredVictim[victimId] = ok;
                return ok;
            };
            for (const Op& op : ops) {
                if (refused.count(op.seq))
                    continue;
                std::string victimId;
                if (op.entity == "person") {
                    victimId = op.id;
                } else if (op.entity == "victim_case" || op.entity == "contact" || op.entity == "case_event"
                           || op.entity == "safety_item" || op.entity == "protective_order" || op.entity == "order_breach"
                           || op.entity == "risk_assessment" || op.entity == "feedback_form") {
                    const auto kind = entityFromString(op.entity);
                    auto row = records.get(*kind, op.id);
                    if (!row)
                        return std::move(row).error();
                    if (!*row)
                        continue;  // not created (refused earlier in the batch)
                    std::string parent = (*row)->parentId;
                    if (op.entity != "victim_case") {
                        auto c = records.get(Entity::Case, parent);
                        if (!c)
                            return std::move(c).error();
                        parent = *c ? (*c)->parentId : std::string();
                    }
                    victimId = parent;
                } else {
                    continue;
                }
                auto ok = isReferred(victimId);
                if (!ok)
                    return std::move(ok).error();
                if (!*ok)
                    refused.emplace(op.seq, refuse(op, "an IDVA works only with the victim referred to them (with "
                                                       "consent or a lawful basis); this change is about another person "
                                                       "on the 124D.", op.field, "not_referred"));
            }
        }

        // Safe contact: every contact and every feedback form sent to the victim as it now stands,
        // against the victim's answers as they now stand (the same core rules the device ran
        // before it logged the contact or recorded the form: checkContact, checkFeedbackForm).
        std::map<std::pair<std::string, std::string>, std::vector<const Op*>> contactOps;  // (entity, id) -> ops
        for (const Op& op : ops)
            if ((op.entity == "contact" || op.entity == "feedback_form") && op.field != kFieldDelete)
                contactOps[{op.entity, op.id}].push_back(&op);
        for (const auto& [which, list] : contactOps) {
            const bool form = which.first == "feedback_form";
            auto row = records.get(form ? Entity::FeedbackForm : Entity::Contact, which.second);
            if (!row)
                return std::move(row).error();
            if (!*row || (*row)->deleted)
                continue;
            std::string why;
            std::string error = "unsafe_contact";
            const nlohmann::json& method = (*row)->field("method");
            const nlohmann::json& at = (*row)->field("at");
            const auto kind = method.is_string() ? contactMethodFromString(method.get<std::string>()) : std::nullopt;
            const auto when = at.is_string() ? parseIsoDateTime(at.get<std::string>()) : std::nullopt;
            const nlohmann::json& formKind = (*row)->field("kind");
            if (form && !(formKind.is_string() && feedbackFormKindFromString(formKind.get<std::string>()))) {
                why = "a feedback form record needs which form it is (after_charge or at_conclusion). Record it again "
                      "with the form chosen.";
                error = "rule_violation";
            } else if (!kind || !when) {
                why = form ? "a feedback form needs how it was sent (letter, email, by hand on a visit...) and when, so "
                             "it can be checked against the victim's safe-contact answers. Record it again with both."
                           : "a contact needs how it was made (phone, text, visit...) and when, so it can be checked "
                             "against the victim's safe-contact answers. Log it again with both.";
            } else {
                auto caseRow = records.get(Entity::Case, (*row)->parentId);
                if (!caseRow)
                    return std::move(caseRow).error();
                std::optional<RecordRow> victim;
                if (*caseRow) {
                    auto v = records.get(Entity::Person, (*caseRow)->parentId);
                    if (!v)
                        return std::move(v).error();
                    victim = std::move(*v);
                }
                if (!victim) {
                    why = std::string(form ? "a feedback form" : "a contact")
                        + " belongs to a victim's case, and this one's case or victim has not reached the server. Sync "
                          "again.";
                } else {
                    const auto rule = form ? &checkFeedbackForm : &checkContact;
                    const ContactVerdict verdict = rule(safeContactFromFields(victim->fields), *kind, *when);
                    if (!verdict.allowed)
                        why = (form ? "a feedback form must never be sent in a way that could alert the abuser. " : "")
                            + verdict.refusal;
                    // A contact that says the victim's details went to victim services: only with her
                    // consent recorded on the case (victimServicesRefusal, as the device asks).
                    const nlohmann::json& duties = (*row)->field("duties");
                    if (why.empty() && !form && duties.is_array()) {
                        std::vector<std::string> done;
                        for (const auto& d : duties)
                            if (d.is_string())
                                done.push_back(d.get<std::string>());
                        const bool consented = *caseRow && (*caseRow)->field("services_consent") == true;
                        if (auto refusal = victimServicesRefusal(done, consented)) {
                            why = *refusal;
                            error = "rule_violation";
                        }
                    }
                }
            }
            if (why.empty())
                continue;
            for (const Op* op : list)
                if (!refused.count(op->seq))
                    refused.emplace(op->seq, refuse(*op, why, error == "unsafe_contact" ? "method" : "kind", error));
        }

        // Feedback responses: a count of anonymous responses, per kind of form, never more than the
        // forms of that kind issued in the case as it now stands (validateFeedbackResponses).
        for (const Op& op : ops) {
            if (op.entity != "victim_case" || !startsWith(op.field, "feedback.responses.") || refused.count(op.seq))
                continue;
            const auto kind = feedbackFormKindFromString(op.field.substr(std::string_view("feedback.responses.").size()));
            if (!kind) {
                refused.emplace(op.seq, refuse(op, "responses are counted per form, after_charge or at_conclusion, and \""
                                                       + op.field + "\" names neither.", op.field));
                continue;
            }
            auto caseRow = records.get(Entity::Case, op.id);
            if (!caseRow)
                return std::move(caseRow).error();
            if (!*caseRow)
                continue;  // not created (refused earlier in the batch)
            const nlohmann::json& value = (*caseRow)->field(op.field);
            if (value.is_null())
                continue;  // cleared
            int issued = 0;
            auto forms = records.rowsOfIncident(Entity::FeedbackForm, (*caseRow)->incidentId);  // live rows only
            if (!forms)
                return std::move(forms).error();
            for (const RecordRow& f : *forms)
                if (f.parentId == op.id && f.field("kind") == std::string(toString(*kind)))
                    ++issued;
            const Status valid =
                value.is_number_integer()
                    ? validateFeedbackResponses(*kind, static_cast<int>(std::clamp<std::int64_t>(value.get<std::int64_t>(), -1, 1000000)),
                                                issued)
                    : Status(makeError(ErrorCode::Validation, "A count of responses is a whole number: enter how many came back."));
            if (!valid.ok())
                refused.emplace(op.seq, refuse(op, valid.error().message, op.field));
        }

        // A re-assessment's grade: the band its answers give under its model (scored again here,
        // as the device did), and the assessor's grade never below it nor above it without a reason.
        std::map<std::string, std::vector<const Op*>> assessmentOps;
        for (const Op& op : ops)
            if (op.entity == "risk_assessment" && op.field != kFieldDelete)
                assessmentOps[op.id].push_back(&op);
        for (const auto& [assessmentId, list] : assessmentOps) {
            auto row = records.get(Entity::Assessment, assessmentId);
            if (!row)
                return std::move(row).error();
            if (!*row || (*row)->deleted)
                continue;
            const RiskReassessment stated = reassessmentFromRow(**row);
            std::string why;
            const RiskModel* model = m_impl->models.find(stated.assessment.modelId, stated.assessment.modelVersion);
            if (model == nullptr) {
                why = "the re-assessment names a checklist this server does not have (\"" + stated.assessment.modelId + " "
                      + stated.assessment.modelVersion + "\"). Update Vigil on this device and assess again.";
            } else if (auto score = scoreAssessment(stated.assessment, *model); !score) {
                why = score.error().message;
            } else if (score->unansweredCount > 0 || score->notAskedCount > 0) {
                why = "a re-assessment answers every question of the checklist (yes, no or don't know). Answer them all and save again.";
            } else if (!stated.computed || *stated.computed != score->computed || stated.yesCount != score->yesCount) {
                why = "the re-assessment's grade does not match its answers: they give "
                      + std::string(toString(score->computed)) + " (" + std::to_string(score->yesCount)
                      + " yes). Assess again on this device.";
            } else if (stated.judgement.grade) {
                if (Status grade = checkOfficerGrade(score->computed, stated.judgement, "grade"); !grade.ok())
                    why = grade.error().message;
            }
            if (why.empty())
                continue;
            for (const Op* op : list)
                if (!refused.count(op->seq))
                    refused.emplace(op->seq, refuse(*op, why, "grade", "rule_violation"));
        }

        if (refused.empty()) {
            VIGIL_TRY(noteApplied(highestSeqs(ops)));  // nothing broke a rule: the batch as applied is the copy's new state
            if (access) {
                auto found = accessFacts(access->incidents);
                if (!found)
                    return std::move(found).error();
                access->facts = std::move(found).value();
            }
        }
        if (decided)
            decided(refused);
        if (refused.empty())
            return {};
        return dryRun;  // roll back: nothing is kept until the caller applies the accepted ops
    });
    if (!s.ok() && !(s.error() == dryRun))
        return std::move(s).error();
    return refused;
}

}  // namespace vigil::sync
