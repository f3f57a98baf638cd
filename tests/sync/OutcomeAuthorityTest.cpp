// The crime's outcome (issue 25, "the record first") against a real vigil-server over TLS on
// 127.0.0.1: who may record it (the authority policy's crime-outcome rule, enforced on every
// pushed op), what the server checks of it (validateOutcome), and closing a crime only with its
// outcome recorded (validateClosure), each refusal in words.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/records/IncidentRepository.h"
#include "tests/sync/RawDevice.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::RawDevice;
using vigil::test::ServerProcess;

namespace {

const OpRejection& refusal(const PushResponse& r, std::int64_t seq)
{
    auto it = std::find_if(r.rejected.begin(), r.rejected.end(), [&](const OpRejection& x) { return x.seq == seq; });
    INFO("seq " << seq << " was not refused");
    REQUIRE(it != r.rejected.end());
    return *it;
}

/// An op stamped now: a raw device's own stamps are from 2023 and lose to the desk's (last writer
/// wins), which a move that must take effect cannot.
Op now(Op op)
{
    static std::uint64_t counter = 0;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    op.hlc = (static_cast<std::uint64_t>(ms.count()) << 16) + ++counter;
    return op;
}

nlohmann::json command(const std::string& name, const std::string& state, const std::string& by, const std::string& note)
{
    return {{"command", name}, {"state", state}, {"by", by}, {"note", note}, {"seen", nlohmann::json::object()}};
}

}  // namespace

TEST_CASE("Only the officer in the case, an investigator or a supervisor records a crime's outcome, and a crime closes "
          "only with it",
          "[sync][authority][outcome]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("ds.e", "supervisor", "north", "camden");
    server.addUser("idva.f", "idva", "north", "camden");
    server.addUser("dc.n", "investigator", "north", "camden");
    SyncClient client;

    // The officer's 124Ds, submitted; the supervisor approves two crimes whose victim consented to share.
    test::Handset officer(client, server, "pc.a");
    IncidentRepository repo = officer.repo();
    test::makeSubmittedDemo(repo, officer.records(), 12);
    officer.sync();
    std::vector<Incident> crimes;
    for (const auto& summary : repo.list(100).value()) {
        if (summary.state != LifecycleState::Submitted)
            continue;
        Incident incident = repo.read(summary.id).value();
        if (incident.crime == true && incident.victims.front().consent.shareWithPartners == true)
            crimes.push_back(std::move(incident));
    }
    REQUIRE(crimes.size() >= 2);
    const Incident& first = crimes[0];
    const Incident& second = crimes[1];
    test::Handset desk(client, server, "ds.e");
    desk.sync();
    IncidentRepository deskRepo = desk.repo();
    for (const Incident* i : {&first, &second})
        REQUIRE(deskRepo.transition(desk.actor, i->id, LifecycleState::Approved, "approve", "").ok());
    REQUIRE(desk.sync().rejected == 0);

    // The officer who wrote the 124D does not record its outcome.
    RawDevice a(client, server, "pc.a");
    auto byOfficer = a.push({a.op("incident", first.id, "outcome.result", "charged")});
    CHECK(refusal(byOfficer, a.seq).error == "not_permitted");
    CHECK_THAT(refusal(byOfficer, a.seq).message,
               Catch::Contains("The officer in the case, an investigator or a supervisor records the crime's outcome")
                   && Catch::Contains("Ask the officer in the case to record it"));

    // Nor does the IDVA the victim is referred to, who may see the 124D.
    RawDevice s(client, server, "ds.e");
    const std::string referral = newUuid();
    REQUIRE(s.push({s.op("referral", referral, "@create", {{"incident", first.id}, {"parent", first.victims.front().id}}),
                    s.op("referral", referral, "agency", "idva"), s.op("referral", referral, "to_user", "idva.f")})
                .rejected.empty());
    RawDevice idva(client, server, "idva.f");
    REQUIRE(idva.pullFields().count("incident/" + first.id + "/state") == 1);  // she sees it
    auto byIdva = idva.push({idva.op("incident", first.id, "outcome.result", "victim_withdrew")});
    CHECK(refusal(byIdva, idva.seq).error == "not_permitted");
    CHECK_THAT(refusal(byIdva, idva.seq).message, Catch::Contains("records the crime's outcome"));

    // An investigator of the team records it, in their own name, from the list, with its date.
    RawDevice dc(client, server, "dc.n");
    auto forged = dc.push({dc.op("incident", first.id, "outcome.recorded_by", "ds.e")});
    CHECK(refusal(forged, dc.seq).error == "attribution_mismatch");
    auto notOnList = dc.push({dc.op("incident", first.id, "outcome.result", "let_off"),
                              dc.op("incident", first.id, "outcome.decided_on", "2026-11-30")});
    REQUIRE(notOnList.rejected.size() == 2);
    CHECK(notOnList.rejected.front().error == "rule_violation");
    CHECK_THAT(notOnList.rejected.front().message, Catch::Contains("choose the outcome from the list"));
    auto undated = dc.push({dc.op("incident", first.id, "outcome.result", "charged")});
    CHECK(refusal(undated, dc.seq).error == "rule_violation");
    CHECK_THAT(refusal(undated, dc.seq).message, Catch::Contains("Enter the date the outcome was decided"));
    auto recorded = dc.push({dc.op("incident", first.id, "outcome.result", "charged"),
                             dc.op("incident", first.id, "outcome.decided_on", "2026-11-30"),
                             dc.op("incident", first.id, "outcome.arrested_later", true),
                             dc.op("incident", first.id, "outcome.arrested_on", "2026-11-29"),
                             dc.op("incident", first.id, "outcome.recorded_by", "dc.n")});
    INFO((recorded.rejected.empty() ? std::string() : recorded.rejected.front().message));
    CHECK(recorded.rejected.empty());

    // Closing a crime without its outcome is refused, saying what to do; with it, it closes.
    auto closeBare = s.push({s.op("incident", second.id, "@command", command("close", "closed", "ds.e", "Final review: standard."))});
    REQUIRE(closeBare.rejected.size() == 1);
    CHECK(closeBare.rejected.front().error == "rule_violation");
    CHECK_THAT(closeBare.rejected.front().message, Catch::Contains("Record the crime's outcome before closing"));
    CHECK(closeBare.rejected.front().field == "outcome.result");
    auto close = s.push({now(s.op("incident", first.id, "@command", command("close", "closed", "ds.e", "Final review: standard.")))});
    INFO((close.rejected.empty() ? std::string() : close.rejected.front().message));
    CHECK(close.rejected.empty());

    // A closed crime keeps its outcome: the court's result may still come, clearing it may not.
    auto cleared = s.push({now(s.op("incident", first.id, "outcome.result", ""))});
    CHECK(refusal(cleared, s.seq).error == "rule_violation");
    CHECK_THAT(refusal(cleared, s.seq).message, Catch::Contains("keeps its crime's outcome"));
    auto court = s.push({now(s.op("incident", first.id, "outcome.court_result", "convicted")),
                         now(s.op("incident", first.id, "outcome.court_on", "2026-12-01"))});
    INFO((court.rejected.empty() ? std::string() : court.rejected.front().message));
    CHECK(court.rejected.empty());

    // The officer's tablet receives the outcome as recorded.
    officer.sync();
    const Incident got = repo.read(first.id).value();
    CHECK(got.state == LifecycleState::Closed);
    CHECK(got.outcome.result == "charged");
    CHECK(got.outcome.courtResult == "convicted");
    CHECK(got.outcome.arrestedLater == true);
    CHECK(got.outcome.recordedBy == "dc.n");
}
