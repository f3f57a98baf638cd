// The server's figures and the board report (issue 25), through a real vigil-server on
// 127.0.0.1 (TLS, SQLCipher stores) and real device stores: the server's copy of every record
// keeps the figure tables (and derives them again when they are missing), computeFigures over it
// gives the very numbers a supervisor's device gives for the same records, vigil-admin report
// writes them while the server runs, and an analyst receives figures only, never a record.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/demo/DemoData.h"
#include "core/figures/FigureReport.h"
#include "core/figures/Figures.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"
#include "sync/server/Admin.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "sync/protocol/SnapshotCodec.h"
#include "tests/sync/RawDevice.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::Handset;
using vigil::test::RawDevice;
using vigil::test::ServerProcess;

namespace {

constexpr const char* kFrom = "2025-01-01";
constexpr const char* kTo = "2030-12-31";  // both days included: the demo year and today's QA decisions
constexpr const char* kEnd = "2031-01-01";  // the same period's exclusive end, for computeFigures

/// Synthetic 124Ds of an officer, as the app makes them (drafts and submitted ones).
void demo(Handset& officer, const std::string& user, const std::string& team, const std::string& borough, int n,
          std::uint64_t seed)
{
    auto models = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
    REQUIRE(models.ok());
    auto rules = loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
    REQUIRE(rules.ok());
    DemoOptions options;
    options.incidents = n;
    options.seed = seed;
    options.owner = user;
    options.team = team;
    options.borough = borough;
    IncidentRepository repo = officer.repo();
    auto made = generateDemoData(repo, officer.records(), *models, *rules, options, Actor{user, "test"});
    REQUIRE(made.ok());
    REQUIRE(made->states[LifecycleState::Submitted] > 4);
}

DiversityCategories lists()
{
    return DiversityCategories::loadFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-diversity.json").value();
}

/// Every figure, its denominator and every breakdown the same, figure by figure.
void requireSame(const FigureSet& device, const FigureSet& server)
{
    REQUIRE(device.figures.size() == server.figures.size());
    for (std::size_t i = 0; i < device.figures.size(); ++i) {
        const Figure& d = device.figures[i];
        const Figure& s = server.figures[i];
        INFO("figure " << d.id << ": device " << d.total.count << " of " << d.total.of << ", server " << s.total.count
                       << " of " << s.total.of);
        CHECK(d.id == s.id);
        CHECK(d.over == s.over);
        CHECK(d.total == s.total);
        CHECK(d.breakdowns == s.breakdowns);
    }
}

/// The server's figures for one borough as vigil-admin reads them (running or stopped server).
FigureSet serverFigures(const ServerProcess& server, const std::string& borough, std::string* mode = nullptr)
{
    auto session = AdminSession::open(server.dataDir() / "server.json");
    INFO((session ? std::string() : session.error().message));
    REQUIRE(session.ok());
    auto got = (*session)->reportFigures(kFrom, kTo, {borough});
    INFO((got ? std::string() : got.error().message));
    REQUIRE(got.ok());
    REQUIRE(got->boroughs.size() == 1);
    if (mode)
        *mode = got->server;
    return got->boroughs.front();
}

nlohmann::json getFigures(RawDevice& device, const std::vector<std::string>& boroughs, unsigned expectStatus,
                          std::string* body = nullptr)
{
    ClientRequest req;
    req.target = figuresTarget(kFrom, kTo, boroughs);
    auto r = device.link.request(req);
    REQUIRE(r.ok());
    INFO(r->body);
    REQUIRE(r->status == expectStatus);
    if (body)
        *body = r->body;
    auto parsed = parseJson(r->body);
    REQUIRE(parsed.ok());
    return *parsed;
}

}  // namespace

TEST_CASE("A supervisor's device and the server give the same figures for the same records, figure by figure",
          "[figures][server]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.i", "officer", "east", "islington");
    server.addUser("ds.c", "supervisor", "north", "camden");
    SyncClient client;

    Handset camden(client, server, "pc.a");
    demo(camden, "pc.a", "north", "camden", 40, 7);
    camden.sync();
    Handset islington(client, server, "pc.i");
    demo(islington, "pc.i", "east", "islington", 25, 11);
    islington.sync();

    // The supervisor's device receives Camden's 124Ds, quality-assures some of them (returned,
    // approved, each logged as the desk logs it) and sends that back.
    Handset supervisor(client, server, "ds.c");
    supervisor.sync();
    {
        IncidentRepository repo = supervisor.repo();
        auto submitted = supervisor.records().database().prepare(
            "SELECT incident_id FROM figure_incident WHERE state = 'submitted' ORDER BY incident_id LIMIT 6;");
        REQUIRE(submitted.ok());
        std::vector<std::string> ids;
        REQUIRE(submitted->forEach([&](const Query& row) { ids.push_back(row.columnText(0)); }).ok());
        REQUIRE(ids.size() == 6);
        const Actor ds{"ds.c", "quality assurance"};
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const bool returned = i < 2;
            REQUIRE(repo.transition(ds, ids[i], returned ? LifecycleState::Returned : LifecycleState::Approved,
                                    returned ? "return" : "approve", returned ? "Add the CRIS reference." : "")
                        .ok());
            SupervisionEntry e;
            e.kind = "qa";
            e.outcome = returned ? "returned" : "approved";
            e.by = "ds.c";
            e.notes = returned ? "Add the CRIS reference." : "";
            REQUIRE(repo.appendSupervision(ds, ids[i], e).ok());
        }
    }
    const auto report = supervisor.sync();
    CHECK(report.rejected == 0);

    const DiversityCategories l = lists();
    auto onDevice = computeFigures(supervisor.records(), FigureRequest{kFrom, kEnd, "camden", ""}, &l);
    REQUIRE(onDevice.ok());
    // Figures worth comparing: incidents, victims, QA decisions and returns all counted.
    CHECK(onDevice->find("incidents")->total.count > 10);
    CHECK(onDevice->find("victims")->total.count > 10);
    CHECK(onDevice->find("qa_decisions")->total.count == 6);
    CHECK(onDevice->find("qa_returned")->total == FigureCount{2, 6});
    // The casework figures too: the four approved are due a review (none overdue yet), and the demo
    // names some victims again, referred to a MARAC within the year (repeat referrals).
    CHECK(onDevice->find("reviews_due")->total.count >= 4);
    CHECK(onDevice->find("repeat_marac_referrals")->total.count > 0);
    // The supervisor's device holds Camden only: Islington's are on the server, not on it.
    auto islingtonOnDevice = computeFigures(supervisor.records(), FigureRequest{kFrom, kEnd, "islington", ""}, &l);
    REQUIRE(islingtonOnDevice.ok());
    CHECK(islingtonOnDevice->find("incidents")->total.count == 0);

    SECTION("while the server runs, read from the copy it keeps")
    {
        std::string mode;
        const FigureSet onServer = serverFigures(server, "camden", &mode);
        CHECK(mode == "running");
        requireSame(*onDevice, onServer);
        CHECK(serverFigures(server, "islington").find("incidents")->total.count > 5);
    }
    SECTION("with the server stopped, after the copy is brought up to the op log")
    {
        REQUIRE(server.stop() == 0);
        std::string mode;
        const FigureSet onServer = serverFigures(server, "camden", &mode);
        CHECK(mode == "stopped");
        requireSame(*onDevice, onServer);
    }
    SECTION("a copy whose figure tables are lost, or older than the code, derives them again at start")
    {
        REQUIRE(server.stop() == 0);
        {
            auto key = loadServerKey(server.dataDir() / "server.key");
            REQUIRE(key.ok());
            auto copy = Database::open(server.dataDir() / "vigil-server.db.records", key->span(), OpenOptions{});
            REQUIRE(copy.ok());
            REQUIRE((*copy)->exec("DELETE FROM figure_incident; DELETE FROM figure_person; DELETE FROM figure_event;"
                                  " DELETE FROM store_meta WHERE key = 'figure_index';")
                        .ok());
        }
        server.restart();
        std::string mode;
        const FigureSet onServer = serverFigures(server, "camden", &mode);
        CHECK(mode == "running");
        requireSame(*onDevice, onServer);
    }
}

TEST_CASE("An analyst receives no record, only the figures published as the board report publishes them",
          "[figures][server]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("ds.c", "supervisor", "north", "camden");
    server.addUser("an.a", "analyst", "hq", "camden");
    {
        auto added = server.admin({"user", "add", "an.b", "--role", "analyst", "--team", "hq", "--borough", "camden",
                                   "--scope", "borough"});
        INFO(added.err);
        REQUIRE(added.exitCode == 0);
    }
    SyncClient client;
    Handset officer(client, server, "pc.a");
    demo(officer, "pc.a", "north", "camden", 30, 5);
    officer.sync();

    // The analyst's device syncs like any other and ends with no 124D, no person, nothing.
    Handset analystTablet(client, server, "an.a");
    analystTablet.sync();
    auto held = analystTablet.records().database().queryInt("SELECT count(*) FROM incident;");
    REQUIRE(held.ok());
    CHECK(*held == 0);
    auto people = analystTablet.records().database().queryInt("SELECT count(*) FROM person;");
    REQUIRE(people.ok());
    CHECK(*people == 0);
    // And by hand: a pull and a snapshot page carry nothing of any record.
    RawDevice analyst(client, server, "an.a");
    CHECK(analyst.pull().ops.empty());
    {
        ClientRequest req;
        req.target = "/v1/snapshot";
        auto r = analyst.link.request(req);
        REQUIRE(r.ok());
        INFO(r->body.substr(0, 300));
        if (r->status == 200) {
            auto page = decodeSnapshotPage(r->body);
            REQUIRE(page.ok());
            CHECK(page->rows.empty());
        } else {
            CHECK(r->status == 404);
        }
    }

    // The figures: published (no count from 1 to 4, no incident id), the same as the board
    // report of the officer's own device would publish for the same records.
    std::string body;
    const nlohmann::json answer = getFigures(analyst, {"camden"}, 200, &body);
    auto got = boardReportFromJson(answer);
    REQUIRE(got.ok());
    REQUIRE(got->scopes.size() == 1);
    CHECK(got->scopes[0].borough == "camden");
    const DiversityCategories l = lists();
    auto onDevice = computeFigures(officer.records(), FigureRequest{kFrom, kEnd, "camden", ""}, &l);
    REQUIRE(onDevice.ok());
    CHECK(answer == toJson(publishBoardReport(kFrom, kTo, {*onDevice})));
    for (const PublishedFigure& f : got->scopes[0].figures) {
        INFO(f.id);
        CHECK((!f.count || *f.count == 0 || *f.count >= 5));
    }
    CHECK(body.find(officer.store->records->deviceId()) == std::string::npos);
    auto anIncident = officer.records().database().prepare("SELECT incident_id FROM figure_incident LIMIT 1;");
    REQUIRE(anIncident.ok());
    std::string incidentId;
    REQUIRE(anIncident->forEach([&](const Query& row) { incidentId = row.columnText(0); }).ok());
    CHECK(body.find(incidentId) == std::string::npos);
    // Every borough when none is named; the analyst's request is in the server's audit chain.
    CHECK(boardReportFromJson(getFigures(analyst, {}, 200))->scopes.size() == 1);
    auto trail = server.admin({"audit", "export", "--user", "an.a", "--format", "json", "--out",
                               (server.dataDir() / "trail.json").string()});
    REQUIRE(trail.exitCode == 0);
    std::ifstream in(server.dataDir() / "trail.json");
    const std::string trailText((std::istreambuf_iterator<char>(in)), {});
    CHECK(trailText.find("figures_disclosed") != std::string::npos);

    // A supervisor (and an officer) is refused, with words; an analyst of one borough gets that
    // borough only.
    RawDevice supervisor(client, server, "ds.c");
    const nlohmann::json refused = getFigures(supervisor, {"camden"}, 403);
    CHECK(refused.value("error", "") == "not_permitted");
    CHECK(refused.value("message", "").find("analysts and administrators") != std::string::npos);
    RawDevice officerRaw(client, server, "pc.a");
    (void)getFigures(officerRaw, {"camden"}, 403);
    RawDevice boroughAnalyst(client, server, "an.b");
    CHECK(boardReportFromJson(getFigures(boroughAnalyst, {}, 200))->scopes.size() == 1);
    const nlohmann::json other = getFigures(boroughAnalyst, {"islington"}, 403);
    CHECK(other.value("message", "").find("camden only") != std::string::npos);
}

TEST_CASE("vigil-admin report writes the narrative, the CSV and the PDF while the server runs, and audits it",
          "[figures][server][report]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.i", "officer", "east", "islington");
    SyncClient client;
    Handset camden(client, server, "pc.a");
    demo(camden, "pc.a", "north", "camden", 30, 3);
    camden.sync();
    Handset islington(client, server, "pc.i");
    demo(islington, "pc.i", "east", "islington", 20, 4);
    islington.sync();

    const auto out = server.dataDir() / "board";
    auto run = server.admin({"report", "--from", kFrom, "--to", kTo, "--out-dir", out.string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    CHECK(run.err.empty());  // nothing from Qt's set-up on a server with no display
    const std::string stem = std::string("vigil-board-report-") + kFrom + "-to-" + kTo;
    const auto read = [&](const std::string& name) {
        std::ifstream in(out / name, std::ios::binary);
        REQUIRE(in.good());
        return std::string((std::istreambuf_iterator<char>(in)), {});
    };
    const std::string narrative = read(stem + ".txt");
    const std::string csv = read(stem + ".csv");
    const std::string pdf = read(stem + ".pdf");
    CHECK(std::filesystem::status(out / (stem + ".csv")).permissions()
          == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    // Exactly what the core publishes from the devices' own figures for the same records.
    const DiversityCategories l = lists();
    auto c = computeFigures(camden.records(), FigureRequest{kFrom, kEnd, "camden", ""}, &l);
    auto i = computeFigures(islington.records(), FigureRequest{kFrom, kEnd, "islington", ""}, &l);
    REQUIRE(c.ok());
    REQUIRE(i.ok());
    const BoardReport expected = publishBoardReport(kFrom, kTo, {*c, *i});
    CHECK(narrative == boardNarrative(expected, &l));
    CHECK(csv == boardCsv(expected));
    CHECK(narrative.find("camden and islington together") != std::string::npos);
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    CHECK(pdf.find("%%EOF") != std::string::npos);
    CHECK(pdf.find("/Type /Page") != std::string::npos);

    // The files are not overwritten; the report is in the server's audit chain, still intact.
    auto again = server.admin({"report", "--from", kFrom, "--to", kTo, "--out-dir", out.string()});
    CHECK(again.exitCode == 1);
    CHECK(again.err.find("already exists") != std::string::npos);
    auto trail = server.admin({"audit", "verify"});
    CHECK(trail.exitCode == 0);
    const std::vector<std::string> details =
        server.storeTexts("SELECT detail FROM server_audit WHERE action = 'figures_reported';");
    REQUIRE(details.size() == 1);
    CHECK(details[0].find(stem + ".pdf") != std::string::npos);
    CHECK(details[0].find("\"running\"") != std::string::npos);
}
