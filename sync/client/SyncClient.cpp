// The only translation unit of the device client that includes Beast and Asio.
#include <utility>

// g++ 12 reports a false -Wmismatched-new-delete on every Asio 1.74 coroutine frame
// (awaitable_frame_base's recycling allocator); it is not in our code.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "sync/client/SyncClient.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <set>
#include <thread>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "sync/common/TlsIdentity.h"
#include "sync/protocol/Compression.h"

namespace vigil::sync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {
/// Beast 1.74 takes boost::string_view.
beast::string_view bsv(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace

namespace {

/// What the verify callback saw, for a precise message.
struct PinCheck {
    SpkiPin expected{};
    bool sawLeaf = false;
    bool matched = false;
    std::optional<SpkiPin> presented;
};

std::string where(const ServerEndpoint& ep)
{
    return ep.host + ":" + std::to_string(ep.port);
}

Error pinMismatch(const ServerEndpoint& ep, const PinCheck& check)
{
    std::string got = check.presented ? pinToText(*check.presented).substr(0, 12) + "…" : std::string("none");
    return makeError(ErrorCode::ServerKeyMismatch,
                     "The server at " + where(ep)
                         + " is not the server this device was enrolled with: its identity key does not match "
                           "(expected "
                         + pinToText(check.expected).substr(0, 12) + "…, got " + got
                         + "). Nothing was sent. Do not continue on this network; tell your administrator.");
}

Error network(const ServerEndpoint& ep, const std::string& what, const beast::error_code& ec)
{
    if (ec == beast::error::timeout) {
        return makeError(ErrorCode::Network, "The server at " + where(ep) + " did not answer in time while " + what
                                            + ". Check the connection; Vigil will try again.");
    }
    return makeError(ErrorCode::Network, "Could not reach the Vigil server at " + where(ep) + " while " + what + " ("
                                        + ec.message() + "). Check the connection; Vigil will try again.");
}

bool isIpAddress(const std::string& host)
{
    beast::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

}  // namespace

struct SyncClient::Impl {
    explicit Impl(ClientOptions o) : options(o)
    {
        SSL_CTX* ctx = tls.native_handle();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
        thread = std::thread([this] { ioc.run(); });
    }
    ~Impl()
    {
        work.reset();
        ioc.stop();
        if (thread.joinable())
            thread.join();
    }

    asio::awaitable<Result<ClientResponse>> exchange(ServerEndpoint ep, ClientRequest request);

    ClientOptions options;
    /// Servers ("host:port") that said they take zstd request bodies (their Accept-Encoding
    /// answer header, RFC 7694). Touched only on the io thread.
    std::set<std::string> zstdServers;
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    ssl::context tls{ssl::context::tls_client};
    std::thread thread;
};

asio::awaitable<Result<ClientResponse>> SyncClient::Impl::exchange(ServerEndpoint ep, ClientRequest request)
{
    struct Wipe {
        std::string& s;
        ~Wipe() { sodium_memzero(s.data(), s.size()); }
    } wipeBearer{request.bearer};

    beast::error_code ec;
    tcp::resolver resolver(ioc);
    auto results = co_await resolver.async_resolve(ep.host, std::to_string(ep.port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return network(ep, "looking up its address", ec);

    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    auto check = std::make_shared<PinCheck>();
    check->expected = ep.pin;
    stream.set_verify_mode(ssl::verify_peer);
    // The pin replaces CA validation: chain errors are ignored, only the leaf key counts.
    stream.set_verify_callback([check](bool, ssl::verify_context& ctx) {
        X509_STORE_CTX* store = ctx.native_handle();
        if (X509_STORE_CTX_get_error_depth(store) != 0)
            return true;
        check->sawLeaf = true;
        auto pin = spkiPinOf(X509_STORE_CTX_get_current_cert(store));
        if (!pin)
            return false;
        check->presented = *pin;
        check->matched = sodium_memcmp(pin->data(), check->expected.data(), pin->size()) == 0;
        return check->matched;
    });
    if (!isIpAddress(ep.host))
        // SSL_set_tlsext_host_name is a macro with an old-style cast.
        SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(ep.host.c_str()));

    stream.next_layer().expires_after(options.connectTimeout);
    if (options.sourceAddress.empty()) {
        co_await stream.next_layer().async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
    } else {
        const tcp::endpoint target = *results.begin();
        auto& socket = stream.next_layer().socket();
        socket.open(target.protocol(), ec);
        if (!ec)
            socket.bind(tcp::endpoint(asio::ip::make_address(options.sourceAddress, ec), 0), ec);
        if (!ec)
            co_await stream.next_layer().async_connect(target, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec)
        co_return network(ep, "connecting", ec);
    // Requests and answers go out as a few writes (TLS records, HTTP head then body): with
    // Nagle's algorithm the last one waited for the peer's delayed ACK (up to 40 ms a request).
    stream.next_layer().socket().set_option(tcp::no_delay(true), ec);
    co_await stream.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        if (check->sawLeaf && !check->matched)
            co_return pinMismatch(ep, *check);
        co_return makeError(ErrorCode::Network, "Could not open a secure connection to " + where(ep) + " (" + ec.message()
                                               + "). It may not be a Vigil server, or something on the network is "
                                                 "interfering. Nothing was sent.");
    }
    // Belt and braces: check the pin of the certificate the session actually uses.
    {
        X509* peer = SSL_get0_peer_certificate(stream.native_handle());
        auto pin = spkiPinOf(peer);
        if (!pin || sodium_memcmp(pin->data(), ep.pin.data(), pin->size()) != 0) {
            if (pin)
                check->presented = *pin;
            co_return pinMismatch(ep, *check);
        }
    }

    http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
    req.set(http::field::host, ep.host);
    req.set(http::field::user_agent, "vigil-sync/" + protocolVersionText());
    req.set(http::field::accept, "application/json");
    req.set(http::field::accept_encoding, bsv(kAcceptEncodings));
    const std::string server = ep.host + ":" + std::to_string(ep.port);
    req.set(bsv(kProtocolHeader), request.protocolOverride.value_or(protocolVersionText()));
    if (!request.bearer.empty())
        req.set(http::field::authorization, "Bearer " + request.bearer);
    req.keep_alive(false);
    std::string sentEncoding;
    if (!request.body.empty() || request.method == "POST") {
        req.set(http::field::content_type, "application/json");
        if (request.preEncoded) {
            sentEncoding = *request.preEncoded;
            req.set(http::field::content_encoding, *request.preEncoded);
            req.body() = std::move(request.body);
        } else if (request.body.size() >= options.compressAbove) {
            const auto coding = zstdServers.count(server) ? ContentEncoding::Zstd : ContentEncoding::Gzip;
            auto packed = compressBody(request.body, coding);
            if (!packed)
                co_return std::move(packed).error();
            sentEncoding = contentEncodingName(coding);
            req.set(http::field::content_encoding, bsv(sentEncoding));
            req.body() = std::move(packed).value();
        } else {
            sentEncoding = "identity";
            req.body() = std::move(request.body);
        }
    }
    req.prepare_payload();

    stream.next_layer().expires_after(options.requestTimeout);
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    for (const auto& field : req) {
        if (field.name() == http::field::authorization)
            sodium_memzero(const_cast<char*>(field.value().data()), field.value().size());
    }
    // A server that refuses early (413) may close before reading everything: still read its answer.
    const bool writeFailed = static_cast<bool>(ec);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.maxResponseBytes);
    stream.next_layer().expires_after(options.requestTimeout);
    beast::error_code rec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, rec));
    if (rec) {
        if (writeFailed)
            co_return network(ep, "sending the request", ec);
        if (rec == http::error::body_limit) {
            // Marked (field), so the sync engine can ask for a smaller page (issue 22).
            co_return makeError(ErrorCode::Network, "The answer from " + where(ep) + " was larger than this device "
                                                    "takes in one answer. Vigil asks for smaller pages; if this keeps "
                                                    "happening, tell your administrator.",
                                std::string(kAnswerTooLarge));
        }
        co_return network(ep, "reading the answer", rec);
    }
    auto& res = parser.get();
    ClientResponse out;
    out.status = res.result_int();
    out.requestId = std::string(res[bsv(kRequestIdHeader)]);
    out.serverProtocol = std::string(res[bsv(kProtocolHeader)]);
    out.requestEncoding = sentEncoding;
    if (const auto retry = res[http::field::retry_after]; !retry.empty()) {
        unsigned seconds = 0;
        const auto [end, rec2] = std::from_chars(retry.data(), retry.data() + retry.size(), seconds);
        if (rec2 == std::errc() && end == retry.data() + retry.size())
            out.retryAfter = std::chrono::seconds(std::min(seconds, 24U * 3600U));  // an HTTP date is ignored
    }
    if (const auto takes = res[http::field::accept_encoding]; acceptsZstd(std::string_view(takes.data(), takes.size())))
        zstdServers.insert(server);
    const auto encodingText = res[http::field::content_encoding];
    const auto encoding = parseContentEncoding(std::string_view(encodingText.data(), encodingText.size()));
    if (!encoding) {
        co_return makeError(ErrorCode::Corrupt, "The server at " + where(ep)
                                                    + " answered in an encoding this device does not understand.");
    }
    out.answerEncoding = std::string(encodingText.data(), encodingText.size());
    DecodeFailure failure = DecodeFailure::None;
    auto body = decompressBody(res.body(), *encoding, options.maxDecodedResponseBytes, &failure);
    if (!body && failure == DecodeFailure::TooLarge) {
        co_return makeError(ErrorCode::Network, "The answer from " + where(ep) + " was larger than this device takes "
                                                "in one answer once unpacked. Vigil asks for smaller pages; if this "
                                                "keeps happening, tell your administrator.",
                            std::string(kAnswerTooLarge));
    }
    if (!body)
        co_return makeError(ErrorCode::Corrupt, "The answer from " + where(ep) + " could not be read: " + body.error().message);
    out.body = std::move(body).value();
    if (out.status >= 400) {
        if (auto json = parseJson(out.body); json && json->is_object()) {
            if (auto err = errorBodyFromJson(*json))
                out.error = std::move(err).value();
            if (auto w = json->find("wipe"); w != json->end() && w->is_boolean())
                out.wipe = w->get<bool>();
        }
    }
    stream.next_layer().expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));  // errors here are normal
    co_return out;
}

SyncClient::SyncClient(ClientOptions options) : m_impl(std::make_unique<Impl>(options)) {}

SyncClient::~SyncClient() = default;

void SyncClient::sendAsync(ServerEndpoint endpoint, ClientRequest request, Completion done)
{
    // co_spawn of an awaitable<T> needs a default-constructible T in Boost 1.74, so the
    // result is handed over from inside an awaitable<void>.
    struct Pending {
        Completion done;
        bool called = false;
    };
    auto pending = std::make_shared<Pending>(Pending{std::move(done)});
    Impl* impl = m_impl.get();
    asio::co_spawn(
        impl->ioc,
        [impl, ep = std::move(endpoint), req = std::move(request), pending]() mutable -> asio::awaitable<void> {
            auto result = co_await impl->exchange(std::move(ep), std::move(req));
            pending->called = true;
            pending->done(std::move(result));
        },
        [pending](std::exception_ptr e) {
            if (!e || pending->called)
                return;
            std::string what = "unknown";
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                what = ex.what();
            } catch (...) {
            }
            pending->called = true;
            pending->done(makeError(ErrorCode::Internal, "The sync connection failed unexpectedly (" + what
                                                             + "). Vigil will try again; report this if it repeats."));
        });
}

Result<ClientResponse> SyncClient::send(const ServerEndpoint& endpoint, ClientRequest request)
{
    if (std::this_thread::get_id() == m_impl->thread.get_id())
        return makeError(ErrorCode::Internal, "SyncClient::send was called on the sync thread; this is a bug.");
    std::promise<Result<ClientResponse>> promise;
    auto future = promise.get_future();
    sendAsync(endpoint, std::move(request), [&promise](Result<ClientResponse> r) { promise.set_value(std::move(r)); });
    return future.get();
}

}  // namespace vigil::sync
