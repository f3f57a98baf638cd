// Cheap refusals first (issue 22, part 2): a stranger's request is refused before it costs the
// server work (no inflation before authentication, failed credentials limited per address,
// connections capped per address), and a replayed or out-of-order push reveals nothing the
// request did not already hold. Units for the address keys; the rest with real vigil-server
// processes over loopback TLS (127.0.0.2 is "another address" to a server on 127.0.0.1).
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/protocol/Compression.h"
#include "sync/server/RateLimiter.h"
#include "tests/support/FileScan.h"
#include "tests/sync/RawDevice.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

/// GET `path` over plain HTTP from 127.0.0.1:port; the body of the answer.
std::string metricsText(const ServerProcess& server)
{
    const std::string text = readFile(server.dataDir() / "metrics.port");
    REQUIRE_FALSE(text.empty());
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(text)));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out.substr(out.find("\r\n\r\n") + 4);
}

double sampleValue(const std::string& text, const std::string& nameAndLabels)
{
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(nameAndLabels + " ", 0) == 0)
            return std::stod(line.substr(nameAndLabels.size() + 1));
    }
    return -1;
}

std::function<void(nlohmann::json&)> configured(std::function<void(nlohmann::json&)> more = {})
{
    return [more](nlohmann::json& c) {
        c["metrics_port"] = 0;
        c["metrics_port_file"] = "metrics.port";
        if (more)
            more(c);
    };
}

/// A plain TCP connection from `source` to 127.0.0.1:port (no TLS), or -1.
int rawConnect(const char* source, std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    REQUIRE(::inet_pton(AF_INET, source, &from.sin_addr) == 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
    return fd;
}

/// True when the server closed `fd` within `wait` (the read end sees end-of-file or a reset).
bool closedByServer(int fd, std::chrono::milliseconds wait)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0)
        return false;
    char c;
    return ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

ClientRequest deviceStatus(std::string bearer)
{
    ClientRequest r;
    r.target = "/v1/device";
    r.bearer = std::move(bearer);
    return r;
}

}  // namespace

TEST_CASE("Per-address limits key IPv4 by the address and IPv6 by its /64", "[sync][limits][refusals]")
{
    CHECK(addressKey("192.0.2.7") == "192.0.2.7");
    CHECK(addressKey("192.0.2.8") != addressKey("192.0.2.7"));
    CHECK(addressKey("::ffff:192.0.2.7") == "192.0.2.7");  // IPv4-mapped: the same address
    // One subscriber's /64 is one key, whatever the interface id or how it is written.
    CHECK(addressKey("2001:db8:1:2::1") == addressKey("2001:db8:1:2:ffff:ffff:ffff:fffe"));
    CHECK(addressKey("2001:db8:1:2::1") == addressKey("2001:0DB8:0001:0002:0:0:0:9"));
    CHECK(addressKey("2001:db8:1:2::1") == "2001:0db8:0001:0002::/64");
    CHECK(addressKey("2001:db8:1:3::1") != addressKey("2001:db8:1:2::1"));
    CHECK(addressKey("") == "");

    // Failures per address: a bucket; wait() looks without taking, and keys do not share.
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    RateLimiter failures(RateLimit{0.5, 3}, [&] { return now; });
    CHECK_FALSE(failures.wait(addressKey("2001:db8:1:2::1")));
    for (int i = 0; i < 3; ++i)
        CHECK_FALSE(failures.take(addressKey("2001:db8:1:2::" + std::to_string(i + 1))));
    REQUIRE(failures.wait(addressKey("2001:db8:1:2::99")));  // the same /64: limited
    CHECK(*failures.wait(addressKey("2001:db8:1:2::99")) == std::chrono::milliseconds(2000));
    CHECK_FALSE(failures.wait(addressKey("2001:db8:1:3::1")));  // the next /64: not
    CHECK_FALSE(failures.wait("192.0.2.7"));
    now += std::chrono::seconds(2);
    CHECK_FALSE(failures.wait(addressKey("2001:db8:1:2::1")));
}

TEST_CASE("Forty random credentials from one address get 429 after the limit, with one answer for every wrong "
          "credential, while a device on another address syncs",
          "[sync][limits][refusals]")
{
    ServerProcess server(configured([](nlohmann::json& c) {
        c["auth_failures_per_address"] = 10;
        c["auth_failure_window_seconds"] = 600;
    }));
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.b", "officer", "north", "camden");
    SyncClient elsewhere(ClientOptions{.sourceAddress = "127.0.0.2"});
    Handset genuine(elsewhere, server, "pc.a");
    makeIncidentWithVictim(genuine.records(), "pc.a", "north", "camden");
    SyncClient here;  // 127.0.0.1
    Handset neighbour(here, server, "pc.b");  // a real device on the stranger's address

    // What a wrong credential gets today: no credential, a malformed one, an unknown one.
    std::vector<std::string> wrong = {"", "not-base64-!!", "c2hvcnQ"};
    for (int i = 0; i < 37; ++i) {
        unsigned char token[32];
        randombytes_buf(token, sizeof token);
        wrong.push_back(base64UrlEncode(std::span<const unsigned char>(token, sizeof token)));
    }
    REQUIRE(wrong.size() == 40);
    std::set<std::string> unauthorisedBodies;
    int refused = 0;
    int limited = 0;
    std::optional<ClientResponse> firstLimited;
    for (const auto& bearer : wrong) {
        auto r = here.send(server.endpoint(), deviceStatus(bearer));
        REQUIRE(r.ok());
        if (r->status == 401) {
            ++refused;
            unauthorisedBodies.insert(r->body);
        } else {
            INFO(r->body);
            REQUIRE(r->status == 429);
            ++limited;
            if (!firstLimited)
                firstLimited = *r;
        }
    }
    CHECK(refused == 10);
    CHECK(limited == 30);
    CHECK(unauthorisedBodies.size() == 1);  // the same words for none, malformed and unknown
    REQUIRE(firstLimited);
    REQUIRE(firstLimited->retryAfter);
    CHECK(firstLimited->retryAfter->count() >= 1);
    REQUIRE(firstLimited->error);
    CHECK(firstLimited->error->error == "rate_limited");
    CHECK_THAT(firstLimited->error->message, Catch::Contains("credential this server does not accept")
                                                 && Catch::Contains("Wait"));

    // The limit is on the address: a real device there waits too (before any store work) ...
    auto blocked = neighbour.link.request(deviceStatus(""));
    REQUIRE(blocked.ok());
    CHECK(blocked->status == 429);
    // ... and a device on another address is not touched: it enrols, pushes and pulls.
    const auto report = genuine.sync();
    CHECK(report.pushed > 0);
    CHECK(genuine.records().pendingCount().value() == 0);

    const std::string metrics = metricsText(server);
    CHECK(sampleValue(metrics, R"(vigil_errors_total{code="unauthenticated"})") == 10);
    CHECK(sampleValue(metrics, R"(vigil_errors_total{code="rate_limited"})") == 31);
}

TEST_CASE("A compressed bomb with a bad credential is refused with 401 at once and never inflated", "[sync][limits][refusals]")
{
    ServerProcess server(configured());
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    RawDevice device(client, server, "pc.a");

    // 64 MiB of zeros in a few KiB of zstd: four times the decoded-size limit.
    const std::string zeros(64 * 1024 * 1024, '\0');
    auto bomb = compressBody(zeros, ContentEncoding::Zstd, CompressionLevel::Fast);
    REQUIRE(bomb.ok());
    REQUIRE(bomb->size() < 64 * 1024);
    ClientRequest push;
    push.method = "POST";
    push.target = "/v1/push";
    push.body = *bomb;
    push.preEncoded = "zstd";
    unsigned char token[32];
    randombytes_buf(token, sizeof token);
    push.bearer = base64UrlEncode(std::span<const unsigned char>(token, sizeof token));

    for (int i = 0; i < 5; ++i) {
        const auto started = std::chrono::steady_clock::now();
        auto r = client.send(server.endpoint(), push);
        const auto took = std::chrono::steady_clock::now() - started;
        REQUIRE(r.ok());
        CHECK(r->status == 401);
        CHECK(took < std::chrono::seconds(1));
    }
    std::string metrics = metricsText(server);
    CHECK(sampleValue(metrics, "vigil_request_bodies_decoded_total") == 0);
    CHECK(sampleValue(metrics, R"(vigil_request_body_bytes_decoded_total{side="out"})") == 0);

    // The same bomb with the device's own credential is inflated (off the store thread) up to
    // the limit and refused there: the counter does count.
    push.bearer.clear();
    auto own = device.link.request(push);
    REQUIRE(own.ok());
    CHECK(own->status == 413);
    metrics = metricsText(server);
    CHECK(sampleValue(metrics, "vigil_request_bodies_decoded_total") == 1);
    // A GET never decodes a body, even a compressed one from its own device.
    ClientRequest status = deviceStatus("");
    status.body = *bomb;
    status.preEncoded = "zstd";
    auto asked = device.link.request(status);
    REQUIRE(asked.ok());
    CHECK(asked->status == 200);
    CHECK(sampleValue(metricsText(server), "vigil_request_bodies_decoded_total") == 1);
}

TEST_CASE("One address holds at most its share of connections, closed before TLS, while others still connect",
          "[sync][limits][refusals]")
{
    ServerProcess server(configured([](nlohmann::json& c) { c["max_connections_per_address"] = 3; }));
    SyncClient elsewhere(ClientOptions{.sourceAddress = "127.0.0.2"});
    ClientOptions quick;
    quick.connectTimeout = std::chrono::milliseconds(2000);
    quick.requestTimeout = std::chrono::milliseconds(2000);
    SyncClient here(quick);
    ClientRequest health;

    // Three connections from 127.0.0.1 that never start TLS: the server holds them (until the
    // handshake timeout).
    std::vector<int> held;
    for (int i = 0; i < 3; ++i)
        held.push_back(rawConnect("127.0.0.1", server.port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    for (int fd : held)
        CHECK_FALSE(closedByServer(fd, std::chrono::milliseconds(10)));
    // The fourth is closed at once, without a handshake; a real client there gets no answer.
    const int fourth = rawConnect("127.0.0.1", server.port());
    CHECK(closedByServer(fourth, std::chrono::milliseconds(2000)));
    ::close(fourth);
    CHECK_FALSE(here.send(server.endpoint(), health).ok());
    // Another address is not affected.
    const int other = rawConnect("127.0.0.2", server.port());
    CHECK_FALSE(closedByServer(other, std::chrono::milliseconds(300)));
    ::close(other);
    auto fine = elsewhere.send(server.endpoint(), health);
    REQUIRE(fine.ok());
    CHECK(fine->status == 200);

    // When one of the three goes, a new connection from 127.0.0.1 is accepted again.
    ::close(held.back());
    held.pop_back();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto again = here.send(server.endpoint(), health);
    REQUIRE(again.ok());
    CHECK(again->status == 200);
    for (int fd : held)
        ::close(fd);

    const std::string metrics = metricsText(server);
    CHECK(sampleValue(metrics, R"(vigil_connections_refused_total{reason="per_address"})") >= 2);
    CHECK(sampleValue(metrics, R"(vigil_connections_refused_total{reason="max_connections"})") == 0);
}

TEST_CASE("A replayed or out-of-order push is refused with one answer that names no sequence number, and a real "
          "device that lost its acknowledgement still syncs",
          "[sync][refusals]")
{
    ServerProcess server;
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    Handset a(client, server, "pc.a");
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    auto ops = a.records().pendingOps(500);
    REQUIRE(ops.ok());
    REQUIRE(ops->size() >= 4);
    const std::int64_t last = ops->back().seq;

    // The device's push reaches the server but its answer is lost: the server holds the ops,
    // the device's outbox still does.
    const auto pushOf = [](const std::vector<Op>& batch) {
        ClientRequest r;
        r.method = "POST";
        r.target = "/v1/push";
        r.body = toText(PushRequest{batch});
        return r;
    };
    auto first = a.link.request(pushOf(*ops));
    REQUIRE(first.ok());
    REQUIRE(first->status == 200);
    CHECK(pushResponseFromJson(*parseJson(first->body))->ackedUpto == last);

    // Seq 1 again with another op (a replay, or a made-up op under a decided number).
    Op forged = ops->front();
    forged.opId = newUuid();
    auto replayed = a.link.request(pushOf({forged}));
    REQUIRE(replayed.ok());
    CHECK(replayed->status == 409);
    REQUIRE(replayed->error);
    CHECK(replayed->error->error == "sequence_refused");
    CHECK(replayed->body.find("acked_upto") == std::string::npos);
    CHECK_FALSE(std::regex_search(replayed->body, std::regex("[0-9]")));  // no number at all
    // A batch past the next seq gets exactly the same answer.
    Op ahead = ops->back();
    ahead.opId = newUuid();
    ahead.seq = last + 5;
    auto gap = a.link.request(pushOf({ahead}));
    REQUIRE(gap.ok());
    CHECK(gap->status == 409);
    CHECK(gap->body == replayed->body);
    // A batch mixing the genuine first op with a forged one is refused whole.
    Op forgedSecond = (*ops)[1];
    forgedSecond.opId = newUuid();
    auto mixed = a.link.request(pushOf({ops->front(), forgedSecond}));
    REQUIRE(mixed.ok());
    CHECK(mixed->status == 409);

    // The genuine op again is answered only as far as the request itself goes: seq 1, not the
    // device's last.
    auto same = a.link.request(pushOf({ops->front()}));
    REQUIRE(same.ok());
    REQUIRE(same->status == 200);
    CHECK(pushResponseFromJson(*parseJson(same->body))->ackedUpto == ops->front().seq);

    // The device's sync engine sends its outbox again (the lost answer), is acknowledged, and
    // goes on: nothing left, and a later change syncs too.
    a.sync();
    CHECK(a.records().pendingCount().value() == 0);
    REQUIRE(a.records()
                .write({"pc.a"}, Entity::Incident, a.records().incidentIds()->front(), {{"incident.summary", "Later"}})
                .ok());
    a.sync();
    CHECK(a.records().pendingCount().value() == 0);
    CHECK_THAT(server.log(), Catch::Contains("push_sequence_refused"));
}
