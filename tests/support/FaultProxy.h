#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

namespace vigil::test {

/// What the fault proxy does to new connections. Each connection draws, from the proxy's
/// seeded generator, at most one fault (probabilities below, tried in this order) and the
/// point where it strikes: a byte offset, log-uniform in [1, maxFaultOffset], in one
/// direction (to the server or to the device). A connection that ends before that point is
/// untouched. `delay` is drawn separately and holds back every chunk of the connection.
struct FaultOptions {
    double cut = 0;    ///< close both sides cleanly (FIN) at the fault point
    double reset = 0;  ///< reset both sides (RST, SO_LINGER 0) at the fault point
    double stall = 0;  ///< stop forwarding at the fault point for a while, then reset or carry on
    double delay = 0;  ///< hold back each chunk by up to maxDelay
    double refuse = 0; ///< close the device's connection at once, before reaching the server
    std::chrono::milliseconds maxDelay{25};
    std::chrono::milliseconds minStall{100};
    std::chrono::milliseconds maxStall{2500};
    std::uint64_t maxFaultOffset = 48 * 1024;

    [[nodiscard]] static FaultOptions none() { return {}; }
};

/// What the proxy has seen and done since it started.
struct ProxyCounters {
    std::uint64_t connections = 0;
    std::uint64_t upstreamFailures = 0;  ///< the server could not be reached (down, restarting)
    std::uint64_t cut = 0;
    std::uint64_t reset = 0;
    std::uint64_t stalled = 0;
    std::uint64_t delayed = 0;
    std::uint64_t refused = 0;
    std::uint64_t bytesToServer = 0;
    std::uint64_t bytesToDevice = 0;
    std::uint64_t open = 0;  ///< connections open now
};

/// A TCP proxy for tests on 127.0.0.1 only: devices connect to port(), the proxy connects to
/// the server on 127.0.0.1:upstream and passes bytes both ways (TLS stays end to end), doing
/// to each connection what the FaultOptions say, decided by a seeded generator so a failing
/// run can be repeated from its seed. One Asio thread of its own; every method is thread-safe.
/// All Asio code lives in FaultProxy.cpp.
class FaultProxy {
public:
    FaultProxy(std::uint16_t upstreamPort, std::uint64_t seed);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    [[nodiscard]] std::uint16_t port() const;
    /// Where new connections go (the server restarted on another port).
    void setUpstream(std::uint16_t port);
    /// Faults for connections accepted from now on.
    void setFaults(const FaultOptions& options);
    /// Reset every open connection now (ends stalls when the faults stop).
    void resetAll();
    [[nodiscard]] ProxyCounters counters() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace vigil::test
