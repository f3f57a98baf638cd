#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/records/FieldPaths.h"
#include "core/records/RecordStore.h"
#include "core/risk/History.h"
#include "core/risk/RiskScorer.h"

namespace vigil {

/// A line on the officer's home screen: no names, initials only.
struct IncidentSummary {
    std::string id;
    LifecycleState state = LifecycleState::Draft;
    std::string occurred;                  ///< the incident date as typed
    std::vector<std::string> victimInitials;
    /// The grade the record stands at: of its victims' standingGrade, the highest (a decided
    /// one before the checklist's alone). Without risk models, decisions only.
    std::optional<StandingGrade> grade;
    std::int64_t unsentChanges = 0;        ///< ops of this incident still in the outbox
    std::string lastCommand;               ///< the last lifecycle command (e.g. "return"), "" if none
    std::string lastCommandBy;             ///< who gave it
    std::string lastCommandNote;           ///< its note: the supervisor's QA notes on a return
    std::string updatedHlc;                ///< when it last changed (HLC text: orders as the list does)
};

/// One supervision log entry from its stored row.
[[nodiscard]] SupervisionEntry supervisionEntryFromRow(const RecordRow& row);

/// An incident as IncidentRepository::read assembles it, and when its lifecycle state was set.
struct StateIncident {
    Incident incident;
    HlcStamp stateStamp = 0;  ///< the stamp of the state field's last write (0: none)
    std::vector<std::string> victimInitials;  ///< as the home list shows them (IncidentSummary)
};

/// Which part of the newest-first list to read: only incidents in these states (all when
/// empty), after skipping the newest `skip` of them.
struct ListScope {
    std::vector<LifecycleState> states;
    std::size_t skip = 0;
};

/// The 124D aggregate on the device. An Incident is stored as rows: the incident itself,
/// one row per person (victims, suspects, children), one per DASH answer (so two devices
/// editing different answers never collide), one per RARA item and per referral. Each row's
/// fields are the incident's JSON (core/domain/Incident.h) flattened to field paths, so the
/// domain's JSON is the single definition of every field name.
class IncidentRepository {
public:
    explicit IncidentRepository(RecordStore& store) : m_store(store) {}

    /// Start a new draft owned by the actor. Returns the stored incident (with its id).
    [[nodiscard]] Result<Incident> createDraft(const Actor& actor, Incident draft);
    /// Save the whole incident: only changed fields are written (each becomes one op).
    /// Victims, suspects, children, RARA items or referrals no longer present are removed.
    /// Ids are given to new parts, so `incident` is updated in place. Any state saves: a draft
    /// may be invalid. The lifecycle state is never written here (commands only).
    [[nodiscard]] Status save(const Actor& actor, Incident& incident);
    /// Autosave one DASH answer.
    [[nodiscard]] Status saveAnswer(const Actor& actor, const std::string& incidentId, const std::string& victimId,
                                    const std::string& questionId, const Answer& answer);
    /// Clear one DASH answer (back to unanswered).
    [[nodiscard]] Status clearAnswer(const Actor& actor, const std::string& incidentId, const std::string& victimId,
                                     const std::string& questionId);
    /// Open a record: assembles the incident and audits the consultation.
    [[nodiscard]] Result<Incident> load(const Actor& actor, const std::string& incidentId);
    /// Assemble the incident without an audit entry: for code that logs its own access
    /// (the server logs disclosures when it sends records) and for rule checks.
    [[nodiscard]] Result<Incident> read(const std::string& incidentId);

    /// The 124D's supervision log, oldest first (read() fills Incident::supervision with it).
    [[nodiscard]] Result<std::vector<SupervisionEntry>> supervisionOf(const std::string& incidentId);
    /// Allocate the 124D's investigation to an officer in the case (or move it to another):
    /// writes `investigation.*` (who, their name, by whom, when). The caller makes it part of
    /// the allocate command's transaction when the 124D is allocated for the first time.
    [[nodiscard]] Status allocate(const Actor& actor, const std::string& incidentId, Investigation investigation);
    /// Record the crime's outcome (issue 25): writes `outcome.*` (what changed of it), naming the
    /// actor as who recorded it, now. The caller checks it first (validateOutcome) and whether the
    /// user may (the authority policy's `crime-outcome` rule); the server checks both again.
    [[nodiscard]] Status recordOutcome(const Actor& actor, const std::string& incidentId, CrimeOutcome outcome);
    /// Add an entry to the supervision log: a new record of its own, written once (the log is
    /// append-only). `entry.id` is given here; `at` is now when empty. Audited like any record.
    [[nodiscard]] Result<SupervisionEntry> appendSupervision(const Actor& actor, const std::string& incidentId,
                                                             SupervisionEntry entry);

    /// Every live incident in `state`, each as read() assembles it, most recently changed
    /// first: a few reads for all of them (the QA queue reads every submitted 124D). No audit
    /// entry, as read(). The first incident the domain cannot read fails the whole read.
    [[nodiscard]] Result<std::vector<StateIncident>> readAllIn(LifecycleState state);
    /// A lifecycle command (the caller has checked it with the core's Lifecycle rules).
    [[nodiscard]] Status transition(const Actor& actor, const std::string& incidentId, LifecycleState to,
                                    const std::string& command, const std::string& note);
    /// 124Ds with changes not yet accepted by the server (what a wipe would lose).
    [[nodiscard]] Result<std::int64_t> unsentIncidentCount();
    /// Summaries of the `limit` most recently changed incidents, newest first (a few reads
    /// for the whole list, whatever its length or the outbox's). With `models`, each victim's
    /// DASH answers are scored so a draft nobody has graded yet shows the checklist's band,
    /// and an officer's grade below the band (answers changed since) shows the band.
    [[nodiscard]] Result<std::vector<IncidentSummary>> list(std::size_t limit = 200,
                                                            const RiskModelRegistry* models = nullptr,
                                                            const ListScope& scope = {});
    /// The home list: the newest `limit` of each group of states (each group a tab), newest
    /// first, so an old draft or return is never pushed out of its tab by newer records of
    /// other tabs. `counts` are countsByState (read in the same store-thread turn).
    [[nodiscard]] Result<std::vector<IncidentSummary>> listGroups(const std::vector<std::vector<LifecycleState>>& groups,
                                                                  const std::map<LifecycleState, std::int64_t>& counts,
                                                                  std::size_t limit, const RiskModelRegistry* models);
    /// How many live incidents are in each lifecycle state (all of them, not only a list's
    /// `limit`): the home screen's tab counts.
    [[nodiscard]] Result<std::map<LifecycleState, std::int64_t>> countsByState();
    /// A live incident's lifecycle state from the look-up table (no row read); nullopt when
    /// the incident is not here or is removed.
    [[nodiscard]] Result<std::optional<LifecycleState>> stateOf(const std::string& incidentId);

    /// The history of one victim known to this device: earlier incidents where the same
    /// person (core person matching) was a victim, and the MARAC referrals made for them.
    [[nodiscard]] Result<History> historyFor(const Incident& incident, std::size_t victimIndex,
                                             const HistorySource& source);

    /// The history of every victim of the incident, merged (what RuleContext takes).
    [[nodiscard]] Result<History> historyForIncident(const Incident& incident, const HistorySource& source);

    /// The answer row id for a victim and question: the same on every device.
    [[nodiscard]] static std::string answerId(const std::string& victimId, const std::string& questionId);

private:
    /// Drop from `fields` (a save's incident-row fields) those the stored row does not hold
    /// whose value is what the domain reads there anyway (a flag false, a list empty): a change
    /// nobody made. On a 124D only partly synced, writing it would send a default with a newer
    /// stamp than the real value (a restriction) that has not arrived yet.
    /// A disclosure audit entry, naming the recipients, for each referral this save made or
    /// sent to another agency or user (`before`: the referral rows as they were).
    [[nodiscard]] Status auditDisclosures(const Actor& actor, const Incident& incident,
                                          const std::vector<RecordRow>& before);
    [[nodiscard]] Status dropUnheldDefaults(const std::string& incidentId, nlohmann::json& fields);
    /// Upsert every part row given; remove the incident's rows of that kind not given.
    [[nodiscard]] Status syncParts(const Actor& actor, Entity entity, const std::string& incidentId,
                                   const std::vector<std::pair<std::string, nlohmann::json>>& rows);

    RecordStore& m_store;
};

/// A person's initials as every list shows them ("Erin Ford" -> "EF"; "?" for no name): a list
/// names no victim.
[[nodiscard]] std::string personInitials(const std::string& name);

}  // namespace vigil
