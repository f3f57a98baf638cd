#pragma once

#include <cstdint>
#include <memory>

#include "core/common/Result.h"
#include "sync/server/Metrics.h"
#include "sync/server/RequestHandler.h"
#include "sync/server/ServerConfig.h"

namespace vigil::sync {

/// The HTTPS transport of vigil-server: Boost.Beast over TLS (1.3 preferred, 1.2 minimum),
/// C++20 coroutines on one I/O thread. Every connection has a handshake timeout, every
/// request a read and write timeout and header and body limits, every address a share of the
/// connections (closed at accept, before TLS); the RequestHandler does the rest, on one store
/// thread of its own, except inflating an admitted request's compressed body, which runs on a
/// decode thread after the store thread has authenticated it (so Metrics, RateLimiter and Log,
/// which several threads use, lock). All Beast/Asio code of the server lives in HttpServer.cpp (one slow translation unit).
class HttpServer {
public:
    HttpServer(const ServerConfig& config, RequestHandler& handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Count requests, latencies, errors and connections in `metrics`, and serve them as
    /// GET /metrics on the metrics listener (config.metricsListenAddress, loopback only).
    /// Call before start(); without it there is no metrics listener.
    void setMetrics(Metrics* metrics) noexcept;

    /// Load the TLS identity, bind and listen. Returns the bound port (useful with port 0)
    /// and writes it to config.portFile when set (config.metricsPortFile likewise).
    [[nodiscard]] Result<std::uint16_t> start();
    /// The bound metrics port, 0 when there is no metrics listener.
    [[nodiscard]] std::uint16_t metricsPort() const noexcept;
    /// Serve until stop() or SIGINT/SIGTERM. Returns after open connections are dropped.
    void run();
    /// Thread-safe: ask run() to return.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vigil::sync
