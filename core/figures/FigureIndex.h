#pragma once

#include <cstddef>

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
/// 3: the incident's people packed on its row, the incident's date on its events (device schema
/// step 21: a period read as one range of an index in date order).
inline constexpr const char* kVersion = "3";

/// Keep the facts of one saved row (incident, person, case_event, feedback_form, supervision;
/// other kinds are ignored), or forget them when the row is deleted.
[[nodiscard]] Status indexRow(Database& db, const RecordRow& row);

/// Forget the facts of an incident and everything under it (its rows are built again).
[[nodiscard]] Status dropIncident(Database& db, const std::string& incidentId);

/// Derive every fact again from the live rows (in the caller's transaction).
[[nodiscard]] Status rebuild(Database& db);

/// figure_incident.people: the incident's victims, suspects and children, each as its fields
/// separated by kField, one after another separated by kPerson, in no set order. A person's
/// fields, in order: role, ordinal, date of birth, then the recorded age band, gender,
/// ethnicity, disability, religion and sexual orientation, then the standing grade and 1 or 0
/// for a MARAC referral that stands (as in figure_person).
inline constexpr char kPerson = '\x1e';
inline constexpr char kField = '\x1f';
inline constexpr std::size_t kPersonFields = 11;

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

}  // namespace figure_index
}  // namespace vigil
