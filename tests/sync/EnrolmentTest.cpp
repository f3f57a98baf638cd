// Enrolment against a real vigil-server over loopback TLS: codes, pins, revocation.
#include <catch2/catch.hpp>

#include <thread>

#include "sync/client/DeviceLink.h"
#include "sync/protocol/EnrolmentCode.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/sync/Process.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::ServerProcess;

namespace {

/// The code line with its secret changed in one character (same code id).
std::string wrongSecret(const std::string& line, int variant)
{
    auto code = parseEnrolmentCode(line);
    REQUIRE(code.ok());
    EnrolmentCode wrong = *code;
    const char pool[] = "0123456789ABCDEFGHJK";
    for (int i = 0; i < 20; ++i) {
        wrong.secret[0] = pool[(variant + i) % 20];
        if (wrong.secret != code->secret)
            break;
    }
    return formatEnrolmentCode(wrong);
}

Result<ClientResponse> rawEnrol(SyncClient& client, const ServerEndpoint& ep, const std::string& line)
{
    auto code = parseEnrolmentCode(line);
    REQUIRE(code.ok());
    ClientRequest req;
    req.method = "POST";
    req.target = "/v1/enrol";
    req.body = toJson(EnrolRequest{code->codeId, code->secret, "test", {}}).dump();
    return client.send(ep, req);
}

}  // namespace

TEST_CASE("A device enrols with a one-time code and its credential then works", "[enrol]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    SyncClient client;
    test::InMemorySecretStore secrets;
    DeviceLink link(client, secrets, "dev-a");

    auto enrolled = link.enrol(server.enrolCode("pc.4821"), "tablet 7");
    REQUIRE(enrolled.ok());
    CHECK(enrolled->user.id == "pc.4821");
    CHECK(enrolled->user.role == Role::Officer);
    CHECK(enrolled->user.scope == Scope::Team);
    CHECK(enrolled->server.pin == server.pin());
    CHECK(secrets.contains("dev-a/sync.token"));
    CHECK(secrets.contains("dev-a/sync.enrolment"));

    auto standing = link.checkStanding();
    REQUIRE(standing.ok());
    CHECK(standing->state == DeviceStanding::State::Active);
    CHECK(standing->status->deviceId == enrolled->deviceId);
    CHECK(standing->status->user.id == "pc.4821");
    CHECK_FALSE(standing->wipe);

    auto devices = server.admin({"device", "list"});
    CHECK(devices.exitCode == 0);
    CHECK_THAT(devices.out, Catch::Contains(enrolled->deviceId) && Catch::Contains("active"));

    // Enrolling again on the same device is refused locally (only an expired device enrols again:
    // it asks its standing first), and no code is sent.
    auto again = link.enrol(server.enrolCode("pc.4821"), "tablet 7");
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::AlreadyExists);
}

TEST_CASE("A server with another certificate is refused by the pin before anything is sent", "[enrol][pin]")
{
    ServerProcess genuine;
    ServerProcess impostor;  // its own freshly generated TLS key
    genuine.addUser("pc.4821");
    impostor.addUser("pc.4821");
    REQUIRE(genuine.pin() != impostor.pin());

    // The code names the genuine server's pin, but the address leads to the impostor.
    std::string line = genuine.enrolCode("pc.4821");
    auto code = parseEnrolmentCode(line);
    REQUIRE(code.ok());
    code->port = impostor.port();
    SyncClient client;
    test::InMemorySecretStore secrets;
    DeviceLink link(client, secrets, "dev-a");
    auto enrolled = link.enrol(formatEnrolmentCode(*code), "tablet");
    REQUIRE_FALSE(enrolled.ok());
    CHECK(enrolled.error().code == ErrorCode::ServerKeyMismatch);
    CHECK_THAT(enrolled.error().message, Catch::Contains("not the server this device was enrolled with"));
    CHECK(secrets.size() == 0);
    CHECK_THAT(impostor.log(), !Catch::Contains("/v1/enrol"));

    // After enrolment, the stored pin keeps refusing the impostor.
    auto ok = link.enrol(line, "tablet");
    REQUIRE(ok.ok());
    ServerEndpoint wrong = genuine.endpoint();
    wrong.port = impostor.port();
    auto health = client.send(wrong, ClientRequest{});
    REQUIRE_FALSE(health.ok());
    CHECK(health.error().code == ErrorCode::ServerKeyMismatch);
}

TEST_CASE("An expired enrolment code is refused", "[enrol][code]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821", {"--expires", "1s"});
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    SyncClient client;
    test::InMemorySecretStore secrets;
    auto enrolled = DeviceLink(client, secrets, "d").enrol(line, "tablet");
    REQUIRE_FALSE(enrolled.ok());
    CHECK(enrolled.error().code == ErrorCode::Rejected);
    CHECK_THAT(enrolled.error().message, Catch::Contains("expired"));
    CHECK(secrets.size() == 0);
}

TEST_CASE("An enrolment code works once only", "[enrol][code]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821");
    SyncClient client;
    test::InMemorySecretStore first;
    test::InMemorySecretStore second;
    REQUIRE(DeviceLink(client, first, "d1").enrol(line, "first").ok());
    auto reused = DeviceLink(client, second, "d2").enrol(line, "second");
    REQUIRE_FALSE(reused.ok());
    CHECK(reused.error().code == ErrorCode::Rejected);
    CHECK_THAT(reused.error().message, Catch::Contains("already been used"));
    auto devices = server.admin({"device", "list"});
    CHECK_THAT(devices.out, !Catch::Contains("second"));
}

TEST_CASE("A brute-forced code dies after its wrong tries, even for the right secret", "[enrol][code]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821", {"--tries", "3"});
    SyncClient client;
    for (int i = 0; i < 3; ++i) {
        auto r = rawEnrol(client, server.endpoint(), wrongSecret(line, i));
        REQUIRE(r.ok());
        CHECK(r->status == 403);
        REQUIRE(r->error);
        CHECK(r->error->error == errors::kCodeInvalid);
    }
    auto right = rawEnrol(client, server.endpoint(), line);
    REQUIRE(right.ok());
    CHECK(right->status == 403);
    REQUIRE(right->error);
    CHECK(right->error->error == errors::kCodeLocked);
    CHECK_THAT(right->error->message, Catch::Contains("too many times"));

    // An unknown code id gets the same answer as a wrong secret.
    auto code = parseEnrolmentCode(line);
    code->codeId = code->codeId == "000000" ? "000001" : "000000";
    auto unknown = rawEnrol(client, server.endpoint(), formatEnrolmentCode(*code));
    REQUIRE(unknown.ok());
    CHECK(unknown->error->error == errors::kCodeInvalid);
}

TEST_CASE("A revoked device is refused and told whether to wipe", "[enrol][revoke]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    SyncClient client;
    test::InMemorySecretStore secrets;
    DeviceLink link(client, secrets, "d");
    auto enrolled = link.enrol(server.enrolCode("pc.4821"), "tablet");
    REQUIRE(enrolled.ok());

    auto revoke = server.admin({"device", "revoke", enrolled->deviceId, "--wipe"});
    REQUIRE(revoke.exitCode == 0);
    auto standing = link.checkStanding();
    REQUIRE(standing.ok());
    CHECK(standing->state == DeviceStanding::State::Revoked);
    CHECK(standing->wipe);
    CHECK_THAT(standing->message, Catch::Contains("revoked by an administrator"));

    ClientRequest req;
    req.target = "/v1/device";
    auto raw = link.request(req);
    REQUIRE(raw.ok());
    CHECK(raw->status == 403);
    CHECK(raw->error->error == errors::kDeviceRevoked);

    auto unknown = server.admin({"device", "revoke", "no-such-device"});
    CHECK(unknown.exitCode == 1);
    CHECK_THAT(unknown.err, Catch::Contains("no device with id"));
}

TEST_CASE("Secrets never reach the server log, and every log line is one JSON object", "[enrol][log]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821");
    auto code = parseEnrolmentCode(line);
    SyncClient client;
    auto r = rawEnrol(client, server.endpoint(), line);
    REQUIRE(r.ok());
    REQUIRE(r->status == 200);
    auto reply = enrolResponseFromJson(*parseJson(r->body));
    REQUIRE(reply.ok());
    ClientRequest req;
    req.target = "/v1/device";
    req.bearer = reply->token;
    REQUIRE(client.send(server.endpoint(), req)->status == 200);
    server.stop();

    const std::string log = server.log();
    CHECK_THAT(log, !Catch::Contains(code->secret));
    CHECK_THAT(log, !Catch::Contains(reply->token));
    CHECK_THAT(log, !Catch::Contains("pc.4821"));
    std::istringstream lines(log);
    std::string l;
    int requests = 0;
    while (std::getline(lines, l)) {
        auto j = parseJson(l);
        REQUIRE(j.ok());
        CHECK(j->contains("time"));
        CHECK(j->contains("level"));
        CHECK(j->contains("event"));
        if ((*j)["event"] == "request") {
            ++requests;
            CHECK(j->contains("request_id"));
            CHECK(j->contains("status"));
            CHECK(j->contains("latency_ms"));
        }
    }
    CHECK(requests == 2);
    CHECK_THAT(log, Catch::Contains(reply->deviceId));
}
