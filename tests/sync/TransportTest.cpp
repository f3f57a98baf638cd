// The HTTPS transport of a real vigil-server: TLS only, limits, versions, compression, auth.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/client/DeviceLink.h"
#include "sync/protocol/Compression.h"
#include "sync/protocol/EnrolmentCode.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/sync/Process.h"

using namespace vigil;
using namespace vigil::sync;
using vigil::test::ServerProcess;

namespace {

int connectLoopback(std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

/// Whatever arrives on `fd` within `ms` (until the peer closes).
std::string readSome(int fd, int ms)
{
    std::string got;
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, ms) > 0) {
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}

/// A plain-HTTP server on an ephemeral loopback port answering every connection with 200.
class PlainHttpServer {
public:
    PlainHttpServer()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(m_fd, 4) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] {
            for (;;) {
                const int c = ::accept(m_fd, nullptr, nullptr);
                if (c < 0)
                    return;
                (void)readSome(c, 200);
                const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
                (void)!::write(c, reply, sizeof reply - 1);
                ::close(c);
                ++m_served;
            }
        });
    }
    ~PlainHttpServer()
    {
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    [[nodiscard]] std::uint16_t port() const { return m_port; }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
    std::thread m_thread;
    std::atomic<int> m_served{0};
};

ClientRequest enrolRequest(const std::string& line)
{
    auto code = parseEnrolmentCode(line);
    REQUIRE(code.ok());
    ClientRequest req;
    req.method = "POST";
    req.target = "/v1/enrol";
    req.body = toJson(EnrolRequest{code->codeId, code->secret, "test", {}}).dump();
    return req;
}

}  // namespace

TEST_CASE("GET /healthz answers over TLS with the protocol version", "[transport]")
{
    ServerProcess server;
    SyncClient client;
    auto r = client.send(server.endpoint(), ClientRequest{});
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(r->serverProtocol == "1.3");
    CHECK(r->requestId.size() == 16);
    auto j = parseJson(r->body);
    REQUIRE(j.ok());
    CHECK((*j)["status"] == "ok");
}

TEST_CASE("A plain-HTTP server is refused by the client", "[transport][tls]")
{
    PlainHttpServer plain;
    SyncClient client;
    SpkiPin anyPin{};
    auto r = client.send({"127.0.0.1", plain.port(), anyPin}, ClientRequest{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Network);
    CHECK_THAT(r.error().message, Catch::Contains("secure connection"));
}

TEST_CASE("Plain HTTP to the TLS port gets no HTTP answer", "[transport][tls]")
{
    ServerProcess server;
    const int fd = connectLoopback(server.port());
    const char request[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    REQUIRE(::write(fd, request, sizeof request - 1) > 0);
    const std::string got = readSome(fd, 2000);
    ::close(fd);
    CHECK(got.find("HTTP/1.1") == std::string::npos);
    CHECK(got.find("ok") == std::string::npos);
    // The server is still serving TLS clients afterwards.
    SyncClient client;
    CHECK(client.send(server.endpoint(), ClientRequest{})->status == 200);
}

TEST_CASE("An oversized body gets 413 and changes nothing", "[transport][limits]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821");
    SyncClient client;

    ClientRequest big = enrolRequest(line);
    big.body.insert(big.body.size() - 1, ",\"padding\":\"" + std::string(5 * 1024 * 1024, 'x') + "\"");
    big.preEncoded = "identity";
    auto r = client.send(server.endpoint(), big);
    REQUIRE(r.ok());
    CHECK(r->status == 413);
    REQUIRE(r->error);
    CHECK(r->error->error == errors::kBodyTooLarge);

    // A small gzip body that inflates past the decoded limit (zip bomb) is refused too.
    ClientRequest bomb = enrolRequest(line);
    std::string inflated = bomb.body;
    inflated.insert(inflated.size() - 1, ",\"padding\":\"" + std::string(20 * 1024 * 1024, ' ') + "\"");
    auto packed = compressBody(inflated, ContentEncoding::Gzip);
    REQUIRE(packed.ok());
    REQUIRE(packed->size() < 1024 * 1024);
    bomb.body = *packed;
    bomb.preEncoded = "gzip";
    auto b = client.send(server.endpoint(), bomb);
    REQUIRE(b.ok());
    CHECK(b->status == 413);

    // Nothing changed: the code is still unused and enrols a device.
    auto ok = client.send(server.endpoint(), enrolRequest(line));
    REQUIRE(ok.ok());
    CHECK(ok->status == 200);
}

TEST_CASE("Another protocol major version gets 426 update required and changes nothing", "[transport][version]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821");
    SyncClient client;
    ClientRequest req = enrolRequest(line);
    req.protocolOverride = "2.0";
    auto r = client.send(server.endpoint(), req);
    REQUIRE(r.ok());
    CHECK(r->status == 426);
    REQUIRE(r->error);
    CHECK(r->error->error == errors::kUpdateRequired);
    CHECK_THAT(r->error->message, Catch::Contains("Update required"));

    ClientRequest none = enrolRequest(line);
    none.protocolOverride = "";
    auto missing = client.send(server.endpoint(), none);
    REQUIRE(missing.ok());
    CHECK(missing->status == 400);

    ClientRequest newerMinor = enrolRequest(line);
    newerMinor.protocolOverride = "1.9";
    auto accepted = client.send(server.endpoint(), newerMinor);
    REQUIRE(accepted.ok());
    CHECK(accepted->status == 200);  // the code was still unused
}

TEST_CASE("Requests without a valid device credential get 401", "[transport][auth]")
{
    ServerProcess server;
    SyncClient client;
    ClientRequest req;
    req.target = "/v1/device";
    auto none = client.send(server.endpoint(), req);
    REQUIRE(none.ok());
    CHECK(none->status == 401);
    REQUIRE(none->error);
    CHECK(none->error->error == errors::kUnauthenticated);
    CHECK_THAT(none->error->message, Catch::Contains("Enrol"));

    req.bearer = base64UrlEncode(std::vector<unsigned char>(32, 7));
    auto forged = client.send(server.endpoint(), req);
    REQUIRE(forged.ok());
    CHECK(forged->status == 401);

    req.bearer = "not-base64!";
    auto junk = client.send(server.endpoint(), req);
    REQUIRE(junk.ok());
    CHECK(junk->status == 401);
}

TEST_CASE("Malformed requests get a clear 4xx and change nothing", "[transport]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    const std::string line = server.enrolCode("pc.4821");
    SyncClient client;

    ClientRequest bad;
    bad.method = "POST";
    bad.target = "/v1/enrol";
    bad.body = "{\"code_id\": ";
    auto r = client.send(server.endpoint(), bad);
    REQUIRE(r.ok());
    CHECK(r->status == 400);
    CHECK(r->error->error == errors::kMalformedJson);

    ClientRequest wrongMethod;
    wrongMethod.target = "/v1/enrol";
    CHECK(client.send(server.endpoint(), wrongMethod)->status == 405);

    ClientRequest unknown;
    unknown.target = "/v1/nothing-here";
    CHECK(client.send(server.endpoint(), unknown)->status == 404);

    ClientRequest garbage = enrolRequest(line);
    garbage.body = "this is not gzip";
    garbage.preEncoded = "gzip";
    CHECK(client.send(server.endpoint(), garbage)->status == 400);

    ClientRequest brotli = enrolRequest(line);
    brotli.preEncoded = "br";
    CHECK(client.send(server.endpoint(), brotli)->status == 415);

    CHECK(client.send(server.endpoint(), enrolRequest(line))->status == 200);
}

TEST_CASE("Large bodies travel compressed both ways", "[transport][compression]")
{
    ServerProcess server;
    server.addUser("pc.4821");
    SyncClient client;
    ClientRequest req = enrolRequest(server.enrolCode("pc.4821"));
    // A 300 KB device name is refused by the codec, but only after the gzip body was accepted
    // and inflated: proves the server decompresses what the client compressed.
    auto j = parseJson(req.body);
    (*j)["device_name"] = std::string(300 * 1024, 'n');
    req.body = j->dump();
    auto r = client.send(server.endpoint(), req);
    REQUIRE(r.ok());
    CHECK(r->status == 400);
    CHECK_THAT(r->error->message, Catch::Contains("device_name"));
    // A client that has not heard from this server sends gzip (an older server takes only
    // that); the server's answer says it takes zstd, so the next body goes as zstd, and the
    // server reads it just the same.
    CHECK(r->requestEncoding == "gzip");
    auto again = client.send(server.endpoint(), req);
    REQUIRE(again.ok());
    CHECK(again->requestEncoding == "zstd");
    CHECK(again->status == 400);
    CHECK_THAT(again->error->message, Catch::Contains("device_name"));
    // And a valid body sent as zstd enrols the device.
    ClientRequest valid = enrolRequest(server.enrolCode("pc.4821"));
    auto packed = compressBody(valid.body, ContentEncoding::Zstd);
    REQUIRE(packed.ok());
    valid.body = *packed;
    valid.preEncoded = "zstd";
    auto ok = client.send(server.endpoint(), valid);
    REQUIRE(ok.ok());
    CHECK(ok->status == 200);
}
