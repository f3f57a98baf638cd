// Limits and metrics (issue 6): per-device token buckets answered with 429 + Retry-After in
// words, a sync engine that waits as long as it is told, and /metrics in Prometheus text on a
// loopback-only listener. Units with an injected clock; the rest with real vigil-server
// processes over loopback.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/server/Metrics.h"
#include "sync/server/RateLimiter.h"
#include "tests/support/FileScan.h"
#include "tests/sync/SyncDevices.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

/// GET `path` over plain HTTP from 127.0.0.1:port; the whole answer (headers and body).
std::string plainGet(std::uint16_t port, const std::string& path)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
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
    return out;
}

/// The value of one sample line (`name{labels} value`), or -1 when absent.
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

std::uint16_t metricsPortOf(const ServerProcess& server)
{
    const std::string text = readFile(server.dataDir() / "metrics.port");
    REQUIRE_FALSE(text.empty());
    return static_cast<std::uint16_t>(std::stoi(text));
}

std::function<void(nlohmann::json&)> limits(double perSecond, double burst)
{
    return [=](nlohmann::json& c) {
        c["device_rate_per_second"] = perSecond;
        c["device_rate_burst"] = burst;
        c["metrics_port"] = 0;
        c["metrics_port_file"] = "metrics.port";
    };
}

}  // namespace

TEST_CASE("A token bucket allows its burst, then one request per refill, and says how long to wait", "[sync][limits]")
{
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    RateLimiter limiter(RateLimit{2, 3}, [&] { return now; });
    CHECK_FALSE(limiter.take("device-a"));
    CHECK_FALSE(limiter.take("device-a"));
    CHECK_FALSE(limiter.take("device-a"));
    auto wait = limiter.take("device-a");
    REQUIRE(wait);
    CHECK(*wait == std::chrono::milliseconds(500));
    CHECK_FALSE(limiter.take("device-b"));  // buckets are per key
    now += std::chrono::milliseconds(500);
    CHECK_FALSE(limiter.take("device-a"));
    CHECK(limiter.take("device-a"));
    now += std::chrono::seconds(60);  // never more than the burst, however long idle
    for (int i = 0; i < 3; ++i)
        CHECK_FALSE(limiter.take("device-a"));
    CHECK(limiter.take("device-a"));

    RateLimiter off(RateLimit{0, 0}, [&] { return now; });
    for (int i = 0; i < 1000; ++i)
        REQUIRE_FALSE(off.take("x"));

    // Memory stays bounded: idle buckets go when there are too many.
    RateLimiter small(RateLimit{10, 1}, [&] { return now; }, 4);
    for (int i = 0; i < 100; ++i) {
        (void)small.take("key" + std::to_string(i));
        now += std::chrono::seconds(1);
    }
    CHECK(small.trackedKeys() <= 5);
}

TEST_CASE("Metrics render as Prometheus text with bounded labels and cumulative latency buckets", "[sync][metrics]")
{
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    Metrics m(std::chrono::seconds(300), [&] { return now; });
    m.countRequest("/v1/push", 200, 0.004);
    m.countRequest("/v1/push", 200, 0.2);
    m.countRequest("/v1/attachments/6f0c2a4e-0000-4000-8000-000000000001/chunks/3?x=1", 200, 0.01);
    m.countRequest("/v1/pull?cursor=12&limit=500", 429, 0.0001);
    m.countError("rate_limited");
    m.countOpsPushed(7, 1);
    m.countOpsPulled(12);
    m.countSync();
    m.deviceSeen("6f0c2a4e-0000-4000-8000-00000000000a");
    m.deviceSeen("6f0c2a4e-0000-4000-8000-00000000000b");
    const std::string text = m.render();
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/push",status="200"})") == 2);
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/pull",status="429"})") == 1);
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/attachments/{id}/chunks/{n}",status="200"})") == 1);
    CHECK(sampleValue(text, R"(vigil_http_request_duration_seconds_bucket{endpoint="/v1/push",le="0.005"})") == 1);
    CHECK(sampleValue(text, R"(vigil_http_request_duration_seconds_bucket{endpoint="/v1/push",le="0.25"})") == 2);
    CHECK(sampleValue(text, R"(vigil_http_request_duration_seconds_bucket{endpoint="/v1/push",le="+Inf"})") == 2);
    CHECK(sampleValue(text, R"(vigil_http_request_duration_seconds_count{endpoint="/v1/push"})") == 2);
    CHECK(sampleValue(text, R"(vigil_errors_total{code="rate_limited"})") == 1);
    CHECK(sampleValue(text, "vigil_ops_pushed_total") == 7);
    CHECK(sampleValue(text, "vigil_ops_rejected_total") == 1);
    CHECK(sampleValue(text, "vigil_ops_pulled_total") == 12);
    CHECK(sampleValue(text, "vigil_syncs_total") == 1);
    CHECK(sampleValue(text, R"(vigil_devices_connected{window_seconds="300"})") == 2);
    CHECK_THAT(text, !Catch::Contains("6f0c2a4e"));  // no ids in labels
    // Every line is a comment (HELP/TYPE) or `name{labels} value`.
    const std::regex sample(R"(^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.eE]+$)");
    std::istringstream in(text);
    std::string line;
    int samples = 0;
    while (std::getline(in, line)) {
        INFO(line);
        if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0)
            continue;
        CHECK(std::regex_match(line, sample));
        ++samples;
    }
    CHECK(samples > 20);
    now += std::chrono::seconds(301);
    CHECK(sampleValue(m.render(), R"(vigil_devices_connected{window_seconds="300"})") == 0);
}

TEST_CASE("A device over its rate limit gets 429 with Retry-After and words that say what to do, and nothing changes",
          "[sync][limits]")
{
    ServerProcess server(limits(1, 3));
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    InMemorySecretStore secrets;
    DeviceLink link(client, secrets, "pc.a");
    auto e = link.enrol(server.enrolCode("pc.a"), "tablet");
    REQUIRE(e.ok());

    ClientRequest status;
    status.target = "/v1/device";
    int ok = 0;
    std::optional<ClientResponse> limited;
    for (int i = 0; i < 6 && !limited; ++i) {
        auto r = link.request(status);
        REQUIRE(r.ok());
        if (r->status == 200)
            ++ok;
        else
            limited = *r;
    }
    REQUIRE(limited);
    CHECK(ok >= 3);
    CHECK(limited->status == 429);
    REQUIRE(limited->retryAfter);
    CHECK(limited->retryAfter->count() >= 1);
    REQUIRE(limited->error);
    CHECK(limited->error->error == "rate_limited");
    CHECK_THAT(limited->error->message, Catch::Contains("faster than the server allows (1 a second, bursts of 3)")
                                            && Catch::Contains("Nothing was changed") && Catch::Contains("Wait")
                                            && Catch::Contains("tell your administrator"));

    // A push refused by the limit commits nothing: the same ops are accepted once allowed.
    PlainDeviceStore store(e->deviceId);
    makeIncidentWithVictim(*store.records, "pc.a", "north", "camden");
    auto ops = store.records->pendingOps(500);
    REQUIRE(ops.ok());
    ClientRequest push;
    push.method = "POST";
    push.target = "/v1/push";
    push.body = toText(PushRequest{*ops});
    auto refused = link.request(push);
    REQUIRE(refused.ok());
    REQUIRE(refused->status == 429);
    std::this_thread::sleep_for(*refused->retryAfter + std::chrono::milliseconds(100));
    auto accepted = link.request(push);
    REQUIRE(accepted.ok());
    REQUIRE(accepted->status == 200);
    auto answer = pushResponseFromJson(*parseJson(accepted->body));
    REQUIRE(answer.ok());
    CHECK(answer->ackedUpto == ops->back().seq);
    CHECK(answer->rejected.empty());
}

TEST_CASE("The sync engine waits as long as Retry-After says, by timer and by sync now, then completes",
          "[sync][limits][engine]")
{
    ServerProcess server(limits(1, 1));
    server.addUser("pc.a", "officer", "north", "camden");
    SyncClient client;
    SyncEngineOptions options;
    options.backoff.initial = std::chrono::milliseconds(50);  // far shorter than Retry-After
    options.backoff.max = std::chrono::milliseconds(100);
    options.random = [] { return 0.5; };
    Handset a(client, server, "pc.a", options);
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // enrolment used the bucket

    // The push takes the only token; the pull is refused with Retry-After.
    a.engine->start(a.records(), a.actor);
    a.engine->drain();
    SyncStatus s = a.engine->status();
    REQUIRE(s.state == SyncStatus::State::Failed);
    REQUIRE(s.lastError);
    CHECK(s.lastError->code == ErrorCode::Network);
    CHECK_THAT(s.lastError->message, Catch::Contains("faster than the server allows"));
    REQUIRE(s.nextAttemptIn);
    CHECK(*s.nextAttemptIn >= std::chrono::milliseconds(900));  // Retry-After, not the 50 ms backoff
    const auto attempts = a.engine->attempts();

    // "Sync now" inside the window does not ask the server again.
    a.engine->syncNow();
    a.engine->drain();
    CHECK(a.engine->attempts() == attempts);
    REQUIRE(a.engine->status().lastError);
    CHECK_THAT(a.engine->status().lastError->message, Catch::Contains("next try in"));

    // The timer tries again when the wait is over, and the sync completes.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (a.engine->status().state != SyncStatus::State::Idle && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(a.engine->status().state == SyncStatus::State::Idle);
    CHECK(a.engine->status().queued == 0);
    a.engine->stop();

    // The server saw exactly one refused pull: the engine never hammered it.
    const std::string metrics = plainGet(metricsPortOf(server), "/metrics");
    CHECK(sampleValue(metrics, R"(vigil_http_requests_total{endpoint="/v1/pull",status="429"})") == 1);
}

TEST_CASE("GET /metrics on the loopback metrics listener counts requests, ops, syncs, errors and devices, without "
          "identifiers",
          "[sync][metrics]")
{
    ServerProcess server(limits(50, 1000));
    server.addUser("pc.a", "officer", "north", "camden");
    server.addUser("pc.b", "officer", "north", "camden");
    SyncClient client;
    Handset a(client, server, "pc.a");
    Handset b(client, server, "pc.b");
    makeIncidentWithVictim(a.records(), "pc.a", "north", "camden");
    const auto pushed = a.records().pendingCount();
    REQUIRE(pushed.ok());
    a.sync();
    b.sync();  // b's first sync: the snapshot
    // A change after it reaches b as an op.
    REQUIRE(a.records().write({"pc.a"}, Entity::Incident, a.records().incidentIds()->front(),
                              {{"incident.summary", "Seen again later"}}).ok());
    const auto pushedLater = a.records().pendingCount();
    REQUIRE(pushedLater.ok());
    a.sync();
    b.sync();
    // A request without a credential: an error by code.
    ClientRequest anonymous;
    anonymous.target = "/v1/device";
    REQUIRE(client.send(server.endpoint(), anonymous).ok());

    const std::string answer = plainGet(metricsPortOf(server), "/metrics");
    CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 200"));
    CHECK_THAT(answer, Catch::Contains("Content-Type: text/plain; version=0.0.4"));
    const std::string text = answer.substr(answer.find("\r\n\r\n") + 4);
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/push",status="200"})") >= 1);
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/pull",status="200"})") >= 2);
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/enrol",status="200"})") == 2);
    CHECK(sampleValue(text, R"(vigil_http_request_duration_seconds_count{endpoint="/v1/pull"})") >= 2);
    CHECK(sampleValue(text, R"(vigil_http_request_duration_seconds_bucket{endpoint="/v1/pull",le="+Inf"})") >= 2);
    CHECK(sampleValue(text, "vigil_ops_pushed_total") == static_cast<double>(*pushed + *pushedLater));
    CHECK(sampleValue(text, "vigil_ops_pulled_total") > 0);
    CHECK(sampleValue(text, R"(vigil_http_requests_total{endpoint="/v1/snapshot",status="200"})") == 1);
    CHECK(sampleValue(text, "vigil_snapshot_rows_total") >= 2);  // the incident and its victim
    CHECK(sampleValue(text, "vigil_syncs_total") >= 2);
    CHECK(sampleValue(text, R"(vigil_errors_total{code="unauthenticated"})") == 1);
    CHECK(sampleValue(text, R"(vigil_devices_connected{window_seconds="300"})") == 2);
    CHECK(sampleValue(text, "vigil_connections_open") >= 0);
    // Nothing that identifies a person or a device.
    for (const std::string& id : {a.deviceId, b.deviceId, std::string("pc.a"), std::string("pc.b")})
        CHECK_THAT(text, !Catch::Contains(id));

    // Not on the device port, and nothing else on the metrics port.
    ClientRequest viaTls;
    viaTls.target = "/metrics";
    auto tls = client.send(server.endpoint(), viaTls);
    REQUIRE(tls.ok());
    CHECK(tls->status == 404);
    CHECK_THAT(plainGet(metricsPortOf(server), "/v1/device"), Catch::StartsWith("HTTP/1.1 404"));
}

TEST_CASE("The metrics listener must be a loopback address", "[sync][metrics]")
{
    ServerProcess server;
    const auto file = server.dataDir() / "server.json";
    auto config = nlohmann::json::parse(readFile(file));
    config["metrics_listen_address"] = "0.0.0.0";
    config["port"] = 0;
    std::ofstream(file, std::ios::trunc) << config.dump(2);
    auto check = runProcess(VIGIL_SERVER_EXE, {"--check", "--config", file.string()});
    CHECK(check.exitCode == 1);
    CHECK_THAT(check.err, Catch::Contains("not a loopback address") && Catch::Contains("Use 127.0.0.1"));
}

TEST_CASE("The store's page cache is a setting: a size out of range is refused with words, a size in range starts",
          "[sync][limits]")
{
    ServerProcess server;
    const auto file = server.dataDir() / "server.json";
    auto config = nlohmann::json::parse(readFile(file));
    config["port"] = 0;
    config["store_cache_mb"] = 1;
    std::ofstream(file, std::ios::trunc) << config.dump(2);
    auto tooSmall = runProcess(VIGIL_SERVER_EXE, {"--check", "--config", file.string()});
    CHECK(tooSmall.exitCode == 1);
    CHECK_THAT(tooSmall.err, Catch::Contains("store_cache_mb") && Catch::Contains("must be a whole number from 2 to 65536"));

    config["store_cache_mb"] = 64;
    std::ofstream(file, std::ios::trunc) << config.dump(2);
    auto fine = runProcess(VIGIL_SERVER_EXE, {"--check", "--config", file.string()});
    INFO(fine.err);
    CHECK(fine.exitCode == 0);
}
