// The daily risk meeting's bridge (RiskMeetingModel): its two lists under
// QAbstractItemModelTester, set directly and read from a real store on the worker thread, and
// the meeting sheet written as a PDF (private to its owner, initials only, restricted records
// withheld, its disclosure in the audit log). Its own runner: QPdfWriter and QTextDocument need
// a QGuiApplication, the other app tests run under a QCoreApplication.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QLocale>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtPlugin>
#include <QtQml/qqmlextensionplugin.h>

#include "bridge/RecordsAccess.h"
#include "bridge/RiskMeetingModel.h"
#include "bridge/StoreWorker.h"
#include "core/records/IncidentRepository.h"
#include "tests/support/RecordsFixture.h"
#include "tests/support/TempDir.h"

Q_IMPORT_QML_PLUGIN(VigilPlugin)

using namespace vigil;
using vigil::app::RiskMeetingListModel;
using vigil::app::RiskMeetingModel;

namespace {

bool waitUntil(const std::function<bool()>& done, int timeoutMs = 10000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return true;
}

/// The app's access, over a real unlocked store in a temporary folder, signed in as a sergeant.
class StoreAccess final : public app::RecordsAccess {
public:
    explicit StoreAccess(test::RecordsFixture& fixture) : m_fixture(fixture) {}
    Status withRecords(const std::function<Status(RecordStore&)>& work) override { return work(*m_fixture.records); }
    [[nodiscard]] Actor actor() const override { return Actor{"ds.1907", "quality assurance"}; }
    [[nodiscard]] Role role() const override { return Role::Supervisor; }
    [[nodiscard]] HistorySource historySource() const override { return {}; }
    void changed() override {}

private:
    test::RecordsFixture& m_fixture;
};

// 2026-11-23 09:00 UTC: the meeting.
constexpr qint64 kNowMs = 1'795'424'400'000;
constexpr std::chrono::sys_seconds kNow{std::chrono::seconds{kNowMs / 1000}};

MeetingRow row(const std::string& id, const std::string& occurred, qint64 atMs)
{
    MeetingRow r;
    r.id = id;
    r.state = LifecycleState::Submitted;
    r.officer = "pc.1042";
    r.team = "north";
    r.occurred = occurred;
    r.cad = "1234/22NOV26";
    r.victims = {MeetingVictim{"EF", RiskGrade::High}, MeetingVictim{"GH", RiskGrade::Standard}};
    r.computed = RiskGrade::Medium;
    r.officerGrade = RiskGrade::High;
    r.standing = RiskGrade::High;
    r.maracCriteria = 2;
    r.children = 1;
    r.hbv = true;
    r.atMs = atMs;
    return r;
}

RiskMeeting sample()
{
    RiskMeeting m;
    m.now = kNow;
    m.from = kNow - std::chrono::hours(24);
    m.highRisk = {row("aaaaaa01-0000", "2026-11-22T10:00", kNowMs - 23LL * 3600 * 1000),
                  row("bbbbbb02-0000", "2026-11-23T08:00", kNowMs - 3600 * 1000)};
    MeetingRow restricted = row("cccccc03-0000", "2026-11-23T08:30", kNowMs - 1800 * 1000);
    restricted.restricted = true;
    restricted.victims = {MeetingVictim{"RX", RiskGrade::High}};
    restricted.officer = "pc.9999";
    restricted.cad = "9999/23NOV26";
    m.highRisk.push_back(restricted);
    MeetingRow suspect = row("dddddd04-0000", "2026-11-19", kNowMs - 4LL * 86400 * 1000 - 9 * 3600 * 1000);
    suspect.arrestMade = false;
    suspect.noArrestJustification = false;
    suspect.suspects = 1;
    suspect.standing = RiskGrade::Medium;
    m.suspects = {suspect};
    return m;
}

std::string head(const QString& path, std::size_t bytes)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::string out(bytes, '\0');
    in.read(out.data(), static_cast<std::streamsize>(bytes));
    out.resize(static_cast<std::size_t>(in.gcount()));
    return out;
}

/// An item below `item` by objectName, through the visual tree (a ListView's delegates are not
/// its QObject children).
QQuickItem* findItem(QQuickItem* item, const QString& name)
{
    if (item->objectName() == name)
        return item;
    for (QQuickItem* child : item->childItems()) {
        if (QQuickItem* found = findItem(child, name))
            return found;
    }
    return nullptr;
}

std::filesystem::perms permsOf(const QString& path)
{
    return std::filesystem::status(path.toStdString()).permissions() & std::filesystem::perms::all;
}

}  // namespace

TEST_CASE("The meeting model shows both lists in the core's order, with initials, grades and how long", "[app][meeting]")
{
    RiskMeetingModel model(nullptr, nullptr, nullptr, [] { return kNowMs; });
    QAbstractItemModelTester highTester(model.highRisk(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester suspectTester(model.suspects(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &RiskMeetingModel::rowsChanged);
    CHECK_FALSE(model.ready());
    CHECK_FALSE(model.writePdf(QStringLiteral("/tmp/never.pdf")).isEmpty());  // nothing read yet

    model.setMeeting(sample(), QStringLiteral("last synced 08:55"), QStringLiteral("ds.1907"));
    CHECK(changed.count() == 1);
    CHECK(model.ready());
    CHECK(model.highCount() == 3);
    CHECK(model.suspectCount() == 1);
    CHECK(model.title().contains(QStringLiteral("Daily risk management meeting")));
    CHECK(model.scope().contains(QStringLiteral("last synced 08:55")));
    CHECK(model.scope().contains(QStringLiteral("24 hours")));

    RiskMeetingListModel& high = *model.highRisk();
    const auto at = [](RiskMeetingListModel& list, int r, int role) { return list.data(list.index(r, 0), role); };
    CHECK(high.idAt(0) == QStringLiteral("aaaaaa01-0000"));
    CHECK(high.idAt(3).isEmpty());
    CHECK(at(high, 0, RiskMeetingListModel::ReferenceRole).toString() == QStringLiteral("V-AAAAAA"));
    CHECK(at(high, 0, RiskMeetingListModel::InitialsRole).toString() == QStringLiteral("EF, GH"));
    CHECK(at(high, 0, RiskMeetingListModel::VictimsRole).toString() == QStringLiteral("EF High, GH Standard"));
    CHECK(at(high, 0, RiskMeetingListModel::StandingRole).toString() == QStringLiteral("high"));
    CHECK(at(high, 0, RiskMeetingListModel::BandRole).toString() == QStringLiteral("medium"));
    CHECK(at(high, 0, RiskMeetingListModel::SupervisorGradeRole).toString().isEmpty());
    CHECK(at(high, 0, RiskMeetingListModel::MaracRole).toInt() == 2);
    CHECK(at(high, 0, RiskMeetingListModel::HbvFmRole).toBool());
    CHECK(at(high, 0, RiskMeetingListModel::SinceRole).toString() == QStringLiteral("23 h 0 min"));
    CHECK(at(high, 0, RiskMeetingListModel::StateRole).toString() == QStringLiteral("Submitted for review"));
    CHECK(at(high, 0, RiskMeetingListModel::OccurredRole).toString().contains(QStringLiteral("2026")));
    CHECK(at(high, 2, RiskMeetingListModel::RestrictedRole).toBool());
    const QHash<int, QByteArray> roles = high.roleNames();
    CHECK(roles.value(RiskMeetingListModel::IdRole) == "incidentId");
    CHECK(roles.value(RiskMeetingListModel::JustificationRole) == "justificationGiven");

    RiskMeetingListModel& suspects = *model.suspects();
    CHECK(at(suspects, 0, RiskMeetingListModel::SinceRole).toString() == QStringLiteral("4 days"));
    CHECK(at(suspects, 0, RiskMeetingListModel::ArrestRole).toString() == QStringLiteral("No"));
    CHECK_FALSE(at(suspects, 0, RiskMeetingListModel::JustificationRole).toBool());

    model.clear();
    CHECK_FALSE(model.ready());
    CHECK(model.highCount() == 0);
    CHECK(model.suspectCount() == 0);
}

TEST_CASE("The meeting sheet is a PDF for its owner only, with initials and references, restricted records withheld",
          "[app][meeting][pdf]")
{
    RiskMeetingModel model(nullptr, nullptr, nullptr, [] { return kNowMs; });
    model.setMeeting(sample(), QStringLiteral("last synced 08:55"), QStringLiteral("ds.1907"));

    const QString html = model.sheetHtml();
    CHECK(html.contains(QStringLiteral("OFFICIAL-SENSITIVE")));
    CHECK(html.contains(QStringLiteral("V-AAAAAA")));
    CHECK(html.contains(QStringLiteral("EF High, GH Standard")));
    CHECK(html.contains(QStringLiteral("CAD 1234/22NOV26")));
    CHECK(html.contains(QStringLiteral("Generated by ds.1907")));
    CHECK(html.contains(QStringLiteral("V-CCCCCC")));         // the restricted record's reference stays
    CHECK_FALSE(html.contains(QStringLiteral("RX High")));    // its victims do not
    CHECK_FALSE(html.contains(QStringLiteral("pc.9999")));    // nor who recorded it
    CHECK(html.contains(QStringLiteral("CAD 9999/23NOV26")));  // its references do
    CHECK(html.contains(QStringLiteral("details withheld")));
    CHECK(html.contains(QStringLiteral("Not written")));      // the suspect's missing reason for no arrest

    test::TempDir dir{"vigil-meeting"};
    const QString path = QString::fromStdString((dir / "risk-meeting.pdf").string());
    REQUIRE(model.writePdf(path).isEmpty());
    CHECK(head(path, 5) == "%PDF-");
    CHECK(QFile(path).size() > 1000);
    CHECK(permsOf(path) == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    // A file already there, readable by everyone, is made private before the sheet goes in.
    const QString existing = QString::fromStdString((dir / "old.pdf").string());
    {
        std::ofstream(existing.toStdString()) << "old";
    }
    std::filesystem::permissions(existing.toStdString(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write
                                                             | std::filesystem::perms::group_read
                                                             | std::filesystem::perms::others_read);
    REQUIRE(model.writePdf(existing).isEmpty());
    CHECK(head(existing, 5) == "%PDF-");
    CHECK(permsOf(existing) == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("Saving the meeting sheet where it cannot be written says why and what to do", "[app][meeting][pdf]")
{
    RiskMeetingModel model(nullptr, nullptr, nullptr, [] { return kNowMs; });
    model.setMeeting(sample(), {}, QStringLiteral("ds.1907"));
    test::TempDir dir{"vigil-meeting"};
    const std::string file = (dir / "a-file").string();
    {
        std::ofstream(file) << "not a folder";
    }

    // Under a file (refused even to root, who may write anywhere else).
    const QString underFile = model.writePdf(QString::fromStdString(file + "/risk-meeting.pdf"));
    CHECK(underFile.contains(QStringLiteral("not a folder")));
    CHECK(underFile.contains(QStringLiteral("choose another folder")));
    const QString missing = model.writePdf(QString::fromStdString((dir / "no-such-folder" / "x.pdf").string()));
    CHECK(missing.contains(QStringLiteral("no-such-folder")));
    const QString folder = model.writePdf(QString::fromStdString(dir.path().string()));
    CHECK(folder.contains(QStringLiteral("is a folder")));
    CHECK_FALSE(model.writePdf(QStringLiteral("  ")).isEmpty());
    // A read-only file system: /proc refuses every writer.
    const QString readOnly = model.writePdf(QStringLiteral("/proc/risk-meeting.pdf"));
    CHECK(readOnly.contains(QStringLiteral("could not write")));
    CHECK(readOnly.contains(QStringLiteral("Documents")));
}

TEST_CASE("The sheet is suggested in the Documents folder under the meeting's date", "[app][meeting][pdf]")
{
    RiskMeetingModel model(nullptr, nullptr, nullptr, [] { return kNowMs; });
    const QString path = model.defaultPdfPath();
    CHECK(path.endsWith(QStringLiteral("/risk-meeting-2026-11-23.pdf")));
}

TEST_CASE("The meeting is read from a real store on the worker, and saving its sheet is logged as a disclosure",
          "[app][meeting]")
{
    test::RecordsFixture store;
    IncidentRepository repo(*store.records);
    const auto make = [&](const std::string& name, const std::string& date, std::optional<RiskGrade> grade,
                          std::optional<bool> arrest) {
        Incident draft;
        draft.owner = store.officer.userId;
        draft.team = "north";
        draft.date = date;
        auto made = repo.createDraft(store.officer, draft);
        REQUIRE(made.ok());
        Incident incident = *made;
        Victim v;
        v.person.name = name;
        v.officerGrade.grade = grade;
        v.officerGrade.reason = "professional judgement";
        incident.victims.push_back(v);
        incident.positiveAction.powerOfArrest = arrest.has_value();
        incident.positiveAction.arrestMade = arrest;
        REQUIRE(repo.save(store.officer, incident).ok());
        REQUIRE(repo.transition(store.officer, incident.id, LifecycleState::Submitted, "submit", "").ok());
        return incident.id;
    };
    const std::string high = make("Erin Ford", "2026-11-23T07:00", RiskGrade::High, std::nullopt);
    const std::string old = make("Alice Brown", "2026-11-20T07:00", RiskGrade::High, std::nullopt);
    const std::string suspect = make("Bea Cole", "2026-11-02T07:00", RiskGrade::Standard, false);

    StoreAccess access{store};
    app::StoreWorker worker;
    {
        const qint64 now = std::chrono::duration_cast<std::chrono::milliseconds>(store.time.now.time_since_epoch()).count();
        RiskMeetingModel model(&worker, &access, nullptr, [now] { return now; });
        QAbstractItemModelTester highTester(model.highRisk(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester suspectTester(model.suspects(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.refresh();
        REQUIRE(waitUntil([&] { return model.ready() && !model.loading(); }));
        INFO(model.message().toStdString());
        CHECK(model.message().isEmpty());
        REQUIRE(model.highCount() == 1);
        CHECK(model.highRisk()->idAt(0) == QString::fromStdString(high));
        REQUIRE(model.suspectCount() == 1);
        CHECK(model.suspects()->idAt(0) == QString::fromStdString(suspect));
        CHECK(model.highRisk()->data(model.highRisk()->index(0, 0), RiskMeetingListModel::InitialsRole).toString()
              == QStringLiteral("EF"));
        CHECK(model.scope().contains(QStringLiteral("never synced")));

        test::TempDir dir{"vigil-meeting"};
        REQUIRE(model.writePdf(QString::fromStdString((dir / "sheet.pdf").string())).isEmpty());
        bool logged = false;
        bool oldLogged = true;
        bool read = false;
        worker.post([&] {
            auto entries = store.records->auditLog().forRecord(high);
            for (const auto& e : entries.value())
                logged = logged
                         || (e.action == AuditAction::Disclosure && e.actor == "ds.1907"
                             && e.recipients == std::vector<std::string>{"daily risk management meeting"}
                             && e.detail.find("sheet.pdf") != std::string::npos);
            oldLogged = false;
            for (const auto& e : store.records->auditLog().forRecord(old).value())
                oldLogged = oldLogged || e.action == AuditAction::Disclosure;
            read = true;
        });
        REQUIRE(waitUntil([&] { return read; }));
        CHECK(logged);
        CHECK_FALSE(oldLogged);  // not on the sheet, not disclosed
        CHECK(model.message().isEmpty());
    }
    worker.shutdown();
}

TEST_CASE("The meeting view puts the lists side by side on a desk screen and stacks them when narrow, and a tap opens the 124D",
          "[app][meeting][qml]")
{
    RiskMeetingModel model(nullptr, nullptr, nullptr, [] { return kNowMs; });
    model.setMeeting(sample(), QStringLiteral("last synced 08:55"), QStringLiteral("ds.1907"));
    QQuickView view;
    view.engine()->addImportPath(QStringLiteral("qrc:/"));
    view.setInitialProperties({{QStringLiteral("meeting"), QVariant::fromValue(&model)}});
    view.setResizeMode(QQuickView::SizeRootObjectToView);
    view.resize(1280, 800);
    view.setSource(QUrl(QStringLiteral("qrc:/Vigil/components/RiskMeetingView.qml")));
    for (const QQmlError& e : view.errors())
        UNSCOPED_INFO(e.toString().toStdString());
    REQUIRE(view.status() == QQuickView::Ready);
    view.show();
    REQUIRE(waitUntil([&] { return view.isExposed(); }));
    QQuickItem* root = view.rootObject();
    REQUIRE(root != nullptr);
    const auto rect = [&](const char* name) {
        QQuickItem* item = findItem(root, QString::fromLatin1(name));
        return item ? QRectF(item->mapToScene({0, 0}), item->size()) : QRectF();
    };
    const auto settled = [&](const std::function<bool()>& check) {
        return waitUntil([&] { return findItem(root, QStringLiteral("highRiskRow_0")) && check(); }, 3000);
    };

    // 1280x800: side by side, each about half, the suspects to the right, all inside the window.
    CHECK(settled([&] { return rect("suspectList").left() > rect("highRiskList").right(); }));
    CHECK(rect("highRiskList").width() > 500);
    CHECK(rect("suspectList").right() <= 1280);
    CHECK(rect("suspectList").bottom() <= 800 + 1);
    CHECK(findItem(root, QStringLiteral("highRiskRow_2")) != nullptr);
    CHECK(findItem(root, QStringLiteral("suspectRow_0")) != nullptr);

    // Narrow (a portrait tablet): one above the other, full width.
    view.resize(800, 1280);
    CHECK(settled([&] { return rect("suspectList").top() > rect("highRiskList").bottom(); }));
    CHECK(rect("suspectList").width() > 700);
    CHECK(rect("suspectList").bottom() <= 1280 + 1);  // within half a pixel of rounding

    // "Save as PDF" writes the sheet where defaultPdfPath says and tells the user where.
    test::TempDir home{"vigil-home"};
    const QByteArray oldHome = qgetenv("HOME");
    qputenv("HOME", QByteArray::fromStdString(home.path().string()));
    REQUIRE(QMetaObject::invokeMethod(root, "savePdf"));
    qputenv("HOME", oldHome);
    CHECK_FALSE(root->property("pdfFailed").toBool());
    const QString saved = root->property("pdfResult").toString();
    CHECK(saved.startsWith(QStringLiteral("Saved the meeting sheet to ")));
    const std::string sheet = saved.section(QLatin1Char(' '), 5, 5).chopped(1).toStdString();  // the path, without its comma
    CHECK(sheet.rfind(home.path().string(), 0) == 0);
    CHECK(head(QString::fromStdString(sheet), 5) == "%PDF-");

    QSignalSpy opened(root, SIGNAL(openIncident(QString)));
    QQuickItem* suspect = findItem(root, QStringLiteral("suspectRow_0"));
    REQUIRE(suspect != nullptr);
    QMetaObject::invokeMethod(suspect, "clicked");
    REQUIRE(opened.count() == 1);
    CHECK(opened.at(0).at(0).toString() == QStringLiteral("dddddd04-0000"));
}

int main(int argc, char** argv)
{
    // No display is needed, and none is there when catch_discover_tests lists the tests at build
    // time (without the test's environment): a QGuiApplication would abort and list nothing.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // never the real Documents folder
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    return Catch::Session().run(argc, argv);
}
