// The only translation unit of the server that includes Beast and Asio (each takes about
// half a minute to compile). Asio's snake_case stays at the call sites.
#include <utility>

// g++ 12 reports a false -Wmismatched-new-delete on every Asio 1.74 coroutine frame
// (awaitable_frame_base's recycling allocator); it is not in our code.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "sync/server/HttpServer.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <unordered_map>
#include <variant>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <sys/stat.h>

#include <openssl/ssl.h>
#include <sodium.h>

#include "core/store/SecureBytes.h"
#include "sync/common/TlsIdentity.h"
#include "sync/protocol/Compression.h"
#include "sync/server/Log.h"
#include "sync/server/RateLimiter.h"

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
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

/// The one place transport errors are reported. Errors a hostile or confused client
/// causes (plain HTTP on the TLS port, timeouts, resets) are logged at debug level only.
void fail(const beast::error_code& ec, const char* what, LogLevel level = LogLevel::Warn)
{
    Log::write(level, "transport_error", {{"what", what}, {"error", ec.message()}});
}

std::string newRequestId()
{
    unsigned char b[8];
    randombytes_buf(b, sizeof b);
    return toHex(b);
}

HttpResponse transportError(unsigned status, std::string_view code, std::string message)
{
    HttpResponse r = errorResponse(status, code, std::move(message));
    r.close = true;
    return r;
}

Status writePortFile(const std::filesystem::path& file, std::uint16_t port)
{
    const auto tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << port << "\n";
        if (!out)
            return makeError(ErrorCode::Io, "Cannot write the port file " + file.string() + ". Check the folder exists.");
    }
    std::error_code fec;
    std::filesystem::rename(tmp, file, fec);
    if (fec)
        return makeError(ErrorCode::Io, "Cannot write the port file " + file.string() + ". Check the folder exists.");
    return {};
}

bool fileIsPrivate(const std::filesystem::path& file)
{
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 && (st.st_mode & 077U) == 0;
}

}  // namespace

/// `fn()` on `pool` (the store thread, or the decode thread), its result (or exception) handed
/// back on the caller's executor. A plain function runs there, not a coroutine: no coroutine
/// resumes on another thread (Boost 1.74 starts an operation inside await_suspend, which races
/// when another thread resumes the coroutine at once).
template <typename Value, typename Fn, typename Token>
auto onPool(asio::thread_pool& pool, Fn fn, Token&& token)
{
    return asio::async_initiate<Token, void(std::exception_ptr, Value)>(
        [&pool, fn](auto done) {
            auto work = asio::make_work_guard(asio::get_associated_executor(done));
            asio::post(pool, [fn, done = std::move(done), work = std::move(work)]() mutable {
                std::exception_ptr failed;
                Value value{};
                try {
                    value = fn();
                } catch (...) {
                    failed = std::current_exception();
                }
                auto back = work.get_executor();
                asio::post(back, [done = std::move(done), failed, value = std::move(value)]() mutable {
                    done(failed, std::move(value));
                });
                work.reset();
            });
        },
        token);
}

struct HttpServer::Impl {
    Impl(const ServerConfig& c, RequestHandler& h) : config(c), handler(h) {}

    const ServerConfig& config;
    RequestHandler& handler;
    asio::io_context ioc{1};
    ssl::context tls{ssl::context::tls_server};
    tcp::acceptor acceptor{ioc};
    tcp::acceptor metricsAcceptor{ioc};
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    // The one thread that runs requests against the store (RequestHandler and the store are
    // used by one thread at a time). While it waits for a commit to reach the disk, the I/O
    // thread goes on with other devices' handshakes, reads and writes (docs/performance.md,
    // "Load: 500 devices"). Declared after ioc: it is joined before the coroutines go.
    asio::thread_pool storeThread{1};
    // Compressed request bodies are inflated here, after the store thread has authenticated
    // the request (RequestHandler::begin), so neither a stranger's body nor a device's large one
    // holds up the store. One thread: the decoded-size limit bounds what one inflation holds.
    asio::thread_pool decodeThread{1};
    std::size_t connections = 0;
    // Open connections per address (an IPv6 /64; RateLimiter's addressKey). I/O thread only.
    std::unordered_map<std::string, std::size_t> perAddress;
    Metrics* metrics = nullptr;
    std::uint16_t metricsPort = 0;

    Status loadTls();
    Status startMetrics();
    asio::awaitable<void> acceptLoop();
    asio::awaitable<void> session(tcp::socket socket, std::string addressKey);
    asio::awaitable<void> metricsAcceptLoop();
    asio::awaitable<void> metricsSession(tcp::socket socket);
};

Status HttpServer::Impl::startMetrics()
{
    if (!metrics || !config.metricsEnabled)
        return {};
    beast::error_code ec;
    const auto address = asio::ip::make_address(config.metricsListenAddress, ec);
    if (ec || !address.is_loopback()) {
        // The figures say how busy which parts of the force are: only this machine may read
        // them (a local Prometheus agent, or a proxy that adds its own authentication).
        return makeError(ErrorCode::InvalidArgument,
                         "metrics_listen_address \"" + config.metricsListenAddress
                             + "\" is not a loopback address. Use 127.0.0.1 or ::1 and let a local Prometheus agent "
                               "or an authenticating proxy read it, or set metrics_enabled to false.");
    }
    const tcp::endpoint endpoint(address, config.metricsPort);
    metricsAcceptor.open(endpoint.protocol(), ec);
    if (!ec)
        metricsAcceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        metricsAcceptor.bind(endpoint, ec);
    if (!ec)
        metricsAcceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "Cannot listen for metrics on " + config.metricsListenAddress + ":"
                                            + std::to_string(config.metricsPort) + " (" + ec.message()
                                            + "). Choose another metrics_port, or set metrics_enabled to false.");
    }
    metricsPort = metricsAcceptor.local_endpoint().port();
    if (!config.metricsPortFile.empty())
        VIGIL_TRY(writePortFile(config.resolve(config.metricsPortFile), metricsPort));
    return {};
}

asio::awaitable<void> HttpServer::Impl::metricsAcceptLoop()
{
    for (;;) {
        beast::error_code ec;
        tcp::socket socket = co_await metricsAcceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted)
            co_return;
        if (ec) {
            fail(ec, "metrics accept");
            continue;
        }
        asio::co_spawn(ioc, metricsSession(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> HttpServer::Impl::metricsSession(tcp::socket socket)
{
    // One request per connection, small and bounded: a scraper, not a device.
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(0);
    stream.expires_after(std::chrono::seconds(10));
    beast::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return;
    const auto& req = parser.get();
    http::response<http::string_body> res;
    res.version(11);
    res.set(http::field::server, "vigil-server");
    res.set(http::field::cache_control, "no-store");
    std::string_view target(req.target().data(), req.target().size());
    target = target.substr(0, target.find('?'));
    if (target != "/metrics") {
        res.result(http::status::not_found);
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = "Only /metrics is served here.\n";
    } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
        res.result(http::status::method_not_allowed);
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = "Use GET for /metrics.\n";
    } else {
        res.result(http::status::ok);
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.body() = metrics->render();
        if (req.method() == http::verb::head)
            res.body().clear();
    }
    res.keep_alive(false);
    res.prepare_payload();
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

Status HttpServer::Impl::loadTls()
{
    const auto cert = config.resolve(config.tlsCertificate);
    const auto key = config.resolve(config.tlsKey);
    if (!fileIsPrivate(key)) {
        return makeError(ErrorCode::InvalidArgument, "The TLS key " + key.string()
                                                         + " is missing or readable by other users. Run `chmod 600 "
                                                         + key.string() + "` (or create it with `vigil-admin init`).");
    }
    VIGIL_TRY(checkKeyMatchesCertificate(cert, key));
    SSL_CTX* ctx = tls.native_handle();
    SSL_CTX_set_min_proto_version(ctx, config.tls13Only ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // TLS 1.2 only with forward-secret AEAD suites; TLS 1.3 suites are OpenSSL's defaults.
    SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                                 "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
                                 "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305");
    beast::error_code ec;
    tls.use_certificate_chain_file(cert.string(), ec);
    if (ec)
        return makeError(ErrorCode::InvalidArgument, "Cannot use the TLS certificate " + cert.string() + ": " + ec.message());
    tls.use_private_key_file(key.string(), ssl::context::pem, ec);
    if (ec)
        return makeError(ErrorCode::InvalidArgument, "Cannot use the TLS key " + key.string() + ": " + ec.message());
    return {};
}

asio::awaitable<void> HttpServer::Impl::acceptLoop()
{
    for (;;) {
        beast::error_code ec;
        tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted)
            co_return;
        if (ec) {
            fail(ec, "accept");
            continue;
        }
        if (connections >= config.maxConnections) {
            Log::write(LogLevel::Warn, "connection_refused", {{"reason", "max_connections"}});
            if (metrics)
                metrics->countConnectionRefused(false);
            socket.close(ec);
            continue;
        }
        // One address (an IPv6 /64) holds at most its share of the slots; a further connection
        // is closed here, before any TLS work. Counted, not logged one by one (a flood would
        // fill the log).
        beast::error_code pec;
        const auto peer = socket.remote_endpoint(pec);
        std::string key = pec ? std::string("?") : addressKey(peer.address().to_string());
        if (config.maxConnectionsPerAddress > 0) {
            const auto it = perAddress.find(key);
            if (it != perAddress.end() && it->second >= config.maxConnectionsPerAddress) {
                Log::write(LogLevel::Debug, "connection_refused", {{"reason", "max_connections_per_address"}});
                if (metrics)
                    metrics->countConnectionRefused(true);
                socket.close(ec);
                continue;
            }
        }
        ++perAddress[key];
        asio::co_spawn(ioc, session(std::move(socket), std::move(key)), [](std::exception_ptr e) {
            if (!e)
                return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                Log::write(LogLevel::Error, "session_exception", {{"what", ex.what()}});
            }
        });
    }
}

asio::awaitable<void> HttpServer::Impl::session(tcp::socket socket, std::string addressKey)
{
    ++connections;
    struct Count {
        std::size_t& n;
        std::unordered_map<std::string, std::size_t>& perAddress;
        std::string key;
        Metrics* metrics;
        ~Count()
        {
            --n;
            if (const auto it = perAddress.find(key); it != perAddress.end() && --it->second == 0)
                perAddress.erase(it);
            if (metrics)
                metrics->connectionClosed();
        }
    } count{connections, perAddress, std::move(addressKey), metrics};
    if (metrics)
        metrics->connectionOpened();
    beast::error_code aec;
    const auto peer = socket.remote_endpoint(aec);
    const std::string remoteAddress = aec ? std::string() : peer.address().to_string();

    // An answer goes out as a few writes (TLS records, HTTP head then body): with Nagle's
    // algorithm the last one waited for the device's delayed ACK (up to 40 ms a request).
    beast::error_code nodelay;
    socket.set_option(tcp::no_delay(true), nodelay);
    TlsStream stream(std::move(socket), tls);
    beast::error_code ec;
    stream.next_layer().expires_after(config.handshakeTimeout);
    co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        fail(ec, "handshake", LogLevel::Debug);  // plain HTTP, scanners, wrong pins end here
        co_return;
    }

    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(config.limits.maxHeaderBytes);
        parser.body_limit(config.limits.maxBodyBytes);
        stream.next_layer().expires_after(first ? config.requestTimeout : config.idleTimeout);
        first = false;
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        const auto started = std::chrono::steady_clock::now();
        const std::string requestId = newRequestId();

        HttpResponse response;
        std::string method;
        std::string target;
        bool keepAlive = false;
        if (ec == http::error::end_of_stream || ec == asio::ssl::error::stream_truncated) {
            break;
        } else if (ec == http::error::body_limit) {
            // The device writes its whole request before reading: drain what it announced
            // (bounded in bytes and time) so it can read the 413 instead of a reset.
            std::uint64_t remaining = parser.content_length().value_or(0);
            const std::uint64_t cap = 4 * config.limits.maxBodyBytes;
            if (remaining > 0 && remaining <= cap) {
                remaining -= std::min<std::uint64_t>(remaining, buffer.size());
                buffer.consume(buffer.size());
                stream.next_layer().expires_after(std::chrono::seconds(5));
                char sink[16 * 1024];
                while (remaining > 0) {
                    beast::error_code dec;
                    const std::size_t n = co_await stream.async_read_some(
                        asio::buffer(sink, std::min<std::uint64_t>(sizeof sink, remaining)),
                        asio::redirect_error(asio::use_awaitable, dec));
                    if (dec)
                        break;
                    remaining -= n;
                }
            }
            response = transportError(413, errors::kBodyTooLarge,
                                      "The request is larger than this server accepts (limit "
                                          + std::to_string(config.limits.maxBodyBytes / 1024)
                                          + " KiB). Nothing was changed; send smaller batches.");
        } else if (ec == http::error::header_limit) {
            response = transportError(431, errors::kHeadersTooLarge,
                                      "The request headers are larger than this server accepts. Nothing was changed.");
        } else if (ec == beast::error::timeout) {
            if (!parser.got_some())
                break;  // an idle keep-alive connection: just close
            response = transportError(408, errors::kTimeout,
                                      "The request took too long to arrive. Nothing was changed; check the connection "
                                      "and try again.");
        } else if (ec) {
            if (!parser.got_some()) {
                fail(ec, "read", LogLevel::Debug);
                break;
            }
            response = transportError(400, errors::kBadRequest,
                                      "The request is not well-formed HTTP. Nothing was changed.");
        } else {
            auto& req = parser.get();
            method = std::string(req.method_string());
            target = std::string(req.target());
            keepAlive = req.keep_alive();
            HttpRequest request;
            request.method = method;
            request.target = target;
            for (const auto& field : req) {
                std::string name(field.name_string());
                for (char& c : name) {
                    if (c >= 'A' && c <= 'Z')
                        c = static_cast<char>(c - 'A' + 'a');
                }
                request.headers.emplace_back(std::move(name), std::string(field.value()));
            }
            request.body = std::move(req.body());
            request.remoteAddress = remoteAddress;
            try {
                // Cheap refusals first: version, endpoint, address limits and the credential on
                // the store thread, with the body untouched; only an admitted request's
                // compressed body is inflated, on the decode thread; then the store again.
                auto begun = co_await onPool<RequestHandler::Begun>(
                    storeThread, [&] { return handler.begin(request); }, asio::use_awaitable);
                if (auto* answered = std::get_if<HttpResponse>(&begun)) {
                    response = std::move(*answered);
                } else {
                    const Admission admitted = std::move(std::get<Admission>(begun));
                    auto plain = co_await onPool<std::variant<std::string, HttpResponse>>(
                        decodeThread, [&] { return handler.decode(request); }, asio::use_awaitable);
                    if (auto* refused = std::get_if<HttpResponse>(&plain)) {
                        response = std::move(*refused);
                    } else {
                        std::string& body = std::get<std::string>(plain);
                        response = co_await onPool<HttpResponse>(
                            storeThread, [&] { return handler.finish(request, admitted, body); }, asio::use_awaitable);
                    }
                }
            } catch (const std::exception& ex) {
                Log::write(LogLevel::Error, "handler_exception", {{"what", ex.what()}});
                response = transportError(500, errors::kInternal,
                                          "The server could not complete this request. Nothing was changed; try "
                                          "again later.");
            }
            // Wipe the device credential from both copies of the headers.
            for (auto& [name, value] : request.headers) {
                if (name == "authorization")
                    sodium_memzero(value.data(), value.size());
            }
            for (const auto& field : req) {
                if (field.name() == http::field::authorization)
                    sodium_memzero(const_cast<char*>(field.value().data()), field.value().size());
            }
            sodium_memzero(request.body.data(), request.body.size());
        }

        http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
        res.set(http::field::server, "vigil-server");
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        res.set(bsv(kProtocolHeader), protocolVersionText());
        res.set(bsv(kRequestIdHeader), requestId);
        if (!response.contentEncoding.empty())
            res.set(http::field::content_encoding, response.contentEncoding);
        // The codings this server takes in request bodies (RFC 7694): a device sends zstd once
        // it has seen this, and gzip to a server that does not say it.
        res.set(http::field::accept_encoding, bsv(kAcceptEncodings));
        for (const auto& [name, value] : response.headers)
            res.set(name, value);
        res.body() = std::move(response.body);
        const bool keep = keepAlive && !response.close;
        res.keep_alive(keep);
        res.prepare_payload();
        if (method == "HEAD")
            res.body().clear();

        stream.next_layer().expires_after(config.requestTimeout);
        beast::error_code wec;
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, wec));
        if (response.sensitive)
            sodium_memzero(res.body().data(), res.body().size());
        const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
        nlohmann::json line = {
            {"request_id", requestId},
            {"method", method},
            {"path", target.substr(0, target.find('?')).substr(0, 64)},
            {"status", response.status},
            {"latency_ms", static_cast<double>(latency.count()) / 1000.0},
        };
        if (!response.deviceId.empty())
            line["device"] = response.deviceId;
        if (!response.errorCode.empty())
            line["error"] = response.errorCode;
        if (metrics) {
            metrics->countRequest(target, response.status, static_cast<double>(latency.count()) / 1e6);
            if (!response.errorCode.empty())
                metrics->countError(response.errorCode);
        }
        Log::write(response.status >= 500 ? LogLevel::Error : LogLevel::Info, "request", std::move(line));
        if (wec) {
            fail(wec, "write", LogLevel::Debug);
            co_return;
        }
        if (!keep)
            break;
    }
    stream.next_layer().expires_after(std::chrono::seconds(5));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));  // errors here are normal
}

HttpServer::HttpServer(const ServerConfig& config, RequestHandler& handler)
    : m_impl(std::make_unique<Impl>(config, handler))
{
}

HttpServer::~HttpServer() = default;

void HttpServer::setMetrics(Metrics* metrics) noexcept
{
    m_impl->metrics = metrics;
}

std::uint16_t HttpServer::metricsPort() const noexcept
{
    return m_impl->metricsPort;
}

Result<std::uint16_t> HttpServer::start()
{
    Impl& s = *m_impl;
    VIGIL_TRY(s.loadTls());
    beast::error_code ec;
    const auto address = asio::ip::make_address(s.config.listenAddress, ec);
    if (ec) {
        return makeError(ErrorCode::InvalidArgument, "listen_address \"" + s.config.listenAddress
                                                         + "\" is not an IP address. Use e.g. 127.0.0.1 or 0.0.0.0.");
    }
    const tcp::endpoint endpoint(address, s.config.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        s.acceptor.bind(endpoint, ec);
    if (!ec)
        s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "Cannot listen on " + s.config.listenAddress + ":" + std::to_string(s.config.port)
                                            + " (" + ec.message()
                                            + "). Is another server using the port, or does it need privileges?");
    }
    const std::uint16_t port = s.acceptor.local_endpoint().port();
    // Metrics first: the port file says "ready", so everything must be listening by then.
    VIGIL_TRY(s.startMetrics());
    if (!s.config.portFile.empty())
        VIGIL_TRY(writePortFile(s.config.resolve(s.config.portFile), port));
    return port;
}

void HttpServer::run()
{
    Impl& s = *m_impl;
    s.signals.async_wait([&s](const beast::error_code& ec, int signal) {
        if (ec)
            return;
        Log::write(LogLevel::Info, "stopping", {{"signal", signal}});
        beast::error_code ignored;
        s.acceptor.close(ignored);
        s.metricsAcceptor.close(ignored);
        s.ioc.stop();
    });
    asio::co_spawn(s.ioc, s.acceptLoop(), asio::detached);
    if (s.metricsAcceptor.is_open())
        asio::co_spawn(s.ioc, s.metricsAcceptLoop(), asio::detached);
    s.ioc.run();
    // A request still at the store finishes (its answer is not sent: the device asks again
    // and gets the same answer); queued ones are dropped. Then the caller may close the store.
    s.storeThread.stop();
    s.storeThread.join();
    s.decodeThread.stop();
    s.decodeThread.join();
}

void HttpServer::stop()
{
    asio::post(m_impl->ioc, [this] {
        beast::error_code ignored;
        m_impl->acceptor.close(ignored);
        m_impl->metricsAcceptor.close(ignored);
        m_impl->ioc.stop();
    });
}

}  // namespace vigil::sync
