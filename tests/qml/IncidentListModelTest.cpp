// The home list model under QAbstractItemModelTester: rows, roles, filtering, counts.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QLocale>

#include "bridge/IncidentListModel.h"
#include "bridge/QaQueueModel.h"
#include "bridge/Words.h"
#include "tests/support/RecordsFixture.h"

using vigil::IncidentSummary;
using vigil::LifecycleState;
using vigil::RiskGrade;
using vigil::app::IncidentListModel;
using vigil::app::toRow;

namespace {

IncidentSummary summary(const std::string& id, LifecycleState state, std::optional<RiskGrade> grade, int unsent,
                        bool checklistOnly = false)
{
    IncidentSummary s;
    s.id = id;
    s.state = state;
    s.occurred = "2026-11-20T21:40";
    s.victimInitials = {"AB"};
    if (grade)
        s.grade = vigil::StandingGrade{*grade, checklistOnly};
    s.unsentChanges = unsent;
    if (state == LifecycleState::Returned) {
        s.lastCommand = "return";
        s.lastCommandBy = "sgt.1907";
        s.lastCommandNote = "Add the MERLIN PAC reference";
    }
    return s;
}

std::vector<vigil::app::IncidentRow> rows()
{
    return {toRow(summary("a", LifecycleState::Draft, std::nullopt, 3)),
            toRow(summary("b", LifecycleState::Returned, RiskGrade::High, 0)),
            toRow(summary("c", LifecycleState::Submitted, RiskGrade::Medium, 0)),
            toRow(summary("d", LifecycleState::UnderInvestigation, RiskGrade::Standard, 0))};
}

QVariant roleData(const IncidentListModel& model, int row, IncidentListModel::Role role)
{
    return model.data(model.index(row, 0), role);
}

}  // namespace

TEST_CASE("The home list shows initials, grade, status, sync state and the supervisor's notes", "[app]")
{
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRows(rows());
    REQUIRE(model.rowCount() == 4);
    CHECK(roleData(model, 0, IncidentListModel::InitialsRole).toString() == QStringLiteral("AB"));
    CHECK(roleData(model, 0, IncidentListModel::GradeLabelRole).toString() == QStringLiteral("Not graded"));
    CHECK(roleData(model, 0, IncidentListModel::SyncLabelRole).toString().startsWith(QStringLiteral("Not sent")));
    CHECK(roleData(model, 1, IncidentListModel::GradeRole).toString() == QStringLiteral("high"));
    CHECK(roleData(model, 1, IncidentListModel::StateLabelRole).toString() == QStringLiteral("Returned to you"));
    CHECK(roleData(model, 1, IncidentListModel::ReviewNoteRole).toString() == QStringLiteral("Add the MERLIN PAC reference"));
    CHECK(roleData(model, 1, IncidentListModel::SyncLabelRole).toString() == QStringLiteral("Sent"));
    CHECK(roleData(model, 3, IncidentListModel::GroupRole).toString() == QStringLiteral("approved"));
    CHECK(model.roleNames().value(IncidentListModel::InitialsRole) == "initials");

    // A draft nobody has graded, its checklist at 14 Yes: the band, said to be the checklist's.
    IncidentListModel ungraded;
    ungraded.setRows({toRow(summary("e", LifecycleState::Draft, RiskGrade::High, 5, true))});
    CHECK(roleData(ungraded, 0, IncidentListModel::GradeRole).toString() == QStringLiteral("high"));
    CHECK(roleData(ungraded, 0, IncidentListModel::GradeLabelRole).toString() == QStringLiteral("Checklist: High"));
}

TEST_CASE("Filtering the home list by group keeps the counts of every group", "[app]")
{
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRows(rows());
    model.setFilter(QStringLiteral("returned"));
    REQUIRE(model.rowCount() == 1);
    CHECK(roleData(model, 0, IncidentListModel::IdRole).toString() == QStringLiteral("b"));
    CHECK(model.totalCount() == 4);
    CHECK(model.draftCount() == 1);
    CHECK(model.returnedCount() == 1);
    CHECK(model.approvedCount() == 1);
    model.setRows(rows());  // a refresh keeps the filter
    CHECK(model.rowCount() == 1);
    model.setFilter(QString());
    CHECK(model.rowCount() == 4);
    model.clear();
    CHECK(model.rowCount() == 0);
    CHECK(model.totalCount() == 0);
}

TEST_CASE("The tabs count every incident in the store, not only the newest rows listed", "[app]")
{
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto counts = vigil::app::groupCounts({{LifecycleState::Draft, 40},
                                                 {LifecycleState::Returned, 2},
                                                 {LifecycleState::Submitted, 5},
                                                 {LifecycleState::Approved, 3},
                                                 {LifecycleState::UnderInvestigation, 4},
                                                 {LifecycleState::Closed, 1}});
    model.setRows(rows(), counts);
    CHECK(model.rowCount() == 4);
    CHECK(model.totalCount() == 55);
    CHECK(model.draftCount() == 40);
    CHECK(model.returnedCount() == 2);
    CHECK(model.submittedCount() == 5);
    CHECK(model.approvedCount() == 7);  // approved and under investigation are one tab
    model.setFilter(QStringLiteral("draft"));
    CHECK(model.rowCount() == 1);
    CHECK(model.draftCount() == 40);
}

TEST_CASE("The home list read from a real store: each tab's newest rows and every group's count", "[app]")
{
    vigil::test::RecordsFixture f;
    vigil::IncidentRepository repo(*f.records);
    std::vector<std::string> ids;
    for (const char* date : {"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"}) {
        vigil::Incident draft;
        draft.date = date;
        auto created = repo.createDraft(f.officer, draft);
        REQUIRE(created.ok());
        ids.push_back(created->id);
    }
    // Two submitted last: the newest two of all hold no draft.
    REQUIRE(repo.transition(f.officer, ids[0], LifecycleState::Submitted, "submit", "").ok());
    REQUIRE(repo.transition(f.officer, ids[1], LifecycleState::Submitted, "submit", "").ok());
    auto home = vigil::app::readHomeList(repo, nullptr, 2);
    REQUIRE(home.ok());
    const auto listed = [&] {
        std::vector<std::string> out;
        for (const auto& r : home->rows)
            out.push_back(r.id.toStdString());
        return out;
    };
    // The two submitted, then the drafts tab's newest two, newest first; the two oldest drafts
    // are counted but not listed.
    CHECK(listed() == std::vector<std::string>{ids[1], ids[0], ids[5], ids[4]});
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRows(home->rows, home->counts);
    CHECK(model.rowCount() == 4);
    CHECK(model.totalCount() == 6);
    CHECK(model.notListedCount() == 2);
    CHECK(model.draftCount() == 4);
    CHECK(model.submittedCount() == 2);
    model.setFilter(QStringLiteral("draft"));
    CHECK(model.rowCount() == 2);
    CHECK(model.notListedCount() == 2);
    model.setFilter(QStringLiteral("submitted"));
    CHECK(model.rowCount() == 2);
    CHECK(model.notListedCount() == 0);

    // Before, the drafts tab listed only drafts among the newest of all: none here. Now the
    // newest 500 of each group: every draft.
    home = vigil::app::readHomeList(repo, nullptr);
    REQUIRE(home.ok());
    CHECK(home->rows.size() == 6);
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}

TEST_CASE("Dates, states and references are shown in words, in the user's locale", "[app][words]")
{
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    CHECK(vigil::app::dateTimeWords(QStringLiteral("2026-12-06T17:33")) == QStringLiteral("06/12/2026 17:33"));
    CHECK(vigil::app::dateTimeWords(QStringLiteral("2026-12-06")) == QStringLiteral("06/12/2026"));
    CHECK(vigil::app::dateTimeWords(QStringLiteral("last Tuesday")) == QStringLiteral("last Tuesday"));  // as typed
    const QString readBack = vigil::app::dateTimeReadBack(QStringLiteral("2026-12-06T17:33"));
    CHECK(readBack.contains(QStringLiteral("6 December 2026")));
    CHECK(readBack.contains(QStringLiteral("17:33")));
    CHECK(vigil::app::dateTimeReadBack(QStringLiteral("2026-13-01")).isEmpty());
    CHECK(vigil::app::stateWords(QStringLiteral("submitted")) == QStringLiteral("Submitted for review"));
    CHECK(vigil::app::stateWords(QStringLiteral("returned")) == QStringLiteral("Returned to you"));
    CHECK(vigil::app::stateWords(QStringLiteral("returned"), vigil::app::StateReader::Supervisor)
          == QStringLiteral("Returned to the officer"));
    CHECK(vigil::app::shortReference(QStringLiteral("3f9a2c1e-0000-4000-8000-000000000001")) == QStringLiteral("V-3F9A2C"));
    QLocale::setDefault(before);
}

TEST_CASE("The QA queue model shows its rows in queue order and narrows them by grade, team, officer and reference",
          "[app][desk]")
{
    const qint64 now = 1'790'000'000'000;
    vigil::app::QaQueueModel model(nullptr, nullptr, nullptr, [now] { return now; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto row = [&](const std::string& id, RiskGrade standing, const std::string& team, const std::string& officer,
                         const std::string& cad, qint64 waitedMs) {
        vigil::QaRow r;
        r.id = id;
        r.standing = standing;
        r.computed = standing;
        r.officerGrade = standing;
        r.team = team;
        r.officer = officer;
        r.cad = cad;
        r.initials = {"AB"};
        r.submittedAtMs = now - waitedMs;
        return r;
    };
    model.setRows({row("aaaaaa01-0000", RiskGrade::High, "north", "pc.1", "1234/12MAR10", 3 * 3600 * 1000 + 20 * 60000),
                   row("bbbbbb02-0000", RiskGrade::Medium, "south", "pc.2", "5678/13MAR10", 50 * 60000),
                   row("cccccc03-0000", RiskGrade::Standard, "north", "pc.2", "", 4LL * 86400 * 1000)});
    REQUIRE(model.rowCount() == 3);
    CHECK(model.totalCount() == 3);
    CHECK(model.highCount() == 1);
    const auto at = [&](int r, int role) { return model.data(model.index(r, 0), role); };
    CHECK(at(0, vigil::app::QaQueueModel::StandingRole).toString() == QStringLiteral("high"));
    CHECK(at(0, vigil::app::QaQueueModel::ReferenceRole).toString() == QStringLiteral("V-AAAAAA"));
    CHECK(at(0, vigil::app::QaQueueModel::WaitingRole).toString() == QStringLiteral("3 h 20 min"));
    CHECK(at(2, vigil::app::QaQueueModel::WaitingRole).toString().contains(QStringLiteral("4")));
    CHECK(model.teams() == QStringList{QStringLiteral("north"), QStringLiteral("south")});
    CHECK(model.officers() == QStringList{QStringLiteral("pc.1"), QStringLiteral("pc.2")});

    model.setGrade(QStringLiteral("high"));
    REQUIRE(model.rowCount() == 1);
    CHECK(model.idAt(0) == QStringLiteral("aaaaaa01-0000"));
    model.setGrade({});
    model.setTeam(QStringLiteral("north"));
    CHECK(model.rowCount() == 2);
    model.setOfficer(QStringLiteral("pc.2"));
    REQUIRE(model.rowCount() == 1);
    CHECK(model.idAt(0) == QStringLiteral("cccccc03-0000"));
    model.setTeam({});
    model.setOfficer({});
    model.setFind(QStringLiteral("5678"));
    REQUIRE(model.rowCount() == 1);
    CHECK(model.idAt(0) == QStringLiteral("bbbbbb02-0000"));
    model.setFind(QStringLiteral("v-cccc"));  // Vigil's short reference finds it too
    REQUIRE(model.rowCount() == 1);
    CHECK(model.idAt(0) == QStringLiteral("cccccc03-0000"));
    model.setFind({});
    CHECK(model.rowCount() == 3);
}
