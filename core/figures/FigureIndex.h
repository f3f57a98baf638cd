#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace vigil {

class Database;
struct RecordRow;

/// The facts the figures count, kept beside the records in three small derived tables (device
/// schema: figure_incident, figure_person, figure_event), so a borough-year's figures are a
/// few indexed reads of short columns, not a parse of every row's JSON (issue 25: 100,000
/// incidents in under 250 ms). Derived like incident_index: written in the transaction that
/// saves the row (locally, from a pull or a snapshot), removed with it, and derived again from
/// the rows when a store's derivation is older than this code (store_meta "figure_index").
namespace figure_index {

/// This code's derivation; a store whose "figure_index" differs is derived again when opened.
/// 2: the crime's outcome (issue 25: columns outcome and court_result, device schema step 19;
/// facts ArrestLater and DaHomicide).
/// 3: the times the Victims' Code, repeat MARAC and review figures count from (table figure_clock,
/// device schema step 21): contacts and victims' case rows are indexed too.
/// 4: the incident's people packed on its row, the incident's date on its events (device schema
/// step 22: a period read as one range of an index in date order).
/// 5: the review clock packed on the incident's row with when it took its state (device schema
/// step 23: the investigations open at a moment read as one range of an index).
/// 6: the incident's borough on its events, its Victims' Code clock packed on its row
/// (device schema step 24: the figures read a borough at a time).
inline constexpr const char* kVersion = "6";

/// Keep the facts of one saved row (incident, person, case_event, feedback_form, supervision,
/// case, contact; other kinds are ignored), or forget them when the row is deleted. An incident's
/// row needs its creation stamp and its stamps (when it was started and took its state).
[[nodiscard]] Status indexRow(Database& db, const RecordRow& row);

/// Forget the facts of an incident and everything under it (its rows are built again).
[[nodiscard]] Status dropIncident(Database& db, const std::string& incidentId);

/// Work out again how long after the nearest earlier MARAC referral of the same person
/// (matchPersons) on another received 124D each referral under `names` came (all names when null):
/// figure_marac.gap, in days (NULL: none earlier), so a repeat referral within any window is a
/// range of one index, not a match at read time (issue 25: repeat MARAC).
/// The incidents of the referrals whose gap changed are added to `changedIncidents` (their
/// people, packed with the gaps, are to be packed again).
[[nodiscard]] Status refreshMaracGaps(Database& db, const std::set<std::string>* names,
                                      std::set<std::string>* changedIncidents = nullptr);

/// Pack again the people of every incident with a MARAC referral (device schema step 28: the
/// packs gained the referral's gap).
[[nodiscard]] Status repackReferredPeople(Database& db);

/// Pack every incident's people, review clock and Victims' Code clock again from the derived
/// rows (figure_person, figure_marac, figure_clock), and drop every kept month and day.
[[nodiscard]] Status repack(Database& db);

/// Derive every fact again from the live rows (in the caller's transaction).
[[nodiscard]] Status rebuild(Database& db);

/// figure_incident.people: the incident's victims, suspects and children, each as its fields
/// separated by kField, one after another separated by kPerson, in no set order. A person's
/// fields, in order: role, ordinal, date of birth, then the recorded age band, gender,
/// ethnicity, disability, religion and sexual orientation, then the standing grade, 1 or 0
/// for a MARAC referral that stands (as in figure_person), the referral's figure_marac.gap ("" for
/// none), and the person row's id (always last). A pack written before device schema step 28 has
/// no gap (kPersonFields - 1 fields).
inline constexpr char kPerson = '\x1e';
inline constexpr char kField = '\x1f';
inline constexpr std::size_t kPersonFields = 13;

/// figure_incident.review: the incident's figure_clock rows of kinds started, state, allocated
/// and supervision, each as kind, at and detail separated by kField, one after another separated
/// by kPerson, in no set order (figure_incident.state_at: the "state" row's at).
/// figure_incident.code: its rows of kinds started, report, consent, case_event and contact, each
/// as kind, case id, at, detail and row id separated by kField, separated by kPerson, in no set
/// order (figure_incident.code_last: the latest at of those but its contacts; code_first: the
/// earliest, so a change to them drops the kept Victims' Code days from then on).

/// The states of a 124D received (submitted at least once; never a draft), as an SQL list for
/// `state IN (...)`: the figures count these only.
inline constexpr const char* kReceivedStates = "('submitted', 'returned', 'approved', 'under_investigation', 'closed')";

/// Bits of figure_incident.facts.
enum Fact : int {
    Crime = 1 << 0,
    SeriousSexualOffence = 1 << 1,
    RepeatVictim = 1 << 2,
    HbvOrForcedMarriage = 1 << 3,
    PowerOfArrest = 1 << 4,
    ArrestAtScene = 1 << 5,
    Cad = 1 << 6,
    Cris = 1 << 7,
    Crimint = 1 << 8,
    Merlin = 1 << 9,
    ArrestLater = 1 << 10,  ///< outcome.arrested_later (an arrest logged in a case is a figure_event)
    DaHomicide = 1 << 11,   ///< outcome.da_homicide
};

/// The kinds of figure_clock rows (each `at` an ISO 8601 UTC time to the second, so they compare
/// as text): an incident's "started" (its row's creation), "state" (detail: the state; at: when it
/// took it) and "allocated"; a supervision log entry, "supervision" (detail "qa:approved",
/// "review:inspector", "final:closed"); a victim's case, "report" (when the case counts the report
/// from) and "consent" (detail "given" or "refused"); under a case, "case_event" (detail: its
/// kind) and "contact" (detail: its outcome, then ";" and its duties joined by ",").
inline constexpr std::string_view kStarted = "started";
inline constexpr std::string_view kState = "state";
inline constexpr std::string_view kAllocated = "allocated";
inline constexpr std::string_view kSupervision = "supervision";
inline constexpr std::string_view kReport = "report";
inline constexpr std::string_view kConsent = "consent";
inline constexpr std::string_view kCaseEvent = "case_event";
inline constexpr std::string_view kContact = "contact";

}  // namespace figure_index
}  // namespace vigil
